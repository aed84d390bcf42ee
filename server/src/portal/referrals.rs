//! A liaison officer's (and the desk's) work on one referral: find it by
//! the tracking code on the letter, read who the family doctor is, record
//! what happened. Each event goes through the same path as a pushed one
//! (`sync::append_event`: the status machine, the feeds, the audit log),
//! so it reaches the physician's app at its next sync.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use minijinja::context;
use serde::Deserialize;
use sqlx::PgConnection;
use tsunagu_domain::{Checked, TrackingCode};
use tsunagu_protocol::{WireDestination, WireEvent, WireEventDetails};
use uuid::Uuid;

use super::pages::{database_error, message, render_with_status};
use super::referral_view::{self, history, history_lines, next_statuses, today};
use super::session::{PortalUser, Posted, SignedIn};
use crate::admin::audit;
use crate::api::ServerState;
use crate::sync::{Actor, Failure, Refusal};
use crate::users::Role;

/// Tracking codes that found nothing, per person within
/// [`MISS_WINDOW_MINUTES`], before lookups are refused for a while: with
/// 2^40 codes, guessing one takes far longer than anyone has.
pub const MAX_LOOKUP_MISSES: i64 = 10;
const MISS_WINDOW_MINUTES: i32 = 15;
const MAX_TEXT_CHARS: usize = tsunagu_domain::EVENT_TEXT_MAX_CHARS;
const MAX_NOTE_CHARS: usize = tsunagu_domain::EVENT_NOTE_MAX_CHARS;

pub(crate) fn actor(user: &SignedIn) -> Actor {
    Actor {
        organisation: user.organisation.clone(),
        label: user.label(),
        audit: user.audit_actor(),
    }
}

#[derive(Deserialize, Default)]
pub struct HomeQuery {
    #[serde(default)]
    changed: Option<String>,
}

pub async fn hospital_home(
    State(state): State<ServerState>,
    PortalUser(user): PortalUser,
    Query(q): Query<HomeQuery>,
) -> Response {
    if let Some(refused) = user.refused_unless(&[Role::Liaison]) {
        return refused;
    }
    hospital_page(&state, &user, StatusCode::OK, None, q.changed.is_some()).await
}

async fn hospital_page(
    state: &ServerState,
    user: &SignedIn,
    status: StatusCode,
    lookup_error: Option<(&str, &str)>,
    password_changed: bool,
) -> Response {
    let mut conn = match state.pool.acquire().await {
        Ok(conn) => conn,
        Err(e) => return database_error(&e),
    };
    let referrals = match referral_view::list(&mut conn, user, false).await {
        Ok(list) => list,
        Err(e) => return database_error(&e),
    };
    if let Err(e) = audit_list(&mut conn, user, referrals.iter().map(|r| r.id)).await {
        return database_error(&e);
    }
    render_with_status(
        status,
        "hospital.html",
        context! {
            me => user_view(user),
            csrf => user.csrf,
            referrals => referrals,
            lookup_error => lookup_error.map(|(e, _)| e),
            lookup_hint => lookup_error.map(|(_, h)| h),
            password_changed => password_changed,
        },
    )
}

/// A list shows patients' names: each one listed is a read.
pub(crate) async fn audit_list(
    conn: &mut PgConnection,
    user: &SignedIn,
    referrals: impl Iterator<Item = Uuid>,
) -> sqlx::Result<()> {
    let ids: Vec<String> = referrals.map(|id| id.to_string()).collect();
    if ids.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO audit_log (actor, action, entity_kind, entity_id)
         SELECT $1, 'list', 'referral', id FROM unnest($2::text[]) AS id",
    )
    .bind(user.audit_actor())
    .bind(&ids)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) fn user_view(user: &SignedIn) -> minijinja::Value {
    context! {
        name => user.display_name,
        organisation => user.organisation.name,
        role => user.role.code(),
        role_label => user.role.label_ja(),
        is_desk => user.is_desk(),
        is_admin => user.role == Role::Admin,
    }
}

#[derive(Deserialize)]
pub struct LookupForm {
    #[serde(default)]
    code: String,
}

const NOT_FOUND_HINT: &str = "追跡コードは紹介状の右上に「追跡コード」として印刷されている9文字（例：7KQ-M4T-Z9X）です。ハイフンはなくても構いません。患者さんが地域連携に同意していない紹介は表示されません。";

