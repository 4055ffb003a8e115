//! Reader for `pupils.csv`: `pupil_id,lat,lon,migration_background` (0 or 1),
//! optional `unit_id,fixed_school,sibling_school,street,house_number`.

use super::addresses::{AddressColumns, AddressRegister, unknown_addresses};
use super::locations::LocationColumns;
use super::look_alike::look_alike_ids;
use super::source::{InputKind, read_input};
use super::table::{Table, UniqueIds};
use super::{InputDialect, InputError, InputWarning};
use crate::model::{Address, Pupil, PupilId, School, SourceFile, UnitId};
use std::collections::HashMap;
use std::path::Path;

/// Reads and validates the pupils file; `fixed_school` must name a school
/// of `schools` (warnings are dropped; see [`parse_pupils`]).
pub fn read_pupils(path: &Path, dialect: &InputDialect, schools: &[School]) -> Result<(Vec<Pupil>, SourceFile), InputError> {
    let input = read_input(path, InputKind::Csv)?;
    let (pupils, _) = parse_pupils(&input.bytes, path, dialect, schools)?;
    Ok((pupils, input.source))
}

/// Parses and validates the bytes of the pupils file `path`; also returns
/// warnings (pupil or unit ids that differ only by case or invisible characters).
pub fn parse_pupils(
    bytes: &[u8],
    path: &Path,
    dialect: &InputDialect,
    schools: &[School],
) -> Result<(Vec<Pupil>, Vec<InputWarning>), InputError> {
    parse_pupils_with(bytes, path, dialect, schools, None)
}

/// Where each pupil's home is read from: coordinates, or an address looked up in a register.
enum Homes<'r> {
    Coordinates(Box<LocationColumns>),
    Addresses(&'r AddressRegister, AddressColumns),
}

/// Like [`parse_pupils`]; with an address `register`, a file without
/// coordinate columns gives each pupil's home as `street,house_number`
/// (optional `postcode`), placed at the register's house coordinates.
/// Every address the register does not hold is listed in one error.
pub fn parse_pupils_with(
    bytes: &[u8],
    path: &Path,
    dialect: &InputDialect,
    schools: &[School],
    register: Option<&AddressRegister>,
) -> Result<(Vec<Pupil>, Vec<InputWarning>), InputError> {
    let table = Table::parse(bytes, path, dialect, "pupil")?;
    let c_id = table.require("pupil_id")?;
    let homes = match register {
        Some(register) if table.has("street") && !table.has("lat") && !table.has("x") => {
            Homes::Addresses(register, register.columns(&table)?)
        }
        _ => Homes::Coordinates(Box::new(table.location_columns(dialect)?)),
    };
    let mut unknown = Vec::new();
    let c_mig = table.require("migration_background")?;
    let c_unit = table.optional("unit_id");
    let c_fixed = table.optional("fixed_school");
    let c_sibling = table.optional("sibling_school");
    let c_address = address_columns(&table)?;
    let school_index: HashMap<&str, usize> = schools.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();

    let mut ids = UniqueIds::new("pupil_id");
    let mut pupils = Vec::with_capacity(table.rows.len());
    for (line, row) in &table.rows {
        let line = *line;
        let id = table.id(line, row, c_id)?;
        ids.check(&table, line, id)?;
        let location = match &homes {
            Homes::Coordinates(columns) => table.location(line, row, columns)?,
            Homes::Addresses(register, columns) => match register.locate(&table, row, columns) {
                Ok(location) => location,
                Err(why) => {
                    unknown.push((line, id.to_string(), why));
                    continue;
                }
            },
        };
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
            address: address(&table, line, row, c_address)?,
            fixed_school,
            sibling_school,
            baseline_school: None,
        });
    }
    if !unknown.is_empty() {
        return Err(unknown_addresses(path, &unknown));
    }
    let warnings = look_alikes(&table, &pupils);
    Ok((pupils, warnings))
}

/// The optional columns `street` and `house_number`: both or neither.
fn address_columns(table: &Table) -> Result<Option<(usize, usize)>, InputError> {
    match (table.optional("street"), table.optional("house_number")) {
        (Some(s), Some(h)) => Ok(Some((s, h))),
        (None, None) => Ok(None),
        (Some(_), None) => table.require("house_number").map(|_| None),
        (None, Some(_)) => table.require("street").map(|_| None),
    }
}

/// A row's address: both cells filled, or both empty (no address).
fn address(table: &Table, line: u64, row: &csv::StringRecord, columns: Option<(usize, usize)>) -> Result<Option<Address>, InputError> {
    let Some((c_street, c_number)) = columns else {
        return Ok(None);
    };
    match (table.text(row, c_street), table.text(row, c_number)) {
        ("", "") => Ok(None),
        (street, "") => Err(table.bad(
            line,
            c_number,
            "",
            &format!("a house number for street `{street}` (or leave both street and house_number empty)"),
        )),
        ("", number) => Err(table.bad(
            line,
            c_street,
            "",
            &format!("a street for house number `{number}` (or leave both street and house_number empty)"),
        )),
        (street, number) => Ok(Some(Address {
            street: street.to_string(),
            house_number: number.to_string(),
        })),
    }
}

/// Warnings for pupil ids and unit ids that differ only by case or invisible characters.
fn look_alikes(table: &Table, pupils: &[Pupil]) -> Vec<InputWarning> {
    let lines = || table.rows.iter().map(|(line, _)| *line);
    let pupil_ids = pupils.iter().map(|p| p.id.as_str()).zip(lines());
    let unit_ids = pupils
        .iter()
        .zip(lines())
        .filter_map(|(p, line)| p.unit.as_ref().map(|u| (u.as_str(), line)));
    [
        look_alike_ids(&table.path, "pupil_id", pupil_ids),
        look_alike_ids(&table.path, "unit_id", unit_ids),
    ]
    .into_iter()
    .flatten()
    .collect()
}
