//! The desk's bulk import into the directory (issue 18): a file checked by
//! the domain (`directory::import`), then either applied whole in one
//! transaction or not at all. A refused row, a refused file or a row that
//! contradicts what is stored (an id known as another kind) leaves the
//! directory as it was, and the report says why, line by line. Both
//! outcomes are audited.

use std::collections::HashMap;

use serde_json::json;
use sqlx::{PgConnection, PgPool};
use tsunagu_domain::directory::import::{
    CheckedFile, Encoding, ImportRow, Layout, RefusedRow, check_file,
};
use tsunagu_domain::directory::search::listing_name_key;
use uuid::Uuid;

use crate::db;
use crate::db::directory_import::{Columns, Existing, IMPORT_PREFIX};
use crate::model::PortalOrganisation;
use crate::services::audit;
use crate::services::organisations::list_imported;
use crate::services::sessions::SignedIn;

/// Rows per statement: well inside the 10 s statement timeout.
const CHUNK: usize = 5_000;

/// What the desk is shown after an import.
#[derive(Debug, Clone, Default)]
pub(crate) struct Report {
    pub layout: Option<Layout>,
    pub encoding: Option<Encoding>,
    /// Rows read (refused ones included).
    pub rows: usize,
    pub added: usize,
    pub updated: usize,
    /// By line.
    pub refused: Vec<RefusedRow>,
    /// Why the whole file was refused.
    pub file_refused: Option<String>,
}

impl Report {
    /// Whether the rows were applied.
    pub(crate) fn imported(&self) -> bool {
        self.file_refused.is_none() && self.refused.is_empty()
    }
}

pub(crate) enum Outcome {
    Done(Report),
    /// Only the desk imports (its administrator or its staff: `is_desk`).
    Forbidden,
}

pub(crate) async fn import(
    pool: &PgPool,
    user: &SignedIn,
    bytes: Vec<u8>,
    asked: Option<Layout>,
) -> sqlx::Result<Outcome> {
    if !user.is_desk() {
        return Ok(Outcome::Forbidden);
    }
    let by = user.audit_actor();
    // A prefecture's file is tens of thousands of rows: checked off the
    // request threads.
    let checked = tokio::task::spawn_blocking(move || check_file(&bytes, asked))
        .await
        .map_err(|_| sqlx::Error::WorkerCrashed)?;
    let checked = match checked {
        Ok(checked) => checked,
        Err(refused) => {
            let report = Report {
                file_refused: Some(refused.to_string()),
                ..Report::default()
            };
            refused_audit(pool, &by, &report).await?;
            return Ok(Outcome::Done(report));
        }
    };
    let mut report = Report {
        layout: Some(checked.layout),
        encoding: Some(checked.encoding),
        rows: checked.rows.len() + checked.refused.len(),
        refused: checked.refused.clone(),
        ..Report::default()
    };
    let mut tx = pool.begin().await?;
    db::directory_import::lock(&mut tx).await?;
    let existing = existing(&mut tx, &checked).await?;
    report.refused.extend(contradictions(&checked, &existing));
    report.refused.sort_by_key(|r| r.line);
    if !report.refused.is_empty() {
        tx.rollback().await?;
        refused_audit(pool, &by, &report).await?;
        return Ok(Outcome::Done(report));
    }
    let (added, updated) = apply(&mut tx, &checked.rows, &existing, &by).await?;
    report.added = added;
    report.updated = updated;
    audit::record_detailed(
        &mut tx,
        &by,
        "directory-import",
        ("directory", checked.layout.code()),
        json!({ "rows": report.rows, "added": added, "updated": updated }),
    )
    .await?;
    tx.commit().await?;
    Ok(Outcome::Done(report))
}

/// The organisations the file names that are already here, by external id.
async fn existing(
    conn: &mut PgConnection,
    checked: &CheckedFile,
) -> sqlx::Result<HashMap<String, Existing>> {
    let ids: Vec<String> = checked.rows.iter().map(|r| r.external_id.clone()).collect();
    let mut found = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        for row in db::directory_import::existing(&mut *conn, chunk).await? {
            found.insert(row.external_id.clone(), row);
        }
    }
    Ok(found)
}

/// A row whose id is stored as another kind: an organisation's kind
/// decides what its people may do, so an import never changes it.
fn contradictions(checked: &CheckedFile, existing: &HashMap<String, Existing>) -> Vec<RefusedRow> {
    checked
        .rows
        .iter()
        .filter_map(|row| {
            let known = existing.get(&row.external_id)?;
            (known.kind != row.kind.code()).then(|| {
                let label = tsunagu_domain::team::OrganisationKind::from_code(&known.kind)
                    .map_or(known.kind.as_str(), |k| k.label_ja());
                RefusedRow {
                    line: row.line,
                    name: row.name.clone(),
                    reason: format!(
                        "識別番号「{}」は「{label}」として登録済みです（種別は変えられません）",
                        row.external_id
                    ),
                }
            })
        })
        .collect()
}

