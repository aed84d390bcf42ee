use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Versioned;
use crate::decode::{Bounded, DecodeError};

/// The physician enters the server's address and the one-time code the
/// desk gave them; the app sends this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollRequest {
    pub version: u16,
    pub code: String,
    /// Shown to the desk to tell devices apart, e.g. 診察室PC.
    pub device_name: String,
}

/// The device's credential: `secret` goes to the OS keyring and never to
/// the webview; the server keeps only its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollResponse {
    pub device_id: Uuid,
    pub secret: String,
    pub organisation: Organisation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    Clinic,
    Hospital,
    /// The medical association's home-care desk (在宅医療相談窓口).
    Desk,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: Uuid,
    pub name: String,
    pub kind: OrgKind,
}

impl Versioned for EnrollRequest {
    fn version(&self) -> u16 {
        self.version
    }
}

const MAX_CODE_CHARS: usize = 64;
const MAX_DEVICE_NAME_CHARS: usize = 100;

impl Bounded for EnrollRequest {
    fn check_bounds(&self) -> Result<(), DecodeError> {
        if self.code.chars().count() > MAX_CODE_CHARS {
            return Err(DecodeError::TooLarge {
                what: "登録コードの文字数",
                max: MAX_CODE_CHARS,
            });
        }
        if self.device_name.chars().count() > MAX_DEVICE_NAME_CHARS {
            return Err(DecodeError::TooLarge {
                what: "端末名の文字数",
                max: MAX_DEVICE_NAME_CHARS,
            });
        }
        Ok(())
    }
}
