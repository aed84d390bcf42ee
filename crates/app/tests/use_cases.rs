//! The use cases as the desktop UI calls them, against a real encrypted store
//! in a temporary directory, with the clock fixed at 2026-11-24.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use tsunagu_app::{App, AppError, ClinicDraft, ErrorCode, PatientDraft, PatientView, Sex};
use tsunagu_store::AuditAction;
use tsunagu_testkit::fixtures::*;
use uuid::Uuid;

// ---------------------------------------------------------------------------
// Clinic profile
// ---------------------------------------------------------------------------

fn clinic() -> ClinicDraft {
    ClinicDraft {
        name: "つなぐ内科クリニック".to_string(),
        institution_code: "13-1-2345679".to_string(),
        postal_code: "〒１７１－００２２".to_string(),
        address: "東京都豊島区南池袋1-2-3".to_string(),
        phone: "０３ー１２３４ー５６７８".to_string(),
        fax: "03-1234-5679".to_string(),
        doctor_name: "  鈴木　一郎 ".to_string(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clinic_profile_is_none_before_the_first_save() {
    let t = new_app().await;
    assert_eq!(t.app.clinic_profile().await.unwrap(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_clinic_profile_reports_every_bad_field_and_saves_nothing() {
    let t = new_app().await;
    let draft = ClinicDraft {
        name: "   ".to_string(),
        institution_code: "131234567".to_string(),
        postal_code: "171-002".to_string(),
        ..clinic()
    };
    let err = validation_error(t.app.save_clinic_profile(&draft).await);
    assert_eq!(field_keys(&err), ["name", "institutionCode", "postalCode"]);
    assert_eq!(message_on(&err, "name"), "医療機関名を入力してください");
    assert_eq!(
        message_on(&err, "institutionCode"),
        "医療機関コードは10桁の数字です（例：1312345679）"
    );
    assert_eq!(
        message_on(&err, "postalCode"),
        "郵便番号は7桁の数字で入力してください（例：171-0022）"
    );

    assert_eq!(t.app.clinic_profile().await.unwrap(), None);
    assert!(t.app.store().audit_trail("1").await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clinic_profile_is_saved_normalised_read_back_and_edited() {
    let t = new_app().await;
    let saved = t.app.save_clinic_profile(&clinic()).await.unwrap();
    assert_eq!(saved.name, "つなぐ内科クリニック");
    assert_eq!(saved.institution_code.as_deref(), Some("1312345679"));
    assert_eq!(saved.postal_code, "171-0022");
    assert_eq!(saved.phone, "03-1234-5678");
    assert_eq!(saved.fax, "03-1234-5679");
    assert_eq!(saved.doctor_name, "鈴木　一郎");
    assert_eq!(t.app.clinic_profile().await.unwrap(), Some(saved.clone()));

    let edited = ClinicDraft {
        name: "つなぐ在宅クリニック".to_string(),
        institution_code: String::new(),
        fax: String::new(),
        ..clinic()
    };
    let saved_again = t.app.save_clinic_profile(&edited).await.unwrap();
    assert_eq!(saved_again.name, "つなぐ在宅クリニック");
    assert_eq!(saved_again.institution_code, None);
    assert_eq!(saved_again.fax, "");
    assert_eq!(saved_again.postal_code, saved.postal_code);
    assert_eq!(t.app.clinic_profile().await.unwrap(), Some(saved_again));

    // A rejected edit leaves the saved profile alone.
    let bad = ClinicDraft {
        postal_code: "abc".to_string(),
        ..edited
    };
    validation_error(t.app.save_clinic_profile(&bad).await);
    assert_eq!(
        t.app.clinic_profile().await.unwrap().unwrap().postal_code,
        "171-0022"
    );

    let trail = t.app.store().audit_trail("1").await.unwrap();
    let actions: Vec<_> = trail.iter().map(|e| e.action).collect();
    assert_eq!(actions, [AuditAction::Create, AuditAction::Update]);
    assert!(
        trail
            .iter()
            .all(|e| e.actor == ACTOR && e.entity_kind == "clinic_profile" && e.at == now())
    );
}

// ---------------------------------------------------------------------------
// Creating a patient
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn created_patient_shows_birth_date_in_wareki_with_age() {
    let t = new_app().await;
    let view = create(&t.app, &yamada()).await;
    assert_eq!(view.id.get_version_num(), 7);
    assert_eq!(view.fields.name, "山田　太郎");
    assert_eq!(view.fields.kana, "やまだ　たろう");
    assert_eq!(view.fields.birth_date, ymd(1950, 4, 1));
    assert_eq!(view.fields.sex, Sex::Male);
    assert_eq!(view.fields.chart_number.as_deref(), Some("A-1001"));
    assert_eq!(view.fields.key_person.relation, "妻");
    assert_eq!(view.birth_date_wareki, "昭和25年4月1日");
    assert_eq!(view.birth_date_display, "昭和25年4月1日（76歳）");
    assert_eq!(view.age, 76);
    assert!(!view.deleted);
    assert_eq!((view.created_at, view.updated_at), (now(), now()));

    // Opening it again shows exactly what was stored.
    assert_eq!(
        t.app.open_patient(&view.id.to_string()).await.unwrap(),
        view
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn western_and_era_forms_give_the_same_birth_date() {
    let t = new_app().await;
    for (i, typed) in [
        "1950/4/1",
        "1950-04-01",
        "１９５０年４月１日",
        "19500401",
        "昭和25年4月1日",
        "s25.4.1",
    ]
    .into_iter()
    .enumerate()
    {
        let draft = patient(&format!("山田　太郎{i}"), "やまだ　たろう", typed, "");
        let view = create(&t.app, &draft).await;
        assert_eq!(view.fields.birth_date, ymd(1950, 4, 1), "{typed}");
        assert_eq!(view.birth_date_display, "昭和25年4月1日（76歳）", "{typed}");
        assert_eq!(view.age, 76, "{typed}");
        assert_eq!(view.fields.chart_number, None, "{typed}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_fields_are_stored_normalised() {
    let t = new_app().await;
    let draft = PatientDraft {
        name: "　山田　太郎 ".to_string(),
        phone: "０３ー１２３４ー５６７８".to_string(),
        chart_number: " Ａ－１００１ ".to_string(),
        ..yamada()
    };
    let view = create(&t.app, &draft).await;
    assert_eq!(view.fields.name, "山田　太郎");
    assert_eq!(view.fields.phone, "03-1234-5678");
    assert_eq!(view.fields.chart_number.as_deref(), Some("A-1001"));
}

// ---------------------------------------------------------------------------
// Search as typed
// ---------------------------------------------------------------------------

struct Sample {
    t: TestApp,
    yamada: Uuid,
    tanaka: Uuid,
    yamamoto: Uuid,
}

/// 山田 (A-1001, S25.4.1), 田中 (A-1002) and 山本 (no chart, also S25.4.1).
async fn sample() -> Sample {
    let t = new_app().await;
    let yamada = create(&t.app, &yamada()).await.id;
    let tanaka = create(
        &t.app,
        &patient("田中　花子", "たなか　はなこ", "1962-08-15", "A-1002"),
    )
    .await
    .id;
    let yamamoto = create(
        &t.app,
        &patient("山本　一郎", "ヤマモト　イチロウ", "1950/4/1", ""),
    )
    .await
    .id;
    Sample {
        t,
        yamada,
        tanaka,
        yamamoto,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn name_and_reading_are_found_however_they_are_typed() {
    let s = sample().await;
    let only_yamada = (vec![s.yamada], 1);
    for query in [
        "ﾔﾏﾀﾞ",
        "ヤマダ",
        "やまだ",
        "ﾔﾏﾀﾞ ﾀﾛｳ",
        "山田",
        "太郎",
        "山田太郎",
        "山田 太郎",
        "山田　太郎",
        " 太郎 ",
    ] {
        assert_eq!(
            search_ids(&s.t.app, query, false).await,
            only_yamada,
            "{query}"
        );
    }
    // Results are in 五十音 order of the reading: たなか, やまだ, やまもと.
    assert_eq!(
        search_ids(&s.t.app, "山", false).await,
        (vec![s.yamada, s.yamamoto], 2)
    );
    assert_eq!(
        search_ids(&s.t.app, "田", false).await,
        (vec![s.tanaka, s.yamada], 2)
    );
    assert_eq!(
        search_ids(&s.t.app, "やま", false).await,
        (vec![s.yamada, s.yamamoto], 2)
    );
    assert_eq!(
        search_ids(&s.t.app, "ﾔﾏ", false).await,
        (vec![s.yamada, s.yamamoto], 2)
    );
    assert_eq!(search_ids(&s.t.app, "佐藤", false).await, (vec![], 0));
    assert_eq!(
        search_ids(&s.t.app, "やまだはなこ", false).await,
        (vec![], 0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_width_furigana_is_kept_as_typed_and_found_in_hiragana() {
    let s = sample().await;
    let jiro = create(
        &s.t.app,
        &patient("山田　次郎", "ﾔﾏﾀﾞ ｼﾞﾛｳ", "1960-01-01", ""),
    )
    .await;
    assert_eq!(jiro.fields.kana, "ﾔﾏﾀﾞ ｼﾞﾛｳ");
    assert_eq!(
        search_ids(&s.t.app, "じろう", false).await,
        (vec![jiro.id], 1)
    );
    assert_eq!(
        search_ids(&s.t.app, "ヤマダ", false).await,
        (vec![jiro.id, s.yamada], 2) // やまだじろう before やまだたろう
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_results_are_full_views() {
    let s = sample().await;
    let list = s.t.app.search_patients("ヤマダ", false).await.unwrap();
    let found = &list.patients[0];
    assert_eq!(found.fields.name, "山田　太郎");
    assert_eq!(found.birth_date_display, "昭和25年4月1日（76歳）");
    assert_eq!(found.age, 76);
    assert!(!found.deleted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chart_numbers_are_found_by_prefix_in_any_width() {
    let s = sample().await;
    assert_eq!(
        search_ids(&s.t.app, "A-1001", false).await,
        (vec![s.yamada], 1)
    );
    assert_eq!(
        search_ids(&s.t.app, "Ａ－１００１", false).await,
        (vec![s.yamada], 1)
    );
    assert_eq!(search_ids(&s.t.app, "AｰI001", false).await, (vec![], 0));
    let (ids, total) = search_ids(&s.t.app, "A-10", false).await;
    assert_eq!(total, 2);
    assert_eq!(ids, [s.tanaka, s.yamada]);
    assert_eq!(search_ids(&s.t.app, "A-100", false).await.1, 2);
    assert_eq!(
        search_ids(&s.t.app, "A-1002", false).await,
        (vec![s.tanaka], 1)
    );
    assert_eq!(search_ids(&s.t.app, "A-1003", false).await, (vec![], 0));
    // A prefix, not a substring.
    assert_eq!(search_ids(&s.t.app, "1001", false).await, (vec![], 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn birth_dates_are_found_in_era_and_western_form() {
    let s = sample().await;
    let both = (vec![s.yamada, s.yamamoto], 2);
    for query in [
        "昭和25年4月1日",
        "1950-04-01",
        "1950/4/1",
        "S25.4.1",
        "１９５０年４月１日",
    ] {
        assert_eq!(search_ids(&s.t.app, query, false).await, both, "{query}");
    }
    assert_eq!(
        search_ids(&s.t.app, "昭和37年8月15日", false).await,
        (vec![s.tanaka], 1)
    );
    assert_eq!(search_ids(&s.t.app, "1950-04-02", false).await, (vec![], 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_query_lists_everyone_in_gojuon_order() {
    let s = sample().await;
    let everyone = (vec![s.tanaka, s.yamada, s.yamamoto], 3);
    assert_eq!(search_ids(&s.t.app, "", false).await, everyone);
    assert_eq!(search_ids(&s.t.app, " 　", false).await, everyone);
    assert_eq!(search_ids(&s.t.app, "", true).await, everyone);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_store_lists_nobody() {
    let t = new_app().await;
    let list = t.app.search_patients("", true).await.unwrap();
    assert!(list.patients.is_empty());
    assert_eq!(list.total, 0);
}

// ---------------------------------------------------------------------------
// Bad input is rejected with a message on its field, and nothing is saved
// ---------------------------------------------------------------------------

/// Creates `draft` after 山田 is stored; it must fail on exactly `field`
/// with `message`, and the store must still hold only 山田.
async fn assert_rejected_on(draft: PatientDraft, field: &str, message: &str) {
    let t = new_app().await;
    let yamada = create(&t.app, &yamada()).await;
    let err = validation_error(t.app.create_patient(&draft).await);
    assert_eq!(field_keys(&err), [field], "{draft:?}");
    let got = message_on(&err, field);
    assert!(is_japanese(got), "{got}");
    assert_eq!(got, message, "{draft:?}");

    assert_eq!(stored_count(&t.app).await, 1, "nothing saved for {draft:?}");
    assert_eq!(search_ids(&t.app, "", true).await.0, [yamada.id]);
    // The rejected attempt left no trace in the audit log either.
    let trail = t
        .app
        .store()
        .audit_trail(&yamada.id.to_string())
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
}

fn other(name: &str, kana: &str, birth_date: &str) -> PatientDraft {
    patient(name, kana, birth_date, "B-1")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_name_is_rejected() {
    assert_rejected_on(
        other("", "さとう　はなこ", "1960-01-01"),
        "name",
        "氏名を入力してください",
    )
    .await;
    assert_rejected_on(
        other(" 　 ", "さとう　はなこ", "1960-01-01"),
        "name",
        "氏名を入力してください",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kanji_in_furigana_is_rejected() {
    let message = "ふりがなはひらがなかカタカナで入力してください";
    assert_rejected_on(
        other("佐藤　花子", "佐藤　はなこ", "1960-01-01"),
        "kana",
        message,
    )
    .await;
    assert_rejected_on(
        other("佐藤　花子", "sato hanako", "1960-01-01"),
        "kana",
        message,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn showa_65_is_rejected_with_a_hint_to_use_heisei() {
    assert_rejected_on(
        other("佐藤　花子", "さとう　はなこ", "昭和65年1月1日"),
        "birthDate",
        "昭和は64年1月7日までです。それより後の日付は平成で入力してください（例：平成元年1月8日）",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heisei_31_may_is_rejected_with_a_hint_to_use_reiwa() {
    assert_rejected_on(
        other("佐藤　花子", "さとう　はなこ", "平成31年5月1日"),
        "birthDate",
        "平成は31年4月30日までです。それより後の日付は令和で入力してください（例：令和元年5月1日）",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn day_that_does_not_exist_is_rejected() {
    let message =
        "その日付は存在しません。月と日を確認してください（例：2月30日や4月31日はありません）";
    assert_rejected_on(
        other("佐藤　花子", "さとう　はなこ", "2023-02-30"),
        "birthDate",
        message,
    )
    .await;
    assert_rejected_on(
        other("佐藤　花子", "さとう　はなこ", "R5.2.30"),
        "birthDate",
        message,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn future_birth_date_is_rejected() {
    let message = "未来の日付は指定できません";
    assert_rejected_on(
        other("佐藤　花子", "さとう　はなこ", "2027-01-01"),
        "birthDate",
        message,
    )
    .await;
    // Tomorrow, by the clinic's clock.
    assert_rejected_on(
        other("佐藤　花子", "さとう　はなこ", "2026-11-25"),
        "birthDate",
        message,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn birth_today_is_accepted_as_age_zero() {
    let t = new_app().await;
    let view = create(
        &t.app,
        &patient("佐藤　陽菜", "さとう　ひな", "令和8年11月24日", ""),
    )
    .await;
    assert_eq!(view.age, 0);
    assert_eq!(view.birth_date_display, "令和8年11月24日（0歳）");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_and_implausible_birth_dates_are_rejected() {
    assert_rejected_on(
        other("佐藤　花子", "さとう　はなこ", "昭和"),
        "birthDate",
        "日付の形式が読み取れません（例：1950-04-01、昭和25年4月1日、S25.4.1）",
    )
    .await;
    assert_rejected_on(
        other("佐藤　花子", "さとう　はなこ", ""),
        "birthDate",
        "生年月日を入力してください",
    )
    .await;
    assert_rejected_on(
        other("佐藤　花子", "さとう　はなこ", "1890-01-01"),
        "birthDate",
        "生年月日を確認してください（130歳を超えています）",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memo_of_100_000_characters_is_rejected_and_10_000_accepted() {
    let too_long = PatientDraft {
        memo: "あ".repeat(100_000),
        ..other("佐藤　花子", "さとう　はなこ", "1960-01-01")
    };
    assert_rejected_on(
        too_long,
        "memo",
        "メモは10,000文字以内で入力してください（現在100,000文字）",
    )
    .await;

    let t = new_app().await;
    let longest = PatientDraft {
        memo: "あ".repeat(10_000),
        ..yamada()
    };
    assert_eq!(
        create(&t.app, &longest).await.fields.memo.chars().count(),
        10_000
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_sex_is_rejected() {
    let draft = PatientDraft {
        sex: None,
        ..other("佐藤　花子", "さとう　はなこ", "1960-01-01")
    };
    assert_rejected_on(draft, "sex", "性別を選択してください").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_chart_number_is_rejected_on_create() {
    let message = "このカルテ番号は既に他の患者に使われています。";
    for chart in ["A-1001", "Ａ－１００１", " A-1001 "] {
        let draft = patient("佐藤　花子", "さとう　はなこ", "1960-01-01", chart);
        assert_rejected_on(draft, "chartNumber", message).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_chart_number_is_rejected_on_update_of_another_patient() {
    let t = new_app().await;
    let yamada = create(&t.app, &yamada()).await;
    let sato = create(
        &t.app,
        &patient("佐藤　花子", "さとう　はなこ", "1960-01-01", "B-1"),
    )
    .await;

    let steal = patient("佐藤　花子", "さとう　はなこ", "1960-01-01", "A-1001");
    let err = validation_error(t.app.update_patient(&sato.id.to_string(), &steal).await);
    assert_eq!(field_keys(&err), ["chartNumber"]);
    assert_eq!(
        message_on(&err, "chartNumber"),
        "このカルテ番号は既に他の患者に使われています。"
    );

    // Neither patient changed, and the failed update was not audited.
    let sato_now = t.app.open_patient(&sato.id.to_string()).await.unwrap();
    assert_eq!(sato_now.fields, sato.fields);
    let yamada_now = t.app.open_patient(&yamada.id.to_string()).await.unwrap();
    assert_eq!(yamada_now.fields, yamada.fields);
    assert_eq!(
        search_ids(&t.app, "A-1001", false).await,
        (vec![yamada.id], 1)
    );
    let actions: Vec<_> = t
        .app
        .store()
        .audit_trail(&sato.id.to_string())
        .await
        .unwrap()
        .iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, [AuditAction::Create, AuditAction::View]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_patient_keeps_its_own_chart_number_on_update() {
    let t = new_app().await;
    let yamada = create(&t.app, &yamada()).await;
    let edit = PatientDraft {
        memo: "ペースメーカーあり".to_string(),
        ..tsunagu_testkit::fixtures::yamada()
    };
    let updated = t
        .app
        .update_patient(&yamada.id.to_string(), &edit)
        .await
        .unwrap();
    assert_eq!(updated.fields.chart_number.as_deref(), Some("A-1001"));
    assert_eq!(updated.fields.memo, "ペースメーカーあり");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_problem_in_the_form_is_reported_at_once() {
    let t = new_app().await;
    create(&t.app, &yamada()).await;
    let draft = PatientDraft {
        name: String::new(),
        kana: "佐藤".to_string(),
        birth_date: "昭和65年1月1日".to_string(),
        sex: None,
        phone: "でんわ".to_string(),
        chart_number: "A_1".to_string(),
        memo: "メ".repeat(10_001),
        ..PatientDraft::default()
    };
    let err = validation_error(t.app.create_patient(&draft).await);
    assert_eq!(
        field_keys(&err),
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
    for field in &err.fields {
        assert!(is_japanese(&field.message), "{field:?}");
    }
    assert_eq!(
        message_on(&err, "phone"),
        "電話番号は数字とハイフンで入力してください（例：03-1234-5678）"
    );
    assert_eq!(
        message_on(&err, "chartNumber"),
        "カルテ番号は英数字とハイフンで入力してください（例：A-00123）"
    );
    assert_eq!(stored_count(&t.app).await, 1);
}

/// The use case says the duplicate check runs "up front so the message shows
/// beside the other field errors", and the form promises every problem in
/// one pass; a duplicate chart number must then be reported together with
/// the other mistakes, not only after they are fixed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_chart_number_is_reported_beside_other_errors() {
    let t = new_app().await;
    create(&t.app, &yamada()).await;
    let draft = patient("", "さとう　はなこ", "1960-01-01", "A-1001");
    let err = validation_error(t.app.create_patient(&draft).await);
    assert_eq!(field_keys(&err), ["name", "chartNumber"]);
    assert_eq!(stored_count(&t.app).await, 1);
}

// ---------------------------------------------------------------------------
// Update, delete, restore, unknown ids
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_keeps_the_id_and_replaces_the_fields() {
    let s = sample().await;
    let id = s.yamada.to_string();
    let created = s.t.app.open_patient(&id).await.unwrap();
    let later = app_on(&s.t.app, ymd(2026, 12, 1));
    let draft = PatientDraft {
        name: "佐藤　次郎".to_string(),
        kana: "さとう　じろう".to_string(),
        birth_date: "1960-01-15".to_string(),
        sex: Some(Sex::Other),
        chart_number: "C-2001".to_string(),
        key_person_name: String::new(),
        ..yamada()
    };
    let updated = later.update_patient(&id, &draft).await.unwrap();
    assert_eq!(updated.id, s.yamada);
    assert_eq!(updated.fields.name, "佐藤　次郎");
    assert_eq!(updated.fields.kana, "さとう　じろう");
    assert_eq!(updated.fields.birth_date, ymd(1960, 1, 15));
    assert_eq!(updated.fields.sex, Sex::Other);
    assert_eq!(updated.fields.chart_number.as_deref(), Some("C-2001"));
    assert_eq!(updated.fields.key_person.name, "");
    assert_eq!(updated.birth_date_display, "昭和35年1月15日（66歳）");
    assert_eq!(updated.created_at, created.created_at);
    assert!(updated.updated_at > created.updated_at);
    assert_eq!(
        s.t.app.open_patient(&id).await.unwrap().fields,
        updated.fields
    );

    // The old name, reading, chart number and birth date no longer find him.
    for query in ["山田", "太郎", "やまだ", "ﾀﾛｳ", "A-1001"] {
        assert_eq!(
            search_ids(&s.t.app, query, false).await,
            (vec![], 0),
            "{query}"
        );
    }
    assert_eq!(
        search_ids(&s.t.app, "1950-04-01", false).await,
        (vec![s.yamamoto], 1)
    );
    // The new ones do.
    for query in [
        "佐藤",
        "次郎",
        "さとう",
        "ｻﾄｳ",
        "C-2001",
        "C-2",
        "昭和35年1月15日",
    ] {
        assert_eq!(
            search_ids(&s.t.app, query, false).await,
            (vec![s.yamada], 1),
            "{query}"
        );
    }
    // "山" still finds 山本 only; the patient count is unchanged.
    assert_eq!(
        search_ids(&s.t.app, "山", false).await,
        (vec![s.yamamoto], 1)
    );
    assert_eq!(stored_count(&s.t.app).await, 3);
    // The freed chart number can be given to someone else.
    create(
        &s.t.app,
        &patient("鈴木　三郎", "すずき　さぶろう", "1970-03-03", "A-1001"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_patient_is_hidden_shown_on_request_and_restored() {
    let s = sample().await;
    let id = s.yamada.to_string();

    let deleted = s.t.app.delete_patient(&id).await.unwrap();
    assert!(deleted.deleted);
    assert_eq!(deleted.id, s.yamada);
    for query in ["山田", "ヤマダ", "A-1001", "昭和25年4月1日"] {
        let (ids, _) = search_ids(&s.t.app, query, false).await;
        assert!(
            !ids.contains(&s.yamada),
            "{query} still finds the deleted patient"
        );
    }
    assert_eq!(search_ids(&s.t.app, "山田", false).await, (vec![], 0));
    assert_eq!(
        search_ids(&s.t.app, "1950-04-01", false).await,
        (vec![s.yamamoto], 1)
    );
    assert_eq!(
        search_ids(&s.t.app, "", false).await,
        (vec![s.tanaka, s.yamamoto], 2)
    );

    // Asked for, the deleted patient shows, marked as deleted.
    let list = s.t.app.search_patients("山田", true).await.unwrap();
    assert_eq!(list.total, 1);
    assert_eq!(list.patients[0].id, s.yamada);
    assert!(list.patients[0].deleted);
    assert_eq!(
        search_ids(&s.t.app, "", true).await,
        (vec![s.tanaka, s.yamada, s.yamamoto], 3)
    );
    assert_eq!(
        search_ids(&s.t.app, "A-10", true).await,
        (vec![s.tanaka, s.yamada], 2)
    );
    assert_eq!(
        search_ids(&s.t.app, "1950-04-01", true).await,
        (vec![s.yamada, s.yamamoto], 2)
    );
    let all = s.t.app.search_patients("", true).await.unwrap();
    let flags: Vec<bool> = all.patients.iter().map(|p| p.deleted).collect();
    assert_eq!(flags, [false, true, false]);
    // Its page can still be opened, and says it is deleted.
    assert!(s.t.app.open_patient(&id).await.unwrap().deleted);

    let restored = s.t.app.restore_patient(&id).await.unwrap();
    assert!(!restored.deleted);
    assert_eq!(restored.fields, deleted.fields);
    assert_eq!(
        search_ids(&s.t.app, "山田", false).await,
        (vec![s.yamada], 1)
    );
    assert_eq!(
        search_ids(&s.t.app, "A-1001", false).await,
        (vec![s.yamada], 1)
    );
    assert_eq!(search_ids(&s.t.app, "", false).await.1, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_or_garbage_ids_are_not_found() {
    let t = new_app().await;
    let yamada = create(&t.app, &yamada()).await;
    let unknown = Uuid::now_v7().to_string();
    for id in [unknown.as_str(), "garbage", "", "12345", "../../etc/passwd"] {
        let not_found = |r: Result<PatientView, AppError>, what: &str| {
            let err = r.expect_err(what);
            assert_eq!(err.code, ErrorCode::NotFound, "{what} {id:?}: {err:?}");
            assert!(is_japanese(&err.message));
            assert!(err.fields.is_empty());
        };
        not_found(t.app.open_patient(id).await, "open");
        not_found(t.app.delete_patient(id).await, "delete");
        not_found(t.app.restore_patient(id).await, "restore");
        let draft = patient("佐藤　花子", "さとう　はなこ", "1960-01-01", "");
        not_found(t.app.update_patient(id, &draft).await, "update");
    }
    assert!(
        t.app
            .store()
            .audit_trail(&unknown)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(stored_count(&t.app).await, 1);
    assert_eq!(
        t.app
            .open_patient(&yamada.id.to_string())
            .await
            .unwrap()
            .fields,
        yamada.fields
    );
}

// ---------------------------------------------------------------------------
// Audit log
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_and_view_is_audited_with_the_actor() {
    let t = new_app().await;
    let created = create(&t.app, &yamada()).await;
    let id = created.id.to_string();
    t.app.open_patient(&id).await.unwrap();
    let edit = PatientDraft {
        memo: "在宅酸素あり".to_string(),
        ..yamada()
    };
    t.app.update_patient(&id, &edit).await.unwrap();
    t.app.delete_patient(&id).await.unwrap();
    t.app.restore_patient(&id).await.unwrap();
    // Searching and rejected edits are not audited.
    t.app.search_patients("山田", true).await.unwrap();
    validation_error(
        t.app
            .update_patient(
                &id,
                &PatientDraft {
                    name: String::new(),
                    ..yamada()
                },
            )
            .await,
    );

    let trail = t.app.store().audit_trail(&id).await.unwrap();
    let actions: Vec<AuditAction> = trail.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            AuditAction::Create,
            AuditAction::View,
            AuditAction::Update,
            AuditAction::Delete,
            AuditAction::Restore
        ]
    );
    for entry in &trail {
        assert_eq!(entry.actor, "os:tester");
        assert_eq!(entry.entity_kind, "patient");
        assert_eq!(entry.entity_id, id);
        assert_eq!(entry.at, now());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_twice_or_restoring_an_active_patient_is_not_audited_again() {
    let t = new_app().await;
    let id = create(&t.app, &yamada()).await.id.to_string();
    assert!(!t.app.restore_patient(&id).await.unwrap().deleted);
    assert!(t.app.delete_patient(&id).await.unwrap().deleted);
    assert!(t.app.delete_patient(&id).await.unwrap().deleted);
    let actions: Vec<_> = t
        .app
        .store()
        .audit_trail(&id)
        .await
        .unwrap()
        .iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, [AuditAction::Create, AuditAction::Delete]);
}

// ---------------------------------------------------------------------------
// Birth date preview and ages
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn birth_date_preview_reads_the_date_as_typed() {
    let t = new_app().await;
    let preview = t.app.preview_birth_date("令和元年5月1日").unwrap();
    assert_eq!(preview.date, ymd(2019, 5, 1));
    assert_eq!(preview.display, "令和元年5月1日（7歳）");
    let preview = t.app.preview_birth_date("S25.4.1").unwrap();
    assert_eq!(preview.display, "昭和25年4月1日（76歳）");
    let preview = t.app.preview_birth_date("１９８９/１/８").unwrap();
    assert_eq!(preview.display, "平成元年1月8日（37歳）");

    let err = validation_error(t.app.preview_birth_date("昭和65年1月1日"));
    assert_eq!(field_keys(&err), ["birthDate"]);
    assert_eq!(
        message_on(&err, "birthDate"),
        "昭和は64年1月7日までです。それより後の日付は平成で入力してください（例：平成元年1月8日）"
    );
    let err = validation_error(t.app.preview_birth_date("2023-02-30"));
    assert_eq!(field_keys(&err), ["birthDate"]);
    assert!(is_japanese(message_on(&err, "birthDate")));
    // Previewing touches nothing.
    assert_eq!(stored_count(&t.app).await, 0);
}

async fn age_of(app: &App, birth_date: &str) -> (u32, String) {
    let view = create(
        app,
        &patient("年齢　確認", "ねんれい　かくにん", birth_date, ""),
    )
    .await;
    (view.age, view.birth_date_display)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn age_turns_on_the_birthday() {
    let t = new_app().await;
    assert_eq!(
        age_of(&t.app, "1950-11-23").await,
        (76, "昭和25年11月23日（76歳）".to_string())
    );
    assert_eq!(
        age_of(&t.app, "1950-11-24").await,
        (76, "昭和25年11月24日（76歳）".to_string())
    );
    assert_eq!(
        age_of(&t.app, "1950-11-25").await,
        (75, "昭和25年11月25日（75歳）".to_string())
    );
    assert_eq!(age_of(&t.app, "2025-11-24").await.0, 1);
    assert_eq!(age_of(&t.app, "2025-11-25").await.0, 0);
    assert_eq!(
        age_of(&t.app, "1989-01-07").await,
        (37, "昭和64年1月7日（37歳）".to_string())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leap_day_birth_ages_on_march_first_in_common_years() {
    let t = new_app().await;
    let view = create(
        &t.app,
        &patient("閏　太郎", "うるう　たろう", "2000-02-29", ""),
    )
    .await;
    assert_eq!(view.age, 26);
    assert_eq!(view.birth_date_wareki, "平成12年2月29日");
    assert_eq!(view.birth_date_display, "平成12年2月29日（26歳）");

    let id = view.id.to_string();
    for (today, age) in [
        (ymd(2027, 2, 28), 26),
        (ymd(2027, 3, 1), 27),
        (ymd(2028, 2, 28), 27),
        (ymd(2028, 2, 29), 28),
        (ymd(2028, 3, 1), 28),
    ] {
        let seen = app_on(&t.app, today).open_patient(&id).await.unwrap();
        assert_eq!(seen.age, age, "on {today}");
        assert_eq!(
            seen.birth_date_display,
            format!("平成12年2月29日（{age}歳）"),
            "on {today}"
        );
    }
    // On a later day, a search shows the same age as the patient's page.
    let listed = app_on(&t.app, ymd(2027, 3, 1))
        .search_patients("うるう", false)
        .await
        .unwrap();
    assert_eq!(listed.patients[0].age, 27);
}
