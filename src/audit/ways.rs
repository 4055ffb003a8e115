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
use std::cmp::Ordering;
use std::collections::BinaryHeap;

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

/// Metres from the snap point `start` to every node of the graph.
fn distances_from(walk: &WalkData, start: &Snap) -> Vec<f64> {
    let network = &walk.network;
    let mut metres = vec![f64::INFINITY; network.node_count()];
    let mut heap = BinaryHeap::new();
    for (node, d) in [(start.from, start.from_m), (start.to, start.to_m)] {
        if d < metres[node as usize] {
            metres[node as usize] = d;
            heap.push(Frontier { metres: d, node });
        }
    }
    while let Some(Frontier { metres: d, node }) = heap.pop() {
        if d > metres[node as usize] {
            continue;
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

fn walking_ways(instance: &Instance, walk: &WalkData, school_of: &[Option<usize>]) -> Vec<Option<f64>> {
    let mut ways = vec![None; instance.pupils.len()];
    let mut schools: Vec<usize> = school_of.iter().flatten().copied().collect();
    schools.sort_unstable();
    schools.dedup();
    for s in schools {
        let school = &instance.schools[s];
        let Some(school_snap) = walk.snaps.get(&location_key(&school.location)) else {
            continue;
        };
        let from_school = distances_from(walk, school_snap);
        for (p, pupil) in instance.pupils.iter().enumerate() {
            if school_of[p] != Some(s) {
                continue;
            }
            if let Some(home_snap) = walk.snaps.get(&location_key(&pupil.location)) {
                let path = between_snaps(&from_school, school_snap, home_snap);
                ways[p] = Some(home_snap.leg_m + path + school_snap.leg_m);
            }
        }
    }
    ways
}
