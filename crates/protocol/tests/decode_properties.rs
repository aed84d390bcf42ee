//! What the server's request decoding promises for any input: valid
//! requests come back unchanged; everything else — truncated, mutated,
//! arbitrary bytes, wrong types, too many operations, a version it does not
//! speak — is a `DecodeError` with its code, never a panic.
//!
//! Property tests (proptest; failures are kept in
//! `decode_properties.proptest-regressions` beside this file and replayed
//! first) and a kept corpus in `corpus/`, where each file's name says what
//! decoding it must give (see [`expected`]). The server's `bad_input` test
//! posts the same corpus to the real server.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::FileFailurePersistence;
use serde::Serialize;
use serde_json::{Value, json};
use tsunagu_protocol::{
    DecodeError, ErrorCode, MAX_OPS_PER_PUSH, MAX_PULL_LIMIT, OpBody, Operation, PROTOCOL_VERSION,
    PullRequest, PushRequest, SUPPORTED, TeamOp, WireAuthor, WireDestination, WireEvent,
    WireEventDetails, WireFamilyGiver, WireLetterSummary, WireNewEntry, WireVitals, decode_request,
    op_storable,
};
use uuid::Uuid;

// ---------------------------------------------------------------------------
// Strategies: every valid request the wire can carry.

fn uuid() -> impl Strategy<Value = Uuid> {
    prop_oneof![
        any::<u128>().prop_map(Uuid::from_u128),
        Just(Uuid::nil()),
        Just(Uuid::max()),
    ]
}

fn date() -> impl Strategy<Value = NaiveDate> {
    // Years 1–9999: what a database can keep (others are malformed, see
    // `values_a_database_cannot_keep_are_malformed`).
    let (min, max) = (
        NaiveDate::from_ymd_opt(1, 1, 1).unwrap().num_days_from_ce(),
        NaiveDate::from_ymd_opt(9999, 12, 31)
            .unwrap()
            .num_days_from_ce(),
    );
    prop_oneof![
        // Plausible dates, and leap days among them.
        3 => (1900i32..2100, 1u32..=366).prop_filter_map("a day of that year", |(y, o)| {
            NaiveDate::from_yo_opt(y, o)
        }),
        // Any storable day.
        1 => (min..=max).prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).unwrap()),
    ]
}

/// Names as typed, and arbitrary Unicode (controls, surrogate-free astral
/// characters, combining marks; not NUL, which is malformed) — short, to
/// keep the cases fast.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ぁ-んァ-ヶ一-龠ｦ-ﾟ　 a-zA-Z0-9ー・（）]{0,12}",
        vec(any::<char>().prop_filter("not NUL", |c| *c != '\0'), 0..12)
            .prop_map(String::from_iter),
        Just(String::new()),
    ]
}

fn destination() -> impl Strategy<Value = WireDestination> {
    prop_oneof![
        Just(WireDestination::ThisClinic),
        text().prop_map(|doctor| WireDestination::OtherHomeCareDoctor { doctor }),
        text().prop_map(|name| WireDestination::Facility { name }),
        text().prop_map(|note| WireDestination::Other { note }),
    ]
}

fn details() -> impl Strategy<Value = WireEventDetails> {
    use WireEventDetails as W;
    prop_oneof![
        (date(), text()).prop_map(|(date, hospital)| W::Sent { date, hospital }),
        date().prop_map(|date| W::Received { date }),
        (date(), text()).prop_map(|(date, department)| W::Visited { date, department }),
        (date(), text(), text()).prop_map(|(date, ward, attending)| W::Admitted {
            date,
            ward,
            attending
        }),
        (date(), date(), proptest::option::of(destination()), text()).prop_map(
            |(date, expected_date, planned_destination, team)| W::DischargePlanned {
                date,
                expected_date,
                planned_destination,
                team,
            }
        ),
        (date(), text()).prop_map(|(date, hospital)| W::Transferred { date, hospital }),
        (date(), destination()).prop_map(|(date, destination)| W::Discharged { date, destination }),
        date().prop_map(|date| W::Returned { date }),
        (date(), text()).prop_map(|(date, place)| W::Deceased { date, place }),
        (date(), text()).prop_map(|(date, reason)| W::Closed { date, reason }),
        (date(), text()).prop_map(|(date, reason)| W::Cancelled { date, reason }),
    ]
}

fn event() -> impl Strategy<Value = WireEvent> {
    (
        uuid(),
        proptest::option::of(details()),
        proptest::option::of(uuid()),
        text(),
    )
        .prop_map(|(id, details, voids, note)| WireEvent {
            id,
            details,
            voids,
            note,
        })
}

