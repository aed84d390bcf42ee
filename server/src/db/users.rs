//! Portal accounts (`users`) and their recovery codes. Passwords and codes
//! arrive here already hashed.

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

pub(crate) struct NewAccount<'a> {
    pub id: Uuid,
    pub organisation: Uuid,
    pub login: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub profession: &'a str,
    /// `approved`, or `pending` until the desk approves.
    pub approval: &'a str,
    pub password_hash: &'a str,
}

/// False if the login is taken.
pub(crate) async fn insert(conn: &mut PgConnection, a: &NewAccount<'_>) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "INSERT INTO users (id, organisation_id, login, display_name, role, profession, approval,
           password_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (login) DO NOTHING",
    )
    .bind(a.id)
    .bind(a.organisation)
    .bind(a.login)
    .bind(a.display_name)
    .bind(a.role)
    .bind(a.profession)
    .bind(a.approval)
    .bind(a.password_hash)
    .execute(conn)
    .await?
    .rows_affected()
        != 0)
}

/// A new first password and no second factor; the login, if the account
/// exists.
pub(crate) async fn reset(
    conn: &mut PgConnection,
    user: Uuid,
    password_hash: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "UPDATE users SET password_hash = $2, must_change_password = true, totp_secret = NULL,
           totp_pending_secret = NULL, totp_last_step = NULL
         WHERE id = $1 RETURNING login",
    )
    .bind(user)
    .bind(password_hash)
    .fetch_optional(conn)
    .await
}

/// Whether the account exists.
pub(crate) async fn disable(conn: &mut PgConnection, user: Uuid) -> sqlx::Result<bool> {
    Ok(
        sqlx::query("UPDATE users SET disabled_at = now() WHERE id = $1")
            .bind(user)
            .execute(conn)
            .await?
            .rows_affected()
            != 0,
    )
}

/// Whether the account exists.
pub(crate) async fn enable(conn: &mut PgConnection, user: Uuid) -> sqlx::Result<bool> {
    Ok(
        sqlx::query("UPDATE users SET disabled_at = NULL WHERE id = $1")
            .bind(user)
            .execute(conn)
            .await?
            .rows_affected()
            != 0,
    )
}

/// Whether a desk account (admin or staff) was given `role`.
pub(crate) async fn set_desk_role(
    conn: &mut PgConnection,
    user: Uuid,
    role: &str,
) -> sqlx::Result<bool> {
    Ok(
        sqlx::query("UPDATE users SET role = $2 WHERE id = $1 AND role IN ('admin', 'desk')")
            .bind(user)
            .bind(role)
            .execute(conn)
            .await?
            .rows_affected()
            != 0,
    )
}

/// (id, password hash, has a second factor, approval) of an active
/// account (not stopped, not rejected, its organisation not stopped).
pub(crate) async fn for_sign_in(
    ex: impl PgExecutor<'_>,
    login: &str,
) -> sqlx::Result<Option<(Uuid, String, bool, String)>> {
    sqlx::query_as(
        "SELECT u.id, u.password_hash, u.totp_secret IS NOT NULL, u.approval FROM users u
         JOIN organisations o ON o.id = u.organisation_id
         WHERE u.login = $1 AND u.disabled_at IS NULL AND u.approval <> 'rejected'
           AND o.stopped_at IS NULL",
    )
    .bind(login)
    .fetch_optional(ex)
    .await
}

pub(crate) async fn password_hash(ex: impl PgExecutor<'_>, user: Uuid) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(ex)
        .await
}

pub(crate) async fn login_of(ex: impl PgExecutor<'_>, user: Uuid) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT login FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(ex)
        .await
}

/// The person's own new password: no longer the first one.
pub(crate) async fn set_password(
    conn: &mut PgConnection,
    user: Uuid,
    password_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET password_hash = $2, must_change_password = false WHERE id = $1")
        .bind(user)
        .bind(password_hash)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn totp_secret(
    ex: impl PgExecutor<'_>,
    user: Uuid,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT totp_secret FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(ex)
        .await
}

/// Whether `step` is newer than the last accepted (and is now the last):
/// a code is accepted once.
pub(crate) async fn advance_totp_step(
    ex: impl PgExecutor<'_>,
    user: Uuid,
    step: i64,
) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "UPDATE users SET totp_last_step = $2
         WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
    )
    .bind(user)
    .bind(step)
    .execute(ex)
    .await?
    .rows_affected()
        == 1)
}

