//! Where a referred patient goes and ends up: discharge destinations (and
//! the kinds a form offers), where the patient is now, and the episode's
//! outcome for the loop figures.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where the patient went on discharge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DischargeDestination {
    /// Back to this clinic (自院).
    ThisClinic,
    /// Home, under another home-care doctor (在宅医).
    OtherHomeCareDoctor {
        doctor: String,
    },
    /// A care facility (施設).
    Facility {
        name: String,
    },
    Other {
        note: String,
    },
}

impl DischargeDestination {
    pub fn label_ja(&self) -> String {
        match self {
            DischargeDestination::ThisClinic => "自院".to_string(),
            DischargeDestination::OtherHomeCareDoctor { doctor } => {
                format!("在宅（在宅医: {doctor}）")
            }
            DischargeDestination::Facility { name } => format!("施設（{name}）"),
            DischargeDestination::Other { note } => format!("その他（{note}）"),
        }
    }
}

impl DischargeDestination {
    /// Where the patient is once discharged here on `date`.
    pub fn where_now(&self, date: NaiveDate) -> WhereNow {
        match self {
            DischargeDestination::ThisClinic => WhereNow::AtThisClinic { since: date },
            DischargeDestination::OtherHomeCareDoctor { doctor } => WhereNow::AtHome {
                doctor: doctor.clone(),
                since: date,
            },
            DischargeDestination::Facility { name } => WhereNow::InFacility {
                name: name.clone(),
                since: date,
            },
            DischargeDestination::Other { note } => WhereNow::Elsewhere {
                note: note.clone(),
                since: date,
            },
        }
    }

    pub fn kind(&self) -> DestinationKind {
        match self {
            DischargeDestination::ThisClinic => DestinationKind::ThisClinic,
            DischargeDestination::OtherHomeCareDoctor { .. } => {
                DestinationKind::OtherHomeCareDoctor
            }
            DischargeDestination::Facility { .. } => DestinationKind::Facility,
            DischargeDestination::Other { .. } => DestinationKind::Other,
        }
    }
}

/// The kinds of discharge destination a form offers, with the codes the
/// stores keep and the labels the clinic's form shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DestinationKind {
    ThisClinic,
    OtherHomeCareDoctor,
    Facility,
    Other,
}

impl DestinationKind {
    pub const ALL: [DestinationKind; 4] = [
        DestinationKind::ThisClinic,
        DestinationKind::OtherHomeCareDoctor,
        DestinationKind::Facility,
        DestinationKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DestinationKind::ThisClinic => "this_clinic",
            DestinationKind::OtherHomeCareDoctor => "other_home_care_doctor",
            DestinationKind::Facility => "facility",
            DestinationKind::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The choice as the clinic's form offers it.
    pub fn choice_label_ja(self) -> &'static str {
        match self {
            DestinationKind::ThisClinic => "自院（当院へ戻る）",
            DestinationKind::OtherHomeCareDoctor => "在宅・他の在宅医",
            DestinationKind::Facility => "施設",
            DestinationKind::Other => "その他",
        }
    }

    /// What the name field asks for; `None` when the kind needs no name.
    pub fn name_label_ja(self) -> Option<&'static str> {
        match self {
            DestinationKind::ThisClinic => None,
            DestinationKind::OtherHomeCareDoctor => Some("在宅医（医療機関名・医師名）"),
            DestinationKind::Facility => Some("施設名"),
            DestinationKind::Other => Some("退院先"),
        }
    }

    /// The destination of this kind with `name` (ignored for this clinic).
    pub fn with_name(self, name: String) -> DischargeDestination {
        match self {
            DestinationKind::ThisClinic => DischargeDestination::ThisClinic,
            DestinationKind::OtherHomeCareDoctor => {
                DischargeDestination::OtherHomeCareDoctor { doctor: name }
            }
            DestinationKind::Facility => DischargeDestination::Facility { name },
            DestinationKind::Other => DischargeDestination::Other { note: name },
        }
    }
}

/// Where the patient is now, as the patient page says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhereNow {
    /// 紹介先へ紹介中 (no news of arrival yet).
    ReferredTo {
        hospital: String,
        since: NaiveDate,
    },
    /// 受付・外来受診済み: seen as an outpatient at the hospital.
    OutpatientAt {
        hospital: String,
        since: NaiveDate,
    },
    InHospital {
        hospital: String,
        since: NaiveDate,
        ward: String,
    },
    DischargePlanning {
        hospital: String,
        expected: NaiveDate,
    },
    /// 自院通院中
    AtThisClinic {
        since: NaiveDate,
    },
    AtHome {
        doctor: String,
        since: NaiveDate,
    },
    InFacility {
        name: String,
        since: NaiveDate,
    },
    Elsewhere {
        note: String,
        since: NaiveDate,
    },
    Deceased {
        date: NaiveDate,
        place: String,
    },
    /// Closed or cancelled without a known place.
    Unknown,
}

impl WhereNow {
    pub fn label_ja(&self) -> String {
        match self {
            WhereNow::ReferredTo { hospital, .. } => format!("{hospital}へ紹介中"),
            WhereNow::OutpatientAt { hospital, .. } => format!("{hospital} 外来受診中"),
            WhereNow::InHospital { hospital, ward, .. } if ward.is_empty() => {
                format!("{hospital} 入院中")
            }
            WhereNow::InHospital { hospital, ward, .. } => format!("{hospital} 入院中（{ward}）"),
            WhereNow::DischargePlanning { hospital, expected } => {
                format!(
                    "{hospital} 退院調整中（退院予定 {}）",
                    crate::format_wareki(*expected)
                )
            }
            WhereNow::AtThisClinic { .. } => "自院通院中".to_string(),
            WhereNow::AtHome { doctor, .. } => format!("在宅（在宅医: {doctor}）"),
            WhereNow::InFacility { name, .. } => format!("施設（{name}）"),
            WhereNow::Elsewhere { note, .. } => format!("その他（{note}）"),
            WhereNow::Deceased { .. } => "死亡".to_string(),
            WhereNow::Unknown => "不明".to_string(),
        }
    }
}

/// How an episode ended up, for the loop figures (連携の実績).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 自院へ戻った (discharged to, or referred back to, this clinic).
    ThisClinic,
    /// 他の在宅医へ
    OtherHomeCareDoctor,
    /// 施設へ
    Facility,
    Deceased,
    /// Still in care, or ended without a known place.
    Unknown,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::ThisClinic,
        Outcome::OtherHomeCareDoctor,
        Outcome::Facility,
        Outcome::Deceased,
        Outcome::Unknown,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::ThisClinic => "this_clinic",
            Outcome::OtherHomeCareDoctor => "other_home_care_doctor",
            Outcome::Facility => "facility",
            Outcome::Deceased => "deceased",
            Outcome::Unknown => "unknown",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Outcome::ThisClinic => "自院へ戻った",
            Outcome::OtherHomeCareDoctor => "他の在宅医",
            Outcome::Facility => "施設",
            Outcome::Deceased => "死亡",
            Outcome::Unknown => "不明・継続中",
        }
    }
}
