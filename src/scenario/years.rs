//! Loading a multi-year scenario: the scenario's own cohort (year 0, loaded
//! as any scenario) and the cohorts its `[[year]]` entries name, with the
//! rooms columns of `schools.csv`, into a [`YearPlan`].

use super::load::{LoadedScenario, load_scenario_cached};
use super::way_cache::WayCache;
use crate::input::source::InputKind;
use crate::input::{
    InputDialect, InputError, SIBLING_ID_COLUMN, SiblingRef, YearEntry, check_locations, parse_address_register, parse_pupils_with,
    parse_rooms, parse_scenario_file, parse_sibling_ids, read_input,
};
use crate::model::{Instance, Metric, SchoolRooms, SiblingPair, YearPlan};
use std::path::{Path, PathBuf};

/// A multi-year scenario as loaded: year 0 as a scenario, and the plan.
#[derive(Debug, Clone)]
pub struct LoadedYears {
    /// The scenario as a single-year scenario (its own `pupils`: year 0).
    pub first: LoadedScenario,
    /// Every year's instance, labels, rooms and grades.
    pub plan: YearPlan,
}

/// Whether the scenario file lists `[[year]]` entries (read as written,
/// without its base).
pub fn is_multi_year(path: &Path) -> Result<bool, InputError> {
    let input = read_input(path, InputKind::Scenario)?;
    Ok(!parse_scenario_file(&input.bytes, path)?.year.is_empty())
}

/// Loads a multi-year scenario. Year 0 is the scenario's own `pupils` file;
/// a first `[[year]]` entry naming that same file only gives it its label.
pub fn load_years(path: &Path, cache: &WayCache) -> Result<LoadedYears, InputError> {
    let first = load_scenario_cached(path, cache)?;
    let input = read_input(path, InputKind::Scenario)?;
    let file = parse_scenario_file(&input.bytes, path)?;
    let text = String::from_utf8_lossy(&input.bytes);
    let entries: Vec<(u64, YearEntry)> = file
        .year
        .iter()
        .map(|e| (line_at(&text, e.span().start), e.get_ref().clone()))
        .collect();
    check_supported(path, &first)?;
    let folder = path.parent().unwrap_or(Path::new("."));
    let first_pupils = first.instance.sources[2].path.clone();
    let mut labels = vec!["1".to_string()];
    let mut years = vec![first.instance.clone()];
    let mut sibling_refs = vec![first_sibling_refs(&first)?];
    for (position, (line, entry)) in entries.iter().enumerate() {
        let pupils_path = folder.join(&entry.pupils);
        if position == 0 && same_file(&pupils_path, &first_pupils) {
            labels[0] = checked_label(path, *line, entry.label.clone(), &labels[..0])?;
            continue;
        }
        let label = checked_label(path, *line, entry.label.clone().or(Some((years.len() + 1).to_string())), &labels)?;
        let (instance, refs) = year_instance(path, *line, &first, &pupils_path)?;
        years.push(instance);
        sibling_refs.push(refs);
        labels.push(label);
    }
    let rooms = read_rooms(&first)?;
    let siblings = sibling_pairs(&years, &labels, &sibling_refs)?;
    let plan = YearPlan {
        years,
        labels,
        rooms,
        grades: first.instance.rules.grades,
        siblings,
    };
    Ok(LoadedYears { first, plan })
}

/// 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> u64 {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

/// Whether two paths name one file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn scenario_error(path: &Path, line: u64, message: String) -> InputError {
    InputError::Inconsistent {
        path: path.to_path_buf(),
        line,
        message,
    }
}

/// A label usable as a folder name (`year-<label>`), unique in the plan.
fn checked_label(path: &Path, line: u64, label: Option<String>, taken: &[String]) -> Result<String, InputError> {
    let label = label.unwrap_or_else(|| "1".into());
    let fine = !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') && label.len() <= 40;
    if !fine {
        return Err(scenario_error(
            path,
            line,
            format!(
                "[[year]] label = \"{label}\" must be 1 to 40 letters, digits, '-' or '_' (it names the folder year-<label>), e.g. label = \"2027\""
            ),
        ));
    }
    if taken.contains(&label) {
        return Err(scenario_error(
            path,
            line,
            format!("[[year]] label = \"{label}\" is used twice; give every year its own label"),
        ));
    }
    Ok(label)
}

