//! Reader for a distance matrix (`[distance] matrix = "distances.csv"`):
//! `pupil_id` (or `unit_id`), `school_id`, `distance_m`, one row per arc,
//! computed by the user's own router. An arc the matrix does not list is
//! not allowed. Unknown pupils, units or schools and a pair listed twice
//! are errors (a matrix of another cohort is a mistake, not a wish).

use super::table::Table;
use super::{InputDialect, InputError};
use crate::model::{Instance, WayTable};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Largest distance a matrix may list: 100,000 km (metres).
pub const MAX_MATRIX_DISTANCE_M: f64 = 1e8;

/// Parses the bytes of the matrix file `path` into a table over the
/// instance's pupils and schools.
pub fn parse_way_matrix(bytes: &[u8], path: &Path, dialect: &InputDialect, instance: &Instance) -> Result<WayTable, InputError> {
    let table = Table::parse(bytes, path, dialect, "distance")?;
    let c_school = table.require("school_id")?;
    let c_distance = table.require("distance_m")?;
    let (by_unit, c_key) = match (table.optional("pupil_id"), table.optional("unit_id")) {
        (Some(c), _) => (false, c),
        (None, Some(c)) => (true, c),
        (None, None) => {
            return Err(InputError::MissingColumn {
                path: table.path.clone(),
                column: "pupil_id",
                found: "neither pupil_id nor unit_id; the matrix needs one of them".into(),
            });
        }
    };
    let schools: HashSet<&str> = instance.schools.iter().map(|s| s.id.as_str()).collect();
    let mut members: HashMap<&str, Vec<usize>> = HashMap::new();
    for (p, pupil) in instance.pupils.iter().enumerate() {
        let key = if by_unit {
            pupil.unit.as_ref().map(|u| u.as_str())
        } else {
            Some(pupil.id.as_str())
        };
        if let Some(key) = key {
            members.entry(key).or_default().push(p);
        }
    }
    let mut ways = WayTable::new(instance.pupils.iter().map(|p| &p.id), instance.schools.iter().map(|s| &s.id));
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    let key_column = if by_unit { "unit_id" } else { "pupil_id" };
    for (line, row) in &table.rows {
        let key = table.id(*line, row, c_key)?;
        let school = table.id(*line, row, c_school)?;
        let metres = table.number(
            *line,
            row,
            c_distance,
            0.0..=MAX_MATRIX_DISTANCE_M,
            "a distance in metres (0 to 100,000,000)",
        )?;
        let Some(pupils) = members.get(key) else {
            return Err(matrix_error(
                path,
                *line,
                format!("{key_column} `{key}` is not in the pupils file; remove the row or use the ids of pupils.csv"),
            ));
        };
        if !schools.contains(school) {
            return Err(InputError::UnknownSchool {
                path: table.path.clone(),
                line: *line,
                column: "school_id",
                id: school.to_string(),
            });
        }
        if let Some(first) = seen.insert((key.to_string(), school.to_string()), *line) {
            return Err(matrix_error(
                path,
                *line,
                format!("{key_column} `{key}` and school `{school}` are listed again (first on line {first}); list each pair once"),
            ));
        }
        let school_id = &instance.schools.iter().find(|s| s.id.as_str() == school).expect("checked above").id;
        for &p in pupils {
            ways.set(&instance.pupils[p].id, school_id, metres);
        }
    }
    Ok(ways)
}

fn matrix_error(path: &Path, line: u64, message: String) -> InputError {
    InputError::Inconsistent {
        path: path.to_path_buf(),
        line,
        message,
    }
}
