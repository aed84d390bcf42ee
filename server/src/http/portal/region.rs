//! The region the directory serves (issue 18): the desk lists its
//! 市区町村; profiles' areas must lie inside it, and the search suggests
//! them.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;

use crate::http::portal::pages::{database_error, render_with_status, user_view};
use crate::http::portal::session::{PortalUser, Posted, forbidden};
use crate::http::state::ServerState;
use crate::services::directory;
use crate::services::sessions::SignedIn;

#[derive(Deserialize, Default)]
pub(crate) struct ShowQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub(crate) async fn show(
    State(state): State<ServerState>,
    PortalUser(user): PortalUser,
    axum::extract::Query(q): axum::extract::Query<ShowQuery>,
) -> Response {
    if !user.is_desk() {
        return forbidden(&user);
    }
    let region = match directory::region(&state.pool).await {
        Ok(region) => region,
        Err(e) => return database_error(&e),
    };
    let typed = region.municipalities().join("、");
    let notice = q.saved.map(|_| "地域の市区町村を保存しました。");
    page(&user, StatusCode::OK, &typed, notice, None)
}

#[derive(Deserialize)]
pub(crate) struct RegionForm {
    municipalities: String,
}

pub(crate) async fn save(
    State(state): State<ServerState>,
    Posted(PortalUser(user), form): Posted<PortalUser, RegionForm>,
) -> Response {
    if !user.is_desk() {
        return forbidden(&user);
    }
    match directory::set_region(&state.pool, &user, &form.municipalities).await {
        Ok(Ok(())) => Redirect::to("/portal/desk/region?saved=1").into_response(),
        Ok(Err(why)) => page(
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form.municipalities,
            None,
            Some(&why.to_string()),
        ),
        Err(e) => database_error(&e),
    }
}

fn page(
    user: &SignedIn,
    status: StatusCode,
    typed: &str,
    notice: Option<&str>,
    error: Option<&str>,
) -> Response {
    render_with_status(
        status,
        "region.html",
        context! { me => user_view(user), csrf => user.csrf, typed => typed, notice => notice, error => error },
    )
}
