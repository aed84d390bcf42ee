//! Lab results (検査結果) attached to a referral or discharge letter
//! (issue 19): one row a result — item, value, unit, reference range and
//! the day the sample was taken — typed in the letter form or read from
//! the CSV a lab system exports (ADR 0040). The H/L mark is computed here
//! from the reference range, never typed.
//!
//! A value is numeric, optionally after a comparison sign (`<0.01`,
//! `>1000`, `≦5`): that is how labs report what is below or above what
//! they can measure. It is kept as typed (after width folding), so
//! `0.80` prints as `0.80`. Qualitative results (陰性, 1+) belong in the
//! letter's free text.

mod csv_file;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use csv_file::{LabCsvError, parse_lab_csv};

use crate::normalize::{is_dash_like, nfkc};

/// Rows a letter may carry: the 200 the issue names fill about six 別紙
/// pages, far more than a referral needs.
pub const MAX_LAB_ROWS: usize = 200;
/// A lab CSV larger than this is not one letter's results (200 rows of
/// five short cells are some 20 KB).
pub const MAX_LAB_CSV_BYTES: u64 = 1024 * 1024;
pub const ITEM_MAX_CHARS: usize = 40;
pub const VALUE_MAX_CHARS: usize = 20;
pub const UNIT_MAX_CHARS: usize = 20;
pub const RANGE_MAX_CHARS: usize = 30;

/// One checked result, as the letter prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabResult {
    /// 項目, e.g. HbA1c.
    pub item: String,
    /// 値 as typed (numeric, maybe after `<` `>` `≦` `≧`).
    pub value: String,
    /// 単位, may be empty.
    #[serde(default)]
    pub unit: String,
    /// 基準値, free text; a numeric `a-b` range gives the H/L mark.
    #[serde(default)]
    pub reference_range: String,
    /// 検査日
    pub taken_on: NaiveDate,
}

/// Above or below the reference range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabFlag {
    High,
    Low,
}

impl LabFlag {
    /// The mark printed beside the value.
    pub fn mark(self) -> &'static str {
        match self {
            LabFlag::High => "H",
            LabFlag::Low => "L",
        }
    }
}

/// How a measured value relates to the number given: `<0.01` is below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Below,
    AtMost,
    AtLeast,
    Above,
}

/// A numeric value: the number, and its comparison sign if it had one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measured {
    pub number: f64,
    pub comparison: Option<Comparison>,
}

impl LabResult {
    /// The value as a number (none for a value that is not one, which the
    /// row check refuses; letters stored earlier may still hold one).
    pub fn measured(&self) -> Option<Measured> {
        let (sign, number) = measured_value(&nfkc(&self.value))?;
        let comparison = match sign {
            None => None,
            Some("<") => Some(Comparison::Below),
            Some("≦") => Some(Comparison::AtMost),
            Some("≧") => Some(Comparison::AtLeast),
            Some(_) => Some(Comparison::Above),
        };
        Some(Measured { number, comparison })
    }

    /// The reference range's bounds, when it is a numeric `a-b`.
    pub fn numeric_range(&self) -> Option<(f64, f64)> {
        numeric_range(&self.reference_range)
    }

    /// H when the value is above a numeric `a-b` reference range, L when
    /// below; none for any other range, or for a value given as `<x` / `>x`
    /// (what it is exactly is not known).
    pub fn flag(&self) -> Option<LabFlag> {
        let value = plain_number(&self.value)?;
        let (low, high) = numeric_range(&self.reference_range)?;
        if value > high {
            Some(LabFlag::High)
        } else if value < low {
            Some(LabFlag::Low)
        } else {
            None
        }
    }
}

/// A row as typed (or as read from a CSV cell): every field text.
#[derive(Debug, Clone, Copy, Default)]
pub struct LabRowInput<'a> {
    pub item: &'a str,
    pub value: &'a str,
    pub unit: &'a str,
    pub reference_range: &'a str,
    pub taken_on: &'a str,
}

/// Which part of a row a message is about (the UI marks that cell).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabColumn {
    Item,
    Value,
    Unit,
    ReferenceRange,
    TakenOn,
}

impl LabColumn {
    pub fn label_ja(self) -> &'static str {
        match self {
            LabColumn::Item => "項目",
            LabColumn::Value => "値",
            LabColumn::Unit => "単位",
            LabColumn::ReferenceRange => "基準値",
            LabColumn::TakenOn => "検査日",
        }
    }

    /// The draft row's key for the cell.
    pub fn key(self) -> &'static str {
        match self {
            LabColumn::Item => "item",
            LabColumn::Value => "value",
            LabColumn::Unit => "unit",
            LabColumn::ReferenceRange => "referenceRange",
            LabColumn::TakenOn => "takenOn",
        }
    }
}

/// What is wrong with one row: the cell and a Japanese sentence without
/// the row's number (the caller adds 「3行目：」 as fits its context).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabRowProblem {
    pub column: LabColumn,
    pub message: String,
}

