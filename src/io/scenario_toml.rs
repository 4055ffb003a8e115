//! Reader for scenario files (TOML): names the input files (relative to the
//! scenario file) and holds the rule and solver settings.
//!
//! ```toml
//! name = "Magdeburg 2026/27"
//! schools = "../data/magdeburg/schools.csv"
//! pupils = "../data/magdeburg/pupils.csv"
//! # districts = "plan.geojson"      # evaluate this district plan instead of optimising
//! [rules]
//! class_size = 22
//! reduced_class_size = 17
//! migration_threshold = 0.25
//! migration_basis = "previous_year"   # or "intake"
//! [solver]
//! mip_gap = 0.0
//! ```
//!
//! A scenario may instead start from a `base` scenario (a path relative to
//! this file; bases may chain, a loop is an error): it takes over the base's
//! files and settings, overrides whatever keys it writes itself (in
//! `[rules]`, `[solver]`, `[input]` key by key) and adds `[[change]]`
//! entries on top of the base's changes (see [`super::changes`]).
//!
//! [`load_scenario`] is the single entry point that builds the [`Instance`];
//! [`load_scenario_with_districts`] also reads a district plan.

use super::changes::{Change, ParsedChange, apply_pupil_changes, apply_school_changes, overlay, parse_change};
use super::districts_geojson::read_district_plan;
use super::{InputDialect, InputError, read_pupils, read_schools};
use crate::geometry::DistrictPlan;
use crate::model::{AssignMode, Instance, Rules, SolverSettings, SourceFile};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A scenario file as written (its base not read).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Scenario name (default: the file's stem).
    #[serde(default)]
    pub name: Option<String>,
    /// A scenario this one starts from, relative to this file.
    #[serde(default)]
    pub base: Option<PathBuf>,
    /// Path of `schools.csv`, relative to the scenario file (required without a base).
    #[serde(default)]
    pub schools: Option<PathBuf>,
    /// Path of `pupils.csv`, relative to the scenario file (required without a base).
    #[serde(default)]
    pub pupils: Option<PathBuf>,
    /// A district plan (GeoJSON) to evaluate instead of optimising.
    #[serde(default)]
    pub districts: Option<PathBuf>,
    /// Last year's assignment (`pupil_id,school_id` or `unit_id,school_id`),
    /// relative to this file: the baseline for `move_penalty_m` and `max_moves`.
    #[serde(default)]
    pub baseline: Option<PathBuf>,
    /// Table `[rules]`.
    #[serde(default)]
    pub rules: Rules,
    /// Table `[solver]`.
    #[serde(default)]
    pub solver: SolverSettings,
    /// Table `[input]`: the CSV dialect.
    #[serde(default)]
    pub input: InputDialect,
    /// `[[change]]` entries, checked when the scenario is resolved.
    #[serde(default)]
    pub change: Vec<toml::Spanned<toml::Table>>,
}

/// A scenario with its bases and settings changes resolved: what is loaded.
#[derive(Debug, Clone)]
pub struct ResolvedScenario {
    /// Scenario name.
    pub name: String,
    /// The scenario file and its bases, this file first.
    pub files: Vec<PathBuf>,
    /// The schools file (a path usable from the current folder).
    pub schools: PathBuf,
    /// The pupils file (after any `kind = "pupils"` change).
    pub pupils: PathBuf,
    /// The district plan, if the scenario evaluates one.
    pub districts: Option<PathBuf>,
    /// Last year's assignment, if the scenario names one.
    pub baseline: Option<PathBuf>,
    /// Rules in force.
    pub rules: Rules,
    /// Solver settings in force.
    pub solver: SolverSettings,
    /// CSV dialect.
    pub input: InputDialect,
    /// Changes to schools and pupils, in order.
    pub changes: Vec<Change>,
}

/// An instance and, for a district-plan scenario, the plan.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    /// The instance (schools, pupils, rules, sources).
    pub instance: Instance,
    /// The district plan to evaluate instead of optimising.
    pub districts: Option<DistrictPlan>,
}

fn scenario_error(path: &Path, message: String) -> InputError {
    InputError::Scenario {
        path: path.to_path_buf(),
        message,
    }
}

/// Reads and parses a scenario file as written, without its base or the files it names.
pub fn read_scenario_file(path: &Path) -> Result<ScenarioFile, InputError> {
    Ok(parse_file(path)?.0)
}

/// The typed file, its raw table (to know which keys are written) and its text.
fn parse_file(path: &Path) -> Result<(ScenarioFile, toml::Table, String), InputError> {
    let text = std::fs::read_to_string(path).map_err(|source| InputError::Unreadable {
        path: path.to_path_buf(),
        reason: source,
    })?;
    let file: ScenarioFile = toml::from_str(&text)
        .map_err(|e| scenario_error(path, format!("{}; see the README for the scenario keys", e.to_string().trim_end())))?;
    let raw: toml::Table = toml::from_str(&text).map_err(|e| scenario_error(path, e.to_string().trim_end().to_string()))?;
    validate_settings(path, &file.rules, &file.solver, &file.input)?;
    Ok((file, raw, text))
}

