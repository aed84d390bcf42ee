//! The outbox: what the regional server has still to be told, in order
//! (DESIGN.md §3, ADR 0008). Rows are written in the transaction of the
//! change they announce and only while the patient's consent is in force;
//! a row names its record, whose content is read when it is pushed.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use uuid::Uuid;

use crate::Store;
use crate::consents::{ConsentRecord, IN_FORCE_SQL, consent_in_force};
use crate::error::{StoreError, StoreResult};
use crate::patients::PatientRecord;
use crate::referrals::{StoredEvent, load_referral};
use crate::sql::Id;

/// Stored as its [`code`](Self::code), which is the variant's name in
/// snake_case as sqlx writes and reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(rename_all = "snake_case")]
pub enum OutboxKind {
    PatientShared,
    ConsentRecorded,
    ReferralOpened,
    EventAppended,
    /// A team operation (its JSON kept in the row).
    Team,
    /// The doctor's answer to a hospital's 退院後の在宅医療の相談 (its
    /// JSON kept in the row).
    DischargeAnswer,
    /// A 受入相談 sent, answered or withdrawn (the wire's operation as
    /// JSON, kept in the row).
    Intake,
    /// A corrected referral letter, issued as a new version of one the
    /// region already knows (the new letter's id).
    LetterRevised,
}

impl OutboxKind {
    pub fn code(self) -> &'static str {
        match self {
            OutboxKind::PatientShared => "patient_shared",
            OutboxKind::ConsentRecorded => "consent_recorded",
            OutboxKind::ReferralOpened => "referral_opened",
            OutboxKind::EventAppended => "event_appended",
            OutboxKind::Team => "team",
            OutboxKind::DischargeAnswer => "discharge_answer",
            OutboxKind::Intake => "intake",
            OutboxKind::LetterRevised => "letter_revised",
        }
    }
}

/// One pending operation: its number, its id (kept through retries and
/// renumbering) and the record it announces, as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingOperation {
    pub op_seq: i64,
    pub op_id: Uuid,
    pub item: OutboxItem,
}

/// The record a pending operation announces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboxItem {
    Patient {
        patient: PatientRecord,
    },
    Consent {
        record: ConsentRecord,
    },
    ReferralOpened {
        referral_id: Uuid,
        patient_id: Uuid,
        tracking_code: String,
        destination: Option<Uuid>,
        sent: StoredEvent,
        /// The latest issued referral letter's renderer input (the letters
        /// crate's `Letter` as JSON), from which the app tells the region
        /// who the family doctor is.
        letter_input: Option<String>,
    },
    Event {
        referral_id: Uuid,
        event: StoredEvent,
    },
    /// A team operation as queued (the app's wire JSON; the store does not
    /// read it), and the attachments the server must have before it: a
    /// post's files not yet uploaded.
    Team {
        payload: String,
        uploads: Vec<Uuid>,
    },
    /// The doctor's answer to a 退院後の在宅医療の相談, as queued (the
    /// app's wire JSON; the store does not read it).
    DischargeAnswer {
        payload: String,
    },
    /// A 受入相談's operation as queued (the app's wire JSON of the whole
    /// operation body; the store does not read it).
    Intake {
        payload: String,
    },
    /// A corrected referral letter: its referral, version and renderer
    /// input (the letters crate's `Letter` as JSON).
    LetterRevised {
        referral_id: Uuid,
        version: u32,
        letter_input: String,
    },
}

/// The server's answer to one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    Applied,
    /// Shown to the user as a conflict; the reason is the server's, in
    /// Japanese, without patient data.
    Refused(String),
}

/// An operation the server refused, for the user to see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedOperation {
    pub op_seq: i64,
    pub kind: OutboxKind,
    pub patient_id: Uuid,
    pub reason: String,
    pub settled_at: DateTime<Utc>,
}

