//! Importing providers into the directory in bulk (issue 18): the
//! 介護サービス情報公表システム's open data (one file per service type) and
//! a simple layout of our own for clinics, hospitals, pharmacies and dental
//! clinics (`docs/directory-import.md`). This is the pure part: which text
//! and layout a file is, and each row checked into what the directory
//! keeps or refused with its line and a reason in Japanese. Applying it
//! (all or nothing) is the server's.

mod columns;
mod decode;
mod kinds;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use columns::{Field, Positions};
pub use decode::{Encoding, decode};

use super::{ADDRESS_MAX_CHARS, MAX_AREA_MUNICIPALITIES, municipalities};
use crate::field_rules::{Rejection, check_phone};
use crate::normalize::nfkc;
use crate::team::OrganisationKind;

/// More rows than a prefecture's largest file (about 10,000 a service).
pub const MAX_ROWS: usize = 100_000;
pub const NAME_MAX_CHARS: usize = 200;
pub const KANA_MAX_CHARS: usize = 100;
/// `organisations.external_id`'s limit.
pub const EXTERNAL_ID_MAX_CHARS: usize = 40;

/// The layouts a file may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// 介護サービス情報公表システムのオープンデータ.
    OpenData,
    /// 識別番号,種別,名称,名称カナ,住所,電話番号,FAX番号,対応地域.
    Simple,
}

impl Layout {
    pub const ALL: [Layout; 2] = [Layout::OpenData, Layout::Simple];

    pub fn code(self) -> &'static str {
        match self {
            Layout::OpenData => "open_data",
            Layout::Simple => "simple",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Layout::OpenData => "介護サービス情報公表システムのオープンデータ",
            Layout::Simple => "簡易形式（医療機関・薬局など）",
        }
    }

    /// What the layout calls the number an organisation is known by.
    fn id_label(self) -> &'static str {
        match self {
            Layout::OpenData => "事業所番号",
            Layout::Simple => "識別番号",
        }
    }
}

/// A row as the directory keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: u64,
    /// `organisations.external_id`: the simple layout's 識別番号 as given;
    /// for the open data, 事業所番号 and the kind (`1312345678/care_service`),
    /// because one 事業所番号 is shared by the services an office runs,
    /// and its 訪問看護 and its 居宅介護支援 are different members of a team.
    pub external_id: String,
    pub kind: OrganisationKind,
    pub name: String,
    pub name_kana: String,
    pub phone: String,
    pub fax: String,
    /// 住所 and 方書, one line.
    pub address: String,
    pub municipalities: Vec<String>,
}

/// A row refused, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedRow {
    pub line: u64,
    /// The row's name as given (may be empty), to find it in the sheet.
    pub name: String,
    pub reason: String,
}

/// A file read and every row checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    pub layout: Layout,
    pub encoding: Encoding,
    pub rows: Vec<ImportRow>,
    pub refused: Vec<RefusedRow>,
}

impl CheckedFile {
    /// Nothing refused: the file may be applied.
    pub fn is_clean(&self) -> bool {
        self.refused.is_empty()
    }
}

/// Why a whole file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileRefused {
    #[error(
        "1行目：UTF-16 のファイルは読み込めません。Shift_JIS（CP932）か UTF-8 で保存し直してください"
    )]
    Utf16,
    #[error(
        "{line}行目：文字を読み取れません。Shift_JIS（CP932）か UTF-8 で保存されたファイルを選んでください"
    )]
    Undecodable { line: u64 },
    #[error("ファイルが空です")]
    Empty,
    #[error(
        "1行目の見出しから形式を判別できません。介護サービス情報公表システムのオープンデータか、簡易形式（識別番号,種別,名称,…）のファイルを選んでください"
    )]
    UnknownLayout,
    #[error("必要な列がありません：{}（{}として読みました）", .missing.join("、"), .layout.label_ja())]
    MissingColumns {
        layout: Layout,
        missing: Vec<&'static str>,
    },
    #[error("{line}行目：CSV として読み取れません")]
    Malformed { line: u64 },
    #[error("行が多すぎます（一度に{}行まで）", MAX_ROWS)]
    TooManyRows,
    #[error("取り込む行がありません")]
    NoRows,
}

/// Reads `bytes` in `asked` layout (or the one its header is) and checks
/// every row. Line numbers are the file's own (the header is line 1; a
/// quoted cell spanning lines counts each).
pub fn check_file(bytes: &[u8], asked: Option<Layout>) -> Result<CheckedFile, FileRefused> {
    let (encoding, text) = decode(bytes)?;
    let lines = Lines::of(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        None => return Err(FileRefused::Empty),
        Some(Err(e)) => return Err(lines.malformed(&e)),
        Some(Ok(header)) => header,
    };
    let (layout, positions) = columns::recognise(&header, asked)?;
    let mut checked = CheckedFile {
        layout,
        encoding,
        rows: Vec::new(),
        refused: Vec::new(),
    };
    let mut first_line_of: HashMap<String, u64> = HashMap::new();
    for record in records {
        let record = record.map_err(|e| lines.malformed(&e))?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if checked.rows.len() + checked.refused.len() >= MAX_ROWS {
            return Err(FileRefused::TooManyRows);
        }
        let line = lines.of_record(record.position());
        let name = single_line(positions.get(&record, Field::Name));
        let refuse = |reason: String| RefusedRow {
            line,
            name: name.clone(),
            reason,
        };
        match check_row(layout, &positions, &record, line) {
            Err(reason) => checked.refused.push(refuse(reason.0)),
            Ok(row) => match first_line_of.get(&row.external_id) {
                Some(first) => checked.refused.push(refuse(format!(
                    "{}「{}」が{first}行目と重複しています",
                    layout.id_label(),
                    positions.get(&record, Field::ExternalId)
                ))),
                None => {
                    first_line_of.insert(row.external_id.clone(), line);
                    checked.rows.push(row);
                }
            },
        }
    }
    if checked.rows.is_empty() && checked.refused.is_empty() {
        return Err(FileRefused::NoRows);
    }
    Ok(checked)
}

