//! The local encrypted store: SQLCipher through sqlx, its key in the OS
//! keyring, migrations, and the repositories the app's use cases call.
//! Only this crate knows SQL on the client.

// Product code takes its times as arguments; the unit tests stamp their rows
// with the real clock.
#![cfg_attr(
    test,
    allow(
        clippy::disallowed_methods,
        reason = "unit tests stamp their rows with the real clock"
    )
)]

mod accounts;
mod acp;
mod audit;
mod backup;
mod batch;
mod board;
mod care_summaries;
mod clinic;
mod consents;
mod database;
mod directory;
mod discharge_requests;
mod error;
mod hospital_documents;
mod intake_requests;
mod key;
mod keyring_keys;
mod letters;
mod location;
mod nursing_orders;
mod outbox;
mod patients;
mod pinned_summary;
mod pulled;
mod referral_summary;
mod referrals;
mod replies;
mod search;
mod settings;
mod sharing_fee;
mod sql;
mod sqlcipher;
mod sync_device;
mod team;
#[cfg(test)]
mod test_support;
mod worklist;

use std::path::Path;

use sqlx::sqlite::SqlitePool;

pub use accounts::{AccountRecord, NewAccount};
pub use acp::{AcpReviewFacts, StoredAcp};
pub use audit::{AuditAction, AuditEntry};
pub use backup::{
    BACKUP_EXTENSION, BackupHeader, BackupKey, BackupSecrets,
    FORMAT_VERSION as BACKUP_FORMAT_VERSION, KdfParams, MIN_PASSPHRASE_CHARS, read_backup_header,
};
pub use board::{BoardOrder, BoardPage, BoardQuery, BoardScope};
pub use care_summaries::StoredCareSummary;
pub use consents::ConsentRecord;
pub use database::OpenMode;
pub use directory::{DirectoryPage, ListingBeds, ListingRecord};
pub use discharge_requests::{
    AnswerGivenHere, AnswerSending, DischargeAnswerWrite, DischargeRequestRecord,
    HeldDischargeRequest,
};
pub use error::{StoreError, StoreResult};
pub use hospital_documents::HospitalDocument;
pub use intake_requests::{
    HeldIntakeRequest, IntakeRequestRecord, IntakeSendWrite, IntakeStepHere, IntakeStepWrite,
};
pub use key::StoreKey;
pub use keyring_keys::{KEYRING_SERVICE, KeyringKeys};
pub use letters::{
    Destination, LetterDraftRecord, LetterKind, LetterSummary, NewLetter, ReferralLink,
};
pub use location::StoreLocation;
pub use nursing_orders::{
    LatestNursingOrder, NewNursingOrder, NursingOrderDraftRecord, OrderEnding, StoredNursingOrder,
};
pub use outbox::{OutboxItem, OutboxKind, PendingOperation, RefusedOperation, Settlement};
pub use patients::PatientRecord;
pub use pinned_summary::{PinnedShare, SheetFile};
pub use pulled::{PullOutcome, PullSession, PulledChange};
pub use referral_summary::ReferralSummary;
pub use referrals::{EventSource, ImportedReferral, ReferralRecord, RegionNote, StoredEvent};
pub use replies::{NewReply, ReplyAttachment, ReplyRecord};
pub use search::{COUNT_CAP, PatientPage, PatientSearch};
pub use sharing_fee::{SharingFeeMonthFacts, StoredSharingFee};
pub use sync_device::{EpochCheck, SyncDevice, SyncProgress};
pub use team::{
    AttachmentMeta, AttendanceGivenHere, ConferenceRecord, DirectoryEntry, EntryRecord, EntryState,
    HeldConference, HistoryRecord, InviteeRecord, MemberRecord, MissingAttachment, NewAttachment,
    OpenRequest, ReceiptRecord, TeamCounts, TeamOperation, TeamPost, TeamPulled, TeamRecord,
    TeamWrite,
};
pub use worklist::{AttentionItem, AttentionPage};

/// An open, unlocked store. Cheap to clone: it shares one connection pool.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    /// The directory search's in-memory copy (`directory.rs`).
    directory: std::sync::Arc<directory::DirectoryCache>,
}

impl Store {
    /// Opens (or, with [`OpenMode::CreateNew`], creates) the SQLCipher file at
    /// `path` with `key`. Most callers want [`StoreLocation::open_or_create`].
    pub async fn open_file(path: &Path, key: &StoreKey, mode: OpenMode) -> StoreResult<Store> {
        let pool = database::open_pool(path, key, mode).await?;
        Ok(Store {
            pool,
            directory: Default::default(),
        })
    }

    /// BENCHMARK ONLY: opens (creating if missing) a plain, unencrypted
    /// SQLite store with the same schema and pool settings, so
    /// `examples/bench_search.rs` can measure SQLCipher's overhead. Skips the
    /// cipher check on purpose. Never use it for patient data.
    #[doc(hidden)]
    pub async fn open_unencrypted_for_bench(path: &Path) -> StoreResult<Store> {
        let pool = database::open_unencrypted_pool_for_bench(path).await?;
        Ok(Store {
            pool,
            directory: Default::default(),
        })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
