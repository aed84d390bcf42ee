//! Who is signed in to the portal. A session is a row in PostgreSQL named
//! by the SHA-256 of a random cookie token; it ends after
//! [`IDLE_MINUTES`] without a request or [`MAX_HOURS`] in all. Each
//! session carries its own CSRF token, which every form posts back.

use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};
use tsunagu_domain::team::{OrganisationKind, Profession};
use uuid::Uuid;

use crate::db;
use crate::db::views::Viewer;
use crate::model::{PortalOrganisation, Role};
use crate::services::actor::{Actor, user_actor};
use crate::services::audit;
use crate::services::break_glass;

pub const IDLE_MINUTES: i32 = 30;
pub const MAX_HOURS: i32 = 12;

/// A session's stage: the password alone, or both factors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    Password,
    Full,
}

impl Stage {
    fn code(self) -> &'static str {
        match self {
            Stage::Password => "password",
            Stage::Full => "full",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct SignedIn {
    pub user_id: Uuid,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// What the person does: what they may read and post on a team.
    pub profession: Profession,
    /// Of any kind: only a clinic's, hospital's or the desk's acts as a
    /// device's would (`actor`).
    pub organisation: PortalOrganisation,
    pub csrf: String,
    pub must_change_password: bool,
    pub has_second_factor: bool,
    /// A member of staff its administrator lets keep the organisation's
    /// directory profile (migration 0030).
    pub keeps_profile: bool,
    pub token_sha256: String,
    /// The person's live break-glass accesses (ADR 0018), read with the
    /// session on every request: every page shows them.
    pub break_glass: Vec<break_glass::Live>,
}

impl SignedIn {
    /// Who this person is in the audit log.
    pub fn audit_actor(&self) -> String {
        user_actor(self.user_id)
    }

    /// As events and calls show them: the organisation and the person.
    pub fn label(&self) -> String {
        format!("{} {}", self.organisation.name, self.display_name)
    }

    /// Whether this person keeps `organisation`'s directory profile: its
    /// administrator, or a member of its staff the administrator chose.
    pub fn keeps_profile_of(&self, organisation: Uuid) -> bool {
        self.organisation.id == organisation
            && (self.role == Role::OrgAdmin || (self.role == Role::Staff && self.keeps_profile))
    }

    pub fn is_desk(&self) -> bool {
        matches!(self.role, Role::Desk | Role::Admin)
    }

    /// Which referrals the person may see: none for an organisation's
    /// administrator and staff (their teams come later).
    pub(crate) fn viewer(&self) -> Option<Viewer> {
        match self.role {
            Role::Admin | Role::Desk => Some(Viewer::Desk(self.organisation.id)),
            Role::Liaison => Some(Viewer::Hospital(self.organisation.id)),
            Role::OrgAdmin | Role::Staff => None,
        }
    }

    /// The person recording a change, as the sync path records it: only
    /// a role with referral rights, of an organisation whose devices
    /// enroll.
    pub(crate) fn actor(&self) -> Option<Actor> {
        if !self.role.has_referral_rights() {
            return None;
        }
        Some(Actor {
            organisation: self.organisation.as_device_organisation()?,
            label: self.label(),
            audit: self.audit_actor(),
        })
    }
}

pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub(crate) fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares digests, so that the time taken says nothing about the token.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    !a.is_empty() && digest(a) == digest(b)
}

/// Starts a session at `stage` for `user`; the cookie token to set.
pub(crate) async fn start(
    conn: &mut PgConnection,
    user: Uuid,
    stage: Stage,
) -> sqlx::Result<String> {
    let token = random_token();
    db::sessions::insert(conn, &digest(&token), user, stage.code(), &random_token()).await?;
    Ok(token)
}

pub(crate) async fn end(conn: &mut PgConnection, token_sha256: &str) -> sqlx::Result<()> {
    db::sessions::end(conn, token_sha256).await
}

/// Why a session cannot be read.
pub(crate) enum FindError {
    Database(sqlx::Error),
    /// A stored role or kind the server does not know.
    BadData,
}

/// The session `token` names, if it is live at `stage`; touching it
/// keeps it alive.
pub(crate) async fn find(
    pool: &PgPool,
    token: &str,
    stage: Stage,
) -> Result<Option<SignedIn>, FindError> {
    let live =
        db::sessions::touch_live(pool, &digest(token), stage.code(), IDLE_MINUTES, MAX_HOURS)
            .await
            .map_err(FindError::Database)?;
    let Some(s) = live else {
        return Ok(None);
    };
    let (Some(role), Some(kind), Some(profession)) = (
        Role::from_code(&s.role),
        OrganisationKind::from_code(&s.organisation_kind),
        Profession::from_code(&s.profession),
    ) else {
        return Err(FindError::BadData);
    };
    let live = match stage {
        Stage::Full => break_glass::live_of(pool, s.user_id)
            .await
            .map_err(FindError::Database)?,
        Stage::Password => Vec::new(),
    };
    Ok(Some(SignedIn {
        user_id: s.user_id,
        login: s.login,
        display_name: s.display_name,
        role,
        profession,
        organisation: PortalOrganisation {
            id: s.organisation_id,
            name: s.organisation_name,
            kind,
        },
        csrf: s.csrf_token,
        must_change_password: s.must_change_password,
        has_second_factor: s.has_second_factor,
        keeps_profile: s.keeps_profile,
        token_sha256: digest(token),
        break_glass: live,
    }))
}

/// A new session (a new token: the one before it, if any, ends), audited.
pub(crate) async fn start_session(
    pool: &PgPool,
    user: Uuid,
    stage: Stage,
    replacing: Option<&str>,
) -> sqlx::Result<String> {
    let mut tx = pool.begin().await?;
    if let Some(old) = replacing {
        end(&mut tx, old).await?;
    }
    let token = start(&mut tx, user, stage).await?;
    let action = match stage {
        Stage::Password => "sign-in-password",
        Stage::Full => "sign-in",
    };
    audit::record(
        &mut tx,
        &user_actor(user),
        action,
        "user",
        &user.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// The session ends, audited.
pub(crate) async fn sign_out(pool: &PgPool, user: &SignedIn) -> sqlx::Result<()> {
    let mut conn = pool.acquire().await?;
    end(&mut conn, &user.token_sha256).await?;
    audit::record(
        &mut conn,
        &user.audit_actor(),
        "sign-out",
        "user",
        &user.user_id.to_string(),
    )
    .await
}
