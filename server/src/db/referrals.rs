//! Patients, consents and referrals as the clinics share them
//! (`patients`, `consents`, `referrals`, `referral_legs`), and who may
//! see or record on a referral.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use tsunagu_domain::preregistration::{NAME_KEYS_VERSION, name_keys};
use uuid::Uuid;

pub(crate) struct Patient<'a> {
    pub id: Uuid,
    pub clinic: Uuid,
    pub name: &'a str,
    pub kana: &'a str,
    pub birth_date: NaiveDate,
    pub sex: &'a str,
}

/// The patient's row: its identity when `identity` (a consent is in
/// force), none otherwise (the id and clinic only). Last writer wins, all
/// fields together.
pub(crate) async fn upsert_patient(
    conn: &mut PgConnection,
    p: &Patient<'_>,
    identity: bool,
) -> sqlx::Result<()> {
    // The keys a pre-registered patient is looked up by (issue 17).
    let [name_key, kana_key] = name_keys(p.name, p.kana);
    sqlx::query(
        "INSERT INTO patients (id, clinic_id, name, kana, birth_date, sex, name_key, kana_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO UPDATE SET name = $3, kana = $4, birth_date = $5,
           sex = $6, name_key = $7, kana_key = $8, updated_at = now()",
    )
    .bind(p.id)
    .bind(p.clinic)
    .bind(identity.then_some(p.name))
    .bind(identity.then_some(p.kana))
    .bind(identity.then_some(p.birth_date))
    .bind(identity.then_some(p.sex))
    .bind(identity.then_some(name_key))
    .bind(identity.then_some(kana_key))
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes the look-up keys of a patient shared before they existed
/// (migration 0018), from the identity held.
pub(crate) async fn fill_missing_keys(conn: &mut PgConnection, patient: Uuid) -> sqlx::Result<()> {
    let held: Option<(String, String)> = sqlx::query_as(
        "SELECT name, kana FROM patients
         WHERE id = $1 AND name IS NOT NULL AND name_key IS NULL",
    )
    .bind(patient)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((name, kana)) = held {
        let [name_key, kana_key] = name_keys(&name, &kana);
        sqlx::query("UPDATE patients SET name_key = $2, kana_key = $3 WHERE id = $1")
            .bind(patient)
            .bind(name_key)
            .bind(kana_key)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Writes every held patient's look-up keys again if they were written
/// with an older folding than the domain's (`NAME_KEYS_VERSION`): run as
/// the server migrates, in one transaction.
pub(crate) async fn rekey_patients(pool: &sqlx::PgPool) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    let stored: i32 = sqlx::query_scalar(
        "SELECT version FROM search_key_versions WHERE keys = 'patients' FOR UPDATE",
    )
    .fetch_one(&mut *tx)
    .await?;
    if stored >= NAME_KEYS_VERSION {
        return Ok(());
    }
    let held: Vec<(Uuid, String, String)> =
        sqlx::query_as("SELECT id, name, kana FROM patients WHERE name IS NOT NULL")
            .fetch_all(&mut *tx)
            .await?;
    for chunk in held.chunks(5_000) {
        let (mut ids, mut names, mut kanas) = (Vec::new(), Vec::new(), Vec::new());
        for (id, name, kana) in chunk {
            let [name_key, kana_key] = name_keys(name, kana);
            ids.push(*id);
            names.push(name_key);
            kanas.push(kana_key);
        }
        sqlx::query(
            "UPDATE patients p SET name_key = u.name_key, kana_key = u.kana_key
             FROM unnest($1::uuid[], $2::text[], $3::text[]) AS u(id, name_key, kana_key)
             WHERE p.id = u.id",
        )
        .bind(&ids)
        .bind(&names)
        .bind(&kanas)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE search_key_versions SET version = $1 WHERE keys = 'patients'")
        .bind(NAME_KEYS_VERSION)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Whether the server holds the patient's identity.
pub(crate) async fn has_identity(conn: &mut PgConnection, patient: Uuid) -> sqlx::Result<bool> {
    Ok(
        sqlx::query_scalar::<_, bool>("SELECT name IS NOT NULL FROM patients WHERE id = $1")
            .bind(patient)
            .fetch_optional(conn)
            .await?
            .unwrap_or(false),
    )
}

/// Consent withdrawn: the patient's row keeps its id and clinic only.
pub(crate) async fn forget_identity(conn: &mut PgConnection, patient: Uuid) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE patients SET name = NULL, kana = NULL, birth_date = NULL, sex = NULL,
           name_key = NULL, kana_key = NULL, updated_at = now() WHERE id = $1",
    )
    .bind(patient)
    .execute(conn)
    .await?;
    Ok(())
}

/// The clinic that shared the patient.
pub(crate) async fn patient_owner(
    conn: &mut PgConnection,
    patient: Uuid,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar("SELECT clinic_id FROM patients WHERE id = $1")
        .bind(patient)
        .fetch_optional(conn)
        .await
}

pub(crate) struct Consent<'a> {
    pub id: Uuid,
    pub patient: Uuid,
    pub clinic: Uuid,
    pub obtained_on: NaiveDate,
    pub obtained_by: &'a str,
    pub desk: bool,
    pub destination_hospital: bool,
    pub withdrawn_on: Option<NaiveDate>,
    pub team: bool,
    /// The family member who consented (name, relation), or the patient.
    pub family: Option<(&'a str, &'a str)>,
    /// 事前登録, and the hospitals chosen (none: every participating one).
    pub preregistration: bool,
    pub preregistered_with: &'a [Uuid],
}

/// False if the consent's id belongs to another clinic or patient.
pub(crate) async fn upsert_consent(conn: &mut PgConnection, c: &Consent<'_>) -> sqlx::Result<bool> {
    Ok(sqlx::query(
        "INSERT INTO consents (id, patient_id, clinic_id, obtained_on, obtained_by, desk,
           destination_hospital, withdrawn_on, team, family_name, family_relation,
           preregistration, preregistered_with)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (id) DO UPDATE SET obtained_on = $4, obtained_by = $5, desk = $6,
           destination_hospital = $7, withdrawn_on = $8, team = $9, family_name = $10,
           family_relation = $11, preregistration = $12, preregistered_with = $13,
           updated_at = now()
         WHERE consents.clinic_id = $3 AND consents.patient_id = $2",
    )
    .bind(c.id)
    .bind(c.patient)
    .bind(c.clinic)
    .bind(c.obtained_on)
    .bind(c.obtained_by)
    .bind(c.desk)
    .bind(c.destination_hospital)
    .bind(c.withdrawn_on)
    .bind(c.team)
    .bind(c.family.map(|f| f.0))
    .bind(c.family.map(|f| f.1))
    .bind(c.preregistration)
    .bind(c.preregistered_with)
    .execute(conn)
    .await?
    .rows_affected()
        != 0)
}

