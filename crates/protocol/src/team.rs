//! The home-care team on the wire (version 5): what the owning clinic's
//! devices push about a patient's team and timeline, and what they read
//! back in their own feed (ADR 0023). Codes are the domain's (`TeamRole`,
//! `MemberState`, `EntryKind`, `RequestState`, `FirstContactTopic`,
//! `OrganisationKind`); the server reads them with the domain's
//! `from_code` and refuses what it does not know.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a clinic's device asks of a team. The device acts for its clinic;
/// `by` names the staff member, as the clinic's own record does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "team_op", rename_all = "snake_case")]
pub enum TeamOp {
    /// The clinic starts the patient's team; it is its 主治医 member.
    Started {
        team_id: Uuid,
        patient_id: Uuid,
        owner_member_id: Uuid,
    },
    /// An organisation registered on the server is invited with a role,
    /// optionally naming a person in it.
    Invited {
        team_id: Uuid,
        member_id: Uuid,
        organisation_id: Uuid,
        role: String,
        #[serde(default)]
        person: String,
    },
    /// The inviter resends or cancels; the physician removes.
    MemberAction {
        team_id: Uuid,
        member_id: Uuid,
        /// `resend`, `cancel` or `remove`.
        action: String,
    },
    /// A family member as a contact only (never signs in).
    FamilyContactAdded {
        team_id: Uuid,
        member_id: Uuid,
        name: String,
        relation: String,
        phone: String,
    },
    /// The member who answers one kind of question first (e.g. 夜間).
    FirstContactSet {
        team_id: Uuid,
        member_id: Uuid,
        topic: String,
    },
    /// A post on the timeline. Attachments were uploaded before
    /// (`/v1/attachments/{id}`), so the post refers to them by id.
    Posted {
        team_id: Uuid,
        entry: WireNewEntry,
        by: WireAuthor,
    },
    /// 「確認しました」 on an entry.
    Acknowledged {
        team_id: Uuid,
        entry_id: Uuid,
        by: WireAuthor,
    },
    /// Entries the clinic's staff have seen (read receipts are automatic).
    Read {
        team_id: Uuid,
        entry_ids: Vec<Uuid>,
        by: WireAuthor,
    },
    /// A 相談・依頼 closed by its asker or the physician.
    RequestClosed {
        team_id: Uuid,
        entry_id: Uuid,
        by: WireAuthor,
    },
    /// The physician sets a 退院時カンファレンス (version 8).
    ConferenceScheduled {
        team_id: Uuid,
        conference_id: Uuid,
        starts_at: DateTime<Utc>,
        place: String,
        link: String,
        note: String,
        /// Member ids.
        invitees: Vec<Uuid>,
        by: WireAuthor,
    },
    /// The clinic answers its invitation: `attend`, `absent` or `online`
    /// (version 8).
    ConferenceAnswered {
        team_id: Uuid,
        conference_id: Uuid,
        attendance: String,
        by: WireAuthor,
    },
    /// The minutes, posted on the timeline as its record (version 8).
    ConferenceMinutes {
        team_id: Uuid,
        conference_id: Uuid,
        body: String,
        by: WireAuthor,
    },
    /// Called off (version 8).
    ConferenceCancelled {
        team_id: Uuid,
        conference_id: Uuid,
        by: WireAuthor,
    },
    /// The 医療・介護連携サマリー pinned at the top of the team's page, as
    /// it stands after the clinic saved the summary or recorded a 人生会議
    /// (version 10, ADR 0042). The emergency sheet's PDF was uploaded
    /// before (`/v1/attachments/{id}`), like a post's files.
    SummaryPinned {
        team_id: Uuid,
        /// Boxed: the largest operation by far, kept off the others' size.
        summary: Box<WirePinnedSummary>,
        #[serde(default)]
        emergency_sheet: Option<Uuid>,
        by: WireAuthor,
        written_at: DateTime<Utc>,
    },
}

