//! A laid-out page as a list of things to draw, in millimetres from the
//! page's top-left corner. The layout produces it; the PDF writer only
//! serialises it, so layout rules are tested without parsing PDFs.

use crate::fonts::FontKind;
use crate::justify;

pub const A4_WIDTH_MM: f32 = 210.0;
pub const A4_HEIGHT_MM: f32 = 297.0;
pub const PT_PER_MM: f32 = 72.0 / 25.4;

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// One line of text; `y` is its baseline.
    Text {
        x: f32,
        y: f32,
        font: FontKind,
        size_pt: f32,
        text: String,
        /// Extra advance, in points, at each gap that may stretch: 0 for
        /// natural spacing, more on a justified line (see `justify`).
        gap_pt: f32,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width_pt: f32,
    },
    /// A stroked rectangle.
    Frame {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        width_pt: f32,
    },
    /// A filled black rectangle (QR code modules).
    Fill { x: f32, y: f32, w: f32, h: f32 },
    /// A stroked circle (the 印 mark).
    Circle {
        cx: f32,
        cy: f32,
        r: f32,
        width_pt: f32,
    },
}

impl Item {
    /// The same item `dy` mm lower on the page.
    pub fn moved_down(mut self, dy: f32) -> Item {
        match &mut self {
            Item::Text { y, .. } | Item::Frame { y, .. } | Item::Fill { y, .. } => *y += dy,
            Item::Line { y1, y2, .. } => {
                *y1 += dy;
                *y2 += dy;
            }
            Item::Circle { cy, .. } => *cy += dy,
        }
        self
    }

    /// The width in mm of a text's visible characters as drawn, justified
    /// spacing included (trailing spaces hang and do not count).
    pub fn drawn_width(&self) -> Option<f32> {
        let Item::Text {
            font,
            size_pt,
            text,
            gap_pt,
            ..
        } = self
        else {
            return None;
        };
        let shown = justify::visible(text);
        let gaps = justify::stretchable_gaps(text)
            .iter()
            .filter(|&&g| g)
            .count();
        Some((font.width(shown, *size_pt) + *gap_pt * gaps as f32) / PT_PER_MM)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub items: Vec<Item>,
}

impl Page {
    pub fn text(&mut self, x: f32, y: f32, font: FontKind, size_pt: f32, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            self.items.push(Item::Text {
                x,
                y,
                font,
                size_pt,
                text,
                gap_pt: 0.0,
            });
        }
    }

    /// Text set flush to both `x` and `x + width` (両端揃え): the spare
    /// width is shared by the gaps between characters. Text as wide as
    /// `width` or wider is set as it is.
    pub fn text_justified(
        &mut self,
        x: f32,
        y: f32,
        font: FontKind,
        size_pt: f32,
        text: impl Into<String>,
        width: f32,
    ) {
        let text = text.into();
        let natural = font.width(justify::visible(&text), size_pt);
        let gap_pt = justify::gap_share(&text, natural, width * PT_PER_MM);
        if !text.is_empty() {
            self.items.push(Item::Text {
                x,
                y,
                font,
                size_pt,
                text,
                gap_pt,
            });
        }
    }

    /// Text ending at `right`.
    pub fn text_right(&mut self, right: f32, y: f32, font: FontKind, size_pt: f32, text: &str) {
        let width = font.width(text, size_pt) / PT_PER_MM;
        self.text(right - width, y, font, size_pt, text);
    }

    /// Text centred on `center`.
    pub fn text_centered(&mut self, center: f32, y: f32, font: FontKind, size_pt: f32, text: &str) {
        let width = font.width(text, size_pt) / PT_PER_MM;
        self.text(center - width / 2.0, y, font, size_pt, text);
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width_pt: f32) {
        self.items.push(Item::Line {
            x1,
            y1,
            x2,
            y2,
            width_pt,
        });
    }

    pub fn frame(&mut self, x: f32, y: f32, w: f32, h: f32, width_pt: f32) {
        self.items.push(Item::Frame {
            x,
            y,
            w,
            h,
            width_pt,
        });
    }

    /// Adds the items of `block`, laid out on its own from y = 0, `dy` mm
    /// down this page: a block's height is known before it is placed.
    pub fn place(&mut self, block: Page, dy: f32) {
        self.items
            .extend(block.items.into_iter().map(|item| item.moved_down(dy)));
    }

    /// Every line of text on the page, in drawing order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.items.iter().filter_map(|item| match item {
            Item::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
    }
}
