//! Applying a scenario's `[[change]]` entries to the schools and pupils read
//! (close, open and set classes of schools; another pupil file; lock areas).
//! Parsing the changes is the input layer's ([`crate::input::changes`]).

use crate::geometry::{IndexedPolygon, polygon_problem};
use crate::input::InputError;
use crate::input::changes::{Change, ChangeKind, ChangeSite};
use crate::input::source::{InputFiles, InputKind};
use crate::input::{id_list, parse_area};
use crate::model::{Instance, Location, School, SchoolId, SourceFile};
use geo::coordinate_position::CoordPos;
use geo::{Coord, LineString, Polygon};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

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
