//! The referral board (紹介患者): the summaries filtered, counted, sorted
//! and cut into a page, with each row's overdue flag under the clinic's
//! rule, and the hospitals offered as a filter.

use chrono::NaiveDate;
use sqlx::SqliteConnection;
use tsunagu_domain::{OverdueRule, ReferralStatus, TrackingCode};

use crate::Store;
use crate::error::StoreResult;
use crate::referral_summary::{
    OVERDUE_SQL, ReferralSummary, SUMMARY_COLUMNS, SummaryRow, overdue_binds,
};
use crate::sql::Arg;

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
                folded: like_pattern(&tsunagu_domain::search_key(text)),
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