fn op_body() -> impl Strategy<Value = OpBody> {
    prop_oneof![
        (uuid(), text(), text(), date(), text()).prop_map(
            |(patient_id, name, kana, birth_date, sex)| OpBody::PatientShared {
                patient_id,
                name,
                kana,
                birth_date,
                sex,
            }
        ),
        (
            uuid(),
            uuid(),
            date(),
            text(),
            any::<bool>(),
            any::<bool>(),
            proptest::option::of(date())
        )
            .prop_map(
                |(
                    consent_id,
                    patient_id,
                    obtained_on,
                    obtained_by,
                    desk,
                    destination_hospital,
                    withdrawn_on,
                )| OpBody::ConsentRecorded {
                    consent_id,
                    patient_id,
                    obtained_on,
                    obtained_by,
                    desk,
                    destination_hospital,
                    withdrawn_on,
                    team: desk && destination_hospital,
                    family: None,
                    preregistration: desk,
                    preregistered_with: if desk { vec![patient_id] } else { Vec::new() },
                }
            ),
        (
            uuid(),
            uuid(),
            text(),
            proptest::option::of(uuid()),
            event(),
            proptest::option::of((text(), text(), text(), text()).prop_map(
                |(clinic, doctor, phone, purpose)| Box::new(WireLetterSummary {
                    clinic,
                    doctor,
                    phone,
                    purpose,
                    ..WireLetterSummary::default()
                })
            ))
        )
            .prop_map(
                |(referral_id, patient_id, tracking_code, destination, sent, letter)| {
                    OpBody::ReferralOpened {
                        referral_id,
                        patient_id,
                        tracking_code,
                        destination,
                        sent,
                        letter,
                    }
                }
            ),
        (uuid(), event())
            .prop_map(|(referral_id, event)| OpBody::EventAppended { referral_id, event }),
        (uuid(), uuid()).prop_map(|(referral_id, hospital_id)| OpBody::ReferralAssigned {
            referral_id,
            hospital_id
        }),
        text().prop_map(|tracking_code| OpBody::ReferralClaimed { tracking_code }),
    ]
}

fn operation() -> impl Strategy<Value = Operation> {
    (
        prop_oneof![1i64..1_000_000, any::<i64>()],
        proptest::option::of(any::<u128>().prop_map(Uuid::from_u128)),
        op_body(),
    )
        .prop_map(|(op_seq, op_id, body)| Operation {
            op_seq,
            op_id,
            body,
        })
}

fn version() -> impl Strategy<Value = u16> {
    SUPPORTED
}

fn push_request(max_ops: usize) -> impl Strategy<Value = PushRequest> {
    (version(), vec(operation(), 0..=max_ops)).prop_map(|(version, ops)| PushRequest {
        version,
        epoch: None,
        ops,
    })
}

fn pull_request() -> impl Strategy<Value = PullRequest> {
    (
        version(),
        prop_oneof![0i64..10_000, 0..=i64::MAX],
        0..=MAX_PULL_LIMIT,
    )
        .prop_map(|(version, cursor, limit)| PullRequest {
            version,
            cursor,
            limit,
        })
}

/// Either request, as JSON bytes.
fn any_request_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        push_request(3).prop_map(|r| serde_json::to_vec(&r).unwrap()),
        pull_request().prop_map(|r| serde_json::to_vec(&r).unwrap()),
    ]
}

/// The protocol's own field names and tags, so that generated garbage often
/// looks like a request.
const WORDS: &[&str] = &[
    "version",
    "ops",
    "op_seq",
    "body",
    "op",
    "patient_shared",
    "consent_recorded",
    "referral_opened",
    "event_appended",
    "patient_id",
    "referral_id",
    "event",
    "id",
    "details",
    "voids",
    "note",
    "status",
    "sent",
    "date",
    "discharged",
    "destination",
    "kind",
    "cursor",
    "limit",
];

/// Arbitrary JSON, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![select(WORDS).prop_map(String::from), "[a-z_]{0,6}",];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        select(WORDS).prop_map(Value::from),
        Just(Value::from("2026-05-12")),
        uuid().prop_map(|u| Value::from(u.to_string())),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

// ---------------------------------------------------------------------------
// Helpers.

fn push(bytes: &[u8]) -> Result<PushRequest, DecodeError> {
    decode_request(bytes)
}

fn pull(bytes: &[u8]) -> Result<PullRequest, DecodeError> {
    decode_request(bytes)
}

/// A decoded request is what it says: re-encoded, it decodes to itself.
fn check_stable<T>(decoded: &Result<T, DecodeError>) -> Result<(), TestCaseError>
where
    T: Serialize + serde::de::DeserializeOwned + tsunagu_protocol::Versioned + PartialEq,
    T: tsunagu_protocol::Bounded + std::fmt::Debug,
{
    match decoded {
        Ok(request) => {
            prop_assert!(SUPPORTED.contains(&request.version()));
            let again: T = decode_request(&serde_json::to_vec(request).unwrap())
                .map_err(|e| TestCaseError::fail(format!("re-encoded request refused: {e:?}")))?;
            prop_assert_eq!(&again, request);
        }
        Err(DecodeError::UnsupportedVersion(v)) => prop_assert!(!SUPPORTED.contains(v)),
        Err(e) => {
            // Every refusal has its code and a message for the user.
            prop_assert!(e.code() != ErrorCode::Internal);
            prop_assert!(!e.to_string().is_empty());
        }
    }
    Ok(())
}

