use serde::{Deserialize, Serialize};

/// Why the server refused a request: a closed set of codes the client
/// switches on, with a message (Japanese) it may show as is. Never carries
/// patient data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Not JSON, or not the shape this version expects.
    Malformed,
    UnsupportedVersion,
    /// Too many operations, too large a page, too large a body.
    TooLarge,
    /// No credential, or one the server does not know (or revoked).
    Unauthenticated,
    /// A known credential asking for what it may not see or change.
    Forbidden,
    NotFound,
    /// An enrollment code that is wrong, used, or expired.
    InvalidCode,
    RateLimited,
    Internal,
    /// The push named an epoch the server no longer has: it was restored
    /// from a backup. Nothing was applied; the client reads the feed from
    /// its start first (version 4).
    EpochChanged,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
}
