//! Search through the gram index, the ordered scan for very common terms,
//! birth dates, chart numbers and deleted patients.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use chrono::NaiveDate;
use tsunagu_domain::{PatientFields, normalize_for_search, search_key};
use tsunagu_store::{COUNT_CAP, OpenMode, PatientSearch, Store, StoreKey};
use uuid::Uuid;

async fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_file(
        &dir.path().join("s.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .unwrap();
    (dir, store)
}

fn patient(name: &str, kana: &str, chart: Option<&str>, birth: (i32, u32, u32)) -> PatientFields {
    PatientFields {
        name: name.to_string(),
        kana: kana.to_string(),
        chart_number: chart.map(str::to_string),
        birth_date: NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2).unwrap(),
        ..common::yamada()
    }
}

async fn add(store: &Store, fields: PatientFields) -> Uuid {
    let id = Uuid::now_v7();
    store
        .insert_patient(id, &fields, "test", common::now())
        .await
        .unwrap();
    id
}

fn term(text: &str) -> PatientSearch {
    PatientSearch {
        term: Some(search_key(text)),
        limit: 100,
        ..Default::default()
    }
}

async fn names(store: &Store, search: &PatientSearch) -> (Vec<String>, u64) {
    let page = store.search_patients(search).await.unwrap();
    (
        page.patients.into_iter().map(|p| p.fields.name).collect(),
        page.total,
    )
}

async fn sample(store: &Store) {
    add(
        store,
        patient("山田　太郎", "やまだ　たろう", Some("A-1001"), (1950, 4, 1)),
    )
    .await;
    add(
        store,
        patient(
            "田中　花子",
            "たなか　はなこ",
            Some("A-1002"),
            (1962, 8, 15),
        ),
    )
    .await;
    add(
        store,
        patient("山本　一郎", "やまもと　いちろう", None, (1950, 4, 1)),
    )
    .await;
    add(
        store,
        patient("佐藤　美咲", "さとう　みさき", Some("B-7"), (1988, 12, 3)),
    )
    .await;
}

#[tokio::test]
async fn one_two_and_three_character_terms_find_substrings_of_name_and_reading() {
    let (_dir, store) = store().await;
    sample(&store).await;
    assert_eq!(
        names(&store, &term("田")).await,
        (vec!["田中　花子".into(), "山田　太郎".into()], 2)
    );
    assert_eq!(names(&store, &term("山")).await.1, 2);
    assert_eq!(
        names(&store, &term("山田")).await,
        (vec!["山田　太郎".into()], 1)
    );
    assert_eq!(
        names(&store, &term("田太郎")).await,
        (vec!["山田　太郎".into()], 1)
    );
    assert_eq!(
        names(&store, &term("山田太郎")).await,
        (vec!["山田　太郎".into()], 1)
    );
    assert_eq!(names(&store, &term("やま")).await.1, 2);
    assert_eq!(
        names(&store, &term("ヤマダ")).await,
        (vec!["山田　太郎".into()], 1)
    );
    assert_eq!(
        names(&store, &term("ﾔﾏﾀﾞ")).await,
        (vec!["山田　太郎".into()], 1)
    );
    assert_eq!(
        names(&store, &term("だたろう")).await,
        (vec!["山田　太郎".into()], 1)
    );
    assert_eq!(names(&store, &term("鈴木")).await, (vec![], 0));
    assert_eq!(names(&store, &term("やまだはなこ")).await, (vec![], 0));
    store.close().await;
}

#[tokio::test]
async fn an_empty_search_lists_everyone_in_gojuon_order() {
    let (_dir, store) = store().await;
    sample(&store).await;
    let all = PatientSearch {
        limit: 100,
        ..Default::default()
    };
    assert_eq!(
        names(&store, &all).await,
        (
            vec![
                "佐藤　美咲".into(),
                "田中　花子".into(),
                "山田　太郎".into(),
                "山本　一郎".into()
            ],
            4
        )
    );
    store.close().await;
}

#[tokio::test]
async fn birth_dates_and_chart_number_prefixes() {
    let (_dir, store) = store().await;
    sample(&store).await;
    let by_birth = PatientSearch {
        birth_date: NaiveDate::from_ymd_opt(1950, 4, 1),
        limit: 100,
        ..Default::default()
    };
    assert_eq!(
        names(&store, &by_birth).await,
        (vec!["山田　太郎".into(), "山本　一郎".into()], 2)
    );
    let by_chart = |p: &str| PatientSearch {
        chart_prefix: Some(p.into()),
        limit: 100,
        ..Default::default()
    };
    assert_eq!(names(&store, &by_chart("A-100")).await.1, 2);
    assert_eq!(
        names(&store, &by_chart("A-1002")).await,
        (vec!["田中　花子".into()], 1)
    );
    assert_eq!(names(&store, &by_chart("C")).await.1, 0);
    store.close().await;
}

