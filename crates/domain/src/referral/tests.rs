use super::*;
use ReferralStatus::*;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn ev(id: &str, details: EventDetails) -> ReferralEvent {
    ReferralEvent {
        id: id.into(),
        details: Some(details),
        voids: None,
    }
}

fn sent() -> ReferralEvent {
    ev(
        "1",
        EventDetails::Sent {
            date: d(5, 12),
            hospital: "豊島中央病院".into(),
        },
    )
}

fn admitted(id: &str, day: u32) -> ReferralEvent {
    ev(
        id,
        EventDetails::Admitted {
            date: d(5, day),
            ward: "5階東病棟".into(),
            attending: "鈴木".into(),
        },
    )
}

#[test]
fn replay_fitting_sets_aside_what_no_longer_fits() {
    // The server's history (sent, admitted) then the clinic's unconfirmed
    // 取消, which the admission made impossible.
    let cancelled = ev(
        "9",
        EventDetails::Cancelled {
            date: d(5, 14),
            reason: "患者の希望".into(),
        },
    );
    let (state, aside) = replay_fitting(&[sent(), admitted("2", 13), cancelled.clone()]).unwrap();
    assert_eq!(state.status, Admitted);
    assert_eq!(aside, vec!["9".to_string()]);
    let (state, aside) = replay_fitting(&[sent(), cancelled]).unwrap();
    assert_eq!(state.status, Cancelled);
    assert!(aside.is_empty());
}

#[test]
fn destination_kinds_round_trip() {
    for kind in DestinationKind::ALL {
        assert_eq!(DestinationKind::from_code(kind.code()), Some(kind));
        assert_eq!(kind.with_name("某".into()).kind(), kind);
        assert_eq!(
            kind.name_label_ja().is_none(),
            kind == DestinationKind::ThisClinic
        );
    }
    assert_eq!(DestinationKind::from_code("other_doctor"), None);
}

#[test]
fn codes_and_labels_round_trip() {
    for s in ReferralStatus::ALL {
        assert_eq!(ReferralStatus::from_code(s.code()), Some(s));
        assert!(!s.label_ja().is_empty());
    }
}

#[test]
fn the_allowed_transitions_and_a_set_of_forbidden_ones() {
    let allowed = [
        (Sent, Received),
        (Sent, Admitted),
        (Received, Visited),
        (Visited, Admitted),
        (Visited, Returned),
        (Admitted, DischargePlanned),
        (Admitted, Transferred),
        (Admitted, Discharged),
        (DischargePlanned, DischargePlanned),
        (DischargePlanned, Discharged),
        (Transferred, Discharged),
        (Transferred, Transferred),
        (Discharged, Returned),
        (Discharged, Deceased),
        (Discharged, Admitted),
        (Deceased, Closed),
        (Sent, Cancelled),
    ];
    for (from, to) in allowed {
        assert!(from.may_become(to), "{from:?} → {to:?}");
    }
    let forbidden = [
        (Sent, Discharged),
        (Sent, DischargePlanned),
        (Received, Discharged),
        (Admitted, Returned),
        (Admitted, Received),
        (Deceased, Admitted),
        (Deceased, Discharged),
        (Closed, Received),
        (Cancelled, Sent),
        (Discharged, Discharged),
    ];
    for (from, to) in forbidden {
        assert!(!from.may_become(to), "{from:?} → {to:?}");
    }
    for s in ReferralStatus::ALL {
        assert!(!s.may_become(Sent), "nothing goes back to 紹介済");
        assert!(!Closed.may_become(s) && !Cancelled.may_become(s));
    }
}

#[test]
fn discharged_to_a_new_home_care_doctor() {
    let events = [
        sent(),
        admitted("2", 14),
        ev(
            "3",
            EventDetails::DischargePlanned {
                date: d(5, 28),
                expected_date: d(6, 5),
                planned_destination: None,
                team: String::new(),
            },
        ),
        ev(
            "4",
            EventDetails::Discharged {
                date: d(6, 5),
                destination: DischargeDestination::OtherHomeCareDoctor {
                    doctor: "みなみ在宅クリニック 田中医師".into(),
                },
            },
        ),
    ];
    let state = replay(&events).unwrap();
    assert_eq!(state.status, Discharged);
    assert_eq!(
        state.where_now.label_ja(),
        "在宅（在宅医: みなみ在宅クリニック 田中医師）"
    );
    assert_eq!(state.last_news, d(6, 5));
    assert_eq!(state.expected_discharge, None);
    assert_eq!(state.acknowledged_on, Some(d(5, 14)));
    assert_eq!(state.seen_on, Some(d(5, 14)));
    assert_eq!(state.outcome(), Outcome::OtherHomeCareDoctor);
}