/// Rules and metrics that multi-year planning does not take (exit 2, with what to do).
fn check_supported(path: &Path, first: &LoadedScenario) -> Result<(), InputError> {
    let rules = &first.instance.rules;
    let unsupported = [
        (first.districts.is_some(), "districts (a district plan is evaluated for one year)"),
        (
            rules.migration_basis == crate::model::MigrationBasis::Intake,
            "migration_basis = \"intake\"",
        ),
        (rules.max_moves.is_some(), "max_moves"),
        (rules.has_balance_rules(), "max_migration_share / max_share_deviation"),
        (rules.max_school_change.is_some(), "max_school_change"),
        (rules.contiguous, "contiguous = true"),
        (
            first.instance.ways.metric != Metric::Haversine,
            "a [distance] metric other than haversine",
        ),
    ];
    match unsupported.iter().find(|(set, _)| *set) {
        Some((_, what)) => Err(InputError::Scenario {
            path: path.to_path_buf(),
            message: format!(
                "multi-year planning ([[year]]) does not take {what} yet; remove it, or remove the [[year]] entries to solve this year alone"
            ),
        }),
        None => Ok(()),
    }
}

/// The instance of a forecast year: year 0's schools, rules and settings,
/// the pupils of `pupils_path` (no baseline: last year's file is this year's);
/// and the file's filled `sibling_id` cells.
fn year_instance(path: &Path, line: u64, first: &LoadedScenario, pupils_path: &PathBuf) -> Result<(Instance, Vec<SiblingRef>), InputError> {
    if let Err(reason) = std::fs::metadata(pupils_path) {
        return Err(scenario_error(
            path,
            line,
            format!(
                "[[year]] pupils = \"{}\": cannot read it ({reason}); check the path (relative to this scenario file)",
                pupils_path.display()
            ),
        ));
    }
    let dialect = &first.dialect;
    let register = match &dialect.addresses {
        Some(register_path) => Some(parse_address_register(
            &read_input(register_path, InputKind::Csv)?.bytes,
            register_path,
            dialect,
        )?),
        None => None,
    };
    let input = read_input(pupils_path, InputKind::Csv)?;
    let schools = &first.instance.schools;
    let (pupils, _) = parse_pupils_with(&input.bytes, pupils_path, dialect, schools, register.as_ref())?;
    let refs = parse_sibling_ids(&input.bytes, pupils_path, dialect)?;
    let schools_path = first.instance.sources[1].path.clone();
    check_locations(schools, &pupils, (&schools_path, pupils_path), dialect)?;
    let mut sources = first.instance.sources.clone();
    sources[2] = input.source;
    let instance = Instance {
        pupils,
        sources,
        ..first.instance.clone()
    };
    Ok((instance, refs))
}

/// The filled `sibling_id` cells of year 0's pupils file (read again; it
/// must be the bytes the instance was read from).
fn first_sibling_refs(first: &LoadedScenario) -> Result<Vec<SiblingRef>, InputError> {
    let source = &first.instance.sources[2];
    let input = read_input(&source.path, InputKind::Csv)?;
    if input.source.sha256 != source.sha256 {
        return Err(InputError::Scenario {
            path: source.path.clone(),
            message: "the file changed while it was read; run again".into(),
        });
    }
    parse_sibling_ids(&input.bytes, &source.path, &first.dialect)
}

/// Resolves every year's `sibling_id` cells to pairs: the named pupil must
/// be in exactly one earlier year of the plan.
fn sibling_pairs(years: &[Instance], labels: &[String], refs: &[Vec<SiblingRef>]) -> Result<Vec<SiblingPair>, InputError> {
    let index: Vec<PupilIndex> = years.iter().map(pupil_index).collect();
    let mut pairs = Vec::new();
    for (t, year_refs) in refs.iter().enumerate() {
        let pupils_path = &years[t].sources[2].path;
        for r in year_refs {
            let Some(&younger) = index[t].get(r.pupil_id.as_str()) else {
                continue;
            };
            let earlier: Vec<(usize, usize)> = (0..t)
                .filter_map(|y| index[y].get(r.sibling_id.as_str()).map(|&p| (y, p)))
                .collect();
            match earlier.as_slice() {
                [(older_year, older)] => pairs.push(SiblingPair {
                    younger_year: t,
                    younger,
                    older_year: *older_year,
                    older: *older,
                }),
                _ => {
                    return Err(InputError::Inconsistent {
                        path: pupils_path.clone(),
                        line: r.line,
                        message: sibling_id_problem(&index, labels, t, r, &earlier),
                    });
                }
            }
        }
    }
    Ok(pairs)
}

