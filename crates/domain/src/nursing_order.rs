//! 訪問看護指示書 (issue 19): the family doctor's order to a visiting
//! nurse station — 別紙様式16, the regular order of up to six months, and
//! 別紙様式18, the 特別訪問看護指示書 of up to 14 days for a flare-up,
//! each with the 在宅患者訪問点滴注射指示書 when 点滴注射 is ordered for a
//! week. The form's fields as typed, the checks, and the renewal that the
//! talk's home-care team depends on: a station cannot visit on an expired
//! order. Which edition and why: ADR 0034.

use chrono::NaiveDate;

use crate::dates::parse_date;
use crate::field_rules::{Lines, TextRule, check_text};
use crate::normalize::nfkc;

mod error;
mod period;
mod vocabulary;

pub use error::{NursingOrderError, NursingOrderField};
pub use period::{
    DateRange, INFUSION_MAX_DAYS, OrderTerm, REGULAR_MAX_MONTHS, RENEWAL_NOTICE_DAYS, RenewalState,
    SPECIAL_MAX_DAYS, check_infusion, check_period, latest_end, latest_infusion_end, months_end,
    renewal_due, renewal_period, renewal_state,
};
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

type Errors = Vec<(NursingOrderField, NursingOrderError)>;

/// Checks the form; every problem at once, by field.
pub fn check_nursing_order(draft: &NursingOrderDraft) -> Result<NursingOrder, Errors> {
    use NursingOrderField as F;
    let mut errors: Errors = Vec::new();
    let kind = OrderKind::from_code(draft.kind.trim());
    if kind.is_none() {
        errors.push((F::Kind, NursingOrderError::UnknownChoice("指示書の種類")));
    }
    let label = kind.unwrap_or(OrderKind::Regular).period_label_ja();
    let mut text = |field: F, raw: &str, required: bool, max_chars: usize, lines: Lines| {
        let rule = TextRule {
            label: field.label_ja(),
            required,
            max_chars,
            lines,
        };
        check_text(raw, rule).unwrap_or_else(|rejection| {
            errors.push((field, NursingOrderError::Text(rejection)));
            String::new()
        })
    };
    let single = Lines::Single;
    let multi = Lines::Multi;
    let patient_id = text(
        F::PatientId,
        &draft.patient_id,
        true,
        NAME_MAX_CHARS,
        single,
    );
    let station = text(F::Station, &draft.station, true, NAME_MAX_CHARS, single);
    let condition = text(
        F::Condition,
        &draft.condition,
        false,
        LONG_TEXT_MAX_CHARS,
        multi,
    );
    let medication = text(
        F::Medication,
        &draft.medication,
        false,
        LONG_TEXT_MAX_CHARS,
        multi,
    );
    let device_other = text(
        F::Devices,
        &draft.device_other,
        false,
        NAME_MAX_CHARS,
        single,
    );
    let device_details = text(
        F::DeviceDetails,
        &draft.device_details,
        false,
        SHORT_TEXT_MAX_CHARS,
        multi,
    );
    let care_notes = text(
        F::CareNotes,
        &draft.care_notes,
        false,
        LONG_TEXT_MAX_CHARS,
        multi,
    );
    let wound_care = text(
        F::WoundCare,
        &draft.wound_care,
        false,
        LONG_TEXT_MAX_CHARS,
        multi,
    );
    let device_care = text(
        F::DeviceCare,
        &draft.device_care,
        false,
        LONG_TEXT_MAX_CHARS,
        multi,
    );
    let other_instructions = text(
        F::OtherInstructions,
        &draft.other_instructions,
        false,
        LONG_TEXT_MAX_CHARS,
        multi,
    );
    let infusion_instructions = text(
        F::InfusionInstructions,
        &draft.infusion_instructions,
        false,
        LONG_TEXT_MAX_CHARS,
        multi,
    );
    let emergency_contact = text(
        F::EmergencyContact,
        &draft.emergency_contact,
        true,
        SHORT_TEXT_MAX_CHARS,
        multi,
    );
    let when_absent = text(
        F::WhenAbsent,
        &draft.when_absent,
        false,
        SHORT_TEXT_MAX_CHARS,
        multi,
    );
    let special_notes = text(
        F::SpecialNotes,
        &draft.special_notes,
        false,
        LONG_TEXT_MAX_CHARS,
        multi,
    );
    let other_station = text(
        F::OtherStation,
        &draft.other_station,
        false,
        NAME_MAX_CHARS,
        single,
    );
    let suction_provider = text(
        F::SuctionProvider,
        &draft.suction_provider,
        false,
        NAME_MAX_CHARS,
        single,
    );
    let frequent_visit_reason = text(
        F::FrequentVisitReason,
        &draft.frequent_visit_reason,
        kind == Some(OrderKind::Special),
        LONG_TEXT_MAX_CHARS,
        multi,
    );

    let issued_on = take(
        &mut errors,
        F::IssuedOn,
        required_date(&draft.issued_on, "指示日"),
    );
    let period = take(
        &mut errors,
        F::Period,
        date_range(&draft.starts_on, &draft.ends_on, label, true),
    )
    .flatten();
    let infusion = take(
        &mut errors,
        F::InfusionPeriod,
        date_range(
            &draft.infusion_starts_on,
            &draft.infusion_ends_on,
            "点滴注射指示期間",
            false,
        ),
    );
    if let Some(None) = infusion
        && !infusion_instructions.is_empty()
    {
        errors.push((F::InfusionPeriod, NursingOrderError::InfusionWithoutPeriod));
    }
    let term = match (kind, period, infusion) {
        (Some(kind), Some(period), Some(infusion)) => {
            match OrderTerm::new(kind, period, infusion) {
                Ok(term) => Some(term),
                Err(problems) => {
                    errors.extend(problems);
                    None
                }
            }
        }
        _ => None,
    };
    if let (Some(kind), Some(issued_on), Some(period)) = (kind, issued_on, period)
        && issued_on > period.start
    {
        errors.push((F::IssuedOn, NursingOrderError::IssuedAfterStart { kind }));
    }

    // 様式18 has no box for the diagnoses: the regular order names them.
    let diagnoses = if kind == Some(OrderKind::Special) {
        Some(Vec::new())
    } else {
        take(&mut errors, F::Diagnoses, check_diagnoses(&draft.diagnoses))
    };
    let bedridden_level = choice(
        &mut errors,
        F::BedriddenLevel,
        &draft.bedridden_level,
        BedriddenLevel::from_code,
    );
    let dementia_level = choice(
        &mut errors,
        F::DementiaLevel,
        &draft.dementia_level,
        DementiaLevel::from_code,
    );
    let care_level = choice(
        &mut errors,
        F::CareLevel,
        &draft.care_level,
        CareLevel::from_code,
    );
    let ulcer_depth = choice(
        &mut errors,
        F::UlcerDepth,
        &draft.ulcer_depth,
        UlcerDepth::from_code,
    );
    let devices = take(
        &mut errors,
        F::Devices,
        check_devices(&draft.devices, &device_other),
    );
    let rehabilitation = take(
        &mut errors,
        F::Rehabilitation,
        check_rehabilitation(&draft.rehab_minutes_per_day, &draft.rehab_times_per_week),
    );

    let (Some(term), Some(issued_on), Some(diagnoses), Some(devices), Some(rehabilitation)) =
        (term, issued_on, diagnoses, devices, rehabilitation)
    else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut order = NursingOrder {
        term,
        patient_id,
        station,
        issued_on,
        diagnoses,
        condition,
        medication,
        bedridden_level,
        dementia_level,
        care_level,
        ulcer_depth,
        devices,
        device_other,
        device_details,
        care_notes,
        rehabilitation,
        wound_care,
        device_care,
        other_instructions,
        infusion_instructions,
        emergency_contact,
        when_absent,
        special_notes,
        other_station,
        suction_provider,
        frequent_visit_reason,
    };
    keep_only_the_forms_fields(&mut order);
    Ok(order)
}

