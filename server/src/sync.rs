//! Push and pull (DESIGN.md §3). A pushed operation is authorised from the
//! device's credential, validated (the referral status machine runs here
//! too), applied, appended to the change feed of every scope that may see
//! it, and remembered by `(device, op_seq)` — all in one transaction, so a
//! repeated push is harmless and a dropped one changes nothing.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use tsunagu_domain::{EventDetails, ReferralEvent, check_append};
use tsunagu_protocol::{
    Change, ChangeBody, OpBody, OpOutcome, OpResult, Operation, OrgKind, Organisation, PullRequest,
    PullResponse, PushRequest, PushResponse, WireEvent, WireEventDetails, WireSource,
    decode_request,
};
use uuid::Uuid;

use crate::api::{Device, ServerState};
use crate::error::ApiError;

/// The change feed a device reads: its organisation's, or the desk's.
pub fn scope_of(organisation: &Organisation) -> String {
    match organisation.kind {
        OrgKind::Desk => "desk".to_string(),
        OrgKind::Clinic | OrgKind::Hospital => format!("org:{}", organisation.id),
    }
}

pub async fn push(
    State(state): State<ServerState>,
    device: Device,
    body: Bytes,
) -> Result<Json<PushResponse>, ApiError> {
    let request: PushRequest = decode_request(&body)?;
    let mut results = Vec::with_capacity(request.ops.len());
    for op in request.ops {
        results.push(apply_once(&state.pool, &device, op).await?);
    }
    Ok(Json(PushResponse { results }))
}

/// Who records a change: an enrolled device (sync) or a portal user, of
/// an organisation.
pub(crate) struct Actor {
    pub organisation: Organisation,
    /// Shown with each event: the organisation and the device or person.
    pub label: String,
    /// In the audit log: `device:<id>` or `user:<id>`.
    pub audit: String,
}

impl From<&Device> for Actor {
    fn from(device: &Device) -> Self {
        Actor {
            organisation: device.organisation.clone(),
            label: format!("{} {}", device.organisation.name, device.name),
            audit: device_actor(device),
        }
    }
}

/// Why an operation is refused: told to the client, which shows it as a
/// conflict. No patient data in it.
pub(crate) struct Refusal(pub String);

pub(crate) enum Failure {
    Refused(Refusal),
    Database(sqlx::Error),
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Self {
        Failure::Database(e)
    }
}

pub(crate) fn refuse(reason: &str) -> Failure {
    Failure::Refused(Refusal(reason.to_string()))
}

async fn apply_once(pool: &PgPool, device: &Device, op: Operation) -> Result<OpResult, ApiError> {
    let mut tx = pool.begin().await?;
    // Two pushes of the same operation wait for each other here.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(format!("{}:{}", device.id, op.op_seq))
        .execute(&mut *tx)
        .await?;
    let earlier: Option<serde_json::Value> =
        sqlx::query_scalar("SELECT result FROM applied_ops WHERE device_id = $1 AND op_seq = $2")
            .bind(device.id)
            .bind(op.op_seq)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(result) = earlier {
        tx.rollback().await?;
        let outcome = serde_json::from_value(result).map_err(|_| {
            ApiError::new(
                tsunagu_protocol::ErrorCode::Internal,
                "サーバーのデータに問題があります。",
            )
        })?;
        return Ok(OpResult {
            op_seq: op.op_seq,
            outcome,
        });
    }
    // A refused operation leaves nothing but its remembered refusal.
    sqlx::query("SAVEPOINT operation").execute(&mut *tx).await?;
    let guessing = matches!(op.body, OpBody::ReferralClaimed { .. })
        && claims_missed_lately(&mut tx, device.id).await? >= MAX_CLAIM_MISSES;
    let applied = if guessing {
        Err(refuse(
            "見つからない追跡コードが続いたため、しばらく受け付けません。15分ほど待ってから、紹介状の追跡コードを確かめてください",
        ))
    } else {
        apply(&mut tx, &Actor::from(device), &op.body).await
    };
    let outcome = match applied {
        Ok(()) => OpOutcome::Applied,
        Err(Failure::Refused(Refusal(reason))) => {
            sqlx::query("ROLLBACK TO SAVEPOINT operation")
                .execute(&mut *tx)
                .await?;
            if matches!(op.body, OpBody::ReferralClaimed { .. }) {
                sqlx::query("INSERT INTO claim_misses (device_id) VALUES ($1)")
                    .bind(device.id)
                    .execute(&mut *tx)
                    .await?;
            }
            OpOutcome::Refused { reason }
        }
        Err(Failure::Database(e)) => return Err(e.into()),
    };
    let stored = serde_json::to_value(&outcome).expect("outcomes serialise");
    sqlx::query("INSERT INTO applied_ops (device_id, op_seq, result) VALUES ($1, $2, $3)")
        .bind(device.id)
        .bind(op.op_seq)
        .bind(stored)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(OpResult {
        op_seq: op.op_seq,
        outcome,
    })
}