/// A year's pupils by id.
type PupilIndex<'y> = std::collections::HashMap<&'y str, usize>;

fn pupil_index(year: &Instance) -> PupilIndex<'_> {
    year.pupils.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect()
}

/// Why a `sibling_id` of year `t` names no single pupil of an earlier year.
fn sibling_id_problem(index: &[PupilIndex], labels: &[String], t: usize, r: &SiblingRef, earlier: &[(usize, usize)]) -> String {
    let (pupil, sibling) = (&r.pupil_id, &r.sibling_id);
    if earlier.len() > 1 {
        let named: Vec<&str> = earlier.iter().map(|&(y, _)| labels[y].as_str()).collect();
        return format!(
            "pupil `{pupil}`: {SIBLING_ID_COLUMN} `{sibling}` names pupils of the years {}; pupil ids are unique only within a year, so the older sibling cannot be told apart: give the older siblings ids unique across the plan's years",
            named.join(" and ")
        );
    }
    let same_or_later = (t..index.len()).find(|&y| index[y].contains_key(sibling.as_str()));
    let earlier_years = match t {
        0 => "none: this is the plan's first year".to_string(),
        _ => labels[..t].join(", "),
    };
    match same_or_later {
        Some(y) => format!(
            "pupil `{pupil}` (year {}): {SIBLING_ID_COLUMN} `{sibling}` names a pupil of {} year {}; {SIBLING_ID_COLUMN} must name an older sibling in an earlier year of the plan (earlier years: {earlier_years}); leave the cell empty, or give the sibling's school as sibling_school",
            labels[t],
            if y == t { "the same" } else { "the later" },
            labels[y]
        ),
        None => format!(
            "pupil `{pupil}` (year {}): unknown {SIBLING_ID_COLUMN} `{sibling}`: no pupil of an earlier year of the plan (earlier years: {earlier_years}) has this pupil_id; correct the id, or leave the cell empty",
            labels[t]
        ),
    }
}

/// A single-year scenario cannot name siblings by id (they live in an
/// earlier year's file of a multi-year plan): an error naming the first
/// filled `sibling_id` cell. A multi-year scenario's cells are checked with
/// the plan ([`load_years`]).
pub fn reject_single_year_sibling_ids(scenario: &Path, bytes: &[u8], pupils_path: &Path, dialect: &InputDialect) -> Result<(), InputError> {
    if !bytes.windows(SIBLING_ID_COLUMN.len()).any(|w| w == SIBLING_ID_COLUMN.as_bytes()) {
        return Ok(());
    }
    let refs = parse_sibling_ids(bytes, pupils_path, dialect)?;
    let Some(first) = refs.first() else { return Ok(()) };
    if is_multi_year(scenario)? {
        return Ok(());
    }
    Err(InputError::Inconsistent {
        path: pupils_path.to_path_buf(),
        line: first.line,
        message: format!(
            "pupil `{}` names {SIBLING_ID_COLUMN} `{}`, but {} is a single-year scenario (no [[year]] entries): {SIBLING_ID_COLUMN} names an older sibling in an earlier year's pupils file of a multi-year plan; leave the column empty and give the sibling's school as sibling_school, or plan the years together with [[year]] entries",
            first.pupil_id,
            first.sibling_id,
            scenario.display()
        ),
    })
}

/// The rooms columns of the schools file, per school of the instance
/// (schools the file does not list, e.g. added by a change: no limit).
fn read_rooms(first: &LoadedScenario) -> Result<Vec<SchoolRooms>, InputError> {
    let source = &first.instance.sources[1];
    let input = read_input(&source.path, InputKind::Csv)?;
    if input.source.sha256 != source.sha256 {
        return Err(InputError::Scenario {
            path: source.path.clone(),
            message: "the file changed while it was read; run again".into(),
        });
    }
    let grades = first.instance.rules.grades;
    let rooms_of = parse_rooms(&input.bytes, &source.path, &first.dialect, grades)?;
    Ok(first
        .instance
        .schools
        .iter()
        .map(|s| {
            rooms_of.get(s.id.as_str()).cloned().unwrap_or_else(|| SchoolRooms {
                rooms: None,
                older_classes: vec![0; grades.saturating_sub(1) as usize],
            })
        })
        .collect())
}
