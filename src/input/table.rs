//! A CSV table read whole from disk, with typed, line-aware field access
//! shared by the schools and pupils readers.

use super::csv_text::{FileDialect, decode, dialect_fix, parse_number};
use super::spreadsheet::{is_spreadsheet, spreadsheet_table};
use super::{InputDialect, InputError};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The rows of one CSV file, with its header.
pub(crate) struct Table {
    pub path: PathBuf,
    columns: HashMap<String, usize>,
    header: Vec<String>,
    pub rows: Vec<(u64, csv::StringRecord)>,
    /// The dialect the file was read with (set or detected).
    pub dialect: FileDialect,
    /// The `[input]` keys that would read the file as it looks, when the
    /// dialect set differs from it (added to structural errors).
    fix: Option<String>,
}

/// A CSV reader builder for a file's dialect: fields trimmed, quotes
/// (doubled inside) as Excel writes them, every row as wide as the header.
fn reader_builder(dialect: &FileDialect) -> csv::ReaderBuilder {
    let mut builder = csv::ReaderBuilder::new();
    builder
        .delimiter(dialect.delimiter as u8)
        .trim(csv::Trim::All)
        .comment(None)
        .flexible(false);
    builder
}

impl Table {
    /// Parses the bytes of the CSV file `path` (decoded and separated as
    /// `dialect` sets or the file shows); errors for an empty or malformed
    /// file and for a column named twice.
    pub fn parse(bytes: &[u8], path: &Path, dialect: &InputDialect, what: &'static str) -> Result<Self, InputError> {
        if is_spreadsheet(path, bytes) {
            return spreadsheet_table(bytes, path, dialect, what);
        }
        let (text, file_dialect, sniffed) = decode(bytes, path, dialect)?;
        let fix = dialect_fix(&file_dialect, &sniffed);
        let mut reader = reader_builder(&file_dialect).from_reader(text.as_bytes());
        let malformed = |e: csv::Error| {
            let line = e.position().map(|p| line_of(&text, p.byte() as usize)).unwrap_or(1);
            let message = match e.kind() {
                csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                    format!("this row has {len} fields, the header {expected_len}")
                }
                _ => e.to_string(),
            };
            match &fix {
                Some(fix) => InputError::Dialect {
                    path: path.to_path_buf(),
                    line,
                    problem: message,
                    fix: fix.clone(),
                },
                None => InputError::Malformed {
                    path: path.to_path_buf(),
                    line,
                    message,
                },
            }
        };
        let header: Vec<String> = reader
            .headers()
            .map_err(malformed)?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_string())
            .collect();
        if header.iter().all(|h| h.is_empty()) {
            return Err(InputError::Empty {
                path: path.to_path_buf(),
                what,
            });
        }
        let columns = unique_columns(path, &header)?;
        let mut rows = Vec::new();
        let mut lines = LineCounter::default();
        for record in reader.records() {
            let record = record.map_err(malformed)?;
            if record.iter().all(|f| f.is_empty()) {
                continue;
            }
            let line = record.position().map(|p| lines.line_at(&text, p.byte() as usize)).unwrap_or(0);
            rows.push((line, record));
        }
        if rows.is_empty() {
            return Err(InputError::Empty {
                path: path.to_path_buf(),
                what,
            });
        }
        Ok(Self {
            path: path.to_path_buf(),
            columns,
            header,
            rows,
            dialect: file_dialect,
            fix,
        })
    }

    /// A table from rows read elsewhere (a spreadsheet's sheet): the same
    /// checks of the header and of emptiness as a CSV file.
    pub fn from_rows(
        path: PathBuf,
        header: Vec<String>,
        rows: Vec<(u64, csv::StringRecord)>,
        dialect: FileDialect,
        what: &'static str,
    ) -> Result<Self, InputError> {
        if header.iter().all(|h| h.is_empty()) {
            return Err(InputError::Empty { path, what });
        }
        let columns = unique_columns(&path, &header)?;
        let width = header.len();
        let mut kept = Vec::with_capacity(rows.len());
        for (line, record) in rows {
            if record.iter().all(|f| f.is_empty()) {
                continue;
            }
            if record.iter().skip(width).any(|f| !f.is_empty()) {
                return Err(InputError::Malformed {
                    path,
                    line,
                    message: format!("this row has values right of the header's {width} columns"),
                });
            }
            kept.push((line, record));
        }
        if kept.is_empty() {
            return Err(InputError::Empty { path, what });
        }
        Ok(Self {
            path,
            columns,
            header,
            rows: kept,
            dialect,
            fix: None,
        })
    }

    /// Position of a required column.
    pub fn require(&self, column: &'static str) -> Result<usize, InputError> {
        self.columns.get(column).copied().ok_or_else(|| self.missing(column, None))
    }

    /// The error for a missing column, with the dialect's fix (or `fix`) when there is one.
    pub fn missing(&self, column: &'static str, fix: Option<String>) -> InputError {
        let found = self.header.join(", ");
        match fix.or_else(|| self.fix.clone()) {
            Some(fix) => InputError::Dialect {
                path: self.path.clone(),
                line: 1,
                problem: format!("required column `{column}` is missing (header has: {found})"),
                fix,
            },
            None => InputError::MissingColumn {
                path: self.path.clone(),
                column,
                found,
            },
        }
    }

    /// The column names of the header, in order.
    pub fn header_names(&self) -> impl Iterator<Item = &str> {
        self.header.iter().map(String::as_str)
    }

    /// Whether the header has `column`.
    pub fn has(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }

    /// Position of an optional column.
    pub fn optional(&self, column: &str) -> Option<usize> {
        self.columns.get(column).copied()
    }

    /// A field's text ("" when absent).
    pub fn text<'r>(&self, row: &'r csv::StringRecord, col: usize) -> &'r str {
        row.get(col).unwrap_or("")
    }

    /// The error for a value that is not what the column needs.
    pub fn bad(&self, line: u64, col: usize, value: &str, expected: &str) -> InputError {
        InputError::BadValue {
            path: self.path.clone(),
            line,
            column: self.header[col].clone(),
            value: value.to_string(),
            expected: expected.to_string(),
        }
    }

    /// A finite number in `range`.
    pub fn number(
        &self,
        line: u64,
        row: &csv::StringRecord,
        col: usize,
        range: std::ops::RangeInclusive<f64>,
        expected: &str,
    ) -> Result<f64, InputError> {
        let text = self.text(row, col);
        match parse_number(text, self.dialect.decimal) {
            Some(v) if v.is_finite() && range.contains(&v) => Ok(v),
            None if parse_number(text, None).is_some() => Err(self.other_decimal_mark(line, col, text, expected)),
            _ => Err(self.bad(line, col, text, expected)),
        }
    }

    /// The error for a number written with the other decimal mark than `[input] decimal` sets.
    fn other_decimal_mark(&self, line: u64, col: usize, text: &str, expected: &str) -> InputError {
        let (mark, other) = if text.contains(',') { ("comma", ",") } else { ("point", ".") };
        InputError::Dialect {
            path: self.path.clone(),
            line,
            problem: format!("column `{}`: `{text}` is not {expected}", self.header[col]),
            fix: format!("this number has a decimal {mark}: set `[input] decimal = \"{other}\"` (or remove `decimal` to read both marks)"),
        }
    }

    /// A whole number in `min..=max`.
    pub fn count(&self, line: u64, row: &csv::StringRecord, col: usize, min: u32, max: u32) -> Result<u32, InputError> {
        let text = self.text(row, col);
        match text.parse::<u32>() {
            Ok(v) if (min..=max).contains(&v) => Ok(v),
            _ => Err(self.bad(line, col, text, &format!("a whole number of at least {min} and at most {max}"))),
        }
    }

    /// An optional whole number in `min..=max`: `None` when the column is absent or the cell empty.
    pub fn optional_count(
        &self,
        line: u64,
        row: &csv::StringRecord,
        col: Option<usize>,
        min: u32,
        max: u32,
    ) -> Result<Option<u32>, InputError> {
        match col {
            Some(c) if !self.text(row, c).is_empty() => self.count(line, row, c, min, max).map(Some),
            _ => Ok(None),
        }
    }

    /// A non-empty id.
    pub fn id<'r>(&self, line: u64, row: &'r csv::StringRecord, col: usize) -> Result<&'r str, InputError> {
        let text = self.text(row, col);
        if text.is_empty() {
            Err(self.bad(line, col, text, "a non-empty id"))
        } else {
            Ok(text)
        }
    }
}

