//! The forms: where everything goes on the A4 page, and how sections too
//! long for one page continue on the next (続紙) without losing a line.

use chrono::NaiveDate;
use qrcode::{Color, EcLevel, QrCode};
use tsunagu_domain::{Sex, TrackingCode, format_birth_date};

use tsunagu_domain::lab_results::LabResult;

use crate::fonts::FontKind::{self, Gothic, Mincho};
use crate::lab_table::LabTable;
use crate::linebreak::{Line, break_lines, break_paragraph};
use crate::model::{DischargeLetter, Header, Letter, ReferralLetter};
use crate::page::{A4_HEIGHT_MM, A4_WIDTH_MM, Item, PT_PER_MM, Page};

// The measures are shared with the consent form, so the two look alike.
pub(crate) const LEFT: f32 = 15.0;
pub(crate) const RIGHT: f32 = A4_WIDTH_MM - 15.0;
pub(crate) const TOP: f32 = 12.0;
/// Sections stop here on the first page of a letter with a tracking code,
/// which sits below them.
const BOTTOM_ABOVE_TRACKING: f32 = A4_HEIGHT_MM - 36.0;
const BOTTOM: f32 = A4_HEIGHT_MM - 18.0;
pub(crate) const FOOTER_BASELINE: f32 = A4_HEIGHT_MM - 10.0;

pub(crate) const BODY_PT: f32 = 10.0;
pub(crate) const BODY_LINE: f32 = 5.0;
pub(crate) const LABEL_PT: f32 = 9.0;
pub(crate) const LABEL_LINE: f32 = 4.2;
pub(crate) const LABEL_WIDTH: f32 = 30.0;
pub(crate) const PAD_X: f32 = 2.5;
pub(crate) const PAD_Y: f32 = 1.6;
pub(crate) const RULE_PT: f32 = 0.6;
pub(crate) const THIN_PT: f32 = 0.35;
/// A section split across pages keeps at least this many lines together.
const MIN_SPLIT_LINES: usize = 2;
const QR_SIZE: f32 = 20.0;
/// Between a section's text and its lab results table.
const TABLE_GAP: f32 = 1.5;
/// The title of the pages the lab results go to when they do not fit in
/// their section.
const LAB_PAGES_TITLE: &str = "検査結果（別紙）";
/// What the section's label adds when they are there: in the label
/// column, which has room for it, so the letter grows by no line.
const LAB_PAGES_NOTE: &str = "（検査結果は\n別紙参照）";

/// Lays out a checked letter (see [`Letter::check`]).
pub fn layout(letter: &Letter) -> Vec<Page> {
    let form = Form::of(letter);
    let mut pages = vec![Page::default()];
    let y = first_page_header(&mut pages[0], letter, &form);
    let on_attached_pages = flow_sections(&mut pages, y, letter.header(), &form);
    if on_attached_pages {
        attach_lab_pages(&mut pages, letter.header(), &form.lab_results);
    }
    finish_pages(&mut pages, letter, &form);
    pages
}

/// What differs between the referral and the discharge letter.
struct Form {
    title: &'static str,
    continuation_title: &'static str,
    sections: Vec<Section>,
    tracking: Option<TrackingCode>,
    lab_results: Vec<LabResult>,
    /// The section the lab results table sits in.
    lab_section: &'static str,
}

struct Section {
    /// `\n` marks where a long label breaks in its column.
    label: &'static str,
    paragraphs: Vec<String>,
    min_lines: usize,
    /// Takes a share of the page's spare height on a one-page letter, as
    /// the boxes of the printed form do.
    stretch: bool,
}

fn section(label: &'static str, text: &str, min_lines: usize, stretch: bool) -> Section {
    Section {
        label,
        paragraphs: text.lines().map(str::to_string).collect(),
        min_lines,
        stretch,
    }
}

fn list(label: &'static str, items: &[String], min_lines: usize) -> Section {
    Section {
        label,
        paragraphs: items
            .iter()
            .filter(|item| !item.trim().is_empty())
            .flat_map(|item| item.lines())
            .map(str::to_string)
            .collect(),
        min_lines,
        stretch: false,
    }
}

impl Form {
    fn of(letter: &Letter) -> Form {
        match letter {
            Letter::Referral(l) => Form::referral(l),
            Letter::Discharge(l) => Form::discharge(l),
        }
    }

