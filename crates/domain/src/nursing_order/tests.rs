use super::*;
use crate::attention::PatientLife;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn regular() -> NursingOrderDraft {
    NursingOrderDraft {
        kind: "regular".into(),
        patient_id: "0193a2b4-patient".into(),
        station: "みどり訪問看護ステーション".into(),
        issued_on: "2026-12-01".into(),
        starts_on: "2026-12-01".into(),
        ends_on: "2027-05-31".into(),
        diagnoses: vec![
            DiagnosisDraft {
                name: "慢性心不全".into(),
                code: "４２８９００２".into(),
            },
            DiagnosisDraft::default(),
            DiagnosisDraft {
                name: "2型糖尿病".into(),
                code: String::new(),
            },
        ],
        condition: "NYHA Ⅱ度。利尿薬で体重は安定。".into(),
        medication: "1. フロセミド20mg 1錠 朝\n2. ビソプロロール2.5mg 1錠 朝".into(),
        bedridden_level: "a2".into(),
        dementia_level: "2a".into(),
        care_level: "care_2".into(),
        devices: vec!["other".into(), "oxygen".into(), "oxygen".into()],
        device_other: "パルスオキシメーター".into(),
        device_details: "酸素 1L/min（安静時）".into(),
        care_notes: "体重が2日で2kg以上増えたら連絡。".into(),
        rehab_minutes_per_day: "４０".into(),
        rehab_times_per_week: "2".into(),
        emergency_contact: "つなぐ内科クリニック 03-1234-5678（24時間）".into(),
        when_absent: "豊島中央病院 循環器内科".into(),
        ..NursingOrderDraft::default()
    }
}

fn special() -> NursingOrderDraft {
    NursingOrderDraft {
        kind: "special".into(),
        starts_on: "2026-12-10".into(),
        ends_on: "2026-12-23".into(),
        issued_on: "2026-12-10".into(),
        condition: "心不全の急性増悪。".into(),
        frequent_visit_reason: "利尿薬の調整中で連日の観察が必要。".into(),
        ..regular()
    }
}

fn codes(draft: &NursingOrderDraft) -> Vec<(NursingOrderField, &'static str)> {
    match check_nursing_order(draft) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|(f, e)| (f, e.code())).collect(),
    }
}

#[test]
fn a_regular_order_keeps_what_the_form_prints() {
    let order = check_nursing_order(&regular()).unwrap();
    assert_eq!(order.kind(), OrderKind::Regular);
    assert_eq!(order.title_ja(), "訪問看護指示書");
    assert_eq!(
        order.term.period(),
        DateRange {
            start: ymd(2026, 12, 1),
            end: ymd(2027, 5, 31)
        }
    );
    assert_eq!(order.diagnoses.len(), 2);
    assert_eq!(order.diagnoses[0].code.as_deref(), Some("4289002"));
    assert_eq!(order.diagnoses[1].code, None);
    assert_eq!(order.bedridden_level, Some(BedriddenLevel::A2));
    assert_eq!(order.dementia_level, Some(DementiaLevel::IIa));
    assert_eq!(order.care_level, Some(CareLevel::Care2));
    assert_eq!(order.devices, [MedicalDevice::Oxygen, MedicalDevice::Other]);
    assert_eq!(
        order.rehabilitation,
        Some(Rehabilitation {
            minutes_per_day: 40,
            times_per_week: 2
        })
    );
}

