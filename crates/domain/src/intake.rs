//! 受入相談 (issue 18): an organisation found in the directory is asked
//! whether it can take a patient on, and answers in one click — 受けられる,
//! 受けられない (with a reason) or 相談したい. The asker sees the answer at
//! once; the desk sees how long each organisation takes to answer. The
//! talk's cause of slow teams this answers: the provider is found, then
//! phoned again and again for a yes or no.
//!
//! The provider is not on the patient's team yet and has no consent to
//! see who the patient is: a request carries the patient's age, sex, area
//! and needs, and a summary the form asks to keep anonymous.

use chrono::{Days, NaiveDate};

use crate::dates::parse_date;
use crate::directory::Offer;
use crate::normalize::nfkc;
use crate::sex::Sex;
use crate::team::OrganisationKind;

pub const SUMMARY_MAX_CHARS: usize = 1000;
pub const REASON_MAX_CHARS: usize = 500;
/// How far ahead a start may be asked for.
pub const MAX_DAYS_AHEAD: u64 = 180;

/// Whether an organisation of `kind` can be asked: any but the desk.
pub fn may_be_asked(kind: OrganisationKind) -> bool {
    kind != OrganisationKind::Desk
}

/// The provider's one-click answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntakeAnswer {
    Accept,
    Decline,
    Consult,
}

impl IntakeAnswer {
    pub const ALL: [IntakeAnswer; 3] = [
        IntakeAnswer::Accept,
        IntakeAnswer::Decline,
        IntakeAnswer::Consult,
    ];

