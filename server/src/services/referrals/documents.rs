//! Documents a hospital sends the family doctor through the portal (返書,
//! 退院時サマリー; ADR 0041): checked by the domain (a PDF by content,
//! 20 MB), kept with an audit row and a change in the owning clinic's
//! feed in one transaction, and read only by whoever may see the referral
//! (the hospital through `hospital_may_see`, via the referral's views) or
//! by the owning clinic's devices.
//!
//! Also the referral letter's corrected versions, pushed by the clinic:
//! kept one per version, the latest shown.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};
use tsunagu_domain::hospital_document::{
    HospitalDocumentKind, check_hospital_document, document_file_name,
};
use tsunagu_protocol::{ChangeBody, OrgKind, WireHospitalDocument, WireLetterSummary};
use uuid::Uuid;

use crate::db;
use crate::db::referral_documents::{DocumentRow, NewDocument};
use crate::model::Scope;
use crate::services::actor::{Actor, Failure, device_actor, refuse};
use crate::services::audit;
use crate::services::enrollment::Device;
use crate::services::referrals::access::referral_access;
use crate::services::referrals::view;
use crate::services::sessions::SignedIn;

/// The outcome of an upload from the portal.
pub(crate) enum Uploaded {
    Done,
    /// Why, in Japanese, for the form; nothing was kept.
    Refused(String),
    /// The person's hospital may not send on this referral.
    Forbidden,
}

/// An upload as the form sent it.
pub(crate) struct Upload<'a> {
    pub kind: &'a str,
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// Keeps a hospital liaison officer's document for `referral`: the file
/// checked first, then, in one transaction, the hospital's right to the
/// referral now, the row, the audit entry and the clinic's change.
pub(crate) async fn upload(
    pool: &PgPool,
    user: &SignedIn,
    referral: Uuid,
    upload: Upload<'_>,
) -> sqlx::Result<Uploaded> {
    let Some(by) = user
        .actor()
        .filter(|a| a.organisation.kind == OrgKind::Hospital)
    else {
        return refused_upload(pool, user, referral).await;
    };
    let Some(kind) = HospitalDocumentKind::from_code(upload.kind) else {
        return Ok(Uploaded::Refused(
            "書類の種類（返書・退院時サマリー）を選んでください。".into(),
        ));
    };
    if let Err(e) = check_hospital_document(upload.bytes.len() as u64, upload.bytes) {
        return Ok(Uploaded::Refused(format!("{e}。")));
    }
    let mut tx = pool.begin().await?;
    let allowed = match referral_access(&mut tx, referral, &by.organisation).await {
        Ok(allowed) => allowed == Some(true),
        Err(Failure::Database(e)) => return Err(e),
        Err(Failure::Refused(_)) => false,
    };
    if !allowed {
        tx.rollback().await?;
        return refused_upload(pool, user, referral).await;
    }
    let name = document_file_name(upload.file_name, kind);
    let sha256 = hex::encode(Sha256::digest(upload.bytes));
    let id = Uuid::now_v7();
    let row = db::referral_documents::insert(
        &mut tx,
        &NewDocument {
            id,
            referral,
            kind: kind.code(),
            name: &name,
            sha256: &sha256,
            bytes: upload.bytes,
            organisation: by.organisation.id,
            uploaded_by: user.user_id,
            actor: &by.label,
        },
    )
    .await?;
    audit::record_detailed(
        &mut tx,
        &by.audit,
        "upload-document",
        ("referral", &referral.to_string()),
        serde_json::json!({ "document": id, "kind": kind.code() }),
    )
    .await?;
    let clinic = db::referrals::reach(&mut tx, referral).await?.clinic;
    let change = ChangeBody::HospitalDocument {
        document: wire(&row),
    };
    db::feed::append(&mut tx, Scope::Org(clinic), Some(referral), &change).await?;
    tx.commit().await?;
    Ok(Uploaded::Done)
}

async fn refused_upload(pool: &PgPool, user: &SignedIn, referral: Uuid) -> sqlx::Result<Uploaded> {
    let mut conn = pool.acquire().await?;
    let id = referral.to_string();
    let actor = user.audit_actor();
    audit::record(&mut conn, &actor, "refused-upload", "referral", &id).await?;
    Ok(Uploaded::Forbidden)
}

fn wire(row: &DocumentRow) -> WireHospitalDocument {
    WireHospitalDocument {
        id: row.id,
        referral_id: row.referral_id,
        kind: row.kind.clone(),
        name: row.name.clone(),
        size: row.size.max(0) as u64,
        sha256: row.sha256.clone(),
        actor: row.actor.clone(),
        uploaded_at: row.uploaded_at,
    }
}

