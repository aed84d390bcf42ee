//! The consent form on the page, with the letters' margins, fonts and rules
//! so that it looks like them. It is one page: its parts are laid out as
//! blocks, and only text far longer than any real name or address would
//! push a block onto a second page rather than off the bottom of the first
//! (a block is not split, so one field of thousands of characters would
//! still run off its page).

use chrono::Datelike;
use tsunagu_domain::{Sex, WarekiDate};

use crate::consent::ConsentForm;
use crate::fonts::FontKind::{Gothic, Mincho};
use crate::layout::{
    BODY_LINE, BODY_PT, LABEL_LINE, LABEL_PT, LABEL_WIDTH, LEFT, PAD_X, PAD_Y, RIGHT, RULE_PT,
    THIN_PT, TOP, baseline, mm, wareki, wrap,
};
use crate::page::{A4_HEIGHT_MM, A4_WIDTH_MM, PT_PER_MM, Page};

const TITLE: &str = "地域連携のための情報共有に関する同意書";
const CONTINUATION_TITLE: &str = "情報共有に関する同意書（続紙）";

/// The explanation and the statement above the signatures: larger than the
/// letters' body text, for elderly readers.
const PROSE_PT: f32 = 10.5;
const PROSE_LINE: f32 = 6.0;
/// Notes under a check box (the desk's name).
const NOTE_PT: f32 = 9.0;
const NOTE_LINE: f32 = 4.4;
/// Space between the parts: at least the first, normally the second, and
/// at most the third on a page with room to spare.
const MIN_GAP: f32 = 2.5;
const GAP: f32 = 4.0;
const MAX_GAP: f32 = 8.0;
const CHECK_BOX: f32 = 3.6;
/// Room to sign by hand, and more when the page has it.
const SIGN_ROW: f32 = 15.0;
const MAX_SIGN_ROW: f32 = 21.0;
/// The footer's last line ends here, in the bottom margin of the letters.
const FOOTER_BOTTOM: f32 = A4_HEIGHT_MM - 9.0;

/// What the form explains, in plain words for the patient and family.
const INTRODUCTION: &str = "　当院では、患者さんを病院へご紹介した後も、かかりつけ医として経過を見守り、退院後の暮らしを支えられるよう、医師会が管理するサーバーを通じて地域で情報を共有する仕組みを利用しています。共有するのは下の表の情報だけで、共有先は印のついている先に限ります。";
const SHARED: [&str; 3] = [
    "・お名前、ふりがな、生年月日、性別",
    "・病院へご紹介したことと、紹介先の病院",
    "・ご紹介後の経過（受付、入院、退院、転院など）",
];
const NOT_SHARED: &str =
    "紹介状に書かれた病状、検査の結果、お薬などの診療の内容は、サーバーには送りません。";
const WITHDRAWAL: &str = "この同意は、いつでも撤回できます。当院にお申し出ください。撤回した後は新しい情報を共有せず、相談窓口や紹介先の病院も、それまでに共有した情報を見られなくなります。";
const NO_DISADVANTAGE: &str = "同意されない場合や、後から撤回された場合でも、当院での診療に不利益が生じることは一切ありません。";
const STATEMENT: &str =
    "　私は、以上の説明を受けて内容を理解し、印のついている先と情報を共有することに同意します。";
const SHARE_WITH_DESK: &str = "地域の在宅医療相談窓口と共有する";
const SHARE_WITH_HOSPITAL: &str = "紹介先の病院と共有する";
const HOSPITAL_NOTE: &str = "病院が記録した受付・入院・退院などの経過を、当院で確認できます";
const SHARE_WITH_TEAM: &str =
    "在宅チーム（当院が招待した訪問看護・ケアマネジャー・薬局などの機関）と共有する";
const TEAM_NOTE: &str = "チームのタイムラインに書かれた連絡・訪問報告（体温・血圧などを含む）・写真や書類を、チームに参加している機関が見られます";
/// 事前登録: the check box's words, then where, then what it is for.
const PREREGISTRATION: &str = "地域の病院に事前登録する";
const PREREGISTERED_WITH_ALL: &str = "地域の参加病院すべて";
const PREREGISTRATION_NOTE: &str = "救急搬送などで紹介状なしに入院したとき、病院の地域連携室が氏名・生年月日で患者さんとかかりつけ医（当院）を確認できます";
/// With the team named, what is not shared says what the team does see:
/// the form must never promise less sharing than the patient agrees to.
const NOT_SHARED_WITH_TEAM: &str = "紹介状に書かれた病状、検査の結果、お薬などの診療の内容は、サーバーには送りません。ただし、在宅チームのタイムラインに書いた内容は、チームの機関と共有します。";

