//! The clinic's worklist (要確認) as the store reads it: each situation
//! that needs the physician (`WorklistReason`), keyed so a dismissal keeps
//! it off for good, newest first, a page at a time. Worked out in SQL over
//! the summary rows, so a page of the newest items costs the same whether
//! ten or twenty thousand referrals need attention; only the page's rows
//! are read whole.

use std::collections::HashMap;

use chrono::NaiveDate;
use tsunagu_domain::{Overdue, OverdueRule, WorklistReason};
use uuid::Uuid;

use crate::Store;
use crate::batch::json_ids;
use crate::error::{StoreError, StoreResult};
use crate::referral_summary::{
    OVERDUE_SQL, ReferralSummary, SUMMARY_JSON, SummaryRow, overdue_binds,
};
use crate::sql::Id;

/// One situation on the worklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttentionItem {
    pub reason: WorklistReason,
    /// Stable for the situation: the dismissal's key.
    pub key: String,
    /// The day the situation began.
    pub since: NaiveDate,
    pub summary: ReferralSummary,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttentionPage {
    /// Newest first (then by key).
    pub items: Vec<AttentionItem>,
    /// Every item not dismissed, not just this page.
    pub total: i64,
}

/// One kind of situation: which summaries raise it (`filter`, SQL over
/// `s` with `?1` ack-by, `?2` today, `?3` reply-by), its dismissal key and
/// the day it began. The filters are the domain's rules
/// (`clinic_overdue`, `WorklistReason`) as index ranges, each excluding
/// the overdue reasons before it as `OVERDUE_SQL` does (a test holds the
/// two to the same answers); the keys are written here only.
struct Situation {
    reason: WorklistReason,
    filter: &'static str,
    key: &'static str,
    since: &'static str,
}

fn situations() -> [Situation; 5] {
    [
        Situation {
            reason: WorklistReason::Overdue(Overdue::NoAcknowledgement),
            filter: "s.status = 'sent' AND s.sent_on <= ?1",
            key: "'no-ack:' || s.referral_id",
            since: "s.sent_on",
        },
        Situation {
            reason: WorklistReason::Overdue(Overdue::DischargeOverdue),
            filter: "s.status IN ('admitted', 'discharge_planned', 'transferred')
                     AND s.expected_discharge < ?2",
            key: "'discharge-overdue:' || s.referral_id || ':' || s.expected_discharge",
            since: "s.expected_discharge",
        },
        Situation {
            reason: WorklistReason::Overdue(Overdue::NoReply),
            filter: "s.is_open AND s.status <> 'deceased' AND s.replies = 0 AND s.seen_on <= ?3
                     AND NOT (s.status = 'sent' AND s.sent_on <= ?1)
                     AND NOT (s.status IN ('admitted', 'discharge_planned', 'transferred')
                              AND coalesce(s.expected_discharge < ?2, 0))",
            key: "'no-reply:' || s.referral_id",
            since: "s.seen_on",
        },
        Situation {
            reason: WorklistReason::DischargedElsewhere,
            filter: "s.status = 'discharged' AND s.discharged_to <> 'this_clinic'",
            key: "'discharged-elsewhere:' || s.referral_id || ':' || s.last_news",
            since: "s.last_news",
        },
        Situation {
            reason: WorklistReason::Deceased,
            filter: "s.status = 'deceased'",
            key: "'deceased:' || s.referral_id",
            since: "s.last_news",
        },
    ]
}

/// How many situations are open: each kind counted on its index, less the
/// dismissed ones that are still so (dismissals are few, so they are the
/// ones joined, not the thousands of summaries).
fn count_sql() -> String {
    let terms: Vec<String> = situations()
        .iter()
        .map(|s| {
            let (filter, key) = (s.filter, s.key);
            format!(
                "(SELECT count(*) FROM referral_summaries s WHERE {filter})
                 - (SELECT count(*) FROM worklist_dismissals d
                    JOIN referral_summaries s ON s.referral_id = d.referral_id
                    WHERE {filter} AND d.item_key = {key})"
            )
        })
        .collect();
    format!("SELECT {}", terms.join(" + "))
}

/// The newest `?4` open situations (all with -1) as one JSON array of
/// `[referral, reason, key, since]`: the newest `?4` of each kind, read
/// backwards along its index, then the newest of those.
fn page_sql() -> String {
    let kinds: Vec<String> = situations()
        .iter()
        .map(|s| {
            let (filter, key, since, reason) = (s.filter, s.key, s.since, s.reason.code());
            format!(
                "SELECT * FROM (SELECT s.referral_id, '{reason}' AS reason, {key} AS key,
                                       {since} AS since
                                FROM referral_summaries s
                                WHERE {filter}
                                  AND NOT EXISTS (SELECT 1 FROM worklist_dismissals d
                                                  WHERE d.item_key = {key})
                                ORDER BY {since} DESC LIMIT ?4)"
            )
        })
        .collect();
    format!(
        "SELECT json_group_array(json_array(referral_id, reason, key, since))
         FROM (SELECT * FROM ({}) ORDER BY since DESC, key LIMIT ?4)",
        kinds.join(" UNION ALL ")
    )
}

