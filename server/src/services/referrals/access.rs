//! Who may record on a referral, and which hospitals are registered.

use sqlx::PgConnection;
use tsunagu_protocol::{OrgKind, Organisation};
use uuid::Uuid;

use crate::db;
use crate::model::Scope;
use crate::services::actor::Failure;

/// `None` if there is no such referral; otherwise whether `org` may record
/// on it: the clinic that made it, the hospital it is with now (with
/// consent in force; a hospital that transferred the patient on, or that
/// the desk re-assigned it from, no longer may), or the desk (with consent
/// in force). The referral stays locked until the transaction ends.
pub(crate) async fn referral_access(
    conn: &mut PgConnection,
    referral: Uuid,
    org: &Organisation,
) -> Result<Option<bool>, Failure> {
    let reach = db::referrals::reach_for_update(conn, referral).await?;
    Ok(reach.map(|r| match org.kind {
        OrgKind::Clinic => r.clinic == org.id,
        OrgKind::Hospital => r.hospital == Some(org.id) && r.hospital_consent,
        OrgKind::Desk => r.desk_consent,
    }))
}

pub(crate) async fn registered_hospital(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<Uuid>, Failure> {
    Ok(db::organisations::registered_hospital(conn, id).await?)
}

/// The feeds that see a referral's events: the clinic always; the desk
/// and the hospital the referral is with while the patient's consent
/// covers them.
pub(crate) async fn scopes_seeing(
    conn: &mut PgConnection,
    referral: Uuid,
) -> Result<Vec<Scope>, Failure> {
    let reach = db::referrals::reach(conn, referral).await?;
    let mut scopes = vec![Scope::Org(reach.clinic)];
    if reach.desk_consent {
        scopes.push(Scope::Desk);
    }
    if let Some(hospital) = reach.hospital.filter(|_| reach.hospital_consent) {
        scopes.push(Scope::Org(hospital));
    }
    Ok(scopes)
}
