//! 在宅医療情報連携加算 (ADR 0039): the physician's monthly records, one
//! row per version, never changed or removed (the table's triggers refuse
//! it), and the month's facts for every home-care patient in one query.
//!
//! A home-care patient, for the report, is a patient (not deleted) whose
//! team (在宅チーム) was started before the month ended: the team is where
//! the fee's ICT sharing happens in Tsunagu.

use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

use tsunagu_domain::sharing_fee::{ConsentSpan, Month, SharingFeeRecord};
use uuid::Uuid;

use crate::Store;
use crate::audit::{self, AuditAction};
use crate::error::{StoreError, StoreResult};
use crate::sql::Id;
use crate::team::{TeamPost, write_team_entry};

const SHARING_FEE: &str = "sharing_fee_record";

/// One version of a month's record, signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSharingFee {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub record: SharingFeeRecord,
    /// The 連絡 that shared it on the timeline, if it could be posted.
    pub timeline_entry_id: Option<Uuid>,
    /// 「医師 佐藤 花子」: role and name as they were.
    pub recorded_by_name: String,
    pub recorded_at: DateTime<Utc>,
}

/// A home-care patient's month as the store knows it; the domain's
/// `month_status` says what is met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharingFeeMonthFacts {
    pub patient_id: Uuid,
    pub patient_name: String,
    pub patient_kana: String,
    pub chart_number: Option<String>,
    pub team_id: Uuid,
    /// The patient's consents naming the team, in force or withdrawn
    /// (the domain's `consent_covers_month` says if they cover the month).
    pub team_consents: Vec<ConsentSpan>,
    /// The month's counting record (the latest version), if any.
    pub record: Option<StoredSharingFee>,
    /// The counting record's post is on the timeline (waiting to be sent
    /// or confirmed; not withheld or refused).
    pub record_shared: bool,
    /// Posts by other members in the month (confirmed, not struck out,
    /// not the system's).
    pub others_posts: u32,
    /// Of those, read by the clinic (any of its staff).
    pub others_read: u32,
    /// Of those, acknowledged (確認) by the clinic.
    pub others_acknowledged: u32,
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    id: Id,
    patient_id: Id,
    month: String,
    next_visit: NaiveDate,
    policy_changed: bool,
    change_summary: String,
    care_points: String,
    timeline_entry_id: Option<Id>,
    recorded_by_name: String,
    recorded_at: DateTime<Utc>,
}

const RECORD_COLUMNS: &str = "id, patient_id, month, next_visit, policy_changed, change_summary,
    care_points, timeline_entry_id, recorded_by_name, recorded_at";

fn into_stored(row: RecordRow) -> StoreResult<StoredSharingFee> {
    let month = Month::parse(&row.month).ok_or(StoreError::Corrupt("sharing fee month"))?;
    Ok(StoredSharingFee {
        id: row.id.0,
        patient_id: row.patient_id.0,
        record: SharingFeeRecord {
            month,
            next_visit: row.next_visit,
            policy_changed: row.policy_changed,
            change_summary: row.change_summary,
            care_points: row.care_points,
        },
        timeline_entry_id: row.timeline_entry_id.map(|id| id.0),
        recorded_by_name: row.recorded_by_name,
        recorded_at: row.recorded_at,
    })
}

