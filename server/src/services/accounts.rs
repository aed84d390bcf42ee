//! Portal accounts: the desk's administrators and staff, hospitals'
//! liaison officers, and every organisation's own administrator and staff
//! (ADR 0021), each with a profession. Created from the admin command line
//! (the first desk administrator before any portal exists), by the desk's
//! administrator in the portal, and by an organisation's administrator for
//! its own staff (`staff.rs`: pending until the desk approves). Passwords
//! are hashed with Argon2id; the first one is random, shown once, and must
//! be changed at the first sign-in.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use sqlx::PgPool;
use tsunagu_domain::team::OrganisationKind;
pub use tsunagu_domain::team::Profession;
use tsunagu_protocol::{OrgKind, Organisation};
use uuid::Uuid;

use crate::db;
use crate::db::users::NewAccount;
use crate::model::Approval;
pub use crate::model::Role;
use crate::services::audit;
use crate::services::organisations::create_organisation;

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("no such organisation")]
    NoOrganisation,
    #[error("a {role} account cannot belong to a {kind} organisation")]
    RoleDoesNotFit {
        role: &'static str,
        kind: &'static str,
    },
    #[error("the login must be 3–40 characters of a–z, 0–9, '.', '_' or '-'")]
    BadLogin,
    #[error("the display name must be 1–100 characters")]
    BadName,
    #[error("no such user")]
    NoSuchUser,
    #[error("the login is already taken")]
    LoginTaken,
    #[error("the account is not waiting for approval")]
    NotPending,
    #[error("password hashing: {0}")]
    Hash(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// A new account and its first password, to hand over once.
#[derive(Debug)]
pub struct NewUser {
    pub id: Uuid,
    pub login: String,
    pub initial_password: String,
}

/// What an account is created with.
#[derive(Debug, Clone)]
pub struct AccountRequest<'a> {
    pub organisation: Uuid,
    pub login: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub profession: Profession,
}

/// The profession an account gets when none is given (the command line's
/// and the older callers'): the desk's and hospitals' coordinators are
/// MSW・連携担当者; anyone else 事務 until their administrator says.
pub fn default_profession(role: Role) -> Profession {
    match role {
        Role::Admin | Role::Desk | Role::Liaison => Profession::Liaison,
        Role::OrgAdmin | Role::Staff => Profession::Clerk,
    }
}

/// Creates an account with a random first password, the desk's
/// profession defaulted (see [`default_profession`]); approved at once.
pub async fn create_user(
    pool: &PgPool,
    organisation: Uuid,
    login: &str,
    display_name: &str,
    role: Role,
    actor: &str,
) -> Result<NewUser, UserError> {
    let request = AccountRequest {
        organisation,
        login,
        display_name,
        role,
        profession: default_profession(role),
    };
    create_account(pool, &request, actor).await
}

/// The desk creates an account: approved at once.
pub async fn create_account(
    pool: &PgPool,
    request: &AccountRequest<'_>,
    actor: &str,
) -> Result<NewUser, UserError> {
    insert_account(pool, request, Approval::Approved, "create", actor).await
}

/// Checks the request, then writes the account with its first password
/// and the audit row `action`, in one transaction.
pub(crate) async fn insert_account(
    pool: &PgPool,
    request: &AccountRequest<'_>,
    approval: Approval,
    action: &str,
    actor: &str,
) -> Result<NewUser, UserError> {
    let login = request.login.trim().to_lowercase();
    let valid_login = (3..=40).contains(&login.len())
        && login
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !valid_login {
        return Err(UserError::BadLogin);
    }
    let display_name = request.display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > 100 {
        return Err(UserError::BadName);
    }
    let kind = db::organisations::kind(pool, request.organisation).await?;
    let kind = kind
        .as_deref()
        .and_then(OrganisationKind::from_code)
        .ok_or(UserError::NoOrganisation)?;
    if !request.role.fits(kind) {
        return Err(UserError::RoleDoesNotFit {
            role: request.role.code(),
            kind: kind.code(),
        });
    }
    let initial_password = random_password();
    let hash = hash_password(&initial_password)?;
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    let account = NewAccount {
        id,
        organisation: request.organisation,
        login: &login,
        display_name,
        role: request.role.code(),
        profession: request.profession.code(),
        approval: approval.code(),
        password_hash: &hash,
    };
    if !db::users::insert(&mut tx, &account).await? {
        return Err(UserError::LoginTaken);
    }
    audit::record(&mut tx, actor, action, "user", &id.to_string()).await?;
    tx.commit().await?;
    Ok(NewUser {
        id,
        login,
        initial_password,
    })
}

