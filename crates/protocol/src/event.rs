//! Referral events on the wire. A mirror of the domain's `EventDetails`,
//! kept apart so that the domain can change while version 1 stays as sent.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tsunagu_domain::{DischargeDestination, EventDetails};
use uuid::Uuid;

/// One event of a referral's history: details, or the id it voids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireEvent {
    pub id: Uuid,
    pub details: Option<WireEventDetails>,
    pub voids: Option<Uuid>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WireDestination {
    ThisClinic,
    OtherHomeCareDoctor { doctor: String },
    Facility { name: String },
    Other { note: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum WireEventDetails {
    Sent {
        date: NaiveDate,
        hospital: String,
    },
    Received {
        date: NaiveDate,
    },
    Visited {
        date: NaiveDate,
        department: String,
    },
    Admitted {
        date: NaiveDate,
        ward: String,
        attending: String,
    },
    /// 紹介状なし入院, the first event of its episode (version 7).
    AdmittedWithoutLetter {
        date: NaiveDate,
        hospital: String,
        ward: String,
        attending: String,
    },
    DischargePlanned {
        date: NaiveDate,
        expected_date: NaiveDate,
        planned_destination: Option<WireDestination>,
        /// The planned home-care team (version 3; absent before).
        #[serde(default)]
        team: String,
    },
    Transferred {
        date: NaiveDate,
        hospital: String,
    },
    Discharged {
        date: NaiveDate,
        destination: WireDestination,
    },
    Returned {
        date: NaiveDate,
    },
    Deceased {
        date: NaiveDate,
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

impl From<&DischargeDestination> for WireDestination {
    fn from(d: &DischargeDestination) -> Self {
        match d.clone() {
            DischargeDestination::ThisClinic => WireDestination::ThisClinic,
            DischargeDestination::OtherHomeCareDoctor { doctor } => {
                WireDestination::OtherHomeCareDoctor { doctor }
            }
            DischargeDestination::Facility { name } => WireDestination::Facility { name },
            DischargeDestination::Other { note } => WireDestination::Other { note },
        }
    }
}

impl From<WireDestination> for DischargeDestination {
    fn from(d: WireDestination) -> Self {
        match d {
            WireDestination::ThisClinic => DischargeDestination::ThisClinic,
            WireDestination::OtherHomeCareDoctor { doctor } => {
                DischargeDestination::OtherHomeCareDoctor { doctor }
            }
            WireDestination::Facility { name } => DischargeDestination::Facility { name },
            WireDestination::Other { note } => DischargeDestination::Other { note },
        }
    }
}

impl From<&EventDetails> for WireEventDetails {
    fn from(d: &EventDetails) -> Self {
        use EventDetails as E;
        use WireEventDetails as W;
        match d.clone() {
            E::Sent { date, hospital } => W::Sent { date, hospital },
            E::Received { date } => W::Received { date },
            E::Visited { date, department } => W::Visited { date, department },
            E::Admitted {
                date,
                ward,
                attending,
            } => W::Admitted {
                date,
                ward,
                attending,
            },
            E::AdmittedWithoutLetter {
                date,
                hospital,
                ward,
                attending,
            } => W::AdmittedWithoutLetter {
                date,
                hospital,
                ward,
                attending,
            },
            E::DischargePlanned {
                date,
                expected_date,
                planned_destination,
                team,
            } => W::DischargePlanned {
                date,
                expected_date,
                planned_destination: planned_destination.as_ref().map(Into::into),
                team,
            },
            E::Transferred { date, hospital } => W::Transferred { date, hospital },
            E::Discharged { date, destination } => W::Discharged {
                date,
                destination: (&destination).into(),
            },
            E::Returned { date } => W::Returned { date },
            E::Deceased { date, place } => W::Deceased { date, place },
            E::Closed { date, reason } => W::Closed { date, reason },
            E::Cancelled { date, reason } => W::Cancelled { date, reason },
        }
    }
}

impl From<WireEventDetails> for EventDetails {
    fn from(d: WireEventDetails) -> Self {
        use EventDetails as E;
        use WireEventDetails as W;
        match d {
            W::Sent { date, hospital } => E::Sent { date, hospital },
            W::Received { date } => E::Received { date },
            W::Visited { date, department } => E::Visited { date, department },
            W::Admitted {
                date,
                ward,
                attending,
            } => E::Admitted {
                date,
                ward,
                attending,
            },
            W::AdmittedWithoutLetter {
                date,
                hospital,
                ward,
                attending,
            } => E::AdmittedWithoutLetter {
                date,
                hospital,
                ward,
                attending,
            },
            W::DischargePlanned {
                date,
                expected_date,
                planned_destination,
                team,
            } => E::DischargePlanned {
                date,
                expected_date,
                planned_destination: planned_destination.map(Into::into),
                team,
            },
            W::Transferred { date, hospital } => E::Transferred { date, hospital },
            W::Discharged { date, destination } => E::Discharged {
                date,
                destination: destination.into(),
            },
            W::Returned { date } => E::Returned { date },
            W::Deceased { date, place } => E::Deceased { date, place },
            W::Closed { date, reason } => E::Closed { date, reason },
            W::Cancelled { date, reason } => E::Cancelled { date, reason },
        }
    }
}