#[test]
fn six_months_inclusive_is_the_longest_regular_order() {
    let with = |start: &str, end: &str| NursingOrderDraft {
        issued_on: start.into(),
        starts_on: start.into(),
        ends_on: end.into(),
        ..regular()
    };
    assert!(check_nursing_order(&with("2027-01-01", "2027-06-30")).is_ok());
    let errors = check_nursing_order(&with("2027-01-01", "2027-07-01")).unwrap_err();
    assert_eq!(
        errors,
        [(
            NursingOrderField::Period,
            NursingOrderError::PeriodTooLong {
                kind: OrderKind::Regular,
                latest_end: ymd(2027, 6, 30)
            }
        )]
    );
    assert_eq!(
        errors[0].1.message_ja(),
        "訪問看護指示期間は6か月以内です（この開始日なら令和9年6月30日まで）"
    );
    // A start on a day the sixth month lacks runs to that month's end.
    assert_eq!(
        latest_end(OrderKind::Regular, ymd(2026, 8, 31)),
        Some(ymd(2027, 2, 28))
    );
    assert_eq!(
        latest_end(OrderKind::Regular, ymd(2027, 8, 31)),
        Some(ymd(2028, 2, 29))
    );
    assert!(check_nursing_order(&with("2026-08-31", "2027-02-28")).is_ok());
    assert_eq!(
        codes(&with("2026-08-31", "2027-03-01")),
        [(NursingOrderField::Period, "period_too_long")]
    );
    assert_eq!(
        latest_end(OrderKind::Regular, ymd(2027, 1, 31)),
        Some(ymd(2027, 7, 30))
    );
}

#[test]
fn fourteen_days_inclusive_is_the_longest_special_order() {
    let order = check_nursing_order(&special()).unwrap();
    assert_eq!(order.term.period().days(), 14);
    assert_eq!(order.title_ja(), "特別訪問看護指示書");
    let fifteen = NursingOrderDraft {
        ends_on: "2026-12-24".into(),
        ..special()
    };
    let errors = check_nursing_order(&fifteen).unwrap_err();
    assert_eq!(errors[0].1.code(), "period_too_long");
    assert_eq!(
        errors[0].1.message_ja(),
        "特別看護指示期間は14日以内です（この開始日なら令和8年12月23日まで）"
    );
}

#[test]
fn a_period_cannot_end_before_it_starts() {
    for draft in [regular(), special()] {
        let backwards = NursingOrderDraft {
            ends_on: "2026-11-30".into(),
            issued_on: "2026-11-01".into(),
            ..draft
        };
        assert_eq!(
            codes(&backwards),
            [(NursingOrderField::Period, "end_before_start")]
        );
    }
}

#[test]
fn wareki_dates_are_read_as_elsewhere() {
    let draft = NursingOrderDraft {
        issued_on: "R8.12.1".into(),
        starts_on: "令和8年12月1日".into(),
        ends_on: "令和９年５月３１日".into(),
        ..regular()
    };
    let order = check_nursing_order(&draft).unwrap();
    assert_eq!(order.issued_on, ymd(2026, 12, 1));
    assert_eq!(order.term.period().end, ymd(2027, 5, 31));
    let bad = NursingOrderDraft {
        ends_on: "平成40年1月1日".into(),
        ..regular()
    };
    let errors = check_nursing_order(&bad).unwrap_err();
    assert_eq!(errors[0].0, NursingOrderField::Period);
    assert_eq!(errors[0].1.code(), "invalid_date");
    assert!(errors[0].1.message_ja().starts_with("訪問看護指示期間："));
}

#[test]
fn the_infusion_week_is_seven_days_inside_the_order() {
    let with = |start: &str, end: &str| NursingOrderDraft {
        infusion_starts_on: start.into(),
        infusion_ends_on: end.into(),
        infusion_instructions: "生理食塩水500mL 1日1回 点滴静注".into(),
        ..special()
    };
    let order = check_nursing_order(&with("2026-12-10", "2026-12-16")).unwrap();
    assert_eq!(order.term.infusion().map(|r| r.days()), Some(7));
    assert_eq!(
        order.title_ja(),
        "特別訪問看護指示書・在宅患者訪問点滴注射指示書"
    );
    assert_eq!(
        codes(&with("2026-12-10", "2026-12-17")),
        [(NursingOrderField::InfusionPeriod, "infusion_too_long")]
    );
    assert_eq!(
        codes(&with("2026-12-09", "2026-12-12")),
        [(NursingOrderField::InfusionPeriod, "infusion_outside_order")]
    );
    assert_eq!(
        codes(&with("2026-12-20", "2026-12-24")),
        [(NursingOrderField::InfusionPeriod, "infusion_outside_order")]
    );
    assert_eq!(
        codes(&with("2026-12-12", "2026-12-11")),
        [(NursingOrderField::InfusionPeriod, "end_before_start")]
    );
    assert_eq!(
        codes(&with("2026-12-12", "")),
        [(NursingOrderField::InfusionPeriod, "half_period")]
    );
    assert_eq!(
        codes(&with("", "")),
        [(NursingOrderField::InfusionPeriod, "infusion_without_period")]
    );
}