impl Store {
    /// The oldest pending operations, at most `limit`, with their records.
    pub async fn pending_operations(&self, limit: u32) -> StoreResult<Vec<PendingOperation>> {
        let mut conn = self.pool.acquire().await?;
        let rows: Vec<(i64, Id, OutboxKind, Id, Option<String>)> = sqlx::query_as(
            "SELECT op_seq, op_id, kind, record_id, payload FROM sync_outbox
             WHERE state = 'pending' ORDER BY op_seq LIMIT ?",
        )
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        for (op_seq, op_id, kind, record, payload) in rows {
            let item = match (kind, payload) {
                (OutboxKind::Team, Some(payload)) => OutboxItem::Team {
                    uploads: crate::team::uploads_pending(&mut conn, record.0).await?,
                    payload,
                },
                (OutboxKind::Team, None) => return Err(StoreError::Corrupt("team operation")),
                (OutboxKind::DischargeAnswer, Some(payload)) => {
                    OutboxItem::DischargeAnswer { payload }
                }
                (OutboxKind::DischargeAnswer, None) => {
                    return Err(StoreError::Corrupt("discharge answer"));
                }
                (OutboxKind::Intake, Some(payload)) => OutboxItem::Intake { payload },
                (OutboxKind::Intake, None) => return Err(StoreError::Corrupt("intake operation")),
                (kind, _) => resolve(&mut conn, kind, record.0).await?,
            };
            items.push(PendingOperation {
                op_seq,
                op_id: op_id.0,
                item,
            });
        }
        Ok(items)
    }

    /// The server says `from` was another operation's number (this store
    /// was restored, or its folder copied): the waiting operations from
    /// `from` on are numbered again from `next` (or past every number this
    /// store has used, if that is higher), in the same order, keeping
    /// their ids.
    pub async fn renumber_pending(&self, from: i64, next: i64) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        move_pending(&mut tx, from, i64::MAX, next).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores the server's answers, in one transaction. A refused event no
    /// longer counts: its referral's summary is folded again.
    pub async fn settle_operations(
        &self,
        answers: &[(i64, Settlement)],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut refolded = std::collections::BTreeSet::new();
        for (op_seq, settlement) in answers {
            let (state, reason) = match settlement {
                Settlement::Applied => ("applied", None),
                Settlement::Refused(reason) => ("refused", Some(reason.as_str())),
            };
            // A row held back meanwhile (consent withdrawn) is gone: nothing to do.
            sqlx::query(
                "UPDATE sync_outbox SET state = ?, refusal = ?, settled_at = ?
                 WHERE op_seq = ? AND state = 'pending'",
            )
            .bind(state)
            .bind(reason)
            .bind(now)
            .bind(op_seq)
            .execute(&mut *tx)
            .await?;
            if matches!(settlement, Settlement::Refused(_)) {
                let referral: Option<Id> = sqlx::query_scalar(
                    "SELECT e.referral_id FROM sync_outbox o JOIN referral_events e
                       ON e.id = o.record_id
                     WHERE o.op_seq = ? AND o.kind = 'event_appended' AND o.state = 'refused'",
                )
                .bind(op_seq)
                .fetch_optional(&mut *tx)
                .await?;
                refolded.extend(referral);
                // A post the server refused is shown as such, not as waiting.
                sqlx::query(
                    "UPDATE team_entries SET state = 'refused' WHERE state = 'pending' AND id =
                       (SELECT record_id FROM sync_outbox WHERE op_seq = ? AND kind = 'team')",
                )
                .bind(op_seq)
                .execute(&mut *tx)
                .await?;
            }
        }
        for referral in refolded {
            crate::referral_summary::refresh(&mut tx, referral.0).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// How many operations wait to be sent.
    pub async fn pending_count(&self) -> StoreResult<i64> {
        Ok(
            sqlx::query_scalar("SELECT count(*) FROM sync_outbox WHERE state = 'pending'")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// The operations the server refused, newest first.
    pub async fn refused_operations(&self) -> StoreResult<Vec<RefusedOperation>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            op_seq: i64,
            kind: OutboxKind,
            patient_id: Id,
            refusal: Option<String>,
            settled_at: Option<DateTime<Utc>>,
        }
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT op_seq, kind, patient_id, refusal, settled_at FROM sync_outbox
             WHERE state = 'refused' ORDER BY op_seq DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(RefusedOperation {
                    op_seq: row.op_seq,
                    kind: row.kind,
                    patient_id: row.patient_id.0,
                    reason: row.refusal.unwrap_or_default(),
                    settled_at: row.settled_at.ok_or(StoreError::Corrupt("timestamp"))?,
                })
            })
            .collect()
    }
}

