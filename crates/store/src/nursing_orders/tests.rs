use chrono::{NaiveDate, Utc};
use tsunagu_domain::nursing_order::{DiagnosisDraft, NursingOrderDraft, OrderKind};
use uuid::Uuid;

use super::{NewNursingOrder, NursingOrderDraftRecord};
use crate::{OpenMode, Store, StoreError, StoreKey};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn form(patient: Uuid) -> NursingOrderDraft {
    NursingOrderDraft {
        kind: "regular".into(),
        patient_id: patient.to_string(),
        station: "みどり訪問看護ステーション".into(),
        issued_on: "2026-12-01".into(),
        starts_on: "2026-12-01".into(),
        ends_on: "2027-05-31".into(),
        diagnoses: vec![DiagnosisDraft {
            name: "慢性心不全".into(),
            code: "4289002".into(),
        }],
        devices: vec!["oxygen".into()],
        emergency_contact: "さくら内科 03-1234-5678".into(),
        ..NursingOrderDraft::default()
    }
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

async fn draft(store: &Store, patient: Uuid) -> NursingOrderDraftRecord {
    let record = NursingOrderDraftRecord {
        id: Uuid::now_v7(),
        patient_id: patient,
        kind: OrderKind::Regular,
        draft: form(patient),
        station_member_id: None,
        renews: None,
        created_at: Utc::now(),
        updated_at: Utc::now(),
    };
    store.save_nursing_order_draft(&record).await.unwrap();
    record
}

fn issued(patient: Uuid, starts_on: NaiveDate, ends_on: NaiveDate) -> NewNursingOrder {
    NewNursingOrder {
        id: Uuid::now_v7(),
        patient_id: patient,
        kind: OrderKind::Regular,
        station: "みどり訪問看護ステーション".into(),
        station_member_id: None,
        station_key: "name:みどり訪問看護ステーション".into(),
        renews: None,
        issued_on: starts_on,
        starts_on,
        ends_on,
        draft: form(patient),
        pdf: b"%PDF-1.7 order".to_vec(),
        sha256: "00".repeat(32),
    }
}

/// A draft reads back field for field, the form as typed.
#[tokio::test]
async fn a_draft_reads_back_as_typed() {
    let (store, patient, _dir) = store_with_patient().await;
    let mut record = draft(&store, patient).await;
    record.draft.care_notes = "体重が2日で2kg増えたら連絡".into();
    record.draft.ends_on = "令和9年5月31日".into();
    store.save_nursing_order_draft(&record).await.unwrap();
    let read = store.nursing_order_draft(record.id).await.unwrap();
    assert_eq!(read.draft, record.draft);
    assert_eq!(store.nursing_order_drafts(patient).await.unwrap().len(), 1);
}

/// Issuing removes the draft and stores the order with its PDF, audited;
/// a second issue of the same draft stores nothing.
#[tokio::test]
async fn issuing_takes_the_draft_once() {
    let (store, patient, _dir) = store_with_patient().await;
    let record = draft(&store, patient).await;
    let order = issued(patient, d(2026, 12, 1), d(2027, 5, 31));
    let stored = store
        .issue_nursing_order(&order, record.id, "account:doctor", Utc::now())
        .await
        .unwrap();
    assert_eq!(stored.pdf_size, order.pdf.len() as u64);
    assert_eq!(stored.draft, order.draft);
    assert!(
        store
            .nursing_order_drafts(patient)
            .await
            .unwrap()
            .is_empty()
    );
    let again = store
        .issue_nursing_order(
            &issued(patient, d(2026, 12, 1), d(2027, 5, 31)),
            record.id,
            "account:doctor",
            Utc::now(),
        )
        .await;
    assert!(matches!(again, Err(StoreError::AlreadyIssued)), "{again:?}");
    assert_eq!(store.nursing_orders(patient).await.unwrap().len(), 1);
    let pdf = store
        .nursing_order_pdf(stored.id, "account:nurse", Utc::now())
        .await
        .unwrap();
    assert_eq!(pdf, order.pdf);
    let trail = store.audit_trail(&stored.id.to_string()).await.unwrap();
    assert_eq!(trail.len(), 2, "issued, then printed");
}

/// An issued order cannot be changed or removed, even by SQL that goes
/// round the store's functions: the triggers refuse it.
#[tokio::test]
async fn an_issued_order_is_never_changed_or_removed() {
    let (store, patient, _dir) = store_with_patient().await;
    let record = draft(&store, patient).await;
    let stored = store
        .issue_nursing_order(
            &issued(patient, d(2026, 12, 1), d(2027, 5, 31)),
            record.id,
            "a",
            Utc::now(),
        )
        .await
        .unwrap();
    let update = sqlx::query("UPDATE nursing_orders SET ends_on = '2027-12-31' WHERE id = ?")
        .bind(crate::sql::Id(stored.id))
        .execute(&store.pool)
        .await;
    assert!(update.is_err(), "an update went through");
    let swap = sqlx::query("UPDATE nursing_orders SET pdf = x'00' WHERE id = ?")
        .bind(crate::sql::Id(stored.id))
        .execute(&store.pool)
        .await;
    assert!(swap.is_err(), "the PDF was replaced");
    let delete = sqlx::query("DELETE FROM nursing_orders WHERE id = ?")
        .bind(crate::sql::Id(stored.id))
        .execute(&store.pool)
        .await;
    assert!(delete.is_err(), "a delete went through");
    assert_eq!(store.nursing_order(stored.id).await.unwrap(), stored);
}

/// The reminder's facts: per patient and station the regular order that
/// ends last; a 特別 order and another station's order are apart.
#[tokio::test]
async fn the_latest_regular_order_per_station_counts() {
    let (store, patient, _dir) = store_with_patient().await;
    let first = issued(patient, d(2026, 6, 1), d(2026, 11, 30));
    let renewal = NewNursingOrder {
        renews: Some(first.id),
        ..issued(patient, d(2026, 12, 1), d(2027, 5, 31))
    };
    let special = NewNursingOrder {
        kind: OrderKind::Special,
        ..issued(patient, d(2027, 1, 10), d(2027, 1, 23))
    };
    let elsewhere = NewNursingOrder {
        station: "あおば訪問看護".into(),
        station_key: "name:あおば訪問看護".into(),
        ..issued(patient, d(2026, 10, 1), d(2027, 3, 31))
    };
    for order in [&first, &renewal, &special, &elsewhere] {
        let record = draft(&store, patient).await;
        store
            .issue_nursing_order(order, record.id, "a", Utc::now())
            .await
            .unwrap();
    }
    let latest = store.latest_nursing_orders().await.unwrap();
    let ids: Vec<Uuid> = latest.iter().map(|l| l.order_id).collect();
    assert_eq!(ids, [elsewhere.id, renewal.id]);
    assert_eq!(latest[1].patient_name, "山田　太郎");
    let first_read = store.nursing_order(first.id).await.unwrap();
    assert_eq!(first_read.renewed_by, Some(renewal.id));

    // Renewed to the station as a team member (typed by name before):
    // the order typed by name counts no more.
    let to_member = NewNursingOrder {
        renews: Some(elsewhere.id),
        station_key: format!("member:{}", Uuid::now_v7()),
        ..issued(patient, d(2027, 4, 1), d(2027, 9, 30))
    };
    let record = draft(&store, patient).await;
    store
        .issue_nursing_order(&to_member, record.id, "a", Utc::now())
        .await
        .unwrap();
    let ids: Vec<Uuid> = store
        .latest_nursing_orders()
        .await
        .unwrap()
        .iter()
        .map(|l| l.order_id)
        .collect();
    assert_eq!(ids, [renewal.id, to_member.id]);
}
