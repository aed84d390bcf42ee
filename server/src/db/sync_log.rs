//! What makes a push safe to repeat: a lock per `(device, op_seq)` and the
//! remembered outcome of each operation applied.

use sqlx::PgConnection;
use uuid::Uuid;

/// Two pushes of the same operation wait for each other here, until the
/// transaction ends.
pub(crate) async fn lock_operation(
    conn: &mut PgConnection,
    device: Uuid,
    op_seq: i64,
) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(format!("{device}:{op_seq}"))
        .execute(conn)
        .await?;
    Ok(())
}

/// The outcome stored when this operation was applied before.
pub(crate) async fn earlier_result(
    conn: &mut PgConnection,
    device: Uuid,
    op_seq: i64,
) -> sqlx::Result<Option<serde_json::Value>> {
    sqlx::query_scalar("SELECT result FROM applied_ops WHERE device_id = $1 AND op_seq = $2")
        .bind(device)
        .bind(op_seq)
        .fetch_optional(conn)
        .await
}

pub(crate) async fn remember(
    conn: &mut PgConnection,
    device: Uuid,
    op_seq: i64,
    result: serde_json::Value,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO applied_ops (device_id, op_seq, result) VALUES ($1, $2, $3)")
        .bind(device)
        .bind(op_seq)
        .bind(result)
        .execute(conn)
        .await?;
    Ok(())
}
