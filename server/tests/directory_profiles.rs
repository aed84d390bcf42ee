//! The regional directory's profiles (issue 18), on a real PostgreSQL: an
//! organisation's administrator keeps its own profile (its staff and other
//! organisations may not), the desk edits any; a field of another kind or
//! a bad value is refused on its field and changes nothing; each part
//! shows when it was confirmed, and one unconfirmed for 90 days is stale
//! and its administrator is reminded. In a real browser, a visiting nurse
//! station updates its profile.

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
use tsunagu_domain::team::{OrganisationKind, Profession};
use tsunagu_protocol::OrgKind;
use tsunagu_server::users::Role;
use uuid::Uuid;

async fn offers_of(t: &TestServer, organisation: Uuid) -> Vec<String> {
    sqlx::query_scalar("SELECT offers FROM organisation_profiles WHERE organisation_id = $1")
        .bind(organisation)
        .fetch_optional(&t.owner)
        .await
        .unwrap()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_organisation_keeps_its_own_profile_and_the_desk_any() {
    let t = server().await;
    let station = organisation(
        &t,
        OrganisationKind::VisitingNurseStation,
        "みどり訪問看護ステーション",
        false,
    )
    .await;
    let other = organisation(&t, OrganisationKind::Pharmacy, "さくら薬局", false).await;
    let admin = person(
        &t,
        station,
        "midori.admin",
        Role::OrgAdmin,
        Profession::Nurse,
    )
    .await;
    let staff = person(&t, station, "midori.nurse", Role::Staff, Profession::Nurse).await;
    let path = format!("/portal/organisations/{station}/profile");

    let shown = admin.get(&t.app, &path).await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert!(shown.body.contains("24時間対応") && shown.body.contains("特別管理"));
    assert!(
        !shown.body.contains("無菌調剤"),
        "a pharmacy's item is not offered"
    );
    assert!(shown.body.contains("未確認"));

    let saved = admin
        .post(
            &t.app,
            &path,
            &[
                ("address", "東京都豊島区南池袋1-2-3"),
                ("phone", "03-3981-2222"),
                ("hours", "平日 9:00〜18:00"),
                ("municipalities", "豊島区、練馬区"),
                ("radius_km", "５"),
                ("offer_around_24h", "on"),
                ("offer_end_of_life", "on"),
                ("accepting", "yes"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(offers_of(&t, station).await, ["around_24h", "end_of_life"]);
    let phone: String = sqlx::query_scalar("SELECT phone FROM organisations WHERE id = $1")
        .bind(station)
        .fetch_one(&t.owner)
        .await
        .unwrap();
    assert_eq!(phone, "03-3981-2222");
    let page = admin.get(&t.app, &path).await;
    assert!(page.body.contains("確認日 "), "{}", page.body);
    assert!(!page.body.contains("id=\"profile-stale\""));

    // Refused on its field, nothing changed, what was typed kept.
    let refused = admin
        .post(
            &t.app,
            &path,
            &[
                ("address", "東京都豊島区南池袋9-9-9"),
                ("municipalities", "豊島区、池袋駅前"),
                ("offer_sterile_compounding", "on"),
                ("radius_km", "500"),
                ("accepting", "yes"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("「池袋駅前」は市区町村名として読めません")
    );
    assert!(
        refused
            .body
            .contains("「無菌調剤」は訪問看護ステーションの項目ではありません")
    );
    assert!(refused.body.contains("1〜50km"));
    assert!(refused.body.contains("南池袋9-9-9"));
    assert_eq!(offers_of(&t, station).await, ["around_24h", "end_of_life"]);

    // Its staff, and another organisation's administrator, may not.
    assert_eq!(staff.get(&t.app, &path).await.status, 403);
    let other_admin = person(
        &t,
        other,
        "sakura.admin",
        Role::OrgAdmin,
        Profession::Pharmacist,
    )
    .await;
    assert_eq!(other_admin.get(&t.app, &path).await.status, 403);
    let forged = other_admin
        .post(&t.app, &path, &[("accepting", "no")])
        .await;
    assert_eq!(forged.status, 403);

    // The desk edits any, and each save is audited.
    let desk = Person::create(&t, OrgKind::Desk, "desk.suzuki", Role::Desk)
        .await
        .signed_in(&t.app)
        .await;
    let by_desk = desk
        .post(
            &t.app,
            &path,
            &[
                ("municipalities", "豊島区"),
                ("offer_around_24h", "on"),
                ("accepting", "ask"),
            ],
        )
        .await;
    assert_eq!(by_desk.status, 303, "{}", by_desk.body);
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'profile-update' AND entity_id = $1",
    )
    .bind(station.to_string())
    .fetch_one(&t.owner)
    .await
    .unwrap();
    assert_eq!(audited, 2);

    // 90 days on (the clock moved): stale, and the administrator is told.
    sqlx::query(
        "UPDATE organisation_profiles SET confirmed = jsonb_set(confirmed, '{offers}',
           to_jsonb((now() - interval '91 days')::text)) WHERE organisation_id = $1",
    )
    .bind(station)
    .execute(&t.owner)
    .await
    .unwrap();
    let stale = admin.get(&t.app, &path).await;
    assert!(
        stale.body.contains("id=\"profile-stale\""),
        "{}",
        stale.body
    );
    assert!(stale.body.contains("（要確認）"));
    let home = admin.get(&t.app, "/portal/teams").await;
    assert!(
        home.body.contains("id=\"profile-reminder\""),
        "{}",
        home.body
    );
}

/// A visiting nurse station's administrator keeps its profile in a real
/// browser.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium and ChromeDriver (make test installs them)"]
async fn a_station_updates_its_profile_in_a_browser() {
    let t = server().await;
    let station = organisation(
        &t,
        OrganisationKind::VisitingNurseStation,
        "みどり訪問看護ステーション",
        false,
    )
    .await;
    let admin = person(
        &t,
        station,
        "midori.admin",
        Role::OrgAdmin,
        Profession::Nurse,
    )
    .await;
    let (origin, _handle) = browser::serving(&t).await;
    let browser = browser::Browser::start().await;
    browser.sign_in_as(&origin, &admin.token).await;
    browser.open(&format!("{origin}/portal/teams")).await;
    browser.click("#nav-profile").await;
    browser.wait_for_text("対応できること").await;
    browser.fill("#pf-address", "東京都豊島区南池袋1-2-3").await;
    browser.fill("#pf-municipalities", "豊島区、練馬区").await;
    browser.click("#offer-around_24h").await;
    browser.click("#offer-end_of_life").await;
    browser.click("#accepting-yes").await;
    browser.click("#pf-save").await;
    let text = browser.wait_for_text("機関情報を保存しました").await;
    assert!(text.contains("確認日"), "{text}");
    let shot = browser.photograph("directory-profile.png").await;
    println!("screenshot {}", shot.display());
    let offers = offers_of(&t, station).await;
    assert_eq!(offers, ["around_24h", "end_of_life"]);
}

/// The desk lists the region's 市区町村: a profile's area outside it is
/// refused on the field and nothing changes; the list itself is checked.
#[tokio::test(flavor = "multi_thread")]
async fn an_area_outside_the_region_is_refused() {
    let t = server().await;
    let station = organisation(
        &t,
        OrganisationKind::VisitingNurseStation,
        "みどり訪問看護ステーション",
        false,
    )
    .await;
    let admin = person(
        &t,
        station,
        "midori.admin",
        Role::OrgAdmin,
        Profession::Nurse,
    )
    .await;
    let desk = Person::create(&t, OrgKind::Desk, "desk.suzuki", Role::Desk)
        .await
        .signed_in(&t.app)
        .await;
    assert_eq!(admin.get(&t.app, "/portal/desk/region").await.status, 403);
    let bad = desk
        .post(
            &t.app,
            "/portal/desk/region",
            &[("municipalities", "豊島区、池袋駅前")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body
            .contains("「池袋駅前」は市区町村名として読めません")
    );
    let set = desk
        .post(
            &t.app,
            "/portal/desk/region",
            &[("municipalities", "豊島区、練馬区")],
        )
        .await;
    assert_eq!(set.status, 303, "{}", set.body);

    let path = format!("/portal/organisations/{station}/profile");
    assert!(
        admin
            .get(&t.app, &path)
            .await
            .body
            .contains("この地域：豊島区、練馬区")
    );
    let outside = admin
        .post(&t.app, &path, &[("municipalities", "豊島区、札幌市")])
        .await;
    assert_eq!(outside.status, 422);
    assert!(
        outside
            .body
            .contains("「札幌市」はこの地域の市区町村ではありません")
    );
    assert!(offers_of(&t, station).await.is_empty());
    let inside = admin
        .post(&t.app, &path, &[("municipalities", "練馬区")])
        .await;
    assert_eq!(inside.status, 303, "{}", inside.body);
}

/// The administrator lets a member of its staff keep the profile: she
/// then may, and may not once the administrator takes it back; nobody
/// else's administrator can choose her.
#[tokio::test(flavor = "multi_thread")]
async fn a_designated_member_keeps_the_profile() {
    let t = server().await;
    let station = organisation(
        &t,
        OrganisationKind::VisitingNurseStation,
        "みどり訪問看護ステーション",
        false,
    )
    .await;
    let other = organisation(&t, OrganisationKind::Pharmacy, "さくら薬局", false).await;
    let admin = person(
        &t,
        station,
        "midori.admin",
        Role::OrgAdmin,
        Profession::Nurse,
    )
    .await;
    let other_admin = person(
        &t,
        other,
        "sakura.admin",
        Role::OrgAdmin,
        Profession::Pharmacist,
    )
    .await;
    let nurse = Person::of(&t, station, "midori.nurse", Role::Staff, Profession::Nurse).await;
    let path = format!("/portal/organisations/{station}/profile");
    let session = nurse.signed_in(&t.app).await;
    assert_eq!(session.get(&t.app, &path).await.status, 403);

    let id = nurse.id.to_string();
    let fields = [("user", id.as_str()), ("keeps", "on")];
    let refused = other_admin
        .post(
            &t.app,
            &format!("/portal/organisations/{other}/profile-keeper"),
            &fields,
        )
        .await;
    assert_eq!(refused.status, 403, "not one of its staff");
    let chosen = admin
        .post(
            &t.app,
            &format!("/portal/organisations/{station}/profile-keeper"),
            &fields,
        )
        .await;
    assert_eq!(chosen.status, 303, "{}", chosen.body);
    assert!(
        admin
            .get(&t.app, &format!("/portal/organisations/{station}/staff"))
            .await
            .body
            .contains("担当を外す")
    );
    // Her session reads the choice as it is now.
    let page = session.get(&t.app, &path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("id=\"nav-profile\""));
    let saved = session
        .post(
            &t.app,
            &path,
            &[("municipalities", "豊島区"), ("offer_around_24h", "on")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(offers_of(&t, station).await, ["around_24h"]);

    let fields = [("user", id.as_str()), ("keeps", "off")];
    admin
        .post(
            &t.app,
            &format!("/portal/organisations/{station}/profile-keeper"),
            &fields,
        )
        .await;
    assert_eq!(session.get(&t.app, &path).await.status, 403);
}
