//! Whether the server can work, and how a database failure is logged
//! (by its kind only: a database error can quote the values it refused).

use sqlx::PgPool;

pub(crate) use crate::db::error::{is_statement_timeout, log_database_error};

/// The health check: the database answers.
pub(crate) async fn check(pool: &PgPool) -> sqlx::Result<()> {
    crate::db::ping(pool).await
}
