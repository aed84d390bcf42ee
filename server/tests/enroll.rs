//! Enrollment and device credentials against a real PostgreSQL: a one-time
//! code becomes a device credential once; a revoked or forged credential
//! is refused; bad bodies get a 4xx with a code and write nothing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use axum::http::StatusCode;
use chrono::Utc;
use common::*;
use serde_json::json;
use tsunagu_protocol::{OrgKind, PROTOCOL_VERSION};
use tsunagu_server::admin;

async fn clinic_code(t: &TestServer) -> (uuid::Uuid, String) {
    let clinic = admin::create_organisation(
        &t.pool,
        OrgKind::Clinic,
        "さくら内科クリニック",
        "admin:test",
    )
    .await
    .unwrap();
    let code = admin::issue_enrollment_code(&t.pool, clinic.id, "admin:test", Utc::now())
        .await
        .unwrap();
    (clinic.id, code)
}

fn enroll_body(code: &str) -> serde_json::Value {
    json!({ "version": PROTOCOL_VERSION, "code": code, "device_name": "診察室PC" })
}

async fn devices(t: &TestServer) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM devices")
        .fetch_one(&t.pool)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_enrolls_one_device_once_and_its_credential_works_until_revoked() {
    let t = server().await;
    let (health, body) = t.call("GET", "/health", None, Vec::new()).await;
    assert_eq!(
        (health, body["status"].as_str()),
        (StatusCode::OK, Some("ok"))
    );

    let (clinic, code) = clinic_code(&t).await;
    assert_eq!(code.len(), 19, "four groups of four: {code}");
    let (status, enrolled) = t.post_json("/v1/enroll", None, enroll_body(&code)).await;
    assert_eq!(status, StatusCode::OK, "{enrolled}");
    assert_eq!(enrolled["organisation"]["id"], json!(clinic));
    assert_eq!(enrolled["organisation"]["kind"], "clinic");
    let credential = format!(
        "{}.{}",
        enrolled["device_id"].as_str().unwrap(),
        enrolled["secret"].as_str().unwrap()
    );
    let (status, me) = t
        .call("GET", "/v1/device", Some(&credential), Vec::new())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["organisation"]["name"], "さくら内科クリニック");

    // The same code again: refused, and no second device.
    let (status, refused) = t.post_json("/v1/enroll", None, enroll_body(&code)).await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_code"))
    );
    assert_eq!(devices(&t).await, 1);

    // Forged secrets and unknown devices are refused alike.
    let forged = format!(
        "{}.{}",
        enrolled["device_id"].as_str().unwrap(),
        "0".repeat(64)
    );
    for bad in [forged.as_str(), "not-a-credential", "0190.abc"] {
        let (status, body) = t.call("GET", "/v1/device", Some(bad), Vec::new()).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("unauthenticated"))
        );
    }
    let (status, _) = t.call("GET", "/v1/device", None, Vec::new()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let device = uuid::Uuid::parse_str(enrolled["device_id"].as_str().unwrap()).unwrap();
    assert!(
        admin::revoke_device(&t.pool, device, "admin:test")
            .await
            .unwrap()
    );
    let (status, _) = t
        .call("GET", "/v1/device", Some(&credential), Vec::new())
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_is_read_the_crockford_way() {
    let t = server().await;
    let (_, code) = clinic_code(&t).await;
    let typed = code
        .replace('-', " ")
        .to_lowercase()
        .replace('1', "l")
        .replace('0', "o");
    let (status, body) = t.post_json("/v1/enroll", None, enroll_body(&typed)).await;
    assert_eq!(status, StatusCode::OK, "{typed}: {body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_bodies_get_a_code_and_write_nothing() {
    let t = server().await;
    let (_, code) = clinic_code(&t).await;
    let cases: Vec<(Vec<u8>, StatusCode, &str)> = vec![
        (b"{not json".to_vec(), StatusCode::BAD_REQUEST, "malformed"),
        (
            br#"{"version":2}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "malformed",
        ),
        (
            serde_json::to_vec(&json!({"version": 99, "code": code, "device_name": "PC"})).unwrap(),
            StatusCode::BAD_REQUEST,
            "unsupported_version",
        ),
        (
            serde_json::to_vec(&json!({"version": 2, "code": code, "device_name": "  "})).unwrap(),
            StatusCode::BAD_REQUEST,
            "malformed",
        ),
        (
            serde_json::to_vec(&json!({"version": 2, "code": "x".repeat(65), "device_name": "PC"}))
                .unwrap(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
        ),
        (
            serde_json::to_vec(&json!({"version": 2, "code": "WRONG-CODE", "device_name": "PC"}))
                .unwrap(),
            StatusCode::BAD_REQUEST,
            "invalid_code",
        ),
    ];
    for (body, status, code_name) in cases {
        let (got, reply) = t.call("POST", "/v1/enroll", None, body).await;
        assert_eq!(
            (got, reply["code"].as_str()),
            (status, Some(code_name)),
            "{reply}"
        );
        assert!(!reply["message"].as_str().unwrap_or("").is_empty());
    }
    let (got, _) = t
        .call(
            "POST",
            "/v1/enroll",
            None,
            vec![b' '; tsunagu_server::api::MAX_BODY_BYTES + 1],
        )
        .await;
    assert_eq!(got, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(devices(&t).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_cannot_be_changed_or_emptied() {
    let t = server().await;
    clinic_code(&t).await;
    let entries: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
        .fetch_one(&t.pool)
        .await
        .unwrap();
    assert_eq!(entries, 2, "the organisation and the code");
    for statement in [
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ] {
        // The server's own role lacks the privilege …
        let err = sqlx::query(statement).execute(&t.pool).await.unwrap_err();
        assert!(
            err.to_string().contains("permission denied"),
            "{statement}: {err}"
        );
        // … and even the owner is stopped by the triggers.
        let err = sqlx::query(statement).execute(&t.owner).await.unwrap_err();
        assert!(
            err.to_string().contains("append-only"),
            "{statement}: {err}"
        );
    }
    let still: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
        .fetch_one(&t.owner)
        .await
        .unwrap();
    assert_eq!(still, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_that_keeps_guessing_is_refused_for_a_while() {
    let t = server().await;
    let (_, code) = clinic_code(&t).await;
    for _ in 0..tsunagu_server::api::MAX_ENROLL_FAILURES {
        let (status, _) = t
            .post_json("/v1/enroll", None, enroll_body("AAAA-BBBB-CCCC-DDDD"))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
    // Now even the right code waits.
    let (status, body) = t.post_json("/v1/enroll", None, enroll_body(&code)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("rate_limited"))
    );
    assert_eq!(devices(&t).await, 0);
}
