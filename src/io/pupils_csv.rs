//! Reader for `pupils.csv`: `pupil_id,lat,lon,migration_background` (0 or 1),
//! optional `unit_id,fixed_school,sibling_school`.

use super::table::{Table, UniqueIds};
use super::{InputDialect, InputError};
use crate::model::{Pupil, PupilId, School, SourceFile, UnitId};
use std::collections::HashMap;
use std::path::Path;

/// Reads and validates the pupils file; `fixed_school` must name a school of `schools`.
pub fn read_pupils(path: &Path, dialect: &InputDialect, schools: &[School]) -> Result<(Vec<Pupil>, SourceFile), InputError> {
    let table = Table::read(path, dialect, "pupil")?;
    let c_id = table.require("pupil_id")?;
    let c_lat = table.require("lat")?;
    let c_lon = table.require("lon")?;
    let c_mig = table.require("migration_background")?;
    let c_unit = table.optional("unit_id");
    let c_fixed = table.optional("fixed_school");
    let c_sibling = table.optional("sibling_school");
    let school_index: HashMap<&str, usize> = schools.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();

    let mut ids = UniqueIds::new("pupil_id");
    let mut pupils = Vec::with_capacity(table.rows.len());
    for (line, row) in &table.rows {
        let line = *line;
        let id = table.id(line, row, c_id)?;
        ids.check(&table, line, id)?;
        let location = table.location(line, row, c_lat, c_lon)?;
        let migrant = match table.text(row, c_mig) {
            "0" => false,
            "1" => true,
            other => return Err(table.bad(line, c_mig, other, "0 or 1 (1 = migration background)")),
        };
        let unit = c_unit
            .map(|c| table.text(row, c))
            .filter(|u| !u.is_empty())
            .map(|u| UnitId(u.to_string()));
        let school_in = |col: Option<usize>, column: &'static str| -> Result<Option<usize>, InputError> {
            match col.map(|c| table.text(row, c)).filter(|f| !f.is_empty()) {
                None => Ok(None),
                Some(f) => school_index.get(f).map(|&s| Some(s)).ok_or_else(|| InputError::UnknownSchool {
                    path: table.path.clone(),
                    line,
                    column,
                    id: f.to_string(),
                }),
            }
        };
        let fixed_school = school_in(c_fixed, "fixed_school")?;
        let sibling_school = school_in(c_sibling, "sibling_school")?;
        pupils.push(Pupil {
            id: PupilId(id.to_string()),
            location,
            migrant,
            unit,
            fixed_school,
            sibling_school,
            baseline_school: None,
        });
    }
    let source = SourceFile {
        path: table.path.clone(),
        sha256: table.sha256.clone(),
    };
    Ok((pupils, source))
}