/// The 1-based line of a byte offset (counting `\n`, so CRLF and LF
/// files alike; the CSV parser's own line count is off with CRLF).
fn line_of(text: &str, byte: usize) -> u64 {
    let byte = record_start(text, byte);
    text.as_bytes()[..byte].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

/// Where a record reported at `byte` starts: past the line break the
/// parser may count to it (with CRLF, the `\n` of the line before).
fn record_start(text: &str, byte: usize) -> usize {
    let bytes = text.as_bytes();
    let mut byte = byte.min(bytes.len());
    while byte < bytes.len() && matches!(bytes[byte], b'\r' | b'\n') {
        byte += 1;
    }
    byte
}

/// Lines of increasing byte offsets, counted once through the text.
#[derive(Default)]
struct LineCounter {
    byte: usize,
    newlines: u64,
}

impl LineCounter {
    /// The 1-based line of `byte` (offsets must not decrease between calls).
    fn line_at(&mut self, text: &str, byte: usize) -> u64 {
        let byte = record_start(text, byte).max(self.byte);
        self.newlines += text.as_bytes()[self.byte..byte].iter().filter(|&&b| b == b'\n').count() as u64;
        self.byte = byte;
        self.newlines + 1
    }
}

/// Column positions by name; a name given twice is an error (empty names,
/// e.g. from trailing separators, are never looked up and may repeat).
fn unique_columns(path: &Path, header: &[String]) -> Result<HashMap<String, usize>, InputError> {
    let mut columns: HashMap<String, usize> = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        if let Some(&first) = columns.get(name) {
            return Err(InputError::DuplicateColumn {
                path: path.to_path_buf(),
                column: name.clone(),
                first: first + 1,
                second: i + 1,
            });
        }
        columns.insert(name.clone(), i);
    }
    Ok(columns)
}

/// The ids of one column seen so far, with their lines: a repetition is an error.
pub(crate) struct UniqueIds {
    column: &'static str,
    first_line: HashMap<String, u64>,
}

impl UniqueIds {
    /// Tracks the ids of `column`.
    pub fn new(column: &'static str) -> Self {
        Self {
            column,
            first_line: HashMap::new(),
        }
    }

    /// Records `id` at `line`, or reports where it occurred first.
    pub fn check(&mut self, table: &Table, line: u64, id: &str) -> Result<(), InputError> {
        if let Some(&first) = self.first_line.get(id) {
            return Err(InputError::DuplicateId {
                path: table.path.clone(),
                line,
                column: self.column,
                id: id.to_string(),
                first_line: first,
            });
        }
        self.first_line.insert(id.to_string(), line);
        Ok(())
    }
}
