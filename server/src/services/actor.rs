//! Who records a change, and how a change is refused: shared by the sync
//! operations and the portal, which record through the same paths.

use tsunagu_protocol::{Organisation, WireSource};
use uuid::Uuid;

use crate::model::source_of;

/// Who records a change: an enrolled device (sync) or a portal user, of
/// an organisation.
pub(crate) struct Actor {
    pub organisation: Organisation,
    /// Shown with each event: the organisation and the device or person.
    pub label: String,
    /// In the audit log: `device:<id>` or `user:<id>`.
    pub audit: String,
}

impl Actor {
    /// Who the events this actor records are by.
    pub(crate) fn recorder(&self) -> Recorder<'_> {
        Recorder {
            organisation: self.organisation.id,
            source: source_of(self.organisation.kind),
            label: &self.label,
            audit: &self.audit,
        }
    }
}

/// Who a referral event is recorded by: an [`Actor`] of the clinic, the
/// desk or a hospital, or a member of the patient's home-care team
/// reporting where the patient is (`services::teams::news`).
pub(crate) struct Recorder<'a> {
    /// Only this organisation may void the event later.
    pub organisation: Uuid,
    /// As the clinic's app shows who it came from.
    pub source: WireSource,
    /// Shown with the event: the organisation and the person.
    pub label: &'a str,
    /// In the audit log.
    pub audit: &'a str,
}

/// Who a device is in the audit log.
pub(crate) fn device_actor(device: Uuid) -> String {
    format!("device:{device}")
}

/// Who a portal user is in the audit log.
pub(crate) fn user_actor(user: Uuid) -> String {
    format!("user:{user}")
}

/// Why an operation is refused: told to the client, which shows it as a
/// conflict. No patient data in it.
pub(crate) struct Refusal(pub String);

pub(crate) enum Failure {
    Refused(Refusal),
    Database(sqlx::Error),
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Self {
        Failure::Database(e)
    }
}

pub(crate) fn refuse(reason: &str) -> Failure {
    Failure::Refused(Refusal(reason.to_string()))
}
