//! Push: the client's outbox, in order. Each operation is applied (or
//! refused) on its own, once: the server remembers `(device, op_seq)` with
//! the operation's id and answers a repeated push with the earlier result.
//! The same number sent with another id is a different operation (a store
//! restored from a backup, or a data folder copied to a second PC): it is
//! answered [`OpOutcome::SeqTaken`], never "applied" and dropped.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Versioned;
use crate::decode::{Bounded, DecodeError};
use crate::discharge::WireAnswer;
use crate::event::WireEvent;
use crate::intake::{WireIntakeAnswer, WireNewIntake};
use crate::team::TeamOp;

pub const MAX_OPS_PER_PUSH: usize = 500;

/// The largest request body the server reads. The client fills a push up
/// to a budget below it, and an operation that alone would not fit is a
/// conflict on the client, never sent.
pub const MAX_REQUEST_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub version: u16,
    /// The server's epoch as the client last saw it (version 4). If the
    /// server's differs, nothing is applied ([`crate::ErrorCode::EpochChanged`]):
    /// a restored server lacks what these operations build on.
    #[serde(default)]
    pub epoch: Option<Uuid>,
    pub ops: Vec<Operation>,
}

/// One outbox row. `op_seq` rises per device, from 1 (with gaps after a
/// renumbering).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    pub op_seq: i64,
    /// Given when the row is queued and kept through retries and
    /// renumbering (version 4; older clients send none, and the server
    /// then trusts `op_seq` alone, as before).
    #[serde(default)]
    pub op_id: Option<Uuid>,
    pub body: OpBody,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum OpBody {
    /// The identifying details the region may see (with consent).
    PatientShared {
        patient_id: Uuid,
        name: String,
        kana: String,
        birth_date: NaiveDate,
        sex: String,
    },
    /// Consent recorded, changed or withdrawn (`withdrawn_on`).
    ConsentRecorded {
        consent_id: Uuid,
        patient_id: Uuid,
        obtained_on: NaiveDate,
        obtained_by: String,
        /// Shared with the regional desk.
        desk: bool,
        /// Shared with the hospital the patient is referred to.
        destination_hospital: bool,
        withdrawn_on: Option<NaiveDate>,
        /// Shared with the patient's home-care team (version 5).
        #[serde(default)]
        team: bool,
        /// Given by a family member on the patient's behalf (version 5;
        /// `None`: by the patient).
        #[serde(default)]
        family: Option<WireFamilyGiver>,
        /// 事前登録 with the region's hospitals (version 6).
        #[serde(default)]
        preregistration: bool,
        /// The hospitals chosen for it; empty: every participating one.
        #[serde(default)]
        preregistered_with: Vec<Uuid>,
    },
    /// A referral letter was issued: the episode and its 紹介済 event.
    ReferralOpened {
        referral_id: Uuid,
        patient_id: Uuid,
        tracking_code: String,
        /// A hospital registered on the server, or `None` for the desk to assign.
        destination: Option<Uuid>,
        sent: WireEvent,
        /// What the letter says that the hospital's liaison officer needs
        /// (version 2; version 1 clients send none).
        #[serde(default)]
        letter: Option<Box<WireLetterSummary>>,
    },
    EventAppended {
        referral_id: Uuid,
        event: WireEvent,
    },
    /// The desk addresses a referral (sent to an unregistered destination,
    /// or to the wrong one) to a registered hospital.
    ReferralAssigned {
        referral_id: Uuid,
        hospital_id: Uuid,
    },
    /// A hospital's liaison officer types the tracking code printed on the
    /// letter: the referral is theirs if it is addressed to no registered
    /// hospital yet, or was transferred to them.
    ReferralClaimed {
        tracking_code: String,
    },
    /// The patient's home-care team (version 5).
    Team(TeamOp),
    /// The doctor's answer to a hospital's 退院後の在宅医療の相談
    /// (version 8).
    DischargeRequestAnswered(WireAnswer),
    /// The clinic asks an organisation found in the directory to take a
    /// patient on (受入相談, version 9).
    IntakeSent(WireNewIntake),
    /// The clinic's doctor answers a 受入相談 it was asked (version 9).
    IntakeAnswered(WireIntakeAnswer),
    /// The clinic withdraws a 受入相談 it sent, still unanswered (version 9).
    IntakeWithdrawn {
        request_id: Uuid,
    },
    /// A corrected referral letter was issued as a new version: what it
    /// now says (version 10). The region keeps every version and shows
    /// the latest.
    LetterRevised {
        referral_id: Uuid,
        /// The letter's version (2 for the first correction).
        version: u32,
        letter: Box<WireLetterSummary>,
    },
}

/// The family member who consented, and how they are related.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireFamilyGiver {
    pub name: String,
    pub relation: String,
}

/// The referral letter's sender and purpose: who the family doctor is and
/// how to reach them, so that it is never lost, even after a transfer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireLetterSummary {
    pub clinic: String,
    pub doctor: String,
    pub phone: String,
    #[serde(default)]
    pub fax: String,
    #[serde(default)]
    pub address: String,
    /// 紹介目的
    pub purpose: String,
    /// 傷病名
    #[serde(default)]
    pub diagnoses: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<OpResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpResult {
    pub op_seq: i64,
    pub outcome: OpOutcome,
}

/// A refused operation becomes a visible conflict on the client, never a
/// silent loss.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum OpOutcome {
    Applied,
    Refused {
        reason: String,
    },
    /// `op_seq` was used by another operation of this device: nothing was
    /// applied, neither this operation nor any after it in the request.
    /// The client numbers its waiting operations from `next` on and sends
    /// them again (version 4).
    SeqTaken {
        next: i64,
    },
}

impl Versioned for PushRequest {
    fn version(&self) -> u16 {
        self.version
    }
}

impl Bounded for PushRequest {
    fn check_bounds(&self) -> Result<(), DecodeError> {
        if self.ops.len() > MAX_OPS_PER_PUSH {
            return Err(DecodeError::TooLarge {
                what: "操作",
                max: MAX_OPS_PER_PUSH,
            });
        }
        // Values a database cannot keep are refused per operation (see
        // `op_storable`): one bad operation must not hold back the rest.
        Ok(())
    }
}
