//! Character-level normalisation shared by search and validation.

use unicode_normalization::UnicodeNormalization;

/// NFKC folds what Japanese IMEs and old systems produce into one form:
/// half-width katakana (ﾔﾏﾀﾞ → ヤマダ), full-width digits and latin
/// (１２３ → 123), full-width punctuation (／ → /) and era squares (㍼ → 昭和).
pub fn nfkc(s: &str) -> String {
    s.nfkc().collect()
}

/// Dashes people type for a hyphen. In kana input mode the IME turns "-"
/// into the long vowel mark ー, and pasted text brings minus signs and
/// en/em dashes, so all of them are read as a hyphen in numbers and dates.
pub fn is_dash_like(c: char) -> bool {
    matches!(
        c,
        '-' | 'ー' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '－' | 'ｰ'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfkc_folds_widths() {
        assert_eq!(nfkc("ﾔﾏﾀﾞ"), "ヤマダ");
        assert_eq!(nfkc("ＡＢＣ１２３"), "ABC123");
        assert_eq!(nfkc("１９５０／４／１"), "1950/4/1");
        assert_eq!(nfkc("㍼"), "昭和");
    }

    #[test]
    fn dashes() {
        for c in ['-', 'ー', '−', '－', '–'] {
            assert!(is_dash_like(c), "{c}");
        }
        assert!(!is_dash_like('/'));
        assert!(!is_dash_like('1'));
    }
}
