//! The administrator's audit search at a region's scale: 300,000 audit
//! rows (views, one-row-per-page lists and pulls naming their referrals,
//! events) over 5,000 patients and 20,000 referrals, seeded through the
//! chain trigger as the server writes them; then each search the page
//! offers, as the page runs it (`tsunagu_server::audit::read`, as the
//! runtime role, under its statement timeout), and `verify-audit`'s walk.
//!
//! `cargo run --release -p tsunagu-server --example bench_audit`
//! Environment: `BENCH_AUDIT_ROWS` (300000), `BENCH_AUDIT_RUNS` per
//! search (5). Before issue 15, a search by patient name took 38 s.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a benchmark: it stops at the first failure and reports on stdout"
)]

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use tsunagu_server::audit::{ChainReport, Search, read, verify_chain};
use tsunagu_server::db::{RUNTIME_ROLE, connect, connect_and_migrate};
use tsunagu_server::local_pg::{Durability, LocalPostgres};

fn env_or(name: &str, default: i64) -> i64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The organisations, people, devices, patients and referrals the rows
/// are about; then the audit rows themselves, in one statement.
const SEED: &[&str] = &[
    "INSERT INTO organisations (id, kind, name) VALUES
       ('00000000-0000-7000-8000-000000000001', 'desk', '豊島区在宅医療相談窓口'),
       ('00000000-0000-7000-8000-000000000002', 'clinic', 'さくら内科クリニック'),
       ('00000000-0000-7000-8000-000000000003', 'hospital', '豊島中央病院')",
    "INSERT INTO users (id, organisation_id, login, display_name, role, password_hash)
     SELECT ('00000000-0000-7000-8001-' || lpad(i::text, 12, '0'))::uuid,
            '00000000-0000-7000-8000-000000000001', 'staff' || i, '職員 ' || i, 'desk', 'x'
     FROM generate_series(1, 20) i",
    "INSERT INTO devices (id, organisation_id, name, secret_sha256)
     SELECT ('00000000-0000-7000-8002-' || lpad(i::text, 12, '0'))::uuid,
            '00000000-0000-7000-8000-000000000002', 'PC' || i, 'x'
     FROM generate_series(1, 10) i",
    "INSERT INTO patients (id, clinic_id, name, kana, birth_date, sex)
     SELECT ('00000000-0000-7000-8003-' || lpad(i::text, 12, '0'))::uuid,
            '00000000-0000-7000-8000-000000000002',
            (ARRAY['山田','佐藤','鈴木','高橋','田中','伊藤','渡辺','中村','小林','加藤',
                   '吉田','山本','松本','井上','木村','林','斎藤','清水','山口','森'])[1 + i % 20]
              || '　' || (ARRAY['太郎','花子','一郎','和子','次郎','幸子','三郎','節子','健一','洋子',
                   '誠','恵子','茂','京子','博','美智子','実','弘子','清','久美子','勇','順子',
                   '進','悦子','豊'])[1 + (i / 20) % 25] || i,
            (ARRAY['やまだ','さとう','すずき','たかはし','たなか','いとう','わたなべ','なかむら',
                   'こばやし','かとう','よしだ','やまもと','まつもと','いのうえ','きむら','はやし',
                   'さいとう','しみず','やまぐち','もり'])[1 + i % 20] || '　なまえ' || i,
            DATE '1930-01-01' + (i * 37) % 20000, 'female'
     FROM generate_series(1, 5000) i",
    "INSERT INTO referrals (id, clinic_id, patient_id, tracking_code)
     SELECT ('00000000-0000-7000-8004-' || lpad(i::text, 12, '0'))::uuid,
            '00000000-0000-7000-8000-000000000002',
            ('00000000-0000-7000-8003-' || lpad((1 + i % 5000)::text, 12, '0'))::uuid,
            'T' || i
     FROM generate_series(1, 20000) i",
];

