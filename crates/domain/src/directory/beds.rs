//! 空床 (issue 18): a hospital says how many beds of each ward type it has
//! and how many are free now, on one screen; the desk sees the region's
//! summary, each figure with its time.

use crate::field_rules::Rejection;

/// The ward types the region counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WardType {
    General,
    CommunityCare,
    Rehabilitation,
    Palliative,
    LongTerm,
    Respite,
}

impl WardType {
    pub const ALL: [WardType; 6] = [
        WardType::General,
        WardType::CommunityCare,
        WardType::Rehabilitation,
        WardType::Palliative,
        WardType::LongTerm,
        WardType::Respite,
    ];

    pub fn code(self) -> &'static str {
        match self {
            WardType::General => "general",
            WardType::CommunityCare => "community_care",
            WardType::Rehabilitation => "rehabilitation",
            WardType::Palliative => "palliative",
            WardType::LongTerm => "long_term",
            WardType::Respite => "respite",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            WardType::General => "一般",
            WardType::CommunityCare => "地域包括ケア",
            WardType::Rehabilitation => "回復期リハビリ",
            WardType::Palliative => "緩和ケア",
            WardType::LongTerm => "療養",
            WardType::Respite => "レスパイト",
        }
    }
}

/// The most beds of one type a hospital may say it has.
pub const MAX_BEDS: u16 = 2000;

/// One ward type's figures as typed: the beds it has and those free now.
/// Both empty: the hospital has none of this type.
pub fn check_beds(
    ward: WardType,
    capacity: &str,
    available: &str,
) -> Result<Option<(u16, u16)>, Rejection> {
    let read = |raw: &str| crate::normalize::nfkc(raw.trim());
    let (capacity, available) = (read(capacity), read(available));
    if capacity.is_empty() && available.is_empty() {
        return Ok(None);
    }
    let label = ward.label_ja();
    let capacity: u16 = capacity
        .parse()
        .ok()
        .filter(|n| *n <= MAX_BEDS)
        .ok_or_else(|| {
            Rejection(format!(
                "{label}の病床数は0〜{MAX_BEDS}の数字で入力してください"
            ))
        })?;
    let available: i64 = available
        .parse()
        .map_err(|_| Rejection(format!("{label}の空床数を数字で入力してください")))?;
    if available < 0 {
        return Err(format!("{label}の空床数は0以上にしてください").into());
    }
    if available > i64::from(capacity) {
        return Err(format!("{label}の空床数が病床数（{capacity}床）を超えています").into());
    }
    Ok(Some((capacity, available as u16)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_beds_are_between_none_and_all_of_the_wards() {
        assert_eq!(check_beds(WardType::General, "40", "３"), Ok(Some((40, 3))));
        assert_eq!(check_beds(WardType::General, "", " "), Ok(None));
        assert_eq!(check_beds(WardType::Respite, "2", "0"), Ok(Some((2, 0))));
        let refused = |c, a| check_beds(WardType::CommunityCare, c, a).unwrap_err().0;
        assert!(refused("40", "-1").contains("0以上"));
        assert!(refused("40", "41").contains("病床数（40床）を超えています"));
        assert!(refused("40", "").contains("空床数を数字で"));
        assert!(refused("", "3").contains("病床数は0〜2000"));
        assert!(refused("5000", "3").contains("病床数は0〜2000"));
        assert!(refused("40", "三").contains("地域包括ケアの空床数"));
        for w in WardType::ALL {
            assert_eq!(WardType::from_code(w.code()), Some(w));
        }
    }
}
