//! 訪問看護指示書 (issue 19, ADR 0034, 0036): the doctor writes the order
//! on the form (a draft saved as typed), issues it as an A4 PDF as letters
//! are issued (checked by the domain, rendered, stored immutable with its
//! hash, audited, only a doctor's account), addressed to a visiting nurse
//! station of the patient's team (`addressee`), is reminded on 要確認
//! before it ends (`reminder`), and renews it from the last one.

mod addressee;
mod reminder;
mod view;

pub use reminder::{ORDER_DUE_TITLE, ORDER_EXPIRED_TITLE};
pub use view::{
    IssuedNursingOrder, NursingOrderDraftView, NursingOrderInput, NursingOrderStation,
    NursingOrderStations, NursingOrderView, PatientNursingOrders,
};

use sha2::{Digest, Sha256};
use tsunagu_domain::nursing_order::{
    NursingOrder, NursingOrderDraft, OrderKind, SpecialOrderNeeds, check_ending_reason,
    check_nursing_order, check_special_in_month, latest_end, renewal_draft, to_draft,
};
use tsunagu_domain::{Capability, PatientFields, format_wareki};
use tsunagu_letters::{NursingOrderForm, OrderPatient, render_nursing_order_pdf};
use tsunagu_store::{NewNursingOrder, NursingOrderDraftRecord, StoreError, StoredNursingOrder};
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, ErrorCode, FieldMessage};
use crate::letters::{letter_error, sender};
use crate::patients::parse_id;
use addressee::STATION_FIELD;

/// A draft holds at most this many characters in all, as a letter's does:
/// far beyond any order (each box is checked at 2,000 when issued) and a
/// guard against pasting a whole file by mistake.
const DRAFT_MAX_CHARS: usize = 200_000;

impl App {
    /// A new order for the patient, pre-filled: the kind, the patient, the
    /// emergency contact from the clinic's profile (its name and phone, as
    /// every order must name since 2024), 指示日 and the period from today
    /// for as long as the kind allows, and the station when the team has
    /// exactly one.
    pub async fn start_nursing_order(
        &self,
        patient_id: &str,
        kind: OrderKind,
    ) -> Result<NursingOrderDraftView, AppError> {
        self.require(Capability::IssueLetters)?;
        let patient_id = parse_id(patient_id)?;
        self.store.patient(patient_id).await?;
        let today = self.clock.today();
        let emergency_contact = self
            .store
            .clinic_profile()
            .await?
            .map(|c| format!("{} {}", c.name, c.phone).trim().to_string())
            .unwrap_or_default();
        let stations = self.active_stations(patient_id).await?;
        let station = match stations.as_slice() {
            [only] => Some(only),
            _ => None,
        };
        let form = NursingOrderDraft {
            kind: kind.code().to_string(),
            patient_id: patient_id.to_string(),
            station: station.map(|m| m.name.clone()).unwrap_or_default(),
            issued_on: iso(today),
            starts_on: iso(today),
            ends_on: latest_end(kind, today).map(iso).unwrap_or_default(),
            emergency_contact,
            ..NursingOrderDraft::default()
        };
        let now = self.clock.now();
        let record = NursingOrderDraftRecord {
            id: tsunagu_domain::new_id(),
            patient_id,
            kind,
            draft: form,
            station_member_id: station.map(|m| m.id),
            renews: None,
            created_at: now,
            updated_at: now,
        };
        self.store.save_nursing_order_draft(&record).await?;
        Ok(NursingOrderDraftView::new(record))
    }

