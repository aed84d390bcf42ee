//! Sync at a region's scale: the real server (in process, on a loopback
//! port) over its own durable PostgreSQL, and the real desktop core over a
//! fresh encrypted store, through HTTP.
//!
//! 1. Initial sync: a clinic with 10,000 referrals and 60,000 events, and
//!    its patients' home-care teams with 100,000 timeline entries, seeded
//!    into PostgreSQL as the server would have written them; a fresh
//!    install enrolls and pulls it all (budget ≤ 5 s; ≤ 2 s without the
//!    teams, `BENCH_SYNC_TEAM_ENTRIES=0`).
//! 2. Incremental pulls: 1,000 clinics, each with an enrolled device and a
//!    small feed, pulling after their latest cursor while the feeds grow —
//!    first at a fixed 500 pulls/s (budget: p99 ≤ 50 ms, latency counted
//!    from when each pull was due), then as fast as 64 connections go.
//! 3. Push: 1,000 operations (patients, consents, referrals, events) made
//!    through the App's use cases, sent by one `sync_now`.
//!
//! `make bench` runs it in a private D-Bus session with a Secret Service
//! (the App keeps its device secret in the OS keyring):
//! `dbus-run-session -- scripts/test-session.sh cargo run --release --example bench_sync`.
//! Environment: `BENCH_SYNC_PARTS` (default `initial,pulls,push`),
//! `BENCH_SYNC_REFERRALS` (10000), `BENCH_SYNC_EVENTS` (60000),
//! `BENCH_SYNC_TEAM_ENTRIES` (100000),
//! `BENCH_SYNC_RUNS` initial syncs (3), `BENCH_SYNC_CLINICS` (1000),
//! `BENCH_SYNC_RATE` pulls/s (500), `BENCH_SYNC_CONNECTIONS` (64),
//! `BENCH_SYNC_SECONDS` per load phase (10), `BENCH_SYNC_WRITES` feed
//! appends/s during the load (20), `BENCH_SYNC_OPS` (1000), `BENCH_SEED`,
//! `BENCH_SYNC_BREAKDOWN=0` to skip the initial sync's breakdown (where the
//! time goes: the server's query and JSON, the store by kind of change,
//! encrypted and not, with and without the cursor read between pages).
//!
//! Everything shares this machine's cores: PostgreSQL, the server, the
//! clients and SQLCipher. Each phase prints where the CPU time went.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::disallowed_methods,
    clippy::exit,
    reason = "a benchmark or demo program: it stops at the first failure, reports on stdout and stamps data with the real clock"
)]

mod sync_seed;

