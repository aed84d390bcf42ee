//! What every handler is given.

use sqlx::PgPool;

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
