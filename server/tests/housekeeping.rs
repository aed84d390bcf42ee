//! The hourly sweep: counted attempts and sessions past keeping go, recent
//! ones (still counting toward a limit) and the audit log stay. Run as the
//! server's own role, which may delete those rows and no others. The same
//! round records team invitations that ran out unanswered.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;
mod portal_visitor;
mod team_region;

use common::*;
use team_region::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_attempts_and_sessions_are_swept_recent_ones_and_the_audit_log_stay() {
    let t = server().await;
    for (sql, age) in [
        (
            "INSERT INTO login_failures (login, address, at) VALUES ('x', '192.0.2.9', now() - make_interval(hours => $1))",
            49,
        ),
        (
            "INSERT INTO login_failures (login, address, at) VALUES ('x', '192.0.2.9', now() - make_interval(hours => $1))",
            1,
        ),
        (
            "INSERT INTO enrollment_failures (address, at) VALUES ('192.0.2.9', now() - make_interval(hours => $1))",
            72,
        ),
        (
            "INSERT INTO enrollment_failures (address, at) VALUES ('192.0.2.9', now() - make_interval(hours => $1))",
            0,
        ),
        (
            "INSERT INTO audit_log (actor, action, entity_kind, entity_id, at) VALUES ('admin:test', 'view', 'referral', 'r', now() - make_interval(hours => $1))",
            1000,
        ),
    ] {
        sqlx::query(sql).bind(age).execute(&t.owner).await.unwrap();
    }
    let removed = tsunagu_server::housekeeping::sweep(&t.pool).await.unwrap();
    assert_eq!(removed, 2);
    let count = |table: &'static str| {
        let owner = t.owner.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
                "SELECT count(*) FROM {table}"
            )))
            .fetch_one(&owner)
            .await
            .unwrap()
        }
    };
    assert_eq!(count("login_failures").await, 1);
    assert_eq!(count("enrollment_failures").await, 1);
    assert!(
        count("audit_log").await >= 1,
        "the audit log is never swept"
    );
}

/// An invitation past its time becomes 期限切れ in the team's history and
/// the clinic's feed, once; one still in time stays as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitations_past_their_time_are_recorded_as_expired_once() {
    let r = region().await;
    sqlx::query("UPDATE team_members SET expires_at = now() - interval '1 hour' WHERE id = $1")
        .bind(r.nurse_member)
        .execute(&r.t.owner)
        .await
        .unwrap();
    let expire = || tsunagu_server::housekeeping::expire_invitations(&r.t.pool);
    assert_eq!(expire().await.unwrap(), 1);
    assert_eq!(expire().await.unwrap(), 0, "recorded once");
    let states: Vec<(uuid::Uuid, String)> =
        sqlx::query_as("SELECT id, state FROM team_members WHERE id = ANY($1) ORDER BY id")
            .bind(vec![r.nurse_member, r.care_member])
            .fetch_all(&r.t.owner)
            .await
            .unwrap();
    for (id, state) in states {
        let wanted = if id == r.nurse_member {
            "expired"
        } else {
            "invited"
        };
        assert_eq!(state, wanted);
    }
    let changes = r.clinic.team_changes(&r.t).await;
    let lines: Vec<&serde_json::Value> = changes
        .iter()
        .filter(|c| c["team_change"] == "history" && c["what"] == "expired")
        .collect();
    assert_eq!(lines.len(), 1, "{changes:?}");
    assert_eq!(lines[0]["member_id"], r.nurse_member.to_string());
}
