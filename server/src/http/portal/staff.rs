//! An organisation's staff (職員), for its administrator: their states
//! and a form for a new account, which waits for the desk's approval.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;

use crate::http::portal::account_rows::{
    AccountRow, Refused, created_page, profession_choices, refusal,
};
use crate::http::portal::pages::{IdPath, database_error, render_with_status, user_view};
use crate::http::portal::session::{PortalUser, Posted, forbidden};
use crate::http::state::ServerState;
use crate::services::accounts::Profession;
use crate::services::sessions::SignedIn;
use crate::services::staff::{self, StaffError};

async fn staff_page(
    state: &ServerState,
    user: &SignedIn,
    organisation: uuid::Uuid,
    status: StatusCode,
    error: Option<&str>,
) -> Response {
    let rows = match staff::list(&state.pool, user, organisation).await {
        Ok(Some(rows)) => rows,
        Ok(None) => return forbidden(user),
        Err(e) => return database_error(&e),
    };
    let rows: Vec<AccountRow> = rows.into_iter().map(|u| AccountRow::of(u, false)).collect();
    render_with_status(
        status,
        "staff.html",
        context! {
            me => user_view(user),
            csrf => user.csrf,
            organisation_id => organisation,
            staff => rows,
            professions => profession_choices(),
            error => error,
        },
    )
}

/// The organisation's accounts: its administrator only, of its own.
pub(crate) async fn list(
    State(state): State<ServerState>,
    IdPath(organisation): IdPath,
    PortalUser(user): PortalUser,
) -> Response {
    staff_page(&state, &user, organisation, StatusCode::OK, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct StaffForm {
    login: String,
    display_name: String,
    profession: String,
}

/// A staff account, pending the desk's approval; its first password is
/// shown once.
pub(crate) async fn create(
    State(state): State<ServerState>,
    IdPath(organisation): IdPath,
    Posted(PortalUser(user), form): Posted<PortalUser, StaffForm>,
) -> Response {
    if !staff::may_manage(&user, organisation) {
        return forbidden(&user);
    }
    let Some(profession) = Profession::from_code(&form.profession) else {
        let text = "職種を選んでください。";
        return staff_page(
            &state,
            &user,
            organisation,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(text),
        )
        .await;
    };
    let created = staff::create_staff(
        &state.pool,
        &user,
        organisation,
        &form.login,
        &form.display_name,
        profession,
    )
    .await;
    let back = format!("/portal/organisations/{organisation}/staff");
    match created {
        Ok(created) => created_page(&user, &created, &back, true),
        Err(StaffError::Forbidden) => forbidden(&user),
        Err(StaffError::User(e)) => match refusal(e) {
            Refused::Form(text) => {
                staff_page(
                    &state,
                    &user,
                    organisation,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some(text),
                )
                .await
            }
            Refused::Page(page) => page,
        },
    }
}

#[derive(Deserialize)]
pub(crate) struct KeeperForm {
    user: uuid::Uuid,
    keeps: String,
}

/// The administrator chooses who of its staff keeps the profile too.
pub(crate) async fn profile_keeper(
    State(state): State<ServerState>,
    IdPath(organisation): IdPath,
    Posted(PortalUser(user), form): Posted<PortalUser, KeeperForm>,
) -> Response {
    let keeps = form.keeps == "on";
    match staff::set_profile_keeper(&state.pool, &user, organisation, form.user, keeps).await {
        Ok(true) => {
            axum::response::Redirect::to(&format!("/portal/organisations/{organisation}/staff"))
                .into_response()
        }
        Ok(false) => forbidden(&user),
        Err(e) => database_error(&e),
    }
}
