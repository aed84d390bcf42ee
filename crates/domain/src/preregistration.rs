//! 事前登録 look-up (issue 17): a hospital's liaison finds a pre-registered
//! home patient who arrived by ambulance without a letter, and with it the
//! family doctor and the team. Only by identity typed in full — the whole
//! name (漢字 or ふりがな, in any width or script) and the birth date —
//! never by browsing; a look-up that matches several patients asks for
//! the sex, and one that still cannot single one out finds nobody.

use chrono::NaiveDate;

use crate::dates::parse_date;
use crate::field_rules::{Checked, Lines, Rejection, TextRule, check_text};
use crate::kana::search_key;
use crate::referral::{EVENT_TEXT_MAX_CHARS, EventDetails};
use crate::sex::Sex;

/// The look-up form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LookupDraft {
    /// 氏名 in 漢字, or ふりがな.
    pub name: String,
    pub birth_date: String,
    /// A `Sex` code, or empty.
    pub sex: String,
}

/// A checked look-up: what the stored keys are compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupKey {
    pub name_key: String,
    pub birth_date: NaiveDate,
    pub sex: Option<Sex>,
}

/// The fewest characters of a name key a look-up takes: a surname alone
/// (やまだ, 山田) is not enough to single a patient out.
pub const MIN_NAME_KEY_CHARS: usize = 4;

/// Checks the form: the whole name and the birth date are needed.
pub fn check_lookup(draft: &LookupDraft, today: NaiveDate) -> Result<LookupKey, Rejection> {
    let name_key = search_key(&draft.name);
    if name_key.is_empty() {
        return Err("氏名（漢字）またはふりがなを入力してください。".into());
    }
    if name_key.chars().count() < MIN_NAME_KEY_CHARS && !is_whole_kanji_name(&name_key) {
        return Err("姓と名の両方を入力してください。".into());
    }
    if draft.birth_date.trim().is_empty() {
        return Err("生年月日も入力してください。".into());
    }
    let birth_date = parse_date(draft.birth_date.trim())
        .map_err(|_| Rejection("生年月日が正しくありません。".into()))?;
    if birth_date > today {
        return Err("生年月日が未来の日付です。".into());
    }
    let sex = match draft.sex.trim() {
        "" => None,
        code => Some(
            Sex::from_code(code).ok_or_else(|| Rejection("性別の値が正しくありません。".into()))?,
        ),
    };
    Ok(LookupKey {
        name_key,
        birth_date,
        sex,
    })
}

/// 紹介状なし入院 as the liaison's form gives it, for the patient found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdmissionDraft {
    pub date: String,
    pub ward: String,
    pub attending: String,
}

/// How long after the day of admission it may still be recorded: a
/// liaison catching up on last month's admissions, not last year's.
pub const ADMISSION_RECORDED_WITHIN_DAYS: i64 = 90;

/// The admission's first event, at `hospital` (the liaison's own): the day
/// (today or up to [`ADMISSION_RECORDED_WITHIN_DAYS`] before) and the ward
/// are needed, the attending physician is optional.
pub fn check_admission(
    draft: &AdmissionDraft,
    hospital: &str,
    today: NaiveDate,
) -> Checked<EventDetails> {
    if draft.date.trim().is_empty() {
        return Err("入院日を入力してください。".into());
    }
    let date = parse_date(draft.date.trim()).map_err(|_| {
        Rejection("入院日が正しくありません（例：2026-11-20 または 令和8年11月20日）。".into())
    })?;
    if date > today {
        return Err("入院日が未来の日付です。".into());
    }
    if (today - date).num_days() > ADMISSION_RECORDED_WITHIN_DAYS {
        return Err(format!(
            "入院日が{ADMISSION_RECORDED_WITHIN_DAYS}日以上前です。日付を確かめてください。"
        )
        .into());
    }
    let field = |raw: &str, label: &'static str, required: bool| {
        check_text(
            raw,
            TextRule {
                label,
                required,
                max_chars: EVENT_TEXT_MAX_CHARS,
                lines: Lines::Single,
            },
        )
        .map_err(|e| Rejection(format!("{e}。")))
    };
    Ok(EventDetails::AdmittedWithoutLetter {
        date,
        hospital: hospital.to_string(),
        ward: field(&draft.ward, "病棟", true)?,
        attending: field(&draft.attending, "主治医", false)?,
    })
}

/// Three 漢字 can be a whole name (林一郎); two are most often a surname
/// alone (山田), so a two-character name is looked up by its ふりがな.
fn is_whole_kanji_name(key: &str) -> bool {
    key.chars().count() >= 3 && key.chars().all(is_kanji)
}

fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '々')
}

