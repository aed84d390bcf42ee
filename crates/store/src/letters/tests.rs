use super::*;
use crate::{OpenMode, StoreKey};

#[tokio::test]
async fn issued_letters_and_referral_events_refuse_edits() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_file(
        &dir.path().join("s.db"),
        &StoreKey::generate(),
        OpenMode::CreateNew,
    )
    .await
    .unwrap();
    // One connection: the pragma is per connection.
    let mut conn = store.pool.acquire().await.unwrap();
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO letters VALUES ('l', 'p', 'referral', 1, NULL, NULL, 'x', '', '', '{}', '{}', x'00', 'h', '2026-05-12', 't', 'a')",
    )
    .execute(&mut *conn)
    .await
    .unwrap();
    for sql in ["UPDATE letters SET pdf = x'01'", "DELETE FROM letters"] {
        let err = sqlx::query(sql).execute(&mut *conn).await.unwrap_err();
        assert!(err.to_string().contains("immutable"), "{sql}: {err}");
    }
    sqlx::query("INSERT INTO referral_events (id, referral_id, status, details, source, at, actor) VALUES ('e', 'r', 'sent', '{}', 'clinic', 't', 'a')")
        .execute(&mut *conn)
        .await
        .unwrap();
    let err = sqlx::query("UPDATE referral_events SET status = 'closed'")
        .execute(&mut *conn)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("append-only"));
}
