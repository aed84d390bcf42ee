use chrono::NaiveDate;

use super::*;
use crate::attention::PatientLife;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(2026, 12, 7)
}

fn person(role: &str, name: &str, relation: &str) -> ParticipantDraft {
    ParticipantDraft {
        role: role.into(),
        name: name.into(),
        relation: relation.into(),
    }
}

fn draft() -> AcpDraft {
    AcpDraft {
        held_on: "令和8年12月1日".into(),
        participants: vec![
            person("patient", "", ""),
            person("family", " 山田 花子 ", "長女"),
            person("doctor", "鈴木", ""),
        ],
        values: "孫の結婚式まで家で過ごしたい".into(),
        place_of_care: "home".into(),
        place_of_care_note: String::new(),
        place_of_death: "home".into(),
        place_of_death_note: "できれば最期まで".into(),
        wishes: Treatment::ALL
            .iter()
            .map(|t| {
                let wish = if *t == Treatment::Cpr {
                    "declines"
                } else {
                    "undecided"
                };
                (t.code().to_string(), wish.to_string())
            })
            .collect(),
        wishes_note: String::new(),
        surrogate_name: "山田 花子".into(),
        surrogate_relation: "長女".into(),
        surrogate_phone: "０９０ー１２３４ー５６７８".into(),
        notes: String::new(),
    }
}

fn fields(result: Result<AcpRecord, Vec<(AcpField, String)>>) -> Vec<String> {
    result
        .unwrap_err()
        .into_iter()
        .map(|(f, _)| f.key())
        .collect()
}

#[test]
fn a_complete_form_is_a_record_in_the_domains_order() {
    let record = check_acp(&draft(), today()).unwrap();
    assert_eq!(record.held_on, day(2026, 12, 1));
    assert_eq!(record.participants.len(), 3);
    assert_eq!(record.participants[1].label_ja(), "家族（長女 山田 花子）");
    assert_eq!(record.participants[2].label_ja(), "医師 鈴木");
    assert_eq!(record.wish(Treatment::Cpr), Wish::Declines);
    assert_eq!(Wish::Declines.cpr_label_ja(), "希望しない（DNAR）");
    assert_eq!(
        record.wishes.iter().map(|(t, _)| *t).collect::<Vec<_>>(),
        Treatment::ALL.to_vec()
    );
    let surrogate = record.surrogate.unwrap();
    assert_eq!(surrogate.phone, "090-1234-5678");
    assert_eq!(
        AcpRecord::place_label_ja(record.place_of_death, &record.place_of_death_note),
        "自宅（できれば最期まで）"
    );
}

#[test]
fn no_date_or_a_future_date_is_refused() {
    let mut d = draft();
    d.held_on = " ".into();
    assert_eq!(fields(check_acp(&d, today())), ["heldOn"]);
    d.held_on = "2026-12-08".into();
    let errors = check_acp(&d, today()).unwrap_err();
    assert!(errors[0].1.contains("先の日付"), "{errors:?}");
    d.held_on = "2026-02-30".into();
    assert_eq!(fields(check_acp(&d, today())), ["heldOn"]);
}

#[test]
fn someone_must_have_taken_part_and_blank_rows_are_ignored() {
    let mut d = draft();
    d.participants = vec![person("", "", ""), person(" ", "", "")];
    let errors = check_acp(&d, today()).unwrap_err();
    assert_eq!(errors[0].0.key(), "participants");
    assert!(errors[0].1.contains("1人以上"));

    d.participants = vec![person("", "", ""), person("nurse", "佐藤", "")];
    assert_eq!(check_acp(&d, today()).unwrap().participants.len(), 1);
}

#[test]
fn family_need_a_name_and_a_relation_and_the_patient_comes_once() {
    let mut d = draft();
    d.participants = vec![
        person("family", "山田 花子", ""),
        person("family", "", "長男"),
    ];
    assert_eq!(
        fields(check_acp(&d, today())),
        ["participants.0", "participants.1"]
    );
    d.participants = vec![person("patient", "", ""), person("patient", "", "")];
    assert_eq!(fields(check_acp(&d, today())), ["participants"]);
    d.participants = vec![person("astrologer", "x", "")];
    assert_eq!(fields(check_acp(&d, today())), ["participants.0"]);
    d.participants = (0..=MAX_PARTICIPANTS)
        .map(|_| person("nurse", "", ""))
        .collect();
    assert_eq!(fields(check_acp(&d, today())), ["participants"]);
}

#[test]
fn every_treatment_needs_an_answer_and_a_place_must_be_chosen() {
    let mut d = draft();
    d.wishes.retain(|(t, _)| t != "drip");
    d.wishes.push(("ventilation".into(), "maybe".into()));
    d.wishes
        .retain(|(t, w)| !(t == "ventilation" && w == "undecided"));
    d.place_of_death = String::new();
    assert_eq!(
        fields(check_acp(&d, today())),
        ["placeOfDeath", "wish.ventilation", "wish.drip"]
    );
}

