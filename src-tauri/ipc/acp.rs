//! ACP (人生会議): the form as typed, and the versions as the patient page
//! shows them (the current wishes first). Codes are the domain's; the
//! labels come made from the app.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

/// One participant as typed: a role code, a name, the relation (family).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct AcpParticipantInput {
    pub role: String,
    pub name: String,
    pub relation: String,
}

/// The answer about one treatment, as codes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct AcpWishInput {
    pub treatment: String,
    pub wish: String,
}

/// The 人生会議 form as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct AcpInput {
    /// 話し合った日 (YYYY-MM-DD or 和暦).
    pub held_on: String,
    pub participants: Vec<AcpParticipantInput>,
    /// 大切にしていること
    pub values: String,
    pub place_of_care: String,
    pub place_of_care_note: String,
    pub place_of_death: String,
    pub place_of_death_note: String,
    pub wishes: Vec<AcpWishInput>,
    pub wishes_note: String,
    pub surrogate_name: String,
    pub surrogate_relation: String,
    pub surrogate_phone: String,
    pub notes: String,
}

impl From<AcpInput> for app::AcpDraft {
    fn from(i: AcpInput) -> Self {
        app::AcpDraft {
            held_on: i.held_on,
            participants: i
                .participants
                .into_iter()
                .map(|p| app::AcpParticipantDraft {
                    role: p.role,
                    name: p.name,
                    relation: p.relation,
                })
                .collect(),
            values: i.values,
            place_of_care: i.place_of_care,
            place_of_care_note: i.place_of_care_note,
            place_of_death: i.place_of_death,
            place_of_death_note: i.place_of_death_note,
            wishes: i
                .wishes
                .into_iter()
                .map(|w| (w.treatment, w.wish))
                .collect(),
            wishes_note: i.wishes_note,
            surrogate_name: i.surrogate_name,
            surrogate_relation: i.surrogate_relation,
            surrogate_phone: i.surrogate_phone,
            notes: i.notes,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AcpParticipant {
    pub role: String,
    pub name: String,
    pub relation: String,
    /// 「家族（長女 山田 花子）」
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AcpWish {
    pub treatment: String,
    pub treatment_label: String,
    pub wish: String,
    /// 「希望しない（DNAR）」 for CPR declined.
    pub wish_label: String,
}

/// One version of the wishes, signed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Acp {
    pub id: String,
    /// YYYY-MM-DD
    pub held_on: String,
    /// 和暦
    pub held_on_label: String,
    pub participants: Vec<AcpParticipant>,
    pub values: String,
    pub place_of_care: String,
    pub place_of_care_note: String,
    pub place_of_care_label: String,
    pub place_of_death: String,
    pub place_of_death_note: String,
    pub place_of_death_label: String,
    pub wishes: Vec<AcpWish>,
    pub wishes_note: String,
    pub surrogate_name: String,
    pub surrogate_relation: String,
    pub surrogate_phone: String,
    pub notes: String,
    /// 「医師 鈴木 一郎」
    pub recorded_by: String,
    /// RFC 3339
    pub recorded_at: String,
}

/// The patient's ACP: the current wishes first, then the earlier versions.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AcpHistory {
    pub versions: Vec<Acp>,
    /// Why the wishes should be talked over again, when they should.
    pub review: Option<String>,
}

impl From<app::AcpView> for Acp {
    fn from(v: app::AcpView) -> Self {
        Acp {
            id: v.id.to_string(),
            held_on: v.held_on.to_string(),
            held_on_label: v.held_on_label,
            participants: v
                .participants
                .into_iter()
                .map(|p| AcpParticipant {
                    role: p.role,
                    name: p.name,
                    relation: p.relation,
                    label: p.label,
                })
                .collect(),
            values: v.values,
            place_of_care: v.place_of_care,
            place_of_care_note: v.place_of_care_note,
            place_of_care_label: v.place_of_care_label,
            place_of_death: v.place_of_death,
            place_of_death_note: v.place_of_death_note,
            place_of_death_label: v.place_of_death_label,
            wishes: v
                .wishes
                .into_iter()
                .map(|w| AcpWish {
                    treatment: w.treatment,
                    treatment_label: w.treatment_label,
                    wish: w.wish,
                    wish_label: w.wish_label,
                })
                .collect(),
            wishes_note: v.wishes_note,
            surrogate_name: v.surrogate_name,
            surrogate_relation: v.surrogate_relation,
            surrogate_phone: v.surrogate_phone,
            notes: v.notes,
            recorded_by: v.recorded_by,
            recorded_at: v.recorded_at.to_rfc3339(),
        }
    }
}

impl From<app::AcpHistory> for AcpHistory {
    fn from(h: app::AcpHistory) -> Self {
        AcpHistory {
            versions: h.versions.into_iter().map(Into::into).collect(),
            review: h.review,
        }
    }
}

/// What recording a conversation did.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecordedAcp {
    pub history: AcpHistory,
    /// The new wishes were posted on the team's timeline.
    pub shared_on_timeline: bool,
}

impl From<app::RecordedAcp> for RecordedAcp {
    fn from(r: app::RecordedAcp) -> Self {
        RecordedAcp {
            history: r.history.into(),
            shared_on_timeline: r.shared_on_timeline,
        }
    }
}
