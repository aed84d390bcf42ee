//! Thin IPC commands: take the arguments, call the `app` use case, return
//! its result in IPC shape. Every command here is listed in build.rs and
//! granted in capabilities/.

pub mod clinic;
pub mod consents;
pub mod figures;
pub mod files;
pub mod letters;
pub mod notifications;
pub mod patients;
pub mod referrals;
pub mod replies;
pub mod startup;
pub mod sync;
