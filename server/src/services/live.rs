//! Live news for open clients: one listener per process hears the feed's
//! announcements from PostgreSQL and hands them to every stream open on
//! this process; each stream passes on those of its own scope. A stream
//! says only "your feed advanced" — the client then pulls as always, so
//! the feed stays the one source of truth and its checks stay in one place.

use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, broadcast, watch};

use crate::db;
use crate::model::Scope;

/// Streams open at once on one process; beyond, a client is told to try
/// later (and polls meanwhile). Each costs a socket and a few KiB.
pub const MAX_STREAMS: usize = 4096;
/// Announcements buffered for a slow stream before it is told to pull
/// anyway.
const BUFFERED: usize = 1024;

/// What a stream hears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// The scope's feed reached `seq`.
    Advanced { scope: Scope, seq: i64 },
    /// Announcements may have been missed (the listener reconnected, or
    /// the stream fell behind): every client should pull.
    PullAnyway,
}

#[derive(Clone)]
pub struct Live {
    signals: broadcast::Sender<Signal>,
    slots: Arc<Semaphore>,
    /// Set when the process stops: open streams end, so a graceful
    /// shutdown does not wait on them.
    stopping: watch::Sender<bool>,
}

/// One open stream's share of the hub.
pub(crate) struct Stream {
    pub signals: broadcast::Receiver<Signal>,
    pub stopping: watch::Receiver<bool>,
    _slot: OwnedSemaphorePermit,
}

impl Default for Live {
    fn default() -> Self {
        Live::new()
    }
}

impl Live {
    pub fn new() -> Live {
        Live {
            signals: broadcast::channel(BUFFERED).0,
            slots: Arc::new(Semaphore::new(MAX_STREAMS)),
            stopping: watch::channel(false).0,
        }
    }

    /// A place for one more stream, or `None` when this process has its
    /// fill.
    pub(crate) fn open(&self) -> Option<Stream> {
        let slot = self.slots.clone().try_acquire_owned().ok()?;
        Some(Stream {
            signals: self.signals.subscribe(),
            stopping: self.stopping.subscribe(),
            _slot: slot,
        })
    }

    /// Ends every open stream (the process is stopping).
    pub fn stop(&self) {
        let _ = self.stopping.send(true);
    }

    /// Listens to PostgreSQL for the life of the process, reconnecting
    /// after a failure (each reconnection tells the streams to pull).
    pub fn start(&self, pool: PgPool) -> tokio::task::JoinHandle<()> {
        let signals = self.signals.clone();
        tokio::spawn(async move {
            let mut pause = Duration::from_secs(1);
            loop {
                if let Ok(mut listener) = db::live::listen(&pool).await {
                    pause = Duration::from_secs(1);
                    let _ = signals.send(Signal::PullAnyway);
                    loop {
                        match listener.try_recv().await {
                            Ok(Some(note)) => {
                                if let Some((scope, seq)) = db::live::announcement(note.payload()) {
                                    let _ = signals.send(Signal::Advanced { scope, seq });
                                }
                            }
                            // The connection dropped; the next call reconnects
                            // and what came meanwhile is lost.
                            Ok(None) => {
                                let _ = signals.send(Signal::PullAnyway);
                            }
                            Err(_) => break,
                        }
                    }
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(30));
            }
        })
    }
}