    fn referral(l: &ReferralLetter) -> Form {
        let mut sections = vec![
            list("傷病名", &l.diagnoses, 3),
            section("紹介目的", &l.purpose, 2, false),
            section("既往歴及び\n家族歴", &l.history, 2, false),
            section("症状経過及び\n検査結果", &l.course, 4, true),
            section("治療経過", &l.treatment, 3, true),
            list("現在の処方", &l.prescriptions, 3),
            section("備考", &l.remarks, 2, true),
        ];
        if l.enclosures.iter().any(|e| !e.trim().is_empty()) {
            sections.push(list("添付資料", &l.enclosures, 1));
        }
        Form {
            title: "診療情報提供書",
            continuation_title: "診療情報提供書（続紙）",
            sections,
            tracking: l
                .tracking_code
                .as_deref()
                .and_then(|c| TrackingCode::parse(c).ok()),
            lab_results: l.lab_results.clone(),
            lab_section: "症状経過及び\n検査結果",
        }
    }

    fn discharge(l: &DischargeLetter) -> Form {
        let days = (l.discharged_on - l.admitted_on).num_days() + 1;
        let stay = format!(
            "{}　～　{}（{days}日間）",
            wareki(l.admitted_on),
            wareki(l.discharged_on)
        );
        Form {
            title: "診療情報提供書（退院時サマリー）",
            continuation_title: "診療情報提供書（退院時サマリー・続紙）",
            sections: vec![
                section("入院期間", &stay, 1, false),
                section("入院理由", &l.reason, 1, false),
                list("入院時診断", &l.admission_diagnoses, 1),
                section("主訴", &l.chief_complaint, 1, false),
                section("現病歴", &l.present_illness, 2, true),
                section("入院中経過", &l.hospital_course, 3, true),
                list("退院時診断", &l.discharge_diagnoses, 2),
                list("退院時処方", &l.discharge_prescriptions, 2),
                section("退院後の方針", &l.plan, 2, true),
                section("連絡先", &l.contact, 1, false),
            ],
            tracking: None,
            lab_results: l.lab_results.clone(),
            lab_section: "入院中経過",
        }
    }
}

pub(crate) fn wareki(date: NaiveDate) -> String {
    tsunagu_domain::format_wareki(date)
}

pub(crate) fn mm(pt: f32) -> f32 {
    pt / PT_PER_MM
}

/// Baseline of line `i` of text of `size_pt` in lines `line` mm apart
/// starting at `top`: the glyphs sit centred in their line.
pub(crate) fn baseline(top: f32, i: usize, line: f32, size_pt: f32) -> f32 {
    top + i as f32 * line + (line - mm(size_pt)) / 2.0 + mm(size_pt) * 0.88
}

pub(crate) fn wrap(text: &str, font: FontKind, size_pt: f32, width_mm: f32) -> Vec<String> {
    let advance = |c| font.advance(c, size_pt);
    text.lines()
        .flat_map(|p| break_paragraph(p, width_mm * PT_PER_MM, &advance))
        .collect()
}

/// [`wrap`] for a free-text box: each line says whether it is justified.
fn wrap_lines(text: &str, font: FontKind, size_pt: f32, width_mm: f32) -> Vec<Line> {
    let advance = |c| font.advance(c, size_pt);
    text.lines()
        .flat_map(|p| break_lines(p, width_mm * PT_PER_MM, &advance))
        .collect()
}

/// Title, date, addressee, sender and patient: returns where sections start.
fn first_page_header(page: &mut Page, letter: &Letter, form: &Form) -> f32 {
    let h = letter.header();
    page.text(LEFT, TOP + 3.0, Gothic, 8.0, "別紙様式11");
    page.text_centered(A4_WIDTH_MM / 2.0, TOP + 12.0, Gothic, 18.0, form.title);
    let mut date = wareki(h.issued_on);
    if h.version > 1 {
        date = format!("（第{}版・訂正）　{date}", h.version);
    }
    page.text_right(RIGHT, TOP + 21.0, Mincho, BODY_PT, &date);

    // Addressee, left half.
    let addressee_width = 92.0;
    let mut y = TOP + 27.0;
    for line in wrap(&h.to.institution, Mincho, 13.0, addressee_width) {
        page.text(LEFT, y + 5.0, Mincho, 13.0, line);
        y += 6.2;
    }
    for line in wrap(&h.to.salutation(), Mincho, 11.0, addressee_width) {
        page.text(LEFT, y + 5.0, Mincho, 11.0, line);
        y += 5.6;
    }
    page.line(LEFT, y + 1.5, LEFT + addressee_width, y + 1.5, THIN_PT);
    let addressee_bottom = y + 1.5;

    // Sender, right half.
    let sx = 108.0;
    let sender_width = RIGHT - sx;
    let mut y = TOP + 38.0;
    page.text(sx, y, Gothic, 7.5, "紹介元医療機関の所在地及び名称");
    y += 5.0;
    let f = &h.from;
    let mut lines = vec![format!("〒{}", f.postal_code)];
    lines.extend(wrap(&f.address, Mincho, 9.5, sender_width));
    for line in lines {
        page.text(sx, y, Mincho, 9.5, line);
        y += 4.6;
    }
    for line in wrap(&f.clinic, Mincho, 10.5, sender_width) {
        page.text(sx, y + 0.6, Mincho, 10.5, line);
        y += 5.4;
    }
    let phone = if f.fax.trim().is_empty() {
        format!("電話　{}", f.phone)
    } else {
        format!("電話　{}　　FAX　{}", f.phone, f.fax)
    };
    page.text(sx, y, Mincho, 9.5, phone);
    y += 7.0;
    page.text(sx, y, Gothic, 8.0, "医師氏名");
    page.text(sx + 14.0, y, Mincho, 12.0, f.doctor.clone());
    let seal_x = RIGHT - 4.0;
    page.items.push(Item::Circle {
        cx: seal_x,
        cy: y - 1.4,
        r: 3.6,
        width_pt: THIN_PT,
    });
    page.text_centered(seal_x, y - 0.1, Mincho, 8.0, "印");
    let sender_bottom = y + 4.0;

    patient_block(page, h, addressee_bottom.max(sender_bottom) + 3.0)
}

