//! What the portal shows of teams: an organisation's list (with unread
//! counts and invitations) and one team's page (members, history and its
//! timeline). Opening a team's page is audited and marks what it shows as
//! read (receipts are automatic).

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tsunagu_domain::team::{
    EntryKind, MemberState, Receipt, ReceiptSummary, TeamMember, TeamRole, acts_through,
    check_may_post, check_may_read, summarise,
};
use uuid::Uuid;

use crate::db;
use crate::db::conferences::{ConferenceRow, InviteeRow};
use crate::db::team_lists::TeamListRow;
use crate::db::teams::{AttachmentRow, EntryRow, HistoryRow, MemberRow, PatientRow, ReceiptRow};
use crate::services::actor::Failure;
use crate::services::audit;
use crate::services::teams::news::{Whereabouts, whereabouts};
use crate::services::teams::{Loaded, TeamActor, feed, pinned, ward_staff};

/// Entries on one page of a timeline.
pub const PAGE_ENTRIES: i64 = 50;

/// The actor's teams and invitations: their organisation's, and their
/// own as ward staff (until that access ends). A hospital's office
/// membership is listed only for its liaison officers.
pub(crate) async fn list(
    pool: &PgPool,
    actor: &TeamActor,
    now: DateTime<Utc>,
) -> Result<Vec<TeamListRow>, Failure> {
    let mut conn = pool.acquire().await?;
    let rows = db::team_lists::teams_of(
        &mut conn,
        actor.organisation,
        actor.user,
        &actor.reader,
        now,
    )
    .await?;
    Ok(rows
        .into_iter()
        .filter(|r| {
            TeamRole::from_code(&r.role)
                .is_some_and(|role| acts_through(role, r.personal, actor.profession))
        })
        .collect())
}

