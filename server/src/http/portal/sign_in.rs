//! The sign-in pages: login and password, then the second factor (a TOTP
//! code, or a recovery code), set up at the first sign-in by scanning a
//! QR code; changing the password; signing out. The rules and the
//! counting of failures are `services::sign_in`'s.

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;

use crate::http::client::ClientAddress;
use crate::http::portal::busy_page;
use crate::http::portal::pages::{database_error, message, render, render_with_status, user_view};
use crate::http::portal::session::{
    self, AwaitingSecondFactor, FullySignedIn, LOGIN_COOKIE, PortalUser, Posted, SESSION_COOKIE,
    clear_cookie, cookie_value, read_form_of_at_most, set_cookie,
};
use crate::http::state::ServerState;
use crate::model::Role;
use crate::services::second_factor;
use crate::services::sessions::{self, SignedIn, Stage, random_token, same_secret, start_session};
use crate::services::sign_in::{
    CheckError, FailedStep, PasswordChange, Turn, accept_code, begin_attempt,
    change_password as change, check_password, claim_factor_attempt, finish_setup, give_back,
    pending_secret, record_failure, release_factor_attempt,
};

/// A login form is a login, a password and a token: a few hundred bytes.
const MAX_LOGIN_FORM_BYTES: usize = 4 * 1024;

#[derive(Deserialize)]
pub(crate) struct LoginQuery {
    expired: Option<String>,
}

pub(crate) async fn login_page(Query(q): Query<LoginQuery>) -> Response {
    login_form(StatusCode::OK, q.expired.is_some(), None, "")
}

