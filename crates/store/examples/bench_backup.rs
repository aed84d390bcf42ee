//! A backup and a restore of a busy clinic's store: 100,000 patients and
//! 20,000 referrals (with their histories), encrypted. Budgets: backup
//! ≤ 30 s, restore (onto an empty keyring, re-keyed) ≤ 60 s.
//!
//! `make bench`, i.e. under `dbus-run-session -- scripts/test-session.sh`
//! (the restore saves its new key in the keyring):
//! `cargo run --release -p tsunagu-store --example bench_backup`.
//! Environment: `BENCH_PATIENTS` (default 100000), `BENCH_REFERRALS`
//! (default 20000), `BENCH_SEED`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::disallowed_methods,
    reason = "a benchmark: it stops at the first failure, reports on stdout and stamps data with the real clock"
)]

use std::time::Instant;

use chrono::{Days, NaiveDate, Utc};
use rand::Rng;
use tsunagu_store::{
    BackupKey, BackupSecrets, KeyringKeys, OpenMode, Store, StoreKey, StoreLocation,
};
use tsunagu_testkit::referral_data;
use uuid::Uuid;

const BACKUP_BUDGET_S: f64 = 30.0;
const RESTORE_BUDGET_S: f64 = 60.0;
const PASSPHRASE: &str = "ベンチマーク用の復旧パスフレーズ";

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let patients_n = env("BENCH_PATIENTS", 100_000);
    let referrals_n = env("BENCH_REFERRALS", 20_000);
    let seed = env("BENCH_SEED", 20_261_124) as u64;
    println!(
        "Tsunagu backup benchmark: {patients_n} patients, {referrals_n} referrals, seed {seed}"
    );
    println!("budget: backup <= {BACKUP_BUDGET_S} s, restore <= {RESTORE_BUDGET_S} s");
    KeyringKeys::check_available().expect(
        "the restore needs a Secret Service: run under scripts/test-session.sh (make bench)",
    );

    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_file(
        &dir.path().join("tsunagu.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .unwrap();
    let filling = Instant::now();
    let mut rng = referral_data::rng(seed);
    let patients = referral_data::patients(&store, patients_n, &mut rng, today).await;
    let mut batch = Vec::new();
    for _ in 0..referrals_n {
        let patient = patients[rng.random_range(0..patients.len())];
        let sent = today - Days::new(rng.random_range(0..3650));
        let target = 3 + rng.random_range(0..10);
        batch.push(referral_data::referral(
            patient, sent, target, today, &mut rng,
        ));
        if batch.len() == 1000 {
            store.import_referrals(&batch).await.unwrap();
            batch.clear();
        }
    }
    store.import_referrals(&batch).await.unwrap();
    let db_size = std::fs::metadata(dir.path().join("tsunagu.db"))
        .unwrap()
        .len();
    println!(
        "filled in {:.1} s; database {:.1} MiB",
        filling.elapsed().as_secs_f64(),
        db_size as f64 / 1048576.0
    );

    let key = BackupKey::from_new_passphrase(PASSPHRASE).unwrap();
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("bench.tsunagu-backup");
    let started = Instant::now();
    store
        .write_backup(
            &target,
            &key,
            "bench",
            &BackupSecrets::default(),
            Utc::now(),
        )
        .await
        .unwrap();
    let backup_s = started.elapsed().as_secs_f64();
    let backup_size = std::fs::metadata(&target).unwrap().len();
    store.close().await;

    let keys = KeyringKeys::new(format!("jp.tsunagu.bench.{}", Uuid::now_v7()));
    let new_pc = tempfile::tempdir().unwrap();
    let location = StoreLocation::new(new_pc.path().join("data"));
    let started = Instant::now();
    let (restored, _) = location
        .restore_backup(&target, PASSPHRASE, &keys)
        .await
        .unwrap();
    let restore_s = started.elapsed().as_secs_f64();
    let one = restored.patient(patients[patients.len() / 2]).await;
    assert!(one.is_ok(), "the restored store holds the patients");
    restored.close().await;
    let _ = keys.delete(&location.read_store_id().unwrap());

    let verdict = |s: f64, budget: f64| if s <= budget { "ok" } else { "OVER BUDGET" };
    println!(
        "backup:  {backup_s:.1} s ({:.1} MiB written)  {}",
        backup_size as f64 / 1048576.0,
        verdict(backup_s, BACKUP_BUDGET_S)
    );
    println!(
        "restore: {restore_s:.1} s (includes Argon2id and re-keying)  {}",
        verdict(restore_s, RESTORE_BUDGET_S)
    );
}