use tsunagu_testkit::referral_data;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use chrono::{Days, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::PgPool;
use tempfile::TempDir;
use tokio::runtime::Runtime;
use tsunagu_app::{
    App, BoardFilter, ClinicDraft, ConsentDraft, EventInput, KeyringKeys, LetterDraftContent,
    LetterKind, PatientDraft, Sex, SyncReport, SystemClock,
};
use tsunagu_protocol::{
    ChangeBody, OrgKind, PROTOCOL_VERSION, PullRequest, PullResponse, WireEvent, WireEventDetails,
    WireSource,
};
use tsunagu_server::admin;
use tsunagu_server::api::{ServerState, router};
use tsunagu_server::db::{RUNTIME_ROLE, connect, connect_and_migrate};
use tsunagu_server::local_pg::{Durability, LocalPostgres};
use tsunagu_store::{OpenMode, PulledChange, Store, StoreKey};
use uuid::Uuid;

use sync_seed::{Directory, Seeder};

/// A first sync of 10,000 referrals with 60,000 events (issue 3), and with
/// 100,000 timeline entries of the clinic's teams besides (issue 16).
const INITIAL_SYNC_BUDGET_S: f64 = 2.0;
const INITIAL_SYNC_WITH_TEAMS_BUDGET_S: f64 = 5.0;
const PULL_RATE_BUDGET: f64 = 500.0;
const PULL_P99_BUDGET_MS: f64 = 50.0;

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Config {
    parts: String,
    referrals: usize,
    events: usize,
    team_entries: usize,
    runs: usize,
    clinics: usize,
    rate: f64,
    connections: usize,
    seconds: f64,
    writes: f64,
    ops: usize,
    seed: u64,
}

impl Config {
    fn from_env() -> Config {
        Config {
            parts: env("BENCH_SYNC_PARTS", "initial,pulls,push".to_string()),
            referrals: env("BENCH_SYNC_REFERRALS", 10_000),
            events: env("BENCH_SYNC_EVENTS", 60_000),
            team_entries: env("BENCH_SYNC_TEAM_ENTRIES", 100_000),
            runs: env("BENCH_SYNC_RUNS", 3usize).max(1),
            clinics: env("BENCH_SYNC_CLINICS", 1_000usize).max(1),
            rate: env("BENCH_SYNC_RATE", PULL_RATE_BUDGET),
            connections: env("BENCH_SYNC_CONNECTIONS", 64usize).max(1),
            seconds: env("BENCH_SYNC_SECONDS", 10.0),
            writes: env("BENCH_SYNC_WRITES", 20.0),
            ops: env("BENCH_SYNC_OPS", 1_000),
            seed: env("BENCH_SEED", 20_261_124),
        }
    }

    fn runs_part(&self, part: &str) -> bool {
        self.parts.split(',').any(|p| p.trim() == part)
    }
}

/// What the server spent in its pull and push handlers (wall time from
/// the request reaching the router to the response leaving it).
#[derive(Default)]
struct RouteStats {
    pull: Route,
    push: Route,
}

#[derive(Default)]
struct Route {
    count: AtomicU64,
    nanos: AtomicU64,
}

impl Route {
    fn add(&self, took: Duration) {
        self.count.fetch_add(1, Ordering::Relaxed);
        self.nanos
            .fetch_add(took.as_nanos() as u64, Ordering::Relaxed);
    }

    /// Requests and their total time since the last take.
    fn take(&self) -> (u64, Duration) {
        (
            self.count.swap(0, Ordering::Relaxed),
            Duration::from_nanos(self.nanos.swap(0, Ordering::Relaxed)),
        )
    }
}

async fn timed(State(stats): State<Arc<RouteStats>>, request: Request, next: Next) -> Response {
    let route = match request.uri().path() {
        "/v1/pull" => Some(&stats.pull),
        "/v1/push" => Some(&stats.push),
        _ => None,
    };
    let started = Instant::now();
    let response = next.run(request).await;
    if let Some(route) = route {
        route.add(started.elapsed());
    }
    response
}

struct Bench {
    config: Config,
    server: Runtime,
    client: Runtime,
    pool: PgPool,
    owner: PgPool,
    url: String,
    stats: Arc<RouteStats>,
    cpu: CpuMeter,
    keys: KeyringKeys,
    today: NaiveDate,
    rng: StdRng,
    over: Vec<String>,
}

fn runtime(name: &str) -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(name)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn main() {
    let config = Config::from_env();
    if let Err(e) = KeyringKeys::check_available() {
        eprintln!(
            "bench_sync needs a Secret Service for the App's device secret ({e}).\n\
             Run it through `make bench`, or:\n  \
             dbus-run-session -- scripts/test-session.sh cargo run --release --example bench_sync"
        );
        std::process::exit(2);
    }
    let keys = KeyringKeys::new(format!("jp.tsunagu.bench.{}", Uuid::now_v7()));
    // The server and the clients on runtimes of their own (threads named
    // for the CPU accounting); both share the machine with PostgreSQL.
    let server = runtime("bench-server");
    let client = runtime("bench-client");
    let dir = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let cluster = LocalPostgres::start(&dir.path().join("region"), Durability::Durable)
        .expect("PostgreSQL (make setup installs it)");
    let (pool, owner) = server.block_on(async {
        let pool = connect_and_migrate(
            &cluster.url("tsunagu"),
            &cluster.url_as(RUNTIME_ROLE, "tsunagu"),
        )
        .await
        .expect("migrate");
        let owner = connect(&cluster.url("tsunagu")).await.expect("owner pool");
        (pool, owner)
    });
    let stats = Arc::new(RouteStats::default());
    let listener = server
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("loopback port");
    let address = listener.local_addr().expect("address");
    let service = router(ServerState::new(pool.clone()))
        .layer(axum::middleware::from_fn_with_state(stats.clone(), timed))
        .into_make_service_with_connect_info::<SocketAddr>();
    server.spawn(async move {
        let _ = axum::serve(listener, service).await;
    });
    let cpu = CpuMeter::new(&dir.path().join("region"));
    let commit = server.block_on(commit_cost(&owner));
    println!(
        "region: PostgreSQL (durable: fsync, synchronous commit) and the server on {address}, \
         ready in {:.1} s; a one-row commit here takes {:.2} ms (p50), {:.2} ms (p99)",
        started.elapsed().as_secs_f64(),
        ms(commit[commit.len() / 2]),
        ms(percentile(&commit, 0.99)),
    );
    let today = Utc::now().date_naive();
    let mut bench = Bench {
        rng: StdRng::seed_from_u64(config.seed),
        config,
        server,
        client,
        pool,
        owner,
        url: format!("http://{address}"),
        stats,
        cpu,
        keys,
        today,
        over: Vec::new(),
    };
    let directory = bench.server.block_on(async {
        let desk = admin::create_organisation(
            &bench.pool,
            OrgKind::Desk,
            "在宅医療相談窓口",
            "admin:bench",
        )
        .await
        .expect("desk");
        let mut hospitals = Vec::new();
        for name in referral_data::HOSPITALS {
            hospitals.push(
                admin::create_organisation(&bench.pool, OrgKind::Hospital, name, "admin:bench")
                    .await
                    .expect("hospital"),
            );
        }
        Directory { desk, hospitals }
    });
    let mut seeder = bench
        .server
        .block_on(Seeder::new(bench.owner.clone(), directory))
        .expect("seeder");

    if bench.config.runs_part("initial") {
        initial_sync(&mut bench, &mut seeder);
    }
    if bench.config.runs_part("pulls") {
        incremental_pulls(&mut bench, &mut seeder);
    }
    if bench.config.runs_part("push") {
        push(&mut bench);
    }

    println!();
    if bench.over.is_empty() {
        // Each budget is printed on its own row above; this line only
        // says none was exceeded.
        println!("all within budget");
    } else {
        println!("OVER BUDGET: {}", bench.over.join("; "));
    }
    let Bench {
        server,
        client,
        pool,
        owner,
        ..
    } = bench;
    server.block_on(async {
        pool.close().await;
        owner.close().await;
    });
    drop(client);
    drop(server);
    drop(cluster);
    drop(dir);
}

// ---------------------------------------------------------------- part 1

fn initial_sync(bench: &mut Bench, seeder: &mut Seeder) {
    let config = &bench.config;
    heading(&format!(
        "1. initial sync: a fresh install pulls a clinic of {} referrals, {} events, {} team \
         timeline entries",
        config.referrals, config.events, config.team_entries
    ));
    let started = Instant::now();
    let clinic = seeder.clinic("さくら内科クリニック");
    let raw_credential = seeder.device(&clinic, &mut bench.rng);
    let mut seeded = seeder.history(
        &clinic,
        config.referrals,
        config.events,
        bench.today,
        &mut bench.rng,
    );
    let team_changes =
        seeder.team_timelines(&clinic, &seeded.shared, config.team_entries, &mut bench.rng);
    seeded.feed += team_changes;
    bench.server.block_on(seeder.flush()).expect("seed");
    println!(
        "data: {} referrals, {} events ({} by the desk or hospitals), {} patients; \
         the clinic's feed holds {} changes; seeded in {:.1} s",
        seeded.referrals.len(),
        seeded.events,
        seeded.news,
        seeded.patients.len(),
        seeded.feed,
        started.elapsed().as_secs_f64()
    );

    let mut totals = Vec::new();
    for run in 1..=bench.config.runs {
        let code = bench
            .server
            .block_on(admin::issue_enrollment_code(
                &bench.pool,
                clinic.id,
                "admin:bench",
                Utc::now(),
            ))
            .expect("code");
        bench.stats.pull.take();
        let before = bench.cpu.sample();
        let install = bench
            .client
            .block_on(fresh_install(&bench.keys, &bench.url, &code));
        let cpu = bench.cpu.since(&before);
        let (pulls, pull_time) = bench.stats.pull.take();
        let report = &install.report;
        assert_eq!(
            (report.pulled, report.skipped, report.news),
            (seeded.feed, 0, seeded.news),
            "every change of the feed applied"
        );
        let total = install.enrolled + install.synced;
        totals.push(total);
        println!(
            "run {run}: store created in {:.0} ms (not counted); enroll {:.0} ms + sync_now {:.2} s \
             = {:.2} s; {pulls} pulls of ≤ 1,000 changes, {} changes applied \
             ({:.0}/s); server's pull handlers {:.2} s in all ({:.1} ms a page)",
            ms(install.opened),
            ms(install.enrolled),
            install.synced.as_secs_f64(),
            total.as_secs_f64(),
            report.pulled,
            report.pulled as f64 / install.synced.as_secs_f64(),
            pull_time.as_secs_f64(),
            ms(pull_time) / pulls.max(1) as f64,
        );
        println!("       {cpu}");
        // What the board shows, and every event, counted back from the store.
        let (on_board, referrals, events) = bench.client.block_on(async {
            let board = install
                .app
                .referral_board(&BoardFilter {
                    scope: "all".into(),
                    ..BoardFilter::default()
                })
                .await
                .expect("board");
            let (mut referrals, mut events) = (0, 0);
            if run == 1 {
                for patient in &seeded.patients {
                    for r in install
                        .app
                        .store()
                        .referrals_for_patient(*patient)
                        .await
                        .expect("referrals")
                    {
                        referrals += 1;
                        events += r.events.len();
                    }
                }
            }
            (board.total as usize, referrals, events)
        });
        assert_eq!(on_board, seeded.referrals.len(), "referrals on the board");
        if run == 1 {
            assert_eq!(
                (referrals, events),
                (seeded.referrals.len(), seeded.events),
                "referrals and events in the new install's store"
            );
            println!(
                "       checked: {on_board} referrals on the board (all), {referrals} referrals \
                 with {events} events in the store"
            );
        }
        bench.client.block_on(install.app.close());
    }

    // The same feed over HTTP without the store: what is left is applying it.
    let http = http_client();
    bench.stats.pull.take();
    let before = bench.cpu.sample();
    let (pages, took) = bench
        .client
        .block_on(pull_whole_feed(&http, &bench.url, &raw_credential));
    let cpu = bench.cpu.since(&before);
    let (_, pull_time) = bench.stats.pull.take();
    let changes: usize = pages.iter().map(|p| p.changes.len()).sum();
    assert_eq!(changes, seeded.feed);
    println!(
        "the same feed by plain HTTP pulls, decoded but not stored: {:.2} s ({} pages, \
         server's handlers {:.2} s)\n       {cpu}",
        took.as_secs_f64(),
        pages.len(),
        pull_time.as_secs_f64()
    );
    if env("BENCH_SYNC_BREAKDOWN", 1) == 1 {
        breakdown(bench, &pages, &format!("org:{}", clinic.id));
    }
    totals.sort();
    println!(
        "\n{:<46} {:>9} {:>9} {:>9}",
        "measurement", "p50", "max", "budget"
    );
    let budget = if config.team_entries > 0 {
        INITIAL_SYNC_WITH_TEAMS_BUDGET_S
    } else {
        INITIAL_SYNC_BUDGET_S
    };
    let over = row(
        "initial sync: enroll + sync_now, s",
        totals[totals.len() / 2].as_secs_f64(),
        totals[totals.len() - 1].as_secs_f64(),
        Some(budget),
        2,
    );
    if over {
        bench.over.push(format!(
            "initial sync {:.2} s > {budget} s",
            totals[totals.len() - 1].as_secs_f64()
        ));
    }
}

/// Where an initial sync's time goes, measured beside the App: the
/// server's pull query and its JSON work, then the store applying the same
/// pages (as `sync_now` does, and a page a transaction as before) kind by
/// kind, and what one statement through the store's pool costs.
fn breakdown(bench: &Bench, pages: &[PullResponse], scope: &str) {
    println!("where the time goes (measured beside the App, same feed):");
    // The server: the page query as `sync::pull` runs it (a clinic's scope:
    // bodies as `jsonb` text with the version that reads them), each body
    // checked as raw JSON, then the response as the handler encodes it.
    let sql = "SELECT l.seq, l.body::text, l.since_version, l.referral_id IS NULL OR TRUE
               FROM change_log l WHERE l.scope = $1 AND l.seq > $2 ORDER BY l.seq LIMIT $3";
    let (texts, query_time) = bench.server.block_on(async {
        let mut texts: Vec<Vec<(i64, String)>> = Vec::new();
        let t = Instant::now();
        let mut cursor = 0;
        loop {
            let rows: Vec<(i64, String, i32, bool)> = sqlx::query_as(sql)
                .bind(scope)
                .bind(cursor)
                .bind(1001i64)
                .fetch_all(&bench.pool)
                .await
                .expect("page query");
            let more = rows.len() > 1000;
            let page: Vec<_> = rows.into_iter().take(1000).collect();
            cursor = page.last().map_or(cursor, |r| r.0);
            texts.push(page.into_iter().map(|r| (r.0, r.1)).collect());
            if !more {
                break;
            }
        }
        (texts, t.elapsed())
    });
    #[derive(serde::Serialize)]
    struct SentChange {
        seq: i64,
        body: Box<serde_json::value::RawValue>,
    }
    #[derive(serde::Serialize)]
    struct SentPage {
        changes: Vec<SentChange>,
        cursor: i64,
        more: bool,
        epoch: Option<Uuid>,
    }
    let t = Instant::now();
    let sent: Vec<SentPage> = texts
        .into_iter()
        .map(|page| SentPage {
            cursor: page.last().map_or(0, |c| c.0),
            changes: page
                .into_iter()
                .map(|(seq, body)| SentChange {
                    seq,
                    body: serde_json::value::RawValue::from_string(body).expect("JSON"),
                })
                .collect(),
            more: true,
            epoch: Some(Uuid::nil()),
        })
        .collect();
    let check_time = t.elapsed();
    let t = Instant::now();
    for page in &sent {
        std::hint::black_box(serde_json::to_vec(page).expect("page"));
    }
    let encode_time = t.elapsed();
    drop(sent);
    println!(
        "  server, {} pages: the query (bodies as jsonb text) {:.2} s; bodies checked as raw \
         JSON {:.2} s; response to JSON {:.2} s",
        pages.len(),
        query_time.as_secs_f64(),
        check_time.as_secs_f64(),
        encode_time.as_secs_f64()
    );

    // The store: the same changes, applied a kind at a time in pages of
    // 1,000 to a fresh encrypted store (patients first: referrals need them).
    let mut kinds: [(&str, Vec<(i64, PulledChange)>); 4] = [
        ("patients, consents, organisations", Vec::new()),
        ("referrals", Vec::new()),
        ("events (+ summaries)", Vec::new()),
        ("teams (directory, members, entries)", Vec::new()),
    ];
    for page in pages {
        for change in &page.changes {
            for pulled in
                tsunagu_app::pulled_changes(change.body.clone()).expect("a well-formed feed")
            {
                let kind = match pulled {
                    PulledChange::Referral { .. } => 1,
                    PulledChange::Event { .. } => 2,
                    PulledChange::Team(_) => 3,
                    _ => 0,
                };
                kinds[kind].1.push((change.seq, pulled));
            }
        }
    }
    let in_order: Vec<Vec<(i64, PulledChange)>> = pages
        .iter()
        .map(|page| {
            page.changes
                .iter()
                .flat_map(|c| {
                    tsunagu_app::pulled_changes(c.body.clone())
                        .expect("a well-formed feed")
                        .into_iter()
                        .map(move |p| (c.seq, p))
                })
                .collect()
        })
        .collect();
    let (as_fed, encrypted, plain, statement) = bench.client.block_on(async {
        let dir = tempfile::tempdir().expect("temp dir");
        // The feed's own pages, in order: as `sync_now` applies them (ten
        // pages a transaction on one held connection), and one page a
        // transaction through the pool.
        let mut as_fed = Vec::new();
        for batched in [true, false] {
            let store = Store::open_file(
                &dir.path().join(format!("fed-{batched}.db")),
                &StoreKey::generate(),
                OpenMode::CreateNew,
            )
            .await
            .expect("encrypted store");
            let t = Instant::now();
            if batched {
                let mut session = store.pull_session().await.expect("session");
                for pages in in_order.chunks(10) {
                    let batch: Vec<_> = pages.iter().flatten().cloned().collect();
                    session
                        .apply(&batch, batch[batch.len() - 1].0, Utc::now())
                        .await
                        .expect("apply");
                }
            } else {
                for page in &in_order {
                    store
                        .apply_pulled(page, page[page.len() - 1].0, Utc::now())
                        .await
                        .expect("apply");
                }
            }
            as_fed.push(t.elapsed());
            store.close().await;
        }
        let store = Store::open_file(
            &dir.path().join("tsunagu.db"),
            &StoreKey::generate(),
            OpenMode::CreateNew,
        )
        .await
        .expect("encrypted store");
        let encrypted = apply_by_kind(&store, &kinds).await;
        // One statement through the pool (a settings read, not there).
        let mut times = Vec::with_capacity(5000);
        for _ in 0..5000 {
            let t = Instant::now();
            store.setting("bench.absent").await.expect("read");
            times.push(t.elapsed());
        }
        times.sort();
        store.close().await;
        // The same on plain SQLite: what SQLCipher itself costs.
        let store = Store::open_unencrypted_for_bench(&dir.path().join("plain.db"))
            .await
            .expect("plain store");
        let plain = apply_by_kind(&store, &kinds).await;
        store.close().await;
        (as_fed, encrypted, plain, percentile(&times, 0.5))
    });
    println!(
        "  store, the feed's {} pages in order as sync_now applies them (ten a transaction, one \
         connection; without HTTP): {:.2} s; one page a transaction through the pool: {:.2} s",
        in_order.len(),
        as_fed[0].as_secs_f64(),
        as_fed[1].as_secs_f64()
    );
    for (((name, changes), (took, refreshes)), (plain, _)) in
        kinds.iter().zip(&encrypted).zip(&plain)
    {
        println!(
            "  store, {name}: {} changes in {:.2} s ({:.0} µs a change{}); \
             unencrypted SQLite {:.2} s",
            changes.len(),
            took.as_secs_f64(),
            took.as_secs_f64() * 1e6 / changes.len().max(1) as f64,
            if *refreshes > 0 {
                format!(", {refreshes} summary refreshes")
            } else {
                String::new()
            },
            plain.as_secs_f64()
        );
    }
    println!(
        "  one statement through the store's pool (acquire, hop to the SQLite worker thread, \
         back): {:.0} µs (p50)",
        statement.as_secs_f64() * 1e6
    );
}

/// Applies each kind's changes in pages of 1,000, in turn: how long each
/// kind took, and how many summaries its pages refreshed.
async fn apply_by_kind(
    store: &Store,
    kinds: &[(&str, Vec<(i64, PulledChange)>)],
) -> Vec<(Duration, usize)> {
    let mut took = Vec::new();
    for (_, changes) in kinds {
        let t = Instant::now();
        let mut refreshes = 0;
        for chunk in changes.chunks(1000) {
            let mut referrals: Vec<Uuid> = chunk
                .iter()
                .filter_map(|(_, c)| match c {
                    PulledChange::Event { referral_id, .. } => Some(*referral_id),
                    _ => None,
                })
                .collect();
            referrals.sort();
            referrals.dedup();
            refreshes += referrals.len();
            store
                .apply_pulled(chunk, chunk[chunk.len() - 1].0, Utc::now())
                .await
                .expect("apply");
        }
        took.push((t.elapsed(), refreshes));
    }
    took
}

struct Install {
    app: App,
    _dir: TempDir,
    opened: Duration,
    enrolled: Duration,
    synced: Duration,
    report: SyncReport,
}

/// A new install: fresh encrypted store, enrolled with `code`, synced once.
async fn fresh_install(keys: &KeyringKeys, url: &str, code: &str) -> Install {
    let dir = tempfile::tempdir().expect("temp dir");
    let t = Instant::now();
    let store = Store::open_file(
        &dir.path().join("tsunagu.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .expect("encrypted store");
    let opened = t.elapsed();
    let app = App::with_store(store, Arc::new(SystemClock), "os:bench").with_keyring(keys.clone());
    let t = Instant::now();
    app.enroll(url, code, sync_seed::CLINIC_DEVICE)
        .await
        .expect("enroll");
    let enrolled = t.elapsed();
    let t = Instant::now();
    let report = app.sync_now().await.expect("sync");
    let synced = t.elapsed();
    Install {
        app,
        _dir: dir,
        opened,
        enrolled,
        synced,
        report,
    }
}

fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(4096)
        .build()
        .expect("http client")
}

async fn pull(
    http: &reqwest::Client,
    url: &str,
    credential: &str,
    cursor: i64,
) -> Result<PullResponse, String> {
    let body = serde_json::to_vec(&PullRequest {
        version: PROTOCOL_VERSION,
        cursor,
        limit: tsunagu_protocol::MAX_PULL_LIMIT,
    })
    .expect("request");
    let response = http
        .post(format!("{url}/v1/pull"))
        .bearer_auth(credential)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    let bytes = response.bytes().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("{status}: {}", String::from_utf8_lossy(&bytes)));
    }
    serde_json::from_slice(&bytes).map_err(|e| e.to_string())
}