    /// Saves what the doctor typed, valid or not (checked when issued);
    /// only its size is limited. A station chosen from the team fills the
    /// form's 宛先 with the member's name.
    pub async fn save_nursing_order_draft(
        &self,
        draft_id: &str,
        input: &NursingOrderInput,
    ) -> Result<NursingOrderDraftView, AppError> {
        self.require(Capability::IssueLetters)?;
        if form_chars(&input.form) > DRAFT_MAX_CHARS {
            return Err(AppError::new(
                ErrorCode::Validation,
                format!(
                    "下書きが長すぎるため保存できません（全体で{DRAFT_MAX_CHARS}文字まで）。\
                     直前に保存した内容は残っています。貼り付けた文章を短くしてください。"
                ),
            ));
        }
        let station_member_id = match input.station_member_id.as_deref() {
            None | Some("") => None,
            Some(id) => Some(Uuid::parse_str(id).map_err(|_| {
                AppError::field(
                    STATION_FIELD,
                    "宛先の訪問看護ステーションを選び直してください。",
                )
            })?),
        };
        let mut record = self.store.nursing_order_draft(parse_id(draft_id)?).await?;
        let mut form = input.form.clone();
        // The draft's kind and patient are fixed when it is started.
        form.kind = record.kind.code().to_string();
        form.patient_id = record.patient_id.to_string();
        if let Some(id) = station_member_id
            && let Some(member) = self
                .active_stations(record.patient_id)
                .await?
                .into_iter()
                .find(|m| m.id == id)
        {
            form.station = member.name;
        }
        record.draft = form;
        record.station_member_id = station_member_id;
        record.updated_at = self.clock.now();
        self.store.save_nursing_order_draft(&record).await?;
        Ok(NursingOrderDraftView::new(record))
    }

    pub async fn nursing_order_draft(
        &self,
        draft_id: &str,
    ) -> Result<NursingOrderDraftView, AppError> {
        self.require(Capability::ReadClinicalText)?;
        Ok(NursingOrderDraftView::new(
            self.store.nursing_order_draft(parse_id(draft_id)?).await?,
        ))
    }

    pub async fn discard_nursing_order_draft(&self, draft_id: &str) -> Result<(), AppError> {
        self.require(Capability::IssueLetters)?;
        Ok(self
            .store
            .delete_nursing_order_draft(parse_id(draft_id)?)
            .await?)
    }

    /// The patient's drafts and issued orders, each with where it stands
    /// today.
    pub async fn nursing_orders(&self, patient_id: &str) -> Result<PatientNursingOrders, AppError> {
        self.require(Capability::ReadClinicalText)?;
        let patient_id = parse_id(patient_id)?;
        self.store.patient(patient_id).await?;
        let today = self.clock.today();
        let life = self.store.patient_life(patient_id).await?;
        Ok(PatientNursingOrders {
            drafts: self
                .store
                .nursing_order_drafts(patient_id)
                .await?
                .into_iter()
                .map(NursingOrderDraftView::new)
                .collect(),
            orders: self
                .store
                .nursing_orders(patient_id)
                .await?
                .into_iter()
                .map(|o| NursingOrderView::new(o, life, today))
                .collect(),
        })
    }

    pub async fn nursing_order(&self, order_id: &str) -> Result<NursingOrderView, AppError> {
        self.require(Capability::ReadClinicalText)?;
        let stored = self.store.nursing_order(parse_id(order_id)?).await?;
        self.order_view(stored).await
    }

    /// Checks the order (the addressee by the team's rule, every field by
    /// the domain's, all problems at once), renders the PDF, stores it
    /// immutable with its hash and removes the draft — all or nothing —
    /// then posts it on the team's timeline when it may. A 指示日 left
    /// empty (a renewal leaves it for the doctor) is dated today.
    pub async fn issue_nursing_order(
        &self,
        draft_id: &str,
    ) -> Result<IssuedNursingOrder, AppError> {
        self.require(Capability::IssueLetters)?;
        let record = self.store.nursing_order_draft(parse_id(draft_id)?).await?;
        let clinic = self.store.clinic_profile().await?.ok_or_else(|| {
            AppError::new(
                ErrorCode::Validation,
                "医療機関情報が登録されていません。「医療機関情報」から登録してください。",
            )
        })?;
        let patient = self.store.patient(record.patient_id).await?.fields;
        let mut form = record.draft.clone();
        form.kind = record.kind.code().to_string();
        form.patient_id = record.patient_id.to_string();
        if form.issued_on.trim().is_empty() {
            form.issued_on = iso(self.clock.today());
        }
        let mut fields = Vec::new();
        let addressee = match self
            .resolve_addressee(record.patient_id, record.station_member_id, &form.station)
            .await?
        {
            Ok(addressee) => {
                form.station = addressee.name().to_string();
                Some(addressee)
            }
            Err(problem) => {
                fields.push(problem);
                None
            }
        };
        let order = match check_nursing_order(&form) {
            Ok(order) => Some(order),
            Err(errors) => {
                fields.extend(errors.into_iter().filter_map(|(field, error)| {
                    let key = field.key();
                    // The addressee's own problem says more than 「入力して
                    // ください」 on the same field.
                    (addressee.is_some() || key != STATION_FIELD)
                        .then(|| FieldMessage::new(key, error.message_ja()))
                }));
                None
            }
        };
        let (Some(addressee), Some(order)) = (addressee, order) else {
            return Err(AppError::validation(fields));
        };
        if order.kind() == OrderKind::Special {
            self.check_special_limit(record.patient_id, order.issued_on)
                .await?;
        }
        let pdf = render_nursing_order_pdf(&NursingOrderForm {
            order: order.clone(),
            patient: order_patient(&patient),
            clinic: sender(&clinic),
        })
        .map_err(letter_error)?;
        let period = order.term.period();
        let new = NewNursingOrder {
            id: tsunagu_domain::new_id(),
            patient_id: record.patient_id,
            kind: order.kind(),
            station: addressee.name().to_string(),
            station_member_id: addressee.member_id(),
            station_key: addressee.station_key(),
            renews: record.renews,
            issued_on: order.issued_on,
            starts_on: period.start,
            ends_on: period.end,
            draft: to_draft(&order),
            sha256: hex::encode(Sha256::digest(&pdf)),
            pdf,
        };
        let stored = match self
            .store
            .issue_nursing_order(&new, record.id, &self.actor(), self.clock.now())
            .await
        {
            Ok(stored) => stored,
            Err(StoreError::AlreadyIssued) => return Err(already_issued()),
            Err(e) => return Err(e.into()),
        };
        let shared_on_timeline = self
            .share_order_on_timeline(
                record.patient_id,
                &addressee,
                timeline_notice(&order),
                new.pdf,
            )
            .await;
        Ok(IssuedNursingOrder {
            order: self.order_view(stored).await?,
            shared_on_timeline,
        })
    }

