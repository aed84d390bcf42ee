//! Every command's failure, in the shape the UI switches on.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Validation,
    NotFound,
    Conflict,
    StoreUnavailable,
    StoreKeyMissing,
    StoreKeyWrong,
    StoreFileMissing,
    KeyringUnavailable,
    Network,
    SignedOut,
    Locked,
    Forbidden,
    Internal,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Every command's failure: `code` for the UI to switch on, `message` in
/// Japanese to show, and per-field messages for forms.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl From<app::AppError> for AppError {
    fn from(e: app::AppError) -> Self {
        AppError {
            code: match e.code {
                app::ErrorCode::Validation => ErrorCode::Validation,
                app::ErrorCode::NotFound => ErrorCode::NotFound,
                app::ErrorCode::Conflict => ErrorCode::Conflict,
                app::ErrorCode::StoreUnavailable => ErrorCode::StoreUnavailable,
                app::ErrorCode::StoreKeyMissing => ErrorCode::StoreKeyMissing,
                app::ErrorCode::StoreKeyWrong => ErrorCode::StoreKeyWrong,
                app::ErrorCode::StoreFileMissing => ErrorCode::StoreFileMissing,
                app::ErrorCode::KeyringUnavailable => ErrorCode::KeyringUnavailable,
                app::ErrorCode::Network => ErrorCode::Network,
                app::ErrorCode::SignedOut => ErrorCode::SignedOut,
                app::ErrorCode::Locked => ErrorCode::Locked,
                app::ErrorCode::Forbidden => ErrorCode::Forbidden,
                app::ErrorCode::Internal => ErrorCode::Internal,
            },
            message: e.message,
            fields: e
                .fields
                .into_iter()
                .map(|f| FieldError {
                    field: f.field,
                    message: f.message,
                })
                .collect(),
        }
    }
}
