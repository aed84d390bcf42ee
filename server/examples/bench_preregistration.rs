//! `make bench`: 事前登録 at the scale of a region (issue 17). 200,000
//! pre-registered home patients in a real PostgreSQL; a hospital's liaison
//! looks one up by whole name and birth date, timed through the whole
//! portal request (session, CSRF, the form's checks, the attempt counted
//! and given back, the query, the audit row, the page). Budget: p99 ≤
//! 20 ms.
//!
//! Figures only: nothing here asserts a time.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::disallowed_methods,
    reason = "a benchmark prints its figures and stops on any failure"
)]

use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use sqlx::PgPool;
use tsunagu_server::api::{Limits, ServerState, router};
use tsunagu_server::db::{RUNTIME_ROLE, connect, connect_and_migrate};
use tsunagu_server::local_pg::{Durability, LocalPostgres};
use uuid::Uuid;

#[path = "support/mod.rs"]
mod support;
use support::{report, session_for};

const PATIENTS: i64 = 200_000;
const SAMPLES: usize = 500;

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
    println!("Tsunagu pre-registration benchmark");
    let started = Instant::now();
    let hospital = fill_region(&owner).await;
    println!(
        "region: {PATIENTS} pre-registered patients (built in {:.0} s)",
        started.elapsed().as_secs_f64()
    );

    let state = ServerState::new(pool.clone());
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

    let token = session_for(&owner, hospital, "bench.liaison", "liaison", "liaison").await;
    let csrf: String =
        sqlx::query_scalar("SELECT csrf_token FROM portal_sessions WHERE token_sha256 = $1")
            .bind(hex::encode(Sha256::digest(token.as_bytes())))
            .fetch_one(&owner)
            .await
            .unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut times = Vec::with_capacity(SAMPLES);
    for n in 0..SAMPLES + 20 {
        // Patients spread over the region, typed in katakana.
        let i = 1 + (n as i64 * 7_919) % PATIENTS;
        let (name, birth) = identity(i);
        let at = Instant::now();
        let answer = client
            .post(format!("{base}/portal/preregistered"))
            .header("cookie", format!("tsunagu_session={token}"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("name", name.as_str()),
                ("birth_date", birth.as_str()),
                ("sex", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "patient {i}");
        let page = answer.text().await.unwrap();
        assert!(page.contains("pr-found"), "patient {i} found");
        // The first requests warm the connection and the caches.
        if n >= 20 {
            times.push(at.elapsed());
        }
    }
    report(
        &format!("a liaison's look-up among {PATIENTS} pre-registered patients"),
        &mut times,
        Duration::from_millis(20),
    );
    handle.graceful_shutdown(Some(Duration::from_secs(1)));
}

/// Patient `i`'s name as the liaison types it (katakana, with a space)
/// and birth date: the same as `fill_region` stores.
fn identity(i: i64) -> (String, String) {
    let birth =
        chrono::NaiveDate::from_ymd_opt(1930, 1, 1).unwrap() + chrono::Duration::days(i % 20_000);
    (format!("ヤマダ タロウ{i}"), birth.to_string())
}

/// 1,000 clinics, a hospital, and the patients with consents that
/// pre-register them with every hospital; their keys as the server
/// writes them (`preregistration::name_keys`: hiragana, no spaces). The
/// hospital's id.
async fn fill_region(owner: &PgPool) -> Uuid {
    let statements = [
        "INSERT INTO organisations (id, kind, name, phone)
         SELECT md5('clinic' || i)::uuid, 'clinic', 'クリニック ' || i, '03-0000-' || i
         FROM generate_series(1, 1000) AS i",
        "INSERT INTO organisations (id, kind, name) VALUES (md5('hospital')::uuid, 'hospital', '北病院')",
        "INSERT INTO patients (id, clinic_id, name, kana, birth_date, sex, name_key, kana_key)
         SELECT md5('patient' || i)::uuid, md5('clinic' || (1 + i % 1000))::uuid,
                '山田 太郎' || i, 'やまだ たろう' || i, date '1930-01-01' + (i % 20000)::int,
                CASE WHEN i % 2 = 0 THEN 'male' ELSE 'female' END,
                '山田太郎' || i, 'やまだたろう' || i
         FROM generate_series(1, 200000) AS i",
        "INSERT INTO consents (id, patient_id, clinic_id, obtained_on, obtained_by, desk,
           destination_hospital, team, preregistration)
         SELECT md5('consent' || i)::uuid, md5('patient' || i)::uuid,
                md5('clinic' || (1 + i % 1000))::uuid, date '2026-01-10', '医師', false, false,
                true, true
         FROM generate_series(1, 200000) AS i",
        "ANALYZE",
    ];
    let mut conn = owner.acquire().await.unwrap();
    sqlx::query("SET statement_timeout = 0")
        .execute(&mut *conn)
        .await
        .unwrap();
    for sql in statements {
        sqlx::query(sql).execute(&mut *conn).await.unwrap();
    }
    sqlx::query_scalar("SELECT md5('hospital')::uuid")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}
