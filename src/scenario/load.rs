//! Loading a scenario: its file (and bases) resolved by the input layer, the
//! files it names read once and parsed, its changes applied, into a
//! validated [`Instance`] (and the district plan, if it names one).

use super::changes::{apply_pupil_changes, apply_school_changes};
use super::way_cache::WayCache;
use crate::geometry::DistrictPlan;
use crate::input::source::{InputFiles, InputKind};
use crate::input::{
    InputDialect, InputError, InputWarning, OutputSettings, check_locations, parse_address_register, parse_baseline, parse_bylaw_plan,
    parse_district_plan, parse_pupils_with, parse_schools, resolve_with,
};
use crate::model::{AssignMode, Instance};
use std::collections::HashMap;
use std::path::Path;

/// An instance and, for a district-plan scenario, the plan.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    /// The instance (schools, pupils, rules, sources).
    pub instance: Instance,
    /// The district plan to evaluate instead of optimising.
    pub districts: Option<DistrictPlan>,
    /// The CSV dialect of the scenario (for further files, e.g. an assignment to audit).
    pub dialect: InputDialect,
    /// How the scenario's CSV outputs are written (`[output]`).
    pub output: OutputSettings,
    /// What looks like a mistake in the inputs but is read as written.
    pub warnings: Vec<InputWarning>,
    /// The OpenStreetMap extract the scenario names (`[distance] osm`),
    /// resolved: its streets and water are drawn under the report's maps.
    pub osm: Option<std::path::PathBuf>,
}

/// Reads a scenario file (and its bases) and the files it names into a
/// validated [`Instance`], with every change applied. A `districts` plan is
/// not read here; see [`load_scenario_with_districts`].
pub fn load_scenario(path: &Path) -> Result<Instance, InputError> {
    Ok(load(path, false, &WayCache::off())?.instance)
}

/// Like [`load_scenario`], and reads the scenario's district plan, if it
/// names one; with the scenario's CSV dialect and the inputs' warnings.
pub fn load_scenario_with_districts(path: &Path) -> Result<LoadedScenario, InputError> {
    load(path, true, &WayCache::off())
}

/// Like [`load_scenario_with_districts`], with the walking ways taken from
/// (and kept in) `cache` (see [`super::way_cache`]).
pub fn load_scenario_cached(path: &Path, cache: &WayCache) -> Result<LoadedScenario, InputError> {
    load(path, true, cache)
}

/// Like [`load_scenario_with_districts`] without reading a district plan
/// (`districts` is `None`): for `audit`, which checks a given assignment.
pub fn load_scenario_without_districts(path: &Path) -> Result<LoadedScenario, InputError> {
    load(path, false, &WayCache::off())
}

/// Like [`load_scenario_without_districts`], with the walk graph, the snaps
/// and the ways known taken from `cache` when one of its files matches (see
/// [`super::way_cache`]; `audit` and `report` read it, never write it).
pub fn load_scenario_without_districts_cached(path: &Path, cache: &WayCache) -> Result<LoadedScenario, InputError> {
    load(path, false, cache)
}

