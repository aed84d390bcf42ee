//! The team's pinned 医療・介護連携サマリー (issue 19, ADR 0042) on a real
//! PostgreSQL: the clinic's device uploads the emergency sheet and pins
//! the summary with the current wishes; a member sees it at the top of the
//! team's page (the DNAR badge, 「希望しない」 marked) and opens the sheet;
//! ward staff see it during the stay; an outsider, an invitation not yet
//! accepted and a removed member see neither; every showing is audited;
//! only the owning clinic pins, with the consent in force and known codes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod browser;
mod common;
mod live_events;
mod portal_visitor;
mod team_region;

use chrono::{NaiveDate, Utc};
use common::*;
use live_events::{follow, live_router, next_event};
use portal_visitor::*;
use team_region::*;
use tsunagu_domain::team::{OrganisationKind, Profession};
use tsunagu_protocol::{OrgKind, TeamOp, WirePinnedSummary, WireWishes};
use tsunagu_server::users::Role;
use uuid::Uuid;

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

fn summary() -> WirePinnedSummary {
    WirePinnedSummary {
        problems: vec!["慢性心不全".into(), "2型糖尿病".into()],
        medications: vec!["フロセミド錠20mg 朝".into()],
        allergies: "ペニシリン系（発疹）".into(),
        devices: vec!["在宅酸素 1L/分".into()],
        next_visit: NaiveDate::from_ymd_opt(2026, 12, 14),
        after_hours_phone: "090-1234-5678".into(),
        cautions: "体重が2日で2kg増えたら連絡".into(),
        wishes: Some(WireWishes {
            held_on: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            place_of_care: "home".into(),
            place_of_care_note: "できれば最期まで".into(),
            place_of_death: "home".into(),
            place_of_death_note: String::new(),
            treatments: vec![
                ("cpr".into(), "declines".into()),
                ("ventilation".into(), "declines".into()),
                ("tube_feeding".into(), "undecided".into()),
                ("transfusion".into(), "wants".into()),
                ("drip".into(), "wants".into()),
                ("admission".into(), "undecided".into()),
            ],
            wishes_note: String::new(),
            values: "猫と一緒に家で過ごしたい".into(),
            surrogate_name: "山田 花子".into(),
            surrogate_relation: "長女".into(),
            surrogate_phone: "090-0000-1111".into(),
        }),
    }
}

fn pin(team: Uuid, summary: WirePinnedSummary, sheet: Option<Uuid>) -> TeamOp {
    TeamOp::SummaryPinned {
        team_id: team,
        summary: Box::new(summary),
        emergency_sheet: sheet,
        by: doctor(),
        written_at: Utc::now(),
    }
}

async fn upload(t: &TestServer, credential: &str, id: Uuid, bytes: &[u8]) -> Page {
    send(
        &t.app,
        "PUT",
        &format!("/v1/attachments/{id}?name=emergency.pdf"),
        &[("authorization", &format!("Bearer {credential}"))],
        bytes.to_vec(),
    )
    .await
}

