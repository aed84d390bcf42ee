//! 両端揃え measured on the PDF as poppler reads it: the lines of a
//! free-text box end flush at the column's right edge except a paragraph's
//! last line, the text extracts exactly as typed, and 禁則 still holds.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::{Path, PathBuf};

use common::{poppler, referral, standard};
use tsunagu_letters::linebreak::{may_end_line, may_start_line};
use tsunagu_letters::{FontKind, Item, Letter, Page, layout, render_pdf};

const PT_PER_MM: f64 = 72.0 / 25.4;
/// The content column of a section box: after the label column and its
/// padding, up to the right margin less the padding (mm, from the layout).
const COLUMN_LEFT_PT: f64 = (15.0 + 30.0 + 2.5) * PT_PER_MM;
const COLUMN_RIGHT_PT: f64 = (210.0 - 15.0 - 2.5) * PT_PER_MM;
/// How far from the edge a justified line may end: the PDF's glyph widths
/// are rounded to 1/1000 em.
const TOLERANCE_PT: f64 = 0.3;

/// Mixed Japanese and Latin with a full-width space, a word pushed to the
/// next line, and 。 and 、 falling where a line would start (追い出し).
fn letter() -> Letter {
    let mut letter = standard();
    let r = referral(&mut letter);
    r.treatment =
        "高血圧症（担当　佐藤）に対してはAmlodipine 5mgおよびTelmisartan 40mgにて加療し、\
家庭血圧は概ね130/80mmHg前後で推移しておりました。今回の動悸発作に対してはBisoprolol \
fumarate 2.5mgを追加して経過を観察しております。"
            .to_string();
    r.remarks = format!(
        "{}。{}、{}「{}」を同封します。\nご高診のほどよろしくお願い申し上げます。",
        "心".repeat(41),
        "電".repeat(40),
        "図".repeat(39),
        "写し"
    );
    letter
}

fn write(dir: &Path, letter: &Letter) -> PathBuf {
    let path = dir.join("letter.pdf");
    std::fs::write(&path, render_pdf(letter).unwrap()).unwrap();
    path
}

/// A line of text as poppler lays it out: its words and right edge (pt).
#[derive(Debug)]
struct PdfLine {
    text: String,
    x_min: f64,
    x_max: f64,
}

fn attribute(tag: &str, name: &str) -> f64 {
    let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    let len = tag[start..].find('"').unwrap();
    tag[start..start + len].parse().unwrap()
}

/// Every line of `pdftotext -bbox-layout`, in reading order, its words
/// joined and its spaces dropped (word boxes leave them out anyway).
fn pdf_lines(pdf: &Path) -> Vec<PdfLine> {
    let html = poppler(
        "pdftotext",
        &["-bbox-layout", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"],
    );
    html.split("<line ")
        .skip(1)
        .map(|chunk| {
            let tag = &chunk[..chunk.find('>').unwrap()];
            let body = &chunk[..chunk.find("</line>").unwrap()];
            let text = body
                .split("<word ")
                .skip(1)
                .map(|w| {
                    let start = w.find('>').unwrap() + 1;
                    &w[start..w.find("</word>").unwrap()]
                })
                .flat_map(str::chars)
                .filter(|c| *c != ' ')
                .collect();
            PdfLine {
                text,
                x_min: attribute(tag, "xMin"),
                x_max: attribute(tag, "xMax"),
            }
        })
        .collect()
}

/// The lines of `paragraph` as printed in the content column: the run of
/// consecutive lines that spells it (spaces aside, as poppler drops the
/// ones at a line's end).
fn printed<'a>(lines: &'a [PdfLine], paragraph: &str) -> Vec<&'a PdfLine> {
    let wanted: String = paragraph.chars().filter(|c| *c != ' ').collect();
    let column: Vec<&PdfLine> = lines
        .iter()
        .filter(|l| (l.x_min - COLUMN_LEFT_PT).abs() < 0.5)
        .collect();
    for start in 0..column.len() {
        let mut spelled = String::new();
        for end in start..column.len() {
            spelled.push_str(&column[end].text);
            if spelled == wanted {
                return column[start..=end].to_vec();
            }
            if !wanted.starts_with(&spelled) {
                break;
            }
        }
    }
    panic!("{paragraph} not printed whole in the column: {lines:#?}");
}

