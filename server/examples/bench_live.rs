//! `make bench`: how fast news reaches open live streams. 1,000 devices
//! of one clinic hold `/v1/live` open against the real server (loopback
//! socket, its own PostgreSQL, the LISTEN/NOTIFY path); another push to the
//! clinic's feed is timed from the moment it is sent until each stream has
//! the event. Prints p50/p99/max over every (stream, push); the budget is
//! p99 ≤ 1 s. Figures only: no assertion on time.
//!
//! Every stream here is one clinic's devices; `bench_team` times the same
//! path for the portal's team pages (1,000 members, a post to one team).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::disallowed_methods,
    reason = "a benchmark prints its figures and stops on any failure"
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use serde_json::json;
use tokio::sync::mpsc;
use tsunagu_protocol::{OpBody, OrgKind, PROTOCOL_VERSION};
use tsunagu_server::api::{Limits, ServerState, router};
use tsunagu_server::db::{RUNTIME_ROLE, connect_and_migrate};
use tsunagu_server::local_pg::{Durability, LocalPostgres};
use uuid::Uuid;

const STREAMS: usize = 1000;
const PUSHES: usize = 20;
const BUDGET_P99: Duration = Duration::from_secs(1);

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
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
    let state = ServerState::new(pool.clone());
    state.live.start(pool.clone());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = axum_server::Handle::new();
    let serving = handle.clone();
    tokio::spawn(async move {
        tsunagu_server::api::serve(listener, None, router(state), &limits, serving)
            .await
            .unwrap();
    });
    println!("Tsunagu live-news benchmark: {STREAMS} open streams, {PUSHES} pushes");
    println!("budget: p99 <= {} ms", BUDGET_P99.as_millis());

    let clinic = tsunagu_server::admin::create_organisation(
        &pool,
        OrgKind::Clinic,
        "さくら内科クリニック",
        "admin:bench",
    )
    .await
    .unwrap();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let mut credentials = Vec::with_capacity(STREAMS);
    for i in 0..STREAMS {
        let code = tsunagu_server::admin::issue_enrollment_code(
            &pool,
            clinic.id,
            "admin:bench",
            Utc::now(),
        )
        .await
        .unwrap();
        let enrolled: serde_json::Value = http
            .post(format!("{base}/v1/enroll"))
            .json(&json!({"version": PROTOCOL_VERSION, "code": code, "device_name": format!("PC{i}")}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        credentials.push(format!(
            "{}.{}",
            enrolled["device_id"].as_str().unwrap(),
            enrolled["secret"].as_str().unwrap()
        ));
    }

    // Each stream reports (its index, the seq it heard) as it hears it.
    let (heard, mut hearing) = mpsc::unbounded_channel::<(usize, Instant)>();
    let (ready, mut readying) = mpsc::unbounded_channel::<()>();
    let http = Arc::new(http);
    for (i, credential) in credentials.iter().enumerate() {
        let (http, base, credential) = (http.clone(), base.clone(), credential.clone());
        let (heard, ready) = (heard.clone(), ready.clone());
        tokio::spawn(async move {
            let mut response = http
                .get(format!("{base}/v1/live"))
                .bearer_auth(credential)
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success(), "{}", response.status());
            let mut pending = String::new();
            while let Ok(Some(chunk)) = response.chunk().await {
                pending.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = pending.find("\n\n") {
                    let block: String = pending.drain(..end + 2).collect();
                    if block.contains("event: ready") {
                        let _ = ready.send(());
                    } else if block.contains("event: advanced") {
                        let _ = heard.send((i, Instant::now()));
                    }
                }
            }
        });
    }
    for _ in 0..STREAMS {
        readying.recv().await.unwrap();
    }
    println!("{STREAMS} streams open");

    let mut latencies = Vec::with_capacity(STREAMS * PUSHES);
    for n in 0..PUSHES {
        let body = json!({"version": PROTOCOL_VERSION, "ops": [{
        "op_seq": n + 1, "op_id": Uuid::now_v7(),
        "body": OpBody::PatientShared {
            patient_id: Uuid::now_v7(),
            name: "山田　太郎".into(),
            kana: "やまだ　たろう".into(),
            birth_date: NaiveDate::from_ymd_opt(1950, 4, 1).unwrap(),
            sex: "male".into(),
        }}]});
        let sent = Instant::now();
        let answer = http
            .post(format!("{base}/v1/push"))
            .bearer_auth(&credentials[0])
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success());
        for _ in 0..STREAMS {
            let (_, at) = tokio::time::timeout(Duration::from_secs(30), hearing.recv())
                .await
                .expect("every stream hears the push")
                .unwrap();
            latencies.push(at - sent);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
    let p99 = at(0.99);
    println!(
        "push → every open stream: p50 {} ms, p99 {} ms, max {} ms ({} deliveries)  {}",
        at(0.5).as_millis(),
        p99.as_millis(),
        latencies.last().unwrap().as_millis(),
        latencies.len(),
        if p99 <= BUDGET_P99 {
            "ok"
        } else {
            "OVER BUDGET"
        }
    );
    handle.graceful_shutdown(Some(Duration::from_secs(1)));
}
