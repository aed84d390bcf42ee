//! Tsunagu's regional server: the medical association's home-care desk runs
//! it. It receives consented referrals from clinics' desktop apps, lets the
//! desk and hospitals record what happens, and syncs every change back.
//! Only this crate knows PostgreSQL.
//!
//! Layers, each using only those below it: `http` (routes, extractors,
//! forms, templates) → `services` (one module per capability) → `db` (the
//! only SQL) → `model` (shared types). `local_pg` runs a PostgreSQL of the
//! server's own and `backup` dumps and restores its database with
//! PostgreSQL's tools; `main.rs` is the command line.
//!
//! The modules `api`, `admin`, `audit`, `users`, `sync`, `portal`, `housekeeping`
//! and `error` are the public paths the command line, the tests and the
//! benchmarks use; they only re-export from the layers.

pub mod backup;
pub mod db;
mod http;
pub mod local_pg;
pub mod model;
mod services;

/// The server as HTTP: its router and state, and the device API's limits.
pub mod api {
    pub use crate::http::api::MAX_BODY_BYTES;
    pub use crate::http::limits::Limits;
    pub use crate::http::router;
    pub use crate::http::serve::serve;
    pub use crate::http::state::ServerState;
    pub use crate::services::enrollment::{Device, MAX_ENROLL_FAILURES};
    pub use crate::services::hashing::HashingGate;
}

/// How the device API reports failures.
pub mod error {
    pub use crate::http::api::error::ApiError;
}

/// The desk administrator's tasks: organisations, enrollment codes,
/// devices.
pub mod admin {
    pub use crate::model::{PortalOrganisation, device_kind, kind_code, kind_from_code};
    pub use crate::services::enrollment::{
        CODE_LIFETIME, CodeError, code_digest, issue_enrollment_code, revoke_device,
    };
    pub use crate::services::organisations::{
        NewOrganisation, create_organisation, register_organisation,
    };
}

/// The audit log: its search as the administrator's page runs it, and
/// the check of its hash chain.
pub mod audit {
    pub use crate::services::audit::{ChainReport, Entry, PAGE_ROWS, Search, read, verify_chain};
}

/// Portal accounts.
pub mod users {
    pub use crate::services::accounts::{
        AccountRequest, NewUser, Profession, Role, UserError, bootstrap_desk, create_account,
        create_user, decide_account, default_profession, disable_user, enable_user, hash_password,
        reset_user, set_desk_role, verify_password,
    };
}

/// Push and pull.
pub mod sync {
    pub use crate::model::Scope;
    pub use crate::services::sync::frame::MAX_CLAIM_MISSES;
    pub use crate::services::sync::rules::WIRE_TEXT_MAX_CHARS;
}

/// The portal's limits and its second factor, as the tests drive them.
pub mod portal {
    pub use crate::http::portal::SESSION_COOKIE;
    pub use crate::services::referrals::lookup::MAX_LOOKUP_MISSES;
    pub use crate::services::second_factor::current_code;
    pub use crate::services::sessions::IDLE_MINUTES;
    pub use crate::services::sign_in::{
        FIRST_WAIT_SECONDS, MAX_ADDRESS_FAILURES, MAX_LOGIN_FAILURES, MAX_WAIT_SECONDS,
    };
}

/// Sweeping counted attempts and ended sessions.
pub mod housekeeping {
    pub use crate::services::housekeeping::{
        expire_discharge_requests, expire_invitations, remind_conferences, spawn, sweep,
    };
}