/// The renderer input of the latest issued version of the referral's
/// letter; the app reads it with the letters crate's own type.
async fn latest_letter_input(
    conn: &mut SqliteConnection,
    referral: Uuid,
) -> StoreResult<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT input FROM letters WHERE referral_id = ? AND kind = 'referral'
         ORDER BY version DESC LIMIT 1",
    )
    .bind(Id(referral))
    .fetch_optional(&mut *conn)
    .await?)
}

async fn resolve(
    conn: &mut SqliteConnection,
    kind: OutboxKind,
    record: Uuid,
) -> StoreResult<OutboxItem> {
    Ok(match kind {
        OutboxKind::PatientShared => OutboxItem::Patient {
            patient: crate::patients::fetch_by_id(conn, record)
                .await?
                .into_record()?,
        },
        OutboxKind::ConsentRecorded => OutboxItem::Consent {
            record: crate::consents::fetch(conn, record).await?,
        },
        OutboxKind::ReferralOpened => {
            let referral = load_referral(conn, record).await?;
            let destination: Option<Id> =
                sqlx::query_scalar("SELECT destination_org_id FROM referrals WHERE id = ?")
                    .bind(Id(record))
                    .fetch_one(&mut *conn)
                    .await?;
            let sent = referral
                .events
                .into_iter()
                .find(|e| e.details.is_some())
                .ok_or(StoreError::Corrupt("referral without its first event"))?;
            OutboxItem::ReferralOpened {
                referral_id: referral.id,
                patient_id: referral.patient_id,
                tracking_code: referral.tracking_code,
                destination: destination.map(Uuid::from),
                sent,
                letter_input: latest_letter_input(conn, record).await?,
            }
        }
        OutboxKind::LetterRevised => {
            let (referral, version, input): (Option<Id>, i64, String) =
                sqlx::query_as("SELECT referral_id, version, input FROM letters WHERE id = ?")
                    .bind(Id(record))
                    .fetch_one(&mut *conn)
                    .await?;
            OutboxItem::LetterRevised {
                referral_id: referral
                    .ok_or(StoreError::Corrupt("corrected letter without its referral"))?
                    .0,
                version: u32::try_from(version)
                    .map_err(|_| StoreError::Corrupt("letter version"))?,
                letter_input: input,
            }
        }
        OutboxKind::Team => return Err(StoreError::Corrupt("team operation")),
        OutboxKind::DischargeAnswer => return Err(StoreError::Corrupt("discharge answer")),
        OutboxKind::Intake => return Err(StoreError::Corrupt("intake operation")),
        OutboxKind::EventAppended => {
            let (referral_id,): (Id,) =
                sqlx::query_as("SELECT referral_id FROM referral_events WHERE id = ?")
                    .bind(Id(record))
                    .fetch_one(&mut *conn)
                    .await?;
            let referral_id = referral_id.0;
            let event = load_referral(conn, referral_id)
                .await?
                .events
                .into_iter()
                .find(|e| e.id == record)
                .ok_or(StoreError::NotFound)?;
            OutboxItem::Event { referral_id, event }
        }
    })
}

