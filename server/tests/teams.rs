//! The home-care team on a real PostgreSQL (issue 16): the clinic's
//! device starts a team and invites; a visiting nurse and a care manager
//! answer and post in the portal (a 訪問報告 with vital signs and a photo,
//! a 相談 the clinic answers); everything reaches the clinic's feed; and
//! the authorisation matrix: who may see, post, answer and fetch what,
//! including strangers, clerks, invitations not yet answered, expired and
//! cancelled ones, removed members and a withdrawn consent.

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

use common::*;
use live_events::{follow, live_router, next_event};
use portal_visitor::*;
use team_region::*;
use tsunagu_domain::team::{OrganisationKind, Profession};
use tsunagu_protocol::{OrgKind, TeamOp, WireNewEntry};
use tsunagu_server::users::Role;
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread")]
async fn a_nurse_accepts_reports_a_visit_with_a_photo_and_the_clinic_reads_it_all() {
    let mut r = region().await;
    let t = &r.t;
    let nurse = person(
        t,
        r.nurse_station,
        "nurse.tanaka",
        Role::Staff,
        Profession::Nurse,
    )
    .await;
    let list = nurse.get(&t.app, "/portal/teams").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("届いている招待"), "{}", list.body);
    assert!(list.body.contains("山田 太郎"));
    // Before accepting, the team's timeline is closed to the station.
    let page = nurse
        .get(&t.app, &format!("/portal/teams/{}", r.team))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"closed\""), "{}", page.body);
    let before = portal_post(
        t,
        &nurse,
        r.team,
        &[("kind", "note"), ("body", "はじめまして")],
        None,
    )
    .await;
    assert_eq!(before.status, 409, "{}", before.body);
    // Accept.
    let member = r.nurse_member.to_string();
    let accepted = nurse
        .post(
            &t.app,
            &format!("/portal/teams/{}/members", r.team),
            &[("member", &member), ("action", "accept")],
        )
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    // A second acceptance changes nothing and says so.
    let again = nurse
        .post(
            &t.app,
            &format!("/portal/teams/{}/members", r.team),
            &[("member", &member), ("action", "accept")],
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(again.body.contains("既に参加しています"), "{}", again.body);
    // A 訪問報告 with vital signs and a photo.
    let posted = portal_post(
        t,
        &nurse,
        r.team,
        &[
            ("kind", "visit_report"),
            ("body", "訪問しました。<b>食欲</b>あり。"),
            ("body_temperature", "36.8"),
            ("systolic", "132"),
            ("diastolic", "78"),
            ("spo2", "97"),
        ],
        Some(("足の写真.png", PNG)),
    )
    .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let page = nurse
        .get(&t.app, &format!("/portal/teams/{}", r.team))
        .await;
    assert!(page.body.contains("36.8 ℃"), "{}", page.body);
    assert!(page.body.contains("132&#x2f;78 mmHg"), "{}", page.body);
    // Markup is shown as text.
    assert!(
        page.body.contains("&lt;b&gt;食欲&lt;&#x2f;b&gt;"),
        "{}",
        page.body
    );
    assert!(page.body.contains("足の写真.png"));
    // The clinic's feed carries the member, the entry with its file, the
    // receipt; the device fetches the photo's bytes.
    let changes = r.clinic.team_changes(t).await;
    let entry = changes
        .iter()
        .find(|c| c["team_change"] == "entry" && c["entry"]["kind"] == "visit_report")
        .expect("the visit report in the clinic's feed");
    assert_eq!(entry["entry"]["vitals"]["systolic"], 132);
    assert!(
        entry["entry"]["author"]
            .as_str()
            .unwrap()
            .contains("みどり訪問看護ステーション")
    );
    let attachment = &entry["entry"]["attachments"][0];
    assert_eq!(attachment["media_type"], "image/png");
    assert!(changes.iter().any(|c| c["team_change"] == "member"
        && c["member"]["id"] == member.as_str()
        && c["member"]["state"] == "active"));
    let path = format!("/v1/attachments/{}", attachment["id"].as_str().unwrap());
    let fetched = send(
        &t.app,
        "GET",
        &path,
        &[("authorization", &format!("Bearer {}", r.clinic.credential))],
        axum::body::Body::empty(),
    )
    .await;
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.headers["content-type"], "image/png");
    // The clinic reads and acknowledges: the nurse sees 既読 1/1.
    let entry_id: Uuid = entry["entry"]["id"].as_str().unwrap().parse().unwrap();
    applied(
        &r.clinic
            .team(
                t,
                TeamOp::Acknowledged {
                    team_id: r.team,
                    entry_id,
                    by: doctor(),
                },
            )
            .await,
    );
    let page = nurse
        .get(&t.app, &format!("/portal/teams/{}", r.team))
        .await;
    assert!(page.body.contains("既読 1&#x2f;1"), "{}", page.body);
    assert!(page.body.contains("確認 1&#x2f;1"), "{}", page.body);
    // Every view is audited.
    let views: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action IN ('view-team', 'view-team-attachment')",
    )
    .fetch_one(&t.owner)
    .await
    .unwrap();
    assert!(views >= 4, "{views}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_care_managers_request_is_answered_by_the_clinic_and_closed() {
    let mut r = region().await;
    let t = &r.t;
    let care = person(
        t,
        r.care_office,
        "care.suzuki",
        Role::Staff,
        Profession::CareManager,
    )
    .await;
    let member = r.care_member.to_string();
    let accepted = care
        .post(
            &t.app,
            &format!("/portal/teams/{}/members", r.team),
            &[("member", &member), ("action", "accept")],
        )
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let asked = portal_post(
        t,
        &care,
        r.team,
        &[
            ("kind", "request"),
            ("body", "ショートステイの利用について相談させてください"),
        ],
        None,
    )
    .await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    // A care manager reports visits but measures nothing.
    let vitals = portal_post(
        t,
        &care,
        r.team,
        &[
            ("kind", "visit_report"),
            ("body", "モニタリング"),
            ("pulse", "80"),
        ],
        None,
    )
    .await;
    assert_eq!(vitals.status, 409, "{}", vitals.body);
    let changes = r.clinic.team_changes(t).await;
    let request = changes
        .iter()
        .find(|c| c["team_change"] == "entry" && c["entry"]["kind"] == "request")
        .unwrap();
    assert_eq!(request["entry"]["request_state"], "open");
    let request_id: Uuid = request["entry"]["id"].as_str().unwrap().parse().unwrap();
    // The physician answers from the desktop.
    let reply = WireNewEntry {
        id: Uuid::now_v7(),
        kind: "note".into(),
        body: "来週から利用して問題ありません".into(),
        reply_to: Some(request_id),
        strikes: None,
        vitals: None,
        attachments: vec![],
        written_at: chrono::Utc::now(),
    };
    let op = TeamOp::Posted {
        team_id: r.team,
        entry: reply.clone(),
        by: doctor(),
    };
    applied(&r.clinic.team(t, op.clone()).await);
    // Sent again after a lost answer: applied once.
    applied(&r.clinic.team(t, op).await);
    let changes = r.clinic.team_changes(t).await;
    assert!(
        changes
            .iter()
            .any(|c| c["team_change"] == "request_state" && c["state"] == "answered")
    );
    let replies = changes
        .iter()
        .filter(|c| {
            c["team_change"] == "entry" && c["entry"]["id"] == reply.id.to_string().as_str()
        })
        .count();
    assert_eq!(replies, 1);
    let page = care.get(&t.app, &format!("/portal/teams/{}", r.team)).await;
    assert!(page.body.contains("来週から利用して問題ありません"));
    assert!(page.body.contains("回答あり"));
    let closed = care
        .post(
            &t.app,
            &format!("/portal/teams/{}/requests", r.team),
            &[("entry", &request_id.to_string())],
        )
        .await;
    assert_eq!(closed.status, 303, "{}", closed.body);
    let page = care.get(&t.app, &format!("/portal/teams/{}", r.team)).await;
    assert!(page.body.contains("終了"));
}

