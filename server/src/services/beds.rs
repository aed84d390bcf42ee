//! 空床 (issue 18; the rules are the domain's `directory::beds`): a
//! hospital's liaison or administrator says its beds per ward type on one
//! screen; the desk reads the region's summary. Each save is audited.

use sqlx::PgPool;
use tsunagu_domain::directory::beds::{WardType, check_beds};
use tsunagu_domain::team::OrganisationKind;
use uuid::Uuid;

use crate::db;
use crate::db::beds::BedRow;
use crate::model::Role;
use crate::services::audit;
use crate::services::sessions::SignedIn;

/// Whether `user` keeps `hospital`'s figures: its liaison officers,
/// administrator, and the member of staff who keeps its profile.
pub(crate) fn may_update(user: &SignedIn, hospital: Uuid) -> bool {
    user.organisation.id == hospital
        && user.organisation.kind == OrganisationKind::Hospital
        && (user.role == Role::Liaison || user.keeps_profile_of(hospital))
}

/// The hospital's figures, for its own screen.
pub(crate) async fn of_hospital(
    pool: &PgPool,
    user: &SignedIn,
    hospital: Uuid,
) -> sqlx::Result<Option<Vec<BedRow>>> {
    if !may_update(user, hospital) {
        return Ok(None);
    }
    let mut conn = pool.acquire().await?;
    Ok(Some(db::beds::of(&mut conn, Some(hospital)).await?))
}

/// Every hospital's figures, for the desk.
pub(crate) async fn region(pool: &PgPool, user: &SignedIn) -> sqlx::Result<Option<Vec<BedRow>>> {
    if !user.is_desk() {
        return Ok(None);
    }
    let mut conn = pool.acquire().await?;
    Ok(Some(db::beds::of(&mut conn, None).await?))
}

pub(crate) enum Updated {
    Done,
    /// Each ward type's problem: (ward code, message).
    Refused(Vec<(&'static str, String)>),
    Forbidden,
}

/// The figures as typed: (capacity, available) per ward type code.
pub(crate) async fn update(
    pool: &PgPool,
    user: &SignedIn,
    hospital: Uuid,
    typed: &[(WardType, String, String)],
) -> sqlx::Result<Updated> {
    if !may_update(user, hospital) {
        return Ok(Updated::Forbidden);
    }
    let mut figures = Vec::new();
    let mut errors = Vec::new();
    for (ward, capacity, available) in typed {
        match check_beds(*ward, capacity, available) {
            Ok(figure) => figures.push((ward.code(), figure.map(|(c, a)| (c as i16, a as i16)))),
            Err(why) => errors.push((ward.code(), why.0)),
        }
    }
    if !errors.is_empty() {
        return Ok(Updated::Refused(errors));
    }
    let mut tx = pool.begin().await?;
    let by = user.audit_actor();
    db::beds::replace(&mut tx, hospital, &figures, &by).await?;
    audit::record(
        &mut tx,
        &by,
        "beds-update",
        "organisation",
        &hospital.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(Updated::Done)
}
