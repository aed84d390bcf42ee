//! HTTP: the device API (`/v1/*`) and the portal's pages. Extractors,
//! forms and templates live here; what a request does is a service's, and
//! no SQL is written here.

pub(crate) mod api;
pub(crate) mod client;
pub(crate) mod limits;
pub(crate) mod live_stream;
pub(crate) mod nul;
pub(crate) mod portal;
pub(crate) mod serve;
pub(crate) mod state;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use tower_http::limit::RequestBodyLimitLayer;

use crate::http::api::{MAX_BODY_BYTES, coded_payload_too_large};
use crate::http::state::ServerState;

/// The largest body of an upload: one file at the domain's limit, with
/// room for the form around it.
pub const MAX_UPLOAD_BYTES: usize = tsunagu_domain::MAX_ATTACHMENT_BYTES as usize + 64 * 1024;

pub fn router(state: ServerState) -> Router {
    let limits = state.limits.clone();
    let requests = Router::new()
        .merge(api::routes())
        .merge(portal::router())
        // Both limits: the layer refuses by Content-Length before reading,
        // the extractor's (2 MiB by default) is raised to the same size.
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::map_response(coded_payload_too_large));
    // A team's files: up to the domain's 20 MiB, and a little for the
    // form around a portal post.
    // A device is answered a code; a person a page in Japanese.
    let limited = |routes: Router<ServerState>| {
        routes
            .layer(RequestBodyLimitLayer::new(MAX_UPLOAD_BYTES))
            .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
    };
    let uploads = Router::new()
        .merge(limited(api::uploads()).layer(middleware::map_response(coded_payload_too_large)))
        .merge(limited(portal::uploads()).layer(middleware::map_response(portal::too_large_page)));
    let requests = at_the_door(requests.merge(uploads), &state);
    let streams = at_the_door(api::streams().merge(portal::streams()), &state);
    limits::apply(requests, streams, &limits)
}

/// What every request meets first, streams included: HTTPS only (but on
/// loopback), no NUL in the address, the client's address for the audit.
fn at_the_door(routes: Router<ServerState>, state: &ServerState) -> Router {
    routes
        .layer(middleware::from_fn_with_state(
            state.clone(),
            client::audited_with_address,
        ))
        .layer(middleware::from_fn(nul::refuse_in_address))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            client::https_only,
        ))
        .with_state(state.clone())
}
