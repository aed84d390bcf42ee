//! Finding a referral in the portal by the tracking code on the letter.
//! A hospital that finds one it may take takes it (a claim, as a device
//! would); codes that find nothing are counted, and too many in a while
//! stop lookups for a while.

use sqlx::PgPool;
use tsunagu_domain::TrackingCode;
use uuid::Uuid;

use crate::db;
use crate::db::savepoint::{self, Savepoint};
use crate::services::actor::{Failure, Refusal};
use crate::services::audit;
use crate::services::referrals::handover::claim;
use crate::services::sessions::SignedIn;

/// Tracking codes that found nothing, per person within
/// [`MISS_WINDOW_MINUTES`], before lookups are refused for a while: with
/// 2^40 codes, guessing one takes far longer than anyone has.
pub const MAX_LOOKUP_MISSES: i64 = 10;
const MISS_WINDOW_MINUTES: i32 = 15;

pub(crate) enum Found {
    Referral(Uuid),
    /// Why nothing was found.
    Nothing(String),
    RateLimited,
}

/// Finds the referral a typed code names. Each look-up is counted as a
/// miss before it is tried (under the person's lock) and given back if it
/// finds one, so simultaneous guesses cannot all pass the count. A code
/// held by another hospital is answered exactly as one that does not
/// exist: the answer must not tell a guesser that the code is real.
pub(crate) async fn find_by_code(
    pool: &PgPool,
    user: &SignedIn,
    typed: &str,
) -> sqlx::Result<Found> {
    let Some(attempt) = begin_look_up(pool, user).await? else {
        return Ok(Found::RateLimited);
    };
    let found = look_up(pool, user, typed).await?;
    if matches!(found, Found::Referral(_)) {
        db::attempts::forget_lookup_miss(pool, attempt).await?;
    } else {
        audit_miss(pool, user).await?;
    }
    Ok(found)
}

/// The attempt counted, unless too many missed lately: shared by every
/// look-up a person may guess at (tracking codes, pre-registered
/// patients), so guessing at one does not reset the other.
pub(crate) async fn begin_look_up(pool: &PgPool, user: &SignedIn) -> sqlx::Result<Option<Uuid>> {
    let mut tx = pool.begin().await?;
    db::attempts::lock_key(&mut tx, "lookup", &user.user_id.to_string()).await?;
    let misses = db::attempts::lookup_misses(&mut tx, user.user_id, MISS_WINDOW_MINUTES).await?;
    if misses >= MAX_LOOKUP_MISSES {
        return Ok(None);
    }
    let attempt = Uuid::now_v7();
    db::attempts::add_lookup_miss(&mut tx, attempt, user.user_id).await?;
    tx.commit().await?;
    Ok(Some(attempt))
}

fn not_found() -> Found {
    Found::Nothing("この追跡コードの紹介はありません。".to_string())
}

async fn look_up(pool: &PgPool, user: &SignedIn, typed: &str) -> sqlx::Result<Found> {
    let code = match TrackingCode::parse(typed) {
        Ok(code) => code,
        Err(e) => return Ok(Found::Nothing(format!("{e}。"))),
    };
    let mut tx = pool.begin().await?;
    let hospital = (!user.is_desk()).then_some(user.organisation.id);
    let referral = db::referrals::by_code_consented(&mut tx, &code.to_string(), hospital).await?;
    let Some(referral) = referral else {
        tx.rollback().await?;
        return Ok(not_found());
    };
    if user.is_desk() {
        tx.commit().await?;
        return Ok(Found::Referral(referral));
    }
    // A hospital: its own, or one it may take (unaddressed, or transferred
    // to it); one addressed to another hospital is refused, and audited,
    // and answered as if there were none.
    let Some(by) = user.actor() else {
        tx.rollback().await?;
        return Ok(not_found());
    };
    savepoint::create(&mut tx, Savepoint::Claim).await?;
    match claim(&mut tx, &by, typed).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(Found::Referral(referral))
        }
        Err(Failure::Refused(Refusal(_))) => {
            savepoint::rollback_to(&mut tx, Savepoint::Claim).await?;
            let id = referral.to_string();
            audit::record(
                &mut tx,
                &user.audit_actor(),
                "refused-claim",
                "referral",
                &id,
            )
            .await?;
            tx.commit().await?;
            Ok(not_found())
        }
        Err(Failure::Database(e)) => Err(e),
    }
}

pub(crate) async fn audit_miss(pool: &PgPool, user: &SignedIn) -> sqlx::Result<()> {
    let mut conn = pool.acquire().await?;
    audit::record(
        &mut conn,
        &user.audit_actor(),
        "lookup-miss",
        "user",
        &user.user_id.to_string(),
    )
    .await
}
