//! `results.xlsx` (`solve --xlsx`): the results as one workbook an office
//! opens without import settings — sheets `assignments` and `schools` with
//! the columns and rows of the CSV files (numbers as numbers, ids and names
//! as text), and `summary` with every value of `summary.json`, one per row
//! (`key`, `value`; nested keys joined by dots).
//!
//! The workbook's creation date is fixed, so the same results give the
//! same bytes.

use super::{OutputError, OutputFile};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet, XlsxError};
use std::path::PathBuf;

/// Name of the workbook in the output folder.
pub const RESULTS_XLSX: &str = "results.xlsx";

/// Columns that hold text even where a value looks like a number (as in the CSV dialects).
fn is_text_column(name: &str) -> bool {
    name.ends_with("_id") || name.ends_with("_ids") || matches!(name, "name" | "school_name" | "issue")
}

fn encode_error(e: impl std::fmt::Display) -> OutputError {
    OutputError::Encode {
        path: PathBuf::from(RESULTS_XLSX),
        message: e.to_string(),
    }
}

/// Renders `results.xlsx` from the rendered default files of a solve
/// (`assignments.csv`, `schools.csv`, `summary.json`); a sheet whose file
/// is not in the set (no assignment) is left empty.
pub fn results_xlsx(files: &[OutputFile]) -> Result<Vec<u8>, OutputError> {
    let bytes_of = |name: &str| files.iter().find(|f| f.name == name).map(|f| f.bytes.as_slice());
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(encode_error)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    for sheet in ["assignments", "schools"] {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(sheet).map_err(encode_error)?;
        if let Some(csv) = bytes_of(&format!("{sheet}.csv")) {
            csv_sheet(worksheet, csv)?;
        }
    }
    let worksheet = workbook.add_worksheet();
    worksheet.set_name("summary").map_err(encode_error)?;
    if let Some(json) = bytes_of("summary.json") {
        let value: serde_json::Value = serde_json::from_slice(json).map_err(encode_error)?;
        summary_sheet(worksheet, &value).map_err(encode_error)?;
    }
    workbook.save_to_buffer().map_err(encode_error)
}

/// Writes a CSV table into a sheet: header, then numbers as numbers.
fn csv_sheet(sheet: &mut Worksheet, csv: &[u8]) -> Result<(), OutputError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(csv);
    let mut text_columns: Vec<bool> = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(encode_error)?;
        let row = u32::try_from(row).map_err(encode_error)?;
        if row == 0 {
            text_columns = record.iter().map(is_text_column).collect();
        }
        for (col, field) in record.iter().enumerate() {
            let col = u16::try_from(col).map_err(encode_error)?;
            let number = row > 0 && !text_columns.get(usize::from(col)).copied().unwrap_or(true);
            match field.parse::<f64>() {
                Ok(v) if number && v.is_finite() => sheet.write_number(row, col, v),
                _ => sheet.write_string(row, col, field),
            }
            .map_err(encode_error)?;
        }
    }
    Ok(())
}

/// Writes every scalar of the summary as a `key`, `value` row.
fn summary_sheet(sheet: &mut Worksheet, summary: &serde_json::Value) -> Result<(), XlsxError> {
    let mut rows = Vec::new();
    flatten("", summary, &mut rows);
    sheet.write_string(0, 0, "key")?;
    sheet.write_string(0, 1, "value")?;
    for (i, (key, value)) in rows.into_iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, key)?;
        match value {
            serde_json::Value::Number(n) => sheet.write_number(row, 1, n.as_f64().unwrap_or(f64::NAN))?,
            serde_json::Value::String(s) => sheet.write_string(row, 1, s)?,
            serde_json::Value::Null => sheet.write_string(row, 1, "")?,
            other => sheet.write_string(row, 1, other.to_string())?,
        };
    }
    Ok(())
}

/// The scalars of a JSON value with their dotted keys (`distances.total_m`,
/// `reduced_schools.0`), keys sorted as `summary.json`'s objects are read.
fn flatten(prefix: &str, value: &serde_json::Value, rows: &mut Vec<(String, serde_json::Value)>) {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match value {
        serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| flatten(&key(k), v, rows)),
        serde_json::Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| flatten(&key(&i.to_string()), v, rows)),
        scalar => rows.push((prefix.to_string(), scalar.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<OutputFile> {
        vec![
            OutputFile::private("assignments.csv", b"pupil_id,school_id,distance_m\n007,GS01,123.456\n".to_vec()),
            OutputFile::shared("schools.csv", b"school_id,classes,name\nGS01,1,Am Dom\n".to_vec()),
            OutputFile::private("summary.json", br#"{"status":"optimal","distances":{"total_m":123.456}}"#.to_vec()),
        ]
    }

    #[test]
    fn the_same_files_give_the_same_bytes() {
        let first = results_xlsx(&files()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        assert_eq!(first, results_xlsx(&files()).unwrap());
    }

    #[test]
    fn summary_keys_are_dotted_and_ids_stay_text() {
        let mut rows = Vec::new();
        flatten("", &serde_json::json!({"a": {"b": 1, "c": [2, 3]}, "d": "x"}), &mut rows);
        let keys: Vec<&str> = rows.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a.b", "a.c.0", "a.c.1", "d"]);
        assert!(is_text_column("pupil_id") && is_text_column("name") && !is_text_column("distance_m"));
    }
}
