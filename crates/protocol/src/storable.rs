//! Values JSON can carry but a database cannot keep: text with NUL
//! characters, and dates outside years 1–9999 (chrono reads years back to
//! 262144 BC; PostgreSQL stops at 4713 BC, and no referral is that old).
//! A push operation carrying one is refused on its own; any other request
//! carrying one is malformed.

use chrono::{Datelike, NaiveDate};

use crate::event::{WireDestination, WireEvent, WireEventDetails};
use crate::push::{OpBody, WireLetterSummary};
use crate::team::{TeamOp, WireAuthor};

/// Whether a database can keep every value the operation carries.
pub fn op_storable(body: &OpBody) -> bool {
    let mut values = Values::default();
    values.op(body);
    values.storable()
}

/// Every text an operation carries, for the server's length rules.
pub fn op_texts(body: &OpBody) -> Vec<&str> {
    let mut values = Values::default();
    values.op(body);
    values.texts
}

/// The texts of an event's details (names, ward, reason…), not its note.
pub fn event_detail_texts(details: &WireEventDetails) -> Vec<&str> {
    let mut values = Values::default();
    values.details(details);
    values.texts
}

#[derive(Default)]
pub(crate) struct Values<'a> {
    texts: Vec<&'a str>,
    dates: Vec<NaiveDate>,
}

impl<'a> Values<'a> {
    pub(crate) fn storable(&self) -> bool {
        self.texts.iter().all(|t| !t.contains('\0'))
            && self.dates.iter().all(|d| (1..=9999).contains(&d.year()))
    }

    pub(crate) fn op(&mut self, body: &'a OpBody) {
        match body {
            OpBody::PatientShared {
                name,
                kana,
                birth_date,
                sex,
                ..
            } => {
                self.texts.extend([name.as_str(), kana, sex]);
                self.dates.push(*birth_date);
            }
            OpBody::ConsentRecorded {
                obtained_on,
                obtained_by,
                withdrawn_on,
                family,
                ..
            } => {
                self.texts.push(obtained_by);
                if let Some(f) = family {
                    self.texts.extend([f.name.as_str(), &f.relation]);
                }
                self.dates.push(*obtained_on);
                self.dates.extend(*withdrawn_on);
            }
            OpBody::ReferralOpened {
                tracking_code,
                sent,
                letter,
                ..
            } => {
                self.texts.push(tracking_code);
                self.event(sent);
                if let Some(l) = letter {
                    self.letter(l);
                }
            }
            OpBody::LetterRevised { letter, .. } => self.letter(letter),
            OpBody::EventAppended { event, .. } => self.event(event),
            OpBody::ReferralAssigned { .. } => {}
            OpBody::ReferralClaimed { tracking_code } => self.texts.push(tracking_code),
            OpBody::Team(op) => self.team(op),
            OpBody::DischargeRequestAnswered(a) => {
                self.texts
                    .extend([a.answer.as_str(), &a.text, &a.by.name, &a.by.profession]);
            }
            OpBody::IntakeSent(r) => {
                self.texts.extend([
                    r.age.as_str(),
                    &r.sex,
                    &r.municipality,
                    &r.start_on,
                    &r.summary,
                    &r.by.name,
                    &r.by.profession,
                ]);
                self.texts.extend(r.needs.iter().map(String::as_str));
            }
            OpBody::IntakeAnswered(a) => {
                self.texts
                    .extend([a.answer.as_str(), &a.text, &a.by.name, &a.by.profession]);
            }
            OpBody::IntakeWithdrawn { .. } => {}
        }
    }

    fn letter(&mut self, l: &'a WireLetterSummary) {
        self.texts.extend([
            l.clinic.as_str(),
            &l.doctor,
            &l.phone,
            &l.fax,
            &l.address,
            &l.purpose,
        ]);
        self.texts.extend(l.diagnoses.iter().map(String::as_str));
    }

