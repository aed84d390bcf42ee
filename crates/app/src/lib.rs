//! The use cases the desktop UI calls, as plain async methods on [`App`].
//! No Tauri here: every use case runs in a plain test against a temporary
//! store. Errors are an [`AppError`] with a closed [`ErrorCode`] and a
//! Japanese message the UI can show as is.

mod accounts;
mod acp;
mod backups;
mod board;
mod care_summary;
mod clinic;
mod clock;
mod consents;
mod directory;
mod discharge;
mod error;
mod exchange;
mod fhir_documents;
mod figures;
mod intake;
mod letters;
mod nursing_orders;
mod patients;
mod pinned_summary;
mod referrals;
mod replies;
mod settings;
mod sharing_fee;
mod sync;
mod team;
mod worklist;

use tsunagu_store::Store;

pub use accounts::{AccountInput, AccountView, SessionView, SignedIn};
pub use acp::{
    AcpHistory, AcpParticipantView, AcpView, AcpWishView, REVIEW_TITLE as ACP_REVIEW_TITLE,
    RecordedAcp,
};
pub use backups::{BACKUP_EVERY_HOURS, BackupView, backup_made_at};
pub use board::{Board, BoardFilter, BoardRow};
pub use care_summary::{CareSummaryView, SavedCareSummary};
pub use clinic::ClinicProfileView;
pub use clock::{Clock, FixedClock, SystemClock};
pub use consents::{ConsentView, RegionalHospital};
pub use directory::{DIRECTORY_RESULTS, DirectoryHit, DirectoryResults};
pub use discharge::DischargeRequestView;
pub use error::{AppError, ErrorCode, FieldMessage};
pub use exchange::{
    DIRECTORY_PAGE, SyncConflict, SyncReport, SyncState, pulled_changes, pushed_operation,
};
pub use fhir_documents::FhirDocument;
pub use figures::{FigureRow, FiguresPeriod, LOST_AFTER_DAYS, LoopFigures};
pub use intake::IntakeView;
pub use letters::{
    Destinations, LabRowDraft, LetterDraftContent, LetterDraftView, LetterView, PatientLetters,
};
pub use nursing_orders::{
    IssuedNursingOrder, NursingOrderDraftView, NursingOrderInput, NursingOrderStation,
    NursingOrderStations, NursingOrderView, ORDER_DUE_TITLE, ORDER_EXPIRED_TITLE,
    PatientNursingOrders,
};
pub use patients::{BirthDatePreview, PatientList, PatientView};
pub use referrals::{EventInput, EventView, ReferralView};
pub use replies::{AttachmentFile, ReplyView};
pub use settings::WorklistSettings;
pub use sharing_fee::{
    SharingFeeRecordView, SharingFeeReport, SharingFeeReportRow, sharing_fee_csv_header,
};
pub use sync::SyncView;
pub use team::{
    AttachmentView, ConferenceInput, ConferenceView, EntryView, HistoryView, InvitableMember,
    InviteInput, InviteeView, MemberView, PatientTeam, PostDraft, ReceiptView, TeamAttachmentFile,
    TeamBadge, TeamConferences, TeamView, Timeline, profession_of,
};
pub use tsunagu_domain::acp::{
    AcpDraft, ParticipantDraft as AcpParticipantDraft, ParticipantRole as AcpParticipantRole,
    Place as AcpPlace, Treatment, Wish,
};
pub use tsunagu_domain::care_summary::CareSummaryDraft;
pub use tsunagu_domain::directory::beds::WardType;
pub use tsunagu_domain::directory::search::SearchDraft as DirectorySearchDraft;
pub use tsunagu_domain::directory::{Accepting, Offer, offers_for};
pub use tsunagu_domain::discharge_request::{CareNeed, RequestState as DischargeRequestState};
pub use tsunagu_domain::intake::{
    IntakeAnswer, IntakeDraft, IntakeState, SUMMARY_HINT_JA as INTAKE_SUMMARY_HINT_JA,
};
pub use tsunagu_domain::lab_results::MAX_LAB_CSV_BYTES;
pub use tsunagu_domain::nursing_order::{
    BedriddenLevel, CareLevel, DementiaLevel, DiagnosisDraft, MedicalDevice, NursingOrderDraft,
    OrderKind, RenewalState, UlcerDepth,
};
pub use tsunagu_domain::sharing_fee::{SharingFeeDraft, SharingFeeRequirement};
pub use tsunagu_domain::team::conference::{Attendance, ConferenceState};
pub use tsunagu_domain::team::{
    EntryKind, FamilyContactDraft, FirstContactTopic, OrganisationKind, TeamRole, VitalsDraft,
    check_team_attachment,
};
pub use tsunagu_domain::{
    AttachmentKind, ClinicDraft, DestinationKind, Outcome, PatientDraft, ReferralStatus, Sex,
    StaffRole, check_attachment, format_wareki,
};
pub use tsunagu_domain::{ConsentDraft, ReplyDraft};
pub use tsunagu_domain::{ConsentGiver, ConsentScope, TeamSharingConsentDraft};
pub use tsunagu_store::BACKUP_EXTENSION;
pub use tsunagu_store::{Destination, KeyringKeys, LetterKind, LetterSummary, StoreLocation};
pub use tsunagu_store::{DirectoryEntry, EntryRecord, EntryState, ListingBeds, ListingRecord};
pub use worklist::{WORKLIST_SHOWN, WorklistItem, WorklistPage};

