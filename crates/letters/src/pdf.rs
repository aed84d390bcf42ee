//! Serialises laid-out pages as PDF with pdf-writer: each bundled font
//! embedded once as a CID-keyed TrueType subset (subsetter, hinting
//! dropped) with a ToUnicode map, so every character extracts as typed.
//! The output depends only on the input: the same letter gives the same
//! bytes, and so the same SHA-256.

use std::collections::BTreeMap;
use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use subsetter::GlyphRemapper;

use crate::dehint::strip_hinting;
use crate::fonts::FontKind;
use crate::justify;
use crate::page::{A4_HEIGHT_MM, A4_WIDTH_MM, Item, PT_PER_MM, Page};

/// zlib level 6: level 9 saves under 1% and costs twice the time.
const COMPRESSION: u32 = 6;
/// Circle by four cubic Béziers: control point distance over radius.
const KAPPA: f32 = 0.552_284_8;
const FULLWIDTH_SPACE: char = '\u{3000}';

pub struct DocumentInfo<'a> {
    pub title: &'a str,
}

/// One embedded font: the glyphs used, renumbered from 1, and the
/// character each new glyph id stands for.
struct Embedded {
    kind: FontKind,
    resource: &'static [u8],
    remapper: GlyphRemapper,
    to_unicode: BTreeMap<u16, char>,
    used: bool,
}

impl Embedded {
    fn new(kind: FontKind, resource: &'static [u8]) -> Self {
        Embedded {
            kind,
            resource,
            remapper: GlyphRemapper::new(),
            to_unicode: BTreeMap::new(),
            used: false,
        }
    }

    /// The text as 2-byte CIDs (Identity-H) of the subset's glyphs.
    fn encode(&mut self, text: &str) -> Vec<u8> {
        self.used = true;
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let old = self.kind.glyph(c).map_or(0, |g| g.0);
            let new = self.remapper.remap(old);
            if old != 0 {
                self.to_unicode.entry(new).or_insert(c);
            }
            out.extend_from_slice(&new.to_be_bytes());
        }
        out
    }
}

pub fn write_pdf(pages: &[Page], info: &DocumentInfo) -> Vec<u8> {
    let mut fonts = [
        Embedded::new(FontKind::Mincho, b"F1"),
        Embedded::new(FontKind::Gothic, b"F2"),
    ];
    let contents: Vec<Vec<u8>> = pages.iter().map(|p| page_content(p, &mut fonts)).collect();

    let mut last_id = 0;
    let mut next = || {
        last_id += 1;
        Ref::new(last_id)
    };
    let catalog = next();
    let tree = next();
    let info_id = next();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (next(), next())).collect();
    let font_ids: Vec<FontRefs> = fonts.iter().map(|_| FontRefs::new(&mut next)).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().map(|(page, _)| *page))
        .count(pages.len() as i32);
    pdf.document_info(info_id)
        .title(TextStr(info.title))
        .producer(TextStr("Tsunagu"));
    let media = Rect::new(0.0, 0.0, A4_WIDTH_MM * PT_PER_MM, A4_HEIGHT_MM * PT_PER_MM);
    for ((page_id, content_id), content) in page_ids.iter().zip(&contents) {
        let mut page = pdf.page(*page_id);
        page.media_box(media).parent(tree).contents(*content_id);
        let mut resources = page.resources();
        let mut font_dict = resources.fonts();
        for (font, refs) in fonts.iter().zip(&font_ids) {
            if font.used {
                font_dict.pair(Name(font.resource), refs.type0);
            }
        }
        font_dict.finish();
        resources.finish();
        page.finish();
        pdf.stream(*content_id, &deflate(content))
            .filter(Filter::FlateDecode);
    }
    // Subsetting and compressing the two fonts is most of the work: in
    // parallel, each on its own thread.
    #[expect(
        clippy::expect_used,
        reason = "a font job that panicked is a bug; its panic goes on here"
    )]
    let programs: Vec<Option<(Vec<u8>, usize)>> = std::thread::scope(|scope| {
        let jobs: Vec<_> = fonts
            .iter()
            .map(|font| {
                scope.spawn(move || {
                    font.used.then(|| {
                        let program = font_program(font);
                        (deflate(&program), program.len())
                    })
                })
            })
            .collect();
        jobs.into_iter()
            .map(|job| job.join().expect("font job does not panic"))
            .collect()
    });
    for ((font, refs), program) in fonts.iter().zip(&font_ids).zip(programs) {
        if let Some((compressed, length)) = program {
            embed_font(&mut pdf, font, refs, &compressed, length);
        }
    }
    pdf.finish()
}