#[tokio::test]
async fn deleted_patients_appear_only_when_asked_for_and_come_back_when_restored() {
    let (_dir, store) = store().await;
    sample(&store).await;
    let id = add(
        &store,
        patient("山田　次郎", "やまだ　じろう", Some("A-2000"), (1955, 1, 1)),
    )
    .await;
    store
        .set_patient_deleted(id, true, "test", common::now())
        .await
        .unwrap();

    assert_eq!(names(&store, &term("山田")).await.1, 1);
    let with_deleted = PatientSearch {
        include_deleted: true,
        ..term("山田")
    };
    assert_eq!(
        names(&store, &with_deleted).await,
        (vec!["山田　次郎".into(), "山田　太郎".into()], 2)
    );
    assert_eq!(
        names(
            &store,
            &PatientSearch {
                limit: 100,
                ..Default::default()
            }
        )
        .await
        .1,
        4
    );

    store
        .set_patient_deleted(id, false, "test", common::now())
        .await
        .unwrap();
    assert_eq!(
        names(&store, &term("じろう")).await,
        (vec!["山田　次郎".into()], 1)
    );
    store.close().await;
}

#[tokio::test]
async fn an_edited_name_is_found_by_its_new_form_only() {
    let (_dir, store) = store().await;
    let id = add(
        &store,
        patient("山田　太郎", "やまだ　たろう", None, (1950, 4, 1)),
    )
    .await;
    store
        .update_patient(
            id,
            &patient("高橋　太郎", "たかはし　たろう", None, (1950, 4, 1)),
            "test",
            common::now(),
        )
        .await
        .unwrap();
    assert_eq!(names(&store, &term("山田")).await.1, 0);
    assert_eq!(names(&store, &term("高橋")).await.1, 1);
    assert_eq!(names(&store, &term("たかは")).await.1, 1);
    store.close().await;
}

/// 1,200 高橋 whose readings differ only after the fourth character, added in
/// scrambled order: a page of a very common term must still be the true first
/// 100 in 五十音 order, and counting stops at the cap.
#[tokio::test]
async fn very_common_terms_page_the_true_first_hundred_in_gojuon_order() {
    let (_dir, store) = store().await;
    let given = [
        "あきこ",
        "いさむ",
        "えみ",
        "かずお",
        "けんじ",
        "さとし",
        "ただし",
        "ひろし",
    ];
    let mut expected: Vec<(String, String)> = Vec::new();
    for i in 0..1_200u32 {
        // A multiplicative scramble of 0..1200: insertion order is not reading order.
        let n = (i * 7_919) % 1_200;
        let kana = format!("たかはし　{}{n:04}", given[(n % 8) as usize]);
        let name = format!("高橋　{n}");
        add(&store, patient(&name, &kana, None, (1960, 1, 1))).await;
        expected.push((normalize_for_search(&kana), name));
    }
    add(
        &store,
        patient("高田　一", "たかだ　はじめ", None, (1960, 1, 1)),
    )
    .await;
    expected.sort();
    let first_hundred: Vec<String> = expected.iter().take(100).map(|e| e.1.clone()).collect();

    for query in ["たかはし", "タカハシ", "高橋", "かはし"] {
        let page = store.search_patients(&term(query)).await.unwrap();
        let shown: Vec<String> = page.patients.into_iter().map(|p| p.fields.name).collect();
        assert_eq!(shown, first_hundred, "{query}");
        assert_eq!(
            (page.total, page.total_capped),
            (COUNT_CAP, true),
            "{query}"
        );
    }
    // 高田 sorts before every 高橋 (たかだ < たかは).
    let page = store.search_patients(&term("高")).await.unwrap();
    assert_eq!(page.patients[0].fields.name, "高田　一");
    assert_eq!(page.patients[1].fields.name, first_hundred[0]);
    // A rarer window drives the walk; the whole term is still checked.
    let (found, total) = names(&store, &term("はしひろし0007")).await;
    assert_eq!((found, total), (vec!["高橋　7".to_string()], 1));
    assert_eq!(names(&store, &term("たかはしあきこ0007")).await.1, 0);
    store.close().await;
}

/// Issue 18: a name typed in 新字体 finds a patient registered in 旧字体,
/// and the reverse.
#[tokio::test]
async fn old_and_new_forms_of_a_kanji_find_each_other() {
    let (_dir, store) = store().await;
    add(
        &store,
        patient("齋藤　花子", "さいとう　はなこ", None, (1950, 4, 1)),
    )
    .await;
    add(
        &store,
        patient("渡辺　一郎", "わたなべ　いちろう", None, (1948, 2, 3)),
    )
    .await;
    assert_eq!(
        names(&store, &term("斎藤")).await,
        (vec!["齋藤　花子".into()], 1)
    );
    assert_eq!(
        names(&store, &term("渡邊")).await,
        (vec!["渡辺　一郎".into()], 1)
    );
    assert_eq!(names(&store, &term("齋")).await.1, 1);
}
