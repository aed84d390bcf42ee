//! 退院後の在宅医療の相談 in the encrypted store: the feed's copy replaces
//! the row, the worklist's query leaves out what is answered, expired or
//! deleted, an answer is written with its outbox row and audit entry in
//! one transaction (and never twice), and the feed's next word settles
//! what was answered here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use chrono::{Duration, NaiveDate};
use tsunagu_domain::discharge_request::{CareNeed, RequestState};
use tsunagu_store::{
    AnswerGivenHere, AnswerSending, AuditAction, DischargeAnswerWrite, DischargeRequestRecord,
    OpenMode, OutboxItem, OutboxKind, PulledChange, Settlement, Store, StoreError, StoreKey,
};
use uuid::Uuid;

struct Fixture {
    store: Store,
    _dir: tempfile::TempDir,
    patient: Uuid,
    seq: i64,
}

impl Fixture {
    async fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_file(
            &dir.path().join("t.db"),
            &StoreKey::generate(),
            OpenMode::CreateNew,
        )
        .await
        .unwrap();
        let patient = Uuid::now_v7();
        store
            .insert_patient(patient, &common::yamada(), "t", common::now())
            .await
            .unwrap();
        Fixture {
            store,
            _dir: dir,
            patient,
            seq: 0,
        }
    }

    /// A page of the feed bringing `requests`; what the page counted.
    async fn pull(&mut self, requests: &[DischargeRequestRecord]) -> usize {
        let changes: Vec<_> = requests
            .iter()
            .map(|r| {
                self.seq += 1;
                (self.seq, PulledChange::DischargeRequest(r.clone()))
            })
            .collect();
        let outcome = self
            .store
            .apply_pulled(&changes, self.seq, common::now())
            .await
            .unwrap();
        outcome.discharge_requests
    }
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn request(patient: Uuid) -> DischargeRequestRecord {
    DischargeRequestRecord {
        id: Uuid::now_v7(),
        referral_id: Uuid::now_v7(),
        patient_id: patient,
        hospital: "北病院".into(),
        sent_by: "北病院 MSW・連携担当者 山本".into(),
        sent_at: common::now() - Duration::hours(3),
        expected_date: day(30),
        reply_by: day(26),
        needs: vec![CareNeed::HomeOxygen, CareNeed::EndOfLife],
        note: "ご家族は自宅での看取りを希望".into(),
        state: RequestState::Open,
        answer_text: String::new(),
        answered_by: String::new(),
        answered_at: None,
    }
}

fn accepted_here() -> AnswerGivenHere {
    AnswerGivenHere {
        state: RequestState::Accepted,
        text: String::new(),
        by: "鈴木　一郎".into(),
        at: common::now(),
    }
}

async fn answer(
    store: &Store,
    id: Uuid,
    checked: RequestState,
    given: &AnswerGivenHere,
) -> Result<(), StoreError> {
    store
        .answer_discharge_request(
            &DischargeAnswerWrite {
                request_id: id,
                checked_state: checked,
                answer: given,
                payload: r#"{"answer":"accept"}"#,
                actor: "account:suzuki",
            },
            common::now(),
        )
        .await
}

#[tokio::test]
async fn the_feed_brings_a_request_whole_and_a_later_change_replaces_it() {
    let mut f = Fixture::new().await;
    let r = request(f.patient);
    assert_eq!(f.pull(std::slice::from_ref(&r)).await, 1);
    let held = f.store.discharge_request(r.id).await.unwrap();
    assert_eq!(held.request, r);
    assert_eq!(held.patient_name, "山田　太郎");
    assert_eq!(held.given_here, None);
    assert_eq!(held.sending, None);
    let waiting = f.store.discharge_requests_waiting(day(24)).await.unwrap();
    assert_eq!(waiting.len(), 1);

    // The same page again changes nothing and is no news.
    assert_eq!(f.pull(std::slice::from_ref(&r)).await, 0);
    assert_eq!(
        f.store
            .discharge_requests_of_patient(f.patient)
            .await
            .unwrap()
            .len(),
        1
    );

    // Cancelled by the hospital: the row is replaced, the worklist drops it,
    // the patient's page keeps it with its state.
    let cancelled = DischargeRequestRecord {
        state: RequestState::Cancelled,
        note: "転院となりました".into(),
        ..r.clone()
    };
    assert_eq!(f.pull(std::slice::from_ref(&cancelled)).await, 1);
    assert!(
        f.store
            .discharge_requests_waiting(day(24))
            .await
            .unwrap()
            .is_empty()
    );
    let of_patient = f
        .store
        .discharge_requests_of_patient(f.patient)
        .await
        .unwrap();
    assert_eq!(of_patient.len(), 1);
    assert_eq!(of_patient[0].request, cancelled);
    let of_referral = f
        .store
        .discharge_requests_of_referral(r.referral_id)
        .await
        .unwrap();
    assert_eq!(of_referral[0].request.id, r.id);
    assert!(
        f.store
            .discharge_requests_of_referral(Uuid::now_v7())
            .await
            .unwrap()
            .is_empty()
    );
    f.store.close().await;
}

