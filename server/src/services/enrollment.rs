//! Devices: one-time enrollment codes handed out by the desk's
//! administrator, a device trading one for its credential, the
//! credential checked on every request, and revoking it.

use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};
use tsunagu_domain::team::OrganisationKind;
use tsunagu_protocol::{DecodeError, EnrollRequest, EnrollResponse, Organisation};
use uuid::Uuid;

use crate::db;
use crate::model::{device_kind, kind_from_code};
use crate::services::actor::{Actor, device_actor};
use crate::services::audit;

/// How long an enrollment code works if unused.
pub const CODE_LIFETIME: Duration = Duration::days(7);

/// Failed enrollments from one address within [`FAILURE_WINDOW_MINUTES`]
/// before it is refused outright.
pub const MAX_ENROLL_FAILURES: i64 = 10;
const FAILURE_WINDOW_MINUTES: i32 = 15;

/// An enrolled, unrevoked device, from its credential.
#[derive(Debug, Clone)]
pub struct Device {
    pub id: Uuid,
    pub name: String,
    pub organisation: Organisation,
}

impl From<&Device> for Actor {
    fn from(device: &Device) -> Self {
        Actor {
            organisation: device.organisation.clone(),
            label: format!("{} {}", device.organisation.name, device.name),
            audit: device_actor(device.id),
        }
    }
}

/// Why a device is not enrolled or not recognised.
#[derive(Debug)]
pub(crate) enum DeviceError {
    Decode(DecodeError),
    NoName,
    InvalidCode,
    RateLimited,
    Unauthenticated,
    /// A stored value the server cannot read.
    BadData,
    Database(sqlx::Error),
}

impl From<sqlx::Error> for DeviceError {
    fn from(e: sqlx::Error) -> Self {
        DeviceError::Database(e)
    }
}

