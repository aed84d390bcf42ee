//! The days an order covers: how long each kind may run, the 点滴注射
//! period inside it, and when an order is due for renewal.
//!
//! Sources (ADR 0034): 訪問看護指示料 (区分番号C007) — the order's 有効期間
//! is six months at most; 特別訪問看護指示加算 — a 特別訪問看護指示書 covers
//! at most 14 days; 在宅患者訪問点滴注射管理指導料 (C005-2) — the 点滴注射
//! 指示 is for one week (指示期間7日以内). All periods include both their
//! first and their last day, as the form writes them (年月日～年月日).

use chrono::{Datelike, Days, Months, NaiveDate};

use super::OrderKind;
use super::error::{NursingOrderError, NursingOrderField};
use crate::attention::PatientLife;

/// Days from `start` to `end`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl DateRange {
    /// Its length in days, both ends included (0 if it ends before it
    /// starts).
    pub fn days(&self) -> i64 {
        ((self.end - self.start).num_days() + 1).max(0)
    }

    pub fn contains(&self, other: &DateRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// The longest the 点滴注射指示 may run, both days included.
pub const INFUSION_MAX_DAYS: u64 = 7;
/// The longest a 特別訪問看護指示 may run, both days included.
pub const SPECIAL_MAX_DAYS: u64 = 14;
/// The longest a 訪問看護指示 may run, in months.
pub const REGULAR_MAX_MONTHS: u32 = 6;
/// An order is due for renewal from this many days before its last day.
pub const RENEWAL_NOTICE_DAYS: u64 = 14;

/// The last day of `months` months from `start`, `start` included: the
/// day before the same day of the month `months` later (1月1日 → 6月30日
/// for six), or, when that month has no such day, its last day (8月31日 →
/// 2月末日), as 民法143条 counts a period of months. `None` past chrono's
/// calendar.
pub fn months_end(start: NaiveDate, months: u32) -> Option<NaiveDate> {
    let same_day = start.checked_add_months(Months::new(months))?;
    if same_day.day() == start.day() {
        same_day.checked_sub_days(Days::new(1))
    } else {
        // chrono moved a missing day back to the month's last day.
        Some(same_day)
    }
}

/// The last day an order of `kind` starting on `start` may cover.
pub fn latest_end(kind: OrderKind, start: NaiveDate) -> Option<NaiveDate> {
    match kind {
        OrderKind::Regular => months_end(start, REGULAR_MAX_MONTHS),
        OrderKind::Special => start.checked_add_days(Days::new(SPECIAL_MAX_DAYS - 1)),
    }
}

/// The last day a 点滴注射指示 starting on `start` may cover.
pub fn latest_infusion_end(start: NaiveDate) -> Option<NaiveDate> {
    start.checked_add_days(Days::new(INFUSION_MAX_DAYS - 1))
}

/// Checks an order's period against its kind's limit.
pub fn check_period(kind: OrderKind, period: DateRange) -> Result<(), NursingOrderError> {
    if period.end < period.start {
        return Err(NursingOrderError::EndBeforeStart {
            label: kind.period_label_ja(),
        });
    }
    match latest_end(kind, period.start) {
        Some(latest_end) if period.end > latest_end => {
            Err(NursingOrderError::PeriodTooLong { kind, latest_end })
        }
        _ => Ok(()),
    }
}

/// Checks the 点滴注射 period: seven days at most, inside the order's.
pub fn check_infusion(
    kind: OrderKind,
    period: DateRange,
    infusion: DateRange,
) -> Result<(), NursingOrderError> {
    if infusion.end < infusion.start {
        return Err(NursingOrderError::EndBeforeStart {
            label: "点滴注射指示期間",
        });
    }
    match latest_infusion_end(infusion.start) {
        Some(latest_end) if infusion.end > latest_end => {
            return Err(NursingOrderError::InfusionTooLong { latest_end });
        }
        _ => {}
    }
    if !period.contains(&infusion) {
        return Err(NursingOrderError::InfusionOutsideOrder { kind });
    }
    Ok(())
}

/// An order's kind and the days it covers, known to keep the rules above:
/// it is made only by [`OrderTerm::new`], so a form printed from it never
/// carries a period the rules refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderTerm {
    kind: OrderKind,
    period: DateRange,
    infusion: Option<DateRange>,
}