/// A step from a JSON value to one inside it.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    At(usize),
}

/// Every value inside `value` (not `value` itself), with its path.
fn paths(value: &Value) -> Vec<Vec<Step>> {
    fn walk(value: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    here.push(Step::Key(k.clone()));
                    out.push(here.clone());
                    walk(v, here, out);
                    here.pop();
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    here.push(Step::At(i));
                    out.push(here.clone());
                    walk(v, here, out);
                    here.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

fn at_mut<'a>(value: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(value, |v, step| match step {
        Step::Key(k) => &mut v[k.as_str()],
        Step::At(i) => &mut v[*i],
    })
}

fn parent<'a>(value: &'a Value, path: &[Step]) -> &'a Value {
    path[..path.len() - 1]
        .iter()
        .fold(value, |v, step| match step {
            Step::Key(k) => &v[k.as_str()],
            Step::At(i) => &v[*i],
        })
}

fn json_type(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(_) => 2,
        Value::String(_) => 3,
        Value::Array(_) => 4,
        Value::Object(_) => 5,
    }
}

/// Values of every JSON type but null (null is a valid `None`).
fn replacements() -> Vec<Value> {
    vec![
        json!(true),
        json!(12345),
        json!(-1.5),
        json!("x"),
        json!([]),
        json!({}),
    ]
}

/// Replacements of another JSON type than `original`.
fn wrong_types_for(original: &Value) -> Vec<Value> {
    replacements()
        .into_iter()
        .filter(|r| json_type(r) != json_type(original))
        .collect()
}

/// Whether the field `path` ends in may be left out (an `Option`, or a
/// field with a default).
fn may_be_omitted(request: &Value, path: &[Step]) -> bool {
    let Some(Step::Key(key)) = path.last() else {
        return false;
    };
    match key.as_str() {
        "details" | "voids" | "withdrawn_on" | "planned_destination" => true,
        // Added in version 4: older clients' operations carry no id.
        "op_id" | "epoch" => true,
        // An event's note has a default; an "other" destination's is required.
        "note" => parent(request, path).get("kind").is_none(),
        // Optional where a referral is opened; required in 退院 (discharged).
        "destination" => parent(request, path)["op"] == "referral_opened",
        // Added in version 2: a version-1 referral carries no letter.
        "letter" => parent(request, path)["op"] == "referral_opened",
        // The letter's fax, address and diagnoses may be unknown; its
        // clinic, doctor, phone and purpose are what the liaison needs.
        "fax" | "address" | "diagnoses" => parent(request, path).get("purpose").is_some(),
        // Added in version 3: a plan sent before names no team.
        "team" => {
            parent(request, path)["status"] == "discharge_planned"
                || parent(request, path)["op"] == "consent_recorded"
        }
        // Added in version 5: consents until then name no family giver.
        "family" => parent(request, path)["op"] == "consent_recorded",
        // Added in version 6: consents until then pre-register nobody.
        "preregistration" | "preregistered_with" => {
            parent(request, path)["op"] == "consent_recorded"
        }
        // A team's optional parts: the person invited, a post's reply,
        // correction, vital signs (each one) and attachments.
        "person" => parent(request, path)["team_op"] == "invited",
        "reply_to" | "strikes" | "vitals" | "attachments" => true,
        "body_temperature" | "systolic" | "diastolic" | "pulse" | "spo2" | "respiratory_rate"
        | "weight" => true,
        _ => false,
    }
}

/// Decodes `bytes` as the request type `T`, as the server would.
fn decode_as<T>(bytes: &[u8]) -> Result<(), DecodeError>
where
    T: serde::de::DeserializeOwned + tsunagu_protocol::Versioned + tsunagu_protocol::Bounded,
{
    decode_request::<T>(bytes).map(|_| ())
}

