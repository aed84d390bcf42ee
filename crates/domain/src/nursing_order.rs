//! 訪問看護指示書 (issue 19): the family doctor's order to a visiting
//! nurse station — 別紙様式16, the regular order of up to six months, and
//! 別紙様式18, the 特別訪問看護指示書 of up to 14 days for a flare-up,
//! each with the 在宅患者訪問点滴注射指示書 when 点滴注射 is ordered for a
//! week. The form's fields as typed, the checks, and the renewal that the
//! talk's home-care team depends on: a station cannot visit on an expired
//! order. Which edition and why: ADR 0034.

use chrono::NaiveDate;

mod check;
mod error;
mod period;
mod special_limit;
mod vocabulary;

pub use check::check_nursing_order;
pub use error::{NursingOrderError, NursingOrderField};
pub use period::{
    DateRange, INFUSION_MAX_DAYS, OrderTerm, REGULAR_MAX_MONTHS, RENEWAL_NOTICE_DAYS, RenewalState,
    SPECIAL_MAX_DAYS, check_infusion, check_period, latest_end, latest_infusion_end, months_end,
    renewal_due, renewal_period, renewal_reminder, renewal_state,
};
pub use special_limit::{SpecialOrderNeeds, check_special_in_month};
pub use vocabulary::{BedriddenLevel, CareLevel, DementiaLevel, MedicalDevice, UlcerDepth};

/// Which form: the regular order (別紙様式16) or the special one (別紙様式18).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderKind {
    Regular,
    Special,
}

impl OrderKind {
    pub const ALL: [OrderKind; 2] = [OrderKind::Regular, OrderKind::Special];

    pub fn code(self) -> &'static str {
        match self {
            OrderKind::Regular => "regular",
            OrderKind::Special => "special",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The form's title.
    pub fn label_ja(self) -> &'static str {
        match self {
            OrderKind::Regular => "訪問看護指示書",
            OrderKind::Special => "特別訪問看護指示書",
        }
    }

    /// The form's number in the fee schedule's notice.
    pub fn form_number_ja(self) -> &'static str {
        match self {
            OrderKind::Regular => "別紙様式16",
            OrderKind::Special => "別紙様式18",
        }
    }

    /// What the form calls the order's period.
    pub fn period_label_ja(self) -> &'static str {
        match self {
            OrderKind::Regular => "訪問看護指示期間",
            OrderKind::Special => "特別看護指示期間",
        }
    }

    /// The longest period, in words.
    pub fn longest_ja(self) -> &'static str {
        match self {
            OrderKind::Regular => "6か月",
            OrderKind::Special => "14日",
        }
    }
}

/// A 主たる傷病名 as typed, with its 傷病名コード (optional; added to the
/// form in 2024).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiagnosisDraft {
    pub name: String,
    pub code: String,
}

