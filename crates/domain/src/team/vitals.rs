//! Vital signs in a 訪問報告, as fields rather than free text, so a trend
//! can be drawn and a typo (369 for 36.9) is caught where it is typed.
//! Every field is optional; the ranges are wide enough for a very ill
//! patient and narrow enough to catch a slipped digit.

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use crate::field_rules::{Checked, Collector};
use crate::normalize::nfkc;

/// The form as typed (full-width digits welcome).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VitalsDraft {
    pub body_temperature: String,
    pub systolic: String,
    pub diastolic: String,
    pub pulse: String,
    pub spo2: String,
    pub respiratory_rate: String,
    pub weight: String,
}

/// Checked vital signs. Temperature and weight are rounded to 0.1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Vitals {
    /// 体温 ℃
    pub body_temperature: Option<f64>,
    /// 血圧 上 mmHg
    pub systolic: Option<u16>,
    /// 血圧 下 mmHg
    pub diastolic: Option<u16>,
    /// 脈拍 /分
    pub pulse: Option<u16>,
    /// SpO2 %
    pub spo2: Option<u16>,
    /// 呼吸数 /分
    pub respiratory_rate: Option<u16>,
    /// 体重 kg
    pub weight: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VitalsField {
    BodyTemperature,
    Systolic,
    Diastolic,
    Pulse,
    Spo2,
    RespiratoryRate,
    Weight,
}

impl VitalsField {
    /// The UI's form field name.
    pub fn key(self) -> &'static str {
        match self {
            VitalsField::BodyTemperature => "bodyTemperature",
            VitalsField::Systolic => "systolic",
            VitalsField::Diastolic => "diastolic",
            VitalsField::Pulse => "pulse",
            VitalsField::Spo2 => "spo2",
            VitalsField::RespiratoryRate => "respiratoryRate",
            VitalsField::Weight => "weight",
        }
    }
}

pub const BODY_TEMPERATURE: RangeInclusive<f64> = 34.0..=42.0;
pub const SYSTOLIC: RangeInclusive<u16> = 40..=300;
pub const DIASTOLIC: RangeInclusive<u16> = 20..=200;
pub const PULSE: RangeInclusive<u16> = 20..=250;
pub const SPO2: RangeInclusive<u16> = 50..=100;
pub const RESPIRATORY_RATE: RangeInclusive<u16> = 4..=60;
pub const WEIGHT: RangeInclusive<f64> = 1.0..=300.0;

/// Checks every field at once; `Ok(None)` when nothing was typed.
pub fn check_vitals(draft: &VitalsDraft) -> Result<Option<Vitals>, Vec<(VitalsField, String)>> {
    use VitalsField as F;
    let mut errors = Collector::default();
    let body_temperature = errors
        .take(
            F::BodyTemperature,
            decimal(
                &draft.body_temperature,
                "体温",
                "℃",
                "36.8",
                BODY_TEMPERATURE,
            ),
        )
        .flatten();
    let systolic = errors
        .take(
            F::Systolic,
            whole(&draft.systolic, "血圧（上）", "mmHg", "120", SYSTOLIC),
        )
        .flatten();
    let diastolic = errors
        .take(
            F::Diastolic,
            whole(&draft.diastolic, "血圧（下）", "mmHg", "70", DIASTOLIC),
        )
        .flatten();
    let pulse = errors
        .take(F::Pulse, whole(&draft.pulse, "脈拍", "回/分", "72", PULSE))
        .flatten();
    let spo2 = errors
        .take(F::Spo2, whole(&draft.spo2, "SpO2", "%", "97", SPO2))
        .flatten();
    let respiratory_rate = errors
        .take(
            F::RespiratoryRate,
            whole(
                &draft.respiratory_rate,
                "呼吸数",
                "回/分",
                "16",
                RESPIRATORY_RATE,
            ),
        )
        .flatten();
    let weight = errors
        .take(
            F::Weight,
            decimal(&draft.weight, "体重", "kg", "52.5", WEIGHT),
        )
        .flatten();
    // A blood pressure is a pair, the upper above the lower.
    match (
        systolic,
        diastolic,
        draft.systolic.trim().is_empty(),
        draft.diastolic.trim().is_empty(),
    ) {
        (Some(_), None, _, true) => {
            errors.take::<()>(
                F::Diastolic,
                Err("血圧は上と下の両方を入力してください".into()),
            );
        }
        (None, Some(_), true, _) => {
            errors.take::<()>(
                F::Systolic,
                Err("血圧は上と下の両方を入力してください".into()),
            );
        }
        (Some(upper), Some(lower), _, _) if upper <= lower => {
            errors.take::<()>(
                F::Systolic,
                Err("血圧の上（収縮期）は下（拡張期）より大きい値にしてください".into()),
            );
        }
        _ => {}
    }
    let errors = errors.into_vec();
    if !errors.is_empty() {
        return Err(errors);
    }
    let vitals = Vitals {
        body_temperature,
        systolic,
        diastolic,
        pulse,
        spo2,
        respiratory_rate,
        weight,
    };
    Ok((vitals != Vitals::default()).then_some(vitals))
}

/// A number with at most one decimal place (more are rounded).
fn decimal(
    raw: &str,
    label: &str,
    unit: &str,
    example: &str,
    range: RangeInclusive<f64>,
) -> Checked<Option<f64>> {
    let text = nfkc(raw.trim());
    if text.is_empty() {
        return Ok(None);
    }
    let digits_and_a_point =
        text.chars().all(|c| c.is_ascii_digit() || c == '.') && text.matches('.').count() <= 1;
    let value = text
        .parse::<f64>()
        .ok()
        .filter(|_| digits_and_a_point)
        .ok_or_else(|| format!("{label}は数字で入力してください（例：{example}）"))?;
    let value = (value * 10.0).round() / 10.0;
    if !range.contains(&value) {
        return Err(format!(
            "{label}は{:.1}〜{:.1}{unit}の範囲で入力してください",
            range.start(),
            range.end()
        )
        .into());
    }
    Ok(Some(value))
}

/// A whole number.
fn whole(
    raw: &str,
    label: &str,
    unit: &str,
    example: &str,
    range: RangeInclusive<u16>,
) -> Checked<Option<u16>> {
    let text = nfkc(raw.trim());
    if text.is_empty() {
        return Ok(None);
    }
    let value = text
        .parse::<u16>()
        .ok()
        .filter(|_| text.chars().all(|c| c.is_ascii_digit()))
        .ok_or_else(|| format!("{label}は整数で入力してください（例：{example}）"))?;
    if !range.contains(&value) {
        return Err(format!(
            "{label}は{}〜{}{unit}の範囲で入力してください",
            range.start(),
            range.end()
        )
        .into());
    }
    Ok(Some(value))
}

#[cfg(test)]
mod tests;