/// A fixed push with every operation and every event kind, both options
/// present and absent.
fn rich_push() -> PushRequest {
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    let id = |n: u128| Uuid::from_u128(0x0196a000_0000_7000_8000_000000000000 + n);
    let ev = |n: u128, details| WireEvent {
        id: id(100 + n),
        details: Some(details),
        voids: None,
        note: "電話で確認".into(),
    };
    use WireEventDetails as W;
    let events = vec![
        W::Received { date: d(5, 13) },
        W::Visited {
            date: d(5, 14),
            department: "循環器内科".into(),
        },
        W::Admitted {
            date: d(5, 15),
            ward: "5階東".into(),
            attending: "鈴木".into(),
        },
        W::DischargePlanned {
            date: d(5, 20),
            expected_date: d(6, 1),
            planned_destination: Some(WireDestination::Facility {
                name: "特養さくら".into(),
            }),
            team: "訪問看護ステーションさくら".into(),
        },
        W::DischargePlanned {
            date: d(5, 20),
            expected_date: d(6, 1),
            planned_destination: None,
            team: String::new(),
        },
        W::Transferred {
            date: d(5, 22),
            hospital: "目白リハビリテーション病院".into(),
        },
        W::Discharged {
            date: d(6, 1),
            destination: WireDestination::OtherHomeCareDoctor {
                doctor: "みなみ在宅クリニック".into(),
            },
        },
        W::Discharged {
            date: d(6, 1),
            destination: WireDestination::ThisClinic,
        },
        W::Discharged {
            date: d(6, 1),
            destination: WireDestination::Other {
                note: "親族宅".into(),
            },
        },
        W::Returned { date: d(6, 2) },
        W::Deceased {
            date: d(6, 3),
            place: "自宅".into(),
        },
        W::Closed {
            date: d(6, 4),
            reason: "看取り".into(),
        },
        W::Cancelled {
            date: d(6, 4),
            reason: "受診せず".into(),
        },
    ];
    let mut ops = vec![
        OpBody::PatientShared {
            patient_id: id(1),
            name: "山田　太郎".into(),
            kana: "やまだ　たろう".into(),
            birth_date: NaiveDate::from_ymd_opt(1950, 4, 1).unwrap(),
            sex: "male".into(),
        },
        OpBody::ConsentRecorded {
            consent_id: id(2),
            patient_id: id(1),
            obtained_on: d(5, 10),
            obtained_by: "佐藤　花子".into(),
            desk: true,
            destination_hospital: false,
            withdrawn_on: Some(d(5, 30)),
            team: true,
            family: Some(WireFamilyGiver {
                name: "山田　花子".into(),
                relation: "長女".into(),
            }),
            preregistration: true,
            preregistered_with: vec![id(5)],
        },
        OpBody::ConsentRecorded {
            consent_id: id(3),
            patient_id: id(1),
            obtained_on: d(5, 10),
            obtained_by: "佐藤　花子".into(),
            desk: false,
            destination_hospital: true,
            withdrawn_on: None,
            team: false,
            family: None,
            preregistration: false,
            preregistered_with: Vec::new(),
        },
        OpBody::ReferralOpened {
            referral_id: id(4),
            patient_id: id(1),
            tracking_code: "K8Y-5WW-FJC".into(),
            destination: Some(id(5)),
            sent: ev(
                0,
                W::Sent {
                    date: d(5, 12),
                    hospital: "豊島中央病院".into(),
                },
            ),
            letter: Some(Box::new(WireLetterSummary {
                clinic: "さくら内科クリニック".into(),
                doctor: "佐藤　花子".into(),
                phone: "03-1234-5678".into(),
                fax: String::new(),
                address: "東京都豊島区南池袋2-10-5".into(),
                purpose: "精査加療".into(),
                diagnoses: vec!["心不全".into()],
            })),
        },
        OpBody::ReferralOpened {
            referral_id: id(6),
            patient_id: id(1),
            tracking_code: "K8Y-5WW-FJD".into(),
            destination: None,
            sent: ev(
                1,
                W::Sent {
                    date: d(5, 12),
                    hospital: String::new(),
                },
            ),
            letter: None,
        },
    ];
    ops.extend(
        events
            .into_iter()
            .zip(2..)
            .map(|(details, n)| OpBody::EventAppended {
                referral_id: id(4),
                event: ev(n, details),
            }),
    );
    ops.push(OpBody::EventAppended {
        referral_id: id(4),
        event: WireEvent {
            id: id(199),
            details: None,
            voids: Some(id(102)),
            note: String::new(),
        },
    });
    ops.push(OpBody::ReferralAssigned {
        referral_id: id(4),
        hospital_id: id(5),
    });
    ops.push(OpBody::ReferralClaimed {
        tracking_code: "DSX-YGK-B9J".into(),
    });
    ops.extend(team_ops());
    PushRequest {
        version: PROTOCOL_VERSION,
        epoch: Some(id(900)),
        ops: ops
            .into_iter()
            .zip(1..)
            .map(|(body, op_seq)| Operation {
                op_seq,
                op_id: Some(Uuid::from_u128(
                    0x0196a000_0000_7000_8000_00000000f000 + op_seq as u128,
                )),
                body,
            })
            .collect(),
    }
}

/// One of each team operation (version 5).
fn team_ops() -> Vec<OpBody> {
    let id = |n: u128| Uuid::from_u128(0x0196a000_0000_7000_8000_000000000000 + n);
    let by = || WireAuthor {
        name: "佐藤　花子".into(),
        profession: "physician".into(),
    };
    let team_id = id(300);
    [
        TeamOp::Started {
            team_id,
            patient_id: id(1),
            owner_member_id: id(301),
        },
        TeamOp::Invited {
            team_id,
            member_id: id(302),
            organisation_id: id(5),
            role: "visiting_nurse".into(),
            person: "田中".into(),
        },
        TeamOp::MemberAction {
            team_id,
            member_id: id(302),
            action: "resend".into(),
        },
        TeamOp::FamilyContactAdded {
            team_id,
            member_id: id(303),
            name: "山田　花子".into(),
            relation: "長女".into(),
            phone: "090-1234-5678".into(),
        },
        TeamOp::FirstContactSet {
            team_id,
            member_id: id(302),
            topic: "night".into(),
        },
        TeamOp::Posted {
            team_id,
            entry: WireNewEntry {
                id: id(310),
                kind: "visit_report".into(),
                body: "訪問しました".into(),
                reply_to: Some(id(309)),
                strikes: None,
                vitals: Some(WireVitals {
                    body_temperature: Some(36.8),
                    systolic: Some(132),
                    diastolic: Some(78),
                    pulse: Some(72),
                    spo2: Some(97),
                    respiratory_rate: Some(16),
                    weight: Some(51.5),
                }),
                attachments: vec![id(311)],
                written_at: "2026-05-12T01:02:03Z".parse().unwrap(),
            },
            by: by(),
        },
        TeamOp::Acknowledged {
            team_id,
            entry_id: id(309),
            by: by(),
        },
        TeamOp::Read {
            team_id,
            entry_ids: vec![id(309), id(308)],
            by: by(),
        },
        TeamOp::RequestClosed {
            team_id,
            entry_id: id(309),
            by: by(),
        },
    ]
    .into_iter()
    .map(OpBody::Team)
    .collect()
}

