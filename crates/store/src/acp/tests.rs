use chrono::{NaiveDate, TimeZone, Utc};
use tsunagu_domain::acp::{AcpDraft, ParticipantDraft, Treatment, check_acp};
use uuid::Uuid;

use crate::{OpenMode, Store, StoreError, StoreKey};

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn record(held_on: &str, cpr: &str) -> tsunagu_domain::acp::AcpRecord {
    let draft = AcpDraft {
        held_on: held_on.into(),
        participants: vec![
            ParticipantDraft {
                role: "patient".into(),
                ..Default::default()
            },
            ParticipantDraft {
                role: "family".into(),
                name: "山田 花子".into(),
                relation: "長女".into(),
            },
        ],
        place_of_care: "home".into(),
        place_of_death: "undecided".into(),
        wishes: Treatment::ALL
            .iter()
            .map(|t| {
                let w = if *t == Treatment::Cpr {
                    cpr
                } else {
                    "undecided"
                };
                (t.code().into(), w.into())
            })
            .collect(),
        surrogate_name: "山田 花子".into(),
        surrogate_relation: "長女".into(),
        ..Default::default()
    };
    check_acp(&draft, d(12, 7)).unwrap()
}

async fn store_with_patient() -> (Store, Uuid, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_file(
        &dir.path().join("a.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .unwrap();
    let patient = Uuid::now_v7();
    store
        .insert_patient(
            patient,
            &crate::test_support::yamada_fields(),
            "test",
            Utc::now(),
        )
        .await
        .unwrap();
    (store, patient, dir)
}

/// Versions read back whole, the latest conversation first even when it
/// was recorded before an older one was typed in, each signed and audited.
#[tokio::test]
async fn versions_read_back_whole_latest_conversation_first() {
    let (store, patient, _dir) = store_with_patient().await;
    let at = |h| Utc.with_ymd_and_hms(2026, 12, 7, h, 0, 0).unwrap();
    let newer = record("2026-12-01", "declines");
    let first = store
        .record_acp(
            patient,
            &newer,
            None,
            "account:suzuki",
            "医師 鈴木 一郎",
            at(9),
        )
        .await
        .unwrap();
    let older = record("2026-06-01", "wants");
    store
        .record_acp(patient, &older, None, "account:sato", "看護師 佐藤", at(10))
        .await
        .unwrap();
    let versions = store.acp_records(patient).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].id, first.id);
    assert_eq!(versions[0].record, newer);
    assert_eq!(versions[0].recorded_by_name, "医師 鈴木 一郎");
    assert_eq!(versions[1].record, older);
    let trail = store.audit_trail(&first.id.to_string()).await.unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].actor, "account:suzuki");
}

/// A version cannot be changed or removed, even by SQL that goes round
/// the store's functions: the triggers refuse it.
#[tokio::test]
async fn a_version_is_never_changed_or_removed() {
    let (store, patient, _dir) = store_with_patient().await;
    let stored = store
        .record_acp(
            patient,
            &record("2026-12-01", "declines"),
            None,
            "a",
            "医師 鈴木",
            Utc::now(),
        )
        .await
        .unwrap();
    let update = sqlx::query("UPDATE acp_records SET wish_cpr = 'wants' WHERE id = ?")
        .bind(crate::sql::Id(stored.id))
        .execute(&store.pool)
        .await;
    assert!(update.is_err(), "an update went through");
    let delete = sqlx::query("DELETE FROM acp_records WHERE id = ?")
        .bind(crate::sql::Id(stored.id))
        .execute(&store.pool)
        .await;
    assert!(delete.is_err(), "a delete went through");
    assert_eq!(store.acp_record(stored.id).await.unwrap(), stored);
}

#[tokio::test]
async fn an_unknown_patient_is_refused_and_nothing_is_kept() {
    let (store, _patient, _dir) = store_with_patient().await;
    let stranger = Uuid::now_v7();
    let result = store
        .record_acp(
            stranger,
            &record("2026-12-01", "wants"),
            None,
            "a",
            "医師",
            Utc::now(),
        )
        .await;
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    assert!(store.acp_records(stranger).await.unwrap().is_empty());
}

/// The review facts: one row per patient with wishes, its current record,
/// and no discharge while the patient has no episode.
#[tokio::test]
async fn review_facts_name_each_patients_current_record() {
    let (store, patient, _dir) = store_with_patient().await;
    assert!(store.acp_review_facts().await.unwrap().is_empty());
    store
        .record_acp(
            patient,
            &record("2026-05-01", "wants"),
            None,
            "a",
            "医師",
            Utc::now(),
        )
        .await
        .unwrap();
    let current = store
        .record_acp(
            patient,
            &record("2026-06-01", "declines"),
            None,
            "a",
            "医師",
            Utc::now(),
        )
        .await
        .unwrap();
    let facts = store.acp_review_facts().await.unwrap();
    assert_eq!(facts.len(), 1);
    assert_eq!(facts[0].acp_id, current.id);
    assert_eq!(facts[0].held_on, d(6, 1));
    assert_eq!(facts[0].last_discharge, None);
}
