//! Portal sessions (`portal_sessions`), named by the SHA-256 of the
//! cookie's token.

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

pub(crate) async fn insert(
    conn: &mut PgConnection,
    token_sha256: &str,
    user: Uuid,
    stage: &str,
    csrf: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO portal_sessions (token_sha256, user_id, stage, csrf_token)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_sha256)
    .bind(user)
    .bind(stage)
    .bind(csrf)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn end(conn: &mut PgConnection, token_sha256: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE portal_sessions SET ended_at = now() WHERE token_sha256 = $1")
        .bind(token_sha256)
        .execute(conn)
        .await?;
    Ok(())
}

/// Every live session of the person.
pub(crate) async fn end_all(conn: &mut PgConnection, user: Uuid) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE portal_sessions SET ended_at = now() WHERE user_id = $1 AND ended_at IS NULL",
    )
    .bind(user)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every live session of the person but `keep`.
pub(crate) async fn end_others(
    conn: &mut PgConnection,
    user: Uuid,
    keep_sha256: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE portal_sessions SET ended_at = now()
         WHERE user_id = $1 AND token_sha256 <> $2 AND ended_at IS NULL",
    )
    .bind(user)
    .bind(keep_sha256)
    .execute(conn)
    .await?;
    Ok(())
}

/// A live session with its person and organisation.
#[derive(sqlx::FromRow)]
pub(crate) struct Live {
    pub user_id: Uuid,
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub profession: String,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub organisation_kind: String,
    pub csrf_token: String,
    pub must_change_password: bool,
    pub has_second_factor: bool,
    pub keeps_profile: bool,
}

/// The session if it is live at `stage` (not ended, its person not
/// disabled and approved, seen within `idle_minutes`, begun within `max_hours`);
/// touching it keeps it alive.
pub(crate) async fn touch_live(
    ex: impl PgExecutor<'_>,
    token_sha256: &str,
    stage: &str,
    idle_minutes: i32,
    max_hours: i32,
) -> sqlx::Result<Option<Live>> {
    sqlx::query_as(
        "UPDATE portal_sessions s SET last_seen_at = now()
         FROM users u JOIN organisations o ON o.id = u.organisation_id
         WHERE s.token_sha256 = $1 AND s.user_id = u.id AND s.stage = $2
           AND s.ended_at IS NULL AND u.disabled_at IS NULL AND u.approval = 'approved'
           AND o.stopped_at IS NULL
           AND s.last_seen_at > now() - make_interval(mins => $3)
           AND s.created_at > now() - make_interval(hours => $4)
         RETURNING u.id AS user_id, u.login, u.display_name, u.role, u.profession,
           o.id AS organisation_id,
           o.name AS organisation_name, o.kind AS organisation_kind, s.csrf_token,
           u.must_change_password, u.totp_secret IS NOT NULL AS has_second_factor,
           u.keeps_profile",
    )
    .bind(token_sha256)
    .bind(stage)
    .bind(idle_minutes)
    .bind(max_hours)
    .fetch_optional(ex)
    .await
}

/// Marks a second-factor attempt in flight on this session; false if one
/// already is (a claim older than a minute is from a process that died).
pub(crate) async fn claim_factor_attempt(
    ex: impl PgExecutor<'_>,
    token_sha256: &str,
) -> sqlx::Result<bool> {
    let claimed: Option<i32> = sqlx::query_scalar(
        "UPDATE portal_sessions SET factor_attempt_since = clock_timestamp()
         WHERE token_sha256 = $1
           AND (factor_attempt_since IS NULL
                OR factor_attempt_since < clock_timestamp() - interval '1 minute')
         RETURNING 1",
    )
    .bind(token_sha256)
    .fetch_optional(ex)
    .await?;
    Ok(claimed.is_some())
}

pub(crate) async fn release_factor_attempt(
    ex: impl PgExecutor<'_>,
    token_sha256: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE portal_sessions SET factor_attempt_since = NULL WHERE token_sha256 = $1")
        .bind(token_sha256)
        .execute(ex)
        .await?;
    Ok(())
}