async fn apply(conn: &mut PgConnection, by: &Actor, body: &OpBody) -> Result<(), Failure> {
    crate::op_rules::check(body)?;
    let org = &by.organisation;
    let clinic_only = || refuse("この操作は診療所の端末からのみ行えます");
    match body {
        OpBody::PatientShared {
            patient_id,
            name,
            kana,
            birth_date,
            sex,
        } => {
            if org.kind != OrgKind::Clinic {
                return Err(clinic_only());
            }
            let owner = patient_owner(conn, *patient_id).await?;
            if owner.is_some_and(|o| o != org.id) {
                return Err(refuse("他の医療機関の患者です"));
            }
            // Last writer wins, field by field (all fields travel together).
            sqlx::query(
                "INSERT INTO patients (id, clinic_id, name, kana, birth_date, sex)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (id) DO UPDATE SET name = $3, kana = $4, birth_date = $5,
                   sex = $6, updated_at = now()",
            )
            .bind(patient_id)
            .bind(org.id)
            .bind(name)
            .bind(kana)
            .bind(birth_date)
            .bind(sex)
            .execute(&mut *conn)
            .await?;
            crate::admin::audit(
                &mut *conn,
                &by.audit,
                "share-patient",
                "patient",
                &patient_id.to_string(),
            )
            .await?;
            let change = ChangeBody::PatientShared {
                patient_id: *patient_id,
                name: name.clone(),
                kana: kana.clone(),
                birth_date: *birth_date,
                sex: sex.clone(),
            };
            Ok(feed(conn, &format!("org:{}", org.id), None, &change).await?)
        }
        OpBody::ConsentRecorded {
            consent_id,
            patient_id,
            obtained_on,
            obtained_by,
            desk,
            destination_hospital,
            withdrawn_on,
        } => {
            if org.kind != OrgKind::Clinic {
                return Err(clinic_only());
            }
            if patient_owner(conn, *patient_id).await? != Some(org.id) {
                return Err(refuse("同意の対象の患者が共有されていません"));
            }
            let stored = sqlx::query(
                "INSERT INTO consents (id, patient_id, clinic_id, obtained_on, obtained_by, desk,
                   destination_hospital, withdrawn_on)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (id) DO UPDATE SET obtained_on = $4, obtained_by = $5, desk = $6,
                   destination_hospital = $7, withdrawn_on = $8, updated_at = now()
                 WHERE consents.clinic_id = $3 AND consents.patient_id = $2",
            )
            .bind(consent_id)
            .bind(patient_id)
            .bind(org.id)
            .bind(obtained_on)
            .bind(obtained_by)
            .bind(desk)
            .bind(destination_hospital)
            .bind(withdrawn_on)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            if stored == 0 {
                return Err(refuse("この同意の記録は他の医療機関のものです"));
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
            };
            feed(conn, &format!("org:{}", org.id), None, &change).await?;
            let action = if withdrawn_on.is_some() {
                "withdraw-consent"
            } else {
                "record-consent"
            };
            crate::admin::audit(
                &mut *conn,
                &by.audit,
                action,
                "patient",
                &patient_id.to_string(),
            )
            .await?;
            Ok(())
        }
        OpBody::ReferralOpened {
            referral_id,
            patient_id,
            tracking_code,
            destination,
            sent,
            letter,
        } => {
            if org.kind != OrgKind::Clinic {
                return Err(clinic_only());
            }
            if patient_owner(conn, *patient_id).await? != Some(org.id) {
                return Err(refuse("紹介の対象の患者が共有されていません"));
            }
            if !consent_in_force(conn, *patient_id).await? {
                return Err(refuse(
                    "患者の同意が記録されていないため、紹介を共有できません",
                ));
            }
            if !matches!(sent.details, Some(WireEventDetails::Sent { .. })) {
                return Err(refuse("紹介は「紹介済」の記録から始まります"));
            }
            let hospital = match destination {
                Some(id) => registered_hospital(conn, *id).await?,
                None => None,
            };
            if already_opened(conn, *referral_id, org.id, tracking_code, sent.id).await? {
                // Sent before, its answer lost (or re-sent after consent was
                // given again): the same referral is not opened twice.
                return Ok(());
            }
            let recorded_at: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
                "INSERT INTO referrals (id, clinic_id, patient_id, tracking_code, hospital_id, letter)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING created_at",
            )
            .bind(referral_id)
            .bind(org.id)
            .bind(patient_id)
            .bind(tracking_code)
            .bind(hospital)
            .bind(
                letter
                    .as_ref()
                    .map(|l| serde_json::to_value(l).expect("letters serialise")),
            )
            .fetch_optional(&mut *conn)
            .await?;
            let Some(recorded_at) = recorded_at else {
                return Err(refuse("同じ紹介または追跡コードが既にあります"));
            };
            if let Some(hospital) = hospital {
                add_leg(conn, *referral_id, hospital, "addressed").await?;
            }
            let change = ChangeBody::ReferralOpened {
                referral_id: *referral_id,
                patient_id: *patient_id,
                tracking_code: tracking_code.clone(),
                recorded_at,
            };
            feed(
                conn,
                &format!("org:{}", org.id),
                Some(*referral_id),
                &change,
            )
            .await?;
            append_event(conn, by, *referral_id, sent).await
        }
        OpBody::EventAppended { referral_id, event } => {
            let Some(access) = referral_access(conn, *referral_id, org).await? else {
                return Err(refuse("この紹介に記録する権限がありません"));
            };
            if !access {
                return Err(refuse("この紹介に記録する権限がありません"));
            }
            if matches!(event.details, Some(WireEventDetails::Sent { .. })) {
                return Err(refuse("「紹介済」は紹介状の発行で記録されます"));
            }
            append_event(conn, by, *referral_id, event).await
        }
        OpBody::ReferralAssigned {
            referral_id,
            hospital_id,
        } => {
            if org.kind != OrgKind::Desk {
                return Err(refuse("この操作は相談窓口の端末からのみ行えます"));
            }
            if referral_access(conn, *referral_id, org).await? != Some(true) {
                return Err(refuse("この紹介に記録する権限がありません"));
            }
            let Some(hospital) = registered_hospital(conn, *hospital_id).await? else {
                return Err(refuse("地域連携サーバーに登録されていない病院です"));
            };
            hand_to_hospital(conn, by, *referral_id, hospital, "assigned").await
        }
        OpBody::ReferralClaimed { tracking_code } => {
            if org.kind != OrgKind::Hospital {
                return Err(refuse("この操作は病院の端末からのみ行えます"));
            }
            claim(conn, by, tracking_code).await
        }
    }
}

