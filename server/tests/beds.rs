//! 空床 (issue 18), on a real PostgreSQL and in a real browser: a hospital
//! says its beds per ward type on one screen (its liaison or its
//! administrator; no one else); a count below zero or above the ward's
//! beds is refused on its row and nothing is saved; the desk sees the
//! region's summary, each figure with its time.

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

use common::*;
use portal_visitor::*;
use team_region::*;
use tsunagu_domain::team::Profession;
use tsunagu_protocol::OrgKind;
use tsunagu_server::users::Role;
use uuid::Uuid;

async fn figures(t: &TestServer, hospital: Uuid) -> Vec<(String, i16, i16)> {
    sqlx::query_as(
        "SELECT ward_type, capacity, available FROM hospital_beds WHERE hospital_id = $1
         ORDER BY ward_type",
    )
    .bind(hospital)
    .fetch_all(&t.owner)
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hospital_keeps_its_free_beds_and_the_desk_sees_the_region() {
    let t = server().await;
    let (north, liaison) = liaison_of(&t, "北病院", "north.liaison").await;
    let (south, south_liaison) = liaison_of(&t, "南病院", "south.liaison").await;
    let path = format!("/portal/organisations/{north}/beds");
    let saved = liaison
        .post(
            &t.app,
            &path,
            &[
                ("capacity_general", "120"),
                ("available_general", "４"),
                ("capacity_community_care", "40"),
                ("available_community_care", "2"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        figures(&t, north).await,
        [
            ("community_care".to_string(), 40, 2),
            ("general".to_string(), 120, 4)
        ]
    );

    // Refused on its row; nothing saved, what was typed kept.
    let refused = liaison
        .post(
            &t.app,
            &path,
            &[
                ("capacity_general", "120"),
                ("available_general", "121"),
                ("capacity_respite", "2"),
                ("available_respite", "-1"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("一般の空床数が病床数（120床）を超えています")
    );
    assert!(refused.body.contains("レスパイトの空床数は0以上"));
    assert!(refused.body.contains("value=\"121\""));
    assert_eq!(figures(&t, north).await.len(), 2);

    // No one else keeps them.
    assert_eq!(south_liaison.get(&t.app, &path).await.status, 403);
    let forged = south_liaison
        .post(
            &t.app,
            &path,
            &[("capacity_general", "1"), ("available_general", "1")],
        )
        .await;
    assert_eq!(forged.status, 403);
    let nurse = person(&t, north, "north.nurse", Role::Staff, Profession::Nurse).await;
    assert_eq!(nurse.get(&t.app, &path).await.status, 403);
    assert_eq!(liaison.get(&t.app, "/portal/desk/beds").await.status, 403);

    // The desk's summary.
    let south_path = format!("/portal/organisations/{south}/beds");
    let also = south_liaison
        .post(
            &t.app,
            &south_path,
            &[("capacity_general", "80"), ("available_general", "6")],
        )
        .await;
    assert_eq!(also.status, 303);
    let desk = Person::create(&t, OrgKind::Desk, "desk.suzuki", Role::Desk)
        .await
        .signed_in(&t.app)
        .await;
    let region = desk.get(&t.app, "/portal/desk/beds").await;
    assert_eq!(region.status, 200, "{}", region.body);
    let totals = &region.body[region.body.find("beds-totals").unwrap()..];
    assert!(
        totals.contains("<td>一般</td><td><strong>10</strong></td><td>200</td><td>2</td>"),
        "{totals}"
    );
    assert!(region.body.contains("北病院") && region.body.contains("南病院"));
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'beds-update'")
            .fetch_one(&t.owner)
            .await
            .unwrap();
    assert_eq!(audited, 2);
}

/// The liaison in a real browser updates the beds; the desk sees them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium and ChromeDriver (make test installs them)"]
async fn beds_in_a_browser() {
    let t = server().await;
    let (north, liaison) = liaison_of(&t, "北病院", "north.liaison").await;
    let desk = Person::create(&t, OrgKind::Desk, "desk.suzuki", Role::Desk)
        .await
        .signed_in(&t.app)
        .await;
    let (origin, _handle) = browser::serving(&t).await;
    let browser = browser::Browser::start().await;
    browser.sign_in_as(&origin, &liaison.token).await;
    browser.open(&format!("{origin}/portal/hospital")).await;
    browser.click("#nav-beds").await;
    browser.wait_for_text("空床の更新").await;
    browser.fill("#capacity-general", "120").await;
    browser.fill("#available-general", "4").await;
    browser.fill("#capacity-respite", "2").await;
    browser.fill("#available-respite", "1").await;
    browser.click("#beds-save").await;
    browser.wait_for_text("空床を更新しました").await;
    browser.photograph("beds-hospital.png").await;
    assert_eq!(figures(&t, north).await.len(), 2);
    browser.sign_in_as(&origin, &desk.token).await;
    browser.open(&format!("{origin}/portal/desk")).await;
    browser.click("#nav-region-beds").await;
    let text = browser.wait_for_text("地域の空床").await;
    assert!(text.contains("北病院"), "{text}");
    browser.photograph("beds-region.png").await;
}
