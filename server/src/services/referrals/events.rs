//! Appending an event to a referral, whichever way it arrives (pushed by
//! a device or recorded in the portal): checked against the history with
//! the domain's status machine, stored, audited and fed.

use sqlx::PgConnection;
use tsunagu_domain::team::{office_on_team, office_stays};
use tsunagu_domain::{EventDetails, ReferralEvent, check_append, replay};
use tsunagu_protocol::{ChangeBody, WireEvent, WireEventDetails};
use uuid::Uuid;

use crate::db;
use crate::db::events::NewEvent;
use crate::model::source_code;
use crate::services::actor::{Failure, Recorder, refuse};
use crate::services::audit;
use crate::services::referrals::access::scopes_seeing;
use crate::services::sync::rules;
use crate::services::teams::hospital_stay::{StayActor, office_joins, office_leaves};
use crate::services::teams::timeline::{self, ReferralLine};

/// Checks `event` against the referral's history with the status machine,
/// stores it, and feeds it to every scope that may see it. The referral row
/// is locked (by `referral_access`, or just inserted), so appends to one
/// referral are serialised.
pub(crate) async fn append_event(
    conn: &mut PgConnection,
    by: &Recorder<'_>,
    referral: Uuid,
    event: &WireEvent,
) -> Result<(), Failure> {
    match db::events::referral_of(conn, event.id).await? {
        // The same event again (its first answer was lost): already there.
        Some(owner) if owner == referral => return Ok(()),
        Some(_) => return Err(refuse("同じ記録が既にあります")),
        None => {}
    }
    rules::event(event)?;
    if let Some(target) = event.voids {
        let recorded_by = db::events::recorded_by(conn, target, referral).await?;
        if recorded_by.is_some_and(|o| o != by.organisation) {
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
    let after = match check_append(&events, &candidate) {
        Ok(state) => state,
        Err(e) => return Err(refuse(&format!("記録できません：{e}"))),
    };
    // The hospital's office leaves the team when the patient leaves its
    // care; who held the referral is read before a transfer lets it go.
    let leaving = match &candidate.details {
        Some(details) if !office_stays(details, &after) => {
            db::referrals::reach(conn, referral).await?.hospital
        }
        _ => None,
    };
    // A void that brings the patient back into the hospital's care (a
    // discharge recorded in error) brings its office back too.
    let returning = match candidate.voids {
        Some(_) if office_on_team(&after) => db::referrals::reach(conn, referral).await?.hospital,
        _ => None,
    };
    store_and_feed(conn, by, referral, event).await?;
    let actor = StayActor {
        label: by.label,
        audit: by.audit,
    };
    if let Some(hospital) = leaving {
        office_leaves(conn, referral, hospital, actor).await?;
    }
    if let Some(hospital) = returning {
        office_joins(conn, referral, hospital, actor).await?;
    }
    on_the_timeline(conn, by, referral, &events, &candidate).await
}

/// The event's line on the patient's team's timeline (ADR 0020): the team
/// sees the admission the liaison recorded without asking.
async fn on_the_timeline(
    conn: &mut PgConnection,
    by: &Recorder<'_>,
    referral: Uuid,
    before: &[ReferralEvent],
    event: &ReferralEvent,
) -> Result<(), Failure> {
    let Some(patient) = db::referrals::patient_of(conn, referral).await? else {
        return Ok(());
    };
    let hospital = replay(before).map(|s| s.hospital).unwrap_or_default();
    let voided = event
        .voids
        .as_ref()
        .and_then(|v| before.iter().find(|e| &e.id == v))
        .and_then(|e| e.details.as_ref());
    let line = match (&event.details, voided) {
        (Some(details), _) => ReferralLine::Recorded {
            details,
            hospital: &hospital,
        },
        (None, Some(voided)) => ReferralLine::Voided { voided },
        (None, None) => return Ok(()),
    };
    timeline::referral_event(conn, patient, referral, line, by.label, by.audit).await
}

/// The event checked: stored, audited, fed; a transfer lets the referral
/// go from the hospital the patient left.
async fn store_and_feed(
    conn: &mut PgConnection,
    by: &Recorder<'_>,
    referral: Uuid,
    event: &WireEvent,
) -> Result<(), Failure> {
    let source = by.source;
    let recorded_at = db::events::insert(
        conn,
        NewEvent {
            id: event.id,
            referral,
            details: event.details.as_ref().map(db::json).transpose()?,
            voids: event.voids,
            note: &event.note,
            source: source_code(source),
            organisation: by.organisation,
            actor: by.label,
        },
    )
    .await?;
    let id = referral.to_string();
    audit::record(conn, by.audit, "append-event", "referral", &id).await?;
    let change = ChangeBody::EventAppended {
        referral_id: referral,
        event: event.clone(),
        source,
        actor: by.label.to_string(),
        recorded_at,
    };
    for scope in scopes_seeing(conn, referral).await? {
        db::feed::append(conn, scope, Some(referral), &change).await?;
    }
    if matches!(event.details, Some(WireEventDetails::Transferred { .. })) {
        // The hospital the patient left no longer holds the referral; the
        // new one is handed it (a registered hospital chosen in the
        // portal) or claims it with the tracking code.
        db::referrals::set_hospital(conn, referral, None).await?;
    }
    Ok(())
}

pub(crate) fn domain_event(
    id: Uuid,
    details: Option<EventDetails>,
    voids: Option<Uuid>,
) -> ReferralEvent {
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
    db::events::of_referrals(conn, &[referral])
        .await?
        .into_iter()
        .map(|e| {
            let details = read_details(e.details)?.map(EventDetails::from);
            Ok(domain_event(e.id, details, e.voids))
        })
        .collect()
}

/// Stored details back as the wire's; refused if unreadable.
pub(crate) fn read_details(
    stored: Option<serde_json::Value>,
) -> Result<Option<WireEventDetails>, Failure> {
    stored
        .map(serde_json::from_value::<WireEventDetails>)
        .transpose()
        .map_err(|_| refuse("この紹介の記録を読めません"))
}
