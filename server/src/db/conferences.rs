//! `team_conferences` and `conference_invitees` (migration 0023): a team's
//! 退院時カンファレンス and who answered what.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ConferenceRow {
    pub id: Uuid,
    pub team_id: Uuid,
    pub referral_id: Option<Uuid>,
    pub starts_at: DateTime<Utc>,
    pub place: String,
    pub link: String,
    pub note: String,
    pub state: String,
    pub organiser_member: Uuid,
    pub organiser: String,
    pub scheduled_at: DateTime<Utc>,
    pub reminded_at: Option<DateTime<Utc>>,
    pub minutes_entry: Option<Uuid>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct InviteeRow {
    pub conference_id: Uuid,
    pub member_id: Uuid,
    pub attendance: String,
    pub answered_by: String,
    pub answered_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, team_id, referral_id, starts_at, place, link, note, state,
    organiser_member, organiser, scheduled_at, reminded_at, minutes_entry";

pub(crate) struct NewConference<'a> {
    pub id: Uuid,
    pub team: Uuid,
    pub referral: Option<Uuid>,
    pub starts_at: DateTime<Utc>,
    pub place: &'a str,
    pub link: &'a str,
    pub note: &'a str,
    pub organiser_member: Uuid,
    pub organiser: &'a str,
    pub organiser_actor: &'a str,
    pub invitees: &'a [Uuid],
}

/// False if the id is taken.
pub(crate) async fn insert(conn: &mut PgConnection, c: &NewConference<'_>) -> sqlx::Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO team_conferences (id, team_id, referral_id, starts_at, place, link, note,
           state, organiser_member, organiser, organiser_actor)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'scheduled', $8, $9, $10) ON CONFLICT DO NOTHING",
    )
    .bind(c.id)
    .bind(c.team)
    .bind(c.referral)
    .bind(c.starts_at)
    .bind(c.place)
    .bind(c.link)
    .bind(c.note)
    .bind(c.organiser_member)
    .bind(c.organiser)
    .bind(c.organiser_actor)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if inserted {
        sqlx::query(
            "INSERT INTO conference_invitees (conference_id, member_id)
             SELECT $1, unnest($2::uuid[])",
        )
        .bind(c.id)
        .bind(c.invitees)
        .execute(conn)
        .await?;
    }
    Ok(inserted)
}

pub(crate) async fn get(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<ConferenceRow>> {
    let sql = format!("SELECT {COLUMNS} FROM team_conferences WHERE id = $1");
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The team's conferences, soonest first.
pub(crate) async fn of_team(
    conn: &mut PgConnection,
    team: Uuid,
) -> sqlx::Result<Vec<ConferenceRow>> {
    let sql =
        format!("SELECT {COLUMNS} FROM team_conferences WHERE team_id = $1 ORDER BY starts_at, id");
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(team)
        .fetch_all(conn)
        .await
}

pub(crate) async fn invitees(
    conn: &mut PgConnection,
    conferences: &[Uuid],
) -> sqlx::Result<Vec<InviteeRow>> {
    sqlx::query_as(
        "SELECT conference_id, member_id, attendance, answered_by, answered_at
         FROM conference_invitees WHERE conference_id = ANY($1) ORDER BY conference_id, member_id",
    )
    .bind(conferences)
    .fetch_all(conn)
    .await
}

pub(crate) async fn answer(
    conn: &mut PgConnection,
    conference: Uuid,
    member: Uuid,
    attendance: &str,
    by: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE conference_invitees SET attendance = $3, answered_by = $4, answered_at = now()
         WHERE conference_id = $1 AND member_id = $2",
    )
    .bind(conference)
    .bind(member)
    .bind(attendance)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn set_state(
    conn: &mut PgConnection,
    conference: Uuid,
    state: &str,
    minutes_entry: Option<Uuid>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE team_conferences SET state = $2, minutes_entry = $3 WHERE id = $1")
        .bind(conference)
        .bind(state)
        .bind(minutes_entry)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn mark_reminded(conn: &mut PgConnection, conference: Uuid) -> sqlx::Result<()> {
    sqlx::query("UPDATE team_conferences SET reminded_at = now() WHERE id = $1")
        .bind(conference)
        .execute(conn)
        .await?;
    Ok(())
}

/// Scheduled conferences not yet reminded that start before `until`.
pub(crate) async fn to_remind(
    conn: &mut PgConnection,
    until: DateTime<Utc>,
) -> sqlx::Result<Vec<(Uuid, Uuid)>> {
    sqlx::query_as(
        "SELECT id, team_id FROM team_conferences
         WHERE state = 'scheduled' AND reminded_at IS NULL AND starts_at <= $1
         ORDER BY starts_at LIMIT 1000",
    )
    .bind(until)
    .fetch_all(conn)
    .await
}