#[derive(sqlx::FromRow)]
struct FactsRow {
    patient_id: Id,
    patient_name: String,
    patient_kana: String,
    chart_number: Option<String>,
    team_id: Id,
    record_id: Option<Id>,
    next_visit: Option<NaiveDate>,
    policy_changed: Option<bool>,
    change_summary: Option<String>,
    care_points: Option<String>,
    timeline_entry_id: Option<Id>,
    recorded_by_name: Option<String>,
    recorded_at: Option<DateTime<Utc>>,
    record_shared: bool,
    others_posts: i64,
    others_read: i64,
    others_acknowledged: i64,
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

fn into_facts(month: Month, row: FactsRow) -> StoreResult<SharingFeeMonthFacts> {
    let record = match (
        row.record_id,
        row.next_visit,
        row.policy_changed,
        row.recorded_by_name,
        row.recorded_at,
    ) {
        (Some(id), Some(next_visit), Some(policy_changed), Some(by), Some(at)) => {
            Some(StoredSharingFee {
                id: id.0,
                patient_id: row.patient_id.0,
                record: SharingFeeRecord {
                    month,
                    next_visit,
                    policy_changed,
                    change_summary: row.change_summary.unwrap_or_default(),
                    care_points: row.care_points.unwrap_or_default(),
                },
                timeline_entry_id: row.timeline_entry_id.map(|id| id.0),
                recorded_by_name: by,
                recorded_at: at,
            })
        }
        (None, ..) => None,
        _ => return Err(StoreError::Corrupt("sharing fee record")),
    };
    Ok(SharingFeeMonthFacts {
        patient_id: row.patient_id.0,
        patient_name: row.patient_name,
        patient_kana: row.patient_kana,
        chart_number: row.chart_number,
        team_id: row.team_id.0,
        team_consents: Vec::new(),
        record_shared: record.is_some() && row.record_shared,
        record,
        others_posts: count(row.others_posts),
        others_read: count(row.others_read),
        others_acknowledged: count(row.others_acknowledged),
    })
}

impl Store {
    /// Stores a new version of the patient's record for its month, with
    /// the post that shared it (if any), audited as created by `actor`.
    pub async fn save_sharing_fee(
        &self,
        patient_id: Uuid,
        record: &SharingFeeRecord,
        post: Option<&TeamPost<'_>>,
        actor: &str,
        signature: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<StoredSharingFee> {
        let id = Uuid::now_v7();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let known: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM patients WHERE id = ? AND deleted_at IS NULL)",
        )
        .bind(Id(patient_id))
        .fetch_one(&mut *tx)
        .await?;
        if !known {
            tx.rollback().await?;
            return Err(StoreError::NotFound);
        }
        // The post first, in the same transaction: the record names it,
        // and neither is kept without the other.
        if let Some(post) = post {
            write_team_entry(&mut tx, post).await?;
        }
        let timeline_entry_id = post.map(|p| p.entry.id);
        sqlx::query(
            "INSERT INTO sharing_fee_records (id, patient_id, month, next_visit, policy_changed,
               change_summary, care_points, timeline_entry_id, recorded_by, recorded_by_name,
               recorded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(Id(id))
        .bind(Id(patient_id))
        .bind(record.month.code())
        .bind(record.next_visit)
        .bind(record.policy_changed)
        .bind(&record.change_summary)
        .bind(&record.care_points)
        .bind(timeline_entry_id.map(Id))
        .bind(actor)
        .bind(signature)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            now,
            actor,
            AuditAction::Create,
            SHARING_FEE,
            &id.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(StoredSharingFee {
            id,
            patient_id,
            record: record.clone(),
            timeline_entry_id,
            recorded_by_name: signature.to_string(),
            recorded_at: now,
        })
    }

    /// Every version of the patient's records: newest month first, and
    /// within a month the counting (latest) version first.
    pub async fn sharing_fee_records(
        &self,
        patient_id: Uuid,
    ) -> StoreResult<Vec<StoredSharingFee>> {
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM sharing_fee_records WHERE patient_id = ?
             ORDER BY month DESC, recorded_at DESC, id DESC"
        );
        sqlx::query_as::<_, RecordRow>(sqlx::AssertSqlSafe(sql))
            .bind(Id(patient_id))
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(into_stored)
            .collect()
    }

