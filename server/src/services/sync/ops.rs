//! One function per kind of pushed operation. `apply` validates and
//! authorises the operation by the device's organisation, then hands it
//! to its function, which checks what only the database can tell, writes
//! and feeds; the frame around it remembers the outcome.

use sqlx::PgConnection;
use tsunagu_protocol::{
    ChangeBody, OpBody, OrgKind, WireEvent, WireEventDetails, WireLetterSummary,
};
use uuid::Uuid;

use crate::db;
use crate::db::referrals::{Consent, NewReferral, Patient};
use crate::model::Scope;
use crate::services::actor::{Actor, Failure, refuse};
use crate::services::audit;
use crate::services::referrals::access::{referral_access, registered_hospital};
use crate::services::referrals::events::append_event;
use crate::services::referrals::handover::{claim, hand_to_hospital, stay_actor};
use crate::services::sync::rules;
use crate::services::teams::hospital_stay::office_joins;

pub(crate) async fn apply(
    conn: &mut PgConnection,
    by: &Actor,
    body: &OpBody,
) -> Result<(), Failure> {
    rules::check(body)?;
    authorise(by, body)?;
    match body {
        OpBody::PatientShared {
            patient_id,
            name,
            kana,
            birth_date,
            sex,
        } => {
            let patient = Patient {
                id: *patient_id,
                clinic: by.organisation.id,
                name,
                kana,
                birth_date: *birth_date,
                sex,
            };
            share_patient(conn, by, &patient).await
        }
        OpBody::ConsentRecorded { .. } => record_consent(conn, by, body).await,
        OpBody::ReferralOpened {
            referral_id,
            patient_id,
            tracking_code,
            destination,
            sent,
            letter,
        } => {
            let opened = Opened {
                referral: *referral_id,
                patient: *patient_id,
                tracking_code,
                destination: *destination,
                sent,
                letter: letter.as_deref(),
            };
            open_referral(conn, by, opened).await
        }
        OpBody::EventAppended { referral_id, event } => {
            append_pushed_event(conn, by, *referral_id, event).await
        }
        OpBody::ReferralAssigned {
            referral_id,
            hospital_id,
        } => assign(conn, by, *referral_id, *hospital_id).await,
        OpBody::ReferralClaimed { tracking_code } => claim(conn, by, tracking_code).await,
        OpBody::Team(op) => crate::services::teams::device::apply(conn, by, op).await,
        OpBody::DischargeRequestAnswered(a) => {
            crate::services::discharge_requests::answer(conn, by, a).await
        }
        OpBody::IntakeSent(r) => {
            crate::services::intake_requests::sent_by_device(conn, by, r).await
        }
        OpBody::IntakeAnswered(a) => {
            crate::services::intake_requests::answered_by_device(conn, by, a).await
        }
        OpBody::IntakeWithdrawn { request_id } => {
            crate::services::intake_requests::withdrawn_by_device(conn, by, *request_id).await
        }
        OpBody::LetterRevised {
            referral_id,
            version,
            letter,
        } => {
            crate::services::referrals::documents::letter_revised(
                conn,
                by,
                *referral_id,
                *version,
                letter,
            )
            .await
        }
    }
}

/// Which organisations may push which operations: the clinic shares its
/// patients, consents and referrals; the desk assigns; hospitals claim.
/// Events are authorised per referral, by `referral_access`.
fn authorise(by: &Actor, body: &OpBody) -> Result<(), Failure> {
    let (needed, refusal) = match body {
        OpBody::PatientShared { .. }
        | OpBody::ConsentRecorded { .. }
        | OpBody::ReferralOpened { .. } => {
            (OrgKind::Clinic, "この操作は診療所の端末からのみ行えます")
        }
        OpBody::ReferralAssigned { .. } => {
            (OrgKind::Desk, "この操作は相談窓口の端末からのみ行えます")
        }
        OpBody::ReferralClaimed { .. } => {
            (OrgKind::Hospital, "この操作は病院の端末からのみ行えます")
        }
        OpBody::Team(_)
        | OpBody::DischargeRequestAnswered(_)
        | OpBody::IntakeSent(_)
        | OpBody::IntakeAnswered(_)
        | OpBody::IntakeWithdrawn { .. }
        | OpBody::LetterRevised { .. } => {
            (OrgKind::Clinic, "この操作は診療所の端末からのみ行えます")
        }
        OpBody::EventAppended { .. } => return Ok(()),
    };
    if by.organisation.kind != needed {
        return Err(refuse(refusal));
    }
    Ok(())
}

