//! The clinic's accounts as the encrypted store keeps them: the first
//! administrator made once, unique logins, and never without an
//! administrator, whatever statement is tried.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use tsunagu_domain::StaffRole;
use tsunagu_store::{NewAccount, OpenMode, Store, StoreError, StoreKey};
use uuid::Uuid;

use common::now;

fn admin(login: &str) -> NewAccount<'_> {
    NewAccount {
        login,
        display_name: "佐藤 花子",
        role: StaffRole::Doctor,
        is_admin: true,
        password_hash: "$argon2id$not-checked-here",
        must_change_password: false,
    }
}

async fn store(dir: &tempfile::TempDir) -> Store {
    Store::open_file(
        &dir.path().join("a.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn the_last_administrator_cannot_be_disabled() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir).await;
    let first = Uuid::now_v7();
    store
        .insert_account(first, &admin("sato"), true, "system", now())
        .await
        .unwrap();
    let refused = store
        .set_account_disabled(first, true, "system", now())
        .await;
    assert!(
        matches!(refused, Err(StoreError::LastAdministrator)),
        "{refused:?}"
    );

    let second = Uuid::now_v7();
    store
        .insert_account(second, &admin("tanaka"), false, "system", now())
        .await
        .unwrap();
    store
        .set_account_disabled(first, true, "system", now())
        .await
        .unwrap();
    assert!(store.account(first).await.unwrap().disabled_at.is_some());
    let refused = store
        .set_account_disabled(second, true, "system", now())
        .await;
    assert!(matches!(refused, Err(StoreError::LastAdministrator)));
    // The audit log names the account, never its hash.
    let trail = store.audit_trail(&first.to_string()).await.unwrap();
    assert_eq!(trail.len(), 2, "{trail:?}");
}

#[tokio::test]
async fn the_first_administrator_is_made_once_and_logins_are_unique() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir).await;
    store
        .insert_account(Uuid::now_v7(), &admin("sato"), true, "system", now())
        .await
        .unwrap();
    let again = store
        .insert_account(Uuid::now_v7(), &admin("other"), true, "system", now())
        .await;
    assert!(again.is_err(), "a second first administrator");
    let duplicate = store
        .insert_account(Uuid::now_v7(), &admin("sato"), false, "system", now())
        .await;
    assert!(
        matches!(duplicate, Err(StoreError::DuplicateLogin)),
        "{duplicate:?}"
    );
    assert_eq!(store.account_count().await.unwrap(), 1);
}
