//! Reader for `schools.csv`:
//! `school_id,name,lat,lon,classes,prev_migration_share`, optional
//! `min_classes,max_classes,reserved_seats`.

use super::look_alike::look_alike_ids;
use super::source::{InputKind, read_input};
use super::table::{Table, UniqueIds};
use super::{InputDialect, InputError, InputWarning};
use crate::model::limits::{MAX_CLASSES_PER_SCHOOL, MAX_RESERVED_SEATS};
use crate::model::{School, SchoolId, SourceFile};
use std::path::Path;

/// Reads and validates the schools file (its warnings are dropped; see [`parse_schools`]).
pub fn read_schools(path: &Path, dialect: &InputDialect) -> Result<(Vec<School>, SourceFile), InputError> {
    let input = read_input(path, InputKind::Csv)?;
    let (schools, _) = parse_schools(&input.bytes, path, dialect)?;
    Ok((schools, input.source))
}

/// Parses and validates the bytes of the schools file `path`; also returns
/// warnings (school ids that differ only by case or invisible characters).
pub fn parse_schools(bytes: &[u8], path: &Path, dialect: &InputDialect) -> Result<(Vec<School>, Vec<InputWarning>), InputError> {
    let table = Table::parse(bytes, path, dialect, "school")?;
    let c_id = table.require("school_id")?;
    let c_name = table.require("name")?;
    let c_location = table.location_columns(dialect)?;
    let c_classes = table.require("classes")?;
    let c_share = table.require("prev_migration_share")?;
    let c_min = table.optional("min_classes");
    let c_max = table.optional("max_classes");
    let c_reserved = table.optional("reserved_seats");

    let mut ids = UniqueIds::new("school_id");
    let mut schools = Vec::with_capacity(table.rows.len());
    for (line, row) in &table.rows {
        let line = *line;
        let id = table.id(line, row, c_id)?;
        ids.check(&table, line, id)?;
        let location = table.location(line, row, &c_location)?;
        let classes = table.count(line, row, c_classes, 0, MAX_CLASSES_PER_SCHOOL)?;
        let prev_migration_share = table.number(line, row, c_share, 0.0..=1.0, "a share between 0 and 1 (e.g. 0.18 for 18%)")?;
        let min_classes = table
            .optional_count(line, row, c_min, 0, MAX_CLASSES_PER_SCHOOL)?
            .unwrap_or(classes);
        let max_classes = table
            .optional_count(line, row, c_max, 0, MAX_CLASSES_PER_SCHOOL)?
            .unwrap_or(classes);
        let reserved_seats = table.optional_count(line, row, c_reserved, 0, MAX_RESERVED_SEATS)?.unwrap_or(0);
        if min_classes > max_classes {
            return Err(InputError::Inconsistent {
                path: table.path.clone(),
                line,
                message: format!(
                    "school `{id}` has min_classes {min_classes} > max_classes {max_classes}; make min_classes at most max_classes"
                ),
            });
        }
        schools.push(School {
            id: SchoolId(id.to_string()),
            name: table.text(row, c_name).to_string(),
            location,
            classes,
            min_classes,
            max_classes,
            reserved_seats,
            prev_migration_share,
        });
    }
    let lines = table.rows.iter().map(|(line, _)| *line);
    let warnings = look_alike_ids(path, "school_id", schools.iter().map(|s| s.id.as_str()).zip(lines))
        .into_iter()
        .collect();
    Ok((schools, warnings))
}
