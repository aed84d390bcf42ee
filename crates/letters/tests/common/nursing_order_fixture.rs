//! The 訪問看護指示書 fixtures, shared by the tests and the bench: made as
//! the app will make them, from a typed draft checked by the domain.
#![allow(dead_code, reason = "each binary uses its own share")]

use chrono::NaiveDate;
use tsunagu_domain::nursing_order::{DiagnosisDraft, NursingOrderDraft, check_nursing_order};
use tsunagu_letters::{NursingOrderForm, OrderPatient, Sender};

pub fn regular_draft() -> NursingOrderDraft {
    NursingOrderDraft {
        kind: "regular".into(),
        patient_id: "0193a2b4-7c1e-7000-8000-000000000001".into(),
        station: "みどり訪問看護ステーション".into(),
        issued_on: "令和8年12月1日".into(),
        starts_on: "2026-12-01".into(),
        ends_on: "2027-05-31".into(),
        infusion_starts_on: "2026-12-03".into(),
        infusion_ends_on: "2026-12-09".into(),
        diagnoses: vec![
            DiagnosisDraft {
                name: "慢性心不全".into(),
                code: "4289002".into(),
            },
            DiagnosisDraft {
                name: "2型糖尿病".into(),
                code: String::new(),
            },
            DiagnosisDraft {
                name: "仙骨部褥瘡".into(),
                code: "7070001".into(),
            },
        ],
        condition: "NYHA Ⅱ度。利尿薬の調整で体重は60kg前後に安定している。食事摂取は7割程度。".into(),
        medication: "1. フロセミド錠20mg 1錠 朝食後\n2. ビソプロロールフマル酸塩錠2.5mg 1錠 朝食後\n3. メトホルミン塩酸塩錠250mg 2錠 朝夕食後".into(),
        bedridden_level: "b1".into(),
        dementia_level: "2a".into(),
        care_level: "care_3".into(),
        ulcer_depth: "design_d3".into(),
        devices: vec!["oxygen".into(), "suction".into(), "other".into()],
        device_other: "パルスオキシメーター".into(),
        device_details: "酸素 1L/min（安静時）、労作時 2L/min".into(),
        care_notes: "体重が2日で2kg以上増えたとき、SpO2が90%を下回るときは連絡してください。塩分は1日6gまで。".into(),
        rehab_minutes_per_day: "40".into(),
        rehab_times_per_week: "2".into(),
        wound_care: "仙骨部：洗浄後、白色ワセリンを塗布しフィルムで保護。".into(),
        device_care: "在宅酸素の流量確認と、吸引器の手入れの指導。".into(),
        other_instructions: "服薬カレンダーで残薬を確認。".into(),
        infusion_instructions: "生理食塩水500mL 1日1回 点滴静注（2時間かけて）".into(),
        emergency_contact: "つなぐ内科クリニック 03-1234-5678（夜間・休日は携帯 090-1234-5678）".into(),
        when_absent: "豊島中央病院 循環器内科 03-9876-5432".into(),
        special_notes: "ペニシリン系抗菌薬で発疹の既往あり。".into(),
        other_station: "".into(),
        suction_provider: "ひだまり訪問介護".into(),
        frequent_visit_reason: String::new(),
    }
}

pub fn special_draft() -> NursingOrderDraft {
    NursingOrderDraft {
        kind: "special".into(),
        issued_on: "2026-12-10".into(),
        starts_on: "2026-12-10".into(),
        ends_on: "2026-12-23".into(),
        infusion_starts_on: String::new(),
        infusion_ends_on: String::new(),
        infusion_instructions: String::new(),
        condition: "心不全の急性増悪。下腿浮腫と労作時の息切れが増えている。".into(),
        frequent_visit_reason: "利尿薬を増量しており、連日の体重・血圧・尿量の観察が必要なため。"
            .into(),
        care_notes: "体重が前日より1kg以上増えたら当院に連絡。".into(),
        ..regular_draft()
    }
}

pub fn clinic() -> Sender {
    Sender {
        clinic: "つなぐ内科クリニック".into(),
        postal_code: "170-0013".into(),
        address: "東京都豊島区東池袋1-2-3 つなぐビル2階".into(),
        phone: "03-1234-5678".into(),
        fax: "03-1234-5679".into(),
        doctor: "佐藤　一郎".into(),
    }
}

pub fn patient() -> OrderPatient {
    OrderPatient {
        name: "山田　太郎".into(),
        birth_date: NaiveDate::from_ymd_opt(1950, 4, 1).expect("a date"),
        address: "東京都豊島区南大塚3-4-5".into(),
        phone: "03-3333-4444".into(),
    }
}

pub fn form(draft: &NursingOrderDraft) -> NursingOrderForm {
    NursingOrderForm {
        order: check_nursing_order(draft).expect("the fixture is a valid order"),
        patient: patient(),
        clinic: clinic(),
    }
}

/// The 様式16 fixture, with 点滴注射 ordered.
pub fn regular() -> NursingOrderForm {
    form(&regular_draft())
}

/// The 様式18 fixture.
pub fn special() -> NursingOrderForm {
    form(&special_draft())
}
