//! The patient's consent to share referral information with the region:
//! when it was obtained and by whom, with whom it may be shared, and when
//! it was withdrawn. Without consent in force nothing about the patient
//! leaves the clinic. The home-care team's consent, which also says who
//! consented and names the team in its scope, is `TeamSharingConsent`
//! (`consent/team_sharing.rs`).

use chrono::NaiveDate;

use crate::field_rules::{Checked, Collector, Lines, TextRule, check_text};
use crate::parse_date;

mod team_sharing;
pub use team_sharing::{
    ConsentGiver, ConsentScope, TeamConsentField, TeamSharingConsent, TeamSharingConsentDraft,
    check_team_sharing_consent, team_may_share,
};

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsentDraft {
    pub obtained_on: String,
    pub obtained_by: String,
    pub share_with_desk: bool,
    pub share_with_hospital: bool,
    /// Empty while the consent stands.
    pub withdrawn_on: String,
}

/// A checked consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub obtained_on: NaiveDate,
    pub obtained_by: String,
    pub share_with_desk: bool,
    pub share_with_hospital: bool,
    pub withdrawn_on: Option<NaiveDate>,
}

impl Consent {
    /// Whether data may be shared under it now.
    pub fn in_force(&self) -> bool {
        self.withdrawn_on.is_none() && (self.share_with_desk || self.share_with_hospital)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentField {
    ObtainedOn,
    ObtainedBy,
    Scope,
    WithdrawnOn,
}

impl ConsentField {
    pub fn key(self) -> &'static str {
        match self {
            ConsentField::ObtainedOn => "obtainedOn",
            ConsentField::ObtainedBy => "obtainedBy",
            ConsentField::Scope => "scope",
            ConsentField::WithdrawnOn => "withdrawnOn",
        }
    }
}

const OBTAINED_BY_MAX_CHARS: usize = 50;

/// Checks the form. Neither date may be in the future (a consent is
/// recorded after it is given); a withdrawal cannot predate the consent;
/// a consent must share with someone.
pub fn check_consent(
    draft: &ConsentDraft,
    today: NaiveDate,
) -> Result<Consent, Vec<(ConsentField, String)>> {
    let mut errors = Collector::default();
    let obtained_on = errors.take(
        ConsentField::ObtainedOn,
        past_date(&draft.obtained_on, "同意を得た日", today),
    );
    let obtained_by = errors.take(
        ConsentField::ObtainedBy,
        check_obtained_by(&draft.obtained_by),
    );
    if !draft.share_with_desk && !draft.share_with_hospital {
        errors.take::<()>(
            ConsentField::Scope,
            Err("共有してよい相手を1つ以上選んでください".into()),
        );
    }
    let withdrawn_on = check_withdrawn_on(&draft.withdrawn_on, obtained_on, today)
        .and_then(|checked| errors.take(ConsentField::WithdrawnOn, checked));
    let errors = errors.into_vec();
    match (obtained_on, obtained_by) {
        (Some(obtained_on), Some(obtained_by)) if errors.is_empty() => Ok(Consent {
            obtained_on,
            obtained_by,
            share_with_desk: draft.share_with_desk,
            share_with_hospital: draft.share_with_hospital,
            withdrawn_on,
        }),
        _ => Err(errors),
    }
}

fn check_obtained_by(raw: &str) -> Checked<String> {
    check_text(
        raw,
        TextRule {
            label: "説明した職員の名前",
            required: true,
            max_chars: OBTAINED_BY_MAX_CHARS,
            lines: Lines::Single,
        },
    )
}

/// `None` while the consent stands (nothing typed).
fn check_withdrawn_on(
    raw: &str,
    obtained_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<Checked<NaiveDate>> {
    if raw.trim().is_empty() {
        return None;
    }
    Some(
        past_date(raw, "撤回の日", today).and_then(|date| match obtained_on {
            Some(obtained) if date < obtained => {
                Err("撤回の日が同意を得た日より前になっています".into())
            }
            _ => Ok(date),
        }),
    )
}

fn past_date(raw: &str, label: &str, today: NaiveDate) -> Checked<NaiveDate> {
    if raw.trim().is_empty() {
        return Err(format!("{label}を入力してください").into());
    }
    let date = parse_date(raw)?;
    if date > today {
        return Err("先の日付は記録できません".into());
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    fn draft() -> ConsentDraft {
        ConsentDraft {
            obtained_on: "2026-11-20".into(),
            obtained_by: "  看護師 佐藤  ".into(),
            share_with_desk: true,
            share_with_hospital: false,
            withdrawn_on: String::new(),
        }
    }

    fn fields(result: Result<Consent, Vec<(ConsentField, String)>>) -> Vec<ConsentField> {
        result.unwrap_err().into_iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn a_complete_form_is_a_consent_in_force() {
        let consent = check_consent(&draft(), today()).unwrap();
        assert_eq!(consent.obtained_by, "看護師 佐藤");
        assert!(consent.in_force());
    }

    #[test]
    fn wareki_dates_are_read() {
        let mut d = draft();
        d.obtained_on = "令和8年11月1日".into();
        let consent = check_consent(&d, today()).unwrap();
        assert_eq!(
            consent.obtained_on,
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let d = ConsentDraft {
            obtained_on: "2026-13-40".into(),
            obtained_by: " ".into(),
            share_with_desk: false,
            share_with_hospital: false,
            withdrawn_on: String::new(),
        };
        assert_eq!(
            fields(check_consent(&d, today())),
            vec![
                ConsentField::ObtainedOn,
                ConsentField::ObtainedBy,
                ConsentField::Scope
            ]
        );
    }

    #[test]
    fn future_dates_and_early_withdrawals_are_refused() {
        let mut d = draft();
        d.obtained_on = "2026-11-26".into();
        assert_eq!(
            fields(check_consent(&d, today())),
            vec![ConsentField::ObtainedOn]
        );
        let mut d = draft();
        d.withdrawn_on = "2026-11-19".into();
        assert_eq!(
            fields(check_consent(&d, today())),
            vec![ConsentField::WithdrawnOn]
        );
        d.withdrawn_on = "2026-11-27".into();
        assert_eq!(
            fields(check_consent(&d, today())),
            vec![ConsentField::WithdrawnOn]
        );
    }

    #[test]
    fn a_withdrawn_consent_is_not_in_force() {
        let mut d = draft();
        d.withdrawn_on = "2026-11-24".into();
        let consent = check_consent(&d, today()).unwrap();
        assert!(!consent.in_force());
    }
}