/// Claims that found nothing, per device within 15 minutes, before its
/// claims are refused for a while: with 2^40 codes, guessing one takes far
/// longer than anyone has.
pub const MAX_CLAIM_MISSES: i64 = 10;

async fn claims_missed_lately(conn: &mut PgConnection, device: Uuid) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT count(*) FROM claim_misses
         WHERE device_id = $1 AND at > now() - make_interval(mins => 15)",
    )
    .bind(device)
    .fetch_one(conn)
    .await
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
    let row: Option<(Uuid, Option<Uuid>, bool)> = sqlx::query_as(
        "SELECT r.id, r.hospital_id,
           EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = r.patient_id
                   AND c.withdrawn_on IS NULL AND c.destination_hospital)
         FROM referrals r WHERE r.tracking_code = $1 FOR UPDATE OF r",
    )
    .bind(code.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((referral, current, _)) = row.filter(|(_, _, consented)| *consented) else {
        return Err(not_found());
    };
    let hospital = by.organisation.id;
    if current == Some(hospital) {
        return Ok(());
    }
    // Held by another hospital: a transfer to a registered hospital hands
    // it over at once, and one to an unregistered hospital lets it go, so a
    // held referral is never for a third hospital to take.
    if current.is_some() {
        return Err(refuse(
            "この紹介は別の病院が担当しています。転院を受けた場合は、転院元か相談窓口に連絡してください",
        ));
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
    sqlx::query("UPDATE referrals SET hospital_id = $2 WHERE id = $1")
        .bind(referral)
        .bind(hospital)
        .execute(&mut *conn)
        .await?;
    add_leg(conn, referral, hospital, how).await?;
    crate::admin::audit(
        &mut *conn,
        &by.audit,
        how,
        "referral",
        &referral.to_string(),
    )
    .await?;
    let (clinic, name, desk_consent): (Uuid, String, bool) = sqlx::query_as(
        "SELECT r.clinic_id, o.name,
           EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = r.patient_id
                   AND c.withdrawn_on IS NULL AND c.desk)
         FROM referrals r, organisations o WHERE r.id = $1 AND o.id = $2",
    )
    .bind(referral)
    .bind(hospital)
    .fetch_one(&mut *conn)
    .await?;
    let change = ChangeBody::ReferralAssigned {
        referral_id: referral,
        organisation: Organisation {
            id: hospital,
            name,
            kind: OrgKind::Hospital,
        },
    };
    feed(conn, &format!("org:{clinic}"), Some(referral), &change).await?;
    if desk_consent {
        feed(conn, "desk", Some(referral), &change).await?;
    }
    #[derive(sqlx::FromRow)]
    struct StoredEvent {
        id: Uuid,
        details: Option<serde_json::Value>,
        voids: Option<Uuid>,
        note: String,
        source: String,
        actor: String,
        recorded_at: chrono::DateTime<chrono::Utc>,
    }
    let events: Vec<StoredEvent> = sqlx::query_as(
        "SELECT id, details, voids, note, source, actor, recorded_at FROM referral_events
         WHERE referral_id = $1 ORDER BY seq",
    )
    .bind(referral)
    .fetch_all(&mut *conn)
    .await?;
    let scope = format!("org:{hospital}");
    for StoredEvent {
        id,
        details,
        voids,
        note,
        source,
        actor,
        recorded_at,
    } in events
    {
        let details = details
            .map(serde_json::from_value::<WireEventDetails>)
            .transpose()
            .map_err(|_| refuse("この紹介の記録を読めません"))?;
        let change = ChangeBody::EventAppended {
            referral_id: referral,
            event: WireEvent {
                id,
                details,
                voids,
                note,
            },
            source: match source.as_str() {
                "desk" => WireSource::Desk,
                "liaison" => WireSource::Liaison,
                _ => WireSource::Clinic,
            },
            actor,
            recorded_at,
        };
        feed(conn, &scope, Some(referral), &change).await?;
    }
    Ok(())
}

