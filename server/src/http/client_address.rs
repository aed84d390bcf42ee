//! Where a request comes from: the one place the client's address is
//! taken (today the connection's peer; a trusted proxy's forwarded
//! address can replace it here alone). Sign-in limits, enrollment limits
//! and every audit row a request writes use it.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;

use crate::services::audit;

/// The client's address as text (e.g. `192.0.2.1`, `2001:db8::1`).
pub(crate) struct ClientAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = <ConnectInfo<SocketAddr> as FromRequestParts<S>>::Rejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ConnectInfo(peer) = ConnectInfo::<SocketAddr>::from_request_parts(parts, state).await?;
        Ok(ClientAddress(peer.ip().to_string()))
    }
}

/// Every request: its audit rows record the client's address.
pub(crate) async fn audited_with_address(
    ClientAddress(address): ClientAddress,
    request: Request,
    next: Next,
) -> Response {
    audit::with_client_address(address, next.run(request)).await
}
