//! Savepoints inside a transaction, so that a refused operation (or a
//! refused claim) leaves nothing behind but what is recorded after it.

use sqlx::PgConnection;

pub(crate) async fn create(conn: &mut PgConnection, name: Savepoint) -> sqlx::Result<()> {
    sqlx::query(name.create()).execute(conn).await?;
    Ok(())
}

pub(crate) async fn rollback_to(conn: &mut PgConnection, name: Savepoint) -> sqlx::Result<()> {
    sqlx::query(name.rollback()).execute(conn).await?;
    Ok(())
}

/// The savepoints in use (fixed names: SQL cannot bind them).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Savepoint {
    Operation,
    Claim,
}

impl Savepoint {
    fn create(self) -> &'static str {
        match self {
            Savepoint::Operation => "SAVEPOINT operation",
            Savepoint::Claim => "SAVEPOINT claim",
        }
    }

    fn rollback(self) -> &'static str {
        match self {
            Savepoint::Operation => "ROLLBACK TO SAVEPOINT operation",
            Savepoint::Claim => "ROLLBACK TO SAVEPOINT claim",
        }
    }
}
