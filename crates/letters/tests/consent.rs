//! The consent form (同意書): one page whose text poppler reads back, check
//! boxes as the form says, the withdrawn reprint, long texts kept inside
//! the page without overlapping, and nothing printed for an invalid form.
//! The rendered pages are saved as artifacts/consent-form*.png to look at.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::{consent, pages, poppler, text};
use tsunagu_letters::page::PT_PER_MM;
use tsunagu_letters::{
    ConsentForm, Field, Item, LetterError, Page, layout_consent, render_consent_pdf,
};

const WITHDRAWN: &str = "この同意は 令和8年6月1日 に撤回されました。";

fn write(dir: &Path, name: &str, form: &ConsentForm) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, render_consent_pdf(form).unwrap()).unwrap();
    path
}

fn withdrawn() -> ConsentForm {
    let mut form = consent();
    form.withdrawn_on = NaiveDate::from_ymd_opt(2026, 6, 1);
    form
}

/// Keeps the PDF as artifacts/<name>.pdf with page 1 at 80 dpi beside it
/// as <name>.png, and gives the share of dark pixels.
fn save_png(pdf: &Path, name: &str) -> f64 {
    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    std::fs::copy(pdf, artifacts.join(format!("{name}.pdf"))).unwrap();
    let prefix = artifacts.join(name);
    poppler(
        "pdftoppm",
        &[
            "-r",
            "80",
            "-png",
            "-singlefile",
            "-f",
            "1",
            "-l",
            "1",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let gray = gray_pixels(pdf);
    let dark = gray.iter().filter(|&&p| p < 128).count();
    dark as f64 / gray.len() as f64
}

/// Page 1 as 8-bit gray pixels (P5 at 40 dpi).
fn gray_pixels(pdf: &Path) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("page");
    poppler(
        "pdftoppm",
        &[
            "-r",
            "40",
            "-gray",
            "-singlefile",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let pgm = std::fs::read(dir.path().join("page.pgm")).unwrap();
    let header_end = pgm
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(2)
        .unwrap()
        .0
        + 1;
    pgm[header_end..].to_vec()
}

/// A text's box in mm: left, top, right, bottom (the em box, as IPAex's
/// glyphs sit in it).
fn text_box(item: &Item) -> Option<(f32, f32, f32, f32)> {
    let Item::Text {
        x,
        y,
        font,
        size_pt,
        text,
        ..
    } = item
    else {
        return None;
    };
    let width = font.width(text.trim_end(), *size_pt) / PT_PER_MM;
    let em = size_pt / PT_PER_MM;
    Some((*x, y - em * 0.88, x + width, y + em * 0.12))
}

/// Everything inside the letters' 15 mm side margins and above the bottom
/// edge, and no two lines of text on top of each other.
fn assert_laid_out_cleanly(pages: &[Page]) {
    for (n, page) in pages.iter().enumerate() {
        for item in &page.items {
            let (left, top, right, bottom) = match item {
                Item::Text { .. } => text_box(item).unwrap(),
                Item::Line { x1, y1, x2, y2, .. } => {
                    (x1.min(*x2), y1.min(*y2), x1.max(*x2), y1.max(*y2))
                }
                Item::Frame { x, y, w, h, .. } | Item::Fill { x, y, w, h } => {
                    (*x, *y, x + w, y + h)
                }
                Item::Circle { cx, cy, r, .. } => (cx - r, cy - r, cx + r, cy + r),
            };
            assert!(
                left >= 14.99 && right <= 195.01 && top >= 5.0 && bottom <= 290.0,
                "page {n}: outside the margins: {item:?}"
            );
        }
        let boxes: Vec<_> = page
            .items
            .iter()
            .filter_map(|i| text_box(i).map(|b| (b, i)))
            .collect();
        for (i, (a, item_a)) in boxes.iter().enumerate() {
            for (b, item_b) in &boxes[i + 1..] {
                let apart = a.2 <= b.0 + 0.01
                    || b.2 <= a.0 + 0.01
                    || a.3 <= b.1 + 0.01
                    || b.3 <= a.1 + 0.01;
                assert!(apart, "page {n}: {item_a:?} overlaps {item_b:?}");
            }
        }
    }
}

fn texts(pages: &[Page]) -> Vec<String> {
    pages
        .iter()
        .flat_map(|p| p.texts())
        .map(str::to_string)
        .collect()
}

/// The check boxes from top to bottom, and whether each is ticked: a box
/// is a small square frame, a tick the heavy strokes inside it.
fn check_boxes(page: &Page) -> Vec<bool> {
    let squares: Vec<(f32, f32, f32)> = page
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Frame { x, y, w, h, .. } if (w - h).abs() < 0.01 && *w < 5.0 => {
                Some((*x, *y, *w))
            }
            _ => None,
        })
        .collect();
    squares
        .iter()
        .map(|&(x, y, size)| {
            page.items.iter().any(|item| match item {
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width_pt,
                } => {
                    let inside = |px: f32, py: f32| {
                        (x..=x + size).contains(&px) && (y..=y + size).contains(&py)
                    };
                    *width_pt > 1.0 && inside(*x1, *y1) && inside(*x2, *y2)
                }
                _ => false,
            })
        })
        .collect()
}

