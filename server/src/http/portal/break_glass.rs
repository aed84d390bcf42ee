//! Break-glass (緊急閲覧, ADR 0018) in the portal: the page a referral
//! outside one's scope answers with (offering it, with a reason), starting
//! and ending one, and the administrator's acknowledgement.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;
use uuid::Uuid;

use crate::http::portal::pages::{
    IdPath, database_error, message_for, render_with_status, user_view,
};
use crate::http::portal::session::{Posted, ReferralUser, forbidden};
use crate::http::state::ServerState;
use crate::services::break_glass::{
    self, Acknowledged, MAX_REASON_CHARS, MIN_REASON_CHARS, MINUTES, Started, check_reason,
};
use crate::services::sessions::SignedIn;

/// A referral the person may not see (or that does not exist: the two
/// look the same): 403, offering break-glass. Under a live break-glass of
/// this referral (a refused recording), it says that it is read-only.
pub(crate) fn forbidden_referral(user: &SignedIn, referral: Uuid) -> Response {
    let under_glass = user.break_glass.iter().any(|b| b.referral_id == referral);
    let refusal = under_glass.then_some(
        "緊急閲覧中の紹介は閲覧のみできます。記録・取り消し・通話の登録・割当はできません。",
    );
    offer_page(user, referral, StatusCode::FORBIDDEN, None, "", refusal)
}

fn offer_page(
    user: &SignedIn,
    referral: Uuid,
    status: StatusCode,
    error: Option<&str>,
    typed: &str,
    refusal: Option<&str>,
) -> Response {
    render_with_status(
        status,
        "break_glass.html",
        context! {
            me => user_view(user),
            csrf => user.csrf,
            referral_id => referral,
            error => error,
            reason => typed,
            refusal => refusal,
            minutes => MINUTES,
            min_chars => MIN_REASON_CHARS,
            max_chars => MAX_REASON_CHARS,
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ReasonForm {
    reason: String,
}

const UNREACHABLE: &str = "この紹介は緊急閲覧できません。紹介が見つからないか、患者さんの同意がないため地域連携サーバーに患者さんの情報がありません。かかりつけ医に直接連絡してください。";

/// Starts a break-glass: the reason checked first (the same answer for
/// any referral), then granted only if the referral can be reached; what
/// was typed comes back on a refusal.
pub(crate) async fn start(
    State(state): State<ServerState>,
    IdPath(referral): IdPath,
    Posted(ReferralUser(user), form): Posted<ReferralUser, ReasonForm>,
) -> Response {
    let reason = match check_reason(&form.reason) {
        Ok(reason) => reason,
        Err(why) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            let why = why.message_ja();
            return offer_page(&user, referral, status, Some(&why), &form.reason, None);
        }
    };
    match break_glass::start(&state.pool, &user, referral, &reason).await {
        Ok(Started::Granted | Started::InScope) => {
            Redirect::to(&format!("/portal/referrals/{referral}")).into_response()
        }
        Ok(Started::Unreachable) => offer_page(
            &user,
            referral,
            StatusCode::FORBIDDEN,
            Some(UNREACHABLE),
            &form.reason,
            None,
        ),
        Err(e) => database_error(&e),
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct Empty {}

/// Ends one's own break-glass early; back to one's home page.
pub(crate) async fn end(
    State(state): State<ServerState>,
    IdPath(id): IdPath,
    Posted(ReferralUser(user), _): Posted<ReferralUser, Empty>,
) -> Response {
    match break_glass::end(&state.pool, &user, id).await {
        Ok(true) => Redirect::to("/portal").into_response(),
        Ok(false) => message_for(
            &user,
            StatusCode::NOT_FOUND,
            "緊急閲覧はすでに終わっています",
            "時間切れか、すでに終了しています。もう一度必要な場合は、紹介を開いて理由を入力してください。",
        ),
        Err(e) => database_error(&e),
    }
}

/// The administrator acknowledges a break-glass, never their own.
pub(crate) async fn acknowledge(
    State(state): State<ServerState>,
    IdPath(id): IdPath,
    Posted(ReferralUser(user), _): Posted<ReferralUser, Empty>,
) -> Response {
    if !break_glass::may_acknowledge(&user) {
        return forbidden(&user);
    }
    match break_glass::acknowledge(&state.pool, &user, id).await {
        Ok(Acknowledged::Done) => Redirect::to("/portal/desk?acknowledged=1").into_response(),
        Ok(Acknowledged::Own) => message_for(
            &user,
            StatusCode::FORBIDDEN,
            "ご自身の緊急閲覧は確認できません",
            "緊急閲覧の確認は、閲覧した本人以外の管理者が行います。",
        ),
        Ok(Acknowledged::NotPending) => message_for(
            &user,
            StatusCode::NOT_FOUND,
            "確認待ちの緊急閲覧ではありません",
            "すでに確認済みか、見つかりません。ダッシュボードを開き直してください。",
        ),
        Err(e) => database_error(&e),
    }
}
