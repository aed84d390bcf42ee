//! Which text a file is: the open data ships in Shift_JIS (Windows-31J,
//! which is what `encoding_rs` calls Shift_JIS, as browsers do), and a
//! desk's own sheet is often saved by Excel as UTF-8 with a BOM. Anything
//! else is refused naming the first line that reads in neither, so the
//! administrator knows where to look instead of finding 文字化け listed
//! in the directory.

use encoding_rs::SHIFT_JIS;

use super::FileRefused;

/// The encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8WithBom,
    ShiftJis,
}

impl Encoding {
    pub fn label_ja(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8WithBom => "UTF-8（BOM付き）",
            Encoding::ShiftJis => "Shift_JIS（CP932）",
        }
    }
}

/// The file as text. UTF-8 is tried first: Shift_JIS text is almost never
/// valid UTF-8, while ASCII is both. A NUL counts as unreadable (a UTF-16
/// file without its BOM is mostly NULs in either reading, and PostgreSQL
/// text cannot hold one).
pub fn decode(bytes: &[u8]) -> Result<(Encoding, String), FileRefused> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(FileRefused::Utf16);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest)
            .map(|text| (Encoding::Utf8WithBom, text))
            .map_err(|line| FileRefused::Undecodable { line });
    }
    let utf8_fails_at = match utf8(bytes) {
        Ok(text) => return Ok((Encoding::Utf8, text)),
        Err(line) => line,
    };
    match shift_jis(bytes) {
        Ok(text) => Ok((Encoding::ShiftJis, text)),
        // The reading that got further is the likelier intended one.
        Err(line) => Err(FileRefused::Undecodable {
            line: line.max(utf8_fails_at),
        }),
    }
}

fn utf8(bytes: &[u8]) -> Result<String, u64> {
    match std::str::from_utf8(bytes) {
        Ok(text) => match text.find('\0') {
            Some(at) => Err(line_at(bytes, at)),
            None => Ok(text.to_owned()),
        },
        Err(e) => Err(line_at(bytes, e.valid_up_to())),
    }
}

fn shift_jis(bytes: &[u8]) -> Result<String, u64> {
    if let Some(text) = SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes)
        && !text.contains('\0')
    {
        return Ok(text.into_owned());
    }
    // Line by line to name the first bad one: no Shift_JIS lead or trail
    // byte is a newline, so a line never splits a character.
    let bad = bytes.split(|b| *b == b'\n').position(|line| {
        SHIFT_JIS
            .decode_without_bom_handling_and_without_replacement(line)
            .is_none_or(|text| text.contains('\0'))
    });
    Err(bad.map_or(1, |index| index as u64 + 1))
}

/// The 1-based line holding byte `at`.
fn line_at(bytes: &[u8], at: usize) -> u64 {
    bytes[..at.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u64
        + 1
}
