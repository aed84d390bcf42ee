//! Failures as the client sees them: an HTTP status and a protocol
//! `ErrorBody` (a closed code and a Japanese message). Internal details go
//! to stderr without request data; never to the client.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tsunagu_protocol::{DecodeError, ErrorBody, ErrorCode};

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
        }
    }
}

impl From<DecodeError> for ApiError {
    fn from(e: DecodeError) -> Self {
        ApiError::new(e.code(), format!("{e}。"))
    }
}

/// The kind only: a database error can quote the values it refused.
pub(crate) fn log_database_error(e: &sqlx::Error) {
    eprintln!("tsunagu-server: database error ({})", error_kind(e));
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        log_database_error(&e);
        ApiError::new(
            ErrorCode::Internal,
            "サーバーで問題が起きました。しばらくしてからもう一度お試しください。",
        )
    }
}

pub(crate) fn error_kind(e: &sqlx::Error) -> &'static str {
    match e {
        sqlx::Error::Database(_) => "database",
        sqlx::Error::PoolTimedOut => "pool timed out",
        sqlx::Error::Io(_) => "io",
        _ => "other",
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
