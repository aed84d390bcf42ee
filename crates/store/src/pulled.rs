//! Applying a page of the server's change feed: the records it brings and
//! the cursor after it, in one transaction, so a page is either wholly
//! applied or not at all and a dropped connection resumes where it
//! stopped. Applying the same page twice changes nothing.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;
use tsunagu_domain::{KeyPerson, PatientFields, Sex, TeamSharingConsent};
use uuid::Uuid;

use crate::EventSource;
use crate::Store;
use crate::batch::{insert_json_rows, insert_rows, json_ids};
use crate::discharge_requests::DischargeRequestRecord;
use crate::error::{StoreError, StoreResult};
use crate::intake_requests::IntakeRequestRecord;
use crate::referrals::{ReferralRecord, StoredEvent};
use crate::sql::Id;
use crate::team::TeamPulled;

/// One change of the feed, in the store's terms.
#[derive(Debug, Clone, PartialEq)]
pub enum PulledChange {
    /// The clinic's own patient (a reinstalled device rebuilds from it).
    Patient {
        id: Uuid,
        name: String,
        kana: String,
        birth_date: NaiveDate,
        sex: Sex,
    },
    Referral {
        id: Uuid,
        patient_id: Uuid,
        tracking_code: String,
        created_at: DateTime<Utc>,
    },
    Event {
        referral_id: Uuid,
        event: StoredEvent,
    },
    Organisation {
        id: Uuid,
        kind: String,
        name: String,
    },
    Assigned {
        referral_id: Uuid,
        organisation_id: Uuid,
    },
    /// A consent recorded on another device of the clinic (or this one's,
    /// echoed back): whether what is recorded here is shared follows it.
    Consent {
        id: Uuid,
        patient_id: Uuid,
        consent: TeamSharingConsent,
    },
    /// The clinic's patients' teams, and the directory of whom it may
    /// invite (ADR 0023).
    Team(TeamPulled),
    /// A hospital's 退院後の在宅医療の相談, as it now stands.
    DischargeRequest(DischargeRequestRecord),
    /// A 受入相談 this clinic sent or was asked, as it now stands.
    IntakeRequest(IntakeRequestRecord),
    /// A 返書 or 退院時サマリー a hospital sent through the portal; its
    /// bytes are fetched after the pull.
    HospitalDocument(crate::HospitalDocument),
}

/// What a page brought.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullOutcome {
    /// Events recorded by the desk or a hospital, new here.
    pub news: usize,
    /// Timeline entries by other team members, new here.
    pub team_entries: usize,
    /// Of which 緊急 (notified at once).
    pub urgent: usize,
    /// Replies by others to a 相談 the clinic asked.
    pub replies_to_ours: usize,
    /// 退院後の在宅医療の相談 new here, or whose state changed.
    pub discharge_requests: usize,
    /// 退院時カンファレンス set, answered, recorded or called off.
    pub conferences: usize,
    /// 受入相談 new here, or whose state changed.
    pub intake_requests: usize,
    /// Changes about records this install does not hold (logged by count).
    pub skipped: usize,
    /// Hospitals' documents new here (their bytes are fetched next).
    pub hospital_documents: usize,
}

