//! ACP (人生会議): what the patient wants of the care to come, recorded
//! after each conversation. Each record is a new version: versions are
//! never edited, the latest is the patient's current wishes, and the
//! earlier ones stay readable (a wish that changed is part of the story).
//!
//! The closed sets (who took part, places, treatments and the answer to
//! each) are enums with codes, so the store, the team's copy and the
//! printed emergency sheet all say the same thing.

use chrono::NaiveDate;

mod check;
mod notice;
mod review;
#[cfg(test)]
mod tests;

pub use check::{AcpDraft, AcpField, MAX_PARTICIPANTS, ParticipantDraft, check_acp};
pub use notice::team_notice_ja;
pub use review::{REVIEW_INTERVAL_MONTHS, ReviewReason, review_due};

/// Who took part in the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParticipantRole {
    /// 本人
    Patient,
    /// 家族: named, with the relation.
    Family,
    Doctor,
    Nurse,
    CareManager,
    Pharmacist,
    Therapist,
    CareWorker,
    Other,
}

impl ParticipantRole {
    pub const ALL: [ParticipantRole; 9] = [
        ParticipantRole::Patient,
        ParticipantRole::Family,
        ParticipantRole::Doctor,
        ParticipantRole::Nurse,
        ParticipantRole::CareManager,
        ParticipantRole::Pharmacist,
        ParticipantRole::Therapist,
        ParticipantRole::CareWorker,
        ParticipantRole::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ParticipantRole::Patient => "patient",
            ParticipantRole::Family => "family",
            ParticipantRole::Doctor => "doctor",
            ParticipantRole::Nurse => "nurse",
            ParticipantRole::CareManager => "care_manager",
            ParticipantRole::Pharmacist => "pharmacist",
            ParticipantRole::Therapist => "therapist",
            ParticipantRole::CareWorker => "care_worker",
            ParticipantRole::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            ParticipantRole::Patient => "本人",
            ParticipantRole::Family => "家族",
            ParticipantRole::Doctor => "医師",
            ParticipantRole::Nurse => "看護師",
            ParticipantRole::CareManager => "ケアマネジャー",
            ParticipantRole::Pharmacist => "薬剤師",
            ParticipantRole::Therapist => "リハビリ職",
            ParticipantRole::CareWorker => "介護職",
            ParticipantRole::Other => "その他",
        }
    }
}

/// One person who took part. The patient needs no name (it is the
/// patient's record); family need a name and the relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub role: ParticipantRole,
    pub name: String,
    /// 続柄, for family; empty otherwise.
    pub relation: String,
}

impl Participant {
    /// 「本人」, 「家族（長女 山田 花子）」, 「看護師 佐藤」.
    pub fn label_ja(&self) -> String {
        match self.role {
            ParticipantRole::Patient => "本人".to_string(),
            ParticipantRole::Family => format!("家族（{} {}）", self.relation, self.name),
            role if self.name.is_empty() => role.label_ja().to_string(),
            role => format!("{} {}", role.label_ja(), self.name),
        }
    }
}

/// Where the patient wishes to be cared for, or to die.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    Home,
    Facility,
    Hospital,
    PalliativeCareUnit,
    Undecided,
}

impl Place {
    pub const ALL: [Place; 5] = [
        Place::Home,
        Place::Facility,
        Place::Hospital,
        Place::PalliativeCareUnit,
        Place::Undecided,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Place::Home => "home",
            Place::Facility => "facility",
            Place::Hospital => "hospital",
            Place::PalliativeCareUnit => "palliative_care_unit",
            Place::Undecided => "undecided",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Place::Home => "自宅",
            Place::Facility => "施設",
            Place::Hospital => "病院",
            Place::PalliativeCareUnit => "緩和ケア病棟",
            Place::Undecided => "未定",
        }
    }
}

/// The treatments the team must know the patient's wish about before an
/// emergency, in the order the form and the emergency sheet list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Treatment {
    /// 心肺蘇生: declined is what a DNAR order records.
    Cpr,
    Ventilation,
    TubeFeeding,
    Transfusion,
    Drip,
    Admission,
}

impl Treatment {
    pub const ALL: [Treatment; 6] = [
        Treatment::Cpr,
        Treatment::Ventilation,
        Treatment::TubeFeeding,
        Treatment::Transfusion,
        Treatment::Drip,
        Treatment::Admission,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Treatment::Cpr => "cpr",
            Treatment::Ventilation => "ventilation",
            Treatment::TubeFeeding => "tube_feeding",
            Treatment::Transfusion => "transfusion",
            Treatment::Drip => "drip",
            Treatment::Admission => "admission",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Treatment::Cpr => "心肺蘇生（DNARの有無）",
            Treatment::Ventilation => "人工呼吸器",
            Treatment::TubeFeeding => "経管栄養（胃ろう等）",
            Treatment::Transfusion => "輸血",
            Treatment::Drip => "点滴",
            Treatment::Admission => "入院",
        }
    }
}

/// The patient's answer about one treatment. 「未定」 is an answer too:
/// the form asks for one on every treatment so that a blank is never
/// mistaken for a wish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Wish {
    Wants,
    Declines,
    Undecided,
}

impl Wish {
    pub const ALL: [Wish; 3] = [Wish::Wants, Wish::Declines, Wish::Undecided];

    pub fn code(self) -> &'static str {
        match self {
            Wish::Wants => "wants",
            Wish::Declines => "declines",
            Wish::Undecided => "undecided",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Wish::Wants => "希望する",
            Wish::Declines => "希望しない",
            Wish::Undecided => "未定",
        }
    }

    /// How the emergency sheet says it of CPR, where 「希望しない」 is
    /// what the ambulance crew must read at a glance.
    pub fn cpr_label_ja(self) -> &'static str {
        match self {
            Wish::Wants => "希望する",
            Wish::Declines => "希望しない（DNAR）",
            Wish::Undecided => "未定",
        }
    }
}

/// Who decides for the patient when the patient cannot (代理意思決定者).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Surrogate {
    pub name: String,
    pub relation: String,
    /// Empty when not given.
    pub phone: String,
}

/// A checked record of one conversation: one version of the wishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcpRecord {
    pub held_on: NaiveDate,
    pub participants: Vec<Participant>,
    /// 大切にしていること
    pub values: String,
    pub place_of_care: Place,
    pub place_of_care_note: String,
    pub place_of_death: Place,
    pub place_of_death_note: String,
    /// One answer per [`Treatment`], in [`Treatment::ALL`]'s order.
    pub wishes: Vec<(Treatment, Wish)>,
    pub wishes_note: String,
    pub surrogate: Option<Surrogate>,
    pub notes: String,
}

impl AcpRecord {
    pub fn wish(&self, treatment: Treatment) -> Wish {
        self.wishes
            .iter()
            .find(|(t, _)| *t == treatment)
            .map_or(Wish::Undecided, |(_, w)| *w)
    }

    /// The place with its note: 「自宅（できれば最期まで）」.
    pub fn place_label_ja(place: Place, note: &str) -> String {
        if note.is_empty() {
            place.label_ja().to_string()
        } else {
            format!("{}（{note}）", place.label_ja())
        }
    }
}
