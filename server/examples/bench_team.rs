//! `make bench`: the home-care team at the scale of a region (issue 16).
//!
//! 1. A region of 5,000 teams and 1,000,000 timeline entries in a real
//!    PostgreSQL: one team's timeline page, and a member's list of teams
//!    with unread counts, each timed through the whole portal request
//!    (session, access check, query, receipts, audit, page). Budgets:
//!    p99 ≤ 20 ms each.
//! 2. 1,000 members hold their team pages' live streams open; a post by
//!    another member is timed from the moment it is sent until each of its
//!    team's open streams hears it. Budget: p99 ≤ 1 s.
//!
//! Figures only: nothing here asserts a time.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::disallowed_methods,
    reason = "a benchmark prints its figures and stops on any failure"
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use sqlx::PgPool;
use tokio::sync::mpsc;
use tsunagu_server::api::{Limits, ServerState, router};
use tsunagu_server::db::{RUNTIME_ROLE, connect, connect_and_migrate};
use tsunagu_server::local_pg::{Durability, LocalPostgres};
use uuid::Uuid;

#[path = "support/mod.rs"]
mod support;
use support::{report, session_for};

const TEAMS: i64 = 5_000;
const ENTRIES_PER_TEAM: i64 = 200;
/// Each team: the clinic and three members (nurse, care manager, pharmacy).
const STREAM_TEAMS: i64 = 250;
const MEMBERS_PER_STREAM_TEAM: i64 = 4;
const POSTS: usize = 40;
const SAMPLES: usize = 300;

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
    println!("Tsunagu team benchmark");
    let started = Instant::now();
    fill_region(&owner).await;
    println!(
        "region: {TEAMS} teams, {} timeline entries (built in {:.0} s)",
        TEAMS * ENTRIES_PER_TEAM,
        started.elapsed().as_secs_f64()
    );

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
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();

    // (1) Reads. The nurse station of team 1 is on 40 teams.
    let (nurse_token, team) = nurse_of_busy_station(&owner).await;
    let cookie = format!("tsunagu_session={nurse_token}");
    let client = reqwest::Client::new();
    let page = format!("{base}/portal/teams/{team}");
    let list = format!("{base}/portal/teams");
    for url in [&page, &list] {
        let answer = client
            .get(url)
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "{url}");
    }
    for (label, url) in [
        ("one timeline page (50 entries)", &page),
        ("a member's list of teams with unread counts", &list),
    ] {
        let mut times = Vec::with_capacity(SAMPLES);
        for _ in 0..SAMPLES {
            let at = Instant::now();
            let answer = client
                .get(url.as_str())
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), 200);
            let _ = answer.bytes().await.unwrap();
            times.push(at.elapsed());
        }
        report(label, &mut times, Duration::from_millis(20));
    }

    // (2) Live: 1,000 open team pages.
    let streams = stream_members(&owner).await;
    let (heard, mut hearing) = mpsc::unbounded_channel::<(usize, Uuid, Instant)>();
    let (ready, mut readying) = mpsc::unbounded_channel::<()>();
    let http = Arc::new(http);
    for (index, (token, team)) in streams.iter().enumerate() {
        let (http, base, token, team) = (http.clone(), base.clone(), token.clone(), *team);
        let (heard, ready) = (heard.clone(), ready.clone());
        tokio::spawn(async move {
            let mut response = http
                .get(format!("{base}/portal/live?team={team}"))
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
                        let _ = heard.send((index, team, Instant::now()));
                    }
                }
            }
        });
    }
    for _ in 0..streams.len() {
        readying.recv().await.unwrap();
    }
    println!("{} team pages open on their live streams", streams.len());
    let mut latencies = Vec::new();
    for n in 0..POSTS {
        let (author_token, team) = &streams[(n * 37) % streams.len()];
        let listeners = streams.iter().filter(|(_, t)| t == team).count();
        let csrf: String =
            sqlx::query_scalar("SELECT csrf_token FROM portal_sessions WHERE token_sha256 = $1")
                .bind(hex::encode(Sha256::digest(author_token.as_bytes())))
                .fetch_one(&owner)
                .await
                .unwrap();
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .text("kind", "note")
            .text("body", format!("本日の様子 {n}"));
        let sent = Instant::now();
        let answer = http
            .post(format!("{base}/portal/teams/{team}/posts"))
            .header("cookie", format!("tsunagu_session={author_token}"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        // The form answers with a redirect to the page, which the client follows.
        assert!(answer.status().is_success(), "{}", answer.status());
        // The first event each of the team's pages hears after the post
        // (the author's own page view then records receipts, which the
        // pages hear too, and ignore).
        let mut waiting: std::collections::HashSet<usize> = streams
            .iter()
            .enumerate()
            .filter(|(_, (_, t))| t == team)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(waiting.len(), listeners);
        while !waiting.is_empty() {
            let (index, _, at) = tokio::time::timeout(Duration::from_secs(30), hearing.recv())
                .await
                .expect("every open page of the team hears the post")
                .unwrap();
            if waiting.remove(&index) {
                latencies.push(at - sent);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        while hearing.try_recv().is_ok() {}
    }
    report(
        &format!(
            "a post → its team's open pages ({} streams open)",
            streams.len()
        ),
        &mut latencies,
        Duration::from_secs(1),
    );
    handle.graceful_shutdown(Some(Duration::from_secs(1)));
}

/// Clinics, stations, patients with consent, teams with members and a
/// million entries, written as the server would have written them.
async fn fill_region(owner: &PgPool) {
    let statements = [
        // 500 clinics, 300 visiting nurse stations, 300 care offices, 200 pharmacies.
        "INSERT INTO organisations (id, kind, name)
         SELECT md5('org' || k || i)::uuid, k, k || ' ' || i
         FROM (VALUES ('clinic', 500), ('visiting_nurse_station', 300),
                      ('care_management_office', 300), ('pharmacy', 200)) AS kinds(k, n),
              generate_series(1, n) AS i",
        "INSERT INTO patients (id, clinic_id, name, kana, birth_date, sex)
         SELECT md5('patient' || i)::uuid, md5('orgclinic' || (1 + i % 500))::uuid,
                '患者 ' || i, 'かんじゃ ' || i, date '1940-01-01' + (i % 9000), 'female'
         FROM generate_series(1, 5000) AS i",
        "INSERT INTO consents (id, patient_id, clinic_id, obtained_on, obtained_by, desk,
           destination_hospital, team)
         SELECT md5('consent' || i)::uuid, md5('patient' || i)::uuid,
                md5('orgclinic' || (1 + i % 500))::uuid, date '2026-01-10', '医師', false, false, true
         FROM generate_series(1, 5000) AS i",
        "INSERT INTO teams (id, patient_id, clinic_id, last_seq)
         SELECT md5('team' || i)::uuid, md5('patient' || i)::uuid,
                md5('orgclinic' || (1 + i % 500))::uuid, 200
         FROM generate_series(1, 5000) AS i",
        // The owner, a nurse station, a care office and a pharmacy on each.
        "INSERT INTO team_members (id, team_id, organisation_id, role, state)
         SELECT md5('member' || m || i)::uuid, md5('team' || i)::uuid,
                CASE m WHEN 0 THEN md5('orgclinic' || (1 + i % 500))::uuid
                       WHEN 1 THEN md5('orgvisiting_nurse_station' || (1 + i % 300))::uuid
                       WHEN 2 THEN md5('orgcare_management_office' || (1 + i % 300))::uuid
                       ELSE md5('orgpharmacy' || (1 + i % 200))::uuid END,
                (ARRAY['primary_physician', 'visiting_nurse', 'care_manager', 'pharmacist'])[m + 1],
                'active'
         FROM generate_series(1, 5000) AS i, generate_series(0, 3) AS m",
        "INSERT INTO team_entries (id, team_id, seq, kind, body, author_member, author, author_actor)
         SELECT md5('entry' || i || '-' || s)::uuid, md5('team' || i)::uuid, s,
                (ARRAY['note', 'visit_report', 'note', 'request'])[1 + s % 4],
                '訪問しました。食事は半分ほど、夜はよく眠れているとのことです。' || s,
                md5('member' || (s % 4) || i)::uuid, '訪問看護ステーション 看護師 田中', 'user:bench'
         FROM generate_series(1, 5000) AS i, generate_series(1, 200) AS s",
        "INSERT INTO team_requests (entry_id, team_id, state, asker)
         SELECT id, team_id, CASE WHEN seq > 190 THEN 'open' ELSE 'answered' END, author_member
         FROM team_entries WHERE kind = 'request'",
        "ANALYZE",
    ];
    // Building a million rows takes longer than a request may.
    let mut conn = owner.acquire().await.unwrap();
    sqlx::query("SET statement_timeout = 0")
        .execute(&mut *conn)
        .await
        .unwrap();
    for sql in statements {
        sqlx::query(sql).execute(&mut *conn).await.unwrap();
    }
}

/// The nurse of station 2 (on the 16 or 17 teams of patients i with
/// i % 300 = 1), and one of its teams.
async fn nurse_of_busy_station(owner: &PgPool) -> (String, Uuid) {
    let station: Uuid = sqlx::query_scalar("SELECT md5('orgvisiting_nurse_station2')::uuid")
        .fetch_one(owner)
        .await
        .unwrap();
    let team: Uuid = sqlx::query_scalar(
        "SELECT team_id FROM team_members WHERE organisation_id = $1 ORDER BY team_id LIMIT 1",
    )
    .bind(station)
    .fetch_one(owner)
    .await
    .unwrap();
    (
        session_for(owner, station, "bench.nurse", "staff", "nurse").await,
        team,
    )
}

/// 1,000 people, each with its team's page open: the four members of 250
/// teams.
async fn stream_members(owner: &PgPool) -> Vec<(String, Uuid)> {
    let rows: Vec<(Uuid, Uuid, String)> = sqlx::query_as(
        "SELECT m.team_id, m.organisation_id, m.role FROM team_members m
         WHERE m.team_id IN (SELECT md5('team' || i)::uuid FROM generate_series(1, $1) AS i)
         ORDER BY m.team_id, m.role",
    )
    .bind(STREAM_TEAMS as i32)
    .fetch_all(owner)
    .await
    .unwrap();
    assert_eq!(rows.len() as i64, STREAM_TEAMS * MEMBERS_PER_STREAM_TEAM);
    let mut streams = Vec::with_capacity(rows.len());
    for (n, (team, organisation, role)) in rows.into_iter().enumerate() {
        let profession = match role.as_str() {
            "primary_physician" => "physician",
            "visiting_nurse" => "nurse",
            "care_manager" => "care_manager",
            _ => "pharmacist",
        };
        let token = session_for(
            owner,
            organisation,
            &format!("member{n}"),
            "staff",
            profession,
        )
        .await;
        streams.push((token, team));
    }
    streams
}