/// Every role × every action: who is refused what, with the same answer
/// on the next request after a change of membership or consent.
#[tokio::test(flavor = "multi_thread")]
async fn the_authorisation_matrix_holds_on_every_request() {
    let mut r = region().await;
    let t = &r.t;
    let stranger_org = organisation(t, OrganisationKind::Pharmacy, "あおば薬局", false).await;
    let stranger = person(
        t,
        stranger_org,
        "pharm.aoba",
        Role::Staff,
        Profession::Pharmacist,
    )
    .await;
    let nurse = person(
        t,
        r.nurse_station,
        "nurse.tanaka",
        Role::Staff,
        Profession::Nurse,
    )
    .await;
    let clerk = person(
        t,
        r.nurse_station,
        "clerk.sato",
        Role::Staff,
        Profession::Clerk,
    )
    .await;
    let care = person(
        t,
        r.care_office,
        "care.suzuki",
        Role::Staff,
        Profession::CareManager,
    )
    .await;
    let team_page = format!("/portal/teams/{}", r.team);
    let members = format!("/portal/teams/{}/members", r.team);
    let nurse_member = r.nurse_member.to_string();
    let care_member = r.care_member.to_string();

    // A stranger: no page, no post, no answering another's invitation.
    assert_eq!(stranger.get(&t.app, &team_page).await.status, 404);
    assert_eq!(
        portal_post(
            t,
            &stranger,
            r.team,
            &[("kind", "note"), ("body", "x")],
            None
        )
        .await
        .status,
        404
    );
    let p = stranger
        .post(
            &t.app,
            &members,
            &[("member", &nurse_member), ("action", "accept")],
        )
        .await;
    assert_eq!(p.status, 404, "{}", p.body);
    assert!(
        stranger
            .get(&t.app, "/portal/teams")
            .await
            .body
            .contains("参加している在宅チームはまだありません")
    );

    // The station accepts; its clerk still reads nothing clinical.
    let p = nurse
        .post(
            &t.app,
            &members,
            &[("member", &nurse_member), ("action", "accept")],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let page = clerk.get(&t.app, &team_page).await;
    assert!(page.body.contains("id=\"closed\""), "{}", page.body);
    assert_eq!(
        portal_post(t, &clerk, r.team, &[("kind", "note"), ("body", "x")], None)
            .await
            .status,
        409
    );
    assert_eq!(
        portal_post(
            t,
            &nurse,
            r.team,
            &[("kind", "urgent"), ("body", "発熱 38.5℃")],
            None
        )
        .await
        .status,
        303
    );

    // Bad input changes nothing: too long, a file that is not what its
    // name says, a name with a path, a system entry.
    let entries = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM team_entries")
            .fetch_one(&t.owner)
            .await
            .unwrap()
    };
    let n = entries().await;
    let long = "あ".repeat(4001);
    for (fields, file) in [
        (vec![("kind", "note"), ("body", long.as_str())], None),
        (
            vec![("kind", "note"), ("body", "写真")],
            Some(("写真.png", b"not a png".as_slice())),
        ),
        (
            vec![("kind", "note"), ("body", "写真")],
            Some(("写真.pdf", PNG)),
        ),
        (
            vec![("kind", "note"), ("body", "写真")],
            Some(("../写真.png", PNG)),
        ),
        (vec![("kind", "referral_event"), ("body", "入院")], None),
        (vec![("kind", "note"), ("body", "   ")], None),
    ] {
        let page = portal_post(t, &nurse, r.team, &fields, file).await;
        assert_eq!(page.status, 409, "{fields:?}: {}", page.body);
        assert!(page.body.contains("id=\"form-error\""));
    }
    assert_eq!(entries().await, n);
    let files: i64 = sqlx::query_scalar("SELECT count(*) FROM team_attachments")
        .fetch_one(&t.owner)
        .await
        .unwrap();
    assert_eq!(files, 0);

    // The inviter cancels the care office's invitation: it cannot be accepted.
    applied(
        &r.clinic
            .team(
                t,
                TeamOp::MemberAction {
                    team_id: r.team,
                    member_id: r.care_member,
                    action: "cancel".into(),
                },
            )
            .await,
    );
    let p = care
        .post(
            &t.app,
            &members,
            &[("member", &care_member), ("action", "accept")],
        )
        .await;
    assert_eq!(p.status, 409);
    assert!(p.body.contains("取り消されています"), "{}", p.body);
    // Invited again and left to expire.
    let again = Uuid::now_v7();
    applied(
        &r.clinic
            .team(
                t,
                TeamOp::Invited {
                    team_id: r.team,
                    member_id: again,
                    organisation_id: r.care_office,
                    role: "care_manager".into(),
                    person: String::new(),
                },
            )
            .await,
    );
    sqlx::query("UPDATE team_members SET expires_at = now() - interval '1 minute' WHERE id = $1")
        .bind(again)
        .execute(&t.owner)
        .await
        .unwrap();
    let p = care
        .post(
            &t.app,
            &members,
            &[("member", &again.to_string()), ("action", "accept")],
        )
        .await;
    assert_eq!(p.status, 409);
    assert!(p.body.contains("期限が切れています"), "{}", p.body);
    // Only the clinic's device may do what the physician does.
    let p = nurse
        .post(
            &t.app,
            &members,
            &[("member", &nurse_member), ("action", "remove")],
        )
        .await;
    assert_eq!(p.status, 409);

    // The physician removes the station: the next request is refused.
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
    assert!(
        nurse
            .get(&t.app, &team_page)
            .await
            .body
            .contains("id=\"closed\"")
    );
    assert_eq!(
        portal_post(t, &nurse, r.team, &[("kind", "note"), ("body", "x")], None)
            .await
            .status,
        409
    );
    let file: Option<Uuid> = sqlx::query_scalar("SELECT id FROM team_attachments LIMIT 1")
        .fetch_optional(&t.owner)
        .await
        .unwrap();
    assert!(file.is_none());

    // A stranger org's device: no team operations on another clinic's team.
    let (_, other) = enrolled(t, OrgKind::Clinic, "別のクリニック").await;
    let mut other = Clinic {
        credential: other,
        next_op: 0,
    };
    let entry = WireNewEntry {
        id: Uuid::now_v7(),
        kind: "note".into(),
        body: "x".into(),
        reply_to: None,
        strikes: None,
        vitals: None,
        attachments: vec![],
        written_at: chrono::Utc::now(),
    };
    refused(
        &other
            .team(
                t,
                TeamOp::Posted {
                    team_id: r.team,
                    entry: entry.clone(),
                    by: doctor(),
                },
            )
            .await,
        "",
    );

    // Consent withdrawn: every member is closed out at once, the owner
    // posts nothing more, and its own record stays.
    let p = {
        let member = Uuid::now_v7();
        applied(
            &r.clinic
                .team(
                    t,
                    TeamOp::Invited {
                        team_id: r.team,
                        member_id: member,
                        organisation_id: r.nurse_station,
                        role: "visiting_nurse".into(),
                        person: String::new(),
                    },
                )
                .await,
        );
        nurse
            .post(
                &t.app,
                &members,
                &[("member", &member.to_string()), ("action", "accept")],
            )
            .await
    };
    assert_eq!(p.status, 303, "{}", p.body);
    assert!(
        !nurse
            .get(&t.app, &team_page)
            .await
            .body
            .contains("id=\"closed\"")
    );
    applied(
        &r.clinic
            .push(t, consent_op(r.consent, r.patient, true, Some(d(1, 20))))
            .await,
    );
    assert!(
        nurse
            .get(&t.app, &team_page)
            .await
            .body
            .contains("id=\"closed\"")
    );
    assert_eq!(
        portal_post(t, &nurse, r.team, &[("kind", "note"), ("body", "x")], None)
            .await
            .status,
        409
    );
    refused(
        &r.clinic
            .team(
                t,
                TeamOp::Posted {
                    team_id: r.team,
                    entry,
                    by: doctor(),
                },
            )
            .await,
        "同意",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_open_team_page_hears_of_a_post_at_once_and_strangers_hear_nothing() {
    let mut r = region().await;
    let t = &r.t;
    let (app, _listening) = live_router(&t.pool);
    let nurse = r.nurse_on_the_team().await;
    let stranger_org = organisation(t, OrganisationKind::Pharmacy, "あおば薬局", false).await;
    let stranger = person(
        t,
        stranger_org,
        "pharm.aoba",
        Role::Staff,
        Profession::Pharmacist,
    )
    .await;
    let path = format!("/portal/live?team={}", r.team);
    assert_eq!(stranger.get(&app, &path).await.status, 404);
    let (mut body, mut buffer) = follow(&app, &nurse.token, &path).await;
    // The physician posts from the desktop.
    let entry = WireNewEntry {
        id: Uuid::now_v7(),
        kind: "urgent".into(),
        body: "今夜は往診します".into(),
        reply_to: None,
        strikes: None,
        vitals: None,
        attachments: vec![],
        written_at: chrono::Utc::now(),
    };
    applied(
        &r.clinic
            .team(
                t,
                TeamOp::Posted {
                    team_id: r.team,
                    entry,
                    by: doctor(),
                },
            )
            .await,
    );
    let mut heard = None;
    while let Some((event, data)) = next_event(&mut body, &mut buffer).await {
        if event == "advanced" {
            heard = Some(data);
            break;
        }
    }
    assert_eq!(
        heard.as_deref(),
        Some("1"),
        "the page hears the timeline reached entry 1"
    );
}

/// The portal as a visiting nurse sees it in Chromium: sign-in with the
/// second factor, the invitation accepted, a 訪問報告 with vital signs and
/// a photo; the physician's post then appears on the open page by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium and ChromeDriver (make test installs them)"]
async fn a_nurse_in_a_browser_accepts_reports_with_a_photo_and_sees_the_doctor_answer_live() {
    let mut r = region().await;
    let t = &r.t;
    let nurse = Person::of(
        t,
        r.nurse_station,
        "nurse.tanaka",
        Role::Staff,
        Profession::Nurse,
    )
    .await;
    let (origin, _handle) = browser::serving(t).await;
    let browser = browser::Browser::start().await;
    browser.open(&format!("{origin}/portal/login")).await;
    browser.fill("input[name=login]", &nurse.login).await;
    browser.fill("input[name=password]", &nurse.password).await;
    browser.click("button[type=submit]").await;
    browser.wait_for_text("確認コード").await;
    browser.fill("input[name=code]", &nurse.code()).await;
    browser.click("#verify").await;
    browser.wait_for_text("届いている招待").await;
    browser.photograph("team-invitation.png").await;
    browser.click("button.accept").await;
    browser.wait_for_text("招待を承諾しました").await;
    // A 訪問報告 with vital signs and a photo.
    let folder = tempfile::tempdir().unwrap();
    let photo = folder.path().join("足の写真.png");
    std::fs::write(&photo, PNG).unwrap();
    let photo = photo.canonicalize().unwrap();
    browser.click("#post-kind option[value=visit_report]").await;
    browser
        .fill("#post-body", "訪問しました。食事は半分ほど。")
        .await;
    browser.fill("input[name=body_temperature]", "36.8").await;
    browser.fill("input[name=systolic]", "132").await;
    browser.fill("input[name=diastolic]", "78").await;
    browser.fill("#post-file", photo.to_str().unwrap()).await;
    browser.click("#post-submit").await;
    let text = browser.wait_for_text("投稿しました").await;
    assert!(text.contains("132/78 mmHg"), "{text}");
    assert!(text.contains("足の写真.png"), "{text}");
    // The physician posts from the desktop: the open page shows it without
    // anyone reloading it.
    let entry = WireNewEntry {
        id: Uuid::now_v7(),
        kind: "note".into(),
        body: "ありがとうございます。明日往診します。".into(),
        reply_to: None,
        strikes: None,
        vitals: None,
        attachments: vec![],
        written_at: chrono::Utc::now(),
    };
    applied(
        &r.clinic
            .team(
                t,
                TeamOp::Posted {
                    team_id: r.team,
                    entry,
                    by: doctor(),
                },
            )
            .await,
    );
    browser.wait_for_text("明日往診します").await;
    let shot = browser.photograph("team-timeline.png").await;
    println!("screenshots in {}", shot.parent().unwrap().display());
}

/// The desk stops an organisation: no team may invite it, its people are
/// signed out at their next request, and every clinic's directory says so.
#[tokio::test(flavor = "multi_thread")]
async fn a_stopped_organisation_is_invited_to_nothing_and_signs_in_to_nothing() {
    let mut r = region().await;
    let t = &r.t;
    let pharmacy = organisation(t, OrganisationKind::Pharmacy, "あおば薬局", false).await;
    let pharmacist = person(
        t,
        pharmacy,
        "pharm.aoba",
        Role::Staff,
        Profession::Pharmacist,
    )
    .await;
    assert_eq!(pharmacist.get(&t.app, "/portal/teams").await.status, 200);
    let admin = Person::create(t, OrgKind::Desk, "kanri", Role::Admin)
        .await
        .signed_in(&t.app)
        .await;
    let stopped = admin
        .post(
            &t.app,
            &format!("/portal/admin/organisations/{pharmacy}/stop"),
            &[("action", "stop")],
        )
        .await;
    assert_eq!(stopped.status, 303, "{}", stopped.body);
    let page = admin.get(&t.app, "/portal/admin").await;
    assert!(page.body.contains("停止中"), "{}", page.body);
    // Signed out at the next request.
    let after = pharmacist.get(&t.app, "/portal/teams").await;
    assert_eq!(after.status, 303);
    let invite = TeamOp::Invited {
        team_id: r.team,
        member_id: Uuid::now_v7(),
        organisation_id: pharmacy,
        role: "pharmacist".into(),
        person: String::new(),
    };
    refused(
        &r.clinic.team(t, invite).await,
        "停止中の機関は招待できません",
    );
    let changes = r.clinic.changes(t).await;
    let listed = changes
        .iter()
        .rfind(|c| {
            c["change"] == "directory_listed" && c["entry"]["id"] == pharmacy.to_string().as_str()
        })
        .unwrap();
    assert_eq!(listed["entry"]["stopped"], true);
    assert_eq!(listed["entry"]["kind"], "pharmacy");
    // The nurse station's numbers are in the directory as registered.
    assert!(changes.iter().any(|c| c["change"] == "directory_listed"
        && c["entry"]["id"] == r.nurse_station.to_string().as_str()
        && c["entry"]["phone"] == "03-3981-1234"));
    // Resumed: invited again.
    let resumed = admin
        .post(
            &t.app,
            &format!("/portal/admin/organisations/{pharmacy}/stop"),
            &[("action", "resume")],
        )
        .await;
    assert_eq!(resumed.status, 303);
    let invite = TeamOp::Invited {
        team_id: r.team,
        member_id: Uuid::now_v7(),
        organisation_id: pharmacy,
        role: "pharmacist".into(),
        person: String::new(),
    };
    applied(&r.clinic.team(t, invite).await);
}

/// A member brings in another organisation from the portal (the care
/// manager, a care service); that organisation's administrator approves
/// its staff's acceptance before they see the team.
#[tokio::test(flavor = "multi_thread")]
async fn a_care_manager_invites_a_care_service_whose_administrator_approves() {
    let r = region().await;
    let t = &r.t;
    let care = person(
        t,
        r.care_office,
        "care.suzuki",
        Role::Staff,
        Profession::CareManager,
    )
    .await;
    let members = format!("/portal/teams/{}/members", r.team);
    let p = care
        .post(
            &t.app,
            &members,
            &[("member", &r.care_member.to_string()), ("action", "accept")],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let service = organisation(t, OrganisationKind::CareService, "たんぽぽ訪問介護", true).await;
    let page = care.get(&t.app, &format!("/portal/teams/{}", r.team)).await;
    assert!(page.body.contains("たんぽぽ訪問介護"), "{}", page.body);
    // A role that does not fit the kind is refused; 介護 is not.
    let invitations = format!("/portal/teams/{}/invitations", r.team);
    let wrong = care
        .post(
            &t.app,
            &invitations,
            &[
                ("organisation", &service.to_string()),
                ("role", "pharmacist"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 409, "{}", wrong.body);
    let invited = care
        .post(
            &t.app,
            &invitations,
            &[("organisation", &service.to_string()), ("role", "care")],
        )
        .await;
    assert_eq!(invited.status, 303, "{}", invited.body);
    // The care manager, who sent it, may resend or cancel it there.
    let page = care.get(&t.app, &format!("/portal/teams/{}", r.team)).await;
    assert!(page.body.contains("招待を再送"), "{}", page.body);
    let worker = person(
        t,
        service,
        "care.worker",
        Role::Staff,
        Profession::CareWorker,
    )
    .await;
    let admin = person(
        t,
        service,
        "care.admin",
        Role::OrgAdmin,
        Profession::CareWorker,
    )
    .await;
    let member: Uuid = sqlx::query_scalar(
        "SELECT id FROM team_members WHERE organisation_id = $1 AND state = 'invited'",
    )
    .bind(service)
    .fetch_one(&t.owner)
    .await
    .unwrap();
    let member = member.to_string();
    let accepted = worker
        .post(
            &t.app,
            &members,
            &[("member", &member), ("action", "accept")],
        )
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let page = worker
        .get(&t.app, &format!("/portal/teams/{}", r.team))
        .await;
    assert!(page.body.contains("id=\"closed\""), "{}", page.body);
    // Staff cannot approve their own acceptance; the administrator can.
    let p = worker
        .post(
            &t.app,
            &members,
            &[("member", &member), ("action", "approve")],
        )
        .await;
    assert_eq!(p.status, 409, "{}", p.body);
    assert!(
        admin
            .get(&t.app, "/portal/teams")
            .await
            .body
            .contains("参加を承認する")
    );
    let p = admin
        .post(
            &t.app,
            &members,
            &[("member", &member), ("action", "approve")],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let page = worker
        .get(&t.app, &format!("/portal/teams/{}", r.team))
        .await;
    assert!(!page.body.contains("id=\"closed\""), "{}", page.body);
    assert!(page.body.contains("チームに参加しました"));
}