/// Line numbers from byte offsets: the csv crate's own count misses the
/// CR LF line ends the open data (and Excel) write.
struct Lines(Vec<usize>);

impl Lines {
    fn of(text: &str) -> Lines {
        Lines(text.match_indices('\n').map(|(at, _)| at).collect())
    }

    fn of_record(&self, position: Option<&csv::Position>) -> u64 {
        // After a CR the reader may place the next record on its LF.
        let byte = position.map_or(0, |p| p.byte() as usize);
        self.0.partition_point(|&at| at <= byte) as u64 + 1
    }

    fn malformed(&self, e: &csv::Error) -> FileRefused {
        FileRefused::Malformed {
            line: self.of_record(e.position()),
        }
    }
}

/// One row, or the first thing wrong with it.
fn check_row(
    layout: Layout,
    at: &Positions,
    record: &csv::StringRecord,
    line: u64,
) -> Result<ImportRow, Rejection> {
    let get = |field| at.get(record, field);
    let (name_label, kana_label) = match layout {
        Layout::OpenData => ("事業所名", "事業所名カナ"),
        Layout::Simple => ("名称", "名称カナ"),
    };
    let name = single_line(get(Field::Name));
    if name.is_empty() {
        return Err(Rejection(format!("{name_label}がありません")));
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(Rejection(format!(
            "{name_label}が長すぎます（{NAME_MAX_CHARS}文字まで）"
        )));
    }
    let kind = match layout {
        Layout::OpenData => {
            let service = single_line(get(Field::Kind));
            if service.is_empty() {
                return Err("サービスの種類がありません".into());
            }
            kinds::service_kind(&service).ok_or_else(|| {
                Rejection(format!(
                    "サービスの種類「{service}」は取り込めません（訪問看護、居宅介護支援、訪問リハビリテーション、地域包括支援センター、訪問介護・通所介護などの介護サービス）"
                ))
            })?
        }
        Layout::Simple => {
            let given = single_line(get(Field::Kind));
            if given.is_empty() {
                return Err("種別がありません".into());
            }
            kinds::listed_kind(&given).ok_or_else(|| {
                Rejection(format!(
                    "種別「{given}」が分かりません（病院、診療所、保険薬局、歯科診療所など）"
                ))
            })?
        }
    };
    let external_id = external_id(layout, get(Field::ExternalId), kind)?;
    let name_kana = nfkc(&single_line(get(Field::Kana)));
    if name_kana.chars().count() > KANA_MAX_CHARS {
        return Err(Rejection(format!(
            "{kana_label}が長すぎます（{KANA_MAX_CHARS}文字まで）"
        )));
    }
    let phone = check_phone(get(Field::Phone), "電話番号", false)?;
    let fax = check_phone(get(Field::Fax), "FAX番号", false)?;
    let address = [get(Field::Address), get(Field::AddressExtra)]
        .iter()
        .map(|part| single_line(part))
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if address.chars().count() > ADDRESS_MAX_CHARS {
        return Err(Rejection(format!(
            "住所が長すぎます（{ADDRESS_MAX_CHARS}文字まで）"
        )));
    }
    let municipalities = match layout {
        // The open data's 市区町村名 is where the office is, a fair first
        // guess at the area it serves; one the rule cannot read (a
        // prefecture's own row) is left out rather than refusing the row.
        Layout::OpenData => {
            municipalities(get(Field::Area), MAX_AREA_MUNICIPALITIES).unwrap_or_default()
        }
        // The desk typed 対応地域 itself: a mistake is shown.
        Layout::Simple => municipalities(get(Field::Area), MAX_AREA_MUNICIPALITIES)
            .map_err(|e| Rejection(e.to_string()))?,
    };
    Ok(ImportRow {
        line,
        external_id,
        kind,
        name,
        name_kana,
        phone,
        fax,
        address,
        municipalities,
    })
}

/// The key a later import finds the organisation by.
fn external_id(layout: Layout, raw: &str, kind: OrganisationKind) -> Result<String, Rejection> {
    let label = layout.id_label();
    let number = nfkc(raw.trim());
    if number.is_empty() {
        return Err(Rejection(format!("{label}がありません")));
    }
    match layout {
        Layout::OpenData => {
            let fits = number.len() <= 20 && number.chars().all(|c| c.is_ascii_alphanumeric());
            if !fits {
                return Err(Rejection(format!(
                    "{label}「{number}」は半角英数字（10桁）で入力してください"
                )));
            }
            Ok(format!("{}/{}", number.to_ascii_uppercase(), kind.code()))
        }
        // No '/': a simple id never takes an open-data key's shape.
        Layout::Simple => {
            let fits = number.chars().count() <= EXTERNAL_ID_MAX_CHARS
                && number
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if !fits {
                return Err(Rejection(format!(
                    "{label}「{number}」は半角英数字とハイフンで入力してください（{EXTERNAL_ID_MAX_CHARS}文字まで）"
                )));
            }
            Ok(number)
        }
    }
}

/// A cell as one line: a quoted cell may hold line breaks and tabs.
fn single_line(cell: &str) -> String {
    cell.split(|c: char| c.is_control())
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
