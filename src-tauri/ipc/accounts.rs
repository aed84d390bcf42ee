//! The clinic's accounts and the screen lock, as the window sees them. No
//! hash and no password ever comes back; passwords and PINs go in only.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use tsunagu_app as app;

/// The account at the PC.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignedInAccount {
    pub login: String,
    pub display_name: String,
    /// `doctor`, `nurse` or `clerk`.
    pub role: String,
    /// 医師, 看護師 or 事務.
    pub role_label: String,
    pub is_admin: bool,
    /// A temporary password from the administrator: change it first.
    pub must_change_password: bool,
    pub has_pin: bool,
}

/// Which screen the window shows: the first administrator, sign-in, the
/// lock screen, or the app.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub first_account_needed: bool,
    pub account: Option<SignedInAccount>,
    pub locked: bool,
    pub pin_unlocks: bool,
    pub lock_minutes: u32,
}

/// An account in the administrator's list.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub role_label: String,
    pub is_admin: bool,
    pub disabled: bool,
    pub must_change_password: bool,
}

/// A new account: the first administrator's own password, or a temporary
/// one the administrator hands over.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountInput {
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub is_admin: bool,
    pub password: String,
}

impl From<app::SignedIn> for SignedInAccount {
    fn from(a: app::SignedIn) -> Self {
        SignedInAccount {
            login: a.login,
            display_name: a.display_name,
            role: a.role.code().to_string(),
            role_label: a.role.label_ja().to_string(),
            is_admin: a.is_admin,
            must_change_password: a.must_change_password,
            has_pin: a.has_pin,
        }
    }
}

impl From<app::SessionView> for Session {
    fn from(v: app::SessionView) -> Self {
        Session {
            first_account_needed: v.first_account_needed,
            account: v.account.map(Into::into),
            locked: v.locked,
            pin_unlocks: v.pin_unlocks,
            lock_minutes: v.lock_minutes,
        }
    }
}

impl From<app::AccountView> for Account {
    fn from(a: app::AccountView) -> Self {
        Account {
            id: a.id.to_string(),
            login: a.login,
            display_name: a.display_name,
            role: a.role.code().to_string(),
            role_label: a.role.label_ja().to_string(),
            is_admin: a.is_admin,
            disabled: a.disabled,
            must_change_password: a.must_change_password,
        }
    }
}

impl From<AccountInput> for app::AccountInput {
    fn from(i: AccountInput) -> Self {
        app::AccountInput {
            login: i.login,
            display_name: i.display_name,
            role: i.role,
            is_admin: i.is_admin,
            password: i.password,
        }
    }
}

/// The administrator's list, in IPC shape.
pub fn accounts(list: Vec<app::AccountView>) -> Vec<Account> {
    list.into_iter().map(Into::into).collect()
}
