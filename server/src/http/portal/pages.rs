//! Rendering: the portal's templates (minijinja, escaped as HTML), the
//! message page, and the headers every portal answer carries.

use std::sync::OnceLock;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::{Environment, Value, context};

use crate::model::Role;
use crate::services::break_glass::Live;
use crate::services::sessions::SignedIn;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_str!(concat!("../../../templates/", $name)))),*]
    };
}

#[expect(
    clippy::expect_used,
    reason = "the templates are compiled into the binary: one that does not parse is a \
              programming error, and every portal test renders them"
)]
fn environment() -> &'static Environment<'static> {
    static ENVIRONMENT: OnceLock<Environment<'static>> = OnceLock::new();
    ENVIRONMENT.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in templates![
            "base.html",
            "message.html",
            "login.html",
            "second_factor.html",
            "second_factor_setup.html",
            "recovery_codes.html",
            "password.html",
            "hospital.html",
            "referral.html",
            "desk.html",
            "figures.html",
            "admin_organisations.html",
            "admin_users.html",
            "admin_devices.html",
            "admin_audit.html",
            "admin_created.html",
            "teams.html",
            "team.html",
            "team_entry.html",
            "team_whereabouts.html",
            "team_conferences.html",
            "team_summary.html",
            "unanswered_requests.html",
            "preregistered.html",
            "staff.html",
            "profile.html",
            "beds.html",
            "beds_region.html",
            "directory.html",
            "directory_import.html",
            "intake.html",
            "intake_new.html",
            "region.html",
            "break_glass.html",
        ] {
            env.add_template(name, source)
                .expect("the portal's templates parse");
        }
        env
    })
}

/// A page from `template` with `context`.
pub(crate) fn render(template: &str, context: Value) -> Response {
    render_with_status(StatusCode::OK, template, context)
}

pub(crate) fn render_with_status(status: StatusCode, template: &str, context: Value) -> Response {
    match environment()
        .get_template(template)
        .and_then(|t| t.render(context))
    {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            // The error's kind and template line only: never the values.
            eprintln!(
                "tsunagu-server: template {template} failed ({:?}, line {:?})",
                e.kind(),
                e.line()
            );
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("<!doctype html><meta charset=utf-8><title>エラー</title><p>画面を表示できませんでした。"),
            )
                .into_response()
        }
    }
}

/// Who is signed in, as every page's header shows it.
pub(crate) fn user_view(user: &SignedIn) -> Value {
    context! {
        name => user.display_name,
        organisation => user.organisation.name,
        role => user.role.code(),
        role_label => user.role.label_ja(),
        is_desk => user.is_desk(),
        is_admin => user.role == Role::Admin,
        is_org_admin => user.role == Role::OrgAdmin,
        keeps_profile => user.keeps_profile_of(user.organisation.id),
        // Every organisation on teams, and a hospital's liaison office,
        // which is on its patients' teams while they are in its care.
        has_teams_home => !user.role.has_referral_rights() || user.role == Role::Liaison,
        organisation_id => user.organisation.id,
        organisation_kind => user.organisation.kind.label_ja(),
        break_glass => user.break_glass.iter().map(break_glass_view).collect::<Vec<_>>(),
    }
}

/// The longest part of a reason the banner shows (the desk's list shows
/// it whole).
const BANNER_REASON_CHARS: usize = 60;

/// A live break-glass as the banner on every page shows it: the referral
/// by its tracking code (no patient's name on pages that are not about
/// the patient), the reason, the minutes left.
fn break_glass_view(live: &Live) -> Value {
    let mut reason: String = live.reason.chars().take(BANNER_REASON_CHARS).collect();
    if live.reason.chars().count() > BANNER_REASON_CHARS {
        reason.push('…');
    }
    context! {
        id => live.id,
        referral_id => live.referral_id,
        tracking_code => live.tracking_code,
        reason => reason,
        minutes_left => live.minutes_left,
    }
}

/// A page that says one thing: an error, a refusal, a notice.
pub(crate) fn message(status: StatusCode, title: &str, text: &str) -> Response {
    render_with_status(
        status,
        "message.html",
        context! { title => title, text => text },
    )
}

/// The same, for a signed-in person: with the header and its banner.
pub(crate) fn message_for(
    user: &SignedIn,
    status: StatusCode,
    title: &str,
    text: &str,
) -> Response {
    render_with_status(
        status,
        "message.html",
        context! { me => user_view(user), csrf => user.csrf, title => title, text => text },
    )
}

pub(crate) fn database_error(e: &sqlx::Error) -> Response {
    crate::services::health::log_database_error(e);
    if crate::services::health::is_statement_timeout(e) {
        return message(
            StatusCode::SERVICE_UNAVAILABLE,
            "時間がかかりすぎたため、中断しました",
            "条件を絞って（期間や氏名を指定して）、もう一度お試しください。続く場合は地域連携窓口に連絡してください。",
        );
    }
    message(
        StatusCode::INTERNAL_SERVER_ERROR,
        "サーバーで問題が起きました",
        "しばらくしてから、もう一度お試しください。続く場合は地域連携窓口に連絡してください。",
    )
}

pub(crate) fn server_data_error() -> Response {
    message(
        StatusCode::INTERNAL_SERVER_ERROR,
        "サーバーのデータに問題があります",
        "地域連携窓口の管理者に連絡してください。",
    )
}

/// Every portal answer: a strict CSP (scripts, styles and connections
/// from the portal only: the one script is the team pages' live news,
/// ADR 0024), no framing, no caching of patient pages, no referrer.
pub(crate) async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let set = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; \
             connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in set {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// A record's id in the path; anything else is the Japanese "not found"
/// page (axum's own rejection is English plain text).
pub(crate) struct IdPath(pub uuid::Uuid);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for IdPath {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<String>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(raw)) => match uuid::Uuid::parse_str(&raw) {
                Ok(id) => Ok(IdPath(id)),
                Err(_) => Err(not_found()),
            },
            Err(_) => Err(not_found()),
        }
    }
}

/// Answers for a missing page inside the portal.
pub(crate) fn not_found() -> Response {
    let mut response = message(
        StatusCode::NOT_FOUND,
        "ページが見つかりません",
        "アドレスが正しいか確かめてください。",
    );
    response.headers_mut().remove(header::SET_COOKIE);
    response
}
