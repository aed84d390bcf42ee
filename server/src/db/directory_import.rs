//! The directory import's writes (issue 18): organisations matched by
//! `external_id`, and their profiles' address and area. Rows go in as
//! arrays (`UNNEST`), a chunk per statement, so a prefecture's file is a
//! few statements rather than tens of thousands.

use sqlx::PgConnection;
use uuid::Uuid;

/// What `organisation_profiles.updated_by` starts with when the import
/// wrote the profile; any other writer is a person, whose profile the
/// import leaves alone.
pub(crate) const IMPORT_PREFIX: &str = "import:";

/// Imports one at a time: two at once would both see an id as new.
pub(crate) async fn lock(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('tsunagu.directory_import'))")
        .execute(conn)
        .await?;
    Ok(())
}

/// `n` directory versions at once (one update of the counter row, locked
/// to commit like any other): the last of them.
pub(crate) async fn take_versions(conn: &mut PgConnection, n: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("UPDATE directory_counter SET last = last + $1 RETURNING last")
        .bind(n)
        .fetch_one(conn)
        .await
}

/// An organisation the file names that is already here, as listed now.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct Existing {
    pub external_id: String,
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub name_kana: String,
    pub phone: String,
    pub fax: String,
    pub address: Option<String>,
    pub municipalities: Option<Vec<String>>,
    /// A person saved its profile (the organisation or the desk).
    pub kept_by_person: bool,
}

pub(crate) async fn existing(
    conn: &mut PgConnection,
    external_ids: &[String],
) -> sqlx::Result<Vec<Existing>> {
    sqlx::query_as(
        "SELECT o.external_id, o.id, o.kind, o.name, o.name_kana, o.phone, o.fax, p.address,
           p.municipalities, (p.organisation_id IS NOT NULL AND p.updated_by NOT LIKE $2 || '%') AS kept_by_person
         FROM organisations o LEFT JOIN organisation_profiles p ON p.organisation_id = o.id
         WHERE o.external_id = ANY($1)",
    )
    .bind(external_ids)
    .bind(IMPORT_PREFIX)
    .fetch_all(conn)
    .await
}

/// Rows as columns, one entry per organisation.
#[derive(Debug, Default)]
pub(crate) struct Columns {
    pub ids: Vec<Uuid>,
    pub kinds: Vec<String>,
    pub names: Vec<String>,
    pub kanas: Vec<String>,
    pub search_keys: Vec<String>,
    pub phones: Vec<String>,
    pub faxes: Vec<String>,
    pub external_ids: Vec<String>,
    /// Each row's directory version, from `take_versions`.
    pub versions: Vec<i64>,
    /// Whether a person keeps its profile (then its numbers stay too).
    pub kept: Vec<bool>,
    pub addresses: Vec<String>,
    /// 市区町村 joined by newlines (a ragged array cannot be bound).
    pub areas: Vec<String>,
}

/// New organisations, with no accounts yet.
pub(crate) async fn insert(conn: &mut PgConnection, c: &Columns) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO organisations (id, kind, name, name_kana, search_key, phone, fax, external_id,
           directory_version)
         SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],
           $6::text[], $7::text[], $8::text[], $9::bigint[])",
    )
    .bind(&c.ids)
    .bind(&c.kinds)
    .bind(&c.names)
    .bind(&c.kanas)
    .bind(&c.search_keys)
    .bind(&c.phones)
    .bind(&c.faxes)
    .bind(&c.external_ids)
    .bind(&c.versions)
    .execute(conn)
    .await?;
    Ok(())
}

/// Known ones that changed: name, reading and their key always (the
/// register's name is the official one); phone and FAX only while no
/// person keeps the profile. The kind never changes here.
pub(crate) async fn update(conn: &mut PgConnection, c: &Columns) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE organisations o SET name = u.name, name_kana = u.kana, search_key = u.key,
           phone = CASE WHEN u.kept THEN o.phone ELSE u.phone END,
           fax = CASE WHEN u.kept THEN o.fax ELSE u.fax END, directory_version = u.version
         FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
           $7::bool[], $8::bigint[]) AS u(id, name, kana, key, phone, fax, kept, version)
         WHERE o.id = u.id",
    )
    .bind(&c.ids)
    .bind(&c.names)
    .bind(&c.kanas)
    .bind(&c.search_keys)
    .bind(&c.phones)
    .bind(&c.faxes)
    .bind(&c.kept)
    .bind(&c.versions)
    .execute(conn)
    .await?;
    Ok(())
}

/// Address and area of profiles nobody but an import has written; never
/// `confirmed` (the import is not the organisation confirming anything,
/// so freshness stays honest). The organisation's new directory version,
/// set by `insert` or `update`, covers the profile too (migration 0028).
pub(crate) async fn write_profiles(
    conn: &mut PgConnection,
    c: &Columns,
    by: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO organisation_profiles (organisation_id, address, municipalities, updated_by)
         SELECT u.id, u.address,
           CASE WHEN u.area = '' THEN '{}'::text[] ELSE string_to_array(u.area, E'\\n') END, $4
         FROM UNNEST($1::uuid[], $2::text[], $3::text[]) AS u(id, address, area)
         ON CONFLICT (organisation_id) DO UPDATE
           SET address = EXCLUDED.address, municipalities = EXCLUDED.municipalities,
             updated_by = EXCLUDED.updated_by, updated_at = now()
           WHERE organisation_profiles.updated_by LIKE $5 || '%'
             AND (organisation_profiles.address, organisation_profiles.municipalities)
               IS DISTINCT FROM (EXCLUDED.address, EXCLUDED.municipalities)",
    )
    .bind(&c.ids)
    .bind(&c.addresses)
    .bind(&c.areas)
    .bind(by)
    .bind(IMPORT_PREFIX)
    .execute(conn)
    .await?;
    Ok(())
}
