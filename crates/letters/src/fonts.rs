//! The two bundled IPAex fonts (IPA Font License, see fonts/): Mincho for
//! what the physician wrote, Gothic for the form's own labels. Bundled so a
//! letter renders the same on every clinic PC, with no system fonts.

use std::sync::OnceLock;

use ttf_parser::{Face, GlyphId};

pub(crate) const MINCHO_TTF: &[u8] = include_bytes!("../fonts/ipaexm.ttf");
pub(crate) const GOTHIC_TTF: &[u8] = include_bytes!("../fonts/ipaexg.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FontKind {
    /// IPAex明朝: the letter's content.
    Mincho,
    /// IPAexゴシック: labels, title.
    Gothic,
}

impl FontKind {
    pub(crate) fn bytes(self) -> &'static [u8] {
        match self {
            FontKind::Mincho => MINCHO_TTF,
            FontKind::Gothic => GOTHIC_TTF,
        }
    }

    #[expect(
        clippy::expect_used,
        reason = "the fonts are bundled at build time and the tests parse them"
    )]
    pub(crate) fn face(self) -> &'static Face<'static> {
        static MINCHO: OnceLock<Face<'static>> = OnceLock::new();
        static GOTHIC: OnceLock<Face<'static>> = OnceLock::new();
        let cell = match self {
            FontKind::Mincho => &MINCHO,
            FontKind::Gothic => &GOTHIC,
        };
        cell.get_or_init(|| Face::parse(self.bytes(), 0).expect("the bundled font parses"))
    }

    /// Glyph for `c`, if the font has one.
    pub(crate) fn glyph(self, c: char) -> Option<GlyphId> {
        self.face().glyph_index(c).filter(|g| g.0 != 0)
    }

    /// Advance width of `c` in points at `size` points (0 for a missing glyph,
    /// which validation has already refused).
    pub fn advance(self, c: char, size: f32) -> f32 {
        let face = self.face();
        let units = self
            .glyph(c)
            .and_then(|g| face.glyph_hor_advance(g))
            .unwrap_or(0);
        f32::from(units) * size / f32::from(face.units_per_em())
    }

    pub fn width(self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c, size)).sum()
    }

    /// Whether every character of `text` can be drawn (line breaks aside).
    pub fn covers(self, c: char) -> bool {
        c == '\n' || c == '\r' || c == '\t' || self.glyph(c).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_fonts_draw_japanese_and_miss_what_ipaex_lacks() {
        for font in [FontKind::Mincho, FontKind::Gothic] {
            for c in "山田　太郎やまだタロウｶﾅ０１ABC123。、「」㎎①".chars()
            {
                assert!(font.covers(c), "{font:?} {c}");
            }
            // 𠮷 (tsuchi-yoshi) is outside IPAex; so is emoji.
            assert!(!font.covers('𠮷'));
            assert!(!font.covers('😀'));
        }
        // Kanji and kana are one em wide; Latin is proportional.
        assert_eq!(FontKind::Mincho.advance('山', 10.0), 10.0);
        assert_eq!(FontKind::Mincho.advance('　', 10.0), 10.0);
        assert!(FontKind::Mincho.advance('i', 10.0) < 5.0);
    }
}
