//! How the store's values cross the SQL boundary, typed at both ends.
//!
//! The file keeps ids, dates and times as text, compared and ordered as
//! text by the store's own SQL:
//!
//! - ids as hyphenated lowercase text, through [`Id`]. sqlx's own `Uuid`
//!   is a 16-byte BLOB in SQLite: never bind one bare.
//! - dates as `NaiveDate`, which sqlx writes as `%F` (`2026-05-12`) and
//!   reads back the same way;
//! - times as `DateTime<Utc>`, which sqlx writes as
//!   `to_rfc3339_opts(SecondsFormat::AutoSi, false)`: byte for byte what
//!   `to_rfc3339()` gives (`2026-05-12T09:30:00.123456789+00:00`).
//!
//! A stored value that does not read back as its type is a decode error,
//! which [`crate::StoreError`] reports as `Corrupt` without the value.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::sqlite::{Sqlite, SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Encode, Type};
use uuid::Uuid;
use uuid::fmt::Hyphenated;

/// A UUID as the store keeps it: hyphenated lowercase text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Id(pub(crate) Uuid);

impl From<Uuid> for Id {
    fn from(id: Uuid) -> Self {
        Id(id)
    }
}

impl From<Id> for Uuid {
    fn from(id: Id) -> Self {
        id.0
    }
}

impl Type<Sqlite> for Id {
    fn type_info() -> SqliteTypeInfo {
        <Hyphenated as Type<Sqlite>>::type_info()
    }

    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <Hyphenated as Type<Sqlite>>::compatible(ty)
    }
}

impl Encode<'_, Sqlite> for Id {
    fn encode_by_ref(
        &self,
        buf: &mut <Sqlite as sqlx::Database>::ArgumentBuffer,
    ) -> Result<IsNull, BoxDynError> {
        Encode::<Sqlite>::encode(self.0.hyphenated(), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for Id {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Id(
            <Hyphenated as Decode<Sqlite>>::decode(value)?.into_uuid()
        ))
    }
}

/// Rows read from one JSON array (see `SUMMARY_JSON`) carry ids as the same
/// text.
impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Uuid::parse_str(&text)
            .map(Id)
            .map_err(|_| serde::de::Error::custom("malformed id"))
    }
}

/// A parameter of a statement put together at run time (the board's
/// filters, a referral query's one bind): text, a date or an id, each
/// written as the store keeps it.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Text(String),
    Date(NaiveDate),
    Id(Id),
}

impl Type<Sqlite> for Arg {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
}

impl Encode<'_, Sqlite> for Arg {
    fn encode_by_ref(
        &self,
        buf: &mut <Sqlite as sqlx::Database>::ArgumentBuffer,
    ) -> Result<IsNull, BoxDynError> {
        match self {
            Arg::Text(text) => Encode::<Sqlite>::encode_by_ref(text, buf),
            Arg::Date(date) => Encode::<Sqlite>::encode_by_ref(date, buf),
            Arg::Id(id) => Encode::<Sqlite>::encode_by_ref(id, buf),
        }
    }
}