/// One team as its page shows it.
pub(crate) struct TeamPage {
    pub team_id: Uuid,
    /// The number of the newest entry (the live news compares it).
    pub last_seq: i64,
    pub patient: PatientRow,
    pub members: Vec<(MemberRow, MemberState)>,
    pub history: Vec<HistoryRow>,
    /// Newest first, at most [`PAGE_ENTRIES`].
    pub entries: Vec<EntryView>,
    /// More entries before the oldest shown.
    pub older: Option<i64>,
    /// The viewer's organisation's membership.
    pub me: MemberRow,
    pub my_state: MemberState,
    /// Why the viewer may not read the timeline, if so.
    pub closed: Option<String>,
    pub may_post: bool,
    pub owns: bool,
    /// Whom the viewer may invite: (id, name, kind code) of registered
    /// organisations not on the team (empty when the viewer may not).
    pub invitable: Vec<(Uuid, String, String)>,
    /// Where the patient is (none while the timeline is closed to the
    /// viewer, or if the patient was never referred).
    pub whereabouts: Option<Whereabouts>,
    /// The hospital's people a liaison may invite by name: (account,
    /// name, title as the team will show it).
    pub ward_invitable: Vec<(Uuid, String, &'static str)>,
    /// The team's 退院時カンファレンス with their invitees (none while the
    /// timeline is closed to the viewer).
    pub conferences: Vec<(ConferenceRow, Vec<InviteeRow>)>,
    /// The viewer may set one, record it or call it off.
    pub may_organise: bool,
    /// The pinned 医療・介護連携サマリー (none while the timeline is
    /// closed to the viewer, or before the clinic shares one).
    pub pinned: Option<pinned::PinnedView>,
}

pub(crate) struct EntryView {
    pub row: EntryRow,
    pub attachments: Vec<AttachmentRow>,
    pub receipts: Vec<ReceiptRow>,
    pub summary: ReceiptSummary,
    /// Whether the viewer (this person) has acknowledged it.
    pub acknowledged_by_me: bool,
}

/// The team of the referral's patient, if `actor` may open its timeline
/// now (the referral page links to it: a hospital's office is on the
/// team while the patient is in its care).
pub(crate) async fn readable_team_of_referral(
    pool: &PgPool,
    actor: &TeamActor,
    referral: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, Failure> {
    let mut conn = pool.acquire().await?;
    let Some(patient) = db::referrals::patient_of(&mut conn, referral).await? else {
        return Ok(None);
    };
    let Some(team) = db::teams::of_patient(&mut conn, patient).await? else {
        return Ok(None);
    };
    let Some(loaded) = Loaded::read(&mut conn, team, now).await? else {
        return Ok(None);
    };
    let readable = loaded
        .membership_for(actor)
        .is_some_and(|(_, m)| check_may_read(m, actor.profession, loaded.consent, now).is_ok());
    Ok(readable.then_some(team))
}

/// The team's page for a member organisation, or `None` when the
/// organisation has no place on it at all (never invited): the page does
/// not exist for it.
pub(crate) async fn team_page(
    pool: &PgPool,
    actor: &TeamActor,
    team: Uuid,
    before: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Option<TeamPage>, Failure> {
    let mut tx = pool.begin().await?;
    let Some(loaded) = Loaded::read(&mut tx, team, now).await? else {
        return Ok(None);
    };
    let Some((me, my_member)) = loaded.membership_for(actor) else {
        return Ok(None);
    };
    let (me, my_member) = (me.clone(), my_member.clone());
    let closed = check_may_read(&my_member, actor.profession, loaded.consent, now)
        .err()
        .map(|e| e.message_ja());
    let may_post = check_may_post(
        &my_member,
        actor.profession,
        EntryKind::Note,
        false,
        loaded.consent,
        now,
    )
    .is_ok();
    let patient = db::teams::patient(&mut tx, loaded.team.patient_id).await?;
    let members = loaded
        .rows
        .iter()
        .zip(&loaded.members)
        .map(|(r, m)| (r.clone(), m.state_at(now)))
        .collect();
    let history = db::teams::history(&mut tx, team).await?;
    let mut entries = Vec::new();
    let mut older = None;
    let mut where_now = None;
    let mut pinned_summary = None;
    if closed.is_none() {
        pinned_summary = pinned::shown(&mut tx, actor, team).await?;
        where_now = whereabouts(&mut tx, loaded.team.patient_id, &my_member).await?;
        let before = before.unwrap_or(i64::MAX);
        let rows = db::teams::entries_before(&mut tx, team, before, PAGE_ENTRIES + 1).await?;
        let ids: Vec<Uuid> = rows
            .iter()
            .take(PAGE_ENTRIES as usize)
            .map(|r| r.id)
            .collect();
        if rows.len() as i64 > PAGE_ENTRIES {
            older = rows.get(PAGE_ENTRIES as usize - 1).map(|r| r.seq);
        }
        // Shown, so read: the receipts and the read mark, fed to the
        // owning clinic.
        let changed =
            db::teams::record_receipts(&mut tx, &ids, me.id, &actor.reader, &actor.label(), false)
                .await?;
        if let Some(newest) = rows.first() {
            db::teams::mark_read(&mut tx, team, &actor.reader, newest.seq).await?;
        }
        if !changed.is_empty() {
            feed::receipts(&mut tx, &loaded.team, &changed).await?;
            feed::announce(&mut tx, &loaded.team, loaded.team.last_seq).await?;
        }
        let attachments = db::teams::attachments_of(&mut tx, &ids).await?;
        let receipts = db::teams::receipts_of(&mut tx, &ids).await?;
        entries = rows
            .into_iter()
            .take(PAGE_ENTRIES as usize)
            .map(|row| entry_view(row, &attachments, &receipts, &loaded.members, actor, now))
            .collect();
    }
    let invitable = if may_post && my_member.may_invite_at(now) {
        let on_team: std::collections::HashSet<Uuid> = loaded
            .rows
            .iter()
            .zip(&loaded.members)
            .filter(|(_, m)| m.state_at(now).invitation_state().is_pending() || m.is_active_at(now))
            .filter_map(|(r, _)| r.organisation_id)
            .collect();
        db::organisations::team_joinable(&mut tx)
            .await?
            .into_iter()
            .filter(|(id, ..)| !on_team.contains(id))
            .map(|(id, name, kind, ..)| (id, name, kind))
            .collect()
    } else {
        Vec::new()
    };
    let mut conferences = Vec::new();
    if closed.is_none() {
        let rows = db::conferences::of_team(&mut tx, team).await?;
        let ids: Vec<Uuid> = rows.iter().map(|c| c.id).collect();
        let invitees = db::conferences::invitees(&mut tx, &ids).await?;
        for row in rows {
            let mine = invitees
                .iter()
                .filter(|i| i.conference_id == row.id)
                .cloned()
                .collect();
            conferences.push((row, mine));
        }
    }
    let may_organise = closed.is_none()
        && loaded.consent
        && my_member.is_active_at(now)
        && tsunagu_domain::team::conference::may_organise(&my_member, actor.profession);
    let ward_invitable = if closed.is_none() {
        ward_staff::invitable(&mut tx, &loaded, actor, now).await?
    } else {
        Vec::new()
    };
    audit::record(
        &mut tx,
        &actor.audit,
        "view-team",
        "team",
        &team.to_string(),
    )
    .await?;
    let page = TeamPage {
        team_id: team,
        last_seq: loaded.team.last_seq,
        patient,
        members,
        history,
        entries,
        older,
        owns: loaded.owns(actor),
        me,
        my_state: my_member.state_at(now),
        closed,
        may_post,
        invitable,
        whereabouts: where_now,
        ward_invitable,
        conferences,
        may_organise,
        pinned: pinned_summary,
    };
    tx.commit().await?;
    Ok(Some(page))
}

fn entry_view(
    row: EntryRow,
    attachments: &[AttachmentRow],
    receipts: &[ReceiptRow],
    members: &[TeamMember],
    actor: &TeamActor,
    now: DateTime<Utc>,
) -> EntryView {
    let mine: Vec<ReceiptRow> = receipts
        .iter()
        .filter(|r| r.entry_id == row.id)
        .cloned()
        .collect();
    let domain: Vec<Receipt> = mine
        .iter()
        .map(|r| Receipt {
            member_id: r.member_id.to_string(),
            read_at: Some(r.read_at),
            acknowledged_at: r.acknowledged_at,
        })
        .collect();
    let author = row.author_member.map(|m| m.to_string()).unwrap_or_default();
    let summary = summarise(members, &author, &domain, now);
    let acknowledged_by_me = mine
        .iter()
        .any(|r| r.reader == actor.reader && r.acknowledged_at.is_some());
    EntryView {
        attachments: attachments
            .iter()
            .filter(|a| a.entry_id == Some(row.id))
            .cloned()
            .collect(),
        receipts: mine,
        summary,
        acknowledged_by_me,
        row,
    }
}

/// The teams whose news the actor may follow now: `team` alone if given
/// (when its timeline is open to them), else every team they are an
/// active member of.
pub(crate) async fn followed(
    pool: &PgPool,
    actor: &TeamActor,
    team: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<std::collections::HashSet<Uuid>, Failure> {
    let candidates: Vec<Uuid> = match team {
        Some(team) => vec![team],
        None => list(pool, actor, now)
            .await?
            .into_iter()
            .filter(|t| t.state == "active")
            .map(|t| t.team_id)
            .collect(),
    };
    let mut conn = pool.acquire().await?;
    let mut followed = std::collections::HashSet::new();
    for id in candidates {
        let Some(loaded) = Loaded::read(&mut conn, id, now).await? else {
            continue;
        };
        let Some((_, member)) = loaded.membership_for(actor) else {
            continue;
        };
        if check_may_read(member, actor.profession, loaded.consent, now).is_ok() {
            followed.insert(id);
        }
    }
    Ok(followed)
}
