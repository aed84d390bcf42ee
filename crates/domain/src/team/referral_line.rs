//! The line a referral's event puts on the patient's timeline, so the
//! team sees the admission the liaison recorded without asking. It names
//! places (hospital, ward, destination) but never the patient, and leaves
//! out free-text reasons, which may say anything.

use crate::referral::{DischargeDestination, EventDetails};

/// The timeline's line for `details`; `hospital` is the hospital of the
/// episode when it happened (`ReferralState::hospital` before the event).
/// Every event makes a line: the team follows the whole episode.
pub fn referral_line_ja(details: &EventDetails, hospital: &str) -> String {
    use EventDetails as E;
    let what = match details {
        E::Sent { hospital, .. } => format!("{hospital}へ紹介しました"),
        E::Received { .. } => format!("{hospital}が紹介を受け付けました"),
        E::Visited { department, .. } => {
            format!("{hospital}を受診しました{}", in_brackets(department))
        }
        E::Admitted { ward, .. } => format!("{hospital}に入院しました{}", in_brackets(ward)),
        E::AdmittedWithoutLetter {
            hospital: admitted_to,
            ward,
            ..
        } => format!(
            "{admitted_to}に入院しました（紹介状なし{}）",
            with_separator(ward)
        ),
        E::DischargePlanned { expected_date, .. } => format!(
            "{hospital}で退院調整中です（退院予定 {}）",
            crate::format_wareki(*expected_date)
        ),
        E::Transferred { hospital: to, .. } => format!("{to}へ転院しました"),
        E::Discharged { destination, .. } => format!(
            "{hospital}を退院しました（退院先: {}）",
            destination_ja(destination)
        ),
        E::Returned { .. } => "かかりつけ医のもとへ戻りました".to_string(),
        E::Deceased { place, .. } => format!("亡くなりました{}", in_brackets(place)),
        E::Closed { .. } => "紹介を終了しました".to_string(),
        E::Cancelled { .. } => "紹介を取り消しました".to_string(),
    };
    format!("{} {what}", crate::format_wareki(details.date()))
}

/// The line for an event that voids an earlier one (entered in error).
pub fn voided_line_ja(voided: &EventDetails) -> String {
    format!(
        "先の記録「{}」（{}）は誤りのため取り消されました",
        voided.status().label_ja(),
        crate::format_wareki(voided.date())
    )
}

/// Where to, as the team reads it: "this clinic" is the family doctor's.
/// The other destination's note is free text and is left out.
fn destination_ja(destination: &DischargeDestination) -> String {
    match destination {
        DischargeDestination::ThisClinic => "かかりつけ医".to_string(),
        DischargeDestination::OtherHomeCareDoctor { doctor } => format!("在宅（在宅医: {doctor}）"),
        DischargeDestination::Facility { name } => format!("施設（{name}）"),
        DischargeDestination::Other { .. } => "その他".to_string(),
    }
}

fn with_separator(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        String::new()
    } else {
        format!("・{text}")
    }
}

fn in_brackets(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        String::new()
    } else {
        format!("（{text}）")
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, day).unwrap()
    }

    #[test]
    fn events_read_as_short_lines() {
        let admitted = EventDetails::Admitted {
            date: d(13),
            ward: "5階東病棟".into(),
            attending: "鈴木".into(),
        };
        assert_eq!(
            referral_line_ja(&admitted, "豊島中央病院"),
            "令和8年5月13日 豊島中央病院に入院しました（5階東病棟）"
        );
        let visited = EventDetails::Visited {
            date: d(13),
            department: String::new(),
        };
        assert_eq!(
            referral_line_ja(&visited, "豊島中央病院"),
            "令和8年5月13日 豊島中央病院を受診しました"
        );
        let home = EventDetails::Discharged {
            date: d(20),
            destination: DischargeDestination::ThisClinic,
        };
        assert_eq!(
            referral_line_ja(&home, "豊島中央病院"),
            "令和8年5月20日 豊島中央病院を退院しました（退院先: かかりつけ医）"
        );
        let planned = EventDetails::DischargePlanned {
            date: d(15),
            expected_date: d(20),
            planned_destination: None,
            team: String::new(),
        };
        assert!(referral_line_ja(&planned, "豊島中央病院").contains("退院予定 令和8年5月20日"));
        let moved = EventDetails::Transferred {
            date: d(16),
            hospital: "北リハビリ病院".into(),
        };
        assert!(referral_line_ja(&moved, "豊島中央病院").ends_with("北リハビリ病院へ転院しました"));
    }

    #[test]
    fn free_text_reasons_and_notes_stay_out() {
        let closed = EventDetails::Closed {
            date: d(30),
            reason: "山田様ご家族の希望".into(),
        };
        assert_eq!(
            referral_line_ja(&closed, "豊島中央病院"),
            "令和8年5月30日 紹介を終了しました"
        );
        let other = EventDetails::Discharged {
            date: d(20),
            destination: DischargeDestination::Other {
                note: "長女 山田花子さん宅".into(),
            },
        };
        assert!(!referral_line_ja(&other, "豊島中央病院").contains("山田"));
        let admitted = EventDetails::Admitted {
            date: d(13),
            ward: String::new(),
            attending: "鈴木".into(),
        };
        assert!(!referral_line_ja(&admitted, "豊島中央病院").contains("鈴木"));
    }

    #[test]
    fn a_voided_event_says_so() {
        let admitted = EventDetails::Admitted {
            date: d(13),
            ward: String::new(),
            attending: String::new(),
        };
        assert_eq!(
            voided_line_ja(&admitted),
            "先の記録「入院中」（令和8年5月13日）は誤りのため取り消されました"
        );
    }
}
