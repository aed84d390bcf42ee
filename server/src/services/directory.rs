//! The regional directory's profiles (issue 18; the rules are the
//! domain's `directory`): an organisation's administrator keeps its own,
//! the desk may edit any. Saving confirms every part shown, now; each
//! save is audited.

use chrono::Utc;
use sqlx::PgPool;
use tsunagu_domain::directory::{
    MunicipalityError, ProfileDraft, ProfileField, ProfilePart, Region, check_profile,
};
use tsunagu_domain::team::OrganisationKind;
use uuid::Uuid;

use crate::db;
use crate::db::profiles::{ProfileRow, SavedProfile};
use crate::services::audit;
use crate::services::sessions::SignedIn;

/// Whether `user` may see and edit `organisation`'s profile: its own
/// administrator or the member of staff it chose, or the desk.
pub(crate) fn may_edit(user: &SignedIn, organisation: Uuid) -> bool {
    user.is_desk() || user.keeps_profile_of(organisation)
}

pub(crate) async fn profile(
    pool: &PgPool,
    user: &SignedIn,
    organisation: Uuid,
) -> sqlx::Result<Option<ProfileRow>> {
    if !may_edit(user, organisation) {
        return Ok(None);
    }
    let mut conn = pool.acquire().await?;
    db::profiles::get(&mut conn, organisation).await
}

pub(crate) enum Saved {
    Done,
    Refused(Vec<(ProfileField, String)>),
    Forbidden,
}

pub(crate) async fn save(
    pool: &PgPool,
    user: &SignedIn,
    organisation: Uuid,
    draft: &ProfileDraft,
) -> sqlx::Result<Saved> {
    if !may_edit(user, organisation) {
        return Ok(Saved::Forbidden);
    }
    let mut tx = pool.begin().await?;
    let Some(current) = db::profiles::get(&mut tx, organisation).await? else {
        return Ok(Saved::Forbidden);
    };
    let Some(kind) = OrganisationKind::from_code(&current.kind) else {
        return Ok(Saved::Forbidden);
    };
    let region = Region::from_stored(db::region::municipalities(&mut tx).await?);
    let profile = match check_profile(draft, kind, &region) {
        Ok(profile) => profile,
        Err(errors) => return Ok(Saved::Refused(errors)),
    };
    let now = Utc::now().to_rfc3339();
    let confirmed: serde_json::Map<String, serde_json::Value> = ProfilePart::ALL
        .into_iter()
        .filter(|p| p.applies_to(kind))
        .map(|p| (p.code().to_string(), serde_json::Value::from(now.clone())))
        .collect();
    let offers: Vec<String> = profile
        .offers
        .iter()
        .map(|o| o.code().to_string())
        .collect();
    let small = |n: Option<u16>| n.and_then(|n| i16::try_from(n).ok());
    let by = user.audit_actor();
    db::profiles::save(
        &mut tx,
        &SavedProfile {
            organisation,
            phone: &profile.phone,
            fax: &profile.fax,
            address: &profile.address,
            hours: &profile.hours,
            municipalities: &profile.municipalities,
            area_detail: &profile.area_detail,
            radius_km: small(profile.radius_km),
            offers: &offers,
            accepting: profile.accepting.map(|a| a.code()),
            care_managers: small(profile.care_managers),
            confirmed: serde_json::Value::Object(confirmed),
            by: &by,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        &by,
        "profile-update",
        "organisation",
        &organisation.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(Saved::Done)
}

/// The region's 市区町村 (empty: not set up yet).
pub(crate) async fn region(pool: &PgPool) -> sqlx::Result<Region> {
    let mut conn = pool.acquire().await?;
    Ok(Region::from_stored(
        db::region::municipalities(&mut conn).await?,
    ))
}

/// The desk lists the region's 市区町村; audited.
pub(crate) async fn set_region(
    pool: &PgPool,
    user: &SignedIn,
    raw: &str,
) -> sqlx::Result<Result<(), MunicipalityError>> {
    let region = match Region::parse(raw) {
        Ok(region) => region,
        Err(why) => return Ok(Err(why)),
    };
    let mut tx = pool.begin().await?;
    db::region::set(&mut tx, region.municipalities()).await?;
    audit::record(&mut tx, &user.audit_actor(), "region-update", "region", "").await?;
    tx.commit().await?;
    Ok(Ok(()))
}
