//! An organisation's profile in the regional directory (issue 18): its
//! administrator keeps it, the desk may edit any. Each part shows when it
//! was last confirmed; a stale one says so.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use minijinja::{Value, context};
use serde::Deserialize;
use tsunagu_domain::directory::{Accepting, ProfileDraft, ProfilePart, is_stale, offers_for};
use tsunagu_domain::team::OrganisationKind;

use crate::db::profiles::ProfileRow;
use crate::http::portal::pages::{IdPath, database_error, render_with_status, user_view};
use crate::http::portal::session::{PortalUser, Posted, forbidden};
use crate::http::portal::teams::jst;
use crate::http::state::ServerState;
use crate::services::directory::{self, Saved};
use crate::services::sessions::SignedIn;

#[derive(Deserialize, Default)]
pub(crate) struct ShowQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub(crate) async fn show(
    State(state): State<ServerState>,
    IdPath(organisation): IdPath,
    PortalUser(user): PortalUser,
    axum::extract::Query(q): axum::extract::Query<ShowQuery>,
) -> Response {
    let notice = q
        .saved
        .map(|_| "機関情報を保存しました。各項目の確認日が今日になりました。");
    page(&state, &user, organisation, StatusCode::OK, notice, None).await
}

/// The form as posted: the fields, and a checkbox per offer (`offer_<code>`).
pub(crate) async fn save(
    State(state): State<ServerState>,
    IdPath(organisation): IdPath,
    Posted(PortalUser(user), fields): Posted<PortalUser, BTreeMap<String, String>>,
) -> Response {
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let draft = ProfileDraft {
        address: field("address"),
        phone: field("phone"),
        fax: field("fax"),
        hours: field("hours"),
        municipalities: field("municipalities"),
        area_detail: field("area_detail"),
        radius_km: field("radius_km"),
        offers: fields
            .keys()
            .filter_map(|k| k.strip_prefix("offer_"))
            .map(str::to_string)
            .collect(),
        accepting: field("accepting"),
        care_managers: field("care_managers"),
    };
    match directory::save(&state.pool, &user, organisation, &draft).await {
        Ok(Saved::Done) => Redirect::to(&format!(
            "/portal/organisations/{organisation}/profile?saved=1"
        ))
        .into_response(),
        Ok(Saved::Refused(errors)) => {
            let errors: BTreeMap<&str, String> =
                errors.into_iter().map(|(f, m)| (f.code(), m)).collect();
            let typed = Typed {
                draft: &draft,
                errors,
            };
            page(
                &state,
                &user,
                organisation,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(typed),
            )
            .await
        }
        Ok(Saved::Forbidden) => forbidden(&user),
        Err(e) => database_error(&e),
    }
}

/// What was typed, with a message per field, when the form was refused.
struct Typed<'a> {
    draft: &'a ProfileDraft,
    errors: BTreeMap<&'static str, String>,
}

async fn page(
    state: &ServerState,
    user: &SignedIn,
    organisation: uuid::Uuid,
    status: StatusCode,
    notice: Option<&str>,
    typed: Option<Typed<'_>>,
) -> Response {
    let row = match directory::profile(&state.pool, user, organisation).await {
        Ok(Some(row)) => row,
        Ok(None) => return forbidden(user),
        Err(e) => return database_error(&e),
    };
    let Some(kind) = OrganisationKind::from_code(&row.kind) else {
        return forbidden(user);
    };
    let region = match directory::region(&state.pool).await {
        Ok(region) => region,
        Err(e) => return database_error(&e),
    };
    render_with_status(
        status,
        "profile.html",
        context! {
            region => region.municipalities(),
            me => user_view(user),
            csrf => user.csrf,
            notice => notice,
            profile => profile_view(&row, kind, typed.as_ref()),
            errors => typed.as_ref().map(|t| Value::from_serialize(&t.errors)),
        },
    )
}

fn profile_view(row: &ProfileRow, kind: OrganisationKind, typed: Option<&Typed<'_>>) -> Value {
    let now = Utc::now();
    let parts: BTreeMap<&str, Value> = ProfilePart::ALL
        .into_iter()
        .filter(|p| p.applies_to(kind))
        .map(|p| {
            let at = confirmed_at(row, p);
            (
                p.code(),
                context! { label => p.label_ja(), confirmed => at.map(jst), stale => is_stale(at, now) },
            )
        })
        .collect();
    let stored: Vec<String> = row.offers.clone().unwrap_or_default();
    let (values, ticked): (Value, Vec<String>) = match typed {
        Some(t) => (
            context! {
                address => t.draft.address, phone => t.draft.phone, fax => t.draft.fax,
                hours => t.draft.hours, municipalities => t.draft.municipalities,
                area_detail => t.draft.area_detail, radius_km => t.draft.radius_km,
                accepting => t.draft.accepting, care_managers => t.draft.care_managers,
            },
            t.draft.offers.clone(),
        ),
        None => (
            context! {
                address => row.address, phone => row.phone, fax => row.fax, hours => row.hours,
                municipalities => row.municipalities.clone().unwrap_or_default().join("、"),
                area_detail => row.area_detail, radius_km => row.radius_km.map(|r| r.to_string()),
                accepting => row.accepting,
                care_managers => row.care_managers.map(|n| n.to_string()),
            },
            stored,
        ),
    };
    context! {
        id => row.organisation_id,
        name => row.name,
        kind => kind.label_ja(),
        values => values,
        offers => offers_for(kind).iter().map(|o| context! {
            code => o.code(), label => o.label_ja(), checked => ticked.iter().any(|t| t == o.code()),
        }).collect::<Vec<_>>(),
        accepting => Accepting::ALL.iter().map(|a| context! { code => a.code(), label => a.label_ja() })
            .collect::<Vec<_>>(),
        parts => parts,
        stale => parts_stale(row, kind, now),
        care_office => kind == OrganisationKind::CareManagementOffice,
        updated_at => row.updated_at.map(jst),
    }
}

/// When `part` was last confirmed, if ever.
fn confirmed_at(row: &ProfileRow, part: ProfilePart) -> Option<DateTime<Utc>> {
    row.confirmed
        .as_ref()
        .and_then(|c| c.get(part.code()))
        .and_then(|v| v.as_str())
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// Whether any part the organisation keeps is stale.
pub(crate) fn parts_stale(row: &ProfileRow, kind: OrganisationKind, now: DateTime<Utc>) -> bool {
    ProfilePart::ALL
        .into_iter()
        .filter(|p| p.applies_to(kind))
        .any(|p| is_stale(confirmed_at(row, p), now))
}
