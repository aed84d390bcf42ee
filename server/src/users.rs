//! Portal accounts: the desk's administrators and staff, and hospitals'
//! liaison officers. Created from the admin command line (the first desk
//! administrator before any portal exists) and, in the next issue, from the
//! portal. Passwords are hashed with Argon2id; the first one is random,
//! shown once, and must be changed at the first sign-in.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use sqlx::PgPool;
use tsunagu_protocol::{OrgKind, Organisation};
use uuid::Uuid;

use crate::admin::{audit, kind_from_code};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The desk's administrator: organisations, users, devices, audit log.
    Admin,
    /// The desk's staff (相談窓口).
    Desk,
    /// A hospital's liaison officer (連携担当者).
    Liaison,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Desk => "desk",
            Role::Liaison => "liaison",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        [Role::Admin, Role::Desk, Role::Liaison]
            .into_iter()
            .find(|r| r.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Role::Admin => "管理者",
            Role::Desk => "相談窓口",
            Role::Liaison => "連携担当者",
        }
    }

    /// Desk roles belong to the desk, liaison officers to a hospital.
    pub fn fits(self, kind: OrgKind) -> bool {
        matches!(
            (self, kind),
            (Role::Admin | Role::Desk, OrgKind::Desk) | (Role::Liaison, OrgKind::Hospital)
        )
    }
}

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

/// Creates an account with a random first password.
pub async fn create_user(
    pool: &PgPool,
    organisation: Uuid,
    login: &str,
    display_name: &str,
    role: Role,
    actor: &str,
) -> Result<NewUser, UserError> {
    let login = login.trim().to_lowercase();
    let valid_login = (3..=40).contains(&login.len())
        && login
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !valid_login {
        return Err(UserError::BadLogin);
    }
    let display_name = display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > 100 {
        return Err(UserError::BadName);
    }
    let kind: Option<String> = sqlx::query_scalar("SELECT kind FROM organisations WHERE id = $1")
        .bind(organisation)
        .fetch_optional(pool)
        .await?;
    let kind = kind
        .as_deref()
        .and_then(kind_from_code)
        .ok_or(UserError::NoOrganisation)?;
    if !role.fits(kind) {
        return Err(UserError::RoleDoesNotFit {
            role: role.code(),
            kind: crate::admin::kind_code(kind),
        });
    }
    let initial_password = random_password();
    let hash = hash_password(&initial_password)?;
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO users (id, organisation_id, login, display_name, role, password_hash)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (login) DO NOTHING",
    )
    .bind(id)
    .bind(organisation)
    .bind(&login)
    .bind(display_name)
    .bind(role.code())
    .bind(hash)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Err(UserError::LoginTaken);
    }
    audit(&mut tx, actor, "create", "user", &id.to_string()).await?;
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
    let login: Option<String> = sqlx::query_scalar(
        "UPDATE users SET password_hash = $2, must_change_password = true, totp_secret = NULL,
           totp_pending_secret = NULL, totp_last_step = NULL
         WHERE id = $1 RETURNING login",
    )
    .bind(user)
    .bind(hash)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(login) = login else {
        return Err(UserError::NoSuchUser);
    };
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user)
        .execute(&mut *tx)
        .await?;
    end_sessions(&mut tx, user).await?;
    audit(&mut tx, actor, "reset", "user", &user.to_string()).await?;
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
    let disabled = sqlx::query("UPDATE users SET disabled_at = now() WHERE id = $1")
        .bind(user)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if disabled == 0 {
        return Err(UserError::NoSuchUser);
    }
    end_sessions(&mut tx, user).await?;
    audit(&mut tx, actor, "disable", "user", &user.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

/// A stopped account may sign in again, with the password and second
/// factor it had.
pub async fn enable_user(pool: &PgPool, user: Uuid, actor: &str) -> Result<(), UserError> {
    let mut tx = pool.begin().await?;
    let enabled = sqlx::query("UPDATE users SET disabled_at = NULL WHERE id = $1")
        .bind(user)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if enabled == 0 {
        return Err(UserError::NoSuchUser);
    }
    audit(&mut tx, actor, "enable", "user", &user.to_string()).await?;
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
    if role == Role::Liaison {
        return Err(UserError::RoleDoesNotFit {
            role: role.code(),
            kind: "desk",
        });
    }
    let mut tx = pool.begin().await?;
    let changed =
        sqlx::query("UPDATE users SET role = $2 WHERE id = $1 AND role IN ('admin', 'desk')")
            .bind(user)
            .bind(role.code())
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if changed == 0 {
        return Err(UserError::NoSuchUser);
    }
    end_sessions(&mut tx, user).await?;
    audit(&mut tx, actor, "set-role", "user", &user.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

async fn end_sessions(conn: &mut sqlx::PgConnection, user: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE portal_sessions SET ended_at = now() WHERE user_id = $1 AND ended_at IS NULL",
    )
    .bind(user)
    .execute(conn)
    .await?;
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
    let desk = crate::admin::create_organisation(pool, OrgKind::Desk, desk_name, actor).await?;
    let admin = create_user(pool, desk.id, login, display_name, Role::Admin, actor).await?;
    Ok((desk, admin))
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
