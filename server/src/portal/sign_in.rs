//! Signing in: login and password (Argon2id), then the second factor (a
//! TOTP code, or a recovery code), set up at the first sign-in by scanning
//! a QR code. The first password, handed over by the administrator, is
//! replaced before anything else. Failures are counted in PostgreSQL by
//! login and by address; too many and sign-in is refused for a while.

use std::net::SocketAddr;
use std::sync::OnceLock;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;
use uuid::Uuid;

use super::pages::{database_error, message, render, render_with_status};
use super::second_factor;
use super::session::{
    self, AwaitingSecondFactor, FullySignedIn, LOGIN_COOKIE, PortalUser, Posted, SESSION_COOKIE,
    Stage, clear_cookie, cookie_value, same_secret, set_cookie,
};
use crate::admin::audit;
use crate::api::ServerState;
use crate::users::{Role, hash_password, verify_password};

/// Failed sign-ins for one login within [`FAILURE_WINDOW_MINUTES`] before
/// it is refused; from one address, more (a hospital shares one address).
pub const MAX_LOGIN_FAILURES: i64 = 5;
pub const MAX_ADDRESS_FAILURES: i64 = 30;
const FAILURE_WINDOW_MINUTES: i32 = 15;
const MIN_PASSWORD_CHARS: usize = 12;

#[derive(Deserialize)]
pub struct LoginQuery {
    expired: Option<String>,
}

pub async fn login_page(State(state): State<ServerState>, Query(q): Query<LoginQuery>) -> Response {
    login_form(&state, StatusCode::OK, q.expired.is_some(), None, "")
}

fn login_form(
    state: &ServerState,
    status: StatusCode,
    expired: bool,
    error: Option<&str>,
    login: &str,
) -> Response {
    let token = session::random_token();
    let mut response = render_with_status(
        status,
        "login.html",
        context! { csrf => token, expired => expired, error => error, login => login },
    );
    let (name, value) = set_cookie(state, LOGIN_COOKIE, &token);
    if let Ok(value) = value.parse() {
        response.headers_mut().append(name, value);
    }
    response
}

#[derive(Deserialize, Default)]
struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

/// A hash to verify against when the login does not exist, so that the
/// answer takes as long as for one that does.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password").unwrap_or_default())
}

async fn verify_off_thread(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false)
}

async fn too_many_failures(state: &ServerState, login: &str, address: &str) -> sqlx::Result<bool> {
    let (by_login, by_address): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE login = $1), count(*) FILTER (WHERE address = $2)
         FROM login_failures
         WHERE (login = $1 OR address = $2) AND at > now() - make_interval(mins => $3)",
    )
    .bind(login)
    .bind(address)
    .bind(FAILURE_WINDOW_MINUTES)
    .fetch_one(&state.pool)
    .await?;
    Ok(by_login >= MAX_LOGIN_FAILURES || by_address >= MAX_ADDRESS_FAILURES)
}

async fn record_failure(state: &ServerState, login: &str, address: &str) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO login_failures (login, address) VALUES ($1, $2)")
        .bind(login)
        .bind(address)
        .execute(&state.pool)
        .await?;
    Ok(())
}

fn rate_limited() -> Response {
    message(
        StatusCode::TOO_MANY_REQUESTS,
        "サインインの失敗が続いています",
        "安全のため、しばらくサインインできません。15分ほど待ってから、もう一度お試しください。パスワードが分からない場合は地域連携窓口の管理者に連絡してください。",
    )
}

