//! Which backup generations a clinic keeps: the newest of each of the last
//! 7 days, 4 weeks and 12 months that have one (the MHLW guideline asks
//! for several generations, so one bad copy never leaves the clinic with
//! none). A pure rule over the backups' times; the app deletes the rest.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, FixedOffset, Utc};

/// The day, week or month a backup falls in, as (year, number).
type PeriodOf = fn(DateTime<Utc>) -> (i32, u32);

/// How many days, weeks and months keep their newest backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub daily: usize,
    pub weekly: usize,
    pub monthly: usize,
}

impl Retention {
    pub const STANDARD: Retention = Retention {
        daily: 7,
        weekly: 4,
        monthly: 12,
    };

    /// Of the backups made at `times`, the ones to keep (as indices into
    /// `times`). The newest backup is always kept. Days, weeks and months
    /// are counted in Japan's time, where the clinic is.
    pub fn keep(&self, times: &[DateTime<Utc>]) -> BTreeSet<usize> {
        let mut newest_first: Vec<usize> = (0..times.len()).collect();
        newest_first.sort_by(|a, b| times[*b].cmp(&times[*a]));
        let mut kept = BTreeSet::new();
        if let Some(newest) = newest_first.first() {
            kept.insert(*newest);
        }
        let periods: [(usize, PeriodOf); 3] = [
            (self.daily, |t| {
                let d = t.with_timezone(&japan()).date_naive();
                (d.year(), d.ordinal())
            }),
            (self.weekly, |t| {
                let w = t.with_timezone(&japan()).date_naive().iso_week();
                (w.year(), w.week())
            }),
            (self.monthly, |t| {
                let d = t.with_timezone(&japan()).date_naive();
                (d.year(), d.month())
            }),
        ];
        for (count, period_of) in periods {
            let mut seen = BTreeSet::new();
            for &i in &newest_first {
                if seen.len() == count {
                    break;
                }
                // The first backup met in a period is that period's newest.
                if seen.insert(period_of(times[i])) {
                    kept.insert(i);
                }
            }
        }
        kept
    }
}

/// Japan's time (no daylight saving), where the clinic is.
pub fn japan() -> FixedOffset {
    #[expect(
        clippy::unwrap_used,
        reason = "+09:00 is a valid offset; checked by the tests"
    )]
    FixedOffset::east_opt(9 * 3600).unwrap()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use chrono::{Duration, TimeZone};

    fn daily_for(days: i64) -> Vec<DateTime<Utc>> {
        let start = Utc.with_ymd_and_hms(2025, 1, 1, 3, 0, 0).unwrap();
        (0..days).map(|d| start + Duration::days(d)).collect()
    }

    #[test]
    fn a_year_of_daily_backups_keeps_7_daily_4_weekly_and_12_monthly() {
        let times = daily_for(400);
        let kept = Retention::STANDARD.keep(&times);
        // 7 days, then weeks and months overlap the newest days; at most 23.
        assert!(kept.len() <= 23, "{}", kept.len());
        assert!(kept.len() >= 19, "{}", kept.len());
        for i in 393..400 {
            assert!(kept.contains(&i), "the last 7 days are kept");
        }
        let oldest_kept = *kept.iter().next().unwrap();
        let span = times[399] - times[oldest_kept];
        // The newest of the 12th month back: 11 months and a few days.
        assert!(span >= Duration::days(300), "12 months back: {span}");
        assert!(span <= Duration::days(366), "{span}");
    }

    #[test]
    fn several_backups_a_day_keep_the_days_newest() {
        let start = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap();
        let times: Vec<_> = (0..6).map(|h| start + Duration::hours(h)).collect();
        let kept = Retention::STANDARD.keep(&times);
        assert_eq!(kept.into_iter().collect::<Vec<_>>(), vec![5]);
    }

    #[test]
    fn the_newest_is_kept_whatever_the_order_and_nothing_is_kept_of_nothing() {
        let mut times = daily_for(3);
        times.reverse();
        let kept = Retention::STANDARD.keep(&times);
        assert!(kept.contains(&0));
        assert_eq!(kept.len(), 3);
        assert!(Retention::STANDARD.keep(&[]).is_empty());
    }

    #[test]
    fn days_are_counted_in_japan_time() {
        // 23:30 and 00:30 UTC on the same UTC day are two days in Japan
        // (08:30 and 09:30 the same JST day) — and vice versa at 14:30/15:30.
        let a = Utc.with_ymd_and_hms(2025, 5, 1, 14, 30, 0).unwrap();
        let b = Utc.with_ymd_and_hms(2025, 5, 1, 15, 30, 0).unwrap();
        let kept = Retention {
            daily: 2,
            weekly: 0,
            monthly: 0,
        }
        .keep(&[a, b]);
        assert_eq!(
            kept.len(),
            2,
            "14:30 UTC is 23:30 JST, 15:30 UTC is the next day"
        );
        assert_eq!(japan().local_minus_utc(), 9 * 3600);
    }
}