#[test]
fn the_order_is_dated_on_or_before_its_first_day() {
    let late = NursingOrderDraft {
        issued_on: "2026-12-02".into(),
        ..regular()
    };
    assert_eq!(
        codes(&late),
        [(NursingOrderField::IssuedOn, "issued_after_start")]
    );
    let early = NursingOrderDraft {
        issued_on: "2026-11-28".into(),
        ..regular()
    };
    assert!(check_nursing_order(&early).is_ok());
}

#[test]
fn the_required_fields_are_named_each() {
    let empty = NursingOrderDraft {
        kind: "regular".into(),
        ..NursingOrderDraft::default()
    };
    let found = codes(&empty);
    assert_eq!(found[0], (NursingOrderField::PatientId, "no_patient"));
    let fields: Vec<_> = found.into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        fields,
        [
            NursingOrderField::PatientId,
            NursingOrderField::Station,
            NursingOrderField::EmergencyContact,
            NursingOrderField::IssuedOn,
            NursingOrderField::Period,
            NursingOrderField::Diagnoses,
        ]
    );
    let special_without_reason = NursingOrderDraft {
        frequent_visit_reason: " ".into(),
        ..special()
    };
    assert_eq!(
        codes(&special_without_reason),
        [(NursingOrderField::FrequentVisitReason, "invalid_text")]
    );
    let no_kind = NursingOrderDraft {
        kind: "psychiatric".into(),
        ..regular()
    };
    assert_eq!(
        codes(&no_kind),
        [(NursingOrderField::Kind, "unknown_choice")]
    );
}

#[test]
fn a_special_order_keeps_only_its_forms_fields() {
    let draft = NursingOrderDraft {
        diagnoses: Vec::new(),
        ..special()
    };
    let order = check_nursing_order(&draft).unwrap();
    assert!(order.diagnoses.is_empty());
    assert!(order.devices.is_empty());
    assert_eq!(order.bedridden_level, None);
    assert_eq!(order.rehabilitation, None);
    assert_eq!(order.condition, "心不全の急性増悪。");
    assert!(!order.emergency_contact.is_empty());
    let regular_with_reason = check_nursing_order(&NursingOrderDraft {
        frequent_visit_reason: "急性増悪".into(),
        ..regular()
    })
    .unwrap();
    assert!(regular_with_reason.frequent_visit_reason.is_empty());
}

#[test]
fn diagnoses_are_one_to_three_with_seven_digit_codes() {
    let row = |name: &str, code: &str| DiagnosisDraft {
        name: name.into(),
        code: code.into(),
    };
    let with = |rows: Vec<DiagnosisDraft>| NursingOrderDraft {
        diagnoses: rows,
        ..regular()
    };
    let four = vec![row("a", ""), row("b", ""), row("c", ""), row("d", "")];
    assert_eq!(
        codes(&with(four)),
        [(NursingOrderField::Diagnoses, "too_many_diagnoses")]
    );
    assert_eq!(
        codes(&with(vec![row("高血圧症", "123456")])),
        [(NursingOrderField::Diagnoses, "bad_diagnosis_code")]
    );
    assert_eq!(
        codes(&with(vec![row("", "8830052")])),
        [(NursingOrderField::Diagnoses, "code_without_name")]
    );
    assert_eq!(
        codes(&with(vec![row("", ""), row(" ", "")])),
        [(NursingOrderField::Diagnoses, "no_diagnosis")]
    );
    assert_eq!(
        codes(&with(vec![row(&"病".repeat(101), "")])),
        [(NursingOrderField::Diagnoses, "invalid_text")]
    );
}

