//! Bad input against the real server on a real PostgreSQL: every file of
//! the protocol's kept corpus (`crates/protocol/tests/corpus`, whose names
//! say what decoding must give) posted to `/v1/push` and `/v1/pull` with a
//! valid credential gets its answer — 2xx for the valid ones, otherwise a
//! 4xx with `{code, message}` — and writes nothing. Another clinic's ids are
//! refused op by op and its rows stay as they were; a missing or garbled
//! credential is a 401 and a body over 4 MiB a 413.
//!
//! The corpus's valid pushes name clinic A's records (the ids below); they
//! are posted from clinic B, so every one of their operations must be
//! refused.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode, header};
use chrono::NaiveDate;
use common::*;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use tsunagu_protocol::{
    OpBody, Operation, OrgKind, PROTOCOL_VERSION, PullRequest, PushRequest, WireDestination,
    WireEvent, WireEventDetails, decode_request,
};
use tsunagu_server::api::MAX_BODY_BYTES;
use uuid::Uuid;

// Clinic A's records, as the corpus names them.
const PATIENT_A: Uuid = Uuid::from_u128(0x0196a000_0000_7000_8000_00000000000a);
const CONSENT_A: Uuid = Uuid::from_u128(0x0196a000_0000_7000_8000_0000000000ca);
const REFERRAL_A: Uuid = Uuid::from_u128(0x0196a000_0000_7000_8000_0000000000fa);
const SENT_A: Uuid = Uuid::from_u128(0x0196a000_0000_7000_8000_0000000000e1);
const ADMITTED_A: Uuid = Uuid::from_u128(0x0196a000_0000_7000_8000_0000000000e2);
const TRACKING_A: &str = "A1B-2C3-D4Y";

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn push_body(ops: Vec<(i64, OpBody)>) -> Vec<u8> {
    serde_json::to_vec(&PushRequest {
        version: PROTOCOL_VERSION,
        epoch: None,
        ops: ops
            .into_iter()
            .map(|(op_seq, body)| Operation {
                op_seq,
                op_id: None,
                body,
            })
            .collect(),
    })
    .unwrap()
}

/// Pushes operations that must be accepted as a request; their results.
async fn push(t: &TestServer, credential: &str, ops: Vec<(i64, OpBody)>) -> Vec<Value> {
    let (status, body) = t
        .call("POST", "/v1/push", Some(credential), push_body(ops))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["results"].as_array().unwrap().clone()
}

fn event(id: Uuid, details: WireEventDetails) -> WireEvent {
    WireEvent {
        id,
        details: Some(details),
        voids: None,
        note: String::new(),
    }
}

fn patient(patient_id: Uuid, name: &str) -> OpBody {
    OpBody::PatientShared {
        patient_id,
        name: name.into(),
        kana: "やまだ　たろう".into(),
        birth_date: NaiveDate::from_ymd_opt(1950, 4, 1).unwrap(),
        sex: "male".into(),
    }
}

fn consent(consent_id: Uuid, patient_id: Uuid, withdrawn_on: Option<NaiveDate>) -> OpBody {
    OpBody::ConsentRecorded {
        consent_id,
        patient_id,
        obtained_on: d(5, 10),
        obtained_by: "佐藤　花子".into(),
        desk: true,
        destination_hospital: true,
        withdrawn_on,
        team: false,
        family: None,
        preregistration: false,
        preregistered_with: Vec::new(),
    }
}

fn opened(
    referral_id: Uuid,
    patient_id: Uuid,
    tracking_code: &str,
    destination: Option<Uuid>,
    sent: Uuid,
) -> OpBody {
    OpBody::ReferralOpened {
        referral_id,
        patient_id,
        tracking_code: tracking_code.into(),
        destination,
        sent: event(
            sent,
            WireEventDetails::Sent {
                date: d(5, 12),
                hospital: "豊島中央病院".into(),
            },
        ),
        letter: None,
    }
}

fn admitted(referral_id: Uuid, id: Uuid) -> OpBody {
    OpBody::EventAppended {
        referral_id,
        event: event(
            id,
            WireEventDetails::Admitted {
                date: d(5, 14),
                ward: "5階東".into(),
                attending: "鈴木".into(),
            },
        ),
    }
}

