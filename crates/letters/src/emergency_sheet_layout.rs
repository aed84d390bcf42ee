//! The emergency sheet on its one page, in the letters' margins, fonts and
//! rules: most urgent first — who the patient is, whether CPR is wanted,
//! whom to call — then the illnesses, medicines, allergies and devices,
//! then the rest of the 人生会議's wishes, and at the bottom the day the
//! sheet speaks for. Every box has a most number of lines
//! (`emergency_sheet_text`), and the most of every box together fits
//! above the footer, so the sheet is one page whatever it is given.

use tsunagu_domain::acp::{Treatment, Wish};
use tsunagu_domain::format_birth_date;

use crate::emergency_sheet::{EmergencySheet, SheetWishes};
use crate::emergency_sheet_text::{COLUMN_GAP, fit_prose, fit_value, two_columns};
use crate::fonts::FontKind::{Gothic, Mincho};
use crate::layout::{
    LABEL_LINE, LABEL_PT, LABEL_WIDTH, LEFT, PAD_X, RIGHT, RULE_PT, THIN_PT, TOP, baseline, mm,
    wareki, wrap,
};
use crate::linebreak::Line;
use crate::page::{A4_HEIGHT_MM, A4_WIDTH_MM, PT_PER_MM, Page};

const TITLE: &str = "救急医療情報";
const SUBTITLE: &str = "救急隊・医療機関の方へ";
const NO_ACP: &str = "人生会議の記録はありません";
/// What an empty value prints: never a blank that could pass for 「なし」.
const NOT_RECORDED: &str = "（記録なし）";
const FOR_THE_FAMILY: &str =
    "ご家族の方へ：冷蔵庫の扉や電話のそばなど、救急隊の目につく場所に保管してください。";

/// The sheet's values: a little smaller than the letters' 10 pt, as the
/// sheet holds on one page what a letter spreads over its boxes.
const VALUE_PT: f32 = 9.5;
/// What must be read first (phones, the name) is larger.
const PHONE_PT: f32 = 11.0;
const NAME_PT: f32 = 14.0;
const KANA_PT: f32 = 8.5;
/// Column heads of the contacts' table.
const HEAD_PT: f32 = 7.5;
/// The least a label is set at to keep to one line.
const MIN_LABEL_PT: f32 = 8.0;
/// Space above and below a row's lines: as the 訪問看護指示書's, which
/// also packs a form onto one page.
const PAD_Y: f32 = 1.0;
/// Between the blocks: at least, and at most when the page has room.
const MIN_GAP: f32 = 1.5;
const MAX_GAP: f32 = 6.0;
/// Where the footer's last line sits, as on the letters.
const FOOTER_BASELINE: f32 = A4_HEIGHT_MM - 10.0;
const FOOTER_LINE: f32 = 4.6;
/// 「この内容は…時点のものです」, the footer's first line.
const AS_OF_PT: f32 = 9.5;
/// The frame of the CPR box when CPR is declined: the line a crew must not
/// miss.
const DNAR_RULE_PT: f32 = 2.0;

/// Second column of a two-column row (性別, 電話), as on the 指示書.
const SECOND_COLUMN_X: f32 = RIGHT - 62.0;
const SECOND_LABEL_WIDTH: f32 = 16.0;
/// The contacts' table: 名称・氏名 | 電話 | 夜間・休日.
const PHONE_X: f32 = RIGHT - 80.0;
const NIGHT_X: f32 = RIGHT - 40.0;

/// The most lines of each box (see the module's comment); a list's are
/// rows of its two columns: 8 病名, 16 薬, 6 医療機器・処置. Together at
/// their most they end above the footer (the test
/// `every_list_at_its_most_keeps_to_one_page_and_past_it_says_how_many`
/// lays out a sheet with every box full).
const MAX_NAME_LINES: usize = 2;
const MAX_ADDRESS_LINES: usize = 2;
const MAX_CONTACT_LINES: usize = 2;
const MAX_PHONE_LINES: usize = 2;
const MAX_PROBLEM_ROWS: usize = 4;
const MAX_MEDICATION_ROWS: usize = 8;
const MAX_DEVICE_ROWS: usize = 3;
const MAX_ALLERGY_LINES: usize = 2;
const MAX_NOTE_LINES: usize = 2;
const MAX_PLACE_LINES: usize = 1;
const MAX_VALUES_LINES: usize = 3;