    /// The issued PDF, exactly as stored (recorded in the audit log).
    pub async fn nursing_order_pdf(&self, order_id: &str) -> Result<Vec<u8>, AppError> {
        self.require(Capability::ReadClinicalText)?;
        Ok(self
            .store
            .nursing_order_pdf(parse_id(order_id)?, &self.actor(), self.clock.now())
            .await?)
    }

    /// 「更新」: a draft of the next order, pre-filled from this one by the
    /// domain (`renewal_draft`: the period that follows, as long; 指示日
    /// left for the doctor; the 点滴注射 week not carried on), addressed
    /// as it was.
    pub async fn renew_nursing_order(
        &self,
        order_id: &str,
    ) -> Result<NursingOrderDraftView, AppError> {
        self.require(Capability::IssueLetters)?;
        let old = self.store.nursing_order(parse_id(order_id)?).await?;
        if old.renewed_by.is_some() {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "この指示書は既に更新されています。最新の指示書から更新してください。",
            ));
        }
        if old.ending.is_some() {
            return Err(AppError::from(StoreError::OrderDecided));
        }
        if !self
            .store
            .patient_life(old.patient_id)
            .await?
            .care_goes_on()
        {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "この患者さんには死亡が記録されているため、指示書は更新できません。記録の誤りは紹介の記録から取り消せます。",
            ));
        }
        // The stored form is the checked order's, so it checks again; if
        // it did not, the row was altered.
        let checked: NursingOrder = check_nursing_order(&old.draft)
            .map_err(|_| AppError::from(StoreError::Corrupt("issued nursing order")))?;
        let form = renewal_draft(&checked).ok_or_else(|| {
            AppError::new(
                ErrorCode::Validation,
                "この指示書の次の期間を計算できません。新しい指示書を作成してください。",
            )
        })?;
        let now = self.clock.now();
        let record = NursingOrderDraftRecord {
            id: tsunagu_domain::new_id(),
            patient_id: old.patient_id,
            kind: old.kind,
            draft: form,
            station_member_id: old.station_member_id,
            renews: Some(old.id),
            created_at: now,
            updated_at: now,
        };
        self.store.save_nursing_order_draft(&record).await?;
        Ok(NursingOrderDraftView::new(record))
    }
}

