//! The clinic's accounts as the desktop meets them: the first
//! administrator, sign-in, the idle lock (enforced on every command, not
//! just hidden), PIN and password unlock, roles refusing letters and
//! clinical text, the administrator's reset and the last administrator.
//! Real SQLCipher, the real clock moved by hand.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use tsunagu_app::{AccountInput, App, Clock, ErrorCode, LetterKind};
use tsunagu_store::{OpenMode, Store, StoreKey};
use tsunagu_testkit::fixtures::{now, yamada};

struct TestClock(Mutex<DateTime<Utc>>);

impl TestClock {
    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

struct Desk {
    app: App,
    clock: Arc<TestClock>,
    _dir: tempfile::TempDir,
}

async fn desktop_app() -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_file(
        &dir.path().join("tsunagu.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .unwrap();
    let clock = Arc::new(TestClock(Mutex::new(now())));
    let app = App::with_store(store, clock.clone(), "os:tester").requiring_accounts();
    Desk {
        app,
        clock,
        _dir: dir,
    }
}

fn account(login: &str, role: &str, password: &str) -> AccountInput {
    AccountInput {
        login: login.to_string(),
        display_name: "佐藤 花子".to_string(),
        role: role.to_string(),
        is_admin: false,
        password: password.to_string(),
    }
}

const SATO_PASSWORD: &str = "さくら内科の院長です";

async fn with_administrator() -> Desk {
    let desk = desktop_app().await;
    desk.app
        .create_first_account(&account("sato", "doctor", SATO_PASSWORD))
        .await
        .unwrap();
    desk
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_start_makes_the_administrator_once() {
    let desk = desktop_app().await;
    let view = desk.app.session_view().await.unwrap();
    assert!(view.first_account_needed && view.account.is_none());
    assert_eq!(
        desk.app.require_unlocked().await.unwrap_err().code,
        ErrorCode::SignedOut
    );

    let refused = desk
        .app
        .create_first_account(&account("佐藤", "doctor", "short"))
        .await
        .unwrap_err();
    let fields: Vec<_> = refused.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["login", "password"], "{refused:?}");
    assert_eq!(desk.app.store().account_count().await.unwrap(), 0);

    let view = desk
        .app
        .create_first_account(&account("Sato", "doctor", SATO_PASSWORD))
        .await
        .unwrap();
    let signed_in = view.account.unwrap();
    assert!(signed_in.is_admin && signed_in.login == "sato");
    let again = desk
        .app
        .create_first_account(&account("other", "doctor", SATO_PASSWORD))
        .await
        .unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_idle_app_locks_and_unlocks_with_the_pin_or_the_password() {
    let desk = with_administrator().await;
    desk.app.set_pin(Some("2468")).await.unwrap();
    // Someone at work (the window says so on input) keeps it open.
    desk.clock.advance(Duration::minutes(9));
    desk.app.still_here().await.unwrap();
    desk.clock.advance(Duration::minutes(9));
    desk.app.require_unlocked().await.unwrap();
    // The window's own timers call commands every minute or so: they do
    // not count as someone at the PC. Ten minutes after the last input,
    // every command is refused, not only the screen hidden.
    desk.clock.advance(Duration::seconds(59));
    desk.app.require_unlocked().await.unwrap();
    desk.clock.advance(Duration::seconds(1));
    assert_eq!(
        desk.app.require_unlocked().await.unwrap_err().code,
        ErrorCode::Locked
    );
    assert!(desk.app.session_view().await.unwrap().locked);
    desk.app.unlock("2468").await.unwrap();
    desk.app.require_unlocked().await.unwrap();

    // Three wrong PINs and only the password unlocks.
    desk.app.lock();
    for _ in 0..3 {
        desk.app.unlock("1111").await.unwrap_err();
    }
    let after = desk.app.unlock("2468").await.unwrap_err();
    assert!(after.fields[0].message.contains("パスワード"), "{after:?}");
    assert!(!desk.app.session_view().await.unwrap().pin_unlocks);
    desk.app.unlock(SATO_PASSWORD).await.unwrap();
    assert!(!desk.app.session_view().await.unwrap().locked);
}

#[tokio::test(flavor = "multi_thread")]
async fn roles_decide_who_writes_letters_and_the_audit_names_the_account() {
    let desk = with_administrator().await;
    let patient = desk.app.create_patient(&yamada()).await.unwrap();
    let trail = desk
        .app
        .store()
        .audit_trail(&patient.id.to_string())
        .await
        .unwrap();
    assert_eq!(trail[0].actor, "account:sato");

    let temporary = "はじめての仮パスワード";
    desk.app
        .add_account(&account("suzuki", "clerk", temporary))
        .await
        .unwrap();
    desk.app.sign_out().await.unwrap();
    let view = desk.app.sign_in("suzuki", temporary).await.unwrap();
    assert!(view.account.unwrap().must_change_password);
    let refused = desk
        .app
        .start_letter(&patient.id.to_string(), LetterKind::Referral)
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    assert_eq!(
        desk.app.accounts().await.unwrap_err().code,
        ErrorCode::Forbidden
    );
    desk.app
        .change_password(temporary, "じぶんで決めたパスワード")
        .await
        .unwrap();
    assert!(
        !desk
            .app
            .session_view()
            .await
            .unwrap()
            .account
            .unwrap()
            .must_change_password
    );

    desk.app.sign_out().await.unwrap();
    desk.app.sign_in("sato", SATO_PASSWORD).await.unwrap();
    desk.app
        .start_letter(&patient.id.to_string(), LetterKind::Referral)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forgotten_password_is_reset_and_the_last_administrator_stays() {
    let desk = with_administrator().await;
    let accounts = desk
        .app
        .add_account(&account("tanaka", "nurse", "はじめての仮パスワード"))
        .await
        .unwrap();
    let tanaka = accounts.iter().find(|a| a.login == "tanaka").unwrap().id;
    let sato = accounts.iter().find(|a| a.login == "sato").unwrap().id;
    desk.app
        .reset_password(&tanaka.to_string(), "あたらしい仮パスワード")
        .await
        .unwrap();
    desk.app.sign_out().await.unwrap();
    desk.app
        .sign_in("tanaka", "はじめての仮パスワード")
        .await
        .unwrap_err();
    desk.app
        .sign_in("tanaka", "あたらしい仮パスワード")
        .await
        .unwrap();
    desk.app.sign_out().await.unwrap();

    desk.app.sign_in("sato", SATO_PASSWORD).await.unwrap();
    let own = desk
        .app
        .set_account_disabled(&sato.to_string(), true)
        .await
        .unwrap_err();
    assert_eq!(own.code, ErrorCode::Conflict);
    desk.app
        .set_account_disabled(&tanaka.to_string(), true)
        .await
        .unwrap();
    desk.app.sign_out().await.unwrap();
    let disabled = desk
        .app
        .sign_in("tanaka", "あたらしい仮パスワード")
        .await
        .unwrap_err();
    assert_eq!(disabled.code, ErrorCode::Validation);
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_wrong_passwords_make_the_next_attempt_wait() {
    let desk = with_administrator().await;
    desk.app.sign_out().await.unwrap();
    for _ in 0..5 {
        desk.app
            .sign_in("sato", "まちがいのパスワード")
            .await
            .unwrap_err();
    }
    let waiting = desk.app.sign_in("sato", SATO_PASSWORD).await.unwrap_err();
    assert!(waiting.message.contains("秒後"), "{waiting:?}");
    desk.clock.advance(Duration::seconds(31));
    desk.app.sign_in("sato", SATO_PASSWORD).await.unwrap();
}