/// Lines of `size` pt text this far apart.
fn pitch(size: f32) -> f32 {
    mm(size) * 1.4
}

fn content_x() -> f32 {
    LEFT + LABEL_WIDTH + PAD_X
}

/// The width of a full row's content column.
pub(crate) fn content_width() -> f32 {
    RIGHT - content_x() - PAD_X
}

/// Lays out a checked sheet (see [`EmergencySheet::check`]): one page.
pub fn layout_emergency_sheet(sheet: &EmergencySheet) -> Page {
    let mut page = Page::default();
    let top = heading(&mut page, sheet);
    let blocks = [
        identity(sheet),
        cpr(sheet.wishes.as_ref()),
        contacts(sheet),
        medical(sheet),
        wishes(sheet.wishes.as_ref()),
    ];
    let footer = footer(sheet);
    let footer_top = FOOTER_BASELINE - 2.0 * FOOTER_LINE - mm(AS_OF_PT);
    let natural: f32 = blocks.iter().map(|b| b.height).sum();
    let gaps = blocks.len() as f32;
    let gap = ((footer_top - top - natural) / gaps).clamp(MIN_GAP, MAX_GAP);
    let mut y = top;
    for block in blocks {
        let height = block.height;
        page.place(block.page, y);
        y += height + gap;
    }
    page.items.extend(footer.items);
    page
}

/// A part of the sheet laid out from y = 0, placed once all heights are
/// known.
struct Block {
    page: Page,
    height: f32,
}

impl Block {
    fn new() -> Block {
        Block {
            page: Page::default(),
            height: 0.0,
        }
    }

    /// Frames what has been added (the block's rows draw their own rules
    /// between them).
    fn framed(mut self, width_pt: f32) -> Block {
        self.page
            .frame(LEFT, 0.0, RIGHT - LEFT, self.height, width_pt);
        self
    }
}

/// Title, subtitle and 作成日: returns where the blocks start.
fn heading(page: &mut Page, sheet: &EmergencySheet) -> f32 {
    page.text_centered(A4_WIDTH_MM / 2.0, TOP + 6.5, Gothic, 20.0, TITLE);
    page.text_centered(A4_WIDTH_MM / 2.0, TOP + 12.5, Gothic, 11.0, SUBTITLE);
    let made = format!("作成日　{}", wareki(sheet.made_on));
    page.text_right(RIGHT, TOP + 12.5, Mincho, 10.0, &made);
    TOP + 15.5
}

/// A value of a row, in Mincho as the letters' values are: its lines and
/// their size.
struct Value {
    lines: Vec<String>,
    size: f32,
}

impl Value {
    fn fitted(text: &str, size: f32, width: f32, max_lines: usize) -> Value {
        let text = if text.trim().is_empty() {
            NOT_RECORDED
        } else {
            text
        };
        Value {
            lines: fit_value(text, Mincho, size, width, max_lines),
            size,
        }
    }

    /// What is read first (the name, the phones) on one line at `size`,
    /// set smaller when long (down to the values' size) and only then on
    /// more lines: a long value does not make its row taller than it must.
    fn large(text: &str, size: f32, width: f32, max_lines: usize) -> Value {
        let mut size = size;
        while size > VALUE_PT && !text.trim().is_empty() {
            if Mincho.width(text.trim(), size) <= width * PT_PER_MM {
                return Value::fitted(text, size, width, 1);
            }
            size -= 0.5;
        }
        Value::fitted(text, VALUE_PT, width, max_lines)
    }

    fn height(&self) -> f32 {
        self.lines.len().max(1) as f32 * pitch(self.size)
    }

    fn draw(&self, page: &mut Page, x: f32, top: f32) {
        for (i, line) in self.lines.iter().enumerate() {
            let y = baseline(top + PAD_Y, i, pitch(self.size), self.size);
            page.text(x, y, Mincho, self.size, line.clone());
        }
    }
}

