//! The team page's 「患者さんの所在」 (issue 16): where the patient is on
//! the latest referral, its history, and the form a member uses to report
//! what they learned first (a death at home, an admission, taking the
//! patient over) or to withdraw their own report. The event form is the
//! liaison's (`forms::entry`); who may say what is the domain's.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use tsunagu_domain::Rejection;
use uuid::Uuid;

use crate::http::portal::forms::{EventForm, entry};
use crate::http::portal::history::history_lines;
use crate::http::portal::pages::{IdPath, database_error, not_found};
use crate::http::portal::session::{PortalUser, Posted};
use crate::http::portal::teams::{Shown, team_page};
use crate::http::state::ServerState;
use crate::services::actor::Failure;
use crate::services::referrals::record::Entry;
use crate::services::sessions::SignedIn;
use crate::services::teams::TeamActor;
use crate::services::teams::news::{Report, Whereabouts, report};

/// What the report form posts: the referral, and either an event (the
/// liaison's fields) or the event of the member's own to withdraw.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(crate) struct ReportForm {
    referral: String,
    voids: String,
    #[serde(flatten)]
    event: EventForm,
}

/// The section as the template reads it.
pub(crate) fn whereabouts_view(w: &Whereabouts, actor: &TeamActor) -> Value {
    context! {
        referral => w.referral,
        status => w.status.map(|s| s.label_ja()),
        where_now => w.where_now,
        history => history_lines(&w.history, actor.organisation),
        offer => w.offer.iter()
            .map(|s| context! { code => s.code(), label => s.label_ja() })
            .collect::<Vec<_>>(),
    }
}

/// A member reports, or withdraws a report of their organisation's.
pub(crate) async fn record(
    State(state): State<ServerState>,
    IdPath(team): IdPath,
    Posted(PortalUser(user), form): Posted<PortalUser, ReportForm>,
) -> Response {
    let Ok(referral) = Uuid::parse_str(form.referral.trim()) else {
        return not_found();
    };
    let withdrawing = !form.voids.trim().is_empty();
    let report_of = if withdrawing {
        match Uuid::parse_str(form.voids.trim()) {
            Ok(voids) => Report {
                referral,
                details: None,
                voids: Some(voids),
                note: String::new(),
            },
            Err(_) => return not_found(),
        }
    } else {
        match entry(&form.event, None, None) {
            Ok(Entry {
                details: Some(details),
                note,
                ..
            }) => Report {
                referral,
                details: Some(details),
                voids: None,
                note,
            },
            Ok(_) => {
                return refused(&state, &user, team, "記録する内容を選んでください。", &form).await;
            }
            Err(Rejection(reason)) => return refused(&state, &user, team, &reason, &form).await,
        }
    };
    let actor = TeamActor::portal(&user);
    match report(&state.pool, &actor, team, report_of, Utc::now()).await {
        Ok(()) => {
            let done = if withdrawing { "withdrawn" } else { "reported" };
            Redirect::to(&format!("/portal/teams/{team}?done={done}#whereabouts")).into_response()
        }
        Err(Failure::Refused(r)) => {
            refused(&state, &user, team, &format!("{}。", r.0), &form).await
        }
        Err(Failure::Database(e)) => database_error(&e),
    }
}

/// The team page again with why, and the form as typed.
async fn refused(
    state: &ServerState,
    user: &SignedIn,
    team: Uuid,
    reason: &str,
    form: &ReportForm,
) -> Response {
    let shown = Shown {
        error: Some(reason),
        report: Some(Value::from_serialize(form)),
        ..Shown::default()
    };
    team_page(
        state,
        user,
        team,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
        shown,
    )
    .await
}
