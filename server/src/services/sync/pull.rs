//! A device's pull: its scope's changes after its cursor, a page at a
//! time. For the desk and hospitals, referrals whose consent was
//! withdrawn are no longer shown; each referral read is audited.

use std::collections::BTreeSet;

use sqlx::PgPool;
use tsunagu_protocol::{Change, ChangeBody, PullRequest, PullResponse};
use uuid::Uuid;

use crate::db;
use crate::model::Scope;
use crate::services::actor::device_actor;
use crate::services::audit;
use crate::services::enrollment::Device;
use crate::services::sync::frame::SyncError;

pub(crate) async fn pull(
    pool: &PgPool,
    device: &Device,
    request: &PullRequest,
) -> Result<PullResponse, SyncError> {
    let scope = Scope::of(&device.organisation);
    let limit = i64::from(request.limit.max(1));
    let kind = device.organisation.kind;
    let rows = db::feed::page(pool, scope, kind, request.cursor, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    let mut cursor = request.cursor;
    let mut changes = Vec::new();
    let mut read = BTreeSet::new();
    for row in rows.into_iter().take(limit as usize) {
        cursor = row.seq;
        if row.visible {
            let body: ChangeBody =
                serde_json::from_value(row.body).map_err(|_| SyncError::BadData)?;
            if body.since_version() <= request.version {
                read.extend(row.referral_id);
                changes.push(Change { seq: row.seq, body });
            }
        }
    }
    // Who read which referral: one row per referral in the page.
    if !read.is_empty() {
        let ids: Vec<String> = read.iter().map(Uuid::to_string).collect();
        audit::record_pulled(pool, &device_actor(device.id), &ids).await?;
    }
    Ok(PullResponse {
        changes,
        cursor,
        more,
        epoch: Some(db::sync_log::epoch(pool).await?),
    })
}
