//! The consent that lets a home-care team share: today's consent (when,
//! who explained it, whether withdrawn) plus who consented — the patient
//! or a named family member — and a scope that may name the team.
//!
//! A separate type rather than new fields on `Consent`/`ConsentDraft`:
//! those are built field by field in the store, the app, the server and
//! the tests, and a new field would break every one of them. A store that
//! keeps one record per patient keeps this one and hands the old code
//! `as_consent()`.

use chrono::NaiveDate;

use super::{Consent, check_obtained_by, check_withdrawn_on, past_date};
use crate::field_rules::{Checked, Collector, Lines, TextRule, check_text};

/// With whom the patient's information may be shared. Stored as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConsentScope {
    /// 相談窓口
    Desk,
    /// 紹介先の病院
    Hospital,
    /// 在宅チーム
    Team,
    /// 事前登録: the region's hospitals may find the patient by identity
    /// when the patient arrives without a letter (issue 17).
    Preregistration,
}

impl ConsentScope {
    pub const ALL: [ConsentScope; 4] = [
        ConsentScope::Desk,
        ConsentScope::Hospital,
        ConsentScope::Team,
        ConsentScope::Preregistration,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ConsentScope::Desk => "desk",
            ConsentScope::Hospital => "hospital",
            ConsentScope::Team => "team",
            ConsentScope::Preregistration => "preregistration",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            ConsentScope::Desk => "相談窓口",
            ConsentScope::Hospital => "紹介先の病院",
            ConsentScope::Team => "在宅チーム",
            ConsentScope::Preregistration => "事前登録（地域の病院）",
        }
    }
}

/// Who gave the consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentGiver {
    /// 本人
    Patient,
    /// A family member on the patient's behalf, named with the relation.
    Family { name: String, relation: String },
}

impl ConsentGiver {
    pub fn label_ja(&self) -> String {
        match self {
            ConsentGiver::Patient => "本人".to_string(),
            ConsentGiver::Family { name, relation } => format!("家族（{relation} {name}）"),
        }
    }
}

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamSharingConsentDraft {
    pub obtained_on: String,
    pub obtained_by: String,
    /// Given by a family member rather than the patient.
    pub by_family: bool,
    pub family_name: String,
    pub family_relation: String,
    pub scopes: Vec<ConsentScope>,
    /// Empty while the consent stands.
    pub withdrawn_on: String,
    /// The hospitals chosen for 事前登録 (their ids); none chosen: every
    /// participating hospital. Ignored without that scope.
    pub preregistered_with: Vec<String>,
}

/// A checked consent. `scopes` is in `ConsentScope::ALL` order, each once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamSharingConsent {
    pub obtained_on: NaiveDate,
    pub obtained_by: String,
    pub given_by: ConsentGiver,
    pub scopes: Vec<ConsentScope>,
    pub withdrawn_on: Option<NaiveDate>,
    /// The hospitals chosen for 事前登録, each once, in the order given;
    /// empty with the scope: every participating hospital; always empty
    /// without it.
    pub preregistered_with: Vec<String>,
}

impl TeamSharingConsent {
    /// Whether the hospital `hospital` may find the patient by look-up
    /// now: the scope named, not withdrawn, and the hospital among those
    /// chosen (or none chosen: all).
    pub fn preregistered_with(&self, hospital: &str) -> bool {
        self.withdrawn_on.is_none()
            && self.shares_with(ConsentScope::Preregistration)
            && (self.preregistered_with.is_empty()
                || self.preregistered_with.iter().any(|h| h == hospital))
    }

    pub fn shares_with(&self, scope: ConsentScope) -> bool {
        self.scopes.contains(&scope)
    }

    /// The same consent as the referral code reads it (desk and hospital).
    /// Whether anything may be shared under it now: not withdrawn, and
    /// naming someone (the desk, the hospital or the team).
    pub fn in_force(&self) -> bool {
        self.withdrawn_on.is_none() && !self.scopes.is_empty()
    }

