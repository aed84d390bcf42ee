//! Why a typed date was not accepted, worded for the clinic's reception desk.

use crate::wareki::{Era, WarekiDate};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("日付を入力してください")]
    Empty,
    #[error("日付の形式が読み取れません（例：1950-04-01、昭和25年4月1日、S25.4.1）")]
    Unrecognised,
    #[error("その日付は存在しません。月と日を確認してください（例：2月30日や4月31日はありません）")]
    NoSuchDay,
    /// After the era's last day. `last` is that day without the era name,
    /// e.g. "64年1月7日" for 昭和.
    #[error("{}", after_era_message(.era, .last))]
    OutsideEra { era: Era, last: String },
    /// Before the era's first day. `first` is that day without the era
    /// name, e.g. "元年1月8日" for 平成.
    #[error("{}", before_era_message(.era, .first))]
    BeforeEra { era: Era, first: String },
    #[error("1873年（明治6年）1月1日より前の日付は扱えません")]
    BeforeSupported,
}

// The hint names the neighbouring era so the receptionist knows what to type
// instead, which is the usual mistake (e.g. 昭和65年 for 平成2年).
fn after_era_message(era: &Era, last: &str) -> String {
    let mut message = format!("{}は{}までです", era.kanji(), last);
    if let Some(first_of_next) = era
        .next()
        .and_then(|next| WarekiDate::from_date(next.first_day()))
    {
        message.push_str(&format!(
            "。それより後の日付は{}で入力してください（例：{}）",
            first_of_next.era.kanji(),
            first_of_next
        ));
    }
    message
}

fn before_era_message(era: &Era, first: &str) -> String {
    let mut message = format!("{}は{}からです", era.kanji(), first);
    if let Some(last_of_previous) = era
        .previous()
        .and_then(Era::last_day)
        .and_then(WarekiDate::from_date)
    {
        message.push_str(&format!(
            "。それより前の日付は{}で入力してください（例：{}）",
            last_of_previous.era.kanji(),
            last_of_previous
        ));
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn era_messages_name_the_boundary_and_the_neighbouring_era() {
        let after = DateError::OutsideEra {
            era: Era::Showa,
            last: "64年1月7日".to_owned(),
        };
        assert_eq!(
            after.to_string(),
            "昭和は64年1月7日までです。それより後の日付は平成で入力してください（例：平成元年1月8日）"
        );
        let before = DateError::BeforeEra {
            era: Era::Heisei,
            first: "元年1月8日".to_owned(),
        };
        assert_eq!(
            before.to_string(),
            "平成は元年1月8日からです。それより前の日付は昭和で入力してください（例：昭和64年1月7日）"
        );
    }

    #[test]
    fn every_message_is_japanese_and_non_empty() {
        for error in [
            DateError::Empty,
            DateError::Unrecognised,
            DateError::NoSuchDay,
            DateError::BeforeSupported,
        ] {
            let text = error.to_string();
            assert!(text.contains('日'), "{text}");
        }
    }
}
