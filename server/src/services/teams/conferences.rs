//! 退院時カンファレンス on the server (issue 17; the rules are the domain's
//! `team::conference`). The physician (from the clinic's app) or a
//! hospital's liaison (from the portal) sets one: it goes on the timeline
//! as a post of theirs, with its invitees kept beside it. Invitees answer
//! until it starts; the hourly round posts the day-before reminder; the
//! minutes are posted as the organiser's entry and the referral's history
//! gets a note that it took place. Each change goes whole to the owning
//! clinic's feed and is announced to the team's open pages.

use chrono::{DateTime, Duration, Utc};
use sqlx::{PgConnection, PgPool};
use tsunagu_domain::team::EntryKind;
use tsunagu_domain::team::conference::{
    Attendance, ConferenceDraft, ConferenceState, REMINDER_HOURS, check_answer, check_cancel,
    check_conference, check_minutes, held_note_ja, may_organise, minutes_entry_ja, reminder_due,
    reminder_entry_ja, scheduled_entry_ja,
};
use tsunagu_protocol::{WireEvent, WireSource};
use uuid::Uuid;

use crate::db;
use crate::db::conferences::{ConferenceRow, NewConference};
use crate::db::teams::NewEntry;
use crate::services::actor::{Failure, Recorder, refuse};
use crate::services::audit;
use crate::services::referrals::events::append_event;
use crate::services::teams::timeline::{self, NewPost};
use crate::services::teams::{Loaded, TeamActor, feed};

/// Who the automatic reminder is by.
const REMINDER_AUTHOR: &str = "つなぐ（自動）";

fn rejected(r: tsunagu_domain::Rejection) -> Failure {
    refuse(r.0.trim_end_matches('。'))
}

/// A conference as asked for.
pub(crate) struct Schedule<'a> {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub place: &'a str,
    pub link: &'a str,
    pub note: &'a str,
    pub invitees: &'a [Uuid],
}

/// The actor's membership, if it may organise conferences now.
fn organiser(loaded: &Loaded, actor: &TeamActor, now: DateTime<Utc>) -> Result<Uuid, Failure> {
    match loaded.membership_for(actor) {
        Some((row, member))
            if member.is_active_at(now)
                && loaded.consent
                && may_organise(member, actor.profession) =>
        {
            Ok(row.id)
        }
        _ => Err(refuse(
            "退院時カンファレンスを設定・記録できるのは、主治医と、チームに参加している病院の地域連携室です",
        )),
    }
}

/// The physician or a hospital's liaison sets a conference.
pub(crate) async fn schedule(
    conn: &mut PgConnection,
    actor: &TeamActor,
    team: Uuid,
    asked: &Schedule<'_>,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let loaded = Loaded::lock(conn, team, now).await?;
    if let Some(existing) = db::conferences::get(conn, asked.id).await? {
        // Sent again after its answer was lost.
        return if existing.team_id == team {
            Ok(())
        } else {
            Err(refuse("同じ記録が既にあります"))
        };
    }
    let organiser_member = organiser(&loaded, actor, now)?;
    let draft = ConferenceDraft {
        starts_at: asked.starts_at,
        place: asked.place.to_string(),
        link: asked.link.to_string(),
        note: asked.note.to_string(),
        invitees: asked.invitees.iter().map(Uuid::to_string).collect(),
    };
    let checked = check_conference(&draft, &loaded.members, now).map_err(rejected)?;
    let invitees: Vec<Uuid> = checked
        .invitees
        .iter()
        .filter_map(|id| Uuid::parse_str(id).ok())
        .collect();
    let names: Vec<String> = invitees
        .iter()
        .filter_map(|id| loaded.member(*id))
        .map(|(row, _)| member_name(row))
        .collect();
    let body = scheduled_entry_ja(&checked, &names);
    timeline::post(conn, actor, team, note(&body), now).await?;
    let referral = db::referrals::latest_of_patient(conn, loaded.team.patient_id).await?;
    let label = actor.label();
    db::conferences::insert(
        conn,
        &NewConference {
            id: asked.id,
            team,
            referral,
            starts_at: checked.starts_at,
            place: &checked.place,
            link: &checked.link,
            note: &checked.note,
            organiser_member,
            organiser: &label,
            organiser_actor: &actor.audit,
            invitees: &invitees,
        },
    )
    .await?;
    told(
        conn,
        &loaded,
        asked.id,
        &actor.audit,
        "team-conference-scheduled",
    )
    .await
}

