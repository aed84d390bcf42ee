//! `admin backup` and `admin restore` on a real PostgreSQL: a dump taken
//! while the server works, generations pruned, a restore that brings back
//! exactly the dumped state with a new epoch (so clients re-read the feed),
//! and a damaged dump refused with nothing changed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use chrono::{Duration, TimeZone, Utc};
use sqlx::PgPool;
use tsunagu_protocol::OrgKind;
use tsunagu_server::backup::{backup, generations, restore};
use tsunagu_server::db::{RUNTIME_ROLE, connect, connect_and_migrate};
use tsunagu_server::local_pg::{Durability, LocalPostgres};
use uuid::Uuid;

async fn names(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar("SELECT name FROM organisations ORDER BY name")
        .fetch_all(pool)
        .await
        .unwrap()
}

async fn epoch(pool: &PgPool) -> Uuid {
    sqlx::query_scalar("SELECT epoch FROM server_epoch")
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn organisation(pool: &PgPool, name: &str) {
    tsunagu_server::admin::create_organisation(pool, OrgKind::Hospital, name, "admin:test")
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_brings_back_the_dump_with_a_new_epoch_and_a_damaged_one_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cluster = LocalPostgres::start(&dir.path().join("pg"), Durability::Throwaway).unwrap();
    let owner_url = cluster.url("tsunagu");
    let runtime_url = cluster.url_as(RUNTIME_ROLE, "tsunagu");
    let pool = connect_and_migrate(&owner_url, &runtime_url).await.unwrap();
    organisation(&pool, "豊島中央病院").await;
    let before = epoch(&pool).await;

    let folder = dir.path().join("backups");
    let t0 = Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap();
    let dump = backup(&owner_url, &folder, t0, 30).unwrap();
    assert!(dump.exists());
    // Written after the dump: gone after the restore.
    organisation(&pool, "池袋総合病院").await;
    pool.close().await;

    // A dump cut short (a full disk, a pulled USB stick): refused whole.
    let bytes = std::fs::read(&dump).unwrap();
    let cut = dir.path().join("cut.dump");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    assert!(restore(&owner_url, &cut).await.is_err());
    let pool = connect(&runtime_url).await.unwrap();
    assert_eq!(names(&pool).await, ["池袋総合病院", "豊島中央病院"]);
    assert_eq!(epoch(&pool).await, before);
    pool.close().await;

    restore(&owner_url, &dump).await.unwrap();
    let pool = connect(&runtime_url).await.unwrap();
    assert_eq!(names(&pool).await, ["豊島中央病院"]);
    let after = epoch(&pool).await;
    assert_ne!(after, before, "a restored database is a new lifetime");
    // The server's role works on the restored tables, and still may not
    // change the audit log.
    organisation(&pool, "大塚病院").await;
    let tampered = sqlx::query("DELETE FROM audit_log").execute(&pool).await;
    assert!(tampered.is_err());

    // Generations: the newest are kept.
    for hours in 1..=3 {
        backup(&owner_url, &folder, t0 + Duration::hours(hours), 2).unwrap();
    }
    let kept: Vec<String> = generations(&folder)
        .unwrap()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        kept,
        [
            "tsunagu-20261201T040000Z.dump",
            "tsunagu-20261201T050000Z.dump"
        ]
    );
    pool.close().await;
}
