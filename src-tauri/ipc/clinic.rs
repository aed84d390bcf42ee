//! The clinic's profile and what the window finds at start-up.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

use super::AppError;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClinicProfile {
    pub name: String,
    /// Empty when the clinic has not entered one.
    pub institution_code: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
    pub fax: String,
    pub doctor_name: String,
}

impl From<app::ClinicProfileView> for ClinicProfile {
    fn from(p: app::ClinicProfileView) -> Self {
        ClinicProfile {
            name: p.name,
            institution_code: p.institution_code.unwrap_or_default(),
            postal_code: p.postal_code,
            address: p.address,
            phone: p.phone,
            fax: p.fax,
            doctor_name: p.doctor_name,
        }
    }
}

impl From<ClinicProfile> for app::ClinicDraft {
    fn from(p: ClinicProfile) -> Self {
        app::ClinicDraft {
            name: p.name,
            institution_code: p.institution_code,
            postal_code: p.postal_code,
            address: p.address,
            phone: p.phone,
            fax: p.fax,
            doctor_name: p.doctor_name,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum StartupState {
    #[serde(rename_all = "camelCase")]
    Ready {
        clinic: Option<ClinicProfile>,
        data_dir: String,
    },
    #[serde(rename_all = "camelCase")]
    Failed { error: AppError, data_dir: String },
    /// Nothing in the data folder yet: 新しく始める or バックアップから復元.
    #[serde(rename_all = "camelCase")]
    New { data_dir: String },
}

/// A backup file picked in the OS dialog, not yet restored.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChosenBackup {
    /// Pass back with the passphrase to restore it.
    pub token: String,
    pub name: String,
    /// When the backup was made, e.g. 2026年11月24日 18:00.
    pub made_at: String,
}
