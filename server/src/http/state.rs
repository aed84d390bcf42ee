//! What every handler is given.

use std::net::IpAddr;

use sqlx::PgPool;

use crate::http::limits::Limits;
use crate::services::directory_index::DirectoryIndex;
use crate::services::hashing::HashingGate;
use crate::services::live::Live;

#[derive(Clone)]
pub struct ServerState {
    pub pool: PgPool,
    /// Served over HTTPS by this process (plain HTTP is for loopback
    /// development and tests only): portal cookies carry `Secure`.
    pub secure_cookies: bool,
    /// The TLS reverse proxy in front, if any: only its `X-Forwarded-For`
    /// and `X-Forwarded-Proto` are believed (`TSUNAGU_TRUSTED_PROXY`).
    pub trusted_proxy: Option<IpAddr>,
    /// Password hashing, bounded for this process.
    pub hashing: HashingGate,
    /// Time and concurrency limits on requests.
    pub limits: Limits,
    /// The live streams' hub (started by `serve`).
    pub live: Live,
    /// This process's copy of the directory's facts, for the portal's
    /// search.
    pub directory: DirectoryIndex,
}

impl ServerState {
    pub fn new(pool: PgPool) -> ServerState {
        ServerState {
            pool,
            secure_cookies: false,
            trusted_proxy: None,
            hashing: HashingGate::for_this_machine(),
            limits: Limits::default(),
            live: Live::new(),
            directory: DirectoryIndex::default(),
        }
    }
}
