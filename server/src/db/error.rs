//! Database errors as the logs see them.

/// The kind only: a database error can quote the values it refused.
pub(crate) fn log_database_error(e: &sqlx::Error) {
    eprintln!("tsunagu-server: database error ({})", error_kind(e));
}

pub(crate) fn error_kind(e: &sqlx::Error) -> &'static str {
    match e {
        sqlx::Error::Database(_) => "database",
        sqlx::Error::PoolTimedOut => "pool timed out",
        sqlx::Error::Io(_) => "io",
        _ => "other",
    }
}
