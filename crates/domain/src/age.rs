//! Ages as clinics state them, and birth dates as forms print them.

use chrono::{Datelike, NaiveDate};

use crate::wareki::WarekiDate;

/// Age in full years on `today`; 0 if `today` is before `birth`.
///
/// Japanese law (年齢計算ニ関スル法律) ages a person at the end of the day
/// before the birthday, but clinics, forms and patients themselves count
/// from the birthday, so that is what this does. For a 2/29 birth in a
/// non-leap year the birthday is taken to be 3/1, the first day on which
/// the full year has certainly passed.
pub fn age_on(birth: NaiveDate, today: NaiveDate) -> u32 {
    if today < birth {
        return 0;
    }
    let birthday = if (birth.month(), birth.day()) == (2, 29) && !is_leap_year(today.year()) {
        (3, 1)
    } else {
        (birth.month(), birth.day())
    };
    let had_birthday = (today.month(), today.day()) >= birthday;
    let years = today.year() - birth.year() - if had_birthday { 0 } else { 1 };
    u32::try_from(years).unwrap_or(0)
}

fn is_leap_year(year: i32) -> bool {
    NaiveDate::from_ymd_opt(year, 2, 29).is_some()
}

/// "昭和25年4月1日（76歳）". Dates before 1873 have no 和暦 and are written
/// in western form: "1850年1月1日（176歳）".
pub fn format_birth_date(birth: NaiveDate, today: NaiveDate) -> String {
    let date = match WarekiDate::from_date(birth) {
        Some(wareki) => wareki.to_string(),
        None => format!("{}年{}月{}日", birth.year(), birth.month(), birth.day()),
    };
    format!("{date}（{}歳）", age_on(birth, today))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn age_turns_on_the_birthday() {
        let birth = ymd(1950, 4, 1);
        assert_eq!(age_on(birth, ymd(2026, 3, 31)), 75);
        assert_eq!(age_on(birth, ymd(2026, 4, 1)), 76);
        assert_eq!(age_on(birth, ymd(2026, 4, 2)), 76);
        assert_eq!(age_on(birth, ymd(2026, 12, 31)), 76);
        assert_eq!(age_on(birth, birth), 0);
        assert_eq!(age_on(ymd(1950, 12, 31), ymd(1951, 12, 30)), 0);
        assert_eq!(age_on(ymd(1950, 12, 31), ymd(1951, 12, 31)), 1);
    }

    #[test]
    fn leap_day_birth() {
        let birth = ymd(2000, 2, 29);
        assert_eq!(age_on(birth, ymd(2001, 2, 28)), 0);
        assert_eq!(age_on(birth, ymd(2001, 3, 1)), 1);
        assert_eq!(age_on(birth, ymd(2004, 2, 28)), 3);
        assert_eq!(age_on(birth, ymd(2004, 2, 29)), 4);
        assert_eq!(age_on(birth, ymd(2004, 3, 1)), 4);
    }

    #[test]
    fn future_birth_is_age_zero() {
        assert_eq!(age_on(ymd(2030, 1, 1), ymd(2026, 1, 1)), 0);
    }

    #[test]
    fn birth_date_text() {
        let today = ymd(2026, 4, 1);
        assert_eq!(
            format_birth_date(ymd(1950, 4, 1), today),
            "昭和25年4月1日（76歳）"
        );
        assert_eq!(
            format_birth_date(ymd(2019, 5, 1), today),
            "令和元年5月1日（6歳）"
        );
        assert_eq!(
            format_birth_date(ymd(1850, 1, 1), today),
            "1850年1月1日（176歳）"
        );
    }
}
