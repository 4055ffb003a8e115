//! Walking ways computed only where they are needed.
//!
//! Each school has one search over the walk graph, bounded by a radius
//! along the graph: it settles every node within the radius, and so knows
//! the way of every home whose path to the school is at most that long.
//! When the solver asks for an arc beyond the radius (the pricing
//! certificate does so only when the great-circle lower bound of the arc
//! says it might price out), the school's search is run again with a
//! larger radius. The ways are the same numbers, bit for bit, as those of
//! a search over the whole graph ([`super::walking_table`]): a bounded
//! search settles the same nodes in the same order up to its radius, and a
//! way is taken only when it is within the radius (then no node beyond can
//! shorten it).

use super::walk_ways::{along_graph, settle_within};
use crate::model::{Instance, Location, Snap, WalkData, WayOracle, location_key};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};

/// Radius of a school's first search, in metres along the graph from its
/// snap point (a search is widened when an arc beyond it is asked for).
pub const FIRST_SEARCH_RADIUS_M: f64 = 2_500.0;

/// A search made for a home has a radius of at least this many times the
/// home's line to the school (the first radius doubled until it is).
pub const FIRST_RADIUS_OVER_LINE: f64 = 2.0;

/// A bounded search's disc covers at most this share of the area of the
/// graph's bounding box; a search that would need a larger radius goes
/// over the whole graph at once. On a small city (the bundled one) every
/// search beyond the first radius is then a whole-graph search; on a large
/// one (Berlin) a school's ways to the homes a few kilometres around it
/// cost a search of those kilometres, not of the whole city.
pub const MAX_BOUNDED_SHARE: f64 = 0.25;

/// The ways to one school known so far.
#[derive(Debug, Clone, PartialEq)]
pub struct WalkColumn {
    /// Every home whose path along the graph to the school is at most this
    /// long has its way (negative infinity: no search yet; infinity: every home).
    pub radius_m: f64,
    /// The way of each home (in [`LazyWalkingWays::homes`] order), NaN where not known yet.
    pub metres: Vec<f64>,
}

impl WalkColumn {
    /// A column with no way known, for `homes` homes.
    pub fn unknown(homes: usize) -> Self {
        Self {
            radius_m: f64::NEG_INFINITY,
            metres: vec![f64::NAN; homes],
        }
    }
}

/// The walk graph, the snaps, and the ways known so far of every distinct
/// home to every distinct school location of an instance.
#[derive(Debug)]
pub struct LazyWalkingWays {
    walk: Arc<WalkData>,
    homes: Vec<Location>,
    home_row: HashMap<(u64, u64), usize>,
    schools: Vec<Location>,
    school_column: HashMap<(u64, u64), usize>,
    /// The snap of each home (by row), looked up once.
    home_snaps: Vec<Option<Snap>>,
    /// Area of the graph's bounding box, in square metres.
    extent_m2: f64,
    columns: Vec<RwLock<WalkColumn>>,
    widened: AtomicBool,
    searches: AtomicUsize,
}

/// Distinct locations in first-seen order, with the index of each.
fn distinct(locations: impl Iterator<Item = Location>) -> (Vec<Location>, HashMap<(u64, u64), usize>) {
    let mut list = Vec::new();
    let mut index = HashMap::new();
    for location in locations {
        index.entry(location_key(&location)).or_insert_with(|| {
            list.push(location);
            list.len() - 1
        });
    }
    (list, index)
}

impl LazyWalkingWays {
    /// No way computed yet: the homes and schools of `instance` on `walk`.
    pub fn new(walk: Arc<WalkData>, instance: &Instance) -> Self {
        let (homes, home_row) = distinct(instance.pupils.iter().map(|p| p.location));
        let (schools, school_column) = distinct(instance.schools.iter().map(|s| s.location));
        let columns = (0..schools.len()).map(|_| RwLock::new(WalkColumn::unknown(homes.len()))).collect();
        let home_snaps = homes.iter().map(|l| walk.snaps.get(&location_key(l)).copied()).collect();
        let extent_m2 = extent_m2(&walk.network.nodes);
        Self {
            walk,
            homes,
            home_snaps,
            extent_m2,
            home_row,
            schools,
            school_column,
            columns,
            widened: AtomicBool::new(false),
            searches: AtomicUsize::new(0),
        }
    }

    /// With the ways known before (from the cache); `None` when the columns
    /// do not fit the instance's homes and schools.
    pub fn with_columns(walk: Arc<WalkData>, instance: &Instance, columns: Vec<WalkColumn>) -> Option<Self> {
        let mut ways = Self::new(walk, instance);
        if columns.len() != ways.schools.len() || columns.iter().any(|c| c.metres.len() != ways.homes.len()) {
            return None;
        }
        ways.columns = columns.into_iter().map(RwLock::new).collect();
        Some(ways)
    }

    /// The walk graph and the snaps.
    pub fn walk(&self) -> &Arc<WalkData> {
        &self.walk
    }

