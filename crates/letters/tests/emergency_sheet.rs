//! The emergency sheet (救急医療情報) as poppler reads it: every value back
//! exactly, one page even with every list past its most, 「希望しない
//! （DNAR）」 when CPR is declined, a plain 「人生会議の記録はありません」
//! without an ACP record, fonts embedded, 禁則 held, a bad sheet refused.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;
#[path = "common/emergency_sheet_fixture.rs"]
mod fixture;

use std::path::{Path, PathBuf};

use common::{pages, poppler};
use tsunagu_domain::acp::{Treatment, Wish};
use tsunagu_letters::linebreak::{may_end_line, may_start_line};
use tsunagu_letters::{
    EmergencySheet, Field, Item, LetterError, SheetField, layout_emergency_sheet,
    render_emergency_sheet_pdf,
};

fn write(dir: &Path, name: &str, sheet: &EmergencySheet) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, render_emergency_sheet_pdf(sheet).unwrap()).unwrap();
    path
}

fn raw(pdf: &Path, crop: &[&str]) -> Vec<String> {
    let mut args = vec!["-enc", "UTF-8", "-raw"];
    args.extend(crop);
    args.extend([pdf.to_str().unwrap(), "-"]);
    poppler("pdftotext", &args)
        .lines()
        .map(|l| l.trim_end_matches('\u{c}').to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// All the text with line ends and the spaces poppler puts between runs
/// taken out, so a value wrapped over lines reads back whole.
fn joined(pdf: &Path) -> String {
    squeeze(&raw(pdf, &[]).concat())
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_ascii_whitespace()).collect()
}

fn every_value(sheet: &EmergencySheet) -> Vec<String> {
    let p = &sheet.patient;
    let c = &sheet.clinic;
    let mut values = vec![
        p.name.clone(),
        p.kana.clone(),
        p.address.clone(),
        p.phone.clone(),
        c.name.clone(),
        c.doctor.clone(),
        c.phone.clone(),
        c.after_hours_phone.clone(),
        sheet.allergies.clone(),
        sheet.made_by.clone(),
    ];
    values.extend(sheet.problems.iter().cloned());
    values.extend(sheet.medications.iter().cloned());
    values.extend(sheet.devices.iter().cloned());
    if let Some(s) = &sheet.nursing_station {
        values.extend([s.name.clone(), s.phone.clone(), s.after_hours_phone.clone()]);
    }
    if let Some(w) = &sheet.wishes {
        values.extend([
            w.treatments_note.clone(),
            w.place_of_care.clone(),
            w.place_of_death.clone(),
            w.values.clone(),
        ]);
    }
    if let Some(s) = &sheet.surrogate {
        values.extend([format!("{}（{}）", s.name, s.relation), s.phone.clone()]);
    }
    values
}

#[test]
fn every_value_comes_back_exactly_on_one_page() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = fixture::sheet();
    let pdf = write(dir.path(), "sheet.pdf", &sheet);
    assert_eq!(pages(&pdf), 1);
    let text = joined(&pdf);
    for value in every_value(&sheet) {
        assert!(
            text.contains(&squeeze(&value)),
            "{value} missing from\n{text}"
        );
    }
    for printed in [
        "救急医療情報",
        "救急隊・医療機関の方へ",
        "作成日　令和8年12月1日",
        "昭和25年4月1日（76歳）",
        "男性",
        "希望しない（DNAR）",
        "令和8年11月20日の人生会議の記録による",
        "医師　佐藤　一郎",
        "夜間・休日の連絡先",
        "代理意思決定者",
        // Each treatment with its answer, in the domain's words.
        "人工呼吸器希望しない経管栄養（胃ろう等）希望しない輸血希望する点滴希望する入院未定",
        "①慢性心不全",
        "⑦ランソプラゾール",
        "この内容は令和8年12月1日時点のものです。最新の内容はかかりつけ医に確認してください。",
    ] {
        assert!(
            text.contains(&squeeze(printed)),
            "{printed} missing from\n{text}"
        );
    }
    // Nothing of this sheet was cut or left unrecorded.
    assert!(!text.contains("以下省略"), "{text}");
    assert!(!text.contains("記録なし"), "{text}");
}

/// The heaviest rule drawn on the sheet, in points.
fn heaviest_frame(sheet: &EmergencySheet) -> f32 {
    layout_emergency_sheet(sheet)
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Frame { width_pt, .. } => Some(*width_pt),
            _ => None,
        })
        .fold(0.0, f32::max)
}