#[test]
fn the_form_is_one_page_whose_text_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let form = consent();
    let pdf = write(dir.path(), "consent.pdf", &form);
    let share = save_png(&pdf, "consent-form");
    assert_eq!(pages(&pdf), 1);
    let info = poppler("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("Title:           同意書"), "{info}");
    let page = text(&pdf);
    for expected in [
        "地域連携のための情報共有に関する同意書",
        "医療法人社団さくら会　さくら内科クリニック",
        "院長　佐藤　花子　殿",
        "受付、入院、退院、転院",
        "地域の在宅医療相談窓口と共有する",
        "豊島区在宅医療相談窓口（医師会が運営）",
        "紹介先の病院と共有する",
        "サーバーには送りません",
        "いつでも撤回できます",
        "不利益が生じる",
        "山田　太郎",
        "やまだ　たろう",
        "男性",
        "昭和25年4月1日（1950年4月1日）",
        "令和8年5月12日",
        "鈴木　一子",
        "本人署名",
        "代理人署名",
        "（続柄）",
        "年",
        "〒171-0022　東京都豊島区南池袋2-10-5",
        "電話　03-1234-5678",
        "c0a8012e-5f3b-4d6e-9a1c-7b2d4e6f8a90",
    ] {
        assert!(page.contains(expected), "{expected} missing from\n{page}");
    }
    assert!(!page.contains("撤回されました"));
    // Rules and text: a few percent of the page, not zero, not all.
    assert!((0.01..0.3).contains(&share), "dark share {share}");
}

#[test]
fn the_check_boxes_are_ticked_as_the_form_says() {
    for (desk, hospital, team) in [
        (true, true, false),
        (true, false, false),
        (false, true, false),
        (false, false, true),
        (true, true, true),
    ] {
        let mut form = consent();
        form.share_with_desk = desk;
        form.share_with_hospital = hospital;
        form.share_with_team = team;
        form.check().unwrap();
        let pages = layout_consent(&form);
        assert_eq!(pages.len(), 1);
        let mut expected = vec![desk, hospital];
        // The team's box is printed only on a consent naming the team.
        expected.extend(team.then_some(true));
        assert_eq!(check_boxes(&pages[0]), expected);
        assert_laid_out_cleanly(&pages);
    }
    let mut none = consent();
    none.share_with_desk = false;
    none.share_with_hospital = false;
    assert!(none.check().is_err(), "sharing with no one needs no form");
}

#[test]
fn a_form_naming_the_team_says_the_timeline_is_shared_with_it() {
    let mut form = consent();
    let all = |form: &ConsentForm| texts(&layout_consent(form)).concat();
    assert!(!all(&form).contains("在宅チームのタイムライン"));
    form.share_with_team = true;
    let text = all(&form);
    assert!(text.contains("在宅チーム（当院が招待した"), "{text}");
    assert!(
        text.contains("在宅チームのタイムラインに書いた内容は"),
        "{text}"
    );
}

