//! Generated referral histories for the bench and the demo data: patients,
//! then referrals whose events walk the status machine (DESIGN.md §2) with
//! plausible dates, details and the odd correction.

use chrono::{Days, NaiveDate, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tsunagu_domain::{
    DischargeDestination, EventDetails, PatientDraft, ReferralStatus, Sex, TrackingCode,
    validate_patient,
};
use tsunagu_store::{EventSource, ImportedReferral, Store, StoredEvent};
use uuid::Uuid;

pub const HOSPITALS: &[&str] = &[
    "豊島中央病院",
    "目白リハビリテーション病院",
    "池袋総合医療センター",
    "大塚記念病院",
    "巣鴨がん研究センター",
    "東京北部循環器病院",
    "板橋中央総合病院",
    "雑司が谷整形外科病院",
];

const FAMILY: &[(&str, &str)] = &[
    ("佐藤", "さとう"),
    ("鈴木", "すずき"),
    ("高橋", "たかはし"),
    ("田中", "たなか"),
    ("伊藤", "いとう"),
    ("渡辺", "わたなべ"),
    ("山本", "やまもと"),
    ("中村", "なかむら"),
    ("小林", "こばやし"),
    ("加藤", "かとう"),
];

const GIVEN: &[(&str, &str)] = &[
    ("太郎", "たろう"),
    ("花子", "はなこ"),
    ("一郎", "いちろう"),
    ("和子", "かずこ"),
    ("清", "きよし"),
    ("幸子", "さちこ"),
    ("茂", "しげる"),
    ("節子", "せつこ"),
];

/// Creates `count` patients through the store, as the app would.
pub async fn patients(
    store: &Store,
    count: usize,
    rng: &mut StdRng,
    today: NaiveDate,
) -> Vec<Uuid> {
    let mut ids = Vec::with_capacity(count);
    for i in 0..count {
        let (family, family_kana) = FAMILY[rng.random_range(0..FAMILY.len())];
        let (given, given_kana) = GIVEN[rng.random_range(0..GIVEN.len())];
        let draft = PatientDraft {
            name: format!("{family}　{given}"),
            kana: format!("{family_kana}　{given_kana}"),
            birth_date: format!(
                "{}-{:02}-{:02}",
                rng.random_range(1925..1965),
                rng.random_range(1..13),
                rng.random_range(1..29)
            ),
            sex: Some(if i % 2 == 0 { Sex::Male } else { Sex::Female }),
            chart_number: format!("G-{i:06}"),
            ..PatientDraft::default()
        };
        let fields = validate_patient(&draft, today).expect("generated patients are valid");
        let id = Uuid::now_v7();
        store
            .insert_patient(id, &fields, "bench", Utc::now())
            .await
            .expect("insert patient");
        ids.push(id);
    }
    ids
}

/// One referral of `patient` sent on `sent`, with `target` events at most
/// (fewer when the story ends or reaches `today`).
pub fn referral(
    patient: Uuid,
    sent: NaiveDate,
    target: usize,
    today: NaiveDate,
    rng: &mut StdRng,
) -> ImportedReferral {
    let hospital = HOSPITALS[rng.random_range(0..HOSPITALS.len())].to_string();
    let mut events = vec![event(
        EventDetails::Sent {
            date: sent,
            hospital,
        },
        EventSource::Clinic,
    )];
    let mut status = ReferralStatus::Sent;
    let mut date = sent;
    while events.len() < target {
        let last_step = events.len() + 1 == target;
        let choices: Vec<ReferralStatus> = ReferralStatus::ALL
            .into_iter()
            .filter(|next| status.may_become(*next))
            .filter(|next| {
                last_step
                    || !matches!(
                        next,
                        ReferralStatus::Closed
                            | ReferralStatus::Cancelled
                            | ReferralStatus::Deceased
                    )
            })
            .collect();
        if choices.is_empty() {
            break;
        }
        let next = choices[rng.random_range(0..choices.len())];
        let Some(day) = date.checked_add_days(Days::new(rng.random_range(0..6))) else {
            break;
        };
        if day > today {
            break;
        }
        date = day;
        let source =
            [EventSource::Clinic, EventSource::Desk, EventSource::Liaison][rng.random_range(0..3)];
        events.push(event(details(next, date, rng), source));
        status = next;
        // Now and then a wrong entry, corrected (still counts as an event).
        if rng.random_ratio(1, 40) && events.len() + 2 <= target && events.len() > 2 {
            let wrong = events.len() - 1;
            let voided = events[wrong].id;
            events.push(StoredEvent {
                id: Uuid::now_v7(),
                details: None,
                voids: Some(voided),
                note: "入力誤り".into(),
                source: EventSource::Clinic,
                actor: "bench".into(),
                at: Utc::now(),
            });
            // The status is what it was before the voided entry.
            status = previous_status(&events);
        }
    }
    ImportedReferral {
        id: Uuid::now_v7(),
        patient_id: patient,
        tracking_code: TrackingCode::from_random_bits(rng.random()).to_string(),
        created_at: Utc.from_utc_datetime(&sent.and_hms_opt(9, 0, 0).expect("valid time")),
        events,
    }
}

fn previous_status(events: &[StoredEvent]) -> ReferralStatus {
    let voided: Vec<Uuid> = events.iter().filter_map(|e| e.voids).collect();
    events
        .iter()
        .rev()
        .filter(|e| !voided.contains(&e.id))
        .find_map(|e| e.details.as_ref().map(EventDetails::status))
        .unwrap_or(ReferralStatus::Sent)
}

fn event(details: EventDetails, source: EventSource) -> StoredEvent {
    StoredEvent {
        id: Uuid::now_v7(),
        details: Some(details),
        voids: None,
        note: String::new(),
        source,
        actor: "bench".into(),
        at: Utc::now(),
    }
}

fn details(status: ReferralStatus, date: NaiveDate, rng: &mut StdRng) -> EventDetails {
    use ReferralStatus as S;
    let destination = |rng: &mut StdRng| match rng.random_range(0..4) {
        0 => DischargeDestination::ThisClinic,
        1 => DischargeDestination::OtherHomeCareDoctor {
            doctor: "みなみ在宅クリニック".into(),
        },
        2 => DischargeDestination::Facility {
            name: "特別養護老人ホームさくら".into(),
        },
        _ => DischargeDestination::ThisClinic,
    };
    match status {
        S::Sent => unreachable!("only the first event"),
        S::Received => EventDetails::Received { date },
        S::Visited => EventDetails::Visited {
            date,
            department: "循環器内科".into(),
        },
        S::Admitted => EventDetails::Admitted {
            date,
            ward: "5階東病棟".into(),
            attending: "鈴木".into(),
        },
        S::DischargePlanned => EventDetails::DischargePlanned {
            date,
            expected_date: date + Days::new(rng.random_range(3..21)),
            planned_destination: None,
            team: String::new(),
        },
        S::Transferred => EventDetails::Transferred {
            date,
            hospital: HOSPITALS[1].into(),
        },
        S::Discharged => EventDetails::Discharged {
            date,
            destination: destination(rng),
        },
        S::Returned => EventDetails::Returned { date },
        S::Deceased => EventDetails::Deceased {
            date,
            place: "自宅".into(),
        },
        S::Closed => EventDetails::Closed {
            date,
            reason: "経過終了".into(),
        },
        S::Cancelled => EventDetails::Cancelled {
            date,
            reason: "受診せず".into(),
        },
    }
}

pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}
