//! The device API's handlers: decode the request, call the service,
//! answer JSON.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use chrono::Utc;
use serde::Serialize;
use tsunagu_protocol::{
    DirectoryRequest, DirectoryResponse, EnrollResponse, Organisation, PROTOCOL_VERSION,
    PullRequest, PushRequest, PushResponse, decode_request,
};
use uuid::Uuid;

use crate::http::api::error::ApiError;
use crate::http::client::ClientAddress;
use crate::http::nul;
use crate::http::state::ServerState;
use crate::services::enrollment::{Device, enroll as enroll_device};
use crate::services::sync::frame::push as push_ops;
use crate::services::sync::pull::{PullPage, pull as pull_page};

/// A body with a NUL in a string is refused before it is read.
fn refuse_nul(body: &[u8]) -> Result<(), ApiError> {
    if nul::in_json(body) {
        return Err(nul::refused_api());
    }
    Ok(())
}

#[derive(Serialize)]
pub(crate) struct Health {
    status: &'static str,
    protocol: u16,
}

pub(crate) async fn health(State(state): State<ServerState>) -> Result<Json<Health>, ApiError> {
    crate::services::health::check(&state.pool).await?;
    Ok(Json(Health {
        status: "ok",
        protocol: PROTOCOL_VERSION,
    }))
}

/// Trades a one-time code for a device credential; an address that keeps
/// guessing is refused for a while.
pub(crate) async fn enroll(
    State(state): State<ServerState>,
    ClientAddress(address): ClientAddress,
    body: Bytes,
) -> Result<Json<EnrollResponse>, ApiError> {
    refuse_nul(&body)?;
    let enrolled = enroll_device(&state.pool, &address, decode_request(&body)).await?;
    Ok(Json(enrolled))
}

#[derive(Serialize)]
pub(crate) struct DeviceView {
    device_id: Uuid,
    organisation: Organisation,
    server_time: chrono::DateTime<Utc>,
}

/// Who the credential is: the app's connection check.
pub(crate) async fn device(device: Device) -> Json<DeviceView> {
    Json(DeviceView {
        device_id: device.id,
        organisation: device.organisation,
        server_time: Utc::now(),
    })
}

pub(crate) async fn push(
    State(state): State<ServerState>,
    device: Device,
    body: Bytes,
) -> Result<Json<PushResponse>, ApiError> {
    // No NUL check on the whole body here: an operation carrying one is
    // refused on its own (`sync::rules`), so that it cannot hold back the
    // rest of the clinic's outbox.
    let request: PushRequest = decode_request(&body)?;
    let results = push_ops(&state.pool, &device, request.epoch, request.ops).await?;
    Ok(Json(PushResponse { results }))
}

/// Answers a `PullResponse` (the changes' bodies as stored).
pub(crate) async fn pull(
    State(state): State<ServerState>,
    device: Device,
    body: Bytes,
) -> Result<Json<PullPage>, ApiError> {
    let request: PullRequest = decode_request(&body)?;
    Ok(Json(pull_page(&state.pool, &device, &request).await?))
}

/// The directory's listings changed after the device's version (any
/// enrolled device: the directory is what organisations say of themselves
/// to the region).
pub(crate) async fn directory(
    State(state): State<ServerState>,
    _device: Device,
    body: Bytes,
) -> Result<Json<DirectoryResponse>, ApiError> {
    let request: DirectoryRequest = decode_request(&body)?;
    Ok(Json(
        crate::services::listings::page(&state.pool, request.since, request.limit).await?,
    ))
}