/// 事前登録 (issue 17): a box of its own, printed only when named, with
/// the hospitals chosen or every participating one; it alone is enough to
/// print a form, and the hospitals' names are checked like the form's
/// other texts.
#[test]
fn a_form_naming_preregistration_names_the_hospitals_or_all_of_them() {
    let all = |form: &ConsentForm| texts(&layout_consent(form)).concat();
    let mut form = consent();
    assert!(!all(&form).contains("事前登録"));
    form.preregistration = true;
    form.check().unwrap();
    let laid = layout_consent(&form);
    assert_eq!(laid.len(), 1);
    assert_eq!(check_boxes(&laid[0]), [true, false, true]);
    assert_laid_out_cleanly(&laid);
    let said = all(&form);
    assert!(
        said.contains("地域の病院に事前登録する（登録先：地域の参加病院すべて）"),
        "{said}"
    );
    assert!(
        said.contains("氏名・生年月日で患者さんとかかりつけ医"),
        "{said}"
    );

    form.preregistered_with = vec!["豊島中央病院".into(), "池袋総合病院".into()];
    form.share_with_desk = false;
    form.share_with_team = true;
    form.check().unwrap();
    let laid = layout_consent(&form);
    assert_eq!(laid.len(), 1);
    // Desk, hospital, team, 事前登録.
    assert_eq!(check_boxes(&laid[0]), [false, false, true, true]);
    assert_laid_out_cleanly(&laid);
    let said = all(&form);
    assert!(
        said.contains("（登録先：豊島中央病院、池袋総合病院）"),
        "{said}"
    );
    assert!(!said.contains("参加病院すべて"), "{said}");

    let dir = tempfile::tempdir().unwrap();
    let pdf = write(dir.path(), "preregistration.pdf", &form);
    assert_eq!(pages(&pdf), 1);
    let page = text(&pdf);
    assert!(page.contains("地域の病院に事前登録する"), "{page}");
    let share = save_png(&pdf, "consent-form-preregistration");
    assert!((0.01..0.3).contains(&share), "dark share {share}");

    // 事前登録 alone is a consent to print.
    let mut alone = consent();
    alone.share_with_desk = false;
    alone.preregistration = true;
    alone.check().unwrap();
    // Hospitals without the box are not printed.
    let mut unticked = consent();
    unticked.preregistered_with = vec!["豊島中央病院".into()];
    assert!(!all(&unticked).contains("豊島中央病院"));

    let mut odd = consent();
    odd.preregistration = true;
    odd.preregistered_with = vec!["𠮷田病院".into()];
    let err = odd.check().unwrap_err();
    let LetterError::UnsupportedCharacters(fields) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(fields[0].field, Field::PreregisteredWith);
    assert!(err.to_string().contains("事前登録する病院"), "{err}");
}

/// Six hospitals with long names wrap inside the one page with every
/// scope named; more, with the longest other texts too, go on to a second
/// page; every name is drawn whole.
#[test]
fn many_hospitals_chosen_wrap_inside_the_page() {
    let hospitals = |n: usize| -> Vec<String> {
        (1..=n)
            .map(|n| format!("地方独立行政法人豊島区立第{n}総合医療センター"))
            .collect()
    };
    for (mut form, chosen, one_page) in [(consent(), 6, true), (long(), 8, false)] {
        form.share_with_hospital = true;
        form.share_with_team = true;
        form.preregistration = true;
        form.preregistered_with = hospitals(chosen);
        form.check().unwrap();
        let pages = layout_consent(&form);
        assert_eq!(pages.len() == 1, one_page, "{} pages", pages.len());
        assert_laid_out_cleanly(&pages);
        let all = texts(&pages).concat();
        for name in &form.preregistered_with {
            assert!(all.contains(name.as_str()), "{name} not drawn whole");
        }
    }
}

#[test]
fn a_withdrawn_form_says_so_in_place_of_the_signature_lines() {
    let form = withdrawn();
    let laid = layout_consent(&form);
    assert_eq!(laid.len(), 1);
    assert_laid_out_cleanly(&laid);
    let drawn = texts(&laid);
    assert!(drawn.iter().any(|t| t == WITHDRAWN), "{drawn:?}");
    assert!(!drawn.iter().any(|t| t.contains("署名")), "{drawn:?}");
    // What was agreed stays legible.
    assert_eq!(check_boxes(&laid[0]), [true, false]);

    let dir = tempfile::tempdir().unwrap();
    let pdf = write(dir.path(), "withdrawn.pdf", &form);
    assert_eq!(pages(&pdf), 1);
    let page = text(&pdf);
    assert!(page.contains(WITHDRAWN), "{page}");
    assert!(page.contains("令和8年5月12日"), "同意日 kept: {page}");
    let share = save_png(&pdf, "consent-form-withdrawn");
    assert!((0.01..0.3).contains(&share), "dark share {share}");
}

/// Names as long as the app lets them be (100 characters for a patient's
/// name or its kana), and other texts longer than most real ones.
fn long() -> ConsentForm {
    let mut form = consent();
    form.patient.name = "長谷川　左衛門之助".chars().cycle().take(100).collect();
    form.patient.kana = "はせがわ　さえもんのすけ"
        .chars()
        .cycle()
        .take(100)
        .collect();
    form.clinic.clinic =
        "医療法人社団さくら会　さくら内科・循環器内科・糖尿病内科クリニック".into();
    form.clinic.address =
        "東京都豊島区南池袋二丁目十番五号　池袋さくらメディカルビルディング南館三階".into();
    form.clinic.doctor = "長谷川　左衛門之助".into();
    form.desk_name =
        "一般社団法人豊島区医師会　豊島区在宅医療・介護連携支援センター（在宅医療相談窓口）"
            .repeat(3);
    form.obtained_by = "地域連携室　医療ソーシャルワーカー　鈴木　一子".into();
    form
}