#[test]
fn closed_sets_refuse_unknown_codes() {
    let bad = NursingOrderDraft {
        bedridden_level: "z9".into(),
        dementia_level: "Ⅱa".into(),
        care_level: "care_6".into(),
        ulcer_depth: "d9".into(),
        devices: vec!["jetpack".into()],
        device_other: String::new(),
        ..regular()
    };
    let fields: Vec<_> = codes(&bad).into_iter().collect();
    assert_eq!(
        fields,
        [
            (NursingOrderField::BedriddenLevel, "unknown_choice"),
            (NursingOrderField::DementiaLevel, "unknown_choice"),
            (NursingOrderField::CareLevel, "unknown_choice"),
            (NursingOrderField::UlcerDepth, "unknown_choice"),
            (NursingOrderField::Devices, "unknown_choice"),
        ]
    );
}

#[test]
fn other_devices_are_named_and_named_ones_are_chosen() {
    let unnamed = NursingOrderDraft {
        device_other: String::new(),
        ..regular()
    };
    assert_eq!(
        codes(&unnamed),
        [(NursingOrderField::Devices, "other_device_unnamed")]
    );
    let not_chosen = NursingOrderDraft {
        devices: vec!["oxygen".into()],
        ..regular()
    };
    assert_eq!(
        codes(&not_chosen),
        [(NursingOrderField::Devices, "other_device_not_chosen")]
    );
}

#[test]
fn therapy_visits_need_both_numbers_in_range() {
    for (minutes, times) in [
        ("40", ""),
        ("0", "2"),
        ("40", "22"),
        ("四十", "2"),
        ("1441", "1"),
    ] {
        let draft = NursingOrderDraft {
            rehab_minutes_per_day: minutes.into(),
            rehab_times_per_week: times.into(),
            ..regular()
        };
        assert_eq!(
            codes(&draft),
            [(NursingOrderField::Rehabilitation, "bad_rehabilitation")],
            "{minutes} {times}"
        );
    }
}

#[test]
fn long_text_is_bounded_in_characters() {
    let at_limit = NursingOrderDraft {
        care_notes: "留".repeat(LONG_TEXT_MAX_CHARS),
        ..regular()
    };
    assert!(check_nursing_order(&at_limit).is_ok());
    let over = NursingOrderDraft {
        care_notes: "留".repeat(LONG_TEXT_MAX_CHARS + 1),
        ..regular()
    };
    let errors = check_nursing_order(&over).unwrap_err();
    assert_eq!(errors[0].0, NursingOrderField::CareNotes);
    assert_eq!(
        errors[0].1.message_ja(),
        "療養生活指導上の留意事項は2,000文字以内で入力してください（現在2,001文字）"
    );
    let two_lines = NursingOrderDraft {
        station: "みどり\n訪問看護".into(),
        ..regular()
    };
    assert_eq!(
        codes(&two_lines),
        [(NursingOrderField::Station, "invalid_text")]
    );
}

#[test]
fn renewal_is_due_in_the_last_fourteen_days_then_expired() {
    let end = ymd(2027, 5, 31);
    assert!(!renewal_due(end, ymd(2027, 5, 16)));
    assert_eq!(renewal_state(end, ymd(2027, 5, 16)), RenewalState::Current);
    assert!(renewal_due(end, ymd(2027, 5, 17)));
    assert!(renewal_due(end, end));
    assert!(!renewal_due(end, ymd(2027, 6, 1)));
    assert_eq!(renewal_state(end, ymd(2027, 6, 1)), RenewalState::Expired);
    assert_eq!(RenewalState::Due.label_ja(), "更新時期");
}

#[test]
fn the_reminder_says_due_or_expired_and_nothing_once_the_patient_has_died() {
    let end = ymd(2027, 5, 31);
    let living = |today| renewal_reminder(end, PatientLife::Living, today);
    assert_eq!(living(ymd(2027, 5, 16)), None);
    assert_eq!(living(ymd(2027, 5, 17)), Some(RenewalState::Due));
    assert_eq!(living(ymd(2027, 6, 1)), Some(RenewalState::Expired));
    for today in [ymd(2027, 5, 17), ymd(2027, 6, 1)] {
        assert_eq!(renewal_reminder(end, PatientLife::Died, today), None);
    }
}