async fn add_leg(
    conn: &mut PgConnection,
    referral: Uuid,
    hospital: Uuid,
    how: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO referral_legs (referral_id, hospital_id, how) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
    )
    .bind(referral)
    .bind(hospital)
    .bind(how)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether this clinic already opened this referral, with this code and
/// this 紹介済 event.
async fn already_opened(
    conn: &mut PgConnection,
    referral: Uuid,
    clinic: Uuid,
    tracking_code: &str,
    sent: Uuid,
) -> Result<bool, Failure> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM referrals r JOIN referral_events e ON e.referral_id = r.id
           WHERE r.id = $1 AND r.clinic_id = $2 AND r.tracking_code = $3 AND e.id = $4)",
    )
    .bind(referral)
    .bind(clinic)
    .bind(tracking_code)
    .bind(sent)
    .fetch_one(conn)
    .await?)
}

async fn patient_owner(conn: &mut PgConnection, patient: Uuid) -> Result<Option<Uuid>, Failure> {
    Ok(
        sqlx::query_scalar("SELECT clinic_id FROM patients WHERE id = $1")
            .bind(patient)
            .fetch_optional(conn)
            .await?,
    )
}

async fn consent_in_force(conn: &mut PgConnection, patient: Uuid) -> Result<bool, Failure> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM consents WHERE patient_id = $1 AND withdrawn_on IS NULL
           AND (desk OR destination_hospital))",
    )
    .bind(patient)
    .fetch_one(conn)
    .await?)
}

