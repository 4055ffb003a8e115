//! Readers for the files of a multi-year result folder that the audit
//! checks across years: `DIR/years.csv` (the classes each school opens in
//! each year) and the sibling price stated in `DIR/summary.json`.

use super::source::{InputKind, read_input};
use super::table::Table;
use super::{InputDialect, InputError};
use crate::model::limits::MAX_CLASSES_PER_SCHOOL;
use crate::model::{SourceFile, YearPlan};
use std::collections::HashMap;
use std::path::Path;

/// The classes opened per year and school, `opened[t][s]`, as `years.csv`
/// states them (`None`: no row for that school and year).
pub type OpenedClasses = Vec<Vec<Option<u32>>>;

/// Reads `years.csv` of a multi-year result (`school_id,year,classes_opened`, ...).
pub fn read_years_table(path: &Path, dialect: &InputDialect, plan: &YearPlan) -> Result<(OpenedClasses, SourceFile), InputError> {
    let input = read_input(path, InputKind::Csv)?;
    Ok((parse_years_table(&input.bytes, path, dialect, plan)?, input.source))
}

/// Parses the bytes of `years.csv` (see [`read_years_table`]): every school
/// and year label must be the plan's, each pair at most once.
pub fn parse_years_table(bytes: &[u8], path: &Path, dialect: &InputDialect, plan: &YearPlan) -> Result<OpenedClasses, InputError> {
    let table = Table::parse(bytes, path, dialect, "school-year")?;
    let c_school = table.require("school_id")?;
    let c_year = table.require("year")?;
    let c_opened = table.require("classes_opened")?;
    let schools = &plan.years[0].schools;
    let school_index: HashMap<&str, usize> = schools.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let mut opened = vec![vec![None; schools.len()]; plan.years.len()];
    for (line, row) in &table.rows {
        let line = *line;
        let id = table.id(line, row, c_school)?;
        let &s = school_index.get(id).ok_or_else(|| InputError::UnknownSchool {
            path: table.path.clone(),
            line,
            column: "school_id",
            id: id.to_string(),
        })?;
        let label = table.id(line, row, c_year)?;
        let Some(t) = plan.labels.iter().position(|l| l == label) else {
            return Err(InputError::Inconsistent {
                path: table.path.clone(),
                line,
                message: format!(
                    "year `{label}` is not a year of the scenario (its years: {}); audit the folder with the scenario that wrote it",
                    plan.labels.join(", ")
                ),
            });
        };
        if opened[t][s].is_some() {
            return Err(InputError::Inconsistent {
                path: table.path.clone(),
                line,
                message: format!("school {id} and year {label} have a second row; keep one row per school and year"),
            });
        }
        opened[t][s] = Some(table.count(line, row, c_opened, 0, MAX_CLASSES_PER_SCHOOL)?);
    }
    Ok(opened)
}

/// What the top-level `summary.json` of a multi-year result states that the
/// audit reads.
#[derive(Debug, Clone, PartialEq)]
pub struct StatedSummary {
    /// `status` (`optimal`, `time_limit`, `gap_limit` or `infeasible`).
    pub status: Option<String>,
    /// `sibling_pairs.penalty_m`, `None` when it states none.
    pub sibling_price_m: Option<f64>,
}

/// Reads the top-level `summary.json` of a multi-year result.
pub fn read_years_summary(path: &Path) -> Result<(StatedSummary, SourceFile), InputError> {
    let input = read_input(path, InputKind::GeoJson)?;
    let value: serde_json::Value = serde_json::from_slice(&input.bytes).map_err(|e| InputError::Scenario {
        path: path.to_path_buf(),
        message: format!("not the summary.json of a multi-year result ({e}); audit the folder `solve -o DIR` wrote"),
    })?;
    let stated = StatedSummary {
        status: value["status"].as_str().map(str::to_string),
        sibling_price_m: value["sibling_pairs"]["penalty_m"].as_f64(),
    };
    Ok((stated, input.source))
}
