//! The home-care team (在宅チーム) and its timeline. Codes are the
//! domain's; labels are made here for display (the choice lists are in
//! vocabulary.ts).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

/// The 在宅チーム panel of a patient.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamPanel {
    /// `null` before 「チームを作る」.
    pub team: Option<Team>,
    /// The patient's consent names the team (a team can be made and share).
    pub consent_names_team: bool,
    /// The account may start and change the team and read its timeline
    /// (医師・看護師); a clerk sees the members and their numbers only.
    pub may_manage: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    pub id: String,
    pub started_at: String,
    /// The server has it; a team made offline waits to be sent.
    pub confirmed: bool,
    pub members: Vec<TeamMember>,
    pub history: Vec<TeamHistoryLine>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamMember {
    pub id: String,
    pub name: String,
    /// 訪問看護ステーション…; empty for a family contact.
    pub kind_label: String,
    /// The domain's `TeamRole` code.
    pub role: String,
    pub role_label: String,
    pub person: String,
    pub phone: String,
    pub fax: String,
    /// A family contact's relation (妻, 長女…).
    pub relation: String,
    /// The state now (the domain's code): an invitation past its time is `expired`.
    pub state: String,
    /// 招待中 / 参加中 / 辞退 / 期限切れ…
    pub state_label: String,
    pub expires_at: Option<String>,
    /// Ward staff's access ends then (from their hospital's discharge or
    /// transfer of the patient).
    pub access_until: Option<String>,
    /// `FirstContactTopic` codes.
    pub first_contact_for: Vec<String>,
    /// 夜間・休日… for display.
    pub first_contact_labels: Vec<String>,
    pub is_own: bool,
    pub may_resend: bool,
    pub may_cancel: bool,
    pub may_remove: bool,
    pub may_be_first_contact: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamHistoryLine {
    pub label: String,
    pub member_name: String,
    pub actor: String,
    pub at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamTimeline {
    pub team_id: String,
    /// Posts in the team's order (oldest first), each with its replies.
    pub posts: Vec<TeamEntry>,
    pub unread: i32,
    pub may_post: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamEntry {
    pub id: String,
    /// The domain's `EntryKind` code.
    pub kind: String,
    pub kind_label: String,
    /// Plain text, shown as typed (never as markup).
    pub body: String,
    pub author: String,
    pub posted_at: String,
    /// `pending` (未送信), `confirmed`, `withheld` (同意撤回で未送信), `refused`.
    pub state: String,
    pub mine: bool,
    pub unread: bool,
    pub vitals: Option<TeamVitals>,
    pub request_state: Option<String>,
    pub request_state_label: Option<String>,
    pub struck_by: Option<String>,
    pub strikes: Option<String>,
    /// The post this one answers.
    pub reply_to: Option<String>,
    pub attachments: Vec<TeamAttachment>,
    /// 既読 3/5
    pub read_label: String,
    /// 確認 2/5
    pub acknowledged_label: String,
    pub receipts: Vec<TeamReceipt>,
    pub acknowledged_by_us: bool,
    pub may_acknowledge: bool,
    pub may_reply: bool,
    pub may_correct: bool,
    pub may_close: bool,
    pub replies: Vec<TeamEntry>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamVitals {
    pub body_temperature: Option<f64>,
    pub systolic: Option<i32>,
    pub diastolic: Option<i32>,
    pub pulse: Option<i32>,
    pub spo2: Option<i32>,
    pub respiratory_rate: Option<i32>,
    pub weight: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamAttachment {
    pub id: String,
    pub name: String,
    pub media_type: String,
    pub size: f64,
    /// The file is on this PC (else it comes with the next sync).
    pub held: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamReceipt {
    pub reader: String,
    pub read_at: String,
    pub acknowledged_at: Option<String>,
    pub pending: bool,
}

/// The header's badge: unread entries and open 相談 across the clinic's teams.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamBadge {
    pub unread: i32,
    pub open_requests: i32,
}

/// An organisation the clinic may invite.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryOrganisation {
    pub id: String,
    pub name: String,
    /// The domain's `OrganisationKind` code.
    pub kind: String,
    pub kind_label: String,
    pub phone: String,
    pub fax: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct InviteInput {
    pub organisation_id: String,
    pub role: String,
    pub person: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct FamilyContactInput {
    pub name: String,
    pub relation: String,
    pub phone: String,
}

/// Vital signs as typed (full-width digits are fine).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct VitalsInput {
    pub body_temperature: String,
    pub systolic: String,
    pub diastolic: String,
    pub pulse: String,
    pub spo2: String,
    pub respiratory_rate: String,
    pub weight: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct PostInput {
    pub kind: String,
    pub body: String,
    pub vitals: VitalsInput,
    pub reply_to: Option<String>,
    pub strikes: Option<String>,
}

impl From<PostInput> for app::PostDraft {
    fn from(i: PostInput) -> Self {
        let v = i.vitals;
        app::PostDraft {
            kind: i.kind,
            body: i.body,
            vitals: app::VitalsDraft {
                body_temperature: v.body_temperature,
                systolic: v.systolic,
                diastolic: v.diastolic,
                pulse: v.pulse,
                spo2: v.spo2,
                respiratory_rate: v.respiratory_rate,
                weight: v.weight,
            },
            reply_to: i.reply_to,
            strikes: i.strikes,
        }
    }
}

impl From<InviteInput> for app::InviteInput {
    fn from(i: InviteInput) -> Self {
        app::InviteInput {
            organisation_id: i.organisation_id,
            role: i.role,
            person: i.person,
        }
    }
}

impl From<FamilyContactInput> for app::FamilyContactDraft {
    fn from(i: FamilyContactInput) -> Self {
        app::FamilyContactDraft {
            name: i.name,
            relation: i.relation,
            phone: i.phone,
        }
    }
}

impl From<app::PatientTeam> for TeamPanel {
    fn from(p: app::PatientTeam) -> Self {
        TeamPanel {
            team: p.team.map(|t| Team {
                id: t.id.to_string(),
                started_at: t.started_at.to_rfc3339(),
                confirmed: t.confirmed,
                members: t.members.into_iter().map(member).collect(),
                history: t
                    .history
                    .into_iter()
                    .map(|h| TeamHistoryLine {
                        label: h.label,
                        member_name: h.member_name,
                        actor: h.actor,
                        at: h.at.to_rfc3339(),
                    })
                    .collect(),
            }),
            consent_names_team: p.consent_names_team,
            may_manage: p.may_manage,
        }
    }
}

fn member(m: app::MemberView) -> TeamMember {
    TeamMember {
        id: m.id.to_string(),
        name: m.name,
        kind_label: m.kind_label,
        role: m.role.code().to_string(),
        role_label: m.role.label_ja().to_string(),
        person: m.person,
        phone: m.phone,
        fax: m.fax,
        relation: m.relation,
        state: m.state.code().to_string(),
        state_label: m.state.label_ja().to_string(),
        expires_at: m.expires_at.map(|t| t.to_rfc3339()),
        access_until: m.access_until.map(|t| t.to_rfc3339()),
        first_contact_labels: m
            .first_contact_for
            .iter()
            .map(|t| t.label_ja().to_string())
            .collect(),
        first_contact_for: m
            .first_contact_for
            .iter()
            .map(|t| t.code().to_string())
            .collect(),
        is_own: m.is_own,
        may_resend: m.may_resend,
        may_cancel: m.may_cancel,
        may_remove: m.may_remove,
        may_be_first_contact: m.may_be_first_contact,
    }
}

impl From<app::Timeline> for TeamTimeline {
    fn from(t: app::Timeline) -> Self {
        TeamTimeline {
            team_id: t.team_id.to_string(),
            posts: t.posts.into_iter().map(entry).collect(),
            unread: i32::try_from(t.unread).unwrap_or(i32::MAX),
            may_post: t.may_post,
        }
    }
}

fn entry_state(state: app::EntryState) -> &'static str {
    match state {
        app::EntryState::Pending => "pending",
        app::EntryState::Confirmed => "confirmed",
        app::EntryState::Withheld => "withheld",
        app::EntryState::Refused => "refused",
    }
}

fn entry(e: app::EntryView) -> TeamEntry {
    TeamEntry {
        id: e.id.to_string(),
        kind: e.kind.code().to_string(),
        kind_label: e.kind.label_ja().to_string(),
        body: e.body,
        author: e.author,
        posted_at: e.posted_at.to_rfc3339(),
        state: entry_state(e.state).to_string(),
        mine: e.mine,
        unread: e.unread,
        vitals: e.vitals.map(|v| TeamVitals {
            body_temperature: v.body_temperature,
            systolic: v.systolic.map(i32::from),
            diastolic: v.diastolic.map(i32::from),
            pulse: v.pulse.map(i32::from),
            spo2: v.spo2.map(i32::from),
            respiratory_rate: v.respiratory_rate.map(i32::from),
            weight: v.weight,
        }),
        request_state: e.request_state.map(|s| s.code().to_string()),
        request_state_label: e.request_state.map(|s| s.label_ja().to_string()),
        struck_by: e.struck_by.map(|s| s.to_string()),
        strikes: e.strikes.map(|s| s.to_string()),
        reply_to: e.reply_to.map(|s| s.to_string()),
        attachments: e
            .attachments
            .into_iter()
            .map(|a| TeamAttachment {
                id: a.id.to_string(),
                name: a.name,
                media_type: a.media_type,
                size: a.size as f64,
                held: a.held,
            })
            .collect(),
        read_label: e.read_label,
        acknowledged_label: e.acknowledged_label,
        receipts: e
            .receipts
            .into_iter()
            .map(|r| TeamReceipt {
                reader: r.reader,
                read_at: r.read_at.to_rfc3339(),
                acknowledged_at: r.acknowledged_at.map(|t| t.to_rfc3339()),
                pending: r.pending,
            })
            .collect(),
        acknowledged_by_us: e.acknowledged_by_us,
        may_acknowledge: e.may_acknowledge,
        may_reply: e.may_reply,
        may_correct: e.may_correct,
        may_close: e.may_close,
        replies: e.replies.into_iter().map(entry).collect(),
    }
}

impl From<app::TeamBadge> for TeamBadge {
    fn from(b: app::TeamBadge) -> Self {
        TeamBadge {
            unread: i32::try_from(b.unread).unwrap_or(i32::MAX),
            open_requests: i32::try_from(b.open_requests).unwrap_or(i32::MAX),
        }
    }
}

impl From<app::DirectoryEntry> for DirectoryOrganisation {
    fn from(o: app::DirectoryEntry) -> Self {
        DirectoryOrganisation {
            id: o.id.to_string(),
            name: o.name,
            kind: o.kind.code().to_string(),
            kind_label: o.kind.label_ja().to_string(),
            phone: o.phone,
            fax: o.fax,
        }
    }
}