/// Clinic A (with a hospital to refer to) and clinic B, each with a device;
/// clinic A has shared its patient with consent and opened a referral the
/// hospital has recorded an admission on.
struct World {
    t: TestServer,
    clinic_a: Uuid,
    b: String,
}

async fn world() -> World {
    let t = server().await;
    let (clinic_a, a) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let (hospital_id, hospital) = enrolled(&t, OrgKind::Hospital, "豊島中央病院").await;
    let (_, b) = enrolled(&t, OrgKind::Clinic, "みなみ在宅クリニック").await;
    let results = push(
        &t,
        &a,
        vec![
            (1, patient(PATIENT_A, "山田　太郎")),
            (2, consent(CONSENT_A, PATIENT_A, None)),
            (
                3,
                opened(REFERRAL_A, PATIENT_A, TRACKING_A, Some(hospital_id), SENT_A),
            ),
        ],
    )
    .await;
    let results = [
        results,
        push(&t, &hospital, vec![(1, admitted(REFERRAL_A, ADMITTED_A))]).await,
    ]
    .concat();
    for r in &results {
        assert_eq!(r["outcome"]["outcome"], "applied", "{r}");
    }
    World { t, clinic_a, b }
}

/// Tables a request could write to, each as its rows (JSON, sorted): read
/// with the owner's pool, which may read them all.
const TABLES: &[&str] = &[
    "patients",
    "consents",
    "referrals",
    "referral_events",
    "change_log",
    "scope_counters",
    "applied_ops",
    "audit_log",
];

async fn snapshot(t: &TestServer) -> BTreeMap<&'static str, Vec<String>> {
    let mut tables = BTreeMap::new();
    for table in TABLES {
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT to_jsonb(x)::text AS row FROM {table} x ORDER BY row"
        )))
        .fetch_all(&t.owner)
        .await
        .unwrap();
        tables.insert(*table, rows);
    }
    tables
}

/// Clinic A's rows: its patients, consents, referrals, their events, and
/// every feed entry about its referrals or in its scope.
async fn rows_of(t: &TestServer, clinic: Uuid) -> Vec<String> {
    let queries = [
        "SELECT to_jsonb(x)::text AS row FROM patients x WHERE clinic_id = $1",
        "SELECT to_jsonb(x)::text AS row FROM consents x WHERE clinic_id = $1",
        "SELECT to_jsonb(x)::text AS row FROM referrals x WHERE clinic_id = $1",
        "SELECT to_jsonb(x)::text AS row FROM referral_events x
         WHERE referral_id IN (SELECT id FROM referrals WHERE clinic_id = $1)",
        "SELECT to_jsonb(x)::text AS row FROM change_log x
         WHERE scope = 'org:' || $1::text
            OR referral_id IN (SELECT id FROM referrals WHERE clinic_id = $1)",
    ];
    let mut rows = Vec::new();
    for q in queries {
        let mut some: Vec<String> =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("{q} ORDER BY row")))
                .bind(clinic)
                .fetch_all(&t.owner)
                .await
                .unwrap();
        rows.append(&mut some);
    }
    rows
}

/// What the corpus file's name says the server answers: `Ok` for a valid
/// request, else the error code (the same reading as the protocol's
/// `decode_properties`).
fn expected(file_name: &str, endpoint: &str) -> Result<(), &'static str> {
    let (mine, theirs) = match endpoint {
        "/v1/push" => ("push-", "pull-"),
        _ => ("pull-", "push-"),
    };
    if let Some(rest) = file_name.strip_prefix("ok-") {
        if rest.starts_with(mine) || rest.starts_with("both-") {
            return Ok(());
        }
        assert!(rest.starts_with(theirs), "{file_name}");
        return Err("malformed");
    }
    if let Some(rest) = file_name.strip_prefix("too-large-") {
        if rest.starts_with(mine) {
            return Err("too_large");
        }
        assert!(rest.starts_with(theirs), "{file_name}");
        return Err("malformed");
    }
    if file_name.starts_with("version-") {
        return Err("unsupported_version");
    }
    assert!(file_name.starts_with("malformed-"), "{file_name}");
    Err("malformed")
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/protocol/tests/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            (name, std::fs::read(&path).unwrap())
        })
        .collect()
}

