//! A referral's recorded events (`referral_events`), in the order they
//! were appended.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// The referral an event id already belongs to.
pub(crate) async fn referral_of(
    conn: &mut PgConnection,
    event: Uuid,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar("SELECT referral_id FROM referral_events WHERE id = $1")
        .bind(event)
        .fetch_optional(conn)
        .await
}

/// The organisation that recorded an event of this referral.
pub(crate) async fn recorded_by(
    conn: &mut PgConnection,
    event: Uuid,
    referral: Uuid,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar(
        "SELECT organisation_id FROM referral_events WHERE id = $1 AND referral_id = $2",
    )
    .bind(event)
    .bind(referral)
    .fetch_optional(conn)
    .await
}

pub(crate) struct NewEvent<'a> {
    pub id: Uuid,
    pub referral: Uuid,
    pub details: Option<serde_json::Value>,
    pub voids: Option<Uuid>,
    pub note: &'a str,
    pub source: &'a str,
    pub organisation: Uuid,
    pub actor: &'a str,
}

/// When it was recorded.
pub(crate) async fn insert(
    conn: &mut PgConnection,
    e: NewEvent<'_>,
) -> sqlx::Result<DateTime<Utc>> {
    sqlx::query_scalar(
        "INSERT INTO referral_events (id, referral_id, details, voids, note, source,
           organisation_id, actor)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING recorded_at",
    )
    .bind(e.id)
    .bind(e.referral)
    .bind(e.details)
    .bind(e.voids)
    .bind(e.note)
    .bind(e.source)
    .bind(e.organisation)
    .bind(e.actor)
    .fetch_one(conn)
    .await
}

/// An event as stored.
#[derive(sqlx::FromRow)]
pub(crate) struct Stored {
    pub referral_id: Uuid,
    pub id: Uuid,
    pub details: Option<serde_json::Value>,
    pub voids: Option<Uuid>,
    pub note: String,
    pub source: String,
    pub actor: String,
    pub recorded_at: DateTime<Utc>,
    /// Who recorded it: only they may void it.
    pub organisation_id: Uuid,
}

/// The events of `referrals`, each referral's oldest first.
pub(crate) async fn of_referrals(
    conn: &mut PgConnection,
    referrals: &[Uuid],
) -> sqlx::Result<Vec<Stored>> {
    sqlx::query_as(
        "SELECT referral_id, id, details, voids, note, source, actor, recorded_at,
           organisation_id
         FROM referral_events WHERE referral_id = ANY($1) ORDER BY referral_id, seq",
    )
    .bind(referrals)
    .fetch_all(conn)
    .await
}
