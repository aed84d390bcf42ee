//! `make bench`: an answer to a discharge request reaches the liaison's
//! open page (issue 17), by the method of `bench_team`'s live figure.
//! 1,000 liaison officers of 50 hospitals each hold a referral page open
//! on its live stream, each page waiting for the answer to its own
//! 退院後の在宅医療の相談; the family doctor's clinic device pushes answers
//! one at a time, each timed from the moment it is sent until the page of
//! that referral hears it. Budget: p99 ≤ 1 s. Figures only: nothing here
//! asserts a time.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::disallowed_methods,
    reason = "a benchmark prints its figures and stops on any failure"
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::json;
use sqlx::PgPool;
use tokio::sync::mpsc;
use tsunagu_protocol::{OpBody, OrgKind, PROTOCOL_VERSION, WireAnswer, WireAuthor};
use tsunagu_server::api::{Limits, ServerState, router};
use tsunagu_server::db::{RUNTIME_ROLE, connect, connect_and_migrate};
use tsunagu_server::local_pg::{Durability, LocalPostgres};
use uuid::Uuid;

#[path = "support/mod.rs"]
mod support;
use support::{report, session_for};

const HOSPITALS: i64 = 50;
const PAGES: i64 = 1_000;
const ANSWERS: usize = 60;

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
    let owner = connect(&cluster.url("tsunagu")).await.unwrap();
    println!("Tsunagu discharge-request benchmark: {PAGES} referral pages open, {ANSWERS} answers");

    let state = ServerState::new(pool.clone());
    state.live.start(pool.clone());
    let limits = Limits::default();
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
    let http = Arc::new(
        reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap(),
    );

    let clinic = tsunagu_server::admin::create_organisation(
        &pool,
        OrgKind::Clinic,
        "さくら内科クリニック",
        "admin:bench",
    )
    .await
    .unwrap();
    let code =
        tsunagu_server::admin::issue_enrollment_code(&pool, clinic.id, "admin:bench", Utc::now())
            .await
            .unwrap();
    let enrolled: serde_json::Value = http
        .post(format!("{base}/v1/enroll"))
        .json(&json!({"version": PROTOCOL_VERSION, "code": code, "device_name": "診察室PC"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let credential = format!(
        "{}.{}",
        enrolled["device_id"].as_str().unwrap(),
        enrolled["secret"].as_str().unwrap()
    );
    let pages = fill(&owner, clinic.id).await;

    // Each page reports (its index) when it hears news.
    let (heard, mut hearing) = mpsc::unbounded_channel::<(usize, Instant)>();
    let (ready, mut readying) = mpsc::unbounded_channel::<()>();
    for (index, (token, referral, _)) in pages.iter().enumerate() {
        let (http, base, token, referral) = (http.clone(), base.clone(), token.clone(), *referral);
        let (heard, ready) = (heard.clone(), ready.clone());
        tokio::spawn(async move {
            let mut response = http
                .get(format!("{base}/portal/live?referral={referral}"))
                .header("cookie", format!("tsunagu_session={token}"))
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
                        let _ = heard.send((index, Instant::now()));
                    }
                }
            }
        });
    }
    for _ in 0..pages.len() {
        readying.recv().await.unwrap();
    }
    println!("{} referral pages open on their live streams", pages.len());

    let mut latencies = Vec::with_capacity(ANSWERS);
    for n in 0..ANSWERS {
        let index = (n * 17) % pages.len();
        let (_, _, request) = &pages[index];
        let body = json!({"version": PROTOCOL_VERSION, "ops": [{
        "op_seq": n + 1, "op_id": Uuid::now_v7(),
        "body": OpBody::DischargeRequestAnswered(WireAnswer {
            request_id: *request,
            answer: "accept".into(),
            text: String::new(),
            by: WireAuthor { name: "佐藤 一郎".into(), profession: "physician".into() },
        })}]});
        let sent = Instant::now();
        let answer = http
            .post(format!("{base}/v1/push"))
            .bearer_auth(&credential)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "{}", answer.status());
        let outcome: serde_json::Value = answer.json().await.unwrap();
        assert_eq!(
            outcome["results"][0]["outcome"]["outcome"], "applied",
            "{outcome}"
        );
        let (heard_by, at) = tokio::time::timeout(Duration::from_secs(30), hearing.recv())
            .await
            .expect("the referral's open page hears the answer")
            .unwrap();
        assert_eq!(heard_by, index, "only that referral's page hears it");
        latencies.push(at - sent);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    report(
        &format!(
            "an answer → the liaison's open referral page ({} pages open)",
            pages.len()
        ),
        &mut latencies,
        Duration::from_secs(1),
    );
    handle.graceful_shutdown(Some(Duration::from_secs(1)));
}

/// 50 hospitals; 1,000 admitted patients of the clinic, each with an open
/// discharge request and a liaison with its page open: (cookie token,
/// referral, request).
async fn fill(owner: &PgPool, clinic: Uuid) -> Vec<(String, Uuid, Uuid)> {
    let statements = [
        "INSERT INTO organisations (id, kind, name)
         SELECT md5('hospital' || i)::uuid, 'hospital', '病院 ' || i
         FROM generate_series(1, $2) AS i",
        "INSERT INTO patients (id, clinic_id, name, kana, birth_date, sex)
         SELECT md5('patient' || i)::uuid, $1, '患者 ' || i, 'かんじゃ ' || i,
                date '1940-01-01' + i, 'female'
         FROM generate_series(1, $3) AS i",
        "INSERT INTO consents (id, patient_id, clinic_id, obtained_on, obtained_by, desk,
           destination_hospital, team)
         SELECT md5('consent' || i)::uuid, md5('patient' || i)::uuid, $1, date '2026-01-10',
                '医師', true, true, true
         FROM generate_series(1, $3) AS i",
        "INSERT INTO referrals (id, clinic_id, patient_id, tracking_code, hospital_id)
         SELECT md5('referral' || i)::uuid, $1, md5('patient' || i)::uuid,
                'B' || lpad(i::text, 8, '0'), md5('hospital' || (1 + i % $2))::uuid
         FROM generate_series(1, $3) AS i",
        "INSERT INTO discharge_requests (id, referral_id, hospital_id, clinic_id, expected_date,
           reply_by, needs, state, sent_by, sent_by_actor)
         SELECT md5('request' || i)::uuid, md5('referral' || i)::uuid,
                md5('hospital' || (1 + i % $2))::uuid, $1, current_date + 30, current_date + 10,
                '{home_oxygen}', 'open', '病院 連携室 山本', 'user:bench'
         FROM generate_series(1, $3) AS i",
        "ANALYZE",
    ];
    for sql in statements {
        sqlx::query(sql)
            .bind(clinic)
            .bind(HOSPITALS as i32)
            .bind(PAGES as i32)
            .execute(owner)
            .await
            .unwrap();
    }
    let mut pages = Vec::with_capacity(PAGES as usize);
    for i in 1..=PAGES {
        let (referral, request, hospital): (Uuid, Uuid, Uuid) = sqlx::query_as(
            "SELECT md5('referral' || $1)::uuid, md5('request' || $1)::uuid,
                    md5('hospital' || (1 + $1 % $2))::uuid",
        )
        .bind(i as i32)
        .bind(HOSPITALS as i32)
        .fetch_one(owner)
        .await
        .unwrap();
        let token = session_for(
            owner,
            hospital,
            &format!("liaison{i}"),
            "liaison",
            "liaison",
        )
        .await;
        pages.push((token, referral, request));
    }
    pages
}
