use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;
use tsunagu_domain::{KeyPerson, PatientFields, Sex};
use uuid::Uuid;

use crate::Store;
use crate::audit::{self, AuditAction};
use crate::error::{StoreError, StoreResult};
use crate::search::{self, SearchForms};
use crate::sql::Id;

const ENTITY: &str = "patient";

/// A patient as stored: validated fields plus identity and lifecycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientRecord {
    pub id: Uuid,
    pub fields: PatientFields,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct PatientRow {
    pub(crate) pk: i64,
    id: Id,
    name: String,
    kana: String,
    pub(crate) birth_date: NaiveDate,
    sex: String,
    address: String,
    phone: String,
    key_person_name: String,
    key_person_relation: String,
    key_person_phone: String,
    chart_number: Option<String>,
    memo: String,
    pub(crate) name_search: String,
    pub(crate) kana_search: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    deleted_at: Option<DateTime<Utc>>,
}

pub(crate) const PATIENT_COLUMNS: &str = "p.pk, p.id, p.name, p.kana, p.birth_date, p.sex, p.address, \
     p.phone, p.key_person_name, p.key_person_relation, p.key_person_phone, p.chart_number, \
     p.memo, p.name_search, p.kana_search, p.created_at, p.updated_at, p.deleted_at";

impl PatientRow {
    /// The forms this row is indexed by (as stored, not recomputed).
    pub(crate) fn search_forms(&self) -> SearchForms {
        SearchForms {
            name: self.name_search.clone(),
            kana: self.kana_search.clone(),
        }
    }

    pub(crate) fn chart_number(&self) -> Option<&str> {
        self.chart_number.as_deref()
    }

    pub(crate) fn into_record(self) -> StoreResult<PatientRecord> {
        Ok(PatientRecord {
            id: self.id.0,
            fields: PatientFields {
                name: self.name,
                kana: self.kana,
                birth_date: self.birth_date,
                sex: Sex::from_code(&self.sex).ok_or(StoreError::Corrupt("sex"))?,
                address: self.address,
                phone: self.phone,
                key_person: KeyPerson {
                    name: self.key_person_name,
                    relation: self.key_person_relation,
                    phone: self.key_person_phone,
                },
                chart_number: self.chart_number,
                memo: self.memo,
            },
            created_at: self.created_at,
            updated_at: self.updated_at,
            deleted_at: self.deleted_at,
        })
    }
}

impl Store {
    pub async fn insert_patient(
        &self,
        id: Uuid,
        fields: &PatientFields,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<PatientRecord> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let pk = insert_in(&mut tx, id, fields, actor, now).await?;
        let record = fetch_by_pk(&mut tx, pk).await?;
        tx.commit().await?;
        Ok(record)
    }

