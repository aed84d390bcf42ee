//! How many 特別訪問看護指示書 a patient may have in a month: once (月1回),
//! twice (月2回) for a patient with a 気管カニューレ or a 褥瘡 deeper than
//! the dermis (真皮を越える褥瘡) — the 特別訪問看護指示加算's rule (ADR
//! 0034's sources). The month is the 指示日's. A 特別 order prints neither
//! the devices nor the 褥瘡 (様式18 has no such boxes), so whether the
//! patient qualifies for twice is read from the regular order (様式16) in
//! force on that day.

use chrono::{Datelike, NaiveDate};

use super::error::NursingOrderError;
use super::vocabulary::{MedicalDevice, UlcerDepth};

/// What the regular order in force says of the patient.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpecialOrderNeeds {
    pub tracheostomy_tube: bool,
    /// Any depth the form offers (D3–D5, Ⅲ–Ⅳ度) is beyond the dermis.
    pub ulcer_beyond_dermis: bool,
}

impl SpecialOrderNeeds {
    /// Read from a regular order's devices and 褥瘡の深さ (codes, as the
    /// form keeps them).
    pub fn of_codes(devices: &[String], ulcer_depth: &str) -> Self {
        SpecialOrderNeeds {
            tracheostomy_tube: devices
                .iter()
                .any(|d| MedicalDevice::from_code(d) == Some(MedicalDevice::TracheostomyTube)),
            ulcer_beyond_dermis: UlcerDepth::from_code(ulcer_depth).is_some(),
        }
    }

    /// 特別訪問看護指示書 a month.
    pub fn specials_per_month(self) -> usize {
        if self.tracheostomy_tube || self.ulcer_beyond_dermis {
            2
        } else {
            1
        }
    }
}

/// Whether one more 特別 order dated `issued_on` is allowed, given the
/// 指示日 of those already issued for the patient.
pub fn check_special_in_month(
    issued_on: NaiveDate,
    earlier: &[NaiveDate],
    needs: SpecialOrderNeeds,
) -> Result<(), NursingOrderError> {
    let same_month: Vec<NaiveDate> = earlier
        .iter()
        .copied()
        .filter(|d| d.year() == issued_on.year() && d.month() == issued_on.month())
        .collect();
    let allowed = needs.specials_per_month();
    if same_month.len() < allowed {
        return Ok(());
    }
    Err(NursingOrderError::SpecialLimit {
        allowed,
        last: same_month.into_iter().max().unwrap_or(issued_on),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn once_a_month_unless_a_cannula_or_a_deep_ulcer() {
        let plain = SpecialOrderNeeds::default();
        assert!(check_special_in_month(day(12, 20), &[], plain).is_ok());
        // Last month's does not count.
        assert!(check_special_in_month(day(12, 1), &[day(11, 30)], plain).is_ok());
        let refused = check_special_in_month(day(12, 20), &[day(12, 3)], plain).unwrap_err();
        let message = refused.to_string();
        assert!(
            message.contains("月1回") && message.contains("令和8年12月3日"),
            "{message}"
        );

        let cannula =
            SpecialOrderNeeds::of_codes(&["oxygen".into(), "tracheostomy_tube".into()], "");
        assert_eq!(cannula.specials_per_month(), 2);
        assert!(check_special_in_month(day(12, 20), &[day(12, 3)], cannula).is_ok());
        assert!(check_special_in_month(day(12, 28), &[day(12, 3), day(12, 17)], cannula).is_err());

        let ulcer = SpecialOrderNeeds::of_codes(&[], "design_d4");
        assert_eq!(ulcer.specials_per_month(), 2);
        assert_eq!(
            SpecialOrderNeeds::of_codes(&["oxygen".into()], "").specials_per_month(),
            1
        );
    }
}
