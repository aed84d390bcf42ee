//! The two layouts' columns, found by name (the open data's column order
//! has changed between releases; names have not), and which layout a
//! header is.

use super::{FileRefused, Layout};
use crate::normalize::nfkc;

/// What a column holds, whatever the layout calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    ExternalId,
    Name,
    Kana,
    /// サービスの種類 or 種別.
    Kind,
    /// 市区町村名 or 対応地域.
    Area,
    Address,
    /// 方書（ビル名等）.
    AddressExtra,
    Phone,
    Fax,
}

const FIELDS: usize = 9;

impl Field {
    fn index(self) -> usize {
        self as usize
    }
}

struct Column {
    field: Field,
    /// The first name is the one reported when missing; the others are
    /// what other releases call it (自治体標準オープンデータセット's
    /// 介護サービス事業所一覧 among them).
    names: &'static [&'static str],
    required: bool,
}

const OPEN_DATA: &[Column] = &[
    Column {
        field: Field::ExternalId,
        names: &["事業所番号", "介護保険事業所番号"],
        required: true,
    },
    Column {
        field: Field::Name,
        names: &["事業所名", "介護サービス事業所名称"],
        required: true,
    },
    Column {
        field: Field::Kana,
        names: &["事業所名カナ", "介護サービス事業所名称_カナ"],
        required: false,
    },
    Column {
        field: Field::Kind,
        names: &["サービスの種類", "実施サービス"],
        required: true,
    },
    Column {
        field: Field::Area,
        names: &["市区町村名"],
        required: false,
    },
    Column {
        field: Field::Address,
        names: &["住所"],
        required: true,
    },
    Column {
        field: Field::AddressExtra,
        names: &["方書（ビル名等）", "方書"],
        required: false,
    },
    Column {
        field: Field::Phone,
        names: &["電話番号"],
        required: true,
    },
    Column {
        field: Field::Fax,
        names: &["FAX番号"],
        required: false,
    },
];

const SIMPLE: &[Column] = &[
    Column {
        field: Field::ExternalId,
        names: &["識別番号"],
        required: true,
    },
    Column {
        field: Field::Kind,
        names: &["種別"],
        required: true,
    },
    Column {
        field: Field::Name,
        names: &["名称"],
        required: true,
    },
    Column {
        field: Field::Kana,
        names: &["名称カナ"],
        required: false,
    },
    Column {
        field: Field::Address,
        names: &["住所"],
        required: false,
    },
    Column {
        field: Field::Phone,
        names: &["電話番号"],
        required: false,
    },
    Column {
        field: Field::Fax,
        names: &["FAX番号"],
        required: false,
    },
    Column {
        field: Field::Area,
        names: &["対応地域"],
        required: false,
    },
];

fn columns(layout: Layout) -> &'static [Column] {
    match layout {
        Layout::OpenData => OPEN_DATA,
        Layout::Simple => SIMPLE,
    }
}

/// Where each field is in a row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Positions([Option<usize>; FIELDS]);

impl Positions {
    /// The field's value in `row`, trimmed ("" if the column or cell is
    /// absent: a short row is read as empty cells, as Excel writes them).
    pub(super) fn get<'r>(&self, row: &'r csv::StringRecord, field: Field) -> &'r str {
        self.0[field.index()]
            .and_then(|at| row.get(at))
            .map_or("", str::trim)
    }
}

/// Header names compared in one form: NFKC (full-width （） and Ａ–Ｚ as
/// ASCII), no spaces, no stray BOM.
fn folded(name: &str) -> String {
    nfkc(name)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .collect::<String>()
        .to_uppercase()
}

/// The columns of `layout` found in `header`, and the required ones not.
fn locate(header: &[String], layout: Layout) -> (Positions, Vec<&'static str>, usize) {
    let mut positions = [None; FIELDS];
    let mut missing = Vec::new();
    let mut found_required = 0;
    for column in columns(layout) {
        let wanted: Vec<String> = column.names.iter().map(|n| folded(n)).collect();
        let at = header.iter().position(|h| wanted.contains(h));
        positions[column.field.index()] = at;
        match (at, column.required) {
            (None, true) => missing.push(column.names[0]),
            (Some(_), true) => found_required += 1,
            _ => {}
        }
    }
    (Positions(positions), missing, found_required)
}

/// The layout `asked`, or the one the header is, with its columns.
pub(super) fn recognise(
    header: &csv::StringRecord,
    asked: Option<Layout>,
) -> Result<(Layout, Positions), FileRefused> {
    let header: Vec<String> = header.iter().map(folded).collect();
    let candidates: Vec<Layout> = match asked {
        Some(layout) => vec![layout],
        None => Layout::ALL.to_vec(),
    };
    // The layout with the most of its required columns: a file short of
    // one column is told which, rather than "unknown layout".
    let best = candidates
        .into_iter()
        .map(|layout| (layout, locate(&header, layout)))
        .max_by_key(|(_, (_, missing, found))| (missing.is_empty(), *found));
    match best {
        Some((layout, (positions, missing, _))) if missing.is_empty() => Ok((layout, positions)),
        Some((layout, (_, missing, found))) if found > 0 || asked.is_some() => {
            Err(FileRefused::MissingColumns { layout, missing })
        }
        _ => Err(FileRefused::UnknownLayout),
    }
}
