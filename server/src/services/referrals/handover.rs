//! A referral handed to a hospital: assigned by the desk, claimed by a
//! hospital with the tracking code on the letter, or taken over on a
//! transfer to a registered hospital.

use sqlx::PgConnection;
use tsunagu_protocol::{ChangeBody, OrgKind, Organisation, WireEvent};
use uuid::Uuid;

use crate::db;
use crate::model::{Scope, source_from_code};
use crate::services::actor::{Actor, Failure, refuse};
use crate::services::audit;
use crate::services::referrals::events::read_details;
use crate::services::teams::hospital_stay::{StayActor, office_joins};

/// As the team's history names who brought the hospital's office in.
pub(crate) fn stay_actor(by: &Actor) -> StayActor<'_> {
    StayActor {
        label: &by.label,
        audit: &by.audit,
    }
}

/// A liaison officer's claim by the code printed on the letter. The same
/// answer for a code that does not exist and one whose patient has not
/// consented to share with hospitals: neither says whether the other
/// exists.
pub(crate) async fn claim(conn: &mut PgConnection, by: &Actor, typed: &str) -> Result<(), Failure> {
    let not_found = || {
        refuse("この追跡コードの紹介は見つかりません。紹介状の追跡コードをもう一度確かめてください")
    };
    let code = tsunagu_domain::TrackingCode::parse(typed).map_err(|_| not_found())?;
    let hospital = by.organisation.id;
    let row = db::referrals::by_code_for_update(conn, &code.to_string(), hospital).await?;
    let Some((referral, current, _)) = row.filter(|(_, _, consented)| *consented) else {
        return Err(not_found());
    };
    if current == Some(hospital) {
        return Ok(());
    }
    // Held by another hospital: a transfer to a registered hospital hands
    // it over at once, and one to an unregistered hospital lets it go, so a
    // held referral is never for a third hospital to take. It is answered
    // as a code that does not exist: a guesser must not learn it is real.
    if current.is_some() {
        return Err(not_found());
    }
    hand_to_hospital(conn, by, referral, hospital, "claimed").await
}

/// Addresses the referral to `hospital` (assigned by the desk or claimed by
/// the hospital): a new leg, audited, told to the clinic and the desk, and
/// the history so far fed to the hospital so it sees the whole referral.
pub(crate) async fn hand_to_hospital(
    conn: &mut PgConnection,
    by: &Actor,
    referral: Uuid,
    hospital: Uuid,
    how: &str,
) -> Result<(), Failure> {
    db::referrals::set_hospital(conn, referral, Some(hospital)).await?;
    db::referrals::add_leg(conn, referral, hospital, how).await?;
    audit::record(conn, &by.audit, how, "referral", &referral.to_string()).await?;
    office_joins(conn, referral, hospital, stay_actor(by)).await?;
    let (clinic, name, desk_consent) = db::referrals::handover(conn, referral, hospital).await?;
    let change = ChangeBody::ReferralAssigned {
        referral_id: referral,
        organisation: Organisation {
            id: hospital,
            name,
            kind: OrgKind::Hospital,
        },
    };
    db::feed::append(conn, Scope::Org(clinic), Some(referral), &change).await?;
    if desk_consent {
        db::feed::append(conn, Scope::Desk, Some(referral), &change).await?;
    }
    feed_history(conn, referral, Scope::Org(hospital)).await
}

/// Every event of the referral so far, fed to `scope` as it was recorded.
async fn feed_history(
    conn: &mut PgConnection,
    referral: Uuid,
    scope: Scope,
) -> Result<(), Failure> {
    for stored in db::events::of_referrals(conn, &[referral]).await? {
        let change = ChangeBody::EventAppended {
            referral_id: referral,
            event: WireEvent {
                id: stored.id,
                details: read_details(stored.details)?,
                voids: stored.voids,
                note: stored.note,
            },
            source: source_from_code(&stored.source),
            actor: stored.actor,
            recorded_at: stored.recorded_at,
        };
        db::feed::append(conn, scope, Some(referral), &change).await?;
    }
    Ok(())
}
