//! Who is signed in to the portal. A session is a row in PostgreSQL named
//! by the SHA-256 of a random cookie token; it ends after
//! [`IDLE_MINUTES`] without a request or [`MAX_HOURS`] in all. Each
//! session carries its own CSRF token, which every form posts back
//! ([`Posted`] refuses a form without it).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};
use rand::RngCore;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use tsunagu_protocol::Organisation;
use uuid::Uuid;

use super::pages::message;
use crate::api::ServerState;
use crate::users::Role;

pub const SESSION_COOKIE: &str = "tsunagu_session";
/// Before sign-in: the login form's CSRF token (double submit).
pub const LOGIN_COOKIE: &str = "tsunagu_login";
pub const IDLE_MINUTES: i32 = 30;
pub const MAX_HOURS: i32 = 12;
/// Forms are small; a pasted novel is refused before it is read.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// A session's stage: the password alone, or both factors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Password,
    Full,
}

impl Stage {
    fn code(self) -> &'static str {
        match self {
            Stage::Password => "password",
            Stage::Full => "full",
        }
    }
}

#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user_id: Uuid,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub organisation: Organisation,
    pub csrf: String,
    pub must_change_password: bool,
    pub has_second_factor: bool,
    pub token_sha256: String,
}

impl SignedIn {
    /// Who this person is in the audit log.
    pub fn audit_actor(&self) -> String {
        format!("user:{}", self.user_id)
    }

    /// As events and calls show them: the organisation and the person.
    pub fn label(&self) -> String {
        format!("{} {}", self.organisation.name, self.display_name)
    }

    pub fn is_desk(&self) -> bool {
        matches!(self.role, Role::Desk | Role::Admin)
    }

    /// The 403 page, unless the person has one of `roles`.
    pub fn refused_unless(&self, roles: &[Role]) -> Option<Response> {
        (!roles.contains(&self.role)).then(forbidden)
    }
}

pub fn forbidden() -> Response {
    message(
        StatusCode::FORBIDDEN,
        "この操作の権限がありません",
        "この画面は、あなたのアカウントでは開けません。必要な場合は地域連携窓口の管理者に連絡してください。",
    )
}

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares digests, so that the time taken says nothing about the token.
pub fn same_secret(a: &str, b: &str) -> bool {
    !a.is_empty() && digest(a) == digest(b)
}

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// HttpOnly, SameSite=Strict, for the portal's paths only; Secure when
/// served over HTTPS.
pub fn set_cookie(state: &ServerState, name: &str, value: &str) -> (header::HeaderName, String) {
    let cookie = Cookie::build((name, value))
        .path("/portal")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.secure_cookies)
        .build();
    (header::SET_COOKIE, cookie.to_string())
}

pub fn clear_cookie(state: &ServerState, name: &str) -> (header::HeaderName, String) {
    let cookie = Cookie::build((name, ""))
        .path("/portal")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.secure_cookies)
        .max_age(cookie::time::Duration::ZERO)
        .build();
    (header::SET_COOKIE, cookie.to_string())
}

/// Starts a session at `stage` for `user`; the cookie token to set.
pub async fn start(conn: &mut PgConnection, user: Uuid, stage: Stage) -> sqlx::Result<String> {
    let token = random_token();
    sqlx::query(
        "INSERT INTO portal_sessions (token_sha256, user_id, stage, csrf_token)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(digest(&token))
    .bind(user)
    .bind(stage.code())
    .bind(random_token())
    .execute(conn)
    .await?;
    Ok(token)
}

pub async fn end(conn: &mut PgConnection, token_sha256: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE portal_sessions SET ended_at = now() WHERE token_sha256 = $1")
        .bind(token_sha256)
        .execute(conn)
        .await?;
    Ok(())
}

/// The session the cookie names, if it is live at `stage`; touching it
/// keeps it alive.
async fn find(parts: &Parts, state: &ServerState, stage: Stage) -> Result<SignedIn, Response> {
    let Some(token) = cookie_value(&parts.headers, SESSION_COOKIE) else {
        return Err(to_sign_in());
    };
    type Row = (
        Uuid,
        String,
        String,
        String,
        Uuid,
        String,
        String,
        String,
        bool,
        bool,
    );
    let row: Option<Row> = sqlx::query_as(
        "UPDATE portal_sessions s SET last_seen_at = now()
         FROM users u JOIN organisations o ON o.id = u.organisation_id
         WHERE s.token_sha256 = $1 AND s.user_id = u.id AND s.stage = $2
           AND s.ended_at IS NULL AND u.disabled_at IS NULL
           AND s.last_seen_at > now() - make_interval(mins => $3)
           AND s.created_at > now() - make_interval(hours => $4)
         RETURNING u.id, u.login, u.display_name, u.role, o.id, o.name, o.kind, s.csrf_token,
           u.must_change_password, u.totp_secret IS NOT NULL",
    )
    .bind(digest(&token))
    .bind(stage.code())
    .bind(IDLE_MINUTES)
    .bind(MAX_HOURS)
    .fetch_optional(&state.pool)
    .await
    .map_err(|e| super::pages::database_error(&e))?;
    let Some((user_id, login, display_name, role, org_id, org_name, kind, csrf, must, totp)) = row
    else {
        return Err(to_sign_in());
    };
    let (Some(role), Some(kind)) = (Role::from_code(&role), crate::admin::kind_from_code(&kind))
    else {
        return Err(super::pages::server_data_error());
    };
    Ok(SignedIn {
        user_id,
        login,
        display_name,
        role,
        organisation: Organisation {
            id: org_id,
            name: org_name,
            kind,
        },
        csrf,
        must_change_password: must,
        has_second_factor: totp,
        token_sha256: digest(&token),
    })
}

fn to_sign_in() -> Response {
    Redirect::to("/portal/login?expired=1").into_response()
}

/// Signed in with both factors, the first password replaced.
pub struct PortalUser(pub SignedIn);

/// Signed in with both factors (the password may still be the first one).
pub struct FullySignedIn(pub SignedIn);

/// The password was right; the second factor is still to come.
pub struct AwaitingSecondFactor(pub SignedIn);

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

pub trait HasSession {
    fn session(&self) -> &SignedIn;
}

impl HasSession for PortalUser {
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
pub struct Posted<U, T>(pub U, pub T);

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

pub async fn read_form(body: axum::body::Body) -> Result<Bytes, Response> {
    axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| {
            message(
                StatusCode::PAYLOAD_TOO_LARGE,
                "入力が長すぎます",
                "入力した内容が長すぎます。短くしてから、もう一度送信してください。",
            )
        })
}

pub fn csrf_refused() -> Response {
    message(
        StatusCode::FORBIDDEN,
        "フォームの有効期限が切れました",
        "このフォームは受け付けられませんでした（確認用の情報がないか古くなっています）。ページを開き直して、もう一度入力してください。",
    )
}

pub fn bad_form() -> Response {
    message(
        StatusCode::BAD_REQUEST,
        "入力を読み取れませんでした",
        "送信された内容の形式が正しくありません。ページを開き直して、もう一度入力してください。",
    )
}
