//! Lab results (検査結果) on letters, as poppler reads the PDF: the table
//! inside its section when the letter stays on one page, on 別紙 pages
//! otherwise; every row given back exactly, fonts embedded.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::{pages, poppler, referral, standard, text};
use tsunagu_domain::lab_results::LabResult;
use tsunagu_letters::{Letter, LetterError, layout, render_pdf};

fn result(item: &str, value: &str, unit: &str, range: &str) -> LabResult {
    LabResult {
        item: item.into(),
        value: value.into(),
        unit: unit.into(),
        reference_range: range.into(),
        taken_on: NaiveDate::from_ymd_opt(2026, 5, 8).unwrap(),
    }
}

fn five() -> Vec<LabResult> {
    vec![
        result("HbA1c", "7.2", "%", "4.6-6.2"),
        result("Cre", "0.80", "mg/dL", "0.65-1.07"),
        result("K", "3.3", "mmol/L", "3.6-4.8"),
        result("TSH", "<0.01", "μIU/mL", "0.5-5.0"),
        result("推算ＧＦＲ（Ｃｒ）", "58.2", "mL/min", "60以上"),
    ]
}

/// The rows as they should read: 検査日 項目 値 判定 単位 基準値.
fn expected_rows(results: &[LabResult]) -> Vec<String> {
    results
        .iter()
        .map(|r| {
            let mut cells = vec![
                r.taken_on.format("%Y/%m/%d").to_string(),
                r.item.clone(),
                r.value.clone(),
            ];
            cells.extend(r.flag().map(|f| f.mark().to_string()));
            cells.extend([r.unit.clone(), r.reference_range.clone()]);
            cells.join(" ")
        })
        .collect()
}

/// A standard letter shortened so that a small table fits on its page.
fn short_letter() -> Letter {
    let mut letter = standard();
    let r = referral(&mut letter);
    r.history = "特記事項なし。".into();
    r.course = "５月８日の血液検査の結果を下表に示します。".into();
    r.treatment = "ビソプロロールを追加して経過を観察しております。".into();
    r.prescriptions.truncate(3);
    letter
}

fn write(dir: &Path, name: &str, letter: &Letter) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, render_pdf(letter).unwrap()).unwrap();
    path
}

