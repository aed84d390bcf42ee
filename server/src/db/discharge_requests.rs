//! `discharge_requests`: a hospital's 退院後の在宅医療の相談 to the family
//! doctor's clinic, kept by the domain's codes (migration 0022).

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// A request as stored, with what the pages and the feed show of it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct RequestRow {
    pub id: Uuid,
    pub referral_id: Uuid,
    pub patient_id: Uuid,
    pub hospital_id: Uuid,
    pub hospital: String,
    pub clinic_id: Uuid,
    pub clinic: String,
    pub tracking_code: String,
    pub expected_date: NaiveDate,
    pub reply_by: NaiveDate,
    pub needs: Vec<String>,
    pub note: String,
    pub state: String,
    pub sent_by: String,
    pub sent_at: DateTime<Utc>,
    pub answer_text: String,
    pub answered_by: String,
    pub closed_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "d.id, d.referral_id, r.patient_id, d.hospital_id, o.name AS hospital,
    d.clinic_id, c.name AS clinic, r.tracking_code, d.expected_date, d.reply_by, d.needs, d.note, d.state, d.sent_by, d.sent_at,
    d.answer_text, d.answered_by, d.closed_at
    FROM discharge_requests d JOIN referrals r ON r.id = d.referral_id
    JOIN organisations o ON o.id = d.hospital_id JOIN organisations c ON c.id = d.clinic_id";

pub(crate) struct NewRequest<'a> {
    pub id: Uuid,
    pub referral: Uuid,
    pub hospital: Uuid,
    pub clinic: Uuid,
    pub expected_date: NaiveDate,
    pub reply_by: NaiveDate,
    pub needs: Vec<String>,
    pub note: &'a str,
    pub sent_by: &'a str,
    pub sent_by_actor: &'a str,
}

/// False when another request of the episode waits for its answer.
pub(crate) async fn insert(conn: &mut PgConnection, r: &NewRequest<'_>) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "INSERT INTO discharge_requests (id, referral_id, hospital_id, clinic_id, expected_date,
           reply_by, needs, note, state, sent_by, sent_by_actor)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10) ON CONFLICT DO NOTHING",
    )
    .bind(r.id)
    .bind(r.referral)
    .bind(r.hospital)
    .bind(r.clinic)
    .bind(r.expected_date)
    .bind(r.reply_by)
    .bind(&r.needs)
    .bind(r.note)
    .bind(r.sent_by)
    .bind(r.sent_by_actor)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub(crate) async fn get(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<RequestRow>> {
    let sql = format!("SELECT {COLUMNS} WHERE d.id = $1");
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The request, locked until the transaction ends.
pub(crate) async fn lock(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<RequestRow>> {
    sqlx::query("SELECT 1 FROM discharge_requests WHERE id = $1 FOR UPDATE")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    get(conn, id).await
}

/// The episode's requests, newest first.
pub(crate) async fn of_referral(
    conn: &mut PgConnection,
    referral: Uuid,
) -> sqlx::Result<Vec<RequestRow>> {
    let sql = format!("SELECT {COLUMNS} WHERE d.referral_id = $1 ORDER BY d.sent_at DESC, d.id");
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(referral)
        .fetch_all(conn)
        .await
}

/// The request's new state: an answer (with its text and who gave it),
/// a cancellation or an expiry.
pub(crate) async fn close(
    conn: &mut PgConnection,
    id: Uuid,
    state: &str,
    answer_text: &str,
    answered_by: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE discharge_requests
         SET state = $2, answer_text = $3, answered_by = $4, closed_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .bind(state)
    .bind(answer_text)
    .bind(answered_by)
    .execute(conn)
    .await?;
    Ok(())
}

/// Open requests whose reply-by day is before `today` (Japan's).
pub(crate) async fn open_past(
    conn: &mut PgConnection,
    today: NaiveDate,
    referral: Option<Uuid>,
) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar(
        "SELECT id FROM discharge_requests
         WHERE state = 'open' AND reply_by < $1 AND ($2::uuid IS NULL OR referral_id = $2)
         ORDER BY reply_by LIMIT 1000",
    )
    .bind(today)
    .bind(referral)
    .fetch_all(conn)
    .await
}

/// Requests that went unanswered past their day and are still of use to
/// chase (their discharge not yet a week past), for a hospital or (no
/// hospital) the desk, which sees those its consent covers.
pub(crate) async fn unanswered(
    conn: &mut PgConnection,
    hospital: Option<Uuid>,
    today: NaiveDate,
) -> sqlx::Result<Vec<RequestRow>> {
    let sql = format!(
        "SELECT {COLUMNS}
         WHERE (d.state = 'expired' OR (d.state = 'open' AND d.reply_by < $2))
           AND d.expected_date >= $2 - 7
           AND (d.hospital_id = $1 OR ($1::uuid IS NULL AND EXISTS (
                SELECT 1 FROM consents k WHERE k.patient_id = r.patient_id
                  AND k.withdrawn_on IS NULL AND k.desk)))
         ORDER BY d.expected_date, d.id LIMIT 200"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(hospital)
        .bind(today)
        .fetch_all(conn)
        .await
}

/// How one clinic or hospital's requests went.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct AnswerFigures {
    pub name: String,
    pub sent: i64,
    pub answered: i64,
    pub accepted: i64,
    pub median_hours: Option<f64>,
    pub unanswered: i64,
}

/// Per clinic (`by_clinic`) or per hospital. An answer is the domain's
/// `RequestState::is_answer`; unanswered, its `state_on` expiry, stored
/// or not yet swept.
pub(crate) async fn figures(
    conn: &mut PgConnection,
    by_clinic: bool,
    today: NaiveDate,
) -> sqlx::Result<Vec<AnswerFigures>> {
    let column = if by_clinic {
        "clinic_id"
    } else {
        "hospital_id"
    };
    let sql = format!(
        "SELECT o.name, count(*) AS sent,
           count(*) FILTER (WHERE d.state IN ('accepted', 'declined', 'consult')) AS answered,
           count(*) FILTER (WHERE d.state = 'accepted') AS accepted,
           percentile_cont(0.5) WITHIN GROUP (
             ORDER BY extract(epoch FROM d.closed_at - d.sent_at) / 3600.0)
             FILTER (WHERE d.state IN ('accepted', 'declined', 'consult')) AS median_hours,
           count(*) FILTER (WHERE d.state = 'expired'
             OR (d.state = 'open' AND d.reply_by < $1)) AS unanswered
         FROM discharge_requests d JOIN organisations o ON o.id = d.{column}
         GROUP BY o.id, o.name ORDER BY o.name"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(today)
        .fetch_all(conn)
        .await
}
