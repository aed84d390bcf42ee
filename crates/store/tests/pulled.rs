//! Applying pulled batches: a batch is written table by table, and must come
//! out exactly as if each change had been applied in turn, in feed order.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use tsunagu_domain::{EventDetails, Sex};
use tsunagu_store::{
    EventSource, OpenMode, PulledChange, Store, StoreError, StoreKey, StoredEvent, SyncDevice,
};
use uuid::Uuid;

async fn enrolled_store(dir: &std::path::Path) -> Store {
    let store = Store::open_file(
        &dir.join("t.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .unwrap();
    let device = SyncDevice {
        server_url: "http://127.0.0.1:1".into(),
        device_id: Uuid::now_v7(),
        organisation_id: Uuid::now_v7(),
        organisation_name: "テスト診療所".into(),
        enrolled_at: common::now(),
    };
    store.save_sync_device(&device, "test").await.unwrap();
    store
}

fn patient(id: Uuid) -> PulledChange {
    PulledChange::Patient {
        id,
        name: "山田　太郎".into(),
        kana: "やまだ　たろう".into(),
        birth_date: NaiveDate::from_ymd_opt(1950, 4, 1).unwrap(),
        sex: Sex::Male,
    }
}

fn referral(id: Uuid, patient_id: Uuid) -> PulledChange {
    PulledChange::Referral {
        id,
        patient_id,
        tracking_code: "ABC-DEF-GHJ".into(),
        created_at: common::now(),
    }
}

fn event(referral_id: Uuid, details: EventDetails, source: EventSource) -> PulledChange {
    PulledChange::Event {
        referral_id,
        event: StoredEvent {
            id: Uuid::now_v7(),
            details: Some(details),
            voids: None,
            note: String::new(),
            source,
            actor: "desk:1".into(),
            at: Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap(),
        },
    }
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn numbered(changes: Vec<PulledChange>, from: i64) -> Vec<(i64, PulledChange)> {
    (from..).zip(changes).collect()
}

#[tokio::test]
async fn a_batch_creates_parents_before_children_and_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = enrolled_store(dir.path()).await;
    let (p, r, hospital) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let batch = numbered(
        vec![
            PulledChange::Organisation {
                id: hospital,
                kind: "hospital".into(),
                name: "旧名病院".into(),
            },
            patient(p),
            referral(r, p),
            event(
                r,
                EventDetails::Sent {
                    date: day(18),
                    hospital: "池袋総合病院".into(),
                },
                EventSource::Clinic,
            ),
            event(
                r,
                EventDetails::Admitted {
                    date: day(20),
                    ward: "5東".into(),
                    attending: String::new(),
                },
                EventSource::Desk,
            ),
            PulledChange::Organisation {
                id: hospital,
                kind: "hospital".into(),
                name: "池袋総合病院".into(),
            },
            PulledChange::Assigned {
                referral_id: r,
                organisation_id: hospital,
            },
        ],
        1,
    );
    let first = store.apply_pulled(&batch, 7, common::now()).await.unwrap();
    assert_eq!((first.news, first.skipped), (1, 0));
    let again = store.apply_pulled(&batch, 7, common::now()).await.unwrap();
    assert_eq!((again.news, again.skipped), (0, 0));

    assert_eq!(store.patient(p).await.unwrap().fields.name, "山田　太郎");
    let record = store.referral(r).await.unwrap();
    assert_eq!(record.events.len(), 2, "applied twice, stored once");
    assert_eq!(
        store.regional_organisations().await.unwrap(),
        vec![(hospital, "hospital".to_string(), "池袋総合病院".to_string())],
        "the later listing of the same organisation wins"
    );
    assert_eq!(
        store
            .registered_hospital_named("池袋総合病院")
            .await
            .unwrap(),
        Some(hospital)
    );
    let summary = store
        .referrals_sent_between(day(1), day(30))
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.referral_id == r)
        .unwrap();
    assert_eq!(summary.status.code(), "admitted");
    assert_eq!(store.sync_progress().await.unwrap().unwrap().cursor, 7);
}

#[tokio::test]
async fn changes_about_records_this_install_lacks_are_counted_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let store = enrolled_store(dir.path()).await;
    let (unknown_patient, r, unknown_referral) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let batch = numbered(
        vec![
            referral(r, unknown_patient),
            event(
                unknown_referral,
                EventDetails::Received { date: day(19) },
                EventSource::Liaison,
            ),
            PulledChange::Assigned {
                referral_id: r,
                organisation_id: Uuid::now_v7(),
            },
        ],
        1,
    );
    let outcome = store.apply_pulled(&batch, 3, common::now()).await.unwrap();
    assert_eq!((outcome.news, outcome.skipped), (0, 3));
    assert!(matches!(store.referral(r).await, Err(StoreError::NotFound)));
    assert_eq!(store.sync_progress().await.unwrap().unwrap().cursor, 3);
}

