//! The audit log (`audit_log`): appended to by every change and every
//! read of patient data; the runtime role cannot change a row of it. Each
//! row is chained to the one before by a hash, computed by the insert
//! trigger of migration 0011 (ADR 0015): [`first_break`] walks the chain.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgExecutor, Postgres, QueryBuilder};

/// One row as written; `seq`, `at` and the hashes are the database's.
pub(crate) struct NewRow<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub entity_kind: &'a str,
    pub entity_id: &'a str,
    /// The client's address, when a request made the row.
    pub address: Option<&'a str>,
    /// The referrals a page or a pull showed (one row per view).
    pub shown: Option<&'a [String]>,
    /// What else the row should say (e.g. the terms searched); never
    /// shown outside the administrator's page.
    pub detail: Option<serde_json::Value>,
}

pub(crate) async fn insert(ex: impl PgExecutor<'_>, row: &NewRow<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (actor, action, entity_kind, entity_id, address, shown, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(row.actor)
    .bind(row.action)
    .bind(row.entity_kind)
    .bind(row.entity_id)
    .bind(row.address)
    .bind(row.shown)
    .bind(&row.detail)
    .execute(ex)
    .await?;
    Ok(())
}

/// The administrator's filter; `None` filters nothing. `who` and
/// `patient` are ILIKE patterns.
pub(crate) struct Filter {
    pub who: Option<String>,
    pub patient: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub before: Option<i64>,
    pub limit: i64,
}

/// An audit row with who the actor is and which patient it concerns.
#[derive(sqlx::FromRow)]
pub struct Entry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub who: String,
    pub action: String,
    pub entity_kind: String,
    pub entity_id: String,
    pub address: Option<String>,
    /// How many referrals the row's page or pull showed.
    pub shown: Option<i32>,
    pub patient: Option<String>,
}

