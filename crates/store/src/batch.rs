//! Many rows in few statements: a pulled batch inserts thousands of rows,
//! and one statement per row costs far more (a round trip to SQLite's worker
//! thread each) than the rows themselves. Two ways, each where it measured
//! faster on a first sync (`make bench`, bench_sync):
//!
//! - wide rows (events, patients, summaries) as multi-row `VALUES` of bound
//!   parameters, in chunks of a fixed size so that every full chunk reuses
//!   one prepared statement: as one JSON array read with `json_each`, SQLite
//!   spent a quarter of its time turning each row back into text and
//!   parsing it again for every column;
//! - narrow rows (search grams, feed numbers: two or three scalars, tens of
//!   thousands a batch) as one JSON array in one statement, where binding
//!   each value costs more than parsing it (grams: 0.58 s → 0.43 s).

use sqlx::query_builder::Separated;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use uuid::Uuid;

use serde::Serialize;

use crate::error::{StoreError, StoreResult};

/// Rows per statement: a fixed size (one prepared statement for all full
/// chunks), well under SQLite's 32,766 parameters at 17 columns a row.
const ROWS_PER_STATEMENT: usize = 500;

/// Runs `head VALUES (…), (…) tail` over `rows`, a chunk at a time; `bind`
/// pushes one row's values.
pub(crate) async fn insert_rows<T>(
    conn: &mut SqliteConnection,
    head: &str,
    rows: &[T],
    tail: &str,
    mut bind: impl FnMut(Separated<'_, Sqlite, &'static str>, &T),
) -> StoreResult<()> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut statement = QueryBuilder::<Sqlite>::new(head);
        statement.push_values(chunk, &mut bind);
        statement.push(tail);
        statement.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// As [`insert_rows`], collecting what each statement's `RETURNING` gives.
pub(crate) async fn insert_rows_returning<T, R>(
    conn: &mut SqliteConnection,
    head: &str,
    rows: &[T],
    tail: &str,
    mut bind: impl FnMut(Separated<'_, Sqlite, &'static str>, &T),
) -> StoreResult<Vec<R>>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin,
{
    let mut returned = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut statement = QueryBuilder::<Sqlite>::new(head);
        statement.push_values(chunk, &mut bind);
        statement.push(tail);
        returned.extend(
            statement
                .build_query_as::<R>()
                .fetch_all(&mut *conn)
                .await?,
        );
    }
    Ok(returned)
}

/// Runs `sql`, which reads its rows from `json_each(?)`, with `rows` as that
/// one JSON array (tuples become arrays: `value ->> 0`, `value ->> 1`…).
pub(crate) async fn insert_json_rows<T: Serialize>(
    conn: &mut SqliteConnection,
    sql: &'static str,
    rows: &[T],
) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let rows = serde_json::to_string(rows).map_err(|_| StoreError::Corrupt("batched rows"))?;
    sqlx::query(sql).bind(rows).execute(conn).await?;
    Ok(())
}

/// A JSON array of ids, to bind where SQL reads `json_each(?)`: one lookup
/// statement whatever the number of ids.
pub(crate) fn json_ids<'a>(ids: impl IntoIterator<Item = &'a Uuid>) -> String {
    let mut out = String::from("[");
    for (i, id) in ids.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(id.hyphenated().encode_lower(&mut Uuid::encode_buffer()));
        out.push('"');
    }
    out.push(']');
    out
}
