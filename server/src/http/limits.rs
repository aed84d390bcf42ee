//! Limits on requests as a whole, so that no client can hold the server:
//! how many are handled at once (beyond that, turned away at once rather
//! than queued), how long one may take, how long its body may pause.
//! Connection limits and the header timeout are the listener's
//! (`http::serve`). All are per process by nature: they guard this
//! process's memory, cores and sockets.

use std::time::Duration;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower::limit::ConcurrencyLimitLayer;
use tower::load_shed::LoadShedLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use tsunagu_protocol::{ErrorBody, ErrorCode};

use crate::http::portal::busy_page;

#[derive(Clone, Debug)]
pub struct Limits {
    /// A connection must send a whole request head within this (a
    /// half-sent request, or an idle kept-alive connection, is closed).
    pub header_read: Duration,
    /// The longest one request may take, body and answer included
    /// (a push of the largest body over a slow line fits).
    pub request: Duration,
    /// The longest a request body may pause between chunks.
    pub body_pause: Duration,
    /// Requests handled at once by this process; more are answered 503.
    pub max_in_flight: usize,
    /// Open connections to this process; more are closed at once.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read: Duration::from_secs(10),
            request: Duration::from_secs(120),
            body_pause: Duration::from_secs(15),
            max_in_flight: 256,
            // Room for every live stream (`services::live::MAX_STREAMS`)
            // and as many ordinary connections besides.
            max_connections: 5120,
        }
    }
}

/// The router inside the limits. One service around the whole router,
/// not `Router::layer` (which wraps each route and method on its own and
/// so would count each separately). `streams` (answers meant to stay
/// open) stand outside them: they have their own cap.
pub(crate) fn apply(router: Router, streams: Router, limits: &Limits) -> Router {
    let limited = ServiceBuilder::new()
        .layer(HandleErrorLayer::new(overloaded))
        .layer(LoadShedLayer::new())
        .layer(ConcurrencyLimitLayer::new(limits.max_in_flight))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request,
        ))
        .layer(RequestBodyTimeoutLayer::new(limits.body_pause))
        .service(router);
    streams.fallback_service(limited)
}

/// Too many requests at once: "busy, try again shortly", as a page in the
/// portal and as a coded error on the device API.
async fn overloaded(uri: Uri, _: tower::BoxError) -> Response {
    if uri.path().starts_with("/portal") {
        return busy_page();
    }
    let body = ErrorBody {
        code: ErrorCode::RateLimited,
        message: "サーバーが混み合っています。しばらく待ってから、もう一度お試しください。"
            .to_string(),
    };
    (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response()
}
