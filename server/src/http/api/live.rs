//! `GET /v1/live`: a device's open stream of "your feed advanced"
//! (server-sent events). Outside the request limits (it is meant to stay
//! open) but capped per process; the device's credential decides its scope
//! exactly as for a pull.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast::error::RecvError;
use tsunagu_protocol::ErrorCode;

use crate::http::api::error::ApiError;
use crate::http::state::ServerState;
use crate::model::Scope;
use crate::services::enrollment::Device;
use crate::services::live::Signal;

/// A comment this often keeps proxies from closing an idle stream and
/// lets the client tell a dead connection from a quiet one.
const KEEP_ALIVE: Duration = Duration::from_secs(20);

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
    // First `ready` (the client pulls once, for anything since its last
    // pull), then one event per advance of this device's feed.
    let ready = stream::once(async { Ok(Event::default().event("ready").data("")) });
    let news = stream::unfold(open, move |mut open| async move {
        loop {
            let received = tokio::select! {
                received = open.signals.recv() => received,
                _ = open.stopping.changed() => return None,
            };
            let event = match received {
                Ok(Signal::Advanced { scope: s, seq }) if s == scope => {
                    Event::default().event("advanced").data(seq.to_string())
                }
                Ok(Signal::Advanced { .. }) => continue,
                Ok(Signal::PullAnyway) | Err(RecvError::Lagged(_)) => {
                    Event::default().event("pull").data("")
                }
                Err(RecvError::Closed) => return None,
            };
            return Some((Ok::<_, Infallible>(event), open));
        }
    });
    Ok(Sse::new(stream_of(ready, news)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}

fn stream_of(
    first: impl Stream<Item = Result<Event, Infallible>>,
    rest: impl Stream<Item = Result<Event, Infallible>>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    use futures_util::StreamExt;
    first.chain(rest)
}
