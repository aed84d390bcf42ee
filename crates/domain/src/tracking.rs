//! The tracking code printed on a referral letter (and in its QR code), which
//! a hospital liaison types into the regional portal to find the referral.
//!
//! Nine Crockford base32 symbols (no I, L, O, U: nothing to misread), shown
//! as `7KQ-M4T-Z9X`: 40 random bits and a Luhn mod 32 check symbol that
//! catches any one mistyped symbol and nearly every swap of neighbours. The
//! code is random, so it reveals nothing about the patient or the clinic.

use std::fmt;

use crate::normalize::nfkc;

const DATA_SYMBOLS: u32 = 8;
const DATA_BITS: u32 = DATA_SYMBOLS * 5;
const SYMBOLS: usize = DATA_SYMBOLS as usize + 1;
/// Crockford's alphabet: the value of a symbol is its index.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TrackingCode {
    data: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TrackingCodeError {
    #[error("追跡コードは9文字です（例: 7KQ-M4T-Z9X）")]
    WrongLength,
    #[error("追跡コードに使えない文字が含まれています")]
    BadSymbol,
    #[error("追跡コードが正しくありません。打ち間違いがないか確かめてください")]
    CheckFailed,
}

impl TrackingCode {
    /// A code from random bits (the low 40 are used); the caller supplies
    /// the randomness so that this crate stays pure.
    pub fn from_random_bits(bits: u64) -> TrackingCode {
        TrackingCode {
            data: bits & ((1 << DATA_BITS) - 1),
        }
    }

    /// Reads what a person typed: any case, full or half width, with or
    /// without hyphens and spaces; I and L are read as 1, O as 0.
    pub fn parse(input: &str) -> Result<TrackingCode, TrackingCodeError> {
        let compact: String = nfkc(input)
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if compact.chars().count() != SYMBOLS {
            return Err(TrackingCodeError::WrongLength);
        }
        if !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(TrackingCodeError::BadSymbol);
        }
        let value = crockford::decode(&compact).map_err(|_| TrackingCodeError::BadSymbol)?;
        let code = TrackingCode { data: value >> 5 };
        if check_value(code.data_values()) != (value & 31) as usize {
            return Err(TrackingCodeError::CheckFailed);
        }
        Ok(code)
    }

    /// The nine symbols without hyphens, e.g. for the QR code.
    pub fn compact(&self) -> String {
        let mut values = self.data_values().to_vec();
        values.push(check_value(self.data_values()));
        values.iter().map(|&v| char::from(ALPHABET[v])).collect()
    }

    fn data_values(&self) -> [usize; DATA_SYMBOLS as usize] {
        std::array::from_fn(|i| {
            let shift = (DATA_SYMBOLS as usize - 1 - i) * 5;
            ((self.data >> shift) & 31) as usize
        })
    }
}

impl fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let compact = self.compact();
        write!(
            f,
            "{}-{}-{}",
            &compact[0..3],
            &compact[3..6],
            &compact[6..9]
        )
    }
}

/// Luhn mod N (N = 32): the symbol that makes the whole code check.
fn check_value(values: [usize; DATA_SYMBOLS as usize]) -> usize {
    const N: usize = 32;
    let mut sum = 0;
    // From the right, every other symbol (starting with the rightmost data
    // symbol, since the check symbol will sit after it) is doubled.
    for (i, &v) in values.iter().rev().enumerate() {
        let addend = if i % 2 == 0 { v * 2 } else { v };
        sum += addend / N + addend % N;
    }
    (N - sum % N) % N
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> TrackingCode {
        TrackingCode::from_random_bits(0x9a_3c5e_71f2)
    }

    #[test]
    fn a_code_reads_back_from_what_a_person_types() {
        let code = sample();
        let shown = code.to_string();
        assert_eq!(shown.len(), 11);
        assert_eq!(TrackingCode::parse(&shown), Ok(code));
        assert_eq!(TrackingCode::parse(&shown.to_lowercase()), Ok(code));
        assert_eq!(TrackingCode::parse(&code.compact()), Ok(code));
        let spaced = shown.replace('-', " ");
        assert_eq!(TrackingCode::parse(&format!(" {spaced} ")), Ok(code));
        let full_width: String = shown
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
            .collect();
        assert_eq!(TrackingCode::parse(&full_width), Ok(code));
    }

    #[test]
    fn the_alphabet_has_nothing_to_misread_and_o_reads_as_zero() {
        for bits in [0u64, 1, 0xff_ffff_ffff, 0x12_3456_789a] {
            let compact = TrackingCode::from_random_bits(bits).compact();
            assert!(!compact.contains(['I', 'L', 'O', 'U']), "{compact}");
        }
        let zero = TrackingCode::from_random_bits(0).compact();
        assert_eq!(zero, "000000000");
        assert_eq!(
            TrackingCode::parse("OOO-OOO-OOO"),
            Ok(TrackingCode::from_random_bits(0))
        );
    }

    #[test]
    fn every_single_typo_and_neighbour_swap_is_caught() {
        let codes = [sample(), TrackingCode::from_random_bits(0x01_2345_6789)];
        for code in codes {
            let good: Vec<u8> = code.compact().into_bytes();
            for i in 0..SYMBOLS {
                for &other in ALPHABET {
                    if other == good[i] {
                        continue;
                    }
                    let mut typo = good.clone();
                    typo[i] = other;
                    let typo = String::from_utf8(typo).unwrap();
                    assert!(TrackingCode::parse(&typo).is_err(), "{typo}");
                }
                if i + 1 < SYMBOLS && good[i] != good[i + 1] {
                    let mut swapped = good.clone();
                    swapped.swap(i, i + 1);
                    let swapped = String::from_utf8(swapped).unwrap();
                    assert!(TrackingCode::parse(&swapped).is_err(), "{swapped}");
                }
            }
        }
    }

    #[test]
    fn malformed_input_is_told_apart() {
        assert_eq!(TrackingCode::parse(""), Err(TrackingCodeError::WrongLength));
        assert_eq!(
            TrackingCode::parse("7KQ-M4T"),
            Err(TrackingCodeError::WrongLength)
        );
        assert_eq!(
            TrackingCode::parse("7KQ-M4T-Z9あ"),
            Err(TrackingCodeError::BadSymbol)
        );
        assert_eq!(
            TrackingCode::parse("7KQ-M4T-Z9U"),
            Err(TrackingCodeError::BadSymbol)
        );
    }
}
