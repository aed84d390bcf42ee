//! Writing, issuing, reprinting and correcting letters, against a real
//! encrypted store; the PDFs are real renders.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use sha2::{Digest, Sha256};
use tsunagu_app::{ClinicDraft, ErrorCode, LetterDraftContent, LetterKind};
use tsunagu_testkit::fixtures::*;

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
        to_department: "循環器内科".into(),
        purpose: "動悸発作の精査をお願い申し上げます。".into(),
        diagnoses: "１．発作性心房細動の疑い\n\n２．高血圧症\n".into(),
        course: "本年４月下旬より動悸発作を自覚。".into(),
        prescriptions: "アムロジピン錠５ｍｇ　１回１錠　１日１回　朝食後".into(),
        ..Default::default()
    }
}

/// A validation error (letters carry their own summary message).
fn invalid<T: std::fmt::Debug>(result: Result<T, tsunagu_app::AppError>) -> tsunagu_app::AppError {
    let err = result.expect_err("should be refused");
    assert_eq!(err.code, ErrorCode::Validation, "{err:?}");
    err
}

async fn ready() -> (TestApp, String) {
    let t = new_app().await;
    t.app.save_clinic_profile(&clinic()).await.unwrap();
    let patient = t.app.create_patient(&yamada()).await.unwrap();
    (t, patient.id.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_referral_letter_is_drafted_issued_stored_with_its_hash_and_opens_a_sent_referral() {
    let (t, patient) = ready().await;
    let draft = t
        .app
        .start_letter(&patient, LetterKind::Referral)
        .await
        .unwrap();
    let saved = t
        .app
        .save_letter_draft(&draft.id.to_string(), &referral())
        .await
        .unwrap();
    assert_eq!(saved.content, referral());
    assert_eq!(
        t.app
            .letter_draft(&draft.id.to_string())
            .await
            .unwrap()
            .content,
        referral()
    );

    let issued = t.app.issue_letter(&draft.id.to_string()).await.unwrap();
    let s = &issued.summary;
    assert_eq!((s.version, s.kind), (1, LetterKind::Referral));
    assert_eq!(s.referral_status.as_deref(), Some("sent"));
    let code = s
        .tracking_code
        .clone()
        .expect("a referral has a tracking code");
    assert!(tsunagu_domain::TrackingCode::parse(&code).is_ok());
    assert_eq!(issued.issued_on_wareki, "令和8年11月24日");

    let pdf = t.app.letter_pdf(&s.id.to_string()).await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(hex::encode(Sha256::digest(&pdf)), s.sha256);
    assert_eq!(pdf.len() as u64, s.pdf_size);

    let all = t.app.patient_letters(&patient).await.unwrap();
    assert!(all.drafts.is_empty(), "the draft became the letter");
    assert_eq!(all.letters, vec![issued.clone()]);
    let recent = t.app.letter_destinations().await.unwrap().recent;
    assert_eq!(recent[0].institution, "豊島中央病院");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_fields_are_named_on_the_form_and_nothing_is_issued() {
    let (t, patient) = ready().await;
    let draft = t
        .app
        .start_letter(&patient, LetterKind::Referral)
        .await
        .unwrap();
    let id = draft.id.to_string();
    let err = invalid(t.app.issue_letter(&id).await);
    assert_eq!(field_keys(&err), ["toInstitution", "purpose", "diagnoses"]);
    assert_eq!(message_on(&err, "purpose"), "紹介目的を入力してください。");
    assert!(
        err.message.contains("紹介先医療機関名、紹介目的、傷病名"),
        "{}",
        err.message
    );
    let all = t.app.patient_letters(&patient).await.unwrap();
    assert!(all.letters.is_empty());
    assert_eq!(all.drafts.len(), 1, "the draft is kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_character_the_font_lacks_is_reported_before_issuing() {
    let (t, patient) = ready().await;
    let draft = t
        .app
        .start_letter(&patient, LetterKind::Referral)
        .await
        .unwrap();
    let id = draft.id.to_string();
    let content = LetterDraftContent {
        to_doctor: "𠮷野　一郎".into(),
        ..referral()
    };
    t.app.save_letter_draft(&id, &content).await.unwrap();
    let err = invalid(t.app.issue_letter(&id).await);
    assert_eq!(field_keys(&err), ["toDoctor"]);
    assert!(message_on(&err, "toDoctor").contains("「𠮷」"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_discharge_letter_checks_its_dates_and_has_no_tracking_code() {
    let (t, patient) = ready().await;
    let draft = t
        .app
        .start_letter(&patient, LetterKind::Discharge)
        .await
        .unwrap();
    let id = draft.id.to_string();
    let mut content = LetterDraftContent {
        to_institution: "みなみ在宅クリニック".into(),
        to_doctor: "田中　一郎".into(),
        admitted_on: "令和8年5月20日".into(),
        discharged_on: "令和8年2月30日".into(),
        discharge_diagnoses: "発作性心房細動".into(),
        plan: "訪問診療にて経過観察をお願いします。".into(),
        ..Default::default()
    };
    t.app.save_letter_draft(&id, &content).await.unwrap();
    let err = invalid(t.app.issue_letter(&id).await);
    assert_eq!(field_keys(&err), ["dischargedOn"]);
    content.discharged_on = "R8.5.1".into();
    t.app.save_letter_draft(&id, &content).await.unwrap();
    let err = invalid(t.app.issue_letter(&id).await);
    assert_eq!(
        message_on(&err, "dischargedOn"),
        "退院日が入院日より前になっています。"
    );
    content.discharged_on = "2026-06-18".into();
    t.app.save_letter_draft(&id, &content).await.unwrap();
    let issued = t.app.issue_letter(&id).await.unwrap();
    assert_eq!(issued.summary.kind, LetterKind::Discharge);
    assert_eq!(issued.summary.tracking_code, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_correction_is_the_next_version_with_the_same_tracking_code_and_issuing_twice_is_refused()
{
    let (t, patient) = ready().await;
    let draft = t
        .app
        .start_letter(&patient, LetterKind::Referral)
        .await
        .unwrap();
    let id = draft.id.to_string();
    t.app.save_letter_draft(&id, &referral()).await.unwrap();
    let v1 = t.app.issue_letter(&id).await.unwrap();
    let again = t.app.issue_letter(&id).await.unwrap_err();
    assert_eq!(
        again.code,
        ErrorCode::NotFound,
        "the draft is gone: {again:?}"
    );

    let fix = t
        .app
        .correct_letter(&v1.summary.id.to_string())
        .await
        .unwrap();
    assert_eq!(
        fix.content,
        referral(),
        "the correction starts from what was issued"
    );
    assert_eq!(fix.supersedes, Some(v1.summary.id));
    let mut content = fix.content.clone();
    content.to_department = "不整脈科".into();
    t.app
        .save_letter_draft(&fix.id.to_string(), &content)
        .await
        .unwrap();
    let v2 = t.app.issue_letter(&fix.id.to_string()).await.unwrap();
    assert_eq!(v2.summary.version, 2);
    assert_eq!(v2.summary.tracking_code, v1.summary.tracking_code);
    assert_ne!(v2.summary.sha256, v1.summary.sha256);

    let stale = t
        .app
        .correct_letter(&v1.summary.id.to_string())
        .await
        .unwrap_err();
    assert_eq!(stale.code, ErrorCode::Conflict);
    let letters = t.app.patient_letters(&patient).await.unwrap().letters;
    assert_eq!(letters.len(), 2);
    let old = letters
        .iter()
        .find(|l| l.summary.id == v1.summary.id)
        .unwrap();
    assert_eq!(old.summary.superseded_by, Some(v2.summary.id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_too_large_is_refused_and_the_saved_one_is_kept() {
    let (t, patient) = ready().await;
    let draft = t
        .app
        .start_letter(&patient, LetterKind::Referral)
        .await
        .unwrap();
    let id = draft.id.to_string();
    t.app.save_letter_draft(&id, &referral()).await.unwrap();
    let huge = LetterDraftContent {
        course: "あ".repeat(200_001),
        ..referral()
    };
    let err = t.app.save_letter_draft(&id, &huge).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.message.contains("長すぎる"));
    assert_eq!(t.app.letter_draft(&id).await.unwrap().content, referral());

    // 50,000 characters in one section: saved, and issued over several pages.
    let long = LetterDraftContent {
        course: "経過観察中。".repeat(8_400),
        ..referral()
    };
    t.app.save_letter_draft(&id, &long).await.unwrap();
    let issued = t.app.issue_letter(&id).await.unwrap();
    let pdf = t
        .app
        .letter_pdf(&issued.summary.id.to_string())
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&pdf);
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert!(pages >= 10, "{pages} pages");
}

/// Issue 19: a referral letter corrected after the region was told of the
/// referral is queued as `letter_revised` (its version and what it now
/// says); consent withdrawn, it is held back with the rest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_correction_the_region_must_hear_of_is_queued_and_held_back_without_consent() {
    use tsunagu_app::pushed_operation;
    use tsunagu_protocol::OpBody;
    use tsunagu_store::Settlement;

    let (t, patient) = ready().await;
    let app = &t.app;
    let consent = |withdrawn_on: String| tsunagu_app::ConsentDraft {
        obtained_on: "2026-11-02".into(),
        obtained_by: "看護師 佐藤".into(),
        share_with_desk: true,
        share_with_hospital: true,
        withdrawn_on,
    };
    let given = app
        .save_consent(&patient, None, &consent(String::new()))
        .await
        .unwrap();
    let referral = refer(app, &patient, "豊島中央病院").await;
    let revisions = async || -> Vec<OpBody> {
        app.store()
            .pending_operations(100)
            .await
            .unwrap()
            .iter()
            .map(|op| pushed_operation(op).unwrap().body)
            .filter(|body| matches!(body, OpBody::LetterRevised { .. }))
            .collect()
    };
    // The region hears of the referral.
    let told: Vec<_> = app
        .store()
        .pending_operations(100)
        .await
        .unwrap()
        .iter()
        .map(|op| (op.op_seq, Settlement::Applied))
        .collect();
    app.store().settle_operations(&told, now()).await.unwrap();

    let letters = app.patient_letters(&patient).await.unwrap().letters;
    let draft = app
        .correct_letter(&letters[0].summary.id.to_string())
        .await
        .unwrap();
    let mut content = draft.content.clone();
    content.purpose = "動悸発作と失神の精査をお願い申し上げます。".into();
    app.save_letter_draft(&draft.id.to_string(), &content)
        .await
        .unwrap();
    app.issue_letter(&draft.id.to_string()).await.unwrap();
    let queued = revisions().await;
    assert_eq!(queued.len(), 1, "{queued:?}");
    let OpBody::LetterRevised {
        referral_id,
        version,
        letter,
    } = &queued[0]
    else {
        unreachable!()
    };
    assert_eq!(referral_id.to_string(), referral);
    assert_eq!(*version, 2);
    assert_eq!(letter.purpose, "動悸発作と失神の精査をお願い申し上げます。");
    assert_eq!(letter.clinic, "さくら内科クリニック");

    app.save_consent(
        &patient,
        Some(&given.id.to_string()),
        &consent(today().to_string()),
    )
    .await
    .unwrap();
    assert!(revisions().await.is_empty());
}
