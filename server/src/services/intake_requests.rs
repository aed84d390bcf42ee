//! 受入相談 (issue 18; the rules are the domain's `intake`): anyone in the
//! region asks an organisation found in the directory whether it can take
//! a patient on; the asked organisation's people answer in one click on
//! the portal, or a clinic's doctor from its app. Every change is audited
//! and goes whole to both organisations' feeds: a clinic's devices keep
//! it, and the portal's open pages of either hear it live.

use sqlx::{PgConnection, PgPool};
use tsunagu_domain::intake::{
    IntakeAnswer, IntakeDraft, IntakeField, IntakeState, check_answer, check_intake,
    check_withdraw, may_be_asked,
};
use tsunagu_domain::team::{OrganisationKind, Profession};
use tsunagu_protocol::{ChangeBody, WireIntakeAnswer, WireIntakeRequest, WireNewIntake};
use uuid::Uuid;

use crate::db;
use crate::db::intake_requests::{IntakeRow, NewIntake};
use crate::model::Scope;
use crate::services::actor::{Actor, Failure, refuse};
use crate::services::audit;
use crate::services::referrals::view::today;
use crate::services::sessions::SignedIn;

/// Who asks, answers or withdraws: a portal user or a clinic's device.
pub(crate) struct Party {
    pub organisation: Uuid,
    /// As shown, e.g. みどり診療所 医師 佐藤.
    pub label: String,
    /// In the audit log.
    pub audit: String,
}

impl Party {
    pub(crate) fn portal(user: &SignedIn) -> Party {
        Party {
            organisation: user.organisation.id,
            label: user.label(),
            audit: user.audit_actor(),
        }
    }
}

pub(crate) enum Sent {
    Done(Uuid),
    Refused(Vec<(IntakeField, String)>),
    /// No such organisation to ask, or not one that can be asked.
    NotAskable,
}

/// The organisation `to` as the form shows it, if it can be asked by
/// `user`'s.
pub(crate) async fn recipient(
    pool: &PgPool,
    user: &SignedIn,
    to: Uuid,
) -> sqlx::Result<Option<(String, OrganisationKind)>> {
    let mut conn = pool.acquire().await?;
    let Some((kind, stopped)) = db::organisations::listed_kind(&mut *conn, to).await? else {
        return Ok(None);
    };
    let Some(kind) = OrganisationKind::from_code(&kind) else {
        return Ok(None);
    };
    if stopped || to == user.organisation.id || !may_be_asked(kind) {
        return Ok(None);
    }
    let (name, _) = db::organisations::name_and_kind(&mut conn, to).await?;
    Ok(Some((name, kind)))
}

/// Sends a request to `to` (the portal's form, or a clinic's operation).
async fn send(
    conn: &mut PgConnection,
    by: &Party,
    id: Uuid,
    to: Uuid,
    draft: &IntakeDraft,
) -> Result<Sent, Failure> {
    let askable = match db::organisations::listed_kind(&mut *conn, to).await? {
        Some((kind, stopped)) => {
            !stopped
                && to != by.organisation
                && OrganisationKind::from_code(&kind).is_some_and(may_be_asked)
        }
        None => false,
    };
    if !askable {
        return Ok(Sent::NotAskable);
    }
    let checked = match check_intake(draft, today()) {
        Ok(checked) => checked,
        Err(errors) => return Ok(Sent::Refused(errors)),
    };
    let inserted = db::intake_requests::insert(
        conn,
        &NewIntake {
            id,
            from_org: by.organisation,
            to_org: to,
            age: checked.age.map(i16::from),
            sex: checked.sex.map(|s| s.code()),
            municipality: &checked.municipality,
            needs: checked.needs.iter().map(|n| n.code().to_string()).collect(),
            start_on: checked.start_on,
            summary: &checked.summary,
            sent_by: &by.label,
            sent_by_actor: &by.audit,
        },
    )
    .await?;
    // A device sending the same operation again: done already.
    if inserted {
        told(conn, id, &by.audit, "intake-send").await?;
    }
    Ok(Sent::Done(id))
}

pub(crate) async fn send_from_portal(
    pool: &PgPool,
    user: &SignedIn,
    to: Uuid,
    draft: &IntakeDraft,
) -> sqlx::Result<Sent> {
    let mut tx = pool.begin().await?;
    let sent = send(&mut tx, &Party::portal(user), Uuid::now_v7(), to, draft).await;
    match sent {
        Ok(Sent::Done(id)) => {
            tx.commit().await?;
            Ok(Sent::Done(id))
        }
        Ok(other) => Ok(other),
        Err(Failure::Database(e)) => Err(e),
        Err(Failure::Refused(why)) => Ok(Sent::Refused(vec![(IntakeField::Summary, why.0)])),
    }
}

