//! The only place that writes SQL. Each module owns some tables and hands
//! out typed rows; none knows HTTP or the services above it.

pub(crate) mod attempts;
pub(crate) mod audit;
pub(crate) mod beds;
pub(crate) mod break_glass;
pub(crate) mod conferences;
pub(crate) mod devices;
pub(crate) mod directory_import;
pub(crate) mod discharge_requests;
pub(crate) mod error;
pub(crate) mod events;
pub(crate) mod feed;
pub(crate) mod housekeeping;
pub(crate) mod intake_requests;
pub(crate) mod listings;
pub(crate) mod live;
pub(crate) mod organisations;
pub(crate) mod pinned_summaries;
mod pool;
pub(crate) mod preregistration;
pub(crate) mod profiles;
pub(crate) mod referral_documents;
pub(crate) mod referrals;
pub(crate) mod region;
pub(crate) mod savepoint;
pub(crate) mod sessions;
pub(crate) mod sync_log;
pub(crate) mod team_lists;
pub(crate) mod teams;
pub(crate) mod users;
pub(crate) mod views;
pub(crate) mod ward_staff;

pub(crate) use pool::ping;
pub use pool::{RUNTIME_ROLE, connect, connect_and_migrate, migrate};

/// A value as a `jsonb` parameter. Our own types always serialise; should
/// one ever fail, it is an encoding error of the statement, not a panic.
pub(crate) fn json<T: serde::Serialize + ?Sized>(value: &T) -> sqlx::Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}