/// Audit rows over a year, newest last: 60 % views of one referral, 10 %
/// portal lists naming 30 referrals, 20 % pulls naming 5, 10 % events.
const AUDIT_ROWS: &str = "
    INSERT INTO audit_log (at, actor, action, entity_kind, entity_id, address, shown)
    SELECT now() - make_interval(secs => ($1 - i) * 100),
      CASE WHEN i % 10 IN (6, 7) THEN 'device:00000000-0000-7000-8002-' || lpad((1 + i % 10)::text, 12, '0')
           ELSE 'user:00000000-0000-7000-8001-' || lpad((1 + i % 20)::text, 12, '0') END,
      CASE WHEN i % 10 < 6 THEN 'view' WHEN i % 10 = 9 THEN 'append-event'
           WHEN i % 10 = 8 THEN 'list' ELSE 'read' END,
      'referral',
      CASE WHEN i % 10 IN (6, 7, 8) THEN ''
           ELSE '00000000-0000-7000-8004-' || lpad((1 + (i * 7919) % 20000)::text, 12, '0') END,
      '192.0.2.' || (i % 250),
      CASE WHEN i % 10 IN (6, 7, 8) THEN ARRAY(
             SELECT '00000000-0000-7000-8004-' || lpad((1 + (i * 31 + k) % 20000)::text, 12, '0')
             FROM generate_series(1, CASE WHEN i % 10 = 8 THEN 30 ELSE 5 END) k) END
    FROM generate_series($2, $3) i";

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

#[tokio::main]
async fn main() {
    let rows = env_or("BENCH_AUDIT_ROWS", 300_000);
    let runs = env_or("BENCH_AUDIT_RUNS", 5).max(1) as usize;
    let dir = tempfile::tempdir().unwrap();
    let cluster = LocalPostgres::start(dir.path(), Durability::Throwaway).unwrap();
    let pool = connect_and_migrate(
        &cluster.url("tsunagu"),
        &cluster.url_as(RUNTIME_ROLE, "tsunagu"),
    )
    .await
    .unwrap();
    let owner = connect(&cluster.url("tsunagu")).await.unwrap();
    let mut seeding = owner.begin().await.unwrap();
    sqlx::query("SET LOCAL statement_timeout = 0")
        .execute(&mut *seeding)
        .await
        .unwrap();
    for sql in SEED {
        sqlx::query(*sql).execute(&mut *seeding).await.unwrap();
    }
    seeding.commit().await.unwrap();
    // In transactions of 100 rows, as the server writes a few at a time:
    // the chain's head row is updated per row, and one transaction's
    // versions of it can only be pruned once it ends.
    let started = Instant::now();
    for first in (1..=rows).step_by(100) {
        sqlx::query(AUDIT_ROWS)
            .bind(rows)
            .bind(first)
            .bind((first + 99).min(rows))
            .execute(&owner)
            .await
            .unwrap();
    }
    let seeded = started.elapsed();
    sqlx::query("ANALYZE").execute(&owner).await.unwrap();
    println!(
        "audit search bench: {rows} rows seeded through the chain trigger in {:.1} s ({:.0} rows/s)",
        seeded.as_secs_f64(),
        rows as f64 / seeded.as_secs_f64()
    );

    let month = (
        NaiveDate::from_ymd_opt(2026, 1, 1),
        NaiveDate::from_ymd_opt(2026, 1, 31),
    );
    let searches: [(&str, Search); 7] = [
        ("newest page, no filter", search("", "", (None, None))),
        (
            "patient surname (1 in 20 patients)",
            search("", "山田", (None, None)),
        ),
        (
            "patient full name (1 patient)",
            search("", "山田　太郎500", (None, None)),
        ),
        ("patient reading", search("", "やまだ", (None, None))),
        (
            "patient not found",
            search("", "存在しない名前", (None, None)),
        ),
        ("person (login)", search("staff3", "", (None, None))),
        (
            "person + patient + a month",
            search("staff3", "山田", month),
        ),
    ];
    println!(
        "  {:<40} {:>10} {:>8}",
        "search (300 rows a page)", "median", "rows"
    );
    for (label, q) in &searches {
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..runs {
            let started = Instant::now();
            found = read(&pool, "user:bench", q).await.unwrap().len();
            times.push(started.elapsed());
        }
        println!(
            "  {label:<40} {:>7.1} ms {found:>8}",
            median(times).as_secs_f64() * 1000.0
        );
    }
    let started = Instant::now();
    let report = verify_chain(&pool).await.unwrap();
    assert!(matches!(report, ChainReport::Intact { .. }), "{report:?}");
    println!(
        "  verify-audit over the whole chain: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    pool.close().await;
    owner.close().await;
}

fn search<'a>(
    who: &'a str,
    patient: &'a str,
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
) -> Search<'a> {
    Search {
        who,
        patient,
        from,
        to,
        before: None,
    }
}
