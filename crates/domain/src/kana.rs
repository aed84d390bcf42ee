//! Kana folding so that a search matches however the name was typed.

use wana_kana::{ConvertJapanese, Options};

use crate::normalize::nfkc;

/// Folds text to one search key: NFKC, no whitespace, katakana as hiragana,
/// lowercase. "ﾔﾏﾀﾞ", "ヤマダ", "やまだ" and "ヤ マ ダ" all give "やまだ".
/// Kanji pass through unchanged, so a kanji query matches kanji names.
pub fn normalize_for_search(s: &str) -> String {
    let compact: String = nfkc(s).chars().filter(|c| !c.is_whitespace()).collect();
    compact
        .as_str()
        .to_hiragana_with_opt(kana_only_options())
        .to_lowercase()
}

/// The key names are searched by (patients, the regional directory):
/// [`normalize_for_search`], then 旧字体 folded to 新字体 (齋藤 → 斎藤,
/// 渡邊 → 渡辺, 櫻井 → 桜井), so a name typed either way finds the other.
/// The variant table is Yosina's (`kanji_old_new`), maintained upstream.
pub fn search_key(s: &str) -> String {
    let folded = normalize_for_search(s);
    match folder() {
        Some(fold) => fold(&folded).unwrap_or(folded),
        // The table failed to load: the search still works, unfolded.
        None => folded,
    }
}

type Fold = Box<dyn Fn(&str) -> Result<String, yosina::TransliterationError> + Send + Sync>;

fn folder() -> Option<&'static Fold> {
    static FOLD: std::sync::OnceLock<Option<Fold>> = std::sync::OnceLock::new();
    FOLD.get_or_init(|| {
        let recipe = yosina::TransliterationRecipe {
            kanji_old_new: true,
            ..Default::default()
        };
        yosina::make_transliterator(&recipe)
            .ok()
            .map(|fold| Box::new(fold) as Fold)
    })
    .as_ref()
}

// wana_kana's defaults would romaji-convert latin ("abc" → "あbc") and
// spell ー as a vowel ("ラーメン" → "らあめん"), breaking matches with what
// was typed in hiragana; these options restrict it to katakana → hiragana.
fn kana_only_options() -> Options {
    Options {
        pass_romaji: true,
        keep_prolonged_sound_mark: true,
        ..Options::default()
    }
}

/// True when every character (after NFKC) is hiragana, katakana, ー, ・ or
/// a space, i.e. a plausible ふりがな. Kanji, latin letters and digits fail.
pub fn is_furigana(s: &str) -> bool {
    nfkc(s)
        .chars()
        .all(|c| wana_kana::utils::is_char_kana(c) || c == ' ' || c == '\u{3000}' || c == '・')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_and_new_kanji_find_each_other() {
        for (old, new) in [
            ("齋藤", "斎藤"),
            ("渡邊", "渡辺"),
            ("櫻井", "桜井"),
            ("國分", "国分"),
            ("澤田 花子", "沢田花子"),
            ("廣瀬", "広瀬"),
        ] {
            assert_eq!(search_key(old), search_key(new), "{old} / {new}");
        }
        // Kana keep their folding.
        assert_eq!(search_key("ﾔﾏﾀﾞ"), "やまだ");
        assert_eq!(search_key("齋藤 はなこ"), "斎藤はなこ");
    }

    #[test]
    fn kana_spellings_match() {
        for input in ["やまだ", "ヤマダ", "ﾔﾏﾀﾞ", "ヤ マ ダ", "ﾔ ﾏ ﾀﾞ", "　やまだ　"]
        {
            assert_eq!(normalize_for_search(input), "やまだ", "{input}");
        }
    }

    #[test]
    fn kanji_latin_and_digits() {
        assert_eq!(normalize_for_search("山田　太郎"), "山田太郎");
        assert_eq!(normalize_for_search("山田 太郎"), "山田太郎");
        assert_eq!(normalize_for_search("ＡＢＣ１２３"), "abc123");
        assert_eq!(normalize_for_search("Smith"), "smith");
        assert_eq!(normalize_for_search("kana"), "kana");
        assert_eq!(normalize_for_search("n"), "n");
        assert_eq!(normalize_for_search("sushi寿司スシ"), "sushi寿司すし");
    }

    #[test]
    fn long_vowel_mark_and_voiced_kana() {
        assert_eq!(normalize_for_search("ラーメン"), "らーめん");
        assert_eq!(normalize_for_search("ﾗｰﾒﾝ"), "らーめん");
        assert_eq!(normalize_for_search("らーめん"), "らーめん");
        assert_eq!(normalize_for_search("ヴァイオリン"), "ゔぁいおりん");
        assert_eq!(normalize_for_search("ｶﾞｯｺｳ"), "がっこう");
        assert_eq!(normalize_for_search("ヰヱヲ"), "ゐゑを");
    }

    #[test]
    fn furigana() {
        assert!(is_furigana("やまだ たろう"));
        assert!(is_furigana("ヤマダ　タロウ"));
        assert!(is_furigana("ﾔﾏﾀﾞ ﾀﾛｳ"));
        assert!(is_furigana("スミス・ジョン"));
        assert!(is_furigana("らーめん"));
        assert!(is_furigana(""));
        assert!(!is_furigana("山田"));
        assert!(!is_furigana("やまだ太郎"));
        assert!(!is_furigana("yamada"));
        assert!(!is_furigana("やまだ1"));
        assert!(!is_furigana("ヤマダ２"));
        assert!(!is_furigana("やまだ\n"));
    }
}