/// Ids written into a JSON array of rows (see `insert_json_rows`): the
/// same text.
impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.hyphenated().encode_lower(&mut Uuid::encode_buffer()))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, SecondsFormat, TimeZone, Utc};

    use super::*;

    async fn memory() -> sqlx::SqlitePool {
        sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap()
    }

    /// What sqlx writes for a time is what `to_rfc3339` wrote before: the
    /// stored text is ordered and compared as text.
    #[tokio::test]
    async fn values_are_written_as_the_text_stored_before() {
        let pool = memory().await;
        let id = Uuid::now_v7();
        let times = [
            Utc.with_ymd_and_hms(2026, 5, 12, 9, 30, 0).unwrap(),
            Utc.timestamp_opt(1_778_578_200, 123_000_000).unwrap(),
            Utc.timestamp_opt(1_778_578_200, 123_456_000).unwrap(),
            Utc.timestamp_opt(1_778_578_200, 123_456_789).unwrap(),
            Utc::now(),
        ];
        for at in times {
            let text: String = sqlx::query_scalar("SELECT ?")
                .bind(at)
                .fetch_one(&pool)
                .await
                .unwrap();
            assert_eq!(text, at.to_rfc3339());
            assert_eq!(text, at.to_rfc3339_opts(SecondsFormat::AutoSi, false));
            let back: DateTime<Utc> = sqlx::query_scalar("SELECT ?")
                .bind(&text)
                .fetch_one(&pool)
                .await
                .unwrap();
            assert_eq!(back, at);
        }
        let (id_text, date_text): (String, String) = sqlx::query_as("SELECT ?, ?")
            .bind(Id(id))
            .bind(NaiveDate::from_ymd_opt(2026, 5, 2).unwrap())
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(id_text, id.to_string());
        assert_eq!(date_text, "2026-05-02");
        let (back_id, back_date): (Id, NaiveDate) = sqlx::query_as("SELECT ?, ?")
            .bind(id.to_string())
            .bind("2026-05-02")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(back_id, Id(id));
        assert_eq!(back_date, NaiveDate::from_ymd_opt(2026, 5, 2).unwrap());
        // Also the text stored by an earlier `to_string`, any date.
        for date in [
            NaiveDate::from_ymd_opt(1, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(1926, 12, 25).unwrap(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
        ] {
            let text: String = sqlx::query_scalar("SELECT ?")
                .bind(date)
                .fetch_one(&pool)
                .await
                .unwrap();
            assert_eq!(text, date.to_string());
        }
    }

    fn is_id(text: &str) -> bool {
        text.len() == 36
            && text.char_indices().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_digit() || ('a'..='f').contains(&c),
            })
    }

    fn is_date(text: &str) -> bool {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok_and(|d| d.to_string() == text)
    }

    fn is_time(text: &str) -> bool {
        DateTime::parse_from_rfc3339(text).is_ok_and(|t| t.with_timezone(&Utc).to_rfc3339() == text)
    }

    /// Written through the store's use cases, every id, date and time is
    /// the text the store has always kept (hyphenated lowercase ids, `%F`
    /// dates, `to_rfc3339` times), and nothing but a PDF or a scan is a BLOB.
    #[tokio::test]
    async fn what_the_store_writes_is_text_as_before() {
        use tsunagu_domain::EventDetails;

        use crate::{
            Destination, EventSource, ImportedReferral, LetterDraftRecord, LetterKind, NewLetter,
            NewReply, OpenMode, PulledChange, ReferralLink, ReplyAttachment, Settlement, Store,
            StoreKey, StoredEvent, SyncDevice,
        };

        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_file(
            &dir.path().join("s.db"),
            &StoreKey::generate(),
            OpenMode::CreateNew,
        )
        .await
        .unwrap();
        let now = Utc.timestamp_opt(1_778_578_200, 123_456_789).unwrap();
        let whole = Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        let patient = Uuid::now_v7();
        store
            .insert_patient(patient, &crate::test_support::yamada_fields(), "t", now)
            .await
            .unwrap();
        let consent = tsunagu_domain::TeamSharingConsent {
            obtained_on: day,
            obtained_by: "医師".into(),
            given_by: tsunagu_domain::ConsentGiver::Patient,
            scopes: vec![
                tsunagu_domain::ConsentScope::Desk,
                tsunagu_domain::ConsentScope::Hospital,
            ],
            withdrawn_on: None,
            preregistered_with: Vec::new(),
        };
        store
            .save_consent(Uuid::now_v7(), patient, &consent, "t", now)
            .await
            .unwrap();
        let referral = Uuid::now_v7();
        let sent = StoredEvent {
            id: Uuid::now_v7(),
            details: Some(EventDetails::Sent {
                date: day,
                hospital: "豊島中央病院".into(),
            }),
            voids: None,
            note: String::new(),
            source: EventSource::Clinic,
            actor: "t".into(),
            at: whole,
        };
        store
            .import_referrals(&[ImportedReferral {
                id: referral,
                patient_id: patient,
                tracking_code: format!("T{}", referral.simple()),
                created_at: whole,
                events: vec![sent.clone()],
            }])
            .await
            .unwrap();
        let note = StoredEvent {
            id: Uuid::now_v7(),
            details: None,
            voids: Some(sent.id),
            note: "誤り".into(),
            ..sent.clone()
        };
        store
            .append_referral_event(referral, &note, |_| Ok::<(), ()>(()))
            .await
            .unwrap()
            .unwrap();
        store
            .record_reply(&NewReply {
                id: Uuid::now_v7(),
                referral_id: referral,
                received_on: day,
                findings: "{}".into(),
                attachment: Some(ReplyAttachment {
                    name: "scan.pdf".into(),
                    media_type: "application/pdf".into(),
                    bytes: vec![1, 2, 3],
                    sha256: "h".into(),
                }),
                recorded_by: "t".into(),
                recorded_at: now,
            })
            .await
            .unwrap();
        let draft = LetterDraftRecord {
            id: Uuid::now_v7(),
            patient_id: patient,
            kind: LetterKind::Referral,
            content: "{}".into(),
            supersedes: None,
            created_at: now,
            updated_at: now,
        };
        store.save_letter_draft(&draft).await.unwrap();
        let letter = NewLetter {
            id: Uuid::now_v7(),
            patient_id: patient,
            kind: LetterKind::Referral,
            version: 1,
            supersedes: None,
            referral: ReferralLink::New {
                id: Uuid::now_v7(),
                tracking_code: "T-NEW".into(),
                sent_details: EventDetails::Sent {
                    date: day,
                    hospital: "池袋総合病院".into(),
                },
                destination: None,
            },
            to: Destination {
                institution: "池袋総合病院".into(),
                department: String::new(),
                doctor: String::new(),
            },
            draft: "{}".into(),
            input: "{}".into(),
            pdf: vec![0],
            sha256: "h".into(),
            issued_on: day,
        };
        store
            .issue_letter(&letter, draft.id, "t", now)
            .await
            .unwrap();
        store
            .set_favourite_destination(&letter.to, true, now)
            .await
            .unwrap();
        store.save_letter_draft(&draft).await.unwrap();
        store
            .save_sync_device(
                &SyncDevice {
                    server_url: "https://example.invalid".into(),
                    device_id: Uuid::now_v7(),
                    organisation_id: Uuid::now_v7(),
                    organisation_name: "クリニック".into(),
                    enrolled_at: now,
                },
                "t",
            )
            .await
            .unwrap();
        store.record_sync_attempt(now, None).await.unwrap();
        let hospital = Uuid::now_v7();
        store
            .apply_pulled(
                &[
                    (
                        1,
                        PulledChange::Organisation {
                            id: hospital,
                            kind: "hospital".into(),
                            name: "豊島中央病院".into(),
                        },
                    ),
                    (
                        2,
                        PulledChange::Assigned {
                            referral_id: referral,
                            organisation_id: hospital,
                        },
                    ),
                    (
                        3,
                        PulledChange::Event {
                            referral_id: referral,
                            event: StoredEvent {
                                id: Uuid::now_v7(),
                                details: None,
                                voids: None,
                                note: "連絡".into(),
                                source: EventSource::Liaison,
                                actor: "h".into(),
                                at: now,
                            },
                        },
                    ),
                ],
                3,
                now,
            )
            .await
            .unwrap();
        let pending = store.pending_operations(100).await.unwrap();
        assert!(!pending.is_empty());
        let answers: Vec<(i64, Settlement)> = pending
            .iter()
            .map(|op| (op.op_seq, Settlement::Refused("拒否".into())))
            .collect();
        store.settle_operations(&answers, now).await.unwrap();
        store
            .dismiss_worklist_item("note:x", referral, "済", "t", now)
            .await
            .unwrap();
        store
            .set_patient_deleted(patient, true, "t", now)
            .await
            .unwrap();
        store.put_setting("k", "{}", "t", now).await.unwrap();
        store
            .first_notifications(&["n".to_string()], now)
            .await
            .unwrap();

        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table'
               AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
        )
        .fetch_all(&store.pool)
        .await
        .unwrap();
        let mut checked = 0;
        for table in tables {
            let columns: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT name FROM pragma_table_info('{table}')"
            )))
            .fetch_all(&store.pool)
            .await
            .unwrap();
            for column in columns {
                let values: Vec<(String, Option<String>)> =
                    sqlx::query_as(sqlx::AssertSqlSafe(format!(
                        "SELECT typeof(\"{column}\"), CAST(\"{column}\" AS TEXT) FROM \"{table}\""
                    )))
                    .fetch_all(&store.pool)
                    .await
                    .unwrap();
                for (kind, value) in values {
                    let place = format!("{table}.{column} = {value:?} ({kind})");
                    if kind == "blob" {
                        assert!(["pdf", "attachment"].contains(&column.as_str()), "{place}");
                        continue;
                    }
                    let Some(value) = value.filter(|_| kind == "text") else {
                        continue;
                    };
                    let id_column = column == "id"
                        || column.ends_with("_id")
                        || column == "voids"
                        || column == "supersedes";
                    if id_column && !["audit_log", "clinic_profile"].contains(&table.as_str()) {
                        assert!(is_id(&value), "{place}");
                        checked += 1;
                    } else if column.ends_with("_at") || column == "at" {
                        assert!(is_time(&value), "{place}");
                        checked += 1;
                    } else if column.ends_with("_on")
                        || ["birth_date", "last_news", "expected_discharge"]
                            .contains(&column.as_str())
                    {
                        assert!(is_date(&value), "{place}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 60, "{checked}");
        store.close().await;
    }

    /// The stored codes of the enums sqlx writes and reads by their
    /// snake_case names are the codes the store has always written.
    #[tokio::test]
    async fn enums_are_stored_as_their_codes() {
        use crate::{AuditAction, EventSource, LetterKind, OutboxKind};

        async fn text<T>(pool: &sqlx::SqlitePool, value: T) -> String
        where
            T: for<'a> Encode<'a, Sqlite> + Type<Sqlite> + Send + 'static,
        {
            sqlx::query_scalar("SELECT ?")
                .bind(value)
                .fetch_one(pool)
                .await
                .unwrap()
        }
        async fn back<T>(pool: &sqlx::SqlitePool, code: &str) -> T
        where
            T: for<'a> Decode<'a, Sqlite> + Type<Sqlite> + Send + Unpin,
        {
            sqlx::query_scalar("SELECT ?")
                .bind(code.to_string())
                .fetch_one(pool)
                .await
                .unwrap()
        }
        let pool = memory().await;
        for source in [
            EventSource::Clinic,
            EventSource::Desk,
            EventSource::Liaison,
            EventSource::Team,
        ] {
            assert_eq!(text(&pool, source).await, source.code());
            assert_eq!(back::<EventSource>(&pool, source.code()).await, source);
        }
        for kind in [LetterKind::Referral, LetterKind::Discharge] {
            assert_eq!(text(&pool, kind).await, kind.code());
            assert_eq!(back::<LetterKind>(&pool, kind.code()).await, kind);
        }
        for kind in [
            OutboxKind::PatientShared,
            OutboxKind::ConsentRecorded,
            OutboxKind::ReferralOpened,
            OutboxKind::EventAppended,
            OutboxKind::Team,
            OutboxKind::DischargeAnswer,
            OutboxKind::Intake,
            OutboxKind::LetterRevised,
        ] {
            assert_eq!(text(&pool, kind).await, kind.code());
            assert_eq!(back::<OutboxKind>(&pool, kind.code()).await, kind);
        }
        for (action, code) in [
            (AuditAction::Create, "create"),
            (AuditAction::Update, "update"),
            (AuditAction::Delete, "delete"),
            (AuditAction::Restore, "restore"),
            (AuditAction::View, "view"),
            (AuditAction::Issue, "issue"),
            (AuditAction::Print, "print"),
        ] {
            assert_eq!(text(&pool, action).await, code);
            assert_eq!(back::<AuditAction>(&pool, code).await, action);
        }
        let unknown = sqlx::query_scalar::<_, EventSource>("SELECT 'hospital'")
            .fetch_one(&pool)
            .await
            .map_err(crate::StoreError::from);
        assert!(
            matches!(unknown, Err(crate::StoreError::Corrupt(_))),
            "{unknown:?}"
        );
    }

    /// A malformed stored value is an error (the store's `Corrupt`), never
    /// a panic, and the error does not carry the value.
    #[tokio::test]
    async fn malformed_values_are_corrupt() {
        let pool = memory().await;
        let id = sqlx::query_scalar::<_, Id>("SELECT 'not-an-id'")
            .fetch_one(&pool)
            .await
            .map_err(crate::StoreError::from);
        assert!(matches!(id, Err(crate::StoreError::Corrupt(_))), "{id:?}");
        let date = sqlx::query_scalar::<_, NaiveDate>("SELECT '2026-13-01'")
            .fetch_one(&pool)
            .await
            .map_err(crate::StoreError::from);
        assert!(
            matches!(date, Err(crate::StoreError::Corrupt(_))),
            "{date:?}"
        );
        let time = sqlx::query_scalar::<_, DateTime<Utc>>("SELECT 'secret text'")
            .fetch_one(&pool)
            .await
            .map_err(crate::StoreError::from);
        let Err(err) = time else {
            panic!("decoded {time:?}");
        };
        assert!(matches!(err, crate::StoreError::Corrupt(_)), "{err:?}");
        assert!(!format!("{err} {err:?}").contains("secret"), "{err:?}");
        let blob = sqlx::query_scalar::<_, Id>("SELECT x'00'")
            .fetch_one(&pool)
            .await
            .map_err(crate::StoreError::from);
        assert!(
            matches!(blob, Err(crate::StoreError::Corrupt(_))),
            "{blob:?}"
        );
        let json: Result<Vec<Id>, _> = serde_json::from_str(r#"["nope"]"#);
        assert!(json.is_err());
        let id = Uuid::now_v7();
        assert_eq!(
            serde_json::to_string(&[Id(id)]).unwrap(),
            format!("[\"{id}\"]")
        );
        let back: Vec<Id> = serde_json::from_str(&format!("[\"{id}\"]")).unwrap();
        assert_eq!(back, vec![Id(id)]);
    }
}
