//! The team's timeline: posts (with replies, corrections, vital signs
//! and attachments), receipts and 「確認しました」, closing a 相談・依頼, and
//! the lines a referral's events put on it. Entries never change: a
//! correction is a new entry that strikes the old one.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use tsunagu_domain::EventDetails;
use tsunagu_domain::team::{
    EntryFacts, EntryKind, RequestActor, RequestState, TeamError, Vitals, VitalsDraft, check_body,
    check_correction, check_may_post, check_may_read, check_reply_target, check_vitals,
    referral_line_ja, voided_line_ja,
};
use uuid::Uuid;

use crate::db;
use crate::db::teams::{EntryRow, NewEntry, VitalsRow};
use crate::services::actor::{Failure, refuse};
use crate::services::audit;
use crate::services::teams::{Loaded, TeamActor, feed, refused};

/// The most files on one post.
pub const MAX_ATTACHMENTS_PER_POST: usize = 10;

/// A post as written.
pub(crate) struct NewPost<'a> {
    pub id: Uuid,
    pub kind: &'a str,
    pub body: &'a str,
    pub reply_to: Option<Uuid>,
    pub strikes: Option<Uuid>,
    pub vitals: Option<VitalsDraft>,
    pub attachments: &'a [Uuid],
}

fn facts(row: &EntryRow) -> Result<EntryFacts, Failure> {
    let Some(kind) = EntryKind::from_code(&row.kind) else {
        return Err(Failure::Database(sqlx::Error::Decode(
            "an entry of an unknown kind".into(),
        )));
    };
    Ok(EntryFacts {
        id: row.id.to_string(),
        kind,
        author_member: row.author_member.map(|m| m.to_string()),
        reply_to: row.reply_to.map(|r| r.to_string()),
        struck_by: row.struck_by.map(|s| s.to_string()),
    })
}

/// An entry of this team, or the refusal.
async fn entry_of_team(
    conn: &mut PgConnection,
    team: Uuid,
    entry: Uuid,
) -> Result<EntryRow, Failure> {
    match db::teams::entry(conn, entry).await? {
        Some(row) if row.team_id == team => Ok(row),
        _ => Err(refuse("タイムラインの投稿が見つかりません")),
    }
}