/// Every file is read once (through one [`InputFiles`]): the bytes parsed are the bytes hashed.
fn load(path: &Path, with_districts: bool, cache: &WayCache) -> Result<LoadedScenario, InputError> {
    let mut files = InputFiles::default();
    let resolved = resolve_with(&mut files, path)?;
    let schools_input = files.read(&resolved.schools, InputKind::Csv)?;
    let (mut schools, mut warnings) = parse_schools(&schools_input.bytes, &resolved.schools, &resolved.input)?;
    let closed = apply_school_changes(&mut schools, &resolved.changes, &resolved.schools)?;
    let register = match &resolved.input.addresses {
        Some(path) => {
            let input = files.read(path, InputKind::Csv)?;
            Some((parse_address_register(&input.bytes, path, &resolved.input)?, input.source))
        }
        None => None,
    };
    let pupils_input = files.read(&resolved.pupils, InputKind::Csv)?;
    let (pupils, pupil_warnings) = parse_pupils_with(
        &pupils_input.bytes,
        &resolved.pupils,
        &resolved.input,
        &schools,
        register.as_ref().map(|r| &r.0),
    )?;
    warnings.extend(pupil_warnings);
    super::years::reject_single_year_sibling_ids(path, &pupils_input.bytes, &resolved.pupils, &resolved.input)?;
    let mut sources = vec![resolved.sources[0].clone(), schools_input.source, pupils_input.source];
    sources.extend(resolved.sources[1..].iter().cloned());
    sources.extend(register.map(|(_, source)| source));
    let mut instance = Instance {
        name: resolved.name.clone(),
        schools,
        pupils,
        rules: resolved.rules.clone(),
        solver: resolved.solver.clone(),
        sources,
        ways: Default::default(),
    };
    if resolved.baseline.is_none() && resolved.rules.move_penalty_m > 0.0 {
        warnings.push(InputWarning {
            path: path.to_path_buf(),
            message: format!(
                "move_penalty_m = {} has no effect: the scenario names no baseline to count moves against; add baseline = \"FILE.csv\" or remove move_penalty_m",
                resolved.rules.move_penalty_m
            ),
        });
    }
    let paths = (resolved.schools.as_path(), resolved.pupils.as_path());
    let areas = apply_pupil_changes(&mut instance, &resolved.changes, &closed, paths, &mut files)?;
    instance.sources.extend(areas);
    check_locations(&instance.schools, &instance.pupils, paths, &resolved.input)?;
    match instance.rules.assign {
        AssignMode::Units => check_unit_locks(&instance, &resolved.pupils)?,
        AssignMode::Homes => check_home_locks(&instance, &resolved.pupils)?,
        AssignMode::Pupils => {}
    }
    if let Some(baseline) = &resolved.baseline {
        let input = files.read(baseline, InputKind::Csv)?;
        parse_baseline(&input.bytes, baseline, &resolved.input, &mut instance)?;
        instance.sources.push(input.source);
    }
    super::ways::attach_ways(&mut instance, &resolved.distance, &resolved.input, &mut files, cache, &mut warnings)?;
    let districts = match (&resolved.districts, with_districts) {
        (Some(plan_path), true) if is_csv(plan_path) => {
            let input = files.read(plan_path, InputKind::Csv)?;
            let plan = parse_bylaw_plan(&input.bytes, plan_path, &resolved.input, &instance.schools)?;
            instance.sources.push(input.source);
            Some(plan)
        }
        (Some(plan_path), true) => {
            let input = files.read(plan_path, InputKind::GeoJson)?;
            let plan = parse_district_plan(&input.bytes, plan_path, &instance.schools)?;
            instance.sources.push(input.source);
            Some(plan)
        }
        _ => None,
    };
    Ok(LoadedScenario {
        instance,
        districts,
        dialect: resolved.input,
        output: resolved.output,
        warnings,
        osm: resolved.distance.osm.clone(),
    })
}

/// Whether a plan file is a by-law table (`.csv`) rather than GeoJSON polygons.
fn is_csv(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// With home assignment, the pupils of one home cannot be locked to two schools.
fn check_home_locks(instance: &Instance, pupils_path: &Path) -> Result<(), InputError> {
    for home in crate::solve::groups::home_members(instance) {
        let mut locked = home.iter().filter_map(|&p| instance.pupils[p].fixed_school.map(|s| (p, s)));
        let Some((first, school)) = locked.next() else { continue };
        if let Some((other, other_school)) = locked.find(|&(_, s)| s != school) {
            let (a, b) = (&instance.pupils[first], &instance.pupils[other]);
            return Err(InputError::Scenario {
                path: pupils_path.to_path_buf(),
                message: format!(
                    "pupils `{}` and `{}` live at one home (same address or coordinates) but are locked to two schools, `{}` and `{}`; with assign = \"homes\" a home goes to one school, so give them the same fixed_school",
                    a.id, b.id, instance.schools[school].id, instance.schools[other_school].id
                ),
            });
        }
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
