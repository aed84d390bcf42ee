//! The patient's consents to share with the region.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

/// The patient's consent to share with the region.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Consent {
    pub id: String,
    /// YYYY-MM-DD, for the form.
    pub obtained_on: String,
    /// 和暦, for display.
    pub obtained_on_label: String,
    pub obtained_by: String,
    pub share_with_desk: bool,
    pub share_with_hospital: bool,
    /// 在宅チーム
    pub share_with_team: bool,
    /// 事前登録（地域の病院）
    pub preregistration: bool,
    /// The hospitals chosen for it, in the order chosen; none (with
    /// `preregistration`): every participating hospital.
    pub preregistered_with: Vec<RegionalHospital>,
    /// 同意した人: a family member (else the patient).
    pub by_family: bool,
    pub family_name: String,
    pub family_relation: String,
    /// 「本人」 or 「家族（妻 山田 花子）」.
    pub given_by_label: String,
    pub withdrawn_on: Option<String>,
    pub withdrawn_on_label: Option<String>,
    pub in_force: bool,
}

impl From<app::ConsentView> for Consent {
    fn from(c: app::ConsentView) -> Self {
        Consent {
            id: c.id.to_string(),
            obtained_on: c.obtained_on.to_string(),
            obtained_on_label: c.obtained_on_label,
            obtained_by: c.obtained_by,
            share_with_desk: c.share_with_desk,
            share_with_hospital: c.share_with_hospital,
            share_with_team: c.share_with_team,
            preregistration: c.preregistration,
            preregistered_with: c
                .preregistered_with
                .into_iter()
                .map(RegionalHospital::from)
                .collect(),
            by_family: matches!(c.given_by, app::ConsentGiver::Family { .. }),
            family_name: match &c.given_by {
                app::ConsentGiver::Family { name, .. } => name.clone(),
                app::ConsentGiver::Patient => String::new(),
            },
            family_relation: match &c.given_by {
                app::ConsentGiver::Family { relation, .. } => relation.clone(),
                app::ConsentGiver::Patient => String::new(),
            },
            given_by_label: c.given_by_label,
            withdrawn_on: c.withdrawn_on.map(|d| d.to_string()),
            withdrawn_on_label: c.withdrawn_on_label,
            in_force: c.in_force,
        }
    }
}

/// A hospital registered in the region: one the consent form offers for
/// 事前登録, or one a consent chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegionalHospital {
    pub id: String,
    pub name: String,
}

impl From<app::RegionalHospital> for RegionalHospital {
    fn from(h: app::RegionalHospital) -> Self {
        RegionalHospital {
            id: h.id.to_string(),
            name: h.name,
        }
    }
}

/// The consent form as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ConsentInput {
    pub obtained_on: String,
    pub obtained_by: String,
    pub share_with_desk: bool,
    pub share_with_hospital: bool,
    /// 在宅チーム
    pub share_with_team: bool,
    /// Given by a family member (name and relation below), not the patient.
    pub by_family: bool,
    pub family_name: String,
    pub family_relation: String,
    /// Empty while the consent stands.
    pub withdrawn_on: String,
    /// 事前登録 with the region's hospitals.
    pub preregistration: bool,
    /// The hospitals chosen for it (their ids, as `RegionalHospital`
    /// gives them); none: all of them.
    pub preregistered_with: Vec<String>,
}

impl From<ConsentInput> for app::TeamSharingConsentDraft {
    fn from(i: ConsentInput) -> Self {
        app::TeamSharingConsentDraft {
            obtained_on: i.obtained_on,
            obtained_by: i.obtained_by,
            by_family: i.by_family,
            family_name: i.family_name,
            family_relation: i.family_relation,
            scopes: [
                (app::ConsentScope::Desk, i.share_with_desk),
                (app::ConsentScope::Hospital, i.share_with_hospital),
                (app::ConsentScope::Team, i.share_with_team),
                (app::ConsentScope::Preregistration, i.preregistration),
            ]
            .into_iter()
            .filter_map(|(scope, named)| named.then_some(scope))
            .collect(),
            withdrawn_on: i.withdrawn_on,
            preregistered_with: i.preregistered_with,
        }
    }
}
