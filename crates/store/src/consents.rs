//! The patient's consent to share with the region. Recording, changing or
//! withdrawing it queues what the server must be told, in the same
//! transaction (ADR 0008): consent given → the patient and every referral
//! not yet shared; withdrawn → nothing more, and what was still waiting is
//! held back.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;
use tsunagu_domain::{Consent, ConsentGiver, ConsentScope, TeamSharingConsent};
use uuid::Uuid;

use crate::Store;
use crate::audit::{self, AuditAction};
use crate::error::{StoreError, StoreResult};
use crate::outbox::{self, OutboxKind};
use crate::sql::Id;

const CONSENT: &str = "consent";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRecord {
    pub id: Uuid,
    pub patient_id: Uuid,
    /// The desk and hospital scopes, as before the team (ADR 0020).
    pub consent: Consent,
    /// Whether it names the home-care team.
    pub share_with_team: bool,
    /// Whether it names 事前登録 with the region's hospitals (issue 17).
    pub preregistration: bool,
    /// The hospitals chosen for 事前登録, in the order chosen; empty with
    /// the scope: every participating hospital; always empty without it.
    pub preregistered_with: Vec<Uuid>,
    /// The patient, or the family member who consented.
    pub given_by: ConsentGiver,
    pub recorded_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ConsentRow {
    id: Id,
    patient_id: Id,
    obtained_on: NaiveDate,
    obtained_by: String,
    share_with_desk: bool,
    share_with_hospital: bool,
    share_with_team: bool,
    preregistration: bool,
    /// A JSON array of ids.
    preregistered_with: String,
    family_name: Option<String>,
    family_relation: Option<String>,
    withdrawn_on: Option<NaiveDate>,
    recorded_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

const CONSENT_COLUMNS: &str = "id, patient_id, obtained_on, obtained_by, share_with_desk, \
     share_with_hospital, share_with_team, preregistration, preregistered_with, family_name, \
     family_relation, withdrawn_on, recorded_at, updated_at";

fn into_record(row: ConsentRow) -> StoreResult<ConsentRecord> {
    let preregistered_with: Vec<Id> = serde_json::from_str(&row.preregistered_with)
        .map_err(|_| StoreError::Corrupt("consent's pre-registered hospitals"))?;
    Ok(ConsentRecord {
        id: row.id.0,
        patient_id: row.patient_id.0,
        consent: Consent {
            obtained_on: row.obtained_on,
            obtained_by: row.obtained_by,
            share_with_desk: row.share_with_desk,
            share_with_hospital: row.share_with_hospital,
            withdrawn_on: row.withdrawn_on,
        },
        share_with_team: row.share_with_team,
        preregistration: row.preregistration,
        preregistered_with: preregistered_with.into_iter().map(Uuid::from).collect(),
        given_by: match (row.family_name, row.family_relation) {
            (Some(name), Some(relation)) => ConsentGiver::Family { name, relation },
            _ => ConsentGiver::Patient,
        },
        recorded_at: row.recorded_at,
        updated_at: row.updated_at,
    })
}

impl ConsentRecord {
    /// The consent with its whole scope (the team, 事前登録 and the
    /// hospitals chosen for it) and consenter, as the domain's rules read
    /// it (`team_may_share`, `in_force`, `preregistered_with`).
    pub fn team_sharing(&self) -> TeamSharingConsent {
        let c = &self.consent;
        let scopes = [
            (ConsentScope::Desk, c.share_with_desk),
            (ConsentScope::Hospital, c.share_with_hospital),
            (ConsentScope::Team, self.share_with_team),
            (ConsentScope::Preregistration, self.preregistration),
        ]
        .into_iter()
        .filter_map(|(scope, named)| named.then_some(scope))
        .collect();
        TeamSharingConsent {
            obtained_on: c.obtained_on,
            obtained_by: c.obtained_by.clone(),
            given_by: self.given_by.clone(),
            scopes,
            withdrawn_on: c.withdrawn_on,
            preregistered_with: self
                .preregistered_with
                .iter()
                .map(Uuid::to_string)
                .collect(),
        }
    }
}

/// A consent shares with someone: the condition, in SQL, for queueing
/// anything about its patient (`TeamSharingConsent::in_force`: any scope
/// named, 事前登録 alone too, since the server needs the patient's identity
/// for a hospital to find the patient). Its columns are unqualified: inside
/// a subquery on `consents` they name that table's.
pub(crate) const IN_FORCE_SQL: &str = "withdrawn_on IS NULL \
     AND (share_with_desk OR share_with_hospital OR share_with_team OR preregistration)";

/// Consent naming the team, in force: the condition for sharing anything
/// of the patient's team (`team_may_share`, which also asks for a date not
/// in the future; the store keeps only consents obtained by today).
pub(crate) const TEAM_IN_FORCE_SQL: &str = "withdrawn_on IS NULL AND share_with_team";

impl Store {
    /// A patient's consents, newest first.
    pub async fn consents_for_patient(&self, patient_id: Uuid) -> StoreResult<Vec<ConsentRecord>> {
        let sql = format!(
            "SELECT {CONSENT_COLUMNS} FROM consents WHERE patient_id = ?
             ORDER BY recorded_at DESC, id DESC"
        );
        sqlx::query_as::<_, ConsentRow>(sqlx::AssertSqlSafe(sql))
            .bind(Id(patient_id))
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(into_record)
            .collect()
    }

    pub async fn consent(&self, id: Uuid) -> StoreResult<ConsentRecord> {
        let mut conn = self.pool.acquire().await?;
        fetch(&mut conn, id).await
    }

    /// Records a new consent (`id` not yet stored) or changes one. Another
    /// consent of the same patient still in force is refused with
    /// [`StoreError::ConsentInForce`]: a patient has one standing consent.
    pub async fn save_consent(
        &self,
        id: Uuid,
        patient_id: Uuid,
        consent: &TeamSharingConsent,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<ConsentRecord> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let sql = format!(
            "SELECT EXISTS (SELECT 1 FROM consents WHERE patient_id = ? AND id <> ?
               AND {IN_FORCE_SQL})"
        );
        let other_in_force: bool = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(Id(patient_id))
            .bind(Id(id))
            .fetch_one(&mut *tx)
            .await?;
        if other_in_force && consent.in_force() {
            tx.rollback().await?;
            return Err(StoreError::ConsentInForce);
        }
        let was_in_force = consent_in_force(&mut tx, patient_id).await?;
        let existing: Option<Id> =
            sqlx::query_scalar("SELECT patient_id FROM consents WHERE id = ?")
                .bind(Id(id))
                .fetch_optional(&mut *tx)
                .await?;
        if existing.is_some_and(|p| p != Id(patient_id)) {
            tx.rollback().await?;
            return Err(StoreError::NotFound);
        }
        upsert(&mut tx, id, patient_id, consent, now).await?;
        let action = if existing.is_some() {
            AuditAction::Update
        } else {
            AuditAction::Create
        };
        audit::append(&mut tx, now, actor, action, CONSENT, &id.to_string()).await?;
        let in_force = consent.in_force();
        if was_in_force && !in_force {
            outbox::hold_back(&mut tx, patient_id).await?;
        }
        if !consent.shares_with(ConsentScope::Team) || !in_force {
            // The team shares nothing more: what waits about it stays here.
            outbox::hold_back_team(&mut tx, patient_id).await?;
        }
        // The patient comes first, so the server knows whom the consent is for.
        if in_force {
            outbox::enqueue(
                &mut tx,
                OutboxKind::PatientShared,
                patient_id,
                patient_id,
                now,
            )
            .await?;
        }
        // A consent the server never heard of, and that shares nothing, is
        // the clinic's business only.
        if in_force
            || was_in_force
            || outbox::queued_before(&mut tx, OutboxKind::ConsentRecorded, id).await?
        {
            outbox::enqueue(&mut tx, OutboxKind::ConsentRecorded, id, patient_id, now).await?;
        }
        if in_force {
            outbox::enqueue_backlog(&mut tx, patient_id, now).await?;
        }
        let record = fetch(&mut tx, id).await?;
        tx.commit().await?;
        Ok(record)
    }
}

pub(crate) async fn fetch(conn: &mut SqliteConnection, id: Uuid) -> StoreResult<ConsentRecord> {
    let sql = format!("SELECT {CONSENT_COLUMNS} FROM consents WHERE id = ?");
    let row: ConsentRow = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(Id(id))
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    into_record(row)
}

/// Whether the patient has a consent in force: the test every write makes
/// before it queues anything about the patient for the server.
pub(crate) async fn consent_in_force(
    conn: &mut SqliteConnection,
    patient_id: Uuid,
) -> StoreResult<bool> {
    let sql =
        format!("SELECT EXISTS (SELECT 1 FROM consents WHERE patient_id = ? AND {IN_FORCE_SQL})");
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(Id(patient_id))
        .fetch_one(conn)
        .await?)
}

