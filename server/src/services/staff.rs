//! An organisation's own administrator (機関の管理者) and its staff: the
//! administrator lists and creates the accounts of its own organisation
//! only; each new account waits for the desk's approval (as MCS does).
//! Checked here on every call, whatever the page sent.

use sqlx::PgPool;
use uuid::Uuid;

use crate::model::{Approval, Role};
use crate::services::accounts::{
    AccountRequest, ListedAccount, NewUser, Profession, UserError, insert_account,
};
use crate::services::sessions::SignedIn;

/// Why a staff account was not made.
#[derive(Debug)]
pub(crate) enum StaffError {
    /// Not this organisation's administrator.
    Forbidden,
    User(UserError),
}

impl From<UserError> for StaffError {
    fn from(e: UserError) -> Self {
        StaffError::User(e)
    }
}

/// Whether `user` administers `organisation`'s staff.
pub(crate) fn may_manage(user: &SignedIn, organisation: Uuid) -> bool {
    user.role == Role::OrgAdmin && user.organisation.id == organisation
}

/// The organisation's accounts, if `user` administers it.
pub(crate) async fn list(
    pool: &PgPool,
    user: &SignedIn,
    organisation: Uuid,
) -> sqlx::Result<Option<Vec<ListedAccount>>> {
    if !may_manage(user, organisation) {
        return Ok(None);
    }
    crate::db::users::list_of(pool, organisation)
        .await
        .map(Some)
}

/// A staff account (職員) in the administrator's own organisation, with a
/// first password shown once; it cannot sign in until the desk approves.
pub(crate) async fn create_staff(
    pool: &PgPool,
    user: &SignedIn,
    organisation: Uuid,
    login: &str,
    display_name: &str,
    profession: Profession,
) -> Result<NewUser, StaffError> {
    if !may_manage(user, organisation) {
        return Err(StaffError::Forbidden);
    }
    let request = AccountRequest {
        organisation,
        login,
        display_name,
        role: Role::Staff,
        profession,
    };
    let actor = user.audit_actor();
    Ok(insert_account(pool, &request, Approval::Pending, "create-staff", &actor).await?)
}

/// The administrator lets a member of its staff keep the organisation's
/// directory profile (and a hospital's beds), or stops it; audited. False
/// if not this administrator's, or no member of its staff.
pub(crate) async fn set_profile_keeper(
    pool: &PgPool,
    user: &SignedIn,
    organisation: Uuid,
    staff: Uuid,
    keeps: bool,
) -> sqlx::Result<bool> {
    if !may_manage(user, organisation) {
        return Ok(false);
    }
    let mut tx = pool.begin().await?;
    if !crate::db::users::set_keeps_profile(&mut *tx, organisation, staff, keeps).await? {
        return Ok(false);
    }
    let action = if keeps {
        "profile-keeper"
    } else {
        "profile-keeper-end"
    };
    crate::services::audit::record(
        &mut tx,
        &user.audit_actor(),
        action,
        "user",
        &staff.to_string(),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
