//! The CSV outputs in an office dialect (`[output] dialect`): `excel-de`
//! writes what a German Excel opens as a table — semicolons, decimal commas
//! in the number columns, UTF-8 with byte order mark (so that "ü" shows as
//! "ü"), CRLF line ends. Columns and rows stay those of the default CSV.

use super::{OutputError, OutputFile};
use crate::input::OutputDialect;
use std::path::PathBuf;

/// Columns that hold text even where a value looks like a number (ids, names).
fn is_text_column(name: &str) -> bool {
    name.ends_with("_id") || name.ends_with("_ids") || matches!(name, "name" | "school_name" | "issue" | "scenario" | "label" | "status")
}

/// A default CSV (comma, decimal point) rewritten as German Excel reads it.
pub fn excel_de_csv(bytes: &[u8], name: &str) -> Result<Vec<u8>, OutputError> {
    let encode = |e: csv::Error| OutputError::Encode {
        path: PathBuf::from(name),
        message: e.to_string(),
    };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes);
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut text_columns: Vec<bool> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(encode)?;
        if i == 0 {
            text_columns = record.iter().map(is_text_column).collect();
            writer.write_record(&record).map_err(encode)?;
            continue;
        }
        let fields = record.iter().enumerate().map(|(c, field)| {
            let number = !text_columns.get(c).copied().unwrap_or(true) && field.parse::<f64>().is_ok();
            if number { field.replace('.', ",") } else { field.to_string() }
        });
        writer.write_record(fields).map_err(encode)?;
    }
    writer.into_inner().map_err(|e| OutputError::Encode {
        path: PathBuf::from(name),
        message: e.to_string(),
    })
}

/// The files of a set with every `.csv` file in `dialect`.
pub fn in_dialect(files: Vec<OutputFile>, dialect: OutputDialect) -> Result<Vec<OutputFile>, OutputError> {
    if dialect == OutputDialect::Csv {
        return Ok(files);
    }
    files
        .into_iter()
        .map(|mut file| {
            if file.name.ends_with(".csv") {
                file.bytes = excel_de_csv(&file.bytes, file.name)?;
            }
            Ok(file)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_decimal_commas_ids_and_names_stay() {
        let plain = b"school_id,name,migration_share,distance_m\n1.5,\"Am Dom, Altstadt\",0.25,123.456\n";
        let de = excel_de_csv(plain, "t.csv").unwrap();
        assert_eq!(
            de,
            "\u{feff}school_id;name;migration_share;distance_m\r\n1.5;Am Dom, Altstadt;0,25;123,456\r\n".as_bytes()
        );
    }
}