/// What a portal answer or withdrawal came to.
pub(crate) enum Outcome {
    Done,
    Refused(String),
    /// Not this person's organisation's to do.
    Forbidden,
}

/// Answers a request `by`'s organisation was asked.
async fn answer(
    conn: &mut PgConnection,
    by: &Party,
    request: Uuid,
    answer: IntakeAnswer,
    reason: &str,
) -> Result<Option<()>, Failure> {
    let Some(row) = db::intake_requests::get_for_update(conn, request).await? else {
        return Ok(None);
    };
    if row.to_org != by.organisation {
        return Ok(None);
    }
    let reason = check_answer(stored_state(&row)?, answer, reason)
        .map_err(|why| refuse(&why.message_ja()))?;
    let state = answer.state().code();
    db::intake_requests::close(conn, request, state, &reason, &by.label).await?;
    told(conn, request, &by.audit, "intake-answer").await?;
    Ok(Some(()))
}

/// Withdraws a request `by`'s organisation sent, still unanswered.
async fn withdraw(
    conn: &mut PgConnection,
    by: &Party,
    request: Uuid,
) -> Result<Option<()>, Failure> {
    let Some(row) = db::intake_requests::get_for_update(conn, request).await? else {
        return Ok(None);
    };
    if row.from_org != by.organisation {
        return Ok(None);
    }
    check_withdraw(stored_state(&row)?).map_err(|why| refuse(&why.message_ja()))?;
    let withdrawn = IntakeState::Withdrawn.code();
    db::intake_requests::close(conn, request, withdrawn, "", &by.label).await?;
    told(conn, request, &by.audit, "intake-withdraw").await?;
    Ok(Some(()))
}

async fn portal_step<F>(pool: &PgPool, step: F) -> sqlx::Result<Outcome>
where
    F: AsyncFnOnce(&mut PgConnection) -> Result<Option<()>, Failure>,
{
    let mut tx = pool.begin().await?;
    match step(&mut tx).await {
        Ok(Some(())) => {
            tx.commit().await?;
            Ok(Outcome::Done)
        }
        Ok(None) => Ok(Outcome::Forbidden),
        Err(Failure::Refused(why)) => Ok(Outcome::Refused(why.0)),
        Err(Failure::Database(e)) => Err(e),
    }
}

pub(crate) async fn answer_from_portal(
    pool: &PgPool,
    user: &SignedIn,
    request: Uuid,
    given: IntakeAnswer,
    reason: &str,
) -> sqlx::Result<Outcome> {
    let by = Party::portal(user);
    portal_step(pool, async |conn: &mut PgConnection| {
        answer(conn, &by, request, given, reason).await
    })
    .await
}

pub(crate) async fn withdraw_from_portal(
    pool: &PgPool,
    user: &SignedIn,
    request: Uuid,
) -> sqlx::Result<Outcome> {
    let by = Party::portal(user);
    portal_step(pool, async |conn: &mut PgConnection| {
        withdraw(conn, &by, request).await
    })
    .await
}

/// A clinic's device's party: the clinic and the person who acted, who
/// must be a doctor to answer (the domain's `DecideCare`).
fn device_party(by: &Actor, author: &tsunagu_protocol::WireAuthor) -> Result<Party, Failure> {
    let Some(profession) = Profession::from_code(&author.profession) else {
        return Err(refuse("職種の値が正しくありません"));
    };
    let name = author.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(refuse("記録した方のお名前が正しくありません"));
    }
    Ok(Party {
        organisation: by.organisation.id,
        label: format!(
            "{} {} {}",
            by.organisation.name,
            profession.label_ja(),
            name
        ),
        audit: by.audit.clone(),
    })
}

pub(crate) async fn sent_by_device(
    conn: &mut PgConnection,
    by: &Actor,
    op: &WireNewIntake,
) -> Result<(), Failure> {
    let party = device_party(by, &op.by)?;
    let draft = IntakeDraft {
        age: op.age.clone(),
        sex: op.sex.clone(),
        municipality: op.municipality.clone(),
        needs: op.needs.clone(),
        start_on: op.start_on.clone(),
        summary: op.summary.clone(),
    };
    match send(conn, &party, op.id, op.to_org, &draft).await? {
        Sent::Done(_) => Ok(()),
        Sent::NotAskable => Err(refuse("受入相談の相手が見つかりません")),
        Sent::Refused(errors) => Err(refuse(
            errors
                .first()
                .map_or("受入相談の内容が正しくありません", |(_, m)| m),
        )),
    }
}

