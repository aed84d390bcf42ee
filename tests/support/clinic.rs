#![allow(dead_code, reason = "each test binary uses its own share")]

//! A clinic's desktop core for whole-system tests: a fresh encrypted store,
//! a fixed clock, the real keyring, enrolled with a region's server.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tempfile::TempDir;
use tsunagu_app::{App, ConsentDraft, FixedClock, KeyringKeys};
use tsunagu_protocol::Organisation;
use tsunagu_store::{OpenMode, Store, StoreKey};
use uuid::Uuid;

use crate::support::region::Region;
use tsunagu_testkit::fixtures as common;

/// A fresh keyring service. The tests that use it are `#[ignore]`d: `make
/// test` runs them in a session that has a Secret Service, and without one
/// they fail.
pub fn keyring() -> KeyringKeys {
    if let Err(e) = KeyringKeys::check_available() {
        panic!("no Secret Service ({e}); run these tests under `make test`");
    }
    KeyringKeys::new(format!("jp.tsunagu.test.{}", Uuid::now_v7()))
}

pub struct Clinic {
    pub app: App,
    _dir: TempDir,
}

impl Drop for Clinic {
    fn drop(&mut self) {
        let store = self.app.store().clone();
        tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(store.close()));
    }
}

/// A clinic's app whose clock reads `now`, enrolled at `url`.
pub async fn clinic_app(
    keys: &KeyringKeys,
    region: &Region,
    organisation: &Organisation,
    url: &str,
    now: DateTime<Utc>,
) -> Clinic {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_file(
        &dir.path().join("tsunagu.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .unwrap();
    let clock = FixedClock {
        now,
        today: now.date_naive(),
    };
    let app = App::with_store(store, Arc::new(clock), "os:doctor").with_keyring(keys.clone());
    common::save_clinic(&app).await;
    let code = region.enrollment_code(organisation).await;
    app.enroll(url, &code, "診察室PC").await.unwrap();
    Clinic { app, _dir: dir }
}

pub fn consent(desk: bool, hospital: bool, withdrawn_on: &str) -> ConsentDraft {
    ConsentDraft {
        obtained_on: "2026-11-02".into(),
        obtained_by: "看護師 佐藤".into(),
        share_with_desk: desk,
        share_with_hospital: hospital,
        withdrawn_on: withdrawn_on.into(),
    }
}