/// 様式18 has no boxes for the 様式16-only fields, and 様式16 none for the
/// reason for frequent visits: the checked order holds what prints.
fn keep_only_the_forms_fields(order: &mut NursingOrder) {
    match order.kind() {
        OrderKind::Regular => order.frequent_visit_reason.clear(),
        OrderKind::Special => {
            order.diagnoses.clear();
            order.medication.clear();
            order.bedridden_level = None;
            order.dementia_level = None;
            order.care_level = None;
            order.ulcer_depth = None;
            order.devices.clear();
            order.device_other.clear();
            order.device_details.clear();
            order.rehabilitation = None;
            order.wound_care.clear();
            order.device_care.clear();
            order.other_instructions.clear();
            order.when_absent.clear();
            order.special_notes.clear();
            order.other_station.clear();
            order.suction_provider.clear();
        }
    }
}

fn take<T>(
    errors: &mut Errors,
    field: NursingOrderField,
    result: Result<T, NursingOrderError>,
) -> Option<T> {
    result.map_err(|e| errors.push((field, e))).ok()
}

fn choice<T>(
    errors: &mut Errors,
    field: NursingOrderField,
    raw: &str,
    from_code: fn(&str) -> Option<T>,
) -> Option<T> {
    let code = raw.trim();
    if code.is_empty() {
        return None;
    }
    let chosen = from_code(code);
    if chosen.is_none() {
        errors.push((field, NursingOrderError::UnknownChoice(field.label_ja())));
    }
    chosen
}

