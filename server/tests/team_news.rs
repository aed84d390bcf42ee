//! News of where the patient is, from anyone on the team (issue 16), on a
//! real PostgreSQL: the visiting nurse reports a death at home in the
//! portal, through the same status machine as the liaison, and the clinic
//! hears it in its feed and on the team's timeline; who may say what is
//! checked on every request (role, membership, consent, the referral's
//! patient); a report is withdrawn only by whoever made it.

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
use portal_visitor::*;
use serde_json::Value;
use team_region::*;
use tsunagu_domain::team::{OrganisationKind, Profession};
use tsunagu_protocol::{OpBody, WireDestination, WireEvent, WireEventDetails};
use tsunagu_server::users::Role;
use uuid::Uuid;

fn opened(referral: Uuid, patient: Uuid) -> OpBody {
    OpBody::ReferralOpened {
        referral_id: referral,
        patient_id: patient,
        tracking_code: tsunagu_domain::TrackingCode::from_random_bits(
            Uuid::now_v7().as_u128() as u64
        )
        .to_string(),
        destination: None,
        sent: WireEvent {
            id: Uuid::now_v7(),
            details: Some(WireEventDetails::Sent {
                date: d(1, 12),
                hospital: "豊島中央病院".into(),
            }),
            voids: None,
            note: String::new(),
        },
        letter: None,
    }
}

fn recorded(referral: Uuid, details: WireEventDetails) -> OpBody {
    OpBody::EventAppended {
        referral_id: referral,
        event: WireEvent {
            id: Uuid::now_v7(),
            details: Some(details),
            voids: None,
            note: String::new(),
        },
    }
}