/// A refusal as the protocol promises it: the status for its code, and a
/// body that is exactly `{code, message}` with a message to show.
fn assert_refusal(what: &str, status: StatusCode, body: &[u8], code: &str) {
    let want_status = match code {
        "too_large" => StatusCode::PAYLOAD_TOO_LARGE,
        "unauthenticated" => StatusCode::UNAUTHORIZED,
        _ => StatusCode::BAD_REQUEST,
    };
    let text = String::from_utf8_lossy(body);
    assert_eq!(status, want_status, "{what}: {text}");
    let body: Value = serde_json::from_slice(body)
        .unwrap_or_else(|_| panic!("{what}: the refusal is not JSON: {text:?}"));
    let fields: Vec<&str> = body
        .as_object()
        .unwrap_or_else(|| panic!("{what}: {body}"))
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(fields, ["code", "message"], "{what}: {body}");
    assert_eq!(body["code"], code, "{what}: {body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{what}: {body}"
    );
}

/// Sends a request as it is given: the authorization header (or none), and
/// the body with or without a Content-Length.
async fn send(
    t: &TestServer,
    path: &str,
    authorization: Option<HeaderValue>,
    body: Vec<u8>,
    content_length: bool,
) -> (StatusCode, Vec<u8>) {
    let mut request = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(value) = authorization {
        request = request.header(header::AUTHORIZATION, value);
    }
    if content_length {
        request = request.header(header::CONTENT_LENGTH, body.len());
    }
    let response = t
        .app
        .clone()
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, bytes.to_vec())
}

