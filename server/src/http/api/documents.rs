//! A hospital's documents for the clinic that owns the referral (ADR
//! 0041): named in its feed, fetched here by its devices.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tsunagu_protocol::ErrorCode;
use uuid::Uuid;

use crate::http::api::error::ApiError;
use crate::http::state::ServerState;
use crate::services::enrollment::Device;
use crate::services::referrals::documents::download_for_device;

pub(crate) async fn download(
    State(state): State<ServerState>,
    device: Device,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    match download_for_device(&state.pool, &device, id).await? {
        Some((row, bytes)) => Ok((
            [
                (header::CONTENT_TYPE, row.media_type),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            bytes,
        )
            .into_response()),
        None => Err(ApiError::new(ErrorCode::NotFound, "書類が見つかりません。")),
    }
}
