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
use crate::model::limits::{MAX_CLASSES_PER_SCHOOL, MAX_RESERVED_SEATS};
use serde::Deserialize;
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
