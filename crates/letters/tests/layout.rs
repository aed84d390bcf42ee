//! The form's layout, checked on the display list: nothing lost, nothing
//! off the page, 禁則 held, long sections continued on 続紙.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use common::{referral, section_paragraphs, standard};
use tsunagu_letters::linebreak::{may_end_line, may_start_line};
use tsunagu_letters::{Field, FontKind, Item, Letter, LetterError, Page, layout};

/// The section text lines (Mincho 10 pt in the content column), in order.
fn body_lines(pages: &[Page]) -> Vec<String> {
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
            } if *size_pt == 10.0 && (*x - 47.5).abs() < 0.01 => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn assert_on_page(pages: &[Page]) {
    for (n, page) in pages.iter().enumerate() {
        for item in &page.items {
            let (x, y) = match item {
                Item::Text { x, y, .. } => (*x, *y),
                Item::Line { x2, y2, .. } => (*x2, *y2),
                Item::Frame { x, y, w, h, .. } | Item::Fill { x, y, w, h } => (x + w, y + h),
                Item::Circle { cx, cy, r, .. } => (cx + r, cy + r),
            };
            assert!(
                (0.0..=210.0).contains(&x) && (0.0..=290.0).contains(&y),
                "page {n}: {item:?}"
            );
        }
    }
}

fn assert_kinsoku(lines: &[String]) {
    for pair in lines.windows(2) {
        if let (Some(end), Some(start)) = (pair[0].chars().last(), pair[1].chars().next()) {
            assert!(may_end_line(end), "line ends with {end}: {pair:?}");
            assert!(may_start_line(start), "line starts with {start}: {pair:?}");
        }
    }
}

#[test]
fn the_standard_letter_is_one_page_with_every_line_of_its_sections() {
    let letter = standard();
    letter.check().unwrap();
    let pages = layout(&letter);
    assert_eq!(pages.len(), 1);
    assert_on_page(&pages);
    let lines = body_lines(&pages);
    let joined = lines.concat();
    for paragraph in section_paragraphs(&letter) {
        assert!(joined.contains(paragraph), "missing: {paragraph}");
    }
    assert_kinsoku(&lines);
    let all: Vec<&str> = pages[0].texts().collect();
    for expected in [
        "診療情報提供書",
        "豊島中央病院",
        "循環器内科　担当医　先生　御侍史",
        "山田　太郎",
        "やまだ　たろう",
        "昭和25年4月1日（76歳）",
        "令和8年5月12日",
        "佐藤　花子",
        "K8Y-5WW-FJC",
    ] {
        assert!(all.contains(&expected), "{expected} not drawn: {all:?}");
    }
    // No page number on a one-page letter.
    assert!(!all.contains(&"1/1"));
}

#[test]
fn a_section_of_fifty_thousand_characters_continues_over_numbered_pages() {
    let mut letter = standard();
    let long: String = "経過観察中に血圧は安定し、「自覚症状」の訴えはなかった。HbA1c 7.2%。"
        .chars()
        .cycle()
        .take(50_000)
        .collect();
    referral(&mut letter).course = long.clone();
    letter.check().unwrap();
    let pages = layout(&letter);
    assert!(pages.len() >= 10, "{} pages", pages.len());
    assert_on_page(&pages);
    let lines = body_lines(&pages);
    assert!(lines.concat().contains(&long), "text lost across pages");
    assert_kinsoku(&lines);
    let count = pages.len();
    for (i, page) in pages.iter().enumerate() {
        let texts: Vec<&str> = page.texts().collect();
        assert!(
            texts.contains(&format!("{}/{count}", i + 1).as_str()),
            "page {i}"
        );
        if i > 0 {
            assert!(texts.contains(&"診療情報提供書（続紙）"), "page {i}");
            assert!(texts.contains(&"患者氏名　山田　太郎　　令和8年5月12日"));
            assert!(
                texts.contains(&"症状経過及び検査結果（続き）")
                    || texts.iter().any(|t| t.starts_with("症状経過"))
                    || i + 1 == count
            );
        }
    }
    // The sections after the long one come after it, whole.
    let joined = lines.concat();
    let Letter::Referral(r) = &letter else {
        unreachable!()
    };
    let treatment_at = joined.find(r.treatment.as_str()).expect("治療経過 drawn");
    assert!(treatment_at > joined.find(&long).unwrap());
}

