//! The 訪問看護指示書 on the page, in the letters' margins, fonts and rules:
//! the title and the periods, the patient, then the form's boxes one under
//! another, and the doctor's signature block addressed to the station. A
//! box too long for the page continues on a 続紙 without losing a line, as
//! the letters' sections do. What goes in each box: `nursing_order_rows`.

use tsunagu_domain::format_birth_date;
use tsunagu_domain::nursing_order::{DateRange, OrderKind};

use crate::fonts::FontKind::{Gothic, Mincho};
use crate::layout::{
    BODY_LINE, BODY_PT, FOOTER_BASELINE, LABEL_LINE, LABEL_PT, LABEL_WIDTH, LEFT, PAD_X, RIGHT,
    RULE_PT, THIN_PT, TOP, baseline, wareki, wrap,
};
use crate::nursing_order::NursingOrderForm;
use crate::nursing_order_rows::{Line, Row, rows};
use crate::page::{A4_HEIGHT_MM, A4_WIDTH_MM, Item, Page};

/// Space above and below a box's lines: less than the letters' (1.6 mm),
/// as the printed form packs its twenty-odd boxes onto one page and a
/// full order should too.
const PAD_Y: f32 = 1.0;
/// Where boxes stop, as on the letters: the footer sits below.
const BOTTOM: f32 = A4_HEIGHT_MM - 18.0;
/// A box split across pages keeps at least this many lines together.
const MIN_SPLIT_LINES: usize = 2;
/// The most a free-text box grows into spare room.
const MAX_STRETCH: f32 = 25.0;
/// Between the last box and the signature block.
const SIGNATURE_GAP: f32 = 3.0;
/// Second label of a two-column row (生年月日, 電話).
const SECOND_LABEL_WIDTH: f32 = 18.0;
const SECOND_COLUMN_X: f32 = RIGHT - 70.0;
/// The signature block: the clinic's lines start here, as on the form.
const SIGNATURE_X: f32 = 92.0;

/// The width of a box's content column.
pub(crate) fn content_width() -> f32 {
    RIGHT - LEFT - LABEL_WIDTH - 2.0 * PAD_X
}

/// Lays out a checked form (see [`NursingOrderForm::check`]).
pub fn layout_nursing_order(form: &NursingOrderForm) -> Vec<Page> {
    let mut pages = vec![Page::default()];
    let y = first_page_header(&mut pages[0], form);
    let signature = signature(form);
    let signature_height = block_height(&signature);
    let y = flow(&mut pages, y, form, &rows(form), signature_height);
    place_signature(&mut pages, y, form, signature, signature_height);
    finish_pages(&mut pages, form);
    pages
}

fn title_lines(form: &NursingOrderForm) -> Vec<&'static str> {
    let mut lines = vec![form.kind().label_ja()];
    if form.order.term.infusion().is_some() {
        lines.push("在宅患者訪問点滴注射指示書");
    }
    lines
}

/// The form's number, the title, the periods and the patient: returns
/// where the boxes start.
fn first_page_header(page: &mut Page, form: &NursingOrderForm) -> f32 {
    let kind = form.kind();
    page.text(LEFT, TOP + 3.0, Gothic, 8.0, kind.form_number_ja());
    let mut y = TOP + 11.0;
    for (i, title) in title_lines(form).into_iter().enumerate() {
        let size = if i == 0 { 16.0 } else { 13.0 };
        page.text_centered(A4_WIDTH_MM / 2.0, y, Gothic, size, title);
        y += 6.0;
    }
    let term = form.order.term;
    let period = period_text(term.period(), kind == OrderKind::Special);
    let infusion = term
        .infusion()
        .map(|r| period_text(r, true))
        .unwrap_or_default();
    let top = y - 2.0;
    let mut y = top;
    for (label, value) in [
        (kind.period_label_ja(), period),
        ("点滴注射指示期間", infusion),
    ] {
        y = two_column_row(page, y, (label, &value), None);
    }
    let p = &form.patient;
    let birth = format_birth_date(p.birth_date, form.order.issued_on);
    y = two_column_row(page, y, ("患者氏名", &p.name), Some(("生年月日", &birth)));
    if kind == OrderKind::Regular {
        y = two_column_row(page, y, ("患者住所", &p.address), Some(("電話", &p.phone)));
    }
    page.frame(LEFT, top, RIGHT - LEFT, y - top, RULE_PT);
    y + 2.0
}

