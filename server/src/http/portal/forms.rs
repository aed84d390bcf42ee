//! The referral page's forms: an event (which fields count depends on its
//! kind), a void, a call, and how each is read and checked. Refusals are
//! messages for the form.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tsunagu_domain::Checked;
use tsunagu_protocol::{WireDestination, WireEventDetails};
use uuid::Uuid;

use crate::services::referrals::record::Entry;
use crate::services::referrals::view::today;

pub(crate) const MAX_TEXT_CHARS: usize = tsunagu_domain::EVENT_TEXT_MAX_CHARS;
pub(crate) const MAX_NOTE_CHARS: usize = tsunagu_domain::EVENT_NOTE_MAX_CHARS;

/// What the event form posts; which fields count depends on `kind`.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(crate) struct EventForm {
    pub kind: String,
    pub date: String,
    pub department: String,
    pub ward: String,
    pub attending: String,
    pub expected_date: String,
    pub destination: String,
    pub destination_name: String,
    pub team: String,
    pub hospital_id: String,
    pub hospital_name: String,
    pub place: String,
    /// Why an admission without a letter is cancelled (recorded in error).
    pub reason: String,
    pub note: String,
}

/// The registered hospital a transfer names, whose name is to be looked
/// up (none for any other kind of event).
pub(crate) fn transfer_hospital(form: &EventForm) -> Option<Uuid> {
    match Uuid::parse_str(form.hospital_id.trim()) {
        Ok(id) if form.kind == "transferred" => Some(id),
        _ => None,
    }
}

/// The event the form describes. `hospital` is [`transfer_hospital`],
/// and `name` that hospital's name as looked up (`Some(None)`: there is no
/// such hospital).
pub(crate) fn entry(
    form: &EventForm,
    hospital: Option<Uuid>,
    name: Option<Option<String>>,
) -> Checked<Entry> {
    if form.kind == "note" {
        return text(&form.note, "かかりつけ医への連絡事項", true, MAX_NOTE_CHARS).map(|note| {
            Entry {
                details: None,
                voids: None,
                note,
                transfer_to: None,
            }
        });
    }
    let date = parse_day(&form.date, "日付")?;
    if date > today() {
        return Err("未来の日付は記録できません。".into());
    }
    let note = text(
        &form.note,
        "かかりつけ医への連絡事項",
        false,
        MAX_NOTE_CHARS,
    )?;
    // A registered hospital chosen as the transfer's destination, and its
    // name (None if there is no such hospital).
    let registered = hospital.map(|id| (id, name.flatten()));
    let transfer_to = registered.as_ref().map(|(id, _)| *id);
    let details = || -> Checked<WireEventDetails> {
        Ok(match form.kind.as_str() {
            "received" => WireEventDetails::Received { date },
            "visited" => WireEventDetails::Visited {
                date,
                department: text(&form.department, "診療科", true, MAX_TEXT_CHARS)?,
            },
            "admitted" => WireEventDetails::Admitted {
                date,
                ward: text(&form.ward, "病棟", true, MAX_TEXT_CHARS)?,
                attending: text(&form.attending, "主治医", false, MAX_TEXT_CHARS)?,
            },
            "discharge_planned" => WireEventDetails::DischargePlanned {
                date,
                expected_date: parse_day(&form.expected_date, "退院予定日")?,
                planned_destination: destination(form, false)?,
                team: text(&form.team, "在宅チーム（予定）", false, MAX_TEXT_CHARS)?,
            },
            "transferred" => {
                let hospital = match &registered {
                    Some((_, name)) => name.clone().ok_or("転院先の病院が見つかりません。")?,
                    None => text(&form.hospital_name, "転院先の病院", true, MAX_TEXT_CHARS)?,
                };
                WireEventDetails::Transferred { date, hospital }
            }
            "discharged" => WireEventDetails::Discharged {
                date,
                destination: destination(form, true)?.ok_or("退院先を選んでください。")?,
            },
            "deceased" => WireEventDetails::Deceased {
                date,
                place: text(&form.place, "場所", false, MAX_TEXT_CHARS)?,
            },
            "cancelled" => WireEventDetails::Cancelled {
                date,
                reason: text(&form.reason, "取り消す理由", true, MAX_TEXT_CHARS)?,
            },
            _ => return Err("記録する内容を選んでください。".into()),
        })
    }();
    details.map(|details| Entry {
        details: Some(details),
        voids: None,
        note,
        transfer_to,
    })
}

fn parse_day(text: &str, what: &str) -> Checked<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("{what}を入力してください。").into());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| tsunagu_domain::parse_date(text))
        .map_err(|_| {
            format!("{what}が正しくありません（例：2026-11-20 または 令和8年11月20日）。").into()
        })
}

pub(crate) fn text(value: &str, what: &str, required: bool, max: usize) -> Checked<String> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(format!("{what}を入力してください。").into());
    }
    if value.chars().count() > max {
        return Err(format!("{what}は{max}文字までです。").into());
    }
    if value.contains('\0') {
        return Err(format!("{what}に使えない文字が含まれています。").into());
    }
    Ok(value.to_string())
}

fn destination(form: &EventForm, required: bool) -> Checked<Option<WireDestination>> {
    let name = |what: &str| text(&form.destination_name, what, true, MAX_TEXT_CHARS);
    Ok(Some(match form.destination.as_str() {
        "this_clinic" => WireDestination::ThisClinic,
        "other_doctor" => WireDestination::OtherHomeCareDoctor {
            doctor: name("在宅医の名前（医療機関名）")?,
        },
        "facility" => WireDestination::Facility {
            name: name("施設名")?,
        },
        "other" => WireDestination::Other {
            note: name("退院先")?,
        },
        "" if !required => return Ok(None),
        _ => return Err("退院先を選んでください。".into()),
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct VoidForm {
    pub reason: String,
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub(crate) struct CallForm {
    pub called: String,
    pub learned: String,
}
