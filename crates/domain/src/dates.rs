//! Reading dates as receptionists type them: western or 和暦, long or short.

use chrono::{DateTime, Duration, NaiveDate, Utc};

// Re-exported so everything about dates can be imported from `dates`.
pub use crate::age::{age_on, format_birth_date};
pub use crate::date_error::DateError;
use crate::normalize::{is_dash_like, nfkc};
use crate::wareki::{Era, FIRST_SUPPORTED_DAY, WarekiDate};

/// The day a moment falls on in Japan (UTC+9, no summer time): the
/// clinic's day, whatever the PC's or the server's zone.
pub fn japan_day(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(9)).date_naive()
}

/// Parses `1950-04-01`, `1950/4/1`, `1950.4.1`, `1950年4月1日`, `19500401`,
/// `昭和25年4月1日`, `令和元年5月1日`, `昭和25.4.1` (also `/` and `-`) and
/// `S25.4.1` (M T S H R, either case). Full-width input and spaces between
/// the parts are accepted.
pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    let normalised = nfkc(input);
    let text = normalised.trim();
    if text.is_empty() {
        return Err(DateError::Empty);
    }
    let tokens = tokenize(text).ok_or(DateError::Unrecognised)?;
    let parts = read_parts(&tokens).ok_or(DateError::Unrecognised)?;
    let date = match parts.era {
        Some(era) => WarekiDate {
            era,
            year: parts.year,
            month: parts.month,
            day: parts.day,
        }
        .to_date()?,
        None => {
            let year = i32::try_from(parts.year).map_err(|_| DateError::Unrecognised)?;
            NaiveDate::from_ymd_opt(year, parts.month, parts.day).ok_or(DateError::NoSuchDay)?
        }
    };
    // 和暦 is shown beside every date in the app, and there is none before this day.
    if date < FIRST_SUPPORTED_DAY {
        return Err(DateError::BeforeSupported);
    }
    Ok(date)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Number {
        value: u32,
        digits: usize,
    },
    /// 元 as in 元年, the first year of an era.
    Gannen,
    Era(Era),
    Separator(char),
    Unit(char),
}

/// Longest digit run we read; more cannot be a date and could overflow.
const MAX_DIGITS: usize = 8;

fn tokenize(text: &str) -> Option<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
        } else if c.is_ascii_digit() {
            let digits = rest
                .find(|d: char| !d.is_ascii_digit())
                .unwrap_or(rest.len());
            if digits > MAX_DIGITS {
                return None;
            }
            let value = rest[..digits].parse().ok()?;
            tokens.push(Token::Number { value, digits });
            rest = &rest[digits..];
        } else if let Some(era) = Era::ALL
            .into_iter()
            .find(|era| rest.starts_with(era.kanji()))
        {
            tokens.push(Token::Era(era));
            rest = &rest[era.kanji().len()..];
        } else {
            tokens.push(single_char_token(c)?);
            rest = &rest[c.len_utf8()..];
        }
    }
    Some(tokens)
}

fn single_char_token(c: char) -> Option<Token> {
    match c {
        '元' => Some(Token::Gannen),
        '年' | '月' | '日' => Some(Token::Unit(c)),
        '/' | '.' => Some(Token::Separator(c)),
        _ if is_dash_like(c) => Some(Token::Separator('-')),
        _ if c.is_ascii_alphabetic() => Era::from_letter(c).map(Token::Era),
        _ => None,
    }
}

struct DateParts {
    era: Option<Era>,
    year: u32,
    month: u32,
    day: u32,
}

