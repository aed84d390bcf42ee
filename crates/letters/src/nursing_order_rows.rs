//! What goes in each box of the 訪問看護指示書, in the form's order: 様式16's
//! diagnoses, 現在の状況, 留意事項及び指示事項 and the rest, or 様式18's few
//! boxes. Closed sets print every item, the chosen ones marked ■ and the
//! others □, so the station reads the choice as on the paper form, where
//! the doctor circles it. The form's sub-labels (寝たきり度, Ⅰ, Ⅱ 1.…) lead
//! their lines in Gothic, with what was typed beside them, so that the
//! whole form keeps to one page as the paper one does.

use tsunagu_domain::nursing_order::{
    BedriddenLevel, CareLevel, DementiaLevel, MedicalDevice, NursingOrder, OrderKind, UlcerDepth,
};

use crate::fonts::FontKind::{Gothic, Mincho};
use crate::layout::{BODY_PT, LABEL_PT, wrap};
use crate::nursing_order::NursingOrderForm;
use crate::nursing_order_layout::content_width;
use crate::page::PT_PER_MM;

/// One line of a box's content column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    /// A sub-label in Gothic at the line's start, or empty.
    pub lead: String,
    pub text: String,
    /// From the content column's left edge, mm.
    pub indent: f32,
}

pub(crate) struct Row {
    /// `\n` marks where a long label breaks in its column.
    pub label: String,
    pub lines: Vec<Line>,
    /// Takes a share of the page's spare height when the whole order fits
    /// on one page with room to spare, as the printed form's free-text
    /// boxes are tall: room for a handwritten addition.
    pub stretch: bool,
}

/// Text under a sub-label too wide to share its line sits this far in.
const ITEM_INDENT: f32 = 4.0;
const CHOSEN: &str = "■";
const NOT_CHOSEN: &str = "□";
/// The most lines a text keeps beside a short sub-label; a longer one
/// goes under it, where it has the column's width.
const MAX_BESIDE_LINES: usize = 3;
/// Between a sub-label and its text, and between the items of a set.
const GAP: &str = "　";

/// The boxes of the form, in order.
pub(crate) fn rows(form: &NursingOrderForm) -> Vec<Row> {
    match form.kind() {
        OrderKind::Regular => regular(&form.order),
        OrderKind::Special => special(&form.order),
    }
}

fn regular(o: &NursingOrder) -> Vec<Row> {
    let mut parts = vec![
        row("主たる傷病名", diagnoses(o)),
        free("病状・治療状態", body(&o.condition)),
        row("投与中の薬剤の\n用量・用法", body(&o.medication)),
        row("日常生活自立度\n要介護認定\n褥瘡の深さ", status(o)),
        row("装着・使用\n医療機器等", devices(o)),
        free("留意事項及び\n指示事項", instructions(o)),
    ];
    // The form's 点滴注射 box, when 点滴注射 is ordered; an order without it
    // leaves it out rather than print an empty box.
    if o.term.infusion().is_some() || !o.infusion_instructions.is_empty() {
        parts.push(row(
            "在宅患者訪問\n点滴注射に\n関する指示",
            led(
                &["（投与薬剤・投与量・投与方法等）"],
                &[&o.infusion_instructions],
            ),
        ));
    }
    parts.extend([
        row(
            "緊急時の連絡先\n不在時の対応",
            led(
                &["緊急時の連絡先", "不在時の対応"],
                &[&o.emergency_contact, &o.when_absent],
            ),
        ),
        free("特記すべき\n留意事項", body(&o.special_notes)),
        row("他の事業所\nへの指示", other_providers(o)),
    ]);
    parts
}

fn special(o: &NursingOrder) -> Vec<Row> {
    let mut parts = vec![
        free("病状・主訴", body(&o.condition)),
        free(
            "一時的に訪問\n看護が頻回に\n必要な理由",
            body(&o.frequent_visit_reason),
        ),
        free(
            "留意事項及び\n指示事項",
            [
                note(
                    "（注：点滴注射薬の相互作用・副作用についての留意点があれば記載して下さい。）",
                ),
                body(&o.care_notes),
            ]
            .concat(),
        ),
    ];
    if o.term.infusion().is_some() || !o.infusion_instructions.is_empty() {
        parts.push(free(
            "点滴注射\n指示内容",
            led(
                &["（投与薬剤・投与量・投与方法等）"],
                &[&o.infusion_instructions],
            ),
        ));
    }
    parts.push(row("緊急時の\n連絡先等", body(&o.emergency_contact)));
    parts
}

fn row(label: &str, lines: Vec<Line>) -> Row {
    Row {
        label: label.to_string(),
        lines,
        stretch: false,
    }
}

/// A free-text box, which grows into spare room.
fn free(label: &str, lines: Vec<Line>) -> Row {
    Row {
        stretch: true,
        ..row(label, lines)
    }
}

