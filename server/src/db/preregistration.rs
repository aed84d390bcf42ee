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

/// At most `limit` patients `key` matches for `hospital`.
pub(crate) async fn matching(
    conn: &mut PgConnection,
    key: &LookupKey,
    hospital: Uuid,
    limit: i64,
) -> sqlx::Result<Vec<Match>> {
    sqlx::query_as(
        "SELECT p.id AS patient_id, p.name, p.kana, p.birth_date, p.sex,
           o.name AS clinic_name, o.phone AS clinic_phone,
           o.fax AS clinic_fax
         FROM patients p JOIN organisations o ON o.id = p.clinic_id
         WHERE p.birth_date = $1 AND (p.name_key = $2 OR p.kana_key = $2)
           AND ($3::text IS NULL OR p.sex = $3)
           AND EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = p.id
                 AND c.withdrawn_on IS NULL AND c.preregistration
                 AND (cardinality(c.preregistered_with) = 0
                      OR $4 = ANY (c.preregistered_with)))
         ORDER BY p.id LIMIT $5",
    )
    .bind(key.birth_date)
    .bind(&key.name_key)
    .bind(key.sex.map(|s| s.code()))
    .bind(hospital)
    .bind(limit)
    .fetch_all(conn)
    .await
}