/// A label in its column, its lines centred on the row's height.
fn label(page: &mut Page, x: f32, top: f32, height: f32, text: &str, size: f32) {
    let size = label_size(text, size);
    let lines = wrap(text, Gothic, size, LABEL_WIDTH - 2.0 * PAD_X);
    let line = if size > LABEL_PT {
        pitch(size)
    } else {
        LABEL_LINE
    };
    let first = top + (height - lines.len() as f32 * line) / 2.0;
    for (i, text) in lines.into_iter().enumerate() {
        page.text(
            x + PAD_X,
            baseline(first, i, line, size),
            Gothic,
            size,
            text,
        );
    }
}

fn label_height(text: &str) -> f32 {
    let size = label_size(text, LABEL_PT);
    wrap(text, Gothic, size, LABEL_WIDTH - 2.0 * PAD_X).len() as f32 * LABEL_LINE
}

/// A one-line label a little too wide for its column (最期を迎える場所) is
/// set a little smaller rather than broken, which would make its row
/// taller than its one line of value.
fn label_size(text: &str, size: f32) -> f32 {
    let room = (LABEL_WIDTH - 2.0 * PAD_X) * PT_PER_MM;
    let natural = Gothic.width(text, size);
    if text.contains('\n') || natural <= room {
        return size;
    }
    let shrunk = size * room / natural;
    if shrunk >= MIN_LABEL_PT { shrunk } else { size }
}

/// A row's label, the rule after the label column and the rule above the
/// row (the block's frame is the first row's).
fn row_rules(page: &mut Page, top: f32, height: f32, label_text: &str) {
    label(page, LEFT, top, height, label_text, LABEL_PT);
    page.line(
        LEFT + LABEL_WIDTH,
        top,
        LEFT + LABEL_WIDTH,
        top + height,
        THIN_PT,
    );
    if top > 0.0 {
        page.line(LEFT, top, RIGHT, top, THIN_PT);
    }
}

/// A ruled row of the label column and a value, with optionally a second
/// label and value on the right; adds it under what the block holds.
fn two_column_row(block: &mut Block, first: (&str, Value), second: Option<(&str, Value)>) {
    let top = block.height;
    let value_height = first
        .1
        .height()
        .max(second.as_ref().map_or(0.0, |(_, v)| v.height()));
    let height = (value_height + 2.0 * PAD_Y).max(label_height(first.0) + 2.0 * PAD_Y);
    let page = &mut block.page;
    row_rules(page, top, height, first.0);
    // Each value centred on the row, as its label is.
    let centred = |value: &Value| top + (height - 2.0 * PAD_Y - value.height()) / 2.0;
    first.1.draw(page, content_x(), centred(&first.1));
    if let Some((second_label, value)) = second {
        let value_x = SECOND_COLUMN_X + SECOND_LABEL_WIDTH;
        page.line(SECOND_COLUMN_X, top, SECOND_COLUMN_X, top + height, THIN_PT);
        page.line(value_x, top, value_x, top + height, THIN_PT);
        label(page, SECOND_COLUMN_X, top, height, second_label, LABEL_PT);
        value.draw(page, value_x + PAD_X, centred(&value));
    }
    block.height = top + height;
}

/// Width of the first value of a two-column row.
fn first_width() -> f32 {
    SECOND_COLUMN_X - content_x() - PAD_X
}

fn second_width() -> f32 {
    RIGHT - SECOND_COLUMN_X - SECOND_LABEL_WIDTH - 2.0 * PAD_X
}

/// ふりがな, 氏名 and 性別, 生年月日 and 電話, 住所.
fn identity(sheet: &EmergencySheet) -> Block {
    let p = &sheet.patient;
    let mut block = Block::new();
    let kana = Value::fitted(&p.kana, KANA_PT, first_width(), 1);
    two_column_row(&mut block, ("ふりがな", kana), None);
    let name = Value::large(&p.name, NAME_PT, first_width(), MAX_NAME_LINES);
    let sex = Value::fitted(p.sex.label_ja(), VALUE_PT, second_width(), 1);
    two_column_row(&mut block, ("氏名", name), Some(("性別", sex)));
    let birth = format_birth_date(p.birth_date, sheet.made_on);
    let birth = Value::fitted(&birth, VALUE_PT, first_width(), 1);
    let phone = Value::large(&p.phone, PHONE_PT, second_width(), 1);
    two_column_row(&mut block, ("生年月日", birth), Some(("電話", phone)));
    let address = Value::fitted(&p.address, VALUE_PT, content_width(), MAX_ADDRESS_LINES);
    two_column_row(&mut block, ("住所", address), None);
    block.framed(RULE_PT)
}