impl Store {
    /// The newest `limit` worklist situations under `rule` (all of them
    /// with `None`), and how many there are.
    pub async fn worklist_attention(
        &self,
        rule: OverdueRule,
        limit: Option<u32>,
    ) -> StoreResult<AttentionPage> {
        let mut conn = self.pool.acquire().await?;
        let [ack_by, today, reply_by] = overdue_binds(&rule);
        let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql()))
            .bind(ack_by)
            .bind(today)
            .bind(reply_by)
            .fetch_one(&mut *conn)
            .await?;
        let page: String = sqlx::query_scalar(sqlx::AssertSqlSafe(page_sql()))
            .bind(ack_by)
            .bind(today)
            .bind(reply_by)
            .bind(limit.map_or(-1, i64::from))
            .fetch_one(&mut *conn)
            .await?;
        let page: Vec<(Id, String, String, NaiveDate)> =
            serde_json::from_str(&page).map_err(|_| StoreError::Corrupt("worklist"))?;
        let ids: Vec<Uuid> = page.iter().map(|(id, ..)| id.0).collect();
        let summaries = summaries_with_names(&mut conn, &ids, &rule).await?;
        let items = page
            .into_iter()
            .map(|(id, reason, key, since)| {
                Ok(AttentionItem {
                    reason: WorklistReason::from_code(&reason)
                        .ok_or(StoreError::Corrupt("worklist reason"))?,
                    key,
                    since,
                    summary: summaries.get(&id.0).cloned().ok_or(StoreError::NotFound)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(AttentionPage { items, total })
    }
}

/// The summaries of `ids`, with their patients' names and overdue flags.
async fn summaries_with_names(
    conn: &mut sqlx::SqliteConnection,
    ids: &[Uuid],
    rule: &OverdueRule,
) -> StoreResult<HashMap<Uuid, ReferralSummary>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT {SUMMARY_JSON}
         FROM (SELECT s.*, {OVERDUE_SQL} AS overdue FROM referral_summaries s) s
         JOIN patients p ON p.id = s.patient_id
         WHERE s.referral_id IN (SELECT value FROM json_each(?))"
    );
    let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql));
    for bind in overdue_binds(rule) {
        query = query.bind(bind);
    }
    let json = query.bind(json_ids(ids)).fetch_one(&mut *conn).await?;
    let rows: Vec<SummaryRow> =
        serde_json::from_str(&json).map_err(|_| StoreError::Corrupt("referral summary"))?;
    rows.into_iter()
        .map(|row| row.into_summary().map(|s| (s.referral_id, s)))
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use tsunagu_domain::{DischargeDestination, EventDetails, Overdue};

    use super::*;
    use crate::{ImportedReferral, OpenMode, StoreKey};

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    use crate::test_support::{imported as referral, liaison_event as event, sent_on as sent};

    /// The page is the newest items of the whole list, the count is the
    /// whole list's, a referral raises two items when two things are so,
    /// and a dismissed item is gone from both.
    #[tokio::test]
    async fn a_page_is_the_newest_of_the_whole_list() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_file(
            &dir.path().join("s.db"),
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
        let mut batch: Vec<ImportedReferral> = (1..=5)
            .map(|day| referral(patient, vec![sent(d(5, day))]))
            .collect();
        let elsewhere = referral(
            patient,
            vec![
                sent(d(5, 10)),
                event(EventDetails::Admitted {
                    date: d(5, 12),
                    ward: String::new(),
                    attending: String::new(),
                }),
                event(EventDetails::Discharged {
                    date: d(6, 20),
                    destination: DischargeDestination::Facility {
                        name: "ひまわり苑".into(),
                    },
                }),
            ],
        );
        let elsewhere_id = elsewhere.id;
        batch.push(elsewhere);
        store.import_referrals(&batch).await.unwrap();
        let rule = OverdueRule {
            today: d(6, 30),
            days_to_acknowledgement: 7,
            days_to_reply: 14,
        };

        let all = store.worklist_attention(rule, None).await.unwrap();
        assert_eq!(all.total, 7);
        assert_eq!(all.items.len(), 7);
        let first = &all.items[0];
        assert_eq!(first.reason, WorklistReason::DischargedElsewhere);
        assert_eq!(first.since, d(6, 20));
        assert_eq!(
            first.key,
            format!("discharged-elsewhere:{elsewhere_id}:2026-06-20")
        );
        let second = &all.items[1];
        assert_eq!(second.reason, WorklistReason::Overdue(Overdue::NoReply));
        assert_eq!(second.since, d(5, 12));
        assert_eq!(second.key, format!("no-reply:{elsewhere_id}"));
        let sent_days: Vec<NaiveDate> = all.items[2..].iter().map(|i| i.since).collect();
        assert_eq!(sent_days, vec![d(5, 5), d(5, 4), d(5, 3), d(5, 2), d(5, 1)]);
        assert!(all.items[2..].iter().all(|i| i.reason
            == WorklistReason::Overdue(Overdue::NoAcknowledgement)
            && i.key == format!("no-ack:{}", i.summary.referral_id)));
        assert_eq!(all.items[0].summary.patient_name, "山田　太郎");

        let page = store.worklist_attention(rule, Some(3)).await.unwrap();
        assert_eq!(page.total, 7);
        assert_eq!(page.items, all.items[..3].to_vec());

        store
            .dismiss_worklist_item(
                &first.key,
                elsewhere_id,
                "施設に確認済み",
                "test",
                Utc::now(),
            )
            .await
            .unwrap();
        let page = store.worklist_attention(rule, Some(3)).await.unwrap();
        assert_eq!(page.total, 6);
        assert_eq!(page.items, all.items[1..4].to_vec());
        store.close().await;
    }
}
