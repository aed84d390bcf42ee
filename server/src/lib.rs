//! Tsunagu's regional server: the medical association's home-care desk runs
//! it. It receives consented referrals from clinics' desktop apps, lets the
//! desk and hospitals record what happens, and syncs every change back.
//! Only this crate knows PostgreSQL.

pub mod admin;
pub mod api;
pub mod db;
pub mod error;
pub mod housekeeping;
pub mod local_pg;
mod op_rules;
pub mod portal;
pub mod sync;
pub mod users;
