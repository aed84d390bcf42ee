//! 在宅医療情報連携加算 (C002 注15, C002-2 注5, C003 注9; 令和6年度
//! 診療報酬改定, ADR 0039): what the physician records each month for a
//! home-care patient and shares with the team — the next visit, whether
//! the treatment policy changed (and how), the points to watch in care —
//! and the month's rule: which of the requirements Tsunagu can see are met
//! for a patient, and which are missing. The report and the patient page
//! ask the same rule ([`month_status`]).
//!
//! A record is kept per patient and month as immutable versions; the
//! latest recorded version of the month is the one that counts.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};

use crate::field_rules::{Checked, Collector, Lines, Rejection, TextRule, check_text};
use crate::normalize::nfkc;
use crate::{WarekiDate, parse_date};

/// A calendar month, as the fee is counted (月1回).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && (1900..=9999).contains(&year))
            .then_some(Month { year, month })
    }

    /// The month a day falls in.
    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// `2026-12` (also `2026/12`, `2026-1`, full-width digits).
    pub fn parse(raw: &str) -> Option<Month> {
        let text = nfkc(raw.trim());
        let (y, m) = text.split_once(['-', '/'])?;
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if y.len() != 4 || !digits(y) || !digits(m) || m.len() > 2 {
            return None;
        }
        Month::new(y.parse().ok()?, m.parse().ok()?)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The first day of the next month (the end, exclusive).
    pub fn next_first_day(self) -> NaiveDate {
        let (year, month) = if self.month == 12 {
            (self.year + 1, 1)
        } else {
            (self.year, self.month + 1)
        };
        NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MAX)
    }

    /// When the month starts: months are counted in Japan time (UTC+9),
    /// the clinic's, whatever the PC's zone.
    pub fn starts_at(self) -> DateTime<Utc> {
        japan_midnight(self.first_day())
    }

    /// When the next month starts (the end, exclusive).
    pub fn ends_at(self) -> DateTime<Utc> {
        japan_midnight(self.next_first_day())
    }

    /// `2026-12`: the stored code.
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// 令和8年12月
    pub fn label_ja(self) -> String {
        match WarekiDate::from_date(self.first_day()) {
            Some(w) if w.year == 1 => format!("{}元年{}月", w.era.kanji(), self.month),
            Some(w) => format!("{}{}年{}月", w.era.kanji(), w.year, self.month),
            None => format!("{}年{}月", self.year, self.month),
        }
    }
}

fn japan_midnight(day: NaiveDate) -> DateTime<Utc> {
    (day.and_time(NaiveTime::MIN) - Duration::hours(9)).and_utc()
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code())
    }
}

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharingFeeDraft {
    /// `YYYY-MM`: the month the record is for.
    pub month: String,
    /// 次回の訪問診療の予定日 (和暦 accepted).
    pub next_visit: String,
    /// 治療方針の変更の有無: `None` until answered.
    pub policy_changed: Option<bool>,
    /// 変更の概要: required when changed, dropped when not.
    pub change_summary: String,
    /// 患者の医療・ケアを行う際の留意点: recorded when the physician
    /// judges the team must know them (may be empty).
    pub care_points: String,
}

/// A checked record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharingFeeRecord {
    pub month: Month,
    pub next_visit: NaiveDate,
    pub policy_changed: bool,
    /// Empty when the policy did not change.
    pub change_summary: String,
    pub care_points: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SharingFeeField {
    Month,
    NextVisit,
    PolicyChanged,
    ChangeSummary,
    CarePoints,
}

impl SharingFeeField {
    pub fn key(self) -> &'static str {
        match self {
            SharingFeeField::Month => "month",
            SharingFeeField::NextVisit => "nextVisit",
            SharingFeeField::PolicyChanged => "policyChanged",
            SharingFeeField::ChangeSummary => "changeSummary",
            SharingFeeField::CarePoints => "carePoints",
        }
    }
}

const TEXT_MAX_CHARS: usize = 1000;
/// A next visit further away than this is a typing mistake (訪問診療 is
/// planned at least monthly).
pub const NEXT_VISIT_MAX_DAYS: i64 = 92;