pub(crate) async fn registered_hospital(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Uuid>, Failure> {
    Ok(
        sqlx::query_scalar("SELECT id FROM organisations WHERE id = $1 AND kind = 'hospital'")
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// `None` if there is no such referral; otherwise whether `org` may record
/// on it: the clinic that made it, the hospital it is with now (with
/// consent in force; a hospital that transferred the patient on, or that
/// the desk re-assigned it from, no longer may), or the desk (with consent
/// in force).
pub(crate) async fn referral_access(
    conn: &mut PgConnection,
    referral: Uuid,
    org: &Organisation,
) -> Result<Option<bool>, Failure> {
    let row: Option<(Uuid, bool, bool, bool)> = sqlx::query_as(
        "SELECT r.clinic_id, r.hospital_id IS NOT DISTINCT FROM $2,
           EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = r.patient_id
                   AND c.withdrawn_on IS NULL AND c.desk),
           EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = r.patient_id
                   AND c.withdrawn_on IS NULL AND c.destination_hospital)
         FROM referrals r WHERE r.id = $1 FOR UPDATE OF r",
    )
    .bind(referral)
    .bind(org.id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(
        |(clinic, has_leg, desk_consent, hospital_consent)| match org.kind {
            OrgKind::Clinic => clinic == org.id,
            OrgKind::Hospital => has_leg && hospital_consent,
            OrgKind::Desk => desk_consent,
        },
    ))
}

/// Checks `event` against the referral's history with the status machine,
/// stores it, and feeds it to every scope that may see it. The referral row
/// is locked (FOR UPDATE above, or just inserted), so appends to one
/// referral are serialised.
pub(crate) async fn append_event(
    conn: &mut PgConnection,
    by: &Actor,
    referral: Uuid,
    event: &WireEvent,
) -> Result<(), Failure> {
    let owner: Option<Uuid> =
        sqlx::query_scalar("SELECT referral_id FROM referral_events WHERE id = $1")
            .bind(event.id)
            .fetch_optional(&mut *conn)
            .await?;
    match owner {
        // The same event again (its first answer was lost): already there.
        Some(owner) if owner == referral => return Ok(()),
        Some(_) => return Err(refuse("同じ記録が既にあります")),
        None => {}
    }
    crate::op_rules::event(event)?;
    if let Some(target) = event.voids {
        let recorded_by: Option<Uuid> = sqlx::query_scalar(
            "SELECT organisation_id FROM referral_events WHERE id = $1 AND referral_id = $2",
        )
        .bind(target)
        .bind(referral)
        .fetch_optional(&mut *conn)
        .await?;
        if recorded_by.is_some_and(|o| o != by.organisation.id) {
            return Err(refuse(
                "他の機関が記録した内容は取り消せません。記録した機関に連絡してください",
            ));
        }
    }
    let events = load_history(conn, referral).await?;
    let candidate = domain_event(
        event.id,
        event.details.clone().map(EventDetails::from),
        event.voids,
    );
    if let Err(e) = check_append(&events, &candidate) {
        return Err(refuse(&format!("記録できません：{e}")));
    }
    let org = &by.organisation;
    let source = match org.kind {
        OrgKind::Clinic => WireSource::Clinic,
        OrgKind::Hospital => WireSource::Liaison,
        OrgKind::Desk => WireSource::Desk,
    };
    let actor = by.label.clone();
    let recorded_at: chrono::DateTime<chrono::Utc> = sqlx::query_scalar(
        "INSERT INTO referral_events (id, referral_id, details, voids, note, source,
           organisation_id, actor)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING recorded_at",
    )
    .bind(event.id)
    .bind(referral)
    .bind(
        event
            .details
            .as_ref()
            .map(|d| serde_json::to_value(d).expect("details serialise")),
    )
    .bind(event.voids)
    .bind(&event.note)
    .bind(source_code(source))
    .bind(org.id)
    .bind(&actor)
    .fetch_one(&mut *conn)
    .await?;
    crate::admin::audit(
        &mut *conn,
        &by.audit,
        "append-event",
        "referral",
        &referral.to_string(),
    )
    .await?;
    let change = ChangeBody::EventAppended {
        referral_id: referral,
        event: event.clone(),
        source,
        actor,
        recorded_at,
    };
    for scope in scopes_seeing(conn, referral).await? {
        feed(conn, &scope, Some(referral), &change).await?;
    }
    if matches!(event.details, Some(WireEventDetails::Transferred { .. })) {
        // The hospital the patient left no longer holds the referral; the
        // new one is handed it (a registered hospital chosen in the
        // portal) or claims it with the tracking code.
        sqlx::query("UPDATE referrals SET hospital_id = NULL WHERE id = $1")
            .bind(referral)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

fn domain_event(id: Uuid, details: Option<EventDetails>, voids: Option<Uuid>) -> ReferralEvent {
    ReferralEvent {
        id: id.to_string(),
        details,
        voids: voids.map(|v| v.to_string()),
    }
}

/// The referral's events, oldest first, as the status machine reads them.
pub(crate) async fn load_history(
    conn: &mut PgConnection,
    referral: Uuid,
) -> Result<Vec<ReferralEvent>, Failure> {
    let rows: Vec<(Uuid, Option<serde_json::Value>, Option<Uuid>)> = sqlx::query_as(
        "SELECT id, details, voids FROM referral_events WHERE referral_id = $1 ORDER BY seq",
    )
    .bind(referral)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(id, details, voids)| {
            let details = details
                .map(serde_json::from_value::<WireEventDetails>)
                .transpose()
                .map_err(|_| refuse("この紹介の記録を読めません"))?
                .map(EventDetails::from);
            Ok(domain_event(id, details, voids))
        })
        .collect()
}

/// Who a device is in the audit log.
fn device_actor(device: &Device) -> String {
    format!("device:{}", device.id)
}

fn source_code(source: WireSource) -> &'static str {
    match source {
        WireSource::Clinic => "clinic",
        WireSource::Desk => "desk",
        WireSource::Liaison => "liaison",
    }
}

