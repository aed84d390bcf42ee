//! This install's enrollment with the regional server. The device's secret
//! lives in the OS keyring beside the store key (see `KeyringKeys`).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::Store;
use crate::audit::{self, AuditAction};
use crate::error::StoreResult;
use crate::sql::Id;

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
        let row: Option<(String, Id, Id, String, DateTime<Utc>)> = sqlx::query_as(
            "SELECT server_url, device_id, organisation_id, organisation_name, enrolled_at
             FROM sync_device WHERE id = 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(
            |(server_url, device, organisation, organisation_name, at)| SyncDevice {
                server_url,
                device_id: device.0,
                organisation_id: organisation.0,
                organisation_name,
                enrolled_at: at,
            },
        ))
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
        .bind(Id(device.device_id))
        .bind(Id(device.organisation_id))
        .bind(&device.organisation_name)
        .bind(device.enrolled_at)
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

/// Where this install stands with the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncProgress {
    /// The last change of the feed applied here.
    pub cursor: i64,
    /// The last complete exchange (push and pull).
    pub last_synced_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed (Japanese, no patient data).
    pub last_error: Option<String>,
    pub pending: i64,
    pub refused: i64,
    /// The server database's lifetime as last seen (see `adopt_epoch`).
    pub epoch: Option<Uuid>,
}

/// What a pull's epoch meant for this install.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpochCheck {
    /// The same server as before (or the first one seen).
    Same,
    /// The server was restored: the cursor went back to the start and
    /// everything this store holds was queued again.
    Restored,
}

impl Store {
    /// `None` before enrollment.
    pub async fn sync_progress(&self) -> StoreResult<Option<SyncProgress>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            cursor: i64,
            last_synced_at: Option<DateTime<Utc>>,
            last_attempt_at: Option<DateTime<Utc>>,
            last_error: Option<String>,
            pending: i64,
            refused: i64,
            server_epoch: Option<Id>,
        }
        let row: Option<Row> = sqlx::query_as(
            "SELECT cursor, last_synced_at, last_attempt_at, last_error, server_epoch,
               (SELECT count(*) FROM sync_outbox WHERE state = 'pending') AS pending,
               (SELECT count(*) FROM sync_outbox WHERE state = 'refused') AS refused
             FROM sync_device WHERE id = 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|row| SyncProgress {
            cursor: row.cursor,
            last_synced_at: row.last_synced_at,
            last_attempt_at: row.last_attempt_at,
            last_error: row.last_error,
            pending: row.pending,
            refused: row.refused,
            epoch: row.server_epoch.map(Uuid::from),
        }))
    }

    /// Compares the server's `epoch` with the one last seen. A different
    /// one means the server was restored from a backup: its feed numbers
    /// run again from an earlier point, so the cursor goes back to the
    /// start, the feed positions of events are forgotten (the feed gives
    /// them anew), and everything is queued to be sent again — in one
    /// transaction, audited.
    pub async fn adopt_epoch(
        &self,
        epoch: Uuid,
        now: DateTime<Utc>,
        actor: &str,
    ) -> StoreResult<EpochCheck> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let seen: Option<Option<Id>> =
            sqlx::query_scalar("SELECT server_epoch FROM sync_device WHERE id = 1")
                .fetch_optional(&mut *tx)
                .await?;
        let check = match seen {
            // Not enrolled (any more): nothing to compare.
            None => return Ok(EpochCheck::Same),
            Some(None) => EpochCheck::Same,
            Some(Some(seen)) if seen.0 == epoch => return Ok(EpochCheck::Same),
            Some(Some(_)) => EpochCheck::Restored,
        };
        if check == EpochCheck::Restored {
            sqlx::query("UPDATE sync_device SET cursor = 0 WHERE id = 1")
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM synced_events")
                .execute(&mut *tx)
                .await?;
            crate::directory::forget_through(&mut tx).await?;
            crate::outbox::requeue_everything(&mut tx, now).await?;
            audit::append(
                &mut tx,
                now,
                actor,
                AuditAction::Update,
                "sync-device",
                "server-restored",
            )
            .await?;
        }
        sqlx::query("UPDATE sync_device SET server_epoch = ? WHERE id = 1")
            .bind(Id(epoch))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(check)
    }

    /// Notes an attempt to sync and, if it failed, why.
    pub async fn record_sync_attempt(
        &self,
        at: DateTime<Utc>,
        error: Option<&str>,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE sync_device SET last_attempt_at = ?, last_error = ? WHERE id = 1")
            .bind(at)
            .bind(error)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The registered hospital of this exact name, if there is one.
    pub async fn registered_hospital_named(&self, name: &str) -> StoreResult<Option<Uuid>> {
        let id: Option<Id> = sqlx::query_scalar(
            "SELECT id FROM regional_organisations WHERE kind = 'hospital' AND name = ?
             ORDER BY id LIMIT 1",
        )
        .bind(name)
        .fetch_optional(&self.pool)
        .await?;
        Ok(id.map(Uuid::from))
    }

    /// The registered hospital the referral is with, as the region last
    /// said (addressed, assigned by the desk, claimed or transferred to).
    pub async fn referral_holder(&self, referral: Uuid) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT o.name FROM referrals r JOIN regional_organisations o
               ON o.id = r.destination_org_id WHERE r.id = ?",
        )
        .bind(Id(referral))
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The hospitals registered on the server (as listed to the clinic for
    /// letters), by name, each with whether the desk has stopped it (as
    /// the directory of protocol 5 says; a hospital the directory does not
    /// list is taken as taking part).
    pub async fn registered_hospitals(&self) -> StoreResult<Vec<(Uuid, String, bool)>> {
        let rows: Vec<(Id, String, bool)> = sqlx::query_as(
            "SELECT o.id, o.name, coalesce(d.stopped, 0) FROM regional_organisations o
             LEFT JOIN team_directory d ON d.id = o.id
             WHERE o.kind = 'hospital' ORDER BY o.name, o.id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, stopped)| (id.0, name, stopped))
            .collect())
    }

    /// The organisations registered on the server, by kind then name.
    pub async fn regional_organisations(&self) -> StoreResult<Vec<(Uuid, String, String)>> {
        let rows: Vec<(Id, String, String)> =
            sqlx::query_as("SELECT id, kind, name FROM regional_organisations ORDER BY kind, name")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(|(id, kind, name)| (id.0, kind, name))
            .collect())
    }
}