/// 心肺蘇生: the answer large, in Gothic like a heading so that it is read
/// before anything else; declined (DNAR) in a heavy frame.
fn cpr(wishes: Option<&SheetWishes>) -> Block {
    let height = 12.0;
    let mut block = Block::new();
    block.height = height;
    let page = &mut block.page;
    label(page, LEFT, 0.0, height, "心肺蘇生", 11.0);
    page.line(LEFT + LABEL_WIDTH, 0.0, LEFT + LABEL_WIDTH, height, THIN_PT);
    let Some(wishes) = wishes else {
        let y = baseline(0.0, 0, height, 12.0);
        page.text(content_x(), y, Mincho, 12.0, NO_ACP);
        return block.framed(RULE_PT);
    };
    let wish = wishes.wish(Treatment::Cpr);
    let size = if wish == Wish::Declines { 18.0 } else { 15.0 };
    let y = baseline(0.0, 0, height, size);
    page.text(content_x(), y, Gothic, size, wish.cpr_label_ja());
    let source = format!("{}の人生会議の記録による", wareki(wishes.held_on));
    page.text_right(RIGHT - PAD_X, y, Mincho, 8.5, &source);
    let rule = if wish == Wish::Declines {
        DNAR_RULE_PT
    } else {
        RULE_PT
    };
    block.framed(rule)
}

/// One line of the contacts' table: its label, then who, the phone and the
/// night number (or one value across both phone columns).
struct Contact {
    label: &'static str,
    who: Vec<Value>,
    phone: Value,
    night: Option<Value>,
}

fn contact_phone(text: &str, width: f32) -> Value {
    Value::large(text, PHONE_PT, width, MAX_PHONE_LINES)
}

/// かかりつけ医 with its 夜間・休日 number, 訪問看護, 代理意思決定者: who
/// to call, in a table whose columns line the numbers up.
fn contacts(sheet: &EmergencySheet) -> Block {
    let who_width = PHONE_X - content_x() - PAD_X;
    let phone_width = NIGHT_X - PHONE_X - 2.0 * PAD_X;
    let night_width = RIGHT - NIGHT_X - 2.0 * PAD_X;
    let c = &sheet.clinic;
    let doctor = format!("医師　{}", c.doctor.trim());
    let mut rows = vec![Contact {
        label: "かかりつけ医",
        who: vec![
            Value::fitted(&c.name, 10.0, who_width, MAX_CONTACT_LINES),
            Value::fitted(&doctor, 10.0, who_width, 1),
        ],
        phone: contact_phone(&c.phone, phone_width),
        night: Some(contact_phone(&c.after_hours_phone, night_width)),
    }];
    rows.push(match &sheet.nursing_station {
        Some(s) => Contact {
            label: "訪問看護",
            who: vec![Value::fitted(&s.name, 10.0, who_width, MAX_CONTACT_LINES)],
            phone: contact_phone(&s.phone, phone_width),
            night: Some(contact_phone(&s.after_hours_phone, night_width)),
        },
        None => Contact {
            label: "訪問看護",
            who: vec![Value::fitted("", 10.0, who_width, 1)],
            phone: Value::fitted("", VALUE_PT, phone_width, 1),
            night: Some(Value::fitted("", VALUE_PT, night_width, 1)),
        },
    });
    let both_phones = RIGHT - PHONE_X - 2.0 * PAD_X;
    rows.push(match &sheet.surrogate {
        Some(s) => {
            let relation = s.relation.trim();
            let who = if relation.is_empty() {
                s.name.trim().to_string()
            } else {
                format!("{}（{relation}）", s.name.trim())
            };
            Contact {
                label: "代理意思決定者",
                who: vec![Value::fitted(&who, 10.0, who_width, MAX_CONTACT_LINES)],
                phone: contact_phone(&s.phone, both_phones),
                night: None,
            }
        }
        None => Contact {
            label: "代理意思決定者",
            who: vec![Value::fitted("", 10.0, who_width, 1)],
            phone: Value::fitted("", VALUE_PT, both_phones, 1),
            night: None,
        },
    });

    let mut block = Block::new();
    let head = 4.5;
    let page = &mut block.page;
    for (x, text) in [
        (content_x(), "名称・氏名"),
        (PHONE_X + PAD_X, "電話"),
        (NIGHT_X + PAD_X, "夜間・休日の連絡先"),
    ] {
        page.text(x, baseline(0.0, 0, head, HEAD_PT), Gothic, HEAD_PT, text);
    }
    page.line(LEFT + LABEL_WIDTH, head, RIGHT, head, THIN_PT);
    let mut y = head;
    for row in rows {
        let who_height: f32 = row.who.iter().map(Value::height).sum();
        let height = who_height
            .max(row.phone.height())
            .max(row.night.as_ref().map_or(0.0, Value::height))
            + 2.0 * PAD_Y;
        label(page, LEFT, y, height, row.label, LABEL_PT);
        let mut who_y = y;
        for value in &row.who {
            value.draw(page, content_x(), who_y);
            who_y += value.height();
        }
        page.line(PHONE_X, y, PHONE_X, y + height, THIN_PT);
        row.phone.draw(page, PHONE_X + PAD_X, y);
        if let Some(night) = &row.night {
            page.line(NIGHT_X, y, NIGHT_X, y + height, THIN_PT);
            night.draw(page, NIGHT_X + PAD_X, y);
        }
        page.line(LEFT, y, RIGHT, y, THIN_PT);
        y += height;
    }
    page.line(PHONE_X, 0.0, PHONE_X, head, THIN_PT);
    page.line(NIGHT_X, 0.0, NIGHT_X, head, THIN_PT);
    page.line(LEFT + LABEL_WIDTH, 0.0, LEFT + LABEL_WIDTH, y, THIN_PT);
    block.height = y;
    block.framed(RULE_PT)
}

