//! Drafts, issuing (once), corrections, referral episodes, destinations.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use tsunagu_store::{
    Destination, LetterDraftRecord, LetterKind, NewLetter, OpenMode, ReferralLink, Store,
    StoreError, StoreKey,
};
use uuid::Uuid;

async fn store_with_patient() -> (tempfile::TempDir, Store, Uuid) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_file(
        &dir.path().join("s.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .unwrap();
    let id = Uuid::now_v7();
    store
        .insert_patient(id, &common::yamada(), "test", common::now())
        .await
        .unwrap();
    (dir, store, id)
}

fn sent() -> tsunagu_domain::EventDetails {
    tsunagu_domain::EventDetails::Sent {
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        hospital: "豊島中央病院".into(),
    }
}

fn draft(patient: Uuid, supersedes: Option<Uuid>) -> LetterDraftRecord {
    LetterDraftRecord {
        id: Uuid::now_v7(),
        patient_id: patient,
        kind: LetterKind::Referral,
        content: r#"{"purpose":"精査"}"#.into(),
        supersedes,
        created_at: common::now(),
        updated_at: common::now(),
    }
}

fn toshima() -> Destination {
    Destination {
        institution: "豊島中央病院".into(),
        department: "循環器内科".into(),
        doctor: String::new(),
    }
}

fn letter(
    patient: Uuid,
    version: u32,
    supersedes: Option<Uuid>,
    referral: ReferralLink,
) -> NewLetter {
    NewLetter {
        id: Uuid::now_v7(),
        patient_id: patient,
        kind: LetterKind::Referral,
        version,
        supersedes,
        referral,
        to: toshima(),
        draft: "{}".into(),
        input: "{}".into(),
        pdf: b"%PDF-1.7 test".to_vec(),
        sha256: "00".repeat(32),
        issued_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    }
}

#[tokio::test]
async fn a_draft_saves_over_itself_and_is_listed_for_its_patient() {
    let (_dir, store, patient) = store_with_patient().await;
    let mut d = draft(patient, None);
    store.save_letter_draft(&d).await.unwrap();
    d.content = r#"{"purpose":"精査加療"}"#.into();
    store.save_letter_draft(&d).await.unwrap();
    let drafts = store.letter_drafts(patient).await.unwrap();
    assert_eq!(drafts, vec![d.clone()]);
    store.delete_letter_draft(d.id).await.unwrap();
    assert!(matches!(
        store.letter_draft(d.id).await,
        Err(StoreError::NotFound)
    ));
    store.close().await;
}

#[tokio::test]
async fn issuing_opens_a_sent_referral_and_a_second_issue_of_the_same_draft_stores_nothing() {
    let (_dir, store, patient) = store_with_patient().await;
    let d = draft(patient, None);
    store.save_letter_draft(&d).await.unwrap();
    let referral = Uuid::now_v7();
    let first = letter(
        patient,
        1,
        None,
        ReferralLink::New {
            id: referral,
            tracking_code: "K8Y-5WW-FJC".into(),
            sent_details: sent(),
            destination: None,
        },
    );
    let issued = store
        .issue_letter(&first, d.id, "os:doctor", common::now())
        .await
        .unwrap();
    assert_eq!(issued.referral_status.as_deref(), Some("sent"));
    assert_eq!(issued.tracking_code.as_deref(), Some("K8Y-5WW-FJC"));
    assert_eq!(issued.pdf_size, 13);
    assert!(store.letter_drafts(patient).await.unwrap().is_empty());

    let again = letter(patient, 1, None, ReferralLink::None);
    let err = store
        .issue_letter(&again, d.id, "os:doctor", common::now())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::AlreadyIssued), "{err:?}");
    assert_eq!(store.letters_for_patient(patient).await.unwrap().len(), 1);

    // The same tracking code cannot open a second episode.
    let d2 = draft(patient, None);
    store.save_letter_draft(&d2).await.unwrap();
    let clash = letter(
        patient,
        1,
        None,
        ReferralLink::New {
            id: Uuid::now_v7(),
            tracking_code: "K8Y-5WW-FJC".into(),
            sent_details: sent(),
            destination: None,
        },
    );
    let err = store
        .issue_letter(&clash, d2.id, "os:doctor", common::now())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::DuplicateTrackingCode), "{err:?}");
    assert_eq!(
        store.letter_drafts(patient).await.unwrap().len(),
        1,
        "draft kept"
    );

    let pdf = store
        .letter_pdf(first.id, "os:doctor", common::now())
        .await
        .unwrap();
    assert_eq!(pdf, first.pdf);
    let trail: Vec<_> = store
        .audit_trail(&first.id.to_string())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        trail,
        vec![
            tsunagu_store::AuditAction::Issue,
            tsunagu_store::AuditAction::Print
        ]
    );
    store.close().await;
}

#[tokio::test]
async fn a_correction_is_a_new_version_linked_to_the_old_and_only_one_may_exist() {
    let (_dir, store, patient) = store_with_patient().await;
    let d = draft(patient, None);
    store.save_letter_draft(&d).await.unwrap();
    let referral = Uuid::now_v7();
    let v1 = letter(
        patient,
        1,
        None,
        ReferralLink::New {
            id: referral,
            tracking_code: "AAA-AAA-AAA".into(),
            sent_details: sent(),
            destination: None,
        },
    );
    store
        .issue_letter(&v1, d.id, "os:doctor", common::now())
        .await
        .unwrap();

    let fix = draft(patient, Some(v1.id));
    store.save_letter_draft(&fix).await.unwrap();
    let v2 = letter(patient, 2, Some(v1.id), ReferralLink::Existing(referral));
    let issued = store
        .issue_letter(&v2, fix.id, "os:doctor", common::now())
        .await
        .unwrap();
    assert_eq!((issued.version, issued.supersedes), (2, Some(v1.id)));
    assert_eq!(issued.tracking_code.as_deref(), Some("AAA-AAA-AAA"));
    assert_eq!(
        store.letter(v1.id).await.unwrap().superseded_by,
        Some(v2.id)
    );

    let other = draft(patient, Some(v1.id));
    store.save_letter_draft(&other).await.unwrap();
    let v2b = letter(patient, 2, Some(v1.id), ReferralLink::Existing(referral));
    let err = store
        .issue_letter(&v2b, other.id, "os:doctor", common::now())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::AlreadyIssued));
    store.close().await;
}

#[tokio::test]
async fn recent_and_favourite_destinations() {
    let (_dir, store, patient) = store_with_patient().await;
    let d = draft(patient, None);
    store.save_letter_draft(&d).await.unwrap();
    store
        .issue_letter(
            &letter(patient, 1, None, ReferralLink::None),
            d.id,
            "t",
            common::now(),
        )
        .await
        .unwrap();
    assert_eq!(
        store.recent_destinations(10).await.unwrap(),
        vec![toshima()]
    );
    store
        .set_favourite_destination(&toshima(), true, common::now())
        .await
        .unwrap();
    store
        .set_favourite_destination(&toshima(), true, common::now())
        .await
        .unwrap();
    assert_eq!(
        store.favourite_destinations().await.unwrap(),
        vec![toshima()]
    );
    store
        .set_favourite_destination(&toshima(), false, common::now())
        .await
        .unwrap();
    assert!(store.favourite_destinations().await.unwrap().is_empty());
    store.close().await;
}