/// The order form as typed. Dates are read as the rest of the app reads
/// them (western or 和暦). A 特別 order's form has only the period, the
/// 点滴注射 period, 病状・主訴 (`condition`), the reason for frequent
/// visits, 留意事項及び指示事項 (`care_notes`), the 点滴注射 instructions
/// and the emergency contact: what else is typed is not kept for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NursingOrderDraft {
    /// An [`OrderKind`] code.
    pub kind: String,
    /// The patient's record; the form prints name, birth date, address and
    /// phone from it.
    pub patient_id: String,
    /// 宛先: the visiting nurse station (…殿).
    pub station: String,
    /// 指示日
    pub issued_on: String,
    pub starts_on: String,
    pub ends_on: String,
    /// Both empty when no 点滴注射 is ordered.
    pub infusion_starts_on: String,
    pub infusion_ends_on: String,
    /// Up to three; empty rows are skipped.
    pub diagnoses: Vec<DiagnosisDraft>,
    /// 病状・治療状態 (様式18: 病状・主訴)
    pub condition: String,
    /// 投与中の薬剤の用量・用法, one per line.
    pub medication: String,
    /// Codes of the closed sets, or empty.
    pub bedridden_level: String,
    pub dementia_level: String,
    pub care_level: String,
    pub ulcer_depth: String,
    /// [`MedicalDevice`] codes.
    pub devices: Vec<String>,
    /// The name written after 「13.その他」.
    pub device_other: String,
    /// What the form asks beside the devices: oxygen flow, tube and
    /// catheter sizes and how often they are changed, ventilator settings.
    pub device_details: String,
    /// Ⅰ 療養生活指導上の留意事項 (様式18: 留意事項及び指示事項)
    pub care_notes: String,
    /// Ⅱ1: minutes a day and visits a week by a therapist; both or none.
    pub rehab_minutes_per_day: String,
    pub rehab_times_per_week: String,
    /// Ⅱ2 褥瘡の処置等
    pub wound_care: String,
    /// Ⅱ3 装着・使用医療機器等の操作援助・管理
    pub device_care: String,
    /// Ⅱ4 その他
    pub other_instructions: String,
    /// 在宅患者訪問点滴注射に関する指示（投与薬剤・投与量・投与方法等）
    pub infusion_instructions: String,
    /// 緊急時の連絡先 (required: the clinic's number at least, as C007
    /// requires since 2024).
    pub emergency_contact: String,
    /// 不在時の対応
    pub when_absent: String,
    /// 特記すべき留意事項
    pub special_notes: String,
    /// 他の訪問看護ステーションへの指示: its name, or empty for 無.
    pub other_station: String,
    /// たんの吸引等実施のための訪問介護事業所への指示: its name, or empty
    /// for 無.
    pub suction_provider: String,
    /// 様式18: 一時的に訪問看護が頻回に必要な理由
    pub frequent_visit_reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    pub name: String,
    /// Seven digits, when given.
    pub code: Option<String>,
}

/// Ⅱ1 of 様式16: 1日あたり（　）分を週（　）回.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rehabilitation {
    pub minutes_per_day: u16,
    pub times_per_week: u8,
}

/// A checked order: what the form prints (texts trimmed, 様式16-only
/// fields empty on a 特別 order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NursingOrder {
    pub term: OrderTerm,
    pub patient_id: String,
    pub station: String,
    pub issued_on: NaiveDate,
    pub diagnoses: Vec<Diagnosis>,
    pub condition: String,
    pub medication: String,
    pub bedridden_level: Option<BedriddenLevel>,
    pub dementia_level: Option<DementiaLevel>,
    pub care_level: Option<CareLevel>,
    pub ulcer_depth: Option<UlcerDepth>,
    /// In the form's order, once each.
    pub devices: Vec<MedicalDevice>,
    pub device_other: String,
    pub device_details: String,
    pub care_notes: String,
    pub rehabilitation: Option<Rehabilitation>,
    pub wound_care: String,
    pub device_care: String,
    pub other_instructions: String,
    pub infusion_instructions: String,
    pub emergency_contact: String,
    pub when_absent: String,
    pub special_notes: String,
    pub other_station: String,
    pub suction_provider: String,
    pub frequent_visit_reason: String,
}

impl NursingOrder {
    pub fn kind(&self) -> OrderKind {
        self.term.kind()
    }

    /// The form's title: 「訪問看護指示書」, with 「・在宅患者訪問点滴注射指示書」
    /// when 点滴注射 is ordered (the printed form circles both).
    pub fn title_ja(&self) -> String {
        match self.term.infusion() {
            Some(_) => format!("{}・在宅患者訪問点滴注射指示書", self.kind().label_ja()),
            None => self.kind().label_ja().to_string(),
        }
    }
}

pub const MAX_DIAGNOSES: usize = 3;
pub const DIAGNOSIS_MAX_CHARS: usize = 100;
pub const NAME_MAX_CHARS: usize = 100;
/// The long boxes (病状, 留意事項, 指示): room for a page of text, which
/// the PDF carries onto a 続紙.
pub const LONG_TEXT_MAX_CHARS: usize = 2_000;
/// The short boxes (緊急時の連絡先, 不在時の対応, 機器の詳細).
pub const SHORT_TEXT_MAX_CHARS: usize = 500;
pub const REHAB_MAX_MINUTES: u16 = 1_440;
pub const REHAB_MAX_TIMES: u8 = 21;

mod renewal;
pub use renewal::{ENDING_REASON_MAX_CHARS, check_ending_reason, renewal_draft, to_draft};

#[cfg(test)]
mod tests;