pub(crate) async fn answered_by_device(
    conn: &mut PgConnection,
    by: &Actor,
    op: &WireIntakeAnswer,
) -> Result<(), Failure> {
    let party = device_party(by, &op.by)?;
    if Profession::from_code(&op.by.profession) != Some(Profession::Physician) {
        return Err(refuse("受入相談への回答は医師のアカウントで行えます"));
    }
    let Some(given) = IntakeAnswer::from_code(&op.answer) else {
        return Err(refuse("回答の値が正しくありません"));
    };
    answer(conn, &party, op.request_id, given, &op.text)
        .await?
        .ok_or_else(|| refuse("受入相談が見つかりません"))
}

pub(crate) async fn withdrawn_by_device(
    conn: &mut PgConnection,
    by: &Actor,
    request: Uuid,
) -> Result<(), Failure> {
    let party = Party {
        organisation: by.organisation.id,
        label: by.label.clone(),
        audit: by.audit.clone(),
    };
    withdraw(conn, &party, request)
        .await?
        .ok_or_else(|| refuse("受入相談が見つかりません"))
}

fn stored_state(row: &IntakeRow) -> Result<IntakeState, Failure> {
    IntakeState::from_code(&row.state).ok_or_else(|| refuse("受入相談の記録を読めません"))
}

/// Audits the step and sends the request as it now stands to both
/// organisations' feeds (a device keeps it; open pages hear it).
async fn told(
    conn: &mut PgConnection,
    request: Uuid,
    audit_actor: &str,
    action: &str,
) -> Result<(), Failure> {
    let Some(row) = db::intake_requests::get_for_update(conn, request).await? else {
        return Err(refuse("受入相談が見つかりません"));
    };
    audit::record(
        conn,
        audit_actor,
        action,
        "intake_request",
        &request.to_string(),
    )
    .await?;
    let change = ChangeBody::IntakeRequest {
        request: wire(&row),
    };
    for (org, kind) in [(row.from_org, &row.from_kind), (row.to_org, &row.to_kind)] {
        db::feed::append(conn, feed_of(org, kind), None, &change).await?;
    }
    Ok(())
}

/// The feed an organisation's devices read, and its portal pages follow.
pub(crate) fn feed_of(organisation: Uuid, kind: &str) -> Scope {
    if kind == OrganisationKind::Desk.code() {
        Scope::Desk
    } else {
        Scope::Org(organisation)
    }
}

pub(crate) fn wire(row: &IntakeRow) -> WireIntakeRequest {
    WireIntakeRequest {
        id: row.id,
        from_org: row.from_org,
        from_name: row.from_name.clone(),
        from_phone: row.from_phone.clone(),
        to_org: row.to_org,
        to_name: row.to_name.clone(),
        to_kind: row.to_kind.clone(),
        age: row.age.and_then(|a| u8::try_from(a).ok()),
        sex: row.sex.clone(),
        municipality: row.municipality.clone(),
        needs: row.needs.clone(),
        start_on: row.start_on,
        summary: row.summary.clone(),
        state: row.state.clone(),
        sent_by: row.sent_by.clone(),
        sent_at: row.sent_at,
        answer_text: row.answer_text.clone(),
        answered_by: row.answered_by.clone(),
        closed_at: row.closed_at,
    }
}

/// The requests `user`'s organisation sent or was asked, newest first;
/// reading them is audited (they describe a patient, if not by name).
pub(crate) async fn of_organisation(
    pool: &PgPool,
    user: &SignedIn,
) -> sqlx::Result<Vec<IntakeRow>> {
    let mut tx = pool.begin().await?;
    let rows = db::intake_requests::of_organisation(&mut tx, user.organisation.id, 200).await?;
    if !rows.is_empty() {
        let organisation = user.organisation.id.to_string();
        audit::record(
            &mut tx,
            &user.audit_actor(),
            "intake-list",
            "organisation",
            &organisation,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(rows)
}

/// Per organisation asked: how many, how fast it answers (the desk's).
pub(crate) async fn answer_times(
    pool: &PgPool,
) -> sqlx::Result<Vec<crate::db::discharge_requests::AnswerFigures>> {
    let mut conn = pool.acquire().await?;
    db::intake_requests::answer_times(&mut conn).await
}
