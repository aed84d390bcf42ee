//! This install's enrollment with the regional server. The device's secret
//! lives in the OS keyring beside the store key (see `KeyringKeys`).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::Store;
use crate::audit::{self, AuditAction, parse_time};
use crate::error::{StoreError, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncDevice {
    pub server_url: String,
    pub device_id: Uuid,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub enrolled_at: DateTime<Utc>,
}

impl Store {
    pub async fn sync_device(&self) -> StoreResult<Option<SyncDevice>> {
        let row: Option<(String, String, String, String, String)> = sqlx::query_as(
            "SELECT server_url, device_id, organisation_id, organisation_name, enrolled_at
             FROM sync_device WHERE id = 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        row.map(
            |(server_url, device, organisation, organisation_name, at)| {
                let id = |t: &str| Uuid::parse_str(t).map_err(|_| StoreError::Corrupt("id"));
                Ok(SyncDevice {
                    server_url,
                    device_id: id(&device)?,
                    organisation_id: id(&organisation)?,
                    organisation_name,
                    enrolled_at: parse_time(&at)?,
                })
            },
        )
        .transpose()
    }

    /// Records the enrollment (replacing an earlier one), audited.
    pub async fn save_sync_device(&self, device: &SyncDevice, actor: &str) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query(
            "INSERT OR REPLACE INTO sync_device
             (id, server_url, device_id, organisation_id, organisation_name, enrolled_at)
             VALUES (1, ?, ?, ?, ?, ?)",
        )
        .bind(&device.server_url)
        .bind(device.device_id.to_string())
        .bind(device.organisation_id.to_string())
        .bind(&device.organisation_name)
        .bind(device.enrolled_at.to_rfc3339())
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            device.enrolled_at,
            actor,
            AuditAction::Create,
            "sync-device",
            &device.device_id.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
