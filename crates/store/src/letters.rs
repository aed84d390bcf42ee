//! Letter drafts (saved as the user types), issued letters (immutable, with
//! their PDF and its SHA-256), the referral episode an issued referral
//! letter opens, and the destinations offered when addressing a letter.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;
use uuid::Uuid;

use crate::Store;
use crate::audit::{self, AuditAction};
use crate::error::{StoreError, StoreResult};
use crate::sql::Id;

const LETTER: &str = "letter";
/// The audit's kind for a letter saved as a FHIR document.
const LETTER_FHIR: &str = "letter_fhir";

/// Stored as its [`code`](Self::code), which is the variant's name in
/// snake_case as sqlx writes and reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type)]
#[sqlx(rename_all = "snake_case")]
pub enum LetterKind {
    Referral,
    Discharge,
}

impl LetterKind {
    pub fn code(self) -> &'static str {
        match self {
            LetterKind::Referral => "referral",
            LetterKind::Discharge => "discharge",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [LetterKind::Referral, LetterKind::Discharge]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterDraftRecord {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub kind: LetterKind,
    /// The app's draft JSON: what the user typed, valid or not.
    pub content: String,
    pub supersedes: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Destination {
    pub institution: String,
    pub department: String,
    pub doctor: String,
}

/// How an issued letter relates to a referral episode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferralLink {
    /// A discharge letter: no episode of ours.
    None,
    /// A first referral letter opens an episode with its first event
    /// (紹介済).
    New {
        id: Uuid,
        tracking_code: String,
        sent_details: tsunagu_domain::EventDetails,
        /// The hospital registered on the regional server it is addressed
        /// to, if the destination is one.
        destination: Option<Uuid>,
    },
    /// A corrected referral letter stays in its episode.
    Existing(Uuid),
}

#[derive(Debug, Clone)]
pub struct NewLetter {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub kind: LetterKind,
    pub version: u32,
    pub supersedes: Option<Uuid>,
    pub referral: ReferralLink,
    pub to: Destination,
    pub draft: String,
    pub input: String,
    pub pdf: Vec<u8>,
    pub sha256: String,
    /// The date printed on the letter (the clinic's local date).
    pub issued_on: NaiveDate,
}

/// An issued letter without its PDF, for lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterSummary {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub kind: LetterKind,
    pub version: u32,
    pub supersedes: Option<Uuid>,
    pub superseded_by: Option<Uuid>,
    pub referral_id: Option<Uuid>,
    pub tracking_code: Option<String>,
    /// The latest status of the referral episode, e.g. "sent".
    pub referral_status: Option<String>,
    pub to: Destination,
    pub sha256: String,
    pub pdf_size: u64,
    pub issued_on: NaiveDate,
    pub issued_at: DateTime<Utc>,
    pub issued_by: String,
}

#[derive(sqlx::FromRow)]
struct DraftRow {
    id: Id,
    patient_id: Id,
    kind: LetterKind,
    content: String,
    supersedes: Option<Id>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl DraftRow {
    fn into_record(self) -> StoreResult<LetterDraftRecord> {
        Ok(LetterDraftRecord {
            id: self.id.0,
            patient_id: self.patient_id.0,
            kind: self.kind,
            content: self.content,
            supersedes: self.supersedes.map(Uuid::from),
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const SUMMARY_COLUMNS: &str = "l.id, l.patient_id, l.kind, l.version, l.supersedes,
    (SELECT n.id FROM letters n WHERE n.supersedes = l.id) AS superseded_by,
    l.referral_id, r.tracking_code,
    (SELECT s.status FROM referral_summaries s WHERE s.referral_id = l.referral_id)
      AS referral_status,
    l.to_institution, l.to_department, l.to_doctor, l.sha256, length(l.pdf) AS pdf_size,
    l.issued_on, l.issued_at, l.issued_by";

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: Id,
    patient_id: Id,
    kind: LetterKind,
    version: i64,
    supersedes: Option<Id>,
    superseded_by: Option<Id>,
    referral_id: Option<Id>,
    tracking_code: Option<String>,
    referral_status: Option<String>,
    to_institution: String,
    to_department: String,
    to_doctor: String,
    sha256: String,
    pdf_size: i64,
    issued_on: NaiveDate,
    issued_at: DateTime<Utc>,
    issued_by: String,
}

impl SummaryRow {
    fn into_summary(self) -> StoreResult<LetterSummary> {
        Ok(LetterSummary {
            id: self.id.0,
            patient_id: self.patient_id.0,
            kind: self.kind,
            version: u32::try_from(self.version).map_err(|_| StoreError::Corrupt("version"))?,
            supersedes: self.supersedes.map(Uuid::from),
            superseded_by: self.superseded_by.map(Uuid::from),
            referral_id: self.referral_id.map(Uuid::from),
            tracking_code: self.tracking_code,
            referral_status: self.referral_status,
            to: Destination {
                institution: self.to_institution,
                department: self.to_department,
                doctor: self.to_doctor,
            },
            sha256: self.sha256,
            pdf_size: self.pdf_size.max(0) as u64,
            issued_on: self.issued_on,
            issued_at: self.issued_at,
            issued_by: self.issued_by,
        })
    }
}

impl Store {
    /// Creates or replaces a draft's content (its patient and kind stay).
    pub async fn save_letter_draft(&self, draft: &LetterDraftRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO letter_drafts (id, patient_id, kind, content, supersedes, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at",
        )
        .bind(Id(draft.id))
        .bind(Id(draft.patient_id))
        .bind(draft.kind)
        .bind(&draft.content)
        .bind(draft.supersedes.map(Id))
        .bind(draft.created_at)
        .bind(draft.updated_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn letter_draft(&self, id: Uuid) -> StoreResult<LetterDraftRecord> {
        let row: DraftRow = sqlx::query_as("SELECT * FROM letter_drafts WHERE id = ?")
            .bind(Id(id))
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        row.into_record()
    }

    /// A patient's drafts, most recently edited first.
    pub async fn letter_drafts(&self, patient_id: Uuid) -> StoreResult<Vec<LetterDraftRecord>> {
        let rows: Vec<DraftRow> = sqlx::query_as(
            "SELECT * FROM letter_drafts WHERE patient_id = ? ORDER BY updated_at DESC, id",
        )
        .bind(Id(patient_id))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(DraftRow::into_record).collect()
    }

    pub async fn delete_letter_draft(&self, id: Uuid) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM letter_drafts WHERE id = ?")
            .bind(Id(id))
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Stores an issued letter and, in the same transaction, opens its
    /// referral episode, removes the draft it came from and writes the
    /// audit entry. The draft must still exist: issuing twice (two clicks,
    /// two windows) fails with `AlreadyIssued` and stores nothing.
    pub async fn issue_letter(
        &self,
        letter: &NewLetter,
        draft_id: Uuid,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<LetterSummary> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let removed = sqlx::query("DELETE FROM letter_drafts WHERE id = ?")
            .bind(Id(draft_id))
            .execute(&mut *tx)
            .await?;
        if removed.rows_affected() == 0 {
            // Roll back here rather than on drop: the connection is then idle
            // before this call returns (a rollback left to the pool can still
            // be running when a short-lived process exits).
            tx.rollback().await?;
            return Err(StoreError::AlreadyIssued);
        }
        if let Some(old) = letter.supersedes {
            let newer: Option<Id> =
                sqlx::query_scalar("SELECT id FROM letters WHERE supersedes = ?")
                    .bind(Id(old))
                    .fetch_optional(&mut *tx)
                    .await?;
            if newer.is_some() {
                tx.rollback().await?;
                return Err(StoreError::AlreadyIssued);
            }
        }
        let referral_id = match &letter.referral {
            ReferralLink::None => None,
            ReferralLink::Existing(id) => Some(*id),
            ReferralLink::New {
                id,
                tracking_code,
                sent_details,
                destination,
            } => {
                open_referral(
                    &mut tx,
                    *id,
                    letter,
                    (tracking_code, *destination),
                    sent_details,
                    actor,
                    now,
                )
                .await?;
                Some(*id)
            }
        };
        sqlx::query(
            "INSERT INTO letters (id, patient_id, kind, version, supersedes, referral_id,
                 to_institution, to_department, to_doctor, draft, input, pdf, sha256,
                 issued_on, issued_at, issued_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(Id(letter.id))
        .bind(Id(letter.patient_id))
        .bind(letter.kind)
        .bind(i64::from(letter.version))
        .bind(letter.supersedes.map(Id))
        .bind(referral_id.map(Id))
        .bind(&letter.to.institution)
        .bind(&letter.to.department)
        .bind(&letter.to.doctor)
        .bind(&letter.draft)
        .bind(&letter.input)
        .bind(&letter.pdf)
        .bind(&letter.sha256)
        .bind(letter.issued_on)
        .bind(now)
        .bind(actor)
        .execute(&mut *tx)
        .await?;
        // A correction of a referral the region was told of: it is told
        // again what the letter now says (a referral not yet told is sent
        // with its latest letter anyway).
        if let ReferralLink::Existing(referral) = letter.referral
            && crate::outbox::queued_before(
                &mut tx,
                crate::outbox::OutboxKind::ReferralOpened,
                referral,
            )
            .await?
        {
            crate::outbox::enqueue_if_consented(
                &mut tx,
                crate::outbox::OutboxKind::LetterRevised,
                letter.id,
                letter.patient_id,
                now,
            )
            .await?;
        }
        audit::append(
            &mut tx,
            now,
            actor,
            AuditAction::Issue,
            LETTER,
            &letter.id.to_string(),
        )
        .await?;
        let summary = summary(&mut tx, letter.id).await?;
        tx.commit().await?;
        Ok(summary)
    }

    /// A patient's issued letters, newest first.
    pub async fn letters_for_patient(&self, patient_id: Uuid) -> StoreResult<Vec<LetterSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM letters l LEFT JOIN referrals r ON r.id = l.referral_id
             WHERE l.patient_id = ? ORDER BY l.issued_at DESC, l.id DESC"
        );
        let rows: Vec<SummaryRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(Id(patient_id))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(SummaryRow::into_summary).collect()
    }

    pub async fn letter(&self, id: Uuid) -> StoreResult<LetterSummary> {
        let mut conn = self.pool.acquire().await?;
        summary(&mut conn, id).await
    }

    /// The draft JSON an issued letter was made from (to start a correction).
    pub async fn letter_draft_content(&self, id: Uuid) -> StoreResult<String> {
        sqlx::query_scalar("SELECT draft FROM letters WHERE id = ?")
            .bind(Id(id))
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The issued PDF, exactly as stored, for saving or printing; records
    /// who took it out.
    pub async fn letter_pdf(
        &self,
        id: Uuid,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<u8>> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let pdf: Vec<u8> = sqlx::query_scalar("SELECT pdf FROM letters WHERE id = ?")
            .bind(Id(id))
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        audit::append(
            &mut tx,
            now,
            actor,
            AuditAction::Print,
            LETTER,
            &id.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(pdf)
    }

    /// What an issued letter was rendered from (the letters crate's JSON)
    /// and its PDF, exactly as stored, to make the FHIR document that
    /// carries both. Not audited here: the caller records the document's
    /// leaving with [`Store::audit_letter_fhir`] once it is made.
    pub async fn letter_input_and_pdf(&self, id: Uuid) -> StoreResult<(String, Vec<u8>)> {
        sqlx::query_as("SELECT input, pdf FROM letters WHERE id = ?")
            .bind(Id(id))
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Notes in the audit log that an issued letter left as a FHIR
    /// document (which carries its PDF): printed, like the PDF itself.
    pub async fn audit_letter_fhir(
        &self,
        id: Uuid,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await?;
        audit::append(
            &mut conn,
            now,
            actor,
            AuditAction::Print,
            LETTER_FHIR,
            &id.to_string(),
        )
        .await
    }

    /// Destinations of the latest letters, most recent first, each once.
    pub async fn recent_destinations(&self, limit: u32) -> StoreResult<Vec<Destination>> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT to_institution, to_department, to_doctor FROM letters
             GROUP BY to_institution, to_department, to_doctor
             ORDER BY max(issued_at) DESC LIMIT ?",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(destination).collect())
    }

    pub async fn favourite_destinations(&self) -> StoreResult<Vec<Destination>> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT institution, department, doctor FROM favourite_destinations
             ORDER BY institution, department, doctor",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(destination).collect())
    }

    pub async fn set_favourite_destination(
        &self,
        to: &Destination,
        favourite: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let query = if favourite {
            sqlx::query(
                "INSERT OR IGNORE INTO favourite_destinations (institution, department, doctor, created_at)
                 VALUES (?, ?, ?, ?)",
            )
            .bind(&to.institution)
            .bind(&to.department)
            .bind(&to.doctor)
            .bind(now)
        } else {
            sqlx::query(
                "DELETE FROM favourite_destinations WHERE institution = ? AND department = ? AND doctor = ?",
            )
            .bind(&to.institution)
            .bind(&to.department)
            .bind(&to.doctor)
        };
        query.execute(&self.pool).await?;
        Ok(())
    }
}

fn destination((institution, department, doctor): (String, String, String)) -> Destination {
    Destination {
        institution,
        department,
        doctor,
    }
}

async fn open_referral(
    conn: &mut SqliteConnection,
    id: Uuid,
    letter: &NewLetter,
    (tracking_code, destination): (&str, Option<Uuid>),
    sent_details: &tsunagu_domain::EventDetails,
    actor: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let sent_json =
        serde_json::to_string(sent_details).map_err(|_| StoreError::Corrupt("event details"))?;
    sqlx::query(
        "INSERT INTO referrals (id, patient_id, tracking_code, created_at, destination_org_id)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(Id(id))
    .bind(Id(letter.patient_id))
    .bind(tracking_code)
    .bind(now)
    .bind(destination.map(Id))
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO referral_events (id, referral_id, status, details, source, at, actor)
         VALUES (?, ?, ?, ?, 'clinic', ?, ?)",
    )
    .bind(Id(Uuid::now_v7()))
    .bind(Id(id))
    .bind(sent_details.status().code())
    .bind(sent_json)
    .bind(now)
    .bind(actor)
    .execute(&mut *conn)
    .await?;
    crate::outbox::enqueue_if_consented(
        conn,
        crate::outbox::OutboxKind::ReferralOpened,
        id,
        letter.patient_id,
        now,
    )
    .await?;
    crate::referral_summary::refresh(conn, id).await
}

async fn summary(conn: &mut SqliteConnection, id: Uuid) -> StoreResult<LetterSummary> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM letters l LEFT JOIN referrals r ON r.id = l.referral_id
         WHERE l.id = ?"
    );
    let row: SummaryRow = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(Id(id))
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    row.into_summary()
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod notes_migration;
