//! 退院後の在宅医療の相談 (issue 17; the rules are the domain's
//! `discharge_request`): the liaison of the hospital that has the patient
//! in its care asks the family doctor's clinic first; the doctor answers
//! from the clinic's app (a pushed operation); a 相談したい answer opens a
//! 相談 on the patient's team timeline. Every change goes to the clinic's
//! feed whole, is audited, and is announced to the referral's open pages
//! (`referral:<id>`), so the liaison sees the answer without reloading.
//! Requests left unanswered past their day expire by the domain's
//! `state_on`; the housekeeping sweep stores that and tells the clinic.

use chrono::{NaiveDate, Utc};
use sqlx::{PgConnection, PgPool};
use tsunagu_domain::discharge_request::{
    Answer, RequestDraft, RequestError, RequestState, check_answer, check_cancel, check_request,
    consult_entry_ja, may_be_asked, state_on,
};
use tsunagu_domain::replay;
use tsunagu_domain::team::EntryKind;
use tsunagu_protocol::{ChangeBody, OrgKind, WireAnswer, WireDischargeRequest};
use uuid::Uuid;

use crate::db;
use crate::db::discharge_requests::{AnswerFigures, NewRequest, RequestRow};
use crate::model::Scope;
use crate::services::actor::{Actor, Failure, Refusal, refuse};
use crate::services::audit;
use crate::services::referrals::access::referral_access;
use crate::services::referrals::events::load_history;
use crate::services::referrals::view::today;
use crate::services::teams::device::device_actor;
use crate::services::teams::timeline::{self, NewPost};

/// What a portal action came to.
pub(crate) enum Outcome {
    Done,
    /// Why, for the form.
    Refused(String),
    /// Not this person's to do (the referral is not their hospital's).
    Forbidden,
}

fn refused(e: RequestError) -> Failure {
    refuse(&e.message_ja())
}

/// Runs a portal action in its own transaction.
async fn in_transaction<F>(pool: &PgPool, action: F) -> sqlx::Result<Outcome>
where
    F: AsyncFnOnce(&mut PgConnection) -> Result<bool, Failure>,
{
    let mut tx = pool.begin().await?;
    match action(&mut tx).await {
        Ok(true) => {
            tx.commit().await?;
            Ok(Outcome::Done)
        }
        Ok(false) => Ok(Outcome::Forbidden),
        Err(Failure::Refused(Refusal(reason))) => Ok(Outcome::Refused(format!("{reason}。"))),
        Err(Failure::Database(e)) => Err(e),
    }
}

/// Whether `by` is the hospital that has the referral now (consent in
/// force); the referral stays locked.
async fn held_by(conn: &mut PgConnection, by: &Actor, referral: Uuid) -> Result<bool, Failure> {
    Ok(by.organisation.kind == OrgKind::Hospital
        && referral_access(conn, referral, &by.organisation).await? == Some(true))
}

/// Whether `by` may follow the referral's page live: the hospital that
/// has it, or the desk, each under the consent that lets it see it.
pub(crate) async fn may_follow(pool: &PgPool, by: &Actor, referral: Uuid) -> sqlx::Result<bool> {
    let mut conn = pool.acquire().await?;
    let Some(reach) = db::referrals::reach_of(&mut conn, referral).await? else {
        return Ok(false);
    };
    Ok(match by.organisation.kind {
        OrgKind::Hospital => reach.hospital == Some(by.organisation.id) && reach.hospital_consent,
        OrgKind::Desk => reach.desk_consent,
        OrgKind::Clinic => false,
    })
}