/// A part of the form laid out from y = 0, to be placed once the page's
/// room is known.
struct Block {
    page: Page,
    height: f32,
}

/// Lays out a checked form (see [`ConsentForm::check`]): one page unless
/// its texts are far longer than real ones.
pub fn layout_consent(form: &ConsentForm) -> Vec<Page> {
    let footer = footer(form);
    let footer_top = FOOTER_BOTTOM - footer.height;
    let bottom = footer_top - GAP;
    let mut blocks = vec![
        heading(form),
        prose(INTRODUCTION),
        explanation(form),
        patient_table(form),
    ];
    // The statement goes with what follows it, on whatever page that is.
    let statement = prose(STATEMENT);
    let gaps = blocks.len() as f32;
    let natural = blocks.iter().map(|b| b.height).sum::<f32>()
        + statement.height
        + GAP
        + 2.0 * SIGN_ROW
        + MIN_GAP * gaps;
    let spacing = Spacing::share(bottom - TOP - natural, gaps);
    let ending = match form.withdrawn_on {
        None => signatures(spacing.sign_row),
        Some(date) => withdrawn(date, spacing.sign_row),
    };
    blocks.push(stacked(statement, ending));

    let mut pages = Vec::new();
    let mut page = Page::default();
    let mut y = TOP;
    let mut first_on_page = true;
    for block in blocks {
        if !first_on_page && y + block.height > bottom {
            pages.push(std::mem::take(&mut page));
            y = continuation_header(&mut page, form);
        }
        let height = block.height;
        page.place(block.page, y);
        y += height + spacing.gap;
        first_on_page = false;
    }
    pages.push(page);

    let count = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        page.place(footer.page.clone(), footer_top);
        if count > 1 {
            let number = format!("{}/{}", i + 1, count);
            page.text_right(RIGHT, TOP - 4.0, Gothic, 8.0, &number);
        }
    }
    pages
}

/// `lower` under `upper`, as one block.
fn stacked(upper: Block, lower: Block) -> Block {
    let mut page = upper.page;
    let top = upper.height + GAP;
    page.place(lower.page, top);
    Block {
        page,
        height: top + lower.height,
    }
}

struct Spacing {
    gap: f32,
    sign_row: f32,
}

impl Spacing {
    /// Shares the height the page has beyond the form's least (`spare`,
    /// negative when the form does not fit) among the `gaps` and the two
    /// signature rows: the gaps first up to their normal size, then the
    /// rows, then the gaps again. What is left stays blank above the footer.
    fn share(spare: f32, gaps: f32) -> Spacing {
        let mut spare = spare.max(0.0);
        let mut take = |most: f32| {
            let taken = spare.min(most);
            spare -= taken;
            taken
        };
        let gap = MIN_GAP + take((GAP - MIN_GAP) * gaps) / gaps;
        let sign_row = SIGN_ROW + take(2.0 * (MAX_SIGN_ROW - SIGN_ROW)) / 2.0;
        let gap = gap + take((MAX_GAP - GAP) * gaps) / gaps;
        Spacing { gap, sign_row }
    }
}

/// Title, and the addressee: the clinic's doctor, as the patient signs to
/// them.
fn heading(form: &ConsentForm) -> Block {
    let mut page = Page::default();
    page.text_centered(A4_WIDTH_MM / 2.0, 8.0, Gothic, 16.0, TITLE);
    // Most of the width, so that a long clinic name keeps to a line or two.
    let width = 150.0;
    let mut y = 16.0;
    for line in wrap(&form.clinic.clinic, Mincho, 12.0, width) {
        page.text(LEFT, y + 5.0, Mincho, 12.0, line);
        y += 6.0;
    }
    let to = format!("院長　{}　殿", form.clinic.doctor.trim());
    for line in wrap(&to, Mincho, 12.0, width) {
        page.text(LEFT + 6.0, y + 5.0, Mincho, 12.0, line);
        y += 6.0;
    }
    page.line(LEFT, y + 1.5, LEFT + width, y + 1.5, THIN_PT);
    Block {
        page,
        height: y + 1.5,
    }
}