/// Why no enrollment code was issued.
#[derive(Debug, thiserror::Error)]
pub enum CodeError {
    #[error("no such organisation")]
    NoOrganisation,
    /// Devices (the desktop app) enroll for clinics, hospitals and the
    /// desk only: the wire and older desktops know no other kind.
    #[error("devices do not enroll for a {} organisation", .0.code())]
    NoDevices(OrganisationKind),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

impl CodeError {
    /// As the administrator's page says it.
    pub fn message_ja(&self) -> String {
        match self {
            CodeError::NoOrganisation => "登録コードを発行する医療機関を選んでください。".into(),
            CodeError::NoDevices(kind) => format!(
                "{}には端末の登録コードを発行できません。端末（デスクトップアプリ）は診療所・病院・相談窓口のためのものです。職員はポータルにサインインします。",
                kind.label_ja()
            ),
            CodeError::Database(_) => "サーバーで問題が起きました。".into(),
        }
    }
}

/// A fresh one-time code for `organisation` (a clinic, hospital or the
/// desk), e.g. `7K2M-XR4P-9QTB-H3NA`. Only its hash is stored: the code
/// is shown once, here.
pub async fn issue_enrollment_code(
    pool: &PgPool,
    organisation: Uuid,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<String, CodeError> {
    let (_, kind) = db::organisations::find(pool, organisation)
        .await?
        .ok_or(CodeError::NoOrganisation)?;
    let kind = OrganisationKind::from_code(&kind).ok_or(CodeError::NoOrganisation)?;
    if device_kind(kind).is_none() {
        return Err(CodeError::NoDevices(kind));
    }
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
    db::devices::insert_code(
        &mut tx,
        &code_digest(&code),
        organisation,
        now + CODE_LIFETIME,
        actor,
    )
    .await?;
    audit::record(
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
    let revoked = db::devices::revoke(&mut tx, device).await?;
    audit::record(&mut tx, actor, "revoke", "device", &device.to_string()).await?;
    tx.commit().await?;
    Ok(revoked)
}

/// Trades a one-time code for a device credential. An address that keeps
/// guessing is refused for a while; only a wrong code counts against it.
/// Each try is counted before the code is looked at (under the address's
/// lock) and given back unless the code was wrong, so simultaneous tries
/// cannot all pass the count.
pub(crate) async fn enroll(
    pool: &PgPool,
    address: &str,
    request: Result<EnrollRequest, DecodeError>,
) -> Result<EnrollResponse, DeviceError> {
    let attempt = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    db::attempts::lock_key(&mut tx, "enroll", address).await?;
    let failures =
        db::attempts::enrollment_failures(&mut tx, address, FAILURE_WINDOW_MINUTES).await?;
    if failures >= MAX_ENROLL_FAILURES {
        return Err(DeviceError::RateLimited);
    }
    db::attempts::add_enrollment_failure(&mut tx, attempt, address).await?;
    tx.commit().await?;
    let result = match request {
        Ok(request) => enroll_device(pool, &request).await,
        Err(e) => Err(DeviceError::Decode(e)),
    };
    if !matches!(result, Err(DeviceError::InvalidCode)) {
        db::attempts::forget_enrollment_failure(pool, attempt).await?;
    }
    result
}

/// In one transaction: the code is used up exactly when the device exists.
async fn enroll_device(
    pool: &PgPool,
    request: &EnrollRequest,
) -> Result<EnrollResponse, DeviceError> {
    let device_name = request.device_name.trim();
    if device_name.is_empty() {
        return Err(DeviceError::NoName);
    }
    let mut tx = pool.begin().await?;
    let digest = code_digest(&request.code);
    let Some((organisation_id, true)) = db::devices::code_for_update(&mut tx, &digest).await?
    else {
        tx.rollback().await?;
        return Err(DeviceError::InvalidCode);
    };
    let device_id = Uuid::now_v7();
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let secret = hex::encode(secret);
    let secret_sha256 = hex::encode(Sha256::digest(secret.as_bytes()));
    db::devices::insert(
        &mut tx,
        device_id,
        organisation_id,
        device_name,
        &secret_sha256,
    )
    .await?;
    db::devices::use_code(&mut tx, &digest, device_id).await?;
    let actor = device_actor(device_id);
    audit::record(&mut tx, &actor, "enroll", "device", &device_id.to_string()).await?;
    let organisation = organisation(&mut tx, organisation_id).await?;
    tx.commit().await?;
    Ok(EnrollResponse {
        device_id,
        secret,
        organisation,
    })
}

/// The device a credential (`<device>.<secret>`) names, if it is enrolled
/// and not revoked.
pub(crate) async fn authenticate(pool: &PgPool, credential: &str) -> Result<Device, DeviceError> {
    let (id, secret) = credential
        .split_once('.')
        .ok_or(DeviceError::Unauthenticated)?;
    let id = Uuid::parse_str(id).map_err(|_| DeviceError::Unauthenticated)?;
    let mut conn = pool.acquire().await?;
    let found = db::devices::active(&mut conn, id).await?;
    let digest = hex::encode(Sha256::digest(secret.as_bytes()));
    match found {
        Some(device) if device.secret_sha256 == digest => Ok(Device {
            id,
            name: device.name,
            organisation: organisation(&mut conn, device.organisation_id).await?,
        }),
        _ => Err(DeviceError::Unauthenticated),
    }
}

pub(crate) async fn organisation(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Organisation, DeviceError> {
    let (name, kind) = db::organisations::name_and_kind(conn, id).await?;
    Ok(Organisation {
        id,
        name,
        kind: kind_from_code(&kind).ok_or(DeviceError::BadData)?,
    })
}

/// A device as the administrator's list shows it.
pub(crate) use crate::db::devices::Listed as ListedDevice;

/// Every device, active ones first.
pub(crate) async fn devices(pool: &PgPool) -> sqlx::Result<Vec<ListedDevice>> {
    db::devices::list(pool).await
}
