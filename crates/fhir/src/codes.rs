//! The canonical URLs and codes the documents use, in one place, each with
//! where it comes from (ADR 0037 lists the sources and what was not
//! verifiable offline).

/// JP-CLINS document-section CodeSystem (the canonical URL of
/// `CodeSystem-jp-codeSystem-clins-document-section` in the JP-CLINS
/// package).
pub const SECTION_SYSTEM: &str = "http://jpfhir.jp/fhir/clins/CodeSystem/document-section";
/// 文書区分コード: 57133-1 診療情報提供書, 18842-5 退院時サマリー.
pub const DOC_TYPE_SYSTEM: &str = "http://jpfhir.jp/fhir/Common/CodeSystem/doc-typecodes";
/// The Bundle.identifier namespace of JP-CLINS documents; the value is
/// 医療機関番号10桁^西暦4桁^番号.
pub const BUNDLE_IDENTIFIER_SYSTEM: &str = "http://jpfhir.jp/fhir/clins/bundle-identifier";
/// Composition.identifier: the same value, as a resource instance id.
pub const RESOURCE_IDENTIFIER_SYSTEM: &str =
    "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier";
/// JP Core: 患者番号 is namespaced by the issuing institution's number.
pub const PATIENT_ID_SYSTEM_PREFIX: &str = "urn:oid:1.2.392.100495.20.3.51.1";
/// JP Core: the 10-digit 医療機関番号 of an organisation.
pub const INSTITUTION_ID_SYSTEM: &str =
    "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no";
pub const VERSION_NUMBER_EXTENSION: &str =
    "http://hl7.org/fhir/StructureDefinition/composition-clinicaldocument-versionNumber";
/// ISO 21090 name representation: IDE (漢字) and SYL (カナ), as JP Core asks.
pub const NAME_REPRESENTATION_EXTENSION: &str =
    "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";
pub const LIST_EMPTY_REASON_SYSTEM: &str =
    "http://terminology.hl7.org/CodeSystem/list-empty-reason";
pub const ACT_CODE_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

pub const PROFILE_BUNDLE_REFERRAL: &str =
    "http://jpfhir.jp/fhir/eReferral/StructureDefinition/JP_Bundle_eReferral";
pub const PROFILE_COMPOSITION_REFERRAL: &str =
    "http://jpfhir.jp/fhir/eReferral/StructureDefinition/JP_Composition_eReferral";
pub const PROFILE_BUNDLE_DISCHARGE: &str =
    "http://jpfhir.jp/fhir/eDischargeSummary/StructureDefinition/JP_Bundle_eDischargeSummary";
pub const PROFILE_COMPOSITION_DISCHARGE: &str =
    "http://jpfhir.jp/fhir/eDischargeSummary/StructureDefinition/JP_Composition_eDischargeSummary";
pub const PROFILE_PATIENT: &str = "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Patient";
pub const PROFILE_PRACTITIONER: &str =
    "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Practitioner";
pub const PROFILE_ORGANIZATION: &str =
    "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Organization";
pub const PROFILE_ENCOUNTER: &str = "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Encounter";
pub const PROFILE_CONDITION: &str = "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Condition";
pub const PROFILE_DOCUMENT_REFERENCE: &str =
    "http://jpfhir.jp/fhir/core/StructureDefinition/JP_DocumentReference";
/// JP-CLINS's 検体検査結果 (`JP_Obs_Lab_eCS_v153.fsh` in
/// jami-fhir-jp-wg/clinical-core): the eReferral Bundle's `laboratory`
/// slice takes only this profile. Its path says eCS, not clins.
pub const PROFILE_LAB_RESULT: &str =
    "http://jpfhir.jp/fhir/eCS/StructureDefinition/JP_Observation_LabResult_eCS";
/// The 医療機関番号 every eCS resource carries (invariant
/// `resource-needs-extension-of-institutionNumber`).
pub const INSTITUTION_NUMBER_EXTENSION: &str =
    "http://jpfhir.jp/fhir/clins/Extension/StructureDefinition/JP_eCS_InstitutionNumber";
/// JP Core's Observation.category; `laboratory` is the lab profile's slice.
pub const OBSERVATION_CATEGORY_SYSTEM: &str =
    "http://jpfhir.jp/fhir/core/CodeSystem/JP_SimpleObservationCategory_CS";
/// 未標準化コード項目(JLAC): the code JP-CLINS asks for an item that has
/// no JLAC10/11 code, as every result typed by name here.
pub const LAB_UNCODED_SYSTEM: &str =
    "http://jpfhir.jp/fhir/clins/CodeSystem/JP_CLINS_ObsLabResult_Uncoded_CS";
pub const LAB_UNCODED_CODE: &str = "99999999999999999";
pub const LAB_UNCODED_DISPLAY: &str = "未標準化コード項目(JLAC)";
pub const INTERPRETATION_SYSTEM: &str =
    "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

/// Which JP-CLINS document a Bundle is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Referral,
    DischargeSummary,
}

