//! Patient search: substrings of the name or its reading, birth date, chart
//! number. Active patients are found through `patient_grams` (every 1-3
//! character gram), so 1- and 2-character queries are as fast as long ones;
//! the few deleted patients are scanned only when asked for.

use std::collections::{BTreeSet, HashSet};

use chrono::NaiveDate;
use sqlx::{Sqlite, SqliteConnection, SqlitePool};
use tsunagu_domain::search_key;

use crate::Store;
use crate::error::StoreResult;
use crate::patients::{PATIENT_COLUMNS, PatientRecord, PatientRow};

const MAX_GRAM: usize = 3;
/// Counting stops here: "1,000件以上" tells a receptionist as much as an exact
/// 19,156 would, and counting a common gram's whole list costs milliseconds.
pub const COUNT_CAP: u64 = 1_000;
/// Sizing a long term's windows to pick the rarest stops here.
const WINDOW_SIZE_CAP: u64 = 20_000;
/// Bump when `grams`, `sort_key` or `search_key` change: the store then
/// rebuilds the search index when it is next opened. Version 2 folds
/// 旧字体 to 新字体 (issue 18).
const SEARCH_INDEX_VERSION: i64 = 2;
/// Characters of the reading packed into `sort_key`, 7 bits each.
const SORT_KEY_CHARS: usize = 9;

/// What to look for. Every part that is present is searched and the results
/// are merged; none present lists everyone in 五十音 order.
#[derive(Debug, Clone, Default)]
pub struct PatientSearch {
    /// Already normalised with `search_key`.
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
    /// How many patients match in all, or (when `total_capped`) at least.
    pub total: u64,
    /// Counting stopped at [`COUNT_CAP`] for some way of searching: more match.
    pub total_capped: bool,
}

/// The search forms of a name and its reading (the domain's `search_key`:
/// NFKC, no spaces, hiragana, 新字体).
pub(crate) struct SearchForms {
    pub(crate) name: String,
    pub(crate) kana: String,
}