#[test]
fn acknowledgement_and_first_visit_are_the_first_of_their_kind() {
    let events = [
        sent(),
        ev("2", EventDetails::Received { date: d(5, 13) }),
        ev(
            "3",
            EventDetails::Visited {
                date: d(5, 20),
                department: String::new(),
            },
        ),
        admitted("4", 22),
    ];
    let state = replay(&events).unwrap();
    assert_eq!(state.acknowledged_on, Some(d(5, 13)));
    assert_eq!(state.seen_on, Some(d(5, 20)));
    assert_eq!(state.outcome(), Outcome::Unknown);
    let only_sent = replay(&events[..1]).unwrap();
    assert_eq!((only_sent.acknowledged_on, only_sent.seen_on), (None, None));
    for o in Outcome::ALL {
        assert_eq!(Outcome::from_code(o.code()), Some(o));
    }
}

#[test]
fn a_transfer_is_a_new_leg_of_the_same_episode() {
    let events = [
        sent(),
        admitted("2", 14),
        ev(
            "3",
            EventDetails::Transferred {
                date: d(6, 1),
                hospital: "目白リハビリテーション病院".into(),
            },
        ),
    ];
    let state = replay(&events).unwrap();
    assert_eq!(
        state.where_now.label_ja(),
        "目白リハビリテーション病院 入院中"
    );
    assert_eq!(state.hospital, "目白リハビリテーション病院");
    assert_eq!(state.sent_on, d(5, 12));
}

#[test]
fn impossible_histories_are_refused_with_the_reason() {
    // 退院 before 入院.
    let early_discharge = ev(
        "2",
        EventDetails::Discharged {
            date: d(5, 20),
            destination: DischargeDestination::ThisClinic,
        },
    );
    let err = check_append(&[sent()], &early_discharge).unwrap_err();
    assert_eq!(
        err.to_string(),
        "「紹介済」のあとに「退院」は記録できません"
    );
    // An event dated before the referral.
    let err = check_append(&[sent()], &admitted("2", 1)).unwrap_err();
    assert!(matches!(err, ReferralError::BeforePrevious { .. }), "{err}");
    // A discharge dated before the admission.
    let events = [sent(), admitted("2", 14)];
    let err = check_append(
        &events,
        &ev(
            "3",
            EventDetails::Discharged {
                date: d(5, 13),
                destination: DischargeDestination::ThisClinic,
            },
        ),
    )
    .unwrap_err();
    assert!(matches!(err, ReferralError::BeforePrevious { .. }));
    // An expected discharge before the day it was planned.
    let err = check_append(
        &events,
        &ev(
            "3",
            EventDetails::DischargePlanned {
                date: d(5, 20),
                expected_date: d(5, 18),
                planned_destination: None,
                team: String::new(),
            },
        ),
    )
    .unwrap_err();
    assert_eq!(err, ReferralError::ExpectedBeforeAdmission);
    // The first event must be 紹介済.
    assert_eq!(
        replay(&[admitted("1", 14)]),
        Err(ReferralError::MustStartSent)
    );
}

#[test]
fn a_wrong_entry_is_voided_by_a_new_event_and_stays_in_the_history() {
    let wrong = ev(
        "3",
        EventDetails::Deceased {
            date: d(5, 20),
            place: String::new(),
        },
    );
    let events = vec![sent(), admitted("2", 14), wrong];
    assert_eq!(replay(&events).unwrap().status, Deceased);
    let void = ReferralEvent {
        id: "4".into(),
        details: None,
        voids: Some("3".into()),
    };
    let state = check_append(&events, &void).unwrap();
    assert_eq!(state.status, Admitted);
    let mut with_void = events.clone();
    with_void.push(void.clone());
    // Voiding the same entry twice, or the start, is refused.
    assert_eq!(
        check_append(&with_void, &void),
        Err(ReferralError::NothingToVoid)
    );
    let void_start = ReferralEvent {
        id: "5".into(),
        details: None,
        voids: Some("1".into()),
    };
    assert_eq!(
        check_append(&with_void, &void_start),
        Err(ReferralError::CannotVoidStart)
    );
    // After the correction the right event fits.
    let discharged = ev(
        "6",
        EventDetails::Discharged {
            date: d(5, 30),
            destination: DischargeDestination::ThisClinic,
        },
    );
    assert_eq!(
        check_append(&with_void, &discharged).unwrap().where_now,
        WhereNow::AtThisClinic { since: d(5, 30) }
    );
}