/// Every page of the feed, and how long they took.
async fn pull_whole_feed(
    http: &reqwest::Client,
    url: &str,
    credential: &str,
) -> (Vec<PullResponse>, Duration) {
    let started = Instant::now();
    let mut pages = Vec::new();
    let mut cursor = 0;
    loop {
        let page = pull(http, url, credential, cursor).await.expect("pull");
        cursor = page.cursor;
        let more = page.more;
        pages.push(page);
        if !more {
            return (pages, started.elapsed());
        }
    }
}

// ---------------------------------------------------------------- part 2

struct SimClinic {
    scope: String,
    credential: String,
    cursor: AtomicI64,
    referral: Uuid,
}

fn incremental_pulls(bench: &mut Bench, seeder: &mut Seeder) {
    let config = &bench.config;
    heading(&format!(
        "2. incremental pulls: {} clinics against one server",
        config.clinics
    ));
    let started = Instant::now();
    let mut clinics = Vec::with_capacity(config.clinics);
    let mut feed = 0;
    for i in 0..config.clinics {
        let clinic = seeder.clinic(&format!("あおば診療所{:04}", i + 1));
        let credential = seeder.device(&clinic, &mut bench.rng);
        let seeded = seeder.history(&clinic, 5, 20, bench.today, &mut bench.rng);
        feed += seeded.feed;
        clinics.push(SimClinic {
            scope: format!("org:{}", clinic.id),
            credential,
            cursor: AtomicI64::new(0),
            referral: seeded.referrals[0],
        });
        bench
            .server
            .block_on(seeder.flush_if_large())
            .expect("seed");
    }
    bench.server.block_on(seeder.flush()).expect("seed");
    let clinics = Arc::new(clinics);
    println!(
        "data: {} clinics, each with an enrolled device and 5 referrals (20 events): \
         {feed} changes in their feeds; seeded in {:.1} s",
        clinics.len(),
        started.elapsed().as_secs_f64()
    );

    // Every clinic catches up once (its first pull after enrolling).
    let http = http_client();
    let before = bench.cpu.sample();
    bench.stats.pull.take();
    let catch_up = bench.client.block_on(closed_loop(
        http.clone(),
        bench.url.clone(),
        clinics.clone(),
        bench.config.connections,
        Phase::EachOnce,
        bench.config.seed,
    ));
    let cpu = bench.cpu.since(&before);
    println!(
        "catch-up: every clinic pulls its feed once ({} connections): {}",
        bench.config.connections,
        catch_up.summary()
    );
    assert_eq!(catch_up.errors, 0, "{:?}", catch_up.first_error);
    assert_eq!(catch_up.changes, feed, "every feed pulled whole");
    println!("       {cpu}");

    // Feeds keep growing while the clinics pull: the desk and hospitals
    // record (one committed feed append per write, as `feed` does).
    let stop = Arc::new(AtomicBool::new(false));
    let writer = bench.server.spawn(grow_feeds(
        bench.owner.clone(),
        clinics.clone(),
        bench.config.writes,
        stop.clone(),
        bench.config.seed,
    ));
    let seconds = Duration::from_secs_f64(bench.config.seconds);

    let before = bench.cpu.sample();
    bench.stats.pull.take();
    let steady = bench.client.block_on(open_loop(
        http.clone(),
        bench.url.clone(),
        clinics.clone(),
        bench.config.rate,
        seconds,
        bench.config.seed + 1,
    ));
    let cpu = bench.cpu.since(&before);
    let (pulls, pull_time) = bench.stats.pull.take();
    println!(
        "fixed rate, {:.0} pulls/s due for {:.0} s (latency from when each was due): {}",
        bench.config.rate,
        seconds.as_secs_f64(),
        steady.summary()
    );
    println!(
        "       server's pull handler: {:.2} ms a pull on average\n       {cpu}",
        ms(pull_time) / pulls.max(1) as f64
    );

    let before = bench.cpu.sample();
    bench.stats.pull.take();
    let flat_out = bench.client.block_on(closed_loop(
        http.clone(),
        bench.url.clone(),
        clinics.clone(),
        bench.config.connections,
        Phase::For(seconds),
        bench.config.seed + 2,
    ));
    let cpu = bench.cpu.since(&before);
    let (pulls, pull_time) = bench.stats.pull.take();
    println!(
        "flat out, {} connections each pulling for a random clinic as soon as answered: {}",
        bench.config.connections,
        flat_out.summary()
    );
    println!(
        "       server's pull handler: {:.2} ms a pull on average\n       {cpu}",
        ms(pull_time) / pulls.max(1) as f64
    );
    stop.store(true, Ordering::Relaxed);
    let appended = bench.server.block_on(writer).expect("writer");
    println!("feeds grew by {appended} changes during the load");
    assert_eq!(
        steady.errors + flat_out.errors,
        0,
        "{:?}",
        steady.first_error
    );

    println!(
        "\n{:<46} {:>9} {:>9} {:>9}",
        "measurement", "p50 ms", "p99 ms", "budget"
    );
    let over_latency = row(
        &format!("pull at {:.0}/s, latency", bench.config.rate),
        ms(percentile(&steady.latencies, 0.5)),
        ms(percentile(&steady.latencies, 0.99)),
        Some(PULL_P99_BUDGET_MS),
        2,
    );
    row(
        &format!("pull flat out ({} connections)", bench.config.connections),
        ms(percentile(&flat_out.latencies, 0.5)),
        ms(percentile(&flat_out.latencies, 0.99)),
        None,
        2,
    );
    println!(
        "{:<46} {:>9.0} {:>9} {:>9}",
        "pulls/s sustained at the fixed rate",
        steady.rate(),
        "",
        format!(
            "{PULL_RATE_BUDGET:.0} {}",
            if steady.rate() >= PULL_RATE_BUDGET * 0.98 {
                "ok"
            } else {
                "OVER"
            }
        )
    );
    println!(
        "{:<46} {:>9.0}",
        "pulls/s flat out (capacity)",
        flat_out.rate()
    );
    if over_latency {
        bench.over.push(format!(
            "pull p99 {:.1} ms > {PULL_P99_BUDGET_MS} ms at {:.0}/s",
            ms(percentile(&steady.latencies, 0.99)),
            bench.config.rate
        ));
    }
    if steady.rate() < PULL_RATE_BUDGET * 0.98 {
        bench.over.push(format!(
            "{:.0} pulls/s sustained < {PULL_RATE_BUDGET}",
            steady.rate()
        ));
    }
}

