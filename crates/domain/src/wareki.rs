//! Japanese era (和暦) dates, as written on forms beside western dates.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::date_error::DateError;

/// Japan adopted the Gregorian calendar on this day (明治6年1月1日); earlier
/// 明治 dates are lunisolar and cannot be mapped with simple arithmetic.
pub const FIRST_SUPPORTED_DAY: NaiveDate = ymd(1873, 1, 1);

// A bad literal fails the build instead of panicking at run time.
#[expect(
    clippy::panic,
    reason = "evaluated only in const contexts, so a bad literal is a compile error"
)]
const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("invalid date literal"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Era {
    Meiji,
    Taisho,
    Showa,
    Heisei,
    Reiwa,
}

impl Era {
    /// Oldest first, so the era of a date is the last one that has started.
    pub const ALL: [Era; 5] = [Era::Meiji, Era::Taisho, Era::Showa, Era::Heisei, Era::Reiwa];

    pub fn kanji(self) -> &'static str {
        match self {
            Era::Meiji => "明治",
            Era::Taisho => "大正",
            Era::Showa => "昭和",
            Era::Heisei => "平成",
            Era::Reiwa => "令和",
        }
    }

    /// The capital letter used in short forms such as `S25.4.1`.
    pub fn letter(self) -> char {
        match self {
            Era::Meiji => 'M',
            Era::Taisho => 'T',
            Era::Showa => 'S',
            Era::Heisei => 'H',
            Era::Reiwa => 'R',
        }
    }

    pub fn from_kanji(name: &str) -> Option<Era> {
        Era::ALL.into_iter().find(|era| era.kanji() == name)
    }

    pub fn from_letter(letter: char) -> Option<Era> {
        let upper = letter.to_ascii_uppercase();
        Era::ALL.into_iter().find(|era| era.letter() == upper)
    }

    /// The official first day. For 明治 this is earlier than
    /// [`FIRST_SUPPORTED_DAY`], which is where conversions actually start.
    pub fn first_day(self) -> NaiveDate {
        match self {
            Era::Meiji => const { ymd(1868, 10, 23) },
            Era::Taisho => const { ymd(1912, 7, 30) },
            Era::Showa => const { ymd(1926, 12, 25) },
            Era::Heisei => const { ymd(1989, 1, 8) },
            Era::Reiwa => const { ymd(2019, 5, 1) },
        }
    }

    pub fn next(self) -> Option<Era> {
        match self {
            Era::Meiji => Some(Era::Taisho),
            Era::Taisho => Some(Era::Showa),
            Era::Showa => Some(Era::Heisei),
            Era::Heisei => Some(Era::Reiwa),
            Era::Reiwa => None,
        }
    }

    pub fn previous(self) -> Option<Era> {
        Era::ALL.into_iter().find(|era| era.next() == Some(self))
    }

    /// `None` for the current era, which has no last day yet.
    pub fn last_day(self) -> Option<NaiveDate> {
        self.next().and_then(|next| next.first_day().pred_opt())
    }

    /// The era of a western date, `None` before [`FIRST_SUPPORTED_DAY`].
    pub fn of(date: NaiveDate) -> Option<Era> {
        if date < FIRST_SUPPORTED_DAY {
            return None;
        }
        Era::ALL
            .into_iter()
            .rev()
            .find(|era| era.first_day() <= date)
    }
}

impl fmt::Display for Era {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kanji())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WarekiDate {
    pub era: Era,
    /// Year within the era; 1 is written 元年.
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

impl WarekiDate {
    /// `None` before 1873-01-01 (see [`FIRST_SUPPORTED_DAY`]).
    pub fn from_date(date: NaiveDate) -> Option<WarekiDate> {
        let era = Era::of(date)?;
        let year = date.year() - era.first_day().year() + 1;
        Some(WarekiDate {
            era,
            year: u32::try_from(year).ok()?,
            month: date.month(),
            day: date.day(),
        })
    }

