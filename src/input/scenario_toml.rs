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

use super::changes::{Change, ParsedChange, overlay, parse_change};
use super::distance_settings::{DistanceSettings, DistanceTable};
use super::source::{InputFiles, InputKind};
use super::{InputDialect, InputError, OutputSettings};
use crate::model::{Rules, SettingProblem, SolverSettings, SourceFile};
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
    /// Table `[distance]`: the distance metric and its file.
    #[serde(default)]
    pub distance: Option<DistanceTable>,
    /// Table `[output]`: the CSV dialect of the outputs.
    #[serde(default)]
    pub output: OutputSettings,
    /// `[[change]]` entries, checked when the scenario is resolved.
    #[serde(default)]
    pub change: Vec<toml::Spanned<toml::Table>>,
    /// `[[year]]` entries: forecast cohorts planned together with this
    /// year's `pupils` (multi-year planning; read from this file only).
    #[serde(default)]
    pub year: Vec<toml::Spanned<YearEntry>>,
}

/// One `[[year]]` entry of a multi-year scenario.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearEntry {
    /// The year's pupils file, relative to the scenario file.
    pub pupils: PathBuf,
    /// The year's name in the outputs (default: its position, 2 for the first entry).
    #[serde(default)]
    pub label: Option<String>,
}

/// A scenario with its bases and settings changes resolved: what is loaded.
#[derive(Debug, Clone)]
pub struct ResolvedScenario {
    /// Scenario name.
    pub name: String,
    /// The scenario file and its bases, this file first.
    pub files: Vec<PathBuf>,
    /// Path and SHA-256 of the scenario file and its bases, as read and parsed, in the order of `files`.
    pub sources: Vec<SourceFile>,
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
    /// The distance metric and its file.
    pub distance: DistanceSettings,
    /// Output settings.
    pub output: OutputSettings,
    /// Changes to schools and pupils, in order.
    pub changes: Vec<Change>,
}

fn scenario_error(path: &Path, message: String) -> InputError {
    InputError::Scenario {
        path: path.to_path_buf(),
        message,
    }
}

/// Reads and parses a scenario file as written, without its base or the files it names.
pub fn read_scenario_file(path: &Path) -> Result<ScenarioFile, InputError> {
    Ok(parse_file(&mut InputFiles::default(), path)?.file)
}

/// Parses the bytes of the scenario file `path` as written (its base and
/// the files it names are not read, its settings not yet checked: a base
/// may complete them).
pub fn parse_scenario_file(bytes: &[u8], path: &Path) -> Result<ScenarioFile, InputError> {
    let source = SourceFile {
        path: path.to_path_buf(),
        sha256: super::sha256_hex(bytes),
    };
    Ok(parse_bytes(bytes, path, source)?.file)
}

/// One scenario file, parsed from the bytes read once.
struct Parsed {
    /// The typed file.
    file: ScenarioFile,
    /// Its raw table (which keys are written).
    raw: toml::Table,
    /// Line of each key of `[rules]`, `[solver]`, `[input]` (`"rules.class_size"`).
    key_lines: HashMap<String, u64>,
    /// Line of each `[[change]]` entry.
    change_lines: Vec<u64>,
    /// Path and hash of the bytes parsed.
    source: SourceFile,
}

/// Reads (once, through `files`) and parses the scenario file `path`.
fn parse_file(files: &mut InputFiles, path: &Path) -> Result<Parsed, InputError> {
    let input = files.read(path, InputKind::Scenario)?;
    parse_bytes(&input.bytes, path, input.source)
}

/// 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> u64 {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

/// Parses the text once into a spanned document, and from it the typed
/// file, the raw table and the lines of the keys and changes.
fn parse_bytes(bytes: &[u8], path: &Path, source: SourceFile) -> Result<Parsed, InputError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        scenario_error(path, format!("line {line}: the file is not UTF-8 text; save it as UTF-8"))
    })?;
    let toml_error = |mut e: toml::de::Error, hint: &str| {
        e.set_input(Some(text));
        scenario_error(path, format!("{}{hint}", e.to_string().trim_end()))
    };
    let document = toml::de::DeTable::parse(text).map_err(|e| toml_error(e, ""))?;
    let file = ScenarioFile::deserialize(toml::de::Deserializer::from(document.clone()))
        .map_err(|e| toml_error(e, "; see the README for the scenario keys"))?;
    let raw = toml::Table::deserialize(toml::de::Deserializer::from(document.clone())).map_err(|e| toml_error(e, ""))?;
    let mut key_lines = HashMap::new();
    for (table_key, table) in document.get_ref().iter() {
        if let Some(table) = table.get_ref().as_table() {
            for (key, _) in table.iter() {
                let name = format!("{}.{}", table_key.get_ref(), key.get_ref());
                key_lines.insert(name, line_at(text, key.span().start));
            }
        }
    }
    let change_lines = file.change.iter().map(|c| line_at(text, c.span().start)).collect();
    Ok(Parsed {
        file,
        raw,
        key_lines,
        change_lines,
        source,
    })
}