#[test]
fn a_declined_cpr_is_framed_heavier_than_anything_else() {
    let declined = fixture::sheet();
    let mut wanted = fixture::sheet();
    wanted.wishes.as_mut().unwrap().treatments = vec![(Treatment::Cpr, Wish::Wants)];
    let mut no_record = fixture::sheet();
    no_record.wishes = None;
    let ordinary = heaviest_frame(&wanted);
    assert_eq!(heaviest_frame(&no_record), ordinary);
    assert!(heaviest_frame(&declined) >= 3.0 * ordinary);
}

#[test]
fn cpr_wanted_or_undecided_never_reads_dnar() {
    let dir = tempfile::tempdir().unwrap();
    for (wish, label) in [(Wish::Wants, "希望する"), (Wish::Undecided, "未定")] {
        let mut sheet = fixture::sheet();
        let wishes = sheet.wishes.as_mut().unwrap();
        wishes.treatments.retain(|(t, _)| *t != Treatment::Cpr);
        wishes.treatments.push((Treatment::Cpr, wish));
        let pdf = write(dir.path(), "cpr.pdf", &sheet);
        let lines = raw(&pdf, &[]);
        assert!(!lines.concat().contains("DNAR"), "{wish:?}");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("心肺蘇生") && l.contains(label)),
            "{wish:?}: {lines:#?}"
        );
    }
}

#[test]
fn without_an_acp_record_the_sheet_says_so_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let mut sheet = fixture::sheet();
    sheet.wishes = None;
    sheet.surrogate = None;
    sheet.nursing_station = None;
    sheet.allergies.clear();
    sheet.devices.clear();
    sheet.clinic.after_hours_phone.clear();
    let pdf = write(dir.path(), "no-acp.pdf", &sheet);
    assert_eq!(pages(&pdf), 1);
    let text = joined(&pdf);
    // In the CPR box and in the wishes' box: no blank that reads as a wish.
    assert_eq!(
        text.matches("人生会議の記録はありません").count(),
        2,
        "{text}"
    );
    for absent in ["希望しない", "希望する", "未定", "DNAR", "療養の場所"] {
        assert!(!text.contains(absent), "{absent} printed without a record");
    }
    // 訪問看護 (name, phone, night), the surrogate (name, phone), the
    // clinic's night number, アレルギー and 医療機器・処置.
    assert_eq!(text.matches("（記録なし）").count(), 8, "{text}");
}

#[test]
fn every_list_at_its_most_keeps_to_one_page_and_past_it_says_how_many() {
    let dir = tempfile::tempdir().unwrap();
    // The most each list holds without a cut: 8 病名, 16 薬, 6 機器.
    let mut full = fixture::sheet();
    full.problems = (1..=8).map(|i| format!("傷病名その{i}")).collect();
    full.medications = (1..=16)
        .map(|i| format!("薬剤{i:02}錠10mg 1錠 朝食後"))
        .collect();
    full.devices = (1..=6).map(|i| format!("医療機器{i}")).collect();
    let pdf = write(dir.path(), "full.pdf", &full);
    assert_eq!(pages(&pdf), 1);
    let text = joined(&pdf);
    for value in every_value(&full) {
        assert!(text.contains(&squeeze(&value)), "{value} missing");
    }
    assert!(!text.contains("以下省略"));

    for items in [9, 17, 40, 10_000] {
        let sheet = fixture::crowded(items);
        let pdf = write(dir.path(), "crowded.pdf", &sheet);
        assert_eq!(pages(&pdf), 1, "{items} items");
        let text = joined(&pdf);
        assert!(
            text.contains(&format!("…（以下省略：全{items}件）")),
            "{items}: {text}"
        );
        assert!(text.contains("傷病名その1") && text.contains("薬剤01錠10mg"));
        // Long texts are cut where the reader sees it.
        assert!(text.contains("…（以下省略）"), "{text}");
        // The boxes end above the footer.
        let page = layout_emergency_sheet(&sheet);
        let lowest = page
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Frame { y, h, .. } => Some(y + h),
                _ => None,
            })
            .fold(0.0, f32::max);
        assert!(lowest < 297.0 - 10.0 - 2.0 * 4.6 - 4.0, "{lowest}");
    }
}

#[test]
fn both_fonts_are_embedded_as_subsets_and_the_file_is_small() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(dir.path(), "sheet.pdf", &fixture::sheet());
    let fonts = poppler("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(cols[0].contains('+') && cols[0].contains("IPAex"), "{row}");
        let flags = &cols[cols.len() - 5..cols.len() - 2];
        assert_eq!(flags, ["yes", "yes", "yes"], "{row}");
    }
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert!(size <= 100 * 1024, "{size} bytes");
}

