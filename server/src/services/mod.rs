//! What the server does, one module per capability, below HTTP and above
//! the database: each function takes plain values (and a connection or
//! the pool) and answers plain values or its own errors.

pub(crate) mod accounts;
pub(crate) mod actor;
pub(crate) mod audit;
pub(crate) mod beds;
pub(crate) mod break_glass;
pub(crate) mod directory;
pub(crate) mod directory_import;
pub mod directory_index;
pub(crate) mod discharge_requests;
pub(crate) mod enrollment;
pub(crate) mod hashing;
pub(crate) mod health;
pub(crate) mod housekeeping;
pub(crate) mod intake_requests;
pub(crate) mod listings;
pub(crate) mod live;
pub(crate) mod organisations;
pub(crate) mod preregistration;
pub(crate) mod referrals;
pub(crate) mod second_factor;
pub(crate) mod sessions;
pub(crate) mod sign_in;
pub(crate) mod staff;
pub(crate) mod sync;
pub(crate) mod teams;
