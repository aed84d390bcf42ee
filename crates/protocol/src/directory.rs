//! The regional directory on the wire (version 9): a device asks for the
//! listings changed after the directory version it holds, a page at a
//! time, and keeps them in its encrypted store to search offline. Listings
//! are not fanned out into every clinic's feed: one table's version order
//! serves every device.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Versioned;
use crate::decode::{Bounded, DecodeError};

/// The most listings in one page.
pub const MAX_DIRECTORY_LIMIT: u32 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryRequest {
    pub version: u16,
    /// The directory version the device holds (0: none yet).
    pub since: i64,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectoryResponse {
    /// In directory-version order.
    pub listings: Vec<WireListing>,
    /// Store this with the page: the next request's `since`.
    pub through: i64,
    pub more: bool,
}

/// One organisation as the directory lists it, whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireListing {
    pub id: Uuid,
    pub name: String,
    pub name_kana: String,
    /// The domain's `OrganisationKind` code.
    pub kind: String,
    pub phone: String,
    pub fax: String,
    pub address: String,
    pub hours: String,
    pub municipalities: Vec<String>,
    pub area_detail: String,
    pub radius_km: Option<u16>,
    /// The domain's `Offer` codes.
    pub offers: Vec<String>,
    /// The domain's `Accepting` code.
    pub accepting: Option<String>,
    pub care_managers: Option<u16>,
    /// When each part (the domain's `ProfilePart` code) was last confirmed.
    pub confirmed: Vec<WireConfirmed>,
    pub beds: Vec<WireBeds>,
    /// Stopped organisations are listed so a device's copy learns it.
    pub stopped: bool,
    pub directory_version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireConfirmed {
    pub part: String,
    pub at: DateTime<Utc>,
}

/// A hospital's beds of one ward type (the domain's `WardType` code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireBeds {
    pub ward_type: String,
    pub capacity: u16,
    pub available: u16,
    pub updated_at: DateTime<Utc>,
}

impl Versioned for DirectoryRequest {
    fn version(&self) -> u16 {
        self.version
    }
}

impl Bounded for DirectoryRequest {
    fn check_bounds(&self) -> Result<(), DecodeError> {
        if self.limit > MAX_DIRECTORY_LIMIT {
            return Err(DecodeError::TooLarge {
                what: "1回に受け取る機関",
                max: MAX_DIRECTORY_LIMIT as usize,
            });
        }
        if self.since < 0 {
            return Err(DecodeError::Malformed);
        }
        Ok(())
    }
}
