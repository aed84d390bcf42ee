//! Rows kept only to count recent attempts (sign-in and lookup failures,
//! missed claims, failed enrollment codes) and sessions long over: swept
//! once they can no longer matter, so those tables stay small. Nothing of
//! the audit log or the records is touched.

use std::time::Duration;

use sqlx::PgPool;

/// How long a counted attempt or an ended session is kept: far beyond the
/// 15-minute windows and the 12-hour session limit, for anyone looking
/// into an incident the same day.
const KEEP_HOURS: i32 = 48;
const EVERY: Duration = Duration::from_secs(60 * 60);

/// Deletes what is past keeping; the number of rows removed.
pub async fn sweep(pool: &PgPool) -> sqlx::Result<u64> {
    crate::db::housekeeping::sweep(pool, KEEP_HOURS).await
}

/// Sweeps every hour for as long as the server runs.
pub fn spawn(pool: PgPool) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = sweep(&pool).await {
                // The kind only: never a row's content.
                eprintln!(
                    "tsunagu-server: housekeeping failed ({})",
                    crate::db::error::error_kind(&e)
                );
            }
            tokio::time::sleep(EVERY).await;
        }
    });
}
