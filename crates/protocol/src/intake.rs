//! 受入相談 on the wire (version 9): a request reaches the asked
//! organisation's feed and the asker's, whole each time its state moves;
//! a clinic sends, answers and withdraws by operations.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::team::WireAuthor;

/// A request as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireIntakeRequest {
    pub id: Uuid,
    pub from_org: Uuid,
    pub from_name: String,
    /// How the asked may call back about it.
    pub from_phone: String,
    pub to_org: Uuid,
    pub to_name: String,
    /// The domain's `OrganisationKind` code.
    pub to_kind: String,
    pub age: Option<u8>,
    /// The domain's `Sex` code.
    pub sex: Option<String>,
    pub municipality: String,
    /// The domain's `Offer` codes.
    pub needs: Vec<String>,
    pub start_on: Option<NaiveDate>,
    pub summary: String,
    /// The domain's `IntakeState` code.
    pub state: String,
    /// Who asked, e.g. みどり診療所 医師 佐藤.
    pub sent_by: String,
    pub sent_at: DateTime<Utc>,
    pub answer_text: String,
    pub answered_by: String,
    pub closed_at: Option<DateTime<Utc>>,
}

/// A clinic's new request (the form as checked by the domain's
/// `check_intake`; the server checks it again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireNewIntake {
    pub id: Uuid,
    pub to_org: Uuid,
    pub age: String,
    pub sex: String,
    pub municipality: String,
    pub needs: Vec<String>,
    pub start_on: String,
    pub summary: String,
    pub by: WireAuthor,
}

/// A clinic's answer to a request it was asked: the domain's
/// `IntakeAnswer` code, and the reason (required to decline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireIntakeAnswer {
    pub request_id: Uuid,
    pub answer: String,
    pub text: String,
    pub by: WireAuthor,
}
