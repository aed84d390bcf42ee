//! The portal's 退院後の在宅医療の相談 (issue 17): the liaison's form on the
//! referral page, its cancellation, the requests as the page lists them,
//! and the unanswered ones the hospital's and the desk's lists show.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use tsunagu_domain::discharge_request::{CareNeed, RequestDraft, default_reply_by};
use uuid::Uuid;

use crate::db::discharge_requests::RequestRow;
use crate::http::portal::pages::{database_error, not_found};
use crate::http::portal::referral_page::{Returned, forbidden_referral, refused_form};
use crate::http::portal::session::{Posted, ReferralUser};
use crate::http::portal::teams::jst;
use crate::http::state::ServerState;
use crate::services::discharge_requests::{self as requests, Outcome, state_shown};
use crate::services::referrals::view::today;

/// The form as posted: dates, a note, and a checkbox per need
/// (`need_<code>`).
#[derive(Debug, Default, Serialize)]
pub(crate) struct RequestForm {
    pub expected_date: String,
    pub reply_by: String,
    pub note: String,
    pub needs: Vec<String>,
}

impl RequestForm {
    fn of(fields: &BTreeMap<String, String>) -> RequestForm {
        let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
        RequestForm {
            expected_date: field("expected_date"),
            reply_by: field("reply_by"),
            note: field("note"),
            needs: fields
                .keys()
                .filter_map(|k| k.strip_prefix("need_"))
                .map(str::to_string)
                .collect(),
        }
    }
}

pub(crate) async fn send(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    Posted(ReferralUser(user), fields): Posted<ReferralUser, BTreeMap<String, String>>,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found();
    };
    let Some(by) = user.actor() else {
        return forbidden_referral(&user, id);
    };
    let form = RequestForm::of(&fields);
    let draft = RequestDraft {
        expected_date: form.expected_date.clone(),
        reply_by: form.reply_by.clone(),
        needs: form.needs.clone(),
        note: form.note.clone(),
    };
    match requests::send(&state.pool, &by, id, &draft).await {
        Ok(Outcome::Done) => Redirect::to(&format!(
            "/portal/referrals/{id}?recorded=discharge-request"
        ))
        .into_response(),
        Ok(Outcome::Refused(reason)) => {
            refused_form(&state, &user, id, &reason, Some(Returned::Discharge(&form))).await
        }
        Ok(Outcome::Forbidden) => forbidden_referral(&user, id),
        Err(e) => database_error(&e),
    }
}

#[derive(Deserialize)]
pub(crate) struct CancelForm {}

pub(crate) async fn cancel(
    State(state): State<ServerState>,
    Path((id, request)): Path<(String, String)>,
    Posted(ReferralUser(user), _form): Posted<ReferralUser, CancelForm>,
) -> Response {
    let (Ok(id), Ok(request)) = (Uuid::parse_str(&id), Uuid::parse_str(&request)) else {
        return not_found();
    };
    let Some(by) = user.actor() else {
        return forbidden_referral(&user, id);
    };
    match requests::cancel(&state.pool, &by, id, request).await {
        Ok(Outcome::Done) => Redirect::to(&format!(
            "/portal/referrals/{id}?recorded=discharge-request-cancelled"
        ))
        .into_response(),
        Ok(Outcome::Refused(reason)) => refused_form(&state, &user, id, &reason, None).await,
        Ok(Outcome::Forbidden) => forbidden_referral(&user, id),
        Err(e) => database_error(&e),
    }
}

/// A request as the referral page and the lists show it.
pub(crate) fn request_view(row: &RequestRow, today: NaiveDate) -> Value {
    let state = state_shown(row, today);
    context! {
        id => row.id,
        referral => row.referral_id,
        tracking_code => row.tracking_code,
        hospital => row.hospital,
        clinic => row.clinic,
        sent_by => row.sent_by,
        sent_at => jst(row.sent_at),
        expected_date => row.expected_date.to_string(),
        reply_by => row.reply_by.to_string(),
        needs => row.needs.iter().filter_map(|n| CareNeed::from_code(n))
            .map(CareNeed::label_ja).collect::<Vec<_>>(),
        note => row.note,
        state => state.label_ja(),
        state_code => state.code(),
        answer_text => row.answer_text,
        answered_by => row.answered_by,
        answered_at => row.closed_at.map(jst),
        open => state == tsunagu_domain::discharge_request::RequestState::Open,
    }
}

/// What the referral page's section needs: the requests, and the form's
/// choices (its defaults, or what was typed before a refusal).
pub(crate) fn section(rows: &[RequestRow], typed: Option<&RequestForm>) -> Value {
    let today = today();
    let defaults = RequestForm {
        reply_by: default_reply_by(today, None).to_string(),
        ..RequestForm::default()
    };
    let form = typed.unwrap_or(&defaults);
    context! {
        requests => rows.iter().map(|r| request_view(r, today)).collect::<Vec<_>>(),
        waiting => rows.iter().any(|r| state_shown(r, today) == tsunagu_domain::discharge_request::RequestState::Open),
        needs => CareNeed::ALL.iter().map(|n| context! {
            code => n.code(), label => n.label_ja(), checked => form.needs.iter().any(|c| c == n.code()),
        }).collect::<Vec<_>>(),
        form => Value::from_serialize(form),
        today => today.to_string(),
    }
}

/// The unanswered requests a hospital's home or the desk's list shows.
pub(crate) async fn unanswered_views(
    state: &ServerState,
    hospital: Option<Uuid>,
) -> sqlx::Result<Vec<Value>> {
    let today = today();
    Ok(requests::unanswered(&state.pool, hospital)
        .await?
        .iter()
        .map(|r| request_view(r, today))
        .collect())
}

/// One row of the answer figures.
pub(crate) fn figures_view(f: &crate::db::discharge_requests::AnswerFigures) -> Value {
    context! {
        name => f.name,
        sent => f.sent,
        answered => f.answered,
        accepted => f.accepted,
        median => f.median_hours.map_or_else(|| "—".to_string(), |h| format!("{h:.1}時間")),
        unanswered => f.unanswered,
    }
}
