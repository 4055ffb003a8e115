//! Which distance is the way to school: the great-circle line (default), the
//! walking distance along a street network, or a matrix the user computed.
//!
//! The metric's numbers live here as plain data so that the solver, the
//! reports and the independent checker all read them through
//! [`super::Instance::way_m`]. A table is keyed by pupil id and school id,
//! never by position, so a sub-instance (a part of a decomposed solve, the
//! placed pupils of a plan) reads the same numbers as the whole.

use super::{Location, PupilId, SchoolId};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// Default of `[distance] max_snap_m`: a home or school further than this
/// from the walk graph is listed in a warning (metres).
pub const DEFAULT_MAX_SNAP_M: f64 = 500.0;

/// The distance metric of a scenario (`[distance] metric`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Great-circle distance on the sphere (the default).
    #[default]
    Haversine,
    /// Shortest walking way along the OSM street network.
    Walking,
    /// Distances read from a CSV matrix; an arc not listed is not allowed.
    Matrix,
}

impl Metric {
    /// The name as written in a scenario and in the outputs.
    pub fn name(self) -> &'static str {
        match self {
            Self::Haversine => "haversine",
            Self::Walking => "walking",
            Self::Matrix => "matrix",
        }
    }
}

/// Distances in metres per (pupil, school), keyed by ids. A missing entry
/// (or NaN) means the arc is not allowed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WayTable {
    rows: HashMap<PupilId, u32>,
    columns: HashMap<SchoolId, u32>,
    metres: Vec<f64>,
}

impl WayTable {
    /// An empty table (every arc missing) for these pupils and schools.
    pub fn new<'a>(pupils: impl IntoIterator<Item = &'a PupilId>, schools: impl IntoIterator<Item = &'a SchoolId>) -> Self {
        let mut rows = HashMap::new();
        for p in pupils {
            let next = rows.len() as u32;
            rows.entry(p.clone()).or_insert(next);
        }
        let mut columns = HashMap::new();
        for s in schools {
            let next = columns.len() as u32;
            columns.entry(s.clone()).or_insert(next);
        }
        let metres = vec![f64::NAN; rows.len() * columns.len()];
        Self { rows, columns, metres }
    }

    fn slot(&self, pupil: &PupilId, school: &SchoolId) -> Option<usize> {
        let row = *self.rows.get(pupil)? as usize;
        let column = *self.columns.get(school)? as usize;
        Some(row * self.columns.len() + column)
    }

    /// Sets the distance of an arc; `false` when the pupil or school is not in the table.
    pub fn set(&mut self, pupil: &PupilId, school: &SchoolId, metres: f64) -> bool {
        match self.slot(pupil, school) {
            Some(i) => {
                self.metres[i] = metres;
                true
            }
            None => false,
        }
    }

    /// The distance of an arc, `None` when it is not listed.
    pub fn get(&self, pupil: &PupilId, school: &SchoolId) -> Option<f64> {
        self.slot(pupil, school).map(|i| self.metres[i]).filter(|m| !m.is_nan())
    }

    /// Number of arcs listed.
    pub fn listed(&self) -> usize {
        self.metres.iter().filter(|m| !m.is_nan()).count()
    }
}

/// A walk graph as plain data (compressed adjacency, both directions of
/// every edge): what the solver's and the checker's shortest-path codes
/// both read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WalkNetwork {
    /// Node positions.
    pub nodes: Vec<Location>,
    /// Edges of node `n` are `first_edge[n]..first_edge[n + 1]`.
    pub first_edge: Vec<u32>,
    /// Target node of each edge.
    pub edge_target: Vec<u32>,
    /// Length of each edge in metres (haversine between its nodes).
    pub edge_m: Vec<f64>,
}

impl WalkNetwork {
    /// Edges leaving node `n`: (target, length in metres).
    pub fn edges(&self, n: u32) -> impl Iterator<Item = (u32, f64)> + '_ {
        let range = self.first_edge[n as usize] as usize..self.first_edge[n as usize + 1] as usize;
        self.edge_target[range.clone()]
            .iter()
            .copied()
            .zip(self.edge_m[range].iter().copied())
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }
}

/// Where a home or school joins the walk graph: a point on the segment
/// `from`–`to`, `from_m` along it from `from` and `to_m` from `to`, reached
/// by a straight leg of `leg_m` metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    /// One end node of the segment.
    pub from: u32,
    /// The other end node.
    pub to: u32,
    /// Metres along the segment from `from` to the snap point.
    pub from_m: f64,
    /// Metres along the segment from the snap point to `to`.
    pub to_m: f64,
    /// The straight leg from the home (or school) to the snap point.
    pub leg_m: f64,
    /// The snap point.
    pub point: Location,
}

/// The key of a location in [`WalkData::snaps`]: its exact coordinates.
pub fn location_key(location: &Location) -> (u64, u64) {
    (location.lat().to_bits(), location.lon().to_bits())
}

/// The walk graph and where every home and school of the instance joins it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WalkData {
    /// The graph's largest connected component.
    pub network: WalkNetwork,
    /// Snap of each home and school, keyed by [`location_key`].
    pub snaps: HashMap<(u64, u64), Snap>,
}

/// Ways computed on demand (walking: one bounded search per school, widened
/// when an arc beyond it is asked for). Implemented by the geometry layer;
/// the value of an arc never depends on when or in which order it is asked.
pub trait WayOracle: Send + Sync + std::fmt::Debug {
    /// The way from the home at `home` to the school at `school` in metres;
    /// `None` when either is not joined to the network.
    fn way_m(&self, home: &Location, school: &Location) -> Option<f64>;
}

/// Where the ways of a run came from (`summary.json` `distance_cache`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CacheStatus {
    /// No cache: the metric needs none (haversine, matrix), or `--no-cache`.
    #[default]
    Off,
    /// The graph and the ways were read from the cache (or shared with an
    /// earlier scenario of the same `compare`).
    Hit,
    /// Computed from the OSM extract (and stored in the cache afterwards).
    Miss,
}

impl CacheStatus {
    /// The name as written in `summary.json` and on stdout.
    pub fn name(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Hit => "hit",
            Self::Miss => "miss",
        }
    }
}

/// The distances an instance uses (field `ways` of [`super::Instance`]).
#[derive(Debug, Clone)]
pub struct Ways {
    /// The metric in force.
    pub metric: Metric,
    /// The distances of `walking` and `matrix` (`None` for `haversine`).
    pub table: Option<Arc<WayTable>>,
    /// The walk graph and snaps of `walking`, for the checker's own recomputation.
    pub walk: Option<Arc<WalkData>>,
    /// The ways of `walking`, computed on demand (`None` otherwise).
    pub lazy: Option<Arc<dyn WayOracle>>,
    /// Whether the walking ways came from the cache.
    pub cache: CacheStatus,
    /// A number `f` in [0, 1] such that every way is at least `f` times the
    /// great-circle line: 1 for `haversine` and `walking` (a walk is never
    /// shorter than the straight line), the smallest ratio of way to line
    /// over the listed arcs of a `matrix` (a router that snaps homes onto
    /// streets may report less than the line). The pricing certificate
    /// bounds a left-out arc by `f` times its line.
    pub straight_factor: f64,
}

impl Default for Ways {
    fn default() -> Self {
        Self::haversine()
    }
}

impl Ways {
    /// The great-circle metric (no table).
    pub fn haversine() -> Self {
        Self {
            metric: Metric::Haversine,
            table: None,
            walk: None,
            lazy: None,
            cache: CacheStatus::Off,
            straight_factor: 1.0,
        }
    }
}
