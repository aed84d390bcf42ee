//! The desk administrator's accounts page: every portal account with its
//! role and profession, creating one (approved at once), resetting,
//! stopping, and the accounts organisations' administrators created that
//! wait for the desk's approval (承認待ちのアカウント).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;
use uuid::Uuid;

use crate::http::portal::account_rows::{
    AccountRow, Refused, created_page, profession_choices, refusal,
};
use crate::http::portal::admin::{admin_only, organisation_rows};
use crate::http::portal::pages::{IdPath, database_error, render, render_with_status, user_view};
use crate::http::portal::session::{PortalUser, Posted};
use crate::http::state::ServerState;
use crate::model::Role;
use crate::services::accounts::{self, AccountRequest, Profession, UserError};
use crate::services::sessions::SignedIn;
use crate::services::sign_in;

/// The roles the desk gives, with their labels.
fn role_choices() -> Vec<minijinja::Value> {
    [
        (Role::Liaison, "連携担当者（病院）"),
        (Role::Desk, "相談窓口の職員"),
        (Role::Admin, "管理者（相談窓口）"),
        (Role::OrgAdmin, "機関の管理者（職員のアカウントを作成）"),
        (Role::Staff, "職員"),
    ]
    .into_iter()
    .map(|(role, label)| context! { code => role.code(), label => label })
    .collect()
}

async fn users_page(
    state: &ServerState,
    user: &SignedIn,
    status: StatusCode,
    error: Option<&str>,
) -> Response {
    let result = async {
        let waiting = sign_in::logins_failing(&state.pool).await?;
        let waits = |login: &str| waiting.iter().any(|(l, _)| l == login);
        let users: Vec<AccountRow> = accounts::list(&state.pool)
            .await?
            .into_iter()
            .map(|u| {
                let w = waits(&u.login);
                AccountRow::of(u, w)
            })
            .collect();
        let pending: Vec<AccountRow> = accounts::pending(&state.pool)
            .await?
            .into_iter()
            .map(|u| AccountRow::of(u, false))
            .collect();
        Ok::<_, sqlx::Error>((users, pending, organisation_rows(state).await?))
    }
    .await;
    match result {
        Ok((users, pending, organisations)) => render_with_status(
            status,
            "admin_users.html",
            context! {
                me => user_view(user),
                csrf => user.csrf,
                users => users,
                pending => pending,
                organisations => organisations,
                roles => role_choices(),
                professions => profession_choices(),
                error => error,
            },
        ),
        Err(e) => database_error(&e),
    }
}

pub(crate) async fn users(
    State(state): State<ServerState>,
    PortalUser(user): PortalUser,
) -> Response {
    if let Some(refused) = admin_only(&user) {
        return refused;
    }
    users_page(&state, &user, StatusCode::OK, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct UserForm {
    organisation_id: String,
    login: String,
    display_name: String,
    role: String,
    profession: String,
}

pub(crate) async fn create_user(
    State(state): State<ServerState>,
    Posted(PortalUser(user), form): Posted<PortalUser, UserForm>,
) -> Response {
    if let Some(refused) = admin_only(&user) {
        return refused;
    }
    let (Ok(organisation), Some(role), Some(profession)) = (
        Uuid::parse_str(&form.organisation_id),
        Role::from_code(&form.role),
        Profession::from_code(&form.profession),
    ) else {
        let text = "所属・役割・職種を選んでください。";
        return users_page(&state, &user, StatusCode::UNPROCESSABLE_ENTITY, Some(text)).await;
    };
    let request = AccountRequest {
        organisation,
        login: &form.login,
        display_name: &form.display_name,
        role,
        profession,
    };
    match accounts::create_account(&state.pool, &request, &user.audit_actor()).await {
        Ok(created) => created_page(&user, &created, "/portal/admin/users", false),
        Err(e) => match refusal(e) {
            Refused::Form(text) => {
                users_page(&state, &user, StatusCode::UNPROCESSABLE_ENTITY, Some(text)).await
            }
            Refused::Page(page) => page,
        },
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct DecisionForm {
    decision: String,
}

/// The desk's administrator approves or rejects an account an
/// organisation's administrator created.
pub(crate) async fn decide(
    State(state): State<ServerState>,
    IdPath(id): IdPath,
    Posted(PortalUser(user), form): Posted<PortalUser, DecisionForm>,
) -> Response {
    if let Some(refused) = admin_only(&user) {
        return refused;
    }
    let approve = match form.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => {
            let text = "承認か却下を選んでください。";
            return users_page(&state, &user, StatusCode::UNPROCESSABLE_ENTITY, Some(text)).await;
        }
    };
    match accounts::decide_account(&state.pool, id, approve, &user.audit_actor()).await {
        Ok(()) => Redirect::to("/portal/admin/users").into_response(),
        Err(UserError::Database(e)) => database_error(&e),
        Err(_) => {
            let text = "承認待ちのアカウントが見つかりません（既に承認または却下されています）。";
            users_page(&state, &user, StatusCode::UNPROCESSABLE_ENTITY, Some(text)).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ResetForm {
    action: String,
}

/// A new first password and a fresh second factor (a lost phone), the
/// account stopped or allowed again, or a desk account's role changed.
pub(crate) async fn reset_user(
    State(state): State<ServerState>,
    IdPath(id): IdPath,
    Posted(PortalUser(user), form): Posted<PortalUser, ResetForm>,
) -> Response {
    if let Some(refused) = admin_only(&user) {
        return refused;
    }
    if id == user.user_id {
        return users_page(
            &state,
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("自分のアカウントは、ここでは変更できません。"),
        )
        .await;
    }
    let actor = user.audit_actor();
    let result = match form.action.as_str() {
        "disable" => accounts::disable_user(&state.pool, id, &actor)
            .await
            .map(|_| None),
        "enable" => accounts::enable_user(&state.pool, id, &actor)
            .await
            .map(|_| None),
        "make-admin" => accounts::set_desk_role(&state.pool, id, Role::Admin, &actor)
            .await
            .map(|_| None),
        "make-desk" => accounts::set_desk_role(&state.pool, id, Role::Desk, &actor)
            .await
            .map(|_| None),
        // Failed sign-ins forgotten: the person may sign in at once.
        "unlock" => match sign_in::unlock(&state.pool, &actor, id).await {
            Ok(Some(_)) => Ok(None),
            Ok(None) => Err(UserError::NoSuchUser),
            Err(e) => Err(UserError::Database(e)),
        },
        _ => accounts::reset_user(&state.pool, id, &user.audit_actor())
            .await
            .map(Some),
    };
    match result {
        Ok(None) => Redirect::to("/portal/admin/users").into_response(),
        Ok(Some(reset)) => render(
            "admin_created.html",
            context! {
                me => user_view(&user),
                csrf => user.csrf,
                title => "パスワードと二要素認証をリセットしました",
                what => format!("ログインID {} の新しい最初のパスワード", reset.login),
                secret => reset.initial_password,
                advice => "このパスワードはこの画面でだけ表示されます。本人は次のサインインで、新しいパスワードと二要素認証を設定し直します。",
                back => "/portal/admin/users",
            },
        ),
        Err(UserError::Database(e)) => database_error(&e),
        Err(_) => {
            users_page(
                &state,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("アカウントが見つかりません。"),
            )
            .await
        }
    }
}
