//! The sync wire: what the desktop app and the regional server say to each
//! other, as versioned JSON (DESIGN.md §3). Only this crate (and the
//! desktop's IPC module) knows wire shapes; the domain's types are mapped
//! to and from them here, so the domain can change without changing the
//! wire.
//!
//! Every request carries `version`. The server accepts the current version
//! and the ones before it back to 2 ([`SUPPORTED`]); anything else is refused with
//! [`ErrorCode::UnsupportedVersion`] before the rest is read.

mod decode;
mod directory;
mod discharge;
mod document;
mod enroll;
mod error;
mod event;
mod intake;
mod pull;
mod push;
mod storable;
mod team;

pub use decode::{Bounded, DecodeError, decode_request};
pub use directory::{
    DirectoryRequest, DirectoryResponse, MAX_DIRECTORY_LIMIT, WireBeds, WireConfirmed, WireListing,
};
pub use discharge::{WireAnswer, WireDischargeRequest};
pub use document::WireHospitalDocument;
pub use enroll::{EnrollRequest, EnrollResponse, OrgKind, Organisation};
pub use error::{ErrorBody, ErrorCode};
pub use event::{WireDestination, WireEvent, WireEventDetails};
pub use intake::{WireIntakeAnswer, WireIntakeRequest, WireNewIntake};
pub use pull::{Change, ChangeBody, MAX_PULL_LIMIT, PullRequest, PullResponse, WireSource};
pub use push::{
    MAX_OPS_PER_PUSH, MAX_REQUEST_BYTES, OpBody, OpOutcome, OpResult, Operation, PushRequest,
    PushResponse, WireFamilyGiver, WireLetterSummary,
};
pub use storable::{event_detail_texts, op_storable, op_texts};
pub use team::{
    MAX_PINNED_ITEMS, MAX_PINNED_TEXT_CHARS, MAX_READ_PER_OP, TeamChangeBody, TeamOp,
    WireAttachment, WireAuthor, WireConference, WireDirectoryEntry, WireEntry, WireInvitee,
    WireMember, WireNewEntry, WirePinnedSummary, WireReceipt, WireVitals, WireWishes,
};

/// The version this build speaks. Version 2 added the letter's summary
/// (sender, contact, purpose) to `referral_opened`; version 3 added notes
/// on their own (an event with neither details nor voids: 連絡) and the
/// clinic's consents in its feed (`consent_recorded`). A version-2 client
/// is never sent what it cannot read ([`ChangeBody::since_version`]).
/// Version 4 added operation ids and [`OpOutcome::SeqTaken`] (a reused
/// operation number is detected, not dropped) and the server's epoch in
/// every pull (a restored server is noticed).
/// Version 5 added the home-care team: team operations and changes, the
/// directory of every kind of organisation, and the team scope of a
/// consent (ADR 0023).
/// Version 6 added 事前登録 to a consent: its scope and the hospitals
/// chosen (ADR 0025); a version-5 server would drop them unread, so a
/// version-6 client is refused by it instead.
/// Version 7 added episodes a hospital opens without a letter (紹介状なし
/// 入院, `referral_opened.without_letter` and its first event), which an
/// older client could not replay and is not sent.
/// Version 8 added the hospital's 退院後の在宅医療の相談 to the family
/// doctor (`discharge_request`) and the doctor's answer
/// (`discharge_request_answered`), and the team's 退院時カンファレンス
/// (`conference` changes and operations).
/// Version 9 added the regional directory's listings (`/v1/directory`,
/// pulled by directory version into the device's store) and the 受入相談
/// between organisations.
/// Version 10 added the documents a hospital sends through the portal
/// (`hospital_document`, fetched from `/v1/referral-documents/{id}`), a
/// corrected referral letter's summary (`letter_revised`), and the team's
/// pinned 医療・介護連携サマリー with the current 人生会議 wishes and the
/// emergency sheet (`summary_pinned`, ADR 0042); a version-9 server would
/// refuse the operations as unknown.
pub const PROTOCOL_VERSION: u16 = 10;

/// The versions a server of this build accepts: the current one and every
/// one back to 2 (versions 4 to 9 changed nothing an older client sends
/// or reads, so clinics that have not yet updated keep syncing).
pub const SUPPORTED: std::ops::RangeInclusive<u16> = 2..=PROTOCOL_VERSION;

/// Requests the server reads: each says which version it is.
pub trait Versioned {
    fn version(&self) -> u16;
}
