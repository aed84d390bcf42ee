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
const SORT_CANDIDATES_MAX: i64 = 2_000;

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

pub(crate) async fn index_grams(
    conn: &mut SqliteConnection,
    pk: i64,
    name_search: &str,
    kana_search: &str,
) -> StoreResult<()> {
    for gram in grams(name_search, kana_search) {
        sqlx::query("INSERT OR IGNORE INTO patient_grams (gram, patient_pk) VALUES (?, ?)")
            .bind(gram)
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
    for gram in grams(name_search, kana_search) {
        sqlx::query("DELETE FROM patient_grams WHERE gram = ? AND patient_pk = ?")
            .bind(gram)
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
    rows.sort_by(|a, b| (&a.kana_search, a.pk).cmp(&(&b.kana_search, b.pk)));
    rows.truncate(limit);
    let patients = rows
        .into_iter()
        .map(PatientRow::into_record)
        .collect::<StoreResult<_>>()?;
    Ok(PatientPage { patients, total })
}

async fn everyone(conn: &mut SqliteConnection, limit: i64) -> StoreResult<Hits> {
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM patients WHERE deleted_at IS NULL")
        .fetch_one(&mut *conn)
        .await?;
    let sql = format!(
        "SELECT {PATIENT_COLUMNS} FROM patients p INDEXED BY patients_active_by_kana
         WHERE p.deleted_at IS NULL ORDER BY p.kana_search, p.pk LIMIT ?"
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
    let (gram, candidates) = rarest_gram(conn, term).await?;
    if candidates == 0 {
        return Ok(Hits {
            rows: Vec::new(),
            total: 0,
        });
    }
    let exact = term.chars().count() <= MAX_GRAM;
    let total = if exact {
        candidates
    } else {
        sqlx::query_scalar(
            "SELECT count(*) FROM patient_grams g JOIN patients p ON p.pk = g.patient_pk
             WHERE g.gram = ?1 AND (instr(p.name_search, ?2) > 0 OR instr(p.kana_search, ?2) > 0)",
        )
        .bind(&gram)
        .bind(term)
        .fetch_one(&mut *conn)
        .await?
    };
    let rows = if candidates <= SORT_CANDIDATES_MAX {
        let sql = format!(
            "SELECT {PATIENT_COLUMNS} FROM patient_grams g JOIN patients p ON p.pk = g.patient_pk
             WHERE g.gram = ?1 AND (instr(p.name_search, ?2) > 0 OR instr(p.kana_search, ?2) > 0)
             ORDER BY p.kana_search, p.pk LIMIT ?3"
        );
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(&gram)
            .bind(term)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
    } else {
        let sql = format!(
            "SELECT {PATIENT_COLUMNS} FROM patients p INDEXED BY patients_active_by_kana
             WHERE p.deleted_at IS NULL
               AND (instr(p.name_search, ?1) > 0 OR instr(p.kana_search, ?1) > 0)
             ORDER BY p.kana_search, p.pk LIMIT ?2"
        );
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(term)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?
    };
    Ok(Hits {
        rows,
        total: total as u64,
    })
}

/// The gram of `term` with the fewest patients: the whole term when it is
/// short, otherwise its least common 3-character window.
async fn rarest_gram(conn: &mut SqliteConnection, term: &str) -> StoreResult<(String, i64)> {
    let chars: Vec<char> = term.chars().collect();
    let candidates: Vec<String> = if chars.len() <= MAX_GRAM {
        vec![term.to_string()]
    } else {
        chars
            .windows(MAX_GRAM)
            .map(|w| w.iter().collect())
            .collect()
    };
    let mut best: Option<(String, i64)> = None;
    for gram in candidates {
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM patient_grams WHERE gram = ?")
            .bind(&gram)
            .fetch_one(&mut *conn)
            .await?;
        if best.as_ref().is_none_or(|(_, c)| count < *c) {
            best = Some((gram, count));
        }
        if count == 0 {
            break;
        }
    }
    Ok(best.unwrap_or_default())
}

async fn by_birth_date(
    conn: &mut SqliteConnection,
    date: NaiveDate,
    limit: i64,
) -> StoreResult<Hits> {
    let date = date.format("%Y-%m-%d").to_string();
    let total: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM patients WHERE birth_date = ? AND deleted_at IS NULL",
    )
    .bind(&date)
    .fetch_one(&mut *conn)
    .await?;
    let sql = format!(
        "SELECT {PATIENT_COLUMNS} FROM patients p WHERE p.birth_date = ? AND p.deleted_at IS NULL
         ORDER BY p.kana_search, p.pk LIMIT ?"
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
        "SELECT count(*) FROM patients
         WHERE chart_number >= ? AND chart_number < ? AND deleted_at IS NULL",
    )
    .bind(prefix)
    .bind(&upper)
    .fetch_one(&mut *conn)
    .await?;
    let sql = format!(
        "SELECT {PATIENT_COLUMNS} FROM patients p
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
    hits.sort_by(|a, b| (&a.kana_search, a.pk).cmp(&(&b.kana_search, b.pk)));
    hits.truncate(limit as usize);
    Ok(Hits { rows: hits, total })
}
