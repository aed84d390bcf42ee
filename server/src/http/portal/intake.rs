//! 受入相談 on the portal (issue 18): the form from a directory result,
//! and the organisation's page of those it sent and was asked — the asked
//! answer in one click, the asker sees the answer arrive live.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;
use tsunagu_domain::directory::Offer;
use tsunagu_domain::intake::{IntakeAnswer, IntakeDraft, IntakeState, SUMMARY_HINT_JA};
use tsunagu_domain::sex::Sex;
use tsunagu_domain::team::OrganisationKind;
use uuid::Uuid;

use crate::db::intake_requests::IntakeRow;
use crate::http::portal::pages::{
    IdPath, database_error, not_found, render_with_status, user_view,
};
use crate::http::portal::session::{PortalUser, Posted, forbidden};
use crate::http::portal::sign_in::Nothing;
use crate::http::portal::teams::jst;
use crate::http::state::ServerState;
use crate::services::intake_requests::{self as intake, Outcome, Sent};
use crate::services::sessions::SignedIn;

#[derive(Deserialize)]
pub(crate) struct NewQuery {
    to: Uuid,
}

pub(crate) async fn new_form(
    State(state): State<ServerState>,
    PortalUser(user): PortalUser,
    Query(q): Query<NewQuery>,
) -> Response {
    form_page(&state, &user, q.to, &IntakeDraft::default(), None).await
}

async fn form_page(
    state: &ServerState,
    user: &SignedIn,
    to: Uuid,
    draft: &IntakeDraft,
    errors: Option<BTreeMap<&'static str, String>>,
) -> Response {
    let (name, kind) = match intake::recipient(&state.pool, user, to).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(),
        Err(e) => return database_error(&e),
    };
    let status = if errors.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let needs: Vec<Value> = Offer::ALL
        .into_iter()
        .map(|o| context! { code => o.code(), label => o.label_ja(), checked => draft.needs.iter().any(|n| n == o.code()) })
        .collect();
    let sexes: Vec<Value> = [Sex::Male, Sex::Female]
        .into_iter()
        .map(|s| context! { code => s.code(), label => s.label_ja(), checked => draft.sex == s.code() })
        .collect();
    render_with_status(
        status,
        "intake_new.html",
        context! {
            me => user_view(user),
            csrf => user.csrf,
            to => context! { id => to, name => name, kind => kind.label_ja() },
            draft => context! {
                age => draft.age, municipality => draft.municipality,
                start_on => draft.start_on, summary => draft.summary,
            },
            needs => needs,
            sexes => sexes,
            hint => SUMMARY_HINT_JA,
            errors => errors.map(|e| Value::from_serialize(&e)),
        },
    )
}

