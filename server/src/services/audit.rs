//! The audit log: who did or read what. Every service records here; the
//! administrator reads it (and that reading is itself recorded).

use chrono::NaiveDate;
use sqlx::{PgConnection, PgPool};

pub(crate) use crate::db::audit::Entry;
use crate::db::audit::{self as log, Filter};

/// One row: `actor` (`user:<id>`, `device:<id>`, `admin:<name>`) did
/// `action` to the entity.
pub(crate) async fn record(
    conn: &mut PgConnection,
    actor: &str,
    action: &str,
    entity_kind: &str,
    entity_id: &str,
) -> sqlx::Result<()> {
    log::record(conn, actor, action, entity_kind, entity_id).await
}

/// Each referral a device pulled: one `read` row per referral.
pub(crate) async fn record_pulled(
    pool: &PgPool,
    actor: &str,
    referrals: &[String],
) -> sqlx::Result<()> {
    log::record_referral_reads(pool, actor, "read", referrals).await
}

/// A list shows patients' names: each one listed is a read.
pub(crate) async fn record_listed(
    conn: &mut PgConnection,
    actor: &str,
    referrals: &[String],
) -> sqlx::Result<()> {
    if referrals.is_empty() {
        return Ok(());
    }
    log::record_referral_reads(conn, actor, "list", referrals).await
}

/// How many rows a page of the log shows.
pub(crate) const PAGE_ROWS: i64 = 300;

/// What the administrator searches by; empty texts filter nothing.
pub(crate) struct Search<'a> {
    /// A login, or part of a person's or device's name.
    pub who: &'a str,
    /// Part of a patient's name or reading.
    pub patient: &'a str,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The page after this row (older rows).
    pub before: Option<i64>,
}

/// A page of the log, newest first. Reading it shows patients' names, so
/// the reading is recorded first.
pub(crate) async fn read(pool: &PgPool, reader: &str, q: &Search<'_>) -> sqlx::Result<Vec<Entry>> {
    let mut conn = pool.acquire().await?;
    record(&mut conn, reader, "view-audit-log", "audit_log", "").await?;
    drop(conn);
    let filter = Filter {
        who: like(q.who),
        patient: like(q.patient),
        from: q.from,
        to: q.to,
        before: q.before,
        limit: PAGE_ROWS,
    };
    log::entries(pool, &filter).await
}

/// An ILIKE pattern matching the text anywhere, its wildcards escaped.
fn like(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| {
        format!(
            "%{}%",
            text.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        )
    })
}