/// 「令和8年12月10日　～　令和8年12月23日（14日間）」
fn period_text(range: DateRange, with_days: bool) -> String {
    let days = if with_days {
        format!("（{}日間）", range.days())
    } else {
        String::new()
    };
    format!("{}　～　{}{days}", wareki(range.start), wareki(range.end))
}

/// A ruled row of the header: a label and its value, and optionally a
/// second label and value on the right. Returns the row's bottom.
fn two_column_row(
    page: &mut Page,
    top: f32,
    first: (&str, &str),
    second: Option<(&str, &str)>,
) -> f32 {
    let value_x = LEFT + LABEL_WIDTH + PAD_X;
    let first_width = match second {
        Some(_) => SECOND_COLUMN_X - value_x - PAD_X,
        None => RIGHT - value_x - PAD_X,
    };
    let first_lines = wrap(first.1.trim(), Mincho, BODY_PT, first_width);
    let second_x = SECOND_COLUMN_X + SECOND_LABEL_WIDTH + PAD_X;
    let second_lines = second
        .map(|(_, value)| wrap(value.trim(), Mincho, BODY_PT, RIGHT - second_x - PAD_X))
        .unwrap_or_default();
    let lines = first_lines.len().max(second_lines.len()).max(1);
    let height = lines as f32 * BODY_LINE + 2.0 * PAD_Y;
    label_in_middle(page, LEFT, top, height, first.0);
    body_lines(page, value_x, top, &first_lines);
    page.line(
        LEFT + LABEL_WIDTH,
        top,
        LEFT + LABEL_WIDTH,
        top + height,
        THIN_PT,
    );
    if let Some((label, _)) = second {
        page.line(SECOND_COLUMN_X, top, SECOND_COLUMN_X, top + height, THIN_PT);
        page.line(
            SECOND_COLUMN_X + SECOND_LABEL_WIDTH,
            top,
            SECOND_COLUMN_X + SECOND_LABEL_WIDTH,
            top + height,
            THIN_PT,
        );
        label_in_middle(page, SECOND_COLUMN_X, top, height, label);
        body_lines(page, second_x, top, &second_lines);
    }
    page.line(LEFT, top + height, RIGHT, top + height, THIN_PT);
    top + height
}

fn label_in_middle(page: &mut Page, x: f32, top: f32, height: f32, label: &str) {
    page.text(
        x + PAD_X,
        baseline(top, 0, height, LABEL_PT),
        Gothic,
        LABEL_PT,
        label,
    );
}

fn body_lines(page: &mut Page, x: f32, top: f32, lines: &[String]) {
    for (i, line) in lines.iter().enumerate() {
        let y = baseline(top + PAD_Y, i, BODY_LINE, BODY_PT);
        page.text(x, y, Mincho, BODY_PT, line.clone());
    }
}

/// A row's height for `lines` lines of content under a label of
/// `label_lines` lines.
fn row_height(lines: usize, label_lines: usize) -> f32 {
    (lines as f32 * BODY_LINE).max(label_lines as f32 * LABEL_LINE) + 2.0 * PAD_Y
}

fn label_lines(label: &str) -> Vec<String> {
    wrap(label, Gothic, LABEL_PT, LABEL_WIDTH - 2.0 * PAD_X)
}

/// Places the rows from `top` down, onto 続紙 as needed; returns where the
/// last one ends on the last page. When the rows and the signature block
/// fit on one page with room to spare, the free-text rows share it.
fn flow(
    pages: &mut Vec<Page>,
    top: f32,
    form: &NursingOrderForm,
    rows: &[Row],
    signature_height: f32,
) -> f32 {
    let natural: f32 = rows.iter().map(natural_height).sum();
    let room = BOTTOM - top - SIGNATURE_GAP - signature_height;
    let stretchers = rows.iter().filter(|r| r.stretch).count().max(1) as f32;
    let extra = if natural <= room {
        ((room - natural) / stretchers).min(MAX_STRETCH)
    } else {
        0.0
    };
    let mut y = top;
    for row in rows {
        let extra = if row.stretch { extra } else { 0.0 };
        y = flow_row(pages, y, form, row, extra);
    }
    y
}

