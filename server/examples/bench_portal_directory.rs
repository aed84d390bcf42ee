//! `make bench`: the portal's directory search (issue 18) among 30,000
//! organisations, a prefecture's worth, each with a profile (what it can
//! do, the area it serves, whether it takes patients) and hospitals with
//! beds. Each kind of search is timed as a liaison's browser asks it,
//! from the request to the whole page. Budget: p99 ≤ 20 ms. Figures
//! only: nothing here asserts a time.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::disallowed_methods,
    reason = "a benchmark prints its figures and stops on any failure"
)]

use std::time::{Duration, Instant};

use sqlx::PgPool;
use tsunagu_domain::directory::offers_for;
use tsunagu_domain::directory::search::listing_name_key;
use tsunagu_domain::team::OrganisationKind;
use tsunagu_server::api::{Limits, ServerState, router};
use tsunagu_server::db::{RUNTIME_ROLE, connect, connect_and_migrate};
use tsunagu_server::local_pg::{Durability, LocalPostgres};
use uuid::Uuid;

#[path = "support/mod.rs"]
mod support;
use support::{report, session_for};

const ORGANISATIONS: usize = 30_000;
const SAMPLES: usize = 200;

/// The region's 市区町村 the organisations serve.
const AREAS: [&str; 12] = [
    "豊島区",
    "練馬区",
    "板橋区",
    "北区",
    "新宿区",
    "文京区",
    "中野区",
    "杉並区",
    "府中市",
    "調布市",
    "三鷹市",
    "武蔵野市",
];
/// Family names, some in 旧字体, for names and readings.
const FAMILY: [(&str, &str); 8] = [
    ("齋藤", "さいとう"),
    ("渡邊", "わたなべ"),
    ("高橋", "たかはし"),
    ("佐藤", "さとう"),
    ("櫻井", "さくらい"),
    ("鈴木", "すずき"),
    ("田中", "たなか"),
    ("伊藤", "いとう"),
];

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
    println!(
        "Tsunagu directory benchmark: the portal's search among {ORGANISATIONS} organisations"
    );
    let hospital = fill_region(&owner).await;
    sqlx::query("ANALYZE").execute(&owner).await.unwrap();

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
    let token = session_for(&owner, hospital, "kita.liaison", "liaison", "liaison").await;
    let client = reqwest::Client::new();

    let searches: [(&str, &str); 6] = [
        (
            "24時間・看取りの診療所（対応できること）",
            "kind=clinic&offer_around_24h=on&offer_end_of_life=on",
        ),
        (
            "豊島区で受入可の訪問看護（地域・受入）",
            "kind=visiting_nurse_station&municipality=豊島区&accepting=on",
        ),
        ("名称をかなで（さいとう）", "name=さいとう"),
        ("名称を半角カナで（ﾜﾀﾅﾍﾞ）", "name=ﾜﾀﾅﾍﾞ"),
        ("名称を新字体で（斎藤 → 齋藤）", "name=斎藤"),
        ("レスパイトの空床がある病院", "beds=respite"),
    ];
    for (label, query) in searches {
        let mut times = Vec::with_capacity(SAMPLES);
        for n in 0..SAMPLES + 10 {
            let at = Instant::now();
            let answer = client
                .get(format!("{base}/portal/directory?{query}"))
                .header("cookie", format!("tsunagu_session={token}"))
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), 200, "{label}");
            let page = answer.text().await.unwrap();
            assert!(page.contains("result-"), "{label} finds some");
            // The first requests warm the connection and the caches.
            if n >= 10 {
                times.push(at.elapsed());
            }
        }
        report(
            &format!("portal directory search, {label}"),
            &mut times,
            Duration::from_millis(20),
        );
    }
    handle.graceful_shutdown(Some(Duration::from_secs(1)));
}

/// 30,000 organisations of every kind with profiles, and beds for the
/// hospitals; the liaison's hospital's id.
async fn fill_region(owner: &PgPool) -> Uuid {
    let kinds = [
        (OrganisationKind::Clinic, "クリニック", "くりにっく"),
        (
            OrganisationKind::VisitingNurseStation,
            "訪問看護ステーション",
            "ほうもんかんご",
        ),
        (
            OrganisationKind::CareManagementOffice,
            "居宅介護支援事業所",
            "きょたく",
        ),
        (OrganisationKind::Pharmacy, "薬局", "やっきょく"),
        (OrganisationKind::DentalClinic, "歯科医院", "しかいいん"),
        (OrganisationKind::Hospital, "病院", "びょういん"),
        (
            OrganisationKind::CareService,
            "ヘルパーステーション",
            "へるぱー",
        ),
    ];
    let (mut ids, mut names, mut kanas, mut kind_codes, mut keys) =
        (vec![], vec![], vec![], vec![], vec![]);
    let (mut areas, mut offers, mut accepting) = (vec![], vec![], vec![]);
    for i in 0..ORGANISATIONS {
        let (kind, suffix, kana_suffix) = kinds[i % kinds.len()];
        let (family, family_kana) = FAMILY[(i / kinds.len()) % FAMILY.len()];
        let name = format!("{family}{suffix}{i}");
        let kana = format!("{family_kana}{kana_suffix}{i}");
        let can: Vec<&str> = offers_for(kind)
            .iter()
            .enumerate()
            .filter(|(n, _)| (i + n) % 3 != 0)
            .map(|(_, o)| o.code())
            .collect();
        ids.push(Uuid::from_u128(i as u128 + 1));
        keys.push(listing_name_key(&name, &kana));
        names.push(name);
        kanas.push(kana);
        kind_codes.push(kind.code());
        areas.push(format!(
            "{{{},{}}}",
            AREAS[i % AREAS.len()],
            AREAS[(i / 7) % AREAS.len()]
        ));
        offers.push(format!("{{{}}}", can.join(",")));
        accepting.push(["yes", "ask", "no"][i % 3]);
    }
    sqlx::query(
        // Seeded as the import writes (migration 0028): each row with its
        // own directory version, the counter set once after.
        "INSERT INTO organisations (id, kind, name, name_kana, search_key, phone,
           directory_version)
         SELECT id, kind, name, kana, key, '03-0000-0000', 1000 + n
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])
           WITH ORDINALITY AS u(id, kind, name, kana, key, n)",
    )
    .bind(&ids)
    .bind(&kind_codes)
    .bind(&names)
    .bind(&kanas)
    .bind(&keys)
    .execute(owner)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO organisation_profiles (organisation_id, address, municipalities, offers,
           accepting, confirmed, updated_by)
         SELECT id, '東京都' || (m::text[])[1] || '1-1', m::text[], o::text[], a,
           jsonb_build_object('contact', now(), 'hours', now(), 'area', now(),
             'offers', now(), 'accepting', now()), 'import:bench'
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS u(id, m, o, a)",
    )
    .bind(&ids)
    .bind(&areas)
    .bind(&offers)
    .bind(&accepting)
    .execute(owner)
    .await
    .unwrap();
    sqlx::query("UPDATE directory_counter SET last = 1000 + $1")
        .bind(ORGANISATIONS as i64)
        .execute(owner)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO hospital_beds (hospital_id, ward_type, capacity, available, updated_by)
         SELECT id, w, 40, (hashtext(id::text || w) & 7), 'bench' FROM organisations,
           unnest(ARRAY['general', 'community_care', 'respite']) AS w
         WHERE kind = 'hospital'",
    )
    .execute(owner)
    .await
    .unwrap();
    ids[kinds
        .iter()
        .position(|(k, ..)| *k == OrganisationKind::Hospital)
        .unwrap()]
}
