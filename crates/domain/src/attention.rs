//! When a referral needs someone's attention: the one place these rules
//! are written. Two audiences read a referral's silence differently, and
//! both rules live here side by side so they are read (and changed)
//! together:
//!
//! - the **clinic** (the physician's board and 要確認): a referral is
//!   overdue when the hospital never acknowledged it, when the expected
//!   discharge passed, or when the reply letter (返書) is late — only the
//!   clinic knows which reply letters arrived;
//! - the **region** (the desk's and the liaison's portal lists): a
//!   referral needs an update from the hospital when it has gone quiet.
//!
//! The store evaluates the clinic's rule in SQL over its summary rows; a
//! test there checks that SQL against [`clinic_overdue`] case by case.

use chrono::{Days, NaiveDate};

use crate::referral::{ReferralState, ReferralStatus};

/// Why an open referral needs chasing, as the clinic sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Overdue {
    /// Sent, and no word from the hospital for too long.
    NoAcknowledgement,
    /// The expected discharge date passed with no discharge.
    DischargeOverdue,
    /// Seen or admitted, and no reply letter for too long.
    NoReply,
}

impl Overdue {
    pub const ALL: [Overdue; 3] = [
        Overdue::NoAcknowledgement,
        Overdue::DischargeOverdue,
        Overdue::NoReply,
    ];

    /// The code the store keeps and compares (never the label).
    pub fn code(self) -> &'static str {
        match self {
            Overdue::NoAcknowledgement => "no_ack",
            Overdue::DischargeOverdue => "discharge_overdue",
            Overdue::NoReply => "no_reply",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }

    /// The board's short flag.
    pub fn label_ja(self) -> &'static str {
        match self {
            Overdue::NoAcknowledgement => "受付の連絡なし",
            Overdue::DischargeOverdue => "退院予定日超過",
            Overdue::NoReply => "返書未着",
        }
    }
}

/// When silence becomes overdue for the clinic, as of `today` (the
/// physician sets both thresholds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverdueRule {
    pub today: NaiveDate,
    pub days_to_acknowledgement: u32,
    pub days_to_reply: u32,
}

impl OverdueRule {
    /// The last sent date that is overdue without an acknowledgement.
    pub fn acknowledge_by(&self) -> NaiveDate {
        days_before(self.today, self.days_to_acknowledgement)
    }

    /// The last first-visit date that is overdue without a reply letter.
    pub fn reply_by(&self) -> NaiveDate {
        days_before(self.today, self.days_to_reply)
    }
}

fn days_before(day: NaiveDate, days: u32) -> NaiveDate {
    day.checked_sub_days(Days::new(days.into()))
        .unwrap_or(NaiveDate::MIN)
}

/// What the clinic's rule reads of an episode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverdueFacts {
    pub status: ReferralStatus,
    pub sent_on: NaiveDate,
    pub seen_on: Option<NaiveDate>,
    pub expected_discharge: Option<NaiveDate>,
    /// Reply letters recorded for the referral.
    pub replies: u32,
}

impl OverdueFacts {
    pub fn of(state: &ReferralState, replies: u32) -> Self {
        OverdueFacts {
            status: state.status,
            sent_on: state.sent_on,
            seen_on: state.seen_on,
            expected_discharge: state.expected_discharge,
            replies,
        }
    }
}

/// Statuses in which the patient is in a hospital's care as an inpatient
/// (an expected discharge date means something).
fn is_inpatient(status: ReferralStatus) -> bool {
    use ReferralStatus as S;
    matches!(status, S::Admitted | S::DischargePlanned | S::Transferred)
}