#[derive(Default)]
struct Load {
    latencies: Vec<Duration>,
    errors: usize,
    first_error: Option<String>,
    changes: usize,
    with_news: usize,
    elapsed: Duration,
}

impl Load {
    fn record(&mut self, took: Duration, result: Result<usize, String>) {
        self.latencies.push(took);
        match result {
            Ok(changes) => {
                self.changes += changes;
                self.with_news += usize::from(changes > 0);
            }
            Err(e) => {
                self.errors += 1;
                self.first_error.get_or_insert(e);
            }
        }
    }

    fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    fn summary(&self) -> String {
        format!(
            "{} pulls in {:.2} s = {:.0}/s; p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, \
             max {:.2} ms; {} brought changes ({} in all); {} errors",
            self.latencies.len(),
            self.elapsed.as_secs_f64(),
            self.rate(),
            ms(percentile(&self.latencies, 0.5)),
            ms(percentile(&self.latencies, 0.9)),
            ms(percentile(&self.latencies, 0.99)),
            ms(percentile(&self.latencies, 1.0)),
            self.with_news,
            self.changes,
            self.errors
        )
    }
}

/// One pull after the clinic's latest cursor; the changes it brought.
async fn pull_for(http: &reqwest::Client, url: &str, clinic: &SimClinic) -> Result<usize, String> {
    let cursor = clinic.cursor.load(Ordering::Relaxed);
    let page = pull(http, url, &clinic.credential, cursor).await?;
    clinic.cursor.fetch_max(page.cursor, Ordering::Relaxed);
    Ok(page.changes.len())
}