/// Posts on the timeline, as the domain allows the actor now.
pub(crate) async fn post(
    conn: &mut PgConnection,
    actor: &TeamActor,
    team: Uuid,
    post: NewPost<'_>,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let loaded = Loaded::lock(conn, team, now).await?;
    if let Some(existing) = db::teams::entry(conn, post.id).await? {
        // A repeated push of the same post: already there.
        if existing.team_id == team && existing.author_actor == actor.audit {
            return Ok(());
        }
        return Err(refuse("同じ投稿が既にあります"));
    }
    let Some((member_row, member)) = loaded.membership_for(actor) else {
        return Err(refused(TeamError::NotYetMemberCannotPost));
    };
    let member_id = member_row.id;
    let Some(kind) = EntryKind::from_code(post.kind) else {
        return Err(refuse("投稿の種類の値が正しくありません"));
    };
    let vitals = match &post.vitals {
        Some(draft) => check_vitals(draft).map_err(|errors| {
            let first = errors.into_iter().next().map(|(_, m)| m);
            refuse(&first.unwrap_or_else(|| "バイタルサインが正しくありません".into()))
        })?,
        None => None,
    };
    let has_vitals = vitals.is_some();
    check_may_post(
        member,
        actor.profession,
        kind,
        has_vitals,
        loaded.consent,
        now,
    )
    .map_err(refused)?;
    let body = check_body(kind, post.body, has_vitals).map_err(|r| refuse(&r.0))?;
    let mut request_after_reply = None;
    if let Some(target) = post.reply_to {
        let target = entry_of_team(conn, team, target).await?;
        check_reply_target(&facts(&target)?).map_err(refused)?;
        if let (Some(state), Some(asker)) = (&target.request_state, target.request_asker) {
            let state = RequestState::from_code(state).unwrap_or(RequestState::Open);
            let replier = request_actor(&loaded, actor, asker, member_id);
            let next = state.after_reply(replier).map_err(refused)?;
            if next != state {
                request_after_reply = Some((target.id, next));
            }
        }
    }
    if let Some(original) = post.strikes {
        let original = entry_of_team(conn, team, original).await?;
        let reply_to = post.reply_to.map(|r| r.to_string());
        check_correction(
            &facts(&original)?,
            kind,
            reply_to.as_deref(),
            &member_id.to_string(),
        )
        .map_err(refused)?;
    }
    check_attachments(conn, actor, post.attachments).await?;
    let seq = db::teams::next_seq(conn, team).await?;
    let label = actor.label();
    db::teams::insert_entry(
        conn,
        &NewEntry {
            id: post.id,
            team,
            seq,
            kind: kind.code(),
            body: &body,
            author_member: Some(member_id),
            author: &label,
            author_actor: &actor.audit,
            reply_to: post.reply_to,
            strikes: post.strikes,
            referral: None,
            vitals: vitals.map(vitals_row),
        },
    )
    .await?;
    for attachment in post.attachments {
        db::teams::link_attachment(conn, *attachment, post.id).await?;
    }
    if kind == EntryKind::Request && post.reply_to.is_none() {
        db::teams::open_request(conn, team, post.id, member_id).await?;
    }
    // The author has read what they wrote.
    let own = db::teams::record_receipts(conn, &[post.id], member_id, &actor.reader, &label, false)
        .await?;
    db::teams::mark_read(conn, team, &actor.reader, seq).await?;
    feed::entry(conn, &loaded.team, post.id).await?;
    if let Some((request, state)) = request_after_reply {
        db::teams::set_request_state(conn, request, state.code()).await?;
        feed::request_state(conn, &loaded.team, request, state.code()).await?;
    }
    feed::receipts(conn, &loaded.team, &own).await?;
    audit::record(conn, &actor.audit, "team-post", "team", &team.to_string()).await?;
    feed::announce(conn, &loaded.team, seq).await
}

/// Who the actor is to a request asked by `asker`.
fn request_actor(
    loaded: &Loaded,
    actor: &TeamActor,
    asker: Uuid,
    actor_member: Uuid,
) -> RequestActor {
    if actor_member == asker {
        RequestActor::Asker
    } else if loaded.owns(actor) {
        RequestActor::Physician
    } else {
        RequestActor::Other
    }
}

/// Attachments named by a post: uploaded by the actor's organisation, not
/// yet on another post.
async fn check_attachments(
    conn: &mut PgConnection,
    actor: &TeamActor,
    ids: &[Uuid],
) -> Result<(), Failure> {
    if ids.len() > MAX_ATTACHMENTS_PER_POST {
        return Err(refuse("添付できるファイルは1件の投稿に10個までです"));
    }
    for id in ids {
        match db::teams::attachment(conn, *id).await? {
            Some(a) if a.organisation_id == actor.organisation && a.entry_id.is_none() => {}
            Some(_) => return Err(refuse("このファイルは添付できません")),
            None => {
                return Err(refuse(
                    "添付ファイルがまだ届いていません。しばらくしてからもう一度送ってください",
                ));
            }
        }
    }
    Ok(())
}

fn vitals_row(v: Vitals) -> VitalsRow {
    let small = |n: Option<u16>| n.and_then(|n| i16::try_from(n).ok());
    VitalsRow {
        body_temperature: v.body_temperature,
        systolic: small(v.systolic),
        diastolic: small(v.diastolic),
        pulse: small(v.pulse),
        spo2: small(v.spo2),
        respiratory_rate: small(v.respiratory_rate),
        weight: v.weight,
    }
}

