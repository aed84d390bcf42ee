//! The web portal of the home-care desk (相談窓口), hospitals' liaison
//! officers (連携担当者) and the people of every organisation in the region
//! (their administrators create their staff, the desk approves):
//! server-rendered pages in Japanese, no script.
//! Sign-in takes a password and a TOTP code; every form carries the
//! session's CSRF token; every view of a referral and every change is
//! audited. Patient data never goes into a URL: referrals are named by
//! their random id, tracking codes are posted.

mod account_rows;
mod admin;
mod admin_accounts;
mod audit_labels;
mod beds;
mod break_glass;
mod desk;
mod directory;
mod directory_import;
mod discharge_requests;
mod forms;
mod history;
mod intake;
mod live;
pub(crate) mod pages;
mod preregistered;
pub(crate) mod profile;
mod referral_documents;
mod referral_page;
mod referrals;
mod region;
mod session;
mod sign_in;
mod staff;
mod team_conferences;
mod team_invitations;
mod team_news;
mod team_summary;
mod teams;

use axum::Router;
use axum::http::header;
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::{get, post};

use crate::http::state::ServerState;

pub(crate) use referral_documents::too_large_page;
pub use session::SESSION_COOKIE;

pub(crate) fn router() -> Router<ServerState> {
    Router::new()
        .route("/portal", get(sign_in::home))
        .route(
            "/portal/login",
            get(sign_in::login_page).post(sign_in::login),
        )
        .route(
            "/portal/second-factor",
            get(sign_in::second_factor_page).post(sign_in::second_factor),
        )
        .route(
            "/portal/second-factor/setup",
            get(sign_in::setup_page_get).post(sign_in::setup),
        )
        .route(
            "/portal/password",
            get(sign_in::password_page).post(sign_in::change_password),
        )
        .route("/portal/logout", post(sign_in::sign_out))
        .route("/portal/hospital", get(referrals::hospital_home))
        .route("/portal/lookup", post(referrals::lookup))
        .route(
            "/portal/preregistered",
            get(preregistered::form).post(preregistered::search),
        )
        .route(
            "/portal/preregistered/{id}/admission",
            post(preregistered::record_admission),
        )
        .route("/portal/referrals/{id}", get(referrals::show))
        .route("/portal/referrals/{id}/events", post(referrals::record))
        .route(
            "/portal/referrals/{id}/events/{event}/void",
            post(referrals::void),
        )
        .route("/portal/referrals/{id}/calls", post(desk::log_call))
        .route(
            "/portal/referrals/{id}/break-glass",
            post(break_glass::start),
        )
        .route("/portal/break-glass/{id}/end", post(break_glass::end))
        .route(
            "/portal/break-glass/{id}/acknowledge",
            post(break_glass::acknowledge),
        )
        .route("/portal/referrals/{id}/assign", post(desk::assign))
        .route(
            "/portal/referrals/{id}/discharge-requests",
            post(discharge_requests::send),
        )
        .route(
            "/portal/referrals/{id}/discharge-requests/{request}/cancel",
            post(discharge_requests::cancel),
        )
        .route("/portal/desk", get(desk::dashboard))
        .route("/portal/desk/figures", get(desk::figures))
        .route(
            "/portal/admin",
            get(admin::organisations).post(admin::create_organisation),
        )
        .route(
            "/portal/admin/users",
            get(admin_accounts::users).post(admin_accounts::create_user),
        )
        .route(
            "/portal/admin/users/{id}/reset",
            post(admin_accounts::reset_user),
        )
        .route(
            "/portal/admin/users/{id}/approval",
            post(admin_accounts::decide),
        )
        .route(
            "/portal/organisations/{id}/beds",
            get(beds::show).post(beds::save),
        )
        .route("/portal/desk/beds", get(beds::region))
        .route("/portal/directory", get(directory::search))
        .route("/portal/desk/region", get(region::show).post(region::save))
        .route("/portal/intake", get(intake::list).post(intake::send))
        .route("/portal/intake/new", get(intake::new_form))
        .route("/portal/intake/{id}/answer", post(intake::answer))
        .route("/portal/intake/{id}/withdraw", post(intake::withdraw))
        .route("/portal/desk/import", get(directory_import::show))
        .route(
            "/portal/organisations/{id}/profile",
            get(profile::show).post(profile::save),
        )
        .route("/portal/teams", get(teams::list))
        .route("/portal/teams/{id}", get(teams::show))
        .route("/portal/teams/{id}/members", post(teams::member_action))
        .route(
            "/portal/teams/{id}/invitations",
            post(team_invitations::invite),
        )
        .route(
            "/portal/teams/{id}/ward-staff",
            post(team_invitations::invite_ward_staff),
        )
        .route(
            "/portal/teams/{id}/conferences",
            post(team_conferences::schedule),
        )
        .route(
            "/portal/teams/{id}/conferences/{conference}/answer",
            post(team_conferences::answer),
        )
        .route(
            "/portal/teams/{id}/conferences/{conference}/minutes",
            post(team_conferences::minutes),
        )
        .route(
            "/portal/teams/{id}/conferences/{conference}/cancel",
            post(team_conferences::cancel),
        )
        .route(
            "/portal/teams/{id}/acknowledgements",
            post(teams::acknowledge),
        )
        .route("/portal/teams/{id}/requests", post(teams::close_request))
        .route("/portal/teams/{id}/whereabouts", post(team_news::record))
        .route("/portal/attachments/{id}", get(teams::attachment))
        .route("/portal/documents/{id}", get(referral_documents::download))
        .route(
            "/portal/organisations/{id}/staff",
            get(staff::list).post(staff::create),
        )
        .route(
            "/portal/organisations/{id}/profile-keeper",
            post(staff::profile_keeper),
        )
        .route("/portal/admin/codes", post(admin::issue_code))
        .route(
            "/portal/admin/organisations/{id}/stop",
            post(admin::stop_organisation),
        )
        .route("/portal/admin/devices", get(admin::devices))
        .route(
            "/portal/admin/devices/{id}/revoke",
            post(admin::revoke_device),
        )
        .route(
            "/portal/admin/audit",
            get(admin::audit_log).post(admin::audit_log_filtered),
        )
        .route("/portal/static/portal.css", get(stylesheet))
        .route("/portal/static/live.js", get(live_script))
        .route("/portal/{*rest}", get(not_found))
        .layer(middleware::map_response(pages::security_headers))
}

/// The team pages' live news (server-sent events, outside the request
/// limits like the devices' stream).
pub(crate) fn streams() -> Router<ServerState> {
    Router::new()
        .route("/portal/live", get(live::live))
        .layer(middleware::map_response(pages::security_headers))
}

/// Forms that carry a file (a team's photo or PDF, the desk's provider
/// list of up to 20 MB), under the upload limit rather than the forms' own.
pub(crate) fn uploads() -> Router<ServerState> {
    Router::new()
        .route("/portal/teams/{id}/posts", post(teams::post))
        .route("/portal/desk/import", post(directory_import::upload))
        .route(
            "/portal/referrals/{id}/documents",
            post(referral_documents::upload),
        )
        .layer(middleware::map_response(pages::security_headers))
}

/// Too many requests (or password checks) at once: try again shortly.
pub(crate) fn busy_page() -> axum::response::Response {
    pages::message(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "ただいま混み合っています",
        "サーバーが混み合っているため、受け付けられませんでした。少し待ってから、もう一度お試しください。",
    )
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../../static/portal.css"),
    )
}

async fn live_script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../../../static/live.js"),
    )
}

async fn not_found() -> impl IntoResponse {
    pages::not_found()
}
