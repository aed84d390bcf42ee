//! Where is my referred patient? Recording what happened to a referral,
//! its history, and where each patient is now — all folded from the
//! append-only events by the domain's status machine.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tsunagu_domain::{
    DestinationKind, DischargeDestination, EVENT_NOTE_MAX_CHARS, EVENT_TEXT_MAX_CHARS,
    EventDetails, ReferralError, ReferralStatus, WhereNow, check_append, format_wareki,
    partition_fitting, replay_fitting,
};
use tsunagu_store::{EventSource, ReferralRecord, StoredEvent};
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, ErrorCode, FieldMessage, date_field};
use crate::patients::parse_id;
use crate::replies::ReplyView;

/// An event as the form sends it: text as typed; which fields matter
/// depends on `status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts-bindings", derive(ts_rs::TS))]
pub struct EventInput {
    /// A status code: received, visited, admitted, discharge_planned, …
    pub status: String,
    pub date: String,
    pub department: String,
    pub ward: String,
    pub attending: String,
    /// 転院先
    pub hospital: String,
    pub expected_date: String,
    /// this_clinic, other_home_care_doctor, facility or other (or empty).
    pub destination: String,
    /// The other doctor, the facility, or a note, by `destination`.
    pub destination_name: String,
    pub place: String,
    pub reason: String,
    pub note: String,
    /// 退院調整: the home-care team being arranged.
    pub team: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventView {
    pub id: Uuid,
    /// e.g. 入院中; 「記録の取り消し」 for a voiding event.
    pub title: String,
    pub status: Option<ReferralStatus>,
    /// 和暦, the day it happened.
    pub date: Option<String>,
    /// The details in one line, e.g. 5階東病棟・主治医 鈴木.
    pub summary: String,
    pub note: String,
    /// この医院 / 地域連携窓口 / 病院 地域連携室 / 在宅チーム
    pub source: String,
    pub actor: String,
    pub recorded_at: DateTime<Utc>,
    /// Marked as entered in error by a later event.
    pub voided: bool,
    /// This clinic's entry that no longer fits what the hospital or the
    /// desk recorded meanwhile: it does not count, and the server refused
    /// it (or will); shown as such, never silently.
    pub set_aside: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralView {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub patient_name: String,
    pub tracking_code: String,
    pub status: ReferralStatus,
    pub hospital: String,
    pub where_now: WhereNow,
    pub sent_on: NaiveDate,
    pub last_news: NaiveDate,
    pub days_since_news: i64,
    pub open: bool,
    /// Oldest first.
    pub events: Vec<EventView>,
    /// Reply letters (返書), oldest first; one closes the loop.
    pub replies: Vec<ReplyView>,
    /// The registered hospital the region says it is with, when that is
    /// not the hospital the history names (the desk assigned it, or a
    /// hospital claimed it with the tracking code).
    pub routed_to: Option<String>,
}

impl App {
    pub async fn referral(&self, referral_id: &str) -> Result<ReferralView, AppError> {
        let record = self.store.referral(parse_id(referral_id)?).await?;
        let name = self.store.patient(record.patient_id).await?.fields.name;
        self.referral_view_with_replies(record, name).await
    }

    /// A patient's referrals, newest first.
    pub async fn patient_referrals(&self, patient_id: &str) -> Result<Vec<ReferralView>, AppError> {
        let patient_id = parse_id(patient_id)?;
        let name = self.store.patient(patient_id).await?.fields.name;
        let mut views = Vec::new();
        for record in self.store.referrals_for_patient(patient_id).await? {
            views.push(
                self.referral_view_with_replies(record, name.clone())
                    .await?,
            );
        }
        views.reverse();
        Ok(views)
    }

    /// Where the patient is now, in a few words for the patient page:
    /// 自院通院中 unless a referral says otherwise.
    pub async fn patient_where_now(&self, patient_id: &str) -> Result<String, AppError> {
        let referrals = self.patient_referrals(patient_id).await?;
        Ok(where_now_of(&referrals))
    }

    /// Records what happened (e.g. after a call with the liaison office).
    /// A transition the status machine does not allow is refused with the
    /// reason, and nothing is stored.
    pub async fn record_referral_event(
        &self,
        referral_id: &str,
        input: &EventInput,
    ) -> Result<ReferralView, AppError> {
        let referral_id = parse_id(referral_id)?;
        let details = event_details(input)?;
        if input.note.trim().chars().count() > EVENT_NOTE_MAX_CHARS {
            return Err(AppError::field(
                "note",
                format!("メモは{EVENT_NOTE_MAX_CHARS}文字までで入力してください。"),
            ));
        }
        if details.date() > self.clock.today() {
            return Err(AppError::field(
                "date",
                "先の日付は記録できません。起きた日を入力してください（退院の予定は「退院調整中」で記録します）。",
            ));
        }
        let event = StoredEvent {
            id: tsunagu_domain::new_id(),
            details: Some(details),
            voids: None,
            note: input.note.trim().to_string(),
            source: EventSource::Clinic,
            actor: self.actor(),
            at: self.clock.now(),
        };
        self.append(referral_id, event).await
    }

    /// Marks an earlier event as entered in error; it stays in the history.
    pub async fn void_referral_event(
        &self,
        referral_id: &str,
        event_id: &str,
        reason: &str,
    ) -> Result<ReferralView, AppError> {
        if reason.trim().chars().count() > EVENT_NOTE_MAX_CHARS {
            return Err(AppError::field(
                "reason",
                format!("理由は{EVENT_NOTE_MAX_CHARS}文字までで入力してください。"),
            ));
        }
        if reason.trim().is_empty() {
            return Err(AppError::field(
                "reason",
                "取り消す理由を入力してください。",
            ));
        }
        let event = StoredEvent {
            id: tsunagu_domain::new_id(),
            details: None,
            voids: Some(parse_id(event_id)?),
            note: reason.trim().to_string(),
            source: EventSource::Clinic,
            actor: self.actor(),
            at: self.clock.now(),
        };
        self.append(parse_id(referral_id)?, event).await
    }

    async fn append(
        &self,
        referral_id: Uuid,
        event: StoredEvent,
    ) -> Result<ReferralView, AppError> {
        let candidate = event.to_domain();
        let outcome = self
            .store
            .append_referral_event(referral_id, &event, |existing| {
                let events: Vec<_> = existing.iter().map(StoredEvent::to_domain).collect();
                let (fitting, _) = partition_fitting(&events);
                check_append(&fitting, &candidate)
                    .map(|_| ())
                    .map_err(refused)
            })
            .await?;
        let record = outcome?;
        let name = self.store.patient(record.patient_id).await?.fields.name;
        self.referral_view_with_replies(record, name).await
    }

    async fn referral_view_with_replies(
        &self,
        record: ReferralRecord,
        patient_name: String,
    ) -> Result<ReferralView, AppError> {
        let replies = self
            .store
            .replies_for_referral(record.id)
            .await?
            .into_iter()
            .map(ReplyView::of)
            .collect::<Result<_, _>>()?;
        let holder = self.store.referral_holder(record.id).await?;
        let mut view = self.referral_view(record, patient_name, replies)?;
        view.routed_to = holder.filter(|h| *h != view.hospital);
        Ok(view)
    }

    fn referral_view(
        &self,
        record: ReferralRecord,
        patient_name: String,
        replies: Vec<ReplyView>,
    ) -> Result<ReferralView, AppError> {
        let (state, set_aside) = state_and_set_aside(&record)?;
        let voided: Vec<Uuid> = record.events.iter().filter_map(|e| e.voids).collect();
        let today = self.clock.today();
        Ok(ReferralView {
            id: record.id,
            patient_id: record.patient_id,
            patient_name,
            tracking_code: record.tracking_code,
            status: state.status,
            hospital: state.hospital.clone(),
            where_now: state.where_now,
            sent_on: state.sent_on,
            last_news: state.last_news,
            days_since_news: (today - state.last_news).num_days(),
            open: state.status.is_open(),
            events: record
                .events
                .iter()
                .map(|e| {
                    event_view(e, voided.contains(&e.id)).map(|view| EventView {
                        set_aside: set_aside.contains(&e.id.to_string()),
                        ..view
                    })
                })
                .collect::<Result<_, _>>()?,
            replies,
            routed_to: None,
        })
    }
}

/// The episode's state, folded from its stored events.
pub(crate) fn state_of(record: &ReferralRecord) -> Result<tsunagu_domain::ReferralState, AppError> {
    state_and_set_aside(record).map(|(state, _)| state)
}

/// The state, and the ids of the clinic's own events that no longer fit
/// the server's history: set aside until the server answers (ADR 0008).
fn state_and_set_aside(
    record: &ReferralRecord,
) -> Result<(tsunagu_domain::ReferralState, Vec<String>), AppError> {
    let (state, mut set_aside) =
        replay_fitting(&record.counted_events()).map_err(|_| internal())?;
    set_aside.extend(record.refused.iter().map(Uuid::to_string));
    Ok((state, set_aside))
}

/// The patient page's line: death wins; otherwise the latest referral says
/// where the patient is, unless it ended without a place (then at home
/// with this clinic).
fn where_now_of(newest_first: &[ReferralView]) -> String {
    if let Some(dead) = newest_first
        .iter()
        .find(|r| r.status == ReferralStatus::Deceased)
    {
        return dead.where_now.label_ja();
    }
    match newest_first.first() {
        Some(latest) if latest.where_now != WhereNow::Unknown => latest.where_now.label_ja(),
        _ => "自院通院中".to_string(),
    }
}

fn event_view(e: &StoredEvent, voided: bool) -> Result<EventView, AppError> {
    let details = &e.details;
    let (title, status, date, summary) = match &details {
        Some(d) => (
            d.label_ja().to_string(),
            Some(d.status()),
            Some(format_wareki(d.date())),
            summarise(d),
        ),
        None if e.voids.is_some() => ("記録の取り消し".to_string(), None, None, String::new()),
        // A note on its own from the hospital or the desk (連絡): dated
        // when it was written, at the clinic.
        None => (
            "連絡".to_string(),
            None,
            Some(format_wareki(
                e.at.with_timezone(&chrono::Local).date_naive(),
            )),
            String::new(),
        ),
    };
    Ok(EventView {
        id: e.id,
        title,
        status,
        date,
        summary,
        note: e.note.clone(),
        source: match e.source {
            EventSource::Clinic => "この医院",
            EventSource::Desk => "地域連携窓口",
            EventSource::Liaison => "病院 地域連携室",
            EventSource::Team => "在宅チーム",
        }
        .to_string(),
        actor: e.actor.clone(),
        recorded_at: e.at,
        voided,
        set_aside: false,
    })
}

fn summarise(d: &EventDetails) -> String {
    let join = |parts: &[(&str, &str)]| {
        parts
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}{v}"))
            .collect::<Vec<_>>()
            .join("・")
    };
    match d {
        EventDetails::Sent { hospital, .. } => format!("{hospital}へ紹介"),
        EventDetails::Received { .. } | EventDetails::Returned { .. } => String::new(),
        EventDetails::Visited { department, .. } => join(&[("", department)]),
        EventDetails::Admitted {
            ward, attending, ..
        } => join(&[("", ward), ("主治医 ", attending)]),
        EventDetails::AdmittedWithoutLetter {
            hospital,
            ward,
            attending,
            ..
        } => join(&[("入院先 ", hospital), ("", ward), ("主治医 ", attending)]),
        EventDetails::DischargePlanned {
            expected_date,
            planned_destination,
            team,
            ..
        } => {
            let mut s = format!("退院予定 {}", format_wareki(*expected_date));
            if let Some(dest) = planned_destination {
                s.push_str(&format!("・予定先 {}", dest.label_ja()));
            }
            if !team.is_empty() {
                s.push_str(&format!("・在宅チーム {team}"));
            }
            s
        }
        EventDetails::Transferred { hospital, .. } => format!("転院先 {hospital}"),
        EventDetails::Discharged { destination, .. } => {
            format!("退院先 {}", destination.label_ja())
        }
        EventDetails::Deceased { place, .. } => join(&[("場所 ", place)]),
        EventDetails::Closed { reason, .. } | EventDetails::Cancelled { reason, .. } => {
            format!("理由 {reason}")
        }
    }
}

/// The form's text as an event, with a message on each field that is wrong.
fn event_details(input: &EventInput) -> Result<EventDetails, AppError> {
    let mut errors = Vec::new();
    let status = ReferralStatus::from_code(input.status.trim());
    let Some(status) = status.filter(|s| *s != ReferralStatus::Sent) else {
        return Err(AppError::field("status", "記録する状態を選んでください。"));
    };
    let date = date_field(&input.date, "date", "日付", &mut errors);
    let required = |value: &str, field: &str, label: &str, errors: &mut Vec<FieldMessage>| {
        if value.trim().is_empty() {
            errors.push(FieldMessage {
                field: field.to_string(),
                message: format!("{label}を入力してください。"),
            });
        }
        bounded(value, field, errors)
    };
    let mut text_errors = Vec::new();
    let mut text = |value: &str, field: &str| bounded(value, field, &mut text_errors);
    let details = match status {
        ReferralStatus::Sent => unreachable!("refused above"),
        ReferralStatus::Received => date.map(|date| EventDetails::Received { date }),
        ReferralStatus::Visited => date.map(|date| EventDetails::Visited {
            date,
            department: text(&input.department, "department"),
        }),
        ReferralStatus::Admitted => date.map(|date| EventDetails::Admitted {
            date,
            ward: text(&input.ward, "ward"),
            attending: text(&input.attending, "attending"),
        }),
        ReferralStatus::DischargePlanned => {
            let expected = date_field(
                &input.expected_date,
                "expectedDate",
                "退院予定日",
                &mut errors,
            );
            let planned = destination(input, false, &mut errors);
            let team = text(&input.team, "team");
            date.zip(expected)
                .map(|(date, expected_date)| EventDetails::DischargePlanned {
                    date,
                    expected_date,
                    planned_destination: planned,
                    team,
                })
        }
        ReferralStatus::Transferred => {
            let hospital = required(
                &input.hospital,
                "hospital",
                "転院先の医療機関名",
                &mut errors,
            );
            date.map(|date| EventDetails::Transferred { date, hospital })
        }
        ReferralStatus::Discharged => {
            let dest = destination(input, true, &mut errors);
            date.zip(dest)
                .map(|(date, destination)| EventDetails::Discharged { date, destination })
        }
        ReferralStatus::Returned => date.map(|date| EventDetails::Returned { date }),
        ReferralStatus::Deceased => date.map(|date| EventDetails::Deceased {
            date,
            place: text(&input.place, "place"),
        }),
        ReferralStatus::Closed | ReferralStatus::Cancelled => {
            let reason = required(&input.reason, "reason", "理由", &mut errors);
            date.map(|date| {
                if status == ReferralStatus::Closed {
                    EventDetails::Closed { date, reason }
                } else {
                    EventDetails::Cancelled { date, reason }
                }
            })
        }
    };
    errors.append(&mut text_errors);
    match details {
        Some(details) if errors.is_empty() => Ok(details),
        _ => Err(AppError::validation(errors)),
    }
}

/// Trimmed, and no longer than the portal and the server accept.
fn bounded(value: &str, field: &str, errors: &mut Vec<FieldMessage>) -> String {
    let value = value.trim();
    if value.chars().count() > EVENT_TEXT_MAX_CHARS {
        errors.push(FieldMessage {
            field: field.to_string(),
            message: format!("{EVENT_TEXT_MAX_CHARS}文字までで入力してください。"),
        });
    }
    value.to_string()
}

fn destination(
    input: &EventInput,
    required: bool,
    errors: &mut Vec<FieldMessage>,
) -> Option<DischargeDestination> {
    let name = bounded(&input.destination_name, "destinationName", errors);
    let Some(kind) = DestinationKind::from_code(input.destination.trim()) else {
        if required {
            errors.push(FieldMessage {
                field: "destination".to_string(),
                message: "退院先を選んでください。".to_string(),
            });
        }
        return None;
    };
    if let Some(label) = kind.name_label_ja()
        && name.is_empty()
    {
        errors.push(FieldMessage {
            field: "destinationName".to_string(),
            message: format!("{label}を入力してください。"),
        });
    }
    Some(kind.with_name(name))
}

fn refused(e: ReferralError) -> AppError {
    AppError::new(ErrorCode::Validation, format!("記録できません：{e}。"))
}

fn internal() -> AppError {
    AppError::from(tsunagu_store::StoreError::Corrupt("referral event"))
}