fn login_form(status: StatusCode, expired: bool, error: Option<&str>, login: &str) -> Response {
    let token = random_token();
    let mut response = render_with_status(
        status,
        "login.html",
        context! { csrf => token, expired => expired, error => error, login => login },
    );
    let (name, value) = set_cookie(LOGIN_COOKIE, &token);
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

/// Failures have made this login or address wait `seconds`.
fn rate_limited(seconds: u64) -> Response {
    let wait = if seconds < 60 {
        format!("{seconds}秒")
    } else {
        format!("{}分", seconds.div_ceil(60))
    };
    let mut response = message(
        StatusCode::TOO_MANY_REQUESTS,
        "サインインの失敗が続いています",
        &format!(
            "安全のため、あと{wait}ほどはサインインできません。待ってから、もう一度お試しください。急ぐ場合やパスワードが分からない場合は、地域連携窓口の管理者に連絡してください（制限を解除できます）。"
        ),
    );
    if let Ok(value) = seconds.to_string().parse() {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

pub(crate) async fn login(
    State(state): State<ServerState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let body = match read_form_of_at_most(body, MAX_LOGIN_FORM_BYTES).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    let form: LoginForm = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let expected = cookie_value(&headers, LOGIN_COOKIE).unwrap_or_default();
    if !same_secret(&form.csrf, &expected) {
        return session::csrf_refused();
    }
    let login = form.login.trim().to_lowercase();
    let attempt = match begin_attempt(&state.pool, &login, &address).await {
        Ok(Turn::Go(attempt)) => attempt,
        Ok(Turn::Wait(seconds)) => return rate_limited(seconds),
        Err(e) => return database_error(&e),
    };
    let checked = match check_password(&state.pool, &state.hashing, &login, form.password).await {
        Ok(checked) => checked,
        Err(CheckError::Busy) => {
            // Not tried: it does not count.
            if let Err(e) = give_back(&state.pool, attempt).await {
                return database_error(&e);
            }
            return busy_page();
        }
        Err(CheckError::Database(e)) => return database_error(&e),
    };
    let Some(checked) = checked else {
        if let Err(e) = record_failure(&state.pool, &login, FailedStep::Password).await {
            return database_error(&e);
        }
        return login_form(
            StatusCode::UNAUTHORIZED,
            false,
            Some("ログインIDまたはパスワードが違います。"),
            &login,
        );
    };
    if let Err(e) = give_back(&state.pool, attempt).await {
        return database_error(&e);
    }
    if checked.pending {
        // Told only to whoever knows the password.
        return message(
            StatusCode::FORBIDDEN,
            "相談窓口の承認待ちです",
            "このアカウントは、所属する機関の管理者が作成し、相談窓口の承認を待っています。承認されるとサインインできます。急ぐ場合は、機関の管理者に相談してください。",
        );
    }
    let (user, has_totp) = (checked.user, checked.has_second_factor);
    let token = match start_session(&state.pool, user, Stage::Password, None).await {
        Ok(token) => token,
        Err(e) => return database_error(&e),
    };
    let next = if has_totp {
        "/portal/second-factor"
    } else {
        "/portal/second-factor/setup"
    };
    with_session_cookie(&token, Redirect::to(next).into_response())
}

fn with_session_cookie(token: &str, mut response: Response) -> Response {
    for (name, value) in [
        set_cookie(SESSION_COOKIE, token),
        clear_cookie(LOGIN_COOKIE),
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

/// One code checked at a time per session, and each counted (by login
/// and address) before it is checked.
pub(crate) async fn second_factor(
    State(state): State<ServerState>,
    ClientAddress(address): ClientAddress,
    Posted(AwaitingSecondFactor(user), form): Posted<AwaitingSecondFactor, CodeForm>,
) -> Response {
    match claim_factor_attempt(&state.pool, &user).await {
        Ok(true) => {}
        Ok(false) => return code_in_flight(),
        Err(e) => return database_error(&e),
    }
    let answer = check_code(&state, &address, &user, &form.code).await;
    if let Err(e) = release_factor_attempt(&state.pool, &user).await {
        return database_error(&e);
    }
    answer
}

fn code_in_flight() -> Response {
    message(
        StatusCode::TOO_MANY_REQUESTS,
        "確認コードを確かめています",
        "前に送信した確認コードを確かめているところです。少し待ってから、もう一度お試しください。",
    )
}

async fn check_code(
    state: &ServerState,
    address: &str,
    user: &crate::services::sessions::SignedIn,
    code: &str,
) -> Response {
    let attempt = match begin_attempt(&state.pool, &user.login, address).await {
        Ok(Turn::Go(attempt)) => attempt,
        Ok(Turn::Wait(seconds)) => return rate_limited(seconds),
        Err(e) => return database_error(&e),
    };
    let accepted = match accept_code(&state.pool, &user.user_id, &user.login, code).await {
        Ok(accepted) => accepted,
        Err(e) => return database_error(&e),
    };
    if !accepted {
        if let Err(e) = record_failure(&state.pool, &user.login, FailedStep::SecondFactor).await {
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
    if let Err(e) = give_back(&state.pool, attempt).await {
        return database_error(&e);
    }
    match start_session(
        &state.pool,
        user.user_id,
        Stage::Full,
        Some(&user.token_sha256),
    )
    .await
    {
        Ok(token) => with_session_cookie(&token, Redirect::to("/portal").into_response()),
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
    with_session_cookie(&token, page)
}

pub(crate) async fn password_page(FullySignedIn(user): FullySignedIn) -> Response {
    render("password.html", password_context(&user, None))
}

/// The password page's context: the header (and so a break-glass banner)
/// once past the first password.
fn password_context(user: &SignedIn, error: Option<&str>) -> minijinja::Value {
    let me = (!user.must_change_password).then(|| user_view(user));
    context! {
        me => me,
        csrf => user.csrf,
        first => user.must_change_password,
        error => error,
    }
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
    ClientAddress(address): ClientAddress,
    Posted(FullySignedIn(user), form): Posted<FullySignedIn, PasswordForm>,
) -> Response {
    let refuse = |text: &str| {
        render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "password.html",
            password_context(&user, Some(text)),
        )
    };
    let changed = change(
        &state.pool,
        &state.hashing,
        &address,
        &user,
        &form.current,
        &form.new,
        &form.confirm,
    )
    .await;
    match changed {
        Ok(()) => Redirect::to("/portal?changed=password").into_response(),
        Err(PasswordChange::Refused(text)) => refuse(text),
        Err(PasswordChange::Wait(seconds)) => rate_limited(seconds),
        Err(PasswordChange::Busy) => busy_page(),
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
    let (name, value) = clear_cookie(SESSION_COOKIE);
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
        Role::OrgAdmin | Role::Staff => "/portal/teams",
    };
    match q.changed {
        Some(_) => Redirect::to(&format!("{to}?changed=password")).into_response(),
        None => Redirect::to(to).into_response(),
    }
}
