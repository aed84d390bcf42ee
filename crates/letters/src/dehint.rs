//! Drops TrueType hinting from an embedded font subset.
//!
//! Hinting bytecode snaps outlines to a screen's pixel grid; a printed or
//! zoomed PDF never uses it, yet it is 41% of IPAex's glyph data. Without it
//! the standard letter fits the 100 KB budget. The outlines themselves are
//! copied byte for byte (tested against the original font), so the page
//! looks the same. `subsetter` keeps hinting and no maintained crate drops
//! it short of a full re-subsetting engine, hence this small pass.
//!
//! Any structure it does not understand makes it return `None`; the caller
//! then embeds the hinted subset, which is larger but just as correct.

use std::borrow::Cow;

/// The font without `fpgm`, `prep`, `cvt ` and per-glyph instructions.
pub fn strip_hinting(font: &[u8]) -> Option<Vec<u8>> {
    let r = Reader(font);
    let version = r.u32(0)?;
    if version != 0x0001_0000 && &font[..4] != b"true" {
        return None;
    }
    let num_tables = usize::from(r.u16(4)?);
    let mut tables = Vec::with_capacity(num_tables);
    for i in 0..num_tables {
        let record = 12 + 16 * i;
        let tag: [u8; 4] = font.get(record..record + 4)?.try_into().ok()?;
        let offset = r.u32(record + 8)? as usize;
        let len = r.u32(record + 12)? as usize;
        tables.push((tag, font.get(offset..offset.checked_add(len)?)?));
    }
    let table = |tag: &[u8; 4]| tables.iter().find(|(t, _)| t == tag).map(|(_, d)| *d);
    let head = table(b"head")?;
    let maxp = table(b"maxp")?;
    let (glyf, loca) = strip_glyphs(table(b"glyf")?, table(b"loca")?, head, maxp)?;

    let mut new_head = head.get(..54)?.to_vec();
    new_head[50..52].copy_from_slice(&1u16.to_be_bytes()); // long loca offsets
    new_head[8..12].copy_from_slice(&[0; 4]); // checkSumAdjustment, set below
    let mut new_maxp = maxp.to_vec();
    if new_maxp.len() >= 32 {
        new_maxp[26..28].copy_from_slice(&[0, 0]); // maxSizeOfInstructions
    }

    let mut out_tables: Vec<([u8; 4], Cow<[u8]>)> = Vec::new();
    for (tag, data) in &tables {
        let data: Cow<[u8]> = match tag {
            b"fpgm" | b"prep" | b"cvt " | b"hdmx" | b"LTSH" | b"VDMX" => continue,
            b"glyf" => Cow::Borrowed(&glyf),
            b"loca" => Cow::Borrowed(&loca),
            b"head" => Cow::Borrowed(&new_head),
            b"maxp" => Cow::Borrowed(&new_maxp),
            _ => Cow::Borrowed(data),
        };
        out_tables.push((*tag, data));
    }
    out_tables.sort_by_key(|(tag, _)| *tag);
    Some(assemble(&out_tables))
}

/// Each glyph without its instructions, and the new `loca` (long format).
fn strip_glyphs(glyf: &[u8], loca: &[u8], head: &[u8], maxp: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let num_glyphs = usize::from(Reader(maxp).u16(4)?);
    let long = Reader(head).u16(50)? != 0;
    let offset = |i: usize| -> Option<usize> {
        if long {
            Reader(loca).u32(4 * i).map(|o| o as usize)
        } else {
            Reader(loca).u16(2 * i).map(|o| usize::from(o) * 2)
        }
    };
    let mut new_glyf = Vec::with_capacity(glyf.len());
    let mut new_loca = Vec::with_capacity(4 * (num_glyphs + 1));
    for g in 0..num_glyphs {
        new_loca.extend_from_slice(&u32::try_from(new_glyf.len()).ok()?.to_be_bytes());
        let (start, end) = (offset(g)?, offset(g + 1)?);
        if end <= start {
            continue; // an empty glyph (e.g. a space)
        }
        let glyph = glyf.get(start..end)?;
        let r = Reader(glyph);
        let contours = r.u16(0)? as i16;
        if contours >= 0 {
            let length_at = 10 + 2 * contours as usize;
            let instructions = usize::from(r.u16(length_at)?);
            new_glyf.extend_from_slice(glyph.get(..length_at)?);
            new_glyf.extend_from_slice(&[0, 0]);
            new_glyf.extend_from_slice(glyph.get(length_at + 2 + instructions..)?);
        } else {
            // Composite: copy the components, clear WE_HAVE_INSTRUCTIONS on
            // the last one and leave its trailing instructions behind.
            let mut at = 10;
            let last_flags_at = loop {
                let flags = r.u16(at)?;
                let flags_at = at;
                at += 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
                at += match flags {
                    f if f & 0x0008 != 0 => 2,
                    f if f & 0x0040 != 0 => 4,
                    f if f & 0x0080 != 0 => 8,
                    _ => 0,
                };
                if flags & 0x0020 == 0 {
                    break flags_at;
                }
            };
            let base = new_glyf.len();
            new_glyf.extend_from_slice(glyph.get(..at)?);
            let flags = r.u16(last_flags_at)? & !0x0100;
            new_glyf[base + last_flags_at..base + last_flags_at + 2]
                .copy_from_slice(&flags.to_be_bytes());
        }
        while new_glyf.len() % 4 != 0 {
            new_glyf.push(0);
        }
    }
    new_loca.extend_from_slice(&u32::try_from(new_glyf.len()).ok()?.to_be_bytes());
    Some((new_glyf, new_loca))
}

