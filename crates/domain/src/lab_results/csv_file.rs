//! A lab system's CSV export read into rows: UTF-8 (with or without a
//! BOM) or Shift_JIS (CP932, what Japanese lab systems write), a header
//! row naming the columns in Japanese or English, one result a line.
//! Every bad line is named; a file with any is refused whole.

use super::{LabResult, LabRowInput, MAX_LAB_CSV_BYTES, MAX_LAB_ROWS, check_lab_row};
use crate::directory::import::decode;
use crate::normalize::nfkc;

/// Why a file, or a line of it, was refused, in Japanese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabCsvError {
    #[error("文字コードを読み取れません（UTF-8 または Shift_JIS の CSV を選んでください）")]
    Encoding,
    #[error("ファイルが大きすぎます（検査結果の CSV は 1 MB まで）")]
    TooLarge,
    #[error("CSV に検査結果がありません")]
    Empty,
    #[error(
        "見出し行に次の列がありません：{}（見出しは「項目,値,単位,基準値,検査日」または「item,value,unit,range,date」）",
        .0.join("、")
    )]
    MissingColumns(Vec<&'static str>),
    #[error("{line}行目：CSV として読み取れません")]
    Malformed { line: u64 },
    #[error("検査結果は一度に{}件までです", MAX_LAB_ROWS)]
    TooManyRows,
    #[error("{line}行目：{reason}")]
    Row { line: u64, reason: String },
}

/// Reads the file's rows. Line numbers are the file's own (the header is
/// line 1); blank lines are skipped. Either every row or only errors.
pub fn parse_lab_csv(bytes: &[u8]) -> Result<Vec<LabResult>, Vec<LabCsvError>> {
    if bytes.len() as u64 > MAX_LAB_CSV_BYTES {
        return Err(vec![LabCsvError::TooLarge]);
    }
    let (_, text) = decode(bytes).map_err(|_| vec![LabCsvError::Encoding])?;
    let lines = Lines::of(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let columns = match records.next() {
        None => return Err(vec![LabCsvError::Empty]),
        Some(Err(e)) => return Err(vec![lines.malformed(&e)]),
        Some(Ok(header)) => Columns::of(&header).map_err(|e| vec![e])?,
    };
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut count = 0;
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(lines.malformed(&e));
                continue;
            }
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        count += 1;
        if count > MAX_LAB_ROWS {
            return Err(vec![LabCsvError::TooManyRows]);
        }
        let line = lines.of_record(record.position());
        let get = |at: Option<usize>| at.and_then(|i| record.get(i)).unwrap_or("");
        let input = LabRowInput {
            item: get(Some(columns.item)),
            value: get(Some(columns.value)),
            unit: get(columns.unit),
            reference_range: get(columns.range),
            taken_on: get(Some(columns.date)),
        };
        match check_lab_row(input) {
            Ok(row) => rows.push(row),
            Err(problems) => errors.extend(problems.into_iter().map(|p| LabCsvError::Row {
                line,
                reason: p.message,
            })),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if rows.is_empty() {
        return Err(vec![LabCsvError::Empty]);
    }
    Ok(rows)
}

/// Where each column is. 単位 and 基準値 may be absent.
struct Columns {
    item: usize,
    value: usize,
    unit: Option<usize>,
    range: Option<usize>,
    date: usize,
}

const ITEM_NAMES: &[&str] = &["項目", "項目名", "検査項目", "item", "test"];
const VALUE_NAMES: &[&str] = &["値", "結果", "検査値", "結果値", "value", "result"];
const UNIT_NAMES: &[&str] = &["単位", "unit", "units"];
const RANGE_NAMES: &[&str] = &[
    "基準値",
    "基準範囲",
    "参考基準値",
    "range",
    "reference range",
    "reference_range",
];
const DATE_NAMES: &[&str] = &["検査日", "採取日", "採血日", "日付", "date", "taken on"];

impl Columns {
    fn of(header: &csv::StringRecord) -> Result<Columns, LabCsvError> {
        let names: Vec<String> = header
            .iter()
            .map(|h| nfkc(h).trim().to_lowercase())
            .collect();
        let find = |accepted: &[&str]| names.iter().position(|n| accepted.contains(&n.as_str()));
        let (item, value, date) = (find(ITEM_NAMES), find(VALUE_NAMES), find(DATE_NAMES));
        match (item, value, date) {
            (Some(item), Some(value), Some(date)) => Ok(Columns {
                item,
                value,
                unit: find(UNIT_NAMES),
                range: find(RANGE_NAMES),
                date,
            }),
            _ => {
                let missing = [(item, "項目"), (value, "値"), (date, "検査日")]
                    .into_iter()
                    .filter(|(at, _)| at.is_none())
                    .map(|(_, label)| label)
                    .collect();
                Err(LabCsvError::MissingColumns(missing))
            }
        }
    }
}

/// Line numbers from byte offsets, as the directory import counts them
/// (the csv crate's own count misses the CR LF line ends Excel writes).
/// A record's position may fall on the line ends before it (after a CR,
/// or a blank line the reader skipped): they are stepped over first.
struct Lines<'t> {
    text: &'t [u8],
    newlines: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn of(text: &'t str) -> Lines<'t> {
        Lines {
            text: text.as_bytes(),
            newlines: text.match_indices('\n').map(|(at, _)| at).collect(),
        }
    }

    fn of_record(&self, position: Option<&csv::Position>) -> u64 {
        let mut byte = position.map_or(0, |p| p.byte() as usize);
        while self
            .text
            .get(byte)
            .is_some_and(|b| matches!(b, b'\r' | b'\n'))
        {
            byte += 1;
        }
        self.newlines.partition_point(|&at| at < byte) as u64 + 1
    }

    fn malformed(&self, e: &csv::Error) -> LabCsvError {
        LabCsvError::Malformed {
            line: self.of_record(e.position()),
        }
    }
}
