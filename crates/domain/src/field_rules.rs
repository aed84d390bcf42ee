//! Checks shared by the patient and clinic forms. Each returns the value to
//! store or a Japanese message for the field; the forms collect them.

use crate::normalize::{is_dash_like, nfkc};

/// Why a field's value was refused: the Japanese message shown under the
/// field, as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection(pub String);

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for Rejection {
    fn from(message: String) -> Self {
        Rejection(message)
    }
}

impl From<&str> for Rejection {
    fn from(message: &str) -> Self {
        Rejection(message.to_owned())
    }
}

impl From<crate::DateError> for Rejection {
    fn from(error: crate::DateError) -> Self {
        Rejection(error.to_string())
    }
}

/// What a field check returns: the value to store, or why it was refused.
pub type Checked<T> = Result<T, Rejection>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lines {
    Single,
    /// Newlines and tabs allowed, as in addresses and notes.
    Multi,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct TextRule {
    pub label: &'static str,
    pub required: bool,
    pub max_chars: usize,
    pub lines: Lines,
}

/// Trimmed text (full-width spaces too), otherwise kept as typed.
pub(crate) fn check_text(raw: &str, rule: TextRule) -> Checked<String> {
    let value = raw.trim();
    if value.is_empty() && rule.required {
        return Err(format!("{}を入力してください", rule.label).into());
    }
    check_length(value, rule.label, rule.max_chars)?;
    check_characters(value, rule.label, rule.lines)?;
    Ok(value.to_owned())
}

// Counted in characters, not bytes: a kanji is one character to the user.
pub(crate) fn check_length(value: &str, label: &str, max_chars: usize) -> Checked<()> {
    let count = value.chars().count();
    if count > max_chars {
        return Err(format!(
            "{label}は{}文字以内で入力してください（現在{}文字）",
            with_thousands(max_chars),
            with_thousands(count)
        )
        .into());
    }
    Ok(())
}

fn check_characters(value: &str, label: &str, lines: Lines) -> Checked<()> {
    if lines == Lines::Single && value.contains(['\n', '\r']) {
        return Err(format!("{label}は1行で入力してください（改行は使えません）").into());
    }
    let allowed_control = |c: char| lines == Lines::Multi && matches!(c, '\n' | '\r' | '\t');
    if value.chars().any(|c| c.is_control() && !allowed_control(c)) {
        return Err(format!(
            "{label}に使えない文字（制御文字）が含まれています。貼り付けた場合は入力し直してください"
        ).into());
    }
    Ok(())
}

/// Gathers every field's message so a form reports all problems at once.
pub(crate) struct Collector<F> {
    errors: Vec<(F, String)>,
}

impl<F> Default for Collector<F> {
    fn default() -> Self {
        Collector { errors: Vec::new() }
    }
}

impl<F> Collector<F> {
    pub fn take<T>(&mut self, field: F, result: Checked<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(Rejection(message)) => {
                self.errors.push((field, message));
                None
            }
        }
    }

    pub fn into_vec(self) -> Vec<(F, String)> {
        self.errors
    }
}

pub(crate) const PHONE_MAX_CHARS: usize = 20;

/// NFKC with every dash read as a hyphen, so "０３ー１２３４ー５６７８"
/// typed in kana mode is stored as "03-1234-5678".
pub fn check_phone(raw: &str, label: &str, required: bool) -> Checked<String> {
    let value = with_hyphens(&nfkc(raw.trim()));
    if value.is_empty() {
        return if required {
            Err(format!("{label}を入力してください").into())
        } else {
            Ok(value)
        };
    }
    check_length(&value, label, PHONE_MAX_CHARS)?;
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, '-' | '(' | ')' | '+' | ' ');
    if !value.chars().all(allowed) || !value.chars().any(|c| c.is_ascii_digit()) {
        return Err(
            format!("{label}は数字とハイフンで入力してください（例：03-1234-5678）").into(),
        );
    }
    Ok(value)
}

pub(crate) fn with_hyphens(s: &str) -> String {
    s.chars()
        .map(|c| if is_dash_like(c) { '-' } else { c })
        .collect()
}

/// "100,000": limits and counts read more easily with separators.
pub(crate) fn with_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME: TextRule = TextRule {
        label: "氏名",
        required: true,
        max_chars: 5,
        lines: Lines::Single,
    };

    const NOTE: TextRule = TextRule {
        label: "メモ",
        required: false,
        max_chars: 100,
        lines: Lines::Multi,
    };

    #[test]
    fn thousands() {
        assert_eq!(with_thousands(0), "0");
        assert_eq!(with_thousands(999), "999");
        assert_eq!(with_thousands(1000), "1,000");
        assert_eq!(with_thousands(10_000), "10,000");
        assert_eq!(with_thousands(100_000), "100,000");
        assert_eq!(with_thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn text_is_trimmed_and_required() {
        assert_eq!(check_text("　山田 ", NAME), Ok("山田".to_owned()));
        assert_eq!(
            check_text(" 　", NAME),
            Err("氏名を入力してください".into())
        );
        assert_eq!(check_text("", NOTE), Ok(String::new()));
    }

    #[test]
    fn length_counts_characters() {
        assert_eq!(check_text("山田山田山", NAME), Ok("山田山田山".to_owned()));
        assert_eq!(
            check_text("山田山田山田", NAME),
            Err("氏名は5文字以内で入力してください（現在6文字）".into())
        );
    }

    #[test]
    fn control_characters() {
        assert!(check_text("山\n田", NAME).unwrap_err().0.contains("1行"));
        assert!(
            check_text("山\u{7}田", NAME)
                .unwrap_err()
                .0
                .contains("制御文字")
        );
        assert!(
            check_text("山\t田", NAME)
                .unwrap_err()
                .0
                .contains("制御文字")
        );
        assert_eq!(
            check_text("一\r\n二\t三", NOTE),
            Ok("一\r\n二\t三".to_owned())
        );
        assert!(
            check_text("一\u{0}二", NOTE)
                .unwrap_err()
                .0
                .contains("制御文字")
        );
    }

    #[test]
    fn phones() {
        assert_eq!(
            check_phone("03-1234-5678", "電話番号", true),
            Ok("03-1234-5678".to_owned())
        );
        assert_eq!(
            check_phone("０３ー１２３４ー５６７８", "電話番号", true),
            Ok("03-1234-5678".to_owned())
        );
        assert_eq!(
            check_phone("（03）1234 5678", "電話番号", true),
            Ok("(03)1234 5678".to_owned())
        );
        assert_eq!(
            check_phone("+81 3 1234 5678", "電話番号", true),
            Ok("+81 3 1234 5678".to_owned())
        );
        assert_eq!(check_phone("", "電話番号", false), Ok(String::new()));
        assert_eq!(
            check_phone(" ", "電話番号", true),
            Err("電話番号を入力してください".into())
        );
        assert_eq!(
            check_phone("03-1234-abcd", "電話番号", false),
            Err("電話番号は数字とハイフンで入力してください（例：03-1234-5678）".into())
        );
        assert!(check_phone("--", "電話番号", false).is_err());
        assert_eq!(
            check_phone("0312345678901234567890", "電話番号", false),
            Err("電話番号は20文字以内で入力してください（現在22文字）".into())
        );
    }
}