/// Where a setting was last written, for messages.
#[derive(Debug, Clone)]
struct Site {
    /// Order of writing over the whole chain (later wins).
    order: usize,
    path: PathBuf,
    line: Option<u64>,
    /// `[rules] ` or `[[change]] 2 (kind = "rules"): `.
    label: String,
}

/// Settings while a chain is resolved: tables, so that a child can override key by key.
struct Draft {
    files: Vec<PathBuf>,
    sources: Vec<SourceFile>,
    schools: PathBuf,
    pupils: PathBuf,
    districts: Option<PathBuf>,
    baseline: Option<PathBuf>,
    rules: toml::Table,
    solver: toml::Table,
    input: toml::Table,
    distance: DistanceSettings,
    output: toml::Table,
    changes: Vec<Change>,
    /// Where each setting (`"rules.class_size"`, `"baseline"`) was last written.
    written: HashMap<String, Site>,
}

impl Draft {
    fn wrote(&mut self, key: String, path: &Path, line: Option<u64>, label: String) {
        let order = self.written.values().map(|s| s.order).max().unwrap_or(0) + 1;
        let site = Site {
            order,
            path: path.to_path_buf(),
            line,
            label,
        };
        self.written.insert(key, site);
    }
}

fn table_of<T: Serialize>(value: &T) -> toml::Table {
    toml::Table::try_from(value).expect("settings serialise to a TOML table")
}

/// Reads a scenario and its bases and folds settings and changes together;
/// checks every rule, solver and input setting.
pub fn resolve_scenario(path: &Path) -> Result<ResolvedScenario, InputError> {
    resolve_with(&mut InputFiles::default(), path)
}

pub(crate) fn resolve_with(files: &mut InputFiles, path: &Path) -> Result<ResolvedScenario, InputError> {
    let (draft, name) = resolve(files, path, &mut Vec::new())?;
    let name = name.unwrap_or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
    let settings_error = |e: toml::de::Error| scenario_error(path, format!("{} (after its base and changes)", e.message().trim_end()));
    let rules: Rules = draft.rules.clone().try_into().map_err(settings_error)?;
    let solver: SolverSettings = draft.solver.clone().try_into().map_err(settings_error)?;
    let mut input: InputDialect = draft.input.clone().try_into().map_err(settings_error)?;
    if let (Some(register), Some(site)) = (&input.addresses, draft.written.get("input.addresses")) {
        input.addresses = Some(site.path.parent().unwrap_or(Path::new(".")).join(register));
    }
    let output: OutputSettings = draft.output.clone().try_into().map_err(settings_error)?;
    blame(&draft, path, "rules", rules.check())?;
    blame(&draft, path, "solver", solver.check())?;
    blame(&draft, path, "input", input.check())?;
    blame(&draft, path, "distance", draft.distance.check())?;
    if let (Some((key, value)), None) = (rules.keys_needing_baseline().first(), &draft.baseline) {
        let problem = SettingProblem {
            keys: vec![key],
            message: format!(
                "{key} = {value} needs a baseline (last year's assignment) to count changes against; add baseline = \"FILE.csv\" or remove {key}"
            ),
        };
        blame(&draft, path, "rules", Err(problem))?;
    }
    Ok(ResolvedScenario {
        name,
        files: draft.files,
        sources: draft.sources,
        schools: draft.schools,
        pupils: draft.pupils,
        districts: draft.districts,
        baseline: draft.baseline,
        rules,
        solver,
        input,
        distance: draft.distance,
        output,
        changes: draft.changes,
    })
}

/// A settings problem as an error at the place that last wrote one of its keys.
fn blame(draft: &Draft, path: &Path, table: &str, checked: Result<(), SettingProblem>) -> Result<(), InputError> {
    let Err(problem) = checked else { return Ok(()) };
    let site = problem
        .keys
        .iter()
        .filter_map(|key| draft.written.get(&format!("{table}.{key}")))
        .max_by_key(|site| site.order);
    let (path, line, label) = match site {
        Some(site) => (site.path.clone(), site.line, site.label.clone()),
        None => (path.to_path_buf(), None, format!("[{table}] ")),
    };
    Err(InputError::Setting {
        path,
        line,
        site: label,
        message: problem.message,
    })
}

