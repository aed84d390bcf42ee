//! 両端揃え (justification): a line that ends at an ordinary break inside
//! its paragraph is set flush to both edges of its column, as printed
//! Japanese forms are.
//!
//! The extra space goes between characters, never inside a Latin word or
//! number: a gap stretches when a CJK character or a space is on either
//! side of it (あ|い, は|Amlodipine, word| word), and stays natural between
//! two Latin characters (A|m, 1|2). Only a line with no such gap at all
//! (an English run without spaces) spreads over every gap. Every
//! stretchable gap takes the same share. A line is never squeezed below
//! its natural width, and trailing spaces hang: they take no share and are
//! not counted in the width.
//!
//! The PDF draws the shares with character spacing (`Tc`), never with
//! inserted spaces. Text extractors guess word spaces from gaps between
//! glyphs (poppler starts a new word past 0.1 em), so a justified line is
//! also marked with its own text as ActualText: what a reader copies out is
//! exactly what was typed, however loose the line.

/// Latin letters, digits and their punctuation: narrow characters that
/// make up words. Everything from the CJK radicals up (kana, kanji,
/// full-width forms, half-width katakana) is set one character at a time
/// and may be spaced.
fn is_latin(c: char) -> bool {
    !c.is_whitespace() && u32::from(c) < 0x2E80
}

/// The visible characters of a line: trailing spaces hang in the margin.
pub(crate) fn visible(text: &str) -> &str {
    text.trim_end()
}

/// For each gap between two visible characters of `text` (the gap after
/// character `i`), whether it takes a share of the extra space.
pub(crate) fn stretchable_gaps(text: &str) -> Vec<bool> {
    let chars: Vec<char> = visible(text).chars().collect();
    let gaps: Vec<bool> = chars
        .windows(2)
        .map(|pair| !(is_latin(pair[0]) && is_latin(pair[1])))
        .collect();
    if gaps.iter().any(|&g| g) {
        gaps
    } else {
        vec![true; gaps.len()]
    }
}

/// The extra advance, in points, that each stretchable gap of `text` needs
/// for its visible characters to span `target_pt`, given their natural
/// width `natural_pt`. Zero when the line is already that wide (or wider)
/// or has no gap to stretch.
pub(crate) fn gap_share(text: &str, natural_pt: f32, target_pt: f32) -> f32 {
    let gaps = stretchable_gaps(text).iter().filter(|&&g| g).count();
    if gaps == 0 || natural_pt >= target_pt {
        return 0.0;
    }
    (target_pt - natural_pt) / gaps as f32
}

/// The extra advance after each visible character of `text` for a line
/// whose stretchable gaps each take `share` points. The last one is
/// followed by nothing and gets none, so the line ends exactly at its edge.
pub(crate) fn spacing_after(text: &str, share: f32) -> Vec<f32> {
    let mut out: Vec<f32> = stretchable_gaps(text)
        .into_iter()
        .map(|g| if g { share } else { 0.0 })
        .collect();
    if !visible(text).is_empty() {
        out.push(0.0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_gaps_stretch_and_latin_words_stay_whole() {
        assert_eq!(stretchable_gaps("あいう"), vec![true, true]);
        // Only the gaps beside kana stretch: は|12.5mg|と.
        assert_eq!(
            stretchable_gaps("は12.5mgと"),
            vec![true, false, false, false, false, false, true]
        );
        // The space stretches on both sides, the letters do not.
        assert_eq!(stretchable_gaps("ab cd"), vec![false, true, true, false]);
        // Full-width digits are set like kanji.
        assert_eq!(stretchable_gaps("１２"), vec![true]);
    }

    #[test]
    fn a_line_without_cjk_or_space_spreads_over_every_gap() {
        assert_eq!(stretchable_gaps("abc"), vec![true, true]);
        assert!(stretchable_gaps("a").is_empty());
    }

    #[test]
    fn trailing_spaces_hang() {
        assert_eq!(stretchable_gaps("あい　 "), vec![true]);
        assert_eq!(gap_share("あい ", 20.0, 30.0), 10.0);
        assert_eq!(spacing_after("あい ", 10.0), vec![10.0, 0.0]);
    }

    #[test]
    fn never_squeezes() {
        assert_eq!(gap_share("あいう", 30.0, 29.0), 0.0);
        assert_eq!(gap_share("あ", 10.0, 30.0), 0.0);
    }

    #[test]
    fn shares_are_equal_and_fill_the_target() {
        let share = gap_share("あは12", 40.0, 43.0);
        assert_eq!(share, 1.5);
        assert_eq!(spacing_after("あは12", share), vec![1.5, 1.5, 0.0, 0.0]);
        assert_eq!(spacing_after("12あ", share), vec![0.0, 1.5, 0.0]);
    }
}
