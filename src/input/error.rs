//! Errors of the input and output layer, each carrying the file (and line)
//! it is about and what to do.

use std::path::PathBuf;

/// Why an input could not be read. Every message names the file, the line
/// where there is one, what is wrong and what to do.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// An OpenStreetMap extract could not be read.
    #[error("{path}{}: {message}", line.map(|l| format!(", line {l}")).unwrap_or_default())]
    Osm {
        /// The file.
        path: PathBuf,
        /// 1-based line (XML only).
        line: Option<u64>,
        /// What is wrong and what to do.
        message: String,
    },
    /// The file could not be opened or read.
    #[error("{path}: cannot read the file ({reason}); check the path (paths in a scenario are relative to the scenario file)")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        reason: std::io::Error,
    },
    /// The file holds no header or no data rows.
    #[error("{path}: the file is empty; it needs a header line and at least one {what} row")]
    Empty {
        /// The file.
        path: PathBuf,
        /// What a row describes ("school", "pupil").
        what: &'static str,
    },
    /// A required column is not in the header.
    #[error("{path}, line 1: required column `{column}` is missing (header has: {found}); add it to the header")]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The missing column.
        column: &'static str,
        /// The columns found.
        found: String,
    },
    /// A column name occurs twice in the header.
    #[error(
        "{path}, line 1: column `{column}` appears twice (columns {first} and {second}); every column needs its own name, remove or rename one"
    )]
    DuplicateColumn {
        /// The file.
        path: PathBuf,
        /// The column name.
        column: String,
        /// 1-based position of its first occurrence.
        first: usize,
        /// 1-based position of the repetition.
        second: usize,
    },
    /// A value could not be parsed or is out of range.
    #[error("{path}, line {line}, column `{column}`: `{value}` is not {expected}; correct the value")]
    BadValue {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// The column.
        column: String,
        /// The value as written.
        value: String,
        /// What was expected.
        expected: String,
    },
    /// An id occurs twice.
    #[error("{path}, line {line}: {column} `{id}` occurs again (first on line {first_line}); ids must be unique")]
    DuplicateId {
        /// The file.
        path: PathBuf,
        /// Line of the repetition.
        line: u64,
        /// The id column.
        column: &'static str,
        /// The id.
        id: String,
        /// Line of the first occurrence.
        first_line: u64,
    },
    /// A reference to a school that is not in the schools file.
    #[error(
        "{path}, line {line}, column `{column}`: school `{id}` is not in the schools file; use one of its school_id values or leave the cell empty"
    )]
    UnknownSchool {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// The column that refers to a school.
        column: &'static str,
        /// The unknown id.
        id: String,
    },
    /// The CSV structure itself is broken (e.g. a row with too many fields).
    #[error("{path}, line {line}: {message}; every row needs as many fields as the header")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// The parser's message.
        message: String,
    },
    /// The scenario file is not valid TOML or has unknown or mistyped keys.
    #[error("{path}: {message}")]
    Scenario {
        /// The scenario file.
        path: PathBuf,
        /// What is wrong, with line and column where known.
        message: String,
    },
    /// A rule, solver or input setting makes no sense (after the scenario's
    /// bases and changes); names where it was last written.
    #[error("{path}{}: {site}{message}", at_line(line))]
    Setting {
        /// The scenario file that wrote the setting.
        path: PathBuf,
        /// Line of the key, or of the `[[change]]` that set it.
        line: Option<u64>,
        /// `[rules] `, `[solver] `, or `[[change]] N (kind = "rules"): `.
        site: String,
        /// `key = value`, what is wrong and what to do.
        message: String,
    },
    /// The path is not a regular file (a folder, a FIFO, a device).
    #[error("{path}: not a regular file (it is a {found}); give the path of a file: folders, FIFOs and devices are not read")]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is instead.
        found: &'static str,
    },
    /// The file is larger than the documented limit for its kind.
    #[error(
        "{path}: the file is larger than {limit}, the limit for a {kind} file (see 'Checks and limits' in the README); check that this is the right file"
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit, readable (e.g. `512 MiB`).
        limit: String,
        /// What kind of file (`scenario`, `CSV`, `GeoJSON`).
        kind: &'static str,
    },
    /// Two values contradict each other (e.g. min_classes > max_classes).
    #[error("{path}, line {line}: {message}")]
    Inconsistent {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What contradicts what, and what to do.
        message: String,
    },
    /// A CSV file that looks written in another dialect (separator, decimal
    /// mark, encoding, coordinate system) than the one `[input]` sets.
    #[error("{path}, line {line}: {problem}; {fix}")]
    Dialect {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What could not be read.
        problem: String,
        /// Which `[input]` keys would read it.
        fix: String,
    },
    /// Locations that look wrong: far from all others, or latitude and
    /// longitude apparently swapped (one line per location, by id).
    #[error("{path}: {count} implausible location(s):\n{list}\ncorrect them, or set `[input] allow_outliers = true` if they are right")]
    Implausible {
        /// The file (the pupils file, or the schools file when only schools are concerned).
        path: PathBuf,
        /// How many locations are reported.
        count: usize,
        /// One line per location: file, line, id and what is wrong.
        list: String,
    },
    /// Pupils' addresses that the address register does not hold.
    #[error(
        "{path}: {count} address(es) not found in the address register:\n{list}\ncorrect the spelling or the house number, or add the houses to the register"
    )]
    UnknownAddresses {
        /// The pupils file.
        path: PathBuf,
        /// How many addresses are unknown.
        count: usize,
        /// One line per address: line, pupil id, address and the nearest spellings.
        list: String,
    },
    /// A spreadsheet input cannot be opened, or has not the sheet asked for.
    #[error("{path}: {message}")]
    Spreadsheet {
        /// The file.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// A GeoJSON file (a district plan or a locked area) cannot be used.
    #[error("{path}: {message}")]
    Geometry {
        /// The GeoJSON file.
        path: PathBuf,
        /// What is wrong (with the feature's number and school where known) and what to do.
        message: String,
    },
}

/// Something in an input that is read as written but looks like a mistake
/// (e.g. two ids that differ only by case). The library returns warnings;
/// the command line prints them as `warning: ...`.
#[derive(Debug, Clone, PartialEq)]
pub struct InputWarning {
    /// The file.
    pub path: PathBuf,
    /// What looks wrong, with lines where known, and what to check.
    pub message: String,
}

impl std::fmt::Display for InputWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// Where in a scenario a setting was written: `", line N"` or nothing.
fn at_line(line: &Option<u64>) -> String {
    line.map(|l| format!(", line {l}")).unwrap_or_default()
}