use std::sync::Arc;

/// The desktop core: the unlocked store, a clock, and who is acting.
#[derive(Clone)]
pub struct App {
    store: Store,
    clock: Arc<dyn Clock>,
    /// Who acts when no account is signed in (background work, tests).
    actor: String,
    /// The desktop's app: every use case a role limits asks the signed-in
    /// account. An app made with [`App::with_store`] (tests, tools) has no
    /// accounts to ask.
    accounts_required: bool,
    session: Arc<std::sync::Mutex<accounts::Session>>,
    /// Where this install's secrets live (the store key, the sync secret).
    keys: Option<KeyringKeys>,
    /// Names this store's entries in the keyring (its backup key).
    store_id: Option<String>,
    /// One exchange with the server at a time (the background task and
    /// 今すぐ同期 may ask together).
    sync_turn: Arc<tokio::sync::Mutex<()>>,
    /// Exchanges since start that brought news from the desk or a
    /// hospital: the UI reloads what it shows when this rises.
    news_arrivals: Arc<std::sync::atomic::AtomicU64>,
}

impl App {
    /// Opens the store in `location` (creating it, with its key in the OS
    /// keyring, on first start).
    pub async fn open(
        location: &StoreLocation,
        keys: &KeyringKeys,
        clock: Arc<dyn Clock>,
        actor: impl Into<String>,
    ) -> Result<App, AppError> {
        let store = location.open_or_create(keys).await?;
        let store_id = location.read_store_id()?;
        Ok(App::with_store(store, clock, actor)
            .with_keyring(keys.clone())
            .with_store_id(store_id)
            .requiring_accounts())
    }

    pub fn with_store(store: Store, clock: Arc<dyn Clock>, actor: impl Into<String>) -> App {
        App {
            store,
            clock,
            actor: actor.into(),
            accounts_required: false,
            session: Arc::default(),
            keys: None,
            store_id: None,
            sync_turn: Arc::default(),
            news_arrivals: Arc::default(),
        }
    }

    /// Roles apply: a use case a role limits needs a signed-in account.
    pub fn requiring_accounts(mut self) -> App {
        self.accounts_required = true;
        self
    }

    /// The keyring for secrets beyond the store key (the sync credential).
    pub fn with_keyring(mut self, keys: KeyringKeys) -> App {
        self.keys = Some(keys);
        self
    }

    /// The store's id (see `StoreLocation`), which names its backup key.
    pub fn with_store_id(mut self, store_id: impl Into<String>) -> App {
        self.store_id = Some(store_id.into());
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub async fn close(&self) {
        self.store.close().await;
    }
}
