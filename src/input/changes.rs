//! `[[change]]` entries of a scenario: what-if changes on top of a base
//! scenario, applied in order (the base's changes first).
//!
//! ```toml
//! base = "magdeburg.toml"          # relative to this file; bases may chain
//!
//! [[change]]
//! kind = "close_school"            # classes, min, max and reserved seats become 0
//! school = "GS32"
//!
//! [[change]]
//! kind = "open_school"             # a new school; columns as in schools.csv
//! school = "GS34"
//! name = "GS Neubau"               # default: the id
//! lat = 52.105
//! lon = 11.598
//! classes = 2                      # min_classes, max_classes default to classes
//! prev_migration_share = 0.12      # reserved_seats default 0
//!
//! [[change]]
//! kind = "set_classes"             # school = "GS03", schools = [...] or all_schools = true
//! school = "GS03"
//! classes = 5                      # min_classes and max_classes default to classes
//!
//! [[change]]
//! kind = "rules"                   # any key of [rules]; unset = ["key"] restores a default
//! min_class_size = 25
//!
//! [[change]]
//! kind = "solver"                  # any key of [solver]
//! time_limit_s = 60
//!
//! [[change]]
//! kind = "pupils"                  # another pupil file (a forecast cohort)
//! file = "../data/forecast.csv"
//!
//! [[change]]
//! kind = "lock_area"               # lock pupils to a school: by units, a GeoJSON file
//! school = "GS07"                  # (area = "north.geojson") or an inline ring
//! units = ["GS07-96-94"]           # (polygon = [[lon, lat], ...]); homes on the edge count
//! ```
//!
//! Every school and unit a change names must exist when the change applies
//! (a school opened by an earlier change counts), and every key must be
//! known; otherwise loading fails with the file, the line of the change and
//! what to fix. A lock overrides a `fixed_school` from the pupil file.

use super::InputError;
use super::districts_geojson::{id_list, parse_area};
use super::source::{InputFiles, InputKind};
use crate::geometry::{IndexedPolygon, polygon_problem};
use crate::model::limits::{MAX_CLASSES_PER_SCHOOL, MAX_RESERVED_SEATS};
use crate::model::{Instance, Location, School, SchoolId, SourceFile};
use geo::coordinate_position::CoordPos;
use geo::{Coord, LineString, Polygon};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The kinds of change, as written in `kind`.
pub const CHANGE_KINDS: &str = "close_school, open_school, set_classes, rules, solver, pupils, lock_area";

/// Where a change is written: for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeSite {
    /// The scenario file.
    pub file: PathBuf,
    /// Line of the `[[change]]` entry.
    pub line: u64,
    /// 1-based number of the entry in its file.
    pub number: usize,
    /// The `kind` as written.
    pub kind: String,
}

impl ChangeSite {
    /// An error about this change, with file, line and what to fix.
    pub fn error(&self, message: impl std::fmt::Display) -> InputError {
        InputError::Inconsistent {
            path: self.file.clone(),
            line: self.line,
            message: format!("[[change]] {} (kind = \"{}\"): {message}", self.number, self.kind),
        }
    }
}

/// A change to the schools or the pupils (rule, solver and pupil-file
/// changes are folded into the settings when the scenario is resolved).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Where it is written.
    pub site: ChangeSite,
    /// What it does.
    pub kind: ChangeKind,
}

/// What a change does.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeKind {
    /// Close a school: it opens no class and takes no pupil.
    CloseSchool(CloseSchool),
    /// Open a new school.
    OpenSchool(OpenSchool),
    /// Set classes, class range or reserved seats of one or more schools.
    SetClasses(SetClasses),
    /// Lock the pupils of an area to a school.
    LockArea(LockArea),
}

/// `kind = "close_school"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloseSchool {
    /// The school's id.
    pub school: String,
}

/// `kind = "open_school"`: the columns of `schools.csv`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenSchool {
    /// New, unused school id.
    pub school: String,
    /// Name (default: the id).
    pub name: Option<String>,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Planned first-grade classes.
    pub classes: u32,
    /// Fewest classes (default `classes`).
    pub min_classes: Option<u32>,
    /// Most classes (default `classes`).
    pub max_classes: Option<u32>,
    /// Seats already taken (default 0).
    pub reserved_seats: Option<u32>,
    /// Previous year's migration share; a new school has none, so give the
    /// expected share of its area.
    pub prev_migration_share: f64,
}