/// Settings while a chain is resolved: tables, so that a child can override key by key.
struct Draft {
    files: Vec<PathBuf>,
    schools: PathBuf,
    pupils: PathBuf,
    districts: Option<PathBuf>,
    baseline: Option<PathBuf>,
    rules: toml::Table,
    solver: toml::Table,
    input: toml::Table,
    changes: Vec<Change>,
}

fn table_of<T: Serialize>(value: &T) -> toml::Table {
    toml::Table::try_from(value).expect("settings serialise to a TOML table")
}

/// Reads a scenario and its bases and folds settings and changes together.
pub fn resolve_scenario(path: &Path) -> Result<ResolvedScenario, InputError> {
    let draft = resolve(path, &mut Vec::new())?;
    let file = parse_file(path)?.0;
    let name = file
        .name
        .unwrap_or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
    let settings_error = |e: toml::de::Error| scenario_error(path, format!("{} (after its base and changes)", e.message().trim_end()));
    let rules: Rules = draft.rules.try_into().map_err(settings_error)?;
    let solver: SolverSettings = draft.solver.try_into().map_err(settings_error)?;
    let input: InputDialect = draft.input.try_into().map_err(settings_error)?;
    validate_settings(path, &rules, &solver, &input)?;
    Ok(ResolvedScenario {
        name,
        files: draft.files,
        schools: draft.schools,
        pupils: draft.pupils,
        districts: draft.districts,
        baseline: draft.baseline,
        rules,
        solver,
        input,
        changes: draft.changes,
    })
}

fn resolve(path: &Path, chain: &mut Vec<(PathBuf, PathBuf)>) -> Result<Draft, InputError> {
    let (file, raw, text) = parse_file(path)?;
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if let Some(first) = chain.iter().position(|(c, _)| *c == canonical) {
        let mut names: Vec<String> = chain[first..].iter().map(|(_, p)| p.display().to_string()).collect();
        names.push(path.display().to_string());
        let (_, last) = chain.last().expect("a loop has a previous file");
        return Err(scenario_error(
            last,
            format!(
                "the `base` chain loops: {}; a scenario cannot be its own base, remove one of the `base` keys",
                names.join(" -> ")
            ),
        ));
    }
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut draft = match &file.base {
        Some(base) => {
            chain.push((canonical, path.to_path_buf()));
            let base_path = folder.join(base);
            if let Err(reason) = std::fs::metadata(&base_path) {
                return Err(scenario_error(
                    path,
                    format!(
                        "base = \"{}\": cannot read {} ({reason}); check the path (relative to this scenario file)",
                        base.display(),
                        base_path.display()
                    ),
                ));
            }
            let mut draft = resolve(&base_path, chain)?;
            chain.pop();
            for (key, table) in [
                ("rules", &mut draft.rules),
                ("solver", &mut draft.solver),
                ("input", &mut draft.input),
            ] {
                if let Some(toml::Value::Table(written)) = raw.get(key) {
                    for (k, v) in written {
                        table.insert(k.clone(), v.clone());
                    }
                }
            }
            draft
        }
        None => {
            let (Some(schools), Some(pupils)) = (&file.schools, &file.pupils) else {
                return Err(scenario_error(
                    path,
                    "needs `schools` and `pupils` (paths relative to the scenario file), or a `base` scenario to take them from".into(),
                ));
            };
            Draft {
                files: Vec::new(),
                schools: folder.join(schools),
                pupils: folder.join(pupils),
                districts: None,
                baseline: None,
                rules: table_of(&file.rules),
                solver: table_of(&file.solver),
                input: table_of(&file.input),
                changes: Vec::new(),
            }
        }
    };
    draft.files.insert(0, path.to_path_buf());
    if let Some(schools) = &file.schools {
        draft.schools = folder.join(schools);
    }
    if let Some(pupils) = &file.pupils {
        draft.pupils = folder.join(pupils);
    }
    if let Some(districts) = &file.districts {
        draft.districts = Some(folder.join(districts));
    }
    if let Some(baseline) = &file.baseline {
        draft.baseline = Some(folder.join(baseline));
    }
    for (i, spanned) in file.change.iter().enumerate() {
        let line = text[..spanned.span().start.min(text.len())].matches('\n').count() as u64 + 1;
        match parse_change(spanned.get_ref().clone(), path, line, i + 1)? {
            ParsedChange::Rules(set, unset) => {
                overlay::<Rules>(&mut draft.rules, &set, &unset).map_err(|e| change_error(path, line, i + 1, "rules", &e, "[rules]"))?;
            }
            ParsedChange::Solver(set, unset) => {
                overlay::<SolverSettings>(&mut draft.solver, &set, &unset)
                    .map_err(|e| change_error(path, line, i + 1, "solver", &e, "[solver]"))?;
            }
            ParsedChange::Pupils(pupils) => draft.pupils = pupils,
            ParsedChange::Other(change) => draft.changes.push(change),
        }
    }
    Ok(draft)
}