    pub fn as_consent(&self) -> Consent {
        Consent {
            obtained_on: self.obtained_on,
            obtained_by: self.obtained_by.clone(),
            share_with_desk: self.shares_with(ConsentScope::Desk),
            share_with_hospital: self.shares_with(ConsentScope::Hospital),
            withdrawn_on: self.withdrawn_on,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamConsentField {
    ObtainedOn,
    ObtainedBy,
    FamilyName,
    FamilyRelation,
    Scope,
    WithdrawnOn,
}

impl TeamConsentField {
    pub fn key(self) -> &'static str {
        match self {
            TeamConsentField::ObtainedOn => "obtainedOn",
            TeamConsentField::ObtainedBy => "obtainedBy",
            TeamConsentField::FamilyName => "familyName",
            TeamConsentField::FamilyRelation => "familyRelation",
            TeamConsentField::Scope => "scope",
            TeamConsentField::WithdrawnOn => "withdrawnOn",
        }
    }
}

const FAMILY_NAME_MAX_CHARS: usize = 50;
const FAMILY_RELATION_MAX_CHARS: usize = 20;

/// Checks the form as `check_consent` does, and the consenter: a family
/// member is named, with the relation.
pub fn check_team_sharing_consent(
    draft: &TeamSharingConsentDraft,
    today: NaiveDate,
) -> Result<TeamSharingConsent, Vec<(TeamConsentField, String)>> {
    use TeamConsentField as F;
    let mut errors = Collector::default();
    let obtained_on = errors.take(
        F::ObtainedOn,
        past_date(&draft.obtained_on, "同意を得た日", today),
    );
    let obtained_by = errors.take(F::ObtainedBy, check_obtained_by(&draft.obtained_by));
    let given_by = if draft.by_family {
        let name = errors.take(
            F::FamilyName,
            family_text(
                &draft.family_name,
                "同意したご家族の名前",
                FAMILY_NAME_MAX_CHARS,
            ),
        );
        let relation = errors.take(
            F::FamilyRelation,
            family_text(
                &draft.family_relation,
                "ご本人との続柄",
                FAMILY_RELATION_MAX_CHARS,
            ),
        );
        name.zip(relation)
            .map(|(name, relation)| ConsentGiver::Family { name, relation })
    } else {
        Some(ConsentGiver::Patient)
    };
    let scopes: Vec<ConsentScope> = ConsentScope::ALL
        .into_iter()
        .filter(|s| draft.scopes.contains(s))
        .collect();
    if scopes.is_empty() {
        errors.take::<()>(
            F::Scope,
            Err("共有してよい相手を1つ以上選んでください".into()),
        );
    }
    let withdrawn_on = check_withdrawn_on(&draft.withdrawn_on, obtained_on, today)
        .and_then(|checked| errors.take(F::WithdrawnOn, checked));
    let mut preregistered_with: Vec<String> = Vec::new();
    if scopes.contains(&ConsentScope::Preregistration) {
        for h in &draft.preregistered_with {
            let h = h.trim();
            if !h.is_empty() && !preregistered_with.iter().any(|p| p == h) {
                preregistered_with.push(h.to_string());
            }
        }
    }
    let errors = errors.into_vec();
    match (obtained_on, obtained_by, given_by) {
        (Some(obtained_on), Some(obtained_by), Some(given_by)) if errors.is_empty() => {
            Ok(TeamSharingConsent {
                obtained_on,
                obtained_by,
                given_by,
                scopes,
                withdrawn_on,
                preregistered_with,
            })
        }
        _ => Err(errors),
    }
}

fn family_text(raw: &str, label: &'static str, max_chars: usize) -> Checked<String> {
    check_text(
        raw,
        TextRule {
            label,
            required: true,
            max_chars,
            lines: Lines::Single,
        },
    )
}

/// Whether a team may share under `consent` on `today`: recorded, given
/// by today, naming the team, not withdrawn. A withdrawal ends sharing
/// for every member at once (the owning clinic keeps its own record).
pub fn team_may_share(consent: Option<&TeamSharingConsent>, today: NaiveDate) -> bool {
    consent.is_some_and(|c| {
        c.shares_with(ConsentScope::Team) && c.obtained_on <= today && c.withdrawn_on.is_none()
    })
}

#[cfg(test)]
mod tests;
