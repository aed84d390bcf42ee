//! The home-care desk (相談窓口): the region's consented referrals by
//! status with the overdue first, a call log per referral, assigning a
//! referral to a registered hospital, and the loop figures per hospital.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use tsunagu_domain::{Outcome, ReferralEvent, ReferralStatus, replay};
use uuid::Uuid;

use super::pages::{IdPath, database_error, render_with_status};
use super::referral_view::{self, history};
use super::referrals::{audit_list, refused_form, user_view};
use super::session::{PortalUser, Posted, SignedIn};
use crate::admin::audit;
use crate::api::ServerState;
use crate::sync::{Failure, Refusal};
use crate::users::Role;

const DESK_ROLES: &[Role] = &[Role::Desk, Role::Admin];

#[derive(Deserialize, Default)]
pub struct DashboardQuery {
    #[serde(default)]
    status: Option<String>,
}

pub async fn dashboard(
    State(state): State<ServerState>,
    PortalUser(user): PortalUser,
    Query(q): Query<DashboardQuery>,
) -> Response {
    if let Some(refused) = user.refused_unless(DESK_ROLES) {
        return refused;
    }
    dashboard_page(&state, &user, StatusCode::OK, q.status.as_deref(), None).await
}

pub(crate) async fn dashboard_page(
    state: &ServerState,
    user: &SignedIn,
    status: StatusCode,
    only: Option<&str>,
    lookup_error: Option<(&str, &str)>,
) -> Response {
    let result: sqlx::Result<minijinja::Value> = async {
        let mut conn = state.pool.acquire().await?;
        let all = referral_view::list(&mut conn, user, true).await?;
        let mut counts: BTreeMap<usize, (String, String, usize)> = BTreeMap::new();
        for r in &all {
            let order = ReferralStatus::ALL
                .iter()
                .position(|s| s.code() == r.status_code)
                .unwrap_or(usize::MAX);
            counts
                .entry(order)
                .or_insert_with(|| (r.status_code.clone(), r.status.clone(), 0))
                .2 += 1;
        }
        let shown: Vec<_> = all
            .into_iter()
            .filter(|r| match only {
                Some(code) if !code.is_empty() => r.status_code == code,
                _ => referral_view::in_hospital_care(&r.status_code),
            })
            .collect();
        audit_list(&mut conn, user, shown.iter().map(|r| r.id)).await?;
        let overdue = shown.iter().filter(|r| r.attention.is_some()).count();
        let heading = only
            .and_then(ReferralStatus::from_code)
            .map_or("対応中", |s| s.label_ja());
        Ok(context! {
            me => user_view(user),
            csrf => user.csrf,
            counts => counts.into_values()
                .map(|(code, label, n)| context! { code => code, label => label, count => n })
                .collect::<Vec<_>>(),
            referrals => shown,
            overdue => overdue,
            only => only,
            heading => heading,
            lookup_error => lookup_error.map(|(e, _)| e),
            lookup_hint => lookup_error.map(|(_, h)| h),
        })
    }
    .await;
    match result {
        Ok(context) => render_with_status(status, "desk.html", context),
        Err(e) => database_error(&e),
    }
}

#[derive(Debug, Serialize)]
pub struct CallView {
    at: String,
    by: String,
    called: String,
    learned: String,
}

pub(crate) async fn calls(conn: &mut PgConnection, referral: Uuid) -> sqlx::Result<Vec<CallView>> {
    let rows: Vec<(chrono::DateTime<chrono::Utc>, String, String, String)> = sqlx::query_as(
        "SELECT c.at, u.display_name, c.called, c.learned FROM call_logs c
         JOIN users u ON u.id = c.user_id WHERE c.referral_id = $1 ORDER BY c.at DESC",
    )
    .bind(referral)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, by, called, learned)| CallView {
            at: (at + chrono::Duration::hours(9))
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            by,
            called,
            learned,
        })
        .collect())
}

#[derive(Deserialize, serde::Serialize, Default)]
#[serde(default)]
pub struct CallForm {
    called: String,
    learned: String,
}

