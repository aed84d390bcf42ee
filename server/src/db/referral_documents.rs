//! A hospital's documents per referral (`referral_documents`, migration
//! 0032) and the referral letter's later versions
//! (`referral_letter_versions`).

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// A document without its bytes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct DocumentRow {
    pub id: Uuid,
    pub referral_id: Uuid,
    pub kind: String,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub actor: String,
    pub uploaded_at: DateTime<Utc>,
}

pub(crate) struct NewDocument<'a> {
    pub id: Uuid,
    pub referral: Uuid,
    pub kind: &'a str,
    pub name: &'a str,
    pub sha256: &'a str,
    pub bytes: &'a [u8],
    pub organisation: Uuid,
    pub uploaded_by: Uuid,
    pub actor: &'a str,
}

const COLUMNS: &str = "id, referral_id, kind, name, media_type, size, sha256, actor, uploaded_at";

/// Keeps a document; answers what was kept (with the database's time).
pub(crate) async fn insert(
    conn: &mut PgConnection,
    d: &NewDocument<'_>,
) -> sqlx::Result<DocumentRow> {
    let sql = format!(
        "INSERT INTO referral_documents (id, referral_id, kind, name, media_type, size, sha256,
             bytes, organisation_id, uploaded_by, actor)
         VALUES ($1, $2, $3, $4, 'application/pdf', $5, $6, $7, $8, $9, $10)
         RETURNING {COLUMNS}"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(d.id)
        .bind(d.referral)
        .bind(d.kind)
        .bind(d.name)
        .bind(d.bytes.len() as i64)
        .bind(d.sha256)
        .bind(d.bytes)
        .bind(d.organisation)
        .bind(d.uploaded_by)
        .bind(d.actor)
        .fetch_one(conn)
        .await
}

/// A referral's documents, oldest first.
pub(crate) async fn of_referral(
    conn: &mut PgConnection,
    referral: Uuid,
) -> sqlx::Result<Vec<DocumentRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM referral_documents WHERE referral_id = $1
         ORDER BY uploaded_at, id"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(referral)
        .fetch_all(conn)
        .await
}

pub(crate) async fn document(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<DocumentRow>> {
    let sql = format!("SELECT {COLUMNS} FROM referral_documents WHERE id = $1");
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub(crate) async fn bytes(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Vec<u8>> {
    sqlx::query_scalar("SELECT bytes FROM referral_documents WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// Keeps a corrected letter's summary; a version already kept is left as
/// it is (a repeated push). Answers whether it was new.
pub(crate) async fn insert_letter_version(
    conn: &mut PgConnection,
    referral: Uuid,
    version: i32,
    letter: serde_json::Value,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO referral_letter_versions (referral_id, version, letter)
         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(referral)
    .bind(version)
    .bind(letter)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The latest corrected version of a referral's letter, if any: its
/// number, its summary and when it arrived.
pub(crate) async fn latest_letter_version(
    conn: &mut PgConnection,
    referral: Uuid,
) -> sqlx::Result<Option<(i32, serde_json::Value, DateTime<Utc>)>> {
    sqlx::query_as(
        "SELECT version, letter, received_at FROM referral_letter_versions
         WHERE referral_id = $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(referral)
    .fetch_optional(conn)
    .await
}
