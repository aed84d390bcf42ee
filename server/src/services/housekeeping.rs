//! Rows kept only to count recent attempts (sign-in and lookup failures,
//! missed claims, failed enrollment codes) and sessions long over: swept
//! once they can no longer matter, so those tables stay small. Nothing of
//! the audit log or the records is touched. The same hourly round records
//! team invitations that ran out unanswered (`expire_invitations`) and
//! discharge requests left unanswered past their day
//! (`expire_discharge_requests`), and posts the day-before reminders of
//! discharge conferences (`remind_conferences`).

use std::time::Duration;

use sqlx::PgPool;

use crate::services::actor::Failure;

/// How long a counted attempt or an ended session is kept: far beyond the
/// 15-minute windows and the 12-hour session limit, for anyone looking
/// into an incident the same day.
const KEEP_HOURS: i32 = 48;
const EVERY: Duration = Duration::from_secs(60 * 60);

/// Deletes what is past keeping; the number of rows removed.
pub async fn sweep(pool: &PgPool) -> sqlx::Result<u64> {
    crate::db::housekeeping::sweep(pool, KEEP_HOURS).await
}

/// Records the discharge requests left unanswered past their day as
/// expired (and tells the clinic); the number expired.
pub async fn expire_discharge_requests(pool: &PgPool) -> sqlx::Result<u64> {
    match crate::services::discharge_requests::expire_due(pool).await {
        Ok(n) => Ok(n as u64),
        Err(Failure::Database(e)) => Err(e),
        Err(Failure::Refused(_)) => Ok(0),
    }
}

/// Posts the day-before reminder of each 退院時カンファレンス due one; the
/// number reminded.
pub async fn remind_conferences(pool: &PgPool) -> sqlx::Result<u64> {
    match crate::services::teams::conferences::remind_due(pool, chrono::Utc::now()).await {
        Ok(n) => Ok(n as u64),
        Err(Failure::Database(e)) => Err(e),
        Err(Failure::Refused(_)) => Ok(0),
    }
}

/// Records the team invitations past their time as expired (in the
/// team's history and the owning clinic's feed); the number expired.
pub async fn expire_invitations(pool: &PgPool) -> sqlx::Result<u64> {
    match crate::services::teams::members::expire_due(pool, chrono::Utc::now()).await {
        Ok(n) => Ok(n),
        Err(Failure::Database(e)) => Err(e),
        // Nothing here is refused: a team gone from under the sweep is
        // simply not swept.
        Err(Failure::Refused(_)) => Ok(0),
    }
}

/// Sweeps every hour for as long as the server runs.
pub fn spawn(pool: PgPool) {
    tokio::spawn(async move {
        loop {
            for result in [
                sweep(&pool).await,
                expire_invitations(&pool).await,
                expire_discharge_requests(&pool).await,
                remind_conferences(&pool).await,
            ] {
                if let Err(e) = result {
                    // The kind only: never a row's content.
                    eprintln!(
                        "tsunagu-server: housekeeping failed ({})",
                        crate::db::error::error_kind(&e)
                    );
                }
            }
            tokio::time::sleep(EVERY).await;
        }
    });
}
