//! 受入相談 (issue 18): the clinic asks an organisation found in the
//! directory whether it can take a patient on, and answers the requests it
//! is asked in one click — 受けられる, 受けられない (with the reason) or
//! 相談したい. Each step is checked by the domain (`check_intake`,
//! `check_answer`, `check_withdraw`) with the same messages the server
//! gives, recorded here and queued for the server in one transaction; the
//! server may still refuse it (answered on the portal meanwhile), which is
//! a conflict like any refused operation, and the next pull brings the
//! request's true state. A request carries no name or address: the form
//! may start from a patient (age, sex and 市区町村 filled in from the
//! record), whose id stays on this PC.

use chrono::{DateTime, NaiveDate, Utc};
use tsunagu_domain::directory::Offer;
use tsunagu_domain::directory::search::municipality_in_address;
use tsunagu_domain::intake::{
    IntakeAnswer, IntakeDraft, IntakeState, check_answer, check_intake, check_withdraw,
    may_be_asked,
};
use tsunagu_domain::team::OrganisationKind;
use tsunagu_domain::{Capability, Sex, age_on};
use tsunagu_protocol::{OpBody, WireIntakeAnswer, WireNewIntake};
use tsunagu_store::{
    AnswerSending, HeldIntakeRequest, IntakeRequestRecord, IntakeSendWrite, IntakeStepHere,
    IntakeStepWrite,
};
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, ErrorCode, FieldMessage};
use crate::patients::parse_id;
use crate::worklist::WorklistItem;

/// A request as the clinic's staff see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeView {
    pub id: Uuid,
    /// This clinic asked it (else it was asked of this clinic).
    pub sent_by_us: bool,
    pub from_name: String,
    pub from_phone: String,
    pub to_org: Uuid,
    pub to_name: String,
    pub to_kind: Option<OrganisationKind>,
    pub age: Option<u8>,
    pub sex: Option<Sex>,
    pub municipality: String,
    pub needs: Vec<Offer>,
    pub start_on: Option<NaiveDate>,
    pub summary: String,
    /// Where it stands: the step taken here while it stands, else the
    /// feed's state.
    pub state: IntakeState,
    pub sent_by: String,
    pub sent_at: DateTime<Utc>,
    /// A decline's reason, or what a consult is about.
    pub answer_text: String,
    pub answered_by: String,
    pub answered_at: Option<DateTime<Utc>>,
    /// The patient it was sent about (on the PC that sent it).
    pub patient_id: Option<Uuid>,
    pub patient_name: Option<String>,
    /// The latest step from here waits in the outbox (送信待ち).
    pub sending: bool,
    /// Why the server refused the latest step sent from here.
    pub refusal: Option<String>,
    /// Asked of this clinic and open: the three answers are offered (to an
    /// account that `may_decide`).
    pub may_answer: bool,
    /// Sent by this clinic and open: 取り下げる is offered.
    pub may_withdraw: bool,
    /// The signed-in account may answer (医師: `Capability::DecideCare`).
    pub may_decide: bool,
}

impl IntakeView {
    fn of(held: HeldIntakeRequest, may_decide: bool) -> Self {
        let standing = held.standing_step().cloned();
        let sending = held.sending == Some(AnswerSending::Waiting);
        let refusal = match held.sending {
            Some(AnswerSending::Refused(reason)) => Some(reason),
            _ => None,
        };
        let r = held.request;
        let (state, answer_text, answered_by, answered_at) = match standing {
            Some(step) if step.state == IntakeState::Withdrawn => {
                (step.state, String::new(), String::new(), None)
            }
            Some(step) => (step.state, step.text, step.by, Some(step.at)),
            None => (r.state, r.answer_text, r.answered_by, r.closed_at),
        };
        let open = state == IntakeState::Open;
        let (patient_id, patient_name) = match held.patient {
            Some((id, name)) => (Some(id), Some(name)),
            None => (None, None),
        };
        IntakeView {
            id: r.id,
            sent_by_us: held.sent_by_us,
            from_name: r.from_name,
            from_phone: r.from_phone,
            to_org: r.to_org,
            to_name: r.to_name,
            to_kind: OrganisationKind::from_code(&r.to_kind),
            age: r.age,
            sex: r.sex,
            municipality: r.municipality,
            needs: r.needs,
            start_on: r.start_on,
            summary: r.summary,
            state,
            sent_by: r.sent_by,
            sent_at: r.sent_at,
            answer_text,
            answered_by,
            answered_at,
            patient_id,
            patient_name,
            sending,
            refusal,
            may_answer: open && !held.sent_by_us,
            may_withdraw: open && held.sent_by_us,
            may_decide,
        }
    }
}

