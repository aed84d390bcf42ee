//! Who is at the PC: the signed-in account, whether the screen is locked,
//! and when it was last used. Kept in memory only: a restarted app starts
//! signed out. The lock is enforced here, for every command the window
//! sends (the desktop asks [`App::require_unlocked`] before each), not
//! only by hiding the screen.

use chrono::{DateTime, Duration, Utc};
use tsunagu_domain::account::{MAX_PIN_FAILURES, idle_long_enough};
use tsunagu_domain::{Capability, StaffRole, permits};
use tsunagu_store::AccountRecord;
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, ErrorCode};

/// The account at the PC, as the app needs it (no hashes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub id: Uuid,
    pub login: String,
    pub display_name: String,
    pub role: StaffRole,
    pub is_admin: bool,
    pub must_change_password: bool,
    pub has_pin: bool,
}

impl SignedIn {
    pub(crate) fn of(record: &AccountRecord) -> SignedIn {
        SignedIn {
            id: record.id,
            login: record.login.clone(),
            display_name: record.display_name.clone(),
            role: record.role,
            is_admin: record.is_admin,
            must_change_password: record.must_change_password,
            has_pin: record.pin_hash.is_some(),
        }
    }

    /// How the account appears in the audit log and in histories.
    pub fn actor(&self) -> String {
        format!("account:{}", self.login)
    }
}

#[derive(Debug, Default)]
pub(crate) struct Session {
    pub account: Option<SignedIn>,
    pub locked: bool,
    pub last_activity: Option<DateTime<Utc>>,
    pub pin_failures: u32,
    /// Failed sign-ins or unlocks in a row; from the fifth on, each next
    /// attempt waits (30 s, doubling, at most 15 minutes).
    pub failures: u32,
    pub wait_until: Option<DateTime<Utc>>,
    /// The lock time as last read or set (see `App::lock_minutes`).
    pub lock_minutes: Option<u32>,
}

/// Failed attempts allowed before the waits start.
const FREE_FAILURES: u32 = 5;

impl Session {
    pub(crate) fn record_failure(&mut self, now: DateTime<Utc>) {
        self.failures += 1;
        if self.failures >= FREE_FAILURES {
            let doublings = (self.failures - FREE_FAILURES).min(5);
            let wait = Duration::seconds(30 * (1 << doublings)).min(Duration::minutes(15));
            self.wait_until = Some(now + wait);
        }
    }

    pub(crate) fn record_success(&mut self, now: DateTime<Utc>) {
        self.failures = 0;
        self.pin_failures = 0;
        self.wait_until = None;
        self.locked = false;
        self.last_activity = Some(now);
    }

    /// Refuses an attempt made during the wait after repeated failures.
    pub(crate) fn check_not_waiting(&self, now: DateTime<Utc>) -> Result<(), AppError> {
        match self.wait_until {
            Some(until) if until > now => {
                let seconds = (until - now).num_seconds().max(1);
                Err(AppError::new(
                    ErrorCode::Validation,
                    format!(
                        "パスワードの誤りが続いたため、{seconds}秒後にもう一度お試しください。"
                    ),
                ))
            }
            _ => Ok(()),
        }
    }

    pub(crate) fn pin_usable(&self) -> bool {
        self.account.as_ref().is_some_and(|a| a.has_pin) && self.pin_failures < MAX_PIN_FAILURES
    }
}

impl App {
    pub(crate) fn session(&self) -> std::sync::MutexGuard<'_, Session> {
        match self.session.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Who acts, for the audit log and histories: the signed-in account,
    /// or (before any sign-in: background sync, backups, tests) the
    /// process's own name.
    pub(crate) fn actor(&self) -> String {
        self.session()
            .account
            .as_ref()
            .map_or_else(|| self.actor.clone(), SignedIn::actor)
    }

    /// The signed-in account if the screen is unlocked and the app has not
    /// been idle past the lock time (then it locks now). Every command from
    /// the window passes here first. It does not count as use: the window's
    /// own timers (the sync indicator, the worklist) call commands too, and
    /// would keep an unattended app open; only [`App::still_here`] does.
    pub async fn require_unlocked(&self) -> Result<SignedIn, AppError> {
        let minutes = self.lock_minutes().await?;
        let now = self.clock.now();
        let mut session = self.session();
        let Some(account) = session.account.clone() else {
            return Err(signed_out());
        };
        let idle = session
            .last_activity
            .is_some_and(|at| idle_long_enough(at, now, minutes));
        if idle {
            session.locked = true;
        }
        if session.locked {
            return Err(locked());
        }
        Ok(account)
    }

    /// Someone is at work in the window (typing, the mouse): the idle time
    /// starts again. Refused once the app has locked.
    pub async fn still_here(&self) -> Result<SignedIn, AppError> {
        let account = self.require_unlocked().await?;
        self.session().last_activity = Some(self.clock.now());
        Ok(account)
    }

    /// Refuses an action the signed-in account's role does not allow. An
    /// app opened without accounts (tests, tools on the developer's PC)
    /// has no session and is not asked.
    pub(crate) fn require(&self, capability: Capability) -> Result<(), AppError> {
        if !self.accounts_required {
            return Ok(());
        }
        let session = self.session();
        let Some(account) = &session.account else {
            return Err(signed_out());
        };
        if permits(account.role, account.is_admin, capability) {
            Ok(())
        } else {
            Err(AppError::new(
                ErrorCode::Forbidden,
                tsunagu_domain::account::refusal_ja(capability),
            ))
        }
    }
}

pub(crate) fn signed_out() -> AppError {
    AppError::new(ErrorCode::SignedOut, "サインインしてください。")
}

pub(crate) fn locked() -> AppError {
    AppError::new(
        ErrorCode::Locked,
        "しばらく操作がなかったため、画面をロックしました。",
    )
}