pub async fn log_call(
    State(state): State<ServerState>,
    IdPath(id): IdPath,
    Posted(PortalUser(user), form): Posted<PortalUser, CallForm>,
) -> Response {
    if let Some(refused) = user.refused_unless(DESK_ROLES) {
        return refused;
    }
    let called = form.called.trim();
    let learned = form.learned.trim();
    let refusal = if called.is_empty() || learned.is_empty() {
        Some("電話の相手と、分かったことを入力してください。")
    } else if called.chars().count() > 200 || learned.chars().count() > 2000 {
        Some("電話の相手は200文字、分かったことは2000文字までです。")
    } else if called.contains('\0') || learned.contains('\0') {
        Some("使えない文字が含まれています。")
    } else {
        None
    };
    if let Some(refusal) = refusal {
        return refused_form(
            &state,
            &user,
            id,
            refusal,
            Some(super::referrals::Returned::Call(&form)),
        )
        .await;
    }
    let result: sqlx::Result<bool> = async {
        let mut tx = state.pool.begin().await?;
        if referral_view::visible(&mut tx, &user, id).await?.is_none() {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO call_logs (id, referral_id, user_id, called, learned)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(Uuid::now_v7())
        .bind(id)
        .bind(user.user_id)
        .bind(called)
        .bind(learned)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            &user.audit_actor(),
            "log-call",
            "referral",
            &id.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
    .await;
    match result {
        Ok(true) => Redirect::to(&format!("/portal/referrals/{id}?recorded=call")).into_response(),
        Ok(false) => super::session::forbidden(),
        Err(e) => database_error(&e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AssignForm {
    hospital_id: String,
}

pub async fn assign(
    State(state): State<ServerState>,
    IdPath(id): IdPath,
    Posted(PortalUser(user), form): Posted<PortalUser, AssignForm>,
) -> Response {
    if let Some(refused) = user.refused_unless(DESK_ROLES) {
        return refused;
    }
    let Ok(hospital) = Uuid::parse_str(form.hospital_id.trim()) else {
        return refused_form(&state, &user, id, "割り当てる病院を選んでください。", None).await;
    };
    let result: sqlx::Result<Result<(), Refusal>> = async {
        let mut tx = state.pool.begin().await?;
        let by = super::referrals::actor(&user);
        let access = crate::sync::referral_access(&mut tx, id, &user.organisation).await;
        let registered = crate::sync::registered_hospital(&mut tx, hospital).await;
        let outcome = match (access, registered) {
            (Ok(Some(true)), Ok(Some(hospital))) => {
                crate::sync::hand_to_hospital(&mut tx, &by, id, hospital, "assigned").await
            }
            (Ok(_), Ok(None)) => Err(crate::sync::refuse("登録されていない病院です")),
            (Ok(_), Ok(_)) => Err(crate::sync::refuse("この紹介に記録する権限がありません")),
            (Err(e), _) | (_, Err(e)) => Err(e),
        };
        match outcome {
            Ok(()) => {
                tx.commit().await?;
                Ok(Ok(()))
            }
            Err(Failure::Refused(refusal)) => Ok(Err(refusal)),
            Err(Failure::Database(e)) => Err(e),
        }
    }
    .await;
    match result {
        Ok(Ok(())) => {
            Redirect::to(&format!("/portal/referrals/{id}?recorded=assigned")).into_response()
        }
        Ok(Err(Refusal(reason))) => {
            refused_form(&state, &user, id, &format!("{reason}。"), None).await
        }
        Err(e) => database_error(&e),
    }
}

/// The loop figures of one hospital (or of the referrals no hospital has).
#[derive(Debug, Default, Serialize)]
pub struct HospitalFigures {
    hospital: String,
    referrals: usize,
    acknowledged: usize,
    acknowledged_percent: String,
    outcome_known: usize,
    outcome_percent: String,
    median_days_to_acknowledge: String,
    overdue: usize,
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "—".to_string()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

fn median(mut days: Vec<i64>) -> String {
    if days.is_empty() {
        return "—".to_string();
    }
    days.sort_unstable();
    let n = days.len();
    let m = if n % 2 == 1 {
        days[n / 2] as f64
    } else {
        (days[n / 2 - 1] + days[n / 2]) as f64 / 2.0
    };
    format!("{m:.1}日")
}

pub async fn figures(State(state): State<ServerState>, PortalUser(user): PortalUser) -> Response {
    if let Some(refused) = user.refused_unless(DESK_ROLES) {
        return refused;
    }
    let result: sqlx::Result<minijinja::Value> = async {
        let mut conn = state.pool.acquire().await?;
        // Referrals the desk may see, by the hospital each is with now.
        let rows: Vec<(Uuid, Option<String>)> = sqlx::query_as(
            "SELECT r.id, h.name FROM referrals r
             LEFT JOIN organisations h ON h.id = r.hospital_id
             WHERE EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = r.patient_id
                           AND c.withdrawn_on IS NULL AND c.desk)",
        )
        .fetch_all(&mut *conn)
        .await?;
        let ids: Vec<Uuid> = rows.iter().map(|(id, _)| *id).collect();
        let mut histories: BTreeMap<Uuid, Vec<ReferralEvent>> = BTreeMap::new();
        for event in history(&mut conn, &ids).await? {
            histories
                .entry(event.referral_id)
                .or_default()
                .push(event.domain);
        }
        let today = referral_view::today();
        let mut by_hospital: BTreeMap<String, (HospitalFigures, Vec<i64>)> = BTreeMap::new();
        let mut all = (HospitalFigures::default(), Vec::new());
        for (id, hospital) in rows {
            let Some(state) = histories.get(&id).and_then(|e| replay(e).ok()) else {
                continue;
            };
            if state.status == ReferralStatus::Cancelled {
                continue;
            }
            let name = hospital.unwrap_or_else(|| "（病院未割当）".to_string());
            let entry = by_hospital.entry(name.clone()).or_default();
            for (figures, days) in [&mut *entry, &mut all] {
                figures.referrals += 1;
                if let Some(on) = state.acknowledged_on {
                    figures.acknowledged += 1;
                    days.push((on - state.sent_on).num_days());
                }
                if state.outcome() != Outcome::Unknown {
                    figures.outcome_known += 1;
                }
                if referral_view::attention(&state, today).is_some() {
                    figures.overdue += 1;
                }
            }
            entry.0.hospital = name;
        }
        all.0.hospital = "地域全体".to_string();
        let finish = |(mut f, days): (HospitalFigures, Vec<i64>)| {
            f.acknowledged_percent = percent(f.acknowledged, f.referrals);
            f.outcome_percent = percent(f.outcome_known, f.referrals);
            f.median_days_to_acknowledge = median(days);
            f
        };
        Ok(context! {
            me => user_view(&user),
            csrf => user.csrf,
            hospitals => by_hospital.into_values().map(finish).collect::<Vec<_>>(),
            total => finish(all),
        })
    }
    .await;
    match result {
        Ok(context) => render_with_status(StatusCode::OK, "figures.html", context),
        Err(e) => database_error(&e),
    }
}
