use chrono::NaiveDate;

use super::*;

fn row<'a>(value: &'a str, range: &'a str) -> LabRowInput<'a> {
    LabRowInput {
        item: "HbA1c",
        value,
        unit: "%",
        reference_range: range,
        taken_on: "2026-05-12",
    }
}

fn sjis(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

fn messages(errors: &[LabCsvError]) -> Vec<String> {
    errors.iter().map(ToString::to_string).collect()
}

#[test]
fn a_typed_row_is_trimmed_and_its_value_folded() {
    let checked = check_lab_row(LabRowInput {
        item: " ＨｂＡ１ｃ（NGSP） ",
        value: "７．２",
        unit: "%",
        reference_range: "4.6-6.2",
        taken_on: "2026/5/12",
    })
    .unwrap();
    assert_eq!(
        checked,
        LabResult {
            item: "ＨｂＡ１ｃ（NGSP）".into(),
            value: "7.2".into(),
            unit: "%".into(),
            reference_range: "4.6-6.2".into(),
            taken_on: NaiveDate::from_ymd_opt(2026, 5, 12).unwrap(),
        }
    );
    assert_eq!(checked.flag(), Some(LabFlag::High));
}

#[test]
fn values_keep_their_digits_and_may_carry_a_comparison_sign() {
    for value in ["0.80", "-3.5", "120", "<0.01", "> 1000", "≦5", "<=5", "≧2"] {
        let checked = check_lab_row(row(value, "")).unwrap_or_else(|e| panic!("{value}: {e:?}"));
        assert!(!checked.value.is_empty());
    }
    assert_eq!(check_lab_row(row("0.80", "")).unwrap().value, "0.80");
    for value in [
        "abc", "陰性", "1+", "1,200", "1e3", ".5", "5.", "--1", "<", "7.2%",
    ] {
        let problems = check_lab_row(row(value, "")).unwrap_err();
        assert_eq!(problems.len(), 1, "{value}");
        assert_eq!(problems[0].column, LabColumn::Value);
        assert_eq!(
            problems[0].message,
            format!("値「{value}」が数値ではありません"),
        );
    }
}

#[test]
fn the_flag_comes_from_a_numeric_range_only() {
    let flag = |value, range| check_lab_row(row(value, range)).unwrap().flag();
    assert_eq!(flag("7.2", "4.6-6.2"), Some(LabFlag::High));
    assert_eq!(flag("4.5", "4.6-6.2"), Some(LabFlag::Low));
    assert_eq!(flag("4.6", "4.6-6.2"), None);
    assert_eq!(flag("6.2", "4.6～6.2"), None);
    assert_eq!(flag("6.3", "4.6 〜 6.2"), Some(LabFlag::High));
    assert_eq!(flag("-3", "-2-2"), Some(LabFlag::Low));
    assert_eq!(flag("-3", "-2 - -1"), Some(LabFlag::Low));
    // Not a numeric range, a comparison value, or a reversed range: no mark.
    assert_eq!(flag("9", "陰性"), None);
    assert_eq!(flag("9", "5以下"), None);
    assert_eq!(flag("<0.01", "0.1-1"), None);
    assert_eq!(flag("9", "6-4"), None);
    assert_eq!(flag("9", ""), None);
}

#[test]
fn the_value_is_read_as_a_number_with_its_sign_and_the_range_as_bounds() {
    let result = |value, range| check_lab_row(row(value, range)).unwrap();
    let measured = |value| result(value, "").measured().unwrap();
    assert_eq!(
        measured("7.2"),
        Measured {
            number: 7.2,
            comparison: None
        }
    );
    assert_eq!(measured("<0.01").comparison, Some(Comparison::Below));
    assert_eq!(measured("≦5").comparison, Some(Comparison::AtMost));
    assert_eq!(measured(">=1000").comparison, Some(Comparison::AtLeast));
    assert_eq!(measured(">1000").comparison, Some(Comparison::Above));
    assert_eq!(measured("-3").number, -3.0);
    assert_eq!(result("7.2", "4.6～6.2").numeric_range(), Some((4.6, 6.2)));
    assert_eq!(result("7.2", "陰性").numeric_range(), None);
    // A stored letter may hold what the row check would now refuse.
    let old = LabResult {
        value: "陽性".into(),
        ..result("1", "")
    };
    assert_eq!(old.measured(), None);
}

#[test]
fn every_problem_of_a_row_is_named_with_its_cell() {
    let problems = check_lab_row(LabRowInput {
        item: "",
        value: "x",
        unit: &"u".repeat(UNIT_MAX_CHARS + 1),
        reference_range: "",
        taken_on: "2026-02-30",
    })
    .unwrap_err();
    let columns: Vec<LabColumn> = problems.iter().map(|p| p.column).collect();
    assert_eq!(
        columns,
        [
            LabColumn::Item,
            LabColumn::Unit,
            LabColumn::Value,
            LabColumn::TakenOn
        ]
    );
    assert_eq!(problems[0].message, "項目がありません");
    assert_eq!(problems[1].message, "単位は20文字以内にしてください");
    assert!(problems[3].message.starts_with("検査日が読み取れません"));
    let no_date = check_lab_row(LabRowInput {
        taken_on: " ",
        ..row("1", "")
    })
    .unwrap_err();
    assert_eq!(no_date[0].message, "検査日がありません");
}

#[test]
fn a_long_refused_value_is_shortened_in_the_message() {
    let problems = check_lab_row(row("abcdefghijklmnopq", "")).unwrap_err();
    assert_eq!(
        problems[0].message,
        "値「abcdefghijkl…」が数値ではありません"
    );
}

#[test]
fn a_utf8_csv_with_japanese_headers_is_read() {
    let csv = "項目,値,単位,基準値,検査日\nHbA1c,7.2,%,4.6-6.2,2026-05-12\nCre,0.80,mg/dL,0.65-1.07,2026/05/12\n";
    let rows = parse_lab_csv(csv.as_bytes()).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].item, "Cre");
    assert_eq!(rows[1].value, "0.80");
    assert_eq!(rows[1].unit, "mg/dL");
    assert_eq!(
        rows[1].taken_on,
        NaiveDate::from_ymd_opt(2026, 5, 12).unwrap()
    );
    // With a BOM, as Excel saves it, and CR LF line ends.
    let with_bom = format!("\u{feff}{}", csv.replace('\n', "\r\n"));
    assert_eq!(parse_lab_csv(with_bom.as_bytes()).unwrap(), rows);
}

