//! The checker's own ways to school, one per pupil to the school it is
//! assigned to, under the scenario's metric:
//!
//! - `haversine`: the great-circle distance of the two locations;
//! - `matrix`: the number the matrix lists (an input, not a computation);
//!   an arc the matrix does not list has no way (and breaks the distance rule);
//! - `walking`: recomputed here with the checker's own shortest-path code
//!   (a plain Dijkstra from each school over the walk graph read by the
//!   shared OSM reader), sharing nothing with the solver's distances.

use crate::model::{Instance, Metric, Snap, WalkData, location_key};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap, HashSet};

/// The way of each pupil to its school in metres (`None`: no school, or an
/// arc the metric does not allow).
pub fn assigned_ways(instance: &Instance, school_of: &[Option<usize>]) -> Vec<Option<f64>> {
    match (instance.ways.metric, &instance.ways.walk) {
        (Metric::Walking, Some(walk)) => walking_ways(instance, walk, school_of),
        (Metric::Haversine, _) | (Metric::Walking, None) => school_of
            .iter()
            .zip(&instance.pupils)
            .map(|(s, p)| s.map(|s| p.location.distance_m(&instance.schools[s].location)))
            .collect(),
        (Metric::Matrix, _) => school_of
            .iter()
            .zip(&instance.pupils)
            .map(|(s, p)| {
                let s = (*s)?;
                instance.ways.table.as_ref()?.get(&p.id, &instance.schools[s].id)
            })
            .collect(),
    }
}

/// A node and its tentative distance, ordered so the heap pops the nearest.
struct Frontier {
    metres: f64,
    node: u32,
}

impl PartialEq for Frontier {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Frontier {}
impl PartialOrd for Frontier {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Frontier {
    fn cmp(&self, other: &Self) -> Ordering {
        other.metres.total_cmp(&self.metres).then(other.node.cmp(&self.node))
    }
}

/// Metres from the snap point `start` to every node of the graph, up to
/// the moment every node of `wanted` is final (the others may be too long
/// or infinite then).
fn distances_from(walk: &WalkData, start: &Snap, wanted: &HashSet<u32>) -> Vec<f64> {
    let network = &walk.network;
    let mut metres = vec![f64::INFINITY; network.node_count()];
    let mut heap = BinaryHeap::new();
    for (node, d) in [(start.from, start.from_m), (start.to, start.to_m)] {
        if d < metres[node as usize] {
            metres[node as usize] = d;
            heap.push(Frontier { metres: d, node });
        }
    }
    let mut missing = wanted.clone();
    while let Some(Frontier { metres: d, node }) = heap.pop() {
        if d > metres[node as usize] {
            continue;
        }
        missing.remove(&node);
        if missing.is_empty() {
            break;
        }
        for (next, length) in network.edges(node) {
            let through = d + length;
            if through < metres[next as usize] {
                metres[next as usize] = through;
                heap.push(Frontier {
                    metres: through,
                    node: next,
                });
            }
        }
    }
    metres
}

/// Metres between two snap points along the graph, given the distances
/// from the first one to every node.
fn between_snaps(from_start: &[f64], start: &Snap, end: &Snap) -> f64 {
    let via_nodes = (from_start[end.from as usize] + end.from_m).min(from_start[end.to as usize] + end.to_m);
    // Both on the same segment: straight along it, without a node.
    let along = if (start.from, start.to) == (end.from, end.to) {
        (start.from_m - end.from_m).abs()
    } else if (start.from, start.to) == (end.to, end.from) {
        (start.from_m - end.to_m).abs()
    } else {
        f64::INFINITY
    };
    via_nodes.min(along)
}

/// One search per school that has pupils (schools in parallel).
fn walking_ways(instance: &Instance, walk: &WalkData, school_of: &[Option<usize>]) -> Vec<Option<f64>> {
    let mut pupils_of: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (p, s) in school_of.iter().enumerate() {
        if let Some(s) = s {
            pupils_of.entry(*s).or_default().push(p);
        }
    }
    let found: Vec<Vec<(usize, f64)>> = pupils_of
        .par_iter()
        .map(|(&s, pupils)| school_ways(instance, walk, s, pupils))
        .collect();
    let mut ways = vec![None; instance.pupils.len()];
    for (p, way) in found.into_iter().flatten() {
        ways[p] = Some(way);
    }
    ways
}

/// The ways of `pupils` to school `s`.
fn school_ways(instance: &Instance, walk: &WalkData, s: usize, pupils: &[usize]) -> Vec<(usize, f64)> {
    let Some(school_snap) = walk.snaps.get(&location_key(&instance.schools[s].location)) else {
        return Vec::new();
    };
    let homes: Vec<(usize, &Snap)> = pupils
        .iter()
        .filter_map(|&p| walk.snaps.get(&location_key(&instance.pupils[p].location)).map(|h| (p, h)))
        .collect();
    let wanted: HashSet<u32> = homes.iter().flat_map(|(_, h)| [h.from, h.to]).collect();
    let from_school = distances_from(walk, school_snap, &wanted);
    homes
        .into_iter()
        .map(|(p, home)| (p, home.leg_m + between_snaps(&from_school, school_snap, home) + school_snap.leg_m))
        .collect()
}
