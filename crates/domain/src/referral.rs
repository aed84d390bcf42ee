//! A referral episode: from the letter to the patient's return (or death).
//! Its state is never stored; it is folded from an append-only list of
//! events, checked one by one against the status machine (DESIGN.md §2).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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

/// Where the patient went on discharge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DischargeDestination {
    /// Back to this clinic (自院).
    ThisClinic,
    /// Home, under another home-care doctor (在宅医).
    OtherHomeCareDoctor {
        doctor: String,
    },
    /// A care facility (施設).
    Facility {
        name: String,
    },
    Other {
        note: String,
    },
}

impl DischargeDestination {
    pub fn label_ja(&self) -> String {
        match self {
            DischargeDestination::ThisClinic => "自院".to_string(),
            DischargeDestination::OtherHomeCareDoctor { doctor } => {
                format!("在宅（在宅医: {doctor}）")
            }
            DischargeDestination::Facility { name } => format!("施設（{name}）"),
            DischargeDestination::Other { note } => format!("その他（{note}）"),
        }
    }
}

impl DischargeDestination {
    pub fn kind(&self) -> DestinationKind {
        match self {
            DischargeDestination::ThisClinic => DestinationKind::ThisClinic,
            DischargeDestination::OtherHomeCareDoctor { .. } => {
                DestinationKind::OtherHomeCareDoctor
            }
            DischargeDestination::Facility { .. } => DestinationKind::Facility,
            DischargeDestination::Other { .. } => DestinationKind::Other,
        }
    }
}

/// The kinds of discharge destination a form offers, with the codes the
/// stores keep and the labels the clinic's form shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DestinationKind {
    ThisClinic,
    OtherHomeCareDoctor,
    Facility,
    Other,
}

impl DestinationKind {
    pub const ALL: [DestinationKind; 4] = [
        DestinationKind::ThisClinic,
        DestinationKind::OtherHomeCareDoctor,
        DestinationKind::Facility,
        DestinationKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DestinationKind::ThisClinic => "this_clinic",
            DestinationKind::OtherHomeCareDoctor => "other_home_care_doctor",
            DestinationKind::Facility => "facility",
            DestinationKind::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The choice as the clinic's form offers it.
    pub fn choice_label_ja(self) -> &'static str {
        match self {
            DestinationKind::ThisClinic => "自院（当院へ戻る）",
            DestinationKind::OtherHomeCareDoctor => "在宅・他の在宅医",
            DestinationKind::Facility => "施設",
            DestinationKind::Other => "その他",
        }
    }

