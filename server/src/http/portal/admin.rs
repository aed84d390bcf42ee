//! The desk administrator's pages: organisations and enrollment codes,
//! portal accounts and their roles, devices, and the audit log. The same
//! services as the admin command line.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, Utc};
use minijinja::context;
use serde::{Deserialize, Serialize};
use tsunagu_protocol::OrgKind;
use uuid::Uuid;

use crate::http::portal::audit_labels::action_label;
use crate::http::portal::pages::{
    IdPath, database_error, message, render, render_with_status, user_view,
};
use crate::http::portal::session::{PortalUser, Posted, RoleGate};
use crate::http::state::ServerState;
use crate::model::Role;
use crate::services::accounts::{self, UserError};
use crate::services::audit::{self, PAGE_ROWS as AUDIT_PAGE_ROWS, Search};
use crate::services::enrollment::{self, issue_enrollment_code, revoke_device as revoke};
use crate::services::organisations::{self, create_organisation as create};
use crate::services::sessions::SignedIn;
use crate::services::sign_in;

fn admin_only(user: &SignedIn) -> Option<Response> {
    user.refused_unless(&[Role::Admin])
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "clinic" => "診療所",
        "hospital" => "病院",
        "desk" => "相談窓口",
        _ => "",
    }
}

#[derive(Serialize)]
struct OrganisationRow {
    id: Uuid,
    name: String,
    kind: String,
    kind_label: &'static str,
    users: i64,
    devices: i64,
}

async fn organisation_rows(state: &ServerState) -> sqlx::Result<Vec<OrganisationRow>> {
    Ok(organisations::overview(&state.pool)
        .await?
        .into_iter()
        .map(|o| OrganisationRow {
            kind_label: kind_label(&o.kind),
            id: o.id,
            name: o.name,
            kind: o.kind,
            users: o.users,
            devices: o.devices,
        })
        .collect())
}

async fn organisations_page(
    state: &ServerState,
    user: &SignedIn,
    status: StatusCode,
    error: Option<&str>,
) -> Response {
    match organisation_rows(state).await {
        Ok(rows) => render_with_status(
            status,
            "admin_organisations.html",
            context! { me => user_view(user), csrf => user.csrf, organisations => rows, error => error },
        ),
        Err(e) => database_error(&e),
    }
}

