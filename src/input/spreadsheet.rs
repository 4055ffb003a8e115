//! Spreadsheet inputs: `.xlsx` (also `.xlsm`, `.xlsb`, `.xls`) and `.ods`
//! files read by `calamine`, from the first sheet or the one `[input] sheet`
//! names. The sheet is read as a table like a CSV file — first row the
//! header, the same column names — and errors name the file, the sheet and
//! the row (`pupils.xlsx, sheet `Schüler`, line 5, column `lat`: ...`).

use super::csv_text::FileDialect;
use super::dialect::TextEncoding;
use super::table::Table;
use super::{InputDialect, InputError};
use calamine::{Data, Reader};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// File name endings read as spreadsheets (any case).
pub const SPREADSHEET_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Whether `path` names a spreadsheet, or `bytes` start like one (a ZIP
/// container or an OLE compound file) in a file not named `.csv`.
pub(crate) fn is_spreadsheet(path: &Path, bytes: &[u8]) -> bool {
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some(e) if SPREADSHEET_EXTENSIONS.contains(&e) => true,
        Some("csv") | Some("txt") | Some("tsv") => false,
        _ => bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0"),
    }
}

fn unreadable(path: &Path, message: String) -> InputError {
    InputError::Spreadsheet {
        path: path.to_path_buf(),
        message,
    }
}

/// Reads the sheet of a spreadsheet file into a table.
pub(crate) fn spreadsheet_table(bytes: &[u8], path: &Path, dialect: &InputDialect, what: &'static str) -> Result<Table, InputError> {
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| unreadable(path, format!("cannot read the spreadsheet ({e}); save it as .xlsx, .ods or CSV")))?;
    let names = workbook.sheet_names();
    let sheet = match &dialect.sheet {
        Some(wanted) => names.iter().find(|n| *n == wanted).cloned().ok_or_else(|| {
            unreadable(
                path,
                format!(
                    "has no sheet `{wanted}` (its sheets: {}); set `[input] sheet` to one of them",
                    names.join(", ")
                ),
            )
        })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| unreadable(path, "has no sheet; it needs one with a header row and data".into()))?,
    };
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| unreadable(path, format!("sheet `{sheet}` cannot be read ({e})")))?;
    let first_row = range.start().map(|(row, _)| row).unwrap_or(0);
    let first_col = range.start().map(|(_, col)| col).unwrap_or(0) as usize;
    let mut rows = range.rows().enumerate().map(|(i, cells)| {
        let mut fields = vec![String::new(); first_col];
        fields.extend(cells.iter().map(cell_text));
        (u64::from(first_row) + i as u64 + 1, csv::StringRecord::from(fields))
    });
    let named = PathBuf::from(format!("{}, sheet `{sheet}`", path.display()));
    let Some((_, header)) = rows.next() else {
        return Err(InputError::Empty { path: named, what });
    };
    let header = header.iter().map(|h| h.trim().to_string()).collect();
    let dialect = FileDialect {
        delimiter: ',',
        decimal: None,
        encoding: TextEncoding::Utf8,
    };
    Table::from_rows(named, header, rows.collect(), dialect, what)
}

/// A cell as the text a CSV export would hold (numbers in Rust's shortest
/// exact form: `52.125`, `1`).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => format!("{i}"),
        Data::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        other => other.to_string(),
    }
}
