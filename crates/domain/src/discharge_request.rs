//! 退院後の在宅医療の相談 (issue 17): when the hospital plans a discharge
//! home, its liaison asks the family doctor first — the expected date,
//! what care the patient will need, and by when she needs an answer. The
//! doctor answers once: 引き受ける, 引き受けられない (with a reason) or
//! 相談したい (which opens a 相談 on the team's timeline). Unanswered by the
//! end of the reply-by day (Japan's), it has expired: the hospital and the
//! desk see that, and the doctor can no longer answer it. The talk's cause
//! of lost patients this answers: 「かかりつけ医は受入可否の返事に時間が
//! かかる」, so the hospital asks the home-care doctor it knows instead.

use chrono::{Days, NaiveDate};

use crate::dates::parse_date;
use crate::field_rules::Rejection;
use crate::referral::ReferralStatus;

/// Whether the hospital holding an episode in `status` may ask: the
/// patient is in (admitted there, its discharge being planned, or
/// transferred in).
pub fn may_be_asked(status: ReferralStatus) -> bool {
    matches!(
        status,
        ReferralStatus::Admitted | ReferralStatus::DischargePlanned | ReferralStatus::Transferred
    )
}

/// What the patient will need at home, as the liaison ticks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CareNeed {
    HomeOxygen,
    EndOfLife,
    Infusion,
    TubeFeeding,
    Suction,
    Catheter,
    Opioids,
    WoundCare,
    Rehabilitation,
    Dementia,
}

impl CareNeed {
    pub const ALL: [CareNeed; 10] = [
        CareNeed::HomeOxygen,
        CareNeed::EndOfLife,
        CareNeed::Infusion,
        CareNeed::TubeFeeding,
        CareNeed::Suction,
        CareNeed::Catheter,
        CareNeed::Opioids,
        CareNeed::WoundCare,
        CareNeed::Rehabilitation,
        CareNeed::Dementia,
    ];

    pub fn code(self) -> &'static str {
        use CareNeed::*;
        match self {
            HomeOxygen => "home_oxygen",
            EndOfLife => "end_of_life",
            Infusion => "infusion",
            TubeFeeding => "tube_feeding",
            Suction => "suction",
            Catheter => "catheter",
            Opioids => "opioids",
            WoundCare => "wound_care",
            Rehabilitation => "rehabilitation",
            Dementia => "dementia",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        use CareNeed::*;
        match self {
            HomeOxygen => "在宅酸素",
            EndOfLife => "看取り",
            Infusion => "点滴・中心静脈栄養",
            TubeFeeding => "経管栄養・胃ろう",
            Suction => "喀痰吸引",
            Catheter => "カテーテル管理",
            Opioids => "医療用麻薬・疼痛管理",
            WoundCare => "褥瘡・創傷処置",
            Rehabilitation => "リハビリ",
            Dementia => "認知症の対応",
        }
    }
}

/// Where a request stands. Stored as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestState {
    /// Sent, not yet answered (回答待ち).
    Open,
    Accepted,
    Declined,
    /// The doctor wants to talk first: a 相談 on the timeline.
    Consult,
    /// Withdrawn by the hospital.
    Cancelled,
    /// No answer by the reply-by day.
    Expired,
}

impl RequestState {
    pub const ALL: [RequestState; 6] = [
        RequestState::Open,
        RequestState::Accepted,
        RequestState::Declined,
        RequestState::Consult,
        RequestState::Cancelled,
        RequestState::Expired,
    ];

    pub fn code(self) -> &'static str {
        use RequestState::*;
        match self {
            Open => "open",
            Accepted => "accepted",
            Declined => "declined",
            Consult => "consult",
            Cancelled => "cancelled",
            Expired => "expired",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        use RequestState::*;
        match self {
            Open => "回答待ち",
            Accepted => "引き受ける",
            Declined => "引き受けられない",
            Consult => "相談したい",
            Cancelled => "取消",
            Expired => "期限切れ（回答なし）",
        }
    }

    /// An answer the doctor gave (not a cancellation or an expiry).
    pub fn is_answer(self) -> bool {
        matches!(
            self,
            RequestState::Accepted | RequestState::Declined | RequestState::Consult
        )
    }
}

/// The doctor's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Accept,
    /// With the reason (required).
    Decline(String),
    /// With what the doctor wants to talk about (optional).
    Consult(String),
}

impl Answer {
    /// From the wire or a form: `accept`, `decline` or `consult`, and text.
    pub fn from_code(code: &str, text: &str) -> Option<Answer> {
        let text = text.trim().to_string();
        Some(match code {
            "accept" => Answer::Accept,
            "decline" => Answer::Decline(text),
            "consult" => Answer::Consult(text),
            _ => return None,
        })
    }

    pub fn state(&self) -> RequestState {
        match self {
            Answer::Accept => RequestState::Accepted,
            Answer::Decline(_) => RequestState::Declined,
            Answer::Consult(_) => RequestState::Consult,
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Answer::Accept => "",
            Answer::Decline(text) | Answer::Consult(text) => text,
        }
    }
}

/// The longest reason or note.
pub const TEXT_MAX_CHARS: usize = 1000;
/// How far ahead a discharge may be planned here.
pub const PLAN_AHEAD_DAYS: u64 = 180;
/// The reply-by day the form offers: two days from today (never after the
/// expected discharge).
pub const DEFAULT_REPLY_DAYS: u64 = 2;

/// The liaison's form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestDraft {
    pub expected_date: String,
    pub reply_by: String,
    /// `CareNeed` codes.
    pub needs: Vec<String>,
    pub note: String,
}