/// What every member must know of the patient at a glance (version 10):
/// the care summary's fields and the current 人生会議 wishes, as codes
/// and the clinic's own words; labels are made where it is shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WirePinnedSummary {
    pub problems: Vec<String>,
    pub medications: Vec<String>,
    /// As recorded; empty means not recorded (never 「なし」).
    pub allergies: String,
    pub devices: Vec<String>,
    #[serde(default)]
    pub next_visit: Option<NaiveDate>,
    pub after_hours_phone: String,
    pub cautions: String,
    /// `None` until a 人生会議 is recorded.
    #[serde(default)]
    pub wishes: Option<WireWishes>,
}

/// The current 人生会議 wishes (the latest conversation's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireWishes {
    pub held_on: NaiveDate,
    /// The domain's `Place` codes, with the patient's own words.
    pub place_of_care: String,
    pub place_of_care_note: String,
    pub place_of_death: String,
    pub place_of_death_note: String,
    /// (the domain's `Treatment` code, its `Wish` code), every treatment.
    pub treatments: Vec<(String, String)>,
    pub wishes_note: String,
    /// 大切にしていること
    pub values: String,
    pub surrogate_name: String,
    pub surrogate_relation: String,
    pub surrogate_phone: String,
}

/// The most items in a list of a pinned summary (the domain's own limit
/// for the form, so a summary the clinic could save is never refused).
pub const MAX_PINNED_ITEMS: usize = tsunagu_domain::care_summary::MAX_ITEMS;
/// The longest text of a pinned summary, in characters.
pub const MAX_PINNED_TEXT_CHARS: usize = 4000;

impl WirePinnedSummary {
    /// Within the limits a server keeps (checked per operation, so one
    /// oversized summary is refused on its own, like a long read list).
    pub fn within_bounds(&self) -> bool {
        let short = |t: &String| t.chars().count() <= MAX_PINNED_TEXT_CHARS;
        let list = |l: &Vec<String>| l.len() <= MAX_PINNED_ITEMS && l.iter().all(short);
        let texts_ok = [&self.allergies, &self.after_hours_phone, &self.cautions]
            .into_iter()
            .all(short);
        let wishes_ok = self.wishes.as_ref().is_none_or(|w| {
            w.treatments.len() <= tsunagu_domain::acp::Treatment::ALL.len()
                && [
                    &w.place_of_care,
                    &w.place_of_care_note,
                    &w.place_of_death,
                    &w.place_of_death_note,
                    &w.wishes_note,
                    &w.values,
                    &w.surrogate_name,
                    &w.surrogate_relation,
                    &w.surrogate_phone,
                ]
                .into_iter()
                .all(short)
        });
        list(&self.problems)
            && list(&self.medications)
            && list(&self.devices)
            && texts_ok
            && wishes_ok
    }
}

/// The person acting for an organisation: a name to show, and the
/// profession the rules read (the domain's `Profession` code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireAuthor {
    pub name: String,
    pub profession: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireNewEntry {
    pub id: Uuid,
    pub kind: String,
    pub body: String,
    #[serde(default)]
    pub reply_to: Option<Uuid>,
    /// The entry this one corrects (strikes).
    #[serde(default)]
    pub strikes: Option<Uuid>,
    #[serde(default)]
    pub vitals: Option<WireVitals>,
    #[serde(default)]
    pub attachments: Vec<Uuid>,
    pub written_at: DateTime<Utc>,
}

/// Vital signs as fields, never free text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WireVitals {
    pub body_temperature: Option<f64>,
    pub systolic: Option<u16>,
    pub diastolic: Option<u16>,
    pub pulse: Option<u16>,
    pub spo2: Option<u16>,
    pub respiratory_rate: Option<u16>,
    pub weight: Option<f64>,
}

