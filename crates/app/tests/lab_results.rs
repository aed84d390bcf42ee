//! Lab results (検査結果) on letters: a lab system's CSV imported into the
//! draft (CP932 as Japanese lab systems write it), a bad file refused by
//! line with the draft unchanged, typed rows checked at issue, and the
//! issued PDF carrying the table. Real encrypted store, real renders.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::process::Command;

use tsunagu_app::{ClinicDraft, ErrorCode, LabRowDraft, LetterDraftContent, LetterKind};
use tsunagu_testkit::fixtures::*;

const CP932_CSV: &[u8] = include_bytes!("fixtures/labs-cp932.csv");
/// Line 3 holds 陰性 in the value column.
const BAD_LINE_3: &[u8] = include_bytes!("fixtures/labs-bad-line3.csv");

fn clinic() -> ClinicDraft {
    ClinicDraft {
        name: "さくら内科クリニック".to_string(),
        institution_code: String::new(),
        postal_code: "171-0022".to_string(),
        address: "東京都豊島区南池袋2-10-5".to_string(),
        phone: "03-1234-5678".to_string(),
        fax: "03-1234-5679".to_string(),
        doctor_name: "佐藤　花子".to_string(),
    }
}

fn referral() -> LetterDraftContent {
    LetterDraftContent {
        to_institution: "豊島中央病院".into(),
        purpose: "糖尿病の精査をお願い申し上げます。".into(),
        diagnoses: "２型糖尿病".into(),
        course: "血液検査の結果を下表に示します。".into(),
        ..Default::default()
    }
}

fn typed(item: &str, value: &str) -> LabRowDraft {
    LabRowDraft {
        item: item.into(),
        value: value.into(),
        unit: "mg/dL".into(),
        reference_range: "0-0.14".into(),
        taken_on: "2026-11-20".into(),
    }
}

async fn draft() -> (TestApp, String) {
    let t = new_app().await;
    t.app.save_clinic_profile(&clinic()).await.unwrap();
    let patient = t.app.create_patient(&yamada()).await.unwrap();
    let draft = t
        .app
        .start_letter(&patient.id.to_string(), LetterKind::Referral)
        .await
        .unwrap();
    let id = draft.id.to_string();
    t.app.save_letter_draft(&id, &referral()).await.unwrap();
    (t, id)
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("letter.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed by make test");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Lines holding a date of the table, from the date on, spaces made one.
fn table_rows(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.find("2026/11/").map(|at| &line[at..]))
        .map(|row| row.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cp932_csv_is_imported_under_the_typed_rows_and_printed_as_a_table() {
    let (t, id) = draft().await;
    let with_typed = LetterDraftContent {
        lab_results: vec![typed("CRP", "<0.01")],
        ..referral()
    };
    t.app.save_letter_draft(&id, &with_typed).await.unwrap();

    let imported = t.app.import_lab_csv(&id, CP932_CSV).await.unwrap();
    let rows = &imported.content.lab_results;
    assert_eq!(rows.len(), 5, "the typed row kept, four added");
    assert_eq!(rows[0], typed("CRP", "<0.01"));
    assert_eq!(
        rows[1],
        LabRowDraft {
            item: "ＨｂＡ１ｃ（NGSP）".into(),
            value: "7.2".into(),
            unit: "%".into(),
            reference_range: "4.6-6.2".into(),
            taken_on: "2026-11-20".into(),
        }
    );
    assert_eq!(rows[3].item, "ｅＧＦＲ");
    // Saved: the draft read back holds them.
    let stored = t.app.letter_draft(&id).await.unwrap();
    assert_eq!(stored.content.lab_results, *rows);

    let issued = t.app.issue_letter(&id).await.unwrap();
    let pdf = t
        .app
        .letter_pdf(&issued.summary.id.to_string())
        .await
        .unwrap();
    let text = pdf_text(&pdf);
    assert_eq!(
        table_rows(&text),
        [
            "2026/11/20 CRP <0.01 mg/dL 0-0.14",
            "2026/11/20 ＨｂＡ１ｃ（NGSP） 7.2 H % 4.6-6.2",
            "2026/11/20 血糖 132 H mg/dL 73-109",
            "2026/11/20 ｅＧＦＲ 58.2 mL/min/1.73m2 60以上",
            "2026/11/20 カリウム 3.3 L mmol/L 3.6-4.8",
        ],
        "{text}"
    );
    assert!(text.contains("基準値"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_csv_names_its_line_and_leaves_the_draft_unchanged() {
    let (t, id) = draft().await;
    let before = t.app.letter_draft(&id).await.unwrap();

    let err = t.app.import_lab_csv(&id, BAD_LINE_3).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.message.contains("変わっていません"), "{}", err.message);
    assert_eq!(
        message_on(&err, "labResults"),
        "3行目：値「陰性」が数値ではありません"
    );

    let not_a_csv = [0xFD, 0xFE, 0xFF, 0x00];
    let err = t.app.import_lab_csv(&id, &not_a_csv).await.unwrap_err();
    assert_eq!(
        message_on(&err, "labResults"),
        "文字コードを読み取れません（UTF-8 または Shift_JIS の CSV を選んでください）"
    );

    let after = t.app.letter_draft(&id).await.unwrap();
    assert_eq!(after, before, "nothing saved, not even the time");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_rows_are_checked_at_issue_and_blank_rows_left_out() {
    let (t, id) = draft().await;
    let content = LetterDraftContent {
        lab_results: vec![
            typed("CRP", "0.3"),
            LabRowDraft::default(),
            typed("白血球", "abc"),
        ],
        ..referral()
    };
    t.app.save_letter_draft(&id, &content).await.unwrap();
    let err = t.app.issue_letter(&id).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(
        message_on(&err, "labResults"),
        "検査結果の3行目：値「abc」が数値ではありません。"
    );
    assert!(
        t.app
            .patient_letters(
                &t.app
                    .letter_draft(&id)
                    .await
                    .unwrap()
                    .patient_id
                    .to_string()
            )
            .await
            .unwrap()
            .letters
            .is_empty(),
        "nothing issued"
    );

    let fixed = LetterDraftContent {
        lab_results: vec![
            typed("CRP", "0.3"),
            LabRowDraft::default(),
            typed("白血球", "6800"),
        ],
        ..referral()
    };
    t.app.save_letter_draft(&id, &fixed).await.unwrap();
    let issued = t.app.issue_letter(&id).await.unwrap();
    let pdf = t
        .app
        .letter_pdf(&issued.summary.id.to_string())
        .await
        .unwrap();
    assert_eq!(
        table_rows(&pdf_text(&pdf)),
        [
            "2026/11/20 CRP 0.3 H mg/dL 0-0.14",
            "2026/11/20 白血球 6800 H mg/dL 0-0.14",
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_rows_than_a_letter_holds_are_refused() {
    let (t, id) = draft().await;
    let content = LetterDraftContent {
        lab_results: vec![typed("CRP", "0.1"); 199],
        ..referral()
    };
    t.app.save_letter_draft(&id, &content).await.unwrap();
    let err = t.app.import_lab_csv(&id, CP932_CSV).await.unwrap_err();
    assert!(message_on(&err, "labResults").starts_with("検査結果は200行までです"));
    assert_eq!(
        t.app
            .letter_draft(&id)
            .await
            .unwrap()
            .content
            .lab_results
            .len(),
        199
    );
    let too_many = LetterDraftContent {
        lab_results: vec![typed("CRP", "0.1"); 201],
        ..referral()
    };
    let err = t.app.save_letter_draft(&id, &too_many).await.unwrap_err();
    assert_eq!(field_keys(&err), ["labResults"]);
}
