//! Referrals after a clinic opens them: who may record on one, appending
//! events through the status machine, handing one to a hospital, and
//! what the portal shows and records of them.

pub(crate) mod access;
pub(crate) mod calls;
pub(crate) mod documents;
pub(crate) mod events;
pub(crate) mod figures;
pub(crate) mod handover;
pub(crate) mod lookup;
pub(crate) mod record;
pub(crate) mod rules;
pub(crate) mod unplanned;
pub(crate) mod view;
pub(crate) mod worklists;
