//! The regional server, from the clinic's side: enrolling this install with
//! a one-time code from the desk, and checking the connection. The device's
//! secret goes to the OS keyring and never leaves this crate's callers in
//! Rust (the webview sees the organisation's name, never the secret).

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use tsunagu_protocol::{
    EnrollRequest, EnrollResponse, ErrorBody, ErrorCode as WireCode, PROTOCOL_VERSION,
};
use tsunagu_store::{KeyringKeys, SyncDevice};
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, ErrorCode, FieldMessage};

const TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncView {
    pub server_url: String,
    pub organisation_name: String,
    pub device_id: Uuid,
    pub enrolled_at: DateTime<Utc>,
}

impl From<SyncDevice> for SyncView {
    fn from(d: SyncDevice) -> Self {
        SyncView {
            server_url: d.server_url,
            organisation_name: d.organisation_name,
            device_id: d.device_id,
            enrolled_at: d.enrolled_at,
        }
    }
}

impl App {
    /// This install's enrollment, if any.
    pub async fn sync_status(&self) -> Result<Option<SyncView>, AppError> {
        Ok(self.store.sync_device().await?.map(Into::into))
    }

    /// Trades the desk's one-time code for this device's credential. The
    /// secret is saved in the keyring (and read back) before the enrollment
    /// is recorded, so a failure leaves this install as it was.
    pub async fn enroll(
        &self,
        server_url: &str,
        code: &str,
        device_name: &str,
    ) -> Result<SyncView, AppError> {
        let server_url = check_server_url(server_url)?;
        let mut errors = Vec::new();
        if code.trim().is_empty() {
            errors.push(field(
                "code",
                "窓口から受け取った登録コードを入力してください。",
            ));
        }
        if device_name.trim().is_empty() {
            errors.push(field(
                "deviceName",
                "この端末の名前を入力してください（例: 診察室PC）。",
            ));
        }
        if !errors.is_empty() {
            return Err(AppError::validation(errors));
        }
        let keys = self.keys.clone().ok_or_else(no_keyring)?;
        let request = EnrollRequest {
            version: PROTOCOL_VERSION,
            code: code.trim().to_string(),
            device_name: device_name.trim().to_string(),
        };
        let response = client()?
            .post(format!("{server_url}/v1/enroll"))
            .json(&request)
            .send()
            .await
            .map_err(unreachable)?;
        let enrolled: EnrollResponse = read(response).await.map_err(|e| {
            if e.code == ErrorCode::Validation {
                AppError::validation(vec![field("code", &e.message)])
            } else {
                e
            }
        })?;
        let device = enrolled.device_id.to_string();
        let secret = enrolled.secret.clone();
        tokio::task::spawn_blocking(move || keys.save_sync_secret(&device, &secret))
            .await
            .map_err(|_| no_keyring())??;
        let record = SyncDevice {
            server_url,
            device_id: enrolled.device_id,
            organisation_id: enrolled.organisation.id,
            organisation_name: enrolled.organisation.name,
            enrolled_at: self.clock.now(),
        };
        self.store.save_sync_device(&record, &self.actor()).await?;
        Ok(record.into())
    }

    /// Asks the server who this device is: its organisation's name, or why
    /// it cannot say (unreachable, revoked, …).
    pub async fn check_connection(&self) -> Result<String, AppError> {
        let device = self.store.sync_device().await?.ok_or_else(|| {
            AppError::new(
                ErrorCode::Validation,
                "地域連携サーバーに登録されていません。",
            )
        })?;
        let keys = self.keys.clone().ok_or_else(no_keyring)?;
        let secret = load_secret(keys, device.device_id).await?;
        #[derive(serde::Deserialize)]
        struct Me {
            organisation: tsunagu_protocol::Organisation,
        }
        let response = client()?
            .get(format!("{}/v1/device", device.server_url))
            .bearer_auth(format!("{}.{secret}", device.device_id))
            .send()
            .await
            .map_err(unreachable)?;
        let me: Me = read(response).await?;
        Ok(me.organisation.name)
    }
}

fn field(name: &str, message: &str) -> FieldMessage {
    FieldMessage {
        field: name.to_string(),
        message: message.to_string(),
    }
}

/// `https://…`, or `http://` to this machine only (development): the
/// address without a trailing slash.
fn check_server_url(raw: &str) -> Result<String, AppError> {
    let bad = |message: &str| AppError::validation(vec![field("serverUrl", message)]);
    let url = reqwest::Url::parse(raw.trim())
        .map_err(|_| bad("サーバーのアドレスを https://… の形で入力してください。"))?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(bad(
                "暗号化されていない接続（http://）は使えません。https:// のアドレスを入力してください。",
            ));
        }
        _ => {
            return Err(bad(
                "サーバーのアドレスを https://… の形で入力してください。",
            ));
        }
    }
    if url.host_str().is_none() || url.query().is_some() {
        return Err(bad(
            "サーバーのアドレスを https://… の形で入力してください。",
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// Redirects are not followed: the server never sends one, and following
/// it would hand the device's credential and the clinic's data to wherever
/// it points.
pub(crate) fn client() -> Result<reqwest::Client, AppError> {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|_| AppError::new(ErrorCode::Internal, "通信の準備ができませんでした。"))
}

pub(crate) fn unreachable(_: reqwest::Error) -> AppError {
    AppError::new(
        ErrorCode::Network,
        "地域連携サーバーに接続できません。アドレスとネットワークの接続を確認してください。",
    )
}

/// The device's secret from the OS keyring (off the async threads: the
/// Secret Service call blocks).
pub(crate) async fn load_secret(keys: KeyringKeys, device: Uuid) -> Result<String, AppError> {
    let id = device.to_string();
    Ok(
        tokio::task::spawn_blocking(move || keys.load_sync_secret(&id))
            .await
            .map_err(|_| no_keyring())??,
    )
}

pub(crate) fn no_keyring() -> AppError {
    AppError::from(tsunagu_store::StoreError::KeyringUnavailable(String::new()))
}

/// The body as `T` on success; otherwise the server's own message (it is
/// written for users), or a plain one if the reply is not what the
/// protocol says.
pub(crate) async fn read<T: DeserializeOwned>(response: reqwest::Response) -> Result<T, AppError> {
    let status = response.status();
    let bytes = response.bytes().await.map_err(unreachable)?;
    if status.is_success() {
        return serde_json::from_slice(&bytes).map_err(|_| garbled());
    }
    let body: ErrorBody = serde_json::from_slice(&bytes).map_err(|_| garbled())?;
    let code = match body.code {
        WireCode::InvalidCode | WireCode::Malformed | WireCode::TooLarge => ErrorCode::Validation,
        _ => ErrorCode::Network,
    };
    Err(AppError::new(code, body.message))
}

pub(crate) fn garbled() -> AppError {
    AppError::new(
        ErrorCode::Network,
        "地域連携サーバーの応答を読めませんでした。アドレスが正しいか確認してください。",
    )
}