    /// What the name field asks for; `None` when the kind needs no name.
    pub fn name_label_ja(self) -> Option<&'static str> {
        match self {
            DestinationKind::ThisClinic => None,
            DestinationKind::OtherHomeCareDoctor => Some("在宅医（医療機関名・医師名）"),
            DestinationKind::Facility => Some("施設名"),
            DestinationKind::Other => Some("退院先"),
        }
    }

    /// The destination of this kind with `name` (ignored for this clinic).
    pub fn with_name(self, name: String) -> DischargeDestination {
        match self {
            DestinationKind::ThisClinic => DischargeDestination::ThisClinic,
            DestinationKind::OtherHomeCareDoctor => {
                DischargeDestination::OtherHomeCareDoctor { doctor: name }
            }
            DestinationKind::Facility => DischargeDestination::Facility { name },
            DestinationKind::Other => DischargeDestination::Other { note: name },
        }
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
    pub fn status(&self) -> ReferralStatus {
        use EventDetails as E;
        use ReferralStatus as S;
        match self {
            E::Sent { .. } => S::Sent,
            E::Received { .. } => S::Received,
            E::Visited { .. } => S::Visited,
            E::Admitted { .. } => S::Admitted,
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

/// Where the patient is now, as the patient page says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhereNow {
    /// 紹介先へ紹介中 (no news of arrival yet).
    ReferredTo {
        hospital: String,
        since: NaiveDate,
    },
    /// 受付・外来受診済み: seen as an outpatient at the hospital.
    OutpatientAt {
        hospital: String,
        since: NaiveDate,
    },
    InHospital {
        hospital: String,
        since: NaiveDate,
        ward: String,
    },
    DischargePlanning {
        hospital: String,
        expected: NaiveDate,
    },
    /// 自院通院中
    AtThisClinic {
        since: NaiveDate,
    },
    AtHome {
        doctor: String,
        since: NaiveDate,
    },
    InFacility {
        name: String,
        since: NaiveDate,
    },
    Elsewhere {
        note: String,
        since: NaiveDate,
    },
    Deceased {
        date: NaiveDate,
        place: String,
    },
    /// Closed or cancelled without a known place.
    Unknown,
}

impl WhereNow {
    pub fn label_ja(&self) -> String {
        match self {
            WhereNow::ReferredTo { hospital, .. } => format!("{hospital}へ紹介中"),
            WhereNow::OutpatientAt { hospital, .. } => format!("{hospital} 外来受診中"),
            WhereNow::InHospital { hospital, ward, .. } if ward.is_empty() => {
                format!("{hospital} 入院中")
            }
            WhereNow::InHospital { hospital, ward, .. } => format!("{hospital} 入院中（{ward}）"),
            WhereNow::DischargePlanning { hospital, expected } => {
                format!(
                    "{hospital} 退院調整中（退院予定 {}）",
                    crate::format_wareki(*expected)
                )
            }
            WhereNow::AtThisClinic { .. } => "自院通院中".to_string(),
            WhereNow::AtHome { doctor, .. } => format!("在宅（在宅医: {doctor}）"),
            WhereNow::InFacility { name, .. } => format!("施設（{name}）"),
            WhereNow::Elsewhere { note, .. } => format!("その他（{note}）"),
            WhereNow::Deceased { .. } => "死亡".to_string(),
            WhereNow::Unknown => "不明".to_string(),
        }
    }
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
}

/// How an episode ended up, for the loop figures (連携の実績).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 自院へ戻った (discharged to, or referred back to, this clinic).
    ThisClinic,
    /// 他の在宅医へ
    OtherHomeCareDoctor,
    /// 施設へ
    Facility,
    Deceased,
    /// Still in care, or ended without a known place.
    Unknown,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::ThisClinic,
        Outcome::OtherHomeCareDoctor,
        Outcome::Facility,
        Outcome::Deceased,
        Outcome::Unknown,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::ThisClinic => "this_clinic",
            Outcome::OtherHomeCareDoctor => "other_home_care_doctor",
            Outcome::Facility => "facility",
            Outcome::Deceased => "deceased",
            Outcome::Unknown => "unknown",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Outcome::ThisClinic => "自院へ戻った",
            Outcome::OtherHomeCareDoctor => "他の在宅医",
            Outcome::Facility => "施設",
            Outcome::Deceased => "死亡",
            Outcome::Unknown => "不明・継続中",
        }
    }
}