/// The form's field keys (camelCase, as the UI names them).
fn field_key(field: tsunagu_domain::intake::IntakeField) -> &'static str {
    use tsunagu_domain::intake::IntakeField;
    match field {
        IntakeField::Age => "age",
        IntakeField::Sex => "sex",
        IntakeField::Municipality => "municipality",
        IntakeField::Needs => "needs",
        IntakeField::StartOn => "startOn",
        IntakeField::Summary => "summary",
    }
}

fn prepare_failed() -> AppError {
    AppError::new(ErrorCode::Internal, "送信の準備ができませんでした。")
}

/// The title of a received request's desktop notification and worklist
/// item: no patient, no organisation.
pub(crate) const ALERT_TITLE: &str = "受入相談が届いています";

impl App {
    /// The form as it opens: empty, or from a patient with the age (today),
    /// sex and 市区町村 (the patient's address, among the directory's) filled
    /// in. Reading the patient is audited like opening the record.
    pub async fn intake_draft(&self, patient_id: Option<&str>) -> Result<IntakeDraft, AppError> {
        self.require(Capability::ReadClinicalText)?;
        let Some(patient_id) = patient_id else {
            return Ok(IntakeDraft::default());
        };
        let patient = self.store.patient(parse_id(patient_id)?).await?;
        let known = self.store.directory_municipalities().await?;
        let fields = patient.fields;
        Ok(IntakeDraft {
            age: age_on(fields.birth_date, self.clock.today()).to_string(),
            sex: fields.sex.code().to_string(),
            municipality: municipality_in_address(&fields.address, &known)
                .unwrap_or_default()
                .to_string(),
            ..IntakeDraft::default()
        })
    }

    /// Every request sent or asked, the newest first.
    pub async fn intakes(&self) -> Result<Vec<IntakeView>, AppError> {
        self.require(Capability::ReadClinicalText)?;
        let may_decide = self.may_decide_care()?;
        Ok(self
            .store
            .intake_requests()
            .await?
            .into_iter()
            .map(|held| IntakeView::of(held, may_decide))
            .collect())
    }

    /// Asks `to_org` (an organisation the directory lists, not the desk,
    /// not this clinic) whether it can take a patient on. The form is
    /// checked by the domain (every field's message at once); the request
    /// is recorded, queued and audited together. `patient_id`, when the
    /// form was opened from a patient, is kept on this PC only.
    pub async fn send_intake(
        &self,
        patient_id: Option<&str>,
        to_org: &str,
        draft: &IntakeDraft,
    ) -> Result<IntakeView, AppError> {
        self.require(Capability::ReadClinicalText)?;
        let to_org = parse_id(to_org)?;
        let patient_id = patient_id.map(parse_id).transpose()?;
        if let Some(patient) = patient_id {
            // Refused as not found if it is not (or no longer) held here.
            self.store.patient(patient).await?;
        }
        let device = self.store.sync_device().await?.ok_or_else(|| {
            AppError::new(
                ErrorCode::Validation,
                "受入相談を送るには地域連携サーバーへの登録が必要です。「医療機関情報」から登録してください。",
            )
        })?;
        let (to_name, to_kind) = self.store.intake_target(to_org).await?.ok_or_else(|| {
            AppError::new(
                ErrorCode::Validation,
                "この機関は地域の機関一覧にありません（掲載が停止された可能性があります）。",
            )
        })?;
        let kind = OrganisationKind::from_code(&to_kind);
        if to_org == device.organisation_id || kind.is_some_and(|k| !may_be_asked(k)) {
            return Err(AppError::new(
                ErrorCode::Validation,
                "この機関には受入相談を送れません。",
            ));
        }
        let checked = check_intake(draft, self.clock.today()).map_err(|errors| {
            AppError::validation(
                errors
                    .into_iter()
                    .map(|(field, message)| FieldMessage::new(field_key(field), message))
                    .collect(),
            )
        })?;
        let author = self.team_author()?;
        let now = self.clock.now();
        let id = Uuid::now_v7();
        let payload = serde_json::to_string(&OpBody::IntakeSent(WireNewIntake {
            id,
            to_org,
            age: checked.age.map(|a| a.to_string()).unwrap_or_default(),
            sex: checked
                .sex
                .map(|s| s.code().to_string())
                .unwrap_or_default(),
            municipality: checked.municipality.clone(),
            needs: checked.needs.iter().map(|n| n.code().to_string()).collect(),
            start_on: checked.start_on.map(|d| d.to_string()).unwrap_or_default(),
            summary: checked.summary.clone(),
            by: author.wire(),
        }))
        .map_err(|_| prepare_failed())?;
        let phone = self
            .store
            .clinic_profile()
            .await?
            .map(|p| p.phone)
            .unwrap_or_default();
        let request = IntakeRequestRecord {
            id,
            from_org: device.organisation_id,
            from_name: device.organisation_name.clone(),
            from_phone: phone,
            to_org,
            to_name,
            to_kind,
            age: checked.age,
            sex: checked.sex,
            municipality: checked.municipality,
            needs: checked.needs,
            start_on: checked.start_on,
            summary: checked.summary,
            state: IntakeState::Open,
            sent_by: format!("{} {}", device.organisation_name, author.name),
            sent_at: now,
            answer_text: String::new(),
            answered_by: String::new(),
            closed_at: None,
        };
        self.store
            .send_intake_request(
                &IntakeSendWrite {
                    request: &request,
                    patient_id,
                    payload: &payload,
                    actor: &self.actor(),
                },
                now,
            )
            .await?;
        let may_decide = self.may_decide_care()?;
        Ok(IntakeView::of(
            self.store.intake_request(id).await?,
            may_decide,
        ))
    }