pub async fn lookup(
    State(state): State<ServerState>,
    Posted(PortalUser(user), form): Posted<PortalUser, LookupForm>,
) -> Response {
    match find_by_code(&state, &user, &form.code).await {
        Ok(Found::Referral(id)) => Redirect::to(&format!("/portal/referrals/{id}")).into_response(),
        Ok(Found::Refused(reason)) => {
            message(StatusCode::FORBIDDEN, "この紹介は開けません", &reason)
        }
        Ok(Found::RateLimited) => message(
            StatusCode::TOO_MANY_REQUESTS,
            "見つからない追跡コードが続いています",
            "安全のため、しばらく検索できません。15分ほど待ってから、紹介状の追跡コードを確かめて、もう一度入力してください。",
        ),
        Ok(Found::Nothing(why)) => {
            let error = format!("見つかりません。{why}");
            if user.role == Role::Liaison {
                hospital_page(
                    &state,
                    &user,
                    StatusCode::NOT_FOUND,
                    Some((&error, NOT_FOUND_HINT)),
                    false,
                )
                .await
            } else {
                super::desk::dashboard_page(
                    &state,
                    &user,
                    StatusCode::NOT_FOUND,
                    None,
                    Some((&error, NOT_FOUND_HINT)),
                )
                .await
            }
        }
        Err(e) => database_error(&e),
    }
}

enum Found {
    Referral(Uuid),
    Nothing(String),
    Refused(String),
    RateLimited,
}

async fn find_by_code(state: &ServerState, user: &SignedIn, typed: &str) -> sqlx::Result<Found> {
    let misses: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM lookup_misses
         WHERE user_id = $1 AND at > now() - make_interval(mins => $2)",
    )
    .bind(user.user_id)
    .bind(MISS_WINDOW_MINUTES)
    .fetch_one(&state.pool)
    .await?;
    if misses >= MAX_LOOKUP_MISSES {
        return Ok(Found::RateLimited);
    }
    let code = match TrackingCode::parse(typed) {
        Ok(code) => code,
        Err(e) => {
            record_miss(state, user).await?;
            return Ok(Found::Nothing(format!("{e}。")));
        }
    };
    let mut tx = state.pool.begin().await?;
    let consent = if user.is_desk() {
        "c.desk"
    } else {
        "c.destination_hospital"
    };
    let sql = format!(
        "SELECT r.id FROM referrals r WHERE r.tracking_code = $1
         AND EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = r.patient_id
                     AND c.withdrawn_on IS NULL AND {consent})"
    );
    let referral: Option<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(code.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    let Some(referral) = referral else {
        tx.rollback().await?;
        record_miss(state, user).await?;
        return Ok(Found::Nothing(
            "この追跡コードの紹介はありません。".to_string(),
        ));
    };
    if user.is_desk() {
        tx.commit().await?;
        return Ok(Found::Referral(referral));
    }
    // A hospital: its own, or one it may take (unaddressed, or transferred
    // to it); one addressed to another hospital is refused, and audited.
    sqlx::query("SAVEPOINT claim").execute(&mut *tx).await?;
    match crate::sync::claim(&mut tx, &actor(user), typed).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(Found::Referral(referral))
        }
        Err(Failure::Refused(Refusal(reason))) => {
            sqlx::query("ROLLBACK TO SAVEPOINT claim")
                .execute(&mut *tx)
                .await?;
            audit(
                &mut tx,
                &user.audit_actor(),
                "refused-claim",
                "referral",
                &referral.to_string(),
            )
            .await?;
            tx.commit().await?;
            Ok(Found::Refused(format!("{reason}。")))
        }
        Err(Failure::Database(e)) => Err(e),
    }
}

async fn record_miss(state: &ServerState, user: &SignedIn) -> sqlx::Result<()> {
    let mut tx = state.pool.begin().await?;
    sqlx::query("INSERT INTO lookup_misses (user_id) VALUES ($1)")
        .bind(user.user_id)
        .execute(&mut *tx)
        .await?;
    audit(
        &mut tx,
        &user.audit_actor(),
        "lookup-miss",
        "user",
        &user.user_id.to_string(),
    )
    .await?;
    tx.commit().await
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    #[serde(default)]
    recorded: Option<String>,
}

pub async fn show(
    State(state): State<ServerState>,
    PortalUser(user): PortalUser,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else {
        return super::sign_in::not_found().await;
    };
    let notice = q.recorded.map(|what| match what.as_str() {
        "call" => "通話の記録を追加しました。",
        "assigned" => "病院に割り当てました。",
        "voided" => "記録を取り消しました。かかりつけ医のアプリには次の同期で届きます。",
        _ => "記録しました。かかりつけ医のアプリには次の同期で届きます。",
    });
    referral_page(&state, &user, id, StatusCode::OK, notice, None, None).await
}

