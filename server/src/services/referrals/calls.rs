//! The desk's call log on a referral: who it phoned and what it learned.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::db;
use crate::services::audit;
use crate::services::referrals::view;
use crate::services::sessions::SignedIn;

pub(crate) use crate::db::views::Call;

/// Newest first.
pub(crate) async fn calls(conn: &mut PgConnection, referral: Uuid) -> sqlx::Result<Vec<Call>> {
    db::views::calls(conn, referral).await
}

/// False if `user` may not see the referral (nothing is logged then).
pub(crate) async fn log_call(
    pool: &PgPool,
    user: &SignedIn,
    referral: Uuid,
    called: &str,
    learned: &str,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    if view::visible(&mut tx, user, referral).await?.is_none() {
        return Ok(false);
    }
    db::views::insert_call(&mut tx, referral, user.user_id, called, learned).await?;
    let id = referral.to_string();
    audit::record(&mut tx, &user.audit_actor(), "log-call", "referral", &id).await?;
    tx.commit().await?;
    Ok(true)
}
