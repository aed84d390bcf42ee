//! Dev-only support shared by the tests, the benches and the demo data, so
//! none of them copies another's (it is a dev-dependency only: nothing
//! shipped depends on it, and `tests/layering.rs` keeps it so).
//!
//! - [`fixtures`]: an `App` over a fresh encrypted store, a fixed clock,
//!   typical drafts and assertions on errors;
//! - [`referral_data`]: patients and referral histories that walk the
//!   status machine, for `make bench` and the demo clinic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test support: a fixture that cannot be made fails the test or the bench at once"
)]
#![allow(
    clippy::disallowed_methods,
    reason = "generated histories are stamped with the real clock, as the benches' stores are"
)]

pub mod fixtures;
pub mod referral_data;