/// Whether a consent in force lets anyone in the region see the patient
/// (the desk, hospitals, the team, or hospitals by 事前登録).
pub(crate) async fn consent_in_force(conn: &mut PgConnection, patient: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM consents WHERE patient_id = $1 AND withdrawn_on IS NULL
           AND (desk OR destination_hospital OR team OR preregistration))",
    )
    .bind(patient)
    .fetch_one(conn)
    .await
}

/// Whether this clinic already opened this referral, with this code and
/// this 紹介済 event.
pub(crate) async fn already_opened(
    conn: &mut PgConnection,
    referral: Uuid,
    clinic: Uuid,
    tracking_code: &str,
    sent: Uuid,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM referrals r JOIN referral_events e ON e.referral_id = r.id
           WHERE r.id = $1 AND r.clinic_id = $2 AND r.tracking_code = $3 AND e.id = $4)",
    )
    .bind(referral)
    .bind(clinic)
    .bind(tracking_code)
    .bind(sent)
    .fetch_one(conn)
    .await
}

pub(crate) struct NewReferral<'a> {
    pub id: Uuid,
    pub clinic: Uuid,
    pub patient: Uuid,
    pub tracking_code: &'a str,
    pub hospital: Option<Uuid>,
    pub letter: Option<serde_json::Value>,
}

/// When it was recorded; `None` if the id or the tracking code exists.
pub(crate) async fn insert(
    conn: &mut PgConnection,
    r: NewReferral<'_>,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar(
        "INSERT INTO referrals (id, clinic_id, patient_id, tracking_code, hospital_id, letter)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING created_at",
    )
    .bind(r.id)
    .bind(r.clinic)
    .bind(r.patient)
    .bind(r.tracking_code)
    .bind(r.hospital)
    .bind(r.letter)
    .fetch_optional(conn)
    .await
}

/// The hospital the referral is with now (`None`: with none).
pub(crate) async fn set_hospital(
    conn: &mut PgConnection,
    referral: Uuid,
    hospital: Option<Uuid>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE referrals SET hospital_id = $2 WHERE id = $1")
        .bind(referral)
        .bind(hospital)
        .execute(conn)
        .await?;
    Ok(())
}

/// A hospital the referral was addressed to, assigned or claimed by.
pub(crate) async fn add_leg(
    conn: &mut PgConnection,
    referral: Uuid,
    hospital: Uuid,
    how: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO referral_legs (referral_id, hospital_id, how) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(referral)
    .bind(hospital)
    .bind(how)
    .execute(conn)
    .await?;
    Ok(())
}

