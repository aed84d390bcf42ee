//! Breaking a paragraph into lines that fit a width: UAX #14 break
//! opportunities (unicode-linebreak), narrowed by Japanese 禁則 so that no
//! line starts with closing punctuation or a small kana and none ends with
//! an opening bracket. Latin words and numbers stay whole unless a single
//! one is wider than the line.

use unicode_linebreak::{BreakOpportunity, linebreaks};

/// May not begin a line (行頭禁則).
const NO_LINE_START: &str = "。、，．」』）】〕〉》］｝〙〗ゝゞヽヾー・：；！？‥…々〻\
ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ\
ｧｨｩｪｫｯｬｭｮｰ｡､｣.,)]}!?:;％%";
/// May not end a line (行末禁則).
const NO_LINE_END: &str = "「『（【〔〈《［｛〘〖｢([{";

pub fn may_start_line(c: char) -> bool {
    !NO_LINE_START.contains(c)
}

pub fn may_end_line(c: char) -> bool {
    !NO_LINE_END.contains(c)
}

/// One line of a broken paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    /// The line ends at an ordinary break inside its paragraph, so it is
    /// set flush to both edges (両端揃え). Not the paragraph's last line,
    /// nor a piece of a word too long for any line: those keep their
    /// natural spacing.
    pub justify: bool,
}

/// The lines of one paragraph (no `\n` in it), each at most `max_width`
/// wide as measured by `advance`, trailing spaces aside (they may hang).
/// An empty paragraph is one empty line.
pub fn break_paragraph(text: &str, max_width: f32, advance: &dyn Fn(char) -> f32) -> Vec<String> {
    break_lines(text, max_width, advance)
        .into_iter()
        .map(|line| line.text)
        .collect()
}

/// [`break_paragraph`], saying which lines are to be justified.
pub fn break_lines(text: &str, max_width: f32, advance: &dyn Fn(char) -> f32) -> Vec<Line> {
    let width = |s: &str| -> f32 { s.chars().map(advance).sum() };
    let mut lines = Vec::new();
    let mut line = String::new();
    // Width of `line` including its trailing spaces.
    let mut line_width = 0.0;
    // `line` is so far only the end of a word cut to fit.
    let mut only_piece = false;
    for segment in segments(text) {
        let visible = segment.trim_end();
        let visible_width = width(visible);
        let trailing_width = width(&segment[visible.len()..]);
        if line.is_empty() || line_width + visible_width > max_width {
            if !line.is_empty() {
                lines.push(Line {
                    text: std::mem::take(&mut line),
                    justify: !only_piece,
                });
                line_width = 0.0;
            }
            if visible_width > max_width {
                let mut pieces = split_overlong(segment, max_width, advance);
                line = pieces.pop().unwrap_or_default();
                line_width = width(&line);
                only_piece = true;
                lines.extend(pieces.into_iter().map(|text| Line {
                    text,
                    justify: false,
                }));
                continue;
            }
        }
        line.push_str(segment);
        line_width += visible_width + trailing_width;
        only_piece = false;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(Line {
            text: line,
            justify: false,
        });
    }
    lines
}