#[test]
fn missing_required_fields_are_named_and_nothing_is_laid_out() {
    let mut letter = standard();
    let r = referral(&mut letter);
    r.header.to.institution = " ".into();
    r.purpose = String::new();
    r.diagnoses = vec![String::new()];
    let err = letter.check().unwrap_err();
    assert_eq!(
        err,
        LetterError::Missing(vec![Field::ToInstitution, Field::Purpose, Field::Diagnoses])
    );
    assert_eq!(
        err.to_string(),
        "次の項目を入力してください：紹介先医療機関名、紹介目的、傷病名"
    );
}

#[test]
fn characters_the_font_lacks_are_reported_before_issuing() {
    let mut letter = standard();
    referral(&mut letter).header.patient.name = "𠮷田　太郎".into();
    referral(&mut letter).remarks = "よろしくお願いします😀".into();
    let err = letter.check().unwrap_err();
    let LetterError::UnsupportedCharacters(fields) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(fields.len(), 2);
    assert_eq!(
        (fields[0].field, fields[0].characters.as_str()),
        (Field::PatientName, "𠮷")
    );
    assert_eq!(
        (fields[1].field, fields[1].characters.as_str()),
        (Field::Remarks, "😀")
    );
    assert!(err.to_string().contains("患者氏名の「𠮷」"));
}

#[test]
fn malformed_json_is_a_clear_error_that_does_not_echo_values() {
    let err = Letter::from_json("{\"kind\": \"referral\", ").unwrap_err();
    assert!(err.to_string().contains("途中で終わって"), "{err}");
    let err = Letter::from_json("{\"kind\": \"referral\" \"x\"}").unwrap_err();
    assert!(err.to_string().contains("書式"), "{err}");
    let mut json: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/standard-referral.json")).unwrap();
    json["patient"]["birth_date"] = "山田さんの誕生日".into();
    let err = Letter::from_json(&json.to_string()).unwrap_err();
    assert!(!err.to_string().contains("山田"), "{err}");
    json.as_object_mut().unwrap().remove("purpose");
    json["patient"]["birth_date"] = "1950-04-01".into();
    let err = Letter::from_json(&json.to_string()).unwrap_err();
    assert!(err.to_string().contains("purpose"), "{err}");
}

#[test]
fn the_discharge_letter_uses_the_whole_first_page_and_checks_its_dates() {
    let mut letter = Letter::from_json(include_str!("../fixtures/discharge.json")).unwrap();
    letter.check().unwrap();
    let pages = layout(&letter);
    assert_eq!(pages.len(), 1);
    assert_on_page(&pages);
    let texts: Vec<&str> = pages[0].texts().collect();
    for expected in [
        "診療情報提供書（退院時サマリー）",
        "田中　一郎　先生　御侍史",
        "令和8年5月20日　～　令和8年6月18日（30日間）",
    ] {
        assert!(texts.contains(&expected), "{expected}: {texts:?}");
    }
    let Letter::Discharge(d) = &mut letter else {
        unreachable!()
    };
    d.discharged_on = d.admitted_on.pred_opt().unwrap();
    assert_eq!(letter.check(), Err(LetterError::DischargeBeforeAdmission));
}

/// 両端揃え on the display list: a justified line spans the content column
/// exactly (145 mm: the box less its label column and padding), and no line
/// is wider. Referral and discharge letters draw their boxes alike.
#[test]
fn justified_lines_span_the_content_column_exactly() {
    let discharge = Letter::from_json(include_str!("../fixtures/discharge.json")).unwrap();
    for letter in [standard(), discharge] {
        let pages = layout(&letter);
        let mut justified = 0;
        for item in pages.iter().flat_map(|p| &p.items) {
            let Item::Text {
                x, size_pt, gap_pt, ..
            } = item
            else {
                continue;
            };
            if *size_pt != 10.0 || (*x - 47.5).abs() > 0.01 {
                continue;
            }
            let width = item.drawn_width().unwrap();
            assert!(width <= 145.0 + 1e-3, "{width} mm: {item:?}");
            if *gap_pt > 0.0 {
                assert!((width - 145.0).abs() < 1e-3, "{width} mm: {item:?}");
                justified += 1;
            }
        }
        assert!(justified >= 5, "{justified} justified lines");
    }
}
