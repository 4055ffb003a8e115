//! Reader for an assignment to audit: `assignments.csv` with
//! `pupil_id,school_id`, optional `distance_m`; and for a `schools.csv`
//! result with `school_id,classes` (the classes actually opened).

use super::source::{InputKind, read_input};
use super::table::Table;
use super::{InputDialect, InputError};
use crate::model::limits::MAX_CLASSES_PER_SCHOOL;
use crate::model::{AssignmentRow, Instance, SourceFile};
use std::collections::HashMap;
use std::path::Path;

/// Reads the rows of an assignments file. Ids are not resolved here: unknown
/// pupils or schools are audit findings, not read errors.
pub fn read_assignments(path: &Path, dialect: &InputDialect) -> Result<(Vec<AssignmentRow>, SourceFile), InputError> {
    let input = read_input(path, InputKind::Csv)?;
    Ok((parse_assignments(&input.bytes, path, dialect)?, input.source))
}

/// Parses the bytes of the assignments file `path` (see [`read_assignments`]).
pub fn parse_assignments(bytes: &[u8], path: &Path, dialect: &InputDialect) -> Result<Vec<AssignmentRow>, InputError> {
    let table = Table::parse(bytes, path, dialect, "assignment")?;
    let c_pupil = table.require("pupil_id")?;
    let c_school = table.require("school_id")?;
    let c_distance = table.optional("distance_m");
    let mut rows = Vec::with_capacity(table.rows.len());
    for (line, row) in &table.rows {
        let line = *line;
        let distance_m = match c_distance {
            Some(c) if !table.text(row, c).is_empty() => {
                Some(table.number(line, row, c, 0.0..=f64::MAX, "a distance in metres (0 or more)")?)
            }
            _ => None,
        };
        rows.push(AssignmentRow {
            line,
            pupil_id: table.id(line, row, c_pupil)?.to_string(),
            school_id: table.id(line, row, c_school)?.to_string(),
            distance_m,
        });
    }
    Ok(rows)
}

/// Reads the classes each school opens from a `schools.csv` result
/// (`school_id,classes`); schools not listed get `None`.
pub fn read_declared_classes(
    path: &Path,
    dialect: &InputDialect,
    instance: &Instance,
) -> Result<(Vec<Option<u32>>, SourceFile), InputError> {
    let input = read_input(path, InputKind::Csv)?;
    Ok((parse_declared_classes(&input.bytes, path, dialect, instance)?, input.source))
}

/// Parses the bytes of a `schools.csv` result `path` (see [`read_declared_classes`]).
pub fn parse_declared_classes(
    bytes: &[u8],
    path: &Path,
    dialect: &InputDialect,
    instance: &Instance,
) -> Result<Vec<Option<u32>>, InputError> {
    let table = Table::parse(bytes, path, dialect, "school")?;
    let c_id = table.require("school_id")?;
    let c_classes = table.require("classes")?;
    let index: HashMap<&str, usize> = instance.schools.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let mut declared = vec![None; instance.schools.len()];
    let mut first_line: HashMap<usize, u64> = HashMap::new();
    for (line, row) in &table.rows {
        let line = *line;
        let id = table.id(line, row, c_id)?;
        let &s = index.get(id).ok_or_else(|| InputError::UnknownSchool {
            path: table.path.clone(),
            line,
            column: "school_id",
            id: id.to_string(),
        })?;
        if let Some(&first) = first_line.get(&s) {
            return Err(InputError::DuplicateId {
                path: table.path.clone(),
                line,
                column: "school_id",
                id: id.to_string(),
                first_line: first,
            });
        }
        first_line.insert(s, line);
        declared[s] = Some(table.count(line, row, c_classes, 0, MAX_CLASSES_PER_SCHOOL)?);
    }
    Ok(declared)
}
