//! Push and pull against a real PostgreSQL: operations applied once,
//! refused ones remembered, the status machine enforced on the server,
//! scopes and consent deciding who sees and records what, pages resumed
//! from a cursor.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::*;
use serde_json::{Value, json};
use tsunagu_protocol::{
    OpBody, Operation, OrgKind, PROTOCOL_VERSION, PushRequest, WireDestination, WireEvent,
    WireEventDetails,
};
use uuid::Uuid;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

async fn push(t: &TestServer, credential: &str, ops: Vec<(i64, OpBody)>) -> Vec<Value> {
    let request = PushRequest {
        version: PROTOCOL_VERSION,
        epoch: None,
        ops: ops
            .into_iter()
            .map(|(op_seq, body)| Operation {
                op_seq,
                op_id: Some(id_of(op_seq, &body)),
                body,
            })
            .collect(),
    };
    let (status, body) = t
        .call(
            "POST",
            "/v1/push",
            Some(credential),
            serde_json::to_vec(&request).unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["results"].as_array().unwrap().clone()
}

/// The same operation sent again carries the same id: here, one derived
/// from its number and content.
fn id_of(op_seq: i64, body: &OpBody) -> Uuid {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (op_seq, serde_json::to_string(body).unwrap()).hash(&mut hasher);
    Uuid::from_u128(u128::from(hasher.finish()))
}

async fn pull(t: &TestServer, credential: &str, cursor: i64, limit: u32) -> Value {
    let (status, body) = t
        .post_json(
            "/v1/pull",
            Some(credential),
            json!({"version": PROTOCOL_VERSION, "cursor": cursor, "limit": limit}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn event(details: WireEventDetails) -> WireEvent {
    WireEvent {
        id: Uuid::now_v7(),
        details: Some(details),
        voids: None,
        note: String::new(),
    }
}

struct Shared {
    patient: Uuid,
    referral: Uuid,
    /// As printed on the letter, e.g. DSX-YGK-B9J.
    tracking_code: String,
}

/// The clinic shares a patient with consent (desk and hospital) and opens a
/// referral to `hospital`.
async fn refer(t: &TestServer, clinic: &str, hospital: Option<Uuid>, first_op: i64) -> Shared {
    let patient = Uuid::now_v7();
    let referral = Uuid::now_v7();
    let tracking_code =
        tsunagu_domain::TrackingCode::from_random_bits(Uuid::now_v7().as_u128() as u64).to_string();
    let results = push(
        t,
        clinic,
        vec![
            (
                first_op,
                OpBody::PatientShared {
                    patient_id: patient,
                    name: "山田　太郎".into(),
                    kana: "やまだ　たろう".into(),
                    birth_date: NaiveDate::from_ymd_opt(1950, 4, 1).unwrap(),
                    sex: "male".into(),
                },
            ),
            (
                first_op + 1,
                OpBody::ConsentRecorded {
                    consent_id: Uuid::now_v7(),
                    patient_id: patient,
                    obtained_on: d(5, 10),
                    obtained_by: "佐藤　花子".into(),
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
                first_op + 2,
                OpBody::ReferralOpened {
                    referral_id: referral,
                    patient_id: patient,
                    tracking_code: tracking_code.clone(),
                    destination: hospital,
                    sent: event(WireEventDetails::Sent {
                        date: d(5, 12),
                        hospital: "豊島中央病院".into(),
                    }),
                    letter: None,
                },
            ),
        ],
    )
    .await;
    for r in &results {
        assert_eq!(r["outcome"]["outcome"], "applied", "{r}");
    }
    Shared {
        patient,
        referral,
        tracking_code,
    }
}

async fn event_count(t: &TestServer) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM referral_events")
        .fetch_one(&t.pool)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn news_from_the_hospital_reaches_the_clinic_in_pages() {
    let t = server().await;
    let (_, clinic) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let (hospital_id, hospital) = enrolled(&t, OrgKind::Hospital, "豊島中央病院").await;
    let shared = refer(&t, &clinic, Some(hospital_id), 1).await;

    // The liaison office records the admission, then the discharge.
    let results = push(
        &t,
        &hospital,
        vec![
            (
                1,
                OpBody::EventAppended {
                    referral_id: shared.referral,
                    event: event(WireEventDetails::Admitted {
                        date: d(5, 14),
                        ward: "5階東".into(),
                        attending: "鈴木".into(),
                    }),
                },
            ),
            (
                2,
                OpBody::EventAppended {
                    referral_id: shared.referral,
                    event: event(WireEventDetails::Discharged {
                        date: d(6, 1),
                        destination: WireDestination::OtherHomeCareDoctor {
                            doctor: "みなみ在宅クリニック".into(),
                        },
                    }),
                },
            ),
        ],
    )
    .await;
    assert!(
        results.iter().all(|r| r["outcome"]["outcome"] == "applied"),
        "{results:?}"
    );

    // The clinic reads its feed two changes at a time: the hospital in its
    // directory; its own patient, referral and 紹介済 (for its other
    // devices); then 入院 and 退院 from the hospital.
    let mut cursor = 0;
    let mut seen = Vec::new();
    loop {
        let page = pull(&t, &clinic, cursor, 2).await;
        let changes = page["changes"].as_array().unwrap();
        assert!(changes.len() <= 2);
        for change in changes {
            seen.push((change["seq"].as_i64().unwrap(), change["body"].clone()));
        }
        cursor = page["cursor"].as_i64().unwrap();
        if page["more"] == false {
            break;
        }
    }
    let kinds: Vec<(i64, &str)> = seen
        .iter()
        .map(|(seq, body)| (*seq, body["change"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (1, "organisation_listed"),
            // The same hospital in the team directory (protocol 5).
            (2, "directory_listed"),
            (3, "patient_shared"),
            (4, "consent_recorded"),
            (5, "referral_opened"),
            (6, "event_appended"),
            (7, "event_appended"),
            (8, "event_appended"),
        ]
    );
    assert_eq!(seen[6].1["source"], "liaison");
    assert_eq!(seen[6].1["event"]["details"]["status"], "admitted");
    assert_eq!(seen[7].1["actor"], "豊島中央病院 PC1");
    let done = pull(&t, &clinic, cursor, 2).await;
    assert_eq!(
        (
            done["changes"].as_array().unwrap().len(),
            done["cursor"].as_i64()
        ),
        (0, Some(8))
    );
    // A version-2 client is not sent the consent (nor the directory) it
    // could not read; its cursor passes them all the same.
    let (_, old) = t
        .post_json(
            "/v1/pull",
            Some(&clinic),
            json!({"version": 2, "cursor": 0, "limit": 100}),
        )
        .await;
    let old_kinds: Vec<i64> = old["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(
        (old_kinds, old["cursor"].as_i64()),
        (vec![1, 3, 5, 6, 7, 8], Some(8))
    );

    // The hospital and the desk each have their own feed of it.
    let (_, desk) = enrolled(&t, OrgKind::Desk, "豊島区在宅医療相談窓口").await;
    assert_eq!(
        pull(&t, &desk, 0, 100).await["changes"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        pull(&t, &hospital, 0, 100).await["changes"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeated_push_is_harmless_and_refusals_are_remembered() {
    let t = server().await;
    let (_, clinic) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let shared = refer(&t, &clinic, None, 1).await;
    let admitted = OpBody::EventAppended {
        referral_id: shared.referral,
        event: event(WireEventDetails::Admitted {
            date: d(5, 14),
            ward: String::new(),
            attending: String::new(),
        }),
    };
    let before = event_count(&t).await;
    let once = push(&t, &clinic, vec![(4, admitted.clone())]).await;
    let twice = push(&t, &clinic, vec![(4, admitted)]).await;
    assert_eq!(once, twice);
    assert_eq!(event_count(&t).await, before + 1);

    // 受付済 after 入院 is a transition the status machine refuses.
    let backwards = OpBody::EventAppended {
        referral_id: shared.referral,
        event: event(WireEventDetails::Received { date: d(5, 15) }),
    };
    let refused = push(&t, &clinic, vec![(5, backwards.clone())]).await;
    assert_eq!(refused[0]["outcome"]["outcome"], "refused");
    let reason = refused[0]["outcome"]["reason"].as_str().unwrap();
    assert!(
        reason.contains("入院中") && reason.contains("受付済"),
        "{reason}"
    );
    assert_eq!(event_count(&t).await, before + 1);
    assert_eq!(push(&t, &clinic, vec![(5, backwards)]).await, refused);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_consent_nothing_is_shared_and_others_cannot_record() {
    let t = server().await;
    let (_, clinic) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let (_, other_clinic) = enrolled(&t, OrgKind::Clinic, "みなみ在宅クリニック").await;
    let (hospital_id, hospital) = enrolled(&t, OrgKind::Hospital, "豊島中央病院").await;
    let (_, other_hospital) = enrolled(&t, OrgKind::Hospital, "目白病院").await;

    // A patient shared but no consent: the referral is refused.
    let patient = Uuid::now_v7();
    let results = push(
        &t,
        &clinic,
        vec![
            (
                1,
                OpBody::PatientShared {
                    patient_id: patient,
                    name: "鈴木　花子".into(),
                    kana: "すずき　はなこ".into(),
                    birth_date: NaiveDate::from_ymd_opt(1940, 1, 1).unwrap(),
                    sex: "female".into(),
                },
            ),
            (
                2,
                OpBody::ReferralOpened {
                    referral_id: Uuid::now_v7(),
                    patient_id: patient,
                    tracking_code: "K8Y-5WW-FJC".into(),
                    destination: Some(hospital_id),
                    sent: event(WireEventDetails::Sent {
                        date: d(5, 12),
                        hospital: "豊島中央病院".into(),
                    }),
                    letter: None,
                },
            ),
        ],
    )
    .await;
    assert_eq!(results[1]["outcome"]["outcome"], "refused");
    assert!(
        results[1]["outcome"]["reason"]
            .as_str()
            .unwrap()
            .contains("同意")
    );

    let shared = refer(&t, &clinic, Some(hospital_id), 3).await;
    let admitted = |referral| OpBody::EventAppended {
        referral_id: referral,
        event: event(WireEventDetails::Admitted {
            date: d(5, 14),
            ward: String::new(),
            attending: String::new(),
        }),
    };
    for stranger in [&other_clinic, &other_hospital] {
        let r = push(&t, stranger, vec![(1, admitted(shared.referral))]).await;
        assert_eq!(r[0]["outcome"]["outcome"], "refused", "{r:?}");
        let feed = pull(&t, stranger, 0, 100).await;
        assert!(
            feed["changes"].as_array().unwrap().iter().all(|c| matches!(
                c["body"]["change"].as_str(),
                Some("organisation_listed" | "directory_listed")
            )),
            "{feed}"
        );
    }
    // Nor may another clinic overwrite this clinic's patient.
    let r = push(
        &t,
        &other_clinic,
        vec![(
            2,
            OpBody::PatientShared {
                patient_id: shared.patient,
                name: "別人".into(),
                kana: "べつじん".into(),
                birth_date: NaiveDate::from_ymd_opt(1960, 1, 1).unwrap(),
                sex: "male".into(),
            },
        )],
    )
    .await;
    assert_eq!(r[0]["outcome"]["outcome"], "refused");

    // Consent withdrawn: the hospital no longer sees the referral, nor may record on it.
    assert_eq!(
        pull(&t, &hospital, 0, 100).await["changes"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let consent: Uuid = sqlx::query_scalar("SELECT id FROM consents WHERE patient_id = $1")
        .bind(shared.patient)
        .fetch_one(&t.pool)
        .await
        .unwrap();
    let r = push(
        &t,
        &clinic,
        vec![(
            6,
            OpBody::ConsentRecorded {
                consent_id: consent,
                patient_id: shared.patient,
                obtained_on: d(5, 10),
                obtained_by: "佐藤　花子".into(),
                desk: true,
                destination_hospital: true,
                withdrawn_on: Some(d(5, 20)),
                team: false,
                family: None,
                preregistration: false,
                preregistered_with: Vec::new(),
            },
        )],
    )
    .await;
    assert_eq!(r[0]["outcome"]["outcome"], "applied");
    assert!(
        pull(&t, &hospital, 0, 100).await["changes"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let r = push(&t, &hospital, vec![(2, admitted(shared.referral))]).await;
    assert_eq!(r[0]["outcome"]["outcome"], "refused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_pushes_and_pulls_get_a_code_and_write_nothing() {
    let t = server().await;
    let (_, clinic) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        ("/v1/push", b"\x00\x01garbage".to_vec(), StatusCode::BAD_REQUEST, "malformed"),
        ("/v1/push", br#"{"version":2,"ops":{}}"#.to_vec(), StatusCode::BAD_REQUEST, "malformed"),
        (
            "/v1/push",
            serde_json::to_vec(&json!({"version": 2, "ops": vec![json!({"op_seq": 1, "body": {"op": "event_appended", "referral_id": Uuid::nil(), "event": {"id": Uuid::nil(), "details": null, "voids": null}}}); 501]})).unwrap(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
        ),
        // The first version after this build's.
        ("/v1/pull", serde_json::to_vec(&json!({"version": PROTOCOL_VERSION + 1, "cursor": 0, "limit": 10})).unwrap(), StatusCode::BAD_REQUEST, "unsupported_version"),
        ("/v1/pull", br#"{"version":1,"cursor":0,"limit":10}"#.to_vec(), StatusCode::BAD_REQUEST, "unsupported_version"),
        ("/v1/pull", br#"{"version":2,"cursor":"0","limit":10}"#.to_vec(), StatusCode::BAD_REQUEST, "malformed"),
    ];
    for (path, body, status, code) in cases {
        let (got, reply) = t.call("POST", path, Some(&clinic), body).await;
        assert_eq!(
            (got, reply["code"].as_str()),
            (status, Some(code)),
            "{path}: {reply}"
        );
    }
    let (got, _) = t
        .post_json(
            "/v1/pull",
            None,
            json!({"version": 2, "cursor": 0, "limit": 10}),
        )
        .await;
    assert_eq!(got, StatusCode::UNAUTHORIZED);
    // An event on a referral that does not exist: refused, nothing written.
    let r = push(
        &t,
        &clinic,
        vec![(
            1,
            OpBody::EventAppended {
                referral_id: Uuid::now_v7(),
                event: event(WireEventDetails::Received { date: d(5, 13) }),
            },
        )],
    )
    .await;
    assert_eq!(r[0]["outcome"]["outcome"], "refused");
    assert_eq!(event_count(&t).await, 0);
}

fn outcome(results: &[Value]) -> &str {
    results[0]["outcome"]["outcome"].as_str().unwrap()
}

/// Every change of a device's feed, from the start.
async fn feed_of(t: &TestServer, credential: &str) -> Vec<Value> {
    pull(t, credential, 0, 1000).await["changes"]
        .as_array()
        .unwrap()
        .clone()
}

fn events_of(feed: &[Value], referral: Uuid) -> Vec<String> {
    feed.iter()
        .filter(|c| {
            c["body"]["change"] == "event_appended"
                && c["body"]["referral_id"] == referral.to_string()
        })
        .map(|c| {
            c["body"]["event"]["details"]["status"]
                .as_str()
                .unwrap_or("void")
                .to_string()
        })
        .collect()
}

/// Routing: a referral to an unregistered destination goes to the desk,
/// which assigns it to a hospital; after a transfer, the next hospital's
/// liaison claims it with the code printed on the letter. Each hospital
/// then sees the whole history, and the clinic hears where it went.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_assigns_and_the_next_hospital_claims_with_the_tracking_code() {
    let t = server().await;
    let (_, clinic) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let (hospital_a, a) = enrolled(&t, OrgKind::Hospital, "豊島中央病院").await;
    let (_, b) = enrolled(&t, OrgKind::Hospital, "池袋リハビリテーション病院").await;
    let (_, desk) = enrolled(&t, OrgKind::Desk, "豊島区在宅医療相談窓口").await;
    let shared = refer(&t, &clinic, None, 1).await;
    let admitted = |date| OpBody::EventAppended {
        referral_id: shared.referral,
        event: event(WireEventDetails::Admitted {
            date,
            ward: String::new(),
            attending: String::new(),
        }),
    };

    // Unaddressed: no hospital may record, or claim it by another route.
    assert_eq!(
        outcome(&push(&t, &a, vec![(1, admitted(d(5, 13)))]).await),
        "refused"
    );
    let assign = |hospital_id| OpBody::ReferralAssigned {
        referral_id: shared.referral,
        hospital_id,
    };
    assert_eq!(
        outcome(&push(&t, &clinic, vec![(10, assign(hospital_a))]).await),
        "refused"
    );
    assert_eq!(
        outcome(&push(&t, &desk, vec![(1, assign(Uuid::now_v7()))]).await),
        "refused"
    );

    // The desk assigns it to hospital A: A sees the history and records.
    assert_eq!(
        outcome(&push(&t, &desk, vec![(2, assign(hospital_a))]).await),
        "applied"
    );
    assert_eq!(events_of(&feed_of(&t, &a).await, shared.referral), ["sent"]);
    assert_eq!(
        outcome(&push(&t, &a, vec![(2, admitted(d(5, 13)))]).await),
        "applied"
    );
    let clinic_feed = feed_of(&t, &clinic).await;
    let assigned = clinic_feed
        .iter()
        .find(|c| c["body"]["change"] == "referral_assigned")
        .expect("the clinic hears of the assignment");
    assert_eq!(assigned["body"]["organisation"]["name"], "豊島中央病院");

    // Hospital B cannot take it while it is A's, and is told no more than
    // for a code that does not exist (a guesser learns nothing).
    let claim = |code: &str| OpBody::ReferralClaimed {
        tracking_code: code.to_string(),
    };
    let r = push(&t, &b, vec![(1, claim(&shared.tracking_code))]).await;
    assert_eq!(outcome(&r), "refused");
    let unknown = push(&t, &b, vec![(101, claim("AAA-AAA-AAA"))]).await;
    assert_eq!(
        r[0]["outcome"]["reason"], unknown[0]["outcome"]["reason"],
        "{r:?}"
    );

    // A transfers the patient; B's liaison types the code as it reads it.
    let transferred = OpBody::EventAppended {
        referral_id: shared.referral,
        event: event(WireEventDetails::Transferred {
            date: d(5, 20),
            hospital: "池袋リハビリテーション病院".into(),
        }),
    };
    assert_eq!(
        outcome(&push(&t, &a, vec![(3, transferred)]).await),
        "applied"
    );
    let typed = shared.tracking_code.replace('-', "").to_lowercase();
    assert_eq!(
        outcome(&push(&t, &b, vec![(2, claim(&typed))]).await),
        "applied"
    );
    assert_eq!(
        events_of(&feed_of(&t, &b).await, shared.referral),
        ["sent", "admitted", "transferred"]
    );
    let planned = OpBody::EventAppended {
        referral_id: shared.referral,
        event: event(WireEventDetails::DischargePlanned {
            date: d(6, 1),
            expected_date: d(6, 10),
            planned_destination: None,
            team: String::new(),
        }),
    };
    assert_eq!(outcome(&push(&t, &b, vec![(3, planned)]).await), "applied");
    // A let the patient go: it no longer hears of the referral, nor may
    // record on it, and a third hospital cannot take it from B.
    assert_eq!(
        events_of(&feed_of(&t, &a).await, shared.referral),
        ["sent", "admitted", "transferred"]
    );
    assert_eq!(
        outcome(&push(&t, &a, vec![(4, admitted(d(6, 2)))]).await),
        "refused"
    );
    let (_, c) = enrolled(&t, OrgKind::Hospital, "目白総合病院").await;
    assert_eq!(
        outcome(&push(&t, &c, vec![(1, claim(&shared.tracking_code))]).await),
        "refused"
    );

    // A wrong code, and a code from a clinic, are refused; claims are audited.
    let r = push(&t, &b, vec![(4, claim("AAA-AAA-AAA"))]).await;
    assert!(
        r[0]["outcome"]["reason"]
            .as_str()
            .unwrap()
            .contains("見つかりません"),
        "{r:?}"
    );
    assert_eq!(
        outcome(&push(&t, &clinic, vec![(11, claim(&shared.tracking_code))]).await),
        "refused"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action IN ('assigned', 'claimed')",
    )
    .bind(shared.referral.to_string())
    .fetch_one(&t.owner)
    .await
    .unwrap();
    assert_eq!(audited, 2);
}

/// Values a device of the clinic could not read back are refused one
/// operation at a time, as conflicts, and nothing of them is stored; the
/// other operations of the same push apply.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_no_device_could_read_back_are_refused_one_by_one() {
    let t = server().await;
    let (hospital, h) = enrolled(&t, OrgKind::Hospital, "豊島中央病院").await;
    let (_, clinic) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let shared = refer(&t, &clinic, Some(hospital), 1).await;
    let patient = |sex: &str, name: String| OpBody::PatientShared {
        patient_id: Uuid::now_v7(),
        name,
        kana: "やまだ".into(),
        birth_date: d(1, 1),
        sex: sex.into(),
    };
    let long_note = WireEvent {
        note: "経".repeat(2001),
        ..event(WireEventDetails::Received { date: d(5, 13) })
    };
    let long_ward = event(WireEventDetails::Admitted {
        date: d(5, 13),
        ward: "棟".repeat(201),
        attending: String::new(),
    });
    let opened = |code: String| OpBody::ReferralOpened {
        referral_id: Uuid::now_v7(),
        patient_id: shared.patient,
        tracking_code: code,
        destination: None,
        sent: event(WireEventDetails::Sent {
            date: d(5, 12),
            hospital: "豊島中央病院".into(),
        }),
        letter: None,
    };
    let results = push(
        &t,
        &clinic,
        vec![
            (10, patient("unknown", "山田　次郎".into())),
            (11, patient("male", "名".repeat(5000))),
            (12, opened("X".repeat(5000))),
            (13, opened("abc-def-ghj".into())),
            (
                14,
                OpBody::EventAppended {
                    referral_id: shared.referral,
                    event: long_note,
                },
            ),
            (
                15,
                OpBody::EventAppended {
                    referral_id: shared.referral,
                    event: long_ward,
                },
            ),
            // Values PostgreSQL cannot keep: once the whole push was
            // malformed, and the clinic's outbox stalled behind it.
            (16, patient("male", "山田\u{0}次郎".into())),
            (
                17,
                OpBody::PatientShared {
                    patient_id: Uuid::now_v7(),
                    name: "山田　三郎".into(),
                    kana: "やまだ".into(),
                    birth_date: NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap(),
                    sex: "male".into(),
                },
            ),
            (18, patient("female", "山田　花子".into())),
        ],
    )
    .await;
    let outcomes: Vec<&str> = results
        .iter()
        .map(|r| r["outcome"]["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(
        outcomes,
        [
            "refused", "refused", "refused", "refused", "refused", "refused", "refused", "refused",
            "applied"
        ],
        "{results:?}"
    );
    for r in &results[..8] {
        let reason = r["outcome"]["reason"].as_str().unwrap();
        assert!(!reason.contains("山田") && !reason.is_empty(), "{reason}");
    }
    let patients: i64 = sqlx::query_scalar("SELECT count(*) FROM patients")
        .fetch_one(&t.owner)
        .await
        .unwrap();
    assert_eq!(patients, 2, "the shared patient and the valid one only");
    let referrals: i64 = sqlx::query_scalar("SELECT count(*) FROM referrals")
        .fetch_one(&t.owner)
        .await
        .unwrap();
    assert_eq!(referrals, 1);
    assert_eq!(events_of(&feed_of(&t, &h).await, shared.referral), ["sent"]);
}

/// A note on its own (連絡) leaves the status as it is and reaches the
/// clinic; an organisation may void only what it recorded itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notes_travel_alone_and_only_their_recorder_voids_an_entry() {
    let t = server().await;
    let (hospital, h) = enrolled(&t, OrgKind::Hospital, "豊島中央病院").await;
    let (_, clinic) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let (_, desk) = enrolled(&t, OrgKind::Desk, "豊島区在宅医療相談窓口").await;
    let shared = refer(&t, &clinic, Some(hospital), 1).await;
    let admitted = event(WireEventDetails::Admitted {
        date: d(5, 13),
        ward: "5階東".into(),
        attending: String::new(),
    });
    let note = WireEvent {
        id: Uuid::now_v7(),
        details: None,
        voids: None,
        note: "ご家族と面談しました。\n退院は来月の見込みです。".into(),
    };
    let append = |event: WireEvent| OpBody::EventAppended {
        referral_id: shared.referral,
        event,
    };
    let void = |target: Uuid| WireEvent {
        id: Uuid::now_v7(),
        details: None,
        voids: Some(target),
        note: "日付の誤り".into(),
    };
    let results = push(
        &t,
        &h,
        vec![(1, append(admitted.clone())), (2, append(note.clone()))],
    )
    .await;
    assert!(
        results.iter().all(|r| r["outcome"]["outcome"] == "applied"),
        "{results:?}"
    );
    let clinic_feed = feed_of(&t, &clinic).await;
    let arrived = clinic_feed
        .iter()
        .find(|c| c["body"]["event"]["id"] == note.id.to_string())
        .expect("the note reaches the clinic");
    assert_eq!(arrived["body"]["event"]["note"], note.note.as_str());
    assert_eq!(arrived["body"]["source"], "liaison");

    // The clinic and the desk may not void the hospital's 入院; it may.
    for (credential, op_seq) in [(&clinic, 10), (&desk, 1)] {
        let r = push(&t, credential, vec![(op_seq, append(void(admitted.id)))]).await;
        assert_eq!(outcome(&r), "refused", "{r:?}");
        assert!(
            r[0]["outcome"]["reason"]
                .as_str()
                .unwrap()
                .contains("他の機関")
        );
    }
    let r = push(&t, &h, vec![(3, append(void(admitted.id)))]).await;
    assert_eq!(outcome(&r), "applied", "{r:?}");
    assert_eq!(
        events_of(&feed_of(&t, &clinic).await, shared.referral),
        ["sent", "admitted", "void", "void"]
    );
}

/// A hospital's device guessing tracking codes: after ten misses within a
/// quarter of an hour even the right code is refused for a while.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_guessing_tracking_codes_is_stopped() {
    let t = server().await;
    let (_, clinic) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let (_, h) = enrolled(&t, OrgKind::Hospital, "豊島中央病院").await;
    let shared = refer(&t, &clinic, None, 1).await;
    let claim = |code: &str| OpBody::ReferralClaimed {
        tracking_code: code.to_string(),
    };
    let guesses: Vec<(i64, OpBody)> = (0..tsunagu_server::sync::MAX_CLAIM_MISSES)
        .map(|i| (i + 1, claim(&format!("ZZZ-ZZZ-ZZ{}", i % 10))))
        .collect();
    for r in push(&t, &h, guesses).await {
        assert!(
            r["outcome"]["reason"]
                .as_str()
                .unwrap()
                .contains("見つかりません"),
            "{r}"
        );
    }
    let r = push(&t, &h, vec![(100, claim(&shared.tracking_code))]).await;
    assert_eq!(outcome(&r), "refused");
    assert!(
        r[0]["outcome"]["reason"]
            .as_str()
            .unwrap()
            .contains("しばらく"),
        "{r:?}"
    );
    let held: i64 =
        sqlx::query_scalar("SELECT count(*) FROM referrals WHERE hospital_id IS NOT NULL")
            .fetch_one(&t.owner)
            .await
            .unwrap();
    assert_eq!(held, 0);
}

/// Pushes `(op_seq, op_id, body)` as they are given.
async fn push_with_ids(
    t: &TestServer,
    credential: &str,
    ops: Vec<(i64, Uuid, OpBody)>,
) -> Vec<Value> {
    let request = PushRequest {
        version: PROTOCOL_VERSION,
        epoch: None,
        ops: ops
            .into_iter()
            .map(|(op_seq, op_id, body)| Operation {
                op_seq,
                op_id: Some(op_id),
                body,
            })
            .collect(),
    };
    let (status, body) = t
        .call(
            "POST",
            "/v1/push",
            Some(credential),
            serde_json::to_vec(&request).unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["results"].as_array().unwrap().clone()
}

/// A store restored from a backup (or a data folder copied to another PC)
/// numbers new operations from an earlier point. The same number with
/// another operation's id is answered `seq_taken` with where to go on —
/// not "applied" and dropped — and nothing after it in the push is
/// applied, so the client can send them again in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reused_operation_number_is_told_not_dropped() {
    let t = server().await;
    let (_, clinic) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let shared = refer(&t, &clinic, None, 1).await;
    let received = |date| OpBody::EventAppended {
        referral_id: shared.referral,
        event: event(WireEventDetails::Received { date }),
    };
    let admitted = |date| OpBody::EventAppended {
        referral_id: shared.referral,
        event: event(WireEventDetails::Admitted {
            date,
            ward: "5階東".into(),
            attending: String::new(),
        }),
    };
    let first = Uuid::now_v7();
    let applied = push_with_ids(&t, &clinic, vec![(4, first, received(d(5, 13)))]).await;
    assert_eq!(applied[0]["outcome"]["outcome"], "applied");
    let before = event_count(&t).await;

    // The restored store's next operations reuse 4 and 5.
    let results = push_with_ids(
        &t,
        &clinic,
        vec![
            (4, Uuid::now_v7(), admitted(d(5, 14))),
            (5, Uuid::now_v7(), admitted(d(5, 15))),
        ],
    )
    .await;
    for r in &results {
        assert_eq!(r["outcome"]["outcome"], "seq_taken", "{r}");
        assert_eq!(r["outcome"]["next"], 5, "{r}");
    }
    assert_eq!(event_count(&t).await, before, "nothing applied");

    // The same operation again (a retry after a lost answer) is answered
    // as before; renumbered from 5, the new one is applied.
    let again = push_with_ids(&t, &clinic, vec![(4, first, received(d(5, 13)))]).await;
    assert_eq!(again, applied);
    let renumbered =
        push_with_ids(&t, &clinic, vec![(5, Uuid::now_v7(), admitted(d(5, 14)))]).await;
    assert_eq!(renumbered[0]["outcome"]["outcome"], "applied");
    assert_eq!(event_count(&t).await, before + 1);
}

/// Every pull says which lifetime of the database it comes from; it stays
/// the same until the database is restored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_pull_carries_the_servers_epoch() {
    let t = server().await;
    let (_, clinic) = enrolled(&t, OrgKind::Clinic, "さくら内科クリニック").await;
    let first = pull(&t, &clinic, 0, 10).await;
    let epoch = first["epoch"].as_str().unwrap().to_string();
    assert!(Uuid::parse_str(&epoch).is_ok(), "{first}");
    refer(&t, &clinic, None, 1).await;
    let later = pull(&t, &clinic, 0, 10).await;
    assert_eq!(later["epoch"], epoch.as_str());
}
