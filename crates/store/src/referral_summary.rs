//! What each episode's events and replies add up to, kept in
//! `referral_summaries` so the board, the worklist and the loop figures read
//! one row per referral instead of folding every event. The row is derived,
//! never edited: it is rewritten by the domain's status machine in the same
//! transaction as each change, and rebuilt when this code's version changes.

use chrono::NaiveDate;
use sqlx::{SqliteConnection, SqlitePool};
use tsunagu_domain::{
    DestinationKind, Outcome, Overdue, OverdueRule, PatientLife, ReferralStatus, replay_fitting,
};
use uuid::Uuid;

use crate::Store;
use crate::error::{StoreError, StoreResult};
use crate::sql::{Arg, Id};
use std::collections::{HashMap, HashSet};

use crate::batch::{insert_rows, json_ids};
use crate::referrals::{ReferralRecord, WHERE_ID_IN_JSON, load_referrals_where};

/// SQL for whether the patient `p` has died, as the referral summaries
/// say; the query binds [`deceased_code`] as `?1`.
pub(crate) const PATIENT_DIED_SQL: &str =
    "EXISTS (SELECT 1 FROM referral_summaries d WHERE d.patient_id = p.id AND d.status = ?1)";

/// The status code [`PATIENT_DIED_SQL`] looks for.
pub(crate) fn deceased_code() -> &'static str {
    ReferralStatus::Deceased.code()
}

/// The domain's word for what [`PATIENT_DIED_SQL`] found.
pub(crate) fn patient_life(died: bool) -> PatientLife {
    if died {
        PatientLife::Died
    } else {
        PatientLife::Living
    }
}

/// Bump when what a summary row holds, or how it is computed, changes.
const REFERRAL_SUMMARY_VERSION: i64 = 1;

/// One referral as the board and the figures see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralSummary {
    pub referral_id: Uuid,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub tracking_code: String,
    pub status: ReferralStatus,
    pub open: bool,
    /// The hospital the letter went to.
    pub referred_to: String,
    /// Where the patient is, or was last (a transfer changes it).
    pub hospital: String,
    pub where_now: String,
    pub sent_on: NaiveDate,
    pub last_news: NaiveDate,
    pub acknowledged_on: Option<NaiveDate>,
    pub seen_on: Option<NaiveDate>,
    pub expected_discharge: Option<NaiveDate>,
    pub discharged_to_this_clinic: Option<bool>,
    pub outcome: Outcome,
    pub first_reply_on: Option<NaiveDate>,
    pub replies: i64,
    /// Set when the episode is overdue under the rule it was read with.
    pub overdue: Option<Overdue>,
}

/// The rule's three day binds (ack-by, today, reply-by), in the order
/// `OVERDUE_SQL` takes them.
pub(crate) fn overdue_binds(rule: &OverdueRule) -> [NaiveDate; 3] {
    [rule.acknowledge_by(), rule.today, rule.reply_by()]
}

/// The domain's `clinic_overdue` in SQL (binds: ack-by, today, reply-by),
/// used by the board's flag and filter and by the worklist alike; a test
/// below holds it to the domain's rule case by case.
pub(crate) const OVERDUE_SQL: &str = "CASE
    WHEN s.status = 'sent' AND s.sent_on <= ? THEN 'no_ack'
    WHEN s.status IN ('admitted', 'discharge_planned', 'transferred')
         AND s.expected_discharge < ? THEN 'discharge_overdue'
    WHEN s.is_open AND s.status <> 'deceased' AND s.replies = 0
         AND s.seen_on <= ? THEN 'no_reply'
  END";

/// A summary row as SQLite gives it: read by sqlx a row at a time (a page
/// of the board), or from one JSON array of arrays (the worklist's
/// thousands, where sqlx's cost per row dominated: see `SUMMARY_JSON`).
#[derive(sqlx::FromRow, serde::Deserialize)]
pub(crate) struct SummaryRow {
    referral_id: Id,
    patient_id: Id,
    patient_name: String,
    tracking_code: String,
    status: String,
    is_open: bool,
    referred_to: String,
    hospital: String,
    where_now: String,
    sent_on: NaiveDate,
    last_news: NaiveDate,
    acknowledged_on: Option<NaiveDate>,
    seen_on: Option<NaiveDate>,
    expected_discharge: Option<NaiveDate>,
    discharged_to: Option<String>,
    outcome: String,
    first_reply_on: Option<NaiveDate>,
    replies: i64,
    overdue: Option<String>,
}

/// The summary's columns, with the patient's name taken from `$name`.
macro_rules! summary_columns {
    ($name:literal) => {
        concat!(
            "s.referral_id, s.patient_id, ",
            $name,
            " AS patient_name, s.tracking_code, s.status, s.is_open, s.referred_to, s.hospital,
             s.where_now, s.sent_on, s.last_news, s.acknowledged_on, s.seen_on,
             s.expected_discharge, s.discharged_to, s.outcome, s.first_reply_on, s.replies"
        )
    };
}