#[test]
fn no_printed_line_breaks_a_kinsoku_rule() {
    // The content column holds 43 full-width characters a line at 9.5 pt:
    // each probe puts a forbidden character at the 44th (first of line 2)
    // or an opening bracket at the 43rd (last of line 1).
    let base: Vec<char> =
        "経過観察中に血圧は安定し自覚症状の訴えはなく家庭血圧も良好に推移しており服薬状況も良好です"
            .chars()
            .collect();
    let mut probes = Vec::new();
    for c in "。、」』）ー・：；！？っゃゅょッャュョ".chars() {
        let head: String = base[..43].iter().collect();
        probes.push(format!("{head}{c}以下同様。"));
    }
    for c in "「『（".chars() {
        let head: String = base[..42].iter().collect();
        probes.push(format!("{head}{c}括弧内」です。"));
    }
    let dir = tempfile::tempdir().unwrap();
    for probe in &probes {
        let mut sheet = fixture::sheet();
        sheet.allergies = probe.clone();
        sheet.wishes.as_mut().unwrap().values = probe.clone();
        let pdf = write(dir.path(), "kinsoku.pdf", &sheet);
        // The content column only (x from 47 mm), so labels cannot
        // interleave with it.
        let lines = raw(&pdf, &["-x", "134", "-y", "0", "-W", "420", "-H", "842"]);
        for line in &lines {
            let first = line.chars().next().unwrap();
            let last = line.chars().last().unwrap();
            assert!(may_start_line(first), "line starts with {first}: {line}");
            assert!(may_end_line(last), "line ends with {last}: {line}");
        }
        let text = squeeze(&lines.concat());
        assert_eq!(
            text.matches(&squeeze(probe)).count(),
            2,
            "{probe}\n{lines:#?}"
        );
    }
}

#[test]
fn check_refuses_what_cannot_be_printed() {
    let mut sheet = fixture::sheet();
    sheet.patient.name = "　".into();
    sheet.clinic.phone.clear();
    sheet.made_by.clear();
    assert_eq!(
        sheet.check(),
        Err(LetterError::Missing(vec![
            Field::PatientName,
            Field::EmergencySheet(SheetField::ClinicPhone),
            Field::EmergencySheet(SheetField::MadeBy),
        ]))
    );
    assert!(render_emergency_sheet_pdf(&sheet).is_err());

    let mut unnamed = fixture::sheet();
    unnamed.surrogate.as_mut().unwrap().name.clear();
    unnamed.nursing_station.as_mut().unwrap().name.clear();
    assert_eq!(
        unnamed.check(),
        Err(LetterError::Missing(vec![
            Field::EmergencySheet(SheetField::NursingStation),
            Field::EmergencySheet(SheetField::Surrogate),
        ]))
    );

    let mut unprintable = fixture::sheet();
    unprintable.medications.push("𠮷草湯".into());
    let Err(LetterError::UnsupportedCharacters(texts)) = unprintable.check() else {
        panic!("𠮷 accepted");
    };
    assert_eq!(
        texts[0].field,
        Field::EmergencySheet(SheetField::Medications)
    );
    assert_eq!(texts[0].characters, "𠮷");
    assert_eq!(texts[0].field.key(), "medications");
    assert_eq!(texts[0].field.label(), "服用中の薬");

    // Long lists are printed shortened, not refused.
    assert_eq!(fixture::crowded(10_000).check(), Ok(()));
}

/// Not a check: writes the sheets as PNG for a person to look at
/// (`cargo test -p tsunagu-letters --test emergency_sheet -- --ignored`).
#[test]
#[ignore = "writes /tmp/sheet-*.png for review"]
fn png_preview() {
    let dir = tempfile::tempdir().unwrap();
    let mut no_acp = fixture::sheet();
    no_acp.wishes = None;
    no_acp.surrogate = None;
    no_acp.nursing_station = None;
    for (name, sheet) in [
        ("standard", fixture::sheet()),
        ("no-acp", no_acp),
        ("crowded", fixture::crowded(40)),
    ] {
        let pdf = write(dir.path(), &format!("{name}.pdf"), &sheet);
        let prefix = format!("/tmp/sheet-{name}");
        poppler(
            "pdftoppm",
            &["-r", "100", "-png", pdf.to_str().unwrap(), &prefix],
        );
    }
}
