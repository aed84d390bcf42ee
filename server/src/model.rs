//! Small types every layer shares, with the text PostgreSQL stores for
//! them. No SQL and no HTTP here: the layers above meet on these.

use std::fmt;
use std::str::FromStr;

use tsunagu_domain::team::OrganisationKind;
use tsunagu_protocol::{OrgKind, Organisation, WireSource};
use uuid::Uuid;

/// A change feed: one per clinic or hospital, and the desk's. Stored as
/// `org:<uuid>` or `desk` (`scope_counters.scope`, `change_log.scope`).
/// A team's timeline is announced as `team:<uuid>` on the live channel
/// (its changes are in the owning clinic's feed, ADR 0023), and a
/// referral's discharge requests as `referral:<uuid>` (the liaison's open
/// page hears the family doctor's answer), and a team's pinned summary as
/// `team-summary:<uuid>` (its number is the version).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Org(Uuid),
    Desk,
    Team(Uuid),
    /// A team's pinned summary: its own number (the version), so that an
    /// open page tells a new summary from a new entry. Announced only.
    TeamSummary(Uuid),
    Referral(Uuid),
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
            Scope::Team(id) => write!(f, "team:{id}"),
            Scope::TeamSummary(id) => write!(f, "team-summary:{id}"),
            Scope::Referral(id) => write!(f, "referral:{id}"),
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
        if text == "desk" {
            return Ok(Scope::Desk);
        }
        let bad = || BadScope(text.to_string());
        let (make, id): (fn(Uuid) -> Scope, _) = if let Some(id) = text.strip_prefix("org:") {
            (Scope::Org, id)
        } else if let Some(id) = text.strip_prefix("team:") {
            (Scope::Team, id)
        } else if let Some(id) = text.strip_prefix("team-summary:") {
            (Scope::TeamSummary, id)
        } else if let Some(id) = text.strip_prefix("referral:") {
            (Scope::Referral, id)
        } else {
            return Err(bad());
        };
        Uuid::parse_str(id).map(make).map_err(|_| bad())
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
    /// An organisation's own administrator (機関の管理者): creates its
    /// staff's accounts, which the desk approves (ADR 0021).
    OrgAdmin,
    /// An organisation's staff (職員): signs in to see its teams.
    Staff,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Desk,
        Role::Liaison,
        Role::OrgAdmin,
        Role::Staff,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Desk => "desk",
            Role::Liaison => "liaison",
            Role::OrgAdmin => "org_admin",
            Role::Staff => "staff",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Role::Admin => "管理者",
            Role::Desk => "相談窓口",
            Role::Liaison => "連携担当者",
            Role::OrgAdmin => "機関の管理者",
            Role::Staff => "職員",
        }
    }

    /// Desk roles belong to the desk, liaison officers to a hospital; an
    /// organisation's administrator and staff to any organisation but the
    /// desk.
    pub fn fits(self, kind: OrganisationKind) -> bool {
        match self {
            Role::Admin | Role::Desk => kind == OrganisationKind::Desk,
            Role::Liaison => kind == OrganisationKind::Hospital,
            Role::OrgAdmin | Role::Staff => kind != OrganisationKind::Desk,
        }
    }

    /// Whether the role reads and records referrals in the portal (the
    /// desk's and hospitals' liaison work). An organisation's
    /// administrator and staff have none until teams come.
    pub fn has_referral_rights(self) -> bool {
        matches!(self, Role::Admin | Role::Desk | Role::Liaison)
    }
}

/// The organisation a portal account belongs to, of any kind (devices
/// carry `tsunagu_protocol::Organisation`, of the three kinds that enroll).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalOrganisation {
    pub id: Uuid,
    pub name: String,
    pub kind: OrganisationKind,
}

impl PortalOrganisation {
    /// As a device of it would be: only for the kinds whose devices enroll.
    pub fn as_device_organisation(&self) -> Option<Organisation> {
        device_kind(self.kind).map(|kind| Organisation {
            id: self.id,
            name: self.name.clone(),
            kind,
        })
    }
}

/// The wire's kind for an organisation whose devices enroll (clinics,
/// hospitals, the desk); `None` for the kinds that only sign in to the
/// portal. Older desktops decode only these three.
pub fn device_kind(kind: OrganisationKind) -> Option<OrgKind> {
    match kind {
        OrganisationKind::Clinic => Some(OrgKind::Clinic),
        OrganisationKind::Hospital => Some(OrgKind::Hospital),
        OrganisationKind::Desk => Some(OrgKind::Desk),
        _ => None,
    }
}

/// The domain's kind for the wire's.
pub fn domain_kind(kind: OrgKind) -> OrganisationKind {
    match kind {
        OrgKind::Clinic => OrganisationKind::Clinic,
        OrgKind::Hospital => OrganisationKind::Hospital,
        OrgKind::Desk => OrganisationKind::Desk,
    }
}

/// A device organisation's kind as stored (`organisations.kind`).
pub fn kind_code(kind: OrgKind) -> &'static str {
    domain_kind(kind).code()
}

/// A stored kind read as a device organisation's (`None` for the kinds
/// whose devices do not enroll).
pub fn kind_from_code(code: &str) -> Option<OrgKind> {
    OrganisationKind::from_code(code).and_then(device_kind)
}

/// Whether a portal account waits for the desk (`users.approval`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    Pending,
    Approved,
    Rejected,
}

impl Approval {
    pub fn code(self) -> &'static str {
        match self {
            Approval::Pending => "pending",
            Approval::Approved => "approved",
            Approval::Rejected => "rejected",
        }
    }

    pub fn from_code(code: &str) -> Option<Approval> {
        [Approval::Pending, Approval::Approved, Approval::Rejected]
            .into_iter()
            .find(|a| a.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Approval::Pending => "承認待ち",
            Approval::Approved => "承認済",
            Approval::Rejected => "却下",
        }
    }
}

/// Who recorded an event, as stored (`referral_events.source`).
pub(crate) fn source_code(source: WireSource) -> &'static str {
    match source {
        WireSource::Clinic => "clinic",
        WireSource::Desk => "desk",
        WireSource::Liaison => "liaison",
        WireSource::Team => "team",
    }
}

/// The stored source read back (anything else reads as the clinic's).
pub(crate) fn source_from_code(code: &str) -> WireSource {
    match code {
        "desk" => WireSource::Desk,
        "liaison" => WireSource::Liaison,
        "team" => WireSource::Team,
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

    #[test]
    fn device_kinds_keep_their_codes_and_the_others_have_no_wire_kind() {
        for kind in [OrgKind::Clinic, OrgKind::Hospital, OrgKind::Desk] {
            assert_eq!(kind_from_code(kind_code(kind)), Some(kind));
            assert_eq!(device_kind(domain_kind(kind)), Some(kind));
        }
        assert_eq!(kind_from_code("visiting_nurse_station"), None);
        let portal_only = OrganisationKind::ALL
            .into_iter()
            .filter(|k| device_kind(*k).is_none())
            .count();
        assert_eq!(portal_only, 7);
    }

    #[test]
    fn roles_fit_their_organisations() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert!(Role::OrgAdmin.fits(OrganisationKind::Pharmacy));
        assert!(!Role::OrgAdmin.fits(OrganisationKind::Desk));
        assert!(!Role::Staff.has_referral_rights());
        assert!(!Role::Liaison.fits(OrganisationKind::VisitingNurseStation));
    }
}
