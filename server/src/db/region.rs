//! `region_municipalities` (migration 0029): the region's 市区町村 in the
//! desk's order.

use sqlx::PgConnection;

pub(crate) async fn municipalities(conn: &mut PgConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT name FROM region_municipalities ORDER BY position")
        .fetch_all(conn)
        .await
}

/// Replaces the list.
pub(crate) async fn set(conn: &mut PgConnection, names: &[String]) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM region_municipalities")
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO region_municipalities (name, position)
         SELECT name, n FROM unnest($1::text[]) WITH ORDINALITY AS u(name, n)",
    )
    .bind(names)
    .execute(conn)
    .await?;
    Ok(())
}
