//! The clinic's accounts (医師・看護師・事務) and the screen lock: the first
//! administrator at first start, sign-in, lock and unlock (PIN or
//! password), the administrator's account list (add, reset a forgotten
//! password, disable; never the last administrator) and the idle time.
//! The rules are the domain's (`tsunagu_domain::account`).

mod password;
mod session;

use tsunagu_domain::account::{
    DEFAULT_LOCK_MINUTES, check_display_name, check_lock_minutes, check_login, check_password,
    check_pin,
};
use tsunagu_domain::{Capability, StaffRole};
use tsunagu_store::{AccountRecord, AuditAction, NewAccount, StoreError};
use uuid::Uuid;

pub use session::SignedIn;
pub(crate) use session::{Session, signed_out};

use crate::App;
use crate::error::{AppError, ErrorCode, FieldMessage};

const LOCK_MINUTES_KEY: &str = "session.lock_minutes";

/// What the window needs to know to show the right screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionView {
    /// No account yet: the first administrator is made now.
    pub first_account_needed: bool,
    pub account: Option<SignedIn>,
    pub locked: bool,
    /// The PIN may unlock (set, and not failed too often).
    pub pin_unlocks: bool,
    pub lock_minutes: u32,
}

/// An account as the administrator's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountView {
    pub id: Uuid,
    pub login: String,
    pub display_name: String,
    pub role: StaffRole,
    pub is_admin: bool,
    pub disabled: bool,
    pub must_change_password: bool,
}

/// A new account as typed: the password is the first one (at first start)
/// or a temporary one the administrator hands over.
#[derive(Debug, Clone, Default)]
pub struct AccountInput {
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub is_admin: bool,
    pub password: String,
}

impl App {
    pub async fn session_view(&self) -> Result<SessionView, AppError> {
        let first_account_needed = self.store.account_count().await? == 0;
        let lock_minutes = self.lock_minutes().await?;
        // Asking counts as nothing, but an idle session locks here too.
        let _ = self.require_unlocked().await;
        let session = self.session();
        Ok(SessionView {
            first_account_needed,
            account: session.account.clone(),
            locked: session.locked,
            pin_unlocks: session.pin_usable(),
            lock_minutes,
        })
    }

    /// The first start's administrator; only while there is no account.
    /// Signs them in.
    pub async fn create_first_account(
        &self,
        input: &AccountInput,
    ) -> Result<SessionView, AppError> {
        let record = self.insert_account(input, true, true, false).await?;
        self.session().account = Some(SignedIn::of(&record));
        self.session().record_success(self.clock.now());
        self.session_view().await
    }

    pub async fn sign_in(&self, login: &str, password: &str) -> Result<SessionView, AppError> {
        let now = self.clock.now();
        self.session().check_not_waiting(now)?;
        let login = login.trim().to_ascii_lowercase();
        let record = self
            .store
            .account_by_login(&login)
            .await?
            .filter(|r| r.disabled_at.is_none());
        let ok = match &record {
            Some(r) => {
                let (secret, stored) = (password.to_string(), r.password_hash.clone());
                password::off_thread(move || password::matches(&secret, &stored)).await?
            }
            None => false,
        };
        let Some(record) = record.filter(|_| ok) else {
            self.session().record_failure(now);
            self.audit_account_event(AuditAction::SignInFailed, &login)
                .await?;
            return Err(AppError::field(
                "password",
                "ログイン名またはパスワードが違います。",
            ));
        };
        {
            let mut session = self.session();
            session.account = Some(SignedIn::of(&record));
            session.record_success(now);
        }
        self.audit_account_event(AuditAction::SignIn, &record.login)
            .await?;
        self.session_view().await
    }