/// `kind = "set_classes"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetClasses {
    /// One school ...
    pub school: Option<String>,
    /// ... or several ...
    pub schools: Option<Vec<String>>,
    /// ... or every school (open ones; a closed school stays closed).
    pub all_schools: Option<bool>,
    /// Planned classes; `min_classes` and `max_classes` default to it.
    pub classes: Option<u32>,
    /// Fewest classes.
    pub min_classes: Option<u32>,
    /// Most classes.
    pub max_classes: Option<u32>,
    /// Seats already taken.
    pub reserved_seats: Option<u32>,
}

/// `kind = "lock_area"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockArea {
    /// The school the pupils are locked to.
    pub school: String,
    /// Units (street sections) to lock ...
    pub units: Option<Vec<String>>,
    /// ... or a GeoJSON file with the area (relative to the scenario file) ...
    pub area: Option<PathBuf>,
    /// ... or the area as one ring of [longitude, latitude] positions.
    pub polygon: Option<Vec<[f64; 2]>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct PupilsFile {
    file: PathBuf,
}

/// A parsed change, before it is applied.
#[derive(Debug, Clone)]
pub(crate) enum ParsedChange {
    /// Keys to set in `[rules]`, and keys to restore to their default.
    Rules(toml::Table, Vec<String>),
    /// Keys to set in `[solver]`, and keys to restore to their default.
    Solver(toml::Table, Vec<String>),
    /// A new pupil file (resolved against the scenario's folder).
    Pupils(PathBuf),
    /// A change to schools or pupils.
    Other(Change),
}

/// Deserialises the keys of a change (without `kind`), naming unknown keys.
fn typed<T: for<'de> Deserialize<'de>>(site: &ChangeSite, table: toml::Table, keys: &str) -> Result<T, InputError> {
    table.try_into::<T>().map_err(|e| {
        let message = e.message().trim_end().to_string();
        if message.contains("unknown field") {
            site.error(format!("{message}; correct or remove the key"))
        } else {
            site.error(format!("{message}; the keys of this kind are: {keys}"))
        }
    })
}

