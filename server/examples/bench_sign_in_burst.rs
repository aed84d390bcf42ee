//! `make bench`: a burst of 500 sign-ins at once against the real server
//! (on a loopback socket, over its own PostgreSQL), each from its own
//! address (through a trusted proxy's `X-Forwarded-For`, so that the
//! per-address waits do not hide the hashing). Prints the process's peak
//! memory (the goal: at most 512 MiB) and how fast the answers came,
//! against what the CPUs allow (one Argon2id check per CPU at a time).
//! Figures only: no assertion on time.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::disallowed_methods,
    reason = "a benchmark prints its figures and stops on any failure"
)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tsunagu_server::api::{Limits, ServerState, router};
use tsunagu_server::db::{RUNTIME_ROLE, connect_and_migrate};
use tsunagu_server::local_pg::{Durability, LocalPostgres};

const BURST: usize = 500;

/// Peak resident memory of this process so far, in MiB.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kib / 1024.0
}

async fn exchange(address: SocketAddr, request: String) -> String {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let cluster = LocalPostgres::start(dir.path(), Durability::Throwaway).unwrap();
    let pool = connect_and_migrate(
        &cluster.url("tsunagu"),
        &cluster.url_as(RUNTIME_ROLE, "tsunagu"),
    )
    .await
    .unwrap();
    let limits = Limits::default();
    let state = ServerState {
        trusted_proxy: Some([127, 0, 0, 1].into()),
        limits: limits.clone(),
        ..ServerState::new(pool.clone())
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let address = listener.local_addr().unwrap();
    let handle = axum_server::Handle::new();
    let serving = handle.clone();
    tokio::spawn(async move {
        tsunagu_server::api::serve(listener, None, router(state), &limits, serving)
            .await
            .unwrap();
    });

    // One check alone: what a CPU takes per sign-in.
    let started = Instant::now();
    let hash = tsunagu_server::users::hash_password("a long enough password").unwrap();
    tsunagu_server::users::verify_password("wrong", &hash);
    let alone = started.elapsed() / 2;
    let cpus = std::thread::available_parallelism().map_or(1, usize::from);

    let page = exchange(
        address,
        "GET /portal/login HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".into(),
    )
    .await;
    let csrf = page
        .split("tsunagu_login=")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .unwrap()
        .to_string();
    let before = peak_mib();

    let started = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..BURST {
        let csrf = csrf.clone();
        set.spawn(async move {
            let body = format!("login=nobody{i}&password=guess{i}&csrf={csrf}");
            let request = format!(
                "POST /portal/login HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\
                 Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
                 Cookie: tsunagu_login={csrf}\r\nX-Forwarded-For: 10.{}.{}.{}\r\n\r\n{body}",
                body.len(),
                i / 65536,
                (i / 256) % 256,
                i % 256,
            );
            let sent = Instant::now();
            let answer = exchange(address, request).await;
            let status = answer.get(9..12).unwrap_or("---").to_string();
            (status, sent.elapsed())
        });
    }
    let mut statuses: BTreeMap<String, (usize, Duration)> = BTreeMap::new();
    while let Some(answer) = set.join_next().await {
        let (status, took) = answer.unwrap();
        let entry = statuses.entry(status).or_default();
        entry.0 += 1;
        entry.1 = entry.1.max(took);
    }
    let elapsed = started.elapsed();
    let checked = statuses.get("401").map_or(0, |s| s.0);

    println!("sign-in burst: {BURST} at once, {cpus} CPUs");
    println!(
        "  peak memory: {before:.0} MiB before, {:.0} MiB during (goal ≤ 512 MiB)",
        peak_mib()
    );
    for (status, (count, slowest)) in &statuses {
        println!("  {status}: {count} answers, the slowest after {slowest:.2?}");
    }
    println!(
        "  {checked} passwords checked in {elapsed:.2?}: {:.1}/s; the CPUs allow about {:.1}/s ({alone:.2?} per check alone)",
        checked as f64 / elapsed.as_secs_f64(),
        cpus as f64 / alone.as_secs_f64(),
    );
    handle.shutdown();
    pool.close().await;
}