    pub fn code(self) -> &'static str {
        match self {
            IntakeAnswer::Accept => "accept",
            IntakeAnswer::Decline => "decline",
            IntakeAnswer::Consult => "consult",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            IntakeAnswer::Accept => "受けられる",
            IntakeAnswer::Decline => "受けられない",
            IntakeAnswer::Consult => "相談したい",
        }
    }

    /// The request's state once answered so.
    pub fn state(self) -> IntakeState {
        match self {
            IntakeAnswer::Accept => IntakeState::Accepted,
            IntakeAnswer::Decline => IntakeState::Declined,
            IntakeAnswer::Consult => IntakeState::Consult,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntakeState {
    Open,
    Accepted,
    Declined,
    Consult,
    Withdrawn,
}

impl IntakeState {
    pub const ALL: [IntakeState; 5] = [
        IntakeState::Open,
        IntakeState::Accepted,
        IntakeState::Declined,
        IntakeState::Consult,
        IntakeState::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            IntakeState::Open => "open",
            IntakeState::Accepted => "accepted",
            IntakeState::Declined => "declined",
            IntakeState::Consult => "consult",
            IntakeState::Withdrawn => "withdrawn",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            IntakeState::Open => "回答待ち",
            IntakeState::Accepted => "受けられる",
            IntakeState::Declined => "受けられない",
            IntakeState::Consult => "相談したい",
            IntakeState::Withdrawn => "取り下げ",
        }
    }
}

/// The request form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntakeDraft {
    /// Years, or empty.
    pub age: String,
    /// A `Sex` code, or empty.
    pub sex: String,
    /// The patient's 市区町村.
    pub municipality: String,
    /// `Offer` codes: what the patient will need.
    pub needs: Vec<String>,
    /// From when, or empty.
    pub start_on: String,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedIntake {
    pub age: Option<u8>,
    pub sex: Option<Sex>,
    pub municipality: String,
    pub needs: Vec<Offer>,
    pub start_on: Option<NaiveDate>,
    pub summary: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntakeField {
    Age,
    Sex,
    Municipality,
    Needs,
    StartOn,
    Summary,
}

impl IntakeField {
    pub fn code(self) -> &'static str {
        match self {
            IntakeField::Age => "age",
            IntakeField::Sex => "sex",
            IntakeField::Municipality => "municipality",
            IntakeField::Needs => "needs",
            IntakeField::StartOn => "start_on",
            IntakeField::Summary => "summary",
        }
    }
}

/// What the form says beside the summary.
pub const SUMMARY_HINT_JA: &str = "氏名・住所など患者さんを特定できることは書かないでください（受け入れが決まってからチームで共有します）";

/// Checks the form on `today` (Japan's); every problem at once.
pub fn check_intake(
    draft: &IntakeDraft,
    today: NaiveDate,
) -> Result<CheckedIntake, Vec<(IntakeField, String)>> {
    let mut errors = Vec::new();
    let age = match nfkc(draft.age.trim()).as_str() {
        "" => None,
        raw => match raw.parse::<u8>() {
            Ok(age) if age <= 120 => Some(age),
            _ => {
                errors.push((
                    IntakeField::Age,
                    "年齢は0〜120の数字で入力してください".into(),
                ));
                None
            }
        },
    };
    let sex = match draft.sex.trim() {
        "" => None,
        code => {
            let sex = Sex::from_code(code);
            if sex.is_none() {
                errors.push((IntakeField::Sex, "性別の値が正しくありません".into()));
            }
            sex
        }
    };
    let municipality = nfkc(draft.municipality.trim());
    if municipality.chars().count() > 20 {
        errors.push((
            IntakeField::Municipality,
            "市区町村は20文字までで入力してください".into(),
        ));
    }
    let mut needs = Vec::new();
    for code in &draft.needs {
        match Offer::from_code(code) {
            Some(need) if !needs.contains(&need) => needs.push(need),
            Some(_) => {}
            None => errors.push((
                IntakeField::Needs,
                "必要なことの値が正しくありません".into(),
            )),
        }
    }
    let start_on = match draft.start_on.trim() {
        "" => None,
        raw => match parse_date(raw) {
            Ok(day) if day < today => {
                errors.push((IntakeField::StartOn, "開始の希望日が過ぎています".into()));
                None
            }
            Ok(day) if today.checked_add_days(Days::new(MAX_DAYS_AHEAD)) < Some(day) => {
                errors.push((
                    IntakeField::StartOn,
                    format!("開始の希望日は{MAX_DAYS_AHEAD}日先までにしてください"),
                ));
                None
            }
            Ok(day) => Some(day),
            Err(_) => {
                errors.push((
                    IntakeField::StartOn,
                    "開始の希望日が正しくありません（例：2026-12-24）".into(),
                ));
                None
            }
        },
    };
    let summary = draft.summary.trim().to_string();
    if summary.is_empty() {
        errors.push((
            IntakeField::Summary,
            "相談の内容（病状・必要なケアの概要）を入力してください".into(),
        ));
    } else if summary.chars().count() > SUMMARY_MAX_CHARS {
        errors.push((
            IntakeField::Summary,
            format!("相談の内容は{SUMMARY_MAX_CHARS}文字までです"),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CheckedIntake {
        age,
        sex,
        municipality,
        needs,
        start_on,
        summary,
    })
}

/// Why an answer or a withdrawal is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntakeError {
    /// Answered or withdrawn already: a second answer is refused.
    Closed(IntakeState),
    /// Answered or withdrawn already: too late to withdraw.
    NotWithdrawable(IntakeState),
    ReasonRequired,
    ReasonTooLong,
}

impl IntakeError {
    pub fn message_ja(&self) -> String {
        match self {
            IntakeError::Closed(state) => {
                format!("この受入相談はすでに「{}」です", state.label_ja())
            }
            IntakeError::NotWithdrawable(state) => format!(
                "回答済みの受入相談は取り下げられません（{}）",
                state.label_ja()
            ),
            IntakeError::ReasonRequired => "受けられない理由を入力してください".into(),
            IntakeError::ReasonTooLong => format!("理由は{REASON_MAX_CHARS}文字までです"),
        }
    }

    /// The request moved on before this step: a conflict, not a field to
    /// correct.
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            IntakeError::Closed(_) | IntakeError::NotWithdrawable(_)
        )
    }
}

/// Checks an answer to a request in `state`; the reason as kept.
pub fn check_answer(
    state: IntakeState,
    answer: IntakeAnswer,
    reason: &str,
) -> Result<String, IntakeError> {
    if state != IntakeState::Open {
        return Err(IntakeError::Closed(state));
    }
    let reason = reason.trim().to_string();
    if answer == IntakeAnswer::Decline && reason.is_empty() {
        return Err(IntakeError::ReasonRequired);
    }
    if reason.chars().count() > REASON_MAX_CHARS {
        return Err(IntakeError::ReasonTooLong);
    }
    Ok(reason)
}

/// Whether the asker may withdraw a request in `state`.
pub fn check_withdraw(state: IntakeState) -> Result<(), IntakeError> {
    if state != IntakeState::Open {
        return Err(IntakeError::NotWithdrawable(state));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