impl SearchForms {
    pub(crate) fn of(name: &str, kana: &str) -> Self {
        SearchForms {
            name: search_key(name),
            kana: search_key(kana),
        }
    }
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

/// The start of the reading as one integer that never orders two readings
/// against their BINARY text order, so a gram's index range walked by
/// `sort_key` is already in 五十音 order except within equal keys (which
/// SQLite then sorts by the full reading, a few rows at a time).
///
/// Each of the first nine characters takes 7 bits: hiragana and ー exactly,
/// anything else in a shared bucket below, between or above them. A shared
/// bucket loses the order of what follows, so packing stops there.
pub(crate) fn sort_key(kana_search: &str) -> i64 {
    let mut key = 0i64;
    let mut exact = true;
    let mut chars = kana_search.chars();
    for _ in 0..SORT_KEY_CHARS {
        let rank = match chars.next() {
            Some(c) if exact => {
                let (rank, is_exact) = sort_rank(c);
                exact = is_exact;
                rank
            }
            _ => 0,
        };
        key = (key << 7) | rank;
    }
    key
}

/// 0 is "no character"; the ranks rise with the code point.
fn sort_rank(c: char) -> (i64, bool) {
    const HIRAGANA_FIRST: u32 = 0x3041;
    const HIRAGANA_LAST: u32 = 0x309F;
    const CHOONPU: u32 = 0x30FC;
    let code = u32::from(c);
    match code {
        _ if code < HIRAGANA_FIRST => (1, false),
        HIRAGANA_FIRST..=HIRAGANA_LAST => (i64::from(code - HIRAGANA_FIRST) + 2, true),
        _ if code < CHOONPU => (98, false),
        CHOONPU => (99, true),
        _ => (100, false),
    }
}

pub(crate) async fn index_grams(
    conn: &mut SqliteConnection,
    pk: i64,
    forms: &SearchForms,
) -> StoreResult<()> {
    index_grams_of_many(conn, &[(pk, forms)]).await
}

/// One statement for all the patients' grams (~40 a name), which travel as
/// one JSON array.
pub(crate) async fn index_grams_of_many(
    conn: &mut SqliteConnection,
    patients: &[(i64, &SearchForms)],
) -> StoreResult<()> {
    let mut rows: Vec<(String, i64, i64)> = patients
        .iter()
        .flat_map(|(pk, forms)| {
            let key = sort_key(&forms.kana);
            grams(&forms.name, &forms.kana)
                .into_iter()
                .map(move |gram| (gram, key, *pk))
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    // In the index's order, so consecutive rows land in the same leaf.
    rows.sort_unstable();
    crate::batch::insert_json_rows(
        conn,
        "INSERT OR IGNORE INTO patient_grams (gram, sort_key, patient_pk)
         SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)",
        &rows,
    )
    .await
}

pub(crate) async fn unindex_grams(
    conn: &mut SqliteConnection,
    pk: i64,
    forms: &SearchForms,
) -> StoreResult<()> {
    let key = sort_key(&forms.kana);
    for gram in grams(&forms.name, &forms.kana) {
        sqlx::query("DELETE FROM patient_grams WHERE gram = ? AND sort_key = ? AND patient_pk = ?")
            .bind(gram)
            .bind(key)
            .bind(pk)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Rebuilds the search forms and the gram index when they were made by other
/// code than this (see [`SEARCH_INDEX_VERSION`]); one transaction, so an
/// interrupted rebuild leaves the old index and runs again next time.
pub(crate) async fn rebuild_index_if_stale(pool: &SqlitePool) -> StoreResult<()> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let version: i64 = sqlx::query_scalar("SELECT version FROM search_index WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    if version == SEARCH_INDEX_VERSION {
        tx.rollback().await?;
        return Ok(());
    }
    sqlx::query("DELETE FROM patient_grams")
        .execute(&mut *tx)
        .await?;
    let patients: Vec<(i64, String, String, bool)> =
        sqlx::query_as("SELECT pk, name, kana, deleted_at IS NULL FROM patients")
            .fetch_all(&mut *tx)
            .await?;
    for (pk, name, kana, active) in patients {
        let forms = SearchForms::of(&name, &kana);
        sqlx::query("UPDATE patients SET name_search = ?, kana_search = ? WHERE pk = ?")
            .bind(&forms.name)
            .bind(&forms.kana)
            .bind(pk)
            .execute(&mut *tx)
            .await?;
        if active {
            index_grams(&mut tx, pk, &forms).await?;
        }
    }
    sqlx::query("UPDATE search_index SET version = ? WHERE id = 1")
        .bind(SEARCH_INDEX_VERSION)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Rows found by one way of searching, with how many match in all.
struct Hits {
    rows: Vec<PatientRow>,
    total: Count,
}

/// How many match: exactly, or at least [`COUNT_CAP`] when counting stopped.
#[derive(Debug, Clone, Copy)]
enum Count {
    Exact(u64),
    AtLeast(u64),
}

impl Count {
    fn of(counted: u64) -> Count {
        if counted > COUNT_CAP {
            Count::AtLeast(COUNT_CAP)
        } else {
            Count::Exact(counted)
        }
    }

    fn value(self) -> u64 {
        match self {
            Count::Exact(n) | Count::AtLeast(n) => n,
        }
    }
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
    let mut total: u64 = parts.iter().map(|h| h.total.value()).sum();
    let total_capped = parts.iter().any(|h| matches!(h.total, Count::AtLeast(_)));
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
    Ok(PatientPage {
        patients,
        total,
        total_capped,
    })
}

/// `SELECT count(*)` of `rows_sql` (which selects anything), stopping at
/// [`COUNT_CAP`] + 1 rows.
async fn count_capped<T: Bindable>(
    conn: &mut SqliteConnection,
    rows_sql: &str,
    binds: &[T],
) -> StoreResult<Count> {
    let sql = format!("SELECT count(*) FROM ({rows_sql} LIMIT {})", COUNT_CAP + 1);
    let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind_all(binds)
        .fetch_one(&mut *conn)
        .await?;
    Ok(Count::of(count as u64))
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
        total: Count::Exact(total as u64),
    })
}

/// Substring of the name or reading, among active patients.
///
/// A term of up to three characters is one gram: its posting list is the
/// answer and its length the total. A longer term needs every 3-character
/// window; the window with the shortest list drives, the others are probed
/// by primary key (no row read), and the rows that survive are checked
/// against the whole term. The driving list is walked in `sort_key` order, so
/// the first `limit` hits end the walk.
async fn by_term(conn: &mut SqliteConnection, term: &str, limit: i64) -> StoreResult<Hits> {
    let windows = windows(term);
    let whole_term = term.chars().count() > MAX_GRAM;
    // Sizing the windows: index-only counts, cheap even for common grams.
    let size_cap = if whole_term {
        WINDOW_SIZE_CAP
    } else {
        COUNT_CAP + 1
    };
    let mut sizes = Vec::with_capacity(windows.len());
    for window in &windows {
        let sql = format!(
            "SELECT count(*) FROM (SELECT 1 FROM patient_grams WHERE gram = ? LIMIT {size_cap})"
        );
        let size: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(window)
            .fetch_one(&mut *conn)
            .await?;
        if size == 0 {
            return Ok(Hits {
                rows: Vec::new(),
                total: Count::Exact(0),
            });
        }
        sizes.push(size as u64);
    }
    let driver = (0..windows.len()).min_by_key(|&i| sizes[i]).unwrap_or(0);
    let mut binds = vec![windows[driver].clone()];
    let mut windows_filter = String::new();
    for (_, window) in windows.iter().enumerate().filter(|&(i, _)| i != driver) {
        windows_filter.push_str(
            " AND EXISTS (SELECT 1 FROM patient_grams h
                 WHERE h.gram = ? AND h.sort_key = g.sort_key AND h.patient_pk = g.patient_pk)",
        );
        binds.push(window.clone());
    }
    let mut row_binds = binds.clone();
    let term_filter = if whole_term {
        row_binds.push(term.to_string());
        row_binds.push(term.to_string());
        " AND (instr(p.name_search, ?) > 0 OR instr(p.kana_search, ?) > 0)"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {PATIENT_COLUMNS}
         FROM patient_grams g JOIN patients p ON p.pk = g.patient_pk
         WHERE g.gram = ?{windows_filter}{term_filter}
         ORDER BY g.sort_key, p.kana_search, p.name_search, p.pk LIMIT ?"
    );
    let rows: Vec<PatientRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind_all(&row_binds)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    let total = if !whole_term {
        Count::of(sizes[driver])
    } else if (rows.len() as i64) < limit {
        // The walk ran out of candidates: every hit is on the page.
        Count::Exact(rows.len() as u64)
    } else {
        // Patients with every window of the term. Checking each against the
        // whole term would read up to a thousand rows; a name holding all
        // the windows but not the term itself is rare enough to count.
        count_capped(
            conn,
            &format!("SELECT 1 FROM patient_grams g WHERE g.gram = ?{windows_filter}"),
            &binds,
        )
        .await?
    };
    Ok(Hits { rows, total })
}

/// The grams a term is looked up by: itself when short, otherwise its
/// distinct 3-character windows.
fn windows(term: &str) -> Vec<String> {
    let chars: Vec<char> = term.chars().collect();
    if chars.len() <= MAX_GRAM {
        return vec![term.to_string()];
    }
    let distinct: BTreeSet<String> = chars
        .windows(MAX_GRAM)
        .map(|w| w.iter().collect())
        .collect();
    distinct.into_iter().collect()
}

/// A value [`BindAll`] can bind: text, or a date as the store keeps dates.
trait Bindable: Clone + Send + 'static + for<'a> sqlx::Encode<'a, Sqlite> + sqlx::Type<Sqlite> {}

impl<T> Bindable for T where
    T: Clone + Send + 'static + for<'a> sqlx::Encode<'a, Sqlite> + sqlx::Type<Sqlite>
{
}

/// Binds a list of values in order.
trait BindAll {
    fn bind_all<T: Bindable>(self, values: &[T]) -> Self;
}

impl<'q, O> BindAll for sqlx::query::QueryAs<'q, sqlx::Sqlite, O, sqlx::sqlite::SqliteArguments> {
    fn bind_all<T: Bindable>(self, values: &[T]) -> Self {
        values.iter().fold(self, |q, v| q.bind(v.clone()))
    }
}

impl<'q, O> BindAll
    for sqlx::query::QueryScalar<'q, sqlx::Sqlite, O, sqlx::sqlite::SqliteArguments>
{
    fn bind_all<T: Bindable>(self, values: &[T]) -> Self {
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
    let total = count_capped(
        conn,
        "SELECT 1 FROM patients INDEXED BY patients_active_by_birth_date
         WHERE birth_date = ? AND deleted_at IS NULL",
        std::slice::from_ref(&date),
    )
    .await?;
    let sql = format!(
        "SELECT {PATIENT_COLUMNS} FROM patients p WHERE p.birth_date = ? AND p.deleted_at IS NULL
         ORDER BY p.kana_search, p.name_search, p.pk LIMIT ?"
    );
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(date)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    Ok(Hits { rows, total })
}

async fn by_chart_prefix(
    conn: &mut SqliteConnection,
    prefix: &str,
    limit: i64,
) -> StoreResult<Hits> {
    // A range on the unique index: every string that starts with `prefix`.
    let upper = format!("{prefix}\u{10FFFF}");
    let total = count_capped(
        conn,
        "SELECT 1 FROM patients INDEXED BY patients_active_by_chart_number
         WHERE chart_number >= ? AND chart_number < ? AND deleted_at IS NULL",
        &[prefix.to_string(), upper.clone()],
    )
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
    Ok(Hits { rows, total })
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
    let birth_date = search.birth_date;
    let everything = term.is_none() && birth_date.is_none() && search.chart_prefix.is_none();
    let mut hits: Vec<PatientRow> = rows
        .into_iter()
        .filter(|row| {
            everything
                || term.is_some_and(|t| row.name_search.contains(t) || row.kana_search.contains(t))
                || birth_date.is_some_and(|d| row.birth_date == d)
                || search
                    .chart_prefix
                    .as_deref()
                    .is_some_and(|p| row.chart_number().is_some_and(|c| c.starts_with(p)))
        })
        .collect();
    let total = Count::Exact(hits.len() as u64);
    hits.sort_by(gojuon_order);
    hits.truncate(limit as usize);
    Ok(Hits { rows: hits, total })
}

#[cfg(test)]
mod tests;
