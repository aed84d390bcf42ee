//! `GET /v1/live`: a device's open stream of "your feed advanced"
//! (server-sent events). Outside the request limits (it is meant to stay
//! open) but capped per process; the device's credential decides its scope
//! exactly as for a pull.

use axum::extract::State;
use axum::response::IntoResponse;
use tsunagu_protocol::ErrorCode;

use crate::http::api::error::ApiError;
use crate::http::live_stream::events;
use crate::http::state::ServerState;
use crate::model::Scope;
use crate::services::enrollment::Device;

pub(crate) async fn live(
    State(state): State<ServerState>,
    device: Device,
) -> Result<impl IntoResponse, ApiError> {
    let Some(open) = state.live.open() else {
        return Err(ApiError::new(
            ErrorCode::RateLimited,
            "サーバーが混み合っています。しばらくの間、定期的な同期で受け取ります。",
        ));
    };
    let scope = Scope::of(&device.organisation);
    Ok(events(open, move |s| s == scope))
}