/// The keys a pre-registered patient is found by: the name and the
/// ふりがな, folded as a look-up is (`search_key`: any width, hiragana,
/// 旧字体 as 新字体, so 齋藤 is found by 斎藤 and the reverse). Bump
/// [`NAME_KEYS_VERSION`] when the folding changes: the server then writes
/// every stored key again.
pub fn name_keys(name: &str, kana: &str) -> [String; 2] {
    [search_key(name), search_key(kana)]
}

/// The version of [`name_keys`]' folding. 2 folds 旧字体 (issue 18).
pub const NAME_KEYS_VERSION: i32 = 2;

/// What a look-up found, by how many pre-registered patients matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupOutcome {
    Found,
    /// Several match: ask for the sex.
    AskForSex,
    /// None, or several even with the sex: counted as a miss.
    NotFound,
}

pub fn outcome(matches: usize, sex_given: bool) -> LookupOutcome {
    match (matches, sex_given) {
        (1, _) => LookupOutcome::Found,
        (n, false) if n > 1 => LookupOutcome::AskForSex,
        _ => LookupOutcome::NotFound,
    }
}

impl LookupOutcome {
    /// What the liaison is told when nobody is shown.
    pub fn message_ja(self) -> &'static str {
        match self {
            LookupOutcome::Found => "",
            LookupOutcome::AskForSex => {
                "同じ氏名・生年月日の方が複数います。性別も選んでください。"
            }
            LookupOutcome::NotFound => {
                "事前登録された患者さんは見つかりませんでした。入力を確かめてください。"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
    }

    fn draft(name: &str, birth: &str) -> LookupDraft {
        LookupDraft {
            name: name.into(),
            birth_date: birth.into(),
            sex: String::new(),
        }
    }

    #[test]
    fn any_width_or_script_of_the_whole_name_finds_the_same_key() {
        let [by_name, by_kana] = name_keys("山田 太郎", "やまだ たろう");
        for typed in ["ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ　タロウ", "やまだたろう"] {
            let key = check_lookup(&draft(typed, "1940-04-01"), today()).unwrap();
            assert_eq!(key.name_key, by_kana, "{typed}");
        }
        let key = check_lookup(&draft("山田　太郎", "1940-04-01"), today()).unwrap();
        assert_eq!(key.name_key, by_name);
    }

    #[test]
    fn an_admission_needs_a_recent_day_and_a_ward() {
        let admission = |date: &str, ward: &str| AdmissionDraft {
            date: date.into(),
            ward: ward.into(),
            attending: String::new(),
        };
        let ok = check_admission(
            &admission("令和8年11月30日", "4階東病棟"),
            "豊島中央病院",
            today(),
        );
        assert_eq!(
            ok.unwrap(),
            EventDetails::AdmittedWithoutLetter {
                date: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
                hospital: "豊島中央病院".into(),
                ward: "4階東病棟".into(),
                attending: String::new(),
            }
        );
        for (date, ward, says) in [
            ("", "4階東", "入院日を入力"),
            ("2026-13-01", "4階東", "入院日が正しくありません"),
            ("2099-01-01", "4階東", "未来"),
            ("2026-01-01", "4階東", "90日以上前"),
            ("2026-11-30", "　", "病棟を入力"),
        ] {
            let refused = check_admission(&admission(date, ward), "豊島中央病院", today());
            let message = refused.unwrap_err().0;
            assert!(message.contains(says), "{date} {ward}: {message}");
        }
        let long = admission("2026-11-30", &"病".repeat(EVENT_TEXT_MAX_CHARS + 1));
        assert!(check_admission(&long, "豊島中央病院", today()).is_err());
    }

    #[test]
    fn too_little_identity_is_refused() {
        for (name, birth, words) in [
            ("", "1940-04-01", "氏名"),
            ("やまだ", "1940-04-01", "姓と名"),
            ("山田", "1940-04-01", "姓と名"),
            ("やまだたろう", "", "生年月日も"),
            ("やまだたろう", "1940-02-30", "正しくありません"),
            ("やまだたろう", "2027-01-01", "未来"),
        ] {
            let err = check_lookup(&draft(name, birth), today()).unwrap_err();
            assert!(err.0.contains(words), "{name} {birth}: {}", err.0);
        }
        // Three kanji can be a whole name.
        assert!(check_lookup(&draft("林一郎", "1940-04-01"), today()).is_ok());
        let mut odd = draft("やまだたろう", "1940-04-01");
        odd.sex = "x".into();
        assert!(check_lookup(&odd, today()).is_err());
    }

    #[test]
    fn several_matches_ask_for_the_sex_then_find_nobody() {
        assert_eq!(outcome(1, false), LookupOutcome::Found);
        assert_eq!(outcome(0, false), LookupOutcome::NotFound);
        assert_eq!(outcome(2, false), LookupOutcome::AskForSex);
        assert_eq!(outcome(2, true), LookupOutcome::NotFound);
    }
}