#[tokio::test]
async fn a_request_about_a_patient_not_held_here_is_skipped() {
    let mut f = Fixture::new().await;
    let stranger = request(Uuid::now_v7());
    let changes = vec![(1, PulledChange::DischargeRequest(stranger.clone()))];
    let outcome = f
        .store
        .apply_pulled(&changes, 1, common::now())
        .await
        .unwrap();
    assert_eq!((outcome.skipped, outcome.discharge_requests), (1, 0));
    assert!(matches!(
        f.store.discharge_request(stranger.id).await,
        Err(StoreError::NotFound)
    ));
    // Another patient's request under a known id is refused whole.
    let mine = request(f.patient);
    f.pull(std::slice::from_ref(&mine)).await;
    let other = f.patient;
    let moved = DischargeRequestRecord {
        patient_id: Uuid::now_v7(),
        ..mine.clone()
    };
    let another = tsunagu_domain::PatientFields {
        chart_number: None,
        ..common::yamada()
    };
    f.store
        .insert_patient(moved.patient_id, &another, "t", common::now())
        .await
        .unwrap();
    let page = vec![(9, PulledChange::DischargeRequest(moved))];
    assert!(matches!(
        f.store.apply_pulled(&page, 9, common::now()).await,
        Err(StoreError::Corrupt(_))
    ));
    let held = f.store.discharge_request(mine.id).await.unwrap();
    assert_eq!(held.request.patient_id, other);
    f.store.close().await;
}

#[tokio::test]
async fn the_worklist_leaves_out_the_expired_the_answered_and_the_deleted() {
    let mut f = Fixture::new().await;
    let due_today = DischargeRequestRecord {
        reply_by: day(24),
        ..request(f.patient)
    };
    let past = DischargeRequestRecord {
        reply_by: day(23),
        ..request(f.patient)
    };
    let answered = DischargeRequestRecord {
        state: RequestState::Declined,
        answer_text: "訪問診療の枠がありません".into(),
        answered_by: "鈴木　一郎".into(),
        answered_at: Some(common::now()),
        ..request(f.patient)
    };
    let later = request(f.patient);
    f.pull(&[later.clone(), due_today.clone(), past, answered])
        .await;
    let ids: Vec<Uuid> = f
        .store
        .discharge_requests_waiting(day(24))
        .await
        .unwrap()
        .iter()
        .map(|h| h.request.id)
        .collect();
    assert_eq!(
        ids,
        [due_today.id, later.id],
        "the nearest reply-by day first"
    );
    assert_eq!(
        f.store
            .discharge_requests_of_patient(f.patient)
            .await
            .unwrap()
            .len(),
        4
    );

    f.store
        .set_patient_deleted(f.patient, true, "t", common::now())
        .await
        .unwrap();
    assert!(
        f.store
            .discharge_requests_waiting(day(24))
            .await
            .unwrap()
            .is_empty()
    );
    f.store.close().await;
}

#[tokio::test]
async fn an_answer_is_recorded_queued_and_audited_together_and_only_once() {
    let mut f = Fixture::new().await;
    let r = request(f.patient);
    f.pull(std::slice::from_ref(&r)).await;
    answer(&f.store, r.id, RequestState::Open, &accepted_here())
        .await
        .unwrap();

    let held = f.store.discharge_request(r.id).await.unwrap();
    assert_eq!(held.given_here, Some(accepted_here()));
    assert_eq!(held.sending, Some(AnswerSending::Waiting));
    assert_eq!(held.standing_answer(), Some(&accepted_here()));
    assert_eq!(
        held.request.state,
        RequestState::Open,
        "the feed's state stays"
    );
    let pending = f.store.pending_operations(10).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(
        pending[0].item,
        OutboxItem::DischargeAnswer {
            payload: r#"{"answer":"accept"}"#.into()
        }
    );
    let trail = f.store.audit_trail(&r.id.to_string()).await.unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(
        (
            trail[0].action,
            trail[0].entity_kind.as_str(),
            trail[0].actor.as_str()
        ),
        (AuditAction::Update, "discharge_request", "account:suzuki")
    );
    // Still on the worklist (送信待ち), even past its day.
    assert_eq!(
        f.store
            .discharge_requests_waiting(day(28))
            .await
            .unwrap()
            .len(),
        1
    );

    // A second answer (another click, another window) is refused and
    // writes nothing.
    let declined = AnswerGivenHere {
        state: RequestState::Declined,
        text: "枠がありません".into(),
        ..accepted_here()
    };
    assert!(matches!(
        answer(&f.store, r.id, RequestState::Open, &declined).await,
        Err(StoreError::RequestChanged)
    ));
    assert_eq!(f.store.pending_count().await.unwrap(), 1);
    assert_eq!(
        f.store.discharge_request(r.id).await.unwrap().given_here,
        Some(accepted_here())
    );
    assert_eq!(
        f.store.audit_trail(&r.id.to_string()).await.unwrap().len(),
        1
    );
    assert!(matches!(
        answer(&f.store, Uuid::now_v7(), RequestState::Open, &declined).await,
        Err(StoreError::NotFound)
    ));
    f.store.close().await;
}

