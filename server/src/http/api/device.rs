//! The device a request comes from, by its credential.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use crate::http::api::error::ApiError;
use crate::http::state::ServerState;
use crate::services::enrollment::{Device, authenticate};

impl FromRequestParts<ServerState> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ServerState,
    ) -> Result<Self, Self::Rejection> {
        let credential = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(ApiError::unauthenticated)?;
        Ok(authenticate(&state.pool, credential).await?)
    }
}
