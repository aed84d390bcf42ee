//! The emergency sheet fixtures, shared by the tests and the bench: a home
//! care patient with a heart failure, as the app will fill the sheet from
//! the records.
#![allow(dead_code, reason = "each binary uses its own share")]

use chrono::NaiveDate;
use tsunagu_domain::Sex;
use tsunagu_domain::acp::{Surrogate, Treatment, Wish};
use tsunagu_letters::{EmergencySheet, SheetClinic, SheetPatient, SheetStation, SheetWishes};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

pub fn wishes() -> SheetWishes {
    SheetWishes {
        held_on: date(2026, 11, 20),
        treatments: vec![
            (Treatment::Cpr, Wish::Declines),
            (Treatment::Ventilation, Wish::Declines),
            (Treatment::TubeFeeding, Wish::Declines),
            (Treatment::Transfusion, Wish::Wants),
            (Treatment::Drip, Wish::Wants),
            (Treatment::Admission, Wish::Undecided),
        ],
        treatments_note: "苦痛を和らげるための点滴や酸素は希望する。".into(),
        place_of_care: "自宅（訪問診療と訪問看護を受けながら）".into(),
        place_of_death: "自宅".into(),
        values: "妻と猫と一緒に自宅で過ごすこと。痛みや息苦しさをできるだけ少なくしてほしい。"
            .into(),
    }
}

/// A full, realistic sheet.
pub fn sheet() -> EmergencySheet {
    EmergencySheet {
        made_on: date(2026, 12, 1),
        made_by: "医師　佐藤　一郎".into(),
        patient: SheetPatient {
            name: "山田　太郎".into(),
            kana: "やまだ　たろう".into(),
            birth_date: date(1950, 4, 1),
            sex: Sex::Male,
            address: "東京都豊島区南大塚3-4-5 南大塚ハイツ101".into(),
            phone: "03-3333-4444".into(),
        },
        clinic: SheetClinic {
            name: "つなぐ内科クリニック".into(),
            doctor: "佐藤　一郎".into(),
            phone: "03-1234-5678".into(),
            after_hours_phone: "090-1234-5678".into(),
        },
        nursing_station: Some(SheetStation {
            name: "みどり訪問看護ステーション".into(),
            phone: "03-5555-6666".into(),
            after_hours_phone: "080-5555-6666".into(),
        }),
        problems: vec![
            "慢性心不全（NYHA Ⅲ度）".into(),
            "2型糖尿病".into(),
            "慢性腎臓病（G3b）".into(),
            "仙骨部褥瘡".into(),
            "心房細動".into(),
        ],
        medications: vec![
            "フロセミド錠20mg 1錠 朝食後".into(),
            "ビソプロロール錠2.5mg 1錠 朝食後".into(),
            "アピキサバン錠2.5mg 1錠 朝夕食後".into(),
            "メトホルミン錠250mg 2錠 朝夕食後".into(),
            "スピロノラクトン錠25mg 1錠 朝食後".into(),
            "酸化マグネシウム錠330mg 1錠 毎食後".into(),
            "ランソプラゾールOD錠15mg 1錠 朝食後".into(),
        ],
        allergies: "ペニシリン系抗菌薬（発疹）。造影剤（じんましん）。".into(),
        devices: vec![
            "在宅酸素療法（安静時1L/分、労作時2L/分）".into(),
            "尿道カテーテル（16Fr、月1回交換）".into(),
            "褥瘡処置（仙骨部）".into(),
        ],
        wishes: Some(wishes()),
        surrogate: Some(Surrogate {
            name: "山田　花子".into(),
            relation: "妻".into(),
            phone: "090-8765-4321".into(),
        }),
    }
}

/// Every list and text at the most its box holds, or beyond it.
pub fn crowded(items: usize) -> EmergencySheet {
    let mut sheet = sheet();
    sheet.problems = (1..=items).map(|i| format!("傷病名その{i}")).collect();
    sheet.medications = (1..=items)
        .map(|i| format!("薬剤{i:02}錠10mg 1錠 朝食後"))
        .collect();
    sheet.devices = (1..=items).map(|i| format!("医療機器{i}")).collect();
    sheet.allergies = "ペニシリン系抗菌薬で発疹。".repeat(20);
    sheet.patient.name = "山田　太郎左衛門".repeat(4);
    sheet.patient.address = "東京都豊島区南大塚三丁目四番五号".repeat(6);
    sheet.clinic.name = "医療法人社団つなぐ会　つなぐ内科クリニック".repeat(3);
    sheet.patient.kana = "やまだ　たろうざえもん".repeat(6);
    let phone = "03-1234-5678（代表、受付は平日9時から18時まで、それ以外は留守番電話）";
    sheet.patient.phone = phone.into();
    sheet.clinic.phone = phone.into();
    sheet.clinic.after_hours_phone = phone.into();
    sheet.clinic.doctor = "佐藤　一郎".repeat(8);
    if let Some(station) = &mut sheet.nursing_station {
        station.name = "みどり訪問看護ステーション".repeat(5);
        station.phone = phone.into();
        station.after_hours_phone = phone.into();
    }
    if let Some(surrogate) = &mut sheet.surrogate {
        surrogate.name = "山田　花子".repeat(8);
        surrogate.relation = "妻（同居、日中は仕事で不在）".into();
        surrogate.phone = phone.into();
    }
    if let Some(wishes) = &mut sheet.wishes {
        wishes.treatments_note = "苦痛を和らげる処置は希望する。".repeat(20);
        wishes.place_of_care = format!("自宅（{}）", "訪問診療を受けながら".repeat(10));
        wishes.place_of_death = format!("自宅（{}）", "家族に囲まれて".repeat(10));
        wishes.values = "家族と過ごす時間を大切にしたい。".repeat(120);
    }
    sheet
}