#[test]
fn a_renewal_follows_on_for_as_long() {
    let range = |a: NaiveDate, b: NaiveDate| DateRange { start: a, end: b };
    // Whole months stay whole months.
    assert_eq!(
        renewal_period(OrderKind::Regular, range(ymd(2027, 1, 1), ymd(2027, 6, 30))),
        Some(range(ymd(2027, 7, 1), ymd(2027, 12, 31)))
    );
    assert_eq!(
        renewal_period(
            OrderKind::Regular,
            range(ymd(2026, 12, 15), ymd(2027, 1, 14))
        ),
        Some(range(ymd(2027, 1, 15), ymd(2027, 2, 14)))
    );
    // Otherwise days, capped by the six months.
    assert_eq!(
        renewal_period(
            OrderKind::Regular,
            range(ymd(2027, 1, 10), ymd(2027, 2, 20))
        ),
        Some(range(ymd(2027, 2, 21), ymd(2027, 4, 3)))
    );
    assert_eq!(
        renewal_period(OrderKind::Regular, range(ymd(2027, 8, 1), ymd(2028, 1, 30))),
        Some(range(ymd(2028, 1, 31), ymd(2028, 7, 30)))
    );
    assert_eq!(
        renewal_period(
            OrderKind::Special,
            range(ymd(2026, 12, 10), ymd(2026, 12, 23))
        ),
        Some(range(ymd(2026, 12, 24), ymd(2027, 1, 6)))
    );
}

#[test]
fn a_renewal_draft_keeps_the_instructions_and_moves_the_period() {
    let order = check_nursing_order(&regular()).unwrap();
    let draft = renewal_draft(&order).unwrap();
    assert_eq!(draft.starts_on, "2027-06-01");
    assert_eq!(draft.ends_on, "2027-11-30");
    assert_eq!(draft.issued_on, "");
    assert_eq!(draft.care_notes, order.care_notes);
    assert_eq!(draft.devices, ["oxygen", "other"]);
    let signed = NursingOrderDraft {
        issued_on: "2027-05-20".into(),
        ..draft
    };
    let next = check_nursing_order(&signed).unwrap();
    assert_eq!(next.diagnoses, order.diagnoses);
    assert_eq!(next.term.period().start, ymd(2027, 6, 1));
    // The round trip through the draft loses nothing.
    assert_eq!(check_nursing_order(&to_draft(&order)).unwrap(), order);

    // A week of 点滴注射 is not carried on; its instructions are, and the
    // check asks about them.
    let with_infusion = check_nursing_order(&NursingOrderDraft {
        infusion_starts_on: "2026-12-10".into(),
        infusion_ends_on: "2026-12-16".into(),
        infusion_instructions: "生理食塩水500mL".into(),
        ..special()
    })
    .unwrap();
    let draft = renewal_draft(&with_infusion).unwrap();
    assert_eq!(
        (draft.infusion_starts_on.as_str(), draft.ends_on.as_str()),
        ("", "2027-01-06")
    );
    let asked = codes(&NursingOrderDraft {
        issued_on: "2026-12-23".into(),
        ..draft
    });
    assert_eq!(
        asked,
        [(NursingOrderField::InfusionPeriod, "infusion_without_period")]
    );
}

#[test]
fn every_error_has_a_code_and_a_japanese_message() {
    let errors = [
        NursingOrderError::Required("指示日"),
        NursingOrderError::HalfPeriod {
            label: "点滴注射指示期間",
        },
        NursingOrderError::InfusionOutsideOrder {
            kind: OrderKind::Regular,
        },
        NursingOrderError::IssuedAfterStart {
            kind: OrderKind::Special,
        },
        NursingOrderError::NoDiagnosis,
        NursingOrderError::BadRehabilitation {
            max_minutes: REHAB_MAX_MINUTES,
            max_times: REHAB_MAX_TIMES,
        },
    ];
    for error in errors {
        assert!(!error.code().is_empty());
        assert!(
            error.message_ja().chars().any(|c| c > '\u{3000}'),
            "{}",
            error.message_ja()
        );
    }
}