pub(crate) async fn send(
    State(state): State<ServerState>,
    Posted(PortalUser(user), fields): Posted<PortalUser, BTreeMap<String, String>>,
) -> Response {
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let Ok(to) = field("to").parse::<Uuid>() else {
        return not_found();
    };
    let draft = IntakeDraft {
        age: field("age"),
        sex: field("sex"),
        municipality: field("municipality"),
        needs: fields
            .keys()
            .filter_map(|k| k.strip_prefix("need_"))
            .map(str::to_string)
            .collect(),
        start_on: field("start_on"),
        summary: field("summary"),
    };
    match intake::send_from_portal(&state.pool, &user, to, &draft).await {
        Ok(Sent::Done(id)) => Redirect::to(&format!("/portal/intake?sent={id}")).into_response(),
        Ok(Sent::Refused(errors)) => {
            let errors = errors.into_iter().map(|(f, m)| (f.code(), m)).collect();
            form_page(&state, &user, to, &draft, Some(errors)).await
        }
        Ok(Sent::NotAskable) => not_found(),
        Err(e) => database_error(&e),
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct ListQuery {
    #[serde(default)]
    sent: Option<Uuid>,
    #[serde(default)]
    answered: Option<Uuid>,
}

pub(crate) async fn list(
    State(state): State<ServerState>,
    PortalUser(user): PortalUser,
    Query(q): Query<ListQuery>,
) -> Response {
    let notice = match (q.sent, q.answered) {
        (Some(_), _) => Some("受入相談を送りました。回答はこの画面に届きます。"),
        (_, Some(_)) => Some("回答を送りました。相談した機関の画面にすぐ表示されます。"),
        _ => None,
    };
    page(&state, &user, StatusCode::OK, notice, None).await
}

async fn page(
    state: &ServerState,
    user: &SignedIn,
    status: StatusCode,
    notice: Option<&str>,
    error: Option<(Uuid, String)>,
) -> Response {
    let rows = match intake::of_organisation(&state.pool, user).await {
        Ok(rows) => rows,
        Err(e) => return database_error(&e),
    };
    let mine = user.organisation.id;
    let view = |r: &IntakeRow| {
        let refusal = error
            .as_ref()
            .filter(|(id, _)| *id == r.id)
            .map(|(_, m)| m.clone());
        request_view(r, refusal)
    };
    let received: Vec<Value> = rows.iter().filter(|r| r.to_org == mine).map(view).collect();
    let sent: Vec<Value> = rows
        .iter()
        .filter(|r| r.from_org == mine)
        .map(view)
        .collect();
    render_with_status(
        status,
        "intake.html",
        context! {
            me => user_view(user),
            csrf => user.csrf,
            notice => notice,
            received => received,
            sent => sent,
            answers => IntakeAnswer::ALL.into_iter().map(|a| context! { code => a.code(), label => a.label_ja() }).collect::<Vec<_>>(),
        },
    )
}

fn request_view(r: &IntakeRow, refusal: Option<String>) -> Value {
    let state = IntakeState::from_code(&r.state);
    context! {
        id => r.id,
        from => r.from_name,
        from_phone => r.from_phone,
        to => r.to_name,
        to_kind => OrganisationKind::from_code(&r.to_kind).map(|k| k.label_ja()),
        age => r.age,
        sex => r.sex.as_deref().and_then(Sex::from_code).map(|s| s.label_ja()),
        municipality => r.municipality,
        needs => r.needs.iter().filter_map(|c| Offer::from_code(c)).map(|o| o.label_ja()).collect::<Vec<_>>(),
        start_on => r.start_on.map(|d| d.format("%Y-%m-%d").to_string()),
        summary => r.summary,
        state => r.state,
        state_label => state.map(|s| s.label_ja()),
        open => state == Some(IntakeState::Open),
        sent_by => r.sent_by,
        sent_at => jst(r.sent_at),
        answer_text => r.answer_text,
        answered_by => r.answered_by,
        closed_at => r.closed_at.map(jst),
        refusal => refusal,
    }
}

#[derive(Deserialize)]
pub(crate) struct AnswerForm {
    answer: String,
    #[serde(default)]
    reason: String,
}

pub(crate) async fn answer(
    State(state): State<ServerState>,
    IdPath(request): IdPath,
    Posted(PortalUser(user), form): Posted<PortalUser, AnswerForm>,
) -> Response {
    let Some(given) = IntakeAnswer::from_code(&form.answer) else {
        return not_found();
    };
    let done = intake::answer_from_portal(&state.pool, &user, request, given, &form.reason).await;
    finish(&state, &user, request, done, "answered").await
}

pub(crate) async fn withdraw(
    State(state): State<ServerState>,
    IdPath(request): IdPath,
    Posted(PortalUser(user), _): Posted<PortalUser, Nothing>,
) -> Response {
    let done = intake::withdraw_from_portal(&state.pool, &user, request).await;
    finish(&state, &user, request, done, "withdrawn").await
}

async fn finish(
    state: &ServerState,
    user: &SignedIn,
    request: Uuid,
    done: sqlx::Result<Outcome>,
    step: &str,
) -> Response {
    match done {
        Ok(Outcome::Done) => {
            Redirect::to(&format!("/portal/intake?{step}={request}")).into_response()
        }
        Ok(Outcome::Refused(why)) => {
            page(
                state,
                user,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some((request, why)),
            )
            .await
        }
        Ok(Outcome::Forbidden) => forbidden(user),
        Err(e) => database_error(&e),
    }
}