/// A document as the referral page lists it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DocumentView {
    pub id: Uuid,
    pub kind: &'static str,
    pub name: String,
    /// In KB, rounded up.
    pub size_kb: i64,
    pub by: String,
    /// Japan's time.
    pub at: String,
}

/// The latest corrected version of the referral letter, as the page
/// shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LetterRevision {
    pub version: i32,
    pub letter: WireLetterSummary,
    /// The day it arrived, in Japan.
    pub on: String,
}

/// What the referral page shows beside its history: the hospital's
/// documents and the letter's latest correction. Read after the page's
/// own access check (and audited view) of the referral.
pub(crate) async fn for_page(
    pool: &PgPool,
    referral: Uuid,
) -> sqlx::Result<(Vec<DocumentView>, Option<LetterRevision>)> {
    let mut conn = pool.acquire().await?;
    let documents = db::referral_documents::of_referral(&mut conn, referral)
        .await?
        .into_iter()
        .map(|d| DocumentView {
            id: d.id,
            kind: HospitalDocumentKind::from_code(&d.kind).map_or("書類", |k| k.label_ja()),
            name: d.name,
            size_kb: (d.size + 1023) / 1024,
            by: d.actor,
            at: japan(d.uploaded_at).format("%Y-%m-%d %H:%M").to_string(),
        })
        .collect();
    let revision = db::referral_documents::latest_letter_version(&mut conn, referral)
        .await?
        .and_then(|(version, letter, at)| {
            Some(LetterRevision {
                version,
                letter: serde_json::from_value(letter).ok()?,
                on: japan(at).format("%Y-%m-%d").to_string(),
            })
        });
    Ok((documents, revision))
}

fn japan(at: DateTime<Utc>) -> DateTime<Utc> {
    at + chrono::Duration::hours(9)
}

/// A document and its bytes for a portal user who may see its referral
/// now; the view, or its refusal, audited.
pub(crate) async fn download_for_user(
    pool: &PgPool,
    user: &SignedIn,
    id: Uuid,
) -> sqlx::Result<Option<(DocumentRow, Vec<u8>)>> {
    let mut conn = pool.acquire().await?;
    let actor = user.audit_actor();
    let entity = id.to_string();
    let Some(row) = db::referral_documents::document(&mut conn, id).await? else {
        return Ok(None);
    };
    if view::visible(&mut conn, user, row.referral_id)
        .await?
        .is_none()
    {
        audit::record(
            &mut conn,
            &actor,
            "refused-view-document",
            "document",
            &entity,
        )
        .await?;
        return Ok(None);
    }
    let bytes = db::referral_documents::bytes(&mut conn, id).await?;
    audit::record(&mut conn, &actor, "view-document", "document", &entity).await?;
    Ok(Some((row, bytes)))
}

/// A document and its bytes for a device of the clinic that owns its
/// referral (audited); `None` for any other device.
pub(crate) async fn download_for_device(
    pool: &PgPool,
    device: &Device,
    id: Uuid,
) -> sqlx::Result<Option<(DocumentRow, Vec<u8>)>> {
    let mut conn = pool.acquire().await?;
    let Some(row) = db::referral_documents::document(&mut conn, id).await? else {
        return Ok(None);
    };
    let owner = db::referrals::reach(&mut conn, row.referral_id)
        .await?
        .clinic;
    if device.organisation.kind != OrgKind::Clinic || device.organisation.id != owner {
        return Ok(None);
    }
    let bytes = db::referral_documents::bytes(&mut conn, id).await?;
    let actor = device_actor(device.id);
    audit::record(
        &mut conn,
        &actor,
        "view-document",
        "document",
        &id.to_string(),
    )
    .await?;
    Ok(Some((row, bytes)))
}

/// A corrected referral letter pushed by the clinic that made the
/// referral: every version kept, a repeat left as it was.
pub(crate) async fn letter_revised(
    conn: &mut PgConnection,
    by: &Actor,
    referral: Uuid,
    version: u32,
    letter: &WireLetterSummary,
) -> Result<(), Failure> {
    if referral_access(conn, referral, &by.organisation).await? != Some(true) {
        return Err(refuse("この紹介に記録する権限がありません"));
    }
    let Ok(version) = i32::try_from(version) else {
        return Err(refuse("紹介状の版が正しくありません"));
    };
    if version < 2 {
        return Err(refuse("訂正版は第2版からです"));
    }
    let letter = db::json(letter)?;
    if db::referral_documents::insert_letter_version(conn, referral, version, letter).await? {
        let id = referral.to_string();
        audit::record(conn, &by.audit, "letter-revised", "referral", &id).await?;
    }
    Ok(())
}
