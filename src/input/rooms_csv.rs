//! The optional multi-year columns of `schools.csv`: `rooms` (classrooms for
//! all grades) and `classes_grade2` .. `classes_grade<grades>` (classes the
//! school runs in the older grades this year). Read only by a multi-year
//! scenario (`[[year]]`); a single-year solve ignores them.

use super::table::Table;
use super::{InputDialect, InputError};
use crate::model::SchoolRooms;
use crate::model::limits::{MAX_CLASSES_PER_SCHOOL, MAX_ROOMS_PER_SCHOOL};
use std::collections::HashMap;
use std::path::Path;

/// The name of the column with the classes of `grade` this year.
pub fn older_grade_column(grade: u32) -> String {
    format!("classes_grade{grade}")
}

/// Parses the rooms columns of the schools file `path` (bytes as read for
/// the instance), by `school_id`; grades 2 to `grades`. An empty cell is
/// "not given" (no room limit, or no classes).
pub fn parse_rooms(bytes: &[u8], path: &Path, dialect: &InputDialect, grades: u32) -> Result<HashMap<String, SchoolRooms>, InputError> {
    let table = Table::parse(bytes, path, dialect, "school")?;
    let c_id = table.require("school_id")?;
    let c_rooms = table.optional("rooms");
    let older_columns: Vec<Option<usize>> = (2..=grades).map(|g| table.optional(&older_grade_column(g))).collect();
    let mut rooms_of = HashMap::with_capacity(table.rows.len());
    for (line, row) in &table.rows {
        let line = *line;
        let id = table.id(line, row, c_id)?;
        let rooms = table.optional_count(line, row, c_rooms, 0, MAX_ROOMS_PER_SCHOOL)?;
        let mut older_classes = Vec::with_capacity(older_columns.len());
        for &column in &older_columns {
            older_classes.push(table.optional_count(line, row, column, 0, MAX_CLASSES_PER_SCHOOL)?.unwrap_or(0));
        }
        rooms_of.insert(id.to_string(), SchoolRooms { rooms, older_classes });
    }
    Ok(rooms_of)
}
