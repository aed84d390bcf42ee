//! The directory's search and its copy on devices (issue 18), on a real
//! PostgreSQL: the portal's search filters by kind, what an organisation
//! can do, area, taking patients, open beds and name (新字体 finds 旧字体,
//! kana of any width finds the reading), puts those taking patients
//! first and says how fresh each is; a bad search is refused in Japanese.
//! A device pulls the listings changed after its version, page by page,
//! and hears of a change and of a stop.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod browser;
mod common;
mod portal_visitor;
mod team_region;

use axum::http::StatusCode;
use common::*;
use portal_visitor::*;
use serde_json::{Value, json};
use team_region::*;
use tsunagu_domain::directory::search::listing_name_key;
use tsunagu_domain::team::{OrganisationKind, Profession};
use tsunagu_protocol::{OrgKind, PROTOCOL_VERSION};
use tsunagu_server::users::Role;
use uuid::Uuid;

/// Saves `organisation`'s profile as its own administrator would.
async fn profile(t: &TestServer, organisation: Uuid, login: &str, fields: &[(&str, &str)]) {
    let admin = person(
        t,
        organisation,
        login,
        Role::OrgAdmin,
        Profession::Physician,
    )
    .await;
    let saved = admin
        .post(
            &t.app,
            &format!("/portal/organisations/{organisation}/profile"),
            fields,
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
}

/// The reading, as an import writes it with the name's key.
async fn reading(t: &TestServer, organisation: Uuid, kana: &str) {
    let name: String = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
        .bind(organisation)
        .fetch_one(&t.owner)
        .await
        .unwrap();
    sqlx::query("UPDATE organisations SET name_kana = $2, search_key = $3 WHERE id = $1")
        .bind(organisation)
        .bind(kana)
        .bind(listing_name_key(&name, kana))
        .execute(&t.owner)
        .await
        .unwrap();
}

/// The names in a results page, in order.
fn names(body: &str) -> Vec<String> {
    body.split("<tr id=\"result-")
        .skip(1)
        .map(|row| {
            let start = row.find("<strong>").unwrap() + "<strong>".len();
            row[start..row.find("</strong>").unwrap()].to_string()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_portal_finds_organisations_by_what_they_can_do_and_where() {
    let t = server().await;
    let old = organisation(&t, OrganisationKind::Clinic, "齋藤在宅クリニック", false).await;
    let full = organisation(&t, OrganisationKind::Clinic, "池袋ほーむクリニック", false).await;
    let far = organisation(&t, OrganisationKind::Clinic, "練馬在宅診療所", false).await;
    let station = organisation(
        &t,
        OrganisationKind::VisitingNurseStation,
        "みどり訪問看護ステーション",
        false,
    )
    .await;
    let hospital = organisation(&t, OrganisationKind::Hospital, "北病院", false).await;
    reading(&t, old, "さいとうざいたくくりにっく").await;
    let home_care = [
        ("municipalities", "豊島区、板橋区"),
        ("offer_home_visits", "on"),
        ("offer_around_24h", "on"),
        ("offer_end_of_life", "on"),
    ];
    profile(
        &t,
        old,
        "saito.admin",
        &[&home_care[..], &[("accepting", "yes")]].concat(),
    )
    .await;
    profile(
        &t,
        full,
        "ikebukuro.admin",
        &[&home_care[..], &[("accepting", "no")]].concat(),
    )
    .await;
    profile(
        &t,
        far,
        "nerima.admin",
        &[
            ("municipalities", "練馬区"),
            ("offer_around_24h", "on"),
            ("offer_end_of_life", "on"),
            ("accepting", "yes"),
        ],
    )
    .await;
    profile(
        &t,
        station,
        "midori.admin",
        &[
            ("municipalities", "豊島区"),
            ("offer_end_of_life", "on"),
            ("accepting", "ask"),
        ],
    )
    .await;
    let liaison = person(
        &t,
        hospital,
        "kita.liaison",
        Role::Liaison,
        Profession::Liaison,
    )
    .await;
    let beds = liaison
        .post(
            &t.app,
            &format!("/portal/organisations/{hospital}/beds"),
            &[("capacity_respite", "4"), ("available_respite", "1")],
        )
        .await;
    assert_eq!(beds.status, 303, "{}", beds.body);

    let search = async |query: &str| {
        let page = liaison
            .get(&t.app, &format!("/portal/directory?{query}"))
            .await;
        assert_eq!(page.status, 200, "{query}: {}", page.body);
        page
    };
    // 24時間・看取り in 豊島区: the two clinics and not Nerima's, the one
    // taking patients first.
    let found = search(
        "kind=clinic&offer_around_24h=on&offer_end_of_life=on&municipality=%E8%B1%8A%E5%B3%B6%E5%8C%BA",
    )
    .await;
    assert_eq!(
        names(&found.body),
        ["齋藤在宅クリニック", "池袋ほーむクリニック"]
    );
    assert!(found.body.contains("2件"));
    assert!(found.body.contains("に確認"), "freshness is shown");
    // Taking patients now: only Saito.
    let taking =
        search("offer_end_of_life=on&municipality=%E8%B1%8A%E5%B3%B6%E5%8C%BA&accepting=on").await;
    assert_eq!(names(&taking.body), ["齋藤在宅クリニック"]);
    // 新字体 finds 旧字体; half-width kana finds the reading.
    for typed in ["斎藤", "%EF%BD%BB%EF%BD%B2%EF%BE%84%EF%BD%B3"] {
        let by_name = search(&format!("name={typed}")).await;
        assert_eq!(names(&by_name.body), ["齋藤在宅クリニック"], "{typed}");
    }
    // A LIKE wildcard typed is a character, not a pattern.
    assert!(names(&search("name=%25").await.body).is_empty());
    // Open respite beds: the hospital, with its figure and time.
    let respite = search("beds=respite").await;
    assert_eq!(names(&respite.body), ["北病院"]);
    assert!(respite.body.contains("空床 レスパイト 1/4床"));
    // Never confirmed: said so.
    assert!(respite.body.contains("情報がまだ確認されていません"));
    // The visiting nurse station, by kind.
    let stations = search("kind=visiting_nurse_station").await;
    assert_eq!(names(&stations.body), ["みどり訪問看護ステーション"]);
    assert!(stations.body.contains("要相談"));

    // A bad search is refused in Japanese and finds nothing.
    let bad = liaison
        .get(&t.app, "/portal/directory?kind=spaceport")
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("種別の値が正しくありません"));
    assert!(names(&bad.body).is_empty());
}

async fn pull(t: &TestServer, credential: &str, since: i64, limit: u32) -> (StatusCode, Value) {
    t.post_json(
        "/v1/directory",
        Some(credential),
        json!({"version": PROTOCOL_VERSION, "since": since, "limit": limit}),
    )
    .await
}

fn listed_names(page: &Value) -> Vec<String> {
    page["listings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_device_pulls_the_listings_changed_after_its_version() {
    let t = server().await;
    let (_, credential) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let station = organisation(
        &t,
        OrganisationKind::VisitingNurseStation,
        "みどり訪問看護ステーション",
        false,
    )
    .await;
    let pharmacy = organisation(&t, OrganisationKind::Pharmacy, "あおば薬局", false).await;
    Person::create(&t, OrgKind::Desk, "desk.suzuki", Role::Desk).await;

    // Page by page, in version order; the desk is no listing.
    let (status, first) = pull(&t, &credential, 0, 2).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["more"], true);
    let (_, second) = pull(&t, &credential, first["through"].as_i64().unwrap(), 2).await;
    assert_eq!(second["more"], false);
    let mut all = listed_names(&first);
    all.extend(listed_names(&second));
    all.sort();
    assert_eq!(
        all,
        [
            "あおば薬局",
            "さくら内科クリニック",
            "みどり訪問看護ステーション"
        ]
    );
    let through = second["through"].as_i64().unwrap();
    let (_, nothing) = pull(&t, &credential, through, 100).await;
    assert!(listed_names(&nothing).is_empty());
    assert_eq!(nothing["through"], through);

    // A profile saved: the station again, whole, with its confirmation.
    profile(
        &t,
        station,
        "midori.admin",
        &[
            ("municipalities", "豊島区"),
            ("offer_around_24h", "on"),
            ("accepting", "yes"),
        ],
    )
    .await;
    let (_, changed) = pull(&t, &credential, through, 100).await;
    assert_eq!(listed_names(&changed), ["みどり訪問看護ステーション"]);
    let listing = &changed["listings"][0];
    assert_eq!(listing["offers"], json!(["around_24h"]));
    assert_eq!(listing["municipalities"], json!(["豊島区"]));
    assert_eq!(listing["accepting"], "yes");
    assert!(listing["confirmed"].as_array().unwrap().len() >= 4);
    let through = changed["through"].as_i64().unwrap();

    // A signing-in that changes nothing listed sends nothing again.
    sqlx::query("UPDATE organisations SET requires_approval = true WHERE id = $1")
        .bind(pharmacy)
        .execute(&t.owner)
        .await
        .unwrap();
    assert!(listed_names(&pull(&t, &credential, through, 100).await.1).is_empty());

    // Stopped: listed as stopped, so the device's copy learns it.
    let admin = Person::create(&t, OrgKind::Desk, "kanri", Role::Admin)
        .await
        .signed_in(&t.app)
        .await;
    let stop = admin
        .post(
            &t.app,
            &format!("/portal/admin/organisations/{pharmacy}/stop"),
            &[("action", "stop")],
        )
        .await;
    assert_eq!(stop.status, 303, "{}", stop.body);
    let (_, stopped) = pull(&t, &credential, through, 100).await;
    assert_eq!(listed_names(&stopped), ["あおば薬局"]);
    assert_eq!(stopped["listings"][0]["stopped"], true);

    // Too many at once, or no credential: refused.
    let (status, body) = pull(&t, &credential, 0, 100_000).await;
    assert_eq!(status, 413, "{body}");
    assert!(body["message"].as_str().unwrap().contains("10000件まで"));
    let (status, _) = t
        .post_json(
            "/v1/directory",
            None,
            json!({"version": PROTOCOL_VERSION, "since": 0, "limit": 10}),
        )
        .await;
    assert_eq!(status, 401);
}