impl OrderTerm {
    pub fn new(
        kind: OrderKind,
        period: DateRange,
        infusion: Option<DateRange>,
    ) -> Result<OrderTerm, Vec<(NursingOrderField, NursingOrderError)>> {
        let mut errors = Vec::new();
        if let Err(e) = check_period(kind, period) {
            errors.push((NursingOrderField::Period, e));
        }
        if let Some(infusion) = infusion
            && let Err(e) = check_infusion(kind, period, infusion)
        {
            errors.push((NursingOrderField::InfusionPeriod, e));
        }
        if errors.is_empty() {
            Ok(OrderTerm {
                kind,
                period,
                infusion,
            })
        } else {
            Err(errors)
        }
    }

    pub fn kind(&self) -> OrderKind {
        self.kind
    }

    /// 訪問看護指示期間 (特別看護指示期間 on a 特別 order).
    pub fn period(&self) -> DateRange {
        self.period
    }

    /// 点滴注射指示期間, when 点滴注射 is ordered.
    pub fn infusion(&self) -> Option<DateRange> {
        self.infusion
    }
}

/// Where an order stands on a day, for the renewal reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RenewalState {
    /// More than [`RENEWAL_NOTICE_DAYS`] days left.
    Current,
    /// Its last day is at most [`RENEWAL_NOTICE_DAYS`] days away (or today):
    /// time to ask for the next one, which the station needs in hand before
    /// this one ends.
    Due,
    /// Past its last day: the station may not visit on it any more.
    Expired,
}

impl RenewalState {
    pub fn code(self) -> &'static str {
        match self {
            RenewalState::Current => "current",
            RenewalState::Due => "due",
            RenewalState::Expired => "expired",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            RenewalState::Current => "有効",
            RenewalState::Due => "更新時期",
            RenewalState::Expired => "期限切れ",
        }
    }
}

/// An order ending on `order_end`, on `today` (Japan's).
pub fn renewal_state(order_end: NaiveDate, today: NaiveDate) -> RenewalState {
    if today > order_end {
        return RenewalState::Expired;
    }
    let days_left = (order_end - today).num_days();
    if days_left <= RENEWAL_NOTICE_DAYS as i64 {
        RenewalState::Due
    } else {
        RenewalState::Current
    }
}

/// What 要確認 says of an order ending on `order_end`: nothing while it is
/// current, nor once the patient has died (`PatientLife`); otherwise that
/// it is due or has expired.
pub fn renewal_reminder(
    order_end: NaiveDate,
    life: PatientLife,
    today: NaiveDate,
) -> Option<RenewalState> {
    match renewal_state(order_end, today) {
        RenewalState::Current => None,
        _ if !life.care_goes_on() => None,
        state => Some(state),
    }
}

/// Whether to remind the doctor to renew: from 14 days before the order's
/// last day until that day. After it the order has expired, which is told
/// apart ([`renewal_state`]): a new order is then a new start, not a
/// renewal in time.
pub fn renewal_due(order_end: NaiveDate, today: NaiveDate) -> bool {
    renewal_state(order_end, today) == RenewalState::Due
}

/// The period of the order that follows `old`: from the day after its end,
/// as long as it was — counted in whole months when it ran whole months
/// (1月1日～6月30日 → 7月1日～12月31日), in days otherwise — and never
/// longer than the kind allows. `None` past chrono's calendar.
pub fn renewal_period(kind: OrderKind, old: DateRange) -> Option<DateRange> {
    let start = old.end.checked_add_days(Days::new(1))?;
    let whole_months =
        (1..=REGULAR_MAX_MONTHS).find(|&n| months_end(old.start, n) == Some(old.end));
    let end = match whole_months {
        Some(n) => months_end(start, n)?,
        None => {
            let days = u64::try_from(old.days().max(1)).ok()?;
            start.checked_add_days(Days::new(days - 1))?
        }
    };
    let end = end.min(latest_end(kind, start)?);
    Some(DateRange { start, end })
}