fn natural_height(row: &Row) -> f32 {
    row_height(row.lines.len().max(1), label_lines(&row.label).len())
}

fn last(pages: &mut [Page]) -> &mut Page {
    #[expect(
        clippy::expect_used,
        reason = "the layout starts with one page and only adds pages"
    )]
    pages.last_mut().expect("at least one page")
}

fn new_page(pages: &mut Vec<Page>, form: &NursingOrderForm) -> f32 {
    let mut page = Page::default();
    let y = continuation_header(&mut page, form);
    pages.push(page);
    y
}

/// One box, split across pages when it does not fit: at least
/// [`MIN_SPLIT_LINES`] lines on the page it starts on, the rest under the
/// label marked （続き）.
fn flow_row(
    pages: &mut Vec<Page>,
    top: f32,
    form: &NursingOrderForm,
    row: &Row,
    extra: f32,
) -> f32 {
    let mut y = top;
    let mut rest: &[Line] = &row.lines;
    let mut continued = false;
    loop {
        let labels = if continued {
            label_lines(&format!("{}\n（続き）", row.label))
        } else {
            label_lines(&row.label)
        };
        let height = row_height(rest.len().max(1), labels.len()) + extra;
        if y + height <= BOTTOM {
            draw_row(last(pages), y, height, &labels, rest);
            return y + height;
        }
        let fits = ((BOTTOM - y - 2.0 * PAD_Y) / BODY_LINE).floor().max(0.0) as usize;
        let split = fits >= MIN_SPLIT_LINES
            && fits < rest.len()
            && labels.len() as f32 * LABEL_LINE <= fits as f32 * BODY_LINE;
        if split {
            let height = row_height(fits, labels.len());
            draw_row(last(pages), y, height, &labels, &rest[..fits]);
            rest = &rest[fits..];
            continued = true;
        }
        y = new_page(pages, form);
    }
}

fn draw_row(page: &mut Page, top: f32, height: f32, labels: &[String], lines: &[Line]) {
    page.frame(LEFT, top, RIGHT - LEFT, height, RULE_PT);
    page.line(
        LEFT + LABEL_WIDTH,
        top,
        LEFT + LABEL_WIDTH,
        top + height,
        THIN_PT,
    );
    for (i, label) in labels.iter().enumerate() {
        let y = baseline(top + PAD_Y, i, LABEL_LINE, LABEL_PT);
        page.text(LEFT + PAD_X, y, Gothic, LABEL_PT, label.clone());
    }
    let x = LEFT + LABEL_WIDTH + PAD_X;
    for (i, line) in lines.iter().enumerate() {
        if !line.lead.is_empty() {
            let y = baseline(top + PAD_Y, i, BODY_LINE, LABEL_PT);
            page.text(x, y, Gothic, LABEL_PT, line.lead.clone());
        }
        let y = baseline(top + PAD_Y, i, BODY_LINE, BODY_PT);
        page.text(x + line.indent, y, Mincho, BODY_PT, line.text.clone());
    }
}

/// 「上記のとおり、指示いたします。」, the 指示日, the clinic and its doctor,
/// and the station the order is addressed to: kept together, on a new page
/// if the last one has no room.
fn place_signature(
    pages: &mut Vec<Page>,
    top: f32,
    form: &NursingOrderForm,
    block: Page,
    height: f32,
) {
    let mut y = top + SIGNATURE_GAP;
    if y + height > BOTTOM {
        y = new_page(pages, form);
    }
    last(pages).place(block, y);
}

fn block_height(block: &Page) -> f32 {
    block
        .items
        .iter()
        .map(|item| match item {
            Item::Text { y, .. } => *y + 1.5,
            Item::Line { y1, y2, .. } => y1.max(*y2),
            Item::Frame { y, h, .. } | Item::Fill { y, h, .. } => *y + *h,
            Item::Circle { cy, r, .. } => *cy + *r,
        })
        .fold(0.0, f32::max)
}

