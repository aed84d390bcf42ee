//! What each episode's events and replies add up to, kept in
//! `referral_summaries` so the board, the worklist and the loop figures read
//! one row per referral instead of folding every event. The row is derived,
//! never edited: it is rewritten by the domain's status machine in the same
//! transaction as each change, and rebuilt when this code's version changes.

use chrono::NaiveDate;
use sqlx::{SqliteConnection, SqlitePool};
use tsunagu_domain::{
    DestinationKind, Outcome, Overdue, OverdueRule, ReferralStatus, TrackingCode, replay_fitting,
};
use uuid::Uuid;

use crate::Store;
use crate::error::{StoreError, StoreResult};
use crate::sql::{Arg, Id};
use std::collections::{HashMap, HashSet};

use crate::batch::{insert_rows, json_ids};
use crate::referrals::{ReferralRecord, WHERE_ID_IN_JSON, load_referrals_where};

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

/// Which referrals the board lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BoardScope {
    #[default]
    Open,
    Closed,
    All,
}

/// How the board orders (and the UI groups) its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BoardOrder {
    /// Overdue first, then the longest without news.
    #[default]
    Attention,
    Status,
    Hospital,
    /// Newest referral first.
    SentOn,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BoardQuery {
    pub scope: BoardScope,
    pub status: Option<ReferralStatus>,
    /// The referred-to or current hospital, exactly.
    pub hospital: Option<String>,
    pub sent_from: Option<NaiveDate>,
    pub sent_to: Option<NaiveDate>,
    /// Part of the patient's name or reading, a hospital, or a tracking code.
    pub text: String,
    pub overdue_only: bool,
    pub order: BoardOrder,
    pub limit: u32,
    pub offset: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardPage {
    pub rows: Vec<ReferralSummary>,
    /// All rows the filters match, not just this page.
    pub total: i64,
}

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

const SUMMARY_COLUMNS: &str = summary_columns!("p.name");

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

/// Statuses in the status machine's order (紹介済 … 取消), for grouping.
fn status_order() -> String {
    let arms: String = ReferralStatus::ALL
        .iter()
        .enumerate()
        .map(|(i, st)| format!(" WHEN '{}' THEN {i}", st.code()))
        .collect();
    format!("CASE s.status{arms} END")
}

/// Escapes LIKE's wildcards so a typed % or _ matches itself.
fn like_pattern(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

/// What the board's text search looks for: a tracking code, or words in a
/// name, its reading or a hospital.
enum TextSearch {
    None,
    Code(TrackingCode),
    Words { folded: String, typed: String },
}

impl TextSearch {
    fn of(text: &str) -> TextSearch {
        let text = text.trim();
        if let Ok(code) = TrackingCode::parse(text) {
            TextSearch::Code(code)
        } else if text.is_empty() {
            TextSearch::None
        } else {
            TextSearch::Words {
                folded: like_pattern(&tsunagu_domain::normalize_for_search(text)),
                typed: like_pattern(text),
            }
        }
    }
}

/// What the words of a text search matched, looked up once for both the
/// count and the page: JSON arrays of patient ids (name or reading) and of
/// hospital names (referred to or current). The board then reads the
/// matching referrals through their indexes instead of every summary.
#[derive(Default)]
struct TextMatches {
    patients: String,
    hospitals: String,
}

impl TextMatches {
    async fn find(
        conn: &mut SqliteConnection,
        folded: &str,
        typed: &str,
    ) -> StoreResult<TextMatches> {
        let patients = sqlx::query_scalar(
            "SELECT json_group_array(id) FROM patients
             WHERE name_search LIKE ? ESCAPE '\\' OR kana_search LIKE ? ESCAPE '\\'",
        )
        .bind(folded)
        .bind(folded)
        .fetch_one(&mut *conn)
        .await?;
        let hospitals = sqlx::query_scalar(
            "SELECT json_group_array(name)
             FROM (SELECT referred_to AS name FROM referral_summaries
                   UNION SELECT hospital FROM referral_summaries)
             WHERE name LIKE ? ESCAPE '\\'",
        )
        .bind(typed)
        .fetch_one(&mut *conn)
        .await?;
        Ok(TextMatches {
            patients,
            hospitals,
        })
    }
}

/// The board's filters as a `WHERE` clause (empty for none) and its binds,
/// in order.
fn board_filter(query: &BoardQuery, matches: &TextMatches) -> (String, Vec<Arg>) {
    let mut conditions: Vec<&str> = Vec::new();
    let mut binds: Vec<Arg> = Vec::new();
    match query.scope {
        BoardScope::Open => conditions.push("s.is_open"),
        BoardScope::Closed => conditions.push("NOT s.is_open"),
        BoardScope::All => {}
    }
    if let Some(status) = query.status {
        conditions.push("s.status = ?");
        binds.push(Arg::Text(status.code().into()));
    }
    if let Some(hospital) = &query.hospital {
        conditions.push("(s.referred_to = ? OR s.hospital = ?)");
        binds.extend([Arg::Text(hospital.clone()), Arg::Text(hospital.clone())]);
    }
    if let Some(from) = query.sent_from {
        conditions.push("s.sent_on >= ?");
        binds.push(Arg::Date(from));
    }
    if let Some(to) = query.sent_to {
        conditions.push("s.sent_on <= ?");
        binds.push(Arg::Date(to));
    }
    match TextSearch::of(&query.text) {
        TextSearch::None => {}
        TextSearch::Code(code) => {
            conditions.push("s.tracking_code = ?");
            binds.push(Arg::Text(code.to_string()));
        }
        TextSearch::Words { .. } => {
            conditions.push(
                "(s.patient_id IN (SELECT value FROM json_each(?))
                  OR s.referred_to IN (SELECT value FROM json_each(?))
                  OR s.hospital IN (SELECT value FROM json_each(?)))",
            );
            binds.extend(
                [
                    matches.patients.clone(),
                    matches.hospitals.clone(),
                    matches.hospitals.clone(),
                ]
                .map(Arg::Text),
            );
        }
    }
    if query.overdue_only {
        conditions.push("s.overdue IS NOT NULL");
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    (filter, binds)
}

/// The board's `ORDER BY` (the referral id always breaks ties).
fn board_order(order: BoardOrder) -> String {
    match order {
        BoardOrder::Attention => {
            "s.is_open DESC, s.overdue IS NULL, s.last_news, s.sent_on".to_string()
        }
        BoardOrder::Status => format!("{}, s.last_news", status_order()),
        BoardOrder::Hospital => "s.hospital, s.last_news".to_string(),
        BoardOrder::SentOn => "s.sent_on DESC".to_string(),
    }
}

impl Store {
    /// A page of the referral board, with each row's overdue flag under
    /// `rule`.
    pub async fn referral_board(
        &self,
        query: &BoardQuery,
        rule: OverdueRule,
    ) -> StoreResult<BoardPage> {
        let mut conn = self.pool.acquire().await?;
        let matches = match TextSearch::of(&query.text) {
            TextSearch::Words { folded, typed } => {
                TextMatches::find(&mut conn, &folded, &typed).await?
            }
            TextSearch::None | TextSearch::Code(_) => TextMatches::default(),
        };
        let (filter, binds) = board_filter(query, &matches);
        let order = board_order(query.order);
        // Filter, count, sort and cut the page on the summaries' narrow
        // columns, sorting only the sort keys and ids; then only the page's
        // rows are read whole and joined to their patients' names.
        let matching = format!(
            "(SELECT s.referral_id, s.is_open, s.status, s.sent_on, s.seen_on,
                     s.expected_discharge, s.replies, s.last_news, s.referred_to, s.hospital,
                     s.patient_id, s.tracking_code, {OVERDUE_SQL} AS overdue
              FROM referral_summaries s) s {filter}"
        );
        let count_sql = format!("SELECT count(*) FROM {matching}");
        let mut count = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count_sql));
        for day in overdue_binds(&rule) {
            count = count.bind(day);
        }
        for bind in &binds {
            count = count.bind(bind.clone());
        }
        let total = count.fetch_one(&mut *conn).await?;
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, s.overdue
             FROM (SELECT s.*, {OVERDUE_SQL} AS overdue FROM referral_summaries s
                   WHERE s.referral_id IN (SELECT s.referral_id FROM {matching}
                                           ORDER BY {order}, s.referral_id LIMIT ? OFFSET ?)) s
             JOIN patients p ON p.id = s.patient_id
             ORDER BY {order}, s.referral_id"
        );
        let mut rows = sqlx::query_as::<_, SummaryRow>(sqlx::AssertSqlSafe(sql));
        // The outer row's overdue flag, then the inner (matching) one's.
        for day in overdue_binds(&rule).into_iter().chain(overdue_binds(&rule)) {
            rows = rows.bind(day);
        }
        for bind in &binds {
            rows = rows.bind(bind.clone());
        }
        let rows = rows
            .bind(i64::from(query.limit.max(1)))
            .bind(i64::from(query.offset))
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(SummaryRow::into_summary)
            .collect::<StoreResult<_>>()?;
        Ok(BoardPage { rows, total })
    }

    /// Every referral sent in `from..=to`, for the loop figures (which need
    /// no names: `patient_name` is left empty).
    pub async fn referrals_sent_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<ReferralSummary>> {
        let sql = format!(
            "SELECT {FIGURE_COLUMNS}, NULL AS overdue FROM referral_summaries s
             WHERE s.sent_on BETWEEN ? AND ? ORDER BY s.sent_on, s.referral_id"
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

    /// The hospitals referred to, most used first, for the board's filter.
    pub async fn referred_hospitals(&self) -> StoreResult<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT referred_to FROM referral_summaries GROUP BY referred_to
             ORDER BY count(*) DESC, referred_to",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}

#[cfg(test)]
mod tests;