    /// The physician's answer to a request this clinic was asked:
    /// `accept`, `decline` (the reason in `text`, required) or `consult`.
    /// Only an account that decides as a doctor may answer
    /// (`Capability::DecideCare`: 医師; the server asks the same).
    pub async fn answer_intake(
        &self,
        request_id: &str,
        answer: &str,
        text: &str,
    ) -> Result<IntakeView, AppError> {
        self.require(Capability::DecideCare)?;
        let id = parse_id(request_id)?;
        let given = IntakeAnswer::from_code(answer)
            .ok_or_else(|| AppError::field("answer", "回答を選んでください。"))?;
        let held = self.store.intake_request(id).await?;
        if held.sent_by_us {
            return Err(AppError::new(
                ErrorCode::Validation,
                "自院が送った受入相談には回答できません。",
            ));
        }
        let current = held.standing_step().map_or(held.request.state, |s| s.state);
        let reason = check_answer(current, given, text).map_err(|why| {
            if why.is_conflict() {
                AppError::new(ErrorCode::Conflict, why.message_ja())
            } else {
                AppError::field("text", why.message_ja())
            }
        })?;
        let author = self.team_author()?;
        let now = self.clock.now();
        let payload = serde_json::to_string(&OpBody::IntakeAnswered(WireIntakeAnswer {
            request_id: id,
            answer: given.code().to_string(),
            text: reason.clone(),
            by: author.wire(),
        }))
        .map_err(|_| prepare_failed())?;
        let step = IntakeStepHere {
            state: given.state(),
            text: reason,
            by: author.name,
            at: now,
        };
        self.store
            .step_intake_request(
                &IntakeStepWrite {
                    request_id: id,
                    checked_state: held.request.state,
                    step: &step,
                    payload: &payload,
                    actor: &self.actor(),
                },
                now,
            )
            .await?;
        Ok(IntakeView::of(self.store.intake_request(id).await?, true))
    }

    /// Withdraws a request this clinic sent, while it waits for its answer.
    pub async fn withdraw_intake(&self, request_id: &str) -> Result<IntakeView, AppError> {
        self.require(Capability::ReadClinicalText)?;
        let id = parse_id(request_id)?;
        let held = self.store.intake_request(id).await?;
        if !held.sent_by_us {
            return Err(AppError::new(
                ErrorCode::Validation,
                "取り下げられるのは自院が送った受入相談だけです。",
            ));
        }
        let current = held.standing_step().map_or(held.request.state, |s| s.state);
        check_withdraw(current)
            .map_err(|why| AppError::new(ErrorCode::Conflict, why.message_ja()))?;
        let author = self.team_author()?;
        let now = self.clock.now();
        let payload = serde_json::to_string(&OpBody::IntakeWithdrawn { request_id: id })
            .map_err(|_| prepare_failed())?;
        let step = IntakeStepHere {
            state: IntakeState::Withdrawn,
            text: String::new(),
            by: author.name,
            at: now,
        };
        self.store
            .step_intake_request(
                &IntakeStepWrite {
                    request_id: id,
                    checked_state: held.request.state,
                    step: &step,
                    payload: &payload,
                    actor: &self.actor(),
                },
                now,
            )
            .await?;
        let may_decide = self.may_decide_care()?;
        Ok(IntakeView::of(
            self.store.intake_request(id).await?,
            may_decide,
        ))
    }

    /// The requests asked of this clinic still to be answered, as worklist
    /// items (要確認 and the desktop notification: its title only). Read
    /// without an account: notifications follow a background sync.
    pub(crate) async fn intake_alerts(&self) -> Result<Vec<WorklistItem>, AppError> {
        Ok(self
            .store
            .intake_requests_to_answer()
            .await?
            .into_iter()
            .map(|held| {
                let r = held.request;
                WorklistItem {
                    key: format!("intake_request:{}", r.id),
                    referral_id: Uuid::nil(),
                    patient_id: Uuid::nil(),
                    patient_name: String::new(),
                    hospital: r.from_name,
                    title: ALERT_TITLE.to_string(),
                    detail: r.municipality,
                    since: r.sent_at.with_timezone(&chrono::Local).date_naive(),
                    dismissible: false,
                }
            })
            .collect())
    }
}
