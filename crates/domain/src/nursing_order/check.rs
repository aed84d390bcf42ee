//! Reading and checking the typed form: every field's rule, every problem
//! reported at once by field.

use chrono::NaiveDate;

use crate::dates::parse_date;
use crate::field_rules::{Lines, TextRule, check_text};
use crate::normalize::nfkc;

use super::{
    BedriddenLevel, CareLevel, DIAGNOSIS_MAX_CHARS, DateRange, DementiaLevel, Diagnosis,
    DiagnosisDraft, LONG_TEXT_MAX_CHARS, MAX_DIAGNOSES, MedicalDevice, NAME_MAX_CHARS,
    NursingOrder, NursingOrderDraft, NursingOrderError, NursingOrderField, OrderKind, OrderTerm,
    REHAB_MAX_MINUTES, REHAB_MAX_TIMES, Rehabilitation, SHORT_TEXT_MAX_CHARS, UlcerDepth,
};

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
    // The patient is chosen from the records, not typed.
    let no_patient = draft.patient_id.trim().is_empty();
    if no_patient {
        errors.push((F::PatientId, NursingOrderError::NoPatient));
    }
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
    let patient_id = if no_patient {
        String::new()
    } else {
        text(
            F::PatientId,
            &draft.patient_id,
            true,
            NAME_MAX_CHARS,
            single,
        )
    };
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