fn diagnoses(o: &NursingOrder) -> Vec<Line> {
    o.diagnoses
        .iter()
        .enumerate()
        .flat_map(|(i, d)| {
            let code = d
                .code
                .as_deref()
                .map(|c| format!("　（傷病名コード：{c}）"))
                .unwrap_or_default();
            body(&format!("（{}）{}{code}", i + 1, d.name))
        })
        .collect()
}

/// Text as typed, each paragraph wrapped with 禁則.
fn body(text: &str) -> Vec<Line> {
    plain(text, 0.0)
}

fn plain(text: &str, indent: f32) -> Vec<Line> {
    wrap(text.trim(), Mincho, BODY_PT, content_width() - indent)
        .into_iter()
        .map(|text| Line {
            lead: String::new(),
            text,
            indent,
        })
        .collect()
}

/// The form's small print, in Gothic, alone on its lines.
fn note(text: &str) -> Vec<Line> {
    wrap(text, Gothic, LABEL_PT, content_width())
        .into_iter()
        .map(|lead| Line {
            lead,
            text: String::new(),
            indent: 0.0,
        })
        .collect()
}

/// Width of a sub-label and the gap after it, mm.
fn lead_width(lead: &str) -> f32 {
    (Gothic.width(lead, LABEL_PT) + Mincho.width(GAP, BODY_PT)) / PT_PER_MM
}

/// Sub-labels each with its text beside it, as the form's lines read. A
/// short label (a quarter of the column at most) keeps up to
/// [`MAX_BESIDE_LINES`] lines beside it, level with the other short labels'
/// texts; a longer label only a text that fits on its line. Otherwise the
/// text goes under its label, indented, with the column's whole width.
fn led(leads: &[&str], texts: &[&str]) -> Vec<Line> {
    let short = |width: f32| width <= content_width() / 4.0;
    let indent = leads
        .iter()
        .map(|l| lead_width(l))
        .filter(|w| short(*w))
        .fold(0.0, f32::max);
    let mut out = Vec::new();
    for (lead, text) in leads.iter().zip(texts) {
        let text = text.trim();
        let own = lead_width(lead);
        let beside = if short(own) {
            Some(indent).filter(|&i| plain(text, i).len() <= MAX_BESIDE_LINES)
        } else {
            Some(own).filter(|&i| plain(text, i).len() <= 1)
        };
        match beside {
            Some(indent) => {
                let mut lines = plain(text, indent);
                if lines.is_empty() {
                    lines.push(Line {
                        lead: String::new(),
                        text: String::new(),
                        indent,
                    });
                }
                lines[0].lead = (*lead).to_string();
                out.extend(lines);
            }
            None => {
                out.extend(note(lead));
                out.extend(plain(text, ITEM_INDENT));
            }
        }
    }
    out
}

/// A closed set's item: its words and whether it is chosen; `None` for
/// words printed unmarked among the items (a classification's name).
type Item = (String, Option<bool>);

/// Every item of a closed set with whether it is chosen.
fn marks<T: Copy + PartialEq>(
    all: &[T],
    chosen: Option<T>,
    label: fn(T) -> &'static str,
) -> Vec<Item> {
    all.iter()
        .map(|&item| (label(item).to_string(), Some(Some(item) == chosen)))
        .collect()
}

/// Items packed into lines whole (a mark never ends a line apart from its
/// item), `indent` mm in, after `lead` on the first line.
fn choices(lead: &str, items: &[Item], indent: f32) -> Vec<Line> {
    let width = (content_width() - indent) * PT_PER_MM;
    let gap_width = Mincho.width(GAP, BODY_PT);
    let mut texts = Vec::new();
    let mut current = String::new();
    let mut used = 0.0;
    for (text, chosen) in items {
        let item = match chosen {
            Some(true) => format!("{CHOSEN}{text}"),
            Some(false) => format!("{NOT_CHOSEN}{text}"),
            None => text.clone(),
        };
        let item_width = Mincho.width(&item, BODY_PT);
        if item_width > width {
            // An item wider than the column (a long name): on lines of its
            // own, broken as text is.
            if !current.is_empty() {
                texts.push(std::mem::take(&mut current));
            }
            let mut pieces = wrap(&item, Mincho, BODY_PT, width / PT_PER_MM);
            current = pieces.pop().unwrap_or_default();
            used = Mincho.width(&current, BODY_PT);
            texts.extend(pieces);
            continue;
        }
        if current.is_empty() {
            used = item_width;
        } else if used + gap_width + item_width > width {
            texts.push(std::mem::take(&mut current));
            used = item_width;
        } else {
            current.push_str(GAP);
            used += gap_width + item_width;
        }
        current.push_str(&item);
    }
    texts.push(current);
    texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| Line {
            lead: if i == 0 {
                lead.to_string()
            } else {
                String::new()
            },
            text,
            indent,
        })
        .collect()
}

