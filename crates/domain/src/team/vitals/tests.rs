use super::*;

/// Picks one field of the form.
type FieldOf = fn(&mut VitalsDraft) -> &mut String;

fn fields(draft: &VitalsDraft) -> Vec<(VitalsField, String)> {
    check_vitals(draft).unwrap_err()
}

#[test]
fn nothing_typed_is_no_vitals() {
    assert_eq!(check_vitals(&VitalsDraft::default()), Ok(None));
}

#[test]
fn a_full_set_is_read_with_full_width_digits() {
    let draft = VitalsDraft {
        body_temperature: "３６．８".into(),
        systolic: "128".into(),
        diastolic: "76".into(),
        pulse: "72".into(),
        spo2: "97".into(),
        respiratory_rate: "16".into(),
        weight: "52.45".into(),
    };
    let v = check_vitals(&draft).unwrap().unwrap();
    assert_eq!(v.body_temperature, Some(36.8));
    assert_eq!(v.systolic, Some(128));
    assert_eq!(v.diastolic, Some(76));
    assert_eq!(v.spo2, Some(97));
    assert_eq!(v.weight, Some(52.5));
}

#[test]
fn temperatures_outside_34_to_42_are_refused() {
    for (typed, ok) in [
        ("34.0", true),
        ("42.0", true),
        ("33.9", false),
        ("42.1", false),
        ("369", false),
    ] {
        let draft = VitalsDraft {
            body_temperature: typed.into(),
            ..Default::default()
        };
        assert_eq!(check_vitals(&draft).is_ok(), ok, "{typed}");
    }
    let draft = VitalsDraft {
        body_temperature: "369".into(),
        ..Default::default()
    };
    assert_eq!(
        fields(&draft),
        vec![(
            VitalsField::BodyTemperature,
            "体温は34.0〜42.0℃の範囲で入力してください".to_string()
        )]
    );
    let draft = VitalsDraft {
        body_temperature: "36,8".into(),
        ..Default::default()
    };
    assert_eq!(
        fields(&draft)[0].1,
        "体温は数字で入力してください（例：36.8）"
    );
    let draft = VitalsDraft {
        body_temperature: "-36".into(),
        ..Default::default()
    };
    assert_eq!(fields(&draft)[0].0, VitalsField::BodyTemperature);
}

#[test]
fn every_other_field_has_its_range() {
    let cases: [(FieldOf, &str, &str, VitalsField); 5] = [
        (|d| &mut d.pulse, "251", "19", VitalsField::Pulse),
        (|d| &mut d.spo2, "101", "49", VitalsField::Spo2),
        (
            |d| &mut d.respiratory_rate,
            "61",
            "3",
            VitalsField::RespiratoryRate,
        ),
        (|d| &mut d.weight, "300.1", "0.9", VitalsField::Weight),
        (|d| &mut d.pulse, "七十", "72.5", VitalsField::Pulse),
    ];
    for (field, high, low, which) in cases {
        for typed in [high, low] {
            let mut draft = VitalsDraft::default();
            *field(&mut draft) = typed.into();
            assert_eq!(fields(&draft)[0].0, which, "{typed}");
        }
    }
    let draft = VitalsDraft {
        spo2: "101".into(),
        ..Default::default()
    };
    assert_eq!(
        fields(&draft)[0].1,
        "SpO2は50〜100%の範囲で入力してください"
    );
}

#[test]
fn blood_pressure_is_a_pair_upper_above_lower() {
    let draft = VitalsDraft {
        systolic: "120".into(),
        ..Default::default()
    };
    assert_eq!(
        fields(&draft),
        vec![(
            VitalsField::Diastolic,
            "血圧は上と下の両方を入力してください".to_string()
        )]
    );
    let draft = VitalsDraft {
        diastolic: "70".into(),
        ..Default::default()
    };
    assert_eq!(fields(&draft)[0].0, VitalsField::Systolic);
    let draft = VitalsDraft {
        systolic: "70".into(),
        diastolic: "120".into(),
        ..Default::default()
    };
    assert!(fields(&draft)[0].1.contains("大きい値"));
    let draft = VitalsDraft {
        systolic: "301".into(),
        diastolic: "80".into(),
        ..Default::default()
    };
    assert_eq!(
        fields(&draft),
        vec![(
            VitalsField::Systolic,
            "血圧（上）は40〜300mmHgの範囲で入力してください".to_string()
        )]
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let draft = VitalsDraft {
        body_temperature: "50".into(),
        pulse: "0".into(),
        weight: "abc".into(),
        ..Default::default()
    };
    let which: Vec<_> = fields(&draft).into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        which,
        vec![
            VitalsField::BodyTemperature,
            VitalsField::Pulse,
            VitalsField::Weight
        ]
    );
}