#[tokio::test]
async fn an_answer_checked_against_a_state_the_feed_has_since_changed_is_refused() {
    let mut f = Fixture::new().await;
    let r = request(f.patient);
    f.pull(std::slice::from_ref(&r)).await;
    f.pull(&[DischargeRequestRecord {
        state: RequestState::Cancelled,
        ..r.clone()
    }])
    .await;
    assert!(matches!(
        answer(&f.store, r.id, RequestState::Open, &accepted_here()).await,
        Err(StoreError::RequestChanged)
    ));
    assert_eq!(f.store.pending_count().await.unwrap(), 0);
    f.store.close().await;
}

#[tokio::test]
async fn the_feed_settles_an_answer_once_it_is_no_longer_waiting() {
    let mut f = Fixture::new().await;
    let r = request(f.patient);
    f.pull(std::slice::from_ref(&r)).await;
    answer(&f.store, r.id, RequestState::Open, &accepted_here())
        .await
        .unwrap();
    // The feed speaks while the answer waits: the answer stands.
    f.pull(std::slice::from_ref(&r)).await;
    assert_eq!(
        f.store.discharge_request(r.id).await.unwrap().given_here,
        Some(accepted_here())
    );

    let op = f.store.pending_operations(10).await.unwrap()[0].op_seq;
    f.store
        .settle_operations(&[(op, Settlement::Applied)], common::now())
        .await
        .unwrap();
    let held = f.store.discharge_request(r.id).await.unwrap();
    assert_eq!(held.sending, Some(AnswerSending::Applied));
    assert!(held.standing_answer().is_some(), "until the feed echoes it");

    let echoed = DischargeRequestRecord {
        state: RequestState::Accepted,
        answered_by: "つなぐ内科クリニック 鈴木　一郎（医師）".into(),
        answered_at: Some(common::now()),
        ..r.clone()
    };
    assert_eq!(f.pull(std::slice::from_ref(&echoed)).await, 1);
    let held = f.store.discharge_request(r.id).await.unwrap();
    assert_eq!(held.request, echoed);
    assert_eq!(held.given_here, None);
    assert_eq!(held.sending, Some(AnswerSending::Applied));
    f.store.close().await;
}

#[tokio::test]
async fn a_refused_answer_is_a_conflict_and_the_feed_brings_the_true_state() {
    let mut f = Fixture::new().await;
    let r = request(f.patient);
    f.pull(std::slice::from_ref(&r)).await;
    answer(&f.store, r.id, RequestState::Open, &accepted_here())
        .await
        .unwrap();
    let op = f.store.pending_operations(10).await.unwrap()[0].op_seq;
    let reason = "この相談は回答期限を過ぎました。病院の連携室に電話でお伝えください";
    f.store
        .settle_operations(&[(op, Settlement::Refused(reason.into()))], common::now())
        .await
        .unwrap();

    let held = f.store.discharge_request(r.id).await.unwrap();
    assert_eq!(held.sending, Some(AnswerSending::Refused(reason.into())));
    assert_eq!(
        held.standing_answer(),
        None,
        "a refused answer does not stand"
    );
    let refused = f.store.refused_operations().await.unwrap();
    assert_eq!(refused.len(), 1);
    assert_eq!(
        (
            refused[0].kind,
            refused[0].patient_id,
            refused[0].reason.as_str()
        ),
        (OutboxKind::DischargeAnswer, f.patient, reason)
    );
    assert_eq!(f.store.pending_count().await.unwrap(), 0);

    // The feed's word clears the answer given here; the refusal stays told.
    f.pull(&[DischargeRequestRecord {
        state: RequestState::Expired,
        ..r.clone()
    }])
    .await;
    let held = f.store.discharge_request(r.id).await.unwrap();
    assert_eq!(held.request.state, RequestState::Expired);
    assert_eq!(held.given_here, None);
    assert_eq!(held.sending, Some(AnswerSending::Refused(reason.into())));

    // While it was open, another answer could have been given after a
    // refusal: it is the latest that counts.
    let mut g = Fixture::new().await;
    let r = request(g.patient);
    g.pull(std::slice::from_ref(&r)).await;
    answer(&g.store, r.id, RequestState::Open, &accepted_here())
        .await
        .unwrap();
    let op = g.store.pending_operations(10).await.unwrap()[0].op_seq;
    g.store
        .settle_operations(&[(op, Settlement::Refused("理由".into()))], common::now())
        .await
        .unwrap();
    answer(&g.store, r.id, RequestState::Open, &accepted_here())
        .await
        .unwrap();
    let held = g.store.discharge_request(r.id).await.unwrap();
    assert_eq!(held.sending, Some(AnswerSending::Waiting));
    assert_eq!(held.standing_answer(), Some(&accepted_here()));
    f.store.close().await;
    g.store.close().await;
}
