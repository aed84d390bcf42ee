//! Automatic backups: the app checks every ten minutes whether a backup is
//! due (a day since the last) and makes it. Failures are recorded by the
//! app (they show on 要確認); the task itself never stops.

use std::time::Duration;

use tsunagu_app::App;

const CHECK_EVERY: Duration = Duration::from_secs(10 * 60);

/// Runs for the life of the process.
pub fn spawn(app: App) {
    tauri::async_runtime::spawn(async move {
        loop {
            let _ = app.backup_if_due().await;
            tokio::time::sleep(CHECK_EVERY).await;
        }
    });
}