    pub fn to_date(&self) -> Result<NaiveDate, DateError> {
        let western_year = i64::from(self.era.first_day().year()) + i64::from(self.year) - 1;
        let date = i32::try_from(western_year)
            .ok()
            .and_then(|year| NaiveDate::from_ymd_opt(year, self.month, self.day))
            .ok_or(DateError::NoSuchDay)?;
        if date < FIRST_SUPPORTED_DAY {
            return Err(DateError::BeforeSupported);
        }
        if date < self.era.first_day() {
            return Err(DateError::BeforeEra {
                era: self.era,
                first: year_month_day_in_era(self.era, self.era.first_day()),
            });
        }
        if let Some(last) = self.era.last_day().filter(|last| date > *last) {
            return Err(DateError::OutsideEra {
                era: self.era,
                last: year_month_day_in_era(self.era, last),
            });
        }
        Ok(date)
    }
}

/// "64年1月7日" / "元年1月8日": the date without the era name, for messages
/// that already name the era.
fn year_month_day_in_era(era: Era, date: NaiveDate) -> String {
    let year = date.year() - era.first_day().year() + 1;
    let year = u32::try_from(year).unwrap_or(0);
    format!("{}{}月{}日", era_year_text(year), date.month(), date.day())
}

fn era_year_text(year: u32) -> String {
    if year == 1 {
        "元年".to_owned()
    } else {
        format!("{year}年")
    }
}

impl fmt::Display for WarekiDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}{}月{}日",
            self.era.kanji(),
            era_year_text(self.year),
            self.month,
            self.day
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wareki(y: i32, m: u32, d: u32) -> String {
        WarekiDate::from_date(ymd(y, m, d))
            .expect("supported date")
            .to_string()
    }

    fn w(era: Era, year: u32, month: u32, day: u32) -> WarekiDate {
        WarekiDate {
            era,
            year,
            month,
            day,
        }
    }

    #[test]
    fn era_boundaries_both_ways() {
        let cases = [
            ((1873, 1, 1), "明治6年1月1日"),
            ((1912, 7, 29), "明治45年7月29日"),
            ((1912, 7, 30), "大正元年7月30日"),
            ((1926, 12, 24), "大正15年12月24日"),
            ((1926, 12, 25), "昭和元年12月25日"),
            ((1950, 4, 1), "昭和25年4月1日"),
            ((1989, 1, 7), "昭和64年1月7日"),
            ((1989, 1, 8), "平成元年1月8日"),
            ((2019, 4, 30), "平成31年4月30日"),
            ((2019, 5, 1), "令和元年5月1日"),
        ];
        for ((y, m, d), text) in cases {
            assert_eq!(wareki(y, m, d), text);
        }
    }

    #[test]
    fn before_1873_has_no_wareki() {
        assert_eq!(WarekiDate::from_date(ymd(1872, 12, 31)), None);
        assert_eq!(WarekiDate::from_date(ymd(1868, 10, 23)), None);
    }

    #[test]
    fn every_day_round_trips_through_wareki() {
        let mut date = FIRST_SUPPORTED_DAY;
        let end = ymd(2030, 12, 31);
        while date <= end {
            let converted = WarekiDate::from_date(date).expect("supported");
            assert_eq!(converted.to_date(), Ok(date), "{date}");
            date = date.succ_opt().expect("not the end of time");
        }
    }

    #[test]
    fn dates_outside_their_era_are_rejected() {
        assert_eq!(
            w(Era::Showa, 65, 1, 1).to_date(),
            Err(DateError::OutsideEra {
                era: Era::Showa,
                last: "64年1月7日".to_owned()
            })
        );
        assert!(matches!(
            w(Era::Showa, 64, 1, 8).to_date(),
            Err(DateError::OutsideEra {
                era: Era::Showa,
                ..
            })
        ));
        assert_eq!(
            w(Era::Heisei, 31, 5, 1).to_date(),
            Err(DateError::OutsideEra {
                era: Era::Heisei,
                last: "31年4月30日".to_owned()
            })
        );
        assert_eq!(
            w(Era::Reiwa, 1, 4, 30).to_date(),
            Err(DateError::BeforeEra {
                era: Era::Reiwa,
                first: "元年5月1日".to_owned()
            })
        );
        assert_eq!(
            w(Era::Taisho, 1, 7, 29).to_date(),
            Err(DateError::BeforeEra {
                era: Era::Taisho,
                first: "元年7月30日".to_owned()
            })
        );
        assert_eq!(
            w(Era::Heisei, 1, 1, 7).to_date(),
            Err(DateError::BeforeEra {
                era: Era::Heisei,
                first: "元年1月8日".to_owned()
            })
        );
    }

    #[test]
    fn impossible_and_unsupported_wareki_dates() {
        assert_eq!(w(Era::Reiwa, 5, 2, 30).to_date(), Err(DateError::NoSuchDay));
        assert_eq!(w(Era::Reiwa, 5, 13, 1).to_date(), Err(DateError::NoSuchDay));
        assert_eq!(
            w(Era::Reiwa, u32::MAX, 1, 1).to_date(),
            Err(DateError::NoSuchDay)
        );
        assert_eq!(
            w(Era::Meiji, 5, 12, 31).to_date(),
            Err(DateError::BeforeSupported)
        );
        assert_eq!(w(Era::Meiji, 6, 1, 1).to_date(), Ok(ymd(1873, 1, 1)));
    }

    #[test]
    fn era_lookups() {
        assert_eq!(Era::from_letter('s'), Some(Era::Showa));
        assert_eq!(Era::from_letter('X'), None);
        assert_eq!(Era::from_kanji("令和"), Some(Era::Reiwa));
        assert_eq!(Era::Showa.last_day(), Some(ymd(1989, 1, 7)));
        assert_eq!(Era::Reiwa.last_day(), None);
        assert_eq!(Era::Meiji.previous(), None);
        assert_eq!(Era::Reiwa.previous(), Some(Era::Heisei));
    }
}
