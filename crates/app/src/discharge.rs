//! 退院後の在宅医療の相談 (issue 17): a hospital planning a discharge home
//! asks the family doctor first. The physician answers with one click —
//! 引き受ける, 引き受けられない (with the reason) or 相談したい — checked by
//! the domain's `check_answer` against today (the clinic's, in Japan),
//! recorded here and queued for the server in one transaction. The server
//! may still refuse it (answered on another PC, expired meanwhile): the
//! refusal is a conflict like any refused operation, and the next pull
//! brings the request's true state.

use chrono::{DateTime, NaiveDate, Utc};
use tsunagu_domain::Capability;
use tsunagu_domain::discharge_request::{
    Answer, CareNeed, RequestError, RequestState, check_answer, state_on,
};
use tsunagu_protocol::WireAnswer;
use tsunagu_store::{AnswerGivenHere, AnswerSending, DischargeAnswerWrite, HeldDischargeRequest};
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, ErrorCode};
use crate::patients::parse_id;
use crate::worklist::WorklistItem;

/// A request as the physician sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DischargeRequestView {
    pub id: Uuid,
    pub referral_id: Uuid,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub hospital: String,
    /// Who sent it (e.g. 北病院 MSW・連携担当者 山本).
    pub sent_by: String,
    pub sent_at: DateTime<Utc>,
    pub expected_date: NaiveDate,
    pub reply_by: NaiveDate,
    pub needs: Vec<CareNeed>,
    pub note: String,
    /// Where it stands today: the answer given here while it stands, else
    /// the feed's state (an open request past its reply-by day is
    /// expired).
    pub state: RequestState,
    /// A decline's reason, or what the doctor wants to talk about.
    pub answer_text: String,
    pub answered_by: String,
    pub answered_at: Option<DateTime<Utc>>,
    /// The answer given here waits in the outbox (送信待ち).
    pub sending: bool,
    /// Why the server refused the latest answer sent from here (its
    /// Japanese message).
    pub refusal: Option<String>,
    /// Open today: the three answers are offered (to an account that
    /// `may_decide`).
    pub may_answer: bool,
    /// The signed-in account may answer (医師: `Capability::DecideCare`);
    /// others read the request and see who may.
    pub may_decide: bool,
}

impl DischargeRequestView {
    fn of(held: HeldDischargeRequest, today: NaiveDate, may_decide: bool) -> Self {
        let standing = held.standing_answer().cloned();
        let sending = standing.is_some() && held.sending == Some(AnswerSending::Waiting);
        let refusal = match held.sending {
            Some(AnswerSending::Refused(reason)) => Some(reason),
            _ => None,
        };
        let r = held.request;
        let (state, answer_text, answered_by, answered_at) = match standing {
            Some(a) => (a.state, a.text, a.by, Some(a.at)),
            None => (
                state_on(r.state, r.reply_by, today),
                r.answer_text,
                r.answered_by,
                r.answered_at,
            ),
        };
        DischargeRequestView {
            id: r.id,
            referral_id: r.referral_id,
            patient_id: r.patient_id,
            patient_name: held.patient_name,
            hospital: r.hospital,
            sent_by: r.sent_by,
            sent_at: r.sent_at,
            expected_date: r.expected_date,
            reply_by: r.reply_by,
            needs: r.needs,
            note: r.note,
            state,
            answer_text,
            answered_by,
            answered_at,
            sending,
            refusal,
            may_answer: state == RequestState::Open,
            may_decide,
        }
    }
}

/// A refusal of the domain's answer rule as the user sees it (its
/// message names no patient).
fn request_error(error: RequestError) -> AppError {
    match error {
        RequestError::ReasonRequired | RequestError::TextTooLong => {
            AppError::field("text", error.message_ja())
        }
        RequestError::AlreadyAnswered(_) | RequestError::Cancelled | RequestError::Expired => {
            AppError::new(ErrorCode::Conflict, error.message_ja())
        }
        RequestError::OneOpenAtATime | RequestError::NotInCare => {
            AppError::new(ErrorCode::Validation, error.message_ja())
        }
    }
}

/// The wire's code of an answer.
fn answer_code(answer: &Answer) -> &'static str {
    match answer {
        Answer::Accept => "accept",
        Answer::Decline(_) => "decline",
        Answer::Consult(_) => "consult",
    }
}

/// The title of a request's desktop notification: no patient, no
/// hospital (notifications show on lock screens).
pub(crate) const ALERT_TITLE: &str = "退院後の在宅医療の相談が届いています";

