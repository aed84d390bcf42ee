//! The portal's 退院時カンファレンス on a team's page (issue 17): setting
//! one (the physician or a hospital's liaison), answering 出席・欠席・
//! オンライン, posting its minutes, calling it off; and how the page shows
//! each conference.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use minijinja::{Value, context};
use serde::Deserialize;
use tsunagu_domain::team::conference::{Attendance, ConferenceState, starts_at, when_ja};
use uuid::Uuid;

use crate::http::portal::pages::not_found;
use crate::http::portal::session::{PortalUser, Posted};
use crate::http::portal::teams::{Shown, after, jst, team_page};
use crate::http::state::ServerState;
use crate::services::actor::{Failure, refuse};
use crate::services::teams::TeamActor;
use crate::services::teams::conferences::{self, Schedule};
use crate::services::teams::views::TeamPage;

/// Runs one action in its own transaction.
async fn in_transaction<F>(state: &ServerState, action: F) -> Result<(), Failure>
where
    F: AsyncFnOnce(&mut sqlx::PgConnection) -> Result<(), Failure>,
{
    let mut tx = state.pool.begin().await?;
    action(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// The form as posted: date, time, place, link, note and a checkbox per
/// member invited (`invitee_<id>`).
pub(crate) async fn schedule(
    State(state): State<ServerState>,
    Path(team): Path<String>,
    Posted(PortalUser(user), fields): Posted<PortalUser, BTreeMap<String, String>>,
) -> Response {
    let Ok(team) = Uuid::parse_str(&team) else {
        return not_found();
    };
    let field = |name: &str| fields.get(name).map(String::as_str).unwrap_or_default();
    let invitees: Vec<Uuid> = fields
        .keys()
        .filter_map(|k| k.strip_prefix("invitee_"))
        .filter_map(|id| Uuid::parse_str(id).ok())
        .collect();
    let actor = TeamActor::portal(&user);
    let result = match starts_at(field("date"), field("time")) {
        Ok(at) => {
            let asked = Schedule {
                id: Uuid::now_v7(),
                starts_at: at,
                place: field("place"),
                link: field("link"),
                note: field("note"),
                invitees: &invitees,
            };
            in_transaction(&state, async |tx: &mut sqlx::PgConnection| {
                conferences::schedule(tx, &actor, team, &asked, Utc::now()).await
            })
            .await
        }
        Err(why) => Err(refuse(why.0.trim_end_matches('。'))),
    };
    match result {
        Err(Failure::Refused(r)) => {
            // What was typed comes back with the reason.
            let typed = context! {
                date => field("date"), time => field("time"), place => field("place"),
                link => field("link"), note => field("note"),
                invitees => invitees.iter().map(Uuid::to_string).collect::<Vec<_>>(),
            };
            let shown = Shown {
                error: Some(&r.0),
                conference: Some(typed),
                ..Shown::default()
            };
            team_page(&state, &user, team, None, StatusCode::CONFLICT, shown).await
        }
        other => after(&state, &user, team, other, "conference-scheduled").await,
    }
}

#[derive(Deserialize)]
pub(crate) struct AnswerForm {
    attendance: String,
}

pub(crate) async fn answer(
    State(state): State<ServerState>,
    Path((team, conference)): Path<(String, String)>,
    Posted(PortalUser(user), form): Posted<PortalUser, AnswerForm>,
) -> Response {
    let (Ok(team), Ok(conference)) = (Uuid::parse_str(&team), Uuid::parse_str(&conference)) else {
        return not_found();
    };
    let actor = TeamActor::portal(&user);
    let result = in_transaction(&state, async |tx: &mut sqlx::PgConnection| {
        conferences::answer(tx, &actor, team, conference, &form.attendance, Utc::now()).await
    })
    .await;
    after(&state, &user, team, result, "conference-answered").await
}

#[derive(Deserialize)]
pub(crate) struct MinutesForm {
    body: String,
}

pub(crate) async fn minutes(
    State(state): State<ServerState>,
    Path((team, conference)): Path<(String, String)>,
    Posted(PortalUser(user), form): Posted<PortalUser, MinutesForm>,
) -> Response {
    let (Ok(team), Ok(conference)) = (Uuid::parse_str(&team), Uuid::parse_str(&conference)) else {
        return not_found();
    };
    let actor = TeamActor::portal(&user);
    let result = in_transaction(&state, async |tx: &mut sqlx::PgConnection| {
        conferences::minutes(tx, &actor, team, conference, &form.body, Utc::now()).await
    })
    .await;
    after(&state, &user, team, result, "conference-held").await
}

#[derive(Deserialize)]
pub(crate) struct Nothing {}

pub(crate) async fn cancel(
    State(state): State<ServerState>,
    Path((team, conference)): Path<(String, String)>,
    Posted(PortalUser(user), _form): Posted<PortalUser, Nothing>,
) -> Response {
    let (Ok(team), Ok(conference)) = (Uuid::parse_str(&team), Uuid::parse_str(&conference)) else {
        return not_found();
    };
    let actor = TeamActor::portal(&user);
    let result = in_transaction(&state, async |tx: &mut sqlx::PgConnection| {
        conferences::cancel(tx, &actor, team, conference, Utc::now()).await
    })
    .await;
    after(&state, &user, team, result, "conference-cancelled").await
}

/// The conferences as the team page shows them, and whom a new one may
/// invite.
pub(crate) fn conferences_view(page: &TeamPage) -> Value {
    let now = Utc::now();
    let name = |member: Uuid| {
        page.members
            .iter()
            .find(|(r, _)| r.id == member)
            .map(|(r, _)| {
                let org = r.organisation_name.clone().unwrap_or_default();
                if r.person.is_empty() {
                    org
                } else {
                    format!("{org} {}", r.person)
                }
            })
            .unwrap_or_default()
    };
    let list: Vec<Value> = page
        .conferences
        .iter()
        .map(|(c, invitees)| {
            let state = ConferenceState::from_code(&c.state).unwrap_or(ConferenceState::Cancelled);
            let upcoming = state == ConferenceState::Scheduled && now < c.starts_at;
            let mine = invitees.iter().find(|i| i.member_id == page.me.id);
            context! {
                id => c.id,
                when => when_ja(c.starts_at),
                state => state.label_ja(),
                state_code => state.code(),
                place => c.place,
                link => c.link,
                note => c.note,
                organiser => c.organiser,
                invitees => invitees.iter().map(|i| context! {
                    name => name(i.member_id),
                    attendance => Attendance::from_code(&i.attendance).map(Attendance::label_ja),
                    attendance_code => i.attendance,
                    answered_at => i.answered_at.map(jst),
                }).collect::<Vec<_>>(),
                my_answer => mine.map(|i| i.attendance.clone()),
                may_answer => upcoming && mine.is_some(),
                may_record => page.may_organise && state == ConferenceState::Scheduled && now >= c.starts_at,
                may_cancel => page.may_organise && state == ConferenceState::Scheduled,
                minutes_entry => c.minutes_entry,
            }
        })
        .collect();
    let invitable: Vec<Value> = page
        .members
        .iter()
        .filter(|(r, s)| {
            *s == tsunagu_domain::team::MemberState::Active
                && r.organisation_id.is_some()
                && r.access_until.is_none_or(|u| now < u)
        })
        .map(|(r, _)| context! { id => r.id, name => name(r.id) })
        .collect();
    context! {
        list => list,
        may_organise => page.may_organise,
        invitable => invitable,
        attendances => [Attendance::Attend, Attendance::Online, Attendance::Absent]
            .iter().map(|a| context! { code => a.code(), label => a.label_ja() }).collect::<Vec<_>>(),
    }
}
