//! The wire's promises: versions checked first, bounds enforced, garbage
//! refused with a code, and every referral event surviving the trip to
//! JSON and back into the domain unchanged.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use chrono::NaiveDate;
use tsunagu_domain::{DischargeDestination, EventDetails};
use tsunagu_protocol::{
    ChangeBody, DecodeError, ErrorCode, MAX_OPS_PER_PUSH, OpBody, Operation, PROTOCOL_VERSION,
    PullRequest, PushRequest, WireEvent, WireEventDetails, WireSource, decode_request,
};
use uuid::Uuid;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn every_event() -> Vec<EventDetails> {
    let home = DischargeDestination::OtherHomeCareDoctor {
        doctor: "みなみ在宅クリニック".into(),
    };
    vec![
        EventDetails::Sent {
            date: d(5, 12),
            hospital: "豊島中央病院".into(),
        },
        EventDetails::Received { date: d(5, 13) },
        EventDetails::Visited {
            date: d(5, 14),
            department: "循環器内科".into(),
        },
        EventDetails::Admitted {
            date: d(5, 15),
            ward: "5階東".into(),
            attending: "鈴木".into(),
        },
        EventDetails::DischargePlanned {
            date: d(5, 20),
            expected_date: d(6, 1),
            planned_destination: Some(home.clone()),
            team: "池袋訪問看護ステーション・ケアマネ 山本".into(),
        },
        EventDetails::Transferred {
            date: d(5, 22),
            hospital: "目白リハビリテーション病院".into(),
        },
        EventDetails::Discharged {
            date: d(6, 1),
            destination: home,
        },
        EventDetails::Discharged {
            date: d(6, 1),
            destination: DischargeDestination::Facility {
                name: "特養さくら".into(),
            },
        },
        EventDetails::Returned { date: d(6, 2) },
        EventDetails::Deceased {
            date: d(6, 3),
            place: "自宅".into(),
        },
        EventDetails::Closed {
            date: d(6, 4),
            reason: "看取り".into(),
        },
        EventDetails::Cancelled {
            date: d(6, 4),
            reason: "受診せず".into(),
        },
    ]
}

#[test]
fn every_event_survives_the_wire_unchanged() {
    for details in every_event() {
        let wire = WireEvent {
            id: Uuid::now_v7(),
            details: Some(WireEventDetails::from(&details)),
            voids: None,
            note: "電話で確認".into(),
        };
        let json = serde_json::to_string(&wire).unwrap();
        let back: WireEvent = serde_json::from_str(&json).unwrap();
        assert_eq!(back, wire);
        assert_eq!(EventDetails::from(back.details.unwrap()), details);
    }
}

fn push(ops: usize) -> PushRequest {
    PushRequest {
        version: PROTOCOL_VERSION,
        epoch: None,
        ops: (1..=ops as i64)
            .map(|op_seq| Operation {
                op_seq,
                op_id: Some(Uuid::now_v7()),
                body: OpBody::EventAppended {
                    referral_id: Uuid::now_v7(),
                    event: WireEvent {
                        id: Uuid::now_v7(),
                        details: Some(WireEventDetails::Received { date: d(5, 13) }),
                        voids: None,
                        note: String::new(),
                    },
                },
            })
            .collect(),
    }
}

#[test]
fn a_push_decodes_and_its_size_is_bounded() {
    let request = push(3);
    let ok = serde_json::to_vec(&request).unwrap();
    assert_eq!(decode_request::<PushRequest>(&ok).unwrap(), request);
    let huge = serde_json::to_vec(&push(MAX_OPS_PER_PUSH + 1)).unwrap();
    let err = decode_request::<PushRequest>(&huge).unwrap_err();
    assert_eq!(err.code(), ErrorCode::TooLarge);
}

#[test]
fn versions_outside_the_supported_range_are_refused_before_the_rest_is_read() {
    for version in [0u16, PROTOCOL_VERSION + 1, 999] {
        let body = format!(r#"{{"version":{version},"ops":"not even a list"}}"#);
        assert_eq!(
            decode_request::<PushRequest>(body.as_bytes()),
            Err(DecodeError::UnsupportedVersion(version))
        );
    }
}

#[test]
fn garbage_wrong_types_and_truncation_are_malformed() {
    let good = serde_json::to_vec(&push(2)).unwrap();
    let bodies: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"null".to_vec(),
        b"\xff\xfe garbage".to_vec(),
        br#"{"version":"1","ops":[]}"#.to_vec(),
        br#"{"version":2,"ops":[{"op_seq":"one","body":{}}]}"#.to_vec(),
        br#"{"version":2,"ops":[{"op_seq":1,"body":{"op":"drop_table"}}]}"#.to_vec(),
        br#"{"version":2}"#.to_vec(),
        good[..good.len() / 2].to_vec(),
    ];
    for body in bodies {
        let err = decode_request::<PushRequest>(&body).unwrap_err();
        assert_eq!(
            err.code(),
            ErrorCode::Malformed,
            "{}",
            String::from_utf8_lossy(&body)
        );
    }
}