/// A referral by its tracking code, locked: its id, the hospital it is
/// with, and whether its patient's consent lets `hospital` see it.
pub(crate) async fn by_code_for_update(
    conn: &mut PgConnection,
    code: &str,
    hospital: Uuid,
) -> sqlx::Result<Option<(Uuid, Option<Uuid>, bool)>> {
    sqlx::query_as(
        "SELECT r.id, r.hospital_id, hospital_may_see(r.patient_id, $2)
         FROM referrals r WHERE r.tracking_code = $1 FOR UPDATE OF r",
    )
    .bind(code)
    .bind(hospital)
    .fetch_optional(conn)
    .await
}

/// A referral by its tracking code, if the patient's consent covers the
/// desk (`hospital` is `None`) or lets `hospital` see it.
pub(crate) async fn by_code_consented(
    conn: &mut PgConnection,
    code: &str,
    hospital: Option<Uuid>,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar(
        "SELECT r.id FROM referrals r WHERE r.tracking_code = $1
         AND CASE WHEN $2::uuid IS NULL
             THEN EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = r.patient_id
                          AND c.withdrawn_on IS NULL AND c.desk)
             ELSE hospital_may_see(r.patient_id, $2) END",
    )
    .bind(code)
    .bind(hospital)
    .fetch_optional(conn)
    .await
}

/// Who may see a referral: the clinic that made it, the hospital it is
/// with, and whether the patient's consent covers the desk and hospitals.
#[derive(sqlx::FromRow)]
pub(crate) struct Reach {
    pub clinic: Uuid,
    pub hospital: Option<Uuid>,
    pub desk_consent: bool,
    pub hospital_consent: bool,
}

const REACH: &str = "SELECT r.clinic_id AS clinic, r.hospital_id AS hospital,
       EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = r.patient_id
               AND c.withdrawn_on IS NULL AND c.desk) AS desk_consent,
       hospital_may_see(r.patient_id, r.hospital_id) AS hospital_consent
     FROM referrals r WHERE r.id = $1";

/// Locked until the transaction ends, so appends to one referral are
/// serialised.
pub(crate) async fn reach_for_update(
    conn: &mut PgConnection,
    referral: Uuid,
) -> sqlx::Result<Option<Reach>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{REACH} FOR UPDATE OF r")))
        .bind(referral)
        .fetch_optional(conn)
        .await
}

/// Of a referral that exists.
pub(crate) async fn reach(conn: &mut PgConnection, referral: Uuid) -> sqlx::Result<Reach> {
    sqlx::query_as(REACH).bind(referral).fetch_one(conn).await
}

/// The reach of a referral that may not exist.
pub(crate) async fn reach_of(
    conn: &mut PgConnection,
    referral: Uuid,
) -> sqlx::Result<Option<Reach>> {
    sqlx::query_as(REACH)
        .bind(referral)
        .fetch_optional(conn)
        .await
}

/// The clinic of a referral, a hospital's name, and whether the consent
/// covers the desk: what a hand-over tells.
pub(crate) async fn handover(
    conn: &mut PgConnection,
    referral: Uuid,
    hospital: Uuid,
) -> sqlx::Result<(Uuid, String, bool)> {
    sqlx::query_as(
        "SELECT r.clinic_id, o.name,
           EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = r.patient_id
                   AND c.withdrawn_on IS NULL AND c.desk)
         FROM referrals r, organisations o WHERE r.id = $1 AND o.id = $2",
    )
    .bind(referral)
    .bind(hospital)
    .fetch_one(conn)
    .await
}

/// The patient a referral is about.
pub(crate) async fn patient_of(
    conn: &mut PgConnection,
    referral: Uuid,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar("SELECT patient_id FROM referrals WHERE id = $1")
        .bind(referral)
        .fetch_optional(conn)
        .await
}

/// The patient's referrals held by a hospital now, with the hospital.
pub(crate) async fn held_of_patient(
    conn: &mut PgConnection,
    patient: Uuid,
) -> sqlx::Result<Vec<(Uuid, Uuid)>> {
    sqlx::query_as(
        "SELECT id, hospital_id FROM referrals WHERE patient_id = $1 AND hospital_id IS NOT NULL",
    )
    .bind(patient)
    .fetch_all(conn)
    .await
}

/// The patient's latest referral: the one the team follows.
pub(crate) async fn latest_of_patient(
    conn: &mut PgConnection,
    patient: Uuid,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar(
        "SELECT id FROM referrals WHERE patient_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(patient)
    .fetch_optional(conn)
    .await
}