pub(crate) async fn organisations(
    State(state): State<ServerState>,
    PortalUser(user): PortalUser,
) -> Response {
    if let Some(refused) = admin_only(&user) {
        return refused;
    }
    organisations_page(&state, &user, StatusCode::OK, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct OrganisationForm {
    kind: String,
    name: String,
}

pub(crate) async fn create_organisation(
    State(state): State<ServerState>,
    Posted(PortalUser(user), form): Posted<PortalUser, OrganisationForm>,
) -> Response {
    if let Some(refused) = admin_only(&user) {
        return refused;
    }
    let kind = match form.kind.as_str() {
        "clinic" => OrgKind::Clinic,
        "hospital" => OrgKind::Hospital,
        _ => {
            return organisations_page(
                &state,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("種別を選んでください。"),
            )
            .await;
        }
    };
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.contains('\0') {
        return organisations_page(
            &state,
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("名称を200文字までで入力してください。"),
        )
        .await;
    }
    match create(&state.pool, kind, name, &user.audit_actor()).await {
        Ok(_) => Redirect::to("/portal/admin").into_response(),
        Err(e) => database_error(&e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct CodeForm {
    organisation_id: String,
}

pub(crate) async fn issue_code(
    State(state): State<ServerState>,
    Posted(PortalUser(user), form): Posted<PortalUser, CodeForm>,
) -> Response {
    if let Some(refused) = admin_only(&user) {
        return refused;
    }
    let organisation: Option<(Uuid, String)> = match Uuid::parse_str(&form.organisation_id) {
        Ok(id) => match organisations::enrollable(&state.pool, id).await {
            Ok(found) => found,
            Err(e) => return database_error(&e),
        },
        Err(_) => None,
    };
    let Some((id, name)) = organisation else {
        return organisations_page(
            &state,
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("登録コードを発行する医療機関を選んでください。"),
        )
        .await;
    };
    match issue_enrollment_code(&state.pool, id, &user.audit_actor(), Utc::now()).await {
        Ok(code) => render(
            "admin_created.html",
            context! {
                me => user_view(&user),
                csrf => user.csrf,
                title => "登録コードを発行しました",
                what => format!("{name} の端末登録コード"),
                secret => code,
                advice => "このコードは一度だけ、7日間使えます。この画面を閉じると二度と表示できません。医療機関に安全な方法で伝えてください。",
                back => "/portal/admin",
            },
        ),
        Err(e) => database_error(&e),
    }
}

#[derive(Serialize)]
struct UserRow {
    id: Uuid,
    login: String,
    display_name: String,
    role: &'static str,
    organisation: String,
    second_factor: bool,
    disabled: bool,
    role_code: String,
    /// Failed sign-ins make this login wait (the administrator may clear them).
    sign_in_waits: bool,
}

async fn users_page(
    state: &ServerState,
    user: &SignedIn,
    status: StatusCode,
    error: Option<&str>,
) -> Response {
    let result: sqlx::Result<(Vec<UserRow>, Vec<OrganisationRow>)> = async {
        let waiting = sign_in::logins_failing(&state.pool).await?;
        let users = accounts::list(&state.pool)
            .await?
            .into_iter()
            .map(|u| UserRow {
                sign_in_waits: waiting.iter().any(|(login, _)| *login == u.login),
                id: u.id,
                login: u.login,
                display_name: u.display_name,
                role: Role::from_code(&u.role).map_or("", Role::label_ja),
                role_code: u.role,
                organisation: u.organisation,
                second_factor: u.second_factor,
                disabled: u.disabled,
            })
            .collect();
        Ok((users, organisation_rows(state).await?))
    }
    .await;
    match result {
        Ok((users, organisations)) => render_with_status(
            status,
            "admin_users.html",
            context! {
                me => user_view(user),
                csrf => user.csrf,
                users => users,
                organisations => organisations.into_iter().filter(|o| o.kind != "clinic").collect::<Vec<_>>(),
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
}

pub(crate) async fn create_user(
    State(state): State<ServerState>,
    Posted(PortalUser(user), form): Posted<PortalUser, UserForm>,
) -> Response {
    if let Some(refused) = admin_only(&user) {
        return refused;
    }
    let refuse = |text: &'static str| {
        users_page(&state, &user, StatusCode::UNPROCESSABLE_ENTITY, Some(text))
    };
    let (Ok(organisation), Some(role)) = (
        Uuid::parse_str(&form.organisation_id),
        Role::from_code(&form.role),
    ) else {
        return refuse("所属と役割を選んでください。").await;
    };
    match accounts::create_user(
        &state.pool,
        organisation,
        &form.login,
        &form.display_name,
        role,
        &user.audit_actor(),
    )
    .await
    {
        Ok(created) => render(
            "admin_created.html",
            context! {
                me => user_view(&user),
                csrf => user.csrf,
                title => "アカウントを作成しました",
                what => format!("ログインID {} の最初のパスワード", created.login),
                secret => created.initial_password,
                advice => "このパスワードはこの画面でだけ表示されます。本人に安全な方法で伝えてください。最初のサインインで、本人が新しいパスワードと二要素認証を設定します。",
                back => "/portal/admin/users",
            },
        ),
        Err(UserError::BadLogin) => {
            refuse("ログインIDは3〜40文字の半角英小文字・数字・「.」「_」「-」で入力してください。")
                .await
        }
        Err(UserError::BadName) => refuse("氏名を100文字までで入力してください。").await,
        Err(UserError::LoginTaken) => refuse("このログインIDは既に使われています。").await,
        Err(UserError::RoleDoesNotFit { .. }) => {
            refuse("連携担当者は病院に、管理者と相談窓口の職員は相談窓口に所属します。").await
        }
        Err(UserError::NoOrganisation | UserError::NoSuchUser) => {
            refuse("所属が見つかりません。").await
        }
        Err(UserError::Database(e)) => database_error(&e),
        Err(UserError::Hash(_)) => message(
            StatusCode::INTERNAL_SERVER_ERROR,
            "アカウントを作成できませんでした",
            "もう一度お試しください。",
        ),
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

#[derive(Serialize)]
struct DeviceRow {
    id: Uuid,
    name: String,
    organisation: String,
    created_at: String,
    revoked: bool,
}

pub(crate) async fn devices(
    State(state): State<ServerState>,
    PortalUser(user): PortalUser,
) -> Response {
    if let Some(refused) = admin_only(&user) {
        return refused;
    }
    let rows = match enrollment::devices(&state.pool).await {
        Ok(rows) => rows,
        Err(e) => return database_error(&e),
    };
    let devices: Vec<DeviceRow> = rows
        .into_iter()
        .map(|d| DeviceRow {
            id: d.id,
            name: d.name,
            organisation: d.organisation,
            created_at: (d.created_at + chrono::Duration::hours(9))
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            revoked: d.revoked,
        })
        .collect();
    render(
        "admin_devices.html",
        context! { me => user_view(&user), csrf => user.csrf, devices => devices },
    )
}

#[derive(Deserialize)]
pub(crate) struct Nothing {}

pub(crate) async fn revoke_device(
    State(state): State<ServerState>,
    IdPath(id): IdPath,
    Posted(PortalUser(user), _): Posted<PortalUser, Nothing>,
) -> Response {
    if let Some(refused) = admin_only(&user) {
        return refused;
    }
    match revoke(&state.pool, id, &user.audit_actor()).await {
        Ok(_) => Redirect::to("/portal/admin/devices").into_response(),
        Err(e) => database_error(&e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct AuditQuery {
    /// A login, or part of a person's or device's name.
    who: String,
    /// Part of a patient's name or reading.
    patient: String,
    from: String,
    to: String,
    /// The page after this row (older rows).
    before: String,
}

#[derive(Serialize)]
struct AuditRow {
    at: String,
    who: String,
    action: String,
    entity_kind: String,
    entity_id: String,
    address: String,
    patient: String,
    /// A break-glass row (ADR 0018): marked on the page.
    break_glass: bool,
}

/// The newest entries, unfiltered.
pub(crate) async fn audit_log(
    State(state): State<ServerState>,
    PortalUser(user): PortalUser,
) -> Response {
    audit_page(&state, &user, AuditQuery::default()).await
}

/// Filtered: posted, so that a patient's name is never in a URL (browser
/// history, proxies' logs).
pub(crate) async fn audit_log_filtered(
    State(state): State<ServerState>,
    Posted(PortalUser(user), q): Posted<PortalUser, AuditQuery>,
) -> Response {
    audit_page(&state, &user, q).await
}

async fn audit_page(state: &ServerState, user: &SignedIn, q: AuditQuery) -> Response {
    if let Some(refused) = admin_only(user) {
        return refused;
    }
    let day = |text: &str| {
        let text = text.trim();
        if text.is_empty() {
            Ok(None)
        } else {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .or_else(|_| tsunagu_domain::parse_date(text))
                .map(Some)
        }
    };
    let (Ok(from), Ok(to)) = (day(&q.from), day(&q.to)) else {
        return message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "日付が正しくありません",
            "期間は 2026-11-20 または 令和8年11月20日 の形で入力してください。",
        );
    };
    let search = Search {
        who: &q.who,
        patient: &q.patient,
        from,
        to,
        before: q.before.trim().parse().ok(),
    };
    let rows = match audit::read(&state.pool, &user.audit_actor(), &search).await {
        Ok(rows) => rows,
        Err(e) => return database_error(&e),
    };
    let older = (rows.len() as i64 == AUDIT_PAGE_ROWS)
        .then(|| rows.last().map(|r| r.seq))
        .flatten();
    let entries: Vec<AuditRow> = rows
        .into_iter()
        .map(|e| AuditRow {
            at: (e.at + chrono::Duration::hours(9))
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            who: e.who,
            break_glass: e.action.starts_with("break-glass"),
            action: action_label(&e.action),
            entity_kind: e.entity_kind,
            entity_id: e.entity_id,
            address: e.address.unwrap_or_default(),
            patient: match (e.patient, e.shown) {
                (Some(name), _) => name,
                (None, Some(n)) => format!("紹介{n}件"),
                (None, None) => String::new(),
            },
        })
        .collect();
    render(
        "admin_audit.html",
        context! {
            me => user_view(user),
            csrf => user.csrf,
            entries => entries,
            limit => AUDIT_PAGE_ROWS,
            older => older,
            q => context! { who => q.who, patient => q.patient, from => q.from, to => q.to },
        },
    )
}
