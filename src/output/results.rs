//! Writers for the outputs of `solve`: `assignments.csv`, `schools.csv`,
//! `units.csv` (unit assignment only) and `summary.json`. All contents are
//! rendered first and then written as one set ([`OutputDir::replace_set`]).

use super::{OutputDir, OutputError, OutputFile, OutputKind, WrittenSet};
use crate::model::{AssignMode, Instance};
use crate::report::{SchoolRow, Summary};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// One row of `assignments.csv`.
#[derive(Debug, Clone, Serialize)]
struct AssignmentLine<'a> {
    pupil_id: &'a str,
    school_id: &'a str,
    distance_m: String,
    straight_m: String,
}

/// One row of `units.csv`: a unit (street section) and its school.
#[derive(Debug, Clone, Serialize)]
struct UnitLine<'a> {
    unit_id: &'a str,
    school_id: &'a str,
    pupils: u32,
}

/// Renders rows as CSV bytes with a header.
pub fn csv_bytes<T: Serialize>(rows: impl IntoIterator<Item = T>, name: &str) -> Result<Vec<u8>, OutputError> {
    let encode = |e: csv::Error| OutputError::Encode {
        path: PathBuf::from(name),
        message: e.to_string(),
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        writer.serialize(row).map_err(encode)?;
    }
    writer.into_inner().map_err(|e| OutputError::Encode {
        path: PathBuf::from(name),
        message: e.to_string(),
    })
}

/// Renders a value as pretty JSON with a final newline.
pub fn json_bytes<T: Serialize>(value: &T, name: &str) -> Result<Vec<u8>, OutputError> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|e| OutputError::Encode {
        path: PathBuf::from(name),
        message: e.to_string(),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Decimals of `distance_m` in `assignments.csv`: millimetres, so that an
/// auditor can recompute every way and the total from the file.
pub const DISTANCE_DECIMALS: usize = 3;

/// A way in metres as written in `assignments.csv` (to the millimetre).
pub fn distance_text(metres: f64) -> String {
    format!("{metres:.DISTANCE_DECIMALS$}")
}

/// Renders `assignments.csv`: `pupil_id,school_id,distance_m,straight_m`, in
/// pupil file order, for the pupils with a school (all of them for an
/// optimum). `distance_m` is the way under the metric in force,
/// `straight_m` the great-circle line.
pub fn assignments_csv(instance: &Instance, school_of: &[Option<usize>]) -> Result<Vec<u8>, OutputError> {
    let rows = instance.pupils.iter().zip(school_of).enumerate().filter_map(|(i, (p, s))| {
        let school = &instance.schools[(*s)?];
        let straight = instance.straight_m(i, (*s)?);
        Some(AssignmentLine {
            pupil_id: p.id.as_str(),
            school_id: school.id.as_str(),
            distance_m: distance_text(instance.way_m(i, (*s)?).unwrap_or(f64::INFINITY)),
            straight_m: distance_text(straight),
        })
    });
    csv_bytes(rows, "assignments.csv")
}

/// Renders `units.csv`: `unit_id,school_id,pupils`, sorted by school then unit.
pub fn units_csv(instance: &Instance, school_of: &[usize]) -> Result<Vec<u8>, OutputError> {
    let mut units: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    for (p, &s) in instance.pupils.iter().zip(school_of) {
        if let Some(unit) = &p.unit {
            *units.entry((instance.schools[s].id.as_str(), unit.as_str())).or_default() += 1;
        }
    }
    csv_bytes(
        units.into_iter().map(|((school_id, unit_id), pupils)| UnitLine {
            unit_id,
            school_id,
            pupils,
        }),
        "units.csv",
    )
}

/// The files of a solve: with an assignment `assignments.csv`,
/// `schools.csv` (and `units.csv` with unit assignment); always `summary.json`.
pub fn solve_files(
    instance: &Instance,
    school_of: Option<&[usize]>,
    rows: Option<&[SchoolRow]>,
    summary: &Summary,
) -> Result<Vec<OutputFile>, OutputError> {
    let mut files = Vec::new();
    if let (Some(school_of), Some(rows)) = (school_of, rows) {
        let placed: Vec<Option<usize>> = school_of.iter().copied().map(Some).collect();
        files.push(OutputFile::private("assignments.csv", assignments_csv(instance, &placed)?));
        files.push(OutputFile::shared("schools.csv", csv_bytes(rows, "schools.csv")?));
        if instance.rules.assign == AssignMode::Units {
            files.push(OutputFile::private("units.csv", units_csv(instance, school_of)?));
        }
    }
    files.push(OutputFile::private("summary.json", json_bytes(summary, "summary.json")?));
    Ok(files)
}

/// Writes every output of a solve into `dir` as one set (files of an
/// earlier run that this one does not write are removed).
pub fn write_solve_outputs(
    dir: &OutputDir,
    instance: &Instance,
    school_of: Option<&[usize]>,
    rows: Option<&[SchoolRow]>,
    summary: &Summary,
) -> Result<WrittenSet, OutputError> {
    dir.replace_set(OutputKind::Solve, &solve_files(instance, school_of, rows, summary)?)
}
