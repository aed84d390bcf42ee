use chrono::Utc;
use tsunagu_domain::EventDetails;

use super::*;
use crate::{BoardQuery, OpenMode, StoreKey, StoredEvent};

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

use crate::test_support::{imported as referral, liaison_event as event, sent_on};

fn sent() -> StoredEvent {
    sent_on(d(5, 12))
}

fn rule() -> OverdueRule {
    OverdueRule {
        today: d(6, 30),
        days_to_acknowledgement: 7,
        days_to_reply: 14,
    }
}

async fn store_with_patient(path: &std::path::Path, key: &StoreKey) -> (Store, Uuid) {
    let store = Store::open_file(path, key, OpenMode::CreateNew)
        .await
        .unwrap();
    let fields = crate::test_support::yamada_fields();
    let id = Uuid::now_v7();
    store
        .insert_patient(id, &fields, "test", Utc::now())
        .await
        .unwrap();
    (store, id)
}

/// Summaries made by older code (here: gone, version 0) are rebuilt from
/// the events when the store opens.
#[tokio::test]
async fn stale_summaries_are_rebuilt_from_the_events_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let key = StoreKey::generate();
    let (store, patient) = store_with_patient(&path, &key).await;
    let admitted = event(EventDetails::Admitted {
        date: d(5, 14),
        ward: "5階東".into(),
        attending: String::new(),
    });
    store
        .import_referrals(&[referral(patient, vec![sent(), admitted])])
        .await
        .unwrap();
    let board = store
        .referral_board(&BoardQuery::default(), rule())
        .await
        .unwrap();
    assert_eq!(board.rows[0].status, ReferralStatus::Admitted);
    assert_eq!(board.rows[0].overdue, Some(Overdue::NoReply));
    sqlx::query("DELETE FROM referral_summaries; UPDATE referral_summary_version SET version = 0;")
        .execute(&store.pool)
        .await
        .unwrap();
    assert_eq!(
        store
            .referral_board(&BoardQuery::default(), rule())
            .await
            .unwrap()
            .total,
        0
    );
    store.close().await;

    let store = Store::open_file(&path, &key, OpenMode::ExistingOnly)
        .await
        .unwrap();
    let board = store
        .referral_board(&BoardQuery::default(), rule())
        .await
        .unwrap();
    assert_eq!(board.total, 1);
    assert_eq!(board.rows[0].where_now, "豊島中央病院 入院中（5階東）");
    assert_eq!(board.rows[0].acknowledged_on, Some(d(5, 14)));
    store.close().await;
}

/// The SQL of "overdue" says what the domain's rule says, on every
/// combination of status, dates around the thresholds and replies.
#[tokio::test]
async fn the_overdue_sql_is_the_domains_rule() {
    use tsunagu_domain::{OverdueFacts, clinic_overdue};
    let dir = tempfile::tempdir().unwrap();
    let key = StoreKey::generate();
    let (store, _) = store_with_patient(&dir.path().join("s.db"), &key).await;
    let rule = rule();
    let around = |day: NaiveDate| [day.pred_opt().unwrap(), day, day.succ_opt().unwrap()];
    let days: Vec<Option<NaiveDate>> = std::iter::once(None)
        .chain(around(rule.acknowledge_by()).map(Some))
        .chain(around(rule.reply_by()).map(Some))
        .chain(around(rule.today).map(Some))
        .collect();
    let sql = format!(
        "SELECT {OVERDUE_SQL} FROM (SELECT ? AS status, ? AS is_open, ? AS sent_on,
           ? AS seen_on, ? AS expected_discharge, ? AS replies) s"
    );
    let mut cases = 0;
    for status in ReferralStatus::ALL {
        for sent_on in days.iter().flatten() {
            for seen_on in &days {
                for expected_discharge in &days {
                    for replies in [0u32, 1] {
                        let facts = OverdueFacts {
                            status,
                            sent_on: *sent_on,
                            seen_on: *seen_on,
                            expected_discharge: *expected_discharge,
                            replies,
                        };
                        let mut query = sqlx::query_scalar::<_, Option<String>>(
                            sqlx::AssertSqlSafe(sql.clone()),
                        );
                        for bind in overdue_binds(&rule) {
                            query = query.bind(bind);
                        }
                        let in_sql = query
                            .bind(status.code())
                            .bind(status.is_open())
                            .bind(*sent_on)
                            .bind(*seen_on)
                            .bind(*expected_discharge)
                            .bind(i64::from(replies))
                            .fetch_one(&store.pool)
                            .await
                            .unwrap();
                        assert_eq!(
                            in_sql.as_deref().and_then(Overdue::from_code),
                            clinic_overdue(&facts, &rule),
                            "{facts:?}"
                        );
                        cases += 1;
                    }
                }
            }
        }
    }
    assert!(cases > 10_000, "{cases}");
    store.close().await;
}

/// A history the status machine refuses fails the whole batch.
#[tokio::test]
async fn an_impossible_imported_history_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let key = StoreKey::generate();
    let (store, patient) = store_with_patient(&dir.path().join("s.db"), &key).await;
    let fine = referral(patient, vec![sent()]);
    let discharged_first = referral(
        patient,
        vec![
            sent(),
            event(EventDetails::Discharged {
                date: d(5, 20),
                destination: tsunagu_domain::DischargeDestination::ThisClinic,
            }),
        ],
    );
    let err = store
        .import_referrals(&[fine, discharged_first])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Corrupt(_)), "{err:?}");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM referral_events")
        .fetch_one(&store.pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
    store.close().await;
}