async fn share_patient(
    conn: &mut PgConnection,
    by: &Actor,
    patient: &Patient<'_>,
) -> Result<(), Failure> {
    let owner = db::referrals::patient_owner(conn, patient.id).await?;
    if owner.is_some_and(|o| o != patient.clinic) {
        return Err(refuse("他の医療機関の患者です"));
    }
    // The identity is kept only under a consent in force; before the
    // consent arrives (clinics send the patient first) it travels in the
    // clinic's own feed only, and is taken from there when it does.
    let consented = db::referrals::consent_in_force(conn, patient.id).await?;
    db::referrals::upsert_patient(conn, patient, consented).await?;
    let id = patient.id.to_string();
    audit::record(conn, &by.audit, "share-patient", "patient", &id).await?;
    let change = ChangeBody::PatientShared {
        patient_id: patient.id,
        name: patient.name.to_string(),
        kana: patient.kana.to_string(),
        birth_date: patient.birth_date,
        sex: patient.sex.to_string(),
    };
    Ok(db::feed::append(conn, Scope::Org(patient.clinic), None, &change).await?)
}

async fn record_consent(conn: &mut PgConnection, by: &Actor, body: &OpBody) -> Result<(), Failure> {
    let OpBody::ConsentRecorded {
        consent_id,
        patient_id,
        obtained_on,
        obtained_by,
        desk,
        destination_hospital,
        withdrawn_on,
        team,
        family,
        preregistration,
        preregistered_with,
    } = body
    else {
        unreachable!("apply hands over consents only");
    };
    let clinic = by.organisation.id;
    if db::referrals::patient_owner(conn, *patient_id).await? != Some(clinic) {
        return Err(refuse("同意の対象の患者が共有されていません"));
    }
    let consent = Consent {
        id: *consent_id,
        patient: *patient_id,
        clinic,
        obtained_on: *obtained_on,
        obtained_by,
        desk: *desk,
        destination_hospital: *destination_hospital,
        withdrawn_on: *withdrawn_on,
        team: *team,
        family: family
            .as_ref()
            .map(|f| (f.name.as_str(), f.relation.as_str())),
        preregistration: *preregistration,
        preregistered_with,
    };
    if !db::referrals::upsert_consent(conn, &consent).await? {
        return Err(refuse("この同意の記録は他の医療機関のものです"));
    }
    keep_identity_by_consent(conn, clinic, *patient_id).await?;
    if *preregistration {
        db::referrals::fill_missing_keys(conn, *patient_id).await?;
    }
    // The clinic's other devices hold back or share by it.
    let change = ChangeBody::ConsentRecorded {
        consent_id: *consent_id,
        patient_id: *patient_id,
        obtained_on: *obtained_on,
        obtained_by: obtained_by.clone(),
        desk: *desk,
        destination_hospital: *destination_hospital,
        withdrawn_on: *withdrawn_on,
        team: *team,
        family: family.clone(),
        preregistration: *preregistration,
        preregistered_with: preregistered_with.clone(),
    };
    db::feed::append(conn, Scope::Org(clinic), None, &change).await?;
    let action = if withdrawn_on.is_some() {
        "withdraw-consent"
    } else {
        "record-consent"
    };
    let id = patient_id.to_string();
    Ok(audit::record(conn, &by.audit, action, "patient", &id).await?)
}

/// The patient's identity follows the consent (ADR 0015): removed when no
/// consent is in force any more, taken from what the clinic last shared
/// when one comes into force.
async fn keep_identity_by_consent(
    conn: &mut PgConnection,
    clinic: Uuid,
    patient: Uuid,
) -> Result<(), Failure> {
    if !db::referrals::consent_in_force(conn, patient).await? {
        return Ok(db::referrals::forget_identity(conn, patient).await?);
    }
    if db::referrals::has_identity(conn, patient).await? {
        return Ok(());
    }
    let shared =
        db::feed::latest_about_patient(conn, Scope::Org(clinic), "patient_shared", patient).await?;
    let Some(shared) = shared else {
        return Ok(());
    };
    let Ok(ChangeBody::PatientShared {
        name,
        kana,
        birth_date,
        sex,
        ..
    }) = serde_json::from_value(shared)
    else {
        return Ok(());
    };
    let identity = Patient {
        id: patient,
        clinic,
        name: &name,
        kana: &kana,
        birth_date,
        sex: &sex,
    };
    Ok(db::referrals::upsert_patient(conn, &identity, true).await?)
}