/// Newest first. Only the filters given become SQL, each one an indexed
/// look-up: the persons and devices matching `who` (then `actor` by
/// index), the patients matching `patient` (trigram indexes) and their
/// referrals (then `entity_id` by index and `shown` by its GIN index, in
/// two branches merged), the days by `at`. Names are joined to the page's
/// rows only, by primary key (an id compared as text would defeat the
/// index): `user:<id>` and `device:<id>` from their tables, the patient
/// from the referral or patient the row is about.
pub(crate) async fn entries(ex: impl PgExecutor<'_>, f: &Filter) -> sqlx::Result<Vec<Entry>> {
    let mut q = QueryBuilder::<Postgres>::new("WITH page AS (");
    match &f.patient {
        // Two index-driven branches, each its newest rows: the rows about
        // the patients or their referrals (`entity_id`), and the pages and
        // pulls that showed their referrals (`shown`).
        Some(patient) => {
            q.push(
                "SELECT seq, at, actor, action, entity_kind, entity_id, address, shown
                 FROM audit_log WHERE seq IN (SELECT seq FROM ((",
            );
            page_branch(&mut q, f, "seq", |q| {
                q.push(" AND a.entity_id = ANY(ARRAY(SELECT p.id::text FROM patients p WHERE ");
                patient_match(q, patient);
                q.push(" UNION ALL SELECT r.id::text FROM referrals r JOIN patients p ON p.id = r.patient_id WHERE ");
                patient_match(q, patient);
                q.push("))");
            });
            q.push(") UNION ALL (");
            page_branch(&mut q, f, "seq", |q| {
                q.push(" AND a.shown && ARRAY(SELECT r.id::text FROM referrals r JOIN patients p ON p.id = r.patient_id WHERE ");
                patient_match(q, patient);
                q.push(")");
            });
            q.push(")) x ORDER BY seq DESC LIMIT ")
                .push_bind(f.limit)
                .push(")");
        }
        None => page_branch(
            &mut q,
            f,
            "seq, at, actor, action, entity_kind, entity_id, address, shown",
            |_| {},
        ),
    }
    q.push(
        ")
         SELECT a.seq, a.at, a.action, a.entity_kind, a.entity_id, a.address,
           cardinality(a.shown) AS shown,
           coalesce(u.login || '（' || u.display_name || '）',
                    d.name || '（' || o.name || '）', a.actor) AS who,
           coalesce(rp.name, pp.name) AS patient
         FROM page a
         LEFT JOIN users u ON a.actor = 'user:' || u.id::text
         LEFT JOIN devices d ON a.actor = 'device:' || d.id::text
         LEFT JOIN organisations o ON o.id = d.organisation_id
         LEFT JOIN referrals r ON r.id = CASE WHEN a.entity_kind = 'referral'
           AND a.entity_id ~ '^[0-9a-f-]{36}$' THEN a.entity_id::uuid END
         LEFT JOIN patients rp ON rp.id = r.patient_id
         LEFT JOIN patients pp ON pp.id = CASE WHEN a.entity_kind = 'patient'
           AND a.entity_id ~ '^[0-9a-f-]{36}$' THEN a.entity_id::uuid END
         ORDER BY a.seq DESC",
    );
    q.build_query_as().fetch_all(ex).await
}

/// `p.name ILIKE … OR p.kana ILIKE …` (trigram indexes).
fn patient_match(q: &mut QueryBuilder<Postgres>, pattern: &str) {
    q.push("(p.name ILIKE ")
        .push_bind(pattern.to_string())
        .push(" OR p.kana ILIKE ")
        .push_bind(pattern.to_string())
        .push(")");
}

/// The newest `limit` rows matching the filter's person and days, and
/// whatever `more` adds: their `columns` (a patient's branches take `seq`
/// only, so that sorting thousands of matches does not carry their lists).
fn page_branch(
    q: &mut QueryBuilder<Postgres>,
    f: &Filter,
    columns: &'static str,
    more: impl FnOnce(&mut QueryBuilder<Postgres>),
) {
    q.push("SELECT ")
        .push(columns)
        .push(" FROM audit_log a WHERE TRUE");
    if let Some(who) = &f.who {
        q.push(
            " AND (a.actor = ANY(ARRAY(
                 SELECT 'user:' || u.id::text FROM users u
                 WHERE u.login || '（' || u.display_name || '）' ILIKE ",
        )
        .push_bind(who.clone())
        .push(
            " UNION ALL SELECT 'device:' || d.id::text FROM devices d
                 JOIN organisations o ON o.id = d.organisation_id
                 WHERE d.name || '（' || o.name || '）' ILIKE ",
        )
        .push_bind(who.clone())
        .push(")) OR (a.actor NOT LIKE 'user:%' AND a.actor NOT LIKE 'device:%' AND a.actor ILIKE ")
        .push_bind(who.clone())
        .push("))");
    }
    if let Some(from) = f.from {
        q.push(" AND a.at >= (")
            .push_bind(from)
            .push("::date)::timestamp AT TIME ZONE 'Asia/Tokyo'");
    }
    if let Some(to) = f.to {
        q.push(" AND a.at < (")
            .push_bind(to)
            .push("::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo'");
    }
    if let Some(before) = f.before {
        q.push(" AND a.seq < ").push_bind(before);
    }
    more(q);
    // A patient's branch: `seq + 0`, so that the planner gathers the
    // matches by their indexes and sorts them, instead of walking the
    // whole log newest first testing each row against every referral.
    let order = if f.patient.is_some() {
        " ORDER BY a.seq + 0 DESC LIMIT "
    } else {
        " ORDER BY a.seq DESC LIMIT "
    };
    q.push(order).push_bind(f.limit);
}

/// Where the chain first fails to hold.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Break {
    /// This row's content or its link to the row before is not what was
    /// written: changed, or a row before it removed.
    Row { seq: i64, at: DateTime<Utc> },
    /// The newest rows are gone: the chain's head names a later row than
    /// the last one left (`last`, none if the log is empty).
    Truncated { last: Option<i64>, head: i64 },
}

/// The chain as verified: its length and head, or its first break.
pub(crate) struct Verified {
    pub rows: i64,
    pub head_seq: i64,
    pub head_hash: Vec<u8>,
    pub first_break: Option<Break>,
}

/// Recomputes every row's hash in order (by `audit_row_hash`, the
/// function the insert trigger uses) and compares the links and the head.
/// Takes as long as the log is big: no statement timeout here.
pub(crate) async fn verify_chain(conn: &mut sqlx::PgConnection) -> sqlx::Result<Verified> {
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    sqlx::query("SET LOCAL statement_timeout = 0")
        .execute(&mut *tx)
        .await?;
    let broken: Option<(i64, DateTime<Utc>)> = sqlx::query_as(
        "SELECT seq, at FROM (
             SELECT a.seq, a.at, a.prev_hash, a.hash,
               coalesce(lag(a.hash) OVER (ORDER BY a.seq), '\\x'::bytea) AS expected_prev,
               audit_row_hash(a.prev_hash, a) AS recomputed
             FROM audit_log a) c
         WHERE c.prev_hash <> c.expected_prev OR c.hash <> c.recomputed
         ORDER BY seq LIMIT 1",
    )
    .fetch_optional(&mut *tx)
    .await?;
    let (rows, last_seq, last_hash): (i64, Option<i64>, Option<Vec<u8>>) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM audit_log),
                (SELECT max(seq) FROM audit_log),
                (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1)",
    )
    .fetch_one(&mut *tx)
    .await?;
    let (head_seq, head_hash): (i64, Vec<u8>) =
        sqlx::query_as("SELECT last_seq, last_hash FROM audit_chain_head")
            .fetch_one(&mut *tx)
            .await?;
    tx.commit().await?;
    let first_break = match broken {
        Some((seq, at)) => Some(Break::Row { seq, at }),
        None if last_seq.unwrap_or(0) != head_seq
            || last_hash.as_ref().is_some_and(|h| *h != head_hash) =>
        {
            Some(Break::Truncated {
                last: last_seq,
                head: head_seq,
            })
        }
        None => None,
    };
    Ok(Verified {
        rows,
        head_seq,
        head_hash,
        first_break,
    })
}
