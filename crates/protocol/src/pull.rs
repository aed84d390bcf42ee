//! Pull: the changes the device may see after its cursor, in commit order,
//! a page at a time. The client applies a page and stores `cursor` in one
//! transaction, so a dropped connection resumes where it stopped.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Versioned;
use crate::decode::{Bounded, DecodeError};
use crate::discharge::WireDischargeRequest;
use crate::document::WireHospitalDocument;
use crate::enroll::Organisation;
use crate::event::{WireEvent, WireEventDetails};
use crate::intake::WireIntakeRequest;
use crate::push::WireFamilyGiver;
use crate::team::{TeamChangeBody, WireDirectoryEntry};

pub const MAX_PULL_LIMIT: u32 = 1000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequest {
    pub version: u16,
    /// The last change applied (0 before the first pull).
    pub cursor: i64,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub changes: Vec<Change>,
    /// Store this with the applied page.
    pub cursor: i64,
    /// More changes wait after this page.
    pub more: bool,
    /// The server database's lifetime: replaced when it is restored from a
    /// backup, whose feed numbers then run again from an earlier point. A
    /// client that sees a new one reads the feed from the start and sends
    /// again what it holds (version 4; `None` from older servers).
    #[serde(default)]
    pub epoch: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Gapless per scope, in commit order.
    pub seq: i64,
    pub body: ChangeBody,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WireSource {
    Clinic,
    Desk,
    Liaison,
    /// A member of the patient's home-care team, e.g. the visiting nurse
    /// reporting a death at home (version 5).
    Team,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ChangeBody {
    /// The clinic's own patient, as shared (only in the clinic's feed: a
    /// new or reinstalled device of the clinic rebuilds from it).
    PatientShared {
        patient_id: Uuid,
        name: String,
        kana: String,
        birth_date: NaiveDate,
        sex: String,
    },
    /// A referral the clinic opened (only in the clinic's feed). Its
    /// 紹介済 event follows as `EventAppended`. Or, from version 7, an
    /// episode a hospital opened by admitting the clinic's pre-registered
    /// patient without a letter: its 紹介状なし入院 follows.
    ReferralOpened {
        referral_id: Uuid,
        patient_id: Uuid,
        tracking_code: String,
        recorded_at: DateTime<Utc>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        without_letter: bool,
    },
    /// An event recorded by the desk or a hospital (or echoed back).
    EventAppended {
        referral_id: Uuid,
        event: WireEvent,
        source: WireSource,
        /// The organisation's name and the person, e.g. 豊島中央病院 地域連携室 山本.
        actor: String,
        recorded_at: DateTime<Utc>,
    },
    /// The desk assigned a referral to a registered hospital.
    ReferralAssigned {
        referral_id: Uuid,
        organisation: Organisation,
    },
    /// A registered organisation, new or changed (the app's directory of
    /// destinations).
    OrganisationListed { organisation: Organisation },
    /// The clinic's consent for a patient, as recorded, changed or
    /// withdrawn (only in the clinic's feed: its other devices must know
    /// whether to share what they record). Version 3.
    ConsentRecorded {
        consent_id: Uuid,
        patient_id: Uuid,
        obtained_on: NaiveDate,
        obtained_by: String,
        desk: bool,
        destination_hospital: bool,
        withdrawn_on: Option<NaiveDate>,
        /// Version 5, as pushed.
        #[serde(default)]
        team: bool,
        #[serde(default)]
        family: Option<WireFamilyGiver>,
        /// 事前登録 (version 6), as pushed.
        #[serde(default)]
        preregistration: bool,
        #[serde(default)]
        preregistered_with: Vec<Uuid>,
    },
    /// An organisation the clinic may invite to a team (version 5).
    DirectoryListed { entry: WireDirectoryEntry },
    /// The clinic's patients' teams and timelines (version 5).
    Team(TeamChangeBody),
    /// A hospital's 退院後の在宅医療の相談 to the clinic, as it stands
    /// (version 8).
    DischargeRequest { request: WireDischargeRequest },
    /// A 受入相談 the organisation sent or was asked, as it stands
    /// (version 9).
    IntakeRequest { request: WireIntakeRequest },
    /// A 返書 or 退院時サマリー a hospital sent through the portal against
    /// the clinic's referral (only in the clinic's feed; version 10).
    HospitalDocument { document: WireHospitalDocument },
}

impl ChangeBody {
    /// The first protocol version that can carry this change: the server
    /// leaves it out of an older client's pages (the cursor still passes
    /// it).
    pub fn since_version(&self) -> u16 {
        match self {
            ChangeBody::HospitalDocument { .. } => 10,
            ChangeBody::IntakeRequest { .. } => 9,
            ChangeBody::DischargeRequest { .. }
            | ChangeBody::Team(TeamChangeBody::Conference { .. }) => 8,
            ChangeBody::DirectoryListed { .. } | ChangeBody::Team(_) => 5,
            ChangeBody::ReferralOpened {
                without_letter: true,
                ..
            } => 7,
            ChangeBody::EventAppended {
                event:
                    WireEvent {
                        details: Some(WireEventDetails::AdmittedWithoutLetter { .. }),
                        ..
                    },
                ..
            } => 7,
            ChangeBody::EventAppended {
                source: WireSource::Team,
                ..
            } => 5,
            ChangeBody::ConsentRecorded { .. } => 3,
            ChangeBody::EventAppended { event, .. }
                if event.details.is_none() && event.voids.is_none() =>
            {
                3
            }
            _ => 1,
        }
    }
}

impl Versioned for PullRequest {
    fn version(&self) -> u16 {
        self.version
    }
}

impl Bounded for PullRequest {
    fn check_bounds(&self) -> Result<(), DecodeError> {
        if self.limit > MAX_PULL_LIMIT {
            return Err(DecodeError::TooLarge {
                what: "1回に受け取る変更",
                max: MAX_PULL_LIMIT as usize,
            });
        }
        if self.cursor < 0 {
            return Err(DecodeError::Malformed);
        }
        Ok(())
    }
}
