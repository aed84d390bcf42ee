//! What the portal records on a referral: an event or a void (through the
//! same path as a pushed event: the status machine, the feeds, the audit
//! log), and the desk's assigning it to a hospital.

use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use tsunagu_domain::{Checked, Rejection};
use tsunagu_protocol::{WireEvent, WireEventDetails};
use uuid::Uuid;

use crate::db;
use crate::services::actor::{Failure, Refusal, refuse};
use crate::services::audit;
use crate::services::referrals::access::{referral_access, registered_hospital};
use crate::services::referrals::events::append_event;
use crate::services::referrals::handover::hand_to_hospital;
use crate::services::sessions::SignedIn;

/// An entry to record, as a form describes it.
pub(crate) struct Entry {
    /// `None` for a note on its own (連絡のみ) or a void.
    pub details: Option<WireEventDetails>,
    pub voids: Option<Uuid>,
    pub note: String,
    /// A transfer to a registered hospital: it takes the referral over.
    pub transfer_to: Option<Uuid>,
}

pub(crate) enum Recorded {
    Done,
    /// Why, for the form.
    Refused(String),
    Forbidden,
}

/// Records what `entry` makes of the form once the person is known to
/// be allowed. `hospital` is a registered hospital chosen in the form,
/// whose name (`None` if there is no such hospital) `entry` is given.
pub(crate) async fn record(
    pool: &PgPool,
    user: &SignedIn,
    referral: Uuid,
    hospital: Option<Uuid>,
    entry: impl FnOnce(Option<Option<String>>) -> Checked<Entry>,
) -> sqlx::Result<Recorded> {
    let mut tx = pool.begin().await?;
    if !may_record(&mut tx, user, referral).await? {
        return refuse_append(pool, user, referral, tx).await;
    }
    let name = match hospital {
        Some(id) => Some(db::organisations::hospital_name(&mut tx, id).await?),
        None => None,
    };
    let entry = match entry(name) {
        Ok(entry) => entry,
        Err(Rejection(reason)) => return Ok(Recorded::Refused(reason)),
    };
    let wire = WireEvent {
        id: Uuid::now_v7(),
        details: entry.details,
        voids: entry.voids,
        note: entry.note,
    };
    append_in(tx, user, referral, &wire, entry.transfer_to).await
}

/// Whether `user`'s organisation may record on the referral now.
async fn may_record(
    conn: &mut PgConnection,
    user: &SignedIn,
    referral: Uuid,
) -> sqlx::Result<bool> {
    let Some(by) = user.actor() else {
        return Ok(false);
    };
    match referral_access(conn, referral, &by.organisation).await {
        Ok(allowed) => Ok(allowed == Some(true)),
        Err(Failure::Database(e)) => Err(e),
        Err(Failure::Refused(_)) => Ok(false),
    }
}

async fn refuse_append(
    pool: &PgPool,
    user: &SignedIn,
    referral: Uuid,
    tx: Transaction<'_, Postgres>,
) -> sqlx::Result<Recorded> {
    tx.rollback().await?;
    let mut conn = pool.acquire().await?;
    let id = referral.to_string();
    audit::record(
        &mut conn,
        &user.audit_actor(),
        "refused-append",
        "referral",
        &id,
    )
    .await?;
    Ok(Recorded::Forbidden)
}

/// Appends through the same path as a pushed event (the status machine,
/// the feeds, the audit log); a transfer to a registered hospital then
/// hands the referral to it.
async fn append_in(
    mut tx: Transaction<'_, Postgres>,
    user: &SignedIn,
    referral: Uuid,
    wire: &WireEvent,
    transfer_to: Option<Uuid>,
) -> sqlx::Result<Recorded> {
    let Some(by) = user.actor() else {
        return Ok(Recorded::Forbidden);
    };
    let applied = match append_event(&mut tx, &by.recorder(), referral, wire).await {
        Ok(()) => match transfer_to {
            Some(hospital) => {
                hand_to_hospital(&mut tx, &by, referral, hospital, "transferred").await
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

/// The desk hands the referral to a registered hospital; a refusal says
/// why.
pub(crate) async fn assign(
    pool: &PgPool,
    user: &SignedIn,
    referral: Uuid,
    hospital: Uuid,
) -> sqlx::Result<Result<(), Refusal>> {
    let Some(by) = user.actor() else {
        return Ok(Err(Refusal(
            "この紹介に記録する権限がありません".to_string(),
        )));
    };
    let mut tx = pool.begin().await?;
    let access = referral_access(&mut tx, referral, &by.organisation).await;
    let registered = registered_hospital(&mut tx, hospital).await;
    let outcome = match (access, registered) {
        (Ok(Some(true)), Ok(Some(hospital))) => {
            hand_to_hospital(&mut tx, &by, referral, hospital, "assigned").await
        }
        (Ok(_), Ok(None)) => Err(refuse("登録されていない病院です")),
        (Ok(_), Ok(_)) => Err(refuse("この紹介に記録する権限がありません")),
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
