//! The sign-in pages: login and password, then the second factor (a TOTP
//! code, or a recovery code), set up at the first sign-in by scanning a
//! QR code; changing the password; signing out. The rules and the
//! counting of failures are `services::sign_in`'s.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;

use crate::http::client_address::ClientAddress;
use crate::http::portal::pages::{database_error, message, render, render_with_status};
use crate::http::portal::session::{
    self, AwaitingSecondFactor, FullySignedIn, LOGIN_COOKIE, PortalUser, Posted, SESSION_COOKIE,
    clear_cookie, cookie_value, set_cookie,
};
use crate::http::state::ServerState;
use crate::model::Role;
use crate::services::second_factor;
use crate::services::sessions::{self, Stage, random_token, same_secret, start_session};
use crate::services::sign_in::{
    FailedStep, PasswordChange, accept_code, change_password as change, check_password,
    finish_setup, pending_secret, record_failure, too_many_failures,
};

#[derive(Deserialize)]
pub(crate) struct LoginQuery {
    expired: Option<String>,
}

pub(crate) async fn login_page(
    State(state): State<ServerState>,
    Query(q): Query<LoginQuery>,
) -> Response {
    login_form(&state, StatusCode::OK, q.expired.is_some(), None, "")
}

fn login_form(
    state: &ServerState,
    status: StatusCode,
    expired: bool,
    error: Option<&str>,
    login: &str,
) -> Response {
    let token = random_token();
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

fn rate_limited() -> Response {
    message(
        StatusCode::TOO_MANY_REQUESTS,
        "サインインの失敗が続いています",
        "安全のため、しばらくサインインできません。15分ほど待ってから、もう一度お試しください。パスワードが分からない場合は地域連携窓口の管理者に連絡してください。",
    )
}

pub(crate) async fn login(
    State(state): State<ServerState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form: LoginForm = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let expected = cookie_value(&headers, LOGIN_COOKIE).unwrap_or_default();
    if !same_secret(&form.csrf, &expected) {
        return session::csrf_refused();
    }
    let login = form.login.trim().to_lowercase();
    match too_many_failures(&state.pool, &login, &address).await {
        Ok(true) => return rate_limited(),
        Ok(false) => {}
        Err(e) => return database_error(&e),
    }
    let checked = match check_password(&state.pool, &login, form.password).await {
        Ok(checked) => checked,
        Err(e) => return database_error(&e),
    };
    let Some((user, has_totp)) = checked else {
        if let Err(e) = record_failure(&state.pool, &login, &address, FailedStep::Password).await {
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
    let token = match start_session(&state.pool, user, Stage::Password, None).await {
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

pub(crate) async fn second_factor_page(
    AwaitingSecondFactor(user): AwaitingSecondFactor,
) -> Response {
    if !user.has_second_factor {
        return Redirect::to("/portal/second-factor/setup").into_response();
    }
    render(
        "second_factor.html",
        context! { csrf => user.csrf, error => None::<&str> },
    )
}

#[derive(Deserialize)]
pub(crate) struct CodeForm {
    #[serde(default)]
    code: String,
}

pub(crate) async fn second_factor(
    State(state): State<ServerState>,
    ClientAddress(address): ClientAddress,
    Posted(AwaitingSecondFactor(user), form): Posted<AwaitingSecondFactor, CodeForm>,
) -> Response {
    match too_many_failures(&state.pool, &user.login, &address).await {
        Ok(true) => return rate_limited(),
        Ok(false) => {}
        Err(e) => return database_error(&e),
    }
    let accepted = match accept_code(&state.pool, &user.user_id, &user.login, &form.code).await {
        Ok(accepted) => accepted,
        Err(e) => return database_error(&e),
    };
    if !accepted {
        if let Err(e) =
            record_failure(&state.pool, &user.login, &address, FailedStep::SecondFactor).await
        {
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
    match start_session(
        &state.pool,
        user.user_id,
        Stage::Full,
        Some(&user.token_sha256),
    )
    .await
    {
        Ok(token) => with_session_cookie(&state, &token, Redirect::to("/portal").into_response()),
        Err(e) => database_error(&e),
    }
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

pub(crate) async fn setup_page_get(
    State(state): State<ServerState>,
    AwaitingSecondFactor(user): AwaitingSecondFactor,
) -> Response {
    if user.has_second_factor {
        return Redirect::to("/portal/second-factor").into_response();
    }
    match pending_secret(&state.pool, &user.user_id).await {
        Ok(secret) => setup_page(StatusCode::OK, &user.csrf, &user.login, &secret, None),
        Err(e) => database_error(&e),
    }
}

pub(crate) async fn setup(
    State(state): State<ServerState>,
    Posted(AwaitingSecondFactor(user), form): Posted<AwaitingSecondFactor, CodeForm>,
) -> Response {
    if user.has_second_factor {
        return Redirect::to("/portal/second-factor").into_response();
    }
    let secret = match pending_secret(&state.pool, &user.user_id).await {
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
    match finish_setup(&state.pool, &user.user_id, &secret, step, &codes).await {
        Ok(()) => {}
        Err(e) => return database_error(&e),
    }
    let token = match start_session(
        &state.pool,
        user.user_id,
        Stage::Full,
        Some(&user.token_sha256),
    )
    .await
    {
        Ok(token) => token,
        Err(e) => return database_error(&e),
    };
    let page = render("recovery_codes.html", context! { codes => codes });
    with_session_cookie(&state, &token, page)
}

pub(crate) async fn password_page(FullySignedIn(user): FullySignedIn) -> Response {
    render(
        "password.html",
        context! { csrf => user.csrf, first => user.must_change_password, error => None::<&str> },
    )
}

#[derive(Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

pub(crate) async fn change_password(
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
    match change(&state.pool, &user, &form.current, &form.new, &form.confirm).await {
        Ok(()) => Redirect::to("/portal?changed=password").into_response(),
        Err(PasswordChange::Refused(text)) => refuse(text),
        Err(PasswordChange::Failed) => message(
            StatusCode::INTERNAL_SERVER_ERROR,
            "パスワードを変更できませんでした",
            "もう一度お試しください。",
        ),
        Err(PasswordChange::Database(e)) => database_error(&e),
    }
}

#[derive(Deserialize)]
pub(crate) struct Nothing {}

pub(crate) async fn sign_out(
    State(state): State<ServerState>,
    Posted(FullySignedIn(user), _): Posted<FullySignedIn, Nothing>,
) -> Response {
    if let Err(e) = sessions::sign_out(&state.pool, &user).await {
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
pub(crate) struct HomeQuery {
    changed: Option<String>,
}

/// The start page: where each role works (telling it a password changed).
pub(crate) async fn home(PortalUser(user): PortalUser, Query(q): Query<HomeQuery>) -> Response {
    let to = match user.role {
        Role::Liaison => "/portal/hospital",
        Role::Desk | Role::Admin => "/portal/desk",
    };
    match q.changed {
        Some(_) => Redirect::to(&format!("{to}?changed=password")).into_response(),
        None => Redirect::to(to).into_response(),
    }
}