impl Store {
    /// Applies `changes` (each with its feed number) and stores `cursor`.
    /// For many batches in a row, [`Store::pull_session`] keeps them on one
    /// connection.
    pub async fn apply_pulled(
        &self,
        changes: &[(i64, PulledChange)],
        cursor: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<PullOutcome> {
        let mut conn = self.pool.acquire().await?;
        let outcome = apply_batch(&mut conn, changes, cursor, now).await?;
        crate::directory::note_pulled(&self.directory, changes);
        Ok(outcome)
    }

    /// A connection held for the batches of one pull. SQLite drops a
    /// connection's page cache when another connection has written, so
    /// batches spread over the pool would each read (and decrypt) the
    /// indexes they touch afresh.
    pub async fn pull_session(&self) -> StoreResult<PullSession> {
        Ok(PullSession {
            directory: std::sync::Arc::clone(&self.directory),
            conn: self.pool.acquire().await?,
        })
    }
}

/// See [`Store::pull_session`].
pub struct PullSession {
    directory: std::sync::Arc<crate::directory::DirectoryCache>,
    conn: sqlx::pool::PoolConnection<sqlx::Sqlite>,
}

impl PullSession {
    /// As [`Store::apply_pulled`].
    pub async fn apply(
        &mut self,
        changes: &[(i64, PulledChange)],
        cursor: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<PullOutcome> {
        let outcome = apply_batch(&mut self.conn, changes, cursor, now).await?;
        crate::directory::note_pulled(&self.directory, changes);
        Ok(outcome)
    }
}

/// A first sync brings tens of thousands of changes, so a batch is not
/// written change by change: the ids it mentions are looked up once, the
/// batch is walked in feed order in memory (exactly as if each change were
/// applied in turn), and what it adds is written table by table in a fixed
/// number of statements.
async fn apply_batch(
    conn: &mut SqliteConnection,
    changes: &[(i64, PulledChange)],
    cursor: i64,
    now: DateTime<Utc>,
) -> StoreResult<PullOutcome> {
    let mut tx = sqlx::Connection::begin_with(conn, "BEGIN IMMEDIATE").await?;
    let known = Known::look_up(&mut tx, changes).await?;
    let mut page = PageWrites::plan(known, changes)?;
    page.write(&mut tx, now).await?;
    sqlx::query("UPDATE sync_device SET cursor = ?, last_synced_at = ?, last_error = NULL")
        .bind(cursor)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(page.outcome)
}

/// What the store already holds of the records a page mentions.
struct Known {
    patients: HashSet<Uuid>,
    referrals: HashSet<Uuid>,
    /// Event id → its referral.
    events: HashMap<Uuid, Uuid>,
    organisations: HashSet<Uuid>,
}

impl Known {
    async fn look_up(
        conn: &mut SqliteConnection,
        changes: &[(i64, PulledChange)],
    ) -> StoreResult<Self> {
        let (mut patients, mut referrals, mut events, mut organisations) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (_, change) in changes {
            match change {
                PulledChange::Patient { id, .. } => patients.push(id),
                PulledChange::Referral { id, patient_id, .. } => {
                    referrals.push(id);
                    patients.push(patient_id);
                }
                PulledChange::Event { referral_id, event } => {
                    referrals.push(referral_id);
                    events.push(&event.id);
                }
                PulledChange::Organisation { id, .. } => organisations.push(id),
                PulledChange::Assigned {
                    referral_id,
                    organisation_id,
                } => {
                    referrals.push(referral_id);
                    organisations.push(organisation_id);
                }
                PulledChange::Consent { patient_id, .. } => patients.push(patient_id),
                PulledChange::DischargeRequest(r) => patients.push(&r.patient_id),
                PulledChange::HospitalDocument(d) => referrals.push(&d.referral_id),
                PulledChange::Team(_) | PulledChange::IntakeRequest(_) => {}
            }
        }
        let events = sqlx::query_as::<_, (Id, Id)>(
            "SELECT id, referral_id FROM referral_events WHERE id IN (SELECT value FROM json_each(?))",
        )
        .bind(json_ids(events))
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(event, referral)| (event.0, referral.0))
        .collect();
        Ok(Known {
            patients: ids_present(conn, "patients", patients).await?,
            referrals: ids_present(conn, "referrals", referrals).await?,
            events,
            organisations: ids_present(conn, "regional_organisations", organisations).await?,
        })
    }
}

struct ReferralRow<'a> {
    id: Uuid,
    patient_id: Uuid,
    tracking_code: &'a str,
    created_at: DateTime<Utc>,
}

