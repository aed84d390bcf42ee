//! Database errors as the logs see them.

/// The kind only: a database error can quote the values it refused.
pub(crate) fn log_database_error(e: &sqlx::Error) {
    eprintln!("tsunagu-server: database error ({})", error_kind(e));
}

pub(crate) fn error_kind(e: &sqlx::Error) -> &'static str {
    match e {
        _ if is_statement_timeout(e) => "statement timeout",
        sqlx::Error::Database(_) => "database",
        sqlx::Error::PoolTimedOut => "pool timed out",
        sqlx::Error::Io(_) => "io",
        _ => "other",
    }
}

/// The statement ran past the pool's `statement_timeout` (SQLSTATE 57014,
/// query_canceled): the server is busy or the query too broad, not broken.
pub(crate) fn is_statement_timeout(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|code| code == "57014")
}