/// The table's rows on `page`, read in layout mode: each line holding a
/// date, from the date on, with runs of spaces made one.
fn table_rows(pdf: &Path, page: usize) -> Vec<String> {
    let page = page.to_string();
    let out = poppler(
        "pdftotext",
        &[
            "-layout",
            "-enc",
            "UTF-8",
            "-f",
            &page,
            "-l",
            &page,
            pdf.to_str().unwrap(),
            "-",
        ],
    );
    out.lines()
        .filter_map(|line| line.find("2026/05/08").map(|at| &line[at..]))
        .map(|row| row.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

fn page_text(pdf: &Path, page: usize) -> String {
    let page = page.to_string();
    poppler(
        "pdftotext",
        &[
            "-enc",
            "UTF-8",
            "-f",
            &page,
            "-l",
            &page,
            pdf.to_str().unwrap(),
            "-",
        ],
    )
}

#[test]
fn a_few_results_print_as_a_table_in_their_section_exactly() {
    let mut letter = short_letter();
    referral(&mut letter).lab_results = five();
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(dir.path(), "five.pdf", &letter);
    assert_eq!(pages(&pdf), 1, "the table fits in 症状経過及び検査結果");
    assert_eq!(table_rows(&pdf, 1), expected_rows(&five()));
    assert_eq!(
        expected_rows(&five())[0],
        "2026/05/08 HbA1c 7.2 H % 4.6-6.2",
        "H marked"
    );
    assert_eq!(
        expected_rows(&five())[2],
        "2026/05/08 K 3.3 L mmol/L 3.6-4.8"
    );
    let all = text(&pdf);
    for heading in ["検査日", "項目", "判定", "単位", "基準値"] {
        assert!(all.contains(heading), "{heading} missing");
    }
    assert!(
        !all.contains("別紙参照") && !all.contains("検査結果（別紙）"),
        "nothing is attached"
    );
    // The table sits after the course text, inside the section.
    let course_at = all.find("５月８日の血液検査").unwrap();
    let table_at = all.find("2026/05/08").unwrap();
    let treatment_at = all.find("治療経過").unwrap();
    assert!(course_at < table_at && table_at < treatment_at, "{all}");
}

#[test]
fn fonts_stay_embedded_subsets_with_a_table() {
    let mut letter = short_letter();
    referral(&mut letter).lab_results = five();
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(dir.path(), "fonts.pdf", &letter);
    let fonts = poppler("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(cols[0].contains('+') && cols[0].contains("IPAex"), "{row}");
        assert_eq!(&cols[cols.len() - 5..cols.len() - 2], ["yes", "yes", "yes"]);
    }
}

#[test]
fn a_table_too_big_for_the_page_goes_to_numbered_attached_pages() {
    let results: Vec<LabResult> = (0..200)
        .map(|i| {
            result(
                &format!("検査項目{i:03}"),
                &format!("{}.{}", i / 10, i % 10),
                "mg/dL",
                "1.0-15.0",
            )
        })
        .collect();
    let mut letter = standard();
    referral(&mut letter).lab_results = results.clone();
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(dir.path(), "many.pdf", &letter);
    let count = pages(&pdf);
    // The standard letter keeps its one page; the rows take the rest.
    assert!(count >= 5, "{count} pages");
    let first = page_text(&pdf, 1);
    assert!(first.contains("別紙参照"), "the section points to 別紙");
    assert!(
        table_rows(&pdf, 1).is_empty(),
        "no row on the letter's page"
    );
    let mut rows = Vec::new();
    for page in 2..=count {
        let text = page_text(&pdf, page);
        assert!(text.contains("検査結果（別紙）"), "page {page} title");
        assert!(text.contains("山田　太郎"), "page {page} patient");
        assert!(text.contains("検査日"), "page {page} repeats the heading");
        assert!(
            text.contains(&format!("{page}/{count}")),
            "page {page} number"
        );
        let on_page = table_rows(&pdf, page);
        assert!(!on_page.is_empty(), "page {page} is not blank");
        rows.extend(on_page);
    }
    assert_eq!(rows, expected_rows(&results), "every row once, in order");
    assert_eq!(rows[0], "2026/05/08 検査項目000 0.0 L mg/dL 1.0-15.0");
    assert_eq!(rows[199], "2026/05/08 検査項目199 19.9 H mg/dL 1.0-15.0");
}

#[test]
fn a_discharge_letter_prints_its_results_in_the_hospital_course() {
    let mut letter =
        Letter::from_json(include_str!("../fixtures/discharge.json")).expect("fixture");
    let Letter::Discharge(d) = &mut letter else {
        unreachable!()
    };
    d.lab_results = five()[..2].to_vec();
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(dir.path(), "discharge.pdf", &letter);
    let count = pages(&pdf);
    let mut rows = Vec::new();
    for page in 1..=count {
        rows.extend(table_rows(&pdf, page));
    }
    assert_eq!(rows, expected_rows(&five()[..2]));
    let all = text(&pdf);
    let course_at = all.find("入院中経過").unwrap();
    let table_at = all.find("2026/05/08").unwrap();
    assert!(course_at < table_at, "{all}");
}

#[test]
fn stored_letters_without_results_still_load_and_lay_out_as_before() {
    let letter = standard();
    assert!(letter.lab_results().is_empty());
    let mut with_none = standard();
    referral(&mut with_none).lab_results = Vec::new();
    assert_eq!(layout(&letter), layout(&with_none));
}

#[test]
fn results_are_checked_by_the_domain_rule_before_printing() {
    let mut letter = short_letter();
    let mut bad = five();
    bad[2].value = "abc".into();
    referral(&mut letter).lab_results = bad;
    assert_eq!(
        render_pdf(&letter).unwrap_err(),
        LetterError::LabResult {
            row: 3,
            reason: "値「abc」が数値ではありません".into()
        }
    );
    referral(&mut letter).lab_results = vec![five()[0].clone(); 201];
    assert_eq!(
        render_pdf(&letter).unwrap_err(),
        LetterError::TooManyLabResults
    );
    let mut unprintable = five();
    unprintable[0].item = "𠮷".into();
    referral(&mut letter).lab_results = unprintable;
    assert!(matches!(
        render_pdf(&letter).unwrap_err(),
        LetterError::UnsupportedCharacters(_)
    ));
}

#[test]
fn the_table_sits_inside_its_section_box() {
    use tsunagu_letters::Item;
    let mut letter = short_letter();
    referral(&mut letter).lab_results = five();
    let pages = layout(&letter);
    assert_eq!(pages.len(), 1);
    let y_of = |needle: &str| {
        pages[0]
            .items
            .iter()
            .find_map(|item| match item {
                Item::Text { text, y, .. } if text.starts_with(needle) => Some(*y),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{needle} not drawn"))
    };
    let course = y_of("５月８日の血液検査");
    let heading = y_of("検査日");
    let last_row = pages[0]
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Text { text, y, .. } if text.starts_with("2026/05/08") => Some(*y),
            _ => None,
        })
        .fold(0.0, f32::max);
    let next_label = y_of("治療経過");
    assert!(course < heading, "the table follows the text");
    assert!(
        heading < last_row && last_row < next_label,
        "inside the box"
    );
    // The box's bottom rule lies below the last row: a frame spans them.
    let boxed = pages[0].items.iter().any(|item| {
        matches!(item, Item::Frame { y, h, .. } if *y < course && y + h > last_row && y + h < next_label)
    });
    assert!(boxed, "a section frame holds both the text and the table");
}