/// A row holding a two-column list, or 「（記録なし）」.
fn list_row(block: &mut Block, label_text: &str, items: &[String], max_rows: usize) {
    let column_width = (content_width() - COLUMN_GAP) / 2.0;
    let list = two_columns(items, VALUE_PT, column_width, max_rows);
    if list.lines.is_empty() {
        let value = Value::fitted("", VALUE_PT, content_width(), 1);
        two_column_row(block, (label_text, value), None);
        return;
    }
    let top = block.height;
    let line = pitch(VALUE_PT);
    let height = (list.rows as f32 * line).max(label_height(label_text)) + 2.0 * PAD_Y;
    let page = &mut block.page;
    row_rules(page, top, height, label_text);
    for l in list.lines {
        let x = content_x() + l.column as f32 * (column_width + COLUMN_GAP) + l.indent;
        let y = baseline(top + PAD_Y, l.row, line, l.size);
        page.text(x, y, l.font, l.size, l.text);
    }
    block.height = top + height;
}

/// A row of free text, justified as the letters' free-text boxes are.
fn prose_row(block: &mut Block, label_text: &str, text: &str, max_lines: usize) {
    if text.trim().is_empty() {
        let value = Value::fitted("", VALUE_PT, content_width(), 1);
        two_column_row(block, (label_text, value), None);
        return;
    }
    let lines: Vec<Line> = fit_prose(text, VALUE_PT, content_width(), max_lines);
    let top = block.height;
    let line = pitch(VALUE_PT);
    let height = (lines.len() as f32 * line).max(label_height(label_text)) + 2.0 * PAD_Y;
    let page = &mut block.page;
    row_rules(page, top, height, label_text);
    for (i, l) in lines.into_iter().enumerate() {
        let y = baseline(top + PAD_Y, i, line, VALUE_PT);
        if l.justify {
            page.text_justified(content_x(), y, Mincho, VALUE_PT, l.text, content_width());
        } else {
            page.text(content_x(), y, Mincho, VALUE_PT, l.text);
        }
    }
    block.height = top + height;
}

/// 主な病名, 服用中の薬, アレルギー, 医療機器・処置.
fn medical(sheet: &EmergencySheet) -> Block {
    let mut block = Block::new();
    list_row(&mut block, "主な病名", &sheet.problems, MAX_PROBLEM_ROWS);
    list_row(
        &mut block,
        "服用中の薬",
        &sheet.medications,
        MAX_MEDICATION_ROWS,
    );
    prose_row(
        &mut block,
        "アレルギー",
        &sheet.allergies,
        MAX_ALLERGY_LINES,
    );
    list_row(
        &mut block,
        "医療機器・処置",
        &sheet.devices,
        MAX_DEVICE_ROWS,
    );
    block.framed(RULE_PT)
}

