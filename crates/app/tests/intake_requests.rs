//! 受入相談 from the clinic's desktop, against a real encrypted store with
//! the clock fixed: the form opened from a patient starts from the age, sex
//! and 市区町村 (the address among the directory's); a bad form is refused
//! field by field and queues nothing; a request sent waits in the outbox as
//! the wire's operation, naming no patient, and keeps its patient here
//! through the feed's answer; it may be withdrawn while open only. A
//! request asked of the clinic is answered by its doctor alone (a decline
//! needs its reason), a refusal by the server is a conflict, and the feed
//! brings the request's true state.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use tsunagu_app::{
    AccountInput, App, ErrorCode, FixedClock, IntakeDraft, IntakeState, Offer, pulled_changes,
    pushed_operation,
};
use tsunagu_domain::directory::ProfilePart;
use tsunagu_domain::team::OrganisationKind;
use tsunagu_protocol::{ChangeBody, OpBody, WireIntakeRequest};
use tsunagu_store::{ListingRecord, OpenMode, Settlement, Store, StoreKey, SyncDevice};
use tsunagu_testkit::fixtures::*;
use uuid::Uuid;

const CLINIC: &str = "さくら内科クリニック";

fn listing(name: &str, kind: OrganisationKind, areas: &[&str]) -> ListingRecord {
    let at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    ListingRecord {
        id: Uuid::now_v7(),
        name: name.into(),
        name_kana: String::new(),
        kind,
        phone: "03-1111-2222".into(),
        fax: String::new(),
        address: "東京都豊島区南池袋1-1".into(),
        hours: String::new(),
        municipalities: areas.iter().map(|a| a.to_string()).collect(),
        area_detail: String::new(),
        radius_km: None,
        offers: vec![Offer::Around24h, Offer::EndOfLife],
        accepting: None,
        care_managers: None,
        confirmed: vec![(ProfilePart::Contact, at)],
        beds: Vec::new(),
        stopped: false,
        directory_version: 1,
    }
}

struct Setup {
    clinic: Uuid,
    station: ListingRecord,
    desk: ListingRecord,
}

/// The clinic enrolled, and a directory listing a station and the desk.
async fn enrolled(app: &App) -> Setup {
    let clinic = Uuid::now_v7();
    app.store()
        .save_sync_device(
            &SyncDevice {
                server_url: "http://127.0.0.1:1".into(),
                device_id: Uuid::now_v7(),
                organisation_id: clinic,
                organisation_name: CLINIC.into(),
                enrolled_at: now(),
            },
            "test",
        )
        .await
        .unwrap();
    let station = listing(
        "練馬みどり訪問看護ステーション",
        OrganisationKind::VisitingNurseStation,
        &["練馬区", "豊島区"],
    );
    let desk = listing("地域連携室", OrganisationKind::Desk, &[]);
    app.store()
        .upsert_listings(&[station.clone(), desk.clone()], 2, now())
        .await
        .unwrap();
    Setup {
        clinic,
        station,
        desk,
    }
}

async fn feed(app: &App, seq: i64, request: &WireIntakeRequest) {
    let changes: Vec<_> = pulled_changes(ChangeBody::IntakeRequest {
        request: request.clone(),
    })
    .unwrap()
    .into_iter()
    .map(|c| (seq, c))
    .collect();
    app.store()
        .apply_pulled(&changes, seq, now())
        .await
        .unwrap();
}

/// The 受入相談 operations waiting in the outbox, as the server reads them.
async fn queued(app: &App) -> Vec<(i64, OpBody)> {
    app.store()
        .pending_operations(500)
        .await
        .unwrap()
        .iter()
        .map(|op| (op.op_seq, pushed_operation(op).unwrap().body))
        .filter(|(_, body)| {
            matches!(
                body,
                OpBody::IntakeSent(_) | OpBody::IntakeAnswered(_) | OpBody::IntakeWithdrawn { .. }
            )
        })
        .collect()
}

