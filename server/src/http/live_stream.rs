//! Server-sent "your feed advanced" events, for devices (`/v1/live`) and
//! for the portal's team pages (`/portal/live`): first `ready`, then one
//! `advanced` per announcement the reader wants, `pull` when some may
//! have been missed. The reader then reads as always (a pull, or the
//! page), so the checks stay where they are.

use std::convert::Infallible;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::StreamExt;
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast::error::RecvError;

use crate::model::Scope;
use crate::services::live::{Signal, Stream as Open};

/// A comment this often keeps proxies from closing an idle stream and
/// lets the client tell a dead connection from a quiet one.
const KEEP_ALIVE: Duration = Duration::from_secs(20);

pub(crate) fn events(
    open: Open,
    wanted: impl Fn(Scope) -> bool + Send + 'static,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let ready = stream::once(async { Ok(Event::default().event("ready").data("")) });
    let news = stream::unfold((open, wanted), |(mut open, wanted)| async move {
        loop {
            let received = tokio::select! {
                received = open.signals.recv() => received,
                _ = open.stopping.changed() => return None,
            };
            let event = match received {
                // A team page's pinned summary has its own number.
                Ok(Signal::Advanced {
                    scope: scope @ Scope::TeamSummary(_),
                    seq,
                }) if wanted(scope) => Event::default().event("summary").data(seq.to_string()),
                Ok(Signal::Advanced { scope, seq }) if wanted(scope) => {
                    Event::default().event("advanced").data(seq.to_string())
                }
                Ok(Signal::Advanced { .. }) => continue,
                Ok(Signal::PullAnyway) | Err(RecvError::Lagged(_)) => {
                    Event::default().event("pull").data("")
                }
                Err(RecvError::Closed) => return None,
            };
            return Some((Ok::<_, Infallible>(event), (open, wanted)));
        }
    });
    Sse::new(ready.chain(news)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}
