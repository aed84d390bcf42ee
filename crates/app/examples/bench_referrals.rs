//! The referral board, the worklist and the loop figures at a busy
//! clinic's scale: 20,000 referrals with 150,000 events (a decade of
//! referring), in an encrypted store.
//!
//! `make bench`, i.e. `cargo run --release -p tsunagu-app --example bench_referrals`.
//! Environment: `BENCH_REFERRALS` (default 20000), `BENCH_EVENTS` (default
//! 150000), `BENCH_RUNS` per measurement (default 200), `BENCH_SEED`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::disallowed_methods,
    clippy::exit,
    reason = "a benchmark or demo program: it stops at the first failure, reports on stdout and stamps data with the real clock"
)]

use tsunagu_testkit::referral_data;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate, TimeZone, Utc};
use rand::Rng;
use tsunagu_app::{App, BoardFilter, FiguresPeriod, FixedClock};
use tsunagu_domain::ReplyFindings;
use tsunagu_store::{NewReply, OpenMode, Store, StoreKey};
use uuid::Uuid;

/// Every read the physician waits for (the board's views, the worklist
/// shown at start and on each news arrival).
const INTERACTIVE_BUDGET_MS: f64 = 50.0;
const FIGURES_BUDGET_MS: f64 = 200.0;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let referrals = env("BENCH_REFERRALS", 20_000);
    let events_wanted = env("BENCH_EVENTS", 150_000);
    let runs = env("BENCH_RUNS", 200);
    let seed = env("BENCH_SEED", 20_261_124) as u64;
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open_file(
        &dir.path().join("bench.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .expect("encrypted store");

    let started = Instant::now();
    let mut rng = referral_data::rng(seed);
    let patients = referral_data::patients(&store, referrals * 3 / 4, &mut rng, today).await;
    // Each referral aims at an even spread of lengths from 3 events up,
    // around the mean still needed (stories cut short by today, or by an
    // ending, pull it down), so the total lands near the events wanted.
    let mut events = 0usize;
    let mut batch = Vec::new();
    for made in 0..referrals {
        let mean = (events_wanted.saturating_sub(events)) as f64 / (referrals - made) as f64;
        let spread = (mean * 1.1 - 3.0).max(0.0) * 2.0;
        let patient = patients[rng.random_range(0..patients.len())];
        let sent = today - Days::new(rng.random_range(0..3650));
        // One in twelve never hears back at all.
        let target = if rng.random_ratio(1, 12) {
            1
        } else {
            3 + rng.random_range(0..=spread.round() as usize)
        };
        let r = referral_data::referral(patient, sent, target, today, &mut rng);
        events += r.events.len();
        batch.push(r);
        if batch.len() == 500 {
            store.import_referrals(&batch).await.expect("import");
            batch.clear();
        }
    }
    store.import_referrals(&batch).await.expect("import");
    let board_all = store
        .referral_board(
            &tsunagu_store::BoardQuery {
                scope: tsunagu_store::BoardScope::All,
                limit: 1,
                ..Default::default()
            },
            tsunagu_domain::OverdueRule {
                today,
                days_to_acknowledgement: 7,
                days_to_reply: 14,
            },
        )
        .await
        .expect("count");
    // Replies for a third of the referrals, as the clinic records them.
    let mut replies = 0;
    for r in store
        .referrals_sent_between(NaiveDate::MIN, today)
        .await
        .expect("all")
        .iter()
        .filter(|r| r.seen_on.is_some())
        .step_by(3)
    {
        let received = r.seen_on.expect("seen") + Days::new(rng.random_range(3..30));
        let findings = ReplyFindings {
            received_on: received,
            initial_diagnosis: "心不全".into(),
            final_diagnosis: "慢性心不全急性増悪".into(),
            findings: String::new(),
            treatment: "利尿薬".into(),
            recommendations: "外来で体重管理".into(),
            medication_changes: String::new(),
            note: String::new(),
        };
        store
            .record_reply(&NewReply {
                id: Uuid::now_v7(),
                referral_id: r.referral_id,
                received_on: received,
                findings: serde_json::to_string(&findings).expect("json"),
                attachment: None,
                recorded_by: "bench".into(),
                recorded_at: Utc::now(),
            })
            .await
            .expect("reply");
        replies += 1;
    }
    println!(
        "data: {referrals} referrals, {events} events, {replies} replies, {} patients \
         (board total {}), generated in {:.1} s",
        patients.len(),
        board_all.total,
        started.elapsed().as_secs_f64()
    );

    let now = Utc.from_utc_datetime(&today.and_hms_opt(9, 0, 0).expect("time"));
    let app = App::with_store(store.clone(), Arc::new(FixedClock { now, today }), "bench");
    let year = FiguresPeriod {
        from: (today - Days::new(364)).to_string(),
        to: today.to_string(),
    };
    let mut over = false;
    println!(
        "\n{:<42} {:>9} {:>9} {:>9}",
        "measurement", "p50 ms", "p99 ms", "budget"
    );
    let first_page = BoardFilter::default();
    over |= report(
        "board, first page (open, attention order)",
        Some(INTERACTIVE_BUDGET_MS),
        &measure(runs, || async {
            assert!(
                !app.referral_board(&first_page)
                    .await
                    .expect("board")
                    .rows
                    .is_empty()
            );
        })
        .await,
    );
    let closed_by_name = BoardFilter {
        scope: "all".into(),
        text: "たかはし".into(),
        ..Default::default()
    };
    over |= report(
        "board, all, by name reading",
        Some(INTERACTIVE_BUDGET_MS),
        &measure(runs, || async {
            app.referral_board(&closed_by_name).await.expect("board");
        })
        .await,
    );
    let by_hospital = BoardFilter {
        hospital: referral_data::HOSPITALS[0].into(),
        order: "status".into(),
        ..Default::default()
    };
    over |= report(
        "board, one hospital, grouped by status",
        Some(INTERACTIVE_BUDGET_MS),
        &measure(runs, || async {
            app.referral_board(&by_hospital).await.expect("board");
        })
        .await,
    );
    let overdue = BoardFilter {
        overdue_only: true,
        ..Default::default()
    };
    over |= report(
        "board, overdue only",
        Some(INTERACTIVE_BUDGET_MS),
        &measure(runs, || async {
            app.referral_board(&overdue).await.expect("board");
        })
        .await,
    );
    let closed_newest = BoardFilter {
        scope: "closed".into(),
        order: "sent".into(),
        ..Default::default()
    };
    over |= report(
        "board, closed, newest first",
        Some(INTERACTIVE_BUDGET_MS),
        &measure(runs, || async {
            app.referral_board(&closed_newest).await.expect("board");
        })
        .await,
    );
    let all_by_hospital = BoardFilter {
        scope: "all".into(),
        order: "hospital".into(),
        ..Default::default()
    };
    over |= report(
        "board, all, grouped by hospital",
        Some(INTERACTIVE_BUDGET_MS),
        &measure(runs, || async {
            app.referral_board(&all_by_hospital).await.expect("board");
        })
        .await,
    );
    over |= report(
        "loop figures, one year",
        Some(FIGURES_BUDGET_MS),
        &measure(runs, || async {
            app.loop_figures(&year).await.expect("figures");
        })
        .await,
    );
    let decade = FiguresPeriod {
        from: (today - Days::new(3650)).to_string(),
        to: today.to_string(),
    };
    report(
        "loop figures, ten years (all)",
        None,
        &measure(runs / 4, || async {
            app.loop_figures(&decade).await.expect("figures");
        })
        .await,
    );
    over |= report(
        "worklist (start screen: newest 100, count)",
        Some(INTERACTIVE_BUDGET_MS),
        &measure(runs, || async {
            app.worklist_page().await.expect("worklist");
        })
        .await,
    );
    report(
        "worklist, every item (notifications)",
        None,
        &measure(runs / 4, || async {
            app.worklist().await.expect("worklist");
        })
        .await,
    );
    let figures = app.loop_figures(&year).await.expect("figures");
    println!(
        "\none year: {} referrals, acknowledged {:.1}%, replied {:.1}%, {} lost to follow-up",
        figures.overall.sent,
        figures.overall.acknowledged_pct.unwrap_or(0.0),
        figures.overall.replied_pct.unwrap_or(0.0),
        figures.overall.lost
    );
    println!(
        "{}",
        if over {
            "OVER BUDGET: see the rows marked OVER"
        } else {
            "all within budget (the board's views and the worklist ≤ 50 ms p99, a year's figures ≤ 200 ms p99)"
        }
    );
    store.close().await;
}

async fn measure<F, Fut>(runs: usize, f: F) -> Vec<Duration>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..3 {
        f().await;
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        f().await;
        times.push(t.elapsed());
    }
    times.sort();
    times
}

/// Prints one row; true when its p99 is over budget.
fn report(name: &str, budget_ms: Option<f64>, sorted: &[Duration]) -> bool {
    let at = |q: f64| {
        let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
        sorted[i].as_secs_f64() * 1000.0
    };
    let (p50, p99) = (at(0.5), at(0.99));
    let over = budget_ms.is_some_and(|b| p99 > b);
    let verdict = match budget_ms {
        Some(b) if over => format!("{b:.0} OVER"),
        Some(b) => format!("{b:.0} ok"),
        None => "—".into(),
    };
    println!("{name:<42} {p50:>9.2} {p99:>9.2} {verdict:>9}");
    over
}