/// Checks the form against `today`; every problem at once, by field.
///
/// - The month is not in the future (a record is of care given).
/// - The next visit is a plan: not before the record's month, not before
///   today when the month is the current one (a record typed late for a
///   past month keeps the plan as it was), and within
///   [`NEXT_VISIT_MAX_DAYS`] of today.
/// - Whether the policy changed must be answered; the summary is required
///   when it changed and dropped when it did not.
pub fn check_sharing_fee(
    draft: &SharingFeeDraft,
    today: NaiveDate,
) -> Result<SharingFeeRecord, Vec<(SharingFeeField, String)>> {
    let mut errors = Collector::default();
    let month = errors.take(SharingFeeField::Month, month(&draft.month, today));
    let next_visit = match month {
        Some(m) => errors.take(
            SharingFeeField::NextVisit,
            next_visit(&draft.next_visit, m, today),
        ),
        None => errors.take(
            SharingFeeField::NextVisit,
            parse_date(&draft.next_visit).map_err(Rejection::from),
        ),
    };
    let policy_changed = errors.take(
        SharingFeeField::PolicyChanged,
        draft
            .policy_changed
            .ok_or_else(|| Rejection::from("治療方針の変更の有無を選んでください")),
    );
    let change_summary = errors.take(
        SharingFeeField::ChangeSummary,
        check_text(
            &draft.change_summary,
            TextRule {
                label: "治療方針の変更の概要",
                required: policy_changed == Some(true),
                max_chars: TEXT_MAX_CHARS,
                lines: Lines::Multi,
            },
        ),
    );
    let care_points = errors.take(
        SharingFeeField::CarePoints,
        check_text(
            &draft.care_points,
            TextRule {
                label: "医療・ケアを行う際の留意点",
                required: false,
                max_chars: TEXT_MAX_CHARS,
                lines: Lines::Multi,
            },
        ),
    );
    let errors = errors.into_vec();
    match (
        month,
        next_visit,
        policy_changed,
        change_summary,
        care_points,
    ) {
        (Some(month), Some(next_visit), Some(policy_changed), Some(summary), Some(care_points))
            if errors.is_empty() =>
        {
            Ok(SharingFeeRecord {
                month,
                next_visit,
                policy_changed,
                change_summary: if policy_changed {
                    summary
                } else {
                    String::new()
                },
                care_points,
            })
        }
        _ => Err(errors),
    }
}

fn month(raw: &str, today: NaiveDate) -> Checked<Month> {
    if raw.trim().is_empty() {
        return Err("対象月を入力してください".into());
    }
    let month = Month::parse(raw).ok_or("対象月は「2026-12」の形で入力してください")?;
    if month > Month::of(today) {
        return Err("先の月の記録はできません".into());
    }
    Ok(month)
}

fn next_visit(raw: &str, month: Month, today: NaiveDate) -> Checked<NaiveDate> {
    if raw.trim().is_empty() {
        return Err("次回の訪問診療の予定日を入力してください".into());
    }
    let date = parse_date(raw)?;
    if date < month.first_day() {
        return Err("次回の訪問診療の予定日が対象月より前です".into());
    }
    if month == Month::of(today) && date < today {
        return Err("次回の訪問診療の予定日が過ぎています".into());
    }
    if date > today + Duration::days(NEXT_VISIT_MAX_DAYS) {
        return Err(
            format!("次回の訪問診療の予定日は{NEXT_VISIT_MAX_DAYS}日以内にしてください").into(),
        );
    }
    Ok(date)
}

/// What the 加算 asks that Tsunagu can see, in the order the report
/// shows it (ADR 0039 quotes the rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SharingFeeRequirement {
    /// 医療関係職種等と診療情報等を記録・共有することへの患者の同意: the
    /// consent in force naming the team.
    Consent,
    /// 次回の訪問診療の予定日・治療方針の変更の有無（変更時はその概要）を
    /// 当月に記録していること.
    MonthRecord,
    /// その記録を医療関係職種等に共有していること (posted on the timeline).
    RecordShared,
    /// 医療関係職種等が記録した情報があること: at least one post by
    /// another member of the team in the month.
    OthersRecorded,
    /// 医療関係職種等が記録した情報を取得していること: every post by
    /// another member in the month read by the clinic.
    OthersRead,
}

impl SharingFeeRequirement {
    pub const ALL: [SharingFeeRequirement; 5] = [
        SharingFeeRequirement::Consent,
        SharingFeeRequirement::MonthRecord,
        SharingFeeRequirement::RecordShared,
        SharingFeeRequirement::OthersRecorded,
        SharingFeeRequirement::OthersRead,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SharingFeeRequirement::Consent => "consent",
            SharingFeeRequirement::MonthRecord => "month_record",
            SharingFeeRequirement::RecordShared => "record_shared",
            SharingFeeRequirement::OthersRecorded => "others_recorded",
            SharingFeeRequirement::OthersRead => "others_read",
        }
    }

    pub fn from_code(code: &str) -> Option<SharingFeeRequirement> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// A report column's heading (the full label goes beside it).
    pub fn short_label_ja(self) -> &'static str {
        match self {
            SharingFeeRequirement::Consent => "同意",
            SharingFeeRequirement::MonthRecord => "当月の記録",
            SharingFeeRequirement::RecordShared => "チームへの共有",
            SharingFeeRequirement::OthersRecorded => "他職種の記録",
            SharingFeeRequirement::OthersRead => "他職種の記録の既読",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            SharingFeeRequirement::Consent => "情報共有への患者の同意",
            SharingFeeRequirement::MonthRecord => {
                "当月の記録（次回訪問予定日・治療方針の変更の有無）"
            }
            SharingFeeRequirement::RecordShared => "記録の在宅チームへの共有",
            SharingFeeRequirement::OthersRecorded => "他職種による当月の記録",
            SharingFeeRequirement::OthersRead => "他職種の記録の確認（既読）",
        }
    }
}