/// Resolves `path` and its bases into a draft; also returns this file's `name`.
fn resolve(files: &mut InputFiles, path: &Path, chain: &mut Vec<(PathBuf, PathBuf)>) -> Result<(Draft, Option<String>), InputError> {
    let parsed = parse_file(files, path)?;
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
    let file = &parsed.file;
    let mut draft = match &file.base {
        Some(base) => {
            chain.push((canonical, path.to_path_buf()));
            let draft = resolve_base(files, path, base, chain)?;
            chain.pop();
            draft
        }
        None => first_draft(path, file)?,
    };
    write_settings(&mut draft, path, &parsed);
    if let Some(table) = &file.distance {
        for key in draft.distance.overlay(table, path) {
            let name = format!("distance.{key}");
            let line = parsed.key_lines.get(&name).copied();
            draft.wrote(name, path, line, "[distance] ".into());
        }
    }
    draft.files.insert(0, path.to_path_buf());
    draft.sources.insert(0, parsed.source.clone());
    for (slot, written) in [(&mut draft.schools, &file.schools), (&mut draft.pupils, &file.pupils)] {
        if let Some(p) = written {
            *slot = folder.join(p);
        }
    }
    if let Some(districts) = &file.districts {
        draft.districts = Some(folder.join(districts));
    }
    if let Some(baseline) = &file.baseline {
        draft.baseline = Some(folder.join(baseline));
    }
    apply_setting_changes(&mut draft, path, &parsed)?;
    Ok((draft, parsed.file.name))
}

/// The draft of a base scenario, read relative to `path`.
fn resolve_base(files: &mut InputFiles, path: &Path, base: &Path, chain: &mut Vec<(PathBuf, PathBuf)>) -> Result<Draft, InputError> {
    let base_path = path.parent().unwrap_or(Path::new(".")).join(base);
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
    Ok(resolve(files, &base_path, chain)?.0)
}

/// The draft of a scenario without a base: its files and the defaults.
fn first_draft(path: &Path, file: &ScenarioFile) -> Result<Draft, InputError> {
    let (Some(schools), Some(pupils)) = (&file.schools, &file.pupils) else {
        return Err(scenario_error(
            path,
            "needs `schools` and `pupils` (paths relative to the scenario file), or a `base` scenario to take them from".into(),
        ));
    };
    let folder = path.parent().unwrap_or(Path::new("."));
    Ok(Draft {
        files: Vec::new(),
        sources: Vec::new(),
        schools: folder.join(schools),
        pupils: folder.join(pupils),
        districts: None,
        baseline: None,
        rules: table_of(&Rules::default()),
        solver: table_of(&SolverSettings::default()),
        input: table_of(&InputDialect::default()),
        distance: DistanceSettings::default(),
        output: table_of(&OutputSettings::default()),
        changes: Vec::new(),
        written: HashMap::new(),
    })
}

/// Overlays the keys this file writes in `[rules]`, `[solver]`, `[input]`.
fn write_settings(draft: &mut Draft, path: &Path, parsed: &Parsed) {
    for key in ["rules", "solver", "input", "output"] {
        let Some(toml::Value::Table(written)) = parsed.raw.get(key) else {
            continue;
        };
        for (k, v) in written {
            let table = match key {
                "rules" => &mut draft.rules,
                "solver" => &mut draft.solver,
                "output" => &mut draft.output,
                _ => &mut draft.input,
            };
            table.insert(k.clone(), v.clone());
            let name = format!("{key}.{k}");
            let line = parsed.key_lines.get(&name).copied();
            draft.wrote(name, path, line, format!("[{key}] "));
        }
    }
}

/// Applies this file's `[[change]]` entries: settings and the pupil file
/// now, school and pupil changes later (in order).
fn apply_setting_changes(draft: &mut Draft, path: &Path, parsed: &Parsed) -> Result<(), InputError> {
    for (i, spanned) in parsed.file.change.iter().enumerate() {
        let line = parsed.change_lines[i];
        let label = |kind: &str| format!("[[change]] {} (kind = \"{kind}\"): ", i + 1);
        match parse_change(spanned.get_ref().clone(), path, line, i + 1)? {
            ParsedChange::Rules(set, unset) => {
                overlay::<Rules>(&mut draft.rules, &set, &unset).map_err(|e| change_error(path, line, i + 1, "rules", &e, "[rules]"))?;
                for key in set.keys().chain(&unset) {
                    draft.wrote(format!("rules.{key}"), path, Some(line), label("rules"));
                }
            }
            ParsedChange::Solver(set, unset) => {
                overlay::<SolverSettings>(&mut draft.solver, &set, &unset)
                    .map_err(|e| change_error(path, line, i + 1, "solver", &e, "[solver]"))?;
                for key in set.keys().chain(&unset) {
                    draft.wrote(format!("solver.{key}"), path, Some(line), label("solver"));
                }
            }
            ParsedChange::Pupils(pupils) => draft.pupils = pupils,
            ParsedChange::Other(change) => draft.changes.push(change),
        }
    }
    Ok(())
}

fn change_error(path: &Path, line: u64, number: usize, kind: &str, message: &str, table: &str) -> InputError {
    InputError::Inconsistent {
        path: path.to_path_buf(),
        line,
        message: format!("[[change]] {number} (kind = \"{kind}\"): {message}; use the keys of {table} (see the README)"),
    }
}