#[derive(Clone, Copy)]
enum Phase {
    /// Each clinic once, in turn.
    EachOnce,
    /// Random clinics, for this long.
    For(Duration),
}

/// `connections` tasks, each pulling as soon as its last pull is answered.
async fn closed_loop(
    http: reqwest::Client,
    url: String,
    clinics: Arc<Vec<SimClinic>>,
    connections: usize,
    phase: Phase,
    seed: u64,
) -> Load {
    let started = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..connections {
        let (http, url, clinics, next) = (http.clone(), url.clone(), clinics.clone(), next.clone());
        tasks.spawn(async move {
            let mut rng = StdRng::seed_from_u64(seed + task as u64);
            let mut load = Load::default();
            loop {
                let clinic = match phase {
                    Phase::EachOnce => match next.fetch_add(1, Ordering::Relaxed) {
                        i if i < clinics.len() => i,
                        _ => break,
                    },
                    Phase::For(length) if started.elapsed() < length => {
                        rng.random_range(0..clinics.len())
                    }
                    Phase::For(_) => break,
                };
                let t = Instant::now();
                let result = pull_for(&http, &url, &clinics[clinic]).await;
                load.record(t.elapsed(), result);
            }
            load
        });
    }
    let mut all = Load::default();
    while let Some(load) = tasks.join_next().await {
        let load = load.expect("load task");
        all.latencies.extend(load.latencies);
        all.errors += load.errors;
        all.changes += load.changes;
        all.with_news += load.with_news;
        if all.first_error.is_none() {
            all.first_error = load.first_error;
        }
    }
    all.elapsed = started.elapsed();
    all.latencies.sort();
    all
}