pub async fn login(
    State(state): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form: LoginForm = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let expected = cookie_value(&headers, LOGIN_COOKIE).unwrap_or_default();
    if !same_secret(&form.csrf, &expected) {
        return session::csrf_refused();
    }
    let login = form.login.trim().to_lowercase();
    let address = peer.ip().to_string();
    match too_many_failures(&state, &login, &address).await {
        Ok(true) => return rate_limited(),
        Ok(false) => {}
        Err(e) => return database_error(&e),
    }
    let found: Option<(Uuid, String, bool)> = match sqlx::query_as(
        "SELECT id, password_hash, totp_secret IS NOT NULL FROM users
         WHERE login = $1 AND disabled_at IS NULL",
    )
    .bind(&login)
    .fetch_optional(&state.pool)
    .await
    {
        Ok(found) => found,
        Err(e) => return database_error(&e),
    };
    let (hash, user) = match &found {
        Some((id, hash, has_totp)) => (hash.clone(), Some((*id, *has_totp))),
        None => (decoy_hash().to_string(), None),
    };
    let verified = verify_off_thread(form.password, hash).await;
    let Some((user, has_totp)) = user.filter(|_| verified) else {
        if let Err(e) = record_failure(&state, &login, &address).await {
            return database_error(&e);
        }
        return login_form(
            &state,
            StatusCode::UNAUTHORIZED,
            false,
            Some("ログインIDまたはパスワードが違います。"),
            &login,
        );
    };
    let token = match start_session(&state, user, Stage::Password, None).await {
        Ok(token) => token,
        Err(e) => return database_error(&e),
    };
    let next = if has_totp {
        "/portal/second-factor"
    } else {
        "/portal/second-factor/setup"
    };
    with_session_cookie(&state, &token, Redirect::to(next).into_response())
}

