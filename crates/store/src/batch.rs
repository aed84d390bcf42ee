//! Many rows in one statement: the rows travel to SQLite as one JSON array
//! bound to a single parameter and read back with `json_each(?)`, so the
//! SQL text (and its prepared statement) is the same for one row or a
//! thousand, and a pulled batch costs a few statements instead of tens of
//! thousands. (`jsonb_each`, which would spare `->>` re-reading each row's
//! text, arrives with SQLite 3.51; the bundled SQLCipher has 3.50.)

use std::fmt::Display;

use serde::{Serialize, Serializer};
use uuid::Uuid;

use crate::error::{StoreError, StoreResult};

/// The JSON array of `rows`, to bind where SQL reads `json_each(?)`.
pub(crate) fn json_rows<T: Serialize>(rows: &[T]) -> StoreResult<String> {
    serde_json::to_string(rows).map_err(|_| StoreError::Corrupt("batched rows"))
}

/// A JSON array of ids, to bind where SQL reads `json_each(?)`.
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

/// `#[serde(serialize_with = "as_text")]`: a field as its `Display` text
/// (ids), without an allocation per field.
pub(crate) fn as_text<T: Display, S: Serializer>(value: &T, out: S) -> Result<S::Ok, S::Error> {
    out.collect_str(value)
}