/// Whether the patient's consent in force names the team.
pub(crate) async fn team_consent_in_force(
    conn: &mut SqliteConnection,
    patient_id: Uuid,
) -> StoreResult<bool> {
    let sql = format!(
        "SELECT EXISTS (SELECT 1 FROM consents WHERE patient_id = ? AND {TEAM_IN_FORCE_SQL})"
    );
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(Id(patient_id))
        .fetch_one(conn)
        .await?)
}

/// Consents from the clinic's feed, in feed order. One with a change of
/// this install's still waiting to be sent keeps the local version: it is
/// newer, and it is what the outbox will send. Nothing is queued: the
/// server already has these.
pub(crate) async fn apply_pulled(
    conn: &mut SqliteConnection,
    consents: &[(Uuid, Uuid, &TeamSharingConsent)],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    for (id, patient_id, consent) in consents {
        let waiting: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM sync_outbox WHERE kind = 'consent_recorded'
               AND record_id = ? AND state = 'pending')",
        )
        .bind(Id(*id))
        .fetch_one(&mut *conn)
        .await?;
        if waiting {
            continue;
        }
        upsert(conn, *id, *patient_id, consent, now).await?;
    }
    Ok(())
}

/// Writes the consent as given (a new one, or a change to one of the same
/// patient; one of another patient is left as it is).
async fn upsert(
    conn: &mut SqliteConnection,
    id: Uuid,
    patient_id: Uuid,
    consent: &TeamSharingConsent,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let (family_name, family_relation) = match &consent.given_by {
        ConsentGiver::Patient => (None, None),
        ConsentGiver::Family { name, relation } => (Some(name), Some(relation)),
    };
    let preregistration = consent.shares_with(ConsentScope::Preregistration);
    let preregistered_with = preregistered_json(consent)?;
    sqlx::query(
        "INSERT INTO consents (id, patient_id, obtained_on, obtained_by, share_with_desk,
             share_with_hospital, share_with_team, preregistration, preregistered_with,
             family_name, family_relation, withdrawn_on, recorded_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET obtained_on = excluded.obtained_on,
             obtained_by = excluded.obtained_by, share_with_desk = excluded.share_with_desk,
             share_with_hospital = excluded.share_with_hospital,
             share_with_team = excluded.share_with_team,
             preregistration = excluded.preregistration,
             preregistered_with = excluded.preregistered_with,
             family_name = excluded.family_name, family_relation = excluded.family_relation,
             withdrawn_on = excluded.withdrawn_on, updated_at = excluded.updated_at
         WHERE consents.patient_id = excluded.patient_id",
    )
    .bind(Id(id))
    .bind(Id(patient_id))
    .bind(consent.obtained_on)
    .bind(&consent.obtained_by)
    .bind(consent.shares_with(ConsentScope::Desk))
    .bind(consent.shares_with(ConsentScope::Hospital))
    .bind(consent.shares_with(ConsentScope::Team))
    .bind(preregistration)
    .bind(preregistered_with)
    .bind(family_name)
    .bind(family_relation)
    .bind(consent.withdrawn_on)
    .bind(now)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The hospitals chosen for 事前登録 as the column keeps them: a JSON
/// array of ids (none without the scope). A text that is no id names no
/// hospital.
fn preregistered_json(consent: &TeamSharingConsent) -> StoreResult<String> {
    if !consent.shares_with(ConsentScope::Preregistration) {
        return Ok("[]".to_string());
    }
    let ids = consent
        .preregistered_with
        .iter()
        .map(|h| Uuid::parse_str(h).map(Id).map_err(|_| StoreError::NotFound))
        .collect::<StoreResult<Vec<Id>>>()?;
    serde_json::to_string(&ids).map_err(|_| StoreError::Corrupt("pre-registered hospitals"))
}