struct FontRefs {
    type0: Ref,
    cid: Ref,
    descriptor: Ref,
    cmap: Ref,
    file: Ref,
}

impl FontRefs {
    fn new(next: &mut impl FnMut() -> Ref) -> Self {
        FontRefs {
            type0: next(),
            cid: next(),
            descriptor: next(),
            cmap: next(),
            file: next(),
        }
    }
}

fn page_content(page: &Page, fonts: &mut [Embedded; 2]) -> Vec<u8> {
    let mut c = Content::new();
    let x = |mm: f32| mm * PT_PER_MM;
    let y = |mm: f32| (A4_HEIGHT_MM - mm) * PT_PER_MM;
    c.set_stroke_gray(0.0).set_fill_gray(0.0);
    for item in &page.items {
        match *item {
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width_pt,
            } => {
                c.set_line_width(width_pt);
                c.move_to(x(x1), y(y1)).line_to(x(x2), y(y2)).stroke();
            }
            Item::Frame {
                x: fx,
                y: fy,
                w,
                h,
                width_pt,
            } => {
                c.set_line_width(width_pt);
                c.rect(x(fx), y(fy + h), w * PT_PER_MM, h * PT_PER_MM)
                    .stroke();
            }
            Item::Fill { x: fx, y: fy, w, h } => {
                c.rect(x(fx), y(fy + h), w * PT_PER_MM, h * PT_PER_MM)
                    .fill_nonzero();
            }
            Item::Circle {
                cx,
                cy,
                r,
                width_pt,
            } => {
                c.set_line_width(width_pt);
                circle(&mut c, x(cx), y(cy), r * PT_PER_MM);
            }
            Item::Text { .. } => {}
        }
    }
    c.begin_text();
    let mut current: Option<(FontKind, f32)> = None;
    // Character spacing (Tc) is text state: it stays set across lines, so
    // it is only written when it changes.
    let mut spacing = 0.0;
    for item in &page.items {
        if let Item::Text {
            x: tx,
            y: ty,
            font,
            size_pt,
            ref text,
            gap_pt,
        } = *item
        {
            if current != Some((font, size_pt)) {
                c.set_font(Name(fonts[font_index(font)].resource), size_pt);
                current = Some((font, size_pt));
            }
            c.set_text_matrix([1.0, 0.0, 0.0, 1.0, x(tx), y(ty)]);
            let font = &mut fonts[font_index(font)];
            if gap_pt == 0.0 {
                if spacing != 0.0 {
                    spacing = 0.0;
                    c.set_char_spacing(0.0);
                }
                show(&mut c, font, text);
            } else {
                show_justified(&mut c, font, text, gap_pt, &mut spacing);
            }
        }
    }
    c.end_text();
    c.finish().to_vec()
}

fn font_index(font: FontKind) -> usize {
    match font {
        FontKind::Mincho => 0,
        FontKind::Gothic => 1,
    }
}

/// Shows a line. Text extractors (poppler) turn a lone U+3000 into an ASCII
/// space; marking it together with the character before it as ActualText
/// keeps the full-width space in 「山田　太郎」 when the text is copied.
fn show(c: &mut Content, font: &mut Embedded, text: &str) {
    let chars: Vec<char> = text.chars().collect();
    let mut run = String::new();
    let mut i = 0;
    while i < chars.len() {
        let pair_start =
            i + 1 < chars.len() && chars[i + 1] == FULLWIDTH_SPACE && chars[i] != FULLWIDTH_SPACE;
        let lone_space = chars[i] == FULLWIDTH_SPACE;
        if pair_start || lone_space {
            if !run.is_empty() {
                c.show(Str(&font.encode(&run)));
                run.clear();
            }
            let span: String = if pair_start {
                chars[i..i + 2].iter().collect()
            } else {
                chars[i].to_string()
            };
            c.begin_marked_content_with_properties(Name(b"Span"))
                .properties()
                .actual_text(TextStr(&span));
            c.show(Str(&font.encode(&span)));
            c.end_marked_content();
            i += span.chars().count();
        } else {
            run.push(chars[i]);
            i += 1;
        }
    }
    if !run.is_empty() {
        c.show(Str(&font.encode(&run)));
    }
}

