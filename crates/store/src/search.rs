//! Patient search: substrings of the name or its reading, birth date, chart
//! number. Active patients are found through `patient_grams` (every 1-3
//! character gram), so 1- and 2-character queries are as fast as long ones;
//! the few deleted patients are scanned only when asked for.

use std::collections::{BTreeSet, HashSet};

use chrono::NaiveDate;
use sqlx::SqliteConnection;

use crate::Store;
use crate::error::StoreResult;
use crate::patients::{PATIENT_COLUMNS, PatientRecord, PatientRow};

const MAX_GRAM: usize = 3;
/// Above this many candidates, walking the 五十音-ordered index and stopping
/// at `limit` hits is cheaper than sorting every candidate.
const SORT_CANDIDATES_MAX: i64 = 1_000;

/// What to look for. Every part that is present is searched and the results
/// are merged; none present lists everyone in 五十音 order.
#[derive(Debug, Clone, Default)]
pub struct PatientSearch {
    /// Already normalised with `normalize_for_search`.
    pub term: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub chart_prefix: Option<String>,
    pub include_deleted: bool,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientPage {
    /// At most `limit`, in 五十音 order of the reading.
    pub patients: Vec<PatientRecord>,
    /// How many patients match in all.
    pub total: u64,
}

pub(crate) fn grams(name_search: &str, kana_search: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for text in [name_search, kana_search] {
        let chars: Vec<char> = text.chars().collect();
        for n in 1..=MAX_GRAM {
            for window in chars.windows(n) {
                out.insert(window.iter().collect());
            }
        }
    }
    out
}

/// The first three characters of the reading packed into one integer, in
/// the same order as the text (see migration 0003).
pub(crate) fn sort_key(kana_search: &str) -> i64 {
    let mut chars = kana_search.chars().map(|c| c as i64);
    let mut next = || chars.next().unwrap_or(0);
    (next() << 42) | (next() << 21) | next()
}

pub(crate) async fn index_grams(
    conn: &mut SqliteConnection,
    pk: i64,
    name_search: &str,
    kana_search: &str,
) -> StoreResult<()> {
    let key = sort_key(kana_search);
    for gram in grams(name_search, kana_search) {
        sqlx::query(
            "INSERT OR IGNORE INTO patient_grams (gram, sort_key, patient_pk) VALUES (?, ?, ?)",
        )
        .bind(gram)
        .bind(key)
        .bind(pk)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub(crate) async fn unindex_grams(
    conn: &mut SqliteConnection,
    pk: i64,
    name_search: &str,
    kana_search: &str,
) -> StoreResult<()> {
    let key = sort_key(kana_search);
    for gram in grams(name_search, kana_search) {
        sqlx::query("DELETE FROM patient_grams WHERE gram = ? AND sort_key = ? AND patient_pk = ?")
            .bind(gram)
            .bind(key)
            .bind(pk)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Rows found by one way of searching, with how many match in all.
struct Hits {
    rows: Vec<PatientRow>,
    total: u64,
}

impl Store {
    pub async fn search_patients(&self, search: &PatientSearch) -> StoreResult<PatientPage> {
        let mut conn = self.pool.acquire().await?;
        let limit = i64::from(search.limit.max(1));
        let term = search.term.as_deref().filter(|t| !t.is_empty());
        let mut parts = Vec::new();
        if term.is_none() && search.birth_date.is_none() && search.chart_prefix.is_none() {
            parts.push(everyone(&mut conn, limit).await?);
        }
        if let Some(term) = term {
            parts.push(by_term(&mut conn, term, limit).await?);
        }
        if let Some(date) = search.birth_date {
            parts.push(by_birth_date(&mut conn, date, limit).await?);
        }
        if let Some(prefix) = search.chart_prefix.as_deref().filter(|p| !p.is_empty()) {
            parts.push(by_chart_prefix(&mut conn, prefix, limit).await?);
        }
        if search.include_deleted {
            parts.push(deleted_matching(&mut conn, search, limit).await?);
        }
        merge(parts, search.limit as usize)
    }
}

fn merge(parts: Vec<Hits>, limit: usize) -> StoreResult<PatientPage> {
    let mut total: u64 = parts.iter().map(|h| h.total).sum();
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for row in parts.into_iter().flat_map(|h| h.rows) {
        if seen.insert(row.pk) {
            rows.push(row);
        } else {
            // Found by two ways of searching: count it once.
            total = total.saturating_sub(1);
        }
    }
    rows.sort_by(gojuon_order);
    rows.truncate(limit);
    let patients = rows
        .into_iter()
        .map(PatientRow::into_record)
        .collect::<StoreResult<_>>()?;
    Ok(PatientPage { patients, total })
}

async fn everyone(conn: &mut SqliteConnection, limit: i64) -> StoreResult<Hits> {
    let total: i64 = sqlx::query_scalar("SELECT active FROM patient_stats WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    let sql = format!(
        "SELECT {PATIENT_COLUMNS} FROM patients p INDEXED BY patients_active_by_kana
         WHERE p.deleted_at IS NULL ORDER BY p.kana_search, p.name_search, p.pk LIMIT ?"
    );
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    Ok(Hits {
        rows,
        total: total as u64,
    })
}

/// Substring of the name or reading, among active patients.
async fn by_term(conn: &mut SqliteConnection, term: &str, limit: i64) -> StoreResult<Hits> {
    let candidates = Candidates::of(term);
    let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM ({})",
        candidates.sql
    )))
    .bind_all(&candidates.grams)
    .fetch_one(&mut *conn)
    .await?;
    if count == 0 {
        return Ok(Hits {
            rows: Vec::new(),
            total: 0,
        });
    }
    let verify = "(instr(p.name_search, ?) > 0 OR instr(p.kana_search, ?) > 0)";
    if count <= SORT_CANDIDATES_MAX {
        // Few candidates: read, verify and sort them all; the count is exact.
        let sql = format!(
            "SELECT {PATIENT_COLUMNS} FROM patients p
             WHERE p.pk IN ({}) AND {verify}
             ORDER BY p.kana_search, p.name_search, p.pk LIMIT ?",
            candidates.sql
        );
        let rows: Vec<PatientRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind_all(&candidates.grams)
            .bind(term)
            .bind(term)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?;
        // Every window of a term up to three characters is the term itself,
        // so the candidate count is exact; longer terms count verified rows.
        let total = if candidates.grams.len() == 1 && term.chars().count() <= MAX_GRAM {
            count as u64
        } else {
            let sql = format!(
                "SELECT count(*) FROM patients p WHERE p.pk IN ({}) AND {verify}",
                candidates.sql
            );
            let verified: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind_all(&candidates.grams)
                .bind(term)
                .bind(term)
                .fetch_one(&mut *conn)
                .await?;
            verified as u64
        };
        return Ok(Hits { rows, total });
    }
    // Many candidates: walk one gram's list in reading order (first three
    // characters) and stop at `limit` verified hits; those are then sorted
    // exactly. The total is the candidate count: exact for terms of up to
    // three characters, and for longer ones every 3-character window
    // matched, which in practice means the whole term did.
    let sql = format!(
        "SELECT {PATIENT_COLUMNS} FROM patient_grams g JOIN patients p ON p.pk = g.patient_pk
         WHERE g.gram = ? AND {verify}
         ORDER BY g.sort_key, g.patient_pk LIMIT ?"
    );
    let mut rows: Vec<PatientRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(&candidates.grams[0])
        .bind(term)
        .bind(term)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    rows.sort_by(gojuon_order);
    Ok(Hits {
        rows,
        total: count as u64,
    })
}

/// The patients whose grams cover `term`: its own posting list when it is
/// short, otherwise the intersection of the lists of its 3-character
/// windows — an index-only query that leaves few rows to verify.
struct Candidates {
    sql: String,
    grams: Vec<String>,
}

impl Candidates {
    fn of(term: &str) -> Candidates {
        let chars: Vec<char> = term.chars().collect();
        let grams: Vec<String> = if chars.len() <= MAX_GRAM {
            vec![term.to_string()]
        } else {
            let windows: BTreeSet<String> = chars
                .windows(MAX_GRAM)
                .map(|w| w.iter().collect())
                .collect();
            windows.into_iter().collect()
        };
        let sql = vec!["SELECT patient_pk FROM patient_grams WHERE gram = ?"; grams.len()]
            .join(" INTERSECT ");
        Candidates { sql, grams }
    }
}

/// Binds a list of values in order.
trait BindAll {
    fn bind_all(self, values: &[String]) -> Self;
}

impl<'q, O> BindAll for sqlx::query::QueryAs<'q, sqlx::Sqlite, O, sqlx::sqlite::SqliteArguments> {
    fn bind_all(self, values: &[String]) -> Self {
        values.iter().fold(self, |q, v| q.bind(v.clone()))
    }
}

impl<'q, O> BindAll
    for sqlx::query::QueryScalar<'q, sqlx::Sqlite, O, sqlx::sqlite::SqliteArguments>
{
    fn bind_all(self, values: &[String]) -> Self {
        values.iter().fold(self, |q, v| q.bind(v.clone()))
    }
}

fn gojuon_order(a: &PatientRow, b: &PatientRow) -> std::cmp::Ordering {
    (&a.kana_search, &a.name_search, a.pk).cmp(&(&b.kana_search, &b.name_search, b.pk))
}

async fn by_birth_date(
    conn: &mut SqliteConnection,
    date: NaiveDate,
    limit: i64,
) -> StoreResult<Hits> {
    let date = date.format("%Y-%m-%d").to_string();
    let total: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM patients INDEXED BY patients_active_by_birth_date
         WHERE birth_date = ? AND deleted_at IS NULL",
    )
    .bind(&date)
    .fetch_one(&mut *conn)
    .await?;
    let sql = format!(
        "SELECT {PATIENT_COLUMNS} FROM patients p WHERE p.birth_date = ? AND p.deleted_at IS NULL
         ORDER BY p.kana_search, p.name_search, p.pk LIMIT ?"
    );
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(&date)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    Ok(Hits {
        rows,
        total: total as u64,
    })
}

async fn by_chart_prefix(
    conn: &mut SqliteConnection,
    prefix: &str,
    limit: i64,
) -> StoreResult<Hits> {
    // A range on the unique index: every string that starts with `prefix`.
    let upper = format!("{prefix}\u{10FFFF}");
    let total: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM patients INDEXED BY patients_active_by_chart_number
         WHERE chart_number >= ? AND chart_number < ? AND deleted_at IS NULL",
    )
    .bind(prefix)
    .bind(&upper)
    .fetch_one(&mut *conn)
    .await?;
    let sql = format!(
        "SELECT {PATIENT_COLUMNS} FROM patients p INDEXED BY patients_active_by_chart_number
         WHERE p.chart_number >= ? AND p.chart_number < ? AND p.deleted_at IS NULL
         ORDER BY p.chart_number LIMIT ?"
    );
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(prefix)
        .bind(&upper)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    Ok(Hits {
        rows,
        total: total as u64,
    })
}

