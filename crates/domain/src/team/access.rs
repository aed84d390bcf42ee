//! Who may see the team and post on its timeline, now. Three gates, in
//! order: being an active member (within any access period), the
//! patient's consent to team sharing (`consent::team_may_share`, passed in
//! as `team_consent`), and the account's profession. Withdrawing consent
//! closes the team to every member at once; the owning clinic keeps what
//! is in its own record but shares nothing more.

use chrono::{DateTime, Utc};

use super::hospital_stay::check_hospital_profession;
use super::{EntryKind, MemberState, Profession, TeamCapability, TeamError, TeamMember};

/// Whether an account of `profession` in `member` may open the team's
/// timeline now; the reason when not.
pub fn check_may_read(
    member: &TeamMember,
    profession: Profession,
    team_consent: bool,
    now: DateTime<Utc>,
) -> Result<(), TeamError> {
    if member.role.is_contact_only() {
        return Err(TeamError::ContactOnlyHasNoAccess);
    }
    if member.role.is_owner() {
        // The clinic's own record, consent or not.
        return readable_by(profession);
    }
    check_active(member, now)?;
    check_hospital_profession(member, profession)?;
    if !team_consent {
        return Err(TeamError::NoTeamConsent);
    }
    readable_by(profession)
}

/// Whether an account of `profession` in `member` may post an entry of
/// `kind` (with vital signs or not) now.
pub fn check_may_post(
    member: &TeamMember,
    profession: Profession,
    kind: EntryKind,
    has_vitals: bool,
    team_consent: bool,
    now: DateTime<Utc>,
) -> Result<(), TeamError> {
    if kind.is_system() {
        return Err(TeamError::SystemEntriesAreAutomatic);
    }
    if member.role.is_contact_only() {
        return Err(TeamError::ContactOnlyHasNoAccess);
    }
    check_active(member, now).map_err(|e| match e {
        TeamError::AlreadyLeft | TeamError::AlreadyRemoved => TeamError::LeftCannotPost,
        TeamError::NotYetJoined | TeamError::NeverJoined => TeamError::NotYetMemberCannotPost,
        other => other,
    })?;
    // Posting is sharing: after a withdrawal not even the owner posts.
    if !team_consent {
        return Err(TeamError::NoTeamConsent);
    }
    check_hospital_profession(member, profession)?;
    let needed = if kind == EntryKind::VisitReport {
        TeamCapability::PostVisitReport
    } else {
        TeamCapability::Post
    };
    if !profession.may(needed) {
        return Err(TeamError::ProfessionMayNotPost { profession, kind });
    }
    if has_vitals {
        if kind != EntryKind::VisitReport {
            return Err(TeamError::VitalsOnlyInVisitReports);
        }
        if !profession.may(TeamCapability::RecordVitals) {
            return Err(TeamError::ProfessionMayNotRecordVitals(profession));
        }
    }
    Ok(())
}

/// The members an entry by `author_member` goes to (notified, counted in
/// receipts): active ones, not family contacts, not the author.
pub fn audience<'a>(
    members: &'a [TeamMember],
    author_member: &str,
    now: DateTime<Utc>,
) -> Vec<&'a TeamMember> {
    members
        .iter()
        .filter(|m| m.is_active_at(now) && !m.role.is_contact_only() && m.id != author_member)
        .collect()
}

fn readable_by(profession: Profession) -> Result<(), TeamError> {
    if profession.may(TeamCapability::ReadClinicalText) {
        Ok(())
    } else {
        Err(TeamError::ProfessionMayNotRead(profession))
    }
}

fn check_active(member: &TeamMember, now: DateTime<Utc>) -> Result<(), TeamError> {
    match member.state_at(now) {
        MemberState::Active if member.is_active_at(now) => Ok(()),
        MemberState::Active => Err(TeamError::AccessEnded),
        MemberState::Left => Err(TeamError::AlreadyLeft),
        MemberState::Removed => Err(TeamError::AlreadyRemoved),
        MemberState::Invited | MemberState::AwaitingApproval => Err(TeamError::NotYetJoined),
        MemberState::Declined | MemberState::Expired | MemberState::Cancelled => {
            Err(TeamError::NeverJoined)
        }
    }
}

#[cfg(test)]
mod tests;