fn change_error(path: &Path, line: u64, number: usize, kind: &str, message: &str, table: &str) -> InputError {
    InputError::Inconsistent {
        path: path.to_path_buf(),
        line,
        message: format!("[[change]] {number} (kind = \"{kind}\"): {message}; use the keys of {table} (see the README)"),
    }
}

/// Reads a scenario file (and its bases) and the files it names into a
/// validated [`Instance`], with every change applied. A `districts` plan is
/// not read here; see [`load_scenario_with_districts`].
pub fn load_scenario(path: &Path) -> Result<Instance, InputError> {
    Ok(load(path, false)?.instance)
}

/// Like [`load_scenario`], and reads the scenario's district plan, if it names one.
pub fn load_scenario_with_districts(path: &Path) -> Result<LoadedScenario, InputError> {
    load(path, true)
}

fn load(path: &Path, with_districts: bool) -> Result<LoadedScenario, InputError> {
    let resolved = resolve_scenario(path)?;
    let (mut schools, schools_source) = read_schools(&resolved.schools, &resolved.input)?;
    let closed = apply_school_changes(&mut schools, &resolved.changes, &resolved.schools)?;
    let (pupils, pupils_source) = read_pupils(&resolved.pupils, &resolved.input, &schools)?;
    let mut sources = vec![source_of(path)?, schools_source, pupils_source];
    for base in &resolved.files[1..] {
        sources.push(source_of(base)?);
    }
    let mut instance = Instance {
        name: resolved.name.clone(),
        schools,
        pupils,
        rules: resolved.rules.clone(),
        solver: resolved.solver.clone(),
        sources,
    };
    let areas = apply_pupil_changes(&mut instance, &resolved.changes, &closed, &resolved.schools, &resolved.pupils)?;
    instance.sources.extend(areas);
    if instance.rules.assign == AssignMode::Units {
        check_unit_locks(&instance, &resolved.pupils)?;
    }
    if let Some(baseline) = &resolved.baseline {
        let source = super::baseline_csv::read_baseline(baseline, &resolved.input, &mut instance)?;
        instance.sources.push(source);
    }
    let districts = match (&resolved.districts, with_districts) {
        (Some(plan_path), true) => {
            let (plan, source) = read_district_plan(plan_path, &instance.schools)?;
            instance.sources.push(source);
            Some(plan)
        }
        _ => None,
    };
    Ok(LoadedScenario { instance, districts })
}

fn source_of(path: &Path) -> Result<SourceFile, InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Unreadable {
        path: path.to_path_buf(),
        reason: source,
    })?;
    Ok(SourceFile {
        path: path.to_path_buf(),
        sha256: super::sha256_hex(&bytes),
    })
}

/// Range checks of the rule and solver numbers.
fn validate_settings(path: &Path, r: &Rules, s: &SolverSettings, input: &InputDialect) -> Result<(), InputError> {
    if r.class_size == 0 || r.reduced_class_size == 0 {
        return Err(scenario_error(
            path,
            "[rules] class_size and reduced_class_size must be at least 1".into(),
        ));
    }
    if !(0.0..=1.0).contains(&r.migration_threshold) {
        return Err(scenario_error(
            path,
            format!(
                "[rules] migration_threshold = {} must be a share between 0 and 1",
                r.migration_threshold
            ),
        ));
    }
    if let Some(d) = r.max_distance_m
        && !(d.is_finite() && d > 0.0)
    {
        return Err(scenario_error(
            path,
            format!("[rules] max_distance_m = {d} must be a positive number of metres"),
        ));
    }
    for (key, value) in [("move_penalty_m", r.move_penalty_m), ("sibling_weight_m", r.sibling_weight_m)] {
        if !(value.is_finite() && value >= 0.0) {
            return Err(scenario_error(
                path,
                format!("[rules] {key} = {value} must be a non-negative number of metres"),
            ));
        }
    }
    if !(r.acceptable_way_m.is_finite() && r.acceptable_way_m >= 0.0) {
        return Err(scenario_error(
            path,
            "[rules] acceptable_way_m must be a non-negative number of metres".into(),
        ));
    }
    if !(s.mip_gap.is_finite() && s.mip_gap >= 0.0) {
        return Err(scenario_error(
            path,
            format!("[solver] mip_gap = {} must be 0 or a positive fraction", s.mip_gap),
        ));
    }
    if let Some(t) = s.time_limit_s
        && !(t.is_finite() && t > 0.0)
    {
        return Err(scenario_error(
            path,
            format!("[solver] time_limit_s = {t} must be a positive number of seconds"),
        ));
    }
    if s.threads == 0 {
        return Err(scenario_error(path, "[solver] threads must be at least 1".into()));
    }
    if s.candidate_nearest == 0 || !(s.candidate_radius_m.is_finite() && s.candidate_radius_m >= 0.0) {
        return Err(scenario_error(
            path,
            "[solver] candidate_nearest must be at least 1 and candidate_radius_m non-negative".into(),
        ));
    }
    if !input.delimiter.is_ascii() {
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