/// Checks one row: the same rule for a typed row and a CSV line. Every
/// problem of the row is given, in column order.
pub fn check_lab_row(input: LabRowInput<'_>) -> Result<LabResult, Vec<LabRowProblem>> {
    let mut problems = Vec::new();
    // Text is kept as typed (（） stay full-width in a Japanese item name);
    // only the value is folded, so that ７．２ is a number.
    let mut cell = |column: LabColumn, raw: &str, max: usize, required: bool| {
        let text = raw.trim().to_string();
        let problem = if required && text.is_empty() {
            Some(format!("{}がありません", column.label_ja()))
        } else if text.contains(['\n', '\r']) {
            Some(format!("{}に改行は使えません", column.label_ja()))
        } else if text.chars().count() > max {
            Some(format!(
                "{}は{max}文字以内にしてください",
                column.label_ja()
            ))
        } else {
            None
        };
        match problem {
            Some(message) => {
                problems.push(LabRowProblem { column, message });
                None
            }
            None => Some(text),
        }
    };
    let item = cell(LabColumn::Item, input.item, ITEM_MAX_CHARS, true);
    let value = cell(LabColumn::Value, &nfkc(input.value), VALUE_MAX_CHARS, true);
    let unit = cell(LabColumn::Unit, input.unit, UNIT_MAX_CHARS, false);
    let range = cell(
        LabColumn::ReferenceRange,
        input.reference_range,
        RANGE_MAX_CHARS,
        false,
    );
    let value = value.and_then(|value| {
        if measured_value(&value).is_some() {
            Some(value)
        } else {
            problems.push(LabRowProblem {
                column: LabColumn::Value,
                message: format!("値「{}」が数値ではありません", shown(&value)),
            });
            None
        }
    });
    let taken_on = if input.taken_on.trim().is_empty() {
        problems.push(LabRowProblem {
            column: LabColumn::TakenOn,
            message: "検査日がありません".into(),
        });
        None
    } else {
        match crate::parse_date(input.taken_on) {
            Ok(date) => Some(date),
            Err(e) => {
                problems.push(LabRowProblem {
                    column: LabColumn::TakenOn,
                    message: format!("検査日が読み取れません（{e}）"),
                });
                None
            }
        }
    };
    match (item, value, unit, range, taken_on) {
        (Some(item), Some(value), Some(unit), Some(reference_range), Some(taken_on))
            if problems.is_empty() =>
        {
            Ok(LabResult {
                item,
                value,
                unit,
                reference_range,
                taken_on,
            })
        }
        _ => Err(problems),
    }
}

/// At most 12 characters of a refused value are repeated in the message:
/// enough to find it, not a paste of the whole cell.
fn shown(value: &str) -> String {
    let mut out: String = value.chars().take(12).collect();
    if value.chars().count() > 12 {
        out.push('…');
    }
    out
}

/// The number a value stands for, with its comparison sign if any.
fn measured_value(value: &str) -> Option<(Option<&'static str>, f64)> {
    let value = value.trim();
    for (sign, canonical) in [
        ("<=", "≦"),
        (">=", "≧"),
        ("≦", "≦"),
        ("≧", "≧"),
        ("≤", "≦"),
        ("≥", "≧"),
        ("<", "<"),
        (">", ">"),
    ] {
        if let Some(rest) = value.strip_prefix(sign) {
            return number(rest.trim_start()).map(|n| (Some(canonical), n));
        }
    }
    number(value).map(|n| (None, n))
}

/// A value without a comparison sign.
fn plain_number(value: &str) -> Option<f64> {
    match measured_value(&nfkc(value))? {
        (None, n) => Some(n),
        (Some(_), _) => None,
    }
}

/// A decimal: optional minus, digits, optional fraction. No exponent, no
/// thousands separators: a lab value is never written so.
fn number(text: &str) -> Option<f64> {
    let digits = text.strip_prefix(['-', '−']).unwrap_or(text);
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !all_digits(whole) || fraction.is_some_and(|f| !all_digits(f)) {
        return None;
    }
    let negative = digits.len() != text.len();
    let parsed: f64 = digits.parse().ok()?;
    Some(if negative { -parsed } else { parsed })
}

/// `a-b` (or `a～b`, `a〜b`, `a~b`): both numbers, the low one first.
fn numeric_range(range: &str) -> Option<(f64, f64)> {
    let range = nfkc(range);
    let range = range.trim();
    // The separator is the first dash-like or tilde after the low bound's
    // own leading minus sign.
    let start = usize::from(range.starts_with('-'));
    let (at, sep) = range
        .char_indices()
        .skip(start)
        .find(|(_, c)| is_dash_like(*c) || matches!(c, '~' | '～' | '〜'))?;
    let low = number(range[..at].trim())?;
    let high = number(range[at + sep.len_utf8()..].trim())?;
    (low <= high).then_some((low, high))
}