#[test]
fn a_pull_asks_for_a_bounded_page_after_a_cursor() {
    let ok = br#"{"version":2,"cursor":42,"limit":500}"#;
    assert_eq!(
        decode_request::<PullRequest>(ok).unwrap(),
        PullRequest {
            version: 2,
            cursor: 42,
            limit: 500
        }
    );
    let too_many = br#"{"version":2,"cursor":0,"limit":100000}"#;
    assert_eq!(
        decode_request::<PullRequest>(too_many).unwrap_err().code(),
        ErrorCode::TooLarge
    );
    let negative = br#"{"version":2,"cursor":-1,"limit":10}"#;
    assert_eq!(
        decode_request::<PullRequest>(negative).unwrap_err().code(),
        ErrorCode::Malformed
    );
}

/// An event a team member recorded names a source older clients cannot
/// read: only clients of version 5 are sent it.
#[test]
fn an_event_from_the_team_waits_for_version_5_clients() {
    let appended = |source| ChangeBody::EventAppended {
        referral_id: Uuid::nil(),
        event: WireEvent {
            id: Uuid::nil(),
            details: Some(WireEventDetails::Deceased {
                date: d(3, 1),
                place: "自宅".into(),
            }),
            voids: None,
            note: String::new(),
        },
        source,
        actor: "訪問看護ステーション 看護師 山田".into(),
        recorded_at: chrono::DateTime::UNIX_EPOCH,
    };
    assert_eq!(appended(WireSource::Team).since_version(), 5);
    assert_eq!(appended(WireSource::Liaison).since_version(), 1);
    let json = serde_json::to_string(&appended(WireSource::Team)).unwrap();
    assert!(json.contains(r#""source":"team""#), "{json}");
}

/// An episode opened without a letter (紹介状なし入院) starts with an event
/// older clients could not replay: neither its opening nor that event is
/// sent to clients before version 7, and a referral the clinic opened is
/// sent as before, its JSON unchanged.
#[test]
fn an_admission_without_a_letter_waits_for_version_7_clients() {
    let opened = |without_letter| ChangeBody::ReferralOpened {
        referral_id: Uuid::nil(),
        patient_id: Uuid::nil(),
        tracking_code: "7KQ-M4T-Z9X".into(),
        recorded_at: chrono::DateTime::UNIX_EPOCH,
        without_letter,
    };
    assert_eq!(opened(true).since_version(), 7);
    assert_eq!(opened(false).since_version(), 1);
    let json = serde_json::to_string(&opened(false)).unwrap();
    assert!(!json.contains("without_letter"), "{json}");
    let admitted = ChangeBody::EventAppended {
        referral_id: Uuid::nil(),
        event: WireEvent {
            id: Uuid::nil(),
            details: Some(WireEventDetails::AdmittedWithoutLetter {
                date: d(3, 1),
                hospital: "豊島中央病院".into(),
                ward: "4階東病棟".into(),
                attending: String::new(),
            }),
            voids: None,
            note: String::new(),
        },
        source: WireSource::Liaison,
        actor: "豊島中央病院 地域連携室 山本".into(),
        recorded_at: chrono::DateTime::UNIX_EPOCH,
    };
    assert_eq!(admitted.since_version(), 7);
    let json = serde_json::to_string(&admitted).unwrap();
    assert!(
        json.contains(r#""status":"admitted_without_letter""#),
        "{json}"
    );
    assert_eq!(serde_json::from_str::<ChangeBody>(&json).unwrap(), admitted);
}

/// A hospital's document (version 10) is left out of older clients'
/// pages, and reads back as written; a corrected letter's operation too.
#[test]
fn a_hospital_document_waits_for_version_10_clients() {
    let document = ChangeBody::HospitalDocument {
        document: tsunagu_protocol::WireHospitalDocument {
            id: Uuid::nil(),
            referral_id: Uuid::nil(),
            kind: "discharge_summary".into(),
            name: "退院時サマリー.pdf".into(),
            size: 1234,
            sha256: "ab".repeat(32),
            actor: "豊島中央病院 地域連携室 山本".into(),
            uploaded_at: chrono::DateTime::UNIX_EPOCH,
        },
    };
    assert_eq!(document.since_version(), 10);
    let json = serde_json::to_string(&document).unwrap();
    assert!(json.contains(r#""change":"hospital_document""#), "{json}");
    assert_eq!(serde_json::from_str::<ChangeBody>(&json).unwrap(), document);
    let revised = OpBody::LetterRevised {
        referral_id: Uuid::nil(),
        version: 2,
        letter: Box::default(),
    };
    let json = serde_json::to_string(&revised).unwrap();
    assert!(json.contains(r#""op":"letter_revised""#), "{json}");
    assert_eq!(serde_json::from_str::<OpBody>(&json).unwrap(), revised);
}
