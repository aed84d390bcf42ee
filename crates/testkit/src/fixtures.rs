//! Shared fixtures: an [`App`] over a fresh encrypted store in a temporary
//! directory (no OS keyring), a fixed clock, and typical form drafts.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use tempfile::TempDir;
use tsunagu_app::{App, AppError, ErrorCode, FixedClock, PatientDraft, PatientView, Sex};
use tsunagu_store::{OpenMode, Store, StoreKey};

/// The clinic's "now" in every test: 2026-11-24T00:00:00Z.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 0, 0, 0).unwrap()
}

pub fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid test date")
}

/// The clinic's "today" in every test, unless a test says otherwise.
pub fn today() -> NaiveDate {
    ymd(2026, 11, 24)
}

pub const ACTOR: &str = "os:tester";

/// An app over its own store. Keep `_dir` alive: dropping it deletes the file.
pub struct TestApp {
    pub app: App,
    _dir: TempDir,
}

/// Closes the store's connections before the test ends: a process that
/// exits while SQLCipher connections are still open can crash in their
/// worker threads.
impl Drop for TestApp {
    fn drop(&mut self) {
        // The app tests run on the multi-thread runtime (see each test's
        // attribute) so that this may block on the close.
        let store = self.app.store().clone();
        tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(store.close()));
    }
}

pub async fn new_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = Store::open_file(
        &dir.path().join("tsunagu.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .expect("new encrypted store");
    let app = App::with_store(
        store,
        Arc::new(FixedClock {
            now: now(),
            today: today(),
        }),
        ACTOR,
    );
    TestApp { app, _dir: dir }
}

/// Another app over the same store whose clock reads `today` (at 00:00Z).
pub fn app_on(app: &App, today: NaiveDate) -> App {
    let now = Utc.from_utc_datetime(&today.and_hms_opt(0, 0, 0).unwrap());
    App::with_store(
        app.store().clone(),
        Arc::new(FixedClock { now, today }),
        ACTOR,
    )
}

/// 山田　太郎, the patient most tests work with: every field filled in.
pub fn yamada() -> PatientDraft {
    PatientDraft {
        name: "山田　太郎".to_string(),
        kana: "やまだ　たろう".to_string(),
        birth_date: "S25.4.1".to_string(),
        sex: Some(Sex::Male),
        address: "東京都豊島区南池袋2-10-5".to_string(),
        phone: "03-1234-5678".to_string(),
        key_person_name: "山田　花子".to_string(),
        key_person_relation: "妻".to_string(),
        key_person_phone: "090-1111-2222".to_string(),
        chart_number: "A-1001".to_string(),
        memo: "ペースメーカーなし".to_string(),
    }
}

/// A minimal valid draft: only the required fields.
pub fn patient(name: &str, kana: &str, birth_date: &str, chart_number: &str) -> PatientDraft {
    PatientDraft {
        name: name.to_string(),
        kana: kana.to_string(),
        birth_date: birth_date.to_string(),
        sex: Some(Sex::Female),
        chart_number: chart_number.to_string(),
        ..PatientDraft::default()
    }
}

pub async fn create(app: &App, draft: &PatientDraft) -> PatientView {
    app.create_patient(draft)
        .await
        .unwrap_or_else(|e| panic!("create {draft:?}: {e:?}"))
}

/// Everyone in the store, deleted or not.
pub async fn stored_count(app: &App) -> u64 {
    let all = app.search_patients("", true).await.expect("list everyone");
    assert_eq!(
        all.patients.len() as u64,
        all.total,
        "small test stores fit in one page"
    );
    all.total
}

/// The error of a result that must be a validation failure.
pub fn validation_error<T: std::fmt::Debug>(result: Result<T, AppError>) -> AppError {
    let err = result.expect_err("should be rejected");
    assert_eq!(err.code, ErrorCode::Validation, "{err:?}");
    assert_eq!(err.message, "入力内容を確認してください。");
    err
}

pub fn field_keys(err: &AppError) -> Vec<&str> {
    err.fields.iter().map(|f| f.field.as_str()).collect()
}

/// The one message on `field`; fails when there is none or several.
pub fn message_on<'e>(err: &'e AppError, field: &str) -> &'e str {
    let messages: Vec<&str> = err
        .fields
        .iter()
        .filter(|f| f.field == field)
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(messages.len(), 1, "one message on {field}: {err:?}");
    messages[0]
}

/// Whether the text is Japanese for the user (has kana or kanji).
pub fn is_japanese(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}'))
}

pub async fn search_ids(app: &App, query: &str, include_deleted: bool) -> (Vec<uuid::Uuid>, u64) {
    let list = app
        .search_patients(query, include_deleted)
        .await
        .unwrap_or_else(|e| panic!("search {query:?}: {e:?}"));
    (list.patients.iter().map(|p| p.id).collect(), list.total)
}

/// Fills in the clinic's profile, which letters need.
pub async fn save_clinic(app: &App) {
    app.save_clinic_profile(&tsunagu_app::ClinicDraft {
        name: "さくら内科クリニック".into(),
        institution_code: String::new(),
        postal_code: "171-0022".into(),
        address: "東京都豊島区南池袋2-10-5".into(),
        phone: "03-1234-5678".into(),
        fax: String::new(),
        doctor_name: "佐藤　花子".into(),
    })
    .await
    .expect("clinic profile");
}

/// Issues a referral letter to `hospital` on `app`'s today; the referral's id.
pub async fn refer(app: &App, patient_id: &str, hospital: &str) -> String {
    let draft = app
        .start_letter(patient_id, tsunagu_app::LetterKind::Referral)
        .await
        .expect("letter draft");
    let content = tsunagu_app::LetterDraftContent {
        to_institution: hospital.into(),
        purpose: "精査加療".into(),
        diagnoses: "心不全".into(),
        ..Default::default()
    };
    app.save_letter_draft(&draft.id.to_string(), &content)
        .await
        .expect("save draft");
    let letter = app
        .issue_letter(&draft.id.to_string())
        .await
        .expect("issue");
    letter
        .summary
        .referral_id
        .expect("a referral letter opens a referral")
        .to_string()
}
