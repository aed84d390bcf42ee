//! The audit log: who did or read what, and from which address. Every
//! service records here; the administrator reads it (and that reading is
//! itself recorded, with the terms searched); `admin verify-audit` checks
//! its hash chain.

use std::future::Future;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgExecutor, PgPool};

pub use crate::db::audit::Entry;
use crate::db::audit::{self as log, Break, Filter, NewRow};

tokio::task_local! {
    /// The address of the client whose request is being answered: set
    /// around each request by the HTTP layer, so that every row a request
    /// writes carries it without each service passing it along.
    static CLIENT_ADDRESS: String;
}

/// Runs `request` with `address` as the client address its audit rows
/// record.
pub(crate) async fn with_client_address<F: Future>(address: String, request: F) -> F::Output {
    CLIENT_ADDRESS.scope(address, request).await
}

fn client_address() -> Option<String> {
    CLIENT_ADDRESS.try_with(Clone::clone).ok()
}

async fn insert(
    ex: impl PgExecutor<'_>,
    actor: &str,
    action: &str,
    entity: (&str, &str),
    shown: Option<&[String]>,
    detail: Option<serde_json::Value>,
) -> sqlx::Result<()> {
    let address = client_address();
    let row = NewRow {
        actor,
        action,
        entity_kind: entity.0,
        entity_id: entity.1,
        address: address.as_deref(),
        shown,
        detail,
    };
    log::insert(ex, &row).await
}

/// One row: `actor` (`user:<id>`, `device:<id>`, `admin:<name>`) did
/// `action` to the entity.
pub(crate) async fn record(
    conn: &mut PgConnection,
    actor: &str,
    action: &str,
    entity_kind: &str,
    entity_id: &str,
) -> sqlx::Result<()> {
    insert(conn, actor, action, (entity_kind, entity_id), None, None).await
}

/// One row that says more than who did what: `detail` (never patient
/// data beyond what the person typed as a reason).
pub(crate) async fn record_detailed(
    conn: &mut PgConnection,
    actor: &str,
    action: &str,
    entity: (&str, &str),
    detail: serde_json::Value,
) -> sqlx::Result<()> {
    insert(conn, actor, action, entity, None, Some(detail)).await
}

/// A pushed operation the server refused, and why (the reason is the
/// refusal's fixed text: no patient data).
pub(crate) async fn record_refused_push(
    conn: &mut PgConnection,
    actor: &str,
    op_seq: i64,
    reason: &str,
) -> sqlx::Result<()> {
    let detail = json!({ "reason": reason });
    let entity = ("operation", op_seq.to_string());
    insert(
        conn,
        actor,
        "refused-push",
        (entity.0, &entity.1),
        None,
        Some(detail),
    )
    .await
}

/// Which step of signing in failed.
#[derive(Clone, Copy)]
pub(crate) enum FailedStep {
    Password,
    SecondFactor,
}

/// A failed sign-in, kept for good (the attempt counters are swept after
/// two days). The login as typed names the actor: it may belong to no one.
pub(crate) async fn record_failed_sign_in(
    pool: &PgPool,
    login: &str,
    step: FailedStep,
) -> sqlx::Result<()> {
    let action = match step {
        FailedStep::Password => "sign-in-failed",
        FailedStep::SecondFactor => "second-factor-failed",
    };
    let login: String = login.chars().take(200).collect();
    let actor = format!("login:{login}");
    insert(pool, &actor, action, ("login", &login), None, None).await
}

/// The referrals a device pulled: one `read` row per pulled page.
pub(crate) async fn record_pulled(
    pool: &PgPool,
    actor: &str,
    referrals: &[String],
) -> sqlx::Result<()> {
    insert(pool, actor, "read", ("referral", ""), Some(referrals), None).await
}

/// A list shows patients' names: one `list` row per page view, naming
/// every referral listed.
pub(crate) async fn record_listed(
    conn: &mut PgConnection,
    actor: &str,
    referrals: &[String],
) -> sqlx::Result<()> {
    if referrals.is_empty() {
        return Ok(());
    }
    insert(conn, actor, "list", ("referral", ""), Some(referrals), None).await
}

/// How many rows a page of the log shows.
pub const PAGE_ROWS: i64 = 300;

/// What the administrator searches by; empty texts filter nothing.
pub struct Search<'a> {
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
/// the reading, and what was searched for, is recorded first.
pub async fn read(pool: &PgPool, reader: &str, q: &Search<'_>) -> sqlx::Result<Vec<Entry>> {
    let searched = json!({
        "who": q.who.trim(),
        "patient": q.patient.trim(),
        "from": q.from,
        "to": q.to,
        "before": q.before,
    });
    insert(
        pool,
        reader,
        "view-audit-log",
        ("audit_log", ""),
        None,
        Some(searched),
    )
    .await?;
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

/// What `admin verify-audit` reports.
#[derive(Debug)]
pub enum ChainReport {
    /// Every row links to the one before and the head names the last.
    Intact {
        rows: i64,
        head_seq: i64,
        /// Hex; written down elsewhere, it shows later that no row up to
        /// `head_seq` was rewritten since (ADR 0015).
        head_hash: String,
    },
    /// The first row whose content or link is not what was written.
    BrokenAt { seq: i64, at: DateTime<Utc> },
    /// The newest rows are missing after `last` (none: all of them).
    Truncated { last: Option<i64>, head: i64 },
}

/// Walks the hash chain of the whole log.
pub async fn verify_chain(pool: &PgPool) -> sqlx::Result<ChainReport> {
    let mut conn = pool.acquire().await?;
    let verified = log::verify_chain(&mut conn).await?;
    Ok(match verified.first_break {
        None => ChainReport::Intact {
            rows: verified.rows,
            head_seq: verified.head_seq,
            head_hash: hex::encode(verified.head_hash),
        },
        Some(Break::Row { seq, at }) => ChainReport::BrokenAt { seq, at },
        Some(Break::Truncated { last, head }) => ChainReport::Truncated { last, head },
    })
}