/// Every text at the most the app allows, at once.
fn longest() -> ConsentForm {
    let mut form = long();
    let cycle = |text: &str, n| text.chars().cycle().take(n).collect::<String>();
    form.clinic.clinic = cycle(&form.clinic.clinic, 100);
    form.clinic.address = cycle(&form.clinic.address, 200);
    form.clinic.doctor = cycle(&form.clinic.doctor, 50);
    form.desk_name = cycle(&form.desk_name, 200);
    form.obtained_by = cycle(&form.obtained_by, 100);
    form.record_id = form.record_id.repeat(3);
    form
}

fn drawn_whole(pages: &[Page], form: &ConsentForm) {
    let all = texts(pages).concat();
    for whole in [
        &form.patient.name,
        &form.patient.kana,
        &form.clinic.clinic,
        &form.clinic.address,
        &form.obtained_by,
        &form.record_id,
        &format!("{}（医師会が運営）", form.desk_name),
    ] {
        assert!(all.contains(whole.as_str()), "{whole} not drawn whole");
    }
}

#[test]
fn long_names_and_a_long_desk_name_wrap_inside_the_one_page() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(dir.path(), "long.pdf", &long());
    save_png(&pdf, "consent-form-long");
    assert_eq!(pages(&pdf), 1);

    let mut long_withdrawn = long();
    long_withdrawn.withdrawn_on = NaiveDate::from_ymd_opt(2026, 6, 1);
    for form in [long(), long_withdrawn] {
        form.check().unwrap();
        let pages = layout_consent(&form);
        assert_eq!(pages.len(), 1);
        assert_laid_out_cleanly(&pages);
        // Every character is drawn, in order, across the lines it wraps to.
        drawn_whole(&pages, &form);
    }
}

#[test]
fn every_text_at_its_longest_goes_on_to_a_numbered_second_page() {
    let form = longest();
    form.check().unwrap();
    let pages = layout_consent(&form);
    let count = pages.len();
    assert!(count >= 2, "{count} pages");
    assert_laid_out_cleanly(&pages);
    drawn_whole(&pages, &form);
    for (i, page) in pages.iter().enumerate() {
        let drawn: Vec<&str> = page.texts().collect();
        let number = format!("{}/{count}", i + 1);
        assert!(drawn.contains(&number.as_str()), "{drawn:?}");
        assert!(drawn.contains(&"同意記録番号"), "footer on page {i}");
        if i > 0 {
            assert!(drawn.contains(&"情報共有に関する同意書（続紙）"));
        }
    }
    let last: Vec<&str> = pages[count - 1].texts().collect();
    assert!(last.contains(&"本人署名"), "{last:?}");
}

#[test]
fn an_invalid_form_is_refused_with_the_letters_errors() {
    let mut form = consent();
    form.patient.name = "　".into();
    let err = form.check().unwrap_err();
    assert_eq!(err, LetterError::Missing(vec![Field::PatientName]));
    assert_eq!(err.to_string(), "次の項目を入力してください：患者氏名");
    assert_eq!(render_consent_pdf(&form), Err(err));

    let mut form = consent();
    form.desk_name = String::new();
    form.share_with_desk = false;
    form.obtained_by = " ".into();
    assert_eq!(
        form.check(),
        Err(LetterError::Missing(vec![
            Field::DeskName,
            Field::ShareWith,
            Field::ObtainedBy
        ]))
    );

    let mut form = consent();
    form.patient.name = "𠮷田　太郎".into();
    form.desk_name = "相談窓口😀".into();
    let err = form.check().unwrap_err();
    let LetterError::UnsupportedCharacters(fields) = &err else {
        panic!("{err:?}")
    };
    let found: Vec<(Field, &str)> = fields
        .iter()
        .map(|f| (f.field, f.characters.as_str()))
        .collect();
    assert_eq!(found, [(Field::DeskName, "😀"), (Field::PatientName, "𠮷")]);
    assert!(err.to_string().contains("患者氏名の「𠮷」"), "{err}");
}

#[test]
fn fonts_in_the_form_are_the_letters_embedded_subsets() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(dir.path(), "consent.pdf", &consent());
    let fonts = poppler("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    assert!(
        rows.iter().all(|r| r.contains("IPAex") && r.contains('+')),
        "{fonts}"
    );
    // The same form gives the same bytes.
    assert_eq!(
        render_consent_pdf(&consent()).unwrap(),
        std::fs::read(&pdf).unwrap()
    );
}