/// Parses one `[[change]]` table written in `folder`.
pub(crate) fn parse_change(mut table: toml::Table, file: &Path, line: u64, number: usize) -> Result<ParsedChange, InputError> {
    let kind = match table.remove("kind") {
        Some(toml::Value::String(kind)) => kind,
        _ => {
            return Err(InputError::Inconsistent {
                path: file.to_path_buf(),
                line,
                message: format!("[[change]] {number} needs `kind = \"...\"`, one of: {CHANGE_KINDS}"),
            });
        }
    };
    let site = ChangeSite {
        file: file.to_path_buf(),
        line,
        number,
        kind: kind.clone(),
    };
    let folder = file.parent().unwrap_or(Path::new("."));
    let unset = |table: &mut toml::Table| -> Result<Vec<String>, InputError> {
        match table.remove("unset") {
            None => Ok(Vec::new()),
            Some(toml::Value::Array(items)) => items
                .into_iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| site.error("`unset` must be a list of key names, e.g. unset = [\"min_class_size\"]"))
                })
                .collect(),
            Some(_) => Err(site.error("`unset` must be a list of key names, e.g. unset = [\"min_class_size\"]")),
        }
    };
    let kind = match kind.as_str() {
        "rules" => {
            let unset = unset(&mut table)?;
            return Ok(ParsedChange::Rules(table, unset));
        }
        "solver" => {
            let unset = unset(&mut table)?;
            return Ok(ParsedChange::Solver(table, unset));
        }
        "pupils" => {
            let p: PupilsFile = typed(&site, table, "file")?;
            return Ok(ParsedChange::Pupils(folder.join(p.file)));
        }
        "close_school" => ChangeKind::CloseSchool(typed(&site, table, "school")?),
        "open_school" => {
            let o: OpenSchool = typed(
                &site,
                table,
                "school, name, lat, lon, classes, min_classes, max_classes, reserved_seats, prev_migration_share",
            )?;
            check_counts(&site, Some(o.classes), o.min_classes, o.max_classes, o.reserved_seats)?;
            ChangeKind::OpenSchool(o)
        }
        "set_classes" => {
            let s: SetClasses = typed(
                &site,
                table,
                "school, schools, all_schools, classes, min_classes, max_classes, reserved_seats",
            )?;
            let selectors = s.school.is_some() as u8 + s.schools.is_some() as u8 + s.all_schools.is_some() as u8;
            if selectors != 1 || s.all_schools == Some(false) {
                return Err(site.error("say which schools: exactly one of school = \"ID\", schools = [\"ID\", ...] or all_schools = true"));
            }
            if s.classes.is_none() && s.min_classes.is_none() && s.max_classes.is_none() && s.reserved_seats.is_none() {
                return Err(site.error("set at least one of classes, min_classes, max_classes, reserved_seats"));
            }
            check_counts(&site, s.classes, s.min_classes, s.max_classes, s.reserved_seats)?;
            ChangeKind::SetClasses(s)
        }
        "lock_area" => {
            let mut l: LockArea = typed(&site, table, "school, units, area, polygon")?;
            if l.units.is_some() as u8 + l.area.is_some() as u8 + l.polygon.is_some() as u8 != 1 {
                return Err(site.error(
                    "give the area as exactly one of units = [\"UNIT\", ...], area = \"FILE.geojson\" or polygon = [[lon, lat], ...]",
                ));
            }
            l.area = l.area.map(|a| folder.join(a));
            ChangeKind::LockArea(l)
        }
        other => {
            return Err(site.error(format!("unknown kind `{other}`; use one of: {CHANGE_KINDS}")));
        }
    };
    Ok(ParsedChange::Other(Change { site, kind }))
}

/// The class counts and reserved seats a change writes, within their limits.
fn check_counts(
    site: &ChangeSite,
    classes: Option<u32>,
    min_classes: Option<u32>,
    max_classes: Option<u32>,
    reserved_seats: Option<u32>,
) -> Result<(), InputError> {
    let counts = [
        ("classes", classes, MAX_CLASSES_PER_SCHOOL),
        ("min_classes", min_classes, MAX_CLASSES_PER_SCHOOL),
        ("max_classes", max_classes, MAX_CLASSES_PER_SCHOOL),
        ("reserved_seats", reserved_seats, MAX_RESERVED_SEATS),
    ];
    for (key, value, max) in counts {
        if let Some(v) = value
            && v > max
        {
            return Err(site.error(format!("{key} = {v} must be at most {max} (see 'Checks and limits' in the README)")));
        }
    }
    Ok(())
}

/// Overlays `set` and removes `unset` keys in a settings table, and checks
/// that the result is still valid for `T`.
pub(crate) fn overlay<T: for<'de> Deserialize<'de>>(settings: &mut toml::Table, set: &toml::Table, unset: &[String]) -> Result<T, String> {
    let mut next = settings.clone();
    for (key, value) in set {
        next.insert(key.clone(), value.clone());
    }
    for key in unset {
        next.remove(key);
    }
    let typed = next.clone().try_into::<T>().map_err(|e| e.message().trim_end().to_string())?;
    for key in unset {
        // An unknown key in `unset` is as wrong as an unknown key in `set`.
        let mut probe = toml::Table::new();
        probe.insert(key.clone(), toml::Value::Boolean(false));
        if let Err(e) = probe.try_into::<T>()
            && e.message().contains("unknown field")
        {
            return Err(e.message().trim_end().to_string());
        }
    }
    *settings = next;
    Ok(typed)
}

/// Schools closed by a change, with the change that closed them.
pub(crate) type Closures = HashMap<usize, ChangeSite>;

fn school_index(schools: &[School], id: &str, site: &ChangeSite, schools_path: &Path) -> Result<usize, InputError> {
    schools.iter().position(|s| s.id.as_str() == id).ok_or_else(|| {
        site.error(format!(
            "school `{id}` is not in the schools file ({}) nor opened by an earlier change; use one of its school_id values ({})",
            schools_path.display(),
            id_list(schools)
        ))
    })
}

