//! Documents a hospital sends the family doctor through the portal (返書,
//! 退院時サマリー; version 10, ADR 0041): the feed names each one, the
//! owning clinic's device then fetches its bytes
//! (`GET /v1/referral-documents/{id}`) and checks them against `sha256`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireHospitalDocument {
    pub id: Uuid,
    pub referral_id: Uuid,
    /// The domain's `HospitalDocumentKind` code (`reply`,
    /// `discharge_summary`).
    pub kind: String,
    /// The file's name as uploaded.
    pub name: String,
    pub size: u64,
    pub sha256: String,
    /// The hospital and the person, e.g. 豊島中央病院 地域連携室 山本.
    pub actor: String,
    pub uploaded_at: DateTime<Utc>,
}
