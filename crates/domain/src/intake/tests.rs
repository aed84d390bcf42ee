use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
}

fn draft() -> IntakeDraft {
    IntakeDraft {
        age: "８２".into(),
        sex: "female".into(),
        municipality: "豊島区".into(),
        needs: vec![
            "end_of_life".into(),
            "around_24h".into(),
            "end_of_life".into(),
        ],
        start_on: "2026-12-20".into(),
        summary: "膵臓がん末期。自宅での看取りを希望。".into(),
    }
}

#[test]
fn a_request_keeps_what_the_provider_needs_to_answer() {
    let checked = check_intake(&draft(), today()).unwrap();
    assert_eq!(checked.age, Some(82));
    assert_eq!(checked.sex, Some(Sex::Female));
    assert_eq!(checked.needs, [Offer::EndOfLife, Offer::Around24h]);
    assert_eq!(checked.start_on, NaiveDate::from_ymd_opt(2026, 12, 20));
}

#[test]
fn a_bad_request_is_refused_on_each_field() {
    let bad = IntakeDraft {
        age: "130".into(),
        sex: "x".into(),
        municipality: "あ".repeat(21),
        needs: vec!["flying".into()],
        start_on: "2026-12-01".into(),
        summary: "  ".into(),
    };
    let fields: Vec<_> = check_intake(&bad, today())
        .unwrap_err()
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(
        fields,
        [
            IntakeField::Age,
            IntakeField::Sex,
            IntakeField::Municipality,
            IntakeField::Needs,
            IntakeField::StartOn,
            IntakeField::Summary
        ]
    );
    for start_on in ["2027-07-01", "12月32日"] {
        let far = IntakeDraft {
            start_on: start_on.into(),
            ..draft()
        };
        assert!(check_intake(&far, today()).is_err(), "{start_on}");
    }
    let long = IntakeDraft {
        summary: "あ".repeat(SUMMARY_MAX_CHARS + 1),
        ..draft()
    };
    assert!(check_intake(&long, today()).is_err());
}

#[test]
fn a_request_is_answered_once_and_a_refusal_gives_its_reason() {
    assert_eq!(
        check_answer(IntakeState::Open, IntakeAnswer::Accept, " "),
        Ok(String::new())
    );
    assert!(check_answer(IntakeState::Open, IntakeAnswer::Decline, " ").is_err());
    assert_eq!(
        check_answer(IntakeState::Open, IntakeAnswer::Decline, " 満床のため "),
        Ok("満床のため".into())
    );
    assert!(check_answer(IntakeState::Open, IntakeAnswer::Consult, &"あ".repeat(501)).is_err());
    for done in [
        IntakeState::Accepted,
        IntakeState::Declined,
        IntakeState::Consult,
        IntakeState::Withdrawn,
    ] {
        assert!(check_answer(done, IntakeAnswer::Accept, "").is_err());
        assert!(check_withdraw(done).is_err());
    }
    assert!(check_withdraw(IntakeState::Open).is_ok());
    assert_eq!(IntakeAnswer::Consult.state(), IntakeState::Consult);
}

#[test]
fn anyone_but_the_desk_can_be_asked() {
    for kind in OrganisationKind::ALL {
        assert_eq!(may_be_asked(kind), kind != OrganisationKind::Desk);
    }
}
