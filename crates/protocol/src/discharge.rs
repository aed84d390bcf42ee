//! 退院後の在宅医療の相談 on the wire (version 8): the hospital's request
//! reaches the family doctor's clinic as a change, whole each time its
//! state moves; the doctor's answer goes back as an operation.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::team::WireAuthor;

/// A request as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireDischargeRequest {
    pub id: Uuid,
    pub referral_id: Uuid,
    pub patient_id: Uuid,
    /// The hospital's name.
    pub hospital: String,
    /// Who sent it, e.g. 北病院 MSW・連携担当者 山本.
    pub sent_by: String,
    pub sent_at: DateTime<Utc>,
    pub expected_date: NaiveDate,
    pub reply_by: NaiveDate,
    /// The domain's `CareNeed` codes.
    pub needs: Vec<String>,
    pub note: String,
    /// The domain's `RequestState` code, as stored (an open request past
    /// its day reads expired by the domain's `state_on`).
    pub state: String,
    /// A decline's reason, or what a consult is about.
    pub answer_text: String,
    pub answered_by: String,
    pub answered_at: Option<DateTime<Utc>>,
}

/// The doctor's answer: `accept`, `decline` (with the reason in `text`)
/// or `consult`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireAnswer {
    pub request_id: Uuid,
    pub answer: String,
    pub text: String,
    pub by: WireAuthor,
}