/// The clinic's feed as a client of `version` reads it.
async fn feed(r: &Region, version: u16) -> Vec<Value> {
    let (status, body) =
        r.t.post_json(
            "/v1/pull",
            Some(&r.clinic.credential),
            serde_json::json!({"version": version, "cursor": 0, "limit": 1000}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["body"].clone())
        .collect()
}

fn team_events(changes: &[Value]) -> Vec<&Value> {
    changes
        .iter()
        .filter(|c| c["change"] == "event_appended" && c["source"] == "team")
        .collect()
}

async fn joined(
    r: &Region,
    organisation: Uuid,
    member: Uuid,
    login: &str,
    p: Profession,
) -> Session {
    let session = Person::of(&r.t, organisation, login, Role::Staff, p)
        .await
        .signed_in(&r.t.app)
        .await;
    let accepted = session
        .post(
            &r.t.app,
            &format!("/portal/teams/{}/members", r.team),
            &[("member", &member.to_string()), ("action", "accept")],
        )
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    session
}

/// The report form as a member fills it.
async fn report(r: &Region, who: &Session, referral: Uuid, fields: &[(&str, &str)]) -> Page {
    let referral = referral.to_string();
    let mut all = vec![("referral", referral.as_str())];
    all.extend_from_slice(fields);
    who.post(
        &r.t.app,
        &format!("/portal/teams/{}/whereabouts", r.team),
        &all,
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_visiting_nurse_reports_a_death_at_home_and_the_clinic_hears_it() {
    let mut r = region().await;
    // Referred, admitted, and sent home to the clinic's care.
    let referral = Uuid::now_v7();
    applied(&r.clinic.push(&r.t, opened(referral, r.patient)).await);
    let admitted = WireEventDetails::Admitted {
        date: d(1, 20),
        ward: "5階東".into(),
        attending: String::new(),
    };
    applied(&r.clinic.push(&r.t, recorded(referral, admitted)).await);
    let home = WireEventDetails::Discharged {
        date: d(2, 1),
        destination: WireDestination::ThisClinic,
    };
    applied(&r.clinic.push(&r.t, recorded(referral, home)).await);
    let nurse = joined(
        &r,
        r.nurse_station,
        r.nurse_member,
        "nurse.tanaka",
        Profession::Nurse,
    )
    .await;
    let care = joined(
        &r,
        r.care_office,
        r.care_member,
        "cm.suzuki",
        Profession::CareManager,
    )
    .await;

    // Each sees where the patient is, and is offered what the role
    // witnesses: the nurse an admission or a death, the care manager an
    // admission only.
    let path = format!("/portal/teams/{}", r.team);
    let page = nurse.get(&r.t.app, &path).await;
    assert!(page.body.contains("患者さんの所在"), "{}", page.body);
    assert!(page.body.contains("id=\"kind-admitted\""));
    assert!(page.body.contains("id=\"kind-deceased\""));
    let page = care.get(&r.t.app, &path).await;
    assert!(page.body.contains("id=\"kind-admitted\""), "{}", page.body);
    assert!(!page.body.contains("id=\"kind-deceased\""));

    // A forged death from the care manager, a date to come, and a report
    // on another patient's referral change nothing.
    let died = [
        ("kind", "deceased"),
        ("date", "2026-03-01"),
        ("place", "自宅"),
        ("note", "ご家族に見守られて"),
    ];
    let forged = report(&r, &care, referral, &died).await;
    assert_eq!(forged.status, 422, "{}", forged.body);
    assert!(
        forged
            .body
            .contains("ケアマネジャーの立場では「死亡」を記録できません"),
        "{}",
        forged.body
    );
    let future = report(
        &r,
        &nurse,
        referral,
        &[("kind", "deceased"), ("date", "2099-01-01")],
    )
    .await;
    assert_eq!(future.status, 422, "{}", future.body);
    assert!(future.body.contains("未来の日付は記録できません"));
    let elsewhere = Uuid::now_v7();
    let other_patient = Uuid::now_v7();
    applied(
        &r.clinic
            .push(
                &r.t,
                OpBody::PatientShared {
                    patient_id: other_patient,
                    name: "鈴木 一郎".into(),
                    kana: "すずき いちろう".into(),
                    birth_date: d(1, 1),
                    sex: "male".into(),
                },
            )
            .await,
    );
    let consent = consent_op(Uuid::now_v7(), other_patient, true, None);
    applied(&r.clinic.push(&r.t, consent).await);
    applied(&r.clinic.push(&r.t, opened(elsewhere, other_patient)).await);
    let wrong = report(&r, &nurse, elsewhere, &died).await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(wrong.body.contains("この患者さんの紹介が見つかりません"));
    assert!(team_events(&feed(&r, tsunagu_protocol::PROTOCOL_VERSION).await).is_empty());

    // The nurse reports the death at home.
    let done = report(&r, &nurse, referral, &died).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let page = nurse.get(&r.t.app, &format!("{path}?done=reported")).await;
    assert!(
        page.body.contains("患者さんの所在を記録しました"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("亡くなりました（自宅）"),
        "{}",
        page.body
    );

    // The clinic's feed carries it as the team's, by the nurse, and the
    // timeline line; a client older than version 5 is not sent it.
    let changes = feed(&r, tsunagu_protocol::PROTOCOL_VERSION).await;
    let events = team_events(&changes);
    assert_eq!(events.len(), 1, "{changes:?}");
    let event = events[0];
    assert_eq!(event["event"]["details"]["status"], "deceased");
    assert_eq!(event["event"]["note"], "ご家族に見守られて");
    let by = event["actor"].as_str().unwrap();
    assert!(by.contains("みどり訪問看護ステーション"), "{by}");
    assert!(
        changes.iter().any(|c| c["team_change"] == "entry"
            && c["entry"]["kind"] == "referral_event"
            && c["entry"]["body"]
                .as_str()
                .is_some_and(|b| b.contains("亡くなりました"))),
        "{changes:?}"
    );
    assert!(team_events(&feed(&r, 4).await).is_empty());

    // Death is final: nothing more is offered, and a second report is
    // refused by the status machine.
    let page = nurse.get(&r.t.app, &path).await;
    assert!(!page.body.contains("id=\"kind-deceased\""), "{}", page.body);
    let twice = report(&r, &nurse, referral, &died).await;
    assert_eq!(twice.status, 422, "{}", twice.body);
    assert_eq!(
        team_events(&feed(&r, tsunagu_protocol::PROTOCOL_VERSION).await).len(),
        1
    );

    // Only the station withdraws its report: not the clinic, not the care
    // manager.
    let event_id: Uuid = event["event"]["id"].as_str().unwrap().parse().unwrap();
    let void = OpBody::EventAppended {
        referral_id: referral,
        event: WireEvent {
            id: Uuid::now_v7(),
            details: None,
            voids: Some(event_id),
            note: String::new(),
        },
    };
    refused(
        &r.clinic.push(&r.t, void).await,
        "他の機関が記録した内容は取り消せません",
    );
    let id = event_id.to_string();
    let not_yours = report(&r, &care, referral, &[("voids", &id)]).await;
    assert_eq!(not_yours.status, 422, "{}", not_yours.body);
    assert!(page.body.contains("この記録を取り消す"));
    let withdrawn = report(&r, &nurse, referral, &[("voids", &id)]).await;
    assert_eq!(withdrawn.status, 303, "{}", withdrawn.body);
    let page = nurse.get(&r.t.app, &path).await;
    assert!(page.body.contains("id=\"kind-deceased\""), "{}", page.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn strangers_former_members_and_a_withdrawn_consent_report_nothing() {
    let mut r = region().await;
    let referral = Uuid::now_v7();
    applied(&r.clinic.push(&r.t, opened(referral, r.patient)).await);
    let admitted = [
        ("kind", "admitted"),
        ("date", "2026-02-03"),
        ("ward", "5階東"),
    ];
    // Invited but not yet answered.
    let invited = Person::of(
        &r.t,
        r.nurse_station,
        "nurse.invited",
        Role::Staff,
        Profession::Nurse,
    )
    .await
    .signed_in(&r.t.app)
    .await;
    let early = report(&r, &invited, referral, &admitted).await;
    assert_eq!(early.status, 422, "{}", early.body);
    // An organisation never on the team: the team has no page for it.
    let other = organisation(
        &r.t,
        OrganisationKind::VisitingNurseStation,
        "あおぞら訪問看護",
        false,
    )
    .await;
    let stranger = Person::of(&r.t, other, "nurse.other", Role::Staff, Profession::Nurse)
        .await
        .signed_in(&r.t.app)
        .await;
    let strange = report(&r, &stranger, referral, &admitted).await;
    assert_eq!(strange.status, 404, "{}", strange.body);
    // A member's clerk, who reads no clinical text.
    let care = joined(
        &r,
        r.care_office,
        r.care_member,
        "cm.suzuki",
        Profession::CareManager,
    )
    .await;
    let clerk = Person::of(
        &r.t,
        r.care_office,
        "clerk.ito",
        Role::Staff,
        Profession::Clerk,
    )
    .await
    .signed_in(&r.t.app)
    .await;
    let filed = report(&r, &clerk, referral, &admitted).await;
    assert_eq!(filed.status, 422, "{}", filed.body);
    // The consent withdrawn: the care manager's admission is refused.
    applied(
        &r.clinic
            .push(&r.t, consent_op(r.consent, r.patient, true, Some(d(2, 1))))
            .await,
    );
    let after = report(&r, &care, referral, &admitted).await;
    assert_eq!(after.status, 422, "{}", after.body);
    assert!(team_events(&feed(&r, tsunagu_protocol::PROTOCOL_VERSION).await).is_empty());
}

/// The nurse in a real browser: the report form shows the fields of the
/// kind chosen, and the death at home is on the page once sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium and ChromeDriver (make test installs them)"]
async fn a_nurse_reports_in_a_browser() {
    let mut r = region().await;
    let referral = Uuid::now_v7();
    applied(&r.clinic.push(&r.t, opened(referral, r.patient)).await);
    let nurse = joined(
        &r,
        r.nurse_station,
        r.nurse_member,
        "nurse.tanaka",
        Profession::Nurse,
    )
    .await;
    let (origin, _handle) = browser::serving(&r.t).await;
    let browser = browser::Browser::start().await;
    browser.sign_in_as(&origin, &nurse.token).await;
    browser
        .open(&format!("{origin}/portal/teams/{}", r.team))
        .await;
    browser.wait_for_text("患者さんの所在").await;
    browser.click("#whereabouts details.report summary").await;
    browser.click("#kind-deceased").await;
    browser.fill("#report-place", "自宅").await;
    browser
        .fill(
            "#report-note",
            "本日未明、ご家族に見守られて亡くなられました。",
        )
        .await;
    browser.photograph("team-whereabouts-form.png").await;
    browser.click("#report-submit").await;
    let text = browser.wait_for_text("患者さんの所在を記録しました").await;
    assert!(text.contains("亡くなりました（自宅）"), "{text}");
    let shot = browser.photograph("team-whereabouts.png").await;
    println!("screenshots in {}", shot.parent().unwrap().display());
}
