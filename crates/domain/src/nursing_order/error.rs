//! Why an order was refused, by field: a code for the program and the
//! Japanese message shown under the field.

use chrono::NaiveDate;

use crate::date_error::DateError;
use crate::field_rules::Rejection;
use crate::format_wareki;

use super::OrderKind;

/// A field of the order form: its key in the app's draft (camelCase) and
/// its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NursingOrderField {
    Kind,
    PatientId,
    Station,
    IssuedOn,
    Period,
    InfusionPeriod,
    Diagnoses,
    Condition,
    Medication,
    BedriddenLevel,
    DementiaLevel,
    CareLevel,
    UlcerDepth,
    Devices,
    DeviceDetails,
    CareNotes,
    Rehabilitation,
    WoundCare,
    DeviceCare,
    OtherInstructions,
    InfusionInstructions,
    EmergencyContact,
    WhenAbsent,
    SpecialNotes,
    OtherStation,
    SuctionProvider,
    FrequentVisitReason,
}

impl NursingOrderField {
    pub fn key(self) -> &'static str {
        use NursingOrderField::*;
        match self {
            Kind => "kind",
            PatientId => "patientId",
            Station => "station",
            IssuedOn => "issuedOn",
            Period => "period",
            InfusionPeriod => "infusionPeriod",
            Diagnoses => "diagnoses",
            Condition => "condition",
            Medication => "medication",
            BedriddenLevel => "bedriddenLevel",
            DementiaLevel => "dementiaLevel",
            CareLevel => "careLevel",
            UlcerDepth => "ulcerDepth",
            Devices => "devices",
            DeviceDetails => "deviceDetails",
            CareNotes => "careNotes",
            Rehabilitation => "rehabilitation",
            WoundCare => "woundCare",
            DeviceCare => "deviceCare",
            OtherInstructions => "otherInstructions",
            InfusionInstructions => "infusionInstructions",
            EmergencyContact => "emergencyContact",
            WhenAbsent => "whenAbsent",
            SpecialNotes => "specialNotes",
            OtherStation => "otherStation",
            SuctionProvider => "suctionProvider",
            FrequentVisitReason => "frequentVisitReason",
        }
    }

    /// As the form heads the box.
    pub fn label_ja(self) -> &'static str {
        use NursingOrderField::*;
        match self {
            Kind => "指示書の種類",
            PatientId => "患者",
            Station => "訪問看護ステーション",
            IssuedOn => "指示日",
            Period => "指示期間",
            InfusionPeriod => "点滴注射指示期間",
            Diagnoses => "主たる傷病名",
            Condition => "病状・治療状態",
            Medication => "投与中の薬剤の用量・用法",
            BedriddenLevel => "寝たきり度",
            DementiaLevel => "認知症の状況",
            CareLevel => "要介護認定の状況",
            UlcerDepth => "褥瘡の深さ",
            Devices => "装着・使用医療機器等",
            DeviceDetails => "医療機器等の詳細",
            CareNotes => "療養生活指導上の留意事項",
            Rehabilitation => "理学療法士・作業療法士・言語聴覚士が行う訪問看護",
            WoundCare => "褥瘡の処置等",
            DeviceCare => "装着・使用医療機器等の操作援助・管理",
            OtherInstructions => "その他の指示",
            InfusionInstructions => "在宅患者訪問点滴注射に関する指示",
            EmergencyContact => "緊急時の連絡先",
            WhenAbsent => "不在時の対応",
            SpecialNotes => "特記すべき留意事項",
            OtherStation => "他の訪問看護ステーションへの指示",
            SuctionProvider => "たんの吸引等実施のための訪問介護事業所への指示",
            FrequentVisitReason => "一時的に訪問看護が頻回に必要な理由",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NursingOrderError {
    #[error("{0}を入力してください")]
    Required(&'static str),
    #[error("患者を選んでください")]
    NoPatient,
    /// Too long, or characters a form field cannot hold (from the shared
    /// text rules, which word it).
    #[error("{0}")]
    Text(Rejection),
    #[error("{label}：{error}")]
    Date {
        label: &'static str,
        error: DateError,
    },
    #[error("{label}は開始日と終了日を両方入力してください")]
    HalfPeriod { label: &'static str },
    #[error("{label}の終了日が開始日より前になっています")]
    EndBeforeStart { label: &'static str },
    #[error("{}は{}以内です（この開始日なら{}まで）", .kind.period_label_ja(), .kind.longest_ja(), format_wareki(*.latest_end))]
    PeriodTooLong {
        kind: OrderKind,
        latest_end: NaiveDate,
    },
    #[error("特別訪問看護指示書は月{allowed}回までです（気管カニューレを使用中か真皮を越える褥瘡のある方は月2回）。今月は{}に交付済みです", format_wareki(*.last))]
    SpecialLimit { allowed: usize, last: NaiveDate },
    #[error("点滴注射指示期間は7日以内です（この開始日なら{}まで）", format_wareki(*.latest_end))]
    InfusionTooLong { latest_end: NaiveDate },
    #[error("点滴注射指示期間は{}の中にしてください", .kind.period_label_ja())]
    InfusionOutsideOrder { kind: OrderKind },
    #[error("点滴注射の指示があります。点滴注射指示期間を入力するか、指示を消してください")]
    InfusionWithoutPeriod,
    #[error("指示日は{}の開始日以前にしてください", .kind.period_label_ja())]
    IssuedAfterStart { kind: OrderKind },
    #[error("{0}の値が正しくありません")]
    UnknownChoice(&'static str),
    #[error("主たる傷病名を1つ以上入力してください")]
    NoDiagnosis,
    #[error("主たる傷病名は3つまでです")]
    TooManyDiagnoses,
    #[error("傷病名コードは7桁の数字です（例：8830052）")]
    BadDiagnosisCode,
    #[error("傷病名コードだけでなく傷病名も入力してください")]
    CodeWithoutName,
    #[error("「その他」の医療機器等の名称を入力してください")]
    OtherDeviceUnnamed,
    #[error("医療機器等の名称を書くときは「13.その他」も選んでください")]
    OtherDeviceNotChosen,
    #[error(
        "1日あたりの分は1〜{max_minutes}、週の回数は1〜{max_times}の数字で、両方入力してください"
    )]
    BadRehabilitation { max_minutes: u16, max_times: u8 },
}

impl NursingOrderError {
    /// Stable, for the program and the tests.
    pub fn code(&self) -> &'static str {
        use NursingOrderError::*;
        match self {
            Required(_) => "required",
            NoPatient => "no_patient",
            Text(_) => "invalid_text",
            Date { .. } => "invalid_date",
            HalfPeriod { .. } => "half_period",
            EndBeforeStart { .. } => "end_before_start",
            PeriodTooLong { .. } => "period_too_long",
            InfusionTooLong { .. } => "infusion_too_long",
            SpecialLimit { .. } => "special_limit",
            InfusionOutsideOrder { .. } => "infusion_outside_order",
            InfusionWithoutPeriod => "infusion_without_period",
            IssuedAfterStart { .. } => "issued_after_start",
            UnknownChoice(_) => "unknown_choice",
            NoDiagnosis => "no_diagnosis",
            TooManyDiagnoses => "too_many_diagnoses",
            BadDiagnosisCode => "bad_diagnosis_code",
            CodeWithoutName => "code_without_name",
            OtherDeviceUnnamed => "other_device_unnamed",
            OtherDeviceNotChosen => "other_device_not_chosen",
            BadRehabilitation { .. } => "bad_rehabilitation",
        }
    }

    pub fn message_ja(&self) -> String {
        self.to_string()
    }
}