/// The referral page again, with why the form sent was refused (422) and
/// what was typed in it.
pub(crate) async fn refused_form(
    state: &ServerState,
    user: &SignedIn,
    id: Uuid,
    reason: &str,
    form: Option<Returned<'_>>,
) -> Response {
    referral_page(
        state,
        user,
        id,
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
        Some(reason),
        form,
    )
    .await
}

/// A refused form's input, shown again so nothing typed is lost.
pub(crate) enum Returned<'a> {
    Event(&'a EventForm),
    Call(&'a super::desk::CallForm),
}

/// The referral page; `error` is shown on the form that was sent, whose
/// input comes back in `form`.
pub(crate) async fn referral_page(
    state: &ServerState,
    user: &SignedIn,
    id: Uuid,
    status: StatusCode,
    notice: Option<&str>,
    error: Option<&str>,
    form: Option<Returned<'_>>,
) -> Response {
    let (form, call) = match form {
        Some(Returned::Event(f)) => (Some(minijinja::Value::from_serialize(f)), None),
        Some(Returned::Call(c)) => (None, Some(minijinja::Value::from_serialize(c))),
        None => (None, None),
    };
    let result: sqlx::Result<Option<minijinja::Value>> = async {
        let mut conn = state.pool.acquire().await?;
        let Some(summary) = referral_view::visible(&mut conn, user, id).await? else {
            audit(
                &mut conn,
                &user.audit_actor(),
                "refused-view",
                "referral",
                &id.to_string(),
            )
            .await?;
            return Ok(None);
        };
        audit(
            &mut conn,
            &user.audit_actor(),
            "view",
            "referral",
            &id.to_string(),
        )
        .await?;
        let events = history(&mut conn, &[id]).await?;
        let calls = if user.is_desk() {
            super::desk::calls(&mut conn, id).await?
        } else {
            Vec::new()
        };
        let hospitals: Vec<(Uuid, String)> = sqlx::query_as(
            "SELECT id, name FROM organisations WHERE kind = 'hospital' ORDER BY name",
        )
        .fetch_all(&mut *conn)
        .await?;
        let next: Vec<minijinja::Value> = next_statuses(&summary.status_code)
            .into_iter()
            .map(|(code, label)| context! { code => code, label => label })
            .collect();
        Ok(Some(context! {
            me => user_view(user),
            csrf => user.csrf,
            referral => summary,
            history => history_lines(&events, user.organisation.id),
            next => next,
            hospitals => hospitals.into_iter()
                .filter(|(h, _)| *h != user.organisation.id)
                .map(|(id, name)| context! { id => id, name => name })
                .collect::<Vec<_>>(),
            calls => calls,
            notice => notice,
            error => error,
            form => form,
            call => call,
            today => today().to_string(),
        }))
    }
    .await;
    match result {
        Ok(Some(context)) => render_with_status(status, "referral.html", context),
        Ok(None) => forbidden_referral(),
        Err(e) => database_error(&e),
    }
}

fn forbidden_referral() -> Response {
    message(
        StatusCode::FORBIDDEN,
        "この紹介を見る権限がありません",
        "この紹介はあなたの医療機関に宛てられていないか、患者さんの同意が取り下げられています。転院を受けた場合は、紹介状の追跡コードを入力してください。",
    )
}

/// What the event form posts; which fields count depends on `kind`.
#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct EventForm {
    pub kind: String,
    pub date: String,
    pub department: String,
    pub ward: String,
    pub attending: String,
    pub expected_date: String,
    pub destination: String,
    pub destination_name: String,
    pub team: String,
    pub hospital_id: String,
    pub hospital_name: String,
    pub place: String,
    pub note: String,
}

/// The event as the form describes it; a refusal is a message for the form.
pub(crate) struct FormEvent {
    /// `None` for a note on its own (連絡のみ): the status stays as it is.
    details: Option<WireEventDetails>,
    note: String,
    /// A transfer to a registered hospital: it takes the referral over.
    transfer_to: Option<Uuid>,
}

fn parse_day(text: &str, what: &str) -> Checked<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("{what}を入力してください。").into());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| tsunagu_domain::parse_date(text))
        .map_err(|_| {
            format!("{what}が正しくありません（例：2026-11-20 または 令和8年11月20日）。").into()
        })
}

