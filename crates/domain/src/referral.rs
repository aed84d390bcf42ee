//! A referral episode: from the letter to the patient's return (or death).
//! Its state is never stored; it is folded from an append-only list of
//! events, checked one by one against the status machine (DESIGN.md §2).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod place;
pub use place::{DestinationKind, DischargeDestination, Outcome, WhereNow};

/// The longest a short field of an event may be (a ward, a department, a
/// hospital or a destination's name, a reason), wherever it is typed: the
/// desktop, the portal, or a pushed operation.
pub const EVENT_TEXT_MAX_CHARS: usize = 200;
/// The longest note an event may carry (the liaison's word to the family
/// doctor, or the reason an entry is voided).
pub const EVENT_NOTE_MAX_CHARS: usize = 2000;

/// DESIGN.md §2, with the Japanese labels the UI shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    Sent,
    Received,
    Visited,
    Admitted,
    DischargePlanned,
    Transferred,
    Discharged,
    Returned,
    Deceased,
    Closed,
    Cancelled,
}

impl ReferralStatus {
    pub const ALL: [ReferralStatus; 11] = [
        ReferralStatus::Sent,
        ReferralStatus::Received,
        ReferralStatus::Visited,
        ReferralStatus::Admitted,
        ReferralStatus::DischargePlanned,
        ReferralStatus::Transferred,
        ReferralStatus::Discharged,
        ReferralStatus::Returned,
        ReferralStatus::Deceased,
        ReferralStatus::Closed,
        ReferralStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        use ReferralStatus::*;
        match self {
            Sent => "sent",
            Received => "received",
            Visited => "visited",
            Admitted => "admitted",
            DischargePlanned => "discharge_planned",
            Transferred => "transferred",
            Discharged => "discharged",
            Returned => "returned",
            Deceased => "deceased",
            Closed => "closed",
            Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        use ReferralStatus::*;
        match self {
            Sent => "紹介済",
            Received => "受付済",
            Visited => "受診済",
            Admitted => "入院中",
            DischargePlanned => "退院調整中",
            Transferred => "転院",
            Discharged => "退院",
            Returned => "逆紹介・帰院",
            Deceased => "死亡",
            Closed => "終了",
            Cancelled => "取消",
        }
    }

    /// Statuses that may follow this one. `Closed` and `Cancelled` end the
    /// episode; death ends it except for closing it.
    pub fn may_become(self, next: ReferralStatus) -> bool {
        use ReferralStatus::*;
        let allowed: &[ReferralStatus] = match self {
            Sent => &[Received, Visited, Admitted, Deceased, Closed, Cancelled],
            Received => &[Visited, Admitted, Deceased, Closed, Cancelled],
            Visited => &[Visited, Admitted, Returned, Transferred, Deceased, Closed],
            Admitted => &[DischargePlanned, Transferred, Discharged, Deceased],
            DischargePlanned => &[DischargePlanned, Transferred, Discharged, Deceased],
            // 転院: in the new hospital, as an inpatient.
            Transferred => &[DischargePlanned, Transferred, Discharged, Deceased],
            Discharged => &[Returned, Admitted, Deceased, Closed],
            Returned => &[Admitted, Deceased, Closed],
            Deceased => &[Closed],
            Closed | Cancelled => &[],
        };
        allowed.contains(&next)
    }

    /// Still to follow: not closed, cancelled or back home for good.
    pub fn is_open(self) -> bool {
        !matches!(self, ReferralStatus::Closed | ReferralStatus::Cancelled)
    }
}

/// What an event says, by status. Dates are the day it happened (not when
/// it was recorded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum EventDetails {
    Sent {
        date: NaiveDate,
        hospital: String,
    },
    Received {
        date: NaiveDate,
    },
    Visited {
        date: NaiveDate,
        #[serde(default)]
        department: String,
    },
    Admitted {
        date: NaiveDate,
        #[serde(default)]
        ward: String,
        #[serde(default)]
        attending: String,
    },
    /// 紹介状なし入院: a pre-registered patient admitted with no letter,
    /// recorded by the hospital's liaison. It opens an episode, as 紹介済
    /// does, and counts as 入院 from then on.
    AdmittedWithoutLetter {
        date: NaiveDate,
        hospital: String,
        #[serde(default)]
        ward: String,
        #[serde(default)]
        attending: String,
    },
    DischargePlanned {
        date: NaiveDate,
        expected_date: NaiveDate,
        planned_destination: Option<DischargeDestination>,
        /// The home-care team being arranged (訪問看護・ケアマネジャー…).
        #[serde(default)]
        team: String,
    },
    Transferred {
        date: NaiveDate,
        hospital: String,
    },
    Discharged {
        date: NaiveDate,
        destination: DischargeDestination,
    },
    Returned {
        date: NaiveDate,
    },
    Deceased {
        date: NaiveDate,
        #[serde(default)]
        place: String,
    },
    Closed {
        date: NaiveDate,
        reason: String,
    },
    Cancelled {
        date: NaiveDate,
        reason: String,
    },
}