/// 「要支援（□1 □2）　要介護（□1 □2 ■3 □4 □5）」, grouped as the form
/// prints it, so that it keeps to one line.
fn care_level(chosen: Option<CareLevel>) -> String {
    let group = |levels: &[CareLevel]| {
        levels
            .iter()
            .map(|&level| {
                let mark = if chosen == Some(level) {
                    CHOSEN
                } else {
                    NOT_CHOSEN
                };
                // The level's number: its label without 要支援/要介護.
                let number: String = level
                    .label_ja()
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect();
                format!("{mark}{number}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (support, care) = CareLevel::ALL.split_at(2);
    format!("要支援（{}）　要介護（{}）", group(support), group(care))
}

/// 寝たきり度, 認知症の状況, 要介護認定の状況 and 褥瘡の深さ, their items
/// level with one another.
fn status(o: &NursingOrder) -> Vec<Line> {
    let leads = [
        "寝たきり度",
        "認知症の状況",
        "要介護認定の状況",
        "褥瘡の深さ",
    ];
    let indent = leads.iter().map(|l| lead_width(l)).fold(0.0, f32::max);
    let mut ulcer: Vec<Item> = Vec::new();
    for (i, depth) in UlcerDepth::ALL.iter().enumerate() {
        let first_of_its_kind =
            i == 0 || UlcerDepth::ALL[i - 1].classification_ja() != depth.classification_ja();
        if first_of_its_kind {
            ulcer.push((depth.classification_ja().to_string(), None));
        }
        ulcer.push((
            depth.label_ja().to_string(),
            Some(o.ulcer_depth == Some(*depth)),
        ));
    }
    [
        choices(
            leads[0],
            &marks(
                BedriddenLevel::ALL,
                o.bedridden_level,
                BedriddenLevel::label_ja,
            ),
            indent,
        ),
        choices(
            leads[1],
            &marks(
                DementiaLevel::ALL,
                o.dementia_level,
                DementiaLevel::label_ja,
            ),
            indent,
        ),
        choices(leads[2], &[(care_level(o.care_level), None)], indent),
        choices(leads[3], &ulcer, indent),
    ]
    .concat()
}

fn devices(o: &NursingOrder) -> Vec<Line> {
    let items: Vec<Item> = MedicalDevice::ALL
        .iter()
        .map(|&d| {
            let text = if d == MedicalDevice::Other {
                format!("{}（{}）", d.label_ja(), o.device_other.trim())
            } else {
                d.label_ja().to_string()
            };
            (text, Some(o.devices.contains(&d)))
        })
        .collect();
    let mut lines = choices("", &items, 0.0);
    if !o.device_details.trim().is_empty() {
        lines.extend(led(&["詳細"], &[&o.device_details]));
    }
    lines
}

/// Ⅰ 療養生活指導上の留意事項, and Ⅱ 1–4 as the form numbers them.
fn instructions(o: &NursingOrder) -> Vec<Line> {
    let therapy = match o.rehabilitation {
        Some(r) => format!(
            "1日あたり（{}）分を週（{}）回",
            r.minutes_per_day, r.times_per_week
        ),
        None => "1日あたり（　　）分を週（　　）回".to_string(),
    };
    // Each sub-label with its text beside it, as the form's lines read.
    [
        led(&["Ⅰ 療養生活指導上の留意事項"], &[&o.care_notes]),
        led(
            &["Ⅱ 1. 理学療法士・作業療法士・言語聴覚士が行う訪問看護"],
            &[&therapy],
        ),
        led(&["　 2. 褥瘡の処置等"], &[&o.wound_care]),
        led(
            &["　 3. 装着・使用医療機器等の操作援助・管理"],
            &[&o.device_care],
        ),
        led(&["　 4. その他"], &[&o.other_instructions]),
    ]
    .concat()
}

/// 他の訪問看護ステーションへの指示 and たんの吸引等実施のための訪問介護
/// 事業所への指示: 無, or 有 with the name.
fn other_providers(o: &NursingOrder) -> Vec<Line> {
    let either = |what: &str, name: &str| -> Vec<Item> {
        let name = name.trim();
        vec![
            ("無".to_string(), Some(name.is_empty())),
            (format!("有（{what}：{name}）"), Some(!name.is_empty())),
        ]
    };
    // The row's label says 「への指示」; the sub-labels name to whom.
    let station_lead = "他の訪問看護ステーション";
    let suction_lead = "たんの吸引等実施のための訪問介護事業所";
    let indent = lead_width(suction_lead);
    [
        choices(
            station_lead,
            &either("指定訪問看護ステーション名", &o.other_station),
            indent,
        ),
        choices(
            suction_lead,
            &either("訪問介護事業所名", &o.suction_provider),
            indent,
        ),
    ]
    .concat()
}
