//! `intake_requests`: 受入相談 between organisations, kept by the domain's
//! codes (migration 0027).

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::db::discharge_requests::AnswerFigures;

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct IntakeRow {
    pub id: Uuid,
    pub from_org: Uuid,
    pub from_name: String,
    pub from_phone: String,
    pub from_kind: String,
    pub to_org: Uuid,
    pub to_name: String,
    pub to_kind: String,
    pub age: Option<i16>,
    pub sex: Option<String>,
    pub municipality: String,
    pub needs: Vec<String>,
    pub start_on: Option<NaiveDate>,
    pub summary: String,
    pub state: String,
    pub sent_by: String,
    pub sent_at: DateTime<Utc>,
    pub answer_text: String,
    pub answered_by: String,
    pub closed_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str =
    "i.id, i.from_org, f.name AS from_name, f.phone AS from_phone, f.kind AS from_kind,
    i.to_org, t.name AS to_name, t.kind AS to_kind, i.age, i.sex, i.municipality, i.needs,
    i.start_on, i.summary, i.state, i.sent_by, i.sent_at, i.answer_text, i.answered_by,
    i.closed_at
    FROM intake_requests i JOIN organisations f ON f.id = i.from_org
    JOIN organisations t ON t.id = i.to_org";

pub(crate) struct NewIntake<'a> {
    pub id: Uuid,
    pub from_org: Uuid,
    pub to_org: Uuid,
    pub age: Option<i16>,
    pub sex: Option<&'a str>,
    pub municipality: &'a str,
    pub needs: Vec<String>,
    pub start_on: Option<NaiveDate>,
    pub summary: &'a str,
    pub sent_by: &'a str,
    pub sent_by_actor: &'a str,
}

/// False when a request of that id exists (a device sending it again).
pub(crate) async fn insert(conn: &mut PgConnection, r: &NewIntake<'_>) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "INSERT INTO intake_requests (id, from_org, to_org, age, sex, municipality, needs,
           start_on, summary, sent_by, sent_by_actor)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING",
    )
    .bind(r.id)
    .bind(r.from_org)
    .bind(r.to_org)
    .bind(r.age)
    .bind(r.sex)
    .bind(r.municipality)
    .bind(&r.needs)
    .bind(r.start_on)
    .bind(r.summary)
    .bind(r.sent_by)
    .bind(r.sent_by_actor)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// One request, locked for the answer or withdrawal that reads it.
pub(crate) async fn get_for_update(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<IntakeRow>> {
    let sql = format!("SELECT {COLUMNS} WHERE i.id = $1 FOR UPDATE OF i");
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Those an organisation sent or received, the newest first.
pub(crate) async fn of_organisation(
    conn: &mut PgConnection,
    organisation: Uuid,
    limit: i64,
) -> sqlx::Result<Vec<IntakeRow>> {
    let sql = format!(
        "SELECT {COLUMNS} WHERE i.from_org = $1 OR i.to_org = $1 ORDER BY i.sent_at DESC LIMIT $2"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(organisation)
        .bind(limit)
        .fetch_all(conn)
        .await
}

/// Closes an open request with `state` (an answer or a withdrawal).
pub(crate) async fn close(
    conn: &mut PgConnection,
    id: Uuid,
    state: &str,
    answer_text: &str,
    answered_by: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE intake_requests SET state = $2, answer_text = $3, answered_by = $4,
           closed_at = now() WHERE id = $1 AND state = 'open'",
    )
    .bind(id)
    .bind(state)
    .bind(answer_text)
    .bind(answered_by)
    .execute(conn)
    .await?;
    Ok(())
}

/// Per organisation asked, those asked most first: how many, answered,
/// accepted, the median hours to an answer, and those waiting now (the
/// discharge requests' figures' shape, so the desk reads both alike).
pub(crate) async fn answer_times(conn: &mut PgConnection) -> sqlx::Result<Vec<AnswerFigures>> {
    sqlx::query_as(
        "SELECT o.name, count(*) AS sent,
           count(*) FILTER (WHERE i.state IN ('accepted', 'declined', 'consult')) AS answered,
           count(*) FILTER (WHERE i.state = 'accepted') AS accepted,
           percentile_cont(0.5) WITHIN GROUP
             (ORDER BY extract(epoch FROM i.closed_at - i.sent_at)::float8 / 3600)
             FILTER (WHERE i.state IN ('accepted', 'declined', 'consult')) AS median_hours,
           count(*) FILTER (WHERE i.state = 'open') AS unanswered
         FROM intake_requests i JOIN organisations o ON o.id = i.to_org
         GROUP BY o.id, o.name ORDER BY count(*) DESC, o.name LIMIT 200",
    )
    .fetch_all(conn)
    .await
}