fn required_date(raw: &str, label: &'static str) -> Result<NaiveDate, NursingOrderError> {
    if raw.trim().is_empty() {
        return Err(NursingOrderError::Required(label));
    }
    parse_date(raw).map_err(|error| NursingOrderError::Date { label, error })
}

/// Both days, or (when not `required`) neither: `Ok(None)`.
fn date_range(
    start: &str,
    end: &str,
    label: &'static str,
    required: bool,
) -> Result<Option<DateRange>, NursingOrderError> {
    match (start.trim().is_empty(), end.trim().is_empty()) {
        (true, true) if required => Err(NursingOrderError::Required(label)),
        (true, true) => Ok(None),
        (false, false) => {
            let read =
                |raw| parse_date(raw).map_err(|error| NursingOrderError::Date { label, error });
            Ok(Some(DateRange {
                start: read(start)?,
                end: read(end)?,
            }))
        }
        _ => Err(NursingOrderError::HalfPeriod { label }),
    }
}

fn check_diagnoses(rows: &[DiagnosisDraft]) -> Result<Vec<Diagnosis>, NursingOrderError> {
    let mut out = Vec::new();
    for row in rows {
        let name = row.name.trim();
        let code = nfkc(row.code.trim());
        if name.is_empty() && code.is_empty() {
            continue;
        }
        if name.is_empty() {
            return Err(NursingOrderError::CodeWithoutName);
        }
        let rule = TextRule {
            label: "主たる傷病名",
            required: true,
            max_chars: DIAGNOSIS_MAX_CHARS,
            lines: Lines::Single,
        };
        let name = check_text(name, rule).map_err(NursingOrderError::Text)?;
        let code = match code.as_str() {
            "" => None,
            digits if digits.len() == 7 && digits.bytes().all(|b| b.is_ascii_digit()) => {
                Some(code.clone())
            }
            _ => return Err(NursingOrderError::BadDiagnosisCode),
        };
        out.push(Diagnosis { name, code });
    }
    if out.is_empty() {
        return Err(NursingOrderError::NoDiagnosis);
    }
    if out.len() > MAX_DIAGNOSES {
        return Err(NursingOrderError::TooManyDiagnoses);
    }
    Ok(out)
}

fn check_devices(
    codes: &[String],
    other_name: &str,
) -> Result<Vec<MedicalDevice>, NursingOrderError> {
    let mut chosen = Vec::new();
    for code in codes {
        let device = MedicalDevice::from_code(code.trim())
            .ok_or(NursingOrderError::UnknownChoice("装着・使用医療機器等"))?;
        chosen.push(device);
    }
    let has_other = chosen.contains(&MedicalDevice::Other);
    if has_other && other_name.is_empty() {
        return Err(NursingOrderError::OtherDeviceUnnamed);
    }
    if !has_other && !other_name.is_empty() {
        return Err(NursingOrderError::OtherDeviceNotChosen);
    }
    // Once each, in the form's order, however the form sent them.
    Ok(MedicalDevice::ALL
        .iter()
        .copied()
        .filter(|d| chosen.contains(d))
        .collect())
}

fn check_rehabilitation(
    minutes: &str,
    times: &str,
) -> Result<Option<Rehabilitation>, NursingOrderError> {
    let (minutes, times) = (nfkc(minutes.trim()), nfkc(times.trim()));
    if minutes.is_empty() && times.is_empty() {
        return Ok(None);
    }
    let bad = NursingOrderError::BadRehabilitation {
        max_minutes: REHAB_MAX_MINUTES,
        max_times: REHAB_MAX_TIMES,
    };
    let minutes_per_day = minutes.parse::<u16>().map_err(|_| bad.clone())?;
    let times_per_week = times.parse::<u8>().map_err(|_| bad.clone())?;
    if !(1..=REHAB_MAX_MINUTES).contains(&minutes_per_day)
        || !(1..=REHAB_MAX_TIMES).contains(&times_per_week)
    {
        return Err(bad);
    }
    Ok(Some(Rehabilitation {
        minutes_per_day,
        times_per_week,
    }))
}

mod renewal;
pub use renewal::{renewal_draft, to_draft};

#[cfg(test)]
mod tests;