/// The rest of the 人生会議's wishes: the day, each treatment's answer in a
/// row of cells, the places and 大切にしていること; or one plain line that
/// there is no record.
fn wishes(wishes: Option<&SheetWishes>) -> Block {
    let mut block = Block::new();
    let Some(w) = wishes else {
        let value = Value {
            lines: vec![NO_ACP.to_string()],
            size: 10.5,
        };
        two_column_row(&mut block, ("人生会議", value), None);
        return block.framed(RULE_PT);
    };
    let held = Value::fitted(&wareki(w.held_on), VALUE_PT, content_width(), 1);
    two_column_row(&mut block, ("人生会議の日", held), None);
    treatments_row(&mut block, w);
    if !w.treatments_note.trim().is_empty() {
        prose_row(&mut block, "治療の補足", &w.treatments_note, MAX_NOTE_LINES);
    }
    for (label_text, text) in [
        ("療養の場所", &w.place_of_care),
        ("最期を迎える場所", &w.place_of_death),
    ] {
        let value = Value::fitted(text, VALUE_PT, content_width(), MAX_PLACE_LINES);
        two_column_row(&mut block, (label_text, value), None);
    }
    prose_row(
        &mut block,
        "大切にして\nいること",
        &w.values,
        MAX_VALUES_LINES,
    );
    block.framed(RULE_PT)
}

/// Every treatment but CPR (printed first, apart) in a cell of its own:
/// its name above, the answer below.
fn treatments_row(block: &mut Block, w: &SheetWishes) {
    let treatments: Vec<Treatment> = Treatment::ALL
        .into_iter()
        .filter(|t| *t != Treatment::Cpr)
        .collect();
    let top = block.height;
    let name_line = 4.0;
    let height = name_line + pitch(10.0) + 2.0 * PAD_Y;
    let cell = (RIGHT - LEFT - LABEL_WIDTH) / treatments.len().max(1) as f32;
    let page = &mut block.page;
    label(page, LEFT, top, height, "治療の希望", LABEL_PT);
    for (i, treatment) in treatments.into_iter().enumerate() {
        let x = LEFT + LABEL_WIDTH + i as f32 * cell;
        page.line(x, top, x, top + height, THIN_PT);
        let name = fit_value(treatment.label_ja(), Gothic, HEAD_PT, cell - 2.0, 1);
        let center = x + cell / 2.0;
        for text in name {
            let y = baseline(top + PAD_Y, 0, name_line, HEAD_PT);
            page.text_centered(center, y, Gothic, HEAD_PT, &text);
        }
        let answer = w.wish(treatment).label_ja();
        let y = baseline(top + PAD_Y + name_line, 0, pitch(10.0), 10.0);
        page.text_centered(center, y, Mincho, 10.0, answer);
    }
    page.line(LEFT, top, RIGHT, top, THIN_PT);
    block.height = top + height;
}

/// The day the sheet speaks for and where to ask, who made it, and a word
/// to the family on where to keep it; set up from the bottom margin.
fn footer(sheet: &EmergencySheet) -> Page {
    let mut page = Page::default();
    let as_of = format!(
        "この内容は{}時点のものです。最新の内容はかかりつけ医に確認してください。",
        wareki(sheet.made_on)
    );
    let y = FOOTER_BASELINE - 2.0 * FOOTER_LINE;
    page.text(LEFT, y, Gothic, AS_OF_PT, as_of);
    let made_by = fit_value(
        &format!(
            "作成者　{}（{}）",
            sheet.made_by.trim(),
            sheet.clinic.name.trim()
        ),
        Mincho,
        9.0,
        RIGHT - LEFT,
        1,
    );
    for text in made_by {
        page.text(LEFT, y + FOOTER_LINE, Mincho, 9.0, text);
    }
    page.text(LEFT, FOOTER_BASELINE, Gothic, 7.5, FOR_THE_FAMILY);
    page
}