    pub async fn update_patient(
        &self,
        id: Uuid,
        fields: &PatientFields,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<PatientRecord> {
        let forms = SearchForms::of(&fields.name, &fields.kana);
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let old = fetch_by_id(&mut tx, id).await?;
        let active = old.deleted_at.is_none();
        if active {
            search::unindex_grams(&mut tx, old.pk, &old.search_forms()).await?;
        }
        sqlx::query(
            "UPDATE patients SET name = ?, kana = ?, birth_date = ?, sex = ?, address = ?,
                 phone = ?, key_person_name = ?, key_person_relation = ?, key_person_phone = ?,
                 chart_number = ?, memo = ?, name_search = ?, kana_search = ?, updated_at = ?
             WHERE pk = ?",
        )
        .bind(&fields.name)
        .bind(&fields.kana)
        .bind(fields.birth_date)
        .bind(fields.sex.code())
        .bind(&fields.address)
        .bind(&fields.phone)
        .bind(&fields.key_person.name)
        .bind(&fields.key_person.relation)
        .bind(&fields.key_person.phone)
        .bind(&fields.chart_number)
        .bind(&fields.memo)
        .bind(&forms.name)
        .bind(&forms.kana)
        .bind(now)
        .bind(old.pk)
        .execute(&mut *tx)
        .await?;
        if active {
            search::index_grams(&mut tx, old.pk, &forms).await?;
        }
        crate::outbox::enqueue_if_consented(
            &mut tx,
            crate::outbox::OutboxKind::PatientShared,
            id,
            id,
            now,
        )
        .await?;
        audit::append(
            &mut tx,
            now,
            actor,
            AuditAction::Update,
            ENTITY,
            &id.to_string(),
        )
        .await?;
        let record = fetch_by_pk(&mut tx, old.pk).await?;
        tx.commit().await?;
        Ok(record)
    }

    /// Soft delete (`deleted == true`) or restore. The row and its history
    /// stay; a deleted patient drops out of the everyday search index.
    pub async fn set_patient_deleted(
        &self,
        id: Uuid,
        deleted: bool,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<PatientRecord> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let old = fetch_by_id(&mut tx, id).await?;
        if old.deleted_at.is_some() != deleted {
            let deleted_at = deleted.then_some(now);
            sqlx::query("UPDATE patients SET deleted_at = ?, updated_at = ? WHERE pk = ?")
                .bind(deleted_at)
                .bind(now)
                .bind(old.pk)
                .execute(&mut *tx)
                .await?;
            if deleted {
                search::unindex_grams(&mut tx, old.pk, &old.search_forms()).await?;
            } else {
                search::index_grams(&mut tx, old.pk, &old.search_forms()).await?;
            }
            let action = if deleted {
                AuditAction::Delete
            } else {
                AuditAction::Restore
            };
            audit::append(&mut tx, now, actor, action, ENTITY, &id.to_string()).await?;
        }
        let record = fetch_by_pk(&mut tx, old.pk).await?;
        tx.commit().await?;
        Ok(record)
    }

    /// Reads one patient for display and records that `actor` opened it.
    pub async fn open_patient(
        &self,
        id: Uuid,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<PatientRecord> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let row = fetch_by_id(&mut tx, id).await?;
        audit::append(
            &mut tx,
            now,
            actor,
            AuditAction::View,
            ENTITY,
            &id.to_string(),
        )
        .await?;
        tx.commit().await?;
        row.into_record()
    }

    /// Reads one patient for the app's own use (e.g. to address a letter);
    /// not an "open" by a user, so not in the audit log.
    pub async fn patient(&self, id: Uuid) -> StoreResult<PatientRecord> {
        let mut conn = self.pool.acquire().await?;
        fetch_by_id(&mut conn, id).await?.into_record()
    }

    /// Whether another patient (not `except`) already uses this chart number.
    pub async fn chart_number_taken(
        &self,
        chart_number: &str,
        except: Option<Uuid>,
    ) -> StoreResult<bool> {
        let owner: Option<Id> =
            sqlx::query_scalar("SELECT id FROM patients WHERE chart_number = ?")
                .bind(chart_number)
                .fetch_optional(&self.pool)
                .await?;
        Ok(match owner {
            Some(owner) => except.is_none_or(|id| Id(id) != owner),
            None => false,
        })
    }
}

pub(crate) async fn fetch_by_id(conn: &mut SqliteConnection, id: Uuid) -> StoreResult<PatientRow> {
    let sql = format!("SELECT {PATIENT_COLUMNS} FROM patients p WHERE p.id = ?");
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(Id(id))
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

async fn fetch_by_pk(conn: &mut SqliteConnection, pk: i64) -> StoreResult<PatientRecord> {
    let sql = format!("SELECT {PATIENT_COLUMNS} FROM patients p WHERE p.pk = ?");
    let row: PatientRow = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(pk)
        .fetch_one(conn)
        .await?;
    row.into_record()
}

/// Inserts a patient with its search grams and audit entry, inside the
/// caller's transaction; returns the local row number.
pub(crate) async fn insert_in(
    conn: &mut SqliteConnection,
    id: Uuid,
    fields: &PatientFields,
    actor: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let pks = insert_all(conn, &[(id, fields)], actor, now).await?;
    pks.get(&id)
        .copied()
        .ok_or(StoreError::Corrupt("patient pk"))
}

/// Inserts patients, their search grams and their audit rows in three
/// statements however many there are (a first sync brings thousands).
/// Returns each new patient's row key.
pub(crate) async fn insert_all(
    conn: &mut SqliteConnection,
    patients: &[(Uuid, &PatientFields)],
    actor: &str,
    now: DateTime<Utc>,
) -> StoreResult<HashMap<Uuid, i64>> {
    if patients.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, &PatientFields, SearchForms)> = patients
        .iter()
        .map(|(id, f)| (*id, *f, SearchForms::of(&f.name, &f.kana)))
        .collect();
    let inserted: Vec<(Id, i64)> = crate::batch::insert_rows_returning(
        conn,
        "INSERT INTO patients (id, name, kana, birth_date, sex, address, phone,
                 key_person_name, key_person_relation, key_person_phone, chart_number, memo,
                 name_search, kana_search, created_at, updated_at) ",
        &rows,
        " RETURNING id, pk",
        |mut row, (id, f, forms)| {
            row.push_bind(Id(*id))
                .push_bind(f.name.clone())
                .push_bind(f.kana.clone())
                .push_bind(f.birth_date)
                .push_bind(f.sex.code())
                .push_bind(f.address.clone())
                .push_bind(f.phone.clone())
                .push_bind(f.key_person.name.clone())
                .push_bind(f.key_person.relation.clone())
                .push_bind(f.key_person.phone.clone())
                .push_bind(f.chart_number.clone())
                .push_bind(f.memo.clone())
                .push_bind(forms.name.clone())
                .push_bind(forms.kana.clone())
                .push_bind(now)
                .push_bind(now);
        },
    )
    .await?;
    let pks: HashMap<Uuid, i64> = inserted.into_iter().map(|(id, pk)| (id.0, pk)).collect();
    let indexed = rows
        .iter()
        .map(|(id, _, forms)| {
            Ok((
                *pks.get(id).ok_or(StoreError::Corrupt("patient pk"))?,
                forms,
            ))
        })
        .collect::<StoreResult<Vec<(i64, &SearchForms)>>>()?;
    search::index_grams_of_many(&mut *conn, &indexed).await?;
    let ids: Vec<String> = patients.iter().map(|(id, _)| id.to_string()).collect();
    audit::append_for_each(&mut *conn, now, actor, AuditAction::Create, ENTITY, &ids).await?;
    Ok(pks)
}