fn a_pull() -> PullRequest {
    PullRequest {
        version: PROTOCOL_VERSION,
        cursor: 42,
        limit: 100,
    }
}

/// Runs `check` on every field of `request` (as JSON) replaced by a value
/// of each wrong type (`Some(value)`), and on every field left out (`None`).
fn for_every_damaged_field(
    request: &Value,
    decode: fn(&[u8]) -> Result<(), DecodeError>,
    mut check: impl FnMut(&[Step], Option<&Value>, &[u8], Result<(), DecodeError>),
) {
    for path in paths(request) {
        let original = at_mut(&mut request.clone(), &path).clone();
        for wrong in wrong_types_for(&original) {
            let mut damaged = request.clone();
            *at_mut(&mut damaged, &path) = wrong.clone();
            let bytes = serde_json::to_vec(&damaged).unwrap();
            check(&path, Some(&wrong), &bytes, decode(&bytes));
        }
        if let Some(Step::Key(key)) = path.last() {
            let mut damaged = request.clone();
            let removed = at_mut(&mut damaged, &path[..path.len() - 1])
                .as_object_mut()
                .unwrap()
                .remove(key);
            assert!(removed.is_some());
            let bytes = serde_json::to_vec(&damaged).unwrap();
            check(&path, None, &bytes, decode(&bytes));
        }
    }
}

// ---------------------------------------------------------------------------
// Properties.

/// `cases` per property (the whole file runs in a few seconds in debug);
/// a failing case is kept in `decode_properties.proptest-regressions` beside
/// this file (said explicitly: proptest's default looks for a `lib.rs` up
/// the tree and, finding none, warns and falls back to the same place).
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn every_push_survives_the_trip(request in push_request(6)) {
        let compact = serde_json::to_vec(&request).unwrap();
        prop_assert_eq!(push(&compact), Ok(request.clone()));
        let pretty = serde_json::to_vec_pretty(&request).unwrap();
        prop_assert_eq!(push(&pretty), Ok(request));
    }

    #[test]
    fn every_pull_survives_the_trip(request in pull_request()) {
        let bytes = serde_json::to_vec(&request).unwrap();
        prop_assert_eq!(pull(&bytes), Ok(request));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..300)) {
        check_stable(&push(&bytes))?;
        check_stable(&pull(&bytes))?;
    }

    #[test]
    fn arbitrary_json_never_panics(value in json_value()) {
        let bytes = serde_json::to_vec(&value).unwrap();
        check_stable(&push(&bytes))?;
        check_stable(&pull(&bytes))?;
    }

    /// Garbage in the shape of a request: a good version, then anything.
    #[test]
    fn garbage_behind_a_good_version_never_panics(
        version in version(),
        rest in btree_map(select(WORDS), json_value(), 0..5),
        ops in vec(json_value(), 0..4),
    ) {
        let mut object: serde_json::Map<String, Value> =
            rest.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        object.insert("version".into(), json!(version));
        object.entry("ops").or_insert(Value::Array(ops));
        let bytes = serde_json::to_vec(&Value::Object(object)).unwrap();
        check_stable(&push(&bytes))?;
        check_stable(&pull(&bytes))?;
    }

    #[test]
    fn a_version_not_spoken_is_refused_before_anything_else(
        version in any::<u16>().prop_filter("unsupported", |v| !SUPPORTED.contains(v)),
        valid_push in push_request(2),
        rest in btree_map(select(WORDS), json_value(), 0..4),
    ) {
        let mut valid = serde_json::to_value(&valid_push).unwrap();
        valid["version"] = json!(version);
        let bytes = serde_json::to_vec(&valid).unwrap();
        prop_assert_eq!(push(&bytes), Err(DecodeError::UnsupportedVersion(version)));

        // Whatever else the body holds.
        let mut garbage: serde_json::Map<String, Value> =
            rest.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        garbage.insert("version".into(), json!(version));
        let bytes = serde_json::to_vec(&Value::Object(garbage)).unwrap();
        prop_assert_eq!(push(&bytes), Err(DecodeError::UnsupportedVersion(version)));
        prop_assert_eq!(pull(&bytes), Err(DecodeError::UnsupportedVersion(version)));
        prop_assert_eq!(
            DecodeError::UnsupportedVersion(version).code(),
            ErrorCode::UnsupportedVersion
        );
    }

    /// A version that is not even a u16 is no version: malformed.
    #[test]
    fn a_version_out_of_range_is_malformed(
        version in prop_oneof![i64::MIN..0, 65_536..=i64::MAX],
    ) {
        let bytes = serde_json::to_vec(&json!({"version": version, "ops": [], "cursor": 0, "limit": 1}))
            .unwrap();
        prop_assert_eq!(push(&bytes), Err(DecodeError::Malformed));
        prop_assert_eq!(pull(&bytes), Err(DecodeError::Malformed));
    }

    #[test]
    fn a_pull_beyond_its_bounds_is_refused(
        request in pull_request(),
        limit in (MAX_PULL_LIMIT + 1)..=u32::MAX,
        cursor in i64::MIN..0,
    ) {
        let over = PullRequest { limit, ..request.clone() };
        let bytes = serde_json::to_vec(&over).unwrap();
        let refused = pull(&bytes);
        prop_assert!(
            matches!(refused, Err(DecodeError::TooLarge { max, .. }) if max == MAX_PULL_LIMIT as usize),
            "{:?}", refused
        );
        prop_assert_eq!(refused.unwrap_err().code(), ErrorCode::TooLarge);
        let behind = PullRequest { cursor, ..request };
        prop_assert_eq!(pull(&serde_json::to_vec(&behind).unwrap()), Err(DecodeError::Malformed));
    }
}