/// Deleted patients are few and outside the gram index: scan them.
async fn deleted_matching(
    conn: &mut SqliteConnection,
    search: &PatientSearch,
    limit: i64,
) -> StoreResult<Hits> {
    let sql = format!(
        "SELECT {PATIENT_COLUMNS} FROM patients p INDEXED BY patients_deleted
         WHERE p.deleted_at IS NOT NULL ORDER BY p.deleted_at"
    );
    let rows: Vec<PatientRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?;
    let term = search.term.as_deref().filter(|t| !t.is_empty());
    let birth_date = search.birth_date.map(|d| d.format("%Y-%m-%d").to_string());
    let everything = term.is_none() && birth_date.is_none() && search.chart_prefix.is_none();
    let mut hits: Vec<PatientRow> = rows
        .into_iter()
        .filter(|row| {
            everything
                || term.is_some_and(|t| row.name_search.contains(t) || row.kana_search.contains(t))
                || birth_date.as_deref().is_some_and(|d| row.birth_date() == d)
                || search
                    .chart_prefix
                    .as_deref()
                    .is_some_and(|p| row.chart_number().is_some_and(|c| c.starts_with(p)))
        })
        .collect();
    let total = hits.len() as u64;
    hits.sort_by(gojuon_order);
    hits.truncate(limit as usize);
    Ok(Hits { rows: hits, total })
}
