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
/// filters): text, or a date written as the store keeps dates.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Text(String),
    Date(NaiveDate),
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