/// A paragraph across the page.
fn prose(text: &str) -> Block {
    let mut page = Page::default();
    let lines = wrap(text, Mincho, PROSE_PT, RIGHT - LEFT);
    let height = lines.len() as f32 * PROSE_LINE;
    for (i, line) in lines.into_iter().enumerate() {
        page.text(
            LEFT,
            baseline(0.0, i, PROSE_LINE, PROSE_PT),
            Mincho,
            PROSE_PT,
            line,
        );
    }
    Block { page, height }
}

/// One line of a ruled row's content column.
enum Line {
    Body(String),
    /// A check box and its choice.
    Choice(String, bool),
    /// Small text under a choice, level with its words.
    Note(String),
    /// Space between two choices.
    Space,
}

impl Line {
    fn height(&self) -> f32 {
        match self {
            Line::Body(_) | Line::Choice(..) => BODY_LINE,
            Line::Note(_) => NOTE_LINE,
            Line::Space => 1.5,
        }
    }
}

fn content_x() -> f32 {
    LEFT + LABEL_WIDTH + PAD_X
}

fn content_width() -> f32 {
    RIGHT - content_x() - PAD_X
}

/// Check boxes stand in the content column; their words start here.
fn choice_indent() -> f32 {
    CHECK_BOX + 2.0
}

fn body(text: &str) -> Vec<Line> {
    wrap(text, Mincho, BODY_PT, content_width())
        .into_iter()
        .map(Line::Body)
        .collect()
}

fn choice(text: &str, checked: bool, note: &str) -> Vec<Line> {
    let width = content_width() - choice_indent();
    let mut out = Vec::new();
    for (i, line) in wrap(text, Mincho, BODY_PT, width).into_iter().enumerate() {
        // Only the first line has the box; the rest are level with it.
        out.push(if i == 0 {
            Line::Choice(line, checked)
        } else {
            Line::Body(line)
        });
    }
    out.extend(
        wrap(note, Mincho, NOTE_PT, width)
            .into_iter()
            .map(Line::Note),
    );
    out
}

/// What is shared, with whom (the check boxes), what is not, withdrawal,
/// and that refusing changes nothing: the form's ruled table.
fn explanation(form: &ConsentForm) -> Block {
    let mut with_whom = choice(
        SHARE_WITH_DESK,
        form.share_with_desk,
        &format!("{}（医師会が運営）", form.desk_name.trim()),
    );
    with_whom.push(Line::Space);
    with_whom.extend(choice(
        SHARE_WITH_HOSPITAL,
        form.share_with_hospital,
        HOSPITAL_NOTE,
    ));
    // The team's line is printed where the patient was asked about the
    // team: a consent for the desk and the hospital alone prints as before
    // (and keeps to one page with the longest names).
    if form.share_with_team {
        with_whom.push(Line::Space);
        with_whom.extend(choice(SHARE_WITH_TEAM, true, TEAM_NOTE));
    }
    // 事前登録 likewise, naming the hospitals chosen (or all of them).
    if form.preregistration {
        with_whom.push(Line::Space);
        with_whom.extend(choice(
            &preregistration_text(&form.preregistered_with),
            true,
            PREREGISTRATION_NOTE,
        ));
    }
    let not_shared = if form.share_with_team {
        NOT_SHARED_WITH_TEAM
    } else {
        NOT_SHARED
    };
    let rows = [
        (
            "共有する情報",
            SHARED.iter().flat_map(|item| body(item)).collect(),
        ),
        ("共有先", with_whom),
        ("共有しない情報", body(not_shared)),
        ("同意の撤回", body(WITHDRAWAL)),
        ("同意されない\n場合", body(NO_DISADVANTAGE)),
    ];
    let mut page = Page::default();
    let mut y = 0.0;
    for (label, lines) in rows {
        y += ruled_row(&mut page, y, label, &lines);
    }
    Block { page, height: y }
}

/// 「地域の病院に事前登録する（登録先：…）」, naming the hospitals chosen,
/// or every participating one when none was chosen.
fn preregistration_text(hospitals: &[String]) -> String {
    let names: Vec<&str> = hospitals
        .iter()
        .map(|h| h.trim())
        .filter(|h| !h.is_empty())
        .collect();
    let whom = if names.is_empty() {
        PREREGISTERED_WITH_ALL.to_string()
    } else {
        names.join("、")
    };
    format!("{PREREGISTRATION}（登録先：{whom}）")
}