#[test]
fn details_travel_as_json_with_their_status() {
    let e = EventDetails::Discharged {
        date: d(6, 5),
        destination: DischargeDestination::Facility {
            name: "特養さくら".into(),
        },
    };
    let json = serde_json::to_string(&e).unwrap();
    assert_eq!(
        json,
        r#"{"status":"discharged","date":"2026-06-05","destination":{"kind":"facility","name":"特養さくら"}}"#
    );
    assert_eq!(serde_json::from_str::<EventDetails>(&json).unwrap(), e);
}

fn admitted_without_letter(day: u32) -> ReferralEvent {
    ev(
        "1",
        EventDetails::AdmittedWithoutLetter {
            date: d(5, day),
            hospital: "豊島中央病院".into(),
            ward: "4階東病棟".into(),
            attending: String::new(),
        },
    )
}

/// 紹介状なし入院 opens an episode already in hospital and seen; from then
/// on the same machine as a referred admission, and it opens nothing
/// later.
#[test]
fn an_admission_without_a_letter_opens_an_episode_in_hospital() {
    let state = replay(&[admitted_without_letter(12)]).unwrap();
    assert_eq!(state.status, Admitted);
    assert!(state.without_letter);
    assert_eq!(state.hospital, "豊島中央病院");
    assert_eq!(state.sent_on, d(5, 12));
    assert_eq!(state.acknowledged_on, Some(d(5, 12)));
    assert_eq!(state.seen_on, Some(d(5, 12)));
    assert!(matches!(
        state.where_now,
        WhereNow::InHospital { ref ward, .. } if ward == "4階東病棟"
    ));
    assert!(!replay(&[sent()]).unwrap().without_letter);

    // The same rules as a referred admission afterwards: a transfer, then
    // a discharge home; no going back to the start.
    let transferred = ev(
        "2",
        EventDetails::Transferred {
            date: d(5, 20),
            hospital: "北リハビリ病院".into(),
        },
    );
    let state = replay(&[admitted_without_letter(12), transferred.clone()]).unwrap();
    assert_eq!(state.hospital, "北リハビリ病院");
    let again = ev(
        "3",
        EventDetails::AdmittedWithoutLetter {
            date: d(5, 21),
            hospital: "南病院".into(),
            ward: String::new(),
            attending: String::new(),
        },
    );
    let events = [admitted_without_letter(12), transferred];
    assert!(matches!(
        check_append(&events, &again),
        Err(ReferralError::NotAllowed { .. })
    ));
    let received = ev("4", EventDetails::Received { date: d(5, 21) });
    assert!(check_append(&[admitted_without_letter(12)], &received).is_err());
    // After a letter's 紹介済, an admission is the plain one.
    assert!(check_append(&[sent()], &again).is_err());

    // Its first event cannot be voided; it names its hospital.
    let void = ReferralEvent {
        id: "5".into(),
        details: None,
        voids: Some("1".into()),
    };
    assert_eq!(
        check_append(&[admitted_without_letter(12)], &void),
        Err(ReferralError::CannotVoidStart)
    );
    let nameless = ev(
        "1",
        EventDetails::AdmittedWithoutLetter {
            date: d(5, 12),
            hospital: " ".into(),
            ward: String::new(),
            attending: String::new(),
        },
    );
    assert_eq!(
        replay(&[nameless]),
        Err(ReferralError::Missing("入院先の医療機関名"))
    );
}

/// Recorded for the wrong patient, it is cancelled (with a reason) while
/// the patient is simply admitted; a referred admission cannot be.
#[test]
fn an_admission_without_a_letter_may_be_cancelled_while_only_admitted() {
    let cancelled = ev(
        "9",
        EventDetails::Cancelled {
            date: d(5, 14),
            reason: "別の患者さんでした".into(),
        },
    );
    let state = check_append(&[admitted_without_letter(12)], &cancelled).unwrap();
    assert_eq!(state.status, Cancelled);
    assert_eq!(state.where_now, WhereNow::Unknown);
    assert!(matches!(
        check_append(&[sent(), admitted("2", 13)], &cancelled),
        Err(ReferralError::NotAllowed { .. })
    ));
    let planned = ev(
        "3",
        EventDetails::DischargePlanned {
            date: d(5, 13),
            expected_date: d(5, 20),
            planned_destination: None,
            team: String::new(),
        },
    );
    assert!(matches!(
        check_append(&[admitted_without_letter(12), planned], &cancelled),
        Err(ReferralError::NotAllowed { .. })
    ));
}
