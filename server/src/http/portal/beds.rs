//! 空床 on the portal (issue 18): the hospital's one screen of figures per
//! ward type, and the desk's summary of the region; each figure with its
//! time.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use tsunagu_domain::directory::beds::WardType;
use uuid::Uuid;

use crate::db::beds::BedRow;
use crate::http::portal::pages::{IdPath, database_error, render_with_status, user_view};
use crate::http::portal::session::{PortalUser, Posted, forbidden};
use crate::http::portal::teams::jst;
use crate::http::state::ServerState;
use crate::services::beds::{self, Updated};
use crate::services::sessions::SignedIn;

#[derive(serde::Deserialize, Default)]
pub(crate) struct ShowQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub(crate) async fn show(
    State(state): State<ServerState>,
    IdPath(hospital): IdPath,
    PortalUser(user): PortalUser,
    axum::extract::Query(q): axum::extract::Query<ShowQuery>,
) -> Response {
    let notice = q
        .saved
        .map(|_| "空床を更新しました。相談窓口の一覧に反映されています。");
    page(&state, &user, hospital, StatusCode::OK, notice, None).await
}

/// The form: `capacity_<ward>` and `available_<ward>` per ward type.
pub(crate) async fn save(
    State(state): State<ServerState>,
    IdPath(hospital): IdPath,
    Posted(PortalUser(user), fields): Posted<PortalUser, BTreeMap<String, String>>,
) -> Response {
    let field = |name: String| fields.get(&name).cloned().unwrap_or_default();
    let typed: Vec<(WardType, String, String)> = WardType::ALL
        .into_iter()
        .map(|w| {
            (
                w,
                field(format!("capacity_{}", w.code())),
                field(format!("available_{}", w.code())),
            )
        })
        .collect();
    match beds::update(&state.pool, &user, hospital, &typed).await {
        Ok(Updated::Done) => {
            Redirect::to(&format!("/portal/organisations/{hospital}/beds?saved=1")).into_response()
        }
        Ok(Updated::Refused(errors)) => {
            let errors: BTreeMap<&str, String> = errors.into_iter().collect();
            let typed: BTreeMap<&str, (String, String)> = typed
                .into_iter()
                .map(|(w, c, a)| (w.code(), (c, a)))
                .collect();
            page(
                &state,
                &user,
                hospital,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some((typed, errors)),
            )
            .await
        }
        Ok(Updated::Forbidden) => forbidden(&user),
        Err(e) => database_error(&e),
    }
}

type Typed<'a> = (
    BTreeMap<&'a str, (String, String)>,
    BTreeMap<&'a str, String>,
);

async fn page(
    state: &ServerState,
    user: &SignedIn,
    hospital: Uuid,
    status: StatusCode,
    notice: Option<&str>,
    typed: Option<Typed<'_>>,
) -> Response {
    let rows = match beds::of_hospital(&state.pool, user, hospital).await {
        Ok(Some(rows)) => rows,
        Ok(None) => return forbidden(user),
        Err(e) => return database_error(&e),
    };
    let wards: Vec<Value> = WardType::ALL
        .into_iter()
        .map(|w| {
            let stored = rows.iter().find(|r| r.ward_type == w.code());
            let (capacity, available) = match &typed {
                Some((values, _)) => values.get(w.code()).cloned().unwrap_or_default(),
                None => stored.map_or((String::new(), String::new()), |r| {
                    (r.capacity.to_string(), r.available.to_string())
                }),
            };
            context! {
                code => w.code(),
                label => w.label_ja(),
                capacity => capacity,
                available => available,
                updated_at => stored.map(|r| jst(r.updated_at)),
                error => typed.as_ref().and_then(|(_, e)| e.get(w.code()).cloned()),
            }
        })
        .collect();
    render_with_status(
        status,
        "beds.html",
        context! {
            me => user_view(user),
            csrf => user.csrf,
            notice => notice,
            hospital => hospital,
            wards => wards,
            refused => typed.is_some(),
        },
    )
}

/// The desk's summary: each hospital's figures with their times, and the
/// region's free beds per ward type.
pub(crate) async fn region(
    State(state): State<ServerState>,
    PortalUser(user): PortalUser,
) -> Response {
    let rows = match beds::region(&state.pool, &user).await {
        Ok(Some(rows)) => rows,
        Ok(None) => return forbidden(&user),
        Err(e) => return database_error(&e),
    };
    let mut hospitals: Vec<(String, Vec<&BedRow>)> = Vec::new();
    for row in &rows {
        match hospitals.last_mut() {
            Some((name, list))
                if *name == row.hospital && list[0].hospital_id == row.hospital_id =>
            {
                list.push(row)
            }
            _ => hospitals.push((row.hospital.clone(), vec![row])),
        }
    }
    let totals: Vec<Value> = WardType::ALL
        .into_iter()
        .map(|w| {
            let of: Vec<&BedRow> = rows.iter().filter(|r| r.ward_type == w.code()).collect();
            context! {
                label => w.label_ja(),
                available => of.iter().map(|r| i64::from(r.available)).sum::<i64>(),
                capacity => of.iter().map(|r| i64::from(r.capacity)).sum::<i64>(),
                hospitals => of.len(),
            }
        })
        .collect();
    let hospitals: Vec<Value> = hospitals
        .into_iter()
        .map(|(name, list)| {
            context! {
                name => name,
                wards => WardType::ALL.into_iter().map(|w| {
                    let row = list.iter().find(|r| r.ward_type == w.code());
                    context! {
                        available => row.map(|r| r.available),
                        capacity => row.map(|r| r.capacity),
                        updated_at => row.map(|r| jst(r.updated_at)),
                    }
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    render_with_status(
        StatusCode::OK,
        "beds_region.html",
        context! {
            me => user_view(&user),
            csrf => user.csrf,
            wards => WardType::ALL.iter().map(|w| w.label_ja()).collect::<Vec<_>>(),
            totals => totals,
            hospitals => hospitals,
        },
    )
}