pub(crate) const SUMMARY_COLUMNS: &str = summary_columns!("p.name");

/// The summary's columns (and `overdue`) as one JSON array per row, in
/// `SummaryRow`'s order, gathered into one array: thousands of rows cross
/// from SQLite's thread as one value instead of one message each.
pub(crate) const SUMMARY_JSON: &str = "json_group_array(json_array(
    s.referral_id, s.patient_id, p.name, s.tracking_code, s.status,
    json(CASE WHEN s.is_open THEN 'true' ELSE 'false' END), s.referred_to, s.hospital,
    s.where_now, s.sent_on, s.last_news, s.acknowledged_on, s.seen_on,
    s.expected_discharge, s.discharged_to, s.outcome, s.first_reply_on, s.replies, s.overdue))";
/// Without the name (and the join it takes), for the figures.
const FIGURE_COLUMNS: &str = summary_columns!("''");

impl SummaryRow {
    pub(crate) fn into_summary(self) -> StoreResult<ReferralSummary> {
        Ok(ReferralSummary {
            referral_id: self.referral_id.0,
            patient_id: self.patient_id.0,
            patient_name: self.patient_name,
            tracking_code: self.tracking_code,
            status: ReferralStatus::from_code(&self.status).ok_or(StoreError::Corrupt("status"))?,
            open: self.is_open,
            referred_to: self.referred_to,
            hospital: self.hospital,
            where_now: self.where_now,
            sent_on: self.sent_on,
            last_news: self.last_news,
            acknowledged_on: self.acknowledged_on,
            seen_on: self.seen_on,
            expected_discharge: self.expected_discharge,
            discharged_to_this_clinic: self
                .discharged_to
                .map(|code| code == DestinationKind::ThisClinic.code()),
            outcome: Outcome::from_code(&self.outcome).ok_or(StoreError::Corrupt("outcome"))?,
            first_reply_on: self.first_reply_on,
            replies: self.replies,
            overdue: self.overdue.as_deref().and_then(Overdue::from_code),
        })
    }
}

/// Rewrites one referral's summary from its events and replies. Called in
/// the transaction that changed them.
pub(crate) async fn refresh(conn: &mut SqliteConnection, referral_id: Uuid) -> StoreResult<()> {
    refresh_many(conn, &[referral_id]).await
}

/// Rewrites the summaries of `referral_ids` in a fixed number of statements
/// (a pulled page touches hundreds of referrals at once).
pub(crate) async fn refresh_many(
    conn: &mut SqliteConnection,
    referral_ids: &[Uuid],
) -> StoreResult<()> {
    if referral_ids.is_empty() {
        return Ok(());
    }
    let records = load_referrals_where(
        conn,
        WHERE_ID_IN_JSON,
        Some(Arg::Text(json_ids(referral_ids))),
    )
    .await?;
    if records.len() != referral_ids.iter().collect::<HashSet<_>>().len() {
        return Err(StoreError::NotFound);
    }
    write_summaries(conn, &records).await
}

/// Rewrites the summaries of `records`, which must hold every event stored
/// for them, in the store's order (see `EVENT_ORDER`).
pub(crate) async fn write_summaries(
    conn: &mut SqliteConnection,
    records: &[ReferralRecord],
) -> StoreResult<()> {
    if records.is_empty() {
        return Ok(());
    }
    let ids = json_ids(records.iter().map(|r| &r.id));
    let replies: HashMap<Id, (Option<NaiveDate>, i64)> =
        sqlx::query_as::<_, (Id, Option<NaiveDate>, i64)>(
            "SELECT referral_id, min(received_on), count(*) FROM referral_replies
         WHERE referral_id IN (SELECT value FROM json_each(?)) GROUP BY referral_id",
        )
        .bind(&ids)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(id, first, count)| (id, (first, count)))
        .collect();
    let rows = records
        .iter()
        .map(|record| {
            let (first_reply_on, count) = replies.get(&Id(record.id)).copied().unwrap_or((None, 0));
            summary_row(record, first_reply_on, count)
        })
        .collect::<StoreResult<Vec<_>>>()?;
    insert_rows(
        conn,
        "INSERT OR REPLACE INTO referral_summaries
         (referral_id, patient_id, tracking_code, status, is_open, referred_to, hospital,
          where_now, sent_on, last_news, acknowledged_on, seen_on, expected_discharge,
          discharged_to, outcome, first_reply_on, replies) ",
        &rows,
        "",
        |mut row, s| {
            row.push_bind(Id(s.referral_id))
                .push_bind(Id(s.patient_id))
                .push_bind(s.tracking_code.to_string())
                .push_bind(s.status)
                .push_bind(s.is_open)
                .push_bind(s.referred_to.clone())
                .push_bind(s.hospital.clone())
                .push_bind(s.where_now.clone())
                .push_bind(s.sent_on)
                .push_bind(s.last_news)
                .push_bind(s.acknowledged_on)
                .push_bind(s.seen_on)
                .push_bind(s.expected_discharge)
                .push_bind(s.discharged_to)
                .push_bind(s.outcome)
                .push_bind(s.first_reply_on)
                .push_bind(s.replies);
        },
    )
    .await
}

