//! Photos and PDFs on the timeline: checked by content and name with the
//! domain's `check_team_attachment`, kept in PostgreSQL, and never served
//! without the member check. Uploaded before the post that names them
//! (ADR 0023), so a post's push stays small.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use tsunagu_domain::team::{TeamError, check_may_read, check_team_attachment};
use tsunagu_protocol::WireAttachment;
use uuid::Uuid;

use crate::db;
use crate::db::teams::{AttachmentRow, NewAttachment};
use crate::services::actor::{Failure, refuse};
use crate::services::audit;
use crate::services::teams::{Loaded, TeamActor, refused};

/// Keeps an uploaded file for the actor's organisation. The same upload
/// again answers the same; another file under a taken id is refused.
pub(crate) async fn upload(
    conn: &mut PgConnection,
    actor: &TeamActor,
    id: Uuid,
    name: &str,
    bytes: &[u8],
) -> Result<WireAttachment, Failure> {
    let checked =
        check_team_attachment(name, bytes.len() as u64, bytes).map_err(|r| refuse(&r.0))?;
    let sha256 = hex::encode(Sha256::digest(bytes));
    if let Some(kept) = db::teams::attachment(conn, id).await? {
        if kept.organisation_id == actor.organisation && kept.sha256 == sha256 {
            return Ok(wire(&kept));
        }
        return Err(refuse("同じ番号の別のファイルが既にあります"));
    }
    let media_type = checked.kind.media_type();
    db::teams::insert_attachment(
        conn,
        &NewAttachment {
            id,
            organisation: actor.organisation,
            name: &checked.name,
            media_type,
            sha256: &sha256,
            bytes,
        },
    )
    .await?;
    audit::record(
        conn,
        &actor.audit,
        "team-attachment-upload",
        "attachment",
        &id.to_string(),
    )
    .await?;
    Ok(WireAttachment {
        id,
        name: checked.name,
        media_type: media_type.to_string(),
        size: bytes.len() as u64,
        sha256,
    })
}

/// A file and its bytes, for a member who may read its team now (or the
/// organisation that uploaded it, before it is posted). Every view is
/// audited.
pub(crate) async fn fetch(
    conn: &mut PgConnection,
    actor: &TeamActor,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<(AttachmentRow, Vec<u8>)>, Failure> {
    let Some(meta) = db::teams::attachment(conn, id).await? else {
        return Ok(None);
    };
    // A post's file is its entry's team's; an emergency sheet, its
    // pinned summary's team's (ADR 0042).
    let team = match meta.entry_id {
        Some(entry) => match db::teams::entry(conn, entry).await? {
            Some(entry) => Some(entry.team_id),
            None => return Ok(None),
        },
        None => db::pinned_summaries::team_of_sheet(conn, id).await?,
    };
    let allowed = match team {
        None => meta.organisation_id == actor.organisation,
        Some(team) => {
            let Some(loaded) = Loaded::read(conn, team, now).await? else {
                return Ok(None);
            };
            let Some((_, member)) = loaded.membership_for(actor) else {
                return Ok(None);
            };
            check_may_read(member, actor.profession, loaded.consent, now)
                .map_err(|e: TeamError| refused(e))?;
            true
        }
    };
    if !allowed {
        return Ok(None);
    }
    let bytes = db::teams::attachment_bytes(conn, id).await?;
    let action = if meta.entry_id.is_none() && team.is_some() {
        "view-emergency-sheet"
    } else {
        "view-team-attachment"
    };
    audit::record(conn, &actor.audit, action, "attachment", &id.to_string()).await?;
    Ok(Some((meta, bytes)))
}

fn wire(row: &AttachmentRow) -> WireAttachment {
    WireAttachment {
        id: row.id,
        name: row.name.clone(),
        media_type: row.media_type.clone(),
        size: row.size.max(0) as u64,
        sha256: row.sha256.clone(),
    }
}

/// A device's upload, in its own transaction.
pub(crate) async fn upload_from_device(
    pool: &sqlx::PgPool,
    device: &crate::services::enrollment::Device,
    id: Uuid,
    name: &str,
    bytes: &[u8],
) -> Result<WireAttachment, Failure> {
    let actor = super::device::device_actor(&crate::services::actor::Actor::from(device), None)?;
    let mut tx = pool.begin().await?;
    let kept = upload(&mut tx, &actor, id, name, bytes).await?;
    tx.commit().await?;
    Ok(kept)
}

/// A device's download: the owning clinic reads its teams' files.
pub(crate) async fn fetch_for_device(
    pool: &sqlx::PgPool,
    device: &crate::services::enrollment::Device,
    id: Uuid,
) -> Result<Option<(AttachmentRow, Vec<u8>)>, Failure> {
    let actor = super::device::device_actor(&crate::services::actor::Actor::from(device), None)?;
    let mut tx = pool.begin().await?;
    let found = fetch(&mut tx, &actor, id, Utc::now()).await?;
    tx.commit().await?;
    Ok(found)
}