/// A referral as a clinic opens it, with its 紹介済 event.
struct Opened<'a> {
    referral: Uuid,
    patient: Uuid,
    tracking_code: &'a str,
    destination: Option<Uuid>,
    sent: &'a WireEvent,
    letter: Option<&'a WireLetterSummary>,
}

async fn open_referral(conn: &mut PgConnection, by: &Actor, o: Opened<'_>) -> Result<(), Failure> {
    let clinic = by.organisation.id;
    if db::referrals::patient_owner(conn, o.patient).await? != Some(clinic) {
        return Err(refuse("紹介の対象の患者が共有されていません"));
    }
    if !db::referrals::consent_in_force(conn, o.patient).await? {
        return Err(refuse(
            "患者の同意が記録されていないため、紹介を共有できません",
        ));
    }
    if !matches!(o.sent.details, Some(WireEventDetails::Sent { .. })) {
        return Err(refuse("紹介は「紹介済」の記録から始まります"));
    }
    let hospital = match o.destination {
        Some(id) => registered_hospital(conn, id).await?,
        None => None,
    };
    let sent = o.sent.id;
    if db::referrals::already_opened(conn, o.referral, clinic, o.tracking_code, sent).await? {
        // Sent before, its answer lost (or re-sent after consent was
        // given again): the same referral is not opened twice.
        return Ok(());
    }
    let new = NewReferral {
        id: o.referral,
        clinic,
        patient: o.patient,
        tracking_code: o.tracking_code,
        hospital,
        letter: o.letter.map(db::json).transpose()?,
    };
    let Some(recorded_at) = db::referrals::insert(conn, new).await? else {
        return Err(refuse("同じ紹介または追跡コードが既にあります"));
    };
    if let Some(hospital) = hospital {
        db::referrals::add_leg(conn, o.referral, hospital, "addressed").await?;
        office_joins(conn, o.referral, hospital, stay_actor(by)).await?;
    }
    let change = ChangeBody::ReferralOpened {
        referral_id: o.referral,
        patient_id: o.patient,
        tracking_code: o.tracking_code.to_string(),
        recorded_at,
        without_letter: false,
    };
    db::feed::append(conn, Scope::Org(clinic), Some(o.referral), &change).await?;
    append_event(conn, &by.recorder(), o.referral, o.sent).await
}

async fn append_pushed_event(
    conn: &mut PgConnection,
    by: &Actor,
    referral: Uuid,
    event: &WireEvent,
) -> Result<(), Failure> {
    if referral_access(conn, referral, &by.organisation).await? != Some(true) {
        return Err(refuse("この紹介に記録する権限がありません"));
    }
    if matches!(event.details, Some(WireEventDetails::Sent { .. })) {
        return Err(refuse("「紹介済」は紹介状の発行で記録されます"));
    }
    if matches!(
        event.details,
        Some(WireEventDetails::AdmittedWithoutLetter { .. })
    ) {
        return Err(refuse(
            "「紹介状なし入院」は病院の地域連携室が事前登録の検索から記録します",
        ));
    }
    append_event(conn, &by.recorder(), referral, event).await
}

async fn assign(
    conn: &mut PgConnection,
    by: &Actor,
    referral: Uuid,
    hospital: Uuid,
) -> Result<(), Failure> {
    if referral_access(conn, referral, &by.organisation).await? != Some(true) {
        return Err(refuse("この紹介に記録する権限がありません"));
    }
    let Some(hospital) = registered_hospital(conn, hospital).await? else {
        return Err(refuse("地域連携サーバーに登録されていない病院です"));
    };
    hand_to_hospital(conn, by, referral, hospital, "assigned").await
}
