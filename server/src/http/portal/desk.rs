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

use crate::http::portal::discharge_requests::{figures_view, unanswered_views};
use crate::http::portal::forms::CallForm;
use crate::http::portal::pages::{IdPath, database_error, render_with_status, user_view};
use crate::http::portal::referral_page::{Returned, forbidden_referral, refused_form};
use crate::http::portal::session::{Posted, ReferralUser, RoleGate};
use crate::http::state::ServerState;
use crate::model::Role;
use crate::services::actor::Refusal;
use crate::services::break_glass::{self, Pending};
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
    #[serde(default)]
    acknowledged: Option<String>,
}

pub(crate) async fn dashboard(
    State(state): State<ServerState>,
    ReferralUser(user): ReferralUser,
    Query(q): Query<DashboardQuery>,
) -> Response {
    if let Some(refused) = user.refused_unless(DESK_ROLES) {
        return refused;
    }
    let notice = q.acknowledged.map(|_| "緊急閲覧を確認済みにしました。");
    let only = q.status.as_deref();
    dashboard_page(&state, &user, StatusCode::OK, only, None, notice).await
}

pub(crate) async fn dashboard_page(
    state: &ServerState,
    user: &SignedIn,
    status: StatusCode,
    only: Option<&str>,
    lookup_error: Option<(&str, &str)>,
    notice: Option<&str>,
) -> Response {
    let (counts, shown) = match worklists::desk(&state.pool, user, only).await {
        Ok(lists) => lists,
        Err(e) => return database_error(&e),
    };
    let pending = match break_glass::pending(&state.pool).await {
        Ok(pending) => pending,
        Err(e) => return database_error(&e),
    };
    let unanswered = match unanswered_views(state, None).await {
        Ok(list) => list,
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
        unanswered => unanswered,
        overdue => overdue,
        only => only,
        heading => heading,
        lookup_error => lookup_error.map(|(e, _)| e),
        lookup_hint => lookup_error.map(|(_, h)| h),
        notice => notice,
        pending => pending.iter().map(|p| pending_view(p, user)).collect::<Vec<_>>(),
        may_acknowledge => break_glass::may_acknowledge(user),
    };
    render_with_status(status, "desk.html", context)
}

/// A break-glass still to acknowledge, as the desk's list shows it.
fn pending_view(p: &Pending, viewer: &SignedIn) -> minijinja::Value {
    let japan = |t: chrono::DateTime<chrono::Utc>| {
        (t + chrono::Duration::hours(9))
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    context! {
        id => p.id,
        who => format!("{}（{}）", p.display_name, p.login),
        organisation => p.organisation,
        referral_id => p.referral_id,
        tracking_code => p.tracking_code,
        reason => p.reason,
        started_at => japan(p.started_at),
        until => japan(p.ended_at.unwrap_or(p.expires_at)),
        live => p.live,
        own => p.user_id == viewer.user_id,
    }
}

pub(crate) async fn log_call(
    State(state): State<ServerState>,
    IdPath(id): IdPath,
    Posted(ReferralUser(user), form): Posted<ReferralUser, CallForm>,
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
        Ok(false) => forbidden_referral(&user, id),
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
    Posted(ReferralUser(user), form): Posted<ReferralUser, AssignForm>,
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
    ReferralUser(user): ReferralUser,
) -> Response {
    if let Some(refused) = user.refused_unless(DESK_ROLES) {
        return refused;
    }
    let answers = match crate::services::discharge_requests::figures(&state.pool).await {
        Ok(answers) => answers,
        Err(e) => return database_error(&e),
    };
    let intake = match crate::services::intake_requests::answer_times(&state.pool).await {
        Ok(intake) => intake,
        Err(e) => return database_error(&e),
    };
    match loop_figures(&state.pool).await {
        Ok((hospitals, total)) => render_with_status(
            StatusCode::OK,
            "figures.html",
            context! {
                me => user_view(&user),
                csrf => user.csrf,
                hospitals => hospitals,
                total => total,
                answers_by_clinic => answers.0.iter().map(figures_view).collect::<Vec<_>>(),
                answers_by_hospital => answers.1.iter().map(figures_view).collect::<Vec<_>>(),
                intake_by_organisation => intake.iter().map(figures_view).collect::<Vec<_>>(),
            },
        ),
        Err(e) => database_error(&e),
    }
}