/// An invitee answers 出席, 欠席 or オンライン.
pub(crate) async fn answer(
    conn: &mut PgConnection,
    actor: &TeamActor,
    team: Uuid,
    conference: Uuid,
    attendance: &str,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let loaded = Loaded::lock(conn, team, now).await?;
    let row = conference_of(conn, team, conference).await?;
    let attendance = match Attendance::from_code(attendance) {
        Some(a) if a != Attendance::Pending => a,
        _ => return Err(refuse("出欠の値が正しくありません")),
    };
    let member = loaded
        .membership_for(actor)
        .filter(|(_, m)| m.is_active_at(now))
        .map(|(r, _)| r.id);
    let invitees = db::conferences::invitees(conn, &[conference]).await?;
    let invited = member.filter(|m| invitees.iter().any(|i| i.member_id == *m));
    check_answer(state_of(&row)?, row.starts_at, invited.is_some(), now).map_err(rejected)?;
    let Some(member) = invited else {
        return Err(refuse("このカンファレンスに招待されていません"));
    };
    db::conferences::answer(conn, conference, member, attendance.code(), &actor.label()).await?;
    told(
        conn,
        &loaded,
        conference,
        &actor.audit,
        "team-conference-answered",
    )
    .await
}

/// The organiser posts the minutes after it started: the timeline keeps
/// them, and the referral's history notes that it took place.
pub(crate) async fn minutes(
    conn: &mut PgConnection,
    actor: &TeamActor,
    team: Uuid,
    conference: Uuid,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    // The referral is locked before the team, as every append does.
    let referral = match db::conferences::get(conn, conference).await? {
        Some(row) if row.team_id == team => row.referral_id,
        _ => return Err(refuse("カンファレンスが見つかりません")),
    };
    if let Some(referral) = referral {
        db::referrals::reach_for_update(conn, referral).await?;
    }
    let loaded = Loaded::lock(conn, team, now).await?;
    let row = conference_of(conn, team, conference).await?;
    organiser(&loaded, actor, now)?;
    check_minutes(state_of(&row)?, row.starts_at, body, now).map_err(rejected)?;
    let text = minutes_entry_ja(row.starts_at, body);
    let post = note(&text);
    let entry = post.id;
    timeline::post(conn, actor, team, post, now).await?;
    db::conferences::set_state(conn, conference, ConferenceState::Held.code(), Some(entry)).await?;
    if let Some(referral) = row.referral_id {
        let label = actor.label();
        let by = Recorder {
            organisation: actor.organisation,
            source: WireSource::Team,
            label: &label,
            audit: &actor.audit,
        };
        let event = WireEvent {
            id: Uuid::now_v7(),
            details: None,
            voids: None,
            note: held_note_ja(row.starts_at),
        };
        append_event(conn, &by, referral, &event).await?;
    }
    told(
        conn,
        &loaded,
        conference,
        &actor.audit,
        "team-conference-held",
    )
    .await
}

/// The organiser calls it off.
pub(crate) async fn cancel(
    conn: &mut PgConnection,
    actor: &TeamActor,
    team: Uuid,
    conference: Uuid,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let loaded = Loaded::lock(conn, team, now).await?;
    let row = conference_of(conn, team, conference).await?;
    organiser(&loaded, actor, now)?;
    check_cancel(state_of(&row)?).map_err(rejected)?;
    let text = format!(
        "【退院時カンファレンス】{}の予定は中止になりました。",
        tsunagu_domain::team::conference::when_ja(row.starts_at)
    );
    timeline::post(conn, actor, team, note(&text), now).await?;
    db::conferences::set_state(conn, conference, ConferenceState::Cancelled.code(), None).await?;
    told(
        conn,
        &loaded,
        conference,
        &actor.audit,
        "team-conference-cancelled",
    )
    .await
}