/// Read receipts (automatic when entries are shown) or 「確認しました」.
pub(crate) async fn receipts(
    conn: &mut PgConnection,
    actor: &TeamActor,
    team: Uuid,
    entries: &[Uuid],
    acknowledge: bool,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let loaded = Loaded::lock(conn, team, now).await?;
    let Some((member_row, member)) = loaded.membership_for(actor) else {
        return Err(refused(TeamError::NeverJoined));
    };
    check_may_read(member, actor.profession, loaded.consent, now).map_err(refused)?;
    let seqs = db::teams::entry_seqs(conn, team, entries).await?;
    if seqs.len() != entries.len() {
        return Err(refuse("タイムラインの投稿が見つかりません"));
    }
    let ids: Vec<Uuid> = seqs.iter().map(|(id, _)| *id).collect();
    let changed = db::teams::record_receipts(
        conn,
        &ids,
        member_row.id,
        &actor.reader,
        &actor.label(),
        acknowledge,
    )
    .await?;
    if let Some(highest) = seqs.iter().map(|(_, s)| *s).max() {
        db::teams::mark_read(conn, team, &actor.reader, highest).await?;
    }
    if changed.is_empty() {
        return Ok(());
    }
    feed::receipts(conn, &loaded.team, &changed).await?;
    if acknowledge {
        audit::record(
            conn,
            &actor.audit,
            "team-acknowledge",
            "team",
            &team.to_string(),
        )
        .await?;
    }
    feed::announce(conn, &loaded.team, loaded.team.last_seq).await
}

/// Closes a 相談・依頼: its asker or the physician.
pub(crate) async fn close_request(
    conn: &mut PgConnection,
    actor: &TeamActor,
    team: Uuid,
    entry: Uuid,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let loaded = Loaded::lock(conn, team, now).await?;
    let Some((member_row, member)) = loaded.membership_for(actor) else {
        return Err(refused(TeamError::NeverJoined));
    };
    check_may_read(member, actor.profession, loaded.consent, now).map_err(refused)?;
    let row = entry_of_team(conn, team, entry).await?;
    let (Some(state), Some(asker)) = (row.request_state.as_deref(), row.request_asker) else {
        return Err(refused(TeamError::NotARequest));
    };
    let state = RequestState::from_code(state).unwrap_or(RequestState::Open);
    let closer = request_actor(&loaded, actor, asker, member_row.id);
    let next = state.close(closer).map_err(refused)?;
    db::teams::set_request_state(conn, entry, next.code()).await?;
    feed::request_state(conn, &loaded.team, entry, next.code()).await?;
    audit::record(
        conn,
        &actor.audit,
        "team-close-request",
        "team",
        &team.to_string(),
    )
    .await?;
    feed::announce(conn, &loaded.team, loaded.team.last_seq).await
}

/// A referral's event, as a line on the patient's team's timeline (if
/// the patient has a team). `hospital` is the episode's hospital.
pub(crate) async fn referral_event(
    conn: &mut PgConnection,
    patient: Uuid,
    referral: Uuid,
    event: ReferralLine<'_>,
    recorded_by: &str,
    audit_actor: &str,
) -> Result<(), Failure> {
    let Some(team) = db::teams::of_patient(conn, patient).await? else {
        return Ok(());
    };
    let Some(team_row) = db::teams::lock(conn, team).await? else {
        return Ok(());
    };
    let body = match event {
        ReferralLine::Recorded { details, hospital } => referral_line_ja(details, hospital),
        ReferralLine::Voided { voided } => voided_line_ja(voided),
    };
    let seq = db::teams::next_seq(conn, team).await?;
    let id = Uuid::now_v7();
    db::teams::insert_entry(
        conn,
        &NewEntry {
            id,
            team,
            seq,
            kind: EntryKind::ReferralEvent.code(),
            body: &body,
            author_member: None,
            author: recorded_by,
            author_actor: audit_actor,
            reply_to: None,
            strikes: None,
            referral: Some(referral),
            vitals: None,
        },
    )
    .await?;
    feed::entry(conn, &team_row, id).await?;
    feed::announce(conn, &team_row, seq).await
}

/// What a referral event says on the timeline.
pub(crate) enum ReferralLine<'a> {
    Recorded {
        details: &'a EventDetails,
        hospital: &'a str,
    },
    Voided {
        voided: &'a EventDetails,
    },
}