    /// Unlocks with the PIN (digits, while it may) or the password of the
    /// account that locked. Someone else signs out and in instead.
    pub async fn unlock(&self, secret: &str) -> Result<SessionView, AppError> {
        let now = self.clock.now();
        let (account, use_pin) = {
            let session = self.session();
            session.check_not_waiting(now)?;
            let Some(account) = session.account.clone() else {
                return Err(session::signed_out());
            };
            let digits = !secret.is_empty() && secret.chars().all(|c| c.is_ascii_digit());
            (account, digits && session.pin_usable())
        };
        let record = self.store.account(account.id).await?;
        let stored = if use_pin {
            record.pin_hash.clone().unwrap_or_default()
        } else {
            record.password_hash.clone()
        };
        let secret_owned = secret.to_string();
        let ok = record.disabled_at.is_none()
            && password::off_thread(move || password::matches(&secret_owned, &stored)).await?;
        if !ok {
            let message = {
                let mut session = self.session();
                session.record_failure(now);
                if use_pin {
                    session.pin_failures += 1;
                }
                if use_pin && !session.pin_usable() {
                    "PINの誤りが続いたため、パスワードで解除してください。"
                } else {
                    "PINまたはパスワードが違います。"
                }
            };
            self.audit_account_event(AuditAction::UnlockFailed, &account.login)
                .await?;
            return Err(AppError::field("secret", message));
        }
        self.session().record_success(now);
        self.session_view().await
    }

    /// ロック: the screen hides patient data until the account unlocks.
    /// Syncing and backups go on.
    pub fn lock(&self) {
        self.session().locked = true;
    }

    pub async fn sign_out(&self) -> Result<SessionView, AppError> {
        let login = self.session().account.take().map(|a| a.login);
        self.session().locked = false;
        if let Some(login) = login {
            self.audit_account_event(AuditAction::SignOut, &login)
                .await?;
        }
        self.session_view().await
    }

    /// The account's own new password (after a reset, the first thing
    /// asked); the old one is checked and counts as an attempt.
    pub async fn change_password(&self, old: &str, new: &str) -> Result<SessionView, AppError> {
        let account = self.require_unlocked().await?;
        let now = self.clock.now();
        self.session().check_not_waiting(now)?;
        let record = self.store.account(account.id).await?;
        let (old, stored) = (old.to_string(), record.password_hash.clone());
        if !password::off_thread(move || password::matches(&old, &stored)).await? {
            self.session().record_failure(now);
            return Err(AppError::field("oldPassword", "今のパスワードが違います。"));
        }
        check_password(new, &record.login).map_err(|e| AppError::field("newPassword", e.0))?;
        let hash = hash_off_thread(new).await?;
        self.store
            .set_account_password(account.id, &hash, false, &self.actor(), now)
            .await?;
        self.refresh_signed_in(account.id).await?;
        self.session_view().await
    }

    /// Sets (or with `None` removes) the account's own unlock PIN.
    pub async fn set_pin(&self, pin: Option<&str>) -> Result<SessionView, AppError> {
        let account = self.require_unlocked().await?;
        let hash = match pin {
            Some(pin) => {
                check_pin(pin).map_err(|e| AppError::field("pin", e.0))?;
                Some(hash_off_thread(pin).await?)
            }
            None => None,
        };
        self.store
            .set_account_pin(account.id, hash.as_deref(), &self.actor(), self.clock.now())
            .await?;
        self.refresh_signed_in(account.id).await?;
        self.session_view().await
    }

    pub async fn accounts(&self) -> Result<Vec<AccountView>, AppError> {
        self.require(Capability::Administer)?;
        Ok(self.store.accounts().await?.iter().map(view).collect())
    }

    /// The administrator adds an account with a temporary password, which
    /// the account must change at its first sign-in.
    pub async fn add_account(&self, input: &AccountInput) -> Result<Vec<AccountView>, AppError> {
        self.require(Capability::Administer)?;
        self.insert_account(input, false, input.is_admin, true)
            .await?;
        self.accounts().await
    }

    /// A forgotten password: the administrator sets a temporary one.
    pub async fn reset_password(
        &self,
        id: &str,
        temporary: &str,
    ) -> Result<Vec<AccountView>, AppError> {
        self.require(Capability::Administer)?;
        let id = crate::patients::parse_id(id)?;
        let record = self.store.account(id).await?;
        check_password(temporary, &record.login).map_err(|e| AppError::field("password", e.0))?;
        let hash = hash_off_thread(temporary).await?;
        self.store
            .set_account_password(id, &hash, true, &self.actor(), self.clock.now())
            .await?;
        self.accounts().await
    }

