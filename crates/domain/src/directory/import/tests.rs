use super::*;

const OPEN_HEADER: &str = "都道府県コード又は市区町村コード,No,都道府県名,市区町村名,事業所名,事業所名カナ,サービスの種類,住所,方書（ビル名等）,緯度,経度,電話番号,FAX番号,法人番号,法人の名称,事業所番号,利用可能曜日,利用可能曜日特記事項,定員,URL";

fn open_row(no: u32, name: &str, service: &str, number: &str, phone: &str) -> String {
    format!(
        "131164,{no},東京都,豊島区,{name},ミドリホウモンカンゴ,{service},東京都豊島区南池袋1-2-3,池袋ビル2階,35.72,139.71,{phone},03-3981-1235,1234567890123,株式会社みどり,{number},月火水木金,,,https://example.jp"
    )
}

fn shift_jis(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

fn open_file(rows: &[String]) -> String {
    let mut text = format!("{OPEN_HEADER}\r\n");
    for row in rows {
        text.push_str(row);
        text.push_str("\r\n");
    }
    text
}

#[test]
fn the_open_data_in_shift_jis_is_recognised_by_its_header() {
    let text = open_file(&[
        open_row(
            1,
            "みどり訪問看護ステーション",
            "訪問看護",
            "1360190011",
            "03-3981-1234",
        ),
        open_row(
            2,
            "ケアプランさくら",
            "居宅介護支援",
            "1370190022",
            "０３－３９８１－２２２２",
        ),
        open_row(3, "ひまわりヘルパー", "訪問介護", "1370190033", ""),
        open_row(
            4,
            "池袋デイ",
            "介護予防通所リハビリテーション",
            "1370190044",
            "",
        ),
        open_row(
            5,
            "豊島区東部包括",
            "地域包括支援センター",
            "1300000055",
            "",
        ),
    ]);
    let checked = check_file(&shift_jis(&text), None).unwrap();
    assert_eq!(checked.layout, Layout::OpenData);
    assert_eq!(checked.encoding, Encoding::ShiftJis);
    assert!(checked.is_clean(), "{:?}", checked.refused);
    let kinds: Vec<_> = checked.rows.iter().map(|r| r.kind).collect();
    use OrganisationKind::*;
    assert_eq!(
        kinds,
        [
            VisitingNurseStation,
            CareManagementOffice,
            CareService,
            CareService,
            CommunitySupportCenter
        ]
    );
    let first = &checked.rows[0];
    assert_eq!(first.line, 2);
    assert_eq!(first.external_id, "1360190011/visiting_nurse_station");
    assert_eq!(first.address, "東京都豊島区南池袋1-2-3 池袋ビル2階");
    assert_eq!(first.municipalities, ["豊島区"]);
    assert_eq!(first.fax, "03-3981-1235");
    assert_eq!(
        checked.rows[1].phone, "03-3981-2222",
        "the domain's check_phone"
    );
}

#[test]
fn columns_are_found_by_name_not_position() {
    let text = "電話番号,サービスの種類,事業所番号,住所,事業所名\n03-1111-2222,訪問リハビリテーション,1310000001,東京都北区1-1,北リハ\n";
    let checked = check_file(text.as_bytes(), None).unwrap();
    assert_eq!(checked.layout, Layout::OpenData);
    assert_eq!(checked.rows[0].kind, OrganisationKind::HomeRehabilitation);
    assert_eq!(checked.rows[0].name, "北リハ");
    assert!(checked.rows[0].municipalities.is_empty());
}

#[test]
fn the_simple_layout_in_utf8_with_bom_takes_labels_or_codes() {
    let text = "\u{feff}識別番号,種別,名称,名称カナ,住所,電話番号,FAX番号,対応地域\n\
        H-001,病院,池袋中央病院,イケブクロチュウオウビョウイン,東京都豊島区1-1,03-1000-0001,,\n\
        C-002,clinic,\"みどり\n在宅クリニック\",ミドリザイタク,東京都豊島区2-2,03-1000-0002,03-1000-0003,\"豊島区、練馬区\"\n\
        P-003,保険薬局,さくら薬局,,,,,\n\
        D-004,歯科診療所,あおば歯科,,,,,\n";
    let checked = check_file(text.as_bytes(), None).unwrap();
    assert_eq!(checked.layout, Layout::Simple);
    assert_eq!(checked.encoding, Encoding::Utf8WithBom);
    assert!(checked.is_clean(), "{:?}", checked.refused);
    assert_eq!(checked.rows.len(), 4);
    let clinic = &checked.rows[1];
    assert_eq!(clinic.kind, OrganisationKind::Clinic);
    assert_eq!(
        clinic.name, "みどり 在宅クリニック",
        "a quoted line break is a space"
    );
    assert_eq!(clinic.municipalities, ["豊島区", "練馬区"]);
    assert_eq!(clinic.external_id, "C-002");
    // The multi-line cell takes lines 3–4; the pharmacy is on line 5.
    assert_eq!(checked.rows[2].line, 5);
    assert_eq!(checked.rows[3].kind, OrganisationKind::DentalClinic);
}

#[test]
fn bad_rows_are_refused_with_their_line_and_reason() {
    let text = open_file(&[
        open_row(1, "", "訪問看護", "1360190011", ""),
        open_row(2, "謎の事業所", "謎のサービス", "1360190022", ""),
        open_row(3, "電話違い", "訪問介護", "1360190033", "でんわ"),
        open_row(4, "番号なし", "訪問介護", "", ""),
        open_row(5, "よい事業所", "訪問介護", "1360190055", ""),
    ]);
    let checked = check_file(text.as_bytes(), None).unwrap();
    assert!(!checked.is_clean());
    assert_eq!(checked.rows.len(), 1);
    let refused: Vec<(u64, &str)> = checked
        .refused
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    assert_eq!(refused[0], (2, "事業所名がありません"));
    assert_eq!(refused[1].0, 3);
    assert!(refused[1].1.contains("サービスの種類「謎のサービス」"));
    assert_eq!(refused[2].0, 4);
    assert!(refused[2].1.starts_with("電話番号は数字とハイフン"));
    assert_eq!(refused[3], (5, "事業所番号がありません"));
    assert_eq!(checked.refused[1].name, "謎の事業所");
}

#[test]
fn a_number_twice_in_a_file_is_refused_naming_the_first() {
    let text = open_file(&[
        open_row(1, "一つ目", "訪問介護", "1360190011", ""),
        open_row(2, "二つ目", "訪問介護", "1360190011", ""),
    ]);
    let checked = check_file(text.as_bytes(), None).unwrap();
    assert_eq!(checked.rows.len(), 1);
    assert_eq!(checked.refused[0].line, 3);
    assert_eq!(
        checked.refused[0].reason,
        "事業所番号「1360190011」が2行目と重複しています"
    );
}

#[test]
fn missing_columns_refuse_the_file_naming_them() {
    let text = "事業所名,サービスの種類,住所\nみどり,訪問看護,東京都\n";
    let refused = check_file(text.as_bytes(), None).unwrap_err();
    assert_eq!(
        refused,
        FileRefused::MissingColumns {
            layout: Layout::OpenData,
            missing: vec!["事業所番号", "電話番号"]
        }
    );
    assert!(refused.to_string().contains("事業所番号、電話番号"));
    // Asked for the other layout, the file is short of its columns.
    let asked = check_file(text.as_bytes(), Some(Layout::Simple)).unwrap_err();
    assert!(matches!(
        asked,
        FileRefused::MissingColumns {
            layout: Layout::Simple,
            ..
        }
    ));
    assert_eq!(
        check_file("a,b\n1,2\n".as_bytes(), None),
        Err(FileRefused::UnknownLayout)
    );
}

#[test]
fn utf16_and_unreadable_bytes_are_refused_naming_the_line() {
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "識別番号,種別,名称\n".encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    assert_eq!(check_file(&utf16, None), Err(FileRefused::Utf16));
    assert!(FileRefused::Utf16.to_string().starts_with("1行目"));
    // Without its BOM, UTF-16 is NULs in either reading.
    assert_eq!(
        check_file(&utf16[2..], None),
        Err(FileRefused::Undecodable { line: 1 })
    );
    // Shift_JIS with one broken character on line 3.
    let mut bytes = shift_jis("識別番号,種別,名称\nA-1,病院,東病院\nA-2,病院,");
    bytes.extend([0x81, 0x20]);
    bytes.extend(shift_jis("病院\n"));
    assert_eq!(
        check_file(&bytes, None),
        Err(FileRefused::Undecodable { line: 3 })
    );
    // UTF-8 with a BOM and a broken sequence on line 2.
    let mut bytes = b"\xEF\xBB\xBF\xE8\xAD\x98,x\n".to_vec();
    bytes.extend([0xE8, 0x41]);
    assert_eq!(
        check_file(&bytes, None),
        Err(FileRefused::Undecodable { line: 2 })
    );
}

#[test]
fn empty_files_and_headers_alone_are_refused() {
    assert_eq!(check_file(b"", None), Err(FileRefused::Empty));
    assert_eq!(
        check_file("識別番号,種別,名称\n,,\n".as_bytes(), None),
        Err(FileRefused::NoRows)
    );
}

#[test]
fn the_simple_layout_refuses_the_desk_and_unknown_kinds_and_bad_ids() {
    let text = "識別番号,種別,名称\nX-1,相談窓口,窓口\nX-2,温泉,湯\nX/3,病院,斜線病院\nX-4,PHARMACY,大文字薬局\n";
    let checked = check_file(text.as_bytes(), None).unwrap();
    let lines: Vec<u64> = checked.refused.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 3, 4]);
    assert!(checked.refused[0].reason.contains("種別「相談窓口」"));
    assert!(checked.refused[2].reason.starts_with("識別番号「X/3」"));
    assert_eq!(checked.rows[0].kind, OrganisationKind::Pharmacy);
}

#[test]
fn layouts_have_codes() {
    for layout in Layout::ALL {
        assert_eq!(Layout::from_code(layout.code()), Some(layout));
    }
}