fn read_parts(tokens: &[Token]) -> Option<DateParts> {
    let (era, rest) = match tokens {
        [Token::Era(era), rest @ ..] => (Some(*era), rest),
        _ => (None, tokens),
    };
    if era.is_none()
        && let [Token::Number { value, digits: 8 }] = rest
    {
        return Some(DateParts {
            era,
            year: value / 10_000,
            month: value / 100 % 100,
            day: value % 100,
        });
    }
    let (year, rest) = match (era, rest) {
        (Some(_), [Token::Gannen, rest @ ..]) => (1, rest),
        (
            Some(_),
            [
                Token::Number {
                    value,
                    digits: 1..=3,
                },
                rest @ ..,
            ],
        ) => (*value, rest),
        (None, [Token::Number { value, digits: 4 }, rest @ ..]) => (*value, rest),
        _ => return None,
    };
    let (month, day) = read_month_day(rest)?;
    Some(DateParts {
        era,
        year,
        month,
        day,
    })
}

/// What follows the year: `年4月1日` (日 may be left off) or `.4.1` with the
/// same separator twice.
fn read_month_day(tokens: &[Token]) -> Option<(u32, u32)> {
    let (month, day) = match tokens {
        [Token::Unit('年'), month, Token::Unit('月'), day]
        | [
            Token::Unit('年'),
            month,
            Token::Unit('月'),
            day,
            Token::Unit('日'),
        ] => (month, day),
        [
            Token::Separator(first),
            month,
            Token::Separator(second),
            day,
        ] if first == second => (month, day),
        _ => return None,
    };
    Some((month_or_day(month)?, month_or_day(day)?))
}

