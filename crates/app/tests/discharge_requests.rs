//! 退院後の在宅医療の相談 from the clinic's desktop, against a real
//! encrypted store with the clock fixed: the hospital's request arrives in
//! the feed and waits on the worklist, the physician answers with one
//! click (a decline needs its reason), the answer waits in the outbox as
//! the wire's operation, a request already answered, cancelled or expired
//! refuses another answer and nothing changes, and a refusal by the server
//! is a conflict until the feed brings the request's true state. Only a
//! doctor's account answers; a nurse's reads.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::sync::Arc;

use chrono::Duration;
use tsunagu_app::{
    AccountInput, App, CareNeed, DischargeRequestState, ErrorCode, FixedClock, pulled_changes,
    pushed_operation,
};
use tsunagu_protocol::{ChangeBody, OpBody, WireAnswer, WireDischargeRequest};
use tsunagu_store::{AuditAction, OpenMode, Settlement, Store, StoreKey};
use tsunagu_testkit::fixtures::*;
use uuid::Uuid;

/// The server's feed, one page at a time.
struct Feed {
    seq: i64,
}

impl Feed {
    async fn send(&mut self, app: &App, requests: &[WireDischargeRequest]) {
        let mut changes = Vec::new();
        for request in requests {
            self.seq += 1;
            let body = ChangeBody::DischargeRequest {
                request: request.clone(),
            };
            for change in pulled_changes(body).unwrap() {
                changes.push((self.seq, change));
            }
        }
        app.store()
            .apply_pulled(&changes, self.seq, now())
            .await
            .unwrap();
    }
}

fn request(patient: Uuid) -> WireDischargeRequest {
    WireDischargeRequest {
        id: Uuid::now_v7(),
        referral_id: Uuid::now_v7(),
        patient_id: patient,
        hospital: "北病院".into(),
        sent_by: "北病院 MSW・連携担当者 山本".into(),
        sent_at: now() - Duration::hours(2),
        expected_date: ymd(2026, 11, 30),
        reply_by: ymd(2026, 11, 26),
        needs: vec!["home_oxygen".into(), "end_of_life".into()],
        note: "ご家族は自宅での看取りを希望されています".into(),
        state: "open".into(),
        answer_text: String::new(),
        answered_by: String::new(),
        answered_at: None,
    }
}

struct Setup {
    t: TestApp,
    patient: Uuid,
    request: WireDischargeRequest,
    feed: Feed,
}

async fn with_request() -> Setup {
    let t = new_app().await;
    let patient = create(&t.app, &yamada()).await.id;
    let mut feed = Feed { seq: 0 };
    let request = request(patient);
    feed.send(&t.app, std::slice::from_ref(&request)).await;
    Setup {
        t,
        patient,
        request,
        feed,
    }
}