#[test]
fn a_surrogate_once_named_needs_a_relation_and_a_valid_phone() {
    let mut d = draft();
    d.surrogate_name = String::new();
    d.surrogate_relation = String::new();
    d.surrogate_phone = String::new();
    assert_eq!(check_acp(&d, today()).unwrap().surrogate, None);
    d.surrogate_name = "山田 太郎".into();
    d.surrogate_phone = "でんわ".into();
    assert_eq!(
        fields(check_acp(&d, today())),
        ["surrogateRelation", "surrogatePhone"]
    );
}

#[test]
fn huge_text_is_refused_with_its_length() {
    let mut d = draft();
    d.notes = "あ".repeat(4001);
    let errors = check_acp(&d, today()).unwrap_err();
    assert_eq!(errors[0].0.key(), "notes");
    assert!(errors[0].1.contains("4,001"), "{errors:?}");
}

#[test]
fn codes_round_trip() {
    for role in ParticipantRole::ALL {
        assert_eq!(ParticipantRole::from_code(role.code()), Some(role));
    }
    for place in Place::ALL {
        assert_eq!(Place::from_code(place.code()), Some(place));
    }
    for t in Treatment::ALL {
        assert_eq!(Treatment::from_code(t.code()), Some(t));
    }
    for w in Wish::ALL {
        assert_eq!(Wish::from_code(w.code()), Some(w));
    }
}

#[test]
fn review_is_due_six_months_after_the_conversation() {
    let held = day(2026, 6, 7);
    assert_eq!(
        review_due(held, None, PatientLife::Living, day(2026, 12, 6)),
        None
    );
    assert_eq!(
        review_due(held, None, PatientLife::Living, day(2026, 12, 7)),
        Some(ReviewReason::Interval {
            held_on: held,
            due_on: day(2026, 12, 7)
        })
    );
    // The end of a short month: 31 August + 6 months is 28 February.
    assert_eq!(
        review_due(
            day(2026, 8, 31),
            None,
            PatientLife::Living,
            day(2027, 2, 28)
        )
        .map(ReviewReason::code),
        Some("interval")
    );
}

#[test]
fn a_discharge_after_the_conversation_makes_it_due_at_once() {
    let held = day(2026, 11, 1);
    assert_eq!(
        review_due(held, Some(day(2026, 10, 30)), PatientLife::Living, today()),
        None
    );
    let due = review_due(held, Some(day(2026, 12, 3)), PatientLife::Living, today()).unwrap();
    assert_eq!(due.code(), "after_discharge");
    assert!(
        due.label_ja().contains("令和8年12月3日"),
        "{}",
        due.label_ja()
    );
    // A discharge on the day of the conversation was talked over in it.
    assert_eq!(
        review_due(held, Some(held), PatientLife::Living, today()),
        None
    );
}

#[test]
fn no_review_is_asked_once_the_patient_has_died() {
    let held = day(2026, 1, 5);
    let long_after = day(2027, 1, 5);
    assert!(review_due(held, None, PatientLife::Living, long_after).is_some());
    assert_eq!(review_due(held, None, PatientLife::Died, long_after), None);
    assert_eq!(
        review_due(held, Some(day(2026, 12, 3)), PatientLife::Died, long_after),
        None
    );
}

#[test]
fn the_team_notice_says_the_wishes_at_a_glance_and_keeps_within_a_post() {
    let record = check_acp(&draft(), today()).unwrap();
    let notice = team_notice_ja(&record, "医師 鈴木");
    assert!(notice.starts_with("人生会議の記録を更新しました（令和8年12月1日の話し合い）。"));
    assert!(
        notice.contains("心肺蘇生（DNARの有無）：希望しない（DNAR）"),
        "{notice}"
    );
    assert!(notice.contains("代理意思決定者：山田 花子（長女） 090-1234-5678"));
    assert!(notice.ends_with("記録：医師 鈴木"));

    let mut long = draft();
    long.values = "あ".repeat(2000);
    long.wishes_note = "い".repeat(2000);
    long.place_of_care_note = "え".repeat(200);
    long.place_of_death_note = "お".repeat(200);
    long.participants = (0..MAX_PARTICIPANTS)
        .map(|i| person("nurse", &format!("看護師{i}{}", "う".repeat(40)), ""))
        .collect();
    let notice = team_notice_ja(&check_acp(&long, today()).unwrap(), "医師 鈴木");
    assert_eq!(notice.chars().count(), crate::team::BODY_MAX_CHARS);
    assert!(notice.ends_with('…'));
}