/// What a page adds, table by table, in feed order within each table.
#[derive(Default)]
struct PageWrites<'a> {
    organisations: HashMap<Uuid, (&'a str, &'a str)>,
    patients: Vec<(Uuid, PatientFields)>,
    referrals: Vec<ReferralRow<'a>>,
    events: Vec<(Uuid, &'a StoredEvent)>,
    /// Event id → the feed number that confirmed it (the last one wins).
    synced: HashMap<Uuid, i64>,
    assignments: Vec<(Uuid, Uuid)>,
    consents: Vec<(Uuid, Uuid, &'a TeamSharingConsent)>,
    /// Applied after the rest (a team needs its patient), in feed order.
    team: Vec<&'a TeamPulled>,
    /// Applied last, in feed order (a later change replaces the row).
    discharge_requests: Vec<&'a DischargeRequestRecord>,
    /// Applied last too, in feed order.
    intake_requests: Vec<&'a IntakeRequestRecord>,
    /// Of referrals held here (or created by the page).
    hospital_documents: Vec<&'a crate::HospitalDocument>,
    touched: BTreeSet<Uuid>,
    outcome: PullOutcome,
}

impl<'a> PageWrites<'a> {
    fn plan(mut known: Known, changes: &'a [(i64, PulledChange)]) -> StoreResult<Self> {
        let mut page = PageWrites::default();
        for (feed_seq, change) in changes {
            match change {
                PulledChange::Patient {
                    id,
                    name,
                    kana,
                    birth_date,
                    sex,
                } => {
                    // This install's own record is richer (address, chart
                    // number…): only a patient it does not hold is created.
                    if known.patients.insert(*id) {
                        page.patients
                            .push((*id, patient_from_feed(name, kana, *birth_date, *sex)));
                    }
                }
                PulledChange::Referral {
                    id,
                    patient_id,
                    tracking_code,
                    created_at,
                } => {
                    if known.referrals.contains(id) {
                        continue;
                    }
                    if !known.patients.contains(patient_id) {
                        page.outcome.skipped += 1;
                        continue;
                    }
                    known.referrals.insert(*id);
                    page.referrals.push(ReferralRow {
                        id: *id,
                        patient_id: *patient_id,
                        tracking_code,
                        created_at: *created_at,
                    });
                }
                PulledChange::Event { referral_id, event } => {
                    if !known.referrals.contains(referral_id) {
                        page.outcome.skipped += 1;
                        continue;
                    }
                    match known.events.get(&event.id) {
                        Some(owner) if owner != referral_id => {
                            return Err(StoreError::Corrupt("event of another referral"));
                        }
                        Some(_) => {}
                        None => {
                            page.events.push((*referral_id, event));
                            known.events.insert(event.id, *referral_id);
                            if event.source != EventSource::Clinic {
                                page.outcome.news += 1;
                            }
                        }
                    }
                    page.synced.insert(event.id, *feed_seq);
                    page.touched.insert(*referral_id);
                }
                PulledChange::Organisation { id, kind, name } => {
                    known.organisations.insert(*id);
                    page.organisations.insert(*id, (kind, name));
                }
                PulledChange::Assigned {
                    referral_id,
                    organisation_id,
                } => {
                    if known.organisations.contains(organisation_id) {
                        page.assignments.push((*referral_id, *organisation_id));
                    } else {
                        page.outcome.skipped += 1;
                    }
                }
                PulledChange::Consent {
                    id,
                    patient_id,
                    consent,
                } => {
                    if known.patients.contains(patient_id) {
                        page.consents.push((*id, *patient_id, consent));
                    } else {
                        page.outcome.skipped += 1;
                    }
                }
                PulledChange::Team(change) => page.team.push(change),
                PulledChange::DischargeRequest(request) => {
                    if known.patients.contains(&request.patient_id) {
                        page.discharge_requests.push(request);
                    } else {
                        page.outcome.skipped += 1;
                    }
                }
                PulledChange::IntakeRequest(request) => page.intake_requests.push(request),
                PulledChange::HospitalDocument(document) => {
                    if known.referrals.contains(&document.referral_id) {
                        page.hospital_documents.push(document);
                    } else {
                        page.outcome.skipped += 1;
                    }
                }
            }
        }
        Ok(page)
    }

    /// Parents before children: organisations, patients, referrals, events.
    async fn write(&mut self, conn: &mut SqliteConnection, now: DateTime<Utc>) -> StoreResult<()> {
        let organisations: Vec<_> = self.organisations.iter().collect();
        insert_rows(
            conn,
            "INSERT INTO regional_organisations (id, kind, name, updated_at) ",
            &organisations,
            " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
               updated_at = excluded.updated_at",
            |mut row, (id, (kind, name))| {
                row.push_bind(Id(**id))
                    .push_bind(kind.to_string())
                    .push_bind(name.to_string())
                    .push_bind(now);
            },
        )
        .await?;
        let patients: Vec<(Uuid, &PatientFields)> =
            self.patients.iter().map(|(id, f)| (*id, f)).collect();
        crate::patients::insert_all(conn, &patients, "地域連携サーバー", now).await?;
        insert_rows(
            conn,
            "INSERT INTO referrals (id, patient_id, tracking_code, created_at) ",
            &self.referrals,
            "",
            |mut row, r| {
                row.push_bind(Id(r.id))
                    .push_bind(Id(r.patient_id))
                    .push_bind(r.tracking_code.to_string())
                    .push_bind(r.created_at);
            },
        )
        .await?;
        crate::referrals::insert_events(conn, &self.events).await?;
        let synced: Vec<(Id, i64)> = self
            .synced
            .iter()
            .map(|(event, seq)| (Id(*event), *seq))
            .collect();
        insert_json_rows(
            conn,
            "INSERT OR REPLACE INTO synced_events (event_id, feed_seq)
             SELECT value ->> 0, value ->> 1 FROM json_each(?)",
            &synced,
        )
        .await?;
        // Rare (a desk's or a liaison's routing), so one statement each.
        for (referral, organisation) in &self.assignments {
            sqlx::query("UPDATE referrals SET destination_org_id = ? WHERE id = ?")
                .bind(Id(*organisation))
                .bind(Id(*referral))
                .execute(&mut *conn)
                .await?;
        }
        crate::consents::apply_pulled(conn, &self.consents, now).await?;
        let team = crate::team::apply_team_changes(conn, &self.team, now).await?;
        self.outcome.team_entries += team.entries;
        self.outcome.urgent += team.urgent;
        self.outcome.replies_to_ours += team.replies_to_ours;
        self.outcome.conferences += team.conferences;
        self.outcome.skipped += team.skipped;
        self.outcome.discharge_requests +=
            crate::discharge_requests::apply_pulled(conn, &self.discharge_requests, now).await?;
        self.outcome.intake_requests +=
            crate::intake_requests::apply_pulled(conn, &self.intake_requests, now).await?;
        self.outcome.hospital_documents +=
            crate::hospital_documents::apply_pulled(conn, &self.hospital_documents).await?;
        // A referral first heard of in this batch has all its events here:
        // its summary is folded from them without reading them back.
        let (new, held) = self.records_of_new_referrals();
        crate::referral_summary::refresh_many(conn, &held).await?;
        crate::referral_summary::write_summaries(conn, &new).await
    }

    /// The touched referrals this batch created, with their events in the
    /// store's order (by the feed number that confirmed each: all came from
    /// the feed), and the ids of the others.
    fn records_of_new_referrals(&self) -> (Vec<ReferralRecord>, Vec<Uuid>) {
        let mut events: HashMap<Uuid, Vec<&StoredEvent>> = HashMap::new();
        for (referral, event) in &self.events {
            events.entry(*referral).or_default().push(event);
        }
        let created: HashMap<Uuid, &ReferralRow> =
            self.referrals.iter().map(|r| (r.id, r)).collect();
        let mut new = Vec::new();
        let mut held = Vec::new();
        for id in &self.touched {
            let Some(r) = created.get(id) else {
                held.push(*id);
                continue;
            };
            let mut events = events.remove(id).unwrap_or_default();
            events.sort_by_key(|e| self.synced.get(&e.id));
            new.push(ReferralRecord {
                id: r.id,
                patient_id: r.patient_id,
                tracking_code: r.tracking_code.to_string(),
                created_at: r.created_at,
                events: events.into_iter().cloned().collect(),
                // All of them came from the feed: none was refused.
                refused: Vec::new(),
            });
        }
        (new, held)
    }
}

fn patient_from_feed(name: &str, kana: &str, birth_date: NaiveDate, sex: Sex) -> PatientFields {
    PatientFields {
        name: name.to_string(),
        kana: kana.to_string(),
        birth_date,
        sex,
        address: String::new(),
        phone: String::new(),
        key_person: KeyPerson {
            name: String::new(),
            relation: String::new(),
            phone: String::new(),
        },
        chart_number: None,
        memo: String::new(),
    }
}

/// Which of `ids` are rows of `table`, in one query.
async fn ids_present(
    conn: &mut SqliteConnection,
    table: &str,
    ids: Vec<&Uuid>,
) -> StoreResult<HashSet<Uuid>> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let sql = format!("SELECT id FROM {table} WHERE id IN (SELECT value FROM json_each(?))");
    Ok(sqlx::query_scalar::<_, Id>(sqlx::AssertSqlSafe(sql))
        .bind(json_ids(ids))
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(Uuid::from)
        .collect())
}
