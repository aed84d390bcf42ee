//! The desktop core enrolling with a real regional server (over HTTP on
//! loopback, PostgreSQL of its own) and keeping the secret in a real
//! Secret Service: the whole path a physician takes with the desk's code.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::print_stdout,
    reason = "a test fails by panicking; it runs against the real clock; its notes go to the test output"
)]

use std::net::SocketAddr;
use std::sync::Arc;

use chrono::Utc;
use tsunagu_app::{App, ErrorCode, KeyringKeys, SystemClock};
use tsunagu_protocol::OrgKind;
use tsunagu_server::api::{ServerState, router};
use tsunagu_server::db::{RUNTIME_ROLE, connect_and_migrate};
use tsunagu_server::local_pg::{Durability, LocalPostgres};
use tsunagu_store::{OpenMode, Store, StoreKey};
use uuid::Uuid;

/// A fresh keyring service; without a Secret Service the test fails.
fn keyring() -> KeyringKeys {
    if let Err(e) = KeyringKeys::check_available() {
        panic!("no Secret Service ({e}); run this test under `make test`");
    }
    KeyringKeys::new(format!("jp.tsunagu.test.{}", Uuid::now_v7()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the OS keyring (a Secret Service): run `make test`"]
async fn a_clinic_enrolls_with_the_desks_code_and_its_secret_stays_in_the_keyring() {
    let keys = keyring();
    let pg_dir = tempfile::tempdir().unwrap();
    let cluster = LocalPostgres::start(pg_dir.path(), Durability::Throwaway).unwrap();
    let pool = connect_and_migrate(
        &cluster.url("tsunagu"),
        &cluster.url_as(RUNTIME_ROLE, "tsunagu"),
    )
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(
        axum::serve(
            listener,
            router(ServerState::new(pool.clone()))
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .into_future(),
    );
    let clinic = tsunagu_server::admin::create_organisation(
        &pool,
        OrgKind::Clinic,
        "さくら内科クリニック",
        "admin:test",
    )
    .await
    .unwrap();
    let code =
        tsunagu_server::admin::issue_enrollment_code(&pool, clinic.id, "admin:test", Utc::now())
            .await
            .unwrap();

    let store_dir = tempfile::tempdir().unwrap();
    let store = Store::open_file(
        &store_dir.path().join("tsunagu.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .unwrap();
    let app = App::with_store(store, Arc::new(SystemClock), "os:tester").with_keyring(keys.clone());
    let url = format!("http://{address}/");
    assert_eq!(app.sync_status().await.unwrap(), None);

    // What the physician may get wrong: the address, the code.
    let err = app
        .enroll("http://192.0.2.10:8443", &code, "診察室PC")
        .await
        .unwrap_err();
    assert_eq!(
        err.fields[0].field, "serverUrl",
        "plain HTTP beyond this machine"
    );
    let err = app
        .enroll("http://127.0.0.1:9", &code, "診察室PC")
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Network);
    let err = app
        .enroll(&url, "WRONG-CODE", "診察室PC")
        .await
        .unwrap_err();
    assert_eq!(err.fields[0].field, "code");
    assert!(err.fields[0].message.contains("登録コード"), "{err:?}");
    assert_eq!(app.sync_status().await.unwrap(), None, "nothing recorded");

    let enrolled = app
        .enroll(&url, &code.to_lowercase(), "診察室PC")
        .await
        .unwrap();
    assert_eq!(enrolled.organisation_name, "さくら内科クリニック");
    assert_eq!(enrolled.server_url, format!("http://{address}"));
    assert_eq!(app.sync_status().await.unwrap(), Some(enrolled.clone()));
    let secret = keys
        .load_sync_secret(&enrolled.device_id.to_string())
        .unwrap();
    assert_eq!(secret.len(), 64);
    assert_eq!(
        app.check_connection().await.unwrap(),
        "さくら内科クリニック"
    );

    // Revoked at the desk: the app says so in the server's words.
    tsunagu_server::admin::revoke_device(&pool, enrolled.device_id, "admin:test")
        .await
        .unwrap();
    let err = app.check_connection().await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Network);
    assert!(
        err.message.contains("登録が取り消されています"),
        "{}",
        err.message
    );

    server.abort();
    app.close().await;
    pool.close().await;
    drop(cluster);
}