/// A TrueType file from sorted tables, with checksums.
fn assemble(tables: &[([u8; 4], Cow<[u8]>)]) -> Vec<u8> {
    let n = tables.len() as u16;
    let entry_selector = 15 - n.leading_zeros() as u16;
    let search_range = (1u16 << entry_selector) * 16;
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(&search_range.to_be_bytes());
    out.extend_from_slice(&entry_selector.to_be_bytes());
    out.extend_from_slice(&(n * 16 - search_range).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if tag == b"head" {
            head_at = Some(offset);
        }
        offset += (data.len() + 3) & !3;
    }
    for (_, data) in tables {
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    out
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// Big-endian reads that fail instead of panicking on a short table.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn u16(&self, at: usize) -> Option<u16> {
        Some(u16::from_be_bytes(self.0.get(at..at + 2)?.try_into().ok()?))
    }

    fn u32(&self, at: usize) -> Option<u32> {
        Some(u32::from_be_bytes(self.0.get(at..at + 4)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::FontKind;
    use ttf_parser::{Face, GlyphId, OutlineBuilder};

    #[derive(Default, PartialEq, Debug)]
    struct Path(Vec<(char, i32, i32)>);

    impl OutlineBuilder for Path {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.push(('M', x as i32, y as i32));
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.push(('L', x as i32, y as i32));
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            self.0.push(('Q', x1 as i32, y1 as i32));
            self.0.push(('q', x as i32, y as i32));
        }
        fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, x: f32, y: f32) {
            self.0.push(('C', x as i32, y as i32));
        }
        fn close(&mut self) {
            self.0.push(('Z', 0, 0));
        }
    }

    fn outline(face: &Face, glyph: GlyphId) -> Path {
        let mut path = Path::default();
        face.outline_glyph(glyph, &mut path);
        path
    }

    #[test]
    fn outlines_and_advances_are_unchanged_and_the_hints_are_gone() {
        for font in [FontKind::Mincho, FontKind::Gothic] {
            let original = font.face();
            let mut remapper = subsetter::GlyphRemapper::new();
            let text = "診療情報提供書山田　太郎やまだたろうＡＢＣabc123（）「」。、㎎";
            let glyphs: Vec<GlyphId> = text
                .chars()
                .filter_map(|c| original.glyph_index(c))
                .collect();
            for g in &glyphs {
                remapper.remap(g.0);
            }
            let subset = subsetter::subset(font.bytes(), 0, &remapper).unwrap();
            let stripped = strip_hinting(&subset).expect("IPAex subsets are understood");
            assert!(
                stripped.len() < subset.len() * 8 / 10,
                "{} → {}",
                subset.len(),
                stripped.len()
            );
            let face = Face::parse(&stripped, 0).expect("still a valid font");
            assert!(
                face.raw_face()
                    .table(ttf_parser::Tag::from_bytes(b"fpgm"))
                    .is_none()
            );
            for old in glyphs {
                let new = GlyphId(remapper.get(old.0).unwrap());
                assert_eq!(
                    outline(&face, new),
                    outline(original, old),
                    "{font:?} glyph {}",
                    old.0
                );
                assert_eq!(face.glyph_hor_advance(new), original.glyph_hor_advance(old));
            }
        }
    }

    #[test]
    fn what_is_not_a_truetype_font_is_left_alone() {
        assert_eq!(strip_hinting(b""), None);
        assert_eq!(strip_hinting(b"OTTO\0\0\0\0\0\0\0\0"), None);
        let mut truncated = FontKind::Gothic.bytes()[..4096].to_vec();
        truncated.truncate(4096);
        assert_eq!(strip_hinting(&truncated), None);
    }
}