/// The clinic's rule: the first reason that applies, in this order.
pub fn clinic_overdue(facts: &OverdueFacts, rule: &OverdueRule) -> Option<Overdue> {
    use ReferralStatus as S;
    if facts.status == S::Sent && facts.sent_on <= rule.acknowledge_by() {
        return Some(Overdue::NoAcknowledgement);
    }
    if is_inpatient(facts.status) && facts.expected_discharge.is_some_and(|d| d < rule.today) {
        return Some(Overdue::DischargeOverdue);
    }
    if facts.status.is_open()
        && facts.status != S::Deceased
        && facts.replies == 0
        && facts.seen_on.is_some_and(|d| d <= rule.reply_by())
    {
        return Some(Overdue::NoReply);
    }
    None
}

/// Whether the patient is alive, as far as the clinic knows: a 死亡
/// recorded on any of the patient's referrals says not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatientLife {
    Living,
    Died,
}

impl PatientLife {
    /// Whether the patient's ongoing care goes on. Once a death is
    /// recorded it stops: no reminder to review the 人生会議 or to renew a
    /// 訪問看護指示書, and no renewal offered. The death is on the list
    /// itself (`WorklistReason::Deceased`); asking the physician to review
    /// the wishes of a patient who has died is wrong and hurtful. Voiding
    /// the 死亡 (recorded in error) brings it all back.
    pub fn care_goes_on(self) -> bool {
        self == PatientLife::Living
    }
}

/// Why a referral is on the clinic's worklist (要確認): overdue under the
/// clinic's rule, or news the physician must know of at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WorklistReason {
    Overdue(Overdue),
    /// Discharged somewhere other than this clinic: the "missing patient".
    DischargedElsewhere,
    Deceased,
}

impl WorklistReason {
    pub const ALL: [WorklistReason; 5] = [
        WorklistReason::Overdue(Overdue::NoAcknowledgement),
        WorklistReason::Overdue(Overdue::DischargeOverdue),
        WorklistReason::Overdue(Overdue::NoReply),
        WorklistReason::DischargedElsewhere,
        WorklistReason::Deceased,
    ];

    pub fn code(self) -> &'static str {
        match self {
            WorklistReason::Overdue(o) => o.code(),
            WorklistReason::DischargedElsewhere => "discharged_elsewhere",
            WorklistReason::Deceased => "deceased",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The worklist item's title.
    pub fn title_ja(self) -> &'static str {
        match self {
            WorklistReason::Overdue(Overdue::NoAcknowledgement) => "受付の連絡がありません",
            WorklistReason::Overdue(Overdue::DischargeOverdue) => "退院予定日を過ぎています",
            WorklistReason::Overdue(Overdue::NoReply) => "返書が届いていません",
            WorklistReason::DischargedElsewhere => "自院以外へ退院しました",
            WorklistReason::Deceased => "死亡の連絡がありました",
        }
    }
}

/// Days a 相談・依頼 may stay without an answer before it is on the
/// physician's worklist: a question from the team left for two days is
/// one the talk's "family doctors answer slowly" is about.
pub const OPEN_REQUEST_DAYS: i64 = 2;

/// Whether a top-level 相談・依頼 posted on `posted_on` needs the physician
/// on `today`: still without an answer (`Open`) after [`OPEN_REQUEST_DAYS`].
/// Answered and closed ones do not; nor a request struck by a correction
/// (the caller leaves those out, the correction is the request).
pub fn open_request_needs_attention(
    state: crate::team::RequestState,
    posted_on: NaiveDate,
    today: NaiveDate,
) -> bool {
    state == crate::team::RequestState::Open && (today - posted_on).num_days() >= OPEN_REQUEST_DAYS
}

/// Days without news before an open referral needs an update from the
/// hospital (the region's rule).
pub const REGION_QUIET_DAYS_BEFORE_VISIT: i64 = 7;
pub const REGION_QUIET_DAYS_IN_CARE: i64 = 14;

/// Still with a hospital: the statuses the portal's lists of open
/// referrals show.
pub fn in_hospital_care(status: ReferralStatus) -> bool {
    use ReferralStatus as S;
    matches!(
        status,
        S::Sent | S::Received | S::Visited | S::Admitted | S::DischargePlanned | S::Transferred
    )
}