fn draft() -> IntakeDraft {
    IntakeDraft {
        age: "76".into(),
        sex: "male".into(),
        municipality: "豊島区".into(),
        needs: vec!["around_24h".into(), "end_of_life".into()],
        start_on: "2026-12-01".into(),
        summary: "膵癌末期。自宅での看取りを希望。".into(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_from_a_patient_names_no_one_and_its_answer_arrives() {
    let t = new_app().await;
    let app = &t.app;
    let s = enrolled(app).await;
    let patient = create(app, &yamada()).await.id;

    // From the patient: age today, sex, the address's 市区町村.
    let prefilled = app.intake_draft(Some(&patient.to_string())).await.unwrap();
    assert_eq!(
        (
            prefilled.age.as_str(),
            prefilled.sex.as_str(),
            prefilled.municipality.as_str()
        ),
        ("76", "male", "豊島区")
    );
    assert!(prefilled.summary.is_empty() && prefilled.needs.is_empty());

    // Every bad field at once, nothing queued.
    let bad = IntakeDraft {
        age: "130".into(),
        start_on: "2026-11-01".into(),
        summary: " ".into(),
        ..draft()
    };
    let err = app
        .send_intake(None, &s.station.id.to_string(), &bad)
        .await
        .unwrap_err();
    assert_eq!(field_keys(&err), ["age", "startOn", "summary"]);
    assert_eq!(message_on(&err, "startOn"), "開始の希望日が過ぎています");
    // Not the desk, not an organisation the directory does not list.
    for to in [s.desk.id, Uuid::now_v7(), s.clinic] {
        let err = app
            .send_intake(None, &to.to_string(), &draft())
            .await
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::Validation, "{to}");
    }
    assert!(queued(app).await.is_empty());

    let sent = app
        .send_intake(
            Some(&patient.to_string()),
            &s.station.id.to_string(),
            &draft(),
        )
        .await
        .unwrap();
    assert_eq!(sent.state, IntakeState::Open);
    assert!(sent.sent_by_us && sent.may_withdraw && !sent.may_answer && sent.sending);
    assert_eq!(sent.to_name, "練馬みどり訪問看護ステーション");
    assert_eq!(sent.patient_id, Some(patient));
    assert_eq!(sent.patient_name.as_deref(), Some("山田　太郎"));
    let ops = queued(app).await;
    assert_eq!(ops.len(), 1);
    let OpBody::IntakeSent(wire) = &ops[0].1 else {
        panic!("{ops:?}");
    };
    assert_eq!(
        (
            wire.id,
            wire.to_org,
            wire.age.as_str(),
            wire.sex.as_str(),
            wire.municipality.as_str(),
            wire.start_on.as_str()
        ),
        (sent.id, s.station.id, "76", "male", "豊島区", "2026-12-01")
    );
    assert_eq!(wire.needs, ["around_24h", "end_of_life"]);
    let json = serde_json::to_string(&ops[0].1).unwrap();
    assert!(!json.contains("山田") && !json.contains(&patient.to_string()));
    let trail = app.store().audit_trail(&sent.id.to_string()).await.unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].entity_kind, "intake_request");

    // The server applies it; the feed echoes it, then brings the answer.
    app.store()
        .settle_operations(&[(ops[0].0, Settlement::Applied)], now())
        .await
        .unwrap();
    let mut wire_request = WireIntakeRequest {
        id: sent.id,
        from_org: s.clinic,
        from_name: CLINIC.into(),
        from_phone: "03-0000-0000".into(),
        to_org: s.station.id,
        to_name: s.station.name.clone(),
        to_kind: "visiting_nurse_station".into(),
        age: Some(76),
        sex: Some("male".into()),
        municipality: "豊島区".into(),
        needs: vec!["around_24h".into(), "end_of_life".into()],
        start_on: Some(ymd(2026, 12, 1)),
        summary: "膵癌末期。自宅での看取りを希望。".into(),
        state: "open".into(),
        sent_by: format!("{CLINIC} 医師 {ACTOR}"),
        sent_at: now(),
        answer_text: String::new(),
        answered_by: String::new(),
        closed_at: None,
    };
    feed(app, 1, &wire_request).await;
    wire_request.state = "accepted".into();
    wire_request.answered_by = "練馬みどり訪問看護ステーション 看護師 田中".into();
    wire_request.closed_at = Some(now() + Duration::minutes(5));
    feed(app, 2, &wire_request).await;
    let all = app.intakes().await.unwrap();
    assert_eq!(all.len(), 1);
    let answered = &all[0];
    assert_eq!(answered.state, IntakeState::Accepted);
    assert_eq!(
        answered.answered_by,
        "練馬みどり訪問看護ステーション 看護師 田中"
    );
    assert_eq!(answered.patient_id, Some(patient), "kept through the feed");
    assert!(!answered.may_withdraw && !answered.sending);

    // A restored server is told of the request again (it answers a repeat
    // as done); the answer it gave stays as the feed said it.
    app.store()
        .adopt_epoch(Uuid::now_v7(), now(), ACTOR)
        .await
        .unwrap();
    app.store()
        .adopt_epoch(Uuid::now_v7(), now(), ACTOR)
        .await
        .unwrap();
    let again = queued(app).await;
    assert_eq!(again.len(), 1, "{again:?}");
    assert!(matches!(&again[0].1, OpBody::IntakeSent(w) if w.id == sent.id));
    app.store()
        .settle_operations(&[(again[0].0, Settlement::Applied)], now())
        .await
        .unwrap();
    assert_eq!(app.intakes().await.unwrap()[0].state, IntakeState::Accepted);

    // Answered: no withdrawal, nothing queued.
    let err = app.withdraw_intake(&sent.id.to_string()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(err.message.contains("受けられる"), "{}", err.message);
    assert!(queued(app).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_open_request_is_withdrawn_once() {
    let t = new_app().await;
    let app = &t.app;
    let s = enrolled(app).await;
    let sent = app
        .send_intake(None, &s.station.id.to_string(), &draft())
        .await
        .unwrap();
    assert_eq!(sent.patient_id, None);
    let withdrawn = app.withdraw_intake(&sent.id.to_string()).await.unwrap();
    assert_eq!(withdrawn.state, IntakeState::Withdrawn);
    assert!(!withdrawn.may_withdraw && withdrawn.sending);
    let err = app.withdraw_intake(&sent.id.to_string()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    let ops = queued(app).await;
    assert_eq!(ops.len(), 2);
    assert!(matches!(ops[1].1, OpBody::IntakeWithdrawn { request_id } if request_id == sent.id));
}

fn asked_of(clinic: Uuid) -> WireIntakeRequest {
    WireIntakeRequest {
        id: Uuid::now_v7(),
        from_org: Uuid::now_v7(),
        from_name: "北病院".into(),
        from_phone: "03-9999-0000".into(),
        to_org: clinic,
        to_name: CLINIC.into(),
        to_kind: "clinic".into(),
        age: Some(82),
        sex: Some("female".into()),
        municipality: "練馬区".into(),
        needs: vec!["home_visits".into()],
        start_on: None,
        summary: "心不全。退院後の訪問診療を".into(),
        state: "open".into(),
        sent_by: "北病院 MSW 山本".into(),
        sent_at: now() - Duration::hours(1),
        answer_text: String::new(),
        answered_by: String::new(),
        closed_at: None,
    }
}

fn account(login: &str, role: &str, name: &str) -> AccountInput {
    AccountInput {
        login: login.into(),
        display_name: name.into(),
        role: role.into(),
        is_admin: false,
        password: "はじめての仮パスワード".into(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_asked_of_the_clinic_is_answered_by_its_doctor_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_file(
        &dir.path().join("tsunagu.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .unwrap();
    let clock = Arc::new(FixedClock {
        now: now(),
        today: today(),
    });
    let app = App::with_store(store, clock, "os:tester").requiring_accounts();
    app.create_first_account(&account("sato", "doctor", "佐藤　花子"))
        .await
        .unwrap();
    app.add_account(&account("tanaka", "nurse", "田中　看護師"))
        .await
        .unwrap();
    let s = enrolled(&app).await;
    let asked = asked_of(s.clinic);
    feed(&app, 1, &asked).await;
    let id = asked.id.to_string();

    // The notification says it by its title alone.
    let alerts = app.new_worklist_alerts().await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].title, "受入相談が届いています");

    app.sign_out().await.unwrap();
    app.sign_in("tanaka", "はじめての仮パスワード")
        .await
        .unwrap();
    let seen = app.intakes().await.unwrap();
    assert!(seen[0].may_answer && !seen[0].may_decide && !seen[0].sent_by_us);
    let refused = app.answer_intake(&id, "accept", "").await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    assert!(queued(&app).await.is_empty());

    app.sign_out().await.unwrap();
    app.sign_in("sato", "はじめての仮パスワード").await.unwrap();
    let err = app.answer_intake(&id, "decline", "　").await.unwrap_err();
    assert_eq!(
        message_on(&err, "text"),
        "受けられない理由を入力してください"
    );
    let err = app.answer_intake(&id, "maybe", "").await.unwrap_err();
    assert_eq!(field_keys(&err), ["answer"]);
    let consult = app
        .answer_intake(&id, "consult", "吸引の頻度を伺いたいです")
        .await
        .unwrap();
    assert_eq!(consult.state, IntakeState::Consult);
    assert_eq!(consult.answered_by, "佐藤　花子");
    assert!(consult.sending && !consult.may_answer);
    // Twice is refused here, before the server.
    let twice = app.answer_intake(&id, "accept", "").await.unwrap_err();
    assert_eq!(twice.code, ErrorCode::Conflict);
    let ops = queued(&app).await;
    assert_eq!(ops.len(), 1);
    let OpBody::IntakeAnswered(answer) = &ops[0].1 else {
        panic!("{ops:?}");
    };
    assert_eq!(
        (
            answer.answer.as_str(),
            answer.text.as_str(),
            answer.by.profession.as_str()
        ),
        ("consult", "吸引の頻度を伺いたいです", "physician")
    );

    // The portal answered first: the server refuses ours, a conflict, and
    // the feed brings what stands.
    app.store()
        .settle_operations(
            &[(
                ops[0].0,
                Settlement::Refused("この受入相談はすでに「受けられる」です".into()),
            )],
            now(),
        )
        .await
        .unwrap();
    let conflicts = app.sync_conflicts().await.unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].what, "受入相談");
    let shown = &app.intakes().await.unwrap()[0];
    assert_eq!(
        shown.refusal.as_deref(),
        Some("この受入相談はすでに「受けられる」です")
    );
    assert_eq!(
        shown.state,
        IntakeState::Open,
        "the refused answer no longer stands"
    );
    let mut answered = asked.clone();
    answered.state = "accepted".into();
    answered.answered_by = "さくら内科クリニック 看護師 田中".into();
    feed(&app, 2, &answered).await;
    let shown = &app.intakes().await.unwrap()[0];
    assert_eq!(shown.state, IntakeState::Accepted);
    assert!(!shown.may_answer);
    assert!(app.new_worklist_alerts().await.unwrap().is_empty());
}
