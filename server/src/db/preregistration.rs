//! Pre-registered patients (事前登録, issue 17) as a hospital's liaison
//! finds them: by the keys of a whole name and the birth date, only under
//! a consent in force that pre-registers the patient with that hospital.

use chrono::NaiveDate;
use sqlx::PgConnection;
use tsunagu_domain::preregistration::LookupKey;
use uuid::Uuid;

/// A pre-registered patient a look-up matched, with the family doctor.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct Match {
    pub patient_id: Uuid,
    pub name: String,
    pub kana: String,
    pub birth_date: NaiveDate,
    pub sex: String,
    pub clinic_name: String,
    pub clinic_phone: String,
    pub clinic_fax: String,
}

const MATCH_COLUMNS: &str = "p.id AS patient_id, p.name, p.kana, p.birth_date, p.sex,
           o.name AS clinic_name, o.phone AS clinic_phone, o.fax AS clinic_fax";

/// The patient pre-registered with `hospital` (`$2`) under a consent in
/// force: migration 0020's function, which `hospital_may_see` shares.
const PREREGISTERED_HERE: &str = "preregistered_with(p.id, $2)";

/// One patient, as a look-up found them, if still pre-registered with
/// `hospital` (the admission form shown again with its refusal).
pub(crate) async fn by_id(
    conn: &mut PgConnection,
    patient: Uuid,
    hospital: Uuid,
) -> sqlx::Result<Option<Match>> {
    let sql = format!(
        "SELECT {MATCH_COLUMNS} FROM patients p JOIN organisations o ON o.id = p.clinic_id
         WHERE p.id = $1 AND {PREREGISTERED_HERE}"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(patient)
        .bind(hospital)
        .fetch_optional(conn)
        .await
}

/// At most `limit` patients `key` matches for `hospital`.
pub(crate) async fn matching(
    conn: &mut PgConnection,
    key: &LookupKey,
    hospital: Uuid,
    limit: i64,
) -> sqlx::Result<Vec<Match>> {
    let sql = format!(
        "SELECT {MATCH_COLUMNS} FROM patients p JOIN organisations o ON o.id = p.clinic_id
         WHERE p.birth_date = $1 AND (p.name_key = $3 OR p.kana_key = $3)
           AND ($4::text IS NULL OR p.sex = $4)
           AND {PREREGISTERED_HERE}
         ORDER BY p.id LIMIT $5"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(key.birth_date)
        .bind(hospital)
        .bind(&key.name_key)
        .bind(key.sex.map(|s| s.code()))
        .bind(limit)
        .fetch_all(conn)
        .await
}

/// The clinic of a patient pre-registered with `hospital` under a consent
/// in force, the patient's row locked until the transaction ends (two
/// liaisons admitting the same patient at once open one episode).
pub(crate) async fn clinic_for_update(
    conn: &mut PgConnection,
    patient: Uuid,
    hospital: Uuid,
) -> sqlx::Result<Option<Uuid>> {
    let sql = format!(
        "SELECT p.clinic_id FROM patients p WHERE p.id = $1 AND {PREREGISTERED_HERE}
         FOR UPDATE OF p"
    );
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(patient)
        .bind(hospital)
        .fetch_optional(conn)
        .await
}

/// Whether `actor` found the patient by a look-up within the last
/// `minutes` (the audit log's row of it): an admission is recorded for a
/// patient the liaison has just found, never for an id typed by hand.
pub(crate) async fn found_recently(
    conn: &mut PgConnection,
    actor: &str,
    patient: Uuid,
    minutes: i32,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM audit_log
           WHERE actor = $1 AND at > now() - make_interval(mins => $3)
             AND action = 'lookup-preregistered' AND entity_kind = 'patient'
             AND entity_id = $2)",
    )
    .bind(actor)
    .bind(patient.to_string())
    .bind(minutes)
    .fetch_one(conn)
    .await
}

/// The patient's referrals `hospital` holds now.
pub(crate) async fn held_by(
    conn: &mut PgConnection,
    patient: Uuid,
    hospital: Uuid,
) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar("SELECT id FROM referrals WHERE patient_id = $1 AND hospital_id = $2")
        .bind(patient)
        .bind(hospital)
        .fetch_all(conn)
        .await
}