async fn audited(t: &TestServer, action: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(&t.owner)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn members_see_the_pinned_summary_and_the_sheet_and_no_one_else_does() {
    let mut r = region().await;
    let t = &r.t;
    let nurse = r.nurse_on_the_team().await;
    let care = person(
        t,
        r.care_office,
        "care.suzuki",
        Role::Staff,
        Profession::CareManager,
    )
    .await;
    let page = format!("/portal/teams/{}", r.team);
    // Nothing pinned yet: no panel.
    let before = nurse.get(&t.app, &page).await;
    assert!(!before.body.contains("id=\"pinned-summary\""));

    // The clinic uploads the sheet and pins the summary.
    let sheet = Uuid::now_v7();
    let uploaded = upload(t, &r.clinic.credential, sheet, PDF).await;
    assert_eq!(uploaded.status, 200, "{}", uploaded.body);
    applied(&r.clinic.team(t, pin(r.team, summary(), Some(sheet))).await);

    let shown = nurse.get(&t.app, &page).await;
    assert_eq!(shown.status, 200);
    let body = &shown.body;
    assert!(body.contains("医療・介護連携サマリー"), "{body}");
    assert!(body.contains("id=\"dnar-badge\""), "{body}");
    assert!(body.contains("希望しない（DNAR）"), "{body}");
    assert!(
        body.contains("acp-wish-declines"),
        "希望しない is marked: {body}"
    );
    assert!(body.contains("自宅（できれば最期まで）"), "{body}");
    assert!(body.contains("山田 花子（長女） 090-0000-1111"), "{body}");
    assert!(body.contains("慢性心不全、2型糖尿病"), "{body}");
    assert!(body.contains("ペニシリン系（発疹）"));
    assert!(body.contains("令和8年12月14日"), "the next visit: {body}");
    assert!(
        body.contains("さくら内科クリニック 医師 佐藤 花子（第1版）"),
        "{body}"
    );
    assert!(body.contains("救急医療情報シート（PDF）"));
    // The panel comes before the timeline.
    assert!(body.find("id=\"pinned-summary\"").unwrap() < body.find("タイムライン").unwrap());
    let link = format!("/portal/attachments/{sheet}");
    assert!(body.contains(&link), "{body}");
    let pdf = nurse.get(&t.app, &link).await;
    assert_eq!(pdf.status, 200, "{}", pdf.body);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert_eq!(audited(t, "view-team-summary").await, 1);
    assert_eq!(audited(t, "view-emergency-sheet").await, 1);
    assert_eq!(audited(t, "team-summary-pinned").await, 1);

    // A new version replaces it on the page.
    let mut changed = summary();
    if let Some(w) = changed.wishes.as_mut() {
        w.treatments[0].1 = "wants".into();
    }
    applied(&r.clinic.team(t, pin(r.team, changed, None)).await);
    let again = nurse.get(&t.app, &page).await;
    assert!(again.body.contains("（第2版）"), "{}", again.body);
    assert!(!again.body.contains("id=\"dnar-badge\""), "{}", again.body);
    assert!(!again.body.contains("救急医療情報シート（PDF）"));

    // An invitation not yet accepted: the page is closed, no summary.
    let pending = care.get(&t.app, &page).await;
    assert!(pending.body.contains("id=\"closed\""), "{}", pending.body);
    assert!(!pending.body.contains("医療・介護連携サマリー"));
    assert_eq!(care.get(&t.app, &link).await.status, 403);

    // An outsider: no page, no sheet.
    let elsewhere = organisation(
        t,
        OrganisationKind::VisitingNurseStation,
        "あおば訪問看護ステーション",
        false,
    )
    .await;
    let stranger = person(t, elsewhere, "aoba.nurse", Role::Staff, Profession::Nurse).await;
    assert_eq!(stranger.get(&t.app, &page).await.status, 404);
    assert_eq!(stranger.get(&t.app, &link).await.status, 404);

    // Removed: the next request is refused.
    applied(
        &r.clinic
            .team(
                t,
                TeamOp::MemberAction {
                    team_id: r.team,
                    member_id: r.nurse_member,
                    action: "remove".into(),
                },
            )
            .await,
    );
    let out = nurse.get(&t.app, &page).await;
    assert!(out.body.contains("id=\"closed\""), "{}", out.body);
    assert!(!out.body.contains("医療・介護連携サマリー"));
    assert_ne!(nurse.get(&t.app, &link).await.status, 200);
    // Only the two showings to the member were audited as views.
    assert_eq!(audited(t, "view-team-summary").await, 2);
    assert_eq!(audited(t, "view-emergency-sheet").await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn ward_staff_see_it_during_the_stay() {
    let Region {
        t,
        mut clinic,
        patient,
        consent,
        team,
        ..
    } = region().await;
    applied(
        &clinic
            .push(
                &t,
                preregistration_op(consent, patient, vec![], true, false),
            )
            .await,
    );
    let sheet = Uuid::now_v7();
    assert_eq!(upload(&t, &clinic.credential, sheet, PDF).await.status, 200);
    applied(&clinic.team(&t, pin(team, summary(), Some(sheet))).await);
    let (north, yamamoto) = liaison_of(&t, "北病院", "north.yamamoto").await;
    admitted(&t, &yamamoto, patient).await;
    let nurse = person(&t, north, "north.nurse", Role::Staff, Profession::Nurse).await;
    let nurse_id: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE login = 'north.nurse'")
        .fetch_one(&t.owner)
        .await
        .unwrap();
    let page = format!("/portal/teams/{team}");
    let link = format!("/portal/attachments/{sheet}");
    // Not yet invited by name: nothing.
    assert_ne!(nurse.get(&t.app, &link).await.status, 200);
    // The liaison (the office, a member while the patient is in) sees it.
    let office = yamamoto.get(&t.app, &page).await;
    assert!(
        office.body.contains("医療・介護連携サマリー"),
        "{}",
        office.body
    );
    let invited = yamamoto
        .post(
            &t.app,
            &format!("/portal/teams/{team}/ward-staff"),
            &[("user", nurse_id.to_string().as_str()), ("days", "7")],
        )
        .await;
    assert_eq!(invited.status, 303, "{}", invited.body);
    let shown = nurse.get(&t.app, &page).await;
    assert!(
        shown.body.contains("医療・介護連携サマリー"),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("id=\"dnar-badge\""));
    assert_eq!(nurse.get(&t.app, &link).await.status, 200);
    // Her access over: refused on the next request.
    sqlx::query(
        "UPDATE team_members SET access_until = now() - interval '1 minute'
         WHERE user_id = $1",
    )
    .bind(nurse_id)
    .execute(&t.owner)
    .await
    .unwrap();
    let closed = nurse.get(&t.app, &page).await;
    assert!(closed.body.contains("id=\"closed\""), "{}", closed.body);
    assert!(!closed.body.contains("医療・介護連携サマリー"));
    assert_ne!(nurse.get(&t.app, &link).await.status, 200);
    assert_eq!(audited(&t, "view-team-summary").await, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn only_the_owning_clinic_pins_with_consent_known_codes_and_its_own_sheet() {
    let mut r = region().await;
    let t = &r.t;
    applied(&r.clinic.team(t, pin(r.team, summary(), None)).await);
    // Another clinic's device: not its team.
    let (_, other) = enrolled(t, OrgKind::Clinic, "もみじ診療所").await;
    let mut other = Clinic {
        credential: other,
        next_op: 0,
    };
    refused(
        &other.team(t, pin(r.team, summary(), None)).await,
        "主治医の医療機関だけ",
    );
    // A code the domain does not know, a list too long, a bad phone.
    let mut unknown = summary();
    if let Some(w) = unknown.wishes.as_mut() {
        w.treatments[0].1 = "maybe".into();
    }
    refused(
        &r.clinic.team(t, pin(r.team, unknown, None)).await,
        "正しくありません",
    );
    let long = WirePinnedSummary {
        problems: vec!["x".into(); 41],
        ..summary()
    };
    refused(
        &r.clinic.team(t, pin(r.team, long, None)).await,
        "正しくありません",
    );
    let phone = WirePinnedSummary {
        after_hours_phone: "でんわ".into(),
        ..summary()
    };
    refused(
        &r.clinic.team(t, pin(r.team, phone, None)).await,
        "正しくありません",
    );
    // A sheet the clinic never uploaded, or another's.
    refused(
        &r.clinic
            .team(t, pin(r.team, summary(), Some(Uuid::now_v7())))
            .await,
        "救急医療情報シート",
    );
    let theirs = Uuid::now_v7();
    assert_eq!(upload(t, &other.credential, theirs, PDF).await.status, 200);
    refused(
        &r.clinic.team(t, pin(r.team, summary(), Some(theirs))).await,
        "救急医療情報シート",
    );
    // The consent withdrawn: nothing more is pinned.
    applied(
        &r.clinic
            .push(t, consent_op(r.consent, r.patient, true, Some(d(1, 11))))
            .await,
    );
    let outcome = r.clinic.team(t, pin(r.team, summary(), None)).await;
    assert_eq!(outcome["outcome"], "refused", "{outcome}");
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM team_pinned_summaries")
        .fetch_one(&t.owner)
        .await
        .unwrap();
    assert_eq!(kept, 1, "only the first was kept");
    // A version stays as written: the runtime role may not rewrite it.
    let err = sqlx::query("UPDATE team_pinned_summaries SET author = 'x'")
        .execute(&t.pool)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("permission denied"), "{err}");
}

/// A member's open team page hears of a new summary version on its own
/// event: its number is the version, not the timeline's.
#[tokio::test(flavor = "multi_thread")]
async fn an_open_team_page_hears_of_a_new_summary() {
    let mut r = region().await;
    let t = &r.t;
    let (app, _listening) = live_router(&t.pool);
    let nurse = r.nurse_on_the_team().await;
    let (mut body, mut buffer) =
        follow(&app, &nurse.token, &format!("/portal/live?team={}", r.team)).await;

    for version in ["1", "2"] {
        applied(&r.clinic.team(t, pin(r.team, summary(), None)).await);
        let mut heard = None;
        while let Some((event, data)) = next_event(&mut body, &mut buffer).await {
            if event == "summary" {
                heard = Some(data);
                break;
            }
        }
        assert_eq!(heard.as_deref(), Some(version));
    }
}

/// The pinned panel as a member sees it in Chromium, photographed for a
/// look: the badge, the answers, the link to the sheet; a new version
/// pinned while the page is open appears on it by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium and ChromeDriver (make test installs them)"]
async fn a_member_sees_the_pinned_summary_in_a_browser() {
    let mut r = region().await;
    let nurse = r.nurse_on_the_team().await;
    let t = &r.t;
    let sheet = Uuid::now_v7();
    assert_eq!(
        upload(t, &r.clinic.credential, sheet, PDF).await.status,
        200
    );
    applied(&r.clinic.team(t, pin(r.team, summary(), Some(sheet))).await);
    let (origin, _handle) = browser::serving(t).await;
    let browser = browser::Browser::start().await;
    browser.sign_in_as(&origin, &nurse.token).await;
    let text = browser
        .open_showing(
            &format!("{origin}/portal/teams/{}", r.team),
            "医療・介護連携サマリー",
        )
        .await;
    assert!(text.contains("DNAR"), "{text}");
    assert!(text.contains("希望しない（DNAR）"), "{text}");
    assert!(text.contains("救急医療情報シート（PDF）"), "{text}");
    let shot = browser.photograph("team-pinned-summary.png").await;
    println!("screenshot: {}", shot.display());

    // The clinic changes the summary while the page is open.
    let changed = WirePinnedSummary {
        cautions: "夜間の呼吸苦は当院へ直接連絡".into(),
        ..summary()
    };
    applied(&r.clinic.team(t, pin(r.team, changed, Some(sheet))).await);
    let text = browser.wait_for_text("夜間の呼吸苦は当院へ直接連絡").await;
    assert!(text.contains("第2版"), "{text}");
}
