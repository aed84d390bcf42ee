//! The emergency sheet's text fitted to its boxes: each box has a most
//! number of lines, so that the sheet is one page whatever it is given,
//! and what does not fit is cut where the reader sees it
//! (「…（以下省略）」, 「…（以下省略：全N件）」). Lists are set in two columns,
//! each item whole and numbered ①②…, so that a short medicine takes half a
//! line and the order stays readable down the first column, then the
//! second.

use crate::fonts::FontKind::{self, Gothic, Mincho};
use crate::layout::{LABEL_PT, wrap};
use crate::linebreak::{Line, break_lines};
use crate::page::PT_PER_MM;

/// Ends a text cut to its box.
pub(crate) const TEXT_CUT: &str = "…（以下省略）";
/// Ends a value cut to its line (a name, an address, a phone).
pub(crate) const VALUE_CUT: &str = "…";
/// The most lines one item of a list takes before it is cut.
const MAX_ITEM_LINES: usize = 3;
/// Between a list's two columns, mm.
pub(crate) const COLUMN_GAP: f32 = 4.0;

/// The longest start of `text` that, followed by `suffix`, is at most
/// `width` mm wide.
pub(crate) fn shorten(text: &str, suffix: &str, font: FontKind, size: f32, width: f32) -> String {
    let room = width * PT_PER_MM - font.width(suffix, size);
    let mut used = 0.0;
    let mut kept = String::new();
    for c in text.chars() {
        used += font.advance(c, size);
        if used > room {
            break;
        }
        kept.push(c);
    }
    let kept = kept.trim_end().to_string();
    kept + suffix
}

/// The start of `paragraph` that holds its first `max_lines` lines and
/// more: lines end at or before `width`, so `max_lines + 2` widths of text
/// hold them all, the breaks near the cut aside. A 2,000-character
/// 大切にしていること is not broken whole to print three lines of it.
fn enough_of(paragraph: &str, font: FontKind, size: f32, width: f32, max_lines: usize) -> &str {
    let room = (max_lines + 2) as f32 * width * PT_PER_MM;
    let mut used = 0.0;
    for (at, c) in paragraph.char_indices() {
        used += font.advance(c, size);
        if used > room {
            return &paragraph[..at];
        }
    }
    paragraph
}

/// `text` wrapped with 禁則 to `width` mm in at most `max_lines` lines;
/// the last kept line ends with 「…」 when some are left out.
pub(crate) fn fit_value(
    text: &str,
    font: FontKind,
    size: f32,
    width: f32,
    max_lines: usize,
) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.trim().lines() {
        let paragraph = enough_of(paragraph, font, size, width, max_lines);
        lines.extend(wrap(paragraph, font, size, width));
        if lines.len() > max_lines {
            break;
        }
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            *last = shorten(last, VALUE_CUT, font, size, width);
        }
    }
    lines
}

/// A free text (アレルギー, 大切にしていること) in Mincho, its lines justified
/// as the letters' free-text boxes are, in at most `max_lines` lines; cut
/// with 「…（以下省略）」.
pub(crate) fn fit_prose(text: &str, size: f32, width: f32, max_lines: usize) -> Vec<Line> {
    let advance = |c| Mincho.advance(c, size);
    let mut lines = Vec::new();
    for paragraph in text.trim().lines() {
        let paragraph = enough_of(paragraph, Mincho, size, width, max_lines);
        lines.extend(break_lines(paragraph, width * PT_PER_MM, &advance));
        if lines.len() > max_lines {
            break;
        }
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            *last = Line {
                text: shorten(&last.text, TEXT_CUT, Mincho, size, width),
                justify: false,
            };
        }
    }
    lines
}

/// One printed line of a list, in one of its two columns.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ListLine {
    /// 0 or 1.
    pub column: usize,
    pub row: usize,
    pub text: String,
    /// From the column's left edge, mm: an item's second line sits under
    /// its text, clear of the number.
    pub indent: f32,
    pub font: FontKind,
    pub size: f32,
}

/// A list set in two columns of at most `max_rows` rows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TwoColumns {
    pub lines: Vec<ListLine>,
    pub rows: usize,
}

/// ①, ②… (up to ⑳), then 「21.」: the numbers read in either column.
fn number(n: usize) -> String {
    match u32::try_from(n).ok().filter(|n| (1..=20).contains(n)) {
        Some(n) => char::from_u32(0x2460 + n - 1).map_or_else(|| format!("{n}."), String::from),
        None => format!("{n}."),
    }
}

/// The lines of item `n` in a column `width` mm wide.
fn item_lines(n: usize, text: &str, size: f32, width: f32) -> Vec<(String, f32)> {
    let number = number(n);
    let indent = Mincho.width(&number, size) / PT_PER_MM;
    let lines = fit_value(text, Mincho, size, width - indent, MAX_ITEM_LINES);
    lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                (format!("{number}{line}"), 0.0)
            } else {
                (line, indent)
            }
        })
        .collect()
}