fn text(value: &str, what: &str, required: bool, max: usize) -> Checked<String> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(format!("{what}を入力してください。").into());
    }
    if value.chars().count() > max {
        return Err(format!("{what}は{max}文字までです。").into());
    }
    if value.contains('\0') {
        return Err(format!("{what}に使えない文字が含まれています。").into());
    }
    Ok(value.to_string())
}

fn destination(form: &EventForm, required: bool) -> Checked<Option<WireDestination>> {
    let name = |what: &str| text(&form.destination_name, what, true, MAX_TEXT_CHARS);
    Ok(Some(match form.destination.as_str() {
        "this_clinic" => WireDestination::ThisClinic,
        "other_doctor" => WireDestination::OtherHomeCareDoctor {
            doctor: name("在宅医の名前（医療機関名）")?,
        },
        "facility" => WireDestination::Facility {
            name: name("施設名")?,
        },
        "other" => WireDestination::Other {
            note: name("退院先")?,
        },
        "" if !required => return Ok(None),
        _ => return Err("退院先を選んでください。".into()),
    }))
}

pub(crate) async fn form_event(
    conn: &mut PgConnection,
    form: &EventForm,
) -> Result<Checked<FormEvent>, sqlx::Error> {
    if form.kind == "note" {
        return Ok(
            text(&form.note, "かかりつけ医への連絡事項", true, MAX_NOTE_CHARS).map(|note| {
                FormEvent {
                    details: None,
                    note,
                    transfer_to: None,
                }
            }),
        );
    }
    let date = match parse_day(&form.date, "日付") {
        Ok(date) if date > today() => {
            return Ok(Err("未来の日付は記録できません。".into()));
        }
        Ok(date) => date,
        Err(e) => return Ok(Err(e)),
    };
    let note = match text(
        &form.note,
        "かかりつけ医への連絡事項",
        false,
        MAX_NOTE_CHARS,
    ) {
        Ok(note) => note,
        Err(e) => return Ok(Err(e)),
    };
    // A registered hospital chosen as the transfer's destination, and its
    // name (None if there is no such hospital).
    let registered = match Uuid::parse_str(form.hospital_id.trim()) {
        Ok(id) if form.kind == "transferred" => {
            let name: Option<String> = sqlx::query_scalar(
                "SELECT name FROM organisations WHERE id = $1 AND kind = 'hospital'",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
            Some((id, name))
        }
        _ => None,
    };
    let transfer_to = registered.as_ref().map(|(id, _)| *id);
    let details = || -> Checked<WireEventDetails> {
        Ok(match form.kind.as_str() {
            "received" => WireEventDetails::Received { date },
            "visited" => WireEventDetails::Visited {
                date,
                department: text(&form.department, "診療科", true, MAX_TEXT_CHARS)?,
            },
            "admitted" => WireEventDetails::Admitted {
                date,
                ward: text(&form.ward, "病棟", true, MAX_TEXT_CHARS)?,
                attending: text(&form.attending, "主治医", false, MAX_TEXT_CHARS)?,
            },
            "discharge_planned" => WireEventDetails::DischargePlanned {
                date,
                expected_date: parse_day(&form.expected_date, "退院予定日")?,
                planned_destination: destination(form, false)?,
                team: text(&form.team, "在宅チーム（予定）", false, MAX_TEXT_CHARS)?,
            },
            "transferred" => {
                let hospital = match &registered {
                    Some((_, name)) => name.clone().ok_or("転院先の病院が見つかりません。")?,
                    None => text(&form.hospital_name, "転院先の病院", true, MAX_TEXT_CHARS)?,
                };
                WireEventDetails::Transferred { date, hospital }
            }
            "discharged" => WireEventDetails::Discharged {
                date,
                destination: destination(form, true)?.ok_or("退院先を選んでください。")?,
            },
            "deceased" => WireEventDetails::Deceased {
                date,
                place: text(&form.place, "場所", false, MAX_TEXT_CHARS)?,
            },
            _ => return Err("記録する内容を選んでください。".into()),
        })
    }();
    Ok(details.map(|details| FormEvent {
        details: Some(details),
        note,
        transfer_to,
    }))
}

pub async fn record(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    Posted(PortalUser(user), form): Posted<PortalUser, EventForm>,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else {
        return super::sign_in::not_found().await;
    };
    match record_event(&state, &user, id, &form).await {
        Ok(Recorded::Done) => {
            Redirect::to(&format!("/portal/referrals/{id}?recorded=event")).into_response()
        }
        Ok(Recorded::Refused(reason)) => {
            refused_form(&state, &user, id, &reason, Some(Returned::Event(&form))).await
        }
        Ok(Recorded::Forbidden) => forbidden_referral(),
        Err(e) => database_error(&e),
    }
}

enum Recorded {
    Done,
    Refused(String),
    Forbidden,
}

async fn record_event(
    state: &ServerState,
    user: &SignedIn,
    referral: Uuid,
    form: &EventForm,
) -> sqlx::Result<Recorded> {
    let mut tx = state.pool.begin().await?;
    if !may_record(&mut tx, user, referral).await? {
        return refuse_append(state, user, referral, tx).await;
    }
    let event = match form_event(&mut tx, form).await? {
        Ok(event) => event,
        Err(reason) => return Ok(Recorded::Refused(reason.0)),
    };
    let wire = WireEvent {
        id: Uuid::now_v7(),
        details: event.details,
        voids: None,
        note: event.note,
    };
    append_in(tx, user, referral, &wire, event.transfer_to).await
}

/// Whether `user`'s organisation may record on the referral now.
async fn may_record(
    conn: &mut PgConnection,
    user: &SignedIn,
    referral: Uuid,
) -> sqlx::Result<bool> {
    match crate::sync::referral_access(conn, referral, &user.organisation).await {
        Ok(allowed) => Ok(allowed == Some(true)),
        Err(Failure::Database(e)) => Err(e),
        Err(Failure::Refused(_)) => Ok(false),
    }
}

async fn refuse_append(
    state: &ServerState,
    user: &SignedIn,
    referral: Uuid,
    tx: sqlx::Transaction<'_, sqlx::Postgres>,
) -> sqlx::Result<Recorded> {
    tx.rollback().await?;
    let mut conn = state.pool.acquire().await?;
    audit(
        &mut conn,
        &user.audit_actor(),
        "refused-append",
        "referral",
        &referral.to_string(),
    )
    .await?;
    Ok(Recorded::Forbidden)
}

/// Appends through the same path as a pushed event (the status machine,
/// the feeds, the audit log); a transfer to a registered hospital then
/// hands the referral to it.
async fn append_in(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    user: &SignedIn,
    referral: Uuid,
    wire: &WireEvent,
    transfer_to: Option<Uuid>,
) -> sqlx::Result<Recorded> {
    let by = actor(user);
    let applied = match crate::sync::append_event(&mut tx, &by, referral, wire).await {
        Ok(()) => match transfer_to {
            Some(hospital) => {
                crate::sync::hand_to_hospital(&mut tx, &by, referral, hospital, "transferred").await
            }
            None => Ok(()),
        },
        Err(failure) => Err(failure),
    };
    match applied {
        Ok(()) => {
            tx.commit().await?;
            Ok(Recorded::Done)
        }
        Err(Failure::Refused(Refusal(reason))) => Ok(Recorded::Refused(format!("{reason}。"))),
        Err(Failure::Database(e)) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct VoidForm {
    reason: String,
}

/// An entry made in error is voided (it stays in the history, struck
/// through); only the organisation that recorded it may do so.
pub async fn void(
    State(state): State<ServerState>,
    Path((id, event)): Path<(String, String)>,
    Posted(PortalUser(user), form): Posted<PortalUser, VoidForm>,
) -> Response {
    let (Ok(id), Ok(event)) = (Uuid::parse_str(&id), Uuid::parse_str(&event)) else {
        return super::sign_in::not_found().await;
    };
    let reason = match text(&form.reason, "取り消す理由", true, MAX_NOTE_CHARS) {
        Ok(reason) => reason,
        Err(e) => return refused_form(&state, &user, id, &e.0, None).await,
    };
    let wire = WireEvent {
        id: Uuid::now_v7(),
        details: None,
        voids: Some(event),
        note: reason,
    };
    let result = async {
        let mut tx = state.pool.begin().await?;
        if !may_record(&mut tx, &user, id).await? {
            return refuse_append(&state, &user, id, tx).await;
        }
        append_in(tx, &user, id, &wire, None).await
    }
    .await;
    match result {
        Ok(Recorded::Done) => {
            Redirect::to(&format!("/portal/referrals/{id}?recorded=voided")).into_response()
        }
        Ok(Recorded::Refused(reason)) => refused_form(&state, &user, id, &reason, None).await,
        Ok(Recorded::Forbidden) => forbidden_referral(),
        Err(e) => database_error(&e),
    }
}