/// The ruled patient rows: ふりがな, 氏名 and 性別, 生年月日 with age.
fn patient_block(page: &mut Page, h: &Header, top: f32) -> f32 {
    let p = &h.patient;
    let rows = [5.5, 9.0, 7.0];
    let sex_label_x = RIGHT - 40.0;
    let mut y = top;
    let sex: &str = match Sex::from_code(&p.sex) {
        Some(sex) => sex.label_ja(),
        None => &p.sex,
    };
    let cells: [(&str, String, f32); 3] = [
        ("ふりがな", p.kana.clone(), 8.5),
        ("患者氏名", p.name.clone(), 13.0),
        (
            "生年月日",
            format_birth_date(p.birth_date, h.issued_on),
            BODY_PT,
        ),
    ];
    for (i, ((label, value, size), height)) in cells.into_iter().zip(rows).enumerate() {
        page.text(
            LEFT + PAD_X,
            baseline(y, 0, height, LABEL_PT),
            Gothic,
            LABEL_PT,
            label,
        );
        page.text(
            LEFT + LABEL_WIDTH + PAD_X,
            baseline(y, 0, height, size),
            Mincho,
            size,
            value,
        );
        if i == 1 {
            page.text(
                sex_label_x + PAD_X,
                baseline(y, 0, height, LABEL_PT),
                Gothic,
                LABEL_PT,
                "性別",
            );
            page.text(
                sex_label_x + 14.0,
                baseline(y, 0, height, BODY_PT),
                Mincho,
                BODY_PT,
                sex.to_string(),
            );
            page.line(sex_label_x, y, sex_label_x, y + height, THIN_PT);
        }
        y += height;
        if i < rows.len() - 1 {
            // ふりがな and 氏名 are one cell in the printed form: a dotted feel
            // is approximated by a thinner rule.
            page.line(LEFT, y, RIGHT, y, if i == 0 { 0.2 } else { THIN_PT });
        }
    }
    page.frame(LEFT, top, RIGHT - LEFT, y - top, RULE_PT);
    page.line(LEFT + LABEL_WIDTH, top, LEFT + LABEL_WIDTH, y, THIN_PT);
    y + 3.0
}

/// A section broken into lines, ready to place.
struct Laid {
    label_lines: Vec<String>,
    lines: Vec<Line>,
    min_lines: usize,
    stretch: bool,
    label: &'static str,
    /// The lab results, set under the text (on a one-page letter only).
    table: Option<LabTable>,
}

impl Laid {
    fn natural_height(&self) -> f32 {
        let text = self.lines.len() as f32 * BODY_LINE;
        let content = match &self.table {
            Some(table) => text + TABLE_GAP + table.height() + TABLE_GAP,
            None => text,
        };
        let body = content.max(self.min_lines as f32 * BODY_LINE);
        let label = self.label_lines.len() as f32 * LABEL_LINE;
        body.max(label) + 2.0 * PAD_Y
    }
}

fn content_width() -> f32 {
    RIGHT - LEFT - LABEL_WIDTH - 2.0 * PAD_X
}

/// Where the lab results go.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Labs {
    None,
    InTheirSection,
    OnAttachedPages,
}

