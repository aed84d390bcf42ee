//! News of where the patient is, from anyone on the team (issue 16): the
//! visiting nurse reports a death at home, a new home-care doctor taking
//! the patient over, the care manager an admission. A report is an event
//! on the patient's latest referral, appended through the same path as
//! the liaison's (`referrals::events::append_event`: the status machine,
//! the feeds to the clinic, the timeline line, the audit log), with the
//! domain's `check_may_report` deciding who may say what.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use tsunagu_domain::team::{TeamMember, check_may_report, statuses_to_report};
use tsunagu_domain::{EventDetails, ReferralStatus, replay};
use tsunagu_protocol::{WireEvent, WireEventDetails, WireSource};
use uuid::Uuid;

use crate::db;
use crate::services::actor::{Failure, Recorder, refuse};
use crate::services::referrals::events::append_event;
use crate::services::referrals::view::{HistoryEvent, history};
use crate::services::teams::{Loaded, TeamActor, refused};

/// Where the patient is, as the team page shows it: the patient's latest
/// referral, and what the viewer may report on it.
pub(crate) struct Whereabouts {
    pub referral: Uuid,
    /// `None` when the history cannot be read.
    pub status: Option<ReferralStatus>,
    pub where_now: String,
    pub history: Vec<HistoryEvent>,
    /// What the viewer's role may record now (empty: nothing).
    pub offer: Vec<ReferralStatus>,
}

/// The patient's latest referral as the team sees it (`None`: the patient
/// was never referred, so there is nothing to report on).
pub(crate) async fn whereabouts(
    conn: &mut PgConnection,
    patient: Uuid,
    member: &TeamMember,
) -> Result<Option<Whereabouts>, Failure> {
    let Some(referral) = db::referrals::latest_of_patient(conn, patient).await? else {
        return Ok(None);
    };
    let history = history(conn, &[referral]).await?;
    let events: Vec<_> = history.iter().map(|e| e.domain.clone()).collect();
    let state = replay(&events).ok();
    let offer = state
        .as_ref()
        .map(|s| statuses_to_report(member.role, s.status))
        .unwrap_or_default();
    Ok(Some(Whereabouts {
        referral,
        status: state.as_ref().map(|s| s.status),
        where_now: state
            .as_ref()
            .map(|s| s.where_now.label_ja())
            .unwrap_or_default(),
        history,
        offer,
    }))
}

/// What a member reports: an event, or the withdrawal (`voids`) of one
/// the member's organisation recorded.
pub(crate) struct Report {
    pub referral: Uuid,
    pub details: Option<WireEventDetails>,
    pub voids: Option<Uuid>,
    pub note: String,
}

/// Records `report` for the member `actor` on `team`, in one transaction.
pub(crate) async fn report(
    pool: &PgPool,
    actor: &TeamActor,
    team: Uuid,
    report: Report,
    now: DateTime<Utc>,
) -> Result<(), Failure> {
    let mut tx = pool.begin().await?;
    // The referral first, then the team: the order every append takes (a
    // liaison's event locks the referral, then puts its line on the team's
    // timeline), so that two appends never wait on each other.
    let patient = db::referrals::patient_of(&mut tx, report.referral).await?;
    let locked = db::referrals::reach_for_update(&mut tx, report.referral).await?;
    let loaded = Loaded::lock(&mut tx, team, now).await?;
    if locked.is_none() || patient != Some(loaded.team.patient_id) {
        return Err(refuse("この患者さんの紹介が見つかりません"));
    }
    let Some((_, member)) = loaded.membership_for(actor) else {
        return Err(refuse("この在宅チームのメンバーではありません"));
    };
    let details = report.details.clone().map(EventDetails::from);
    if details.is_none() && report.voids.is_none() {
        return Err(refuse("記録する内容を選んでください"));
    }
    check_may_report(
        member,
        actor.profession,
        details.as_ref(),
        loaded.consent,
        now,
    )
    .map_err(refused)?;
    let label = actor.label();
    let by = Recorder {
        organisation: actor.organisation,
        source: WireSource::Team,
        label: &label,
        audit: &actor.audit,
    };
    let event = WireEvent {
        id: Uuid::now_v7(),
        details: report.details,
        voids: report.voids,
        note: report.note,
    };
    append_event(&mut tx, &by, report.referral, &event).await?;
    tx.commit().await?;
    Ok(())
}
