//! The patient's consent to share with the region (同意): recorded, changed
//! or withdrawn on the patient page, and printed as a one-page 同意書 for
//! the patient to sign. Without a consent in force nothing about the
//! patient goes to the regional server.

use chrono::{DateTime, NaiveDate, Utc};
use tsunagu_domain::{
    ConsentDraft, ConsentGiver, ConsentScope, TeamSharingConsent, TeamSharingConsentDraft,
    check_consent, check_team_sharing_consent, format_wareki,
};
use tsunagu_store::ConsentRecord;
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, FieldMessage};
use crate::patients::parse_id;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentView {
    pub id: Uuid,
    pub obtained_on: NaiveDate,
    /// 和暦
    pub obtained_on_label: String,
    pub obtained_by: String,
    pub share_with_desk: bool,
    pub share_with_hospital: bool,
    /// 在宅チーム
    pub share_with_team: bool,
    /// 事前登録（地域の病院）
    pub preregistration: bool,
    /// The hospitals chosen for 事前登録, in the order chosen; empty with
    /// the scope: every participating hospital.
    pub preregistered_with: Vec<RegionalHospital>,
    /// 同意した人: the patient, or a family member (name and relation).
    pub given_by: ConsentGiver,
    /// 「本人」 or 「家族（妻 山田 花子）」.
    pub given_by_label: String,
    pub withdrawn_on: Option<NaiveDate>,
    pub withdrawn_on_label: Option<String>,
    pub in_force: bool,
    pub recorded_at: DateTime<Utc>,
}

/// A hospital registered in the region, as the consent form offers it
/// for 事前登録 and names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionalHospital {
    pub id: Uuid,
    pub name: String,
}

/// What a hospital chosen for 事前登録 is called when this PC has not (yet)
/// heard of it from the server.
const UNKNOWN_HOSPITAL: &str = "（この端末に登録のない病院）";

/// The registered hospitals' names, to name those a consent chose.
struct HospitalNames(Vec<(Uuid, String, bool)>);

impl HospitalNames {
    fn name(&self, id: Uuid) -> String {
        self.0
            .iter()
            .find(|(h, ..)| *h == id)
            .map_or_else(|| UNKNOWN_HOSPITAL.to_string(), |(_, name, _)| name.clone())
    }

    fn knows(&self, id: Uuid) -> bool {
        self.0.iter().any(|(h, ..)| *h == id)
    }
}

impl ConsentView {
    fn new(record: ConsentRecord, hospitals: &HospitalNames) -> Self {
        let c = &record.consent;
        let in_force = record.team_sharing().in_force();
        ConsentView {
            id: record.id,
            obtained_on: c.obtained_on,
            obtained_on_label: format_wareki(c.obtained_on),
            obtained_by: c.obtained_by.clone(),
            share_with_desk: c.share_with_desk,
            share_with_hospital: c.share_with_hospital,
            share_with_team: record.share_with_team,
            preregistration: record.preregistration,
            preregistered_with: record
                .preregistered_with
                .iter()
                .map(|&id| RegionalHospital {
                    id,
                    name: hospitals.name(id),
                })
                .collect(),
            given_by_label: record.given_by.label_ja(),
            given_by: record.given_by.clone(),
            withdrawn_on: c.withdrawn_on,
            withdrawn_on_label: c.withdrawn_on.map(format_wareki),
            in_force,
            recorded_at: record.recorded_at,
        }
    }
}

impl App {
    /// The patient's consents, newest first.
    pub async fn consents(&self, patient_id: &str) -> Result<Vec<ConsentView>, AppError> {
        let patient_id = parse_id(patient_id)?;
        let hospitals = self.hospital_names().await?;
        Ok(self
            .store
            .consents_for_patient(patient_id)
            .await?
            .into_iter()
            .map(|record| ConsentView::new(record, &hospitals))
            .collect())
    }

    /// The hospitals the consent form offers for 事前登録: those registered
    /// in the region, by name, less those the desk has stopped.
    pub async fn preregistration_hospitals(&self) -> Result<Vec<RegionalHospital>, AppError> {
        Ok(self
            .store
            .registered_hospitals()
            .await?
            .into_iter()
            .filter(|(_, _, stopped)| !stopped)
            .map(|(id, name, _)| RegionalHospital { id, name })
            .collect())
    }

    async fn hospital_names(&self) -> Result<HospitalNames, AppError> {
        Ok(HospitalNames(self.store.registered_hospitals().await?))
    }

    /// Records a consent (`consent_id` `None`) or changes one — withdrawing
    /// it is a change with 撤回日 set. Mistakes come back by field.
    pub async fn save_consent(
        &self,
        patient_id: &str,
        consent_id: Option<&str>,
        draft: &ConsentDraft,
    ) -> Result<ConsentView, AppError> {
        let patient_id = parse_id(patient_id)?;
        let id = consent_id.map(parse_id).transpose()?;
        let now = self.clock.now();
        let consent = check_consent(draft, self.clock.today()).map_err(|errors| {
            AppError::validation(
                errors
                    .into_iter()
                    .map(|(field, message)| FieldMessage {
                        field: field.key().to_string(),
                        message,
                    })
                    .collect(),
            )
        })?;
        // The form without the team's fields: given by the patient.
        let consent = TeamSharingConsent {
            obtained_on: consent.obtained_on,
            obtained_by: consent.obtained_by,
            given_by: ConsentGiver::Patient,
            scopes: [
                (ConsentScope::Desk, consent.share_with_desk),
                (ConsentScope::Hospital, consent.share_with_hospital),
            ]
            .into_iter()
            .filter_map(|(scope, named)| named.then_some(scope))
            .collect(),
            withdrawn_on: consent.withdrawn_on,
            preregistered_with: Vec::new(),
        };
        self.store_consent(patient_id, id, &consent, now).await
    }