pub(crate) async fn enqueue(
    conn: &mut SqliteConnection,
    kind: OutboxKind,
    record: Uuid,
    patient: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO sync_outbox (kind, record_id, patient_id, queued_at) VALUES (?, ?, ?, ?)",
    )
    .bind(kind)
    .bind(Id(record))
    .bind(Id(patient))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Queues a team operation (`payload`, its JSON) about `record` (the
/// entry a post makes, or the team).
pub(crate) async fn enqueue_team(
    conn: &mut SqliteConnection,
    record: Uuid,
    patient: Uuid,
    payload: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO sync_outbox (kind, record_id, patient_id, queued_at, payload)
         VALUES ('team', ?, ?, ?, ?)",
    )
    .bind(Id(record))
    .bind(Id(patient))
    .bind(now)
    .bind(payload)
    .execute(conn)
    .await?;
    Ok(())
}

/// Queues an operation whose content is kept in the row (`payload`, its
/// JSON): a team operation or a discharge answer.
pub(crate) async fn enqueue_payload(
    conn: &mut SqliteConnection,
    kind: OutboxKind,
    record: Uuid,
    patient: Uuid,
    payload: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO sync_outbox (kind, record_id, patient_id, queued_at, payload)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(kind)
    .bind(Id(record))
    .bind(Id(patient))
    .bind(now)
    .bind(payload)
    .execute(conn)
    .await?;
    Ok(())
}

/// Queues `kind` for `record` if the patient's consent is in force: what
/// every write about a patient's referral calls in its transaction.
pub(crate) async fn enqueue_if_consented(
    conn: &mut SqliteConnection,
    kind: OutboxKind,
    record: Uuid,
    patient: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    if consent_in_force(conn, patient).await? {
        enqueue(conn, kind, record, patient, now).await?;
    }
    Ok(())
}

pub(crate) async fn queued_before(
    conn: &mut SqliteConnection,
    kind: OutboxKind,
    record: Uuid,
) -> StoreResult<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sync_outbox WHERE kind = ? AND record_id = ?)",
    )
    .bind(kind)
    .bind(Id(record))
    .fetch_one(conn)
    .await?)
}

/// Consent given: queues the patient's referrals and this clinic's events
/// the server has not heard of — written before consent, or held back when
/// it was withdrawn. Events that came from the server are known there.
pub(crate) async fn enqueue_backlog(
    conn: &mut SqliteConnection,
    patient: Uuid,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO sync_outbox (kind, record_id, patient_id, queued_at)
         SELECT 'referral_opened', r.id, r.patient_id, ?1 FROM referrals r
         WHERE r.patient_id = ?2
           AND NOT EXISTS (SELECT 1 FROM sync_outbox o
                           WHERE o.kind = 'referral_opened' AND o.record_id = r.id)
           AND NOT EXISTS (SELECT 1 FROM referral_events e JOIN synced_events s
                           ON s.event_id = e.id WHERE e.referral_id = r.id)
         ORDER BY r.created_at, r.id",
    )
    .bind(now)
    .bind(Id(patient))
    .execute(&mut *conn)
    .await?;
    // Each referral's first event travels with its opening.
    sqlx::query(
        "INSERT INTO sync_outbox (kind, record_id, patient_id, queued_at)
         SELECT 'event_appended', e.id, r.patient_id, ?1
         FROM referral_events e JOIN referrals r ON r.id = e.referral_id
         WHERE r.patient_id = ?2 AND e.source = 'clinic'
           AND e.seq <> (SELECT min(f.seq) FROM referral_events f WHERE f.referral_id = r.id)
           AND NOT EXISTS (SELECT 1 FROM sync_outbox o
                           WHERE o.kind = 'event_appended' AND o.record_id = e.id)
           AND NOT EXISTS (SELECT 1 FROM synced_events s WHERE s.event_id = e.id)
         ORDER BY e.seq",
    )
    .bind(now)
    .bind(Id(patient))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The server was restored from a backup and may lack anything this store
