//! The audit log's tamper evidence (a hash chain checked by `admin
//! verify-audit`), what it records beyond reads and changes (failed
//! sign-ins, refused pushes, the client's address), and the change feed
//! the runtime role may no longer remove.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::NaiveDate;
use common::*;
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;
use tsunagu_protocol::{OpBody, OrgKind, PROTOCOL_VERSION};
use tsunagu_server::audit::{ChainReport, verify_chain};
use uuid::Uuid;

/// Some rows, as the server writes them.
async fn some_rows(t: &TestServer) {
    for name in ["さくら内科クリニック", "豊島中央病院", "池袋病院"] {
        tsunagu_server::admin::create_organisation(&t.pool, OrgKind::Hospital, name, "admin:test")
            .await
            .unwrap();
    }
}

async fn seqs(t: &TestServer) -> Vec<i64> {
    sqlx::query_scalar("SELECT seq FROM audit_log ORDER BY seq")
        .fetch_all(&t.owner)
        .await
        .unwrap()
}

/// `admin verify-audit` as the administrator runs it: (exit status, output).
fn verify_audit_cli(t: &TestServer) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tsunagu-server"))
        .args(["admin", "verify-audit"])
        .env("DATABASE_URL", &t.owner_url)
        .env_remove("TSUNAGU_RUNTIME_DATABASE_URL")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_changed_by_the_owner_is_the_first_broken_link() {
    let t = server().await;
    some_rows(&t).await;
    assert!(matches!(
        verify_chain(&t.pool).await.unwrap(),
        ChainReport::Intact { rows: 3, .. }
    ));
    let (status, out) = verify_audit_cli(&t);
    assert_eq!(status, 0, "{out}");
    assert!(out.contains("intact: 3 rows"), "{out}");

    // The owner gets round the append-only trigger and rewrites a row.
    let middle = seqs(&t).await[1];
    let mut owner = t.owner.acquire().await.unwrap();
    for sql in [
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update",
        "UPDATE audit_log SET actor = 'admin:nobody' WHERE seq = $1",
        "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update",
    ] {
        sqlx::query(sql)
            .bind(middle)
            .execute(&mut *owner)
            .await
            .unwrap();
    }
    drop(owner);
    match verify_chain(&t.pool).await.unwrap() {
        ChainReport::BrokenAt { seq, .. } => assert_eq!(seq, middle),
        other => panic!("{other:?}"),
    }
    let (status, out) = verify_audit_cli(&t);
    assert_eq!(status, 5, "{out}");
    assert!(out.contains(&format!("row {middle} ")), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_removed_by_the_owner_break_the_chain() {
    let t = server().await;
    some_rows(&t).await;
    let all = seqs(&t).await;
    let mut owner = t.owner.acquire().await.unwrap();
    sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update")
        .execute(&mut *owner)
        .await
        .unwrap();
    // The first row gone: the next one's link no longer holds.
    sqlx::query("DELETE FROM audit_log WHERE seq = $1")
        .bind(all[0])
        .execute(&mut *owner)
        .await
        .unwrap();
    match verify_chain(&t.pool).await.unwrap() {
        ChainReport::BrokenAt { seq, .. } => assert_eq!(seq, all[1]),
        other => panic!("{other:?}"),
    }
    // Only the newest gone: the head still names it.
    sqlx::query("DELETE FROM audit_log")
        .execute(&mut *owner)
        .await
        .unwrap();
    match verify_chain(&t.pool).await.unwrap() {
        ChainReport::Truncated { last: None, head } => assert_eq!(head, all[2]),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_still_make_one_valid_chain() {
    let t = server().await;
    let mut tasks = Vec::new();
    for writer in 0..8 {
        let pool = t.pool.clone();
        tasks.push(tokio::spawn(async move {
            for n in 0..10 {
                let mut tx = pool.begin().await.unwrap();
                for _ in 0..3 {
                    sqlx::query(
                        "INSERT INTO audit_log (actor, action, entity_kind, entity_id)
                         VALUES ($1, 'view', 'referral', $2)",
                    )
                    .bind(format!("user:{writer}"))
                    .bind(n.to_string())
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                    tokio::task::yield_now().await;
                }
                if n % 4 == 3 {
                    tx.rollback().await.unwrap();
                } else {
                    tx.commit().await.unwrap();
                }
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    match verify_chain(&t.pool).await.unwrap() {
        // 8 writers × 10 transactions × 3 rows, less the 2 rolled back each.
        ChainReport::Intact { rows, .. } => assert_eq!(rows, 8 * 8 * 3),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_runtime_role_cannot_remove_or_rewrite_the_feed_or_the_chain_head() {
    let t = server().await;
    for statement in [
        "DELETE FROM change_log",
        "UPDATE change_log SET body = '{}'",
        "TRUNCATE change_log",
        "UPDATE audit_chain_head SET last_seq = 0",
    ] {
        let err = sqlx::query(statement).execute(&t.pool).await.unwrap_err();
        assert!(
            err.to_string().contains("permission denied"),
            "{statement}: {err}"
        );
    }
    // The sweep still works without it.
    tsunagu_server::housekeeping::sweep(&t.pool).await.unwrap();
}

/// The login form's token and its cookie, as a browser gets them.
async fn login_form(t: &TestServer) -> (String, String) {
    let response = t
        .app
        .clone()
        .oneshot(Request::get("/portal/login").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let token = cookie.split_once('=').unwrap().1.to_string();
    (cookie, token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_sign_ins_are_audited_with_the_address_and_outlive_the_sweep() {
    let t = server().await;
    let (cookie, token) = login_form(&t).await;
    let body = format!("login=Nobody.Here&password=wrong+password&csrf={token}");
    let response = t
        .app
        .clone()
        .oneshot(
            Request::post("/portal/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("cookie", cookie)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let _ = response.into_body().collect().await.unwrap();
    // Two days on, the counters are swept; the audit row stays.
    sqlx::query("UPDATE login_failures SET at = now() - interval '3 days'")
        .execute(&t.owner)
        .await
        .unwrap();
    tsunagu_server::housekeeping::sweep(&t.pool).await.unwrap();
    let audited: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT actor, action, address FROM audit_log WHERE action = 'sign-in-failed'",
    )
    .fetch_all(&t.owner)
    .await
    .unwrap();
    assert_eq!(
        audited,
        vec![(
            "login:nobody.here".to_string(),
            "sign-in-failed".to_string(),
            Some("192.0.2.1".to_string())
        )]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_push_is_audited_with_its_reason_and_address() {
    let t = server().await;
    let (_, hospital) = enrolled(&t, OrgKind::Hospital, "豊島中央病院").await;
    // A hospital may not share a patient.
    let (status, body) = t
        .post_json(
            "/v1/push",
            Some(&hospital),
            json!({"version": PROTOCOL_VERSION, "ops": [{"op_seq": 7, "body": serde_json::to_value(OpBody::PatientShared {
                patient_id: Uuid::now_v7(),
                name: "山田　太郎".into(),
                kana: "やまだ　たろう".into(),
                birth_date: NaiveDate::from_ymd_opt(1950, 4, 1).unwrap(),
                sex: "male".into(),
            }).unwrap()}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["results"][0]["outcome"]["outcome"], "refused",
        "{body}"
    );
    let (entity, address, reason): (String, Option<String>, String) = sqlx::query_as(
        "SELECT entity_id, address, detail->>'reason' FROM audit_log WHERE action = 'refused-push'",
    )
    .fetch_one(&t.owner)
    .await
    .unwrap();
    assert_eq!(entity, "7");
    assert_eq!(address.as_deref(), Some("192.0.2.1"));
    assert!(reason.contains("診療所"), "{reason}");
    assert!(!reason.contains("山田"));
}

/// A clinic shares 山田 with consent and opens a referral; the referral.
async fn refer_yamada(t: &TestServer, clinic: &str) -> Uuid {
    let patient = Uuid::now_v7();
    let referral = Uuid::now_v7();
    let day = NaiveDate::from_ymd_opt(2026, 5, 12).unwrap();
    let ops = [
        OpBody::PatientShared {
            patient_id: patient,
            name: "山田　太郎".into(),
            kana: "やまだ　たろう".into(),
            birth_date: NaiveDate::from_ymd_opt(1950, 4, 1).unwrap(),
            sex: "male".into(),
        },
        OpBody::ConsentRecorded {
            consent_id: Uuid::now_v7(),
            patient_id: patient,
            obtained_on: day,
            obtained_by: "佐藤　花子".into(),
            desk: true,
            destination_hospital: true,
            withdrawn_on: None,
            team: false,
            family: None,
            preregistration: false,
            preregistered_with: Vec::new(),
        },
        OpBody::ReferralOpened {
            referral_id: referral,
            patient_id: patient,
            tracking_code: tsunagu_domain::TrackingCode::from_random_bits(
                Uuid::now_v7().as_u128() as u64
            )
            .to_string(),
            destination: None,
            sent: tsunagu_protocol::WireEvent {
                id: Uuid::now_v7(),
                details: Some(tsunagu_protocol::WireEventDetails::Sent {
                    date: day,
                    hospital: "豊島中央病院".into(),
                }),
                voids: None,
                note: String::new(),
            },
            letter: None,
        },
    ];
    let ops: Vec<_> = ops
        .into_iter()
        .enumerate()
        .map(|(i, body)| json!({"op_seq": i + 1, "body": serde_json::to_value(body).unwrap()}))
        .collect();
    let (status, body) = t
        .post_json(
            "/v1/push",
            Some(clinic),
            json!({"version": PROTOCOL_VERSION, "ops": ops}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for r in body["results"].as_array().unwrap() {
        assert_eq!(r["outcome"]["outcome"], "applied", "{r}");
    }
    referral
}

async fn pull_all(t: &TestServer, credential: &str) {
    let (status, body) = t
        .post_json(
            "/v1/pull",
            Some(credential),
            json!({"version": PROTOCOL_VERSION, "cursor": 0, "limit": 1000}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pulled_page_is_one_row_naming_its_referrals() {
    let t = server().await;
    let (_, desk) = enrolled(&t, OrgKind::Desk, "豊島区在宅医療相談窓口").await;
    let (_, clinic) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let first = refer_yamada(&t, &clinic).await;
    let (_, other_clinic) = enrolled(&t, OrgKind::Clinic, "池袋在宅クリニック").await;
    let second = refer_yamada(&t, &other_clinic).await;
    pull_all(&t, &desk).await;
    let rows: Vec<(String, Vec<String>)> = sqlx::query_as(
        "SELECT entity_id, shown FROM audit_log WHERE action = 'read' AND actor LIKE 'device:%'",
    )
    .fetch_all(&t.owner)
    .await
    .unwrap();
    assert_eq!(rows.len(), 1, "one row for the page: {rows:?}");
    let mut shown = rows[0].1.clone();
    shown.sort();
    let mut expected = vec![first.to_string(), second.to_string()];
    expected.sort();
    assert_eq!(shown, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_is_searched_by_patient_and_person_and_the_terms_are_audited() {
    use tsunagu_server::audit::{Search, read};
    let t = server().await;
    let (_, desk) = enrolled(&t, OrgKind::Desk, "豊島区在宅医療相談窓口").await;
    let (_, clinic) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let referral = refer_yamada(&t, &clinic).await;
    pull_all(&t, &desk).await;
    let search = |who: &'static str, patient: &'static str| Search {
        who,
        patient,
        from: None,
        to: None,
        before: None,
    };

    let found = read(&t.pool, "user:reader", &search("", "やまだ"))
        .await
        .unwrap();
    let mut actions: Vec<&str> = found.iter().map(|e| e.action.as_str()).collect();
    actions.sort();
    assert_eq!(
        actions,
        ["append-event", "read", "record-consent", "share-patient"],
        "the patient's rows, and the pull that showed the referral"
    );
    assert!(
        found
            .iter()
            .all(|e| e.address.as_deref() == Some("192.0.2.1"))
    );
    let pulled = found.iter().find(|e| e.action == "read").unwrap();
    assert_eq!(pulled.shown, Some(1));
    assert!(
        found
            .iter()
            .any(|e| e.entity_id == referral.to_string()
                && e.patient.as_deref() == Some("山田　太郎"))
    );

    // By the device's name, and both together.
    let by_desk = read(&t.pool, "user:reader", &search("相談窓口", "山田"))
        .await
        .unwrap();
    assert_eq!(by_desk.len(), 1, "the desk's pull only");
    assert_eq!(by_desk[0].action, "read");
    // Another name finds nothing of it.
    let none = read(&t.pool, "user:reader", &search("", "佐藤"))
        .await
        .unwrap();
    assert!(none.is_empty(), "{}", none.len());

    // Each search is itself audited, with its terms.
    let terms: Vec<(String, String)> = sqlx::query_as(
        "SELECT detail->>'who', detail->>'patient' FROM audit_log
         WHERE action = 'view-audit-log' AND actor = 'user:reader' ORDER BY seq",
    )
    .fetch_all(&t.owner)
    .await
    .unwrap();
    assert_eq!(
        terms,
        [
            (String::new(), "やまだ".to_string()),
            ("相談窓口".to_string(), "山田".to_string()),
            (String::new(), "佐藤".to_string())
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_statement_past_the_timeout_gets_a_japanese_answer_not_a_500() {
    let t = server().await;
    let (_, clinic) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    // The owner holds the feed locked for longer than the timeout allows.
    let mut owner = t.owner.begin().await.unwrap();
    sqlx::query("LOCK TABLE change_log IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *owner)
        .await
        .unwrap();
    let (status, body) = t
        .post_json(
            "/v1/pull",
            Some(&clinic),
            json!({"version": PROTOCOL_VERSION, "cursor": 0, "limit": 10}),
        )
        .await;
    owner.rollback().await.unwrap();
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["code"], "rate_limited");
    assert!(
        body["message"].as_str().unwrap().contains("混み合って"),
        "{body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_is_kept_only_under_consent_and_removed_on_withdrawal() {
    let t = server().await;
    let (_, clinic) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let identity = |patient: Uuid| {
        let owner = t.owner.clone();
        async move {
            sqlx::query_as::<
                _,
                (
                    Option<String>,
                    Option<String>,
                    Option<NaiveDate>,
                    Option<String>,
                ),
            >("SELECT name, kana, birth_date, sex FROM patients WHERE id = $1")
            .bind(patient)
            .fetch_one(&owner)
            .await
            .unwrap()
        }
    };
    let push_ops = |ops: Vec<(i64, OpBody)>| {
        let ops: Vec<_> = ops
            .into_iter()
            .map(|(seq, body)| json!({"op_seq": seq, "body": serde_json::to_value(body).unwrap()}))
            .collect();
        t.post_json(
            "/v1/push",
            Some(&clinic),
            json!({"version": PROTOCOL_VERSION, "ops": ops}),
        )
    };
    let patient = Uuid::now_v7();
    let shared = OpBody::PatientShared {
        patient_id: patient,
        name: "鈴木　一郎".into(),
        kana: "すずき　いちろう".into(),
        birth_date: NaiveDate::from_ymd_opt(1941, 2, 3).unwrap(),
        sex: "male".into(),
    };
    let consent = |withdrawn_on: Option<NaiveDate>| OpBody::ConsentRecorded {
        consent_id: Uuid::from_u128(patient.as_u128() + 1),
        patient_id: patient,
        obtained_on: NaiveDate::from_ymd_opt(2026, 5, 10).unwrap(),
        obtained_by: "佐藤　花子".into(),
        desk: true,
        destination_hospital: true,
        withdrawn_on,
        team: false,
        family: None,
        preregistration: false,
        preregistered_with: Vec::new(),
    };
    // The patient first, as clinics send it: no consent yet, no identity.
    let (status, body) = push_ops(vec![(1, shared.clone())]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(identity(patient).await, (None, None, None, None));
    // The consent comes into force: the identity is taken as shared.
    let (status, body) = push_ops(vec![(2, consent(None))]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        identity(patient).await,
        (
            Some("鈴木　一郎".into()),
            Some("すずき　いちろう".into()),
            NaiveDate::from_ymd_opt(1941, 2, 3),
            Some("male".into())
        )
    );
    // Withdrawn: the identity goes, what happened stays in the audit log.
    let (status, body) = push_ops(vec![(3, consent(NaiveDate::from_ymd_opt(2026, 6, 1)))]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(identity(patient).await, (None, None, None, None));
    // Shared again without consent: still none.
    let (status, body) = push_ops(vec![(4, shared)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(identity(patient).await, (None, None, None, None));
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq")
            .bind(patient.to_string())
            .fetch_all(&t.owner)
            .await
            .unwrap();
    assert_eq!(
        actions,
        [
            "share-patient",
            "record-consent",
            "withdraw-consent",
            "share-patient"
        ]
    );
    // The administrator's search finds no name without consent.
    let found = tsunagu_server::audit::read(
        &t.pool,
        "user:reader",
        &tsunagu_server::audit::Search {
            who: "",
            patient: "鈴木",
            from: None,
            to: None,
            before: None,
        },
    )
    .await
    .unwrap();
    assert!(found.is_empty(), "{}", found.len());
}
