//! The clinic's own accounts (MHLW 安全管理ガイドライン: identified users):
//! the roles, what each may do, the rules for what is typed when an
//! account is made, and when an idle app locks. The hashing and the
//! session live in the app; the rules live here, once.

use std::fmt;

use chrono::{DateTime, Duration, Utc};

use crate::field_rules::Rejection;

/// A clinic account's job. Stored as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StaffRole {
    /// 医師
    Doctor,
    /// 看護師
    Nurse,
    /// 事務
    Clerk,
}

/// What an action needs beyond being signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// Write, issue and correct letters (紹介状, 退院時サマリー) and orders.
    IssueLetters,
    /// Read clinical text: letters' contents, reply letters, event notes.
    ReadClinicalText,
    /// Decide as the patient's doctor: answer a hospital's 退院後の在宅
    /// 医療の相談 (引き受ける…) and set a 退院時カンファレンス.
    DecideCare,
    /// Record the patient's wishes after a 人生会議 (ACP) and keep the
    /// 医療・介護連携サマリー: the doctor or the nurse, who hold those
    /// conversations and know the patient's medicines and devices.
    KeepCareRecords,
    /// Manage accounts and the clinic's security settings (the
    /// administrator flag, not a role).
    Administer,
}

impl StaffRole {
    pub const ALL: [StaffRole; 3] = [StaffRole::Doctor, StaffRole::Nurse, StaffRole::Clerk];

    pub fn code(self) -> &'static str {
        match self {
            StaffRole::Doctor => "doctor",
            StaffRole::Nurse => "nurse",
            StaffRole::Clerk => "clerk",
        }
    }

    pub fn from_code(code: &str) -> Option<StaffRole> {
        StaffRole::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            StaffRole::Doctor => "医師",
            StaffRole::Nurse => "看護師",
            StaffRole::Clerk => "事務",
        }
    }

    /// Whether an account of this role (administrator or not) may do
    /// `capability`. Administering is the administrator flag's alone.
    pub fn may(self, capability: Capability) -> bool {
        match capability {
            Capability::IssueLetters | Capability::DecideCare => self == StaffRole::Doctor,
            Capability::ReadClinicalText | Capability::KeepCareRecords => {
                matches!(self, StaffRole::Doctor | StaffRole::Nurse)
            }
            Capability::Administer => false,
        }
    }
}

/// Whether an account with `role` and the administrator flag may do
/// `capability`.
pub fn permits(role: StaffRole, admin: bool, capability: Capability) -> bool {
    match capability {
        Capability::Administer => admin,
        other => role.may(other),
    }
}

/// Why an action was refused for the account's role, in Japanese.
pub fn refusal_ja(capability: Capability) -> &'static str {
    match capability {
        Capability::IssueLetters => "文書の作成・発行は医師のアカウントだけができます。",
        Capability::ReadClinicalText => {
            "診療内容（文書・返書・記録の本文）は医師・看護師のアカウントだけが見られます。"
        }
        Capability::DecideCare => {
            "退院後の在宅医療の引き受けの回答と退院時カンファレンスの設定は、医師のアカウントだけができます。"
        }
        Capability::KeepCareRecords => {
            "人生会議と連携サマリーの記録は医師・看護師のアカウントだけができます。"
        }
        Capability::Administer => "この操作は管理者のアカウントだけができます。",
    }
}

impl fmt::Display for StaffRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_ja())
    }
}

/// Passwords: at least this many characters.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// And at most this many (hashing cost is paid per character).
pub const MAX_PASSWORD_CHARS: usize = 128;
/// A PIN unlocks a locked screen only: 4 to 8 digits.
pub const PIN_DIGITS: std::ops::RangeInclusive<usize> = 4..=8;
/// Wrong PINs in a row before the password is needed to unlock.
pub const MAX_PIN_FAILURES: u32 = 3;

/// The idle time after which the app locks, by default, and the range
/// the administrator may set.
pub const DEFAULT_LOCK_MINUTES: u32 = 10;
pub const LOCK_MINUTES: std::ops::RangeInclusive<u32> = 1..=120;

/// A login: 3–32 of a–z, 0–9, `.`, `_`, `-` (lower-cased; what people
/// type at a shared PC, and what the audit log shows).
pub fn check_login(text: &str) -> Result<String, Rejection> {
    let login = text.trim().to_ascii_lowercase();
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
    if login.is_empty() {
        return Err("ログイン名を入力してください。".into());
    }
    if !(3..=32).contains(&login.len()) || !login.chars().all(allowed) {
        return Err("ログイン名は半角英数字と . _ - で3〜32文字にしてください。".into());
    }
    Ok(login)
}

