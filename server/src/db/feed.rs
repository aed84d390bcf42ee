//! The change feeds (`scope_counters`, `change_log`): what each device
//! pulls, numbered per scope.

use sqlx::{PgConnection, PgExecutor};
use tsunagu_protocol::{ChangeBody, OrgKind};
use uuid::Uuid;

use crate::model::Scope;

/// Appends to a scope's feed with the next number from its counter row.
/// The row stays locked until this transaction commits, so numbers are
/// handed out, and become visible, in commit order with no gaps. The
/// first protocol version that can read the change is kept beside it
/// (a pull sends the body as stored, without decoding it).
pub(crate) async fn append(
    conn: &mut PgConnection,
    scope: Scope,
    referral: Option<Uuid>,
    body: &ChangeBody,
) -> Result<(), sqlx::Error> {
    let scope = scope.to_string();
    sqlx::query("INSERT INTO scope_counters (scope) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(&scope)
        .execute(&mut *conn)
        .await?;
    let seq: i64 = sqlx::query_scalar(
        "UPDATE scope_counters SET last = last + 1 WHERE scope = $1 RETURNING last",
    )
    .bind(&scope)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO change_log (scope, seq, referral_id, body, since_version)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&scope)
    .bind(seq)
    .bind(referral)
    .bind(super::json(body)?)
    .bind(i32::from(body.since_version()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A change as stored: its body as JSON text (what the server wrote from
/// a `ChangeBody`), the first protocol version that can read it, and
/// whether the reader may still see it.
#[derive(sqlx::FromRow)]
pub(crate) struct Stored {
    pub seq: i64,
    pub body: String,
    pub since_version: i32,
    pub referral_id: Option<Uuid>,
    pub visible: bool,
}

/// Up to `limit` changes of `scope` after `cursor`. For the desk and
/// hospitals, a referral's change is marked invisible once the consent
/// that let them see it is withdrawn.
pub(crate) async fn page(
    ex: impl PgExecutor<'_>,
    scope: Scope,
    reader: OrgKind,
    cursor: i64,
    limit: i64,
) -> sqlx::Result<Vec<Stored>> {
    let consent_filter = match reader {
        OrgKind::Clinic => "TRUE",
        OrgKind::Desk => {
            "EXISTS (SELECT 1 FROM referrals r JOIN consents c ON c.patient_id = r.patient_id
              WHERE r.id = l.referral_id AND c.withdrawn_on IS NULL AND c.desk)"
        }
        OrgKind::Hospital => {
            "EXISTS (SELECT 1 FROM referrals r
              WHERE r.id = l.referral_id AND hospital_may_see(r.patient_id, r.hospital_id))"
        }
    };
    let sql = format!(
        "SELECT l.seq, l.body::text AS body, l.since_version, l.referral_id,
                l.referral_id IS NULL OR {consent_filter} AS visible
         FROM change_log l WHERE l.scope = $1 AND l.seq > $2 ORDER BY l.seq LIMIT $3"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(scope.to_string())
        .bind(cursor)
        .bind(limit)
        .fetch_all(ex)
        .await
}

/// The body of the newest change of `kind` about `patient` in `scope`'s
/// feed (e.g. the identity a clinic last shared, for its own devices).
pub(crate) async fn latest_about_patient(
    conn: &mut PgConnection,
    scope: Scope,
    kind: &str,
    patient: Uuid,
) -> sqlx::Result<Option<serde_json::Value>> {
    sqlx::query_scalar(
        "SELECT body FROM change_log
         WHERE scope = $1 AND body->>'change' = $2 AND body->>'patient_id' = $3
         ORDER BY seq DESC LIMIT 1",
    )
    .bind(scope.to_string())
    .bind(kind)
    .bind(patient.to_string())
    .fetch_optional(conn)
    .await
}
