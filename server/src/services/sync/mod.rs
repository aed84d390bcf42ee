//! Push and pull (DESIGN.md §3). A pushed operation is authorised from the
//! device's credential, validated (the referral status machine runs here
//! too), applied, appended to the change feed of every scope that may see
//! it, and remembered by `(device, op_seq)` — all in one transaction, so a
//! repeated push is harmless and a dropped one changes nothing.

pub(crate) mod frame;
pub(crate) mod ops;
pub(crate) mod pull;
pub(crate) mod rules;
