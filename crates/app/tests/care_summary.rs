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

use tsunagu_app::{
    AcpDraft, AcpParticipantDraft, CareSummaryDraft, ConsentScope, ErrorCode,
    TeamSharingConsentDraft, Treatment, pushed_operation,
};
use tsunagu_protocol::{OpBody, TeamOp};
use tsunagu_store::{AuditAction, OutboxItem};
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
    assert!(!saved.shared_with_team, "no team, nothing shared");
    let saved = saved.summary;
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

fn wishes(cpr: &str) -> AcpDraft {
    AcpDraft {
        held_on: "2026-11-20".into(),
        participants: vec![AcpParticipantDraft {
            role: "patient".into(),
            ..Default::default()
        }],
        place_of_care: "home".into(),
        place_of_death: "hospital".into(),
        wishes: Treatment::ALL
            .iter()
            .map(|t| {
                let w = if *t == Treatment::Cpr { cpr } else { "wants" };
                (t.code().to_string(), w.to_string())
            })
            .collect(),
        values: "猫と家で過ごしたい".into(),
        surrogate_name: "山田 花子".into(),
        surrogate_relation: "妻".into(),
        ..Default::default()
    }
}

/// The pinned summaries waiting in the outbox, as the server will read
/// them, with the files each waits for.
async fn pinned_ops(app: &tsunagu_app::App) -> Vec<(TeamOp, Vec<uuid::Uuid>)> {
    app.store()
        .pending_operations(500)
        .await
        .unwrap()
        .iter()
        .filter_map(|op| {
            let uploads = match &op.item {
                OutboxItem::Team { uploads, .. } => uploads.clone(),
                _ => Vec::new(),
            };
            match pushed_operation(op).unwrap().body {
                OpBody::Team(pinned @ TeamOp::SummaryPinned { .. }) => Some((pinned, uploads)),
                _ => None,
            }
        })
        .collect()
}

/// With a team under consent, saving the summary or recording the wishes
/// queues the team's pinned summary in the same write, whole (the other
/// half as it stands), with the emergency sheet to upload first; without
/// a team, or once the consent is withdrawn, nothing is queued.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_team_is_sent_the_pinned_summary_only_under_its_consent() {
    let t = new_app().await;
    save_clinic(&t.app).await;
    let patient = create(&t.app, &yamada()).await.id.to_string();
    t.app.save_care_summary(&patient, &summary()).await.unwrap();
    t.app.record_acp(&patient, &wishes("wants")).await.unwrap();
    assert!(pinned_ops(&t.app).await.is_empty(), "no team: nothing");

    let consent = t
        .app
        .save_team_consent(&patient, None, &team_consent(""))
        .await
        .unwrap();
    let team = t.app.start_team(&patient).await.unwrap().team.unwrap();
    let saved = t.app.save_care_summary(&patient, &summary()).await.unwrap();
    assert!(saved.shared_with_team, "the page says the team was told");
    let ops = pinned_ops(&t.app).await;
    assert_eq!(ops.len(), 1, "{ops:?}");
    let (
        TeamOp::SummaryPinned {
            team_id,
            summary: pinned,
            emergency_sheet,
            by,
            ..
        },
        uploads,
    ) = &ops[0]
    else {
        unreachable!()
    };
    assert_eq!(*team_id, team.id);
    assert_eq!(pinned.problems, ["慢性心不全", "2型糖尿病"]);
    assert_eq!(pinned.after_hours_phone, "090-1111-2222");
    let current = pinned.wishes.as_ref().expect("the wishes as they stand");
    assert_eq!(current.place_of_death, "hospital");
    assert!(current.treatments.contains(&("cpr".into(), "wants".into())));
    assert_eq!(by.profession, "physician");
    // The sheet is rendered here and uploaded before the operation.
    let sheet = emergency_sheet.expect("the emergency sheet");
    assert_eq!(uploads, &[sheet]);
    let (name, bytes) = t.app.store().team_attachment_bytes(sheet).await.unwrap();
    assert_eq!(name, "救急医療情報シート.pdf");
    let text = pdf_text(&bytes);
    assert!(text.contains("救急医療情報"), "{text}");
    assert!(text.contains("アピキサバン錠2.5mg"), "{text}");

    // New wishes: the summary goes again, with them (codes on the wire).
    t.app
        .record_acp(&patient, &wishes("declines"))
        .await
        .unwrap();
    let ops = pinned_ops(&t.app).await;
    assert_eq!(ops.len(), 2);
    let TeamOp::SummaryPinned {
        summary: pinned,
        emergency_sheet,
        ..
    } = &ops[1].0
    else {
        unreachable!()
    };
    assert_eq!(
        pinned.problems,
        ["慢性心不全", "2型糖尿病"],
        "the summary as it stands"
    );
    let current = pinned.wishes.as_ref().unwrap();
    assert_eq!(current.treatments[0], ("cpr".into(), "declines".into()));
    assert_eq!(current.values, "猫と家で過ごしたい");
    let (_, bytes) = t
        .app
        .store()
        .team_attachment_bytes(emergency_sheet.unwrap())
        .await
        .unwrap();
    assert!(pdf_text(&bytes).contains("希望しない（DNAR）"));

    // The consent withdrawn: the records are kept, nothing leaves the PC.
    t.app
        .save_team_consent(
            &patient,
            Some(&consent.id.to_string()),
            &team_consent("2026-11-20"),
        )
        .await
        .unwrap();
    // (What still waited is withheld with the withdrawal.)
    assert!(pinned_ops(&t.app).await.is_empty());
    t.app.save_care_summary(&patient, &summary()).await.unwrap();
    t.app.record_acp(&patient, &wishes("wants")).await.unwrap();
    assert!(pinned_ops(&t.app).await.is_empty());
    assert_eq!(t.app.acp_history(&patient).await.unwrap().versions.len(), 3);
}

fn team_consent(withdrawn_on: &str) -> TeamSharingConsentDraft {
    TeamSharingConsentDraft {
        obtained_on: "2026-11-20".into(),
        obtained_by: "鈴木　一郎".into(),
        scopes: vec![ConsentScope::Desk, ConsentScope::Team],
        withdrawn_on: withdrawn_on.into(),
        ..Default::default()
    }
}
