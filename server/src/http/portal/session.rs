//! The portal's session as HTTP carries it: the cookies, the extractors
//! that find the signed-in person (`services::sessions` keeps the
//! sessions), and posted forms, refused without the session's CSRF token
//! ([`Posted`]).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::http::nul;
use crate::http::portal::pages::{database_error, message, message_for, server_data_error};
use crate::http::state::ServerState;
use crate::model::Role;
use crate::services::sessions::{self, FindError, SignedIn, Stage, same_secret};

pub const SESSION_COOKIE: &str = "tsunagu_session";
/// Before sign-in: the login form's CSRF token (double submit).
pub(crate) const LOGIN_COOKIE: &str = "tsunagu_login";
/// Forms are small; a pasted novel is refused before it is read.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// The portal's answer to a role that may not open a page.
pub(crate) trait RoleGate {
    /// The 403 page, unless the person has one of `roles`.
    fn refused_unless(&self, roles: &[Role]) -> Option<Response>;
}

impl RoleGate for SignedIn {
    fn refused_unless(&self, roles: &[Role]) -> Option<Response> {
        (!roles.contains(&self.role)).then(|| forbidden(self))
    }
}

pub(crate) fn forbidden(user: &SignedIn) -> Response {
    message_for(
        user,
        StatusCode::FORBIDDEN,
        "この操作の権限がありません",
        "この画面は、あなたのアカウントでは開けません。必要な場合は地域連携窓口の管理者に連絡してください。",
    )
}

pub(crate) fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// HttpOnly, SameSite=Strict, for the portal's paths only; `Secure` is
/// added to every cookie of an answer over HTTPS (`http::client`).
pub(crate) fn set_cookie(name: &str, value: &str) -> (header::HeaderName, String) {
    let cookie = Cookie::build((name, value))
        .path("/portal")
        .http_only(true)
        .same_site(SameSite::Strict)
        .build();
    (header::SET_COOKIE, cookie.to_string())
}

pub(crate) fn clear_cookie(name: &str) -> (header::HeaderName, String) {
    let cookie = Cookie::build((name, ""))
        .path("/portal")
        .http_only(true)
        .same_site(SameSite::Strict)
        .max_age(cookie::time::Duration::ZERO)
        .build();
    (header::SET_COOKIE, cookie.to_string())
}

/// The session the cookie names, if it is live at `stage`; touching it
/// keeps it alive. Otherwise, to the sign-in page.
async fn find(parts: &Parts, state: &ServerState, stage: Stage) -> Result<SignedIn, Response> {
    let Some(token) = cookie_value(&parts.headers, SESSION_COOKIE) else {
        return Err(to_sign_in());
    };
    match sessions::find(&state.pool, &token, stage).await {
        Ok(Some(user)) => Ok(user),
        Ok(None) => Err(to_sign_in()),
        Err(FindError::Database(e)) => Err(database_error(&e)),
        Err(FindError::BadData) => Err(server_data_error()),
    }
}

fn to_sign_in() -> Response {
    Redirect::to("/portal/login?expired=1").into_response()
}

/// Signed in with both factors, the first password replaced.
pub(crate) struct PortalUser(pub SignedIn);

/// A [`PortalUser`] whose role reads and records referrals (the desk and
/// hospitals' liaison officers); anyone else gets the 403 page. Every
/// referral page takes this.
pub(crate) struct ReferralUser(pub SignedIn);

/// Signed in with both factors (the password may still be the first one).
pub(crate) struct FullySignedIn(pub SignedIn);

/// The password was right; the second factor is still to come.
pub(crate) struct AwaitingSecondFactor(pub SignedIn);

impl FromRequestParts<ServerState> for PortalUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &ServerState) -> Result<Self, Response> {
        let user = find(parts, state, Stage::Full).await?;
        if user.must_change_password {
            return Err(Redirect::to("/portal/password").into_response());
        }
        Ok(PortalUser(user))
    }
}

