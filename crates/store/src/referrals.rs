//! Referral episodes and their append-only events. The store keeps the
//! events; what they add up to (status, where the patient is) is worked out
//! by the domain's status machine, which also decides what may be appended.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use tsunagu_domain::{EventDetails, ReferralEvent};
use uuid::Uuid;

use crate::Store;
use crate::audit::{self, AuditAction};
use crate::error::{StoreError, StoreResult};
use crate::sql::{Arg, Id};

const REFERRAL: &str = "referral";

/// Who recorded an event.
///
/// Stored as its [`code`](Self::code), which is the variant's name in
/// snake_case as sqlx writes and reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(rename_all = "snake_case")]
pub enum EventSource {
    Clinic,
    Desk,
    Liaison,
    /// A member of the patient's home-care team (e.g. the visiting nurse).
    Team,
}

impl EventSource {
    pub fn code(self) -> &'static str {
        match self {
            EventSource::Clinic => "clinic",
            EventSource::Desk => "desk",
            EventSource::Liaison => "liaison",
            EventSource::Team => "team",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub id: Uuid,
    /// What it says; `None` for a note on its own or an event voiding
    /// another. Kept as JSON in the store, read back once.
    pub details: Option<EventDetails>,
    pub voids: Option<Uuid>,
    pub note: String,
    pub source: EventSource,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// A note on its own from a hospital or the desk, for the worklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionNote {
    pub event_id: Uuid,
    pub referral_id: Uuid,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub hospital: String,
    pub note: String,
    pub actor: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralRecord {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub tracking_code: String,
    pub created_at: DateTime<Utc>,
    /// Oldest first.
    pub events: Vec<StoredEvent>,
    /// This clinic's events the server refused: kept in the history and
    /// shown as such, never counted (even if they would fit later).
    pub refused: Vec<Uuid>,
}

impl ReferralRecord {
    /// The events the status machine folds: all but the refused ones.
    pub fn counted_events(&self) -> Vec<ReferralEvent> {
        self.events
            .iter()
            .filter(|e| !self.refused.contains(&e.id))
            .map(StoredEvent::to_domain)
            .collect()
    }
}

#[derive(sqlx::FromRow)]
struct EventRow {
    referral_id: Id,
    id: Id,
    details: Option<String>,
    voids: Option<Id>,
    note: String,
    source: EventSource,
    actor: String,
    at: DateTime<Utc>,
}

impl EventRow {
    fn into_event(self) -> StoreResult<StoredEvent> {
        Ok(StoredEvent {
            id: self.id.0,
            details: self
                .details
                .as_deref()
                .map(serde_json::from_str::<EventDetails>)
                .transpose()
                .map_err(|_| StoreError::Corrupt("event details"))?,
            voids: self.voids.map(Uuid::from),
            note: self.note,
            source: self.source,
            actor: self.actor,
            at: self.at,
        })
    }
}

impl StoredEvent {
    /// The event as the domain's status machine reads it.
    pub fn to_domain(&self) -> ReferralEvent {
        ReferralEvent {
            id: self.id.to_string(),
            details: self.details.clone(),
            voids: self.voids.map(|id| id.to_string()),
        }
    }

    /// The status code kept beside the details (`None` for a note or a
    /// void), for the store's own queries.
    fn status_code(&self) -> Option<&'static str> {
        self.details.as_ref().map(|d| d.status().code())
    }
}

const EVENT_COLUMNS: &str =
    "e.referral_id, e.id, e.details, e.voids, e.note, e.source, e.actor, e.at";

/// The server's order (its feed) for the events it confirmed, then this
/// clinic's unconfirmed ones as recorded (ADR 0008).
const EVENT_ORDER: &str = "s.feed_seq IS NULL, s.feed_seq, e.seq";

impl Store {
    pub async fn referral(&self, id: Uuid) -> StoreResult<ReferralRecord> {
        let mut conn = self.pool.acquire().await?;
        load_referral(&mut conn, id).await
    }

    /// Every referral of one patient, oldest first.
    pub async fn referrals_for_patient(
        &self,
        patient_id: Uuid,
    ) -> StoreResult<Vec<ReferralRecord>> {
        self.load_referrals("WHERE r.patient_id = ?", Some(Arg::Id(Id(patient_id))))
            .await
    }

    async fn load_referrals(
        &self,
        filter: &str,
        bind: Option<Arg>,
    ) -> StoreResult<Vec<ReferralRecord>> {
        let mut conn = self.pool.acquire().await?;
        load_referrals_where(&mut conn, filter, bind).await
    }

