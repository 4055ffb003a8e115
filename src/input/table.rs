//! A CSV table read whole from disk, with typed, line-aware field access
//! shared by the schools and pupils readers.

use super::{InputDialect, InputError};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The rows of one CSV file, with its header.
pub(crate) struct Table {
    pub path: PathBuf,
    columns: HashMap<String, usize>,
    header: Vec<String>,
    pub rows: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    /// Parses the bytes of the CSV file `path`; errors for an empty or
    /// malformed file and for a column named twice.
    pub fn parse(bytes: &[u8], path: &Path, dialect: &InputDialect, what: &'static str) -> Result<Self, InputError> {
        let mut reader = dialect.reader_builder().from_reader(bytes);
        let malformed = |e: csv::Error| InputError::Malformed {
            path: path.to_path_buf(),
            line: e.position().map(|p| p.line()).unwrap_or(1),
            message: e.to_string(),
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
        for record in reader.records() {
            let record = record.map_err(malformed)?;
            if record.iter().all(|f| f.is_empty()) {
                continue;
            }
            let line = record.position().map(|p| p.line()).unwrap_or(0);
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
        })
    }

    /// Position of a required column.
    pub fn require(&self, column: &'static str) -> Result<usize, InputError> {
        self.columns.get(column).copied().ok_or_else(|| InputError::MissingColumn {
            path: self.path.clone(),
            column,
            found: self.header.join(", "),
        })
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
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && range.contains(&v) => Ok(v),
            _ => Err(self.bad(line, col, text, expected)),
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

impl Table {
    /// A WGS84 location from a latitude and a longitude column.
    pub fn location(&self, line: u64, row: &csv::StringRecord, c_lat: usize, c_lon: usize) -> Result<crate::model::Location, InputError> {
        let lat = self.number(line, row, c_lat, -90.0..=90.0, "a latitude in degrees between -90 and 90")?;
        let lon = self.number(line, row, c_lon, -180.0..=180.0, "a longitude in degrees between -180 and 180")?;
        Ok(crate::model::Location::new(lat, lon).expect("range checked above"))
    }
}