/// A new session (a new token: the one before it, if any, ends), audited.
async fn start_session(
    state: &ServerState,
    user: Uuid,
    stage: Stage,
    replacing: Option<&str>,
) -> sqlx::Result<String> {
    let mut tx = state.pool.begin().await?;
    if let Some(old) = replacing {
        session::end(&mut tx, old).await?;
    }
    let token = session::start(&mut tx, user, stage).await?;
    let action = match stage {
        Stage::Password => "sign-in-password",
        Stage::Full => "sign-in",
    };
    audit(
        &mut tx,
        &format!("user:{user}"),
        action,
        "user",
        &user.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

fn with_session_cookie(state: &ServerState, token: &str, mut response: Response) -> Response {
    for (name, value) in [
        set_cookie(state, SESSION_COOKIE, token),
        clear_cookie(state, LOGIN_COOKIE),
    ] {
        if let Ok(value) = value.parse() {
            response.headers_mut().append(name, value);
        }
    }
    response
}

pub async fn second_factor_page(AwaitingSecondFactor(user): AwaitingSecondFactor) -> Response {
    if !user.has_second_factor {
        return Redirect::to("/portal/second-factor/setup").into_response();
    }
    render(
        "second_factor.html",
        context! { csrf => user.csrf, error => None::<&str> },
    )
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn second_factor(
    State(state): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Posted(AwaitingSecondFactor(user), form): Posted<AwaitingSecondFactor, CodeForm>,
) -> Response {
    let address = peer.ip().to_string();
    match too_many_failures(&state, &user.login, &address).await {
        Ok(true) => return rate_limited(),
        Ok(false) => {}
        Err(e) => return database_error(&e),
    }
    let accepted = match accept_code(&state, &user.user_id, &user.login, &form.code).await {
        Ok(accepted) => accepted,
        Err(e) => return database_error(&e),
    };
    if !accepted {
        if let Err(e) = record_failure(&state, &user.login, &address).await {
            return database_error(&e);
        }
        return render_with_status(
            StatusCode::UNAUTHORIZED,
            "second_factor.html",
            context! {
                csrf => user.csrf,
                error => "確認コードが正しくありません。認証アプリに表示されている6桁の数字を入力してください。",
            },
        );
    }
    match start_session(&state, user.user_id, Stage::Full, Some(&user.token_sha256)).await {
        Ok(token) => with_session_cookie(&state, &token, Redirect::to("/portal").into_response()),
        Err(e) => database_error(&e),
    }
}

/// A TOTP code newer than the last one accepted, or an unused recovery
/// code (used up by this).
async fn accept_code(
    state: &ServerState,
    user: &Uuid,
    login: &str,
    typed: &str,
) -> sqlx::Result<bool> {
    let secret: Option<String> = sqlx::query_scalar("SELECT totp_secret FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(&state.pool)
        .await?;
    let Some(secret) = secret else {
        return Ok(false);
    };
    if let Some(step) =
        second_factor::matching_step(&secret, login, typed, second_factor::unix_now())
    {
        let fresh = sqlx::query(
            "UPDATE users SET totp_last_step = $2
             WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
        )
        .bind(user)
        .bind(step)
        .execute(&state.pool)
        .await?
        .rows_affected();
        return Ok(fresh == 1);
    }
    let recovery = second_factor::normalise_recovery_code(typed);
    let used = sqlx::query(
        "UPDATE recovery_codes SET used_at = now()
         WHERE user_id = $1 AND code_sha256 = $2 AND used_at IS NULL",
    )
    .bind(user)
    .bind(session::digest(&recovery))
    .execute(&state.pool)
    .await?
    .rows_affected();
    if used == 1 {
        let mut conn = state.pool.acquire().await?;
        audit(
            &mut conn,
            &format!("user:{user}"),
            "use-recovery-code",
            "user",
            &user.to_string(),
        )
        .await?;
    }
    Ok(used == 1)
}

/// The secret being set up: the one already offered (a reload shows the
/// same QR code), or a new one.
async fn pending_secret(state: &ServerState, user: &Uuid) -> sqlx::Result<String> {
    let offered: Option<String> =
        sqlx::query_scalar("SELECT totp_pending_secret FROM users WHERE id = $1")
            .bind(user)
            .fetch_one(&state.pool)
            .await?;
    if let Some(secret) = offered {
        return Ok(secret);
    }
    let secret = second_factor::new_secret();
    sqlx::query("UPDATE users SET totp_pending_secret = $2 WHERE id = $1")
        .bind(user)
        .bind(&secret)
        .execute(&state.pool)
        .await?;
    Ok(secret)
}

fn setup_page(
    status: StatusCode,
    csrf: &str,
    login: &str,
    secret: &str,
    error: Option<&str>,
) -> Response {
    let grouped: Vec<String> = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    render_with_status(
        status,
        "second_factor_setup.html",
        context! {
            csrf => csrf,
            qr => second_factor::qr_svg(secret, login).map(minijinja::Value::from_safe_string),
            secret => grouped.join(" "),
            login => login,
            error => error,
        },
    )
}

pub async fn setup_page_get(
    State(state): State<ServerState>,
    AwaitingSecondFactor(user): AwaitingSecondFactor,
) -> Response {
    if user.has_second_factor {
        return Redirect::to("/portal/second-factor").into_response();
    }
    match pending_secret(&state, &user.user_id).await {
        Ok(secret) => setup_page(StatusCode::OK, &user.csrf, &user.login, &secret, None),
        Err(e) => database_error(&e),
    }
}

pub async fn setup(
    State(state): State<ServerState>,
    Posted(AwaitingSecondFactor(user), form): Posted<AwaitingSecondFactor, CodeForm>,
) -> Response {
    if user.has_second_factor {
        return Redirect::to("/portal/second-factor").into_response();
    }
    let secret = match pending_secret(&state, &user.user_id).await {
        Ok(secret) => secret,
        Err(e) => return database_error(&e),
    };
    let Some(step) =
        second_factor::matching_step(&secret, &user.login, &form.code, second_factor::unix_now())
    else {
        return setup_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &user.csrf,
            &user.login,
            &secret,
            Some(
                "確認コードが正しくありません。QRコードを読み取った認証アプリに表示されている6桁の数字を入力してください。",
            ),
        );
    };
    let codes = second_factor::new_recovery_codes();
    match finish_setup(&state, &user.user_id, &secret, step, &codes).await {
        Ok(()) => {}
        Err(e) => return database_error(&e),
    }
    let token =
        match start_session(&state, user.user_id, Stage::Full, Some(&user.token_sha256)).await {
            Ok(token) => token,
            Err(e) => return database_error(&e),
        };
    let page = render("recovery_codes.html", context! { codes => codes });
    with_session_cookie(&state, &token, page)
}

async fn finish_setup(
    state: &ServerState,
    user: &Uuid,
    secret: &str,
    step: i64,
    codes: &[String],
) -> sqlx::Result<()> {
    let mut tx = state.pool.begin().await?;
    sqlx::query(
        "UPDATE users SET totp_secret = $2, totp_pending_secret = NULL, totp_last_step = $3
         WHERE id = $1",
    )
    .bind(user)
    .bind(secret)
    .bind(step)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user)
        .execute(&mut *tx)
        .await?;
    let digests: Vec<String> = codes.iter().map(|c| session::digest(c)).collect();
    sqlx::query("INSERT INTO recovery_codes (user_id, code_sha256) SELECT $1, unnest($2::text[])")
        .bind(user)
        .bind(&digests)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        &format!("user:{user}"),
        "set-up-second-factor",
        "user",
        &user.to_string(),
    )
    .await?;
    tx.commit().await
}

pub async fn password_page(FullySignedIn(user): FullySignedIn) -> Response {
    render(
        "password.html",
        context! { csrf => user.csrf, first => user.must_change_password, error => None::<&str> },
    )
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

pub async fn change_password(
    State(state): State<ServerState>,
    Posted(FullySignedIn(user), form): Posted<FullySignedIn, PasswordForm>,
) -> Response {
    let refuse = |text: &str| {
        render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "password.html",
            context! { csrf => user.csrf, first => user.must_change_password, error => text },
        )
    };
    let stored: String = match sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user.user_id)
        .fetch_one(&state.pool)
        .await
    {
        Ok(stored) => stored,
        Err(e) => return database_error(&e),
    };
    if !verify_off_thread(form.current.clone(), stored).await {
        return refuse("今のパスワードが違います。");
    }
    if form.new.chars().count() < MIN_PASSWORD_CHARS {
        return refuse("新しいパスワードは12文字以上にしてください。");
    }
    if form.new != form.confirm {
        return refuse("確認のために入力したパスワードが一致しません。");
    }
    if form.new == form.current || form.new.to_lowercase().contains(&user.login) {
        return refuse("今のパスワードやログインIDとは違うものにしてください。");
    }
    let Ok(hash) = tokio::task::spawn_blocking(move || hash_password(&form.new)).await else {
        return message(
            StatusCode::INTERNAL_SERVER_ERROR,
            "パスワードを変更できませんでした",
            "もう一度お試しください。",
        );
    };
    let Ok(hash) = hash else {
        return refuse("このパスワードは使えません。別のものにしてください。");
    };
    let result: sqlx::Result<()> = async {
        let mut tx = state.pool.begin().await?;
        sqlx::query(
            "UPDATE users SET password_hash = $2, must_change_password = false WHERE id = $1",
        )
        .bind(user.user_id)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
        // Other browsers signed in as this person are signed out.
        sqlx::query(
            "UPDATE portal_sessions SET ended_at = now()
             WHERE user_id = $1 AND token_sha256 <> $2 AND ended_at IS NULL",
        )
        .bind(user.user_id)
        .bind(&user.token_sha256)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &user.audit_actor(),
            "change-password",
            "user",
            &user.user_id.to_string(),
        )
        .await?;
        tx.commit().await
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/portal?changed=password").into_response(),
        Err(e) => database_error(&e),
    }
}

