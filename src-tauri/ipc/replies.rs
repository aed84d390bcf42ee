//! Reply letters (返書) and the scan chosen for one.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

/// A reply letter as recorded; its scan is opened with `open_reply_attachment`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Reply {
    pub id: String,
    /// 和暦
    pub received_on: String,
    pub initial_diagnosis: String,
    pub final_diagnosis: String,
    pub findings: String,
    pub treatment: String,
    pub recommendations: String,
    pub medication_changes: String,
    pub note: String,
    pub attachment_name: Option<String>,
    pub attachment_size: Option<i32>,
    pub recorded_by: String,
}

impl From<app::ReplyView> for Reply {
    fn from(r: app::ReplyView) -> Self {
        let f = r.findings;
        Reply {
            id: r.id.to_string(),
            received_on: r.received_on,
            initial_diagnosis: f.initial_diagnosis,
            final_diagnosis: f.final_diagnosis,
            findings: f.findings,
            treatment: f.treatment,
            recommendations: f.recommendations,
            medication_changes: f.medication_changes,
            note: f.note,
            attachment_name: r.attachment_name,
            attachment_size: r.attachment_size.and_then(|n| i32::try_from(n).ok()),
            recorded_by: r.recorded_by,
        }
    }
}

/// The reply form as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ReplyInput {
    pub received_on: String,
    pub initial_diagnosis: String,
    pub final_diagnosis: String,
    pub findings: String,
    pub treatment: String,
    pub recommendations: String,
    pub medication_changes: String,
    pub note: String,
}

impl From<ReplyInput> for app::ReplyDraft {
    fn from(r: ReplyInput) -> Self {
        app::ReplyDraft {
            received_on: r.received_on,
            initial_diagnosis: r.initial_diagnosis,
            final_diagnosis: r.final_diagnosis,
            findings: r.findings,
            treatment: r.treatment,
            recommendations: r.recommendations,
            medication_changes: r.medication_changes,
            note: r.note,
        }
    }
}

/// A file picked in the OS dialog and found acceptable, not yet stored.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChosenFile {
    /// Pass back to store it.
    pub token: String,
    pub name: String,
    pub size: i32,
}
