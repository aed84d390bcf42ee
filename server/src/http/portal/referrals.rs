//! A liaison officer's (and the desk's) work on one referral: find it by
//! the tracking code on the letter, read who the family doctor is, record
//! what happened. Each event goes through the same path as a pushed one,
//! so it reaches the physician's app at its next sync.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;
use uuid::Uuid;

use crate::http::portal::desk::dashboard_page;
use crate::http::portal::discharge_requests::unanswered_views;
use crate::http::portal::forms::{
    EventForm, MAX_NOTE_CHARS, VoidForm, entry, text, transfer_hospital,
};
use crate::http::portal::pages::{
    database_error, message, not_found, render_with_status, user_view,
};
use crate::http::portal::referral_page::{
    Returned, forbidden_referral, referral_page, refused_form,
};
use crate::http::portal::session::{Posted, ReferralUser, RoleGate};
use crate::http::state::ServerState;
use crate::model::Role;
use crate::services::referrals::lookup::{Found, find_by_code};
use crate::services::referrals::record::{Entry, Recorded, record as record_entry};
use crate::services::referrals::worklists;
use crate::services::sessions::SignedIn;

#[derive(Deserialize, Default)]
pub(crate) struct HomeQuery {
    #[serde(default)]
    changed: Option<String>,
}

pub(crate) async fn hospital_home(
    State(state): State<ServerState>,
    ReferralUser(user): ReferralUser,
    Query(q): Query<HomeQuery>,
) -> Response {
    if let Some(refused) = user.refused_unless(&[Role::Liaison]) {
        return refused;
    }
    hospital_page(&state, &user, StatusCode::OK, None, q.changed.is_some()).await
}

async fn hospital_page(
    state: &ServerState,
    user: &SignedIn,
    status: StatusCode,
    lookup_error: Option<(&str, &str)>,
    password_changed: bool,
) -> Response {
    let referrals = match worklists::hospital(&state.pool, user).await {
        Ok(list) => list,
        Err(e) => return database_error(&e),
    };
    let unanswered = match unanswered_views(state, Some(user.organisation.id)).await {
        Ok(list) => list,
        Err(e) => return database_error(&e),
    };
    render_with_status(
        status,
        "hospital.html",
        context! {
            me => user_view(user),
            csrf => user.csrf,
            referrals => referrals,
            unanswered => unanswered,
            lookup_error => lookup_error.map(|(e, _)| e),
            lookup_hint => lookup_error.map(|(_, h)| h),
            password_changed => password_changed,
        },
    )
}

#[derive(Deserialize)]
pub(crate) struct LookupForm {
    #[serde(default)]
    code: String,
}

const NOT_FOUND_HINT: &str = "追跡コードは紹介状の右上に「追跡コード」として印刷されている9文字（例：7KQ-M4T-Z9X）です。ハイフンはなくても構いません。患者さんが地域連携に同意していない紹介は表示されません。";

pub(crate) async fn lookup(
    State(state): State<ServerState>,
    Posted(ReferralUser(user), form): Posted<ReferralUser, LookupForm>,
) -> Response {
    match find_by_code(&state.pool, &user, &form.code).await {
        Ok(Found::Referral(id)) => Redirect::to(&format!("/portal/referrals/{id}")).into_response(),
        Ok(Found::RateLimited) => message(
            StatusCode::TOO_MANY_REQUESTS,
            "見つからない追跡コードが続いています",
            "安全のため、しばらく検索できません。15分ほど待ってから、紹介状の追跡コードを確かめて、もう一度入力してください。",
        ),
        Ok(Found::Nothing(why)) => {
            let error = format!("見つかりません。{why}");
            let lookup_error = Some((error.as_str(), NOT_FOUND_HINT));
            if user.role == Role::Liaison {
                hospital_page(&state, &user, StatusCode::NOT_FOUND, lookup_error, false).await
            } else {
                let status = StatusCode::NOT_FOUND;
                dashboard_page(&state, &user, status, None, lookup_error, None).await
            }
        }
        Err(e) => database_error(&e),
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct ShowQuery {
    #[serde(default)]
    recorded: Option<String>,
}

pub(crate) async fn show(
    State(state): State<ServerState>,
    ReferralUser(user): ReferralUser,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found();
    };
    let notice = q.recorded.map(|what| match what.as_str() {
        "call" => "通話の記録を追加しました。",
        "assigned" => "病院に割り当てました。",
        "admission" => "紹介状なし入院を記録しました。かかりつけ医と在宅チームに伝わりました。",
        "voided" => "記録を取り消しました。かかりつけ医のアプリには次の同期で届きます。",
        "discharge-request" => {
            "退院後の在宅医療の相談を送りました。かかりつけ医の回答はこの画面に表示されます。"
        }
        "discharge-request-cancelled" => "退院後の相談を取り消しました。",
        "document" => "書類を送りました。かかりつけ医のアプリには次の同期で届きます。",
        _ => "記録しました。かかりつけ医のアプリには次の同期で届きます。",
    });
    referral_page(&state, &user, id, StatusCode::OK, notice, None, None).await
}

pub(crate) async fn record(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    Posted(ReferralUser(user), form): Posted<ReferralUser, EventForm>,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found();
    };
    let hospital = transfer_hospital(&form);
    let read = |name| entry(&form, hospital, name);
    match record_entry(&state.pool, &user, id, hospital, read).await {
        Ok(Recorded::Done) => {
            Redirect::to(&format!("/portal/referrals/{id}?recorded=event")).into_response()
        }
        Ok(Recorded::Refused(reason)) => {
            refused_form(&state, &user, id, &reason, Some(Returned::Event(&form))).await
        }
        Ok(Recorded::Forbidden) => forbidden_referral(&user, id),
        Err(e) => database_error(&e),
    }
}

/// An entry made in error is voided (it stays in the history, struck
/// through); only the organisation that recorded it may do so.
pub(crate) async fn void(
    State(state): State<ServerState>,
    Path((id, event)): Path<(String, String)>,
    Posted(ReferralUser(user), form): Posted<ReferralUser, VoidForm>,
) -> Response {
    let (Ok(id), Ok(event)) = (Uuid::parse_str(&id), Uuid::parse_str(&event)) else {
        return not_found();
    };
    let reason = match text(&form.reason, "取り消す理由", true, MAX_NOTE_CHARS) {
        Ok(reason) => reason,
        Err(e) => return refused_form(&state, &user, id, &e.0, None).await,
    };
    let void = |_| {
        Ok(Entry {
            details: None,
            voids: Some(event),
            note: reason,
            transfer_to: None,
        })
    };
    match record_entry(&state.pool, &user, id, None, void).await {
        Ok(Recorded::Done) => {
            Redirect::to(&format!("/portal/referrals/{id}?recorded=voided")).into_response()
        }
        Ok(Recorded::Refused(reason)) => refused_form(&state, &user, id, &reason, None).await,
        Ok(Recorded::Forbidden) => forbidden_referral(&user, id),
        Err(e) => database_error(&e),
    }
}
