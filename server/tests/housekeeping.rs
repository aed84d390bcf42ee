//! The hourly sweep: counted attempts and sessions past keeping go, recent
//! ones (still counting toward a limit) and the audit log stay. Run as the
//! server's own role, which may delete those rows and no others.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use common::*;

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
