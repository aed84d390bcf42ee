use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 4, 1).expect("valid date")
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

fn valid_draft() -> PatientDraft {
    PatientDraft {
        name: "山田 太郎".to_owned(),
        kana: "やまだ たろう".to_owned(),
        birth_date: "S25.4.1".to_owned(),
        sex: Some(Sex::Male),
        address: "東京都豊島区南大塚1-2-3".to_owned(),
        phone: "03-1234-5678".to_owned(),
        key_person_name: "山田 花子".to_owned(),
        key_person_relation: "妻".to_owned(),
        key_person_phone: "090-1234-5678".to_owned(),
        chart_number: "A-00123".to_owned(),
        memo: "独居。\n火曜は透析。".to_owned(),
    }
}

/// The single error a draft produces, as (field key, message).
fn only_error(draft: &PatientDraft) -> (&'static str, String) {
    let errors = validate_patient(draft, today()).expect_err("should be rejected");
    assert_eq!(errors.len(), 1, "{errors:?}");
    (errors[0].field.key(), errors[0].message.clone())
}

#[test]
fn valid_draft_is_accepted_and_trimmed() {
    let mut draft = valid_draft();
    draft.name = "　山田 太郎 ".to_owned();
    draft.kana = " ヤマダ　タロウ　".to_owned();
    draft.phone = "０３ー１２３４ー５６７８".to_owned();
    draft.chart_number = " ａ－００１２３ ".to_owned();
    let fields = validate_patient(&draft, today()).expect("valid");
    assert_eq!(fields.name, "山田 太郎");
    assert_eq!(fields.kana, "ヤマダ　タロウ");
    assert_eq!(fields.birth_date, ymd(1950, 4, 1));
    assert_eq!(fields.sex, Sex::Male);
    assert_eq!(fields.phone, "03-1234-5678");
    assert_eq!(
        fields.key_person,
        KeyPerson {
            name: "山田 花子".to_owned(),
            relation: "妻".to_owned(),
            phone: "090-1234-5678".to_owned(),
        }
    );
    assert_eq!(fields.chart_number.as_deref(), Some("a-00123"));
    assert_eq!(fields.memo, "独居。\n火曜は透析。");
}

#[test]
fn optional_fields_may_be_empty() {
    let draft = PatientDraft {
        name: "山田太郎".to_owned(),
        kana: "やまだたろう".to_owned(),
        birth_date: "1950-04-01".to_owned(),
        sex: Some(Sex::Other),
        ..PatientDraft::default()
    };
    let fields = validate_patient(&draft, today()).expect("valid");
    assert_eq!(fields.chart_number, None);
    assert_eq!(fields.phone, "");
    assert_eq!(fields.key_person, KeyPerson::default());
}

#[test]
fn name_is_required_and_limited() {
    let mut draft = valid_draft();
    draft.name = " 　".to_owned();
    assert_eq!(
        only_error(&draft),
        ("name", "氏名を入力してください".to_owned())
    );
    draft.name = "山".repeat(100);
    assert!(validate_patient(&draft, today()).is_ok());
    draft.name = "山".repeat(101);
    assert_eq!(
        only_error(&draft),
        (
            "name",
            "氏名は100文字以内で入力してください（現在101文字）".to_owned()
        )
    );
    draft.name = "山田\n太郎".to_owned();
    assert_eq!(only_error(&draft).0, "name");
}

#[test]
fn kana_must_be_kana() {
    let mut draft = valid_draft();
    draft.kana = String::new();
    assert_eq!(
        only_error(&draft),
        ("kana", "ふりがなを入力してください".to_owned())
    );
    for bad in ["山田", "yamada", "やまだ1"] {
        draft.kana = bad.to_owned();
        assert_eq!(
            only_error(&draft),
            (
                "kana",
                "ふりがなはひらがなかカタカナで入力してください".to_owned()
            ),
            "{bad}"
        );
    }
    draft.kana = "ﾔﾏﾀﾞ ﾀﾛｳ".to_owned();
    assert_eq!(
        validate_patient(&draft, today()).map(|f| f.kana),
        Ok("ﾔﾏﾀﾞ ﾀﾛｳ".to_owned())
    );
    draft.kana = "あ".repeat(101);
    assert_eq!(
        only_error(&draft),
        (
            "kana",
            "ふりがなは100文字以内で入力してください（現在101文字）".to_owned()
        )
    );
}

#[test]
fn birth_date_rules() {
    let mut draft = valid_draft();
    draft.birth_date = String::new();
    assert_eq!(
        only_error(&draft),
        ("birthDate", "生年月日を入力してください".to_owned())
    );
    draft.birth_date = "昭和65年1月1日".to_owned();
    assert_eq!(
        only_error(&draft),
        (
            "birthDate",
            "昭和は64年1月7日までです。それより後の日付は平成で入力してください（例：平成元年1月8日）".to_owned()
        )
    );
    draft.birth_date = "そのうち".to_owned();
    assert_eq!(
        only_error(&draft),
        ("birthDate", DateError::Unrecognised.to_string())
    );
    draft.birth_date = "2026-04-02".to_owned();
    assert_eq!(
        only_error(&draft),
        ("birthDate", "未来の日付は指定できません".to_owned())
    );
    draft.birth_date = "2026-04-01".to_owned();
    assert!(validate_patient(&draft, today()).is_ok());
    draft.birth_date = "1896-04-01".to_owned();
    assert!(validate_patient(&draft, today()).is_ok(), "exactly 130");
    draft.birth_date = "1895-04-01".to_owned();
    assert_eq!(
        only_error(&draft),
        (
            "birthDate",
            "生年月日を確認してください（130歳を超えています）".to_owned()
        )
    );
    draft.birth_date = "1".repeat(100_000);
    assert_eq!(only_error(&draft).0, "birthDate");
}

