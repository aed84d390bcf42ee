use super::*;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn draft(expected: &str, reply_by: &str) -> RequestDraft {
    RequestDraft {
        expected_date: expected.into(),
        reply_by: reply_by.into(),
        needs: vec![
            "home_oxygen".into(),
            "end_of_life".into(),
            "home_oxygen".into(),
        ],
        note: " 奥様と二人暮らし ".into(),
    }
}

#[test]
fn a_request_names_the_date_the_needs_and_the_reply_by_day() {
    let checked = check_request(&draft("2026-12-20", "2026-12-10"), d(12, 7)).unwrap();
    assert_eq!(checked.expected_date, d(12, 20));
    assert_eq!(checked.reply_by, d(12, 10));
    assert_eq!(checked.needs, [CareNeed::HomeOxygen, CareNeed::EndOfLife]);
    assert_eq!(checked.note, "奥様と二人暮らし");
    // Japanese era dates are read too.
    assert!(check_request(&draft("R8.12.20", "R8.12.7"), d(12, 7)).is_ok());
}

#[test]
fn bad_requests_are_refused_with_what_to_fix() {
    let today = d(12, 7);
    let refused = |draft: RequestDraft| check_request(&draft, today).unwrap_err().0;
    assert!(refused(draft("", "2026-12-10")).contains("退院予定日を入力"));
    assert!(refused(draft("2026-02-30", "2026-12-10")).contains("退院予定日が正しく"));
    assert!(refused(draft("2026-12-06", "2026-12-06")).contains("過ぎています"));
    assert!(refused(draft("2027-07-01", "2026-12-10")).contains("180日以内"));
    assert!(refused(draft("2026-12-20", "2026-12-06")).contains("回答期限が過ぎて"));
    assert!(refused(draft("2026-12-20", "2026-12-21")).contains("退院予定日までに"));
    let mut unknown = draft("2026-12-20", "2026-12-10");
    unknown.needs = vec!["teleport".into()];
    assert!(refused(unknown).contains("必要な医療"));
    let mut long = draft("2026-12-20", "2026-12-10");
    long.note = "あ".repeat(1001);
    assert!(refused(long).contains("1000文字"));
}

#[test]
fn the_reply_by_day_offered_is_two_days_on_but_not_after_the_discharge() {
    assert_eq!(default_reply_by(d(12, 7), None), d(12, 9));
    assert_eq!(default_reply_by(d(12, 7), Some(d(12, 20))), d(12, 9));
    assert_eq!(default_reply_by(d(12, 7), Some(d(12, 8))), d(12, 8));
    assert_eq!(default_reply_by(d(12, 7), Some(d(12, 1))), d(12, 7));
}

#[test]
fn the_doctor_answers_once_before_the_end_of_the_reply_by_day() {
    let open = RequestState::Open;
    assert_eq!(
        check_answer(open, d(12, 10), &Answer::Accept, d(12, 10)),
        Ok(RequestState::Accepted)
    );
    assert_eq!(
        check_answer(open, d(12, 10), &Answer::Accept, d(12, 11)),
        Err(RequestError::Expired)
    );
    assert_eq!(
        check_answer(RequestState::Accepted, d(12, 10), &Answer::Accept, d(12, 8)),
        Err(RequestError::AlreadyAnswered(RequestState::Accepted))
    );
    assert_eq!(
        check_answer(
            RequestState::Cancelled,
            d(12, 10),
            &Answer::Accept,
            d(12, 8)
        ),
        Err(RequestError::Cancelled)
    );
    // An answer already given stays what it was after the day passes.
    assert_eq!(
        state_on(RequestState::Declined, d(12, 10), d(12, 30)),
        RequestState::Declined
    );
}

#[test]
fn a_decline_gives_its_reason_and_a_consult_may_say_what_about() {
    let open = RequestState::Open;
    assert_eq!(
        check_answer(open, d(12, 10), &Answer::Decline("  ".into()), d(12, 8)),
        Err(RequestError::ReasonRequired)
    );
    assert_eq!(
        check_answer(
            open,
            d(12, 10),
            &Answer::Decline("訪問診療の枠がありません".into()),
            d(12, 8)
        ),
        Ok(RequestState::Declined)
    );
    assert_eq!(
        check_answer(open, d(12, 10), &Answer::Consult(String::new()), d(12, 8)),
        Ok(RequestState::Consult)
    );
    assert_eq!(
        check_answer(
            open,
            d(12, 10),
            &Answer::Consult("あ".repeat(1001)),
            d(12, 8)
        ),
        Err(RequestError::TextTooLong)
    );
    assert_eq!(
        Answer::from_code("decline", " 理由 "),
        Some(Answer::Decline("理由".into()))
    );
    assert_eq!(Answer::from_code("maybe", ""), None);
}

#[test]
fn only_an_open_request_is_cancelled() {
    assert_eq!(
        check_cancel(RequestState::Open, d(12, 10), d(12, 8)),
        Ok(())
    );
    assert_eq!(
        check_cancel(RequestState::Open, d(12, 10), d(12, 11)),
        Err(RequestError::Expired)
    );
    assert_eq!(
        check_cancel(RequestState::Consult, d(12, 10), d(12, 8)),
        Err(RequestError::AlreadyAnswered(RequestState::Consult))
    );
}

#[test]
fn codes_round_trip() {
    for s in RequestState::ALL {
        assert_eq!(RequestState::from_code(s.code()), Some(s));
    }
    for n in CareNeed::ALL {
        assert_eq!(CareNeed::from_code(n.code()), Some(n));
    }
    assert!(RequestState::Consult.is_answer());
    assert!(!RequestState::Expired.is_answer());
}

#[test]
fn a_consult_puts_a_line_on_the_timeline() {
    let line = consult_entry_ja("北病院", d(12, 20), "酸素の業者を確認したい");
    assert!(line.starts_with("【退院後の在宅医療の相談】北病院から12月20日退院予定"));
    assert!(line.ends_with("\n酸素の業者を確認したい"));
    assert!(!consult_entry_ja("北病院", d(12, 20), "").contains('\n'));
}

#[test]
fn only_a_patient_in_hospital_is_asked_about() {
    use crate::referral::ReferralStatus as S;
    assert!(may_be_asked(S::Admitted));
    assert!(may_be_asked(S::DischargePlanned));
    assert!(may_be_asked(S::Transferred));
    for s in [
        S::Sent,
        S::Received,
        S::Visited,
        S::Discharged,
        S::Deceased,
        S::Cancelled,
    ] {
        assert!(!may_be_asked(s), "{s:?}");
    }
}