/// A row of the table: label on the left, lines on the right. Returns its
/// height.
fn ruled_row(page: &mut Page, top: f32, label: &str, lines: &[Line]) -> f32 {
    let label_lines = wrap(label, Gothic, LABEL_PT, LABEL_WIDTH - 2.0 * PAD_X);
    let content: f32 = lines.iter().map(Line::height).sum();
    let height = content.max(label_lines.len() as f32 * LABEL_LINE) + 2.0 * PAD_Y;
    page.frame(LEFT, top, RIGHT - LEFT, height, RULE_PT);
    page.line(
        LEFT + LABEL_WIDTH,
        top,
        LEFT + LABEL_WIDTH,
        top + height,
        THIN_PT,
    );
    // Labels sit in the middle of their row, as on printed forms.
    let label_top = top + (height - label_lines.len() as f32 * LABEL_LINE) / 2.0;
    for (i, label) in label_lines.into_iter().enumerate() {
        let y = baseline(label_top, i, LABEL_LINE, LABEL_PT);
        page.text(LEFT + PAD_X, y, Gothic, LABEL_PT, label);
    }
    // In a row of choices, plain lines continue a choice's words.
    let indent = if lines.iter().any(|l| matches!(l, Line::Choice(..))) {
        choice_indent()
    } else {
        0.0
    };
    let x = content_x();
    let mut y = top + PAD_Y;
    for line in lines {
        match line {
            Line::Body(text) => {
                let base = baseline(y, 0, BODY_LINE, BODY_PT);
                page.text(x + indent, base, Mincho, BODY_PT, text.clone());
            }
            Line::Choice(text, checked) => {
                let base = baseline(y, 0, BODY_LINE, BODY_PT);
                check_box(page, x, base, *checked);
                page.text(x + choice_indent(), base, Mincho, BODY_PT, text.clone());
            }
            Line::Note(text) => {
                let base = baseline(y, 0, NOTE_LINE, NOTE_PT);
                page.text(x + choice_indent(), base, Mincho, NOTE_PT, text.clone());
            }
            Line::Space => {}
        }
        y += line.height();
    }
    height
}

/// A box level with the text on `base`, ticked if `checked`: drawn, not a
/// glyph, as IPAex has no ☐ or ☑.
fn check_box(page: &mut Page, x: f32, base: f32, checked: bool) {
    // The middle of a full-width character of body text.
    let middle = base - mm(BODY_PT) * 0.38;
    let top = middle - CHECK_BOX / 2.0;
    page.frame(x, top, CHECK_BOX, CHECK_BOX, RULE_PT);
    if checked {
        let s = CHECK_BOX;
        page.line(
            x + 0.18 * s,
            top + 0.52 * s,
            x + 0.42 * s,
            top + 0.8 * s,
            1.2,
        );
        page.line(
            x + 0.42 * s,
            top + 0.8 * s,
            x + 0.85 * s,
            top + 0.18 * s,
            1.2,
        );
    }
}

/// The patient, the day consent was obtained and who explained the form.
fn patient_table(form: &ConsentForm) -> Block {
    let p = &form.patient;
    let mut page = Page::default();
    let value_x = LEFT + LABEL_WIDTH + PAD_X;
    // 性別 beside the name, 説明者 beside the date, each in a column of its
    // own on the right.
    let sex_x = RIGHT - 40.0;
    let by_x = LEFT + LABEL_WIDTH + 60.0;
    let by_value_x = by_x + 16.0;
    let sex = Sex::from_code(&p.sex).map_or(p.sex.as_str(), |s| s.label_ja());

    let mut y = 0.0;
    let kana = cell_lines(&p.kana, 8.5, RIGHT - value_x - PAD_X);
    let h = row_height(&kana, 8.5, 5.5);
    row_label(&mut page, y, h, LEFT, "ふりがな");
    cell(&mut page, y, h, value_x, &kana, 8.5);
    y += h;
    page.line(LEFT, y, RIGHT, y, 0.2);

    // A name too long for one line at the large size wraps at the body's.
    let name_width = sex_x - value_x - PAD_X;
    let mut name_pt = 13.0;
    let mut name = cell_lines(&p.name, name_pt, name_width);
    if name.len() > 1 {
        name_pt = BODY_PT;
        name = cell_lines(&p.name, name_pt, name_width);
    }
    let h = row_height(&name, name_pt, 9.0);
    row_label(&mut page, y, h, LEFT, "氏名");
    cell(&mut page, y, h, value_x, &name, name_pt);
    page.line(sex_x, y, sex_x, y + h, THIN_PT);
    row_label(&mut page, y, h, sex_x, "性別");
    cell(&mut page, y, h, sex_x + 14.0, &[sex.to_string()], BODY_PT);
    y += h;
    page.line(LEFT, y, RIGHT, y, THIN_PT);

    let h = 7.0;
    row_label(&mut page, y, h, LEFT, "生年月日");
    cell(
        &mut page,
        y,
        h,
        value_x,
        &[birth_date(p.birth_date)],
        BODY_PT,
    );
    y += h;
    page.line(LEFT, y, RIGHT, y, THIN_PT);

    let by = cell_lines(&form.obtained_by, BODY_PT, RIGHT - by_value_x - PAD_X);
    let h = row_height(&by, BODY_PT, 7.0);
    row_label(&mut page, y, h, LEFT, "同意日");
    cell(
        &mut page,
        y,
        h,
        value_x,
        &[wareki(form.obtained_on)],
        BODY_PT,
    );
    page.line(by_x, y, by_x, y + h, THIN_PT);
    row_label(&mut page, y, h, by_x, "説明者");
    cell(&mut page, y, h, by_value_x, &by, BODY_PT);
    y += h;

    page.frame(LEFT, 0.0, RIGHT - LEFT, y, RULE_PT);
    page.line(LEFT + LABEL_WIDTH, 0.0, LEFT + LABEL_WIDTH, y, THIN_PT);
    Block { page, height: y }
}

