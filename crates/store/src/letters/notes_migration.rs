use crate::{OpenMode, Store, StoreKey};

/// Migration 0011 rebuilds `referral_events` to let a note stand alone.
/// Run again over a store holding events (as after a crash before sqlx
/// recorded it), it keeps every row and the rows that point at them,
/// the immutability triggers, and foreign keys on.
#[tokio::test]
async fn rebuilding_the_events_table_keeps_rows_triggers_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_file(
        &dir.path().join("s.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .unwrap();
    let mut conn = store.pool.acquire().await.unwrap();
    for sql in [
        "PRAGMA foreign_keys = OFF",
        "INSERT INTO referral_events (id, referral_id, status, details, voids, note, source, actor, at)
         VALUES ('e1', 'r', 'sent', '{}', NULL, '', 'clinic', 'a', 't'),
                ('e2', 'r', NULL, NULL, 'e1', '誤り', 'clinic', 'a', 't')",
        "INSERT INTO synced_events (event_id, feed_seq) VALUES ('e1', 7)",
        "PRAGMA foreign_keys = ON",
    ] {
        sqlx::query(sql).execute(&mut *conn).await.unwrap();
    }
    let migration = include_str!("../../migrations/0011_notes.sql");
    sqlx::raw_sql(sqlx::AssertSqlSafe(migration))
        .execute(&mut *conn)
        .await
        .unwrap();
    let rows: Vec<(String, Option<String>, String)> =
        sqlx::query_as("SELECT id, voids, note FROM referral_events ORDER BY seq")
            .fetch_all(&mut *conn)
            .await
            .unwrap();
    assert_eq!(
        rows,
        [
            ("e1".to_string(), None, String::new()),
            ("e2".to_string(), Some("e1".to_string()), "誤り".to_string())
        ]
    );
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(fk, 1);
    let synced: i64 =
        sqlx::query_scalar("SELECT feed_seq FROM synced_events WHERE event_id = 'e1'")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    assert_eq!(synced, 7);
    let err = sqlx::query("UPDATE referral_events SET note = 'x'")
        .execute(&mut *conn)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    // A note on its own is allowed now; an empty event still is not.
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO referral_events (id, referral_id, note, source, actor, at)
         VALUES ('e3', 'r', '退院は来月の見込みです', 'liaison', 'h', 't')",
    )
    .execute(&mut *conn)
    .await
    .unwrap();
    let err = sqlx::query(
        "INSERT INTO referral_events (id, referral_id, note, source, actor, at)
         VALUES ('e4', 'r', '', 'liaison', 'h', 't')",
    )
    .execute(&mut *conn)
    .await
    .unwrap_err();
    assert!(err.to_string().contains("CHECK"), "{err}");
}
