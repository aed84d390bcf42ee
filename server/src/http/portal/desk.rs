//! The home-care desk (相談窓口): the region's consented referrals by
//! status with the overdue first, a call log per referral, assigning a
//! referral to a registered hospital, and the loop figures per hospital.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;
use tsunagu_domain::ReferralStatus;
use uuid::Uuid;

use crate::http::portal::forms::CallForm;
use crate::http::portal::pages::{IdPath, database_error, render_with_status, user_view};
use crate::http::portal::referral_page::{Returned, refused_form};
use crate::http::portal::session::{PortalUser, Posted, RoleGate, forbidden};
use crate::http::state::ServerState;
use crate::model::Role;
use crate::services::actor::Refusal;
use crate::services::referrals::calls::log_call as log;
use crate::services::referrals::figures::figures as loop_figures;
use crate::services::referrals::record::assign as assign_to;
use crate::services::referrals::worklists;
use crate::services::sessions::SignedIn;

const DESK_ROLES: &[Role] = &[Role::Desk, Role::Admin];

#[derive(Deserialize, Default)]
pub(crate) struct DashboardQuery {
    #[serde(default)]
    status: Option<String>,
}

pub(crate) async fn dashboard(
    State(state): State<ServerState>,
    PortalUser(user): PortalUser,
    Query(q): Query<DashboardQuery>,
) -> Response {
    if let Some(refused) = user.refused_unless(DESK_ROLES) {
        return refused;
    }
    dashboard_page(&state, &user, StatusCode::OK, q.status.as_deref(), None).await
}

pub(crate) async fn dashboard_page(
    state: &ServerState,
    user: &SignedIn,
    status: StatusCode,
    only: Option<&str>,
    lookup_error: Option<(&str, &str)>,
) -> Response {
    let (counts, shown) = match worklists::desk(&state.pool, user, only).await {
        Ok(lists) => lists,
        Err(e) => return database_error(&e),
    };
    let overdue = shown.iter().filter(|r| r.attention.is_some()).count();
    let heading = only
        .and_then(ReferralStatus::from_code)
        .map_or("対応中", |s| s.label_ja());
    let context = context! {
        me => user_view(user),
        csrf => user.csrf,
        counts => counts.into_iter()
            .map(|c| context! { code => c.code, label => c.label, count => c.count })
            .collect::<Vec<_>>(),
        referrals => shown,
        overdue => overdue,
        only => only,
        heading => heading,
        lookup_error => lookup_error.map(|(e, _)| e),
        lookup_hint => lookup_error.map(|(_, h)| h),
    };
    render_with_status(status, "desk.html", context)
}

pub(crate) async fn log_call(
    State(state): State<ServerState>,
    IdPath(id): IdPath,
    Posted(PortalUser(user), form): Posted<PortalUser, CallForm>,
) -> Response {
    if let Some(refused) = user.refused_unless(DESK_ROLES) {
        return refused;
    }
    let called = form.called.trim();
    let learned = form.learned.trim();
    let refusal = if called.is_empty() || learned.is_empty() {
        Some("電話の相手と、分かったことを入力してください。")
    } else if called.chars().count() > 200 || learned.chars().count() > 2000 {
        Some("電話の相手は200文字、分かったことは2000文字までです。")
    } else if called.contains('\0') || learned.contains('\0') {
        Some("使えない文字が含まれています。")
    } else {
        None
    };
    if let Some(refusal) = refusal {
        return refused_form(&state, &user, id, refusal, Some(Returned::Call(&form))).await;
    }
    match log(&state.pool, &user, id, called, learned).await {
        Ok(true) => Redirect::to(&format!("/portal/referrals/{id}?recorded=call")).into_response(),
        Ok(false) => forbidden(),
        Err(e) => database_error(&e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct AssignForm {
    hospital_id: String,
}

pub(crate) async fn assign(
    State(state): State<ServerState>,
    IdPath(id): IdPath,
    Posted(PortalUser(user), form): Posted<PortalUser, AssignForm>,
) -> Response {
    if let Some(refused) = user.refused_unless(DESK_ROLES) {
        return refused;
    }
    let Ok(hospital) = Uuid::parse_str(form.hospital_id.trim()) else {
        return refused_form(&state, &user, id, "割り当てる病院を選んでください。", None).await;
    };
    match assign_to(&state.pool, &user, id, hospital).await {
        Ok(Ok(())) => {
            Redirect::to(&format!("/portal/referrals/{id}?recorded=assigned")).into_response()
        }
        Ok(Err(Refusal(reason))) => {
            refused_form(&state, &user, id, &format!("{reason}。"), None).await
        }
        Err(e) => database_error(&e),
    }
}

pub(crate) async fn figures(
    State(state): State<ServerState>,
    PortalUser(user): PortalUser,
) -> Response {
    if let Some(refused) = user.refused_unless(DESK_ROLES) {
        return refused;
    }
    match loop_figures(&state.pool).await {
        Ok((hospitals, total)) => render_with_status(
            StatusCode::OK,
            "figures.html",
            context! {
                me => user_view(&user),
                csrf => user.csrf,
                hospitals => hospitals,
                total => total,
            },
        ),
        Err(e) => database_error(&e),
    }
}
