//! Team operations pushed by a clinic's device: the device acts for its
//! clinic, and the operation names the staff member (ADR 0023).

use chrono::Utc;
use sqlx::PgConnection;
use tsunagu_domain::team::{
    FamilyContactDraft, MemberAction, OrganisationKind, Profession, VitalsDraft,
};
use tsunagu_protocol::{MAX_READ_PER_OP, TeamOp, WireAuthor, WireVitals};

use crate::services::actor::{Actor, Failure, refuse};
use crate::services::teams::TeamActor;
use crate::services::teams::conferences::{self, Schedule};
use crate::services::teams::members::{self, Invitation};
use crate::services::teams::pinned;
use crate::services::teams::timeline::{self, NewPost};

/// The clinic's staff member behind a device's operation.
pub(crate) fn device_actor(by: &Actor, author: Option<&WireAuthor>) -> Result<TeamActor, Failure> {
    let (person, profession) = match author {
        Some(a) => {
            let Some(p) = Profession::from_code(&a.profession) else {
                return Err(refuse("職種の値が正しくありません"));
            };
            if a.name.trim().is_empty() || a.name.chars().count() > 100 {
                return Err(refuse("記録した方のお名前が正しくありません"));
            }
            (a.name.trim().to_string(), p)
        }
        // Membership steps need no person: the clinic acts as the physician.
        None => (String::new(), Profession::Physician),
    };
    Ok(TeamActor {
        organisation: by.organisation.id,
        organisation_name: by.organisation.name.clone(),
        kind: OrganisationKind::Clinic,
        reader: format!("staff:{}:{person}", by.organisation.id),
        person,
        profession,
        is_admin: false,
        audit: by.audit.clone(),
        // The clinic's staff act through the clinic's membership.
        user: None,
    })
}

pub(crate) async fn apply(conn: &mut PgConnection, by: &Actor, op: &TeamOp) -> Result<(), Failure> {
    let now = Utc::now();
    match op {
        TeamOp::Started {
            team_id,
            patient_id,
            owner_member_id,
        } => {
            let actor = device_actor(by, None)?;
            members::start(conn, &actor, *team_id, *patient_id, *owner_member_id, now).await
        }
        TeamOp::Invited {
            team_id,
            member_id,
            organisation_id,
            role,
            person,
        } => {
            let actor = device_actor(by, None)?;
            let invitation = Invitation {
                team: *team_id,
                member: *member_id,
                organisation: *organisation_id,
                role,
                person,
            };
            members::invite(conn, &actor, invitation, now).await
        }
        TeamOp::MemberAction {
            team_id,
            member_id,
            action,
        } => {
            let actor = device_actor(by, None)?;
            let action = match members::action_of(action) {
                Some(a @ MemberAction::Remove) => a,
                Some(a @ MemberAction::Invitation(_))
                    if matches!(action.as_str(), "resend" | "cancel") =>
                {
                    a
                }
                _ => return Err(refuse("この操作は行えません")),
            };
            members::act(conn, &actor, *team_id, *member_id, action, now).await
        }
        TeamOp::FamilyContactAdded {
            team_id,
            member_id,
            name,
            relation,
            phone,
        } => {
            let actor = device_actor(by, None)?;
            let draft = FamilyContactDraft {
                name: name.clone(),
                relation: relation.clone(),
                phone: phone.clone(),
            };
            members::add_family(conn, &actor, *team_id, *member_id, &draft, now).await
        }
        TeamOp::FirstContactSet {
            team_id,
            member_id,
            topic,
        } => {
            let actor = device_actor(by, None)?;
            members::set_first_contact(conn, &actor, *team_id, *member_id, topic, now).await
        }
        TeamOp::Posted {
            team_id,
            entry,
            by: author,
        } => {
            let actor = device_actor(by, Some(author))?;
            let post = NewPost {
                id: entry.id,
                kind: &entry.kind,
                body: &entry.body,
                reply_to: entry.reply_to,
                strikes: entry.strikes,
                vitals: entry.vitals.as_ref().map(vitals_draft),
                attachments: &entry.attachments,
            };
            timeline::post(conn, &actor, *team_id, post, now).await
        }
        TeamOp::Acknowledged {
            team_id,
            entry_id,
            by: author,
        } => {
            let actor = device_actor(by, Some(author))?;
            timeline::receipts(conn, &actor, *team_id, &[*entry_id], true, now).await
        }
        TeamOp::Read {
            team_id,
            entry_ids,
            by: author,
        } => {
            if entry_ids.len() > MAX_READ_PER_OP {
                return Err(refuse("既読にする投稿が多すぎます"));
            }
            let actor = device_actor(by, Some(author))?;
            timeline::receipts(conn, &actor, *team_id, entry_ids, false, now).await
        }
        TeamOp::RequestClosed {
            team_id,
            entry_id,
            by: author,
        } => {
            let actor = device_actor(by, Some(author))?;
            timeline::close_request(conn, &actor, *team_id, *entry_id, now).await
        }
        TeamOp::ConferenceScheduled {
            team_id,
            conference_id,
            starts_at,
            place,
            link,
            note,
            invitees,
            by: author,
        } => {
            let actor = device_actor(by, Some(author))?;
            let asked = Schedule {
                id: *conference_id,
                starts_at: *starts_at,
                place,
                link,
                note,
                invitees,
            };
            conferences::schedule(conn, &actor, *team_id, &asked, now).await
        }
        TeamOp::ConferenceAnswered {
            team_id,
            conference_id,
            attendance,
            by: author,
        } => {
            let actor = device_actor(by, Some(author))?;
            conferences::answer(conn, &actor, *team_id, *conference_id, attendance, now).await
        }
        TeamOp::ConferenceMinutes {
            team_id,
            conference_id,
            body,
            by: author,
        } => {
            let actor = device_actor(by, Some(author))?;
            conferences::minutes(conn, &actor, *team_id, *conference_id, body, now).await
        }
        TeamOp::ConferenceCancelled {
            team_id,
            conference_id,
            by: author,
        } => {
            let actor = device_actor(by, Some(author))?;
            conferences::cancel(conn, &actor, *team_id, *conference_id, now).await
        }
        TeamOp::SummaryPinned {
            team_id,
            summary,
            emergency_sheet,
            by: author,
            written_at,
        } => {
            let actor = device_actor(by, Some(author))?;
            let asked = pinned::Pin {
                team: *team_id,
                summary: summary.as_ref(),
                emergency_sheet: *emergency_sheet,
                written_at: *written_at,
            };
            pinned::pin(conn, &actor, asked, now).await
        }
    }
}

/// The device's numbers as the form's text, so the one check applies.
fn vitals_draft(v: &WireVitals) -> VitalsDraft {
    let text = |n: Option<String>| n.unwrap_or_default();
    VitalsDraft {
        body_temperature: text(v.body_temperature.map(|n| n.to_string())),
        systolic: text(v.systolic.map(|n| n.to_string())),
        diastolic: text(v.diastolic.map(|n| n.to_string())),
        pulse: text(v.pulse.map(|n| n.to_string())),
        spo2: text(v.spo2.map(|n| n.to_string())),
        respiratory_rate: text(v.respiratory_rate.map(|n| n.to_string())),
        weight: text(v.weight.map(|n| n.to_string())),
    }
}
