//! The clinic's accounts: who may open the app. The hashes come from the
//! app (Argon2id); the rules (roles, what is a valid login) from the
//! domain. Each change is audited in the same transaction.

use chrono::{DateTime, Utc};
use tsunagu_domain::StaffRole;
use uuid::Uuid;

use crate::Store;
use crate::audit::{self, AuditAction};
use crate::error::{StoreError, StoreResult};
use crate::sql::Id;

const ENTITY: &str = "account";

/// An account as stored, hashes included: never leaves the app crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRecord {
    pub id: Uuid,
    pub login: String,
    pub display_name: String,
    pub role: StaffRole,
    pub is_admin: bool,
    pub password_hash: String,
    pub pin_hash: Option<String>,
    pub must_change_password: bool,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
}

/// A new account's fields, hashed.
#[derive(Debug, Clone)]
pub struct NewAccount<'a> {
    pub login: &'a str,
    pub display_name: &'a str,
    pub role: StaffRole,
    pub is_admin: bool,
    pub password_hash: &'a str,
    pub must_change_password: bool,
}

type AccountRow = (
    Id,
    String,
    String,
    String,
    bool,
    String,
    Option<String>,
    bool,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

/// The columns an [`AccountRow`] reads, as a literal for `concat!`.
macro_rules! account_columns {
    () => {
        "SELECT id, login, display_name, role, is_admin, password_hash, pin_hash,
             must_change_password, created_at, disabled_at FROM accounts"
    };
}

fn record(row: AccountRow) -> StoreResult<AccountRecord> {
    let (id, login, display_name, role, is_admin, password_hash, pin_hash, must, created, disabled) =
        row;
    Ok(AccountRecord {
        id: id.into(),
        login,
        display_name,
        role: StaffRole::from_code(&role).ok_or(StoreError::Corrupt("account role"))?,
        is_admin,
        password_hash,
        pin_hash,
        must_change_password: must,
        created_at: created,
        disabled_at: disabled,
    })
}

impl Store {
    pub async fn account_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM accounts")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Every account, enabled first, then by login.
    pub async fn accounts(&self) -> StoreResult<Vec<AccountRecord>> {
        let rows: Vec<AccountRow> = sqlx::query_as(concat!(
            account_columns!(),
            " ORDER BY disabled_at IS NOT NULL, login"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(record).collect()
    }

    pub async fn account_by_login(&self, login: &str) -> StoreResult<Option<AccountRecord>> {
        let row: Option<AccountRow> =
            sqlx::query_as(concat!(account_columns!(), " WHERE login = ?"))
                .bind(login)
                .fetch_optional(&self.pool)
                .await?;
        row.map(record).transpose()
    }

    pub async fn account(&self, id: Uuid) -> StoreResult<AccountRecord> {
        let row: AccountRow = sqlx::query_as(concat!(account_columns!(), " WHERE id = ?"))
            .bind(Id(id))
            .fetch_one(&self.pool)
            .await?;
        record(row)
    }

    /// Adds an account. With `only_if_none`, only while the store has no
    /// account at all (the first administrator, made at first start).
    pub async fn insert_account(
        &self,
        id: Uuid,
        account: &NewAccount<'_>,
        only_if_none: bool,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<AccountRecord> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        if only_if_none {
            let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts")
                .fetch_one(&mut *tx)
                .await?;
            if existing > 0 {
                return Err(StoreError::DuplicateLogin);
            }
        }
        sqlx::query(
            "INSERT INTO accounts (id, login, display_name, role, is_admin, password_hash,
                 must_change_password, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(Id(id))
        .bind(account.login)
        .bind(account.display_name)
        .bind(account.role.code())
        .bind(account.is_admin)
        .bind(account.password_hash)
        .bind(account.must_change_password)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            now,
            actor,
            AuditAction::Create,
            ENTITY,
            &id.to_string(),
        )
        .await?;
        tx.commit().await?;
        self.account(id).await
    }

    /// A new password hash (a reset by the administrator sets
    /// `must_change`; the account's own change clears it). Any PIN goes:
    /// it was set under the old password.
    pub async fn set_account_password(
        &self,
        id: Uuid,
        password_hash: &str,
        must_change: bool,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.update_account(
            id,
            "UPDATE accounts SET password_hash = ?, must_change_password = ?, pin_hash = NULL
             WHERE id = ?",
            (Some(password_hash), Some(must_change)),
            actor,
            now,
        )
        .await
    }

    pub async fn set_account_pin(
        &self,
        id: Uuid,
        pin_hash: Option<&str>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.update_account(
            id,
            "UPDATE accounts SET pin_hash = ? WHERE id = ?",
            (pin_hash, None),
            actor,
            now,
        )
        .await
    }

    /// Disables (`Some(now)`) or enables (`None`) an account; the last
    /// enabled administrator is refused (`LastAdministrator`).
    pub async fn set_account_disabled(
        &self,
        id: Uuid,
        disabled: bool,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let changed = sqlx::query("UPDATE accounts SET disabled_at = ? WHERE id = ?")
            .bind(disabled.then_some(now))
            .bind(Id(id))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        let action = if disabled {
            AuditAction::Delete
        } else {
            AuditAction::Restore
        };
        audit::append(&mut tx, now, actor, action, ENTITY, &id.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_account(
        &self,
        id: Uuid,
        statement: &'static str,
        (text, flag): (Option<&str>, Option<bool>),
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut query = sqlx::query(statement).bind(text);
        if let Some(flag) = flag {
            query = query.bind(flag);
        }
        let changed = query.bind(Id(id)).execute(&mut *tx).await?.rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        audit::append(
            &mut tx,
            now,
            actor,
            AuditAction::Update,
            ENTITY,
            &id.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
