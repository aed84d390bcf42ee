//! Letters: drafts, issued letters and their destinations, and saved files.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

pub use app::{LabRowDraft, LetterDraftContent};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum LetterKind {
    /// 診療情報提供書
    Referral,
    /// 退院時サマリー
    Discharge,
}

impl From<app::LetterKind> for LetterKind {
    fn from(kind: app::LetterKind) -> Self {
        match kind {
            app::LetterKind::Referral => LetterKind::Referral,
            app::LetterKind::Discharge => LetterKind::Discharge,
        }
    }
}

impl From<LetterKind> for app::LetterKind {
    fn from(kind: LetterKind) -> Self {
        match kind {
            LetterKind::Referral => app::LetterKind::Referral,
            LetterKind::Discharge => app::LetterKind::Discharge,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LetterDraft {
    pub id: String,
    pub patient_id: String,
    pub kind: LetterKind,
    pub content: LetterDraftContent,
    /// The issued letter this draft corrects.
    pub supersedes: Option<String>,
    /// RFC 3339.
    pub updated_at: String,
}

impl From<app::LetterDraftView> for LetterDraft {
    fn from(d: app::LetterDraftView) -> Self {
        LetterDraft {
            id: d.id.to_string(),
            patient_id: d.patient_id.to_string(),
            kind: d.kind.into(),
            content: d.content,
            supersedes: d.supersedes.map(|id| id.to_string()),
            updated_at: d.updated_at.to_rfc3339(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Destination {
    pub institution: String,
    pub department: String,
    pub doctor: String,
}

impl From<app::Destination> for Destination {
    fn from(d: app::Destination) -> Self {
        Destination {
            institution: d.institution,
            department: d.department,
            doctor: d.doctor,
        }
    }
}

impl From<Destination> for app::Destination {
    fn from(d: Destination) -> Self {
        app::Destination {
            institution: d.institution,
            department: d.department,
            doctor: d.doctor,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Destinations {
    pub recent: Vec<Destination>,
    pub favourites: Vec<Destination>,
    /// Hospitals registered on the regional server.
    pub registered: Vec<String>,
}

impl From<app::Destinations> for Destinations {
    fn from(d: app::Destinations) -> Self {
        Destinations {
            recent: d.recent.into_iter().map(Into::into).collect(),
            favourites: d.favourites.into_iter().map(Into::into).collect(),
            registered: d.registered,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IssuedLetter {
    pub id: String,
    pub kind: LetterKind,
    pub version: u32,
    pub supersedes: Option<String>,
    pub superseded_by: Option<String>,
    pub tracking_code: Option<String>,
    /// The referral's status in Japanese, e.g. 紹介済.
    pub referral_status: Option<String>,
    pub to: Destination,
    pub sha256: String,
    pub pdf_size: u32,
    /// e.g. 令和8年5月12日
    pub issued_on: String,
}

impl From<app::LetterView> for IssuedLetter {
    fn from(l: app::LetterView) -> Self {
        let s = l.summary;
        IssuedLetter {
            id: s.id.to_string(),
            kind: s.kind.into(),
            version: s.version,
            supersedes: s.supersedes.map(|id| id.to_string()),
            superseded_by: s.superseded_by.map(|id| id.to_string()),
            tracking_code: s.tracking_code,
            referral_status: s.referral_status.as_deref().map(status_label),
            to: s.to.into(),
            sha256: s.sha256,
            pdf_size: u32::try_from(s.pdf_size).unwrap_or(u32::MAX),
            issued_on: l.issued_on_wareki,
        }
    }
}

/// The status's label from the domain (an unknown code is shown as it is).
fn status_label(code: &str) -> String {
    app::ReferralStatus::from_code(code)
        .map_or(code, |s| s.label_ja())
        .to_string()
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientLetters {
    pub drafts: Vec<LetterDraft>,
    pub letters: Vec<IssuedLetter>,
}

impl From<app::PatientLetters> for PatientLetters {
    fn from(p: app::PatientLetters) -> Self {
        PatientLetters {
            drafts: p.drafts.into_iter().map(Into::into).collect(),
            letters: p.letters.into_iter().map(Into::into).collect(),
        }
    }
}

/// What became of a "save as PDF": the path, or nothing if the user
/// cancelled the dialog.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavedFile {
    pub path: Option<String>,
}