#[test]
fn a_shift_jis_csv_with_english_headers_in_another_order_is_read() {
    let csv = "date,item,value,unit,range\r\n2026/05/12,血糖,132,mg/dL,70-109\r\n2026/05/12,\"尿蛋白, 定量\",0.3,g/gCr,0-0.15\r\n";
    let rows = parse_lab_csv(&sjis(csv)).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].item, "血糖");
    assert_eq!(rows[0].flag(), Some(LabFlag::High));
    assert_eq!(rows[1].item, "尿蛋白, 定量");
    assert_eq!(rows[1].reference_range, "0-0.15");
}

#[test]
fn unit_and_range_columns_may_be_absent() {
    let rows = parse_lab_csv("検査項目,結果,検査日\n体重,62.5,2026-05-12\n".as_bytes()).unwrap();
    assert_eq!(rows[0].unit, "");
    assert_eq!(rows[0].reference_range, "");
}

#[test]
fn a_non_numeric_value_is_named_by_its_line_and_nothing_is_returned() {
    let csv = "項目,値,単位,基準値,検査日\r\nHbA1c,7.2,%,4.6-6.2,2026-05-12\r\nCRP,abc,mg/dL,0-0.3,2026-05-12\r\n\r\nLDL,,mg/dL,70-139,2026-05-12\r\n";
    let errors = parse_lab_csv(&sjis(csv)).unwrap_err();
    assert_eq!(
        messages(&errors),
        [
            "3行目：値「abc」が数値ではありません",
            "5行目：値がありません"
        ]
    );
}

#[test]
fn a_quoted_cell_over_two_lines_counts_both() {
    let csv = "項目,値,検査日\n\"長い\n名前\",1,2026-05-12\nX,y,2026-05-12\n";
    let errors = parse_lab_csv(csv.as_bytes()).unwrap_err();
    assert_eq!(
        messages(&errors),
        [
            "2行目：項目に改行は使えません",
            "4行目：値「y」が数値ではありません"
        ]
    );
}

#[test]
fn a_file_in_neither_encoding_is_refused_in_japanese() {
    // 0xFD and 0xFE are neither UTF-8 nor Shift_JIS (a UTF-16 or binary
    // file, or a mangled export).
    let bytes = b"item,value,date\n\xFD\xFE,1,2026-05-12\n";
    let errors = parse_lab_csv(bytes).unwrap_err();
    assert_eq!(
        messages(&errors),
        ["文字コードを読み取れません（UTF-8 または Shift_JIS の CSV を選んでください）"]
    );
    let utf16 = [0xFF, 0xFE, b'a', 0];
    assert_eq!(parse_lab_csv(&utf16).unwrap_err(), [LabCsvError::Encoding]);
}

#[test]
fn headers_that_name_no_value_or_date_are_refused() {
    let errors = parse_lab_csv("項目,単位\nHbA1c,%\n".as_bytes()).unwrap_err();
    assert_eq!(errors, [LabCsvError::MissingColumns(vec!["値", "検査日"])]);
    assert_eq!(parse_lab_csv(b"").unwrap_err(), [LabCsvError::Empty]);
    assert_eq!(
        parse_lab_csv("item,value,date\n\n".as_bytes()).unwrap_err(),
        [LabCsvError::Empty]
    );
}

#[test]
fn more_rows_than_a_letter_holds_are_refused() {
    let mut csv = String::from("item,value,date\n");
    for i in 0..MAX_LAB_ROWS {
        csv.push_str(&format!("T{i},{i},2026-05-12\n"));
    }
    assert_eq!(parse_lab_csv(csv.as_bytes()).unwrap().len(), MAX_LAB_ROWS);
    csv.push_str("extra,1,2026-05-12\n");
    let huge = vec![b'a'; MAX_LAB_CSV_BYTES as usize + 1];
    assert_eq!(parse_lab_csv(&huge).unwrap_err(), [LabCsvError::TooLarge]);
    assert_eq!(
        messages(&parse_lab_csv(csv.as_bytes()).unwrap_err()),
        ["検査結果は一度に200件までです"]
    );
}