    /// The month's facts for every home-care patient (see the module),
    /// by kana: one query.
    pub async fn sharing_fee_month(&self, month: Month) -> StoreResult<Vec<SharingFeeMonthFacts>> {
        let sql = "WITH team AS (
               SELECT id, patient_id, row_number() OVER
                        (PARTITION BY patient_id ORDER BY confirmed DESC, started_at, id) AS n
               FROM teams WHERE julianday(started_at) < julianday(?3)),
             owner AS (SELECT team_id, id FROM team_members WHERE role = 'primary_physician'),
             latest AS (
               SELECT s.*, row_number() OVER
                        (PARTITION BY patient_id ORDER BY recorded_at DESC, id DESC) AS n
               FROM sharing_fee_records s WHERE month = ?1),
             others AS (
               SELECT e.team_id, count(*) AS posts,
                      sum(EXISTS (SELECT 1 FROM team_receipts r
                                  WHERE r.entry_id = e.id AND r.member_id = o.id)) AS read,
                      sum(EXISTS (SELECT 1 FROM team_receipts r
                                  WHERE r.entry_id = e.id AND r.member_id = o.id
                                    AND r.acknowledged_at IS NOT NULL)) AS acknowledged
               FROM team_entries e JOIN owner o ON o.team_id = e.team_id
               WHERE e.state = 'confirmed' AND e.author_member_id IS NOT o.id
                 AND e.kind <> 'referral_event'
                 AND julianday(e.posted_at) >= julianday(?2)
                 AND julianday(e.posted_at) < julianday(?3)
                 AND NOT EXISTS (SELECT 1 FROM team_entries c WHERE c.strikes = e.id
                                 AND c.state IN ('pending', 'confirmed'))
               GROUP BY e.team_id)
             SELECT p.id AS patient_id, p.name AS patient_name, p.kana AS patient_kana,
                    p.chart_number, t.id AS team_id,
                    l.id AS record_id, l.next_visit, l.policy_changed, l.change_summary,
                    l.care_points, l.timeline_entry_id, l.recorded_by_name, l.recorded_at,
                    EXISTS (SELECT 1 FROM team_entries e WHERE e.id = l.timeline_entry_id
                            AND e.state IN ('pending', 'confirmed')) AS record_shared,
                    coalesce(x.posts, 0) AS others_posts,
                    coalesce(x.read, 0) AS others_read,
                    coalesce(x.acknowledged, 0) AS others_acknowledged
             FROM team t JOIN patients p ON p.id = t.patient_id
             LEFT JOIN latest l ON l.patient_id = p.id AND l.n = 1
             LEFT JOIN others x ON x.team_id = t.id
             WHERE t.n = 1 AND p.deleted_at IS NULL
             ORDER BY p.kana, p.id";
        let mut conn = self.pool.acquire().await?;
        let mut facts = sqlx::query_as::<_, FactsRow>(sql)
            .bind(month.code())
            .bind(month.starts_at())
            .bind(month.ends_at())
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|row| into_facts(month, row))
            .collect::<StoreResult<Vec<_>>>()?;
        let spans: Vec<(Id, NaiveDate, Option<NaiveDate>)> = sqlx::query_as(
            "SELECT patient_id, obtained_on, withdrawn_on FROM consents
             WHERE share_with_team ORDER BY patient_id, obtained_on",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut by_patient: HashMap<Uuid, Vec<ConsentSpan>> = HashMap::new();
        for (patient, obtained_on, withdrawn_on) in spans {
            by_patient.entry(patient.0).or_default().push(ConsentSpan {
                obtained_on,
                withdrawn_on,
            });
        }
        for f in &mut facts {
            f.team_consents = by_patient.remove(&f.patient_id).unwrap_or_default();
        }
        Ok(facts)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Utc};
    use tsunagu_domain::sharing_fee::{SharingFeeDraft, check_sharing_fee};
    use uuid::Uuid;

    use crate::sql::Id;
    use crate::{OpenMode, Store, StoreError, StoreKey};

    fn record() -> tsunagu_domain::sharing_fee::SharingFeeRecord {
        let draft = SharingFeeDraft {
            month: "2026-12".into(),
            next_visit: "2026-12-21".into(),
            policy_changed: Some(true),
            change_summary: "利尿薬を増量".into(),
            care_points: String::new(),
        };
        check_sharing_fee(&draft, NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()).unwrap()
    }

    /// Rows are kept as written: no update, no delete, no summary of an
    /// unchanged policy, and no record of an unknown patient.
    #[tokio::test]
    async fn versions_are_immutable_and_checked_by_the_table() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_file(
            &dir.path().join("a.db"),
            &StoreKey::generate(),
            OpenMode::CreateNew,
        )
        .await
        .unwrap();
        let patient = Uuid::now_v7();
        store
            .insert_patient(
                patient,
                &crate::test_support::yamada_fields(),
                "test",
                Utc::now(),
            )
            .await
            .unwrap();
        let stored = store
            .save_sharing_fee(
                patient,
                &record(),
                None,
                "test",
                "医師 鈴木 一郎",
                Utc::now(),
            )
            .await
            .unwrap();
        assert_eq!(
            store.sharing_fee_records(patient).await.unwrap(),
            std::slice::from_ref(&stored)
        );
        for sql in [
            "UPDATE sharing_fee_records SET care_points = 'x' WHERE id = ?",
            "DELETE FROM sharing_fee_records WHERE id = ?",
        ] {
            let refused = sqlx::query(sql)
                .bind(Id(stored.id))
                .execute(&store.pool)
                .await;
            assert!(refused.is_err(), "{sql}");
        }
        let unchanged_with_summary = sqlx::query(
            "INSERT INTO sharing_fee_records (id, patient_id, month, next_visit, policy_changed,
               change_summary, recorded_by, recorded_by_name, recorded_at)
             VALUES (?, ?, '2026-12', '2026-12-21', 0, 'x', 't', 't', '2026-12-07T00:00:00Z')",
        )
        .bind(Id(Uuid::now_v7()))
        .bind(Id(patient))
        .execute(&store.pool)
        .await;
        assert!(unchanged_with_summary.is_err());
        let unknown = store
            .save_sharing_fee(Uuid::now_v7(), &record(), None, "test", "t", Utc::now())
            .await;
        assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
        assert_eq!(store.sharing_fee_records(patient).await.unwrap().len(), 1);
    }
}
