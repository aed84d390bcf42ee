//! 退院後の在宅医療の相談 (a hospital asks the family doctor before a
//! discharge home) and the physician's answer. Codes are the domain's;
//! labels are made here for display.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

/// A hospital's request as the physician sees it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DischargeRequest {
    pub id: String,
    pub referral_id: String,
    pub patient_id: String,
    pub patient_name: String,
    pub hospital: String,
    /// Who sent it (e.g. 北病院 MSW・連携担当者 山本).
    pub sent_by: String,
    /// RFC 3339.
    pub sent_at: String,
    /// 退院予定日 (和暦).
    pub expected_date: String,
    /// 回答期限 (和暦).
    pub reply_by: String,
    /// The domain's `CareNeed` codes.
    pub needs: Vec<String>,
    /// 在宅酸素, 看取り… (必要な医療), in the order of `needs`.
    pub need_labels: Vec<String>,
    pub note: String,
    /// Where it stands today: `open`, `accepted`, `declined`, `consult`,
    /// `cancelled` or `expired` (the answer given here while it stands).
    pub state: String,
    /// 回答待ち, 引き受ける…
    pub state_label: String,
    /// A decline's reason, or what the physician wants to talk about.
    pub answer_text: String,
    pub answered_by: String,
    /// RFC 3339.
    pub answered_at: Option<String>,
    /// The answer given here waits to be sent (送信待ち).
    pub sending: bool,
    /// Why the server refused the latest answer sent from here.
    pub refusal: Option<String>,
    /// Open today: 引き受ける / 引き受けられない / 相談したい are offered
    /// to an account that `mayDecide`.
    pub may_answer: bool,
    /// The signed-in account may answer (医師); others see a note instead
    /// of the buttons.
    pub may_decide: bool,
}

impl From<app::DischargeRequestView> for DischargeRequest {
    fn from(v: app::DischargeRequestView) -> Self {
        DischargeRequest {
            id: v.id.to_string(),
            referral_id: v.referral_id.to_string(),
            patient_id: v.patient_id.to_string(),
            patient_name: v.patient_name,
            hospital: v.hospital,
            sent_by: v.sent_by,
            sent_at: v.sent_at.to_rfc3339(),
            expected_date: app::format_wareki(v.expected_date),
            reply_by: app::format_wareki(v.reply_by),
            needs: v.needs.iter().map(|n| n.code().to_string()).collect(),
            need_labels: v.needs.iter().map(|n| n.label_ja().to_string()).collect(),
            note: v.note,
            state: v.state.code().to_string(),
            state_label: v.state.label_ja().to_string(),
            answer_text: v.answer_text,
            answered_by: v.answered_by,
            answered_at: v.answered_at.map(|t| t.to_rfc3339()),
            sending: v.sending,
            refusal: v.refusal,
            may_answer: v.may_answer,
            may_decide: v.may_decide,
        }
    }
}
