//! What a team's changes put in the owning clinic's feed (ADR 0023): the
//! member as it is now, each entry, receipt and request state, each line
//! of history; and the announcement that the team's pages listen to.

use sqlx::PgConnection;
use tsunagu_protocol::{
    ChangeBody, TeamChangeBody, WireAttachment, WireConference, WireEntry, WireInvitee, WireMember,
    WireReceipt, WireVitals,
};
use uuid::Uuid;

use crate::db;
use crate::db::teams::{AttachmentRow, EntryRow, MemberRow, ReceiptRow, TeamRow, VitalsRow};
use crate::model::Scope;
use crate::services::actor::Failure;

async fn append(
    conn: &mut PgConnection,
    team: &TeamRow,
    change: TeamChangeBody,
) -> Result<(), Failure> {
    let body = ChangeBody::Team(change);
    db::feed::append(conn, Scope::Org(team.clinic_id), None, &body).await?;
    Ok(())
}

/// Tells open pages that the team changed: `seq` is its timeline's newest
/// number (the pages reload only when it moves).
pub(super) async fn announce(
    conn: &mut PgConnection,
    team: &TeamRow,
    seq: i64,
) -> Result<(), Failure> {
    Ok(db::teams::announce(conn, team.id, seq).await?)
}

pub(super) async fn started(conn: &mut PgConnection, team: &TeamRow) -> Result<(), Failure> {
    let change = TeamChangeBody::Started {
        team_id: team.id,
        patient_id: team.patient_id,
        started_at: team.started_at,
    };
    append(conn, team, change).await
}

/// The member as stored now, and the line of history its change made.
pub(super) async fn member(
    conn: &mut PgConnection,
    team: &TeamRow,
    member: Uuid,
    change: Option<(&str, &str)>,
) -> Result<(), Failure> {
    let Some(row) = db::teams::member(conn, member).await? else {
        return Ok(());
    };
    append(
        conn,
        team,
        TeamChangeBody::Member {
            team_id: team.id,
            member: wire_member(&row),
        },
    )
    .await?;
    if let Some((code, actor)) = change {
        let at = db::teams::add_history(conn, team.id, member, code, actor).await?;
        let line = TeamChangeBody::History {
            team_id: team.id,
            what: code.to_string(),
            member_id: member,
            actor: actor.to_string(),
            at,
        };
        append(conn, team, line).await?;
    }
    Ok(())
}

pub(super) async fn entry(
    conn: &mut PgConnection,
    team: &TeamRow,
    entry: Uuid,
) -> Result<(), Failure> {
    let Some(row) = db::teams::entry(conn, entry).await? else {
        return Ok(());
    };
    let attachments = db::teams::attachments_of(conn, &[entry]).await?;
    let change = TeamChangeBody::Entry {
        team_id: team.id,
        entry: wire_entry(&row, &attachments),
    };
    append(conn, team, change).await
}

/// A 退院時カンファレンス as it stands, with its invitees' answers.
pub(super) async fn conference(
    conn: &mut PgConnection,
    team: &TeamRow,
    conference: Uuid,
) -> Result<(), Failure> {
    let Some(row) = db::conferences::get(conn, conference).await? else {
        return Ok(());
    };
    let invitees = db::conferences::invitees(conn, &[conference]).await?;
    let change = TeamChangeBody::Conference {
        team_id: team.id,
        conference: WireConference {
            id: row.id,
            starts_at: row.starts_at,
            place: row.place,
            link: row.link,
            note: row.note,
            state: row.state,
            organiser_member: row.organiser_member,
            organiser: row.organiser,
            invitees: invitees
                .into_iter()
                .map(|i| WireInvitee {
                    member_id: i.member_id,
                    attendance: i.attendance,
                    answered_by: i.answered_by,
                    answered_at: i.answered_at,
                })
                .collect(),
            minutes_entry: row.minutes_entry,
            scheduled_at: row.scheduled_at,
        },
    };
    append(conn, team, change).await
}

pub(super) async fn receipts(
    conn: &mut PgConnection,
    team: &TeamRow,
    receipts: &[ReceiptRow],
) -> Result<(), Failure> {
    for r in receipts {
        let change = TeamChangeBody::Receipt {
            team_id: team.id,
            entry_id: r.entry_id,
            receipt: WireReceipt {
                member_id: r.member_id,
                reader: r.reader_label.clone(),
                read_at: r.read_at,
                acknowledged_at: r.acknowledged_at,
            },
        };
        append(conn, team, change).await?;
    }
    Ok(())
}

pub(super) async fn request_state(
    conn: &mut PgConnection,
    team: &TeamRow,
    entry: Uuid,
    state: &str,
) -> Result<(), Failure> {
    let change = TeamChangeBody::RequestState {
        team_id: team.id,
        entry_id: entry,
        state: state.to_string(),
    };
    append(conn, team, change).await
}

pub(crate) fn wire_member(row: &MemberRow) -> WireMember {
    let family = row.organisation_id.is_none();
    WireMember {
        id: row.id,
        organisation_id: row.organisation_id,
        name: if family {
            row.family_name.clone()
        } else {
            row.organisation_name.clone().unwrap_or_default()
        },
        kind: row.organisation_kind.clone().unwrap_or_default(),
        role: row.role.clone(),
        state: row.state.clone(),
        person: row.person.clone(),
        phone: if family {
            row.phone.clone()
        } else {
            row.organisation_phone.clone().unwrap_or_default()
        },
        fax: row.organisation_fax.clone().unwrap_or_default(),
        relation: row.relation.clone(),
        expires_at: row.expires_at,
        needs_approval: row.needs_approval,
        access_until: row.access_until,
        first_contact_for: row.first_contact_for.clone(),
        invited_by: row.invited_by,
    }
}

pub(crate) fn wire_entry(row: &EntryRow, attachments: &[AttachmentRow]) -> WireEntry {
    WireEntry {
        id: row.id,
        seq: row.seq,
        kind: row.kind.clone(),
        body: row.body.clone(),
        author_member: row.author_member,
        author: row.author.clone(),
        reply_to: row.reply_to,
        strikes: row.strikes,
        vitals: wire_vitals(&row.vitals),
        attachments: attachments
            .iter()
            .filter(|a| a.entry_id == Some(row.id))
            .map(|a| WireAttachment {
                id: a.id,
                name: a.name.clone(),
                media_type: a.media_type.clone(),
                size: a.size.max(0) as u64,
                sha256: a.sha256.clone(),
            })
            .collect(),
        request_state: row.request_state.clone(),
        posted_at: row.posted_at,
    }
}

fn wire_vitals(v: &VitalsRow) -> Option<WireVitals> {
    if *v == VitalsRow::default() {
        return None;
    }
    let small = |n: Option<i16>| n.and_then(|n| u16::try_from(n).ok());
    Some(WireVitals {
        body_temperature: v.body_temperature,
        systolic: small(v.systolic),
        diastolic: small(v.diastolic),
        pulse: small(v.pulse),
        spo2: small(v.spo2),
        respiratory_rate: small(v.respiratory_rate),
        weight: v.weight,
    })
}
