//! The desk administrator's pages: organisations of every kind and
//! enrollment codes, devices, and the audit log (accounts:
//! `admin_accounts.rs`). The same services as the admin command line.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, Utc};
use minijinja::context;
use serde::{Deserialize, Serialize};
use tsunagu_domain::team::OrganisationKind;
use uuid::Uuid;

use crate::http::portal::audit_labels::action_label;
use crate::http::portal::pages::{
    IdPath, database_error, message, not_found, render, render_with_status, user_view,
};
use crate::http::portal::session::{PortalUser, Posted, RoleGate};
use crate::http::state::ServerState;
use crate::model::Role;
use crate::services::audit::{self, PAGE_ROWS as AUDIT_PAGE_ROWS, Search};
use crate::services::enrollment::{
    self, CodeError, issue_enrollment_code, revoke_device as revoke,
};
use crate::services::organisations::{self, NewOrganisation, register_organisation};
use crate::services::sessions::SignedIn;

pub(crate) fn admin_only(user: &SignedIn) -> Option<Response> {
    user.refused_unless(&[Role::Admin])
}

/// A stored kind's label, from the domain.
fn kind_label(kind: &str) -> &'static str {
    OrganisationKind::from_code(kind).map_or("", OrganisationKind::label_ja)
}

#[derive(Serialize)]
pub(crate) struct OrganisationRow {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub kind_label: &'static str,
    /// Its devices (the desktop app) may enroll.
    pub enrolls_devices: bool,
    pub requires_approval: bool,
    pub phone: String,
    pub fax: String,
    pub stopped: bool,
    pub users: i64,
    pub devices: i64,
}

pub(crate) async fn organisation_rows(state: &ServerState) -> sqlx::Result<Vec<OrganisationRow>> {
    Ok(organisations::overview(&state.pool)
        .await?
        .into_iter()
        .map(|o| OrganisationRow {
            kind_label: kind_label(&o.kind),
            // The desk's own devices are enrolled from the command line.
            enrolls_devices: matches!(o.kind.as_str(), "clinic" | "hospital"),
            id: o.id,
            name: o.name,
            kind: o.kind,
            requires_approval: o.requires_approval,
            phone: o.phone,
            fax: o.fax,
            stopped: o.stopped,
            users: o.users,
            devices: o.devices,
        })
        .collect())
}

/// Every kind the desk registers, in the domain's order, with its label:
/// the desk itself is made once, by `admin bootstrap`.
fn kind_choices() -> Vec<minijinja::Value> {
    OrganisationKind::ALL
        .into_iter()
        .filter(|k| *k != OrganisationKind::Desk)
        .map(|k| context! { code => k.code(), label => k.label_ja() })
        .collect()
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
            context! {
                me => user_view(user),
                csrf => user.csrf,
                organisations => rows,
                kinds => kind_choices(),
                error => error,
            },
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
    /// A checkbox: "on" when ticked.
    requires_approval: Option<String>,
    phone: String,
    fax: String,
}

pub(crate) async fn create_organisation(
    State(state): State<ServerState>,
    Posted(PortalUser(user), form): Posted<PortalUser, OrganisationForm>,
) -> Response {
    if let Some(refused) = admin_only(&user) {
        return refused;
    }
    let kind = match OrganisationKind::from_code(&form.kind) {
        Some(kind) if kind != OrganisationKind::Desk => kind,
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
    let numbers = tsunagu_domain::check_phone(&form.phone, "電話番号", false).and_then(|phone| {
        Ok((
            phone,
            tsunagu_domain::check_phone(&form.fax, "FAX番号", false)?,
        ))
    });
    let (phone, fax) = match numbers {
        Ok(numbers) => numbers,
        Err(refusal) => {
            return organisations_page(
                &state,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&refusal.0),
            )
            .await;
        }
    };
    let new = NewOrganisation {
        kind,
        name,
        requires_approval: form.requires_approval.is_some(),
        phone: &phone,
        fax: &fax,
    };
    match register_organisation(&state.pool, &new, &user.audit_actor()).await {
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
    let found = match Uuid::parse_str(&form.organisation_id) {
        Ok(id) => match organisations::find(&state.pool, id).await {
            Ok(found) => found,
            Err(e) => return database_error(&e),
        },
        Err(_) => None,
    };
    // The desk's own devices are enrolled from the command line only.
    let Some(organisation) = found.filter(|o| o.kind != OrganisationKind::Desk) else {
        let error = CodeError::NoOrganisation.message_ja();
        return organisations_page(
            &state,
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(&error),
        )
        .await;
    };
    let name = organisation.name;
    match issue_enrollment_code(
        &state.pool,
        organisation.id,
        &user.audit_actor(),
        Utc::now(),
    )
    .await
    {
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
        Err(CodeError::Database(e)) => database_error(&e),
        Err(refused) => {
            let error = refused.message_ja();
            organisations_page(
                &state,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&error),
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

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct StopForm {
    /// "stop" or "resume".
    action: String,
}

/// The desk stops an organisation, or lets it take part again.
pub(crate) async fn stop_organisation(
    State(state): State<ServerState>,
    IdPath(organisation): IdPath,
    Posted(PortalUser(user), form): Posted<PortalUser, StopForm>,
) -> Response {
    if let Some(refused) = admin_only(&user) {
        return refused;
    }
    if organisation == user.organisation.id {
        return organisations_page(
            &state,
            &user,
            StatusCode::CONFLICT,
            Some("相談窓口そのものは停止できません。"),
        )
        .await;
    }
    let stop = form.action == "stop";
    match organisations::set_stopped(&state.pool, organisation, stop, &user.audit_actor()).await {
        Ok(true) => Redirect::to("/portal/admin").into_response(),
        Ok(false) => not_found(),
        Err(e) => database_error(&e),
    }
}
