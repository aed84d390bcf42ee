//! Signing in: login and password (Argon2id), then the second factor (a
//! TOTP code, or a recovery code), set up at the first sign-in. The first
//! password is replaced before anything else.
//!
//! Throttling, not lock-out: every attempt (password, code, the old
//! password when changing it) is counted before it is tried, by login and
//! by address, and given back if it succeeds. Beyond a few failures each
//! further attempt waits longer (doubling, up to a cap), so a stranger who
//! knows a login can slow that person down but never lock them out; the
//! desk's administrator can clear a login's failures at once.

use std::sync::OnceLock;

use sqlx::PgPool;
use uuid::Uuid;

use crate::db;
use crate::db::attempts::Recent;
use crate::model::Approval;
use crate::services::accounts::hash_password;
use crate::services::actor::user_actor;
use crate::services::audit;
use crate::services::hashing::{Busy, HashingGate};
use crate::services::second_factor;
use crate::services::sessions::{SignedIn, digest};

/// Failed sign-ins for one login within [`FAILURE_WINDOW_MINUTES`] before
/// each further attempt must wait; from one address, more (a hospital
/// shares one address).
pub const MAX_LOGIN_FAILURES: i64 = 5;
pub const MAX_ADDRESS_FAILURES: i64 = 30;
/// The first wait, doubled with each further failure up to [`MAX_WAIT_SECONDS`].
pub const FIRST_WAIT_SECONDS: f64 = 30.0;
pub const MAX_WAIT_SECONDS: f64 = 15.0 * 60.0;
/// Failures older than this no longer count.
const FAILURE_WINDOW_MINUTES: i32 = 60;
const MIN_PASSWORD_CHARS: usize = 12;

/// A hash to verify against when the login does not exist, so that the
/// answer takes as long as for one that does.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password").unwrap_or_default())
}

/// Seconds still to wait on a key with `recent` failures, `free` of which
/// cost nothing.
pub(crate) fn seconds_to_wait(recent: Recent, free: i64) -> u64 {
    if recent.count < free {
        return 0;
    }
    let doublings = (recent.count - free).min(30) as i32;
    let wait = (FIRST_WAIT_SECONDS * 2f64.powi(doublings)).min(MAX_WAIT_SECONDS);
    (wait - recent.seconds_since_last).max(0.0).ceil() as u64
}

/// A sign-in attempt, counted as failed unless [`succeeded`] gives it back.
#[must_use]
pub(crate) struct Attempt(Uuid);

/// Whether an attempt may be made now.
pub(crate) enum Turn {
    Go(Attempt),
    /// Seconds to wait first.
    Wait(u64),
}

/// Counts an attempt for `login` from `address`, unless either must wait:
/// one step under both keys' locks, so simultaneous attempts take turns.
pub(crate) async fn begin_attempt(pool: &PgPool, login: &str, address: &str) -> sqlx::Result<Turn> {
    let mut tx = pool.begin().await?;
    // Always the login's key first, then the address's: no deadlock.
    db::attempts::lock_key(&mut tx, "login", login).await?;
    db::attempts::lock_key(&mut tx, "address", address).await?;
    let (by_login, by_address) =
        db::attempts::login_failures(&mut tx, login, address, FAILURE_WINDOW_MINUTES).await?;
    let wait = seconds_to_wait(by_login, MAX_LOGIN_FAILURES)
        .max(seconds_to_wait(by_address, MAX_ADDRESS_FAILURES));
    if wait > 0 {
        tx.rollback().await?;
        return Ok(Turn::Wait(wait));
    }
    let id = Uuid::now_v7();
    db::attempts::add_login_failure(&mut tx, id, login, address).await?;
    tx.commit().await?;
    Ok(Turn::Go(Attempt(id)))
}

pub(crate) use crate::services::audit::FailedStep;

/// A failed attempt: it stays counted (see `begin_attempt`) and is
/// audited for good.
pub(crate) async fn record_failure(
    pool: &PgPool,
    login: &str,
    step: FailedStep,
) -> sqlx::Result<()> {
    crate::services::audit::record_failed_sign_in(pool, login, step).await
}

/// The attempt succeeded (or was never tried): it no longer counts.
pub(crate) async fn give_back(pool: &PgPool, attempt: Attempt) -> sqlx::Result<()> {
    db::attempts::forget_login_failure(pool, attempt.0).await
}

/// Why a password could not be checked.
pub(crate) enum CheckError {
    /// Too many password checks at once.
    Busy,
    Database(sqlx::Error),
}

impl From<sqlx::Error> for CheckError {
    fn from(e: sqlx::Error) -> Self {
        CheckError::Database(e)
    }
}

impl From<Busy> for CheckError {
    fn from(_: Busy) -> Self {
        CheckError::Busy
    }
}

