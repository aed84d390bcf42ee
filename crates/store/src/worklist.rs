//! The clinic's worklist (要確認) as the store reads it: each situation
//! that needs the physician (`WorklistReason`), keyed so a dismissal keeps
//! it off for good, newest first, a page at a time. Worked out in SQL over
//! the summary rows, so a page of the newest items costs the same whether
//! ten or twenty thousand referrals need attention; only the page's rows
//! are read whole.

use std::collections::HashMap;

use chrono::NaiveDate;
use tsunagu_domain::{OverdueRule, WorklistReason};
use uuid::Uuid;

use crate::Store;
use crate::error::{StoreError, StoreResult};
use crate::referral_summary::{
    OVERDUE_SQL, ReferralSummary, SUMMARY_JSON, SummaryRow, overdue_binds,
};

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

/// Every situation not dismissed, one row each, with its reason code, key
/// and the day it began; the keys are written here only. A referral may
/// raise two (an overdue one, and discharged elsewhere or deceased), so
/// each summary row is read once against a two-row table of "slots".
/// Binds: the overdue rule's three days.
fn open_items_sql() -> String {
    format!(
        "SELECT referral_id, reason,
                CASE reason
                  WHEN 'no_ack' THEN 'no-ack:' || referral_id
                  WHEN 'discharge_overdue'
                    THEN 'discharge-overdue:' || referral_id || ':' || expected_discharge
                  WHEN 'no_reply' THEN 'no-reply:' || referral_id
                  WHEN 'discharged_elsewhere'
                    THEN 'discharged-elsewhere:' || referral_id || ':' || last_news
                  WHEN 'deceased' THEN 'deceased:' || referral_id
                END AS key,
                CASE reason
                  WHEN 'no_ack' THEN sent_on
                  WHEN 'discharge_overdue' THEN expected_discharge
                  WHEN 'no_reply' THEN seen_on
                  ELSE last_news
                END AS since
         FROM (SELECT s.referral_id, s.sent_on, s.seen_on, s.expected_discharge, s.last_news,
                      CASE slot.n
                        WHEN 0 THEN {OVERDUE_SQL}
                        WHEN 1 THEN CASE
                          WHEN s.status = 'deceased' THEN 'deceased'
                          WHEN s.status = 'discharged' AND s.discharged_to <> 'this_clinic'
                            THEN 'discharged_elsewhere'
                        END
                      END AS reason
               FROM referral_summaries s, (SELECT 0 AS n UNION ALL SELECT 1) slot)
         WHERE reason IS NOT NULL
           AND key NOT IN (SELECT item_key FROM worklist_dismissals)"
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
        let open = open_items_sql();
        let sql = format!(
            "WITH open_items AS MATERIALIZED ({open})
             SELECT (SELECT count(*) FROM open_items) AS total,
                    (SELECT json_group_array(json_array(referral_id, reason, key, since))
                       FROM (SELECT * FROM open_items ORDER BY since DESC, key LIMIT ?)) AS page"
        );
        let mut query = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(sql));
        for bind in overdue_binds(&rule) {
            query = query.bind(bind);
        }
        let limit = limit.map_or(-1, i64::from);
        let (total, page) = query.bind(limit).fetch_one(&mut *conn).await?;
        let page: Vec<(String, String, String, String)> =
            serde_json::from_str(&page).map_err(|_| StoreError::Corrupt("worklist"))?;
        let ids: Vec<&str> = page.iter().map(|(id, ..)| id.as_str()).collect();
        let summaries = summaries_with_names(&mut conn, &ids, &rule).await?;
        let items = page
            .into_iter()
            .map(|(id, reason, key, since)| {
                let referral_id = Uuid::parse_str(&id).map_err(|_| StoreError::Corrupt("id"))?;
                Ok(AttentionItem {
                    reason: WorklistReason::from_code(&reason)
                        .ok_or(StoreError::Corrupt("worklist reason"))?,
                    key,
                    since: since.parse().map_err(|_| StoreError::Corrupt("date"))?,
                    summary: summaries
                        .get(&referral_id)
                        .cloned()
                        .ok_or(StoreError::NotFound)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(AttentionPage { items, total })
    }
}

/// The summaries of `ids`, with their patients' names and overdue flags.
async fn summaries_with_names(
    conn: &mut sqlx::SqliteConnection,
    ids: &[&str],
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
    let ids = serde_json::to_string(ids).map_err(|_| StoreError::Corrupt("ids"))?;
    let json = query.bind(ids).fetch_one(&mut *conn).await?;
    let rows: Vec<SummaryRow> =
        serde_json::from_str(&json).map_err(|_| StoreError::Corrupt("referral summary"))?;
    rows.into_iter()
        .map(|row| row.into_summary().map(|s| (s.referral_id, s)))
        .collect()
}
