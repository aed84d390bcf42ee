//! The regional server: enrollment, sync state, conflicts and reports.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

/// This install's enrollment with the regional server.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub server_url: String,
    pub organisation_name: String,
    pub device_id: String,
    /// RFC 3339.
    pub enrolled_at: String,
}

impl From<app::SyncView> for SyncStatus {
    fn from(v: app::SyncView) -> Self {
        SyncStatus {
            server_url: v.server_url,
            organisation_name: v.organisation_name,
            device_id: v.device_id.to_string(),
            enrolled_at: v.enrolled_at.to_rfc3339(),
        }
    }
}

/// The enrollment form as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct EnrollInput {
    pub server_url: String,
    pub code: String,
    pub device_name: String,
}

/// 最終同期 and what waits to be sent.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncState {
    /// RFC 3339; `None` before the first complete exchange.
    pub last_synced_at: Option<String>,
    pub last_attempt_at: Option<String>,
    /// Why the last attempt failed, in Japanese.
    pub last_error: Option<String>,
    pub pending: i64,
    pub refused: i64,
    /// Rises when a background exchange brings news: the UI reloads.
    #[ts(type = "number")]
    pub news_arrivals: u64,
}

impl From<app::SyncState> for SyncState {
    fn from(s: app::SyncState) -> Self {
        SyncState {
            last_synced_at: s.last_synced_at.map(|t| t.to_rfc3339()),
            last_attempt_at: s.last_attempt_at.map(|t| t.to_rfc3339()),
            last_error: s.last_error,
            pending: s.pending,
            refused: s.refused,
            news_arrivals: s.news_arrivals,
        }
    }
}

/// A change the server refused.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncConflict {
    pub what: String,
    pub patient_id: String,
    pub patient_name: String,
    pub reason: String,
    /// RFC 3339.
    pub at: String,
}

impl From<app::SyncConflict> for SyncConflict {
    fn from(c: app::SyncConflict) -> Self {
        SyncConflict {
            what: c.what.to_string(),
            patient_id: c.patient_id.to_string(),
            patient_name: c.patient_name,
            reason: c.reason,
            at: c.at.to_rfc3339(),
        }
    }
}

/// What 今すぐ同期 did.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    pub pushed: u32,
    pub refused: u32,
    pub pulled: u32,
    pub news: u32,
}

impl From<app::SyncReport> for SyncReport {
    fn from(r: app::SyncReport) -> Self {
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        SyncReport {
            pushed: n(r.pushed),
            refused: n(r.refused),
            pulled: n(r.pulled),
            news: n(r.news),
        }
    }
}