impl FromRequestParts<ServerState> for ReferralUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &ServerState) -> Result<Self, Response> {
        let PortalUser(user) = PortalUser::from_request_parts(parts, state).await?;
        if !user.role.has_referral_rights() {
            return Err(forbidden(&user));
        }
        Ok(ReferralUser(user))
    }
}

impl FromRequestParts<ServerState> for FullySignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &ServerState) -> Result<Self, Response> {
        Ok(FullySignedIn(find(parts, state, Stage::Full).await?))
    }
}

impl FromRequestParts<ServerState> for AwaitingSecondFactor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &ServerState) -> Result<Self, Response> {
        Ok(AwaitingSecondFactor(
            find(parts, state, Stage::Password).await?,
        ))
    }
}

pub(crate) trait HasSession {
    fn session(&self) -> &SignedIn;
}

impl HasSession for PortalUser {
    fn session(&self) -> &SignedIn {
        &self.0
    }
}
impl HasSession for ReferralUser {
    fn session(&self) -> &SignedIn {
        &self.0
    }
}
impl HasSession for FullySignedIn {
    fn session(&self) -> &SignedIn {
        &self.0
    }
}
impl HasSession for AwaitingSecondFactor {
    fn session(&self) -> &SignedIn {
        &self.0
    }
}

#[derive(Deserialize, Default)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// A posted form from a signed-in person, refused unless it carries the
/// session's CSRF token.
pub(crate) struct Posted<U, T>(pub U, pub T);

impl<U, T> FromRequest<ServerState> for Posted<U, T>
where
    U: FromRequestParts<ServerState, Rejection = Response> + HasSession + Send,
    T: DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &ServerState) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let user = U::from_request_parts(&mut parts, state).await?;
        let body = read_form(body).await?;
        let CsrfField { csrf } = serde_urlencoded::from_bytes(&body).unwrap_or_default();
        if !same_secret(&csrf, &user.session().csrf) {
            return Err(csrf_refused());
        }
        let form = serde_urlencoded::from_bytes(&body).map_err(|_| bad_form())?;
        Ok(Posted(user, form))
    }
}

pub(crate) async fn read_form(body: axum::body::Body) -> Result<Bytes, Response> {
    read_form_of_at_most(body, MAX_FORM_BYTES).await
}

/// A form of at most `limit` bytes, or the "too long" page.
pub(crate) async fn read_form_of_at_most(
    body: axum::body::Body,
    limit: usize,
) -> Result<Bytes, Response> {
    let body = axum::body::to_bytes(body, limit).await.map_err(|e| {
        if too_long(&e) {
            message(
                StatusCode::PAYLOAD_TOO_LARGE,
                "入力が長すぎます",
                "入力した内容が長すぎます。短くしてから、もう一度送信してください。",
            )
        } else {
            // The body stopped coming (or the connection broke).
            message(
                StatusCode::REQUEST_TIMEOUT,
                "送信が途中で止まりました",
                "入力した内容が最後まで届きませんでした。通信の状態を確かめて、もう一度送信してください。",
            )
        }
    })?;
    if nul::in_form(&body) {
        return Err(nul::refused_page());
    }
    Ok(body)
}

/// Whether reading a body failed on its length (not on a pause or a
/// broken connection).
fn too_long(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = e.source();
    }
    false
}

pub(crate) fn csrf_refused() -> Response {
    message(
        StatusCode::FORBIDDEN,
        "フォームの有効期限が切れました",
        "このフォームは受け付けられませんでした（確認用の情報がないか古くなっています）。ページを開き直して、もう一度入力してください。",
    )
}

pub(crate) fn bad_form() -> Response {
    message(
        StatusCode::BAD_REQUEST,
        "入力を読み取れませんでした",
        "送信された内容の形式が正しくありません。ページを開き直して、もう一度入力してください。",
    )
}
