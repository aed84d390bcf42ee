//! Read receipts and 「確認しました」. Reading is recorded when an entry is
//! shown; acknowledging is one click and implies having read. Counted per
//! member organisation: "既読 3/5" means three of the five other
//! organisations on the team have read it, whoever in them did.

use chrono::{DateTime, Utc};

use super::{TeamMember, audience};

/// One account's receipt for one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub member_id: String,
    pub read_at: Option<DateTime<Utc>>,
    pub acknowledged_at: Option<DateTime<Utc>>,
}

impl Receipt {
    /// Read now, unless already read (the first time stays).
    pub fn read(mut self, now: DateTime<Utc>) -> Self {
        self.read_at.get_or_insert(now);
        self
    }

    /// 「確認しました」: acknowledged (and so read); a second click changes
    /// nothing.
    pub fn acknowledge(mut self, now: DateTime<Utc>) -> Self {
        self.read_at.get_or_insert(now);
        self.acknowledged_at.get_or_insert(now);
        self
    }
}

/// An entry's receipts as the timeline shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceiptSummary {
    pub read: usize,
    pub acknowledged: usize,
    /// The organisations expected to read it: active, not contact-only,
    /// not the author.
    pub audience: usize,
}

impl ReceiptSummary {
    /// 「既読 3/5」
    pub fn read_label_ja(&self) -> String {
        format!("既読 {}/{}", self.read, self.audience)
    }

    /// 「確認 2/5」
    pub fn acknowledged_label_ja(&self) -> String {
        format!("確認 {}/{}", self.acknowledged, self.audience)
    }
}

/// Counts who of the current audience read and acknowledged an entry by
/// `author_member`. Members who left, invitations and family contacts are
/// not counted, nor receipts from them.
pub fn summarise(
    members: &[TeamMember],
    author_member: &str,
    receipts: &[Receipt],
    now: DateTime<Utc>,
) -> ReceiptSummary {
    let audience = audience(members, author_member, now);
    let count = |done: fn(&Receipt) -> bool| {
        audience
            .iter()
            .filter(|m| receipts.iter().any(|r| r.member_id == m.id && done(r)))
            .count()
    };
    ReceiptSummary {
        read: count(|r| r.read_at.is_some() || r.acknowledged_at.is_some()),
        acknowledged: count(|r| r.acknowledged_at.is_some()),
        audience: audience.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::team::{MemberState, TeamRole};

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap()
    }

    fn m(id: &str, role: TeamRole, state: MemberState) -> TeamMember {
        TeamMember {
            id: id.into(),
            role,
            state,
            expires_at: None,
            needs_approval: false,
            access_until: None,
            personal: false,
            first_contact_for: Vec::new(),
        }
    }

    fn receipt(member: &str) -> Receipt {
        Receipt {
            member_id: member.into(),
            read_at: None,
            acknowledged_at: None,
        }
    }

    #[test]
    fn read_three_of_five() {
        use MemberState::*;
        use TeamRole::*;
        let members = vec![
            m("clinic", PrimaryPhysician, Active),
            m("nurse", VisitingNurse, Active),
            m("cm", CareManager, Active),
            m("pharmacy", Pharmacist, Active),
            m("care", Care, Active),
            m("rehab", Rehabilitation, Active),
            m("family", FamilyContact, Active),
            m("dental", Dental, Left),
            m("hospital", Hospital, Invited),
        ];
        let receipts = vec![
            // Two accounts of one organisation count once.
            receipt("clinic").read(now()),
            receipt("clinic").acknowledge(now()),
            receipt("cm").read(now()),
            receipt("pharmacy").acknowledge(now()),
            // The author's own, a family contact's and a former member's do not count.
            receipt("nurse").read(now()),
            receipt("family").read(now()),
            receipt("dental").read(now()),
            receipt("care"),
        ];
        let summary = summarise(&members, "nurse", &receipts, now());
        assert_eq!(
            summary,
            ReceiptSummary {
                read: 3,
                acknowledged: 2,
                audience: 5
            }
        );
        assert_eq!(summary.read_label_ja(), "既読 3/5");
        assert_eq!(summary.acknowledged_label_ja(), "確認 2/5");
    }

    #[test]
    fn the_first_read_and_acknowledgement_stay() {
        let later = now() + chrono::Duration::hours(1);
        let r = receipt("cm")
            .read(now())
            .acknowledge(later)
            .acknowledge(later + chrono::Duration::hours(1));
        assert_eq!(r.read_at, Some(now()));
        assert_eq!(r.acknowledged_at, Some(later));
    }
}
