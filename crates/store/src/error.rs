use thiserror::Error;

/// Why the local store could not do what was asked. Messages are for
/// engineers and logs: they never carry patient data or key material.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("the store file cannot be read with this key (wrong key, or not a Tsunagu store)")]
    WrongKey,
    #[error("the OS keyring holds no key for this store")]
    KeyMissing,
    #[error("the store file exists but its key identifier file is missing")]
    StoreIdMissing,
    /// The folder names a store (its `store-id` is there) but the database
    /// file is gone: a new empty store would hide the loss.
    #[error("the store's database file is missing from its data folder")]
    DataFileMissing,
    #[error("the OS keyring is unavailable: {0}")]
    KeyringUnavailable(String),
    #[error("the key read back from the OS keyring differs from the one written")]
    KeyringRoundTrip,
    #[error("the recovery passphrase does not open this backup")]
    BackupPassphraseWrong,
    #[error("the backup file is truncated or altered")]
    BackupDamaged,
    #[error("the file is not a Tsunagu backup")]
    NotABackup,
    #[error("the backup was written by a newer version of the app")]
    BackupFormatUnknown,
    #[error("a store already exists here; a restore never overwrites one")]
    RestoreWouldOverwrite,
    #[error("the recovery passphrase is too short")]
    PassphraseTooShort,
    #[error("SQLCipher is not linked: refusing to store data unencrypted")]
    NotEncrypted,
    #[error("the chart number is already used by another patient")]
    DuplicateChartNumber,
    #[error("the tracking code is already used by another referral")]
    DuplicateTrackingCode,
    #[error("this letter has already been issued or corrected")]
    AlreadyIssued,
    #[error("the patient already has a consent in force")]
    ConsentInForce,
    /// The patient already has a team.
    #[error("the patient already has a team")]
    TeamExists,
    /// A discharge request changed (or was answered here) after the
    /// answer was checked.
    #[error("the discharge request changed while it was being answered")]
    RequestChanged,
    /// A 訪問看護指示書 already renewed, or already decided not to be.
    #[error("the nursing order was already renewed or ended")]
    OrderDecided,
    #[error("the login is already used by another account")]
    DuplicateLogin,
    #[error("the last administrator cannot be disabled or demoted")]
    LastAdministrator,
    #[error("no such record")]
    NotFound,
    #[error("a stored value is malformed: {0}")]
    Corrupt(&'static str),
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
    #[error("database: {0}")]
    Database(#[source] sqlx::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

/// SQLite's SQLITE_NOTADB: what SQLCipher answers when the key does not fit.
const SQLITE_NOTADB: &str = "26";

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::Database(db) if db.code().as_deref() == Some(SQLITE_NOTADB) => {
                StoreError::WrongKey
            }
            sqlx::Error::Database(db)
                if db.is_unique_violation() && db.message().contains("chart_number") =>
            {
                StoreError::DuplicateChartNumber
            }
            sqlx::Error::Database(db)
                if db.is_unique_violation() && db.message().contains("tracking_code") =>
            {
                StoreError::DuplicateTrackingCode
            }
            sqlx::Error::Database(db)
                if db.is_unique_violation() && db.message().contains("accounts.login") =>
            {
                StoreError::DuplicateLogin
            }
            sqlx::Error::Database(db) if db.message().contains("last administrator") => {
                StoreError::LastAdministrator
            }
            sqlx::Error::RowNotFound => StoreError::NotFound,
            // A stored value that does not read back as its type. The
            // decoder's message may quote the value: it is not kept.
            sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => {
                StoreError::Corrupt("stored value")
            }
            _ => StoreError::Database(err),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
