//! The optional column `sibling_id` of a pupils file: the pupil id of an
//! older sibling in an earlier year's pupils file of a multi-year plan
//! (`[[year]]`). Read only for that; the pairs are resolved and checked
//! against the years by the scenario layer.

use super::table::Table;
use super::{InputDialect, InputError};
use std::path::Path;

/// The name of the column.
pub const SIBLING_ID_COLUMN: &str = "sibling_id";

/// One filled `sibling_id` cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiblingRef {
    /// 1-based line of the row in its file.
    pub line: u64,
    /// The row's `pupil_id`.
    pub pupil_id: String,
    /// The older sibling's `pupil_id`, as written.
    pub sibling_id: String,
}

/// The filled `sibling_id` cells of the pupils file `path` (bytes as read
/// for the instance), in file order; empty without the column.
pub fn parse_sibling_ids(bytes: &[u8], path: &Path, dialect: &InputDialect) -> Result<Vec<SiblingRef>, InputError> {
    let table = Table::parse(bytes, path, dialect, "pupil")?;
    let Some(c_sibling) = table.optional(SIBLING_ID_COLUMN) else {
        return Ok(Vec::new());
    };
    let c_id = table.require("pupil_id")?;
    let mut refs = Vec::new();
    for (line, row) in &table.rows {
        let sibling_id = table.text(row, c_sibling);
        if sibling_id.is_empty() {
            continue;
        }
        refs.push(SiblingRef {
            line: *line,
            pupil_id: table.id(*line, row, c_id)?.to_string(),
            sibling_id: sibling_id.to_string(),
        });
    }
    Ok(refs)
}
