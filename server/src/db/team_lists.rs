//! A person's list of teams, with unread counts and open requests.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// One line of an organisation's list of teams.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct TeamListRow {
    pub team_id: Uuid,
    pub member_id: Uuid,
    pub role: String,
    pub state: String,
    pub expires_at: Option<DateTime<Utc>>,
    /// A person's own membership (ward staff), and when its access ends.
    pub personal: bool,
    pub access_until: Option<DateTime<Utc>>,
    pub patient_name: Option<String>,
    pub patient_kana: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub clinic_name: String,
    pub unread: i64,
    pub open_requests: i64,
}

/// The teams an account is on or invited to through its organisation, or
/// by name (ward staff, until their access ends), with `reader`'s unread
/// count and open requests.
pub(crate) async fn teams_of(
    conn: &mut PgConnection,
    organisation: Uuid,
    user: Option<Uuid>,
    reader: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<TeamListRow>> {
    sqlx::query_as(
        "SELECT t.id AS team_id, m.id AS member_id, m.role, m.state, m.expires_at,
           m.user_id IS NOT NULL AS personal, m.access_until,
           p.name AS patient_name, p.kana AS patient_kana, p.birth_date, o.name AS clinic_name,
           t.last_seq - coalesce(rm.read_seq, 0) AS unread,
           (SELECT count(*) FROM team_requests q
             WHERE q.team_id = t.id AND q.state = 'open') AS open_requests
         FROM team_members m
         JOIN teams t ON t.id = m.team_id
         JOIN patients p ON p.id = t.patient_id
         JOIN organisations o ON o.id = t.clinic_id
         LEFT JOIN team_read_marks rm ON rm.team_id = t.id AND rm.reader = $2
         WHERE ((m.organisation_id = $1 AND m.user_id IS NULL) OR m.user_id = $3)
           AND m.state IN ('invited', 'awaiting_approval', 'active')
           AND (m.access_until IS NULL OR m.access_until > $4)
         ORDER BY t.last_seq - coalesce(rm.read_seq, 0) > 0 DESC, t.id DESC",
    )
    .bind(organisation)
    .bind(reader)
    .bind(user)
    .bind(now)
    .fetch_all(conn)
    .await
}
