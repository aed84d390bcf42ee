//! One referral's page: its summary, history, the desk's calls, and the
//! forms to record on it; shown again with the reason when a form is
//! refused, so nothing typed is lost.

use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use minijinja::context;
use uuid::Uuid;

pub(crate) use crate::http::portal::break_glass::forbidden_referral;
use tsunagu_domain::ReferralStatus;
use tsunagu_domain::discharge_request::may_be_asked;
use tsunagu_domain::hospital_document::HospitalDocumentKind;

use crate::http::portal::discharge_requests::{RequestForm, section};
use crate::http::portal::forms::{CallForm, EventForm};
use crate::http::portal::history::history_lines;
use crate::http::portal::pages::{database_error, render_with_status, user_view};
use crate::http::state::ServerState;
use crate::services::actor::Failure;
use crate::services::referrals::calls::Call;
use crate::services::referrals::documents;
use crate::services::referrals::rules::next_statuses;
use crate::services::referrals::view::today;
use crate::services::referrals::worklists::{Detail, detail};
use crate::services::sessions::SignedIn;
use crate::services::teams::TeamActor;
use crate::services::teams::views::readable_team_of_referral;

/// The referral page again, with why the form sent was refused (422) and
/// what was typed in it.
pub(crate) async fn refused_form(
    state: &ServerState,
    user: &SignedIn,
    id: Uuid,
    reason: &str,
    form: Option<Returned<'_>>,
) -> Response {
    referral_page(
        state,
        user,
        id,
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
        Some(reason),
        form,
    )
    .await
}

/// A refused form's input, shown again so nothing typed is lost.
pub(crate) enum Returned<'a> {
    Event(&'a EventForm),
    Call(&'a CallForm),
    Discharge(&'a RequestForm),
}

/// The referral page; `error` is shown on the form that was sent, whose
/// input comes back in `form`.
pub(crate) async fn referral_page(
    state: &ServerState,
    user: &SignedIn,
    id: Uuid,
    status: StatusCode,
    notice: Option<&str>,
    error: Option<&str>,
    form: Option<Returned<'_>>,
) -> Response {
    let (form, call, discharge_form) = match form {
        Some(Returned::Event(f)) => (Some(minijinja::Value::from_serialize(f)), None, None),
        Some(Returned::Call(c)) => (None, Some(minijinja::Value::from_serialize(c)), None),
        Some(Returned::Discharge(d)) => (None, None, Some(d)),
        None => (None, None, None),
    };
    let detail = match detail(&state.pool, user, id).await {
        Ok(Some(detail)) => detail,
        Ok(None) => return forbidden_referral(user, id),
        Err(e) => return database_error(&e),
    };
    let Detail {
        summary,
        events,
        calls,
        hospitals,
        break_glass,
    } = detail;
    let actor = TeamActor::portal(user);
    let team = match readable_team_of_referral(&state.pool, &actor, id, Utc::now()).await {
        Ok(team) => team,
        Err(Failure::Database(e)) => return database_error(&e),
        Err(Failure::Refused(_)) => None,
    };
    let requests = match discharge_requests_of(state, id).await {
        Ok(rows) => rows,
        Err(e) => return database_error(&e),
    };
    let (documents, revision) = match documents::for_page(&state.pool, id).await {
        Ok(found) => found,
        Err(e) => return database_error(&e),
    };
    // The hospital holding the referral (a liaison officer sees no other
    // in scope) sends its letters; never under break-glass (read-only).
    let may_send = user.role == crate::model::Role::Liaison
        && user.organisation.kind == tsunagu_domain::team::OrganisationKind::Hospital
        && !break_glass;
    // The hospital holding the episode asks while the patient is in.
    let may_ask = user.organisation.kind == tsunagu_domain::team::OrganisationKind::Hospital
        && !break_glass
        && ReferralStatus::from_code(&summary.status_code).is_some_and(may_be_asked);
    let next: Vec<minijinja::Value> = next_statuses(&summary.status_code, summary.without_letter)
        .into_iter()
        .map(|(code, label)| context! { code => code, label => label })
        .collect();
    let context = context! {
        me => user_view(user),
        csrf => user.csrf,
        referral => summary,
        history => history_lines(&events, user.organisation.id),
        next => next,
        hospitals => hospitals.into_iter()
            .filter(|(h, _)| *h != user.organisation.id)
            .map(|(id, name)| context! { id => id, name => name })
            .collect::<Vec<_>>(),
        calls => calls.into_iter().map(call_view).collect::<Vec<_>>(),
        notice => notice,
        error => error,
        form => form,
        call => call,
        today => today().to_string(),
        break_glass => break_glass,
        team => team,
        discharge => section(&requests, discharge_form),
        may_ask => may_ask,
        documents => documents,
        document_kinds => HospitalDocumentKind::ALL
            .into_iter()
            .map(|k| context! { code => k.code(), label => k.label_ja() })
            .collect::<Vec<_>>(),
        may_send => may_send,
        revision => revision,
    };
    render_with_status(status, "referral.html", context)
}

async fn discharge_requests_of(
    state: &ServerState,
    referral: Uuid,
) -> sqlx::Result<Vec<crate::db::discharge_requests::RequestRow>> {
    let mut conn = state.pool.acquire().await?;
    crate::db::discharge_requests::of_referral(&mut conn, referral).await
}

/// A call as the page lists it, in Japan's time.
fn call_view(c: Call) -> minijinja::Value {
    context! {
        at => (c.at + chrono::Duration::hours(9))
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        by => c.by,
        called => c.called,
        learned => c.learned,
    }
}
