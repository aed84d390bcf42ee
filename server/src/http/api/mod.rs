//! The sync API's routes. Every request but `/health` and `/v1/enroll`
//! carries the device credential (`Authorization: Bearer <device>.<secret>`),
//! and what it may see or change is decided from that alone.

mod attachments;
mod device;
mod documents;
pub(crate) mod error;
mod handlers;
mod live;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tsunagu_protocol::ErrorCode;

use crate::http::api::error::ApiError;
use crate::http::state::ServerState;

/// Bodies beyond this are refused before they are read. The protocol says
/// it, so that clients fill their pushes below it.
pub const MAX_BODY_BYTES: usize = tsunagu_protocol::MAX_REQUEST_BYTES;

pub(crate) fn routes() -> Router<ServerState> {
    Router::new()
        .route("/health", get(handlers::health))
        .route("/v1/enroll", post(handlers::enroll))
        .route("/v1/device", get(handlers::device))
        .route("/v1/push", post(handlers::push))
        .route("/v1/pull", post(handlers::pull))
        .route("/v1/directory", post(handlers::directory))
}

/// Routes that take a whole file (a team's photo or PDF), with a body
/// limit of their own.
pub(crate) fn uploads() -> Router<ServerState> {
    Router::new()
        .route(
            "/v1/attachments/{id}",
            axum::routing::put(attachments::upload).get(attachments::download),
        )
        .route("/v1/referral-documents/{id}", get(documents::download))
}

/// Routes whose answer stays open (outside the request time limit and the
/// in-flight cap, with a cap of their own).
pub(crate) fn streams() -> Router<ServerState> {
    Router::new().route("/v1/live", get(live::live))
}

/// The body limits answer 413 in plain text; clients switch on a code.
pub(crate) async fn coded_payload_too_large(response: Response) -> Response {
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE
        || response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"application/json"))
    {
        return response;
    }
    ApiError::new(
        ErrorCode::TooLarge,
        format!(
            "要求が大きすぎます（{} MiBまで）。",
            MAX_BODY_BYTES / 1024 / 1024
        ),
    )
    .into_response()
}
