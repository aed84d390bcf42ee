//! Finding a pre-registered home patient (事前登録, issue 17): a hospital's
//! liaison types the whole name and the birth date of a patient who came
//! in without a letter, and learns who the family doctor is. Never a
//! list: one patient or none. Every look-up is counted against the same
//! limit as tracking codes (a miss until it finds someone) and audited.

use chrono::NaiveDate;
use sqlx::PgPool;
use tsunagu_domain::preregistration::{LookupDraft, LookupOutcome, check_lookup, outcome};
use uuid::Uuid;

use crate::db;
use crate::db::preregistration::Match;
use crate::services::audit;
use crate::services::referrals::lookup::{audit_miss, begin_look_up};
use crate::services::sessions::SignedIn;

/// Several patients sharing a name and a birth date are told apart by
/// the sex; more than this many are not told apart at all.
const MATCHES_READ: i64 = 3;

pub(crate) enum LookedUp {
    Found(Box<Match>),
    /// Why nobody is shown (the form's, or the look-up's answer).
    Nobody(String),
    RateLimited,
}

/// The patient `user` found a moment ago, shown again (with the admission
/// form's refusal); `None` if not found by them lately or no longer
/// pre-registered here.
pub(crate) async fn found_again(
    pool: &PgPool,
    user: &SignedIn,
    patient: Uuid,
) -> sqlx::Result<Option<Match>> {
    let mut conn = pool.acquire().await?;
    let actor = user.audit_actor();
    if !db::preregistration::found_recently(&mut conn, &actor, patient, FOUND_WITHIN_MINUTES)
        .await?
    {
        return Ok(None);
    }
    db::preregistration::by_id(&mut conn, patient, user.organisation.id).await
}

/// How long after finding a patient the liaison may act on the find
/// (record the admission) from the page it gave.
pub(crate) const FOUND_WITHIN_MINUTES: i32 = 60;

/// The patient `draft` singles out for the liaison's hospital.
pub(crate) async fn look_up(
    pool: &PgPool,
    user: &SignedIn,
    hospital: Uuid,
    draft: &LookupDraft,
    today: NaiveDate,
) -> sqlx::Result<LookedUp> {
    // A form that names too little is not a guess: nothing is read.
    let key = match check_lookup(draft, today) {
        Ok(key) => key,
        Err(why) => return Ok(LookedUp::Nobody(why.0)),
    };
    let Some(attempt) = begin_look_up(pool, user).await? else {
        return Ok(LookedUp::RateLimited);
    };
    let mut conn = pool.acquire().await?;
    let mut matches =
        db::preregistration::matching(&mut conn, &key, hospital, MATCHES_READ).await?;
    match outcome(matches.len(), key.sex.is_some()) {
        LookupOutcome::Found => {
            db::attempts::forget_lookup_miss(&mut *conn, attempt).await?;
            let found = matches.remove(0);
            let id = found.patient_id.to_string();
            let actor = user.audit_actor();
            audit::record(&mut conn, &actor, "lookup-preregistered", "patient", &id).await?;
            Ok(LookedUp::Found(Box::new(found)))
        }
        other => {
            drop(conn);
            audit_miss(pool, user).await?;
            Ok(LookedUp::Nobody(other.message_ja().to_string()))
        }
    }
}