fn lay_sections(form: &Form, labs: Labs) -> Vec<Laid> {
    form.sections
        .iter()
        .map(|s| {
            let ours = s.label == form.lab_section;
            let label = if ours && labs == Labs::OnAttachedPages {
                format!("{}\n{LAB_PAGES_NOTE}", s.label)
            } else {
                s.label.to_string()
            };
            Laid {
                label_lines: wrap(&label, Gothic, LABEL_PT, LABEL_WIDTH - 2.0 * PAD_X),
                lines: s
                    .paragraphs
                    .iter()
                    .flat_map(|p| wrap_lines(p, Mincho, BODY_PT, content_width()))
                    .collect(),
                min_lines: s.min_lines,
                stretch: s.stretch,
                label: s.label,
                table: (ours && labs == Labs::InTheirSection)
                    .then(|| LabTable::lay(&form.lab_results, content_width())),
            }
        })
        .collect()
}

/// Places the sections; returns whether the lab results are left for
/// attached pages: they sit in their section only when the whole letter
/// then still fits on its first page.
fn flow_sections(pages: &mut Vec<Page>, top: f32, header: &Header, form: &Form) -> bool {
    let first_bottom = if form.tracking.is_some() {
        BOTTOM_ABOVE_TRACKING
    } else {
        BOTTOM
    };
    let room = first_bottom - top;
    let natural_of = |laid: &[Laid]| laid.iter().map(Laid::natural_height).sum::<f32>();
    let (laid, attached) = if form.lab_results.is_empty() {
        (lay_sections(form, Labs::None), false)
    } else {
        let with_table = lay_sections(form, Labs::InTheirSection);
        if natural_of(&with_table) <= room {
            (with_table, false)
        } else {
            (lay_sections(form, Labs::OnAttachedPages), true)
        }
    };
    let natural = natural_of(&laid);
    if natural <= room {
        // One page: the boxes fill it, spare height shared by the
        // free-text sections, so the letter looks like the printed form.
        let stretchers = laid.iter().filter(|l| l.stretch).count().max(1) as f32;
        let extra = (room - natural) / stretchers;
        let mut y = top;
        for l in &laid {
            let height = l.natural_height() + if l.stretch { extra } else { 0.0 };
            draw_box(&mut pages[0], y, height, &l.label_lines, &l.lines);
            if let Some(table) = &l.table {
                let table_top = y + PAD_Y + l.lines.len() as f32 * BODY_LINE + TABLE_GAP;
                let x = LEFT + LABEL_WIDTH + PAD_X;
                table.draw(&mut pages[0], x, table_top, 0, table.len());
            }
            y += height;
        }
        return attached;
    }

    let mut y = top;
    let mut bottom = first_bottom;
    for l in &laid {
        let mut rest: &[Line] = &l.lines;
        let mut continued = false;
        loop {
            let label_lines = if continued {
                wrap(
                    &format!("{}\n（続き）", l.label),
                    Gothic,
                    LABEL_PT,
                    LABEL_WIDTH - 2.0 * PAD_X,
                )
            } else {
                l.label_lines.clone()
            };
            let needed_lines = rest.len().max(if continued { 1 } else { l.min_lines });
            let label_height = label_lines.len() as f32 * LABEL_LINE;
            let height = (needed_lines as f32 * BODY_LINE).max(label_height) + 2.0 * PAD_Y;
            #[expect(
                clippy::expect_used,
                reason = "layout starts the letter with one page and pages are only added"
            )]
            let page = pages.last_mut().expect("at least one page");
            if y + height <= bottom {
                draw_box(page, y, height, &label_lines, rest);
                y += height;
                break;
            }
            let fits = ((bottom - y - 2.0 * PAD_Y) / BODY_LINE).floor().max(0.0) as usize;
            let split_ok = fits >= MIN_SPLIT_LINES
                && rest.len() - fits.min(rest.len()) >= 1
                && label_height <= fits as f32 * BODY_LINE;
            if split_ok {
                let h = fits as f32 * BODY_LINE + 2.0 * PAD_Y;
                draw_box(page, y, h, &label_lines, &rest[..fits]);
                rest = &rest[fits..];
                continued = true;
            }
            let mut page = Page::default();
            y = continuation_header(&mut page, header, form.continuation_title);
            pages.push(page);
            bottom = BOTTOM;
        }
    }
    attached
}