/// 「昭和25年4月1日（1950年4月1日）」: the era as patients say it, the
/// western year as other records have it.
fn birth_date(date: chrono::NaiveDate) -> String {
    let western = format!("{}年{}月{}日", date.year(), date.month(), date.day());
    match WarekiDate::from_date(date) {
        Some(w) => format!("{w}（{western}）"),
        None => western,
    }
}

/// Line height of a cell's text of `size_pt`.
fn line_of(size_pt: f32) -> f32 {
    mm(size_pt) * 1.4
}

fn cell_lines(text: &str, size_pt: f32, width: f32) -> Vec<String> {
    wrap(text.trim(), Mincho, size_pt, width)
}

fn row_height(lines: &[String], size_pt: f32, min: f32) -> f32 {
    (lines.len() as f32 * line_of(size_pt) + 2.0 * PAD_Y).max(min)
}

fn row_label(page: &mut Page, top: f32, height: f32, x: f32, label: &str) {
    let y = baseline(top, 0, height, LABEL_PT);
    page.text(x + PAD_X, y, Gothic, LABEL_PT, label);
}

/// Lines of a cell, centred as a group in the row's height.
fn cell(page: &mut Page, top: f32, height: f32, x: f32, lines: &[String], size_pt: f32) {
    let line = line_of(size_pt);
    let first = top + (height - lines.len() as f32 * line) / 2.0;
    for (i, text) in lines.iter().enumerate() {
        page.text(
            x,
            baseline(first, i, line, size_pt),
            Mincho,
            size_pt,
            text.clone(),
        );
    }
}

/// 本人署名 and 代理人署名（続柄）, with ruled lines to sign on and the date
/// left for the signer to write.
fn signatures(row: f32) -> Block {
    let mut page = Page::default();
    let date = "　　　年　　　月　　　日";
    let date_x = RIGHT - PAD_X - Mincho.width(date, BODY_PT) / PT_PER_MM;
    let relation = "（　　　　　　）";
    let relation_x = date_x - 4.0 - Mincho.width(relation, BODY_PT) / PT_PER_MM;
    let rows = [("本人署名", None), ("代理人署名\n（続柄）", Some(relation))];
    let mut y = 0.0;
    for (label, relation) in rows {
        let label_lines = wrap(label, Gothic, LABEL_PT, LABEL_WIDTH - 2.0 * PAD_X);
        let label_top = y + (row - label_lines.len() as f32 * LABEL_LINE) / 2.0;
        for (i, line) in label_lines.into_iter().enumerate() {
            let base = baseline(label_top, i, LABEL_LINE, LABEL_PT);
            page.text(LEFT + PAD_X, base, Gothic, LABEL_PT, line);
        }
        let base = y + row - 4.0;
        let sign_end = match relation {
            Some(text) => {
                page.text(relation_x, base, Mincho, BODY_PT, text);
                relation_x - 3.0
            }
            None => date_x - 4.0,
        };
        page.line(content_x(), base + 1.2, sign_end, base + 1.2, THIN_PT);
        page.text(date_x, base, Mincho, BODY_PT, date);
        y += row;
        page.line(LEFT, y, RIGHT, y, THIN_PT);
    }
    page.frame(LEFT, 0.0, RIGHT - LEFT, y, RULE_PT);
    page.line(LEFT + LABEL_WIDTH, 0.0, LEFT + LABEL_WIDTH, y, THIN_PT);
    Block { page, height: y }
}

