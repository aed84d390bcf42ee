//! The clinic's settings, one JSON value per key; what the values mean is
//! the app's business.

use chrono::{DateTime, Utc};

use crate::Store;
use crate::audit::{self, AuditAction};
use crate::error::StoreResult;

impl Store {
    pub async fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn put_setting(
        &self,
        key: &str,
        value: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value,
               updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(key)
        .bind(value)
        .bind(now)
        .bind(actor)
        .execute(&mut *tx)
        .await?;
        audit::append(&mut tx, now, actor, AuditAction::Update, "setting", key).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Of `keys`, those not yet announced; all of them are marked announced.
    pub async fn first_notifications(
        &self,
        keys: &[String],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<String>> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut fresh = Vec::new();
        for key in keys {
            let inserted = sqlx::query(
                "INSERT OR IGNORE INTO notified_items (item_key, notified_at) VALUES (?, ?)",
            )
            .bind(key)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted == 1 {
                fresh.push(key.clone());
            }
        }
        tx.commit().await?;
        Ok(fresh)
    }
}
