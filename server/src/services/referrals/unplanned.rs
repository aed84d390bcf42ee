//! 紹介状なし入院 (issue 17): a liaison who has just found a pre-registered
//! home patient records the admission. It opens an episode with no letter,
//! held by the liaison's hospital and linked to the patient's family
//! doctor (the clinic that pre-registered the patient) and, through the
//! timeline, to the patient's team. From then on it is a referral like any
//! other: every later status goes through the same status machine, and a
//! transfer hands it on with the family doctor's details.

use chrono::{DateTime, Utc};
use rand::Rng;
use sqlx::{PgConnection, PgPool};
use tsunagu_domain::preregistration::{AdmissionDraft, check_admission};
use tsunagu_domain::{TrackingCode, replay};
use tsunagu_protocol::{ChangeBody, WireEvent, WireEventDetails};
use uuid::Uuid;

use crate::db;
use crate::db::referrals::NewReferral;
use crate::model::Scope;
use crate::services::actor::{Actor, Failure, Refusal, refuse};
use crate::services::preregistration::FOUND_WITHIN_MINUTES;
use crate::services::referrals::events::{append_event, load_history};
use crate::services::referrals::handover::hand_to_hospital;
use crate::services::referrals::view::today;
use crate::services::sessions::SignedIn;

/// Tracking codes are random: a clash with an existing one is retried.
const TRACKING_CODE_ATTEMPTS: usize = 5;

pub(crate) enum Admitted {
    /// The episode opened: the referral to show.
    Opened(Uuid),
    Refused(String),
    Forbidden,
}

/// Records `draft` for `patient`, found by `user` (a liaison) a moment ago.
pub(crate) async fn admit(
    pool: &PgPool,
    user: &SignedIn,
    patient: Uuid,
    draft: &AdmissionDraft,
    note: &str,
) -> sqlx::Result<Admitted> {
    let Some(by) = user.actor() else {
        return Ok(Admitted::Forbidden);
    };
    let mut tx = pool.begin().await?;
    match open_episode(&mut tx, &by, patient, draft, note).await {
        Ok(referral) => {
            tx.commit().await?;
            Ok(Admitted::Opened(referral))
        }
        Err(Failure::Refused(Refusal(reason))) => Ok(Admitted::Refused(reason)),
        Err(Failure::Database(e)) => Err(e),
    }
}

async fn open_episode(
    conn: &mut PgConnection,
    by: &Actor,
    patient: Uuid,
    draft: &AdmissionDraft,
    note: &str,
) -> Result<Uuid, Failure> {
    let hospital = by.organisation.id;
    // Asked as one question, so that an id typed by hand learns nothing:
    // a patient not pre-registered here, and one this liaison has not just
    // found, get the same answer.
    let clinic = db::preregistration::clinic_for_update(conn, patient, hospital).await?;
    let found =
        db::preregistration::found_recently(conn, &by.audit, patient, FOUND_WITHIN_MINUTES).await?;
    let Some(clinic) = clinic.filter(|_| found) else {
        return Err(refuse(
            "この患者さんの入院は記録できません。事前登録の検索からもう一度探してください",
        ));
    };
    let details = check_admission(draft, &by.organisation.name, today())
        .map_err(|why| refuse(why.0.trim_end_matches('。')))?;
    refuse_if_already_here(conn, patient, hospital).await?;
    let referral = Uuid::now_v7();
    let (tracking_code, recorded_at) = insert_referral(conn, referral, clinic, patient).await?;
    let opened = ChangeBody::ReferralOpened {
        referral_id: referral,
        patient_id: patient,
        tracking_code,
        recorded_at,
        without_letter: true,
    };
    db::feed::append(conn, Scope::Org(clinic), Some(referral), &opened).await?;
    hand_to_hospital(conn, by, referral, hospital, "admitted").await?;
    let event = WireEvent {
        id: Uuid::now_v7(),
        details: Some(WireEventDetails::from(&details)),
        voids: None,
        note: note.to_string(),
    };
    append_event(conn, &by.recorder(), referral, &event).await?;
    Ok(referral)
}

/// An episode this hospital already holds that is still open (the patient
/// referred here with a letter, or admitted or discharged here before: a
/// readmission follows a discharge on it) is recorded on, not opened
/// again.
async fn refuse_if_already_here(
    conn: &mut PgConnection,
    patient: Uuid,
    hospital: Uuid,
) -> Result<(), Failure> {
    for referral in db::preregistration::held_by(conn, patient, hospital).await? {
        let Ok(state) = replay(&load_history(conn, referral).await?) else {
            continue;
        };
        if state.status.is_open() {
            return Err(refuse(
                "この患者さんは当院の紹介患者の一覧にあります。一覧から開いて入院を記録してください",
            ));
        }
    }
    Ok(())
}

/// The referral's row, with a fresh tracking code (for a transfer onwards
/// and for the clinic's records); the code it was given, and when.
async fn insert_referral(
    conn: &mut PgConnection,
    referral: Uuid,
    clinic: Uuid,
    patient: Uuid,
) -> Result<(String, DateTime<Utc>), Failure> {
    for _ in 0..TRACKING_CODE_ATTEMPTS {
        let code = TrackingCode::from_random_bits(rand::rng().random()).to_string();
        let new = NewReferral {
            id: referral,
            clinic,
            patient,
            tracking_code: &code,
            hospital: None,
            letter: None,
        };
        if let Some(at) = db::referrals::insert(conn, new).await? {
            return Ok((code, at));
        }
    }
    Err(refuse(
        "追跡コードを作れませんでした。もう一度お試しください",
    ))
}