/// The liaison sends a request for the episode her hospital holds.
pub(crate) async fn send(
    pool: &PgPool,
    by: &Actor,
    referral: Uuid,
    draft: &RequestDraft,
) -> sqlx::Result<Outcome> {
    in_transaction(pool, async |conn: &mut PgConnection| {
        if !held_by(conn, by, referral).await? {
            return Ok(false);
        }
        let state = replay(&load_history(conn, referral).await?)
            .map_err(|_| refuse("この紹介の記録を読めません"))?;
        if !may_be_asked(state.status) {
            return Err(refused(RequestError::NotInCare));
        }
        let checked =
            check_request(draft, today()).map_err(|why| refuse(why.0.trim_end_matches('。')))?;
        // One waits for its answer at a time; one past its day has expired.
        expire(conn, today(), Some(referral)).await?;
        let reach = db::referrals::reach(conn, referral).await?;
        let id = Uuid::now_v7();
        let inserted = db::discharge_requests::insert(
            conn,
            &NewRequest {
                id,
                referral,
                hospital: by.organisation.id,
                clinic: reach.clinic,
                expected_date: checked.expected_date,
                reply_by: checked.reply_by,
                needs: checked.needs.iter().map(|n| n.code().to_string()).collect(),
                note: &checked.note,
                sent_by: &by.label,
                sent_by_actor: &by.audit,
            },
        )
        .await?;
        if !inserted {
            return Err(refused(RequestError::OneOpenAtATime));
        }
        told(conn, id, &by.audit, "discharge-request-sent").await?;
        Ok(true)
    })
    .await
}

/// The liaison withdraws an open request (the plan changed).
pub(crate) async fn cancel(
    pool: &PgPool,
    by: &Actor,
    referral: Uuid,
    request: Uuid,
) -> sqlx::Result<Outcome> {
    in_transaction(pool, async |conn: &mut PgConnection| {
        if !held_by(conn, by, referral).await? {
            return Ok(false);
        }
        let Some(row) = db::discharge_requests::lock(conn, request).await? else {
            return Ok(false);
        };
        if row.referral_id != referral || row.hospital_id != by.organisation.id {
            return Ok(false);
        }
        check_cancel(stored_state(&row)?, row.reply_by, today()).map_err(refused)?;
        let cancelled = RequestState::Cancelled.code();
        db::discharge_requests::close(conn, request, cancelled, "", &by.label).await?;
        told(conn, request, &by.audit, "discharge-request-cancelled").await?;
        Ok(true)
    })
    .await
}

/// The family doctor's answer, pushed by the clinic's device.
pub(crate) async fn answer(
    conn: &mut PgConnection,
    by: &Actor,
    answer: &WireAnswer,
) -> Result<(), Failure> {
    let Some(row) = db::discharge_requests::lock(conn, answer.request_id).await? else {
        return Err(refuse("退院後の相談が見つかりません"));
    };
    if row.clinic_id != by.organisation.id {
        return Err(refuse("退院後の相談が見つかりません"));
    }
    let Some(given) = Answer::from_code(&answer.answer, &answer.text) else {
        return Err(refuse("回答の値が正しくありません"));
    };
    let doctor = device_actor(by, Some(&answer.by))?;
    let state =
        check_answer(stored_state(&row)?, row.reply_by, &given, today()).map_err(refused)?;
    db::discharge_requests::close(conn, row.id, state.code(), given.text(), &doctor.label())
        .await?;
    if state == RequestState::Consult {
        consult_on_the_timeline(conn, by, &row, &answer.by, given.text()).await?;
    }
    told(conn, row.id, &by.audit, "discharge-request-answered").await
}

/// 相談したい opens a 相談 on the patient's team's timeline, as the doctor
/// (the hospital's office is on the team while the patient is in). With
/// no team, or one the consent closes, the answer alone tells the
/// hospital.
async fn consult_on_the_timeline(
    conn: &mut PgConnection,
    by: &Actor,
    row: &RequestRow,
    author: &tsunagu_protocol::WireAuthor,
    text: &str,
) -> Result<(), Failure> {
    let Some(team) = db::teams::of_patient(conn, row.patient_id).await? else {
        return Ok(());
    };
    let actor = device_actor(by, Some(author))?;
    let body = consult_entry_ja(&row.hospital, row.expected_date, text);
    let post = NewPost {
        id: Uuid::now_v7(),
        kind: EntryKind::Request.code(),
        body: &body,
        reply_to: None,
        strikes: None,
        vitals: None,
        attachments: &[],
    };
    match timeline::post(conn, &actor, team, post, Utc::now()).await {
        Ok(()) | Err(Failure::Refused(_)) => Ok(()),
        Err(failure) => Err(failure),
    }
}