    /// Disables or enables an account; never the last administrator, and
    /// never one's own (the administrator would lock themselves out).
    pub async fn set_account_disabled(
        &self,
        id: &str,
        disabled: bool,
    ) -> Result<Vec<AccountView>, AppError> {
        self.require(Capability::Administer)?;
        let id = crate::patients::parse_id(id)?;
        if disabled && self.session().account.as_ref().is_some_and(|a| a.id == id) {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "自分のアカウントは無効にできません。",
            ));
        }
        self.store
            .set_account_disabled(id, disabled, &self.actor(), self.clock.now())
            .await?;
        self.accounts().await
    }

    /// The idle time before the app locks. Read from the store once, then
    /// kept with the session: every command from the window asks it.
    pub async fn lock_minutes(&self) -> Result<u32, AppError> {
        if let Some(minutes) = self.session().lock_minutes {
            return Ok(minutes);
        }
        let minutes = self
            .store
            .setting(LOCK_MINUTES_KEY)
            .await?
            .and_then(|text| text.parse().ok())
            .unwrap_or(DEFAULT_LOCK_MINUTES);
        self.session().lock_minutes = Some(minutes);
        Ok(minutes)
    }

    pub async fn set_lock_minutes(&self, minutes: u32) -> Result<SessionView, AppError> {
        self.require(Capability::Administer)?;
        let minutes =
            check_lock_minutes(minutes).map_err(|e| AppError::field("lockMinutes", e.0))?;
        self.store
            .put_setting(
                LOCK_MINUTES_KEY,
                &minutes.to_string(),
                &self.actor(),
                self.clock.now(),
            )
            .await?;
        self.session().lock_minutes = Some(minutes);
        self.session_view().await
    }

    async fn insert_account(
        &self,
        input: &AccountInput,
        first: bool,
        is_admin: bool,
        temporary: bool,
    ) -> Result<AccountRecord, AppError> {
        let mut fields = Vec::new();
        let mut check = |field: &str, result: Result<String, tsunagu_domain::Rejection>| {
            result
                .map_err(|e| fields.push(FieldMessage::new(field, e.0)))
                .ok()
        };
        let login = check("login", check_login(&input.login));
        let name = check("displayName", check_display_name(&input.display_name));
        let role = StaffRole::from_code(&input.role);
        let password = check(
            "password",
            check_password(&input.password, login.as_deref().unwrap_or_default())
                .map(|()| input.password.clone()),
        );
        if role.is_none() {
            fields.push(FieldMessage::new("role", "職種を選んでください。"));
        }
        let (Some(login), Some(name), Some(role), Some(password)) = (login, name, role, password)
        else {
            return Err(AppError::validation(fields));
        };
        let hash = hash_off_thread(&password).await?;
        let account = NewAccount {
            login: &login,
            display_name: &name,
            role,
            is_admin,
            password_hash: &hash,
            must_change_password: temporary,
        };
        let actor = if first {
            format!("account:{login}")
        } else {
            self.actor()
        };
        self.store
            .insert_account(Uuid::now_v7(), &account, first, &actor, self.clock.now())
            .await
            .map_err(|e| match e {
                StoreError::DuplicateLogin if first => AppError::new(
                    ErrorCode::Conflict,
                    "管理者のアカウントは既に作られています。サインインしてください。",
                ),
                other => other.into(),
            })
    }

    async fn refresh_signed_in(&self, id: Uuid) -> Result<(), AppError> {
        let record = self.store.account(id).await?;
        self.session().account = Some(SignedIn::of(&record));
        Ok(())
    }

    /// Sign-ins, sign-outs and failed attempts, in the local audit log.
    async fn audit_account_event(&self, action: AuditAction, login: &str) -> Result<(), AppError> {
        self.store
            .audit_session(action, login, self.clock.now())
            .await?;
        Ok(())
    }
}

fn view(record: &AccountRecord) -> AccountView {
    AccountView {
        id: record.id,
        login: record.login.clone(),
        display_name: record.display_name.clone(),
        role: record.role,
        is_admin: record.is_admin,
        disabled: record.disabled_at.is_some(),
        must_change_password: record.must_change_password,
    }
}

async fn hash_off_thread(secret: &str) -> Result<String, AppError> {
    let secret = secret.to_string();
    password::off_thread(move || password::hash(&secret)).await?
}