/// The clinic always; the desk and the hospital the referral is with while
/// the patient's consent covers them.
async fn scopes_seeing(conn: &mut PgConnection, referral: Uuid) -> Result<Vec<String>, Failure> {
    let (clinic, hospital, desk, to_hospital): (Uuid, Option<Uuid>, bool, bool) = sqlx::query_as(
        "SELECT r.clinic_id, r.hospital_id,
           EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = r.patient_id
                   AND c.withdrawn_on IS NULL AND c.desk),
           EXISTS (SELECT 1 FROM consents c WHERE c.patient_id = r.patient_id
                   AND c.withdrawn_on IS NULL AND c.destination_hospital)
         FROM referrals r WHERE r.id = $1",
    )
    .bind(referral)
    .fetch_one(&mut *conn)
    .await?;
    let mut scopes = vec![format!("org:{clinic}")];
    if desk {
        scopes.push("desk".to_string());
    }
    if let Some(hospital) = hospital.filter(|_| to_hospital) {
        scopes.push(format!("org:{hospital}"));
    }
    Ok(scopes)
}

/// Appends to a scope's feed with the next number from its counter row.
/// The row stays locked until this transaction commits, so numbers are
/// handed out, and become visible, in commit order with no gaps.
pub(crate) async fn feed<T: Serialize>(
    conn: &mut PgConnection,
    scope: &str,
    referral: Option<Uuid>,
    body: &T,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO scope_counters (scope) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(scope)
        .execute(&mut *conn)
        .await?;
    let seq: i64 = sqlx::query_scalar(
        "UPDATE scope_counters SET last = last + 1 WHERE scope = $1 RETURNING last",
    )
    .bind(scope)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO change_log (scope, seq, referral_id, body) VALUES ($1, $2, $3, $4)")
        .bind(scope)
        .bind(seq)
        .bind(referral)
        .bind(serde_json::to_value(body).expect("changes serialise"))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The device's scope after its cursor, a page at a time. For the desk and
/// hospitals, referrals whose consent was withdrawn are no longer shown.
pub async fn pull(
    State(state): State<ServerState>,
    device: Device,
    body: Bytes,
) -> Result<Json<PullResponse>, ApiError> {
    let request: PullRequest = decode_request(&body)?;
    let scope = scope_of(&device.organisation);
    let limit = i64::from(request.limit.max(1));
    let consent_filter = match device.organisation.kind {
        OrgKind::Clinic => "TRUE",
        OrgKind::Desk => {
            "EXISTS (SELECT 1 FROM referrals r JOIN consents c ON c.patient_id = r.patient_id
              WHERE r.id = l.referral_id AND c.withdrawn_on IS NULL AND c.desk)"
        }
        OrgKind::Hospital => {
            "EXISTS (SELECT 1 FROM referrals r JOIN consents c ON c.patient_id = r.patient_id
              WHERE r.id = l.referral_id AND c.withdrawn_on IS NULL AND c.destination_hospital)"
        }
    };
    let sql = format!(
        "SELECT l.seq, l.body, l.referral_id, l.referral_id IS NULL OR {consent_filter}
         FROM change_log l WHERE l.scope = $1 AND l.seq > $2 ORDER BY l.seq LIMIT $3"
    );
    let rows: Vec<(i64, serde_json::Value, Option<Uuid>, bool)> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(&scope)
            .bind(request.cursor)
            .bind(limit + 1)
            .fetch_all(&state.pool)
            .await?;
    let more = rows.len() as i64 > limit;
    let mut cursor = request.cursor;
    let mut changes = Vec::new();
    let mut read = std::collections::BTreeSet::new();
    for (seq, body, referral, visible) in rows.into_iter().take(limit as usize) {
        cursor = seq;
        if visible {
            let body: ChangeBody = serde_json::from_value(body).map_err(|_| {
                ApiError::new(
                    tsunagu_protocol::ErrorCode::Internal,
                    "サーバーのデータに問題があります。",
                )
            })?;
            if body.since_version() <= request.version {
                read.extend(referral);
                changes.push(Change { seq, body });
            }
        }
    }
    // Who read which referral: one row per referral in the page.
    if !read.is_empty() {
        let ids: Vec<String> = read.iter().map(Uuid::to_string).collect();
        sqlx::query(
            "INSERT INTO audit_log (actor, action, entity_kind, entity_id)
             SELECT $1, 'read', 'referral', id FROM unnest($2::text[]) AS id",
        )
        .bind(device_actor(&device))
        .bind(&ids)
        .execute(&state.pool)
        .await?;
    }
    Ok(Json(PullResponse {
        changes,
        cursor,
        more,
    }))
}
