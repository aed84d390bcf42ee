//! What the server's benchmarks share: a portal session made directly in
//! the database, and the figures printed against a budget.

use std::time::Duration;

use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

/// p50, p99 and the largest of `times`, against `budget` for the p99.
pub fn report(label: &str, times: &mut [Duration], budget: Duration) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    let p99 = at(0.99);
    println!(
        "{label}: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} samples; budget p99 ≤ {} ms)  {}",
        at(0.5).as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3,
        times.len(),
        budget.as_millis(),
        if p99 <= budget { "ok" } else { "OVER BUDGET" }
    );
}

/// A person of `organisation` with a live portal session in `role`: its
/// cookie token.
pub async fn session_for(
    owner: &PgPool,
    organisation: Uuid,
    login: &str,
    role: &str,
    profession: &str,
) -> String {
    let user = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO users (id, organisation_id, login, display_name, role, password_hash,
           must_change_password, totp_secret, profession)
         VALUES ($1, $2, $3, '田中 ゆき', $5, 'x', false, 'JBSWY3DPEHPK3PXP', $4)",
    )
    .bind(user)
    .bind(organisation)
    .bind(login)
    .bind(profession)
    .bind(role)
    .execute(owner)
    .await
    .unwrap();
    let token = hex::encode(rand::random::<[u8; 32]>());
    sqlx::query(
        "INSERT INTO portal_sessions (token_sha256, user_id, stage, csrf_token)
         VALUES ($1, $2, 'full', $3)",
    )
    .bind(hex::encode(Sha256::digest(token.as_bytes())))
    .bind(user)
    .bind(hex::encode(rand::random::<[u8; 32]>()))
    .execute(owner)
    .await
    .unwrap();
    token
}
