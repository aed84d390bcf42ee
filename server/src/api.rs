//! The sync API's routes. Every request but `/health` and `/v1/enroll`
//! carries the device credential (`Authorization: Bearer <device>.<secret>`),
//! and what it may see or change is decided from that alone.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use tower_http::limit::RequestBodyLimitLayer;
use tsunagu_protocol::{
    EnrollRequest, EnrollResponse, ErrorCode, Organisation, PROTOCOL_VERSION, decode_request,
};
use uuid::Uuid;

use crate::admin::{audit, code_digest, kind_from_code};
use crate::error::ApiError;

/// Bodies beyond this are refused before they are read: a push of the
/// largest allowed size fits many times over.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

#[derive(Clone)]
pub struct ServerState {
    pub pool: PgPool,
    /// Portal cookies carry `Secure` (set when serving HTTPS; plain HTTP is
    /// for loopback development and tests only).
    pub secure_cookies: bool,
}

impl ServerState {
    pub fn new(pool: PgPool) -> ServerState {
        ServerState {
            pool,
            secure_cookies: false,
        }
    }
}

pub fn router(state: ServerState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/v1/enroll", post(enroll))
        .route("/v1/device", get(device))
        .route("/v1/push", post(crate::sync::push))
        .route("/v1/pull", post(crate::sync::pull))
        .merge(crate::portal::router())
        // Both limits: the layer refuses by Content-Length before reading,
        // the extractor's (2 MiB by default) is raised to the same size.
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::map_response(coded_payload_too_large))
        .with_state(state)
}

/// The body limits answer 413 in plain text; clients switch on a code.
async fn coded_payload_too_large(response: Response) -> Response {
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE
        || response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"application/json"))
    {
        return response;
    }
    ApiError::new(
        ErrorCode::TooLarge,
        format!(
            "要求が大きすぎます（{} MiBまで）。",
            MAX_BODY_BYTES / 1024 / 1024
        ),
    )
    .into_response()
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    protocol: u16,
}

async fn health(State(state): State<ServerState>) -> Result<Json<Health>, ApiError> {
    sqlx::query("SELECT 1").execute(&state.pool).await?;
    Ok(Json(Health {
        status: "ok",
        protocol: PROTOCOL_VERSION,
    }))
}

fn invalid_code() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidCode,
        "登録コードが正しくないか、使用済みか、期限切れです。地域連携窓口に新しいコードを依頼してください。",
    )
}

/// Failed enrollments from one address within [`FAILURE_WINDOW_MINUTES`]
/// before it is refused outright.
pub const MAX_ENROLL_FAILURES: i64 = 10;
const FAILURE_WINDOW_MINUTES: i32 = 15;

/// Trades a one-time code for a device credential, in one transaction: the
/// code is used up exactly when the device exists. An address that keeps
/// guessing is refused for a while.
async fn enroll(
    State(state): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Bytes,
) -> Result<Json<EnrollResponse>, ApiError> {
    let address = peer.ip().to_string();
    let failures: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM enrollment_failures
         WHERE address = $1 AND at > now() - make_interval(mins => $2)",
    )
    .bind(&address)
    .bind(FAILURE_WINDOW_MINUTES)
    .fetch_one(&state.pool)
    .await?;
    if failures >= MAX_ENROLL_FAILURES {
        return Err(ApiError::new(
            ErrorCode::RateLimited,
            "登録の試行が多すぎます。15分ほど待ってから、もう一度お試しください。",
        ));
    }
    let result = enroll_device(&state, &body).await;
    if result
        .as_ref()
        .is_err_and(|e| e.code == ErrorCode::InvalidCode)
    {
        sqlx::query("INSERT INTO enrollment_failures (address) VALUES ($1)")
            .bind(&address)
            .execute(&state.pool)
            .await?;
    }
    result.map(Json)
}

async fn enroll_device(state: &ServerState, body: &[u8]) -> Result<EnrollResponse, ApiError> {
    let request: EnrollRequest = decode_request(body)?;
    let device_name = request.device_name.trim();
    if device_name.is_empty() {
        return Err(ApiError::new(
            ErrorCode::Malformed,
            "端末名を入力してください。",
        ));
    }
    let mut tx = state.pool.begin().await?;
    let code: Option<(Uuid, bool)> = sqlx::query_as(
        "SELECT organisation_id, used_at IS NULL AND expires_at > now()
         FROM enrollment_codes WHERE code_sha256 = $1 FOR UPDATE",
    )
    .bind(code_digest(&request.code))
    .fetch_optional(&mut *tx)
    .await?;
    let Some((organisation_id, true)) = code else {
        tx.rollback().await?;
        return Err(invalid_code());
    };
    let device_id = Uuid::now_v7();
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let secret = hex::encode(secret);
    sqlx::query(
        "INSERT INTO devices (id, organisation_id, name, secret_sha256) VALUES ($1, $2, $3, $4)",
    )
    .bind(device_id)
    .bind(organisation_id)
    .bind(device_name)
    .bind(hex::encode(Sha256::digest(secret.as_bytes())))
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE enrollment_codes SET used_at = now(), used_by_device = $2 WHERE code_sha256 = $1",
    )
    .bind(code_digest(&request.code))
    .bind(device_id)
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        &format!("device:{device_id}"),
        "enroll",
        "device",
        &device_id.to_string(),
    )
    .await?;
    let organisation = organisation(&mut tx, organisation_id).await?;
    tx.commit().await?;
    Ok(EnrollResponse {
        device_id,
        secret,
        organisation,
    })
}

pub(crate) async fn organisation(
    conn: &mut sqlx::PgConnection,
    id: Uuid,
) -> Result<Organisation, ApiError> {
    let (name, kind): (String, String) =
        sqlx::query_as("SELECT name, kind FROM organisations WHERE id = $1")
            .bind(id)
            .fetch_one(conn)
            .await?;
    Ok(Organisation {
        id,
        name,
        kind: kind_from_code(&kind).ok_or_else(|| {
            ApiError::new(ErrorCode::Internal, "サーバーのデータに問題があります。")
        })?,
    })
}

/// An enrolled, unrevoked device, from its credential.
#[derive(Debug, Clone)]
pub struct Device {
    pub id: Uuid,
    pub name: String,
    pub organisation: Organisation,
}

impl FromRequestParts<ServerState> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ServerState,
    ) -> Result<Self, Self::Rejection> {
        let credential = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(ApiError::unauthenticated)?;
        let (id, secret) = credential
            .split_once('.')
            .ok_or_else(ApiError::unauthenticated)?;
        let id = Uuid::parse_str(id).map_err(|_| ApiError::unauthenticated())?;
        let mut conn = state.pool.acquire().await?;
        let found: Option<(Uuid, String, String)> = sqlx::query_as(
            "SELECT organisation_id, secret_sha256, name FROM devices
             WHERE id = $1 AND revoked_at IS NULL",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        let digest = hex::encode(Sha256::digest(secret.as_bytes()));
        match found {
            Some((organisation_id, stored, name)) if stored == digest => Ok(Device {
                id,
                name,
                organisation: organisation(&mut conn, organisation_id).await?,
            }),
            _ => Err(ApiError::unauthenticated()),
        }
    }
}

#[derive(Serialize)]
struct DeviceView {
    device_id: Uuid,
    organisation: Organisation,
    server_time: chrono::DateTime<Utc>,
}

/// Who the credential is: the app's connection check.
async fn device(device: Device) -> Json<DeviceView> {
    Json(DeviceView {
        device_id: device.id,
        organisation: device.organisation,
        server_time: Utc::now(),
    })
}