/// Every row: new ones inserted, known ones that changed updated;
/// profiles written where no person keeps them. Each organisation written
/// takes a version from one block (migration 0028). (added, updated).
async fn apply(
    conn: &mut PgConnection,
    rows: &[ImportRow],
    existing: &HashMap<String, Existing>,
    by: &str,
) -> sqlx::Result<(usize, usize)> {
    let mut new = Vec::new();
    let mut changed = Vec::new();
    let mut known = 0;
    for row in rows {
        match existing.get(&row.external_id) {
            Some(e) => {
                known += 1;
                if differs(e, row) {
                    changed.push((e.id, e.kept_by_person, row));
                }
            }
            None => new.push((Uuid::now_v7(), false, row)),
        }
    }
    let written = (new.len() + changed.len()) as i64;
    if written == 0 {
        return Ok((0, known));
    }
    let mut version = db::directory_import::take_versions(&mut *conn, written).await? - written;
    let mut next_versions = |n: usize| {
        let taken: Vec<i64> = (version + 1..=version + n as i64).collect();
        version += n as i64;
        taken
    };
    let profile_by = format!("{IMPORT_PREFIX}{by}");
    for chunk in new.chunks(CHUNK) {
        let c = columns(chunk, next_versions(chunk.len()));
        db::directory_import::insert(&mut *conn, &c).await?;
        db::directory_import::write_profiles(&mut *conn, &c, &profile_by).await?;
    }
    for chunk in changed.chunks(CHUNK) {
        let c = columns(chunk, next_versions(chunk.len()));
        db::directory_import::update(&mut *conn, &c).await?;
        let not_kept: Vec<_> = chunk.iter().filter(|(_, kept, _)| !kept).cloned().collect();
        let c = columns(&not_kept, Vec::new());
        db::directory_import::write_profiles(&mut *conn, &c, &profile_by).await?;
    }
    for (id, _, row) in &new {
        let organisation = PortalOrganisation {
            id: *id,
            name: row.name.clone(),
            kind: row.kind,
        };
        list_imported(&mut *conn, &organisation, (&row.phone, &row.fax)).await?;
    }
    Ok((new.len(), known))
}

/// Whether the row changes what the directory lists of `e`: an unchanged
/// one is not written, so a second import resends nothing to desktops.
fn differs(e: &Existing, row: &ImportRow) -> bool {
    let names = e.name != row.name || e.name_kana != row.name_kana;
    if e.kept_by_person {
        return names;
    }
    names
        || e.phone != row.phone
        || e.fax != row.fax
        || e.address.as_deref() != Some(row.address.as_str())
        || e.municipalities.as_deref() != Some(row.municipalities.as_slice())
}

fn columns(rows: &[(Uuid, bool, &ImportRow)], versions: Vec<i64>) -> Columns {
    let mut c = Columns {
        versions,
        ..Columns::default()
    };
    for (id, kept, row) in rows {
        c.ids.push(*id);
        c.kinds.push(row.kind.code().to_string());
        c.names.push(row.name.clone());
        c.kanas.push(row.name_kana.clone());
        // Kept in step with the name and reading, as every writer does.
        c.search_keys
            .push(listing_name_key(&row.name, &row.name_kana));
        c.phones.push(row.phone.clone());
        c.faxes.push(row.fax.clone());
        c.external_ids.push(row.external_id.clone());
        c.kept.push(*kept);
        c.addresses.push(row.address.clone());
        c.areas.push(row.municipalities.join("\n"));
    }
    c
}

/// A refused import is audited too (its own transaction: the import's
/// was rolled back), with the counts and the first reasons, never a row's
/// contents beyond what the desk's own file said.
async fn refused_audit(pool: &PgPool, by: &str, report: &Report) -> sqlx::Result<()> {
    let mut conn = pool.acquire().await?;
    let layout = report.layout.map_or("unknown", Layout::code);
    let first: Vec<String> = report
        .refused
        .iter()
        .take(5)
        .map(|r| format!("{}行目：{}", r.line, r.reason))
        .collect();
    audit::record_detailed(
        &mut conn,
        by,
        "directory-import-refused",
        ("directory", layout),
        json!({
            "rows": report.rows,
            "refused": report.refused.len(),
            "file": report.file_refused,
            "first": first,
        }),
    )
    .await
}