/// The hourly round: the day-before reminder on the timeline of each
/// conference due one; the number reminded.
pub(crate) async fn remind_due(pool: &PgPool, now: DateTime<Utc>) -> Result<usize, Failure> {
    let mut conn = pool.acquire().await?;
    let due = db::conferences::to_remind(&mut conn, now + Duration::hours(REMINDER_HOURS)).await?;
    drop(conn);
    let mut reminded = 0;
    for (conference, team) in due {
        let mut tx = pool.begin().await?;
        let loaded = Loaded::lock(&mut tx, team, now).await?;
        let row = conference_of(&mut tx, team, conference).await?;
        if !reminder_due(
            state_of(&row)?,
            row.starts_at,
            row.reminded_at.is_some(),
            now,
        ) {
            continue;
        }
        let body = reminder_entry_ja(row.starts_at, &row.place, &row.link);
        let seq = db::teams::next_seq(&mut tx, team).await?;
        let id = Uuid::now_v7();
        db::teams::insert_entry(
            &mut tx,
            &NewEntry {
                id,
                team,
                seq,
                kind: EntryKind::Note.code(),
                body: &body,
                author_member: None,
                author: REMINDER_AUTHOR,
                author_actor: "system:reminder",
                reply_to: None,
                strikes: None,
                referral: None,
                vitals: None,
            },
        )
        .await?;
        feed::entry(&mut tx, &loaded.team, id).await?;
        db::conferences::mark_reminded(&mut tx, conference).await?;
        feed::conference(&mut tx, &loaded.team, conference).await?;
        feed::announce(&mut tx, &loaded.team, seq).await?;
        tx.commit().await?;
        reminded += 1;
    }
    Ok(reminded)
}

fn note(body: &str) -> NewPost<'_> {
    NewPost {
        id: Uuid::now_v7(),
        kind: EntryKind::Note.code(),
        body,
        reply_to: None,
        strikes: None,
        vitals: None,
        attachments: &[],
    }
}

/// The member as a list of invitees names it.
fn member_name(row: &db::teams::MemberRow) -> String {
    let name = row.organisation_name.clone().unwrap_or_default();
    if row.person.is_empty() {
        name
    } else {
        format!("{name} {}", row.person)
    }
}

async fn conference_of(
    conn: &mut PgConnection,
    team: Uuid,
    conference: Uuid,
) -> Result<ConferenceRow, Failure> {
    match db::conferences::get(conn, conference).await? {
        Some(row) if row.team_id == team => Ok(row),
        _ => Err(refuse("カンファレンスが見つかりません")),
    }
}

fn state_of(row: &ConferenceRow) -> Result<ConferenceState, Failure> {
    ConferenceState::from_code(&row.state).ok_or_else(|| {
        Failure::Database(sqlx::Error::Decode(
            "a conference of an unknown state".into(),
        ))
    })
}

/// The conference whole to the clinic's feed, audited, announced.
async fn told(
    conn: &mut PgConnection,
    loaded: &Loaded,
    conference: Uuid,
    audit_actor: &str,
    action: &str,
) -> Result<(), Failure> {
    feed::conference(conn, &loaded.team, conference).await?;
    audit::record(
        conn,
        audit_actor,
        action,
        "team",
        &loaded.team.id.to_string(),
    )
    .await?;
    let seq = db::teams::get(conn, loaded.team.id)
        .await?
        .map_or(loaded.team.last_seq, |t| t.last_seq);
    feed::announce(conn, &loaded.team, seq).await
}