    /// Appends `event` if `check` accepts it given the events already
    /// recorded — read and written in one transaction, so two windows (or
    /// sync and a user) cannot both append against the same history.
    pub async fn append_referral_event<E>(
        &self,
        referral_id: Uuid,
        event: &StoredEvent,
        check: impl FnOnce(&[StoredEvent]) -> Result<(), E>,
    ) -> StoreResult<Result<ReferralRecord, E>> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let current = load_referral(&mut tx, referral_id).await?;
        let counted: Vec<StoredEvent> = current
            .events
            .iter()
            .filter(|e| !current.refused.contains(&e.id))
            .cloned()
            .collect();
        if let Err(refused) = check(&counted) {
            tx.rollback().await?;
            return Ok(Err(refused));
        }
        insert_event(&mut tx, referral_id, event).await?;
        crate::outbox::enqueue_if_consented(
            &mut tx,
            crate::outbox::OutboxKind::EventAppended,
            event.id,
            current.patient_id,
            event.at,
        )
        .await?;
        audit::append(
            &mut tx,
            event.at,
            &event.actor,
            AuditAction::Update,
            REFERRAL,
            &referral_id.to_string(),
        )
        .await?;
        crate::referral_summary::refresh(&mut tx, referral_id).await?;
        let updated = load_referral(&mut tx, referral_id).await?;
        tx.commit().await?;
        Ok(Ok(updated))
    }
}

pub(crate) async fn load_referral(
    conn: &mut SqliteConnection,
    id: Uuid,
) -> StoreResult<ReferralRecord> {
    let (patient_id, tracking_code, created_at): (Id, String, DateTime<Utc>) =
        sqlx::query_as("SELECT patient_id, tracking_code, created_at FROM referrals WHERE id = ?")
            .bind(Id(id))
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM referral_events e LEFT JOIN synced_events s ON s.event_id = e.id
         WHERE e.referral_id = ? ORDER BY {EVENT_ORDER}"
    );
    let events = sqlx::query_as::<_, EventRow>(sqlx::AssertSqlSafe(sql))
        .bind(Id(id))
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(EventRow::into_event)
        .collect::<StoreResult<_>>()?;
    let refused = refused_events(conn, "e.referral_id = ?", Some(Arg::Id(Id(id))))
        .await?
        .into_values()
        .flatten()
        .collect();
    Ok(ReferralRecord {
        id,
        patient_id: patient_id.0,
        tracking_code,
        created_at,
        events,
        refused,
    })
}

/// The referrals `filter` (a clause on `referrals r`, with at most one
/// bind) selects, oldest first, each with its events: two queries whatever
/// the number of referrals.
pub(crate) async fn load_referrals_where(
    conn: &mut SqliteConnection,
    filter: &str,
    bind: Option<Arg>,
) -> StoreResult<Vec<ReferralRecord>> {
    let sql = format!(
        "SELECT r.id, r.patient_id, r.tracking_code, r.created_at FROM referrals r {filter}
         ORDER BY r.created_at, r.id"
    );
    let mut query = sqlx::query_as::<_, (Id, Id, String, DateTime<Utc>)>(sqlx::AssertSqlSafe(sql));
    if let Some(value) = &bind {
        query = query.bind(value.clone());
    }
    let heads = query.fetch_all(&mut *conn).await?;
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM referral_events e LEFT JOIN synced_events s
           ON s.event_id = e.id
         WHERE e.referral_id IN (SELECT r.id FROM referrals r {filter}) ORDER BY {EVENT_ORDER}"
    );
    let mut query = sqlx::query_as::<_, EventRow>(sqlx::AssertSqlSafe(sql));
    if let Some(value) = &bind {
        query = query.bind(value.clone());
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let mut by_referral: std::collections::HashMap<Id, Vec<StoredEvent>> =
        std::collections::HashMap::new();
    for row in rows {
        let key = row.referral_id;
        by_referral.entry(key).or_default().push(row.into_event()?);
    }
    let mut refused = refused_events(
        conn,
        &format!("e.referral_id IN (SELECT r.id FROM referrals r {filter})"),
        bind,
    )
    .await?;
    Ok(heads
        .into_iter()
        .map(
            |(id, patient_id, tracking_code, created_at)| ReferralRecord {
                events: by_referral.remove(&id).unwrap_or_default(),
                refused: refused.remove(&id).unwrap_or_default(),
                id: id.0,
                patient_id: patient_id.0,
                tracking_code,
                created_at,
            },
        )
        .collect())
}

/// This clinic's events the server refused, by referral, for the events
/// `filter` (a condition on `referral_events e`, with at most one bind)
/// selects. Few or none: one indexed lookup per event.
async fn refused_events(
    conn: &mut SqliteConnection,
    filter: &str,
    bind: Option<Arg>,
) -> StoreResult<std::collections::HashMap<Id, Vec<Uuid>>> {
    let sql = format!(
        "SELECT e.referral_id, e.id FROM referral_events e
         WHERE {filter} AND e.source = 'clinic' AND EXISTS (SELECT 1 FROM sync_outbox o
           WHERE o.kind = 'event_appended' AND o.record_id = e.id AND o.state = 'refused')"
    );
    let mut query = sqlx::query_as::<_, (Id, Id)>(sqlx::AssertSqlSafe(sql));
    if let Some(value) = bind {
        query = query.bind(value);
    }
    let mut by_referral: std::collections::HashMap<Id, Vec<Uuid>> = Default::default();
    for (referral, event) in query.fetch_all(conn).await? {
        by_referral.entry(referral).or_default().push(event.0);
    }
    Ok(by_referral)
}

