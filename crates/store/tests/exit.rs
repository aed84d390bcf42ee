//! A process may exit the moment it drops its last store. sqlx closes the
//! pool's connections in their own threads, so without the store's exit hook
//! SQLCipher's exit handler frees its heap under a connection still closing
//! and the process dies with SIGSEGV (a test binary did, in CI, after all its
//! tests had passed). This binary runs itself as a child many times; each
//! child opens three stores, keeps their connections busy, drops them and
//! exits at once. Every child must exit cleanly.
//!
//! No libtest harness: the child is this same program, told so by an
//! environment variable, and exits through C's `exit` as any program does.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::exit,
    reason = "a test fails by panicking and says what it ran; the child exits on purpose"
)]

mod common;

use std::process::Command;

use tsunagu_store::{OpenMode, PatientSearch, Store, StoreKey};
use uuid::Uuid;

const CHILD: &str = "TSUNAGU_EXIT_TEST_CHILD";
/// Without the hook about one child in six crashed (measured on a 2-core
/// machine), and each of four runs of forty caught it.
const RUNS: usize = 40;

fn main() {
    match std::env::var_os(CHILD) {
        Some(dir) => open_use_and_drop_stores(std::path::Path::new(&dir)),
        None => every_child_exits_cleanly(),
    }
}

fn every_child_exits_cleanly() {
    let me = std::env::current_exe().unwrap();
    let mut failures = Vec::new();
    for run in 0..RUNS {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new(&me).env(CHILD, dir.path()).status().unwrap();
        if !status.success() {
            failures.push(format!("run {run}: {status}"));
        }
    }
    assert!(
        failures.is_empty(),
        "processes that exited right after dropping a store failed: {failures:?}"
    );
    println!("{RUNS} processes exited cleanly right after dropping their stores");
}

fn open_use_and_drop_stores(dir: &std::path::Path) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        // Three stores: twelve connections closing at once.
        let stores = tokio::join!(
            busy_store(dir.join("1.db")),
            busy_store(dir.join("2.db")),
            busy_store(dir.join("3.db")),
        );
        drop(stores);
        // Straight to the C exit handlers, while the connections close.
        std::process::exit(0);
    });
}

/// A store with four connections open: one write, four reads at once.
async fn busy_store(path: std::path::PathBuf) -> Store {
    let store = Store::open_file(&path, &StoreKey::generate(), OpenMode::CreateNew)
        .await
        .unwrap();
    store
        .insert_patient(Uuid::now_v7(), &common::yamada(), "test", common::now())
        .await
        .unwrap();
    let search = PatientSearch {
        term: None,
        birth_date: None,
        chart_prefix: None,
        include_deleted: false,
        limit: 50,
    };
    let (a, b, c, d) = tokio::join!(
        store.search_patients(&search),
        store.search_patients(&search),
        store.search_patients(&search),
        store.search_patients(&search),
    );
    for page in [a, b, c, d] {
        assert_eq!(page.unwrap().patients.len(), 1);
    }
    store
}
