//! Reading a request body: its version first, then the rest, then the
//! limits — so a wrong version or a huge array is refused with a code and
//! nothing else is looked at.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::{ErrorCode, SUPPORTED, Versioned};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("要求の形式が正しくありません")]
    Malformed,
    #[error("このバージョン（{0}）の要求には対応していません。アプリを更新してください")]
    UnsupportedVersion(u16),
    #[error("要求が大きすぎます（{what}は{max}件まで）")]
    TooLarge { what: &'static str, max: usize },
}

impl DecodeError {
    pub fn code(&self) -> ErrorCode {
        match self {
            DecodeError::Malformed => ErrorCode::Malformed,
            DecodeError::UnsupportedVersion(_) => ErrorCode::UnsupportedVersion,
            DecodeError::TooLarge { .. } => ErrorCode::TooLarge,
        }
    }
}

#[derive(Deserialize)]
struct Probe {
    version: u16,
}

/// Requests whose size the server bounds beyond the body limit.
pub trait Bounded {
    /// `Err` names what is over its limit.
    fn check_bounds(&self) -> Result<(), DecodeError>;
}

/// Decodes a request body of type `T`, checking its version and bounds.
pub fn decode_request<T>(body: &[u8]) -> Result<T, DecodeError>
where
    T: DeserializeOwned + Versioned + Bounded,
{
    let probe: Probe = serde_json::from_slice(body).map_err(|_| DecodeError::Malformed)?;
    if !SUPPORTED.contains(&probe.version) {
        return Err(DecodeError::UnsupportedVersion(probe.version));
    }
    let request: T = serde_json::from_slice(body).map_err(|_| DecodeError::Malformed)?;
    request.check_bounds()?;
    Ok(request)
}