/// Pulls due at a fixed rate, each started when due whatever is still in
/// flight (so a slow server shows as latency, not as fewer requests).
async fn open_loop(
    http: reqwest::Client,
    url: String,
    clinics: Arc<Vec<SimClinic>>,
    rate: f64,
    length: Duration,
    seed: u64,
) -> Load {
    let mut rng = StdRng::seed_from_u64(seed);
    let period = Duration::from_secs_f64(1.0 / rate);
    let count = (rate * length.as_secs_f64()) as u32;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    let mut load = Load::default();
    for n in 0..count {
        let due = started + period * n;
        tokio::time::sleep_until(due.into()).await;
        let clinic = rng.random_range(0..clinics.len());
        let (http, url, clinics) = (http.clone(), url.clone(), clinics.clone());
        tasks.spawn(async move {
            let result = pull_for(&http, &url, &clinics[clinic]).await;
            (due.elapsed(), result)
        });
        while let Some(done) = tasks.try_join_next() {
            let (took, result) = done.expect("pull task");
            load.record(took, result);
        }
    }
    while let Some(done) = tasks.join_next().await {
        let (took, result) = done.expect("pull task");
        load.record(took, result);
    }
    load.elapsed = started.elapsed();
    load.latencies.sort();
    load
}

/// Appends an event to a random clinic's feed `per_second` times a second
/// until stopped (each its own committed transaction); how many.
async fn grow_feeds(
    owner: PgPool,
    clinics: Arc<Vec<SimClinic>>,
    per_second: f64,
    stop: Arc<AtomicBool>,
    seed: u64,
) -> u64 {
    if per_second <= 0.0 {
        return 0;
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / per_second));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut appended = 0;
    while !stop.load(Ordering::Relaxed) {
        tick.tick().await;
        let clinic = &clinics[rng.random_range(0..clinics.len())];
        let change = ChangeBody::EventAppended {
            referral_id: clinic.referral,
            event: WireEvent {
                id: Uuid::now_v7(),
                details: Some(WireEventDetails::Visited {
                    date: Utc::now().date_naive(),
                    department: "循環器内科".into(),
                }),
                voids: None,
                note: String::new(),
            },
            source: WireSource::Liaison,
            actor: format!("{} 地域連携室PC", referral_data::HOSPITALS[0]),
            recorded_at: Utc::now(),
        };
        let mut tx = owner.begin().await.expect("begin");
        let seq: i64 = sqlx::query_scalar(
            "UPDATE scope_counters SET last = last + 1 WHERE scope = $1 RETURNING last",
        )
        .bind(&clinic.scope)
        .fetch_one(&mut *tx)
        .await
        .expect("counter");
        sqlx::query(
            "INSERT INTO change_log (scope, seq, referral_id, body, since_version)
             VALUES ($1, $2, $3::uuid, $4::jsonb, $5)",
        )
        .bind(&clinic.scope)
        .bind(seq)
        .bind(clinic.referral.to_string())
        .bind(serde_json::to_string(&change).expect("change"))
        .bind(i32::from(change.since_version()))
        .execute(&mut *tx)
        .await
        .expect("append");
        tx.commit().await.expect("commit");
        appended += 1;
    }
    appended
}