pub(crate) async fn pending_totp_secret(
    ex: impl PgExecutor<'_>,
    user: Uuid,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT totp_pending_secret FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(ex)
        .await
}

pub(crate) async fn set_pending_totp_secret(
    ex: impl PgExecutor<'_>,
    user: Uuid,
    secret: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET totp_pending_secret = $2 WHERE id = $1")
        .bind(user)
        .bind(secret)
        .execute(ex)
        .await?;
    Ok(())
}

/// The pending secret becomes the second factor, `step` already used.
pub(crate) async fn confirm_totp_secret(
    conn: &mut PgConnection,
    user: Uuid,
    secret: &str,
    step: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET totp_secret = $2, totp_pending_secret = NULL, totp_last_step = $3
         WHERE id = $1",
    )
    .bind(user)
    .bind(secret)
    .bind(step)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn delete_recovery_codes(conn: &mut PgConnection, user: Uuid) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn insert_recovery_codes(
    conn: &mut PgConnection,
    user: Uuid,
    digests: &[String],
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO recovery_codes (user_id, code_sha256) SELECT $1, unnest($2::text[])")
        .bind(user)
        .bind(digests)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether an unused recovery code matched (it is used up now).
pub(crate) async fn use_recovery_code(
    ex: impl PgExecutor<'_>,
    user: Uuid,
    digest: &str,
) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "UPDATE recovery_codes SET used_at = now()
         WHERE user_id = $1 AND code_sha256 = $2 AND used_at IS NULL",
    )
    .bind(user)
    .bind(digest)
    .execute(ex)
    .await?
    .rows_affected()
        == 1)
}

/// An account as the administrator's and an organisation's lists show it.
#[derive(sqlx::FromRow)]
pub(crate) struct Listed {
    pub id: Uuid,
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub profession: String,
    pub approval: String,
    pub organisation: String,
    pub organisation_kind: String,
    pub second_factor: bool,
    pub disabled: bool,
    pub keeps_profile: bool,
}

/// A constant (no value is spliced in: the callers only add literal
/// conditions; values are bound).
const LISTED: &str = "SELECT u.id, u.login, u.display_name, u.role, u.profession, u.approval,
       o.name AS organisation, o.kind AS organisation_kind,
       u.totp_secret IS NOT NULL AS second_factor, u.disabled_at IS NOT NULL AS disabled,
       u.keeps_profile
     FROM users u JOIN organisations o ON o.id = u.organisation_id";

/// Every account, by organisation and login.
pub(crate) async fn list(ex: impl PgExecutor<'_>) -> sqlx::Result<Vec<Listed>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LISTED} ORDER BY o.name, u.login"
    )))
    .fetch_all(ex)
    .await
}

/// The accounts of one organisation, by login.
pub(crate) async fn list_of(
    ex: impl PgExecutor<'_>,
    organisation: Uuid,
) -> sqlx::Result<Vec<Listed>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LISTED} WHERE u.organisation_id = $1 ORDER BY u.login"
    )))
    .bind(organisation)
    .fetch_all(ex)
    .await
}

/// The accounts waiting for the desk's approval, oldest first.
pub(crate) async fn pending(ex: impl PgExecutor<'_>) -> sqlx::Result<Vec<Listed>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LISTED} WHERE u.approval = 'pending' ORDER BY u.created_at"
    )))
    .fetch_all(ex)
    .await
}

/// A pending account approved or rejected (a rejected one is stopped
/// too); false if it was not pending.
pub(crate) async fn decide(
    conn: &mut PgConnection,
    user: Uuid,
    approval: &str,
) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "UPDATE users SET approval = $2,
           disabled_at = CASE WHEN $2 = 'rejected' THEN now() ELSE disabled_at END
         WHERE id = $1 AND approval = 'pending'",
    )
    .bind(user)
    .bind(approval)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Lets a member of `organisation`'s staff keep its directory profile, or
/// not; false if `user` is no member of its staff.
pub(crate) async fn set_keeps_profile(
    ex: impl PgExecutor<'_>,
    organisation: Uuid,
    user: Uuid,
    keeps: bool,
) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "UPDATE users SET keeps_profile = $3
         WHERE id = $2 AND organisation_id = $1 AND role = 'staff'",
    )
    .bind(organisation)
    .bind(user)
    .bind(keeps)
    .execute(ex)
    .await?
    .rows_affected()
        == 1)
}
