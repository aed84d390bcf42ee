//! The portal's live news (ADR 0024): a team's page, the list of the
//! person's teams, and a referral's page while its discharge request
//! waits for the family doctor's answer. Who may follow what is decided
//! when the stream opens, as for the page itself.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use uuid::Uuid;

use crate::http::live_stream::events;
use crate::http::portal::pages::{database_error, not_found};
use crate::http::portal::session::PortalUser;
use crate::http::portal::teams::failed;
use crate::http::state::ServerState;
use crate::model::Scope;
use crate::services::sessions::SignedIn;
use crate::services::teams::{TeamActor, views};

#[derive(Deserialize, Default)]
pub(crate) struct LiveQuery {
    #[serde(default)]
    team: Option<Uuid>,
    /// A referral's page, waiting for the family doctor's answer to its
    /// discharge request.
    #[serde(default)]
    referral: Option<Uuid>,
    /// The organisation's 受入相談 page: its feed's news.
    #[serde(default)]
    intake: Option<u8>,
}

/// The live news of one team's page, or of the list of the person's
/// teams: who may follow which team is decided when the stream opens, as
/// for the page itself.
pub(crate) async fn live(
    State(state): State<ServerState>,
    PortalUser(user): PortalUser,
    Query(q): Query<LiveQuery>,
) -> Response {
    if let Some(referral) = q.referral {
        return live_referral(&state, &user, referral).await;
    }
    if q.intake.is_some() {
        return live_intake(&state, &user);
    }
    let actor = TeamActor::portal(&user);
    let teams = match views::followed(&state.pool, &actor, q.team, Utc::now()).await {
        Ok(teams) if !teams.is_empty() => teams,
        Ok(_) => return not_found(),
        Err(failure) => return failed(&user, &failure),
    };
    let Some(open) = state.live.open() else {
        return crate::http::portal::busy_page();
    };
    events(
        open,
        move |scope| {
            matches!(scope, Scope::Team(id) | Scope::TeamSummary(id) if teams.contains(&id))
        },
    )
    .into_response()
}

/// The live news of one referral's page: its discharge requests' answers.
async fn live_referral(state: &ServerState, user: &SignedIn, referral: Uuid) -> Response {
    let may = match user.actor() {
        Some(by) => {
            crate::services::discharge_requests::may_follow(&state.pool, &by, referral).await
        }
        None => Ok(false),
    };
    match may {
        Ok(true) => {}
        Ok(false) => return not_found(),
        Err(e) => return database_error(&e),
    }
    let Some(open) = state.live.open() else {
        return crate::http::portal::busy_page();
    };
    events(
        open,
        move |scope| matches!(scope, Scope::Referral(id) if id == referral),
    )
    .into_response()
}

/// The live news of the organisation's 受入相談 page: its own feed, where
/// every request it sent or was asked is told as it moves.
fn live_intake(state: &ServerState, user: &SignedIn) -> Response {
    let Some(open) = state.live.open() else {
        return crate::http::portal::busy_page();
    };
    let own = crate::services::intake_requests::feed_of(
        user.organisation.id,
        user.organisation.kind.code(),
    );
    events(open, move |scope| scope == own).into_response()
}
