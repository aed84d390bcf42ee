//! 医療・介護連携サマリー on the patient page, and the emergency sheet
//! (救急医療情報) printed from it with the current 人生会議 wishes, the
//! clinic and the team's visiting-nurse station.

use chrono::{DateTime, NaiveDate, Utc};
use tsunagu_domain::acp::AcpRecord;
use tsunagu_domain::care_summary::{CareSummary, CareSummaryDraft, check_care_summary};
use tsunagu_domain::{Capability, format_wareki};
use tsunagu_letters::{
    EmergencySheet, SheetClinic, SheetPatient, SheetStation, SheetWishes,
    render_emergency_sheet_pdf,
};
use tsunagu_store::StoredCareSummary;
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, FieldMessage};
use crate::letters::letter_error;
use crate::patients::parse_id;

/// A summary just saved, and whether the team was told (its pinned copy
/// queued: the patient has a team whose consent stands).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedCareSummary {
    pub summary: CareSummaryView,
    pub shared_with_team: bool,
}

/// The summary as the page shows it, with the form's text (lists one item
/// a line) to change it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CareSummaryView {
    pub problems: Vec<String>,
    pub medications: Vec<String>,
    pub allergies: String,
    pub devices: Vec<String>,
    pub next_visit: Option<NaiveDate>,
    /// 和暦
    pub next_visit_label: Option<String>,
    pub cautions: String,
    pub after_hours_phone: String,
    /// The form as it opens to change the summary.
    pub draft: CareSummaryDraft,
    /// 「看護師 佐藤 花子」
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

impl CareSummaryView {
    fn new(stored: StoredCareSummary) -> Self {
        let s = stored.summary;
        let draft = CareSummaryDraft {
            problems: s.problems.join("\n"),
            medications: s.medications.join("\n"),
            allergies: s.allergies.clone(),
            devices: s.devices.join("\n"),
            next_visit: s.next_visit.map(|d| d.to_string()).unwrap_or_default(),
            cautions: s.cautions.clone(),
            after_hours_phone: s.after_hours_phone.clone(),
        };
        CareSummaryView {
            next_visit_label: s.next_visit.map(format_wareki),
            problems: s.problems,
            medications: s.medications,
            allergies: s.allergies,
            devices: s.devices,
            next_visit: s.next_visit,
            cautions: s.cautions,
            after_hours_phone: s.after_hours_phone,
            draft,
            recorded_by: stored.recorded_by_name,
            recorded_at: stored.recorded_at,
        }
    }
}

impl App {
    /// The patient's summary; `None` until someone fills it in.
    pub async fn care_summary(
        &self,
        patient_id: &str,
    ) -> Result<Option<CareSummaryView>, AppError> {
        self.require(Capability::ReadClinicalText)?;
        let patient_id = parse_id(patient_id)?;
        self.store.patient(patient_id).await?;
        Ok(self
            .store
            .care_summary(patient_id)
            .await?
            .map(CareSummaryView::new))
    }

    /// Saves the summary as a new signed version; when the patient's team
    /// may be told, its pinned summary (with the emergency sheet) is queued
    /// with it (ADR 0042). The form's mistakes come back by field and
    /// nothing is kept.
    pub async fn save_care_summary(
        &self,
        patient_id: &str,
        draft: &CareSummaryDraft,
    ) -> Result<SavedCareSummary, AppError> {
        self.require(Capability::KeepCareRecords)?;
        let patient_id = parse_id(patient_id)?;
        let summary = check_care_summary(draft).map_err(|errors| {
            AppError::validation(
                errors
                    .into_iter()
                    .map(|(field, message)| FieldMessage::new(field.key(), message))
                    .collect(),
            )
        })?;
        let author = self.team_author()?;
        let signature = format!("{} {}", author.profession.label_ja(), author.name);
        // The team's pinned copy goes with the record, in its transaction.
        let shared = self
            .pinned_share(patient_id, Some(&summary), None, &author)
            .await?;
        let stored = self
            .store
            .save_care_summary(
                patient_id,
                &summary,
                shared.as_ref(),
                &self.actor(),
                &signature,
                self.clock.now(),
            )
            .await?;
        Ok(SavedCareSummary {
            summary: CareSummaryView::new(stored),
            shared_with_team: shared.is_some(),
        })
    }

    /// The emergency sheet (救急医療情報) as a PDF: the patient, the clinic
    /// and the after-hours contact, the team's visiting-nurse station, the
    /// summary and the current 人生会議 wishes with the surrogate. Audited
    /// as printed: it takes the patient's record out of the clinic.
    pub async fn emergency_sheet_pdf(&self, patient_id: &str) -> Result<Vec<u8>, AppError> {
        self.require(Capability::ReadClinicalText)?;
        let id = parse_id(patient_id)?;
        let summary = self.store.care_summary(id).await?.map(|s| s.summary);
        let current_acp = self.store.acp_records(id).await?.into_iter().next();
        let pdf = self
            .render_emergency_sheet(id, summary, current_acp.map(|a| a.record))
            .await?;
        self.store
            .audit_emergency_sheet(id, &self.actor(), self.clock.now())
            .await?;
        Ok(pdf)
    }

    /// The emergency sheet of `summary` and the wishes `current_acp` (the
    /// ones being saved, when the team's copy is made with them).
    pub(crate) async fn render_emergency_sheet(
        &self,
        id: Uuid,
        summary: Option<CareSummary>,
        current_acp: Option<AcpRecord>,
    ) -> Result<Vec<u8>, AppError> {
        let patient = self.store.patient(id).await?;
        let clinic = self.clinic_profile().await?.ok_or_else(|| {
            AppError::field(
                "clinic",
                "医療機関情報（医療機関名・医師名・電話）を登録してください。",
            )
        })?;
        let station = self
            .active_stations(id)
            .await?
            .into_iter()
            .next()
            .map(|m| SheetStation {
                name: m.name,
                phone: m.phone,
                after_hours_phone: String::new(),
            });
        let author = self.team_author()?;
        let p = patient.fields;
        let summary = summary.unwrap_or_default();
        let sheet = EmergencySheet {
            made_on: self.clock.today(),
            made_by: format!("{} {}", author.profession.label_ja(), author.name),
            patient: SheetPatient {
                name: p.name,
                kana: p.kana,
                birth_date: p.birth_date,
                sex: p.sex,
                address: p.address,
                phone: p.phone,
            },
            clinic: SheetClinic {
                name: clinic.name,
                doctor: clinic.doctor_name,
                phone: clinic.phone,
                after_hours_phone: summary.after_hours_phone.clone(),
            },
            nursing_station: station,
            problems: summary.problems,
            medications: summary.medications,
            allergies: summary.allergies,
            devices: summary.devices,
            wishes: current_acp.as_ref().map(SheetWishes::from_record),
            surrogate: current_acp.and_then(|a| a.surrogate),
        };
        render_emergency_sheet_pdf(&sheet).map_err(letter_error)
    }
}