impl EventDetails {
    /// What a history line calls the event: its status's label, except
    /// that an admission without a letter says so.
    pub fn label_ja(&self) -> &'static str {
        match self {
            EventDetails::AdmittedWithoutLetter { .. } => "紹介状なし入院",
            other => other.status().label_ja(),
        }
    }

    /// Whether it is the first event of an episode (紹介済, 紹介状なし入院),
    /// which nothing may follow and no one may void.
    pub fn opens_episode(&self) -> bool {
        matches!(
            self,
            EventDetails::Sent { .. } | EventDetails::AdmittedWithoutLetter { .. }
        )
    }

    pub fn status(&self) -> ReferralStatus {
        use EventDetails as E;
        use ReferralStatus as S;
        match self {
            E::Sent { .. } => S::Sent,
            E::Received { .. } => S::Received,
            E::Visited { .. } => S::Visited,
            E::Admitted { .. } | E::AdmittedWithoutLetter { .. } => S::Admitted,
            E::DischargePlanned { .. } => S::DischargePlanned,
            E::Transferred { .. } => S::Transferred,
            E::Discharged { .. } => S::Discharged,
            E::Returned { .. } => S::Returned,
            E::Deceased { .. } => S::Deceased,
            E::Closed { .. } => S::Closed,
            E::Cancelled { .. } => S::Cancelled,
        }
    }

    pub fn date(&self) -> NaiveDate {
        use EventDetails as E;
        match self {
            E::Sent { date, .. }
            | E::Received { date }
            | E::Visited { date, .. }
            | E::Admitted { date, .. }
            | E::AdmittedWithoutLetter { date, .. }
            | E::DischargePlanned { date, .. }
            | E::Transferred { date, .. }
            | E::Discharged { date, .. }
            | E::Returned { date }
            | E::Deceased { date, .. }
            | E::Closed { date, .. }
            | E::Cancelled { date, .. } => *date,
        }
    }
}

/// One recorded event. `voids` marks an earlier event as entered in error:
/// the earlier one stays in the history but no longer counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralEvent {
    pub id: String,
    pub details: Option<EventDetails>,
    pub voids: Option<String>,
}

/// The episode as its events make it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralState {
    pub status: ReferralStatus,
    pub where_now: WhereNow,
    /// The date of the latest counting event: "days since the last news".
    pub last_news: NaiveDate,
    pub sent_on: NaiveDate,
    /// The hospital the patient is in (or was last in).
    pub hospital: String,
    /// Set once the patient left hospital care: where to.
    pub discharged_to: Option<DischargeDestination>,
    pub expected_discharge: Option<NaiveDate>,
    /// The first word from the hospital (受付・受診・入院), for the loop
    /// figures' "acknowledged" and the worklist's silence.
    pub acknowledged_on: Option<NaiveDate>,
    /// The first visit or admission: a reply letter is due after it.
    pub seen_on: Option<NaiveDate>,
    /// Opened by an admission without a letter (紹介状なし入院), not by
    /// the clinic's 紹介済: the loop figures leave it out.
    pub without_letter: bool,
}

impl ReferralState {
    /// Whether `next` may follow now ([`may_follow`]).
    pub fn may_become(&self, next: ReferralStatus) -> bool {
        may_follow(self.status, self.without_letter, next)
    }