/// What the owning clinic's feed says about its patients' teams.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "team_change", rename_all = "snake_case")]
pub enum TeamChangeBody {
    Started {
        team_id: Uuid,
        patient_id: Uuid,
        started_at: DateTime<Utc>,
    },
    /// A member as it is now (sent on every change of it).
    Member { team_id: Uuid, member: WireMember },
    /// An entry, posted by anyone on the team or made by a referral event.
    Entry { team_id: Uuid, entry: WireEntry },
    /// One member account's receipt of an entry, as it is now.
    Receipt {
        team_id: Uuid,
        entry_id: Uuid,
        receipt: WireReceipt,
    },
    /// A 相談・依頼's state after a reply or a close.
    RequestState {
        team_id: Uuid,
        entry_id: Uuid,
        state: String,
    },
    /// A 退院時カンファレンス as it stands (version 8).
    Conference {
        team_id: Uuid,
        conference: WireConference,
    },
    /// A line of the team's history (招待, 参加, 退出…), with who.
    History {
        team_id: Uuid,
        /// The domain's `TeamChange` code (not `change`: that names the
        /// feed's own tag).
        what: String,
        member_id: Uuid,
        actor: String,
        at: DateTime<Utc>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireMember {
    pub id: Uuid,
    /// `None` for a family contact.
    pub organisation_id: Option<Uuid>,
    /// The organisation's name, or the family member's.
    pub name: String,
    /// The organisation's kind (domain code), empty for family.
    pub kind: String,
    pub role: String,
    pub state: String,
    pub person: String,
    pub phone: String,
    pub fax: String,
    pub relation: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub needs_approval: bool,
    pub access_until: Option<DateTime<Utc>>,
    pub first_contact_for: Vec<String>,
    /// The member that sent the invitation.
    pub invited_by: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireEntry {
    pub id: Uuid,
    /// Per team, gapless: the timeline's order and unread counting.
    pub seq: i64,
    pub kind: String,
    pub body: String,
    pub author_member: Option<Uuid>,
    /// E.g. みどり訪問看護ステーション 看護師 田中.
    pub author: String,
    pub reply_to: Option<Uuid>,
    pub strikes: Option<Uuid>,
    pub vitals: Option<WireVitals>,
    pub attachments: Vec<WireAttachment>,
    pub request_state: Option<String>,
    pub posted_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireAttachment {
    pub id: Uuid,
    pub name: String,
    pub media_type: String,
    pub size: u64,
    /// Hex SHA-256 of the bytes: the device checks what it downloads.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireReceipt {
    pub member_id: Uuid,
    /// Who, e.g. みどり訪問看護ステーション 田中.
    pub reader: String,
    pub read_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
}

/// An organisation the clinic may invite (version 5; older clients get
/// hospitals only, as `OrganisationListed`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireDirectoryEntry {
    pub id: Uuid,
    pub name: String,
    /// The domain's `OrganisationKind` code.
    pub kind: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub fax: String,
    /// Stopped organisations are listed so a clinic's copy learns it.
    #[serde(default)]
    pub stopped: bool,
}

/// The longest list of read entries in one operation.
pub const MAX_READ_PER_OP: usize = 1000;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ChangeBody;

    fn pinned() -> WirePinnedSummary {
        WirePinnedSummary {
            problems: vec!["慢性心不全".into()],
            medications: vec!["フロセミド錠20mg 朝".into()],
            allergies: "ペニシリン系".into(),
            devices: vec![],
            next_visit: NaiveDate::from_ymd_opt(2026, 12, 14),
            after_hours_phone: "090-1234-5678".into(),
            cautions: String::new(),
            wishes: Some(WireWishes {
                held_on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
                place_of_care: "home".into(),
                place_of_care_note: String::new(),
                place_of_death: "home".into(),
                place_of_death_note: String::new(),
                treatments: vec![("cpr".into(), "declines".into())],
                wishes_note: String::new(),
                values: "家で猫と過ごしたい".into(),
                surrogate_name: "山田 花子".into(),
                surrogate_relation: "長女".into(),
                surrogate_phone: String::new(),
            }),
        }
    }

    #[test]
    fn a_pinned_summary_is_read_from_a_push_and_bounded() {
        let op = crate::Operation {
            op_seq: 1,
            op_id: Some(Uuid::from_u128(9)),
            body: crate::OpBody::Team(TeamOp::SummaryPinned {
                team_id: Uuid::from_u128(1),
                summary: Box::new(pinned()),
                emergency_sheet: Some(Uuid::from_u128(2)),
                by: WireAuthor {
                    name: "鈴木".into(),
                    profession: "physician".into(),
                },
                written_at: "2026-12-01T01:02:03Z".parse().unwrap(),
            }),
        };
        let request = crate::PushRequest {
            version: crate::PROTOCOL_VERSION,
            epoch: None,
            ops: vec![op],
        };
        let bytes = serde_json::to_vec(&request).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains(r#""team_op":"summary_pinned""#), "{text}");
        assert!(
            text.contains(r#"["cpr","declines"]"#),
            "codes on the wire: {text}"
        );
        let back: crate::PushRequest = crate::decode_request(&bytes).unwrap();
        assert_eq!(back, request);
        assert!(crate::op_storable(&back.ops[0].body));

        assert!(pinned().within_bounds());
        let too_many = WirePinnedSummary {
            problems: vec!["x".into(); MAX_PINNED_ITEMS + 1],
            ..pinned()
        };
        assert!(!too_many.within_bounds());
        let mut too_long = pinned();
        if let Some(w) = too_long.wishes.as_mut() {
            w.values = "あ".repeat(MAX_PINNED_TEXT_CHARS + 1);
        }
        assert!(!too_long.within_bounds());
        let mut nul = pinned();
        nul.cautions = "a\0b".into();
        let body = crate::OpBody::Team(TeamOp::SummaryPinned {
            team_id: Uuid::from_u128(1),
            summary: Box::new(nul),
            emergency_sheet: None,
            by: WireAuthor {
                name: "鈴木".into(),
                profession: "physician".into(),
            },
            written_at: "2026-12-01T01:02:03Z".parse().unwrap(),
        });
        assert!(!crate::op_storable(&body), "a NUL is refused per operation");
    }

    #[test]
    fn team_changes_survive_a_trip_through_json_values() {
        let at: DateTime<Utc> = "2026-05-12T01:02:03Z".parse().unwrap();
        let id = Uuid::from_u128(1);
        let changes = [
            TeamChangeBody::Started {
                team_id: id,
                patient_id: id,
                started_at: at,
            },
            TeamChangeBody::RequestState {
                team_id: id,
                entry_id: id,
                state: "open".into(),
            },
            TeamChangeBody::History {
                team_id: id,
                what: "invited".into(),
                member_id: id,
                actor: "x".into(),
                at,
            },
            TeamChangeBody::Receipt {
                team_id: id,
                entry_id: id,
                receipt: WireReceipt {
                    member_id: id,
                    reader: "x".into(),
                    read_at: at,
                    acknowledged_at: None,
                },
            },
            TeamChangeBody::Member {
                team_id: id,
                member: WireMember {
                    id,
                    organisation_id: Some(id),
                    name: "みどり".into(),
                    kind: "pharmacy".into(),
                    role: "pharmacist".into(),
                    state: "invited".into(),
                    person: String::new(),
                    phone: String::new(),
                    fax: String::new(),
                    relation: String::new(),
                    expires_at: Some(at),
                    needs_approval: false,
                    access_until: None,
                    first_contact_for: vec![],
                    invited_by: Some(id),
                },
            },
            TeamChangeBody::Entry {
                team_id: id,
                entry: WireEntry {
                    id,
                    seq: 1,
                    kind: "visit_report".into(),
                    body: "訪問".into(),
                    author_member: Some(id),
                    author: "みどり".into(),
                    reply_to: None,
                    strikes: None,
                    vitals: Some(WireVitals {
                        body_temperature: Some(36.8),
                        ..Default::default()
                    }),
                    attachments: vec![],
                    request_state: None,
                    posted_at: at,
                },
            },
        ];
        for change in changes {
            let body = ChangeBody::Team(change);
            let value = serde_json::to_value(&body).unwrap();
            let back: ChangeBody =
                serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"));
            assert_eq!(back, body);
        }
    }
}

/// 退院時カンファレンス as it stands (version 8): sent whole on every
/// change (set, an answer, the minutes, called off, reminded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireConference {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub place: String,
    /// A web-meeting address (http or https), or empty.
    pub link: String,
    pub note: String,
    /// The domain's `ConferenceState` code.
    pub state: String,
    pub organiser_member: Uuid,
    /// E.g. 北病院 MSW・連携担当者 山本.
    pub organiser: String,
    pub invitees: Vec<WireInvitee>,
    /// The timeline entry that keeps its minutes, once posted.
    pub minutes_entry: Option<Uuid>,
    pub scheduled_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireInvitee {
    pub member_id: Uuid,
    /// The domain's `Attendance` code.
    pub attendance: String,
    pub answered_by: String,
    pub answered_at: Option<DateTime<Utc>>,
}
