//! The lab results table (検査結果): 検査日, 項目, 値, 判定 (H/L), 単位,
//! 基準値, ruled like the form around it. The same table is set inside
//! 症状経過及び検査結果 (or 入院中経過) when the letter stays on one page,
//! and across 別紙 pages otherwise, its heading row repeated on each.

use tsunagu_domain::lab_results::LabResult;

use crate::fonts::FontKind::{Gothic, Mincho};
use crate::layout::{THIN_PT, baseline, wrap};
use crate::page::Page;

const TEXT_PT: f32 = 9.0;
const HEAD_PT: f32 = 8.0;
const LINE: f32 = 4.2;
const HEAD_HEIGHT: f32 = 5.0;
/// Above and below a row's lines.
const ROW_PAD: f32 = 0.5;
const CELL_PAD: f32 = 1.2;
const HAIR_PT: f32 = 0.2;
const HEADINGS: [&str; 6] = ["検査日", "項目", "値", "判定", "単位", "基準値"];
/// Column shares of the table's width (they sum to the in-box width, 145
/// mm; on a 別紙 page the wider table scales them).
const SHARES: [f32; 6] = [22.0, 40.0, 17.0, 8.0, 30.0, 28.0];
const VALUE: usize = 2;
const FLAG: usize = 3;

/// A table broken into lines, ready to place.
pub(crate) struct LabTable {
    widths: [f32; 6],
    rows: Vec<Row>,
}

struct Row {
    cells: [Vec<String>; 6],
    height: f32,
}

impl LabTable {
    pub(crate) fn lay(results: &[LabResult], width: f32) -> LabTable {
        let total: f32 = SHARES.iter().sum();
        let widths = SHARES.map(|share| share / total * width);
        let rows = results
            .iter()
            .map(|r| {
                let texts = [
                    r.taken_on.format("%Y/%m/%d").to_string(),
                    r.item.clone(),
                    r.value.clone(),
                    r.flag().map(|f| f.mark().to_string()).unwrap_or_default(),
                    r.unit.clone(),
                    r.reference_range.clone(),
                ];
                let mut i = 0;
                let cells = texts.map(|text| {
                    let lines = wrap(&text, Mincho, TEXT_PT, widths[i] - 2.0 * CELL_PAD);
                    i += 1;
                    lines
                });
                let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
                Row {
                    cells,
                    height: lines as f32 * LINE + 2.0 * ROW_PAD,
                }
            })
            .collect();
        LabTable { widths, rows }
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The whole table's height: its heading and every row.
    pub(crate) fn height(&self) -> f32 {
        HEAD_HEIGHT + self.rows.iter().map(|r| r.height).sum::<f32>()
    }

    /// How many rows from `from` fit under a heading in `room` mm (at
    /// least one, so a page always moves the table on).
    pub(crate) fn rows_fitting(&self, from: usize, room: f32) -> usize {
        let mut used = HEAD_HEIGHT;
        let mut count = 0;
        for row in &self.rows[from.min(self.rows.len())..] {
            if used + row.height > room {
                break;
            }
            used += row.height;
            count += 1;
        }
        count.max(1)
    }

    /// Draws the heading and rows `from..to` at (`x`, `top`); returns the
    /// height drawn.
    pub(crate) fn draw(&self, page: &mut Page, x: f32, top: f32, from: usize, to: usize) -> f32 {
        let width: f32 = self.widths.iter().sum();
        let lefts: Vec<f32> = self
            .widths
            .iter()
            .scan(x, |at, w| {
                let left = *at;
                *at += w;
                Some(left)
            })
            .collect();
        for (i, heading) in HEADINGS.iter().enumerate() {
            let y = baseline(top, 0, HEAD_HEIGHT, HEAD_PT);
            page.text_centered(lefts[i] + self.widths[i] / 2.0, y, Gothic, HEAD_PT, heading);
        }
        let mut y = top + HEAD_HEIGHT;
        page.line(x, y, x + width, y, THIN_PT);
        let rows = &self.rows[from.min(self.rows.len())..to.min(self.rows.len())];
        for (n, row) in rows.iter().enumerate() {
            if n > 0 {
                page.line(x, y, x + width, y, HAIR_PT);
            }
            for (i, lines) in row.cells.iter().enumerate() {
                for (k, line) in lines.iter().enumerate() {
                    let base = baseline(y + ROW_PAD, k, LINE, TEXT_PT);
                    let right = lefts[i] + self.widths[i] - CELL_PAD;
                    match i {
                        VALUE => page.text_right(right, base, Mincho, TEXT_PT, line),
                        FLAG => page.text_centered(
                            lefts[i] + self.widths[i] / 2.0,
                            base,
                            Gothic,
                            TEXT_PT,
                            line,
                        ),
                        _ => page.text(lefts[i] + CELL_PAD, base, Mincho, TEXT_PT, line.clone()),
                    }
                }
            }
            y += row.height;
        }
        page.frame(x, top, width, y - top, THIN_PT);
        for left in &lefts[1..] {
            page.line(*left, top, *left, y, HAIR_PT);
        }
        y - top
    }
}
