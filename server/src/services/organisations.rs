//! Registering organisations of every kind (from the command line or the
//! administrator's pages), and the directory of hospitals every clinic
//! offers as destinations.

use sqlx::PgPool;
use tsunagu_domain::team::OrganisationKind;
use tsunagu_protocol::{ChangeBody, OrgKind, Organisation, WireDirectoryEntry};
use uuid::Uuid;

use crate::db;
use crate::model::{PortalOrganisation, Scope, domain_kind};
use crate::services::audit;

/// What the administrator registers.
#[derive(Debug, Clone)]
pub struct NewOrganisation<'a> {
    pub kind: OrganisationKind,
    pub name: &'a str,
    /// Its administrator approves every team it joins (read when teams
    /// invite it).
    pub requires_approval: bool,
    /// How a team reaches it (shown with its members; may be empty).
    pub phone: &'a str,
    pub fax: &'a str,
}

/// Registers an organisation of any kind, audited; a new clinic or
/// hospital is listed in the clinics' directories.
pub async fn register_organisation(
    pool: &PgPool,
    new: &NewOrganisation<'_>,
    actor: &str,
) -> Result<PortalOrganisation, sqlx::Error> {
    let id = Uuid::now_v7();
    let name = new.name.trim();
    let mut tx = pool.begin().await?;
    db::organisations::insert(&mut tx, id, new.kind.code(), name, new.requires_approval).await?;
    db::organisations::set_numbers(&mut tx, id, new.phone, new.fax).await?;
    audit::record(&mut tx, actor, "create", "organisation", &id.to_string()).await?;
    let organisation = PortalOrganisation {
        id,
        name: name.to_string(),
        kind: new.kind,
    };
    if let Some(device_organisation) = organisation.as_device_organisation() {
        list_in_directories(&mut tx, &device_organisation).await?;
    }
    list_in_team_directories(&mut tx, &organisation, (new.phone, new.fax)).await?;
    tx.commit().await?;
    Ok(organisation)
}

/// A clinic, hospital or the desk (the kinds whose devices enroll), as
/// devices see it.
pub async fn create_organisation(
    pool: &PgPool,
    kind: OrgKind,
    name: &str,
    actor: &str,
) -> Result<Organisation, sqlx::Error> {
    let new = NewOrganisation {
        kind: domain_kind(kind),
        name,
        requires_approval: false,
        phone: "",
        fax: "",
    };
    let registered = register_organisation(pool, &new, actor).await?;
    Ok(Organisation {
        id: registered.id,
        name: registered.name,
        kind,
    })
}

/// Clinics offer the registered hospitals as destinations: a new hospital
/// is fed to every clinic, and a new clinic gets every hospital, through
/// the clinics' change feeds (so a reinstalled device gets them too).
/// Only hospitals are ever listed: the other kinds are no destinations,
/// and older desktops could not read them.
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

/// Clinics invite to their patients' teams from every organisation that
/// may join one (protocol 5, `DirectoryListed`): a new one is fed to every
/// clinic, and a new clinic gets all of them.
async fn list_in_team_directories(
    conn: &mut sqlx::PgConnection,
    organisation: &PortalOrganisation,
    numbers: (&str, &str),
) -> Result<(), sqlx::Error> {
    if !organisation.kind.may_join_team() {
        return Ok(());
    }
    let entry = |(id, name, kind, phone, fax): Listed| WireDirectoryEntry {
        id,
        name,
        kind,
        phone,
        fax,
        stopped: false,
    };
    let (clinics, listed) = if organisation.kind == OrganisationKind::Clinic {
        let others = db::organisations::team_joinable(&mut *conn)
            .await?
            .into_iter()
            .filter(|(id, ..)| *id != organisation.id)
            .map(entry)
            .collect();
        (vec![organisation.id], others)
    } else {
        let this = (
            organisation.id,
            organisation.name.clone(),
            organisation.kind.code().to_string(),
            numbers.0.to_string(),
            numbers.1.to_string(),
        );
        (
            db::organisations::clinic_ids(&mut *conn).await?,
            vec![entry(this)],
        )
    };
    for clinic in clinics {
        for listed in &listed {
            if listed.id == clinic {
                continue;
            }
            let change = ChangeBody::DirectoryListed {
                entry: listed.clone(),
            };
            db::feed::append(conn, Scope::Org(clinic), None, &change).await?;
        }
    }
    Ok(())
}

/// An organisation the directory import added: a clinic or a hospital is
/// fed to the clinics' devices exactly as one registered here (they are
/// referral destinations); the other kinds, tens of thousands in a
/// prefecture's open data, reach desktops through `/v1/directory` only,
/// rather than as a change in every clinic's feed.
pub(crate) async fn list_imported(
    conn: &mut sqlx::PgConnection,
    organisation: &PortalOrganisation,
    numbers: (&str, &str),
) -> Result<(), sqlx::Error> {
    if let Some(device_organisation) = organisation.as_device_organisation() {
        list_in_directories(conn, &device_organisation).await?;
        list_in_team_directories(conn, organisation, numbers).await?;
    }
    Ok(())
}

/// (id, name, kind, phone, fax) of an organisation in a clinic's directory.
type Listed = (Uuid, String, String, String, String);

/// The desk stops an organisation (停止) or lets it take part again: a
/// stopped one is invited to no team, its people sign in to nothing, and
/// every clinic's directory says so.
pub async fn set_stopped(
    pool: &PgPool,
    organisation: Uuid,
    stopped: bool,
    actor: &str,
) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let Some(listed) = db::organisations::set_stopped(&mut tx, organisation, stopped).await? else {
        return Ok(false);
    };
    let action = if stopped { "stop" } else { "resume" };
    audit::record(
        &mut tx,
        actor,
        action,
        "organisation",
        &organisation.to_string(),
    )
    .await?;
    if listed.2 != OrganisationKind::Desk.code() {
        let (id, name, kind, phone, fax) = listed;
        let change = ChangeBody::DirectoryListed {
            entry: WireDirectoryEntry {
                id,
                name,
                kind,
                phone,
                fax,
                stopped,
            },
        };
        for clinic in db::organisations::clinic_ids(&mut tx).await? {
            if clinic != organisation {
                db::feed::append(&mut tx, Scope::Org(clinic), None, &change).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(true)
}

/// An organisation as the administrator's list shows it.
pub(crate) use crate::db::organisations::Overview;

pub(crate) async fn overview(pool: &PgPool) -> sqlx::Result<Vec<Overview>> {
    db::organisations::overview(pool).await
}

/// An organisation of any kind, if it exists (an unknown stored kind
/// reads as none).
pub(crate) async fn find(pool: &PgPool, id: Uuid) -> sqlx::Result<Option<PortalOrganisation>> {
    Ok(db::organisations::find(pool, id)
        .await?
        .and_then(|(name, kind)| {
            OrganisationKind::from_code(&kind).map(|kind| PortalOrganisation { id, name, kind })
        }))
}