/// A display name as shown in the app and the audit log: 1–40 characters.
pub fn check_display_name(text: &str) -> Result<String, Rejection> {
    let name = text.trim();
    if name.is_empty() {
        return Err("氏名を入力してください。".into());
    }
    if name.chars().count() > 40 || name.chars().any(char::is_control) {
        return Err("氏名は40文字以内にしてください。".into());
    }
    Ok(name.to_string())
}

/// A new password: long enough, not too long, not the login.
pub fn check_password(password: &str, login: &str) -> Result<(), Rejection> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(format!("パスワードは{MIN_PASSWORD_CHARS}文字以上にしてください。").into());
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(format!("パスワードは{MAX_PASSWORD_CHARS}文字以内にしてください。").into());
    }
    if password.trim().eq_ignore_ascii_case(login.trim()) {
        return Err("ログイン名と同じパスワードは使えません。".into());
    }
    Ok(())
}

/// A PIN: 4–8 half-width digits.
pub fn check_pin(pin: &str) -> Result<(), Rejection> {
    if !PIN_DIGITS.contains(&pin.len()) || !pin.chars().all(|c| c.is_ascii_digit()) {
        return Err("PINは半角数字4〜8桁にしてください。".into());
    }
    Ok(())
}

/// The administrator's setting for the idle lock.
pub fn check_lock_minutes(minutes: u32) -> Result<u32, Rejection> {
    if LOCK_MINUTES.contains(&minutes) {
        Ok(minutes)
    } else {
        Err(format!(
            "自動ロックまでの時間は{}〜{}分にしてください。",
            LOCK_MINUTES.start(),
            LOCK_MINUTES.end()
        )
        .into())
    }
}

/// Whether a session last active at `last_activity` has been idle long
/// enough to lock at `now`.
pub fn idle_long_enough(last_activity: DateTime<Utc>, now: DateTime<Utc>, minutes: u32) -> bool {
    now - last_activity >= Duration::minutes(i64::from(minutes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_doctors_issue_letters_and_clerks_read_no_clinical_text() {
        assert!(permits(StaffRole::Doctor, false, Capability::IssueLetters));
        assert!(!permits(StaffRole::Nurse, true, Capability::IssueLetters));
        assert!(permits(
            StaffRole::Nurse,
            false,
            Capability::ReadClinicalText
        ));
        assert!(!permits(
            StaffRole::Clerk,
            true,
            Capability::ReadClinicalText
        ));
        assert!(permits(StaffRole::Clerk, true, Capability::Administer));
        assert!(!permits(StaffRole::Doctor, false, Capability::Administer));
        // Taking a patient on, or setting the conference, is the doctor's.
        assert!(permits(StaffRole::Doctor, false, Capability::DecideCare));
        assert!(!permits(StaffRole::Nurse, true, Capability::DecideCare));
        assert!(!permits(StaffRole::Clerk, true, Capability::DecideCare));
        // 人生会議 is held by the doctor or the nurse.
        assert!(permits(
            StaffRole::Nurse,
            false,
            Capability::KeepCareRecords
        ));
        assert!(!permits(
            StaffRole::Clerk,
            true,
            Capability::KeepCareRecords
        ));
    }

    #[test]
    fn roles_round_trip_their_codes() {
        for role in StaffRole::ALL {
            assert_eq!(StaffRole::from_code(role.code()), Some(role));
        }
        assert_eq!(StaffRole::from_code("admin"), None);
    }

    #[test]
    fn logins_are_lower_cased_and_limited() {
        assert_eq!(check_login(" Sato.H "), Ok("sato.h".to_string()));
        assert!(check_login("").is_err());
        assert!(check_login("ab").is_err());
        assert!(check_login("佐藤").is_err());
        assert!(check_login("sato h").is_err());
    }

    #[test]
    fn passwords_must_be_long_and_not_the_login() {
        assert!(check_password("short", "sato").is_err());
        assert!(check_password("sato.hanako", "sato.hanako").is_err());
        assert!(check_password("とても長いパスワードです", "sato").is_ok());
        assert!(check_password(&"x".repeat(129), "sato").is_err());
    }

    #[test]
    fn pins_are_four_to_eight_digits() {
        assert!(check_pin("1234").is_ok());
        assert!(check_pin("12345678").is_ok());
        assert!(check_pin("123").is_err());
        assert!(check_pin("12a4").is_err());
        assert!(check_pin("１２３４").is_err());
    }

    #[test]
    fn the_app_locks_after_the_idle_minutes() {
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        assert!(!idle_long_enough(t0, t0 + Duration::seconds(599), 10));
        assert!(idle_long_enough(t0, t0 + Duration::minutes(10), 10));
        assert!(check_lock_minutes(0).is_err());
        assert!(check_lock_minutes(121).is_err());
        assert_eq!(check_lock_minutes(10), Ok(10));
    }
}
