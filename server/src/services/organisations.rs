//! Registering organisations (from the command line or the
//! administrator's pages), and the directory of hospitals every clinic
//! offers as destinations.

use sqlx::PgPool;
use tsunagu_protocol::{ChangeBody, OrgKind, Organisation};
use uuid::Uuid;

use crate::db;
use crate::model::{Scope, kind_code};
use crate::services::audit;

pub async fn create_organisation(
    pool: &PgPool,
    kind: OrgKind,
    name: &str,
    actor: &str,
) -> Result<Organisation, sqlx::Error> {
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    db::organisations::insert(&mut tx, id, kind_code(kind), name.trim()).await?;
    audit::record(&mut tx, actor, "create", "organisation", &id.to_string()).await?;
    let organisation = Organisation {
        id,
        name: name.trim().to_string(),
        kind,
    };
    list_in_directories(&mut tx, &organisation).await?;
    tx.commit().await?;
    Ok(organisation)
}

/// Clinics offer the registered hospitals as destinations: a new hospital
/// is fed to every clinic, and a new clinic gets every hospital, through
/// the clinics' change feeds (so a reinstalled device gets them too).
async fn list_in_directories(
    conn: &mut sqlx::PgConnection,
    organisation: &Organisation,
) -> Result<(), sqlx::Error> {
    let (clinics, listed): (Vec<Uuid>, Vec<Organisation>) = match organisation.kind {
        OrgKind::Hospital => (
            db::organisations::clinic_ids(&mut *conn).await?,
            vec![organisation.clone()],
        ),
        OrgKind::Clinic => {
            let listed = db::organisations::hospitals(&mut *conn)
                .await?
                .into_iter()
                .map(|(id, name)| Organisation {
                    id,
                    name,
                    kind: OrgKind::Hospital,
                })
                .collect();
            (vec![organisation.id], listed)
        }
        OrgKind::Desk => return Ok(()),
    };
    for clinic in clinics {
        for listed in &listed {
            let change = ChangeBody::OrganisationListed {
                organisation: listed.clone(),
            };
            db::feed::append(conn, Scope::Org(clinic), None, &change).await?;
        }
    }
    Ok(())
}

/// An organisation as the administrator's list shows it.
pub(crate) use crate::db::organisations::Overview;

pub(crate) async fn overview(pool: &PgPool) -> sqlx::Result<Vec<Overview>> {
    db::organisations::overview(pool).await
}

/// A clinic or hospital (whose devices enroll), as (id, name).
pub(crate) async fn enrollable(pool: &PgPool, id: Uuid) -> sqlx::Result<Option<(Uuid, String)>> {
    db::organisations::enrollable(pool, id).await
}