/// The answers waiting in the outbox, as the server will read them.
async fn answers_queued(app: &App) -> Vec<WireAnswer> {
    app.store()
        .pending_operations(500)
        .await
        .unwrap()
        .iter()
        .filter_map(|op| match pushed_operation(op).unwrap().body {
            OpBody::DischargeRequestAnswered(a) => Some(a),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_waits_on_the_worklist_and_one_click_accepts_it() {
    let s = with_request().await;
    let app = &s.t.app;
    let waiting = app.discharge_requests_waiting().await.unwrap();
    assert_eq!(waiting.len(), 1);
    let w = &waiting[0];
    assert_eq!(
        (
            w.id,
            w.patient_id,
            w.patient_name.as_str(),
            w.hospital.as_str()
        ),
        (s.request.id, s.patient, "山田　太郎", "北病院")
    );
    assert_eq!(w.needs, [CareNeed::HomeOxygen, CareNeed::EndOfLife]);
    assert_eq!(w.state, DischargeRequestState::Open);
    assert!(w.may_answer && w.may_decide && !w.sending && w.refusal.is_none());

    // The desktop notification announces it once, by its title alone.
    let alerts = app.new_worklist_alerts().await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].title, "退院後の在宅医療の相談が届いています");
    assert!(!alerts[0].title.contains("北病院") && !alerts[0].title.contains("山田"));
    assert!(app.new_worklist_alerts().await.unwrap().is_empty());

    let answered = app
        .answer_discharge_request(&s.request.id.to_string(), "accept", "")
        .await
        .unwrap();
    assert_eq!(answered.state, DischargeRequestState::Accepted);
    assert!(answered.sending, "送信待ち");
    assert!(!answered.may_answer);
    assert_eq!(answered.answered_by, ACTOR);
    assert_eq!(
        answers_queued(app).await,
        [WireAnswer {
            request_id: s.request.id,
            answer: "accept".into(),
            text: String::new(),
            by: tsunagu_protocol::WireAuthor {
                name: ACTOR.into(),
                profession: "physician".into(),
            },
        }]
    );
    let trail = app
        .store()
        .audit_trail(&s.request.id.to_string())
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].entity_kind, "discharge_request");

    // Still shown (with its answer, 送信待ち) until the feed confirms it.
    let waiting = app.discharge_requests_waiting().await.unwrap();
    assert_eq!(waiting[0].state, DischargeRequestState::Accepted);
    assert!(waiting[0].sending);
    assert!(app.new_worklist_alerts().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_decline_needs_its_reason_and_a_consult_may_say_nothing() {
    let s = with_request().await;
    let app = &s.t.app;
    let id = s.request.id.to_string();
    let err = app
        .answer_discharge_request(&id, "decline", "　 ")
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(
        message_on(&err, "text"),
        "引き受けられない理由を入力してください"
    );
    let err = app
        .answer_discharge_request(&id, "maybe", "")
        .await
        .unwrap_err();
    assert_eq!(field_keys(&err), ["answer"]);
    let err = app
        .answer_discharge_request(&id, "decline", &"長".repeat(1001))
        .await
        .unwrap_err();
    assert_eq!(field_keys(&err), ["text"]);
    assert!(answers_queued(app).await.is_empty());

    let declined = app
        .answer_discharge_request(&id, "decline", "  訪問診療の枠がありません  ")
        .await
        .unwrap();
    assert_eq!(declined.state, DischargeRequestState::Declined);
    assert_eq!(declined.answer_text, "訪問診療の枠がありません");
    assert_eq!(answers_queued(app).await[0].answer, "decline");
    assert_eq!(
        answers_queued(app).await[0].text,
        "訪問診療の枠がありません"
    );

    // Another request of the same patient: 相談したい, with nothing to add.
    let mut feed = s.feed;
    let second = request(s.patient);
    feed.send(app, std::slice::from_ref(&second)).await;
    let consult = app
        .answer_discharge_request(&second.id.to_string(), "consult", "")
        .await
        .unwrap();
    assert_eq!(consult.state, DischargeRequestState::Consult);
    let queued = answers_queued(app).await;
    assert_eq!(
        (queued[1].answer.as_str(), queued[1].text.as_str()),
        ("consult", "")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answered_cancelled_or_expired_request_refuses_another_answer_and_nothing_changes() {
    let mut s = with_request().await;
    let app = &s.t.app;
    let id = s.request.id.to_string();
    app.answer_discharge_request(&id, "accept", "")
        .await
        .unwrap();
    let again = app
        .answer_discharge_request(&id, "decline", "やはり難しい")
        .await
        .unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict);
    assert_eq!(
        again.message,
        "この相談には既に回答があります（引き受ける）。変更は病院の連携室に電話でお伝えください"
    );
    assert_eq!(answers_queued(app).await.len(), 1);

    // Cancelled by the hospital.
    let cancelled = WireDischargeRequest {
        state: "cancelled".into(),
        ..request(s.patient)
    };
    s.feed.send(app, std::slice::from_ref(&cancelled)).await;
    let err = app
        .answer_discharge_request(&cancelled.id.to_string(), "accept", "")
        .await
        .unwrap_err();
    assert_eq!(
        (err.code, err.message.as_str()),
        (ErrorCode::Conflict, "この相談は病院が取り消しました")
    );

    // Open as the feed says, but past its reply-by day in Japan.
    let late = request(s.patient);
    s.feed.send(app, std::slice::from_ref(&late)).await;
    let after = app_on(app, ymd(2026, 11, 27));
    let err = after
        .answer_discharge_request(&late.id.to_string(), "accept", "")
        .await
        .unwrap_err();
    assert_eq!(
        (err.code, err.message.as_str()),
        (
            ErrorCode::Conflict,
            "この相談は回答期限を過ぎました。病院の連携室に電話でお伝えください"
        )
    );
    assert_eq!(answers_queued(app).await.len(), 1);
    // On its reply-by day it may still be answered.
    let on_the_day = app_on(app, ymd(2026, 11, 26));
    assert!(
        on_the_day
            .discharge_requests_waiting()
            .await
            .unwrap()
            .iter()
            .any(|w| w.id == late.id && w.may_answer)
    );

    // The patient's page shows each with its state, the worklist only
    // what still waits (the answer sent from here, 送信待ち).
    let states: Vec<_> = after
        .patient_discharge_requests(&s.patient.to_string())
        .await
        .unwrap()
        .into_iter()
        .map(|v| (v.id, v.state))
        .collect();
    assert_eq!(
        states,
        [
            (late.id, DischargeRequestState::Expired),
            (cancelled.id, DischargeRequestState::Cancelled),
            (s.request.id, DischargeRequestState::Accepted),
        ]
    );
    let waiting: Vec<Uuid> = after
        .discharge_requests_waiting()
        .await
        .unwrap()
        .into_iter()
        .map(|w| w.id)
        .collect();
    assert_eq!(waiting, [s.request.id]);
    assert!(
        app.answer_discharge_request(&Uuid::now_v7().to_string(), "accept", "")
            .await
            .is_err_and(|e| e.code == ErrorCode::NotFound)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_by_the_server_is_a_conflict_until_the_feed_brings_the_true_state() {
    let mut s = with_request().await;
    let app = &s.t.app;
    let id = s.request.id.to_string();
    app.answer_discharge_request(&id, "accept", "")
        .await
        .unwrap();
    let op = app.store().pending_operations(10).await.unwrap()[0].op_seq;
    // Answered meanwhile on the clinic's other PC.
    let reason = "この相談には既に回答があります（引き受けられない）。変更は病院の連携室に電話でお伝えください";
    app.store()
        .settle_operations(&[(op, Settlement::Refused(reason.into()))], now())
        .await
        .unwrap();

    let conflicts = app.sync_conflicts().await.unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].what, "退院後の在宅医療の相談への回答");
    assert_eq!(conflicts[0].patient_name, "山田　太郎");
    assert_eq!(conflicts[0].reason, reason);
    let shown = &app.discharge_requests_waiting().await.unwrap()[0];
    assert_eq!(shown.refusal.as_deref(), Some(reason));
    assert!(!shown.sending);

    s.feed
        .send(
            app,
            &[WireDischargeRequest {
                state: "declined".into(),
                answer_text: "訪問診療の枠がありません".into(),
                answered_by: "つなぐ内科クリニック 佐藤（医師）".into(),
                answered_at: Some(now()),
                ..s.request.clone()
            }],
        )
        .await;
    assert!(app.discharge_requests_waiting().await.unwrap().is_empty());
    let view = &app
        .patient_discharge_requests(&s.patient.to_string())
        .await
        .unwrap()[0];
    assert_eq!(view.state, DischargeRequestState::Declined);
    assert_eq!(view.answer_text, "訪問診療の枠がありません");
    assert_eq!(view.answered_by, "つなぐ内科クリニック 佐藤（医師）");
    assert_eq!(view.refusal.as_deref(), Some(reason));
}

#[test]
fn a_state_or_need_this_build_does_not_know_is_a_garbled_feed() {
    let patient = Uuid::now_v7();
    for odd in [
        WireDischargeRequest {
            state: "postponed".into(),
            ..request(patient)
        },
        WireDischargeRequest {
            needs: vec!["teleportation".into()],
            ..request(patient)
        },
    ] {
        assert!(pulled_changes(ChangeBody::DischargeRequest { request: odd }).is_err());
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
async fn the_answer_names_the_account_a_nurse_reads_but_only_a_doctor_answers() {
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
    let patient = app.create_patient(&yamada()).await.unwrap().id;
    let r = request(patient);
    Feed { seq: 0 }.send(&app, std::slice::from_ref(&r)).await;

    app.add_account(&account("suzuki", "clerk", "鈴木　事務"))
        .await
        .unwrap();
    app.add_account(&account("tanaka", "nurse", "田中　看護師"))
        .await
        .unwrap();

    // A nurse reads the request (and is told who may answer), but the
    // answer is the doctor's (DecideCare).
    app.sign_out().await.unwrap();
    app.sign_in("tanaka", "はじめての仮パスワード")
        .await
        .unwrap();
    let waiting = app.discharge_requests_waiting().await.unwrap();
    assert!(waiting[0].may_answer && !waiting[0].may_decide);
    let on_page = app
        .patient_discharge_requests(&patient.to_string())
        .await
        .unwrap();
    assert!(!on_page[0].may_decide);
    let refused = app
        .answer_discharge_request(&r.id.to_string(), "accept", "")
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    assert_eq!(
        refused.message,
        "退院後の在宅医療の引き受けの回答と退院時カンファレンスの設定は、医師のアカウントだけができます。"
    );
    assert!(answers_queued(&app).await.is_empty());

    app.sign_out().await.unwrap();
    app.sign_in("suzuki", "はじめての仮パスワード")
        .await
        .unwrap();
    for refused in [
        app.discharge_requests_waiting().await.map(|_| ()),
        app.answer_discharge_request(&r.id.to_string(), "accept", "")
            .await
            .map(|_| ()),
    ] {
        assert_eq!(refused.unwrap_err().code, ErrorCode::Forbidden);
    }
    assert!(answers_queued(&app).await.is_empty());

    app.sign_out().await.unwrap();
    app.sign_in("sato", "はじめての仮パスワード").await.unwrap();
    assert!(app.discharge_requests_waiting().await.unwrap()[0].may_decide);
    let answered = app
        .answer_discharge_request(&r.id.to_string(), "consult", "訪問看護の体制を相談したい")
        .await
        .unwrap();
    assert_eq!(answered.answered_by, "佐藤　花子");
    assert!(answered.may_decide);
    let queued = answers_queued(&app).await;
    assert_eq!(queued[0].by.name, "佐藤　花子");
    assert_eq!(queued[0].by.profession, "physician");
    let trail = app.store().audit_trail(&r.id.to_string()).await.unwrap();
    let actors: Vec<(&str, AuditAction)> =
        trail.iter().map(|e| (e.actor.as_str(), e.action)).collect();
    assert_eq!(
        actors,
        [
            ("account:tanaka", AuditAction::View),
            ("account:sato", AuditAction::Update)
        ]
    );
    app.close().await;
}
