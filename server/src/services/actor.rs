//! Who records a change, and how a change is refused: shared by the sync
//! operations and the portal, which record through the same paths.

use tsunagu_protocol::Organisation;
use uuid::Uuid;

/// Who records a change: an enrolled device (sync) or a portal user, of
/// an organisation.
pub(crate) struct Actor {
    pub organisation: Organisation,
    /// Shown with each event: the organisation and the device or person.
    pub label: String,
    /// In the audit log: `device:<id>` or `user:<id>`.
    pub audit: String,
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
