//! Reader for a scenario's `baseline`: last year's assignment, by pupil
//! (`pupil_id,school_id`, e.g. a previous `assignments.csv`) or by unit
//! (`unit_id,school_id`, e.g. last year's by-law). Sets each pupil's
//! `baseline_school`; ids not in this year's pupils are ignored (pupils and
//! street sections come and go), unknown schools and an id listed twice are
//! errors.

use super::source::{InputKind, read_input};
use super::table::{Table, UniqueIds};
use super::{InputDialect, InputError};
use crate::model::{Instance, SourceFile};
use std::collections::HashMap;
use std::path::Path;

/// Reads the baseline into the instance's pupils.
pub fn read_baseline(path: &Path, dialect: &InputDialect, instance: &mut Instance) -> Result<SourceFile, InputError> {
    let input = read_input(path, InputKind::Csv)?;
    parse_baseline(&input.bytes, path, dialect, instance)?;
    Ok(input.source)
}

/// Parses the bytes of the baseline file `path` into the instance's pupils.
pub fn parse_baseline(bytes: &[u8], path: &Path, dialect: &InputDialect, instance: &mut Instance) -> Result<(), InputError> {
    let table = Table::parse(bytes, path, dialect, "baseline")?;
    let c_school = table.require("school_id")?;
    let (by_unit, c_key, key_column) = match (table.optional("pupil_id"), table.optional("unit_id")) {
        (Some(c), _) => (false, c, "pupil_id"),
        (None, Some(c)) => (true, c, "unit_id"),
        (None, None) => {
            return Err(InputError::MissingColumn {
                path: table.path.clone(),
                column: "pupil_id",
                found: "neither pupil_id nor unit_id; the baseline needs one of them".into(),
            });
        }
    };
    let school_index: HashMap<&str, usize> = instance.schools.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let mut keys = UniqueIds::new(key_column);
    let mut school_of: HashMap<String, usize> = HashMap::new();
    for (line, row) in &table.rows {
        let key = table.id(*line, row, c_key)?;
        keys.check(&table, *line, key)?;
        let school = table.id(*line, row, c_school)?;
        let &s = school_index.get(school).ok_or_else(|| InputError::UnknownSchool {
            path: table.path.clone(),
            line: *line,
            column: "school_id",
            id: school.to_string(),
        })?;
        school_of.insert(key.to_string(), s);
    }
    for pupil in &mut instance.pupils {
        let key = if by_unit {
            pupil.unit.as_ref().map(|u| u.as_str())
        } else {
            Some(pupil.id.as_str())
        };
        pupil.baseline_school = key.and_then(|k| school_of.get(k).copied());
    }
    Ok(())
}