/// One referral's summary row as `refresh_many` writes it.
struct SummaryOut<'a> {
    referral_id: Uuid,
    patient_id: Uuid,
    tracking_code: &'a str,
    status: &'static str,
    is_open: bool,
    referred_to: String,
    hospital: String,
    where_now: String,
    sent_on: NaiveDate,
    last_news: NaiveDate,
    acknowledged_on: Option<NaiveDate>,
    seen_on: Option<NaiveDate>,
    expected_discharge: Option<NaiveDate>,
    discharged_to: Option<&'static str>,
    outcome: &'static str,
    first_reply_on: Option<NaiveDate>,
    replies: i64,
}

/// One referral's summary row, folded by the status machine.
fn summary_row(
    record: &ReferralRecord,
    first_reply_on: Option<NaiveDate>,
    replies: i64,
) -> StoreResult<SummaryOut<'_>> {
    let events = record.counted_events();
    let (state, _) = replay_fitting(&events).map_err(|_| StoreError::Corrupt("referral events"))?;
    let referred_to = events
        .iter()
        .find_map(|e| match &e.details {
            Some(tsunagu_domain::EventDetails::Sent { hospital, .. }) => Some(hospital.clone()),
            _ => None,
        })
        .unwrap_or_default();
    Ok(SummaryOut {
        referral_id: record.id,
        patient_id: record.patient_id,
        tracking_code: &record.tracking_code,
        status: state.status.code(),
        is_open: state.status.is_open(),
        referred_to,
        where_now: state.where_now.label_ja(),
        sent_on: state.sent_on,
        last_news: state.last_news,
        acknowledged_on: state.acknowledged_on,
        seen_on: state.seen_on,
        expected_discharge: state.expected_discharge,
        discharged_to: state.discharged_to.as_ref().map(|d| d.kind().code()),
        outcome: state.outcome().code(),
        hospital: state.hospital,
        first_reply_on,
        replies,
    })
}

/// Rebuilds every summary when they were made by other code than this; one
/// transaction, so an interrupted rebuild runs again next time.
pub(crate) async fn rebuild_if_stale(pool: &SqlitePool) -> StoreResult<()> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let version: i64 =
        sqlx::query_scalar("SELECT version FROM referral_summary_version WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
    if version == REFERRAL_SUMMARY_VERSION {
        tx.rollback().await?;
        return Ok(());
    }
    sqlx::query("DELETE FROM referral_summaries")
        .execute(&mut *tx)
        .await?;
    let ids: Vec<Uuid> = sqlx::query_scalar::<_, Id>("SELECT id FROM referrals")
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(Uuid::from)
        .collect();
    for chunk in ids.chunks(1000) {
        refresh_many(&mut tx, chunk).await?;
    }
    sqlx::query("UPDATE referral_summary_version SET version = ? WHERE id = 1")
        .bind(REFERRAL_SUMMARY_VERSION)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

impl Store {
    /// Whether the patient has died, as the referral summaries say.
    pub async fn patient_life(&self, patient_id: Uuid) -> StoreResult<PatientLife> {
        let sql = format!("SELECT {PATIENT_DIED_SQL} FROM patients p WHERE p.id = ?2");
        let died: Option<bool> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(deceased_code())
            .bind(Id(patient_id))
            .fetch_optional(&self.pool)
            .await?;
        Ok(patient_life(died.ok_or(StoreError::NotFound)?))
    }

    /// Every referral sent in `from..=to`, for the loop figures (which need
    /// no names: `patient_name` is left empty). An episode a hospital
    /// opened without a letter (紹介状なし入院) was never sent: it has no
    /// hospital the letter went to, and is left out.
    pub async fn referrals_sent_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<ReferralSummary>> {
        let sql = format!(
            "SELECT {FIGURE_COLUMNS}, NULL AS overdue FROM referral_summaries s
             WHERE s.sent_on BETWEEN ? AND ? AND s.referred_to <> ''
             ORDER BY s.sent_on, s.referral_id"
        );
        sqlx::query_as::<_, SummaryRow>(sqlx::AssertSqlSafe(sql))
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(SummaryRow::into_summary)
            .collect()
    }
}

#[cfg(test)]
mod tests;