// ---------------------------------------------------------------- part 3

fn push(bench: &mut Bench) {
    let patients = (bench.config.ops / 10).max(1);
    heading(&format!(
        "3. push: {} operations from one clinic's outbox ({patients} patients × patient, \
         consent, referral, 7 events)",
        patients * 10
    ));
    let clinic = bench
        .server
        .block_on(admin::create_organisation(
            &bench.pool,
            OrgKind::Clinic,
            "みなみ在宅クリニック",
            "admin:bench",
        ))
        .expect("clinic");
    let code = bench
        .server
        .block_on(admin::issue_enrollment_code(
            &bench.pool,
            clinic.id,
            "admin:bench",
            Utc::now(),
        ))
        .expect("code");
    let today = bench.today;
    let (app, _dir, made, pending) = bench.client.block_on(async {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open_file(
            &dir.path().join("tsunagu.db"),
            &StoreKey::generate(),
            OpenMode::CreateNew,
        )
        .await
        .expect("encrypted store");
        let app = App::with_store(store, Arc::new(SystemClock), "os:bench")
            .with_keyring(bench.keys.clone());
        app.save_clinic_profile(&ClinicDraft {
            name: "みなみ在宅クリニック".into(),
            institution_code: String::new(),
            postal_code: "171-0022".into(),
            address: "東京都豊島区南池袋2-10-5".into(),
            phone: "03-1234-5678".into(),
            fax: String::new(),
            doctor_name: "佐藤　花子".into(),
        })
        .await
        .expect("clinic profile");
        app.enroll(&bench.url, &code, sync_seed::CLINIC_DEVICE)
            .await
            .expect("enroll");
        // The hospital directory first, as on any enrolled install.
        app.sync_now().await.expect("first sync");
        let t = Instant::now();
        for i in 0..patients {
            make_referred_patient(&app, i, today).await;
        }
        let made = t.elapsed();
        let pending = app
            .sync_state()
            .await
            .expect("state")
            .expect("enrolled")
            .pending;
        (app, dir, made, pending)
    });
    println!(
        "outbox: {pending} operations waiting, made through the App in {:.1} s (letters issued, \
         consents and events recorded)",
        made.as_secs_f64()
    );
    bench.stats.push.take();
    bench.stats.pull.take();
    let before = bench.cpu.sample();
    let t = Instant::now();
    let report = bench.client.block_on(app.sync_now()).expect("sync");
    let took = t.elapsed();
    let cpu = bench.cpu.since(&before);
    let (pushes, push_time) = bench.stats.push.take();
    let (pulls, pull_time) = bench.stats.pull.take();
    assert_eq!(
        (report.pushed, report.refused),
        (pending as usize, 0),
        "every operation applied"
    );
    let (referrals, events): (i64, i64) = bench
        .server
        .block_on(
            sqlx::query_as(
                "SELECT (SELECT count(*) FROM referrals WHERE clinic_id = $1::uuid),
                        (SELECT count(*) FROM referral_events WHERE organisation_id = $1::uuid)",
            )
            .bind(clinic.id.to_string())
            .fetch_one(&bench.owner),
        )
        .expect("count");
    assert_eq!(
        (referrals as usize, events as usize),
        (patients, patients * 8),
        "the server holds what was pushed"
    );
    println!(
        "sync_now: {:.2} s for {} operations = {:.0} ops/s; {pushes} push requests, server's \
         push handlers {:.2} s ({:.2} ms an operation); then {pulls} pulls of the {} changes \
         echoed back ({:.2} s in the server's handlers)\n       {cpu}",
        took.as_secs_f64(),
        report.pushed,
        report.pushed as f64 / took.as_secs_f64(),
        push_time.as_secs_f64(),
        ms(push_time) / report.pushed.max(1) as f64,
        report.pulled,
        pull_time.as_secs_f64(),
    );
    println!(
        "       checked: the server holds {referrals} referrals with {events} events of this clinic"
    );
    bench.client.block_on(app.close());
    println!(
        "\n{:<46} {:>9} {:>9} {:>9}",
        "measurement", "seconds", "ops/s", "budget"
    );
    println!(
        "{:<46} {:>9.2} {:>9.0} {:>9}",
        format!("push of {} operations (sync_now)", report.pushed),
        took.as_secs_f64(),
        report.pushed as f64 / took.as_secs_f64(),
        "—"
    );
}

/// A patient with a referral letter issued, consent to share, and the
/// referral's story up to its closing: ten operations in the outbox.
async fn make_referred_patient(app: &App, i: usize, today: NaiveDate) {
    const NAMES: &[(&str, &str)] = &[
        ("山田　太郎", "やまだ　たろう"),
        ("鈴木　花子", "すずき　はなこ"),
        ("高橋　清", "たかはし　きよし"),
        ("田中　和子", "たなか　かずこ"),
    ];
    let (name, kana) = NAMES[i % NAMES.len()];
    let patient = app
        .create_patient(&PatientDraft {
            name: name.into(),
            kana: kana.into(),
            birth_date: "1950-04-01".into(),
            sex: Some(if i.is_multiple_of(2) {
                Sex::Male
            } else {
                Sex::Female
            }),
            chart_number: format!("P-{i:05}"),
            ..PatientDraft::default()
        })
        .await
        .expect("patient");
    let patient_id = patient.id.to_string();
    let draft = app
        .start_letter(&patient_id, LetterKind::Referral)
        .await
        .expect("letter draft");
    app.save_letter_draft(
        &draft.id.to_string(),
        &LetterDraftContent {
            to_institution: referral_data::HOSPITALS[i % referral_data::HOSPITALS.len()].into(),
            purpose: "精査加療".into(),
            diagnoses: "心不全".into(),
            ..Default::default()
        },
    )
    .await
    .expect("save draft");
    let referral = app
        .issue_letter(&draft.id.to_string())
        .await
        .expect("issue")
        .summary
        .referral_id
        .expect("a referral letter opens a referral")
        .to_string();
    app.save_consent(
        &patient_id,
        None,
        &ConsentDraft {
            obtained_on: today.to_string(),
            obtained_by: "看護師 佐藤".into(),
            share_with_desk: true,
            share_with_hospital: true,
            withdrawn_on: String::new(),
        },
    )
    .await
    .expect("consent");
    let day = today.to_string();
    let event = |status: &str| EventInput {
        status: status.into(),
        date: day.clone(),
        ..EventInput::default()
    };
    for input in [
        event("received"),
        EventInput {
            department: "循環器内科".into(),
            ..event("visited")
        },
        EventInput {
            ward: "5階東病棟".into(),
            attending: "鈴木".into(),
            ..event("admitted")
        },
        EventInput {
            expected_date: (today + Days::new(7)).to_string(),
            ..event("discharge_planned")
        },
        EventInput {
            destination: "this_clinic".into(),
            ..event("discharged")
        },
        event("returned"),
        EventInput {
            reason: "経過終了".into(),
            ..event("closed")
        },
    ] {
        app.record_referral_event(&referral, &input)
            .await
            .unwrap_or_else(|e| panic!("{}: {e:?}", input.status));
    }
}