/// On a reprint after withdrawal, in place of the signature lines: nothing
/// on the page may be read as consent in force.
fn withdrawn(on: chrono::NaiveDate, row: f32) -> Block {
    let mut page = Page::default();
    let height = 2.0 * row;
    let middle = A4_WIDTH_MM / 2.0;
    page.frame(LEFT, 0.0, RIGHT - LEFT, height, 2.0 * RULE_PT);
    page.frame(LEFT + 1.2, 1.2, RIGHT - LEFT - 2.4, height - 2.4, THIN_PT);
    let notice = format!("この同意は {} に撤回されました。", wareki(on));
    let (notice_pt, between) = (14.0, 3.0);
    // The two lines, as a group, in the middle of the box.
    let top = (height - mm(notice_pt) - between - mm(NOTE_PT)) / 2.0;
    page.text_centered(
        middle,
        baseline(top, 0, mm(notice_pt), notice_pt),
        Gothic,
        notice_pt,
        &notice,
    );
    page.text_centered(
        middle,
        baseline(top + mm(notice_pt) + between, 0, mm(NOTE_PT), NOTE_PT),
        Mincho,
        NOTE_PT,
        "撤回の日から、情報の共有は止めています。この書面は撤回の後に印刷した控えです。",
    );
    Block { page, height }
}

/// The clinic's name, address and phone, and the consent record's id, as
/// a block whose top is the rule above them.
fn footer(form: &ConsentForm) -> Block {
    let c = &form.clinic;
    let mut page = Page::default();
    // The id (a UUID) on one line at the right, the clinic at the left.
    let id_width = 60.0;
    let left_width = RIGHT - LEFT - id_width - 5.0;
    // Each line with its size: the name a little larger.
    let mut lines: Vec<(String, f32)> = Vec::new();
    for line in wrap(&c.clinic, Mincho, 9.5, left_width) {
        lines.push((line, 9.5));
    }
    let postal = if c.postal_code.trim().is_empty() {
        String::new()
    } else {
        format!("〒{}　", c.postal_code.trim())
    };
    for line in wrap(&(postal + c.address.trim()), Mincho, 8.5, left_width) {
        lines.push((line, 8.5));
    }
    let phone = if c.fax.trim().is_empty() {
        format!("電話　{}", c.phone.trim())
    } else {
        format!("電話　{}　　FAX　{}", c.phone.trim(), c.fax.trim())
    };
    lines.push((phone, 8.5));

    let line = 4.3;
    let top = 2.5;
    for (i, (text, size)) in lines.iter().enumerate() {
        let y = baseline(top, i, line, *size);
        page.text(LEFT, y, Mincho, *size, text.clone());
    }
    let mut id_lines = vec!["同意記録番号".to_string()];
    id_lines.extend(wrap(form.record_id.trim(), Gothic, 7.0, id_width));
    for (i, text) in id_lines.iter().enumerate() {
        page.text_right(RIGHT, baseline(top, i, 3.4, 7.0), Gothic, 7.0, text);
    }
    let height = top + (lines.len() as f32 * line).max(id_lines.len() as f32 * 3.4);
    page.line(LEFT, 0.0, RIGHT, 0.0, THIN_PT);
    Block { page, height }
}

/// The top of a second page: which form and patient it belongs to.
fn continuation_header(page: &mut Page, form: &ConsentForm) -> f32 {
    page.text(LEFT, TOP + 6.0, Gothic, 12.0, CONTINUATION_TITLE);
    let who = format!("氏名　{}", form.patient.name.trim());
    // A name too long for the header is cut here: the first page has it.
    let who = wrap(&who, Mincho, BODY_PT, 80.0).remove(0);
    page.text_right(RIGHT, TOP + 6.0, Mincho, BODY_PT, &who);
    page.line(LEFT, TOP + 9.0, RIGHT, TOP + 9.0, THIN_PT);
    TOP + 13.0
}
