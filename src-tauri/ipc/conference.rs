//! 退院時カンファレンス of the patient's home-care team. Codes are the
//! domain's (`ConferenceState`, `Attendance`); labels and the day's
//! wording (`when_ja`) are made in Rust for display.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

/// The team's conferences and what the account may do with them.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamConferences {
    pub team_id: String,
    /// The earliest first.
    pub conferences: Vec<TeamConference>,
    /// 「カンファレンスを設定する」 is offered (医師, under the team's consent).
    pub may_schedule: bool,
    /// The members a conference may invite now.
    pub invitable: Vec<ConferenceInvitable>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamConference {
    pub id: String,
    /// RFC 3339.
    pub starts_at: String,
    /// 12月10日(木) 14:00, in Japan's time.
    pub when: String,
    pub place: String,
    /// A web-meeting address (http or https), or empty. Shown as text,
    /// never opened in the window.
    pub link: String,
    pub note: String,
    /// `scheduled`, `held` or `cancelled` (a calling off given here counts).
    pub state: String,
    /// 予定 / 開催済み / 中止
    pub state_label: String,
    pub organiser: String,
    pub organised_by_us: bool,
    pub invitees: Vec<ConferenceInvitee>,
    /// The clinic's own answer (`pending`, `attend`, `absent`, `online`),
    /// null when it is not invited.
    pub own_attendance: Option<String>,
    /// 出席 / オンライン / 欠席 are offered.
    pub may_answer: bool,
    /// 中止にする is offered.
    pub may_cancel: bool,
    /// Something about it sent from here waits (送信待ち).
    pub sending: bool,
    /// Set here and never sent (consent withdrawn first).
    pub withheld: bool,
    /// Why the server refused what was sent from here.
    pub refusal: Option<String>,
    /// Its minutes are on the timeline.
    pub has_minutes: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConferenceInvitee {
    pub member_id: String,
    pub name: String,
    /// The domain's `Attendance` code.
    pub attendance: String,
    /// 未回答 / 出席 / 欠席 / オンライン
    pub attendance_label: String,
    pub answered_by: String,
    pub answered_at: Option<String>,
    pub is_own: bool,
}

/// A member the form offers as an invitee.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConferenceInvitable {
    pub id: String,
    pub name: String,
    pub is_own: bool,
}

/// 「カンファレンスを設定する」 as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ConferenceInput {
    /// E.g. 2026-12-10.
    pub date: String,
    /// E.g. 14:00 (Japan's time).
    pub time: String,
    pub place: String,
    pub link: String,
    pub note: String,
    pub invitee_member_ids: Vec<String>,
}

impl From<ConferenceInput> for app::ConferenceInput {
    fn from(i: ConferenceInput) -> Self {
        app::ConferenceInput {
            date: i.date,
            time: i.time,
            place: i.place,
            link: i.link,
            note: i.note,
            invitee_member_ids: i.invitee_member_ids,
        }
    }
}

impl From<app::TeamConferences> for TeamConferences {
    fn from(t: app::TeamConferences) -> Self {
        TeamConferences {
            team_id: t.team_id.to_string(),
            conferences: t.conferences.into_iter().map(conference).collect(),
            may_schedule: t.may_schedule,
            invitable: t
                .invitable
                .into_iter()
                .map(|m| ConferenceInvitable {
                    id: m.id.to_string(),
                    name: m.name,
                    is_own: m.is_own,
                })
                .collect(),
        }
    }
}

fn conference(c: app::ConferenceView) -> TeamConference {
    TeamConference {
        id: c.id.to_string(),
        starts_at: c.starts_at.to_rfc3339(),
        when: c.when,
        place: c.place,
        link: c.link,
        note: c.note,
        state: c.state.code().to_string(),
        state_label: c.state.label_ja().to_string(),
        organiser: c.organiser,
        organised_by_us: c.organised_by_us,
        invitees: c
            .invitees
            .into_iter()
            .map(|i| ConferenceInvitee {
                member_id: i.member_id.to_string(),
                name: i.name,
                attendance: i.attendance.code().to_string(),
                attendance_label: i.attendance.label_ja().to_string(),
                answered_by: i.answered_by,
                answered_at: i.answered_at.map(|t| t.to_rfc3339()),
                is_own: i.is_own,
            })
            .collect(),
        own_attendance: c.own_attendance.map(|a| a.code().to_string()),
        may_answer: c.may_answer,
        may_cancel: c.may_cancel,
        sending: c.sending,
        withheld: c.withheld,
        refusal: c.refusal,
        has_minutes: c.minutes_entry.is_some(),
    }
}