#[test]
fn sex_is_required() {
    let mut draft = valid_draft();
    draft.sex = None;
    assert_eq!(
        only_error(&draft),
        ("sex", "性別を選択してください".to_owned())
    );
}

#[test]
fn phone_rules() {
    let mut draft = valid_draft();
    draft.phone = "03-1234-567８ 内線".to_owned();
    assert_eq!(
        only_error(&draft),
        (
            "phone",
            "電話番号は数字とハイフンで入力してください（例：03-1234-5678）".to_owned()
        )
    );
    draft.phone = "0".repeat(21);
    assert_eq!(
        only_error(&draft),
        (
            "phone",
            "電話番号は20文字以内で入力してください（現在21文字）".to_owned()
        )
    );
    draft = valid_draft();
    draft.key_person_phone = "わからない".to_owned();
    assert_eq!(only_error(&draft).0, "keyPersonPhone");
}

#[test]
fn address_and_key_person_limits() {
    let mut draft = valid_draft();
    draft.address = "東京都\n豊島区".to_owned();
    assert!(validate_patient(&draft, today()).is_ok());
    draft.address = "東".repeat(201);
    assert_eq!(
        only_error(&draft),
        (
            "address",
            "住所は200文字以内で入力してください（現在201文字）".to_owned()
        )
    );
    draft.address = "東京都\u{1b}[0m".to_owned();
    assert_eq!(only_error(&draft).0, "address");

    let mut draft = valid_draft();
    draft.key_person_name = "花".repeat(101);
    draft.key_person_relation = "妻\n".to_owned() + "夫";
    let errors = validate_patient(&draft, today()).expect_err("rejected");
    let keys: Vec<_> = errors.iter().map(|e| e.field.key()).collect();
    assert_eq!(keys, ["keyPersonName", "keyPersonRelation"]);
}

#[test]
fn chart_number_rules() {
    let mut draft = valid_draft();
    draft.chart_number = "　".to_owned();
    assert_eq!(
        validate_patient(&draft, today()).map(|f| f.chart_number),
        Ok(None)
    );
    draft.chart_number = "１２３４５".to_owned();
    assert_eq!(
        validate_patient(&draft, today()).map(|f| f.chart_number),
        Ok(Some("12345".to_owned()))
    );
    draft.chart_number = "12-34/5".to_owned();
    assert_eq!(
        only_error(&draft),
        (
            "chartNumber",
            "カルテ番号は英数字とハイフンで入力してください（例：A-00123）".to_owned()
        )
    );
    draft.chart_number = "カルテ1".to_owned();
    assert_eq!(only_error(&draft).0, "chartNumber");
    draft.chart_number = "1".repeat(21);
    assert_eq!(
        only_error(&draft),
        (
            "chartNumber",
            "カルテ番号は20文字以内で入力してください（現在21文字）".to_owned()
        )
    );
}

#[test]
fn huge_memo_gets_a_clear_message() {
    let mut draft = valid_draft();
    draft.memo = "あ".repeat(10_000);
    assert!(validate_patient(&draft, today()).is_ok());
    draft.memo = "あ".repeat(100_000);
    assert_eq!(
        only_error(&draft),
        (
            "memo",
            "メモは10,000文字以内で入力してください（現在100,000文字）".to_owned()
        )
    );
    draft.memo = "ok\u{0}".to_owned();
    assert_eq!(only_error(&draft).0, "memo");
    draft.memo = "一行目\r\n\t二行目".to_owned();
    assert!(validate_patient(&draft, today()).is_ok());
}

#[test]
fn every_problem_is_reported_at_once() {
    let draft = PatientDraft {
        name: String::new(),
        kana: "山田".to_owned(),
        birth_date: "2023-02-30".to_owned(),
        sex: None,
        phone: "abc".to_owned(),
        chart_number: "#1".to_owned(),
        memo: "x".repeat(10_001),
        ..PatientDraft::default()
    };
    let errors = validate_patient(&draft, today()).expect_err("rejected");
    let keys: Vec<_> = errors.iter().map(|e| e.field.key()).collect();
    assert_eq!(
        keys,
        [
            "name",
            "kana",
            "birthDate",
            "sex",
            "phone",
            "chartNumber",
            "memo"
        ]
    );
    assert_eq!(errors[2].message, DateError::NoSuchDay.to_string());
}

#[test]
fn field_keys() {
    let all = [
        (PatientField::Name, "name"),
        (PatientField::Kana, "kana"),
        (PatientField::BirthDate, "birthDate"),
        (PatientField::Sex, "sex"),
        (PatientField::Address, "address"),
        (PatientField::Phone, "phone"),
        (PatientField::KeyPersonName, "keyPersonName"),
        (PatientField::KeyPersonRelation, "keyPersonRelation"),
        (PatientField::KeyPersonPhone, "keyPersonPhone"),
        (PatientField::ChartNumber, "chartNumber"),
        (PatientField::Memo, "memo"),
    ];
    for (field, key) in all {
        assert_eq!(field.key(), key);
    }
}