/// Applies the school changes in order; returns the schools they closed.
pub(crate) fn apply_school_changes(schools: &mut Vec<School>, changes: &[Change], schools_path: &Path) -> Result<Closures, InputError> {
    let mut closed = Closures::new();
    for change in changes {
        let site = &change.site;
        match &change.kind {
            ChangeKind::CloseSchool(c) => {
                let s = school_index(schools, &c.school, site, schools_path)?;
                let school = &mut schools[s];
                (school.classes, school.min_classes, school.max_classes, school.reserved_seats) = (0, 0, 0, 0);
                closed.insert(s, site.clone());
            }
            ChangeKind::OpenSchool(o) => {
                if schools.iter().any(|s| s.id.as_str() == o.school) {
                    return Err(site.error(format!(
                        "school `{}` already exists; choose a new id, or change the existing school with kind = \"set_classes\"",
                        o.school
                    )));
                }
                let location = Location::new(o.lat, o.lon).ok_or_else(|| {
                    site.error(format!(
                        "lat = {}, lon = {} is not a position in degrees (lat -90..90, lon -180..180)",
                        o.lat, o.lon
                    ))
                })?;
                if !(0.0..=1.0).contains(&o.prev_migration_share) {
                    return Err(site.error(format!(
                        "prev_migration_share = {} must be a share between 0 and 1",
                        o.prev_migration_share
                    )));
                }
                let (min_classes, max_classes) = (o.min_classes.unwrap_or(o.classes), o.max_classes.unwrap_or(o.classes));
                if min_classes > max_classes {
                    return Err(site.error(format!(
                        "min_classes {min_classes} > max_classes {max_classes}; make min_classes at most max_classes"
                    )));
                }
                schools.push(School {
                    id: SchoolId(o.school.clone()),
                    name: o.name.clone().unwrap_or_else(|| o.school.clone()),
                    location,
                    classes: o.classes,
                    min_classes,
                    max_classes,
                    reserved_seats: o.reserved_seats.unwrap_or(0),
                    prev_migration_share: o.prev_migration_share,
                });
            }
            ChangeKind::SetClasses(c) => {
                let targets: Vec<usize> = match (&c.school, &c.schools) {
                    (Some(id), _) => vec![school_index(schools, id, site, schools_path)?],
                    (_, Some(ids)) => ids
                        .iter()
                        .map(|id| school_index(schools, id, site, schools_path))
                        .collect::<Result<_, _>>()?,
                    _ => (0..schools.len()).filter(|s| !closed.contains_key(s)).collect(),
                };
                for s in targets {
                    let school = &mut schools[s];
                    if let Some(k) = c.classes {
                        (school.classes, school.min_classes, school.max_classes) = (k, k, k);
                    }
                    if let Some(k) = c.min_classes {
                        school.min_classes = k;
                    }
                    if let Some(k) = c.max_classes {
                        school.max_classes = k;
                    }
                    if let Some(r) = c.reserved_seats {
                        school.reserved_seats = r;
                    }
                    if school.min_classes > school.max_classes {
                        return Err(site.error(format!(
                            "school `{}` would have min_classes {} > max_classes {}; give both min_classes and max_classes",
                            school.id, school.min_classes, school.max_classes
                        )));
                    }
                    if school.max_classes == 0 {
                        closed.insert(s, site.clone());
                    } else {
                        closed.remove(&s);
                    }
                }
            }
            ChangeKind::LockArea(_) => {}
        }
    }
    Ok(closed)
}