    /// Where the episode ended up, from where the patient is now.
    pub fn outcome(&self) -> Outcome {
        match &self.where_now {
            WhereNow::AtThisClinic { .. } => Outcome::ThisClinic,
            WhereNow::AtHome { .. } => Outcome::OtherHomeCareDoctor,
            WhereNow::InFacility { .. } => Outcome::Facility,
            WhereNow::Deceased { .. } => Outcome::Deceased,
            _ => Outcome::Unknown,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferralError {
    #[error("最初の記録は「紹介済」か「紹介状なし入院」でなければなりません")]
    MustStartSent,
    #[error("「{from}」のあとに「{to}」は記録できません", from = .from.label_ja(), to = .to.label_ja())]
    NotAllowed {
        from: ReferralStatus,
        to: ReferralStatus,
    },
    #[error("日付が前の記録（{previous}）より前になっています", previous = crate::format_wareki(*.previous))]
    BeforePrevious { previous: NaiveDate },
    #[error("退院予定日が入院日より前になっています")]
    ExpectedBeforeAdmission,
    #[error("取り消す記録が見つからないか、既に取り消されています")]
    NothingToVoid,
    #[error("最初の記録は取り消せません。紹介そのものをやめる場合は「取消」を記録してください")]
    CannotVoidStart,
    #[error("{0}を入力してください")]
    Missing(&'static str),
}

/// Whether `next` may follow `current` in an episode opened with a letter
/// or, if `without_letter`, by 紹介状なし入院: the status machine's rule,
/// and an admission without a letter may be cancelled while the patient
/// is still simply admitted (the liaison recorded the wrong patient).
pub fn may_follow(current: ReferralStatus, without_letter: bool, next: ReferralStatus) -> bool {
    current.may_become(next)
        || (without_letter
            && current == ReferralStatus::Admitted
            && next == ReferralStatus::Cancelled)
}

/// Folds the events (oldest first) into the episode's state, checking each
/// against the machine; the first that does not fit is the error.
pub fn replay(events: &[ReferralEvent]) -> Result<ReferralState, ReferralError> {
    let voided: Vec<&str> = events.iter().filter_map(|e| e.voids.as_deref()).collect();
    let mut state: Option<ReferralState> = None;
    for event in events {
        if voided.contains(&event.id.as_str()) {
            continue;
        }
        let Some(details) = &event.details else {
            continue;
        };
        state = Some(match state {
            None => start(details)?,
            Some(current) => advance(current, details)?,
        });
    }
    state.ok_or(ReferralError::MustStartSent)
}

/// Folds what fits, in order, and names the events that do not. Used on
/// the clinic where the server's history comes first and the clinic's own
/// unconfirmed events after it: one the server will refuse (it no longer
/// fits what the hospital recorded meanwhile) is set aside instead of
/// making the whole history unreadable.
pub fn replay_fitting(
    events: &[ReferralEvent],
) -> Result<(ReferralState, Vec<String>), ReferralError> {
    let (kept, set_aside) = partition_fitting(events);
    Ok((replay(&kept)?, set_aside))
}

/// The events that fit, in order, and the ids of those set aside (see
/// [`replay_fitting`]); a new event is checked against the former.
pub fn partition_fitting(events: &[ReferralEvent]) -> (Vec<ReferralEvent>, Vec<String>) {
    let mut kept: Vec<ReferralEvent> = Vec::with_capacity(events.len());
    let mut set_aside = Vec::new();
    for event in events {
        if kept.is_empty() || check_append(&kept, event).is_ok() {
            kept.push(event.clone());
        } else {
            set_aside.push(event.id.clone());
        }
    }
    (kept, set_aside)
}

/// Whether `next` may be appended to `events` (as `replay` would accept).
pub fn check_append(
    events: &[ReferralEvent],
    next: &ReferralEvent,
) -> Result<ReferralState, ReferralError> {
    if let Some(target) = &next.voids {
        let live = events
            .iter()
            .filter(|e| e.details.is_some())
            .any(|e| &e.id == target && !events.iter().any(|o| o.voids.as_ref() == Some(target)));
        if !live {
            return Err(ReferralError::NothingToVoid);
        }
        let first_live = events
            .iter()
            .find(|e| e.details.is_some())
            .map(|e| e.id.as_str());
        if first_live == Some(target.as_str()) {
            return Err(ReferralError::CannotVoidStart);
        }
    }
    let mut all = events.to_vec();
    all.push(next.clone());
    replay(&all)
}

/// An episode opens with the clinic's 紹介済, or with a hospital's
/// 紹介状なし入院 (the patient is in hospital, seen, from that day).
fn start(details: &EventDetails) -> Result<ReferralState, ReferralError> {
    match details {
        EventDetails::Sent { date, hospital } => Ok(ReferralState {
            status: ReferralStatus::Sent,
            where_now: WhereNow::ReferredTo {
                hospital: hospital.clone(),
                since: *date,
            },
            last_news: *date,
            sent_on: *date,
            hospital: hospital.clone(),
            discharged_to: None,
            expected_discharge: None,
            acknowledged_on: None,
            seen_on: None,
            without_letter: false,
        }),
        EventDetails::AdmittedWithoutLetter {
            date,
            hospital,
            ward,
            ..
        } => {
            if hospital.trim().is_empty() {
                return Err(ReferralError::Missing("入院先の医療機関名"));
            }
            Ok(ReferralState {
                status: ReferralStatus::Admitted,
                where_now: WhereNow::InHospital {
                    hospital: hospital.clone(),
                    since: *date,
                    ward: ward.clone(),
                },
                last_news: *date,
                sent_on: *date,
                hospital: hospital.clone(),
                discharged_to: None,
                expected_discharge: None,
                acknowledged_on: Some(*date),
                seen_on: Some(*date),
                without_letter: true,
            })
        }
        _ => Err(ReferralError::MustStartSent),
    }
}

fn advance(mut s: ReferralState, details: &EventDetails) -> Result<ReferralState, ReferralError> {
    let next = details.status();
    if !s.may_become(next) || details.opens_episode() {
        return Err(ReferralError::NotAllowed {
            from: s.status,
            to: next,
        });
    }
    let date = details.date();
    if date < s.last_news {
        return Err(ReferralError::BeforePrevious {
            previous: s.last_news,
        });
    }
    use EventDetails as E;
    if matches!(
        details,
        E::Received { .. } | E::Visited { .. } | E::Admitted { .. }
    ) {
        s.acknowledged_on.get_or_insert(date);
    }
    if matches!(details, E::Visited { .. } | E::Admitted { .. }) {
        s.seen_on.get_or_insert(date);
    }
    apply(&mut s, details, date)?;
    s.status = next;
    s.last_news = date;
    Ok(s)
}

/// What an event that may follow changes in the episode (its checks beyond
/// the status machine's: dates, required names).
fn apply(
    s: &mut ReferralState,
    details: &EventDetails,
    date: NaiveDate,
) -> Result<(), ReferralError> {
    use EventDetails as E;
    match details {
        // Only the first event of an episode (`start`); `advance` never
        // lets either follow.
        E::Sent { .. } | E::AdmittedWithoutLetter { .. } => {
            return Err(ReferralError::NotAllowed {
                from: s.status,
                to: details.status(),
            });
        }
        E::Received { .. } | E::Visited { .. } => {
            s.where_now = WhereNow::OutpatientAt {
                hospital: s.hospital.clone(),
                since: date,
            };
        }
        E::Admitted { ward, .. } => {
            s.discharged_to = None;
            s.expected_discharge = None;
            s.where_now = WhereNow::InHospital {
                hospital: s.hospital.clone(),
                since: date,
                ward: ward.clone(),
            };
        }
        E::DischargePlanned {
            expected_date,
            planned_destination: _,
            ..
        } => {
            if *expected_date < date {
                return Err(ReferralError::ExpectedBeforeAdmission);
            }
            s.expected_discharge = Some(*expected_date);
            s.where_now = WhereNow::DischargePlanning {
                hospital: s.hospital.clone(),
                expected: *expected_date,
            };
        }
        E::Transferred { hospital, .. } => {
            if hospital.trim().is_empty() {
                return Err(ReferralError::Missing("転院先の医療機関名"));
            }
            s.hospital = hospital.clone();
            s.expected_discharge = None;
            s.where_now = WhereNow::InHospital {
                hospital: hospital.clone(),
                since: date,
                ward: String::new(),
            };
        }
        E::Discharged { destination, .. } => {
            s.expected_discharge = None;
            s.discharged_to = Some(destination.clone());
            s.where_now = destination.where_now(date);
        }
        E::Returned { .. } => {
            s.where_now = WhereNow::AtThisClinic { since: date };
        }
        E::Deceased { place, .. } => {
            s.expected_discharge = None;
            s.where_now = WhereNow::Deceased {
                date,
                place: place.clone(),
            };
        }
        E::Closed { reason, .. } | E::Cancelled { reason, .. } => {
            if reason.trim().is_empty() {
                return Err(ReferralError::Missing("理由"));
            }
            // Cancelling an admission without a letter says it was
            // recorded in error: where the patient is is not known.
            if matches!(s.where_now, WhereNow::ReferredTo { .. })
                || (s.without_letter && matches!(details, E::Cancelled { .. }))
            {
                s.where_now = WhereNow::Unknown;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
