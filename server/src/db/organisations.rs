//! Organisations (`organisations`): the desk, clinics, hospitals and the
//! other kinds that sign in to the portal (stored as the domain's codes).

use sqlx::{PgConnection, PgExecutor};
use tsunagu_domain::directory::search::listing_name_key;
use uuid::Uuid;

pub(crate) async fn insert(
    conn: &mut PgConnection,
    id: Uuid,
    kind: &str,
    name: &str,
    requires_approval: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO organisations (id, kind, name, requires_approval, search_key)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(kind)
    .bind(name)
    .bind(requires_approval)
    .bind(listing_name_key(name, ""))
    .execute(conn)
    .await?;
    Ok(())
}

/// (name, kind) of one that must exist.
pub(crate) async fn name_and_kind(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<(String, String)> {
    sqlx::query_as("SELECT name, kind FROM organisations WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
}

pub(crate) async fn kind(ex: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT kind FROM organisations WHERE id = $1")
        .bind(id)
        .fetch_optional(ex)
        .await
}

pub(crate) async fn clinic_ids(conn: &mut PgConnection) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar("SELECT id FROM organisations WHERE kind = 'clinic' ORDER BY id")
        .fetch_all(conn)
        .await
}

/// Every registered hospital, (id, name) by name.
pub(crate) async fn hospitals(conn: &mut PgConnection) -> sqlx::Result<Vec<(Uuid, String)>> {
    sqlx::query_as("SELECT id, name FROM organisations WHERE kind = 'hospital' ORDER BY name")
        .fetch_all(conn)
        .await
}

/// `id` if it is a registered hospital.
pub(crate) async fn registered_hospital(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar("SELECT id FROM organisations WHERE id = $1 AND kind = 'hospital'")
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub(crate) async fn hospital_name(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1 AND kind = 'hospital'")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// (name, kind) of one, if it exists.
pub(crate) async fn find(
    ex: impl PgExecutor<'_>,
    id: Uuid,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as("SELECT name, kind FROM organisations WHERE id = $1")
        .bind(id)
        .fetch_optional(ex)
        .await
}

/// An organisation with its active accounts and devices.
#[derive(sqlx::FromRow)]
pub(crate) struct Overview {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub requires_approval: bool,
    pub phone: String,
    pub fax: String,
    pub stopped: bool,
    pub users: i64,
    pub devices: i64,
}

pub(crate) async fn overview(ex: impl PgExecutor<'_>) -> sqlx::Result<Vec<Overview>> {
    sqlx::query_as(
        "SELECT o.id, o.name, o.kind, o.requires_approval, o.phone, o.fax,
           o.stopped_at IS NOT NULL AS stopped,
           (SELECT count(*) FROM users u WHERE u.organisation_id = o.id AND u.disabled_at IS NULL)
             AS users,
           (SELECT count(*) FROM devices d WHERE d.organisation_id = o.id AND d.revoked_at IS NULL)
             AS devices
         FROM organisations o ORDER BY o.kind, o.name",
    )
    .fetch_all(ex)
    .await
}

/// Every organisation of a kind that may join a team, with its kind's
/// code and numbers.
pub(crate) async fn team_joinable(
    conn: &mut PgConnection,
) -> sqlx::Result<Vec<(Uuid, String, String, String, String)>> {
    sqlx::query_as(
        "SELECT id, name, kind, phone, fax FROM organisations
         WHERE kind <> 'desk' AND stopped_at IS NULL ORDER BY kind, name",
    )
    .fetch_all(conn)
    .await
}

pub(crate) async fn set_numbers(
    conn: &mut PgConnection,
    id: Uuid,
    phone: &str,
    fax: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE organisations SET phone = $2, fax = $3 WHERE id = $1")
        .bind(id)
        .bind(phone)
        .bind(fax)
        .execute(conn)
        .await?;
    Ok(())
}

/// Stops or resumes an organisation: (id, name, kind, phone, fax), or
/// `None` if there is none.
pub(crate) async fn set_stopped(
    conn: &mut PgConnection,
    id: Uuid,
    stopped: bool,
) -> sqlx::Result<Option<(Uuid, String, String, String, String)>> {
    sqlx::query_as(
        "UPDATE organisations SET stopped_at = CASE WHEN $2 THEN coalesce(stopped_at, now()) END
         WHERE id = $1 RETURNING id, name, kind, phone, fax",
    )
    .bind(id)
    .bind(stopped)
    .fetch_optional(conn)
    .await
}

/// (kind, stopped) of an organisation, if it exists.
pub(crate) async fn listed_kind(
    ex: impl PgExecutor<'_>,
    id: Uuid,
) -> sqlx::Result<Option<(String, bool)>> {
    sqlx::query_as("SELECT kind, stopped_at IS NOT NULL FROM organisations WHERE id = $1")
        .bind(id)
        .fetch_optional(ex)
        .await
}
