//! 事前登録 in the encrypted store (issue 17): a consent keeps the scope and
//! the hospitals chosen, reads them back as the domain's consent, counts
//! as a consent in force on its own (the patient's identity is queued for
//! the server, a second consent is refused, a restored server is told
//! again), and a consent from the feed keeps them too.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use chrono::NaiveDate;
use tsunagu_domain::{ConsentGiver, ConsentScope, TeamSharingConsent};
use tsunagu_store::{
    EpochCheck, OpenMode, OutboxItem, PulledChange, Settlement, Store, StoreError, StoreKey,
    SyncDevice,
};
use uuid::Uuid;

const CHUO: &str = "0193a0f0-0000-7000-8000-0000000000c1";
const KITA: &str = "0193a0f0-0000-7000-8000-0000000000c2";

fn consent(scopes: Vec<ConsentScope>, hospitals: &[&str]) -> TeamSharingConsent {
    TeamSharingConsent {
        obtained_on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        obtained_by: "鈴木　一郎".into(),
        given_by: ConsentGiver::Patient,
        scopes,
        withdrawn_on: None,
        preregistered_with: hospitals.iter().map(|h| (*h).to_string()).collect(),
    }
}

async fn store_with_patient() -> (Store, tempfile::TempDir, Uuid) {
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
    (store, dir, patient)
}

/// What waits in the outbox, by kind.
async fn kinds(store: &Store) -> Vec<&'static str> {
    store
        .pending_operations(100)
        .await
        .unwrap()
        .into_iter()
        .map(|op| match op.item {
            OutboxItem::Patient { .. } => "patient",
            OutboxItem::Consent { .. } => "consent",
            _ => "other",
        })
        .collect()
}

#[tokio::test]
async fn a_consent_keeps_preregistration_and_the_hospitals_chosen_in_their_order() {
    let (store, _dir, patient) = store_with_patient().await;
    let id = Uuid::now_v7();
    // Only 事前登録, with two hospitals (the second first, as chosen).
    let given = consent(vec![ConsentScope::Preregistration], &[KITA, CHUO]);
    let record = store
        .save_consent(id, patient, &given, "t", common::now())
        .await
        .unwrap();
    assert!(record.preregistration);
    assert_eq!(
        record.preregistered_with,
        [
            Uuid::parse_str(KITA).unwrap(),
            Uuid::parse_str(CHUO).unwrap()
        ]
    );
    assert_eq!(record.team_sharing(), given);
    assert!(record.team_sharing().in_force());
    assert!(!record.consent.share_with_desk && !record.share_with_team);
    // Read again, from the list too.
    assert_eq!(store.consent(id).await.unwrap(), record);
    assert_eq!(store.consents_for_patient(patient).await.unwrap(), [record]);
    // 事前登録 alone is a consent in force: the server must learn who the
    // patient is, so that a hospital can find the patient.
    assert_eq!(kinds(&store).await, ["patient", "consent"]);
    let queued = store
        .pending_operations(10)
        .await
        .unwrap()
        .into_iter()
        .find_map(|op| match op.item {
            OutboxItem::Consent { record } => Some(record),
            _ => None,
        })
        .unwrap();
    assert!(queued.preregistration);
    assert_eq!(queued.preregistered_with.len(), 2);

    // A second consent in force is refused while this one stands.
    let other = store
        .save_consent(
            Uuid::now_v7(),
            patient,
            &consent(vec![ConsentScope::Desk], &[]),
            "t",
            common::now(),
        )
        .await
        .unwrap_err();
    assert!(matches!(other, StoreError::ConsentInForce), "{other:?}");

    // Every participating hospital: the scope with none chosen.
    let all = consent(vec![ConsentScope::Desk, ConsentScope::Preregistration], &[]);
    let record = store
        .save_consent(id, patient, &all, "t", common::now())
        .await
        .unwrap();
    assert!(record.preregistration && record.preregistered_with.is_empty());
    assert_eq!(record.team_sharing(), all);

    // Without the scope, the hospitals are not kept (the domain drops
    // them; the store keeps no hospitals for a consent not naming it).
    let mut without = consent(vec![ConsentScope::Desk], &[CHUO]);
    let record = store
        .save_consent(id, patient, &without, "t", common::now())
        .await
        .unwrap();
    assert!(!record.preregistration && record.preregistered_with.is_empty());
    without.preregistered_with.clear();
    assert_eq!(record.team_sharing(), without);

    // A hospital that is no id names no hospital.
    let odd = consent(vec![ConsentScope::Preregistration], &["豊島中央病院"]);
    let err = store
        .save_consent(id, patient, &odd, "t", common::now())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound), "{err:?}");
    assert!(!store.consent(id).await.unwrap().preregistration);
    store.close().await;
}