/// An account whose password was right.
pub(crate) struct Checked {
    pub user: Uuid,
    pub has_second_factor: bool,
    /// Created by its organisation's administrator, not yet approved by
    /// the desk: it may not sign in yet.
    pub pending: bool,
}

/// The account, if the password is right. A login that does not exist
/// takes as long to refuse.
pub(crate) async fn check_password(
    pool: &PgPool,
    hashing: &HashingGate,
    login: &str,
    password: String,
) -> Result<Option<Checked>, CheckError> {
    let found = db::users::for_sign_in(pool, login).await?;
    let (hash, user) = match found {
        Some((id, hash, has_totp, approval)) => (
            hash,
            Some(Checked {
                user: id,
                has_second_factor: has_totp,
                pending: approval != Approval::Approved.code(),
            }),
        ),
        None => (decoy_hash().to_string(), None),
    };
    let verified = hashing.verify(password, hash).await?;
    Ok(user.filter(|_| verified))
}

/// Marks a second-factor attempt in flight on this session; false if one
/// already is.
pub(crate) async fn claim_factor_attempt(pool: &PgPool, user: &SignedIn) -> sqlx::Result<bool> {
    db::sessions::claim_factor_attempt(pool, &user.token_sha256).await
}

pub(crate) async fn release_factor_attempt(pool: &PgPool, user: &SignedIn) -> sqlx::Result<()> {
    db::sessions::release_factor_attempt(pool, &user.token_sha256).await
}

/// Clears a login's counted failures (the desk administrator's unlock),
/// audited; the number cleared.
pub(crate) async fn unlock(pool: &PgPool, actor: &str, user: Uuid) -> sqlx::Result<Option<u64>> {
    let mut tx = pool.begin().await?;
    let Some(login) = db::users::login_of(&mut *tx, user).await? else {
        return Ok(None);
    };
    let cleared = db::attempts::forget_login_failures_of(&mut tx, &login).await?;
    audit::record(&mut tx, actor, "unlock-sign-in", "user", &user.to_string()).await?;
    tx.commit().await?;
    Ok(Some(cleared))
}

/// Logins now made to wait, with their recent failures (the
/// administrator's list).
pub(crate) async fn logins_failing(pool: &PgPool) -> sqlx::Result<Vec<(String, i64)>> {
    let failing = db::attempts::logins_failing(pool, FAILURE_WINDOW_MINUTES).await?;
    Ok(failing
        .into_iter()
        .filter(|(_, count)| *count >= MAX_LOGIN_FAILURES)
        .collect())
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
    /// Too many wrong old passwords: seconds to wait.
    Wait(u64),
    /// Too many password checks at once.
    Busy,
    Database(sqlx::Error),
}

impl From<sqlx::Error> for PasswordChange {
    fn from(e: sqlx::Error) -> Self {
        PasswordChange::Database(e)
    }
}

impl From<Busy> for PasswordChange {
    fn from(_: Busy) -> Self {
        PasswordChange::Busy
    }
}

/// The person's own new password; their other browsers are signed out.
/// The old password is an attempt like a sign-in's, counted the same way.
pub(crate) async fn change_password(
    pool: &PgPool,
    hashing: &HashingGate,
    address: &str,
    user: &SignedIn,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<(), PasswordChange> {
    use PasswordChange::Refused;
    let attempt = match begin_attempt(pool, &user.login, address).await? {
        Turn::Go(attempt) => attempt,
        Turn::Wait(seconds) => return Err(PasswordChange::Wait(seconds)),
    };
    let stored = db::users::password_hash(pool, user.user_id).await?;
    let verified = match hashing.verify(current.to_string(), stored).await {
        Ok(verified) => verified,
        Err(Busy) => {
            give_back(pool, attempt).await?;
            return Err(PasswordChange::Busy);
        }
    };
    if !verified {
        return Err(Refused("今のパスワードが違います。"));
    }
    give_back(pool, attempt).await?;
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
    let Ok(hash) = hashing.hash(new.to_string()).await? else {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn recent(count: i64, seconds_since_last: f64) -> Recent {
        Recent {
            count,
            seconds_since_last,
        }
    }

    #[test]
    fn waits_begin_after_the_free_failures_double_and_stop_at_the_cap() {
        assert_eq!(seconds_to_wait(recent(4, 0.0), 5), 0);
        assert_eq!(seconds_to_wait(recent(5, 0.0), 5), 30);
        assert_eq!(seconds_to_wait(recent(5, 10.0), 5), 20);
        assert_eq!(seconds_to_wait(recent(5, 31.0), 5), 0, "waited long enough");
        assert_eq!(seconds_to_wait(recent(6, 0.0), 5), 60);
        assert_eq!(seconds_to_wait(recent(8, 0.0), 5), 240);
        assert_eq!(seconds_to_wait(recent(500, 0.0), 5), 900, "never more");
    }
}
