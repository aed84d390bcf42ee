//! Signing in: login and password (Argon2id), then the second factor (a
//! TOTP code, or a recovery code), set up at the first sign-in. The first
//! password is replaced before anything else. Failures are counted by
//! login and by address; too many and sign-in is refused for a while.

use std::sync::OnceLock;

use sqlx::PgPool;
use uuid::Uuid;

use crate::db;
use crate::services::accounts::{hash_password, verify_password};
use crate::services::actor::user_actor;
use crate::services::audit;
pub(crate) use crate::services::audit::FailedStep;
use crate::services::second_factor;
use crate::services::sessions::{SignedIn, digest};

/// Failed sign-ins for one login within [`FAILURE_WINDOW_MINUTES`] before
/// it is refused; from one address, more (a hospital shares one address).
pub const MAX_LOGIN_FAILURES: i64 = 5;
pub const MAX_ADDRESS_FAILURES: i64 = 30;
const FAILURE_WINDOW_MINUTES: i32 = 15;
const MIN_PASSWORD_CHARS: usize = 12;

/// A hash to verify against when the login does not exist, so that the
/// answer takes as long as for one that does.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password").unwrap_or_default())
}

async fn verify_off_thread(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false)
}

pub(crate) async fn too_many_failures(
    pool: &PgPool,
    login: &str,
    address: &str,
) -> sqlx::Result<bool> {
    let (by_login, by_address) =
        db::attempts::login_failures(pool, login, address, FAILURE_WINDOW_MINUTES).await?;
    Ok(by_login >= MAX_LOGIN_FAILURES || by_address >= MAX_ADDRESS_FAILURES)
}

/// Counted toward the limits, and audited for good.
pub(crate) async fn record_failure(
    pool: &PgPool,
    login: &str,
    address: &str,
    step: FailedStep,
) -> sqlx::Result<()> {
    db::attempts::add_login_failure(pool, login, address).await?;
    audit::record_failed_sign_in(pool, login, step).await
}

/// The account and whether it has a second factor, if the password is
/// right. A login that does not exist takes as long to refuse.
pub(crate) async fn check_password(
    pool: &PgPool,
    login: &str,
    password: String,
) -> sqlx::Result<Option<(Uuid, bool)>> {
    let found = db::users::for_sign_in(pool, login).await?;
    let (hash, user) = match &found {
        Some((id, hash, has_totp)) => (hash.clone(), Some((*id, *has_totp))),
        None => (decoy_hash().to_string(), None),
    };
    let verified = verify_off_thread(password, hash).await;
    Ok(user.filter(|_| verified))
}

/// A TOTP code newer than the last one accepted, or an unused recovery
/// code (used up by this).
pub(crate) async fn accept_code(
    pool: &PgPool,
    user: &Uuid,
    login: &str,
    typed: &str,
) -> sqlx::Result<bool> {
    let Some(secret) = db::users::totp_secret(pool, *user).await? else {
        return Ok(false);
    };
    if let Some(step) =
        second_factor::matching_step(&secret, login, typed, second_factor::unix_now())
    {
        return db::users::advance_totp_step(pool, *user, step).await;
    }
    let recovery = second_factor::normalise_recovery_code(typed);
    let used = db::users::use_recovery_code(pool, *user, &digest(&recovery)).await?;
    if used {
        let mut conn = pool.acquire().await?;
        audit::record(
            &mut conn,
            &user_actor(*user),
            "use-recovery-code",
            "user",
            &user.to_string(),
        )
        .await?;
    }
    Ok(used)
}

/// The secret being set up: the one already offered (a reload shows the
/// same QR code), or a new one.
pub(crate) async fn pending_secret(pool: &PgPool, user: &Uuid) -> sqlx::Result<String> {
    if let Some(secret) = db::users::pending_totp_secret(pool, *user).await? {
        return Ok(secret);
    }
    let secret = second_factor::new_secret();
    db::users::set_pending_totp_secret(pool, *user, &secret).await?;
    Ok(secret)
}

/// The second factor confirmed by a code of step `step`, with new
/// recovery codes (the old ones no longer work).
pub(crate) async fn finish_setup(
    pool: &PgPool,
    user: &Uuid,
    secret: &str,
    step: i64,
    codes: &[String],
) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    db::users::confirm_totp_secret(&mut tx, *user, secret, step).await?;
    db::users::delete_recovery_codes(&mut tx, *user).await?;
    let digests: Vec<String> = codes.iter().map(|c| digest(c)).collect();
    db::users::insert_recovery_codes(&mut tx, *user, &digests).await?;
    audit::record(
        &mut tx,
        &user_actor(*user),
        "set-up-second-factor",
        "user",
        &user.to_string(),
    )
    .await?;
    tx.commit().await
}

/// Why a new password was not taken.
pub(crate) enum PasswordChange {
    /// Told on the form.
    Refused(&'static str),
    /// Hashing did not finish.
    Failed,
    Database(sqlx::Error),
}

impl From<sqlx::Error> for PasswordChange {
    fn from(e: sqlx::Error) -> Self {
        PasswordChange::Database(e)
    }
}

/// The person's own new password; their other browsers are signed out.
pub(crate) async fn change_password(
    pool: &PgPool,
    user: &SignedIn,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<(), PasswordChange> {
    use PasswordChange::Refused;
    let stored = db::users::password_hash(pool, user.user_id).await?;
    if !verify_off_thread(current.to_string(), stored).await {
        return Err(Refused("今のパスワードが違います。"));
    }
    if new.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Refused("新しいパスワードは12文字以上にしてください。"));
    }
    if new != confirm {
        return Err(Refused("確認のために入力したパスワードが一致しません。"));
    }
    if new == current || new.to_lowercase().contains(&user.login) {
        return Err(Refused(
            "今のパスワードやログインIDとは違うものにしてください。",
        ));
    }
    let new = new.to_string();
    let Ok(hash) = tokio::task::spawn_blocking(move || hash_password(&new)).await else {
        return Err(PasswordChange::Failed);
    };
    let Ok(hash) = hash else {
        return Err(Refused(
            "このパスワードは使えません。別のものにしてください。",
        ));
    };
    let mut tx = pool.begin().await?;
    db::users::set_password(&mut tx, user.user_id, &hash).await?;
    // Other browsers signed in as this person are signed out.
    db::sessions::end_others(&mut tx, user.user_id, &user.token_sha256).await?;
    audit::record(
        &mut tx,
        &user.audit_actor(),
        "change-password",
        "user",
        &user.user_id.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