// ---------------------------------------------------------------- figures

fn heading(text: &str) {
    println!("\n== {text}");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

/// Prints one row; true when `worst` is over budget.
fn row(name: &str, typical: f64, worst: f64, budget: Option<f64>, decimals: usize) -> bool {
    let over = budget.is_some_and(|b| worst > b);
    let verdict = match budget {
        Some(b) if over => format!("{b} OVER"),
        Some(b) => format!("{b} ok"),
        None => "—".into(),
    };
    println!("{name:<46} {typical:>9.decimals$} {worst:>9.decimals$} {verdict:>9}");
    over
}

/// How long a one-row durable commit takes on this machine: what each
/// pushed operation pays at least once.
async fn commit_cost(owner: &PgPool) -> Vec<Duration> {
    sqlx::query("CREATE TABLE bench_commit (n int)")
        .execute(owner)
        .await
        .expect("table");
    let mut times = Vec::new();
    for n in 0..200 {
        let t = Instant::now();
        sqlx::query("INSERT INTO bench_commit VALUES ($1)")
            .bind(n)
            .execute(owner)
            .await
            .expect("insert");
        times.push(t.elapsed());
    }
    sqlx::query("DROP TABLE bench_commit")
        .execute(owner)
        .await
        .expect("drop");
    times.sort();
    times
}

// ---------------------------------------------------------------- CPU

/// CPU time by who spent it: PostgreSQL's processes, and this process's
/// threads by name — the server's runtime, the clients (their runtime and
/// the main thread, which drives the App), and SQLCipher (sqlx's SQLite
/// worker threads, which run every statement of the App's store).
struct CpuMeter {
    postmaster_pid: Option<String>,
    tick: f64,
}

struct CpuSample {
    at: Instant,
    seconds: BTreeMap<&'static str, f64>,
}

impl CpuMeter {
    fn new(cluster_dir: &Path) -> CpuMeter {
        let postmaster_pid = std::fs::read_to_string(cluster_dir.join("pgdata/postmaster.pid"))
            .ok()
            .and_then(|text| text.lines().next().map(|l| l.trim().to_string()));
        let tick = std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0);
        CpuMeter {
            postmaster_pid,
            tick,
        }
    }

    fn sample(&self) -> CpuSample {
        let mut seconds = BTreeMap::new();
        if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
            for task in tasks.flatten() {
                let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
                let who = if comm.starts_with("bench-server") {
                    "server"
                } else if comm.starts_with("bench-client") || comm.starts_with("bench_sync") {
                    // The main thread runs what it `block_on`s: the App's use
                    // cases and the load generators.
                    "clients"
                } else if comm.starts_with("sqlx-sqlite") {
                    "sqlcipher"
                } else {
                    "other"
                };
                if let Some(f) = stat(&task.path().join("stat")) {
                    *seconds.entry(who).or_insert(0.0) += (f[11] + f[12]) as f64 / self.tick;
                }
            }
        }
        if let Some(postmaster) = &self.postmaster_pid
            && let Ok(processes) = std::fs::read_dir("/proc")
        {
            for process in processes.flatten() {
                let pid = process.file_name().to_string_lossy().into_owned();
                let Some(f) = stat(&process.path().join("stat")) else {
                    continue;
                };
                let used = if pid == *postmaster {
                    // Its own time and its exited children's.
                    f[11] + f[12] + f[13] + f[14]
                } else if f[1].to_string() == *postmaster {
                    f[11] + f[12]
                } else {
                    continue;
                };
                *seconds.entry("postgres").or_insert(0.0) += used as f64 / self.tick;
            }
        }
        // Machine-wide: time the hypervisor gave to others (a noisy run).
        if let Some(steal) = std::fs::read_to_string("/proc/stat").ok().and_then(|text| {
            let cpu = text.lines().next()?.split_whitespace().nth(8)?.to_string();
            cpu.parse::<u64>().ok()
        }) {
            seconds.insert("stolen", steal as f64 / self.tick);
        }
        CpuSample {
            at: Instant::now(),
            seconds,
        }
    }

    fn since(&self, before: &CpuSample) -> String {
        let now = self.sample();
        let wall = now.at.duration_since(before.at).as_secs_f64();
        let parts: Vec<String> = [
            "postgres",
            "server",
            "clients",
            "sqlcipher",
            "other",
            "stolen",
        ]
        .into_iter()
        .map(|who| {
            let used = (now.seconds.get(who).copied().unwrap_or(0.0)
                - before.seconds.get(who).copied().unwrap_or(0.0))
            .max(0.0);
            format!("{who} {used:.2}")
        })
        .collect();
        format!(
            "CPU s over {wall:.2} s wall (2 cores = {:.2} CPU s): {}",
            wall * 2.0,
            parts.join(", ")
        )
    }
}

/// The numeric fields of a /proc stat line after the command name, from
/// field 3 (state, read as 0): `[1]` ppid, `[11]` utime, `[12]` stime,
/// `[13]` cutime, `[14]` cstime.
fn stat(path: &Path) -> Option<Vec<u64>> {
    let text = std::fs::read_to_string(path).ok()?;
    let after = &text[text.rfind(')')? + 1..];
    let fields: Vec<u64> = after
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    (fields.len() > 14).then_some(fields)
}