/// The list's items (empty ones skipped) in two columns `width` mm wide
/// each, first down the first column, then the second, an item never
/// split between them. As few rows as hold them all, at most `max_rows`;
/// when they need more, the last line of the second column says how many
/// there are: 「…（以下省略：全N件）」.
pub(crate) fn two_columns(items: &[String], size: f32, width: f32, max_rows: usize) -> TwoColumns {
    let items: Vec<&str> = items
        .iter()
        .map(|i| i.trim())
        .filter(|i| !i.is_empty())
        .collect();
    // More items than lines could ever hold are not wrapped at all.
    let blocks: Vec<Vec<(String, f32)>> = items
        .iter()
        .take(2 * max_rows)
        .enumerate()
        .map(|(i, text)| item_lines(i + 1, text, size, width))
        .collect();
    let total: usize = blocks.iter().map(Vec::len).sum();
    let max_rows = max_rows.max(1);
    if blocks.len() == items.len() {
        for rows in total.div_ceil(2).max(1)..=max_rows {
            if let Some(lines) = place(&blocks, [rows, rows], size) {
                return TwoColumns { lines, rows };
            }
        }
    }
    // Too many: the second column keeps its last row for the count.
    let rows = max_rows;
    let mut lines = place_while(&blocks, [rows, rows - 1], size);
    let marker_row = lines
        .iter()
        .filter(|l| l.column == 1)
        .map(|l| l.row + 1)
        .max()
        .unwrap_or(0);
    lines.push(ListLine {
        column: 1,
        row: marker_row,
        text: format!("…（以下省略：全{}件）", items.len()),
        indent: 0.0,
        font: Gothic,
        size: LABEL_PT,
    });
    TwoColumns { lines, rows }
}

/// Every block placed in columns of `capacity` rows, or `None`.
fn place(blocks: &[Vec<(String, f32)>], capacity: [usize; 2], size: f32) -> Option<Vec<ListLine>> {
    let lines = place_while(blocks, capacity, size);
    let total: usize = blocks.iter().map(Vec::len).sum();
    (lines.len() == total).then_some(lines)
}

/// The blocks, in order, as long as each fits whole.
fn place_while(blocks: &[Vec<(String, f32)>], capacity: [usize; 2], size: f32) -> Vec<ListLine> {
    let mut out = Vec::new();
    let mut column = 0;
    let mut row = 0;
    for block in blocks {
        if row + block.len() > capacity[column] {
            if column == 1 {
                break;
            }
            column = 1;
            row = 0;
            if block.len() > capacity[1] {
                break;
            }
        }
        for (text, indent) in block {
            out.push(ListLine {
                column,
                row,
                text: text.clone(),
                indent: *indent,
                font: Mincho,
                size,
            });
            row += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("薬{i}")).collect()
    }

    #[test]
    fn a_short_list_is_balanced_between_the_columns() {
        let list = two_columns(&items(5), 10.0, 60.0, 8);
        assert_eq!(list.rows, 3);
        let columns: Vec<usize> = list.lines.iter().map(|l| l.column).collect();
        assert_eq!(columns, [0, 0, 0, 1, 1]);
        assert_eq!(list.lines[3].text, "④薬4");
    }

    #[test]
    fn a_long_list_ends_with_its_count() {
        let list = two_columns(&items(30), 10.0, 60.0, 4);
        assert_eq!(list.rows, 4);
        assert_eq!(list.lines.len(), 8);
        let last = list.lines.last().unwrap();
        assert_eq!((last.column, last.row), (1, 3));
        assert_eq!(last.text, "…（以下省略：全30件）");
        assert_eq!(list.lines[6].text, "⑦薬7");
    }

    #[test]
    fn an_empty_list_has_no_lines() {
        let list = two_columns(&[" ".to_string()], 10.0, 60.0, 4);
        assert!(list.lines.is_empty());
    }

    #[test]
    fn a_text_too_long_for_its_box_says_so() {
        let text = "家族と過ごす時間を大切にしたい。".repeat(20);
        let lines = fit_prose(&text, 10.0, 100.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].text.ends_with(TEXT_CUT));
        assert!(Mincho.width(&lines[2].text, 10.0) <= 100.0 * PT_PER_MM);
        let value = fit_value(&"東京都".repeat(40), Mincho, 10.0, 100.0, 2);
        assert_eq!(value.len(), 2);
        assert!(value[1].ends_with(VALUE_CUT));
    }

    #[test]
    fn numbers_are_circled_up_to_twenty() {
        assert_eq!(number(1), "①");
        assert_eq!(number(20), "⑳");
        assert_eq!(number(21), "21.");
    }
}
