//! Who is calling and how: the client's address (for counting attempts
//! and for every audit row the request writes — the one place it is
//! taken) and whether the request came over HTTPS. Behind a
//! TLS reverse proxy the socket's peer is the proxy; its `X-Forwarded-For`
//! and `X-Forwarded-Proto` are believed only when it is the configured
//! trusted proxy, never from anyone else (anyone can send those headers).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use cookie::Cookie;

use crate::http::state::ServerState;

/// How long browsers keep to HTTPS once told (a year).
const HSTS: &str = "max-age=31536000";

/// The socket's peer (or, in tests, the mock's).
async fn peer(parts: &mut Parts, state: &ServerState) -> Option<IpAddr> {
    ConnectInfo::<SocketAddr>::from_request_parts(parts, state)
        .await
        .ok()
        .map(|ConnectInfo(peer)| peer.ip())
}

fn from_trusted_proxy(state: &ServerState, peer: Option<IpAddr>) -> bool {
    peer.is_some() && peer == state.trusted_proxy
}

/// The address the trusted proxy saw: the last `X-Forwarded-For` entry
/// (the one it appended; earlier ones are the client's own say).
fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers.get_all("x-forwarded-for").iter().next_back()?;
    last.to_str().ok()?.rsplit(',').next()?.trim().parse().ok()
}

fn forwarded_https(headers: &HeaderMap) -> bool {
    headers
        .get_all("x-forwarded-proto")
        .iter()
        .next_back()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

/// The client's address, as text for the attempt counters.
pub(crate) struct ClientAddress(pub String);

impl FromRequestParts<ServerState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ServerState,
    ) -> Result<Self, Self::Rejection> {
        let peer = peer(parts, state).await;
        let address = if from_trusted_proxy(state, peer) {
            forwarded_for(&parts.headers).or(peer)
        } else {
            peer
        };
        Ok(ClientAddress(
            address.map_or_else(|| "unknown".to_string(), |a| a.to_string()),
        ))
    }
}

/// Every request: its audit rows record the client's address.
pub(crate) async fn audited_with_address(
    State(state): State<ServerState>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let Ok(ClientAddress(address)) = ClientAddress::from_request_parts(&mut parts, &state).await;
    crate::services::audit::with_client_address(address, next.run(Request::from_parts(parts, body)))
        .await
}

/// Over HTTPS (ours, or the trusted proxy's): every cookie set carries
/// `Secure` and the answer carries HSTS.
pub(crate) async fn https_only(
    State(state): State<ServerState>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let peer = peer(&mut parts, &state).await;
    let over_https = state.secure_cookies
        || (from_trusted_proxy(&state, peer) && forwarded_https(&parts.headers));
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if over_https {
        let headers = response.headers_mut();
        let cookies: Vec<HeaderValue> = headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(secure)
            .collect();
        headers.remove(header::SET_COOKIE);
        for cookie in cookies {
            headers.append(header::SET_COOKIE, cookie);
        }
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}

/// The same cookie with `Secure` (one that does not parse is kept as it
/// was: every cookie we set is built by the cookie crate).
fn secure(value: &HeaderValue) -> HeaderValue {
    let Some(mut cookie) = value
        .to_str()
        .ok()
        .and_then(|v| Cookie::parse(v.to_string()).ok())
    else {
        return value.clone();
    };
    cookie.set_secure(true);
    HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| value.clone())
}
