//! Listening to the server's live stream (`/v1/live`): each event means
//! "your feed advanced" (or "pull anyway"), and the caller then runs the
//! usual exchange. Nothing is read from the stream but that an event came:
//! the pull stays the only way news enters the store.

use std::time::Duration;

use crate::App;
use crate::error::{AppError, ErrorCode};
use crate::sync::{load_secret, unreachable};

/// The server sends a keep-alive every 20 s: this long without a byte and
/// the connection is taken for dead.
const SILENCE: Duration = Duration::from_secs(60);

impl App {
    /// Opens the live stream and calls `on_news` for each event (the first,
    /// `ready`, included: what came since the last pull is pulled then).
    /// Returns when the stream ends or fails; the caller reconnects.
    pub async fn listen_live(&self, on_news: impl Fn()) -> Result<(), AppError> {
        let device = self.store.sync_device().await?.ok_or_else(|| {
            AppError::new(
                ErrorCode::Validation,
                "地域連携サーバーに登録されていません。",
            )
        })?;
        let keys = self.keys.clone().ok_or_else(crate::sync::no_keyring)?;
        let secret = load_secret(keys, device.device_id).await?;
        let http = reqwest::Client::builder()
            .read_timeout(SILENCE)
            .connect_timeout(Duration::from_secs(20))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(unreachable)?;
        let mut response = http
            .get(format!("{}/v1/live", device.server_url))
            .bearer_auth(format!("{}.{secret}", device.device_id))
            .send()
            .await
            .map_err(unreachable)?;
        if !response.status().is_success() {
            return Err(AppError::new(
                ErrorCode::Network,
                "地域連携サーバーの即時通知に接続できません。定期的な同期で受け取ります。",
            ));
        }
        let mut events = EventSplitter::default();
        while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
            for _ in 0..events.feed(&chunk) {
                on_news();
            }
        }
        Ok(())
    }
}

/// Counts the server-sent events in a byte stream: a block of lines ended
/// by a blank line, with an `event:` line (keep-alive comments have none).
#[derive(Default)]
struct EventSplitter {
    pending: Vec<u8>,
}

impl EventSplitter {
    /// Takes the next bytes; answers how many whole events they completed.
    fn feed(&mut self, bytes: &[u8]) -> usize {
        self.pending.extend_from_slice(bytes);
        let mut events = 0;
        while let Some(end) = find(&self.pending, b"\n\n") {
            let block: Vec<u8> = self.pending.drain(..end + 2).collect();
            if block
                .split(|&b| b == b'\n')
                .any(|line| line.starts_with(b"event:"))
            {
                events += 1;
            }
        }
        events
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_counted_across_chunks_and_keep_alives_are_not() {
        let mut splitter = EventSplitter::default();
        assert_eq!(splitter.feed(b"event: ready\ndata: \n\n:\n\n"), 1);
        assert_eq!(splitter.feed(b"event: adv"), 0);
        assert_eq!(
            splitter.feed(b"anced\ndata: 7\n\nevent: pull\ndata: \n\n"),
            2
        );
    }
}