/// The filter for [`load_referrals_where`] that selects the referrals whose
/// ids are in the JSON array bound with it.
pub(crate) const WHERE_ID_IN_JSON: &str = "WHERE r.id IN (SELECT value FROM json_each(?))";

impl Store {
    /// The keys of the worklist items already dismissed.
    /// Notes on their own (連絡) from a hospital or the desk that the
    /// worklist has not had dismissed, oldest first, with their referral's
    /// patient and hospital.
    pub async fn notes_from_region(&self) -> StoreResult<Vec<RegionNote>> {
        type Row = (Id, Id, Id, String, String, String, String, DateTime<Utc>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT e.id, e.referral_id, s.patient_id, p.name, s.hospital, e.note, e.actor, e.at
             FROM referral_events e
             JOIN referral_summaries s ON s.referral_id = e.referral_id
             JOIN patients p ON p.id = s.patient_id
             WHERE e.details IS NULL AND e.voids IS NULL AND e.source <> 'clinic'
               AND NOT EXISTS (SELECT 1 FROM worklist_dismissals d
                               WHERE d.item_key = 'note:' || e.referral_id || ':' || e.id)
             ORDER BY e.seq",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, referral, patient, patient_name, hospital, note, actor, at)| RegionNote {
                    event_id: id.0,
                    referral_id: referral.0,
                    patient_id: patient.0,
                    patient_name,
                    hospital,
                    note,
                    actor,
                    at,
                },
            )
            .collect())
    }

    /// Keeps a dismissal (and its reason) for good; dismissing twice keeps
    /// the first.
    pub async fn dismiss_worklist_item(
        &self,
        item_key: &str,
        referral_id: Uuid,
        reason: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query(
            "INSERT OR IGNORE INTO worklist_dismissals (item_key, referral_id, reason, dismissed_by, dismissed_at)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(item_key)
        .bind(Id(referral_id))
        .bind(reason)
        .bind(actor)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            now,
            actor,
            AuditAction::Update,
            REFERRAL,
            &referral_id.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A referral with its whole history, as it arrives from elsewhere (the
/// regional server, or a generated data set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedReferral {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub tracking_code: String,
    pub created_at: DateTime<Utc>,
    /// Oldest first.
    pub events: Vec<StoredEvent>,
}

impl Store {
    /// Stores whole referrals in one transaction, with their summaries. A
    /// history the status machine refuses fails the batch: nothing is kept.
    pub async fn import_referrals(&self, batch: &[ImportedReferral]) -> StoreResult<()> {
        for referral in batch {
            let events: Vec<ReferralEvent> =
                referral.events.iter().map(StoredEvent::to_domain).collect();
            tsunagu_domain::replay(&events).map_err(|_| StoreError::Corrupt("referral events"))?;
        }
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        for referral in batch {
            sqlx::query(
                "INSERT INTO referrals (id, patient_id, tracking_code, created_at) VALUES (?, ?, ?, ?)",
            )
            .bind(Id(referral.id))
            .bind(Id(referral.patient_id))
            .bind(&referral.tracking_code)
            .bind(referral.created_at)
            .execute(&mut *tx)
            .await?;
            for event in &referral.events {
                insert_event(&mut tx, referral.id, event).await?;
            }
            crate::referral_summary::refresh(&mut tx, referral.id).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

pub(crate) async fn insert_event(
    conn: &mut SqliteConnection,
    referral_id: Uuid,
    event: &StoredEvent,
) -> StoreResult<()> {
    insert_events(conn, &[(referral_id, event)]).await
}

/// Inserts events of any referrals in one statement (the rows travel as one
/// JSON array), for a pulled page of hundreds.
pub(crate) async fn insert_events(
    conn: &mut SqliteConnection,
    events: &[(Uuid, &StoredEvent)],
) -> StoreResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    let rows = events
        .iter()
        .map(|(referral_id, event)| {
            let details = event
                .details
                .as_ref()
                .map(serde_json::to_string)
                .transpose()
                .map_err(|_| StoreError::Corrupt("event details"))?;
            Ok((referral_id, *event, details))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    crate::batch::insert_rows(
        conn,
        "INSERT INTO referral_events (id, referral_id, status, details, voids, note, source, actor, at) ",
        &rows,
        "",
        |mut row, (referral_id, event, details)| {
            row.push_bind(Id(event.id))
                .push_bind(Id(**referral_id))
                .push_bind(event.status_code())
                .push_bind(details.clone())
                .push_bind(event.voids.map(Id))
                .push_bind(event.note.clone())
                .push_bind(event.source)
                .push_bind(event.actor.clone())
                .push_bind(event.at);
        },
    )
    .await
}