/// The lab results across as many 別紙 pages as they need, the full
/// width of the page, the heading row repeated on each.
fn attach_lab_pages(pages: &mut Vec<Page>, header: &Header, results: &[LabResult]) {
    let table = LabTable::lay(results, RIGHT - LEFT);
    let mut from = 0;
    while from < table.len() {
        let mut page = Page::default();
        let top = continuation_header(&mut page, header, LAB_PAGES_TITLE);
        let to = from + table.rows_fitting(from, BOTTOM - top);
        table.draw(&mut page, LEFT, top, from, to);
        pages.push(page);
        from = to;
    }
}

fn draw_box(page: &mut Page, top: f32, height: f32, label_lines: &[String], lines: &[Line]) {
    page.frame(LEFT, top, RIGHT - LEFT, height, RULE_PT);
    page.line(
        LEFT + LABEL_WIDTH,
        top,
        LEFT + LABEL_WIDTH,
        top + height,
        THIN_PT,
    );
    for (i, label) in label_lines.iter().enumerate() {
        let y = baseline(top + PAD_Y, i, LABEL_LINE, LABEL_PT);
        page.text(LEFT + PAD_X, y, Gothic, LABEL_PT, label.clone());
    }
    let x = LEFT + LABEL_WIDTH + PAD_X;
    for (i, line) in lines.iter().enumerate() {
        let y = baseline(top + PAD_Y, i, BODY_LINE, BODY_PT);
        let text = line.text.clone();
        if line.justify {
            page.text_justified(x, y, Mincho, BODY_PT, text, content_width());
        } else {
            page.text(x, y, Mincho, BODY_PT, text);
        }
    }
}

/// The top of a 続紙 or 別紙: which letter and patient it belongs to.
fn continuation_header(page: &mut Page, h: &Header, title: &str) -> f32 {
    page.text(LEFT, TOP + 6.0, Gothic, 12.0, title);
    let who = format!("患者氏名　{}　　{}", h.patient.name, wareki(h.issued_on));
    page.text_right(RIGHT, TOP + 6.0, Mincho, BODY_PT, &who);
    page.line(LEFT, TOP + 9.0, RIGHT, TOP + 9.0, THIN_PT);
    TOP + 13.0
}

/// Page numbers once the count is known, the clinic on every page, and the
/// tracking code: with its QR code on the first page, as text on the rest.
fn finish_pages(pages: &mut [Page], letter: &Letter, form: &Form) {
    let count = pages.len();
    let clinic = &letter.header().from.clinic;
    for (i, page) in pages.iter_mut().enumerate() {
        if count > 1 {
            let number = format!("{}/{}", i + 1, count);
            page.text_centered(A4_WIDTH_MM / 2.0, FOOTER_BASELINE, Mincho, 9.0, &number);
        }
        if i > 0 {
            page.text(LEFT, FOOTER_BASELINE, Mincho, 8.0, clinic.clone());
            if let Some(code) = form.tracking {
                let text = format!("追跡コード　{code}");
                page.text_right(RIGHT, FOOTER_BASELINE, Gothic, 8.0, &text);
            }
        }
    }
    if let Some(code) = form.tracking {
        tracking_box(&mut pages[0], code);
    }
}

/// Bottom right of the first page: the code a liaison office types (or
/// scans) into the regional portal.
fn tracking_box(page: &mut Page, code: TrackingCode) {
    let qr_x = RIGHT - QR_SIZE;
    let qr_y = A4_HEIGHT_MM - 12.0 - QR_SIZE;
    draw_qr(page, &code.compact(), qr_x, qr_y, QR_SIZE);
    let text_right = qr_x - 3.0;
    page.text_right(text_right, qr_y + 5.0, Gothic, 8.0, "地域連携室の方へ");
    page.text_right(text_right, qr_y + 12.0, Gothic, 14.0, &code.to_string());
    page.text_right(
        text_right,
        qr_y + 17.0,
        Gothic,
        7.0,
        "連携ポータルの「追跡コード」に入力してください",
    );
}

fn draw_qr(page: &mut Page, data: &str, x: f32, y: f32, size: f32) {
    let Ok(code) = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M) else {
        return;
    };
    let width = code.width();
    // A quiet zone of two modules inside `size`.
    let module = size / (width + 4) as f32;
    let colors = code.to_colors();
    for row in 0..width {
        let mut col = 0;
        while col < width {
            if colors[row * width + col] == Color::Dark {
                let start = col;
                while col < width && colors[row * width + col] == Color::Dark {
                    col += 1;
                }
                page.items.push(Item::Fill {
                    x: x + (start + 2) as f32 * module,
                    y: y + (row + 2) as f32 * module,
                    w: (col - start) as f32 * module,
                    h: module,
                });
            } else {
                col += 1;
            }
        }
    }
}