proptest! {
    #![proptest_config(config(24))]

    /// Every strict prefix of a request is incomplete JSON: malformed.
    #[test]
    fn every_truncation_is_malformed(pushed in push_request(3), pulled in pull_request()) {
        let bytes = serde_json::to_vec(&pushed).unwrap();
        for end in 0..bytes.len() {
            prop_assert_eq!(push(&bytes[..end]), Err(DecodeError::Malformed), "cut at {}", end);
            prop_assert_eq!(pull(&bytes[..end]).map(|_| ()), Err(DecodeError::Malformed));
        }
        let bytes = serde_json::to_vec(&pulled).unwrap();
        for end in 0..bytes.len() {
            prop_assert_eq!(pull(&bytes[..end]), Err(DecodeError::Malformed), "cut at {}", end);
            prop_assert_eq!(push(&bytes[..end]).map(|_| ()), Err(DecodeError::Malformed));
        }
    }

    /// Bytes overwritten, inserted, deleted, JSON tokens spliced in: a
    /// request or a refusal, never a panic; what is accepted is stable.
    #[test]
    fn mutated_requests_never_panic(
        original in any_request_bytes(),
        mutations in vec((any::<Index>(), 0u8..4, any::<u8>(), select(TOKENS)), 1..6),
    ) {
        let mut bytes = original;
        for (at, how, byte, token) in mutations {
            let i = at.index(bytes.len() + 1);
            match how {
                0 if i < bytes.len() => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                2 if i < bytes.len() => {
                    bytes.remove(i);
                }
                _ => {
                    bytes.splice(i..i, token.bytes());
                }
            }
        }
        check_stable(&push(&bytes))?;
        check_stable(&pull(&bytes))?;
    }

    /// One field of a valid request given a value of the wrong JSON type.
    #[test]
    fn a_field_of_the_wrong_type_is_malformed(
        pushed in push_request(3),
        pulled in pull_request(),
        which in any::<Index>(),
        replacement in any::<Index>(),
    ) {
        for (value, decode) in [
            (serde_json::to_value(&pushed).unwrap(), decode_as::<PushRequest> as fn(&[u8]) -> _),
            (serde_json::to_value(&pulled).unwrap(), decode_as::<PullRequest>),
        ] {
            let all = paths(&value);
            let path = which.get(&all);
            let mut damaged = value.clone();
            let slot = at_mut(&mut damaged, path);
            let wrong = wrong_types_for(&*slot);
            *slot = replacement.get(&wrong).clone();
            let bytes = serde_json::to_vec(&damaged).unwrap();
            prop_assert_eq!(decode(&bytes), Err(DecodeError::Malformed), "{:?}", path);
        }
    }

    /// Up to the limit a push is read; one more operation and it is refused
    /// as too large (once its shape is right).
    #[test]
    fn more_operations_than_allowed_are_too_large(
        op in operation(),
        over in 1usize..=300,
        under in 0usize..=MAX_OPS_PER_PUSH,
    ) {
        let many = |n: usize| {
            let ops = (1..=n as i64)
                .map(|op_seq| Operation { op_seq, ..op.clone() })
                .collect();
            serde_json::to_vec(&PushRequest { version: PROTOCOL_VERSION, epoch: None, ops }).unwrap()
        };
        let refused = push(&many(MAX_OPS_PER_PUSH + over));
        prop_assert!(
            matches!(refused, Err(DecodeError::TooLarge { max: MAX_OPS_PER_PUSH, .. })),
            "{:?}", refused
        );
        prop_assert_eq!(refused.unwrap_err().code(), ErrorCode::TooLarge);
        prop_assert_eq!(push(&many(under)).map(|r| r.ops.len()), Ok(under));
    }
}

