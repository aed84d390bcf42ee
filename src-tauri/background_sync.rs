//! Syncing in the background (DESIGN.md §3): an exchange with the regional
//! server every few minutes while it answers, backing off while it does
//! not (offline, server down), and at once when asked (enrollment). The
//! exchange itself is the core's `sync_now`; news from the desk or a
//! hospital is announced like any new worklist item.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tsunagu_app::App;

/// Between exchanges while the server answers.
const EVERY: Duration = Duration::from_secs(120);
/// The first wait after a failure; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(30);
const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);

/// Wakes the background task for an exchange now.
#[derive(Clone, Default)]
pub struct SyncTrigger(Arc<Notify>);

impl SyncTrigger {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// How long to wait after `failures` failed exchanges in a row.
pub fn delay_after(failures: u32) -> Duration {
    if failures == 0 {
        return EVERY;
    }
    let doubled = FIRST_BACKOFF.saturating_mul(1 << failures.saturating_sub(1).min(10));
    doubled.min(MAX_BACKOFF)
}

/// Runs for the life of the process.
pub fn spawn(app: App, trigger: SyncTrigger) {
    tauri::async_runtime::spawn(async move {
        let mut failures = 0u32;
        loop {
            // Only once enrolled; until then the task just waits to be woken.
            if matches!(app.sync_status().await, Ok(Some(_))) {
                match app.sync_now().await {
                    Ok(report) => {
                        failures = 0;
                        crate::commands::notifications::announce_team(&report);
                        if report.news + report.discharge_requests + report.intake_requests > 0 {
                            crate::commands::notifications::announce_news(app.clone(), report.news)
                                .await;
                        }
                    }
                    // The reason is recorded for 最終同期; nothing of the
                    // patient's is in it, but it is the user's to read.
                    Err(_) => failures = failures.saturating_add(1),
                }
            }
            tokio::select! {
                () = tokio::time::sleep(delay_after(failures)) => {}
                () = trigger.0.notified() => {}
            }
        }
    });
}

/// Listens to the server's live stream while enrolled and online: each
/// event wakes the exchange at once (news in seconds, not at the next
/// poll). Reconnects after a failure, backing off as the poll does; the
/// poll above goes on regardless, so a stream that cannot open costs
/// nothing but speed. (It never waits on the trigger: a wake is the
/// exchange's alone.)
pub fn spawn_live(app: App, trigger: SyncTrigger) {
    tauri::async_runtime::spawn(async move {
        let mut failures = 0u32;
        loop {
            let wait = if matches!(app.sync_status().await, Ok(Some(_))) {
                match app.listen_live(|| trigger.wake()).await {
                    Ok(()) => failures = 0,
                    Err(_) => failures = failures.saturating_add(1),
                }
                delay_after(failures.max(1))
            } else {
                // Not enrolled yet: look again shortly.
                NOT_ENROLLED_CHECK
            };
            tokio::time::sleep(wait).await;
        }
    });
}

/// How often the live task looks whether the device was enrolled.
const NOT_ENROLLED_CHECK: Duration = Duration::from_secs(10);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_to_fifteen_minutes() {
        let secs: Vec<u64> = (0..9).map(|f| delay_after(f).as_secs()).collect();
        assert_eq!(secs, vec![120, 30, 60, 120, 240, 480, 900, 900, 900]);
        assert_eq!(delay_after(u32::MAX), MAX_BACKOFF);
    }
}