impl DocumentKind {
    /// The LOINC-based 文書区分コード (Composition.type).
    pub fn type_code(self) -> &'static str {
        match self {
            DocumentKind::Referral => "57133-1",
            DocumentKind::DischargeSummary => "18842-5",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            DocumentKind::Referral => "診療情報提供書",
            DocumentKind::DischargeSummary => "退院時サマリー",
        }
    }

    pub fn bundle_profile(self) -> &'static str {
        match self {
            DocumentKind::Referral => PROFILE_BUNDLE_REFERRAL,
            DocumentKind::DischargeSummary => PROFILE_BUNDLE_DISCHARGE,
        }
    }

    pub fn composition_profile(self) -> &'static str {
        match self {
            DocumentKind::Referral => PROFILE_COMPOSITION_REFERRAL,
            DocumentKind::DischargeSummary => PROFILE_COMPOSITION_DISCHARGE,
        }
    }

    /// The sections the profile requires (1..1), top level first, then
    /// those inside the 構造情報 section: what the tests hold the output to.
    pub fn required_sections(self) -> &'static [Section] {
        use Section::*;
        match self {
            DocumentKind::Referral => &[
                ReferralTo,
                ReferralFrom,
                Pdf,
                Structured,
                ReferralPurpose,
                Problem,
            ],
            DocumentKind::DischargeSummary => &[
                ReferralTo,
                ReferralFrom,
                Pdf,
                Structured,
                DetailsOnAdmission,
                DiagnosesOnAdmission,
                ChiefComplaints,
                ReasonForAdmission,
                PresentIllness,
                HospitalCourse,
                DetailsOnDischarge,
                DiagnosesOnDischarge,
                MedicationOnDischarge,
                InstructionOnDischarge,
            ],
        }
    }
}

/// The JP-CLINS document sections this crate writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// 220 備考・連絡情報
    RemarksCommunication,
    /// 230 PDF: the letter's PDF, as a DocumentReference.
    Pdf,
    /// 300 構造情報: holds the clinical sections.
    Structured,
    /// 312 入院理由
    ReasonForAdmission,
    /// 322 入院時詳細
    DetailsOnAdmission,
    /// 324 退院時詳細
    DetailsOnDischarge,
    /// 330 臨床経過
    ClinicalCourse,
    /// 333 入院中経過
    HospitalCourse,
    /// 340 傷病名・主訴
    Problem,
    /// 342 入院時診断
    DiagnosesOnAdmission,
    /// 344 退院時診断
    DiagnosesOnDischarge,
    /// 352 主訴
    ChiefComplaints,
    /// 360 現病歴
    PresentIllness,
    /// 370 既往歴
    PastIllness,
    /// 424 退院時方針指示
    InstructionOnDischarge,
    /// 430 投薬指示
    Medication,
    /// 444 退院時投薬指示
    MedicationOnDischarge,
    /// 910 紹介先情報
    ReferralTo,
    /// 920 紹介元情報
    ReferralFrom,
    /// 950 紹介目的
    ReferralPurpose,
    /// 620 検査結果 (eReferral, under 300)
    ExamsStudy,
    /// 623 入院中検査結果 (eDischargeSummary, under 300)
    HospitalStudy,
}

impl Section {
    pub fn code(self) -> &'static str {
        use Section::*;
        match self {
            RemarksCommunication => "220",
            Pdf => "230",
            Structured => "300",
            ReasonForAdmission => "312",
            DetailsOnAdmission => "322",
            DetailsOnDischarge => "324",
            ClinicalCourse => "330",
            HospitalCourse => "333",
            Problem => "340",
            DiagnosesOnAdmission => "342",
            DiagnosesOnDischarge => "344",
            ChiefComplaints => "352",
            PresentIllness => "360",
            PastIllness => "370",
            InstructionOnDischarge => "424",
            Medication => "430",
            MedicationOnDischarge => "444",
            ReferralTo => "910",
            ReferralFrom => "920",
            ReferralPurpose => "950",
            ExamsStudy => "620",
            HospitalStudy => "623",
        }
    }

    /// The section's title (Composition.section.title, fixed by the
    /// profile); its display is the title plus 「セクション」.
    pub fn title(self) -> &'static str {
        use Section::*;
        match self {
            RemarksCommunication => "備考・連絡情報",
            Pdf => "PDF",
            Structured => "構造情報",
            ReasonForAdmission => "入院理由",
            DetailsOnAdmission => "入院時詳細",
            DetailsOnDischarge => "退院時詳細",
            ClinicalCourse => "臨床経過",
            HospitalCourse => "入院中経過",
            Problem => "傷病名・主訴",
            DiagnosesOnAdmission => "入院時診断",
            DiagnosesOnDischarge => "退院時診断",
            ChiefComplaints => "主訴",
            PresentIllness => "現病歴",
            PastIllness => "既往歴",
            InstructionOnDischarge => "退院時方針指示",
            Medication => "投薬指示",
            MedicationOnDischarge => "退院時投薬指示",
            ReferralTo => "紹介先情報",
            ReferralFrom => "紹介元情報",
            ReferralPurpose => "紹介目的",
            ExamsStudy => "検査結果",
            HospitalStudy => "入院中検査結果",
        }
    }

    pub fn display(self) -> String {
        format!("{}セクション", self.title())
    }
}
