//! Reader for scenario files (TOML): names the two input files (relative to
//! the scenario file) and holds the rule and solver settings.
//!
//! ```toml
//! name = "Magdeburg 2026/27"
//! schools = "../data/magdeburg/schools.csv"
//! pupils = "../data/magdeburg/pupils.csv"
//! [rules]
//! class_size = 22
//! reduced_class_size = 17
//! migration_threshold = 0.25
//! migration_basis = "previous_year"   # or "intake"
//! [solver]
//! mip_gap = 0.0
//! ```

use super::{InputDialect, InputError, read_pupils, read_schools};
use crate::model::{AssignMode, Instance, Rules, SolverSettings};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A scenario file as written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Scenario name (default: the file's stem).
    #[serde(default)]
    pub name: Option<String>,
    /// Path of `schools.csv`, relative to the scenario file.
    pub schools: PathBuf,
    /// Path of `pupils.csv`, relative to the scenario file.
    pub pupils: PathBuf,
    /// Table `[rules]`.
    #[serde(default)]
    pub rules: Rules,
    /// Table `[solver]`.
    #[serde(default)]
    pub solver: SolverSettings,
    /// Table `[input]`: the CSV dialect.
    #[serde(default)]
    pub input: InputDialect,
}

/// Reads and parses a scenario file without loading the files it names.
pub fn read_scenario_file(path: &Path) -> Result<ScenarioFile, InputError> {
    let text = std::fs::read_to_string(path).map_err(|source| InputError::Unreadable { path: path.to_path_buf(), reason: source })?;
    let file: ScenarioFile = toml::from_str(&text).map_err(|e| InputError::Scenario {
        path: path.to_path_buf(),
        message: format!("{}; see the README for the scenario keys", e.to_string().trim_end()),
    })?;
    validate_settings(path, &file)?;
    Ok(file)
}

/// Reads a scenario file and the files it names into a validated [`Instance`].
pub fn load_scenario(path: &Path) -> Result<Instance, InputError> {
    let file = read_scenario_file(path)?;
    let folder = path.parent().unwrap_or(Path::new("."));
    let (schools, schools_source) = read_schools(&folder.join(&file.schools), &file.input)?;
    let (pupils, pupils_source) = read_pupils(&folder.join(&file.pupils), &file.input, &schools)?;
    let scenario_source = crate::model::SourceFile {
        path: path.to_path_buf(),
        sha256: super::sha256_hex(&std::fs::read(path).map_err(|source| InputError::Unreadable { path: path.to_path_buf(), reason: source })?),
    };
    let instance = Instance {
        name: file.name.clone().unwrap_or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()),
        schools,
        pupils,
        rules: file.rules,
        solver: file.solver,
        sources: vec![scenario_source, schools_source, pupils_source],
    };
    if instance.rules.assign == AssignMode::Units {
        check_unit_locks(&instance, &folder.join(&file.pupils))?;
    }
    Ok(instance)
}

fn scenario_error(path: &Path, message: String) -> InputError {
    InputError::Scenario { path: path.to_path_buf(), message }
}

/// Range checks of the rule and solver numbers.
fn validate_settings(path: &Path, file: &ScenarioFile) -> Result<(), InputError> {
    let r = &file.rules;
    if r.class_size == 0 || r.reduced_class_size == 0 {
        return Err(scenario_error(path, "[rules] class_size and reduced_class_size must be at least 1".into()));
    }
    if !(0.0..=1.0).contains(&r.migration_threshold) {
        return Err(scenario_error(path, format!("[rules] migration_threshold = {} must be a share between 0 and 1", r.migration_threshold)));
    }
    if let Some(d) = r.max_distance_m
        && !(d.is_finite() && d > 0.0)
    {
        return Err(scenario_error(path, format!("[rules] max_distance_m = {d} must be a positive number of metres")));
    }
    if !(r.acceptable_way_m.is_finite() && r.acceptable_way_m >= 0.0) {
        return Err(scenario_error(path, "[rules] acceptable_way_m must be a non-negative number of metres".into()));
    }
    let s = &file.solver;
    if !(s.mip_gap.is_finite() && s.mip_gap >= 0.0) {
        return Err(scenario_error(path, format!("[solver] mip_gap = {} must be 0 or a positive fraction", s.mip_gap)));
    }
    if let Some(t) = s.time_limit_s
        && !(t.is_finite() && t > 0.0)
    {
        return Err(scenario_error(path, format!("[solver] time_limit_s = {t} must be a positive number of seconds")));
    }
    if s.threads == 0 {
        return Err(scenario_error(path, "[solver] threads must be at least 1".into()));
    }
    if s.candidate_nearest == 0 || !(s.candidate_radius_m.is_finite() && s.candidate_radius_m >= 0.0) {
        return Err(scenario_error(path, "[solver] candidate_nearest must be at least 1 and candidate_radius_m non-negative".into()));
    }
    if !file.input.delimiter.is_ascii() {
        return Err(scenario_error(path, "[input] delimiter must be one ASCII character".into()));
    }
    Ok(())
}

/// With unit assignment, the pupils of one unit cannot be locked to two schools.
fn check_unit_locks(instance: &Instance, pupils_path: &Path) -> Result<(), InputError> {
    let mut lock_of_unit: HashMap<&str, (usize, &str)> = HashMap::new();
    for pupil in &instance.pupils {
        if let (Some(unit), Some(school)) = (&pupil.unit, pupil.fixed_school) {
            match lock_of_unit.get(unit.as_str()) {
                Some(&(other, other_pupil)) if other != school => {
                    return Err(InputError::Scenario {
                        path: pupils_path.to_path_buf(),
                        message: format!(
                            "unit `{unit}` is locked to two schools: pupil `{other_pupil}` to `{}` and pupil `{}` to `{}`; with assign = \"units\" a street section goes to one school, so give its pupils the same fixed_school",
                            instance.schools[other].id, pupil.id, instance.schools[school].id
                        ),
                    });
                }
                _ => {
                    lock_of_unit.insert(unit.as_str(), (school, pupil.id.as_str()));
                }
            }
        }
    }
    Ok(())
}