/// Applies the lock changes in order to the loaded pupils; returns the area
/// files read. Fails when a lock names an unknown school or unit, locks no
/// pupil, or when a pupil is locked to a school that a change closed.
pub(crate) fn apply_pupil_changes(
    instance: &mut Instance,
    changes: &[Change],
    closed: &Closures,
    paths: (&Path, &Path),
    files: &mut InputFiles,
) -> Result<Vec<SourceFile>, InputError> {
    let (schools_path, pupils_path) = paths;
    let mut sources = Vec::new();
    for change in changes {
        let ChangeKind::LockArea(lock) = &change.kind else {
            continue;
        };
        let site = &change.site;
        let s = school_index(&instance.schools, &lock.school, site, schools_path)?;
        let inside: Vec<bool> = if let Some(units) = &lock.units {
            let known: BTreeSet<&str> = instance.pupils.iter().filter_map(|p| p.unit.as_ref().map(|u| u.as_str())).collect();
            if let Some(unknown) = units.iter().find(|u| !known.contains(u.as_str())) {
                return Err(site.error(format!(
                    "unit `{unknown}` is not a unit_id in {}; check the spelling (unit ids are case-sensitive)",
                    pupils_path.display()
                )));
            }
            let wanted: BTreeSet<&str> = units.iter().map(String::as_str).collect();
            instance
                .pupils
                .iter()
                .map(|p| p.unit.as_ref().is_some_and(|u| wanted.contains(u.as_str())))
                .collect()
        } else {
            let polygons = match (&lock.area, &lock.polygon) {
                (Some(path), _) => {
                    let input = files.read(path, InputKind::GeoJson)?;
                    sources.push(input.source);
                    parse_area(&input.bytes, path)?
                }
                (_, Some(ring)) => vec![inline_polygon(site, ring)?],
                _ => unreachable!("checked when parsed"),
            };
            homes_in(instance, &polygons)
        };
        if !inside.iter().any(|&i| i) {
            return Err(site.error("the area holds no pupil's home, so it locks nobody; check the area (positions are [longitude, latitude]) or remove the change"));
        }
        for (pupil, _) in instance.pupils.iter_mut().zip(&inside).filter(|(_, i)| **i) {
            pupil.fixed_school = Some(s);
        }
    }
    let mut closed: Vec<(&usize, &ChangeSite)> = closed.iter().collect();
    closed.sort_by_key(|(s, _)| **s);
    for (&s, site) in closed {
        let locked: Vec<&str> = instance
            .pupils
            .iter()
            .filter(|p| p.fixed_school == Some(s))
            .map(|p| p.id.as_str())
            .collect();
        if !locked.is_empty() {
            let shown: Vec<&str> = locked.iter().take(10).copied().collect();
            return Err(site.error(format!(
                "closes school `{}`, but {} locked to it ({}{}); unlock them (fixed_school in {}, or a later lock_area change to another school) or keep the school open",
                instance.schools[s].id,
                if locked.len() == 1 { "1 pupil is".to_string() } else { format!("{} pupils are", locked.len()) },
                shown.join(", "),
                if locked.len() > shown.len() { ", ..." } else { "" },
                pupils_path.display()
            )));
        }
    }
    Ok(sources)
}

/// Per pupil: whether the home lies in one of the polygons or on its edge.
fn homes_in(instance: &Instance, polygons: &[Polygon<f64>]) -> Vec<bool> {
    let indexed: Vec<IndexedPolygon> = polygons.iter().map(IndexedPolygon::new).collect();
    instance
        .pupils
        .iter()
        .map(|p| {
            let c = Coord {
                x: p.location.lon(),
                y: p.location.lat(),
            };
            indexed.iter().any(|poly| poly.position(c) != CoordPos::Outside)
        })
        .collect()
}

/// An inline ring of [lon, lat] positions as a valid polygon.
fn inline_polygon(site: &ChangeSite, ring: &[[f64; 2]]) -> Result<Polygon<f64>, InputError> {
    if let Some(p) = ring.iter().find(|p| Location::new(p[1], p[0]).is_none()) {
        return Err(site.error(format!("position [{}, {}] is not [longitude, latitude] in degrees", p[0], p[1])));
    }
    let polygon = Polygon::new(LineString::from(ring.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>()), vec![]);
    if polygon.exterior().0.len() < 4 {
        return Err(site.error("polygon needs at least 3 distinct positions"));
    }
    if let Some(problem) = polygon_problem(&polygon) {
        return Err(site.error(format!(
            "polygon is not valid ({problem}); list the corners in order around the area"
        )));
    }
    Ok(polygon)
}