    fn team(&mut self, op: &'a TeamOp) {
        match op {
            TeamOp::Started { .. } => {}
            TeamOp::Invited { role, person, .. } => self.texts.extend([role.as_str(), person]),
            TeamOp::MemberAction { action, .. } => self.texts.push(action),
            TeamOp::FamilyContactAdded {
                name,
                relation,
                phone,
                ..
            } => self.texts.extend([name.as_str(), relation, phone]),
            TeamOp::FirstContactSet { topic, .. } => self.texts.push(topic),
            TeamOp::Posted { entry, by, .. } => {
                self.texts.extend([entry.kind.as_str(), &entry.body]);
                self.author(by);
            }
            TeamOp::Acknowledged { by, .. }
            | TeamOp::Read { by, .. }
            | TeamOp::RequestClosed { by, .. }
            | TeamOp::ConferenceCancelled { by, .. } => self.author(by),
            TeamOp::ConferenceScheduled {
                place,
                link,
                note,
                by,
                ..
            } => {
                self.texts.extend([place.as_str(), link, note]);
                self.author(by);
            }
            TeamOp::ConferenceAnswered { attendance, by, .. } => {
                self.texts.push(attendance);
                self.author(by);
            }
            TeamOp::ConferenceMinutes { body, by, .. } => {
                self.texts.push(body);
                self.author(by);
            }
            TeamOp::SummaryPinned { summary, by, .. } => {
                let s = summary;
                self.texts.extend(s.problems.iter().map(String::as_str));
                self.texts.extend(s.medications.iter().map(String::as_str));
                self.texts.extend(s.devices.iter().map(String::as_str));
                self.texts
                    .extend([s.allergies.as_str(), &s.after_hours_phone, &s.cautions]);
                self.dates.extend(s.next_visit);
                if let Some(w) = &s.wishes {
                    self.dates.push(w.held_on);
                    self.texts.extend([
                        w.place_of_care.as_str(),
                        &w.place_of_care_note,
                        &w.place_of_death,
                        &w.place_of_death_note,
                        &w.wishes_note,
                        &w.values,
                        &w.surrogate_name,
                        &w.surrogate_relation,
                        &w.surrogate_phone,
                    ]);
                    for (treatment, wish) in &w.treatments {
                        self.texts.extend([treatment.as_str(), wish]);
                    }
                }
                self.author(by);
            }
        }
    }

    fn author(&mut self, by: &'a WireAuthor) {
        self.texts.extend([by.name.as_str(), &by.profession]);
    }

    fn event(&mut self, event: &'a WireEvent) {
        self.texts.push(&event.note);
        if let Some(details) = &event.details {
            self.details(details);
        }
    }

    fn details(&mut self, details: &'a WireEventDetails) {
        use WireEventDetails as D;
        match details {
            D::Sent { date, hospital } | D::Transferred { date, hospital } => {
                self.dates.push(*date);
                self.texts.push(hospital);
            }
            D::Received { date } | D::Returned { date } => self.dates.push(*date),
            D::Visited { date, department } => {
                self.dates.push(*date);
                self.texts.push(department);
            }
            D::Admitted {
                date,
                ward,
                attending,
            } => {
                self.dates.push(*date);
                self.texts.extend([ward.as_str(), attending]);
            }
            D::AdmittedWithoutLetter {
                date,
                hospital,
                ward,
                attending,
            } => {
                self.dates.push(*date);
                self.texts.extend([hospital.as_str(), ward, attending]);
            }
            D::DischargePlanned {
                date,
                expected_date,
                planned_destination,
                team,
            } => {
                self.dates.extend([*date, *expected_date]);
                self.texts.push(team);
                if let Some(d) = planned_destination {
                    self.destination(d);
                }
            }
            D::Discharged { date, destination } => {
                self.dates.push(*date);
                self.destination(destination);
            }
            D::Deceased { date, place } => {
                self.dates.push(*date);
                self.texts.push(place);
            }
            D::Closed { date, reason } | D::Cancelled { date, reason } => {
                self.dates.push(*date);
                self.texts.push(reason);
            }
        }
    }

    fn destination(&mut self, destination: &'a WireDestination) {
        match destination {
            WireDestination::ThisClinic => {}
            WireDestination::OtherHomeCareDoctor { doctor: t }
            | WireDestination::Facility { name: t }
            | WireDestination::Other { note: t } => self.texts.push(t),
        }
    }
}
