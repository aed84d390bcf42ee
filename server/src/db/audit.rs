//! The audit log (`audit_log`): appended to by every change and every
//! read of patient data; the runtime role cannot change a row of it.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, PgExecutor};

pub(crate) async fn record(
    conn: &mut PgConnection,
    actor: &str,
    action: &str,
    entity_kind: &str,
    entity_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (actor, action, entity_kind, entity_id) VALUES ($1, $2, $3, $4)",
    )
    .bind(actor)
    .bind(action)
    .bind(entity_kind)
    .bind(entity_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// One row per referral read at once (`read` by a device's pull, `list`
/// by a portal list).
pub(crate) async fn record_referral_reads(
    ex: impl PgExecutor<'_>,
    actor: &str,
    action: &str,
    referrals: &[String],
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (actor, action, entity_kind, entity_id)
         SELECT $1, $3, 'referral', id FROM unnest($2::text[]) AS id",
    )
    .bind(actor)
    .bind(referrals)
    .bind(action)
    .execute(ex)
    .await?;
    Ok(())
}

/// The administrator's filter; `None` filters nothing. `who` and
/// `patient` are ILIKE patterns.
pub(crate) struct Filter {
    pub who: Option<String>,
    pub patient: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub before: Option<i64>,
    pub limit: i64,
}

/// An audit row with who the actor is and which patient it concerns.
#[derive(sqlx::FromRow)]
pub(crate) struct Entry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub who: String,
    pub action: String,
    pub entity_kind: String,
    pub entity_id: String,
    pub patient: Option<String>,
}

/// Newest first. Who an actor is: `user:<id>` and `device:<id>` are named
/// from their tables; the patient from the referral or patient the row is
/// about.
pub(crate) async fn entries(ex: impl PgExecutor<'_>, f: &Filter) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as(
        "WITH named AS (
               SELECT a.*,
                 coalesce(u.login || '（' || u.display_name || '）',
                          d.name || '（' || dorg.name || '）', a.actor) AS who,
                 p.name AS patient, p.kana AS patient_kana
               FROM audit_log a
               LEFT JOIN users u ON a.actor = 'user:' || u.id::text
               LEFT JOIN devices d ON a.actor = 'device:' || d.id::text
               LEFT JOIN organisations dorg ON dorg.id = d.organisation_id
               LEFT JOIN referrals r ON a.entity_kind = 'referral' AND a.entity_id = r.id::text
               LEFT JOIN patients p ON p.id = r.patient_id
                 OR (a.entity_kind = 'patient' AND a.entity_id = p.id::text)
             )
             SELECT seq, at, who, action, entity_kind, entity_id, patient FROM named
             WHERE ($1::text IS NULL OR who ILIKE $1)
               AND ($2::text IS NULL OR patient ILIKE $2 OR patient_kana ILIKE $2)
               AND ($3::date IS NULL OR at >= ($3::date)::timestamp AT TIME ZONE 'Asia/Tokyo')
               AND ($4::date IS NULL OR at < ($4::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo')
               AND ($6::bigint IS NULL OR seq < $6)
             ORDER BY seq DESC LIMIT $5",
    )
    .bind(&f.who)
    .bind(&f.patient)
    .bind(f.from)
    .bind(f.to)
    .bind(f.limit)
    .bind(f.before)
    .fetch_all(ex)
    .await
}