/// The signature block, laid out from y = 0: on the left the statement,
/// the 指示日 and the station addressed; on the right the clinic and the
/// doctor, as on the form.
fn signature(form: &NursingOrderForm) -> Page {
    let mut page = Page::default();
    let c = &form.clinic;
    page.text(LEFT, 4.0, Mincho, BODY_PT, "上記のとおり、指示いたします。");
    page.text(
        LEFT + 6.0,
        10.0,
        Mincho,
        BODY_PT,
        wareki(form.order.issued_on),
    );

    let value_x = SIGNATURE_X + 18.0;
    let width = RIGHT - value_x;
    let mut y = 4.0;
    let mut row = |page: &mut Page, label: &str, value: &str, size: f32| {
        page.text(SIGNATURE_X, y, Gothic, 8.0, label);
        let lines = wrap(value.trim(), Mincho, size, width);
        for line in &lines {
            page.text(value_x, y, Mincho, size, line.clone());
            y += 4.6;
        }
        if lines.is_empty() {
            y += 4.6;
        }
    };
    row(&mut page, "医療機関名", &c.clinic, 10.5);
    let address = if c.postal_code.trim().is_empty() {
        c.address.trim().to_string()
    } else {
        format!("〒{}　{}", c.postal_code.trim(), c.address.trim())
    };
    row(&mut page, "住所", &address, 9.5);
    let phone = if c.fax.trim().is_empty() {
        c.phone.trim().to_string()
    } else {
        format!("{}　（ＦＡＸ）{}", c.phone.trim(), c.fax.trim())
    };
    row(&mut page, "電話", &phone, 9.5);
    let y = y + 2.0;
    page.text(SIGNATURE_X, y, Gothic, 8.0, "医師氏名");
    let doctor_lines = wrap(c.doctor.trim(), Mincho, 12.0, width - 12.0);
    let mut doctor_y = y;
    for line in &doctor_lines {
        page.text(value_x, doctor_y, Mincho, 12.0, line.clone());
        doctor_y += 5.6;
    }
    let seal_x = RIGHT - 4.0;
    page.items.push(Item::Circle {
        cx: seal_x,
        cy: y - 1.4,
        r: 3.6,
        width_pt: THIN_PT,
    });
    page.text_centered(seal_x, y - 0.1, Mincho, 8.0, "印");

    // The station, bottom left, level with the doctor's name.
    let station = format!("{}　殿", form.order.station.trim());
    let lines = wrap(&station, Mincho, 12.0, SIGNATURE_X - LEFT - 6.0);
    let mut station_y = y.max(16.0 + 6.0 * lines.len().saturating_sub(1) as f32)
        - 6.0 * lines.len().saturating_sub(1) as f32;
    for line in lines {
        page.text(LEFT, station_y, Mincho, 12.0, line);
        station_y += 6.0;
    }
    page.line(
        LEFT,
        station_y - 4.5,
        SIGNATURE_X - 6.0,
        station_y - 4.5,
        THIN_PT,
    );
    page
}

/// The top of a 続紙: which order and patient it belongs to.
fn continuation_header(page: &mut Page, form: &NursingOrderForm) -> f32 {
    let title = format!("{}（続紙）", form.kind().label_ja());
    page.text(LEFT, TOP + 6.0, Gothic, 12.0, title);
    let who = format!(
        "患者氏名　{}　　{}",
        form.patient.name.trim(),
        wareki(form.order.issued_on)
    );
    // A name too long for the header is cut here: the first page has it.
    let who = wrap(&who, Mincho, BODY_PT, 100.0)
        .into_iter()
        .next()
        .unwrap_or_default();
    page.text_right(RIGHT, TOP + 6.0, Mincho, BODY_PT, &who);
    page.line(LEFT, TOP + 9.0, RIGHT, TOP + 9.0, THIN_PT);
    TOP + 13.0
}

/// Page numbers once the count is known, and the clinic on every 続紙.
fn finish_pages(pages: &mut [Page], form: &NursingOrderForm) {
    let count = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        if count > 1 {
            let number = format!("{}/{}", i + 1, count);
            page.text_centered(A4_WIDTH_MM / 2.0, FOOTER_BASELINE, Mincho, 9.0, &number);
        }
        if i > 0 {
            page.text(
                LEFT,
                FOOTER_BASELINE,
                Mincho,
                8.0,
                form.clinic.clinic.clone(),
            );
        }
    }
}
