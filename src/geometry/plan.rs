//! A district plan (one or more polygons per school) and where it puts each
//! pupil: the school whose district contains the home.
//!
//! The rule, applied to each home (a point in longitude/latitude):
//!
//! 1. Inside the interior of exactly one school's district: that school
//!    (the home may also lie on the edge of another school's polygon).
//! 2. Inside the interiors of two or more schools' districts (the plan's
//!    districts overlap there): no school; the pupil is reported with the
//!    schools concerned.
//! 3. On the boundary of one or more districts and inside none (a home
//!    exactly on a border): the **nearest** of the schools whose district
//!    boundary the home lies on (great-circle distance to the school);
//!    equal distances go to the smallest `school_id` (byte order). A home on
//!    the outer edge of a single district belongs to it.
//! 4. In no district and on no boundary: no school; the pupil is reported as
//!    outside every district.
//!
//! Polygons are indexed by their bounding boxes in an R-tree, each polygon's
//! edges in another ([`IndexedPolygon`]: a lookup costs the edges a ray from
//! the home meets, not all of them), and the homes are looked up in
//! parallel, so 100,000 pupils take a fraction of a second and a district of
//! 200,000 vertices costs no more per home than a simple one.

use super::IndexedPolygon;
use crate::model::{Instance, StreetRange, UnitRule};
use geo::coordinate_position::CoordPos;
use geo::{BoundingRect, Coord, Polygon};
use rayon::prelude::*;
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

/// One polygon of a plan, with the school whose district it is part of.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanPolygon {
    /// Index of the school in the instance.
    pub school: usize,
    /// 1-based number of the feature in the plan file (for messages).
    pub feature: usize,
    /// The polygon, `x` = longitude, `y` = latitude.
    pub polygon: Polygon<f64>,
}

/// A district plan: every polygon of every school's district, or the
/// school's streets and street sections as a by-law lists them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DistrictPlan {
    /// The polygons, in file order.
    pub polygons: Vec<PlanPolygon>,
    /// By-law: streets and house-number ranges per school (`bylaw.csv`).
    pub streets: Vec<StreetRange>,
    /// By-law: street sections (`unit_id`) per school (`bylaw.csv`).
    pub units: Vec<UnitRule>,
}

/// A home on a border, and how rule 3 decided it.
#[derive(Debug, Clone, PartialEq)]
pub struct BorderDecision {
    /// Pupil index.
    pub pupil: usize,
    /// Schools whose district boundary the home lies on, ascending index.
    pub touching: Vec<usize>,
    /// The school chosen (the nearest of them).
    pub chosen: usize,
}

/// Where a plan puts each pupil.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanLookup {
    /// School per pupil; `None` for a pupil outside every district or inside two.
    pub school_of: Vec<Option<usize>>,
    /// Pupils (indices) in no district.
    pub outside: Vec<usize>,
    /// Pupils inside the districts of two or more schools, with those schools.
    pub overlapping: Vec<(usize, Vec<usize>)>,
    /// Pupils on a border between two or more districts, decided by rule 3.
    pub on_border: Vec<BorderDecision>,
}

/// What one home is, before the rules are applied.
enum Found {
    School(usize),
    Border(Vec<usize>, usize),
    Overlap(Vec<usize>),
    Outside,
}

/// Looks every pupil up in the plan (rules in the module documentation; a
/// by-law's entries come first, see [`by_bylaw`]).
pub fn locate_pupils(instance: &Instance, plan: &DistrictPlan) -> PlanLookup {
    let by_polygon = by_polygons(instance, plan);
    let found: Vec<Found> = instance
        .pupils
        .iter()
        .zip(by_polygon)
        .map(|(pupil, polygon)| by_bylaw(plan, pupil).unwrap_or(polygon))
        .collect();
    lookup_of(found)
}

/// Where a by-law puts a pupil: the schools of the entries that name its
/// `unit_id` or cover its address. One school: there; two or more: an
/// overlap; none: `None` (the polygons decide; without polygons the pupil
/// is outside every district: an unknown address).
fn by_bylaw(plan: &DistrictPlan, pupil: &crate::model::Pupil) -> Option<Found> {
    let mut schools: Vec<usize> = plan
        .units
        .iter()
        .filter(|rule| pupil.unit.as_ref() == Some(&rule.unit))
        .map(|rule| rule.school)
        .chain(
            pupil
                .address
                .iter()
                .flat_map(|address| plan.streets.iter().filter(|range| range.covers(address)).map(|range| range.school)),
        )
        .collect();
    schools.sort_unstable();
    schools.dedup();
    match schools.len() {
        0 => None,
        1 => Some(Found::School(schools[0])),
        _ => Some(Found::Overlap(schools)),
    }
}

/// Where the polygons put each pupil.
fn by_polygons(instance: &Instance, plan: &DistrictPlan) -> Vec<Found> {
    let entries: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = plan
        .polygons
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            p.polygon
                .bounding_rect()
                .map(|r| GeomWithData::new(Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]), i))
        })
        .collect();
    let tree = RTree::bulk_load(entries);
    let indexed: Vec<IndexedPolygon> = plan.polygons.par_iter().map(|p| IndexedPolygon::new(&p.polygon)).collect();
    instance
        .pupils
        .par_iter()
        .map(|pupil| {
            let coord = Coord {
                x: pupil.location.lon(),
                y: pupil.location.lat(),
            };
            let mut inside: Vec<usize> = Vec::new();
            let mut touching: Vec<usize> = Vec::new();
            for entry in tree.locate_all_at_point([coord.x, coord.y]) {
                let polygon = &plan.polygons[entry.data];
                match indexed[entry.data].position(coord) {
                    CoordPos::Inside => inside.push(polygon.school),
                    CoordPos::OnBoundary => touching.push(polygon.school),
                    CoordPos::Outside => {}
                }
            }
            inside.sort_unstable();
            inside.dedup();
            touching.sort_unstable();
            touching.dedup();
            match (inside.len(), touching.len()) {
                (1, _) => Found::School(inside[0]),
                (0, 0) => Found::Outside,
                (0, 1) => Found::School(touching[0]),
                (0, _) => {
                    let chosen = nearest_school(instance, pupil.location, &touching);
                    Found::Border(touching, chosen)
                }
                _ => Found::Overlap(inside),
            }
        })
        .collect()
}

/// The lookup from what was found per pupil.
fn lookup_of(found: Vec<Found>) -> PlanLookup {
    let mut lookup = PlanLookup {
        school_of: Vec::with_capacity(found.len()),
        ..PlanLookup::default()
    };
    for (p, f) in found.into_iter().enumerate() {
        lookup.school_of.push(match f {
            Found::School(s) => Some(s),
            Found::Border(touching, chosen) => {
                lookup.on_border.push(BorderDecision {
                    pupil: p,
                    touching,
                    chosen,
                });
                Some(chosen)
            }
            Found::Overlap(schools) => {
                lookup.overlapping.push((p, schools));
                None
            }
            Found::Outside => {
                lookup.outside.push(p);
                None
            }
        });
    }
    lookup
}

/// The nearest of `schools` to `home`; equal distances to the smallest school id.
fn nearest_school(instance: &Instance, home: crate::model::Location, schools: &[usize]) -> usize {
    *schools
        .iter()
        .min_by(|&&a, &&b| {
            let (da, db) = (
                home.distance_m(&instance.schools[a].location),
                home.distance_m(&instance.schools[b].location),
            );
            da.total_cmp(&db).then_with(|| instance.schools[a].id.cmp(&instance.schools[b].id))
        })
        .expect("a border decision has at least two schools")
}
