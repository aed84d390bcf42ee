//! The regional directory reaches the desktop (issue 18): organisations,
//! their profiles and beds as the real server on a real PostgreSQL holds
//! them, pulled by the clinic's real app into its encrypted store in pages
//! of 5,000, then searched there; a later change, a stopped organisation
//! and a server without a directory.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    reason = "a test fails by panicking; it runs against the real clock"
)]

mod support;

use std::net::SocketAddr;

use chrono::Duration;
use tsunagu_app::{DIRECTORY_PAGE, DirectorySearchDraft};
use tsunagu_protocol::OrgKind;
use tsunagu_testkit::fixtures as common;

use support::clinic::{clinic_app, keyring};
use support::listings::{beds, organisation, profile};
use support::region::{Durability, Region};

fn search(f: impl FnOnce(&mut DirectorySearchDraft)) -> DirectorySearchDraft {
    let mut draft = DirectorySearchDraft::default();
    f(&mut draft);
    draft
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
async fn the_directory_is_pulled_in_pages_and_searched_on_the_desktop() {
    let keys = keyring();
    let region = Region::start(Durability::Throwaway).await;
    let clinic = region
        .organisation(OrgKind::Clinic, "いろは在宅クリニック")
        .await;
    let now = common::now();

    let hospital = organisation(
        &region,
        "hospital",
        "渡邊記念病院",
        "わたなべきねんびょういん",
    )
    .await;
    profile(
        &region,
        hospital,
        "東京都豊島区南池袋1-2-3",
        &["豊島区", "練馬区"],
        &["home_visits", "backup_beds"],
        "yes",
        now - Duration::days(10),
    )
    .await;
    beds(&region, hospital, "community_care", 40, 3).await;
    let station = organisation(
        &region,
        "visiting_nurse_station",
        "池袋訪問看護ステーション",
        "いけぶくろほうもんかんご",
    )
    .await;
    profile(
        &region,
        station,
        "東京都豊島区東池袋3-1-1",
        &["豊島区"],
        &["around_24h"],
        "ask",
        now - Duration::days(120),
    )
    .await;
    // More than a page of others, so the pull takes two.
    sqlx::query(
        "INSERT INTO organisations (id, kind, name, name_kana)
         SELECT gen_random_uuid(), 'care_management_office', '居宅介護支援事業所' || n, 'きょたく' || n
         FROM generate_series(1, $1) AS n",
    )
    .bind(i64::from(DIRECTORY_PAGE) + 100)
    .execute(&region.owner)
    .await
    .unwrap();

    let app = clinic_app(&keys, &region, &clinic, &region.url(), now).await;
    let report = app.app.sync_now().await.unwrap();
    // Every organisation but the desk: the clinic itself too.
    let listed = region
        .count("SELECT count(*) FROM organisations WHERE kind <> 'desk'")
        .await;
    assert_eq!(report.listings as i64, listed);

    // 新字体 finds the 旧字体 name; the result says what the screen shows.
    let found = app
        .app
        .search_directory(&search(|d| d.name = "渡辺".into()))
        .await
        .unwrap();
    assert_eq!(found.total, 1);
    let hit = &found.hits[0];
    assert_eq!(hit.listing.id, hospital);
    assert_eq!(hit.listing.beds.len(), 1);
    assert_eq!(hit.listing.beds[0].available, 3);
    assert!(!hit.stale);
    assert!(
        hit.freshness_label.ends_with("に確認"),
        "{}",
        hit.freshness_label
    );
    let in_area = app
        .app
        .search_directory(&search(|d| {
            d.municipality = "豊島区".into();
            d.open_beds = "community_care".into();
        }))
        .await
        .unwrap();
    assert_eq!(in_area.total, 1);
    let station_hit = app
        .app
        .search_directory(&search(|d| d.kind = "visiting_nurse_station".into()))
        .await
        .unwrap();
    assert!(station_hit.hits[0].stale);
    assert!(station_hit.hits[0].freshness_label.contains("90日以上"));
    assert_eq!(
        app.app
            .directory_area_of("東京都練馬区豊玉北6-12-1")
            .await
            .unwrap()
            .as_deref(),
        Some("練馬区")
    );

    // A change on the server comes with the next sync, alone; a stopped
    // organisation leaves the results.
    sqlx::query("UPDATE organisation_profiles SET accepting = 'no' WHERE organisation_id = $1")
        .bind(hospital)
        .execute(&region.owner)
        .await
        .unwrap();
    sqlx::query("UPDATE organisations SET stopped_at = now() WHERE id = $1")
        .bind(station)
        .execute(&region.owner)
        .await
        .unwrap();
    let report = app.app.sync_now().await.unwrap();
    assert_eq!(report.listings, 2);
    let again = app
        .app
        .search_directory(&search(|d| d.name = "わたなべ".into()))
        .await
        .unwrap();
    assert_eq!(
        again.hits[0].listing.accepting,
        Some(tsunagu_app::Accepting::No)
    );
    let stopped = app
        .app
        .search_directory(&search(|d| d.kind = "visiting_nurse_station".into()))
        .await
        .unwrap();
    assert_eq!(stopped.total, 0);
    // Nothing changed: nothing pulled.
    assert_eq!(app.app.sync_now().await.unwrap().listings, 0);
}

/// A server older than protocol 9 has no `/v1/directory`: in front of the
/// real server, one that answers 404 there and passes everything else on.
async fn without_directory(upstream: SocketAddr) -> SocketAddr {
    use axum::body::Body;
    use axum::extract::Request;
    use axum::http::StatusCode;
    use axum::response::Response;

    let client = reqwest::Client::new();
    let app = axum::Router::new().fallback(move |request: Request| {
        let client = client.clone();
        async move {
            if request.uri().path() == "/v1/directory" {
                return Response::builder()
                    .status(StatusCode::NOT_FOUND)
                    .body(Body::empty())
                    .unwrap();
            }
            let (parts, body) = request.into_parts();
            let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
            let mut forwarded = client.request(
                parts.method.clone(),
                format!("http://{upstream}{}", parts.uri),
            );
            for (name, value) in &parts.headers {
                if name != "host" {
                    forwarded = forwarded.header(name, value);
                }
            }
            let answer = forwarded.body(body).send().await.unwrap();
            let mut response = Response::builder().status(answer.status().as_u16());
            for (name, value) in answer.headers() {
                response = response.header(name, value);
            }
            response
                .body(Body::from(answer.bytes().await.unwrap()))
                .unwrap()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    address
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
async fn a_server_without_a_directory_is_no_error() {
    let keys = keyring();
    let region = Region::start(Durability::Throwaway).await;
    let clinic = region
        .organisation(OrgKind::Clinic, "いろは在宅クリニック")
        .await;
    let older = without_directory(region.server_address).await;
    let app = clinic_app(
        &keys,
        &region,
        &clinic,
        &format!("http://{older}"),
        common::now(),
    )
    .await;
    let report = app.app.sync_now().await.unwrap();
    assert_eq!(report.listings, 0);
    assert_eq!(
        app.app.sync_state().await.unwrap().unwrap().last_error,
        None
    );
}