/// Spliced into requests by [`mutated_requests_never_panic`].
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ",",
    ":",
    "\\",
    "null",
    "true",
    "-",
    "0",
    "-1",
    "1e999",
    "1.5",
    "18446744073709551616",
    "\"\\ud800\"",
    "\"\\u0000\"",
    "\u{feff}",
    "\u{0}",
    "é",
    "　",
    "[[[[[[[[",
    "]]]]]]]]",
    "\"version\":",
    "\"ops\":[]",
    "\"op\":\"patient_shared\",",
    "\"status\":\"sent\",",
    "\"details\":null,",
];

// ---------------------------------------------------------------------------
// Exhaustive checks on fixed requests.

#[test]
fn every_field_of_every_operation_refuses_a_wrong_type() {
    let request = serde_json::to_value(rich_push()).unwrap();
    let mut checked = 0;
    for_every_damaged_field(
        &request,
        decode_as::<PushRequest>,
        |path, wrong, bytes, result| {
            checked += 1;
            if wrong.is_none() && may_be_omitted(&request, path) {
                assert!(result.is_ok(), "{path:?} left out: {result:?}");
            } else {
                assert_eq!(
                    result,
                    Err(DecodeError::Malformed),
                    "{path:?} = {wrong:?}: {}",
                    String::from_utf8_lossy(bytes)
                );
            }
        },
    );
    assert!(checked > 1000, "{checked}");
}

#[test]
fn every_field_of_a_pull_refuses_a_wrong_type() {
    let request = serde_json::to_value(a_pull()).unwrap();
    let mut checked = 0;
    for_every_damaged_field(
        &request,
        decode_as::<PullRequest>,
        |path, wrong, _, result| {
            checked += 1;
            assert_eq!(result, Err(DecodeError::Malformed), "{path:?} = {wrong:?}");
        },
    );
    // Three numbers, each with four other JSON types, and each left out.
    assert_eq!(checked, 3 * 4 + 3);
}

#[test]
fn the_push_limit_is_exact() {
    let op = rich_push().ops[0].clone();
    let many = |n: usize| PushRequest {
        version: PROTOCOL_VERSION,
        epoch: None,
        ops: vec![op.clone(); n],
    };
    let bytes = serde_json::to_vec(&many(MAX_OPS_PER_PUSH)).unwrap();
    assert_eq!(push(&bytes).map(|r| r.ops.len()), Ok(MAX_OPS_PER_PUSH));
    let bytes = serde_json::to_vec(&many(MAX_OPS_PER_PUSH + 1)).unwrap();
    assert!(matches!(push(&bytes), Err(DecodeError::TooLarge { .. })));
    let limit = |limit| PullRequest { limit, ..a_pull() };
    let bytes = serde_json::to_vec(&limit(MAX_PULL_LIMIT)).unwrap();
    assert_eq!(pull(&bytes), Ok(limit(MAX_PULL_LIMIT)));
    let bytes = serde_json::to_vec(&limit(MAX_PULL_LIMIT + 1)).unwrap();
    assert!(matches!(pull(&bytes), Err(DecodeError::TooLarge { .. })));
}