#[tokio::test]
async fn an_event_id_already_held_by_another_referral_fails_the_whole_batch() {
    let dir = tempfile::tempdir().unwrap();
    let store = enrolled_store(dir.path()).await;
    let (p, r1, r2) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let sent = |r| {
        event(
            r,
            EventDetails::Sent {
                date: day(18),
                hospital: "池袋総合病院".into(),
            },
            EventSource::Clinic,
        )
    };
    let first = sent(r1);
    store
        .apply_pulled(
            &numbered(vec![patient(p), referral(r1, p), first.clone()], 1),
            3,
            common::now(),
        )
        .await
        .unwrap();

    let PulledChange::Event { event: stolen, .. } = first else {
        unreachable!()
    };
    let batch = numbered(
        vec![
            referral(r2, p),
            sent(r2),
            PulledChange::Event {
                referral_id: r2,
                event: stolen,
            },
        ],
        4,
    );
    let err = store
        .apply_pulled(&batch, 6, common::now())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Corrupt(_)));
    assert!(
        matches!(store.referral(r2).await, Err(StoreError::NotFound)),
        "nothing of the refused batch is kept"
    );
    assert_eq!(store.sync_progress().await.unwrap().unwrap().cursor, 3);
}

#[tokio::test]
async fn a_referral_summed_up_in_one_batch_matches_one_summed_up_over_two() {
    let (p, r) = (Uuid::now_v7(), Uuid::now_v7());
    let changes = vec![
        patient(p),
        referral(r, p),
        event(
            r,
            EventDetails::Sent {
                date: day(18),
                hospital: "池袋総合病院".into(),
            },
            EventSource::Clinic,
        ),
        event(
            r,
            EventDetails::Admitted {
                date: day(20),
                ward: "5東".into(),
                attending: String::new(),
            },
            EventSource::Liaison,
        ),
        event(
            r,
            EventDetails::DischargePlanned {
                date: day(22),
                expected_date: day(28),
                planned_destination: None,
                team: String::new(),
            },
            EventSource::Desk,
        ),
    ];
    let summary = |store: Store| async move {
        let rows = store.referrals_sent_between(day(1), day(30)).await.unwrap();
        store.close().await;
        rows
    };

    let dir = tempfile::tempdir().unwrap();
    let whole = enrolled_store(dir.path()).await;
    whole
        .apply_pulled(&numbered(changes.clone(), 1), 5, common::now())
        .await
        .unwrap();
    let at_once = summary(whole).await;

    let dir = tempfile::tempdir().unwrap();
    let split = enrolled_store(dir.path()).await;
    let all = numbered(changes, 1);
    split
        .apply_pulled(&all[..3], 3, common::now())
        .await
        .unwrap();
    split
        .apply_pulled(&all[3..], 5, common::now())
        .await
        .unwrap();
    let in_two = summary(split).await;

    assert_eq!(at_once.len(), 1);
    assert_eq!(at_once[0].status.code(), "discharge_planned");
    assert_eq!(at_once[0].expected_discharge, Some(day(28)));
    assert_eq!(at_once, in_two);
}

/// An episode a hospital opened without a letter (紹介状なし入院) arrives
/// as a referral the clinic never sent: it is followed like any other
/// (in hospital, at that hospital) but the loop figures, which count
/// referrals sent, leave it out.
#[tokio::test]
async fn an_admission_without_a_letter_is_followed_but_not_counted_as_sent() {
    let dir = tempfile::tempdir().unwrap();
    let store = enrolled_store(dir.path()).await;
    let (p, r) = (Uuid::now_v7(), Uuid::now_v7());
    let batch = numbered(
        vec![
            patient(p),
            referral(r, p),
            event(
                r,
                EventDetails::AdmittedWithoutLetter {
                    date: day(20),
                    hospital: "北病院".into(),
                    ward: "4階東病棟".into(),
                    attending: String::new(),
                },
                EventSource::Liaison,
            ),
        ],
        1,
    );
    let applied = store.apply_pulled(&batch, 3, common::now()).await.unwrap();
    assert_eq!((applied.news, applied.skipped), (1, 0));
    let board = store
        .referral_board(
            &tsunagu_store::BoardQuery::default(),
            tsunagu_domain::attention::OverdueRule {
                today: day(25),
                days_to_acknowledgement: 7,
                days_to_reply: 14,
            },
        )
        .await
        .unwrap();
    let row = board.rows.iter().find(|s| s.referral_id == r).unwrap();
    assert_eq!(row.status.code(), "admitted");
    assert_eq!(row.hospital, "北病院");
    assert!(row.where_now.contains("4階東病棟"), "{}", row.where_now);
    assert!(row.open);
    let sent = store.referrals_sent_between(day(1), day(30)).await.unwrap();
    assert!(!sent.iter().any(|s| s.referral_id == r));
}
