//! The PDF as poppler reads it: text extracted exactly, 禁則 held on the
//! page, fonts embedded as subsets, pages that are not blank.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use common::{pages, poppler, referral, section_paragraphs, standard, text};
use std::path::{Path, PathBuf};

use tsunagu_letters::linebreak::{may_end_line, may_start_line};
use tsunagu_letters::{Letter, render_pdf};

fn write(dir: &Path, name: &str, letter: &Letter) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, render_pdf(letter).unwrap()).unwrap();
    path
}

/// Only the sections' content column (x from 47 mm to the right margin,
/// down to where sections end: 261 mm on the first page, 279 mm on 続紙),
/// so labels, the 続紙 header and the footer cannot interleave with it.
fn content_column(pdf: &Path, page: usize) -> Vec<String> {
    let (top, bottom) = if page == 1 { (0, 740) } else { (62, 791) };
    let page = page.to_string();
    let height = (bottom - top).to_string();
    let out = poppler(
        "pdftotext",
        &[
            "-enc",
            "UTF-8",
            "-f",
            &page,
            "-l",
            &page,
            "-x",
            "133",
            "-y",
            &top.to_string(),
            "-W",
            "420",
            "-H",
            &height,
            pdf.to_str().unwrap(),
            "-",
        ],
    );
    out.lines()
        .map(|l| l.trim_end_matches('\u{c}').to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_standard_letter_gives_back_exactly_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let letter = standard();
    let pdf = write(dir.path(), "standard.pdf", &letter);
    assert_eq!(pages(&pdf), 1);
    let column = content_column(&pdf, 1).concat();
    for paragraph in section_paragraphs(&letter) {
        assert!(
            column.contains(paragraph),
            "not extracted exactly: {paragraph}\n{column}"
        );
    }
    let page = text(&pdf);
    for expected in [
        "診療情報提供書",
        "山田　太郎",
        "やまだ　たろう",
        "佐藤　花子",
        "豊島中央病院",
        "昭和25年4月1日（76歳）",
        "K8Y-5WW-FJC",
    ] {
        assert!(page.contains(expected), "{expected} missing from\n{page}");
    }
}

#[test]
fn no_printed_line_breaks_a_kinsoku_rule() {
    // The content column holds 41 full-width characters a line: each probe
    // puts a forbidden character exactly at the 42nd (first of line 2) or
    // an opening bracket at the 41st (last of line 1).
    let base = "経過観察中に血圧は安定し自覚症状の訴えはなく家庭血圧も良好に推移しており服薬状況も良好です"
        .chars()
        .collect::<Vec<_>>();
    assert!(base.len() >= 41);
    let mut paragraphs = Vec::new();
    for c in "。、，．」』）】〕ゝゞー・：；！？ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ".chars()
    {
        let head: String = base[..41].iter().collect();
        paragraphs.push(format!("{head}{c}以下同様。"));
    }
    for c in "「『（【〔".chars() {
        let head: String = base[..40].iter().collect();
        paragraphs.push(format!("{head}{c}括弧内」です。"));
    }
    let mut letter = standard();
    referral(&mut letter).course = paragraphs.join("\n");
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(dir.path(), "kinsoku.pdf", &letter);
    let mut lines = Vec::new();
    for page in 1..=pages(&pdf) {
        lines.extend(content_column(&pdf, page));
    }
    for line in &lines {
        let first = line.chars().next().unwrap();
        let last = line.chars().last().unwrap();
        assert!(may_start_line(first), "line starts with {first}: {line}");
        assert!(may_end_line(last), "line ends with {last}: {line}");
    }
    let joined = lines.concat();
    for p in &paragraphs {
        assert!(joined.contains(p.as_str()), "lost: {p}");
    }
}

#[test]
fn a_long_section_continues_on_numbered_pages_with_the_header_repeated() {
    let mut letter = standard();
    let long: String = "経過観察中に血圧は安定し、自覚症状の訴えはなかった。"
        .chars()
        .cycle()
        .take(6_000)
        .collect();
    referral(&mut letter).course = long.clone();
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(dir.path(), "long.pdf", &letter);
    let count = pages(&pdf);
    assert!(count >= 2, "{count} pages");
    let mut column = String::new();
    for page in 1..=count {
        let page_text = poppler(
            "pdftotext",
            &[
                "-enc",
                "UTF-8",
                "-f",
                &page.to_string(),
                "-l",
                &page.to_string(),
                pdf.to_str().unwrap(),
                "-",
            ],
        );
        assert!(
            page_text.contains(&format!("{page}/{count}")),
            "page {page} number"
        );
        if page > 1 {
            assert!(
                page_text.contains("診療情報提供書（続紙）"),
                "page {page} header"
            );
            assert!(page_text.contains("山田　太郎"), "page {page} patient");
        }
        column.push_str(&content_column(&pdf, page).concat());
    }
    assert!(column.contains(&long), "text cut between pages");
}

#[test]
fn fonts_are_embedded_subsets_and_the_file_is_small() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(dir.path(), "standard.pdf", &standard());
    let fonts = poppler("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(cols[0].contains('+'), "subset tag: {row}");
        assert!(cols[0].contains("IPAex"), "{row}");
        // emb, sub, uni
        let flags = &cols[cols.len() - 5..cols.len() - 2];
        assert_eq!(flags, ["yes", "yes", "yes"], "{row}");
    }
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert!(size <= 100 * 1024, "standard letter is {size} bytes");
}

#[test]
fn the_page_renders_with_ink_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(dir.path(), "standard.pdf", &standard());
    let prefix = dir.path().join("page");
    poppler(
        "pdftoppm",
        &[
            "-r",
            "40",
            "-gray",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let pgm = std::fs::read(dir.path().join("page-1.pgm")).unwrap();
    // P5 header: magic, width, height, max value, then one byte a pixel.
    let header_end = pgm
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(2)
        .unwrap()
        .0
        + 1;
    let pixels = &pgm[header_end..];
    let dark = pixels.iter().filter(|&&p| p < 128).count();
    let share = dark as f64 / pixels.len() as f64;
    // Rules, text and the QR code: a few percent of the page, not zero, not all.
    assert!((0.01..0.3).contains(&share), "dark share {share}");
}