/// Open requests past their day (of one referral, or all) stored as
/// expired, and the clinic told. The number expired.
async fn expire(
    conn: &mut PgConnection,
    today: NaiveDate,
    referral: Option<Uuid>,
) -> Result<usize, Failure> {
    let due = db::discharge_requests::open_past(conn, today, referral).await?;
    for id in &due {
        let expired = RequestState::Expired.code();
        db::discharge_requests::close(conn, *id, expired, "", "").await?;
        told(
            conn,
            *id,
            "system:housekeeping",
            "discharge-request-expired",
        )
        .await?;
    }
    Ok(due.len())
}

/// The housekeeping sweep: every request past its day.
pub(crate) async fn expire_due(pool: &PgPool) -> Result<usize, Failure> {
    let mut tx = pool.begin().await?;
    let expired = expire(&mut tx, today(), None).await?;
    tx.commit().await?;
    Ok(expired)
}

fn stored_state(row: &RequestRow) -> Result<RequestState, Failure> {
    RequestState::from_code(&row.state).ok_or_else(|| {
        Failure::Database(sqlx::Error::Decode(
            "a discharge request of an unknown state".into(),
        ))
    })
}

/// The request as it stands to the clinic's feed, audited, and announced
/// to the referral's open pages.
async fn told(
    conn: &mut PgConnection,
    id: Uuid,
    audit_actor: &str,
    action: &str,
) -> Result<(), Failure> {
    let Some(row) = db::discharge_requests::get(conn, id).await? else {
        return Ok(());
    };
    let change = ChangeBody::DischargeRequest {
        request: wire(&row),
    };
    db::feed::append(
        conn,
        Scope::Org(row.clinic_id),
        Some(row.referral_id),
        &change,
    )
    .await?;
    audit::record(
        conn,
        audit_actor,
        action,
        "referral",
        &row.referral_id.to_string(),
    )
    .await?;
    let seq = row.closed_at.unwrap_or(row.sent_at).timestamp_millis();
    db::live::announce(conn, Scope::Referral(row.referral_id), seq).await?;
    Ok(())
}

pub(crate) fn wire(row: &RequestRow) -> WireDischargeRequest {
    WireDischargeRequest {
        id: row.id,
        referral_id: row.referral_id,
        patient_id: row.patient_id,
        hospital: row.hospital.clone(),
        sent_by: row.sent_by.clone(),
        sent_at: row.sent_at,
        expected_date: row.expected_date,
        reply_by: row.reply_by,
        needs: row.needs.clone(),
        note: row.note.clone(),
        state: row.state.clone(),
        answer_text: row.answer_text.clone(),
        answered_by: row.answered_by.clone(),
        answered_at: row.closed_at,
    }
}

/// A request as the referral page shows it, its state read on `today`.
pub(crate) fn state_shown(row: &RequestRow, today: NaiveDate) -> RequestState {
    RequestState::from_code(&row.state)
        .map_or(RequestState::Expired, |s| state_on(s, row.reply_by, today))
}

/// Requests gone unanswered past their day that are still worth a call:
/// a hospital's own, or (no hospital) those the desk's consent covers.
pub(crate) async fn unanswered(
    pool: &PgPool,
    hospital: Option<Uuid>,
) -> sqlx::Result<Vec<RequestRow>> {
    let mut conn = pool.acquire().await?;
    db::discharge_requests::unanswered(&mut conn, hospital, today()).await
}

/// How fast family doctors answer, and how many requests went unanswered:
/// per clinic, and per hospital that asked.
pub(crate) async fn figures(
    pool: &PgPool,
) -> sqlx::Result<(Vec<AnswerFigures>, Vec<AnswerFigures>)> {
    let mut conn = pool.acquire().await?;
    let clinics = db::discharge_requests::figures(&mut conn, true, today()).await?;
    let hospitals = db::discharge_requests::figures(&mut conn, false, today()).await?;
    Ok((clinics, hospitals))
}
