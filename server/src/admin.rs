//! What the desk's administrator does from the command line (and, in the
//! next issue, from the portal): register organisations, hand out
//! enrollment codes, revoke devices. Each change is audited.

use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use tsunagu_protocol::{OrgKind, Organisation};
use uuid::Uuid;

/// How long an enrollment code works if unused.
pub const CODE_LIFETIME: Duration = Duration::days(7);

pub fn kind_code(kind: OrgKind) -> &'static str {
    match kind {
        OrgKind::Clinic => "clinic",
        OrgKind::Hospital => "hospital",
        OrgKind::Desk => "desk",
    }
}

pub fn kind_from_code(code: &str) -> Option<OrgKind> {
    [OrgKind::Clinic, OrgKind::Hospital, OrgKind::Desk]
        .into_iter()
        .find(|k| kind_code(*k) == code)
}

pub(crate) async fn audit(
    conn: &mut sqlx::PgConnection,
    actor: &str,
    action: &str,
    entity_kind: &str,
    entity_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (actor, action, entity_kind, entity_id) VALUES ($1, $2, $3, $4)",
    )
    .bind(actor)
    .bind(action)
    .bind(entity_kind)
    .bind(entity_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn create_organisation(
    pool: &PgPool,
    kind: OrgKind,
    name: &str,
    actor: &str,
) -> Result<Organisation, sqlx::Error> {
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO organisations (id, kind, name) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(kind_code(kind))
        .bind(name.trim())
        .execute(&mut *tx)
        .await?;
    audit(&mut tx, actor, "create", "organisation", &id.to_string()).await?;
    let organisation = Organisation {
        id,
        name: name.trim().to_string(),
        kind,
    };
    list_in_directories(&mut tx, &organisation).await?;
    tx.commit().await?;
    Ok(organisation)
}

/// Clinics offer the registered hospitals as destinations: a new hospital
/// is fed to every clinic, and a new clinic gets every hospital, through
/// the clinics' change feeds (so a reinstalled device gets them too).
async fn list_in_directories(
    conn: &mut sqlx::PgConnection,
    organisation: &Organisation,
) -> Result<(), sqlx::Error> {
    let (scopes, listed): (Vec<Uuid>, Vec<Organisation>) = match organisation.kind {
        OrgKind::Hospital => (
            sqlx::query_scalar("SELECT id FROM organisations WHERE kind = 'clinic' ORDER BY id")
                .fetch_all(&mut *conn)
                .await?,
            vec![organisation.clone()],
        ),
        OrgKind::Clinic => {
            let hospitals: Vec<(Uuid, String)> = sqlx::query_as(
                "SELECT id, name FROM organisations WHERE kind = 'hospital' ORDER BY name",
            )
            .fetch_all(&mut *conn)
            .await?;
            let listed = hospitals
                .into_iter()
                .map(|(id, name)| Organisation {
                    id,
                    name,
                    kind: OrgKind::Hospital,
                })
                .collect();
            (vec![organisation.id], listed)
        }
        OrgKind::Desk => return Ok(()),
    };
    for scope in scopes {
        for listed in &listed {
            let change = tsunagu_protocol::ChangeBody::OrganisationListed {
                organisation: listed.clone(),
            };
            crate::sync::feed(conn, &format!("org:{scope}"), None, &change).await?;
        }
    }
    Ok(())
}

/// A fresh one-time code for `organisation`, e.g. `7K2M-XR4P-9QTB-H3NA`.
/// Only its hash is stored: the code is shown once, here.
pub async fn issue_enrollment_code(
    pool: &PgPool,
    organisation: Uuid,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let mut bytes = [0u8; 10];
    rand::rng().fill_bytes(&mut bytes);
    let symbols = base32::encode(base32::Alphabet::Crockford, &bytes);
    let code = symbols
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-");
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO enrollment_codes (code_sha256, organisation_id, expires_at, created_by)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(code_digest(&code))
    .bind(organisation)
    .bind(now + CODE_LIFETIME)
    .bind(actor)
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        actor,
        "issue-code",
        "organisation",
        &organisation.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(code)
}

/// The code as typed, read the Crockford way (case, hyphens and spaces
/// ignored; I and L are 1, O is 0), hashed.
pub fn code_digest(typed: &str) -> String {
    let normalised: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{3000}'))
        .map(|c| match c.to_ascii_uppercase() {
            'I' | 'L' => '1',
            'O' => '0',
            c => c,
        })
        .collect();
    hex::encode(Sha256::digest(normalised.as_bytes()))
}

pub async fn revoke_device(pool: &PgPool, device: Uuid, actor: &str) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let revoked =
        sqlx::query("UPDATE devices SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL")
            .bind(device)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
    audit(&mut tx, actor, "revoke", "device", &device.to_string()).await?;
    tx.commit().await?;
    Ok(revoked)
}
