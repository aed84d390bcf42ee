//! Failures as the client sees them: an HTTP status and a protocol
//! `ErrorBody` (a closed code and a Japanese message). Internal details go
//! to stderr without request data; never to the client.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tsunagu_protocol::{DecodeError, ErrorBody, ErrorCode};

use crate::services::enrollment::DeviceError;
use crate::services::health::{is_statement_timeout, log_database_error};
use crate::services::sync::frame::SyncError;

#[derive(Debug)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }

    pub fn unauthenticated() -> Self {
        ApiError::new(
            ErrorCode::Unauthenticated,
            "この端末は登録されていないか、登録が取り消されています。地域連携窓口に連絡してください。",
        )
    }

    fn status(&self) -> StatusCode {
        match self.code {
            ErrorCode::Malformed => StatusCode::BAD_REQUEST,
            ErrorCode::UnsupportedVersion => StatusCode::BAD_REQUEST,
            ErrorCode::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorCode::Forbidden => StatusCode::FORBIDDEN,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::InvalidCode => StatusCode::BAD_REQUEST,
            ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::EpochChanged => StatusCode::CONFLICT,
        }
    }
}

impl From<DecodeError> for ApiError {
    fn from(e: DecodeError) -> Self {
        ApiError::new(e.code(), format!("{e}。"))
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        log_database_error(&e);
        if is_statement_timeout(&e) {
            return ApiError::new(
                ErrorCode::RateLimited,
                "サーバーが混み合っているため、処理を中断しました。しばらくしてからもう一度お試しください。",
            );
        }
        ApiError::new(
            ErrorCode::Internal,
            "サーバーで問題が起きました。しばらくしてからもう一度お試しください。",
        )
    }
}

impl ApiError {
    /// A stored value the server cannot read.
    fn bad_data() -> Self {
        ApiError::new(ErrorCode::Internal, "サーバーのデータに問題があります。")
    }
}

impl From<DeviceError> for ApiError {
    fn from(e: DeviceError) -> Self {
        match e {
            DeviceError::Decode(e) => e.into(),
            DeviceError::NoName => {
                ApiError::new(ErrorCode::Malformed, "端末名を入力してください。")
            }
            DeviceError::InvalidCode => ApiError::new(
                ErrorCode::InvalidCode,
                "登録コードが正しくないか、使用済みか、期限切れです。地域連携窓口に新しいコードを依頼してください。",
            ),
            DeviceError::RateLimited => ApiError::new(
                ErrorCode::RateLimited,
                "登録の試行が多すぎます。15分ほど待ってから、もう一度お試しください。",
            ),
            DeviceError::Unauthenticated => ApiError::unauthenticated(),
            DeviceError::BadData => ApiError::bad_data(),
            DeviceError::Database(e) => e.into(),
        }
    }
}

impl From<SyncError> for ApiError {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Database(e) => e.into(),
            SyncError::BadData => ApiError::bad_data(),
            SyncError::EpochChanged => ApiError::new(
                ErrorCode::EpochChanged,
                "地域連携サーバーがバックアップから復元されました。最初から受け取り直してから送ります。",
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = ErrorBody {
            code: self.code,
            message: self.message,
        };
        (status, Json(body)).into_response()
    }
}