#[derive(Deserialize)]
pub struct Nothing {}

pub async fn sign_out(
    State(state): State<ServerState>,
    Posted(FullySignedIn(user), _): Posted<FullySignedIn, Nothing>,
) -> Response {
    let result: sqlx::Result<()> = async {
        let mut conn = state.pool.acquire().await?;
        session::end(&mut conn, &user.token_sha256).await?;
        audit(
            &mut conn,
            &user.audit_actor(),
            "sign-out",
            "user",
            &user.user_id.to_string(),
        )
        .await
    }
    .await;
    if let Err(e) = result {
        return database_error(&e);
    }
    let mut response = Redirect::to("/portal/login").into_response();
    let (name, value) = clear_cookie(&state, SESSION_COOKIE);
    if let Ok(value) = value.parse() {
        response.headers_mut().append(name, value);
    }
    response
}

#[derive(Deserialize)]
pub struct HomeQuery {
    changed: Option<String>,
}

/// The start page: where each role works (telling it a password changed).
pub async fn home(PortalUser(user): PortalUser, Query(q): Query<HomeQuery>) -> Response {
    let to = match user.role {
        Role::Liaison => "/portal/hospital",
        Role::Desk | Role::Admin => "/portal/desk",
    };
    match q.changed {
        Some(_) => Redirect::to(&format!("{to}?changed=password")).into_response(),
        None => Redirect::to(to).into_response(),
    }
}

/// Answers for a missing page inside the portal.
pub async fn not_found() -> Response {
    let mut response = message(
        StatusCode::NOT_FOUND,
        "ページが見つかりません",
        "アドレスが正しいか確かめてください。",
    );
    response.headers_mut().remove(header::SET_COOKIE);
    response
}