/// The region's rule: why an open referral needs an update from the
/// hospital, in Japanese, if it does.
pub fn region_attention(state: &ReferralState, today: NaiveDate) -> Option<String> {
    use ReferralStatus as S;
    let quiet = (today - state.last_news).num_days();
    match state.status {
        S::Sent | S::Received if quiet >= REGION_QUIET_DAYS_BEFORE_VISIT => {
            Some(format!("{quiet}日間、受診・入院の連絡がありません"))
        }
        S::DischargePlanned if state.expected_discharge.is_some_and(|d| d < today) => {
            Some("退院予定日を過ぎています".to_string())
        }
        S::Visited | S::Admitted | S::Transferred | S::DischargePlanned
            if quiet >= REGION_QUIET_DAYS_IN_CARE =>
        {
            Some(format!("{quiet}日間、経過の連絡がありません"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn rule() -> OverdueRule {
        OverdueRule {
            today: d(6, 30),
            days_to_acknowledgement: 7,
            days_to_reply: 14,
        }
    }

    fn facts(status: ReferralStatus) -> OverdueFacts {
        OverdueFacts {
            status,
            sent_on: d(6, 1),
            seen_on: None,
            expected_discharge: None,
            replies: 0,
        }
    }

    #[test]
    fn codes_round_trip() {
        for o in Overdue::ALL {
            assert_eq!(Overdue::from_code(o.code()), Some(o));
            assert!(!o.label_ja().is_empty());
        }
        for r in WorklistReason::ALL {
            assert_eq!(WorklistReason::from_code(r.code()), Some(r));
            assert!(!r.title_ja().is_empty());
        }
        assert_eq!(Overdue::from_code("late"), None);
    }

    #[test]
    fn an_unanswered_request_needs_the_physician_from_the_second_day() {
        use crate::team::RequestState::*;
        assert!(!open_request_needs_attention(Open, d(6, 23), d(6, 24)));
        assert!(open_request_needs_attention(Open, d(6, 23), d(6, 25)));
        assert!(!open_request_needs_attention(Answered, d(6, 1), d(6, 25)));
        assert!(!open_request_needs_attention(Closed, d(6, 1), d(6, 25)));
    }

    #[test]
    fn no_acknowledgement_only_while_sent_and_from_the_threshold_day() {
        let mut f = facts(ReferralStatus::Sent);
        f.sent_on = d(6, 23);
        assert_eq!(
            clinic_overdue(&f, &rule()),
            Some(Overdue::NoAcknowledgement)
        );
        f.sent_on = d(6, 24);
        assert_eq!(clinic_overdue(&f, &rule()), None);
        f.sent_on = d(6, 1);
        f.status = ReferralStatus::Received;
        assert_eq!(clinic_overdue(&f, &rule()), None);
    }

    #[test]
    fn discharge_overdue_for_inpatients_the_day_after_the_expected_date() {
        let mut f = facts(ReferralStatus::DischargePlanned);
        f.expected_discharge = Some(d(6, 30));
        assert_eq!(clinic_overdue(&f, &rule()), None);
        f.expected_discharge = Some(d(6, 29));
        assert_eq!(clinic_overdue(&f, &rule()), Some(Overdue::DischargeOverdue));
        f.status = ReferralStatus::Discharged;
        assert_eq!(clinic_overdue(&f, &rule()), None);
    }

    #[test]
    fn no_reply_until_a_reply_letter_is_recorded() {
        let mut f = facts(ReferralStatus::Discharged);
        f.seen_on = Some(d(6, 16));
        assert_eq!(clinic_overdue(&f, &rule()), Some(Overdue::NoReply));
        f.replies = 1;
        assert_eq!(clinic_overdue(&f, &rule()), None);
        f.replies = 0;
        f.seen_on = Some(d(6, 17));
        assert_eq!(clinic_overdue(&f, &rule()), None);
        f.seen_on = Some(d(6, 1));
        for ended in [
            ReferralStatus::Deceased,
            ReferralStatus::Closed,
            ReferralStatus::Cancelled,
        ] {
            f.status = ended;
            assert_eq!(clinic_overdue(&f, &rule()), None, "{ended:?}");
        }
    }

    #[test]
    fn thresholds_far_in_the_past_do_not_overflow() {
        let rule = OverdueRule {
            today: NaiveDate::MIN,
            days_to_acknowledgement: 365,
            days_to_reply: 365,
        };
        assert_eq!(rule.acknowledge_by(), NaiveDate::MIN);
    }
}

/// A backup older than this is a missed backup (automatic backups run
/// daily; two days lets one missed day pass, e.g. the PC off on a Sunday).
pub const BACKUP_DUE_AFTER_HOURS: i64 = 48;

/// Why the clinic's backups need someone's attention (要確認).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupAttention {
    /// No backup folder or no recovery passphrase yet.
    NotSetUp,
    /// The last attempt could not write to the folder (USB disk unplugged,
    /// NAS unreachable).
    FolderUnreachable,
    /// No successful backup for longer than [`BACKUP_DUE_AFTER_HOURS`].
    Missed,
    /// Set up, and no backup yet: not "missed" (the first automatic one
    /// runs within minutes), but there is nothing to restore from.
    NeverBackedUp,
}

impl BackupAttention {
    pub fn label_ja(self) -> &'static str {
        match self {
            BackupAttention::NotSetUp => "バックアップが設定されていません",
            BackupAttention::FolderUnreachable => "バックアップ先のフォルダに書き込めません",
            BackupAttention::Missed => "バックアップが2日以上取れていません",
            BackupAttention::NeverBackedUp => "まだ一度もバックアップしていません",
        }
    }
}

/// The facts the backup rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupFacts {
    pub set_up: bool,
    pub last_success: Option<chrono::DateTime<chrono::Utc>>,
    /// The most recent attempt failed to reach the folder (and nothing
    /// succeeded after it).
    pub last_attempt_unreachable: bool,
}

pub fn backup_attention(
    facts: &BackupFacts,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<BackupAttention> {
    if !facts.set_up {
        return Some(BackupAttention::NotSetUp);
    }
    if facts.last_attempt_unreachable {
        return Some(BackupAttention::FolderUnreachable);
    }
    match facts.last_success {
        None => Some(BackupAttention::NeverBackedUp),
        Some(last) if now - last <= chrono::Duration::hours(BACKUP_DUE_AFTER_HOURS) => None,
        Some(_) => Some(BackupAttention::Missed),
    }
}

#[cfg(test)]
mod backup_tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn a_backup_is_missed_after_two_days_or_when_its_folder_is_gone() {
        let now = Utc.with_ymd_and_hms(2025, 6, 10, 9, 0, 0).unwrap();
        let facts = |last: Option<Duration>, unreachable| BackupFacts {
            set_up: true,
            last_success: last.map(|ago| now - ago),
            last_attempt_unreachable: unreachable,
        };
        assert_eq!(
            backup_attention(&facts(Some(Duration::hours(47)), false), now),
            None
        );
        assert_eq!(
            backup_attention(&facts(Some(Duration::hours(48)), false), now),
            None
        );
        assert_eq!(
            backup_attention(&facts(Some(Duration::hours(49)), false), now),
            Some(BackupAttention::Missed)
        );
        // Just set up: not "missed two days", but nothing to restore yet.
        assert_eq!(
            backup_attention(&facts(None, false), now),
            Some(BackupAttention::NeverBackedUp)
        );
        assert_eq!(
            backup_attention(&facts(Some(Duration::hours(1)), true), now),
            Some(BackupAttention::FolderUnreachable)
        );
        let not_set_up = BackupFacts {
            set_up: false,
            ..facts(Some(Duration::hours(1)), false)
        };
        assert_eq!(
            backup_attention(&not_set_up, now),
            Some(BackupAttention::NotSetUp)
        );
    }
}
