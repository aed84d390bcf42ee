//! Small types every layer shares, with the text PostgreSQL stores for
//! them. No SQL and no HTTP here: the layers above meet on these.

use std::fmt;
use std::str::FromStr;

use tsunagu_protocol::{OrgKind, Organisation, WireSource};
use uuid::Uuid;

/// A change feed: one per clinic or hospital, and the desk's. Stored as
/// `org:<uuid>` or `desk` (`scope_counters.scope`, `change_log.scope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Org(Uuid),
    Desk,
}

impl Scope {
    /// The feed a device of `organisation` reads: its own, or the desk's.
    pub fn of(organisation: &Organisation) -> Scope {
        match organisation.kind {
            OrgKind::Desk => Scope::Desk,
            OrgKind::Clinic | OrgKind::Hospital => Scope::Org(organisation.id),
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Org(id) => write!(f, "org:{id}"),
            Scope::Desk => f.write_str("desk"),
        }
    }
}

/// A stored scope that is neither `desk` nor `org:<uuid>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a scope: {0}")]
pub struct BadScope(pub String);

impl FromStr for Scope {
    type Err = BadScope;

    fn from_str(text: &str) -> Result<Scope, BadScope> {
        match text.strip_prefix("org:") {
            _ if text == "desk" => Ok(Scope::Desk),
            Some(id) => Uuid::parse_str(id)
                .map(Scope::Org)
                .map_err(|_| BadScope(text.to_string())),
            None => Err(BadScope(text.to_string())),
        }
    }
}

/// A portal account's role (`users.role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The desk's administrator: organisations, users, devices, audit log.
    Admin,
    /// The desk's staff (相談窓口).
    Desk,
    /// A hospital's liaison officer (連携担当者).
    Liaison,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Desk => "desk",
            Role::Liaison => "liaison",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        [Role::Admin, Role::Desk, Role::Liaison]
            .into_iter()
            .find(|r| r.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Role::Admin => "管理者",
            Role::Desk => "相談窓口",
            Role::Liaison => "連携担当者",
        }
    }

    /// Desk roles belong to the desk, liaison officers to a hospital.
    pub fn fits(self, kind: OrgKind) -> bool {
        matches!(
            (self, kind),
            (Role::Admin | Role::Desk, OrgKind::Desk) | (Role::Liaison, OrgKind::Hospital)
        )
    }
}

/// An organisation's kind as stored (`organisations.kind`).
pub fn kind_code(kind: OrgKind) -> &'static str {
    match kind {
        OrgKind::Clinic => "clinic",
        OrgKind::Hospital => "hospital",
        OrgKind::Desk => "desk",
    }
}

pub fn kind_from_code(code: &str) -> Option<OrgKind> {
    [OrgKind::Clinic, OrgKind::Hospital, OrgKind::Desk]
        .into_iter()
        .find(|k| kind_code(*k) == code)
}

/// Who recorded an event, as stored (`referral_events.source`).
pub(crate) fn source_code(source: WireSource) -> &'static str {
    match source {
        WireSource::Clinic => "clinic",
        WireSource::Desk => "desk",
        WireSource::Liaison => "liaison",
    }
}

/// The stored source read back (anything else reads as the clinic's).
pub(crate) fn source_from_code(code: &str) -> WireSource {
    match code {
        "desk" => WireSource::Desk,
        "liaison" => WireSource::Liaison,
        _ => WireSource::Clinic,
    }
}

/// The events' source for an organisation's kind.
pub(crate) fn source_of(kind: OrgKind) -> WireSource {
    match kind {
        OrgKind::Clinic => WireSource::Clinic,
        OrgKind::Hospital => WireSource::Liaison,
        OrgKind::Desk => WireSource::Desk,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_back_as_stored() {
        let id = Uuid::now_v7();
        for scope in [Scope::Org(id), Scope::Desk] {
            assert_eq!(scope.to_string().parse::<Scope>(), Ok(scope));
        }
        assert_eq!(Scope::Org(id).to_string(), format!("org:{id}"));
        assert_eq!(Scope::Desk.to_string(), "desk");
        assert!("org:nope".parse::<Scope>().is_err());
        assert!("clinic".parse::<Scope>().is_err());
    }
}
