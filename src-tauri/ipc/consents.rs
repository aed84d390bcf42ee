//! The patient's consents to share with the region.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

/// The patient's consent to share with the region.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Consent {
    pub id: String,
    /// YYYY-MM-DD, for the form.
    pub obtained_on: String,
    /// 和暦, for display.
    pub obtained_on_label: String,
    pub obtained_by: String,
    pub share_with_desk: bool,
    pub share_with_hospital: bool,
    pub withdrawn_on: Option<String>,
    pub withdrawn_on_label: Option<String>,
    pub in_force: bool,
}

impl From<app::ConsentView> for Consent {
    fn from(c: app::ConsentView) -> Self {
        Consent {
            id: c.id.to_string(),
            obtained_on: c.obtained_on.to_string(),
            obtained_on_label: c.obtained_on_label,
            obtained_by: c.obtained_by,
            share_with_desk: c.share_with_desk,
            share_with_hospital: c.share_with_hospital,
            withdrawn_on: c.withdrawn_on.map(|d| d.to_string()),
            withdrawn_on_label: c.withdrawn_on_label,
            in_force: c.in_force,
        }
    }
}

/// The consent form as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ConsentInput {
    pub obtained_on: String,
    pub obtained_by: String,
    pub share_with_desk: bool,
    pub share_with_hospital: bool,
    /// Empty while the consent stands.
    pub withdrawn_on: String,
}

impl From<ConsentInput> for app::ConsentDraft {
    fn from(i: ConsentInput) -> Self {
        app::ConsentDraft {
            obtained_on: i.obtained_on,
            obtained_by: i.obtained_by,
            share_with_desk: i.share_with_desk,
            share_with_hospital: i.share_with_hospital,
            withdrawn_on: i.withdrawn_on,
        }
    }
}