/// told it: everything is queued again, as consent allows, in the order
/// the server needs (patients, their consents, referrals, then this
/// clinic's events), and what was waiting goes after it (it may build on
/// what the server lost). The server applies what it already has as a
/// repeat. What was refused stays as it is.
pub(crate) async fn requeue_everything(
    conn: &mut SqliteConnection,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let waiting: (Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT min(op_seq), max(op_seq) FROM sync_outbox WHERE state = 'pending'")
            .fetch_one(&mut *conn)
            .await?;
    // Told once per record (the unique index): the earlier telling goes.
    sqlx::query(
        "DELETE FROM sync_outbox WHERE state = 'applied'
           AND kind IN ('referral_opened', 'event_appended')",
    )
    .execute(&mut *conn)
    .await?;
    // The inner `consents` names the columns of `IN_FORCE_SQL`.
    let in_force =
        format!("EXISTS (SELECT 1 FROM consents c2 WHERE c2.patient_id = p.id AND {IN_FORCE_SQL})");
    let statements = [
        format!(
            "INSERT INTO sync_outbox (kind, record_id, patient_id, queued_at)
             SELECT 'patient_shared', p.id, p.id, ?1 FROM patients p WHERE {in_force}
             ORDER BY p.id"
        ),
        // Withdrawn ones too, if the server was ever told of them: a
        // restored server may still hold them in force.
        format!(
            "INSERT INTO sync_outbox (kind, record_id, patient_id, queued_at)
             SELECT 'consent_recorded', c.id, c.patient_id, ?1 FROM consents c
             JOIN patients p ON p.id = c.patient_id
             WHERE {in_force} OR EXISTS (SELECT 1 FROM sync_outbox o
                 WHERE o.kind = 'consent_recorded' AND o.record_id = c.id)
             ORDER BY c.recorded_at, c.id"
        ),
        format!(
            "INSERT INTO sync_outbox (kind, record_id, patient_id, queued_at)
             SELECT 'referral_opened', r.id, r.patient_id, ?1 FROM referrals r
             JOIN patients p ON p.id = r.patient_id
             WHERE {in_force} AND NOT EXISTS (SELECT 1 FROM sync_outbox o
                 WHERE o.kind = 'referral_opened' AND o.record_id = r.id)
             ORDER BY r.created_at, r.id"
        ),
        // Each referral's first event travels with its opening.
        format!(
            "INSERT INTO sync_outbox (kind, record_id, patient_id, queued_at)
             SELECT 'event_appended', e.id, r.patient_id, ?1
             FROM referral_events e JOIN referrals r ON r.id = e.referral_id
             JOIN patients p ON p.id = r.patient_id
             WHERE {in_force} AND e.source = 'clinic'
               AND e.seq <> (SELECT min(f.seq) FROM referral_events f WHERE f.referral_id = r.id)
               AND NOT EXISTS (SELECT 1 FROM sync_outbox o
                   WHERE o.kind = 'event_appended' AND o.record_id = e.id)
             ORDER BY e.seq"
        ),
        // The team operations the server had applied, in their order,
        // while the team's consent stands (the server answers one it
        // still holds as a repeat).
        "INSERT INTO sync_outbox (kind, record_id, patient_id, queued_at, payload)
         SELECT 'team', o.record_id, o.patient_id, ?1, o.payload FROM sync_outbox o
         WHERE o.kind = 'team' AND o.state = 'applied'
           AND EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = o.patient_id
                       AND c.withdrawn_on IS NULL AND c.share_with_team)
         ORDER BY o.op_seq"
            .to_string(),
        // The 受入相談 this clinic sent (anonymous: no consent asked), in
        // their order: a restored server that lacks one would leave it
        // unanswered for good (one it holds is a repeat). Answers and
        // withdrawals are not told again: one the server lost shows as
        // still open when the feed is read again, to be given anew.
        "INSERT INTO sync_outbox (kind, record_id, patient_id, queued_at, payload)
         SELECT 'intake', o.record_id, o.patient_id, ?1, o.payload FROM sync_outbox o
         WHERE o.kind = 'intake' AND o.state = 'applied'
           AND json_extract(o.payload, '$.op') = 'intake_sent'
         ORDER BY o.op_seq"
            .to_string(),
    ];
    for sql in statements {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(now)
            .execute(&mut *conn)
            .await?;
    }
    // Told again above: the earlier telling goes, so a second restore does
    // not tell it twice.
    sqlx::query("DELETE FROM sync_outbox WHERE kind = 'team' AND state = 'applied'")
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "DELETE FROM sync_outbox WHERE kind = 'intake' AND state = 'applied'
           AND json_extract(payload, '$.op') = 'intake_sent'",
    )
    .execute(&mut *conn)
    .await?;
    // A restored server may lack the files of the posts sent again.
    sqlx::query(
        "UPDATE team_attachments SET uploaded = 0 WHERE entry_id IN
           (SELECT record_id FROM sync_outbox WHERE kind = 'team' AND state = 'pending')",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE team_op_files SET uploaded = 0 WHERE record_id IN
           (SELECT record_id FROM sync_outbox WHERE kind = 'team' AND state = 'pending')",
    )
    .execute(&mut *conn)
    .await?;
    if let (Some(from), Some(to)) = waiting {
        move_pending(conn, from, to, 0).await?;
    }
    Ok(())
}