impl ReferralState {
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
    #[error("最初の記録は「紹介済」でなければなりません")]
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
    #[error(
        "最初の「紹介済」は取り消せません。紹介そのものをやめる場合は「取消」を記録してください"
    )]
    CannotVoidStart,
    #[error("{0}を入力してください")]
    Missing(&'static str),
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

fn start(details: &EventDetails) -> Result<ReferralState, ReferralError> {
    let EventDetails::Sent { date, hospital } = details else {
        return Err(ReferralError::MustStartSent);
    };
    Ok(ReferralState {
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
    })
}

fn advance(mut s: ReferralState, details: &EventDetails) -> Result<ReferralState, ReferralError> {
    let next = details.status();
    if !s.status.may_become(next) {
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
    match details {
        E::Sent { .. } => unreachable!("Sent only starts an episode"),
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
            s.where_now = match destination {
                DischargeDestination::ThisClinic => WhereNow::AtThisClinic { since: date },
                DischargeDestination::OtherHomeCareDoctor { doctor } => WhereNow::AtHome {
                    doctor: doctor.clone(),
                    since: date,
                },
                DischargeDestination::Facility { name } => WhereNow::InFacility {
                    name: name.clone(),
                    since: date,
                },
                DischargeDestination::Other { note } => WhereNow::Elsewhere {
                    note: note.clone(),
                    since: date,
                },
            };
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
            if matches!(s.where_now, WhereNow::ReferredTo { .. }) {
                s.where_now = WhereNow::Unknown;
            }
        }
    }
    s.status = next;
    s.last_news = date;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReferralStatus::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn ev(id: &str, details: EventDetails) -> ReferralEvent {
        ReferralEvent {
            id: id.into(),
            details: Some(details),
            voids: None,
        }
    }

    fn sent() -> ReferralEvent {
        ev(
            "1",
            EventDetails::Sent {
                date: d(5, 12),
                hospital: "豊島中央病院".into(),
            },
        )
    }

    fn admitted(id: &str, day: u32) -> ReferralEvent {
        ev(
            id,
            EventDetails::Admitted {
                date: d(5, day),
                ward: "5階東病棟".into(),
                attending: "鈴木".into(),
            },
        )
    }

    #[test]
    fn replay_fitting_sets_aside_what_no_longer_fits() {
        // The server's history (sent, admitted) then the clinic's unconfirmed
        // 取消, which the admission made impossible.
        let cancelled = ev(
            "9",
            EventDetails::Cancelled {
                date: d(5, 14),
                reason: "患者の希望".into(),
            },
        );
        let (state, aside) =
            replay_fitting(&[sent(), admitted("2", 13), cancelled.clone()]).unwrap();
        assert_eq!(state.status, Admitted);
        assert_eq!(aside, vec!["9".to_string()]);
        let (state, aside) = replay_fitting(&[sent(), cancelled]).unwrap();
        assert_eq!(state.status, Cancelled);
        assert!(aside.is_empty());
    }

    #[test]
    fn destination_kinds_round_trip() {
        for kind in DestinationKind::ALL {
            assert_eq!(DestinationKind::from_code(kind.code()), Some(kind));
            assert_eq!(kind.with_name("某".into()).kind(), kind);
            assert_eq!(
                kind.name_label_ja().is_none(),
                kind == DestinationKind::ThisClinic
            );
        }
        assert_eq!(DestinationKind::from_code("other_doctor"), None);
    }

    #[test]
    fn codes_and_labels_round_trip() {
        for s in ReferralStatus::ALL {
            assert_eq!(ReferralStatus::from_code(s.code()), Some(s));
            assert!(!s.label_ja().is_empty());
        }
    }

    #[test]
    fn the_allowed_transitions_and_a_set_of_forbidden_ones() {
        let allowed = [
            (Sent, Received),
            (Sent, Admitted),
            (Received, Visited),
            (Visited, Admitted),
            (Visited, Returned),
            (Admitted, DischargePlanned),
            (Admitted, Transferred),
            (Admitted, Discharged),
            (DischargePlanned, DischargePlanned),
            (DischargePlanned, Discharged),
            (Transferred, Discharged),
            (Transferred, Transferred),
            (Discharged, Returned),
            (Discharged, Deceased),
            (Discharged, Admitted),
            (Deceased, Closed),
            (Sent, Cancelled),
        ];
        for (from, to) in allowed {
            assert!(from.may_become(to), "{from:?} → {to:?}");
        }
        let forbidden = [
            (Sent, Discharged),
            (Sent, DischargePlanned),
            (Received, Discharged),
            (Admitted, Returned),
            (Admitted, Received),
            (Deceased, Admitted),
            (Deceased, Discharged),
            (Closed, Received),
            (Cancelled, Sent),
            (Discharged, Discharged),
        ];
        for (from, to) in forbidden {
            assert!(!from.may_become(to), "{from:?} → {to:?}");
        }
        for s in ReferralStatus::ALL {
            assert!(!s.may_become(Sent), "nothing goes back to 紹介済");
            assert!(!Closed.may_become(s) && !Cancelled.may_become(s));
        }
    }

    #[test]
    fn discharged_to_a_new_home_care_doctor() {
        let events = [
            sent(),
            admitted("2", 14),
            ev(
                "3",
                EventDetails::DischargePlanned {
                    date: d(5, 28),
                    expected_date: d(6, 5),
                    planned_destination: None,
                    team: String::new(),
                },
            ),
            ev(
                "4",
                EventDetails::Discharged {
                    date: d(6, 5),
                    destination: DischargeDestination::OtherHomeCareDoctor {
                        doctor: "みなみ在宅クリニック 田中医師".into(),
                    },
                },
            ),
        ];
        let state = replay(&events).unwrap();
        assert_eq!(state.status, Discharged);
        assert_eq!(
            state.where_now.label_ja(),
            "在宅（在宅医: みなみ在宅クリニック 田中医師）"
        );
        assert_eq!(state.last_news, d(6, 5));
        assert_eq!(state.expected_discharge, None);
        assert_eq!(state.acknowledged_on, Some(d(5, 14)));
        assert_eq!(state.seen_on, Some(d(5, 14)));
        assert_eq!(state.outcome(), Outcome::OtherHomeCareDoctor);
    }

    #[test]
    fn acknowledgement_and_first_visit_are_the_first_of_their_kind() {
        let events = [
            sent(),
            ev("2", EventDetails::Received { date: d(5, 13) }),
            ev(
                "3",
                EventDetails::Visited {
                    date: d(5, 20),
                    department: String::new(),
                },
            ),
            admitted("4", 22),
        ];
        let state = replay(&events).unwrap();
        assert_eq!(state.acknowledged_on, Some(d(5, 13)));
        assert_eq!(state.seen_on, Some(d(5, 20)));
        assert_eq!(state.outcome(), Outcome::Unknown);
        let only_sent = replay(&events[..1]).unwrap();
        assert_eq!((only_sent.acknowledged_on, only_sent.seen_on), (None, None));
        for o in Outcome::ALL {
            assert_eq!(Outcome::from_code(o.code()), Some(o));
        }
    }

    #[test]
    fn a_transfer_is_a_new_leg_of_the_same_episode() {
        let events = [
            sent(),
            admitted("2", 14),
            ev(
                "3",
                EventDetails::Transferred {
                    date: d(6, 1),
                    hospital: "目白リハビリテーション病院".into(),
                },
            ),
        ];
        let state = replay(&events).unwrap();
        assert_eq!(
            state.where_now.label_ja(),
            "目白リハビリテーション病院 入院中"
        );
        assert_eq!(state.hospital, "目白リハビリテーション病院");
        assert_eq!(state.sent_on, d(5, 12));
    }

    #[test]
    fn impossible_histories_are_refused_with_the_reason() {
        // 退院 before 入院.
        let early_discharge = ev(
            "2",
            EventDetails::Discharged {
                date: d(5, 20),
                destination: DischargeDestination::ThisClinic,
            },
        );
        let err = check_append(&[sent()], &early_discharge).unwrap_err();
        assert_eq!(
            err.to_string(),
            "「紹介済」のあとに「退院」は記録できません"
        );
        // An event dated before the referral.
        let err = check_append(&[sent()], &admitted("2", 1)).unwrap_err();
        assert!(matches!(err, ReferralError::BeforePrevious { .. }), "{err}");
        // A discharge dated before the admission.
        let events = [sent(), admitted("2", 14)];
        let err = check_append(
            &events,
            &ev(
                "3",
                EventDetails::Discharged {
                    date: d(5, 13),
                    destination: DischargeDestination::ThisClinic,
                },
            ),
        )
        .unwrap_err();
        assert!(matches!(err, ReferralError::BeforePrevious { .. }));
        // An expected discharge before the day it was planned.
        let err = check_append(
            &events,
            &ev(
                "3",
                EventDetails::DischargePlanned {
                    date: d(5, 20),
                    expected_date: d(5, 18),
                    planned_destination: None,
                    team: String::new(),
                },
            ),
        )
        .unwrap_err();
        assert_eq!(err, ReferralError::ExpectedBeforeAdmission);
        // The first event must be 紹介済.
        assert_eq!(
            replay(&[admitted("1", 14)]),
            Err(ReferralError::MustStartSent)
        );
    }

    #[test]
    fn a_wrong_entry_is_voided_by_a_new_event_and_stays_in_the_history() {
        let wrong = ev(
            "3",
            EventDetails::Deceased {
                date: d(5, 20),
                place: String::new(),
            },
        );
        let events = vec![sent(), admitted("2", 14), wrong];
        assert_eq!(replay(&events).unwrap().status, Deceased);
        let void = ReferralEvent {
            id: "4".into(),
            details: None,
            voids: Some("3".into()),
        };
        let state = check_append(&events, &void).unwrap();
        assert_eq!(state.status, Admitted);
        let mut with_void = events.clone();
        with_void.push(void.clone());
        // Voiding the same entry twice, or the start, is refused.
        assert_eq!(
            check_append(&with_void, &void),
            Err(ReferralError::NothingToVoid)
        );
        let void_start = ReferralEvent {
            id: "5".into(),
            details: None,
            voids: Some("1".into()),
        };
        assert_eq!(
            check_append(&with_void, &void_start),
            Err(ReferralError::CannotVoidStart)
        );
        // After the correction the right event fits.
        let discharged = ev(
            "6",
            EventDetails::Discharged {
                date: d(5, 30),
                destination: DischargeDestination::ThisClinic,
            },
        );
        assert_eq!(
            check_append(&with_void, &discharged).unwrap().where_now,
            WhereNow::AtThisClinic { since: d(5, 30) }
        );
    }

    #[test]
    fn details_travel_as_json_with_their_status() {
        let e = EventDetails::Discharged {
            date: d(6, 5),
            destination: DischargeDestination::Facility {
                name: "特養さくら".into(),
            },
        };
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"status":"discharged","date":"2026-06-05","destination":{"kind":"facility","name":"特養さくら"}}"#
        );
        assert_eq!(serde_json::from_str::<EventDetails>(&json).unwrap(), e);
    }
}
