//! A referral's history as the referral page lists it.

use serde::Serialize;
use tsunagu_domain::{EventDetails, format_wareki};
use tsunagu_protocol::{WireDestination, WireEventDetails};
use uuid::Uuid;

use crate::services::referrals::view::HistoryEvent;

/// An event as a line of the history.
#[derive(Debug, Serialize)]
pub(crate) struct HistoryLine {
    pub id: Uuid,
    pub date: String,
    pub status: String,
    pub text: String,
    pub note: String,
    pub by: String,
    pub recorded_at: String,
    pub voided: bool,
    /// Recorded by the viewer's organisation, still counting, and not the
    /// 紹介済 that opened the referral: it may be voided.
    pub can_void: bool,
}

/// The history as the referral page shows it: status events, notes on
/// their own (連絡) and voids (記録の取り消し, with their reason).
pub(crate) fn history_lines(events: &[HistoryEvent], viewer: Uuid) -> Vec<HistoryLine> {
    let voided: Vec<&str> = events
        .iter()
        .filter_map(|e| e.domain.voids.as_deref())
        .collect();
    events
        .iter()
        .map(|e| {
            let domain = e.details.clone().map(EventDetails::from);
            let is_voided = voided.contains(&e.domain.id.as_str());
            let (date, status, text) = match (&domain, &e.details) {
                (Some(d), Some(w)) => (
                    format_wareki(d.date()),
                    d.label_ja().to_string(),
                    describe(w),
                ),
                _ if e.domain.voids.is_some() => {
                    (String::new(), "記録の取り消し".to_string(), String::new())
                }
                _ => (String::new(), "連絡".to_string(), String::new()),
            };
            HistoryLine {
                id: e.id,
                date,
                status,
                text,
                note: e.note.clone(),
                by: match e.source.as_str() {
                    "clinic" => format!("かかりつけ医（{}）", e.actor),
                    _ => e.actor.clone(),
                },
                recorded_at: (e.recorded_at + chrono::Duration::hours(9))
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                voided: is_voided,
                can_void: e.organisation_id == viewer
                    && !is_voided
                    && domain.as_ref().is_some_and(|d| !d.opens_episode()),
            }
        })
        .collect()
}

pub(crate) fn destination_label(d: &WireDestination) -> String {
    match d {
        WireDestination::ThisClinic => "かかりつけ医のもとへ".to_string(),
        WireDestination::OtherHomeCareDoctor { doctor } => format!("在宅（在宅医：{doctor}）"),
        WireDestination::Facility { name } => format!("施設（{name}）"),
        WireDestination::Other { note } => format!("その他（{note}）"),
    }
}

fn describe(details: &WireEventDetails) -> String {
    use WireEventDetails as W;
    match details {
        W::Sent { hospital, .. } => format!("紹介先：{hospital}"),
        W::Received { .. } | W::Returned { .. } => String::new(),
        W::Visited { department, .. } => format!("診療科：{department}"),
        W::Admitted {
            ward, attending, ..
        } => {
            let mut text = format!("病棟：{ward}");
            if !attending.is_empty() {
                text.push_str(&format!("　主治医：{attending}"));
            }
            text
        }
        W::AdmittedWithoutLetter {
            hospital,
            ward,
            attending,
            ..
        } => {
            let mut text = format!("入院先：{hospital}　病棟：{ward}");
            if !attending.is_empty() {
                text.push_str(&format!("　主治医：{attending}"));
            }
            text
        }
        W::DischargePlanned {
            expected_date,
            planned_destination,
            team,
            ..
        } => {
            let mut text = format!("退院予定日：{}", format_wareki(*expected_date));
            if let Some(d) = planned_destination {
                text.push_str(&format!("　退院先（予定）：{}", destination_label(d)));
            }
            if !team.is_empty() {
                text.push_str(&format!("　在宅チーム（予定）：{team}"));
            }
            text
        }
        W::Transferred { hospital, .. } => format!("転院先：{hospital}"),
        W::Discharged { destination, .. } => format!("退院先：{}", destination_label(destination)),
        W::Deceased { place, .. } => format!("場所：{place}"),
        W::Closed { reason, .. } | W::Cancelled { reason, .. } => format!("理由：{reason}"),
    }
}