/// A consent naming the team, as kept: obtained on a day, perhaps
/// withdrawn on a later one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsentSpan {
    pub obtained_on: NaiveDate,
    pub withdrawn_on: Option<NaiveDate>,
}

/// Whether the patient's consent to share with the team stood on at least
/// one day of the month, up to `today`: the sharing the fee pays for is
/// the month's, and a consent obtained later in the month (or after it,
/// or not yet) covers none of what came before it. A consent withdrawn on
/// a day stops covering that day.
pub fn consent_covers_month(spans: &[ConsentSpan], month: Month, today: NaiveDate) -> bool {
    let start = month.first_day();
    let end = month.next_first_day().min(today + Duration::days(1));
    spans.iter().any(|span| {
        let from = span.obtained_on.max(start);
        let until = span.withdrawn_on.map_or(end, |w| w.min(end));
        from < until
    })
}

/// What Tsunagu knows of a patient's month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SharingFeeFacts {
    /// A consent naming the team stood in the month (`consent_covers_month`).
    pub team_consent: bool,
    /// The physician's record for the month exists (checked when kept).
    pub has_record: bool,
    /// The counting record was posted on the team's timeline.
    pub record_shared: bool,
    /// Posts by other members of the team in the month (not struck out).
    pub others_posts: u32,
    /// How many of those the clinic has read.
    pub others_read: u32,
}

/// Which requirements are met and which are missing, each in
/// [`SharingFeeRequirement::ALL`] order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharingFeeStatus {
    pub met: Vec<SharingFeeRequirement>,
    pub missing: Vec<SharingFeeRequirement>,
}