#[tokio::test]
async fn withdrawing_a_preregistration_holds_back_what_waits() {
    let (store, _dir, patient) = store_with_patient().await;
    let id = Uuid::now_v7();
    let mut given = consent(vec![ConsentScope::Preregistration], &[CHUO]);
    store
        .save_consent(id, patient, &given, "t", common::now())
        .await
        .unwrap();
    given.withdrawn_on = NaiveDate::from_ymd_opt(2026, 11, 20);
    let record = store
        .save_consent(id, patient, &given, "t", common::now())
        .await
        .unwrap();
    assert!(!record.team_sharing().in_force());
    // The patient waits no more; the consent and its withdrawal are told.
    assert_eq!(kinds(&store).await, ["consent", "consent"]);
    store.close().await;
}

#[tokio::test]
async fn a_consent_from_the_feed_keeps_its_preregistration() {
    let (store, _dir, patient) = store_with_patient().await;
    let id = Uuid::now_v7();
    let pulled = consent(
        vec![ConsentScope::Hospital, ConsentScope::Preregistration],
        &[CHUO, KITA],
    );
    store
        .apply_pulled(
            &[(
                1,
                PulledChange::Consent {
                    id,
                    patient_id: patient,
                    consent: pulled.clone(),
                },
            )],
            1,
            common::now(),
        )
        .await
        .unwrap();
    let record = store.consent(id).await.unwrap();
    assert_eq!(record.team_sharing(), pulled);
    assert!(kinds(&store).await.is_empty(), "the server has it already");
    store.close().await;
}

#[tokio::test]
async fn a_restored_server_is_told_again_of_a_patient_preregistered_only() {
    let (store, _dir, patient) = store_with_patient().await;
    store
        .save_sync_device(
            &SyncDevice {
                server_url: "http://127.0.0.1:1".into(),
                device_id: Uuid::now_v7(),
                organisation_id: Uuid::now_v7(),
                organisation_name: "つなぐ内科クリニック".into(),
                enrolled_at: common::now(),
            },
            "test",
        )
        .await
        .unwrap();
    store
        .adopt_epoch(Uuid::now_v7(), common::now(), "t")
        .await
        .unwrap();
    store
        .save_consent(
            Uuid::now_v7(),
            patient,
            &consent(vec![ConsentScope::Preregistration], &[]),
            "t",
            common::now(),
        )
        .await
        .unwrap();
    let sent: Vec<(i64, Settlement)> = store
        .pending_operations(100)
        .await
        .unwrap()
        .iter()
        .map(|op| (op.op_seq, Settlement::Applied))
        .collect();
    store.settle_operations(&sent, common::now()).await.unwrap();
    assert!(kinds(&store).await.is_empty());

    let check = store
        .adopt_epoch(Uuid::now_v7(), common::now(), "t")
        .await
        .unwrap();
    assert_eq!(check, EpochCheck::Restored);
    assert_eq!(kinds(&store).await, ["patient", "consent"]);
    store.close().await;
}