fn bearer(credential: &str) -> Option<HeaderValue> {
    Some(HeaderValue::from_str(&format!("Bearer {credential}")).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_corpus_file_gets_its_answer_and_writes_nothing() {
    let w = world().await;
    let t = &w.t;
    let files = corpus();
    assert!(files.len() >= 24, "{} corpus files", files.len());
    let mut valid_pushes = 0;
    for (name, bytes) in &files {
        for endpoint in ["/v1/push", "/v1/pull"] {
            let what = format!("{name} to {endpoint}");
            let before = snapshot(t).await;
            let (status, reply) = send(t, endpoint, bearer(&w.b), bytes.clone(), true).await;
            let after = snapshot(t).await;
            match expected(name, endpoint) {
                Ok(()) => {
                    let text = String::from_utf8_lossy(&reply);
                    assert!(status.is_success(), "{what}: {status} {text}");
                    let reply: Value = serde_json::from_slice(&reply).unwrap();
                    if endpoint == "/v1/push" {
                        // Every operation names clinic A's records: each is
                        // refused, with a reason, and only remembered as such.
                        let ops = decode_request::<PushRequest>(bytes).unwrap().ops;
                        let results = reply["results"].as_array().unwrap();
                        assert_eq!(results.len(), ops.len(), "{what}: {reply}");
                        for (op, result) in ops.iter().zip(results) {
                            assert_eq!(result["op_seq"], op.op_seq, "{what}: {result}");
                            assert_eq!(result["outcome"]["outcome"], "refused", "{what}: {result}");
                            assert!(
                                result["outcome"]["reason"]
                                    .as_str()
                                    .is_some_and(|r| !r.is_empty()),
                                "{what}: {result}"
                            );
                        }
                        valid_pushes += 1;
                        let (mut before, mut after) = (before, after);
                        assert!(
                            after["applied_ops"].len() <= before["applied_ops"].len() + ops.len()
                        );
                        before.remove("applied_ops");
                        after.remove("applied_ops");
                        // Each refusal is audited, and nothing else is.
                        let audited: Vec<&String> = after["audit_log"]
                            .iter()
                            .filter(|row| !before["audit_log"].contains(row))
                            .collect();
                        assert!(audited.len() <= ops.len(), "{what}: {audited:?}");
                        assert!(
                            audited
                                .iter()
                                .all(|row| row.contains(r#""action": "refused-push""#)),
                            "{what}: {audited:?}"
                        );
                        before.remove("audit_log");
                        after.remove("audit_log");
                        assert_eq!(before, after, "{what} wrote something");
                    } else {
                        decode_request::<PullRequest>(bytes).unwrap();
                        // Clinic B's feed: nothing of clinic A's.
                        assert!(reply["changes"].is_array(), "{what}: {reply}");
                        assert_nothing_of_clinic_a(&what, &reply);
                        assert_eq!(before, after, "{what} wrote something");
                    }
                }
                Err(code) => {
                    assert_refusal(&what, status, &reply, code);
                    assert_eq!(before, after, "{what} wrote something");
                }
            }
        }
    }
    assert!(valid_pushes >= 5, "{valid_pushes}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_clinics_ids_are_refused_and_its_rows_stay_as_they_were() {
    let w = world().await;
    let t = &w.t;
    let a_before = rows_of(t, w.clinic_a).await;
    // A patient, a consent, a referral, two events and their feed entries.
    assert!(a_before.len() >= 5 + 2, "{a_before:#?}");

    // Clinic B names clinic A's patient, consent, referral and events.
    let voiding = OpBody::EventAppended {
        referral_id: REFERRAL_A,
        event: WireEvent {
            id: Uuid::now_v7(),
            details: None,
            voids: Some(ADMITTED_A),
            note: "誤入力".into(),
        },
    };
    let cancelling = OpBody::EventAppended {
        referral_id: REFERRAL_A,
        event: event(
            Uuid::now_v7(),
            WireEventDetails::Cancelled {
                date: d(5, 20),
                reason: "乗っ取り".into(),
            },
        ),
    };
    let discharged = OpBody::EventAppended {
        referral_id: REFERRAL_A,
        event: event(
            Uuid::now_v7(),
            WireEventDetails::Discharged {
                date: d(6, 1),
                destination: WireDestination::ThisClinic,
            },
        ),
    };
    let foreign = vec![
        (1, patient(PATIENT_A, "別人")),
        (2, consent(CONSENT_A, PATIENT_A, Some(d(5, 11)))),
        (3, consent(Uuid::now_v7(), PATIENT_A, None)),
        (4, opened(REFERRAL_A, PATIENT_A, TRACKING_A, None, SENT_A)),
        (
            5,
            opened(
                Uuid::now_v7(),
                PATIENT_A,
                "B00-000-10M",
                None,
                Uuid::now_v7(),
            ),
        ),
        (6, admitted(REFERRAL_A, Uuid::now_v7())),
        (7, voiding),
        (8, cancelling),
        (9, discharged),
        // An event id of clinic A's, on its own referral.
        (10, admitted(REFERRAL_A, ADMITTED_A)),
    ];
    let n = foreign.len();
    let results = push(t, &w.b, foreign).await;
    assert_eq!(results.len(), n);
    for r in &results {
        assert_eq!(r["outcome"]["outcome"], "refused", "{r}");
        assert!(
            r["outcome"]["reason"]
                .as_str()
                .is_some_and(|s| !s.is_empty()),
            "{r}"
        );
    }
    assert_eq!(rows_of(t, w.clinic_a).await, a_before);

    // Clinic B's own patient and referral, then clinic A's ids reused on them.
    let (patient_b, referral_b) = clinic_b_refers(&w, 20).await;
    let reusing = vec![
        // Clinic A's referral id, or its tracking code, for B's patient.
        (
            30,
            opened(REFERRAL_A, patient_b, "B00-000-30J", None, Uuid::now_v7()),
        ),
        (
            31,
            opened(Uuid::now_v7(), patient_b, TRACKING_A, None, Uuid::now_v7()),
        ),
        // Clinic A's 紹介済 event id as the start of B's new referral.
        (
            32,
            opened(Uuid::now_v7(), patient_b, "B00-000-40H", None, SENT_A),
        ),
        // Clinic A's event ids on B's own referral: recorded again, or voided.
        (33, admitted(referral_b, ADMITTED_A)),
        (
            34,
            OpBody::EventAppended {
                referral_id: referral_b,
                event: WireEvent {
                    id: Uuid::now_v7(),
                    details: None,
                    voids: Some(ADMITTED_A),
                    note: String::new(),
                },
            },
        ),
        // Clinic B's patient moved onto clinic A's patient id? B may not.
        (35, patient(PATIENT_A, "鈴木　花子")),
    ];
    let n = reusing.len();
    let results = push(t, &w.b, reusing).await;
    assert_eq!(results.len(), n);
    for r in &results {
        assert_eq!(r["outcome"]["outcome"], "refused", "{r}");
        assert!(
            r["outcome"]["reason"]
                .as_str()
                .is_some_and(|s| !s.is_empty()),
            "{r}"
        );
    }
    assert_eq!(rows_of(t, w.clinic_a).await, a_before);

    // Clinic B's feed has only its own records.
    let (status, feed) = t
        .post_json(
            "/v1/pull",
            Some(&w.b),
            json!({"version": PROTOCOL_VERSION, "cursor": 0, "limit": 1000}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{feed}");
    assert_nothing_of_clinic_a("clinic B's feed", &feed);
    assert!(feed.to_string().contains(&referral_b.to_string()), "{feed}");
}

/// Nothing in `reply` names clinic A's records.
fn assert_nothing_of_clinic_a(what: &str, reply: &Value) {
    let text = reply.to_string();
    for a_id in [PATIENT_A, REFERRAL_A, SENT_A, ADMITTED_A, CONSENT_A] {
        assert!(
            !text.contains(&a_id.to_string()),
            "{what}: {a_id} in {reply}"
        );
    }
    assert!(
        !text.contains(TRACKING_A) && !text.contains("山田"),
        "{what}: {reply}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_or_garbled_credential_is_401_with_a_code() {
    let w = world().await;
    let t = &w.t;
    let (device, secret) = w.b.split_once('.').unwrap();
    let unknown_device = format!("{}.{secret}", Uuid::now_v7());
    let wrong_secret = format!("{device}.{}", "0".repeat(64));
    let empty_secret = format!("{device}.");
    let extra_dot = format!("{}.x", w.b);
    let bad: Vec<(&str, Option<HeaderValue>)> = vec![
        ("no header", None),
        ("empty", Some(HeaderValue::from_static(""))),
        ("Bearer alone", Some(HeaderValue::from_static("Bearer"))),
        (
            "Bearer and space",
            Some(HeaderValue::from_static("Bearer ")),
        ),
        (
            "Basic",
            Some(HeaderValue::from_static("Basic dXNlcjpwYXNz")),
        ),
        ("no dot", bearer(device)),
        ("not a uuid", bearer("not-a-uuid.secret")),
        ("unknown device", bearer(&unknown_device)),
        ("wrong secret", bearer(&wrong_secret)),
        ("empty secret", bearer(&empty_secret)),
        ("secret with more after it", bearer(&extra_dot)),
        ("SQL", bearer("'; DROP TABLE devices; --.x")),
        (
            "not UTF-8",
            Some(HeaderValue::from_bytes(b"Bearer \xff\xfe.\xc0\xaf").unwrap()),
        ),
        ("very long", bearer(&"a".repeat(16 * 1024))),
    ];
    let bodies = [
        (
            "/v1/push",
            push_body(vec![(1, patient(Uuid::now_v7(), "山田　太郎"))]),
        ),
        (
            "/v1/pull",
            br#"{"version":2,"cursor":0,"limit":10}"#.to_vec(),
        ),
    ];
    let before = snapshot(t).await;
    for (what, authorization) in bad {
        for (path, body) in &bodies {
            let (status, reply) = send(t, path, authorization.clone(), body.clone(), true).await;
            assert_refusal(
                &format!("{what} to {path}"),
                status,
                &reply,
                "unauthenticated",
            );
        }
    }
    // Bad bodies with a bad credential: who is asking is checked first.
    for (name, bytes) in corpus().into_iter().step_by(7) {
        let (status, reply) = send(t, "/v1/push", bearer(&wrong_secret), bytes, true).await;
        assert_refusal(&name, status, &reply, "unauthenticated");
    }
    assert_eq!(snapshot(t).await, before);
}

/// A valid push padded with whitespace to `size` bytes.
fn padded_push(size: usize) -> Vec<u8> {
    let mut body = push_body(vec![(1, patient(Uuid::now_v7(), "山田　太郎"))]);
    body.resize(size, b' ');
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_4_mib_is_413_and_writes_nothing() {
    let w = world().await;
    let t = &w.t;
    let before = snapshot(t).await;
    for content_length in [true, false] {
        for (path, body) in [
            ("/v1/push", padded_push(MAX_BODY_BYTES + 1)),
            ("/v1/push", padded_push(16 * 1024 * 1024)),
            ("/v1/pull", {
                let mut body = br#"{"version":2,"cursor":0,"limit":10}"#.to_vec();
                body.resize(MAX_BODY_BYTES + 1, b'\n');
                body
            }),
        ] {
            let size = body.len();
            let (status, reply) = send(t, path, bearer(&w.b), body, content_length).await;
            assert_eq!(
                status,
                StatusCode::PAYLOAD_TOO_LARGE,
                "{size} bytes to {path} (Content-Length: {content_length}): {}",
                String::from_utf8_lossy(&reply)
            );
        }
    }
    assert_eq!(snapshot(t).await, before);
    // Well under the limit, the same push is read and applied.
    let (status, reply) = send(t, "/v1/push", bearer(&w.b), padded_push(1024 * 1024), true).await;
    let reply: Value = serde_json::from_slice(&reply).unwrap();
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(
        reply["results"][0]["outcome"]["outcome"], "applied",
        "{reply}"
    );
}

/// `MAX_BODY_BYTES` (4 MiB) is the documented limit, but the body is read
/// with axum's `Bytes` extractor, whose own default limit (2 MiB) was not
/// raised or disabled (`DefaultBodyLimit`): a body between 2 and 4 MiB is
/// refused with axum's plain-text 413.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]

async fn a_body_up_to_4_mib_is_read() {
    let w = world().await;
    let t = &w.t;
    for (op_seq, size) in [
        (1, 2 * 1024 * 1024),
        (2, 2 * 1024 * 1024 + 1),
        (3, MAX_BODY_BYTES),
    ] {
        let mut body = push_body(vec![(op_seq, patient(Uuid::now_v7(), "山田　太郎"))]);
        body.resize(size, b' ');
        let (status, reply) = send(t, "/v1/push", bearer(&w.b), body, true).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{size} bytes: {}",
            String::from_utf8_lossy(&reply)
        );
    }
}

/// The refusal of an oversized body should be the protocol's `{code,
/// message}` like every other; today it is tower-http's (with a
/// Content-Length) or axum's (without one) plain-text 413.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]

async fn a_body_over_4_mib_is_refused_with_a_code() {
    let w = world().await;
    let t = &w.t;
    for content_length in [true, false] {
        let (status, reply) = send(
            t,
            "/v1/push",
            bearer(&w.b),
            padded_push(MAX_BODY_BYTES + 1),
            content_length,
        )
        .await;
        assert_refusal(
            &format!("Content-Length: {content_length}"),
            status,
            &reply,
            "too_large",
        );
    }
}

/// Clinic B's own patient (with consent) and referral, from operation
/// `first` on: (patient, referral).
async fn clinic_b_refers(w: &World, first: i64) -> (Uuid, Uuid) {
    let (patient_b, referral_b) = (Uuid::now_v7(), Uuid::now_v7());
    let results = push(
        &w.t,
        &w.b,
        vec![
            (first, patient(patient_b, "鈴木　花子")),
            (first + 1, consent(Uuid::now_v7(), patient_b, None)),
            (
                first + 2,
                opened(referral_b, patient_b, "B00-000-20K", None, Uuid::now_v7()),
            ),
        ],
    )
    .await;
    for r in &results {
        assert_eq!(r["outcome"]["outcome"], "applied", "{r}");
    }
    (patient_b, referral_b)
}

/// Text PostgreSQL cannot store (a NUL character, in `text` or `jsonb`) and
/// dates before its range (4714 BC; chrono's go back to 262144 BC) decode
/// fine, then fail in the database: a 500 `internal`, every time, since a
/// failed operation is not remembered — the device's outbox is stuck on it,
/// and the operations after it in the same push are never looked at.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]

async fn text_or_dates_the_database_cannot_store_are_refused_not_a_500() {
    let w = world().await;
    let t = &w.t;
    let (patient_b, referral_b) = clinic_b_refers(&w, 1).await;
    let nul = "山田\u{0}太郎".to_string();
    let ancient = NaiveDate::from_ymd_opt(-100_000, 1, 1).unwrap();
    let mut noted = event(
        Uuid::now_v7(),
        WireEventDetails::Received { date: d(5, 13) },
    );
    noted.note = nul.clone();
    let cases: Vec<(&str, OpBody)> = vec![
        ("patient name", patient(Uuid::now_v7(), &nul)),
        (
            "patient birth date",
            OpBody::PatientShared {
                patient_id: Uuid::now_v7(),
                name: "山田　太郎".into(),
                kana: "やまだ　たろう".into(),
                birth_date: ancient,
                sex: "male".into(),
            },
        ),
        (
            "consent obtained by",
            OpBody::ConsentRecorded {
                consent_id: Uuid::now_v7(),
                patient_id: patient_b,
                obtained_on: d(5, 10),
                obtained_by: nul.clone(),
                desk: true,
                destination_hospital: true,
                withdrawn_on: None,
                team: false,
                family: None,
                preregistration: false,
                preregistered_with: Vec::new(),
            },
        ),
        (
            "consent withdrawn on",
            consent(Uuid::now_v7(), patient_b, Some(ancient)),
        ),
        (
            "tracking code",
            opened(Uuid::now_v7(), patient_b, &nul, None, Uuid::now_v7()),
        ),
        (
            "event note",
            OpBody::EventAppended {
                referral_id: referral_b,
                event: noted,
            },
        ),
        (
            "event details (jsonb)",
            OpBody::EventAppended {
                referral_id: referral_b,
                event: event(
                    Uuid::now_v7(),
                    WireEventDetails::Visited {
                        date: d(5, 14),
                        department: nul.clone(),
                    },
                ),
            },
        ),
    ];
    let mut failures = Vec::new();
    for (op_seq, (what, op)) in (100..).zip(cases) {
        let before = snapshot(t).await;
        let (status, reply) = send(
            t,
            "/v1/push",
            bearer(&w.b),
            push_body(vec![(op_seq, op)]),
            true,
        )
        .await;
        let mut after = snapshot(t).await;
        let reply: Value = serde_json::from_slice(&reply).unwrap_or(Value::Null);
        let refused = (status == StatusCode::OK
            && reply["results"][0]["outcome"]["outcome"] == "refused")
            || (status == StatusCode::BAD_REQUEST && reply["code"] == "malformed");
        after.insert("applied_ops", before["applied_ops"].clone());
        // The refusal itself is audited, and nothing else is written.
        let audited: Vec<&String> = after["audit_log"]
            .iter()
            .filter(|row| !before["audit_log"].contains(row))
            .collect();
        let only_the_refusal = audited.len() <= 1
            && audited
                .iter()
                .all(|row| row.contains(r#""action": "refused-push""#));
        after.insert("audit_log", before["audit_log"].clone());
        if !refused || !only_the_refusal || after != before {
            failures.push(format!("{what}: {status} {reply}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// A consent under an id clinic A's consent already has, for clinic B's own
/// patient: the upsert's `WHERE consents.clinic_id = $3` skips the row, so
/// nothing is stored (clinic A's consent is safe) — but the operation is
/// answered `applied`, and clinic B's next referral is refused for want of
/// the consent it was told it recorded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]

async fn another_clinics_consent_id_is_refused_not_silently_dropped() {
    let w = world().await;
    let t = &w.t;
    let a_before = rows_of(t, w.clinic_a).await;
    let patient_b = Uuid::now_v7();
    let results = push(
        t,
        &w.b,
        vec![
            (1, patient(patient_b, "鈴木　花子")),
            (2, consent(CONSENT_A, patient_b, None)),
        ],
    )
    .await;
    assert_eq!(rows_of(t, w.clinic_a).await, a_before);
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM consents WHERE patient_id = $1")
        .bind(patient_b)
        .fetch_one(&t.owner)
        .await
        .unwrap();
    assert_eq!(results[0]["outcome"]["outcome"], "applied");
    assert!(
        results[1]["outcome"]["outcome"] == "refused" || stored == 1,
        "answered {} with {stored} consents stored",
        results[1]
    );
}
