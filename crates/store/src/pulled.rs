//! Applying a page of the server's change feed: the records it brings and
//! the cursor after it, in one transaction, so a page is either wholly
//! applied or not at all and a dropped connection resumes where it
//! stopped. Applying the same page twice changes nothing.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;
use tsunagu_domain::{KeyPerson, PatientFields, Sex};
use uuid::Uuid;

use crate::Store;
use crate::error::{StoreError, StoreResult};
use crate::referrals::StoredEvent;

/// One change of the feed, in the store's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
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
}

/// What a page brought.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullOutcome {
    /// Events recorded by the desk or a hospital, new here.
    pub news: usize,
    /// Changes about records this install does not hold (logged by count).
    pub skipped: usize,
}

impl Store {
    /// Applies `changes` (each with its feed number) and stores `cursor`.
    pub async fn apply_pulled(
        &self,
        changes: &[(i64, PulledChange)],
        cursor: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<PullOutcome> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut outcome = PullOutcome::default();
        let mut touched = BTreeSet::new();
        for (feed_seq, change) in changes {
            apply(&mut tx, *feed_seq, change, now, &mut outcome, &mut touched).await?;
        }
        for referral in touched {
            crate::referral_summary::refresh(&mut tx, referral).await?;
        }
        sqlx::query("UPDATE sync_device SET cursor = ?, last_synced_at = ?, last_error = NULL")
            .bind(cursor)
            .bind(now.to_rfc3339())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(outcome)
    }
}

async fn apply(
    conn: &mut SqliteConnection,
    feed_seq: i64,
    change: &PulledChange,
    now: DateTime<Utc>,
    outcome: &mut PullOutcome,
    touched: &mut BTreeSet<Uuid>,
) -> StoreResult<()> {
    match change {
        PulledChange::Patient {
            id,
            name,
            kana,
            birth_date,
            sex,
        } => {
            // This install's own record is richer (address, chart number…):
            // only a patient it does not hold is created from the feed.
            if !exists(conn, "patients", *id).await? {
                let fields = PatientFields {
                    name: name.clone(),
                    kana: kana.clone(),
                    birth_date: *birth_date,
                    sex: *sex,
                    address: String::new(),
                    phone: String::new(),
                    key_person: KeyPerson {
                        name: String::new(),
                        relation: String::new(),
                        phone: String::new(),
                    },
                    chart_number: None,
                    memo: String::new(),
                };
                crate::patients::insert_in(conn, *id, &fields, "地域連携サーバー", now).await?;
            }
        }
        PulledChange::Referral {
            id,
            patient_id,
            tracking_code,
            created_at,
        } => {
            if !exists(conn, "referrals", *id).await? {
                if !exists(conn, "patients", *patient_id).await? {
                    outcome.skipped += 1;
                    return Ok(());
                }
                sqlx::query(
                    "INSERT INTO referrals (id, patient_id, tracking_code, created_at)
                     VALUES (?, ?, ?, ?)",
                )
                .bind(id.to_string())
                .bind(patient_id.to_string())
                .bind(tracking_code)
                .bind(created_at.to_rfc3339())
                .execute(&mut *conn)
                .await?;
            }
        }
        PulledChange::Event { referral_id, event } => {
            if !exists(conn, "referrals", *referral_id).await? {
                outcome.skipped += 1;
                return Ok(());
            }
            let known: Option<String> =
                sqlx::query_scalar("SELECT referral_id FROM referral_events WHERE id = ?")
                    .bind(event.id.to_string())
                    .fetch_optional(&mut *conn)
                    .await?;
            match known {
                Some(owner) if owner != referral_id.to_string() => {
                    return Err(StoreError::Corrupt("event of another referral"));
                }
                Some(_) => {}
                None => {
                    let status = event
                        .to_domain()?
                        .details
                        .map(|d| d.status().code().to_string());
                    crate::referrals::insert_event(conn, *referral_id, event, status.as_deref())
                        .await?;
                    if event.source != crate::EventSource::Clinic {
                        outcome.news += 1;
                    }
                }
            }
            sqlx::query("INSERT OR REPLACE INTO synced_events (event_id, feed_seq) VALUES (?, ?)")
                .bind(event.id.to_string())
                .bind(feed_seq)
                .execute(&mut *conn)
                .await?;
            touched.insert(*referral_id);
        }
        PulledChange::Organisation { id, kind, name } => {
            sqlx::query(
                "INSERT INTO regional_organisations (id, kind, name, updated_at) VALUES (?, ?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
                   updated_at = excluded.updated_at",
            )
            .bind(id.to_string())
            .bind(kind)
            .bind(name)
            .bind(now.to_rfc3339())
            .execute(&mut *conn)
            .await?;
        }
        PulledChange::Assigned {
            referral_id,
            organisation_id,
        } => {
            if exists(conn, "regional_organisations", *organisation_id).await? {
                sqlx::query("UPDATE referrals SET destination_org_id = ? WHERE id = ?")
                    .bind(organisation_id.to_string())
                    .bind(referral_id.to_string())
                    .execute(&mut *conn)
                    .await?;
            } else {
                outcome.skipped += 1;
            }
        }
    }
    Ok(())
}

async fn exists(conn: &mut SqliteConnection, table: &str, id: Uuid) -> StoreResult<bool> {
    let sql = format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?)");
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_one(conn)
        .await?)
}