/// Shows a justified line (see `justify`): runs of characters followed by
/// the same spacing, each with its Tc, all in one ActualText span holding
/// the line's text, so that extractors give back the typed text rather
/// than guessing word spaces from the stretched gaps. Hanging trailing
/// spaces follow outside the span, as on any other line. The span holds
/// any U+3000 of the line too, so none needs a span of its own (spans do
/// not nest in poppler).
fn show_justified(
    c: &mut Content,
    font: &mut Embedded,
    text: &str,
    gap_pt: f32,
    spacing: &mut f32,
) {
    let shown = justify::visible(text);
    let chars: Vec<char> = shown.chars().collect();
    let after = justify::spacing_after(text, gap_pt);
    c.begin_marked_content_with_properties(Name(b"Span"))
        .properties()
        .actual_text(TextStr(shown));
    let mut start = 0;
    while start < chars.len() {
        let mut end = start + 1;
        while end < chars.len() && after[end] == after[start] {
            end += 1;
        }
        if after[start] != *spacing {
            *spacing = after[start];
            c.set_char_spacing(*spacing);
        }
        let run: String = chars[start..end].iter().collect();
        c.show(Str(&font.encode(&run)));
        start = end;
    }
    c.end_marked_content();
    let trailing = &text[shown.len()..];
    if !trailing.is_empty() {
        show(c, font, trailing);
    }
}

fn circle(c: &mut Content, cx: f32, cy: f32, r: f32) {
    let k = r * KAPPA;
    c.move_to(cx + r, cy);
    c.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
    c.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
    c.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
    c.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
    c.close_path().stroke();
}

/// The subset font program, hinting dropped.
#[expect(
    clippy::expect_used,
    reason = "the fonts are bundled and the remapper holds only their own glyphs"
)]
fn font_program(font: &Embedded) -> Vec<u8> {
    let subset =
        subsetter::subset(font.kind.bytes(), 0, &font.remapper).expect("the bundled font subsets");
    strip_hinting(&subset).unwrap_or(subset)
}

fn embed_font(pdf: &mut Pdf, font: &Embedded, refs: &FontRefs, compressed: &[u8], length: usize) {
    let face = font.kind.face();
    let base_name = format!("{}+{}", subset_tag(font), postscript_name(font.kind));
    let base = Name(base_name.as_bytes());
    let system = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    let scale = 1000.0 / f32::from(face.units_per_em());

    pdf.type0_font(refs.type0)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(refs.cid)
        .to_unicode(refs.cmap);

    let mut cid = pdf.cid_font(refs.cid);
    cid.subtype(CidFontType::Type2)
        .base_font(base)
        .system_info(system)
        .font_descriptor(refs.descriptor)
        .default_width(1000.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(
        0,
        font.remapper.remapped_gids().map(|g| {
            let advance = face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0);
            (f32::from(advance) * scale).round()
        }),
    );
    cid.finish();

    let bbox = face.global_bounding_box();
    let flags = match font.kind {
        FontKind::Mincho => FontFlags::SERIF | FontFlags::SYMBOLIC,
        FontKind::Gothic => FontFlags::SYMBOLIC,
    };
    pdf.font_descriptor(refs.descriptor)
        .name(base)
        .flags(flags)
        .bbox(Rect::new(
            f32::from(bbox.x_min) * scale,
            f32::from(bbox.y_min) * scale,
            f32::from(bbox.x_max) * scale,
            f32::from(bbox.y_max) * scale,
        ))
        .italic_angle(0.0)
        .ascent(f32::from(face.ascender()) * scale)
        .descent(f32::from(face.descender()) * scale)
        .cap_height(f32::from(face.capital_height().unwrap_or(face.ascender())) * scale)
        .stem_v(80.0)
        .font_file2(refs.file);

    let mut cmap = UnicodeCmap::new(Name(b"Tsunagu-UTF16"), system);
    for (&glyph, &c) in &font.to_unicode {
        cmap.pair(glyph, c);
    }
    pdf.stream(refs.cmap, &deflate(&cmap.finish()))
        .filter(Filter::FlateDecode);
    pdf.stream(refs.file, compressed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), length as i32);
}

fn postscript_name(font: FontKind) -> &'static str {
    match font {
        FontKind::Mincho => "IPAexMincho",
        FontKind::Gothic => "IPAexGothic",
    }
}

/// Six capital letters naming the subset (PDF 9.6.4), derived from the
/// glyphs in it so that the output is reproducible.
fn subset_tag(font: &Embedded) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325; // FNV-1a
    for g in font.remapper.remapped_gids() {
        for byte in g.to_be_bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    (0..6)
        .map(|i| char::from(b'A' + ((hash >> (i * 5)) % 26) as u8))
        .collect()
}

#[expect(clippy::expect_used, reason = "writing to a Vec cannot fail")]
fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(
        Vec::with_capacity(data.len() / 2),
        Compression::new(COMPRESSION),
    );
    encoder.write_all(data).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}
