//! The 訪問看護指示書 (別紙様式16) and the 特別訪問看護指示書 (別紙様式18)
//! as printed: the domain's checked order, the patient from the record and
//! the clinic from its profile. Laid out by `nursing_order_layout`.

use chrono::NaiveDate;
use tsunagu_domain::nursing_order::{NursingOrder, NursingOrderField, OrderKind};

use crate::model::{Field, LetterError, Sender, require, unsupported_in};

/// What the form prints about the patient (患者氏名, 生年月日 with the age on
/// the 指示日, and on 様式16 住所 and 電話).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderPatient {
    pub name: String,
    pub birth_date: NaiveDate,
    pub address: String,
    pub phone: String,
}

/// One order ready to print. Its periods are the domain's [`OrderTerm`]
/// (`tsunagu_domain::nursing_order::OrderTerm`), which cannot hold a period
/// the rules refuse, so the check here is about what is printed: names
/// present and characters the fonts can draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NursingOrderForm {
    pub order: NursingOrder,
    pub patient: OrderPatient,
    /// 医療機関名・住所・電話・FAX・医師氏名
    pub clinic: Sender,
}

impl NursingOrderForm {
    pub fn kind(&self) -> OrderKind {
        self.order.kind()
    }

    /// Everything that must hold before the order is printed: the clinic,
    /// its doctor, the patient, the station it is addressed to, the
    /// emergency contact (required on every order since 2024), a 主たる
    /// 傷病名 on 様式16 — and characters the fonts can draw.
    pub fn check(&self) -> Result<(), LetterError> {
        let o = &self.order;
        let mut missing = Vec::new();
        require(&mut missing, Field::FromClinic, &self.clinic.clinic);
        require(&mut missing, Field::FromDoctor, &self.clinic.doctor);
        require(&mut missing, Field::PatientName, &self.patient.name);
        require(
            &mut missing,
            Field::NursingOrder(NursingOrderField::Station),
            &o.station,
        );
        require(
            &mut missing,
            Field::NursingOrder(NursingOrderField::EmergencyContact),
            &o.emergency_contact,
        );
        if self.kind() == OrderKind::Regular && o.diagnoses.iter().all(|d| d.name.trim().is_empty())
        {
            missing.push(Field::NursingOrder(NursingOrderField::Diagnoses));
        }
        if self.kind() == OrderKind::Special {
            require(
                &mut missing,
                Field::NursingOrder(NursingOrderField::FrequentVisitReason),
                &o.frequent_visit_reason,
            );
        }
        if !missing.is_empty() {
            return Err(LetterError::Missing(missing));
        }
        let unsupported = unsupported_in(self.texts());
        if !unsupported.is_empty() {
            return Err(LetterError::UnsupportedCharacters(unsupported));
        }
        Ok(())
    }

    /// Every text of the order's that it prints, with its field.
    fn texts(&self) -> Vec<(Field, String)> {
        use NursingOrderField as F;
        let o = &self.order;
        let own = |field: F, text: &str| (Field::NursingOrder(field), text.to_string());
        let diagnoses = o
            .diagnoses
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        vec![
            (Field::FromClinic, self.clinic.clinic.clone()),
            (Field::FromAddress, self.clinic.address.clone()),
            (Field::FromDoctor, self.clinic.doctor.clone()),
            (Field::PatientName, self.patient.name.clone()),
            (
                Field::PatientAddress,
                format!("{}{}", self.patient.address, self.patient.phone),
            ),
            own(F::Station, &o.station),
            own(F::Diagnoses, &diagnoses),
            own(F::Condition, &o.condition),
            own(F::Medication, &o.medication),
            own(F::Devices, &o.device_other),
            own(F::DeviceDetails, &o.device_details),
            own(F::CareNotes, &o.care_notes),
            own(F::WoundCare, &o.wound_care),
            own(F::DeviceCare, &o.device_care),
            own(F::OtherInstructions, &o.other_instructions),
            own(F::InfusionInstructions, &o.infusion_instructions),
            own(F::EmergencyContact, &o.emergency_contact),
            own(F::WhenAbsent, &o.when_absent),
            own(F::SpecialNotes, &o.special_notes),
            own(F::OtherStation, &o.other_station),
            own(F::SuctionProvider, &o.suction_provider),
            own(F::FrequentVisitReason, &o.frequent_visit_reason),
        ]
    }
}
