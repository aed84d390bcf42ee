use chrono::{DateTime, Local, NaiveDate, Utc};

/// Time as the use cases see it, injectable so date rules (ages, overdue
/// referrals) are testable.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// The calendar date at the clinic, for ages and "today" on forms.
    fn today(&self) -> NaiveDate;
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

#[expect(
    clippy::disallowed_methods,
    reason = "the one place the app reads the system clock"
)]
impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn today(&self) -> NaiveDate {
        Local::now().date_naive()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct FixedClock {
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.now
    }

    fn today(&self) -> NaiveDate {
        self.today
    }
}
