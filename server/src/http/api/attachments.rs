//! A team's files for devices (ADR 0023): uploaded before the post that
//! names them, fetched by the members who may read the team.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tsunagu_protocol::{ErrorCode, WireAttachment};
use uuid::Uuid;

use crate::http::api::error::ApiError;
use crate::http::state::ServerState;
use crate::services::actor::{Failure, Refusal};
use crate::services::enrollment::Device;
use crate::services::teams::attachments::{fetch_for_device, upload_from_device};

#[derive(Deserialize)]
pub(crate) struct Named {
    name: String,
}

fn api_error(failure: Failure) -> ApiError {
    match failure {
        Failure::Refused(Refusal(reason)) => ApiError::new(ErrorCode::Forbidden, reason),
        Failure::Database(e) => e.into(),
    }
}

pub(crate) async fn upload(
    State(state): State<ServerState>,
    device: Device,
    Path(id): Path<Uuid>,
    Query(named): Query<Named>,
    body: Bytes,
) -> Result<Json<WireAttachment>, ApiError> {
    upload_from_device(&state.pool, &device, id, &named.name, &body)
        .await
        .map(Json)
        .map_err(api_error)
}

pub(crate) async fn download(
    State(state): State<ServerState>,
    device: Device,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    match fetch_for_device(&state.pool, &device, id)
        .await
        .map_err(api_error)?
    {
        Some((meta, bytes)) => Ok((
            [
                (header::CONTENT_TYPE, meta.media_type),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            bytes,
        )
            .into_response()),
        None => Err(ApiError::new(
            ErrorCode::NotFound,
            "ファイルが見つかりません。",
        )),
    }
}