impl SharingFeeStatus {
    /// Every requirement Tsunagu can see is met (the 届出 and the rest are
    /// the clinic's to know).
    pub fn complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// The month's rule (ADR 0039).
pub fn month_status(facts: &SharingFeeFacts) -> SharingFeeStatus {
    let mut status = SharingFeeStatus::default();
    for requirement in SharingFeeRequirement::ALL {
        let met = match requirement {
            SharingFeeRequirement::Consent => facts.team_consent,
            SharingFeeRequirement::MonthRecord => facts.has_record,
            SharingFeeRequirement::RecordShared => facts.has_record && facts.record_shared,
            SharingFeeRequirement::OthersRecorded => facts.others_posts > 0,
            SharingFeeRequirement::OthersRead => {
                facts.others_posts > 0 && facts.others_read >= facts.others_posts
            }
        };
        if met {
            status.met.push(requirement);
        } else {
            status.missing.push(requirement);
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    fn draft() -> SharingFeeDraft {
        SharingFeeDraft {
            month: "2026-12".into(),
            next_visit: "R8.12.21".into(),
            policy_changed: Some(false),
            change_summary: String::new(),
            care_points: "夜間の呼吸苦は訪問看護に連絡".into(),
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_consent_covers_a_month_it_stood_on_some_day_of_up_to_today() {
        let november = Month::new(2026, 11).unwrap();
        let december = Month::new(2026, 12).unwrap();
        let span = |obtained, withdrawn| ConsentSpan {
            obtained_on: obtained,
            withdrawn_on: withdrawn,
        };
        let standing = [span(day(2026, 10, 1), None)];
        assert!(consent_covers_month(&standing, november, today()));
        assert!(consent_covers_month(&standing, december, today()));
        // Obtained after the month, or withdrawn before it: not that month.
        let later = [span(day(2026, 12, 3), None)];
        assert!(!consent_covers_month(&later, november, today()));
        assert!(consent_covers_month(&later, december, today()));
        let gone = [span(day(2026, 10, 1), Some(day(2026, 11, 1)))];
        assert!(!consent_covers_month(&gone, november, today()));
        let mid = [span(day(2026, 10, 1), Some(day(2026, 11, 20)))];
        assert!(consent_covers_month(&mid, november, today()));
        // Not yet obtained (dated after today): nothing of this month yet.
        let ahead = [span(day(2026, 12, 20), None)];
        assert!(!consent_covers_month(&ahead, december, today()));
        assert!(!consent_covers_month(&[], december, today()));
        // Any one of several.
        assert!(consent_covers_month(
            &[gone[0], later[0]],
            december,
            today()
        ));
    }

    fn keys(draft: &SharingFeeDraft) -> Vec<&'static str> {
        check_sharing_fee(draft, today())
            .unwrap_err()
            .into_iter()
            .map(|(f, _)| f.key())
            .collect()
    }

    #[test]
    fn months_parse_and_print() {
        let m = Month::parse("２０２６/1").unwrap();
        assert_eq!(m.code(), "2026-01");
        assert_eq!(m.label_ja(), "令和8年1月");
        assert_eq!(Month::parse("2019-05").unwrap().label_ja(), "令和元年5月");
        assert_eq!(Month::parse("2026-13"), None);
        assert_eq!(
            Month::parse("2026-12").unwrap().starts_at().to_rfc3339(),
            "2026-11-30T15:00:00+00:00"
        );
        assert_eq!(Month::parse("26-1"), None);
        assert_eq!(
            Month::parse("2026-12").unwrap().next_first_day(),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
        );
    }

    #[test]
    fn a_record_is_checked_and_wareki_is_read() {
        let record = check_sharing_fee(&draft(), today()).unwrap();
        assert_eq!(record.month.code(), "2026-12");
        assert_eq!(
            record.next_visit,
            NaiveDate::from_ymd_opt(2026, 12, 21).unwrap()
        );
        assert!(!record.policy_changed);
    }

    #[test]
    fn a_changed_policy_needs_its_summary_and_an_unchanged_one_drops_it() {
        let changed = SharingFeeDraft {
            policy_changed: Some(true),
            ..draft()
        };
        assert_eq!(keys(&changed), ["changeSummary"]);
        let unchanged = SharingFeeDraft {
            change_summary: "書きかけ".into(),
            ..draft()
        };
        assert_eq!(
            check_sharing_fee(&unchanged, today())
                .unwrap()
                .change_summary,
            ""
        );
        let unanswered = SharingFeeDraft {
            policy_changed: None,
            ..draft()
        };
        assert_eq!(keys(&unanswered), ["policyChanged"]);
    }

    #[test]
    fn the_month_and_the_next_visit_are_held_to_the_calendar() {
        let future = SharingFeeDraft {
            month: "2027-01".into(),
            next_visit: "2027-01-10".into(),
            ..draft()
        };
        assert_eq!(keys(&future), ["month"]);
        let past_visit = SharingFeeDraft {
            next_visit: "2026-12-01".into(),
            ..draft()
        };
        assert_eq!(keys(&past_visit), ["nextVisit"]);
        // Typed late for November: the plan as it was then is kept.
        let late = SharingFeeDraft {
            month: "2026-11".into(),
            next_visit: "2026-11-28".into(),
            ..draft()
        };
        assert!(check_sharing_fee(&late, today()).is_ok());
        let before_month = SharingFeeDraft {
            month: "2026-11".into(),
            next_visit: "2026-10-28".into(),
            ..draft()
        };
        assert_eq!(keys(&before_month), ["nextVisit"]);
        let far = SharingFeeDraft {
            next_visit: "2027-06-01".into(),
            ..draft()
        };
        assert_eq!(keys(&far), ["nextVisit"]);
        let empty = SharingFeeDraft {
            month: String::new(),
            next_visit: String::new(),
            ..draft()
        };
        assert_eq!(keys(&empty), ["month", "nextVisit"]);
    }

    #[test]
    fn the_month_is_complete_only_with_everything_seen() {
        let all = SharingFeeFacts {
            team_consent: true,
            has_record: true,
            record_shared: true,
            others_posts: 3,
            others_read: 3,
        };
        let status = month_status(&all);
        assert!(status.complete());
        assert_eq!(status.met, SharingFeeRequirement::ALL);

        let unread = month_status(&SharingFeeFacts {
            others_read: 2,
            ..all
        });
        assert_eq!(unread.missing, [SharingFeeRequirement::OthersRead]);

        let nothing = month_status(&SharingFeeFacts::default());
        assert_eq!(nothing.missing, SharingFeeRequirement::ALL);
        let no_record = month_status(&SharingFeeFacts {
            has_record: false,
            ..all
        });
        assert_eq!(
            no_record.missing,
            [
                SharingFeeRequirement::MonthRecord,
                SharingFeeRequirement::RecordShared
            ]
        );
        for r in SharingFeeRequirement::ALL {
            assert_eq!(SharingFeeRequirement::from_code(r.code()), Some(r));
        }
    }
}
