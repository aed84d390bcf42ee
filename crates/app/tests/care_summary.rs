//! 医療・介護連携サマリー and the emergency sheet as the clinic keeps and
//! prints them: versions signed, bad input refused by field with nothing
//! kept, and the sheet (read back with poppler) carrying the summary, the
//! current 人生会議 wishes and the surrogate, audited as printed. Real
//! SQLCipher, real PDF.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::process::Command;

use tsunagu_app::{AcpDraft, AcpParticipantDraft, CareSummaryDraft, ErrorCode, Treatment};
use tsunagu_store::AuditAction;
use tsunagu_testkit::fixtures::{
    create, field_keys, new_app, save_clinic, validation_error, yamada,
};

fn summary() -> CareSummaryDraft {
    CareSummaryDraft {
        problems: "慢性心不全\n2型糖尿病".into(),
        medications: "アピキサバン錠2.5mg 1日2回\nフロセミド錠20mg 朝".into(),
        allergies: String::new(),
        devices: "在宅酸素 1L/分".into(),
        next_visit: "2026-12-01".into(),
        cautions: "体重が2日で2kg増えたら連絡".into(),
        after_hours_phone: "090-1111-2222".into(),
    }
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sheet.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed by make test");
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_is_kept_as_signed_versions_and_bad_input_keeps_nothing() {
    let t = new_app().await;
    let patient = create(&t.app, &yamada()).await.id.to_string();
    assert_eq!(t.app.care_summary(&patient).await.unwrap(), None);
    let saved = t.app.save_care_summary(&patient, &summary()).await.unwrap();
    assert_eq!(saved.problems, ["慢性心不全", "2型糖尿病"]);
    assert_eq!(saved.next_visit_label.as_deref(), Some("令和8年12月1日"));
    assert!(
        saved.recorded_by.starts_with("医師 "),
        "{}",
        saved.recorded_by
    );
    assert_eq!(saved.draft.medications, summary().medications);

    let bad = CareSummaryDraft {
        next_visit: "12月32日".into(),
        after_hours_phone: "よる".into(),
        ..summary()
    };
    let err = validation_error(t.app.save_care_summary(&patient, &bad).await);
    assert_eq!(field_keys(&err), ["nextVisit", "afterHoursPhone"]);
    let kept = t.app.care_summary(&patient).await.unwrap().unwrap();
    assert_eq!(kept, saved);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_emergency_sheet_prints_the_summary_and_the_current_wishes() {
    let t = new_app().await;
    let patient = create(&t.app, &yamada()).await.id.to_string();
    // Without the clinic's profile there is no one to call: refused.
    let err = t.app.emergency_sheet_pdf(&patient).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    save_clinic(&t.app).await;

    // No 人生会議 yet: the sheet says so, and an empty allergy is 記録なし.
    let text = pdf_text(&t.app.emergency_sheet_pdf(&patient).await.unwrap());
    assert!(text.contains("人生会議の記録はありません"), "{text}");

    t.app.save_care_summary(&patient, &summary()).await.unwrap();
    t.app
        .record_acp(
            &patient,
            &AcpDraft {
                held_on: "2026-11-01".into(),
                participants: vec![AcpParticipantDraft {
                    role: "patient".into(),
                    ..Default::default()
                }],
                place_of_care: "home".into(),
                place_of_death: "home".into(),
                wishes: Treatment::ALL
                    .iter()
                    .map(|t| {
                        let w = if *t == Treatment::Cpr {
                            "declines"
                        } else {
                            "undecided"
                        };
                        (t.code().to_string(), w.to_string())
                    })
                    .collect(),
                surrogate_name: "山田 花子".into(),
                surrogate_relation: "妻".into(),
                surrogate_phone: "090-3333-4444".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let pdf = t.app.emergency_sheet_pdf(&patient).await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let text = pdf_text(&pdf);
    for expected in [
        "救急医療情報",
        "山田",
        "希望しない（DNAR）",
        "アピキサバン錠2.5mg",
        "在宅酸素",
        "（記録なし）",
        "090-1111-2222",
        "山田 花子",
        "090-3333-4444",
        "さくら内科クリニック",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    let trail = t.app.store().audit_trail(&patient).await.unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e.action == AuditAction::Print && e.entity_kind == "emergency_sheet"),
        "{trail:?}"
    );
}
