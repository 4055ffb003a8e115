//! Plausibility of the locations: a home or school far from all others, or
//! with latitude and longitude apparently swapped, is a typing or export
//! error far more often than a real address; one such point can make a
//! "longest way" of thousands of kilometres.
//!
//! A location is reported when it lies more than `outlier_distance_m`
//! (default 30 km) from the median location (median latitude, median
//! longitude of all homes and schools) and
//! - read with latitude and longitude swapped it would lie within that
//!   distance of the median (**swapped**), or
//! - no other home or school lies within that distance of it (**far from
//!   all others**; towns far apart, each with its homes and schools, pass).
//!
//! Every reported location is listed at once; `[input] allow_outliers =
//! true` reads them as written.

use super::{InputDialect, InputError};
use crate::model::{Location, Pupil, School, metres_to_chord};
use rstar::RTree;
use rstar::primitives::GeomWithData;
use std::fmt::Write;
use std::path::Path;

/// How many reported locations the message lists (the count names all).
const LISTED: usize = 20;

/// One location to check: which file, which id, where.
struct Point<'a> {
    file: &'a Path,
    what: &'static str,
    id: &'a str,
    location: Location,
}

/// Checks every school and home; an error lists the implausible ones by id
/// (unless `allow_outliers` is set).
pub fn check_locations(schools: &[School], pupils: &[Pupil], paths: (&Path, &Path), dialect: &InputDialect) -> Result<(), InputError> {
    if dialect.allow_outliers {
        return Ok(());
    }
    let points: Vec<Point> = schools
        .iter()
        .map(|s| Point {
            file: paths.0,
            what: "school",
            id: s.id.as_str(),
            location: s.location,
        })
        .chain(pupils.iter().map(|p| Point {
            file: paths.1,
            what: "pupil",
            id: p.id.as_str(),
            location: p.location,
        }))
        .collect();
    let findings = implausible(&points, dialect.outlier_distance_m);
    if findings.is_empty() {
        return Ok(());
    }
    let mut list = String::new();
    for line in findings.iter().take(LISTED) {
        let _ = writeln!(list, "  {line}");
    }
    if findings.len() > LISTED {
        let _ = writeln!(list, "  ... and {} more", findings.len() - LISTED);
    }
    let only_schools = findings.iter().all(|f| f.contains(" school `"));
    Err(InputError::Implausible {
        path: if only_schools { paths.0 } else { paths.1 }.to_path_buf(),
        count: findings.len(),
        list: list.trim_end().to_string(),
    })
}

/// The median latitude and longitude (upper median), `None` without points.
fn median_location(points: &[Point]) -> Option<Location> {
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    if points.is_empty() {
        return None;
    }
    let lat = median(points.iter().map(|p| p.location.lat()).collect());
    let lon = median(points.iter().map(|p| p.location.lon()).collect());
    Location::new(lat, lon)
}

/// One sentence per implausible point, in input order (schools first).
fn implausible(points: &[Point], limit_m: f64) -> Vec<String> {
    let Some(median) = median_location(points) else {
        return Vec::new();
    };
    let far: Vec<usize> = (0..points.len())
        .filter(|&i| points[i].location.distance_m(&median) > limit_m)
        .collect();
    if far.is_empty() {
        return Vec::new();
    }
    let tree = RTree::bulk_load(
        points
            .iter()
            .enumerate()
            .map(|(i, p)| GeomWithData::new(p.location.unit_vector(), i))
            .collect(),
    );
    let chord = metres_to_chord(limit_m);
    let km = |m: f64| format!("{:.1} km", m / 1000.0);
    let mut findings = Vec::new();
    for i in far {
        let p = &points[i];
        let (lat, lon) = (p.location.lat(), p.location.lon());
        let from_median = p.location.distance_m(&median);
        let head = format!("{}: {} `{}` at lat {lat}, lon {lon}", p.file.display(), p.what, p.id);
        if let Some(swapped) = Location::new(lon, lat).filter(|s| s.distance_m(&median) <= limit_m) {
            findings.push(format!(
                "{head} lies {} from the median of all homes and schools; latitude and longitude look swapped (swapped it lies {} from it)",
                km(from_median),
                km(swapped.distance_m(&median))
            ));
            continue;
        }
        let alone = tree
            .locate_within_distance(p.location.unit_vector(), chord * chord)
            .all(|q| q.data == i);
        if alone {
            findings.push(format!(
                "{head} lies {} from the median of all homes and schools and more than {} from every other home and school",
                km(from_median),
                km(limit_m)
            ));
        }
    }
    findings
}
