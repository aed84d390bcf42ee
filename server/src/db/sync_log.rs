//! What makes a push safe to repeat: a lock per `(device, op_seq)` and the
//! remembered outcome (and id) of each operation applied.

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

/// What was remembered of an operation number: the outcome, and the id of
/// the operation that had it (none from clients before version 4).
pub(crate) struct Remembered {
    pub result: serde_json::Value,
    pub op_id: Option<Uuid>,
}

/// What was stored when this operation number was first answered.
pub(crate) async fn earlier_result(
    conn: &mut PgConnection,
    device: Uuid,
    op_seq: i64,
) -> sqlx::Result<Option<Remembered>> {
    let row: Option<(serde_json::Value, Option<Uuid>)> = sqlx::query_as(
        "SELECT result, op_id FROM applied_ops WHERE device_id = $1 AND op_seq = $2",
    )
    .bind(device)
    .bind(op_seq)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(result, op_id)| Remembered { result, op_id }))
}

/// The number after the device's highest remembered one: where a client
/// whose numbers were reused starts again.
pub(crate) async fn next_free_seq(conn: &mut PgConnection, device: Uuid) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT coalesce(max(op_seq), 0) + 1 FROM applied_ops WHERE device_id = $1")
        .bind(device)
        .fetch_one(conn)
        .await
}

pub(crate) async fn remember(
    conn: &mut PgConnection,
    device: Uuid,
    op_seq: i64,
    op_id: Option<Uuid>,
    result: serde_json::Value,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO applied_ops (device_id, op_seq, op_id, result) VALUES ($1, $2, $3, $4)",
    )
    .bind(device)
    .bind(op_seq)
    .bind(op_id)
    .bind(result)
    .execute(conn)
    .await?;
    Ok(())
}

/// This database's lifetime (see migration 0009).
pub(crate) async fn epoch(ex: impl sqlx::PgExecutor<'_>) -> sqlx::Result<Uuid> {
    sqlx::query_scalar("SELECT epoch FROM server_epoch")
        .fetch_one(ex)
        .await
}

/// A new lifetime for this database: after a restore, its feed numbers
/// run again from an earlier point (see migration 0009).
pub(crate) async fn new_epoch(ex: impl sqlx::PgExecutor<'_>) -> sqlx::Result<Uuid> {
    sqlx::query_scalar("UPDATE server_epoch SET epoch = gen_random_uuid() RETURNING epoch")
        .fetch_one(ex)
        .await
}