fn month_or_day(token: &Token) -> Option<u32> {
    match token {
        Token::Number {
            value,
            digits: 1..=2,
        } => Some(*value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn western_forms() {
        let expected = Ok(ymd(1950, 4, 1));
        for input in [
            "1950-04-01",
            "1950/4/1",
            "1950.4.1",
            "1950年4月1日",
            "1950年4月1",
            "19500401",
            "１９５０－０４－０１",
            "１９５０／４／１",
            "１９５０年４月１日",
            "1950 / 4 / 1",
            "1950 年 4 月 1 日",
            "  1950-04-01　",
            "1950ー04ー01",
            "1950−4−1",
        ] {
            assert_eq!(parse_date(input), expected, "{input}");
        }
    }

    #[test]
    fn era_forms() {
        let showa = Ok(ymd(1950, 4, 1));
        for input in [
            "昭和25年4月1日",
            "昭和25.4.1",
            "昭和25/4/1",
            "昭和25-4-1",
            "S25.4.1",
            "s25.4.1",
            "S25/4/1",
            "S25-4-1",
            "Ｓ２５．４．１",
            "昭和 25 年 4 月 1 日",
            "昭和２５年４月１日",
            "S 25.4.1",
            "㍼25年4月1日",
        ] {
            assert_eq!(parse_date(input), showa, "{input}");
        }
        assert_eq!(parse_date("R1.5.1"), Ok(ymd(2019, 5, 1)));
        assert_eq!(parse_date("r1.5.1"), Ok(ymd(2019, 5, 1)));
        assert_eq!(parse_date("令和元年5月1日"), Ok(ymd(2019, 5, 1)));
        assert_eq!(parse_date("令和1年5月1日"), Ok(ymd(2019, 5, 1)));
        assert_eq!(parse_date("R元.5.1"), Ok(ymd(2019, 5, 1)));
        assert_eq!(parse_date("H1.1.8"), Ok(ymd(1989, 1, 8)));
        assert_eq!(parse_date("h1.1.8"), Ok(ymd(1989, 1, 8)));
        assert_eq!(parse_date("M6.1.1"), Ok(ymd(1873, 1, 1)));
        assert_eq!(parse_date("m45.7.29"), Ok(ymd(1912, 7, 29)));
        assert_eq!(parse_date("T1.7.30"), Ok(ymd(1912, 7, 30)));
        assert_eq!(parse_date("t15.12.24"), Ok(ymd(1926, 12, 24)));
        assert_eq!(parse_date("平成31年4月30日"), Ok(ymd(2019, 4, 30)));
        assert_eq!(parse_date("大正元年7月30日"), Ok(ymd(1912, 7, 30)));
        assert_eq!(parse_date("明治6年1月1日"), Ok(ymd(1873, 1, 1)));
    }

    #[test]
    fn dates_outside_their_era() {
        assert!(matches!(
            parse_date("昭和65年1月1日"),
            Err(DateError::OutsideEra {
                era: Era::Showa,
                ..
            })
        ));
        assert!(matches!(
            parse_date("昭和64年1月8日"),
            Err(DateError::OutsideEra {
                era: Era::Showa,
                ..
            })
        ));
        assert!(matches!(
            parse_date("平成31年5月1日"),
            Err(DateError::OutsideEra {
                era: Era::Heisei,
                ..
            })
        ));
        assert!(matches!(
            parse_date("令和1年4月30日"),
            Err(DateError::BeforeEra {
                era: Era::Reiwa,
                ..
            })
        ));
        assert!(matches!(
            parse_date("大正元年7月29日"),
            Err(DateError::BeforeEra {
                era: Era::Taisho,
                ..
            })
        ));
        assert_eq!(
            parse_date("昭和65年1月1日").map_err(|e| e.to_string()),
            Err("昭和は64年1月7日までです。それより後の日付は平成で入力してください（例：平成元年1月8日）".to_owned())
        );
    }

    #[test]
    fn days_that_do_not_exist() {
        for input in [
            "2023-02-30",
            "2023/2/30",
            "20230230",
            "令和5年2月30日",
            "R5.2.30",
            "2023-13-01",
            "2023-04-31",
            "2023-01-00",
            "2023-00-10",
            "2023-02-29",
        ] {
            assert_eq!(parse_date(input), Err(DateError::NoSuchDay), "{input}");
        }
        assert_eq!(parse_date("2024-02-29"), Ok(ymd(2024, 2, 29)));
    }

    #[test]
    fn before_the_gregorian_calendar() {
        assert_eq!(parse_date("1872-12-31"), Err(DateError::BeforeSupported));
        assert_eq!(
            parse_date("明治5年12月31日"),
            Err(DateError::BeforeSupported)
        );
        assert_eq!(parse_date("M1.10.23"), Err(DateError::BeforeSupported));
        assert_eq!(parse_date("1873-01-01"), Ok(ymd(1873, 1, 1)));
    }

    #[test]
    fn empty_and_garbage() {
        assert_eq!(parse_date(""), Err(DateError::Empty));
        assert_eq!(parse_date("  　 "), Err(DateError::Empty));
        for input in [
            "abc",
            "昭和",
            "S25",
            "2023",
            "2023-01",
            "50/4/1",
            "1950-4/1",
            "1950.4-1",
            "元年4月1日",
            "X25.4.1",
            "SS25.4.1",
            "昭和25年4月1日生",
            "1950年4月1日1",
            "1950-04-01T00:00",
            "2023 4 1",
            "123456789012345678901234567890",
            "1950--04-01",
            "昭和1234.4.1",
            "1950-004-01",
            "19500401-1",
            "S250401",
            "こんにちは",
        ] {
            assert_eq!(parse_date(input), Err(DateError::Unrecognised), "{input}");
        }
    }

    #[test]
    fn every_day_round_trips_through_text() {
        let mut date = FIRST_SUPPORTED_DAY;
        let end = ymd(2030, 12, 31);
        while date <= end {
            let wareki = WarekiDate::from_date(date).expect("supported");
            assert_eq!(parse_date(&wareki.to_string()), Ok(date), "{wareki}");
            let short = format!(
                "{}{}.{}.{}",
                wareki.era.letter(),
                wareki.year,
                wareki.month,
                wareki.day
            );
            assert_eq!(parse_date(&short), Ok(date), "{short}");
            let iso = date.format("%Y-%m-%d").to_string();
            assert_eq!(parse_date(&iso), Ok(date), "{iso}");
            date = date.succ_opt().expect("not the end of time");
        }
    }
}
