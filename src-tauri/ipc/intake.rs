//! 受入相談 (a request to an organisation found in the directory to take a
//! patient on) and its one-click answer. Codes are the domain's; labels
//! are made here for display.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

/// The request form, as typed (and as it opens, filled in from a patient).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct IntakeInput {
    /// Years, or empty.
    pub age: String,
    /// `male`, `female`, `other` or empty.
    pub sex: String,
    pub municipality: String,
    /// Offer codes (what the patient will need).
    pub needs: Vec<String>,
    /// 開始の希望日 (YYYY-MM-DD or 和暦), or empty.
    pub start_on: String,
    pub summary: String,
}

impl From<IntakeInput> for app::IntakeDraft {
    fn from(i: IntakeInput) -> Self {
        app::IntakeDraft {
            age: i.age,
            sex: i.sex,
            municipality: i.municipality,
            needs: i.needs,
            start_on: i.start_on,
            summary: i.summary,
        }
    }
}

/// The form as it opens, and what it says beside the summary.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IntakeFormStart {
    pub draft: IntakeInput,
    /// 氏名・住所など患者さんを特定できることは書かないでください…
    pub summary_hint: String,
}

impl From<app::IntakeDraft> for IntakeFormStart {
    fn from(d: app::IntakeDraft) -> Self {
        IntakeFormStart {
            draft: IntakeInput {
                age: d.age,
                sex: d.sex,
                municipality: d.municipality,
                needs: d.needs,
                start_on: d.start_on,
                summary: d.summary,
            },
            summary_hint: app::INTAKE_SUMMARY_HINT_JA.to_string(),
        }
    }
}

/// A request sent or asked, as the clinic's staff see it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IntakeRequest {
    pub id: String,
    /// This clinic asked it (else it was asked of this clinic).
    pub sent_by_us: bool,
    pub from_name: String,
    pub from_phone: String,
    pub to_org: String,
    pub to_name: String,
    /// 訪問看護ステーション… (empty for a kind this build does not know).
    pub to_kind_label: String,
    pub age: Option<u8>,
    /// 男性, 女性…, or empty.
    pub sex_label: String,
    pub municipality: String,
    /// The domain's `Offer` codes.
    pub needs: Vec<String>,
    /// In the order of `needs`.
    pub need_labels: Vec<String>,
    /// 和暦, or empty.
    pub start_on: String,
    pub summary: String,
    /// `open`, `accepted`, `declined`, `consult` or `withdrawn`.
    pub state: String,
    /// 回答待ち, 受けられる…
    pub state_label: String,
    pub sent_by: String,
    /// RFC 3339.
    pub sent_at: String,
    pub answer_text: String,
    pub answered_by: String,
    /// RFC 3339.
    pub answered_at: Option<String>,
    /// The patient it was sent about (on the PC that sent it).
    pub patient_id: Option<String>,
    pub patient_name: Option<String>,
    /// The latest step from here waits to be sent (送信待ち).
    pub sending: bool,
    /// Why the server refused the latest step sent from here.
    pub refusal: Option<String>,
    /// Asked of this clinic and open: the three answers are offered to an
    /// account that `mayDecide`.
    pub may_answer: bool,
    /// Sent by this clinic and open: 取り下げる.
    pub may_withdraw: bool,
    /// The signed-in account may answer (医師).
    pub may_decide: bool,
}

impl From<app::IntakeView> for IntakeRequest {
    fn from(v: app::IntakeView) -> Self {
        IntakeRequest {
            id: v.id.to_string(),
            sent_by_us: v.sent_by_us,
            from_name: v.from_name,
            from_phone: v.from_phone,
            to_org: v.to_org.to_string(),
            to_name: v.to_name,
            to_kind_label: v
                .to_kind
                .map(|k| k.label_ja().to_string())
                .unwrap_or_default(),
            age: v.age,
            sex_label: v.sex.map(|s| s.label_ja().to_string()).unwrap_or_default(),
            municipality: v.municipality,
            needs: v.needs.iter().map(|n| n.code().to_string()).collect(),
            need_labels: v.needs.iter().map(|n| n.label_ja().to_string()).collect(),
            start_on: v.start_on.map(app::format_wareki).unwrap_or_default(),
            summary: v.summary,
            state: v.state.code().to_string(),
            state_label: v.state.label_ja().to_string(),
            sent_by: v.sent_by,
            sent_at: v.sent_at.to_rfc3339(),
            answer_text: v.answer_text,
            answered_by: v.answered_by,
            answered_at: v.answered_at.map(|t| t.to_rfc3339()),
            patient_id: v.patient_id.map(|id| id.to_string()),
            patient_name: v.patient_name,
            sending: v.sending,
            refusal: v.refusal,
            may_answer: v.may_answer,
            may_withdraw: v.may_withdraw,
            may_decide: v.may_decide,
        }
    }
}