/// Moves the waiting operations numbered `from..=to` to start at `start`,
/// or past every number used so far if that is higher; same order, same
/// ids. Later rows are numbered after them.
async fn move_pending(
    conn: &mut SqliteConnection,
    from: i64,
    to: i64,
    start: i64,
) -> StoreResult<()> {
    let start: i64 = sqlx::query_scalar(
        "SELECT max(?, coalesce((SELECT max(op_seq) FROM sync_outbox), 0) + 1,
                    coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'), 0) + 1)",
    )
    .bind(start)
    .fetch_one(&mut *conn)
    .await?;
    // Through negative numbers: SQLite checks the key row by row, and a
    // direct shift could meet rows not yet moved.
    sqlx::query(
        "UPDATE sync_outbox SET op_seq = -(op_seq + ?)
         WHERE state = 'pending' AND op_seq BETWEEN ? AND ?",
    )
    .bind(start - from)
    .bind(from)
    .bind(to)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE sync_outbox SET op_seq = -op_seq WHERE op_seq < 0")
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE sqlite_sequence SET seq = max(seq, (SELECT max(op_seq) FROM sync_outbox))
         WHERE name = 'sync_outbox'",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The team's consent withdrawn (or the team no longer named): its waiting
/// operations are not sent, and the posts among them are marked withheld
/// (they stay in the clinic's record, and are not shown as waiting).
pub(crate) async fn hold_back_team(conn: &mut SqliteConnection, patient: Uuid) -> StoreResult<()> {
    sqlx::query(
        "UPDATE team_entries SET state = 'withheld' WHERE state = 'pending' AND id IN
           (SELECT record_id FROM sync_outbox WHERE patient_id = ? AND kind = 'team'
              AND state = 'pending')",
    )
    .bind(Id(patient))
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM sync_outbox WHERE patient_id = ? AND state = 'pending' AND kind = 'team'",
    )
    .bind(Id(patient))
    .execute(conn)
    .await?;
    Ok(())
}

/// Consent withdrawn: what was still waiting about the patient is not sent.
/// The rows go (not marked): if consent is given again they are queued
/// afresh, after the new consent.
pub(crate) async fn hold_back(conn: &mut SqliteConnection, patient: Uuid) -> StoreResult<()> {
    sqlx::query(
        "DELETE FROM sync_outbox WHERE patient_id = ? AND state = 'pending'
           AND kind IN ('patient_shared', 'referral_opened', 'event_appended', 'letter_revised')",
    )
    .bind(Id(patient))
    .execute(conn)
    .await?;
    Ok(())
}