    /// The distinct homes, in the order of the columns' rows.
    pub fn homes(&self) -> &[Location] {
        &self.homes
    }

    /// The distinct school locations, in the order of the columns.
    pub fn schools(&self) -> &[Location] {
        &self.schools
    }

    /// A copy of every column as known now.
    pub fn columns(&self) -> Vec<WalkColumn> {
        self.columns
            .iter()
            .map(|c| c.read().unwrap_or_else(|e| e.into_inner()).clone())
            .collect()
    }

    /// Whether a search was run since this was made (the cache is then out of date).
    pub fn widened(&self) -> bool {
        self.widened.load(Ordering::Relaxed)
    }

    /// How many searches were run since this was made.
    pub fn searches(&self) -> usize {
        self.searches.load(Ordering::Relaxed)
    }

    /// How many ways are known.
    pub fn known(&self) -> usize {
        self.columns().iter().map(|c| c.metres.iter().filter(|m| !m.is_nan()).count()).sum()
    }

    /// The way of home `row` to school `column`, widening that school's search until it is known.
    fn way_of(&self, row: usize, column: usize) -> Option<f64> {
        let school = self.walk.snaps.get(&location_key(&self.schools[column]))?;
        let home = self.walk.snaps.get(&location_key(&self.homes[row]))?;
        {
            let known = self.columns[column].read().unwrap_or_else(|e| e.into_inner());
            if !known.metres[row].is_nan() {
                return Some(known.metres[row]);
            }
        }
        let mut known = self.columns[column].write().unwrap_or_else(|e| e.into_inner());
        while known.metres[row].is_nan() && known.radius_m < f64::INFINITY {
            // A path along the graph is never shorter than the line between
            // its ends: the search is made for at least twice the line.
            // Beyond it, the river or the railway may make the way longer:
            // the radius is then doubled (the search run again from the
            // start: a bounded search is cheap) until the disc would cover
            // more than `MAX_BOUNDED_SHARE` of the graph, then the whole
            // graph is searched once.
            let line = school.point.distance_m(&home.point);
            let radius = self.next_radius(known.radius_m, line);
            self.widen(school, &mut known, radius);
        }
        Some(known.metres[row]).filter(|m| !m.is_nan())
    }

    /// The radius of the next search of a school whose search so far had
    /// `radius_m`, made for a home at `line_m`: the first radius (or twice
    /// the last) doubled until it is at least `FIRST_RADIUS_OVER_LINE`
    /// times the line; infinity once its disc would cover more than
    /// `MAX_BOUNDED_SHARE` of the graph's bounding box.
    fn next_radius(&self, radius_m: f64, line_m: f64) -> f64 {
        // At least the first radius, whatever a column read from a cache
        // file says: every step grows, so the widening ends.
        let mut radius = if radius_m.is_finite() {
            (2.0 * radius_m).max(FIRST_SEARCH_RADIUS_M)
        } else {
            FIRST_SEARCH_RADIUS_M
        };
        while radius < line_m * FIRST_RADIUS_OVER_LINE {
            radius *= 2.0;
        }
        if std::f64::consts::PI * radius * radius > MAX_BOUNDED_SHARE * self.extent_m2 {
            f64::INFINITY
        } else {
            radius
        }
    }

    /// Runs the school's search to `radius_m` and takes every way it settles.
    fn widen(&self, school: &Snap, column: &mut WalkColumn, radius_m: f64) {
        self.searches.fetch_add(1, Ordering::Relaxed);
        self.widened.store(true, Ordering::Relaxed);
        let (from_school, complete) = settle_within(&self.walk.network, school, radius_m);
        for (row, home) in self.home_snaps.iter().enumerate() {
            let Some(home) = home else {
                continue;
            };
            if !column.metres[row].is_nan() {
                continue;
            }
            let along = along_graph(&from_school, school, home);
            if complete || along <= radius_m {
                column.metres[row] = home.leg_m + along + school.leg_m;
            }
        }
        column.radius_m = if complete { f64::INFINITY } else { radius_m };
    }
}

/// Area of the bounding box of `nodes` in square metres (north-south
/// extent times east-west extent at the middle latitude).
fn extent_m2(nodes: &[Location]) -> f64 {
    let (mut south, mut north, mut west, mut east) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for n in nodes {
        (south, north) = (south.min(n.lat()), north.max(n.lat()));
        (west, east) = (west.min(n.lon()), east.max(n.lon()));
    }
    if !south.is_finite() {
        return 0.0;
    }
    let metres_per_degree = crate::model::EARTH_RADIUS_M.to_radians();
    let height = (north - south) * metres_per_degree;
    let width = (east - west) * metres_per_degree * ((south + north) / 2.0).to_radians().cos();
    height * width
}

impl WayOracle for LazyWalkingWays {
    fn way_m(&self, home: &Location, school: &Location) -> Option<f64> {
        let row = *self.home_row.get(&location_key(home))?;
        let column = *self.school_column.get(&location_key(school))?;
        self.way_of(row, column)
    }
}
