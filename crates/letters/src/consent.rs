//! The patient's consent (同意書) to sharing a referral's facts and progress
//! with the regional home-care network: what the form says, and the checks
//! made before it is printed. Laid out by `consent_layout`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{Field, LetterError, Patient, Sender, require, unsupported_in};

/// 地域連携のための情報共有に関する同意書, printed when consent is obtained
/// and reprinted (marked as withdrawn) after it is withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentForm {
    /// The clinic, from its profile: the form is addressed to its doctor
    /// (院長) and its address and phone are in the footer.
    pub clinic: Sender,
    /// The regional home-care desk (在宅医療相談窓口) run by the medical
    /// association, as the regional server names it.
    pub desk_name: String,
    pub patient: Patient,
    /// 同意日
    pub obtained_on: NaiveDate,
    /// 説明者: the staff member who explained the form.
    pub obtained_by: String,
    /// 「地域の在宅医療相談窓口と共有する」 is checked.
    pub share_with_desk: bool,
    /// 「紹介先の病院と共有する」 is checked.
    pub share_with_hospital: bool,
    /// 「在宅チームと共有する」 is checked (the timeline's content is then
    /// shared with the team's members, and the form says so).
    #[serde(default)]
    pub share_with_team: bool,
    /// 「地域の病院に事前登録する」 is checked (issue 17): a hospital the
    /// patient arrives at without a letter may find the patient, and the
    /// family doctor, by name and birth date.
    #[serde(default)]
    pub preregistration: bool,
    /// The hospitals chosen for 事前登録, by name; none: every
    /// participating hospital (「地域の参加病院すべて」).
    #[serde(default)]
    pub preregistered_with: Vec<String>,
    /// Set on a reprint after the patient withdrew: the signature lines
    /// give way to the date of withdrawal.
    #[serde(default)]
    pub withdrawn_on: Option<NaiveDate>,
    /// The consent record this paper belongs to, printed small in the
    /// footer so a signed copy can be matched to it.
    pub record_id: String,
}

impl ConsentForm {
    /// Everything that must hold before the form is printed: the required
    /// fields, at least one place to share with, and characters the font
    /// can draw. The same errors as a letter's, so the app shows them alike.
    pub fn check(&self) -> Result<(), LetterError> {
        let mut missing = Vec::new();
        require(&mut missing, Field::FromClinic, &self.clinic.clinic);
        require(&mut missing, Field::FromDoctor, &self.clinic.doctor);
        require(&mut missing, Field::DeskName, &self.desk_name);
        require(&mut missing, Field::PatientName, &self.patient.name);
        if !self.share_with_desk
            && !self.share_with_hospital
            && !self.share_with_team
            && !self.preregistration
        {
            // Consent to share with no one is a refusal, which needs no form.
            missing.push(Field::ShareWith);
        }
        require(&mut missing, Field::ObtainedBy, &self.obtained_by);
        require(&mut missing, Field::RecordId, &self.record_id);
        if !missing.is_empty() {
            return Err(LetterError::Missing(missing));
        }
        let unsupported = unsupported_in(self.texts());
        if !unsupported.is_empty() {
            return Err(LetterError::UnsupportedCharacters(unsupported));
        }
        Ok(())
    }

    /// Every text of the form's own that it prints, with its field.
    fn texts(&self) -> Vec<(Field, String)> {
        use Field::*;
        let hospitals = self
            .preregistered_with
            .iter()
            .filter(|_| self.preregistration)
            .map(|name| (PreregisteredWith, name.clone()));
        let mut texts = vec![
            (FromClinic, self.clinic.clinic.clone()),
            (FromAddress, self.clinic.address.clone()),
            (FromDoctor, self.clinic.doctor.clone()),
            (DeskName, self.desk_name.clone()),
            (PatientName, self.patient.name.clone()),
            (PatientKana, self.patient.kana.clone()),
            (ObtainedBy, self.obtained_by.clone()),
            (RecordId, self.record_id.clone()),
        ];
        texts.extend(hospitals);
        texts
    }
}
