//! What the portal's pages read beyond the records themselves: referral
//! summaries as a viewer may see them, the desk's call log, and the rows
//! the loop figures are counted from.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// Which referrals a portal viewer (of the organisation inside) may see.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Viewer {
    /// The desk: while the patient's consent covers the desk.
    Desk(Uuid),
    /// A hospital: while the referral is with it (not after it
    /// transferred the patient on) and the consent covers hospitals.
    Hospital(Uuid),
    /// A person (by user id) under a live break-glass for the referral,
    /// while its patient's identity is held (ADR 0018).
    BreakGlass(Uuid),
}

impl Viewer {
    /// The organisation, or the person under break-glass.
    fn organisation(self) -> Uuid {
        match self {
            Viewer::Desk(id) | Viewer::Hospital(id) | Viewer::BreakGlass(id) => id,
        }
    }

    /// The SQL condition on `r` (a referral); `$1` is the organisation
    /// (the person, under break-glass).
    fn condition(self) -> &'static str {
        match self {
            Viewer::Desk(_) => {
                "EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = r.patient_id
                   AND c.withdrawn_on IS NULL AND c.desk) AND $1::uuid IS NOT NULL"
            }
            Viewer::Hospital(_) => {
                "r.hospital_id = $1 AND hospital_may_see(r.patient_id, r.hospital_id)"
            }
            Viewer::BreakGlass(_) => {
                "EXISTS (SELECT 1 FROM break_glass b WHERE b.referral_id = r.id
                   AND b.user_id = $1 AND b.ended_at IS NULL AND b.expires_at > now())
                 AND EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = r.patient_id
                   AND c.withdrawn_on IS NULL AND (c.desk OR c.destination_hospital))"
            }
        }
    }
}

/// A referral with its patient, clinic and hospital.
#[derive(sqlx::FromRow)]
pub(crate) struct SummaryRow {
    pub id: Uuid,
    pub tracking_code: String,
    pub name: String,
    pub kana: String,
    pub birth_date: NaiveDate,
    pub sex: String,
    pub clinic: String,
    /// The clinic's numbers as registered (a letter gives its own).
    pub clinic_phone: String,
    pub clinic_fax: String,
    pub letter: Option<serde_json::Value>,
    pub hospital: Option<String>,
}

const SUMMARY_COLUMNS: &str = "r.id, r.tracking_code, p.name, p.kana, p.birth_date, p.sex,
    c.name AS clinic, c.phone AS clinic_phone, c.fax AS clinic_fax, r.letter,
    h.name AS hospital
    FROM referrals r JOIN patients p ON p.id = r.patient_id
    JOIN organisations c ON c.id = r.clinic_id
    LEFT JOIN organisations h ON h.id = r.hospital_id";

/// The referral, if `viewer` may see it.
pub(crate) async fn visible(
    conn: &mut PgConnection,
    viewer: Viewer,
    referral: Uuid,
) -> sqlx::Result<Option<SummaryRow>> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} WHERE r.id = $2 AND {}",
        viewer.condition()
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(viewer.organisation())
        .bind(referral)
        .fetch_optional(conn)
        .await
}

/// Every referral `viewer` may see, oldest first.
pub(crate) async fn all_visible(
    conn: &mut PgConnection,
    viewer: Viewer,
) -> sqlx::Result<Vec<SummaryRow>> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} WHERE {} ORDER BY r.created_at",
        viewer.condition()
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(viewer.organisation())
        .fetch_all(conn)
        .await
}

/// A call the desk logged on a referral.
#[derive(sqlx::FromRow)]
pub(crate) struct Call {
    pub at: DateTime<Utc>,
    pub by: String,
    pub called: String,
    pub learned: String,
}

/// Newest first.
pub(crate) async fn calls(conn: &mut PgConnection, referral: Uuid) -> sqlx::Result<Vec<Call>> {
    sqlx::query_as(
        "SELECT c.at, u.display_name AS by, c.called, c.learned FROM call_logs c
         JOIN users u ON u.id = c.user_id WHERE c.referral_id = $1 ORDER BY c.at DESC",
    )
    .bind(referral)
    .fetch_all(conn)
    .await
}

pub(crate) async fn insert_call(
    conn: &mut PgConnection,
    referral: Uuid,
    user: Uuid,
    called: &str,
    learned: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO call_logs (id, referral_id, user_id, called, learned)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(Uuid::now_v7())
    .bind(referral)
    .bind(user)
    .bind(called)
    .bind(learned)
    .execute(conn)
    .await?;
    Ok(())
}

/// Referrals the desk may see, each with the name of the hospital it is
/// with now.
pub(crate) async fn desk_referrals_by_hospital(
    conn: &mut PgConnection,
) -> sqlx::Result<Vec<(Uuid, Option<String>)>> {
    sqlx::query_as(
        "SELECT r.id, h.name FROM referrals r
         LEFT JOIN organisations h ON h.id = r.hospital_id
         WHERE EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = r.patient_id
                       AND c.withdrawn_on IS NULL AND c.desk)",
    )
    .fetch_all(conn)
    .await
}