/// A checked request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DischargeRequest {
    pub expected_date: NaiveDate,
    pub reply_by: NaiveDate,
    pub needs: Vec<CareNeed>,
    pub note: String,
}

/// Checks the form against today (Japan's).
pub fn check_request(
    draft: &RequestDraft,
    today: NaiveDate,
) -> Result<DischargeRequest, Rejection> {
    let date = |raw: &str, what: &str| {
        if raw.trim().is_empty() {
            return Err(Rejection(format!("{what}を入力してください。")));
        }
        parse_date(raw.trim()).map_err(|_| Rejection(format!("{what}が正しくありません。")))
    };
    let expected_date = date(&draft.expected_date, "退院予定日")?;
    let reply_by = date(&draft.reply_by, "回答期限")?;
    if expected_date < today {
        return Err("退院予定日が過ぎています。".into());
    }
    if today.checked_add_days(Days::new(PLAN_AHEAD_DAYS)) < Some(expected_date) {
        return Err("退院予定日は180日以内にしてください。".into());
    }
    if reply_by < today {
        return Err("回答期限が過ぎています。".into());
    }
    if reply_by > expected_date {
        return Err("回答期限は退院予定日までにしてください。".into());
    }
    let mut needs = Vec::new();
    for code in &draft.needs {
        let need = CareNeed::from_code(code)
            .ok_or_else(|| Rejection("必要な医療の値が正しくありません。".into()))?;
        needs.push(need);
    }
    // Once each, in the list's order, however the form sent them.
    let needs: Vec<CareNeed> = CareNeed::ALL
        .into_iter()
        .filter(|n| needs.contains(n))
        .collect();
    let note = draft.note.trim().to_string();
    if note.chars().count() > TEXT_MAX_CHARS {
        return Err("補足は1000文字までです。".into());
    }
    Ok(DischargeRequest {
        expected_date,
        reply_by,
        needs,
        note,
    })
}

/// The reply-by day the form offers on `today` for a discharge expected
/// on `expected`.
pub fn default_reply_by(today: NaiveDate, expected: Option<NaiveDate>) -> NaiveDate {
    let two_days = today
        .checked_add_days(Days::new(DEFAULT_REPLY_DAYS))
        .unwrap_or(today);
    expected.map_or(two_days, |e| two_days.min(e.max(today)))
}

/// The state on `today` (Japan's): an open request past its reply-by day
/// has expired.
pub fn state_on(state: RequestState, reply_by: NaiveDate, today: NaiveDate) -> RequestState {
    if state == RequestState::Open && today > reply_by {
        RequestState::Expired
    } else {
        state
    }
}

/// Why an answer or a cancellation was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestError {
    AlreadyAnswered(RequestState),
    Cancelled,
    Expired,
    ReasonRequired,
    TextTooLong,
    /// Another request of the episode is still waiting for its answer.
    OneOpenAtATime,
    /// The patient is not in the hospital (not admitted, or gone).
    NotInCare,
}

impl RequestError {
    pub fn message_ja(&self) -> String {
        match self {
            RequestError::AlreadyAnswered(state) => format!(
                "この相談には既に回答があります（{}）。変更は病院の連携室に電話でお伝えください",
                state.label_ja()
            ),
            RequestError::Cancelled => "この相談は病院が取り消しました".into(),
            RequestError::Expired => {
                "この相談は回答期限を過ぎました。病院の連携室に電話でお伝えください".into()
            }
            RequestError::ReasonRequired => "引き受けられない理由を入力してください".into(),
            RequestError::TextTooLong => "1000文字までで入力してください".into(),
            RequestError::OneOpenAtATime => {
                "回答待ちの相談があります。取り消してから送り直してください".into()
            }
            RequestError::NotInCare => {
                "入院中の患者さんについてだけ、退院後の相談を送れます".into()
            }
        }
    }
}

/// The state after the doctor's answer, if it may be given on `today`.
pub fn check_answer(
    state: RequestState,
    reply_by: NaiveDate,
    answer: &Answer,
    today: NaiveDate,
) -> Result<RequestState, RequestError> {
    match state_on(state, reply_by, today) {
        RequestState::Open => {}
        RequestState::Cancelled => return Err(RequestError::Cancelled),
        RequestState::Expired => return Err(RequestError::Expired),
        answered => return Err(RequestError::AlreadyAnswered(answered)),
    }
    if let Answer::Decline(reason) = answer
        && reason.trim().is_empty()
    {
        return Err(RequestError::ReasonRequired);
    }
    if answer.text().chars().count() > TEXT_MAX_CHARS {
        return Err(RequestError::TextTooLong);
    }
    Ok(answer.state())
}

/// Whether the hospital may withdraw the request on `today`.
pub fn check_cancel(
    state: RequestState,
    reply_by: NaiveDate,
    today: NaiveDate,
) -> Result<(), RequestError> {
    match state_on(state, reply_by, today) {
        RequestState::Open => Ok(()),
        RequestState::Cancelled => Err(RequestError::Cancelled),
        RequestState::Expired => Err(RequestError::Expired),
        answered => Err(RequestError::AlreadyAnswered(answered)),
    }
}

/// The line a 相談したい answer puts on the team's timeline.
pub fn consult_entry_ja(hospital: &str, expected: NaiveDate, text: &str) -> String {
    let head = format!(
        "【退院後の在宅医療の相談】{hospital}から{}退院予定の相談について、主治医から相談したいことがあります。",
        expected.format("%-m月%-d日")
    );
    if text.is_empty() {
        head
    } else {
        format!("{head}\n{text}")
    }
}

#[cfg(test)]
mod tests;