/// The text between the allowed breaks: UAX #14 opportunities that 禁則
/// does not forbid.
fn segments(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (at, opportunity) in opportunities(text) {
        if at >= text.len() {
            break;
        }
        let allowed = matches!(opportunity, BreakOpportunity::Allowed)
            && text[at..].chars().next().is_some_and(may_start_line)
            && text[..at].chars().next_back().is_some_and(may_end_line);
        if allowed && at > start {
            out.push(&text[start..at]);
            start = at;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// UAX #14 break opportunities, as byte offsets into `text`. Full-width
/// Latin letters, digits and signs (１４８／８６ｍｍＨｇ, ７．２％) are
/// ideographic to UAX #14, which would break inside them; they are looked
/// at as their ASCII forms so that they stay whole like 148/86mmHg.
fn opportunities(text: &str) -> Vec<(usize, BreakOpportunity)> {
    let mut folded = String::with_capacity(text.len());
    // Byte offset in `folded` → byte offset in `text`, at char boundaries.
    let mut offsets = Vec::with_capacity(text.len() + 1);
    for (at, c) in text.char_indices() {
        let code = u32::from(c);
        let ascii = (0xFF01..=0xFF5E)
            .contains(&code)
            .then(|| char::from_u32(code - 0xFEE0))
            .flatten();
        let shown = ascii.unwrap_or(c);
        for _ in 0..shown.len_utf8() {
            offsets.push(at);
        }
        folded.push(shown);
    }
    offsets.push(text.len());
    linebreaks(&folded)
        .map(|(at, opportunity)| (offsets[at], opportunity))
        .collect()
}

/// A segment wider than a whole line (a long number, a URL, or text with
/// no break opportunity at all) is cut between characters, still avoiding
/// 禁則 where the line has room to give a character back.
fn split_overlong(segment: &str, max_width: f32, advance: &dyn Fn(char) -> f32) -> Vec<String> {
    let chars: Vec<char> = segment.chars().collect();
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let mut end = start;
        let mut width = 0.0;
        while end < chars.len() && (end == start || width + advance(chars[end]) <= max_width) {
            width += advance(chars[end]);
            end += 1;
        }
        if end < chars.len() {
            let mut cut = end;
            while cut > start + 1 && (!may_start_line(chars[cut]) || !may_end_line(chars[cut - 1]))
            {
                cut -= 1;
            }
            if cut > start + 1 || (may_start_line(chars[cut]) && may_end_line(chars[cut - 1])) {
                end = cut;
            }
        }
        pieces.push(chars[start..end].iter().collect());
        start = end;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character one unit wide, Latin half: a 10-unit line holds 10 kanji.
    fn advance(c: char) -> f32 {
        if c.is_ascii() { 0.5 } else { 1.0 }
    }

    fn lines(text: &str, width: f32) -> Vec<String> {
        break_paragraph(text, width, &advance)
    }

    fn assert_kinsoku(lines: &[String]) {
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                let first = line.chars().next().unwrap();
                assert!(
                    may_start_line(first),
                    "line {i} starts with {first}: {lines:?}"
                );
            }
            if i + 1 < lines.len() {
                let last = line.chars().next_back().unwrap();
                assert!(may_end_line(last), "line {i} ends with {last}: {lines:?}");
            }
        }
    }

    #[test]
    fn japanese_breaks_between_any_two_characters() {
        let out = lines("あいうえおかきくけこさしすせそ", 10.0);
        assert_eq!(out, vec!["あいうえおかきくけこ", "さしすせそ"]);
    }

    #[test]
    fn closing_punctuation_and_small_kana_never_start_a_line() {
        // The 11th character of each probe lands exactly at the line start.
        for probe in [
            "。", "、", "」", "）", "ー", "っ", "ャ", "ッ", "・", "！", "？", "ゝ",
        ] {
            let text = format!("あいうえおかきくけこ{probe}さしすせそ");
            let out = lines(&text, 10.0);
            assert_kinsoku(&out);
            assert_eq!(out.concat(), text);
            // 追い出し: the last character moves down with the punctuation.
            assert_eq!(out[0], "あいうえおかきくけ", "{probe}");
        }
    }

    #[test]
    fn opening_brackets_never_end_a_line() {
        for probe in ["「", "『", "（", "【", "〔"] {
            let text = format!("あいうえおかきくけ{probe}こさしすせ」");
            let out = lines(&text, 10.0);
            assert_kinsoku(&out);
            assert_eq!(out.concat(), text);
            assert_eq!(out[0], "あいうえおかきくけ", "{probe}");
        }
    }

    #[test]
    fn latin_words_and_numbers_stay_whole() {
        let text = "投与量は12.5mgとしBisoprolol fumarateを追加";
        let out = lines(text, 10.0);
        assert_eq!(out.concat(), text);
        for word in ["12.5mg", "Bisoprolol", "fumarate"] {
            assert!(
                out.iter().any(|l| l.contains(word)),
                "{word} split: {out:?}"
            );
        }
    }

    #[test]
    fn full_width_numbers_and_units_stay_whole() {
        let text = "受診時の血圧は１４８／８６ｍｍＨｇ、ＨｂＡ１ｃ７．２％でした。";
        // From the width of the longest word (with its 、) up.
        for width in 11..=20 {
            let out = lines(text, width as f32);
            assert_eq!(out.concat(), text);
            for word in ["１４８／８６ｍｍＨｇ", "ＨｂＡ１ｃ７．２％"] {
                assert!(
                    out.iter().any(|l| l.contains(word)),
                    "{word} split at {width}: {out:?}"
                );
            }
        }
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut_and_nothing_is_lost() {
        let text = "https://example.jp/".to_string() + &"a".repeat(60);
        let out = lines(&text, 10.0);
        assert_eq!(out.concat(), text);
        assert!(
            out.iter()
                .all(|l| l.chars().map(advance).sum::<f32>() <= 10.0)
        );
        let unbroken = "。".repeat(35);
        let out = lines(&unbroken, 10.0);
        assert_eq!(out.concat(), unbroken);
        assert_eq!(out.len(), 4);
    }

    #[test]
    fn empty_paragraph_is_one_empty_line_and_spaces_may_hang() {
        assert_eq!(lines("", 10.0), vec![""]);
        let out = lines("aaaaaaaaaaaaaaaaaa bb", 10.0);
        assert_eq!(out, vec!["aaaaaaaaaaaaaaaaaa ", "bb"]);
        let names = lines("山田　太郎様、佐藤　花子様", 6.0);
        assert_eq!(names.concat(), "山田　太郎様、佐藤　花子様");
        assert_kinsoku(&names);
    }

    #[test]
    fn lines_ended_by_a_break_are_justified_and_the_last_and_cut_pieces_not() {
        let justified = |text: &str| -> Vec<bool> {
            break_lines(text, 10.0, &advance)
                .iter()
                .map(|l| l.justify)
                .collect()
        };
        assert_eq!(justified(&"あ".repeat(25)), vec![true, true, false]);
        assert_eq!(justified("あい"), vec![false]);
        // A word wider than the line: its pieces keep their spacing, and
        // so does its end when alone on its line; a line it shares with
        // other words is justified.
        let url = "a".repeat(45);
        assert_eq!(justified(&url), vec![false, false, false]);
        let shared = break_lines(&format!("{url} あいうえおかきくけこ"), 10.0, &advance);
        assert_eq!(shared[2].text, "aaaaa あいうえおかき");
        assert_eq!(
            justified(&format!("{url} あいうえおかきくけこ")),
            { vec![false, false, true, false] }
        );
        let alone = break_lines(&format!("{}あいう", "a".repeat(59)), 10.0, &advance);
        assert_eq!(alone[2].text, "a".repeat(19));
        assert!(!alone[2].justify, "{alone:?}");
    }
}