impl App {
    /// The requests that wait for the physician, the nearest reply-by day
    /// first: open today, or answered here and not yet confirmed (shown
    /// with their answer, 送信待ち while queued).
    pub async fn discharge_requests_waiting(&self) -> Result<Vec<DischargeRequestView>, AppError> {
        self.require(Capability::ReadClinicalText)?;
        let may_decide = self.may_decide_care()?;
        let today = self.clock.today();
        Ok(self
            .store
            .discharge_requests_waiting(today)
            .await?
            .into_iter()
            .map(|held| DischargeRequestView::of(held, today, may_decide))
            .collect())
    }

    /// Every request about the patient (answered, expired and cancelled
    /// ones with their state), the newest first. The view is audited.
    pub async fn patient_discharge_requests(
        &self,
        patient_id: &str,
    ) -> Result<Vec<DischargeRequestView>, AppError> {
        self.require(Capability::ReadClinicalText)?;
        let may_decide = self.may_decide_care()?;
        let patient_id = parse_id(patient_id)?;
        let today = self.clock.today();
        let held = self.store.discharge_requests_of_patient(patient_id).await?;
        let ids: Vec<Uuid> = held.iter().map(|h| h.request.id).collect();
        self.store
            .audit_discharge_requests_view(&ids, &self.actor(), self.clock.now())
            .await?;
        Ok(held
            .into_iter()
            .map(|held| DischargeRequestView::of(held, today, may_decide))
            .collect())
    }

    /// The physician's answer: `accept`, `decline` (the reason in `text`,
    /// required) or `consult` (what to talk about, optional). Checked by
    /// the domain against today; recorded, queued for the server and
    /// audited together. A request already answered, cancelled or expired
    /// is refused with the domain's message, and nothing changes. Only an
    /// account that decides as the patient's doctor may answer
    /// (`Capability::DecideCare`: 医師).
    pub async fn answer_discharge_request(
        &self,
        request_id: &str,
        answer: &str,
        text: &str,
    ) -> Result<DischargeRequestView, AppError> {
        self.require(Capability::DecideCare)?;
        let id = parse_id(request_id)?;
        let given = Answer::from_code(answer, text)
            .ok_or_else(|| AppError::field("answer", "回答を選んでください。"))?;
        let held = self.store.discharge_request(id).await?;
        let today = self.clock.today();
        let current = held
            .standing_answer()
            .map_or(held.request.state, |a| a.state);
        let state =
            check_answer(current, held.request.reply_by, &given, today).map_err(request_error)?;
        let author = self.team_author()?;
        let now = self.clock.now();
        let payload = serde_json::to_string(&WireAnswer {
            request_id: id,
            answer: answer_code(&given).to_string(),
            text: given.text().to_string(),
            by: author.wire(),
        })
        .map_err(|_| AppError::new(ErrorCode::Internal, "送信の準備ができませんでした。"))?;
        let here = AnswerGivenHere {
            state,
            text: given.text().to_string(),
            by: author.name,
            at: now,
        };
        self.store
            .answer_discharge_request(
                &DischargeAnswerWrite {
                    request_id: id,
                    checked_state: held.request.state,
                    answer: &here,
                    payload: &payload,
                    actor: &self.actor(),
                },
                now,
            )
            .await?;
        Ok(DischargeRequestView::of(
            self.store.discharge_request(id).await?,
            today,
            true,
        ))
    }

    /// The requests still to be answered, as worklist items for the
    /// desktop notification (its title only is shown). Read without an
    /// account: notifications follow a background sync.
    pub(crate) async fn discharge_request_alerts(&self) -> Result<Vec<WorklistItem>, AppError> {
        let today = self.clock.today();
        Ok(self
            .store
            .discharge_requests_waiting(today)
            .await?
            .into_iter()
            .map(|held| DischargeRequestView::of(held, today, false))
            .filter(|v| v.state == RequestState::Open)
            .map(|v| WorklistItem {
                key: format!("discharge_request:{}", v.id),
                referral_id: v.referral_id,
                patient_id: v.patient_id,
                patient_name: v.patient_name,
                hospital: v.hospital,
                title: ALERT_TITLE.to_string(),
                detail: format!("回答期限 {}", tsunagu_domain::format_wareki(v.reply_by)),
                since: v.sent_at.with_timezone(&chrono::Local).date_naive(),
                dismissible: false,
            })
            .collect())
    }
}
