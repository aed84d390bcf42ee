//! PostgreSQL's side of the live streams: the channel the feed's trigger
//! announces on (migration 0013) and a listener on it. `LISTEN/NOTIFY`
//! reaches every server process on the database, so a stream on one
//! process hears what a push on another added.

use sqlx::PgPool;
use sqlx::postgres::PgListener;

use crate::model::Scope;

const CHANNEL: &str = "tsunagu_feed";

/// A connection listening for the feed's announcements.
pub(crate) async fn listen(pool: &PgPool) -> sqlx::Result<PgListener> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Tells the open pages of `scope` (a team's, a referral's) that it
/// changed; `seq` is what they compare.
pub(crate) async fn announce(
    conn: &mut sqlx::PgConnection,
    scope: Scope,
    seq: i64,
) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_notify('tsunagu_feed', $1)")
        .bind(format!("{scope} {seq}"))
        .execute(conn)
        .await?;
    Ok(())
}

/// `<scope> <seq>` as the trigger writes it.
pub(crate) fn announcement(payload: &str) -> Option<(Scope, i64)> {
    let (scope, seq) = payload.rsplit_once(' ')?;
    Some((scope.parse().ok()?, seq.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announcements_read_back_as_the_trigger_writes_them() {
        let id = uuid::Uuid::now_v7();
        assert_eq!(
            announcement(&format!("org:{id} 42")),
            Some((Scope::Org(id), 42))
        );
        assert_eq!(announcement("desk 7"), Some((Scope::Desk, 7)));
        assert_eq!(
            announcement(&format!("team-summary:{id} 3")),
            Some((Scope::TeamSummary(id), 3))
        );
        assert_eq!(
            announcement(&format!("team:{id} 3")),
            Some((Scope::Team(id), 3))
        );
        assert_eq!(announcement("desk"), None);
        assert_eq!(announcement("nowhere 7"), None);
    }
}
