//! A device's pull: its scope's changes after its cursor, a page at a
//! time. For the desk and hospitals, referrals whose consent was
//! withdrawn are no longer shown; each referral read is audited.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::value::RawValue;
use sqlx::PgPool;
use tsunagu_protocol::PullRequest;
use uuid::Uuid;

use crate::db;
use crate::model::Scope;
use crate::services::actor::device_actor;
use crate::services::audit;
use crate::services::enrollment::Device;
use crate::services::sync::frame::SyncError;

/// The protocol's `PullResponse` as sent: each change's body is the JSON
/// the server stored when it appended it (from a `ChangeBody`), passed on
/// without being decoded and encoded again — a first sync reads hundreds
/// of thousands. The fields, their names and order are `PullResponse`'s,
/// and the device decodes it as one (tested in `tests`, below).
#[derive(Debug, Serialize)]
pub(crate) struct PullPage {
    changes: Vec<PulledChange>,
    cursor: i64,
    more: bool,
    epoch: Option<Uuid>,
}

/// The protocol's `Change`, its body as stored.
#[derive(Debug, Serialize)]
struct PulledChange {
    seq: i64,
    body: Box<RawValue>,
}

pub(crate) async fn pull(
    pool: &PgPool,
    device: &Device,
    request: &PullRequest,
) -> Result<PullPage, SyncError> {
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
        // A change the device's version cannot read is left out; the
        // cursor passes it all the same.
        if row.visible && row.since_version <= i32::from(request.version) {
            let body = RawValue::from_string(row.body).map_err(|_| SyncError::BadData)?;
            read.extend(row.referral_id);
            changes.push(PulledChange { seq: row.seq, body });
        }
    }
    // Who read which referral: one row per referral in the page.
    if !read.is_empty() {
        let ids: Vec<String> = read.iter().map(Uuid::to_string).collect();
        audit::record_pulled(pool, &device_actor(device.id), &ids).await?;
    }
    Ok(PullPage {
        changes,
        cursor,
        more,
        epoch: Some(db::sync_log::epoch(pool).await?),
    })
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use tsunagu_protocol::{
        Change, ChangeBody, PullResponse, TeamChangeBody, WireEvent, WireEventDetails, WireSource,
    };

    use super::*;

    /// The page as sent decodes into the `PullResponse` the device would
    /// have read had the server decoded and re-encoded the bodies (that
    /// PostgreSQL's text of every kind of change reads back as the change:
    /// `tests/feed_versions.rs`).
    #[test]
    fn a_page_of_stored_bodies_reads_as_the_protocols_pull_response() {
        let at = Utc.with_ymd_and_hms(2026, 5, 14, 9, 30, 0).unwrap();
        let bodies = vec![
            ChangeBody::ReferralOpened {
                referral_id: Uuid::now_v7(),
                patient_id: Uuid::now_v7(),
                tracking_code: "AB12-CD34".into(),
                recorded_at: at,
                without_letter: false,
            },
            ChangeBody::EventAppended {
                referral_id: Uuid::now_v7(),
                event: WireEvent {
                    id: Uuid::now_v7(),
                    details: Some(WireEventDetails::Received {
                        date: at.date_naive(),
                    }),
                    voids: None,
                    note: "「至急」\n\\ \"確認\"".into(),
                },
                source: WireSource::Liaison,
                actor: "豊島中央病院 地域連携室 山本".into(),
                recorded_at: at,
            },
            ChangeBody::Team(TeamChangeBody::Started {
                team_id: Uuid::now_v7(),
                patient_id: Uuid::now_v7(),
                started_at: at,
            }),
        ];
        let epoch = Uuid::now_v7();
        let page = PullPage {
            changes: bodies
                .iter()
                .enumerate()
                .map(|(i, body)| PulledChange {
                    seq: i as i64 + 7,
                    body: serde_json::value::to_raw_value(body).unwrap(),
                })
                .collect(),
            cursor: 12,
            more: true,
            epoch: Some(epoch),
        };
        let decoded = PullResponse {
            changes: bodies
                .into_iter()
                .enumerate()
                .map(|(i, body)| Change {
                    seq: i as i64 + 7,
                    body,
                })
                .collect(),
            cursor: 12,
            more: true,
            epoch: Some(epoch),
        };
        let sent = serde_json::to_vec(&page).unwrap();
        assert_eq!(
            serde_json::from_slice::<PullResponse>(&sent).unwrap(),
            decoded
        );
        // Around the bodies, byte for byte what re-encoding sent.
        assert_eq!(sent, serde_json::to_vec(&decoded).unwrap());
    }
}
