//! Push: the client's outbox, in order. Each operation is applied (or
//! refused) on its own, once: the server remembers `(device, op_seq)` and
//! answers a repeated push with the earlier result.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Versioned;
use crate::decode::{Bounded, DecodeError};
use crate::event::WireEvent;

pub const MAX_OPS_PER_PUSH: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    pub version: u16,
    pub ops: Vec<Operation>,
}

/// One outbox row. `op_seq` rises by one per device, from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    pub op_seq: i64,
    pub body: OpBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    Refused { reason: String },
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
        let mut values = crate::storable::Values::default();
        for op in &self.ops {
            values.op(&op.body);
        }
        if !values.storable() {
            return Err(DecodeError::Malformed);
        }
        Ok(())
    }
}