fn paragraphs(letter: &Letter) -> Vec<String> {
    let Letter::Referral(r) = letter else {
        unreachable!()
    };
    [&r.course, &r.treatment, &r.remarks]
        .into_iter()
        .flat_map(|text| text.lines().map(str::to_string))
        .collect()
}

#[test]
fn lines_end_at_the_box_edge_except_a_paragraphs_last() {
    let dir = tempfile::tempdir().unwrap();
    let letter = letter();
    let lines = pdf_lines(&write(dir.path(), &letter));
    let mut justified = 0;
    for paragraph in paragraphs(&letter) {
        let printed = printed(&lines, &paragraph);
        let (last, rest) = printed.split_last().unwrap();
        for line in rest.iter() {
            assert!(
                (line.x_max - COLUMN_RIGHT_PT).abs() <= TOLERANCE_PT,
                "ends at {} pt, not at the edge {COLUMN_RIGHT_PT} pt: {line:?}",
                line.x_max
            );
            justified += 1;
        }
        assert!(
            last.x_max < COLUMN_RIGHT_PT - 5.0,
            "a paragraph's last line keeps its natural width: {last:?}"
        );
    }
    assert!(justified >= 10, "only {justified} justified lines");
}

/// The content column's text lines as laid out (Mincho 10 pt at 47.5 mm),
/// hanging spaces dropped as an extractor drops them.
fn laid_out_lines(pages: &[Page]) -> Vec<String> {
    pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|item| match item {
            Item::Text {
                font: FontKind::Mincho,
                size_pt,
                x,
                text,
                ..
            } if *size_pt == 10.0 && (*x - 47.5).abs() < 0.01 => Some(text.trim_end().to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn justified_lines_extract_exactly_as_typed() {
    let dir = tempfile::tempdir().unwrap();
    let letter = letter();
    let pdf = write(dir.path(), &letter);
    let out = poppler(
        "pdftotext",
        &[
            "-enc",
            "UTF-8",
            "-x",
            "133",
            "-y",
            "0",
            "-W",
            "420",
            "-H",
            "842",
            pdf.to_str().unwrap(),
            "-",
        ],
    );
    let extracted: Vec<&str> = out
        .lines()
        .map(|l| l.trim_end_matches('\u{c}'))
        .filter(|l| !l.is_empty())
        .collect();
    let expected = laid_out_lines(&layout(&letter));
    // Each laid-out line comes back whole, with not a space added or lost.
    let mut from = 0;
    for line in &expected {
        let at = extracted[from..]
            .iter()
            .position(|l| l == line)
            .unwrap_or_else(|| panic!("not extracted as typed: {line}\n{extracted:#?}"));
        from += at + 1;
    }
    // A justified line with Latin words and a full-width space among them.
    assert!(
        extracted
            .iter()
            .any(|l| l.starts_with("高血圧症（担当\u{3000}佐藤）") && l.contains("Amlodipine 5mg")),
        "{extracted:#?}"
    );
}

#[test]
fn kinsoku_holds_on_justified_lines() {
    let dir = tempfile::tempdir().unwrap();
    let letter = letter();
    let lines = pdf_lines(&write(dir.path(), &letter));
    for paragraph in paragraphs(&letter) {
        let printed = printed(&lines, &paragraph);
        for pair in printed.windows(2) {
            let end = pair[0].text.chars().next_back().unwrap();
            let start = pair[1].text.chars().next().unwrap();
            assert!(may_end_line(end), "line ends with {end}: {pair:?}");
            assert!(may_start_line(start), "line starts with {start}: {pair:?}");
        }
    }
    // The 。 and the 、 pushed a character down with them (追い出し), and
    // the lines they left still reach the edge.
    let all = paragraphs(&letter);
    let remarks = printed(&lines, &all[all.len() - 2]);
    assert_eq!(remarks[0].text, "心".repeat(40));
    assert!(remarks[1].text.starts_with("心。"));
    assert!(remarks[2].text.starts_with("電、"));
    for line in &remarks[..remarks.len() - 1] {
        assert!(
            (line.x_max - COLUMN_RIGHT_PT).abs() <= TOLERANCE_PT,
            "{line:?}"
        );
    }
}