/// A new random first password and no second factor (a forgotten
/// password or a lost phone): the person sets both again at the next
/// sign-in, and is signed out everywhere now.
pub async fn reset_user(pool: &PgPool, user: Uuid, actor: &str) -> Result<NewUser, UserError> {
    let initial_password = random_password();
    let hash = hash_password(&initial_password)?;
    let mut tx = pool.begin().await?;
    let Some(login) = db::users::reset(&mut tx, user, &hash).await? else {
        return Err(UserError::NoSuchUser);
    };
    db::users::delete_recovery_codes(&mut tx, user).await?;
    db::sessions::end_all(&mut tx, user).await?;
    audit::record(&mut tx, actor, "reset", "user", &user.to_string()).await?;
    tx.commit().await?;
    Ok(NewUser {
        id: user,
        login,
        initial_password,
    })
}

/// The account can no longer sign in; its sessions end now.
pub async fn disable_user(pool: &PgPool, user: Uuid, actor: &str) -> Result<(), UserError> {
    let mut tx = pool.begin().await?;
    if !db::users::disable(&mut tx, user).await? {
        return Err(UserError::NoSuchUser);
    }
    db::sessions::end_all(&mut tx, user).await?;
    audit::record(&mut tx, actor, "disable", "user", &user.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

/// A stopped account may sign in again, with the password and second
/// factor it had.
pub async fn enable_user(pool: &PgPool, user: Uuid, actor: &str) -> Result<(), UserError> {
    let mut tx = pool.begin().await?;
    if !db::users::enable(&mut tx, user).await? {
        return Err(UserError::NoSuchUser);
    }
    audit::record(&mut tx, actor, "enable", "user", &user.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

/// The desk's staff and administrators trade roles (a hospital's account
/// stays a liaison's); the person's sessions end, so the new role applies
/// from the next sign-in.
pub async fn set_desk_role(
    pool: &PgPool,
    user: Uuid,
    role: Role,
    actor: &str,
) -> Result<(), UserError> {
    if !role.fits(OrganisationKind::Desk) {
        return Err(UserError::RoleDoesNotFit {
            role: role.code(),
            kind: "desk",
        });
    }
    let mut tx = pool.begin().await?;
    if !db::users::set_desk_role(&mut tx, user, role.code()).await? {
        return Err(UserError::NoSuchUser);
    }
    db::sessions::end_all(&mut tx, user).await?;
    audit::record(&mut tx, actor, "set-role", "user", &user.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

/// The desk and its first administrator, on a fresh server.
pub async fn bootstrap_desk(
    pool: &PgPool,
    desk_name: &str,
    login: &str,
    display_name: &str,
    actor: &str,
) -> Result<(Organisation, NewUser), UserError> {
    let desk = create_organisation(pool, OrgKind::Desk, desk_name, actor).await?;
    let admin = create_user(pool, desk.id, login, display_name, Role::Admin, actor).await?;
    Ok((desk, admin))
}

/// An account as the administrator's list shows it.
pub(crate) use crate::db::users::Listed as ListedAccount;

/// Every account, by organisation and login.
pub(crate) async fn list(pool: &PgPool) -> sqlx::Result<Vec<ListedAccount>> {
    db::users::list(pool).await
}

/// The accounts waiting for the desk's approval, oldest first.
pub(crate) async fn pending(pool: &PgPool) -> sqlx::Result<Vec<ListedAccount>> {
    db::users::pending(pool).await
}

/// The desk approves (the person may sign in) or rejects (never) an
/// account an organisation's administrator created; audited.
pub async fn decide_account(
    pool: &PgPool,
    user: Uuid,
    approve: bool,
    actor: &str,
) -> Result<(), UserError> {
    let decision = if approve {
        Approval::Approved
    } else {
        Approval::Rejected
    };
    let mut tx = pool.begin().await?;
    if !db::users::decide(&mut tx, user, decision.code()).await? {
        return Err(UserError::NotPending);
    }
    let action = if approve { "approve" } else { "reject" };
    audit::record(&mut tx, actor, action, "user", &user.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

/// Argon2id with the crate's default (OWASP-recommended) parameters, as a
/// PHC string carrying its own salt and parameters.
pub fn hash_password(password: &str) -> Result<String, UserError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| UserError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| UserError::Hash(e.to_string()))
}

/// Whether `password` matches the stored PHC string (false for a malformed one).
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

/// 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I):
/// about 90 bits, typed once by hand.
fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horsE", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
        assert_ne!(hash, hash_password("correct horse").unwrap(), "salted");
    }

    #[test]
    fn first_passwords_are_long_and_unambiguous() {
        let p = random_password();
        assert_eq!(p.len(), 16);
        assert!(!p.contains(['0', 'O', '1', 'l', 'I']));
    }
}