    /// Records or changes a consent with its whole scope (相談窓口, 紹介先の
    /// 病院, 在宅チーム, 事前登録 and the hospitals chosen for it) and who
    /// gave it (本人, or a named family member). A hospital chosen must be
    /// one registered in the region, or one the consent already named.
    pub async fn save_team_consent(
        &self,
        patient_id: &str,
        consent_id: Option<&str>,
        draft: &TeamSharingConsentDraft,
    ) -> Result<ConsentView, AppError> {
        let patient_id = parse_id(patient_id)?;
        let id = consent_id.map(parse_id).transpose()?;
        let consent = check_team_sharing_consent(draft, self.clock.today()).map_err(|errors| {
            AppError::validation(
                errors
                    .into_iter()
                    .map(|(field, message)| FieldMessage {
                        field: field.key().to_string(),
                        message,
                    })
                    .collect(),
            )
        })?;
        // A hospital the consent chose before stays choosable: a withdrawal
        // or a correction is never refused for a hospital this PC has not
        // heard of (a consent from another of the clinic's PCs).
        let hospitals = self.hospital_names().await?;
        let before = match id {
            Some(id) => match self.store.consent(id).await {
                Ok(record) => record.preregistered_with,
                Err(tsunagu_store::StoreError::NotFound) => Vec::new(),
                Err(e) => return Err(e.into()),
            },
            None => Vec::new(),
        };
        let unknown = consent.preregistered_with.iter().any(|h| {
            !Uuid::parse_str(h).is_ok_and(|id| hospitals.knows(id) || before.contains(&id))
        });
        if unknown {
            return Err(AppError::field(
                PREREGISTERED_WITH,
                "選んだ病院が地域の参加病院の一覧にありません。選び直してください。",
            ));
        }
        self.store_consent(patient_id, id, &consent, self.clock.now())
            .await
    }

    /// Records a consent checked by the domain (and its hospitals by
    /// `save_team_consent`).
    async fn store_consent(
        &self,
        patient_id: Uuid,
        id: Option<Uuid>,
        consent: &TeamSharingConsent,
        now: DateTime<Utc>,
    ) -> Result<ConsentView, AppError> {
        // The patient must exist; the store refuses another patient's consent.
        self.store.patient(patient_id).await?;
        let record = self
            .store
            .save_consent(
                id.unwrap_or_else(Uuid::now_v7),
                patient_id,
                consent,
                &self.actor(),
                now,
            )
            .await?;
        self.start_team_again(patient_id, &record).await?;
        Ok(ConsentView::new(record, &self.hospital_names().await?))
    }

    /// A team started, then consent to it withdrawn before the start was
    /// sent (held back), then given again: the start is queued again, so
    /// what follows has a team on the server to go to. Posts held back
    /// stay held back (they were written for a team the patient had
    /// stopped sharing with).
    async fn start_team_again(
        &self,
        patient_id: Uuid,
        record: &ConsentRecord,
    ) -> Result<(), AppError> {
        if !tsunagu_domain::team_may_share(Some(&record.team_sharing()), self.clock.today()) {
            return Ok(());
        }
        let Some(team) = self.store.team_for_patient(patient_id).await? else {
            return Ok(());
        };
        if team.confirmed {
            return Ok(());
        }
        let members = self.store.team_members(team.id).await?;
        let Some(owner) = members.iter().find(|m| m.role.is_owner()) else {
            return Ok(());
        };
        let op = tsunagu_protocol::TeamOp::Started {
            team_id: team.id,
            patient_id,
            owner_member_id: owner.id,
        };
        if let Some(op) = self.team_operation(true, team.id, &op)? {
            self.store
                .queue_team_start_if_unsent(team.id, &op.payload, self.clock.now())
                .await?;
        }
        Ok(())
    }
}

/// The consent form's field of the hospitals chosen for 事前登録.
const PREREGISTERED_WITH: &str = "preregisteredWith";

/// Who the consent form names as the regional desk, until the server tells
/// the app the desk's own name.
const DESK_NAME: &str = "地域の在宅医療相談窓口（医師会）";

impl App {
    /// The 同意書 for this consent as a one-page PDF, to print and sign (or,
    /// after a withdrawal, to reprint with the withdrawal on it).
    pub async fn consent_form_pdf(&self, consent_id: &str) -> Result<Vec<u8>, AppError> {
        let record = self.store.consent(parse_id(consent_id)?).await?;
        let clinic = self.store.clinic_profile().await?.ok_or_else(|| {
            AppError::new(
                crate::ErrorCode::Validation,
                "医療機関情報が登録されていません。「医療機関情報」から登録してください。",
            )
        })?;
        let patient = self.store.patient(record.patient_id).await?.fields;
        let c = &record.consent;
        let form = tsunagu_letters::ConsentForm {
            clinic: crate::letters::sender(&clinic),
            desk_name: DESK_NAME.to_string(),
            patient: crate::letters::letter_patient(&patient),
            obtained_on: c.obtained_on,
            obtained_by: c.obtained_by.clone(),
            share_with_desk: c.share_with_desk,
            share_with_hospital: c.share_with_hospital,
            share_with_team: record.share_with_team,
            preregistration: record.preregistration,
            preregistered_with: {
                let hospitals = self.hospital_names().await?;
                record
                    .preregistered_with
                    .iter()
                    .map(|&id| hospitals.name(id))
                    .collect()
            },
            withdrawn_on: c.withdrawn_on,
            record_id: record.id.to_string(),
        };
        tsunagu_letters::render_consent_pdf(&form).map_err(crate::letters::letter_error)
    }
}