/// Big arrays of the wrong thing fail on their first element; nesting
/// beyond serde_json's depth limit (128) fails without exhausting the stack.
/// A field the request does not have is skipped without that limit (serde_json
/// skips iteratively), so a pull ignores a deep `ops` — the server's body
/// limit is what bounds it.
#[test]
fn huge_and_deep_inputs_are_refused_without_panicking() {
    let huge = format!("{{\"version\":2,\"ops\":[{}0]}}", "0,".repeat(1_000_000));
    assert_eq!(push(huge.as_bytes()), Err(DecodeError::Malformed));
    let huge = format!("{{\"version\":2,\"ops\":[{}{{}}]}}", "{},".repeat(500_000));
    assert_eq!(push(huge.as_bytes()), Err(DecodeError::Malformed));
    for depth in [126, 127, 128, 129, 10_000, 1_000_000] {
        let deep = format!(
            "{{\"version\":2,\"ops\":{}{},\"cursor\":0,\"limit\":1}}",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        assert_eq!(
            push(deep.as_bytes()),
            Err(DecodeError::Malformed),
            "{depth}"
        );
        assert_eq!(pull(deep.as_bytes()).map(|r| r.limit), Ok(1), "{depth}");
        let deep = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(
            push(deep.as_bytes()),
            Err(DecodeError::Malformed),
            "{depth}"
        );
        assert_eq!(
            pull(deep.as_bytes()),
            Err(DecodeError::Malformed),
            "{depth}"
        );
        let unclosed = format!("{{\"version\":2,\"x\":{}", "[{\"a\":".repeat(depth));
        assert_eq!(
            pull(unclosed.as_bytes()),
            Err(DecodeError::Malformed),
            "{depth}"
        );
    }
}

// ---------------------------------------------------------------------------
// The kept corpus.

/// What decoding a corpus file must give, from its name:
///
/// - `ok-push-*`, `ok-pull-*`: a valid request of that type (and malformed
///   as the other type); `ok-both-*`: valid as either;
/// - `too-large-push-*`, `too-large-pull-*`: `TooLarge` as that type (and
///   malformed as the other);
/// - `version-*`: `UnsupportedVersion` as either (the version is read first);
/// - `malformed-*`: `Malformed` as either.
///
/// `None` for a name that follows none of these.
fn expected(file_name: &str, as_push: bool) -> Option<Result<(), ErrorCode>> {
    let (mine, theirs) = if as_push {
        ("push-", "pull-")
    } else {
        ("pull-", "push-")
    };
    let malformed = Err(ErrorCode::Malformed);
    if let Some(rest) = file_name.strip_prefix("ok-") {
        return if rest.starts_with(mine) || rest.starts_with("both-") {
            Some(Ok(()))
        } else if rest.starts_with(theirs) {
            Some(malformed)
        } else {
            None
        };
    }
    if let Some(rest) = file_name.strip_prefix("too-large-") {
        return if rest.starts_with(mine) {
            Some(Err(ErrorCode::TooLarge))
        } else if rest.starts_with(theirs) {
            Some(malformed)
        } else {
            None
        };
    }
    if file_name.starts_with("version-") {
        return Some(Err(ErrorCode::UnsupportedVersion));
    }
    if file_name.starts_with("malformed-") {
        return Some(malformed);
    }
    None
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
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

#[test]
fn every_corpus_file_decodes_as_its_name_says() {
    let files = corpus();
    assert!(files.len() >= 24, "the corpus has {} files", files.len());
    let mut wrong = Vec::new();
    for (name, bytes) in &files {
        assert!(name.ends_with(".json"), "{name}");
        for as_push in [true, false] {
            let want = expected(name, as_push)
                .unwrap_or_else(|| panic!("{name}: the name says no expected outcome"));
            let got = if as_push {
                decode_as::<PushRequest>(bytes)
            } else {
                decode_as::<PullRequest>(bytes)
            };
            if got.as_ref().map_err(DecodeError::code) != want.as_ref().map_err(|c| *c) {
                let kind = if as_push { "push" } else { "pull" };
                wrong.push(format!("{name} as {kind}: want {want:?}, got {got:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
    // Each outcome is represented, for both request types.
    for prefix in [
        "ok-push-",
        "ok-pull-",
        "too-large-push-",
        "too-large-pull-",
        "version-",
        "malformed-",
    ] {
        assert!(
            files.iter().any(|(name, _)| name.starts_with(prefix)),
            "no {prefix}* file"
        );
    }
}

/// The accepted corpus files are stable too: re-encoded, they decode to
/// the same request.
#[test]
fn accepted_corpus_files_survive_re_encoding() {
    for (name, bytes) in corpus() {
        if let Ok(request) = push(&bytes) {
            let again = serde_json::to_vec(&request).unwrap();
            assert_eq!(push(&again), Ok(request), "{name}");
        }
        if let Ok(request) = pull(&bytes) {
            let again = serde_json::to_vec(&request).unwrap();
            assert_eq!(pull(&again), Ok(request), "{name}");
        }
    }
}

/// NUL in any text and dates outside years 1–9999 are JSON a database
/// cannot keep: the push is read (its other operations go through) and the
/// operation is found unstorable, for the server to refuse on its own.
#[test]
fn values_a_database_cannot_keep_are_unstorable_operations() {
    let id = Uuid::from_u128(7);
    let push = |body: OpBody| {
        serde_json::to_vec(&PushRequest {
            version: 2,
            epoch: None,
            ops: vec![Operation {
                op_seq: 1,
                op_id: None,
                body,
            }],
        })
        .unwrap()
    };
    let patient = |name: &str, birth_date: NaiveDate| OpBody::PatientShared {
        patient_id: id,
        name: name.into(),
        kana: "やまだ".into(),
        birth_date,
        sex: "male".into(),
    };
    let fine = NaiveDate::from_ymd_opt(1950, 4, 1).unwrap();
    assert!(op_storable(&patient("山田", fine)));
    for body in [
        patient("山田\u{0}太郎", fine),
        patient("山田", NaiveDate::from_ymd_opt(-100_000, 1, 1).unwrap()),
        patient("山田", NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap()),
        OpBody::EventAppended {
            referral_id: id,
            event: WireEvent {
                id,
                details: Some(WireEventDetails::Visited {
                    date: fine,
                    department: "内科\u{0}".into(),
                }),
                voids: None,
                note: String::new(),
            },
        },
    ] {
        assert!(!op_storable(&body), "{body:?}");
        let read = decode_request::<PushRequest>(&push(body)).unwrap();
        assert_eq!(read.ops.len(), 1);
    }
}