fn iso(date: chrono::NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn order_patient(p: &PatientFields) -> OrderPatient {
    OrderPatient {
        name: p.name.clone(),
        birth_date: p.birth_date,
        address: p.address.clone(),
        phone: p.phone.clone(),
    }
}

/// The timeline's notice of an issued order: the form, the station and
/// the period (the timeline is the patient's; it names no one else).
fn timeline_notice(order: &NursingOrder) -> String {
    let period = order.term.period();
    format!(
        "{}を発行しました（{}宛て、{}～{}）。PDFを添付します。",
        order.title_ja(),
        order.station,
        format_wareki(period.start),
        format_wareki(period.end)
    )
}

fn already_issued() -> AppError {
    AppError::new(
        ErrorCode::Conflict,
        "この下書きは既に発行済みです（別の画面で発行されたか、二重に押されました）。\
         指示書の一覧を確認してください。",
    )
}

/// Every character typed into the form.
fn form_chars(f: &NursingOrderDraft) -> usize {
    let texts = [
        &f.station,
        &f.issued_on,
        &f.starts_on,
        &f.ends_on,
        &f.infusion_starts_on,
        &f.infusion_ends_on,
        &f.condition,
        &f.medication,
        &f.bedridden_level,
        &f.dementia_level,
        &f.care_level,
        &f.ulcer_depth,
        &f.device_other,
        &f.device_details,
        &f.care_notes,
        &f.rehab_minutes_per_day,
        &f.rehab_times_per_week,
        &f.wound_care,
        &f.device_care,
        &f.other_instructions,
        &f.infusion_instructions,
        &f.emergency_contact,
        &f.when_absent,
        &f.special_notes,
        &f.other_station,
        &f.suction_provider,
        &f.frequent_visit_reason,
    ];
    let diagnoses = f.diagnoses.iter().flat_map(|d| [&d.name, &d.code]);
    texts
        .into_iter()
        .chain(diagnoses)
        .chain(f.devices.iter())
        .map(|t| t.chars().count())
        .sum()
}

impl App {
    /// 特別 once a month (twice with a 気管カニューレ or a deep 褥瘡, as the
    /// regular order in force that day says): the domain's rule over the
    /// patient's issued orders.
    async fn check_special_limit(
        &self,
        patient_id: uuid::Uuid,
        issued_on: chrono::NaiveDate,
    ) -> Result<(), AppError> {
        let orders = self.store.nursing_orders(patient_id).await?;
        let earlier: Vec<chrono::NaiveDate> = orders
            .iter()
            .filter(|o| o.kind == OrderKind::Special)
            .map(|o| o.issued_on)
            .collect();
        let needs = orders
            .iter()
            .filter(|o| {
                o.kind == OrderKind::Regular && o.starts_on <= issued_on && issued_on <= o.ends_on
            })
            .max_by_key(|o| o.issued_at)
            .map(|o| SpecialOrderNeeds::of_codes(&o.draft.devices, &o.draft.ulcer_depth))
            .unwrap_or_default();
        check_special_in_month(issued_on, &earlier, needs)
            .map_err(|e| AppError::field("issuedOn", format!("{}。", e.message_ja())))
    }
}

impl App {
    /// 「更新しない」: the doctor decides a regular order ends with its
    /// period (the patient was admitted, moved or died, or the nursing is
    /// no longer needed), with the reason; the renewal reminder stops.
    /// Signed and audited, never undone: a new order to the station is
    /// how nursing starts again. An order already renewed or ended is a
    /// conflict; a 特別 order is never renewed, so has nothing to end.
    pub async fn end_nursing_order(
        &self,
        order_id: &str,
        reason: &str,
    ) -> Result<NursingOrderView, AppError> {
        self.require(Capability::IssueLetters)?;
        let order = self.store.nursing_order(parse_id(order_id)?).await?;
        if order.kind != OrderKind::Regular {
            return Err(AppError::new(
                ErrorCode::Validation,
                "特別訪問看護指示書は更新しないため、この操作はありません。",
            ));
        }
        let reason =
            check_ending_reason(reason).map_err(|e| AppError::field("reason", format!("{e}。")))?;
        let author = self.team_author()?;
        let signature = format!("{} {}", author.profession.label_ja(), author.name);
        let ended = self
            .store
            .end_nursing_order(
                order.id,
                &reason,
                &self.actor(),
                &signature,
                self.clock.now(),
            )
            .await?;
        self.order_view(ended).await
    }

    /// One order as the screen shows it, today, knowing whether its patient
    /// has died (no renewal is offered then).
    async fn order_view(&self, stored: StoredNursingOrder) -> Result<NursingOrderView, AppError> {
        let life = self.store.patient_life(stored.patient_id).await?;
        Ok(NursingOrderView::new(stored, life, self.clock.today()))
    }
}
