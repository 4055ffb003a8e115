//! Walking ways for the solver: one Dijkstra per school over the walk graph
//! (in parallel), each stopped once every node next to a home's snap point
//! is settled. The way of a pupil to a school is the straight leg home ->
//! snap point, the shortest path between the two snap points along the
//! graph (a snap point splits its segment) and the leg snap point -> school.
//!
//! The checker does not use this code: it has its own shortest paths
//! (`audit::ways`).

use super::walk_graph::WalkGraph;
use crate::model::{Instance, Location, Snap, WalkData, WalkNetwork, WayTable, location_key};
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A home or school further than this from the graph (metres), with its id.
#[derive(Debug, Clone, PartialEq)]
pub struct FarSnap {
    /// `pupil` or `school`.
    pub what: &'static str,
    /// The pupil's or school's id.
    pub id: String,
    /// The straight leg to the graph, in metres.
    pub leg_m: f64,
}

/// The walk graph with the snap of every home and school of the instance.
pub fn snap_instance(graph: &WalkGraph, instance: &Instance) -> WalkData {
    let locations: Vec<Location> = instance
        .pupils
        .iter()
        .map(|p| p.location)
        .chain(instance.schools.iter().map(|s| s.location))
        .collect();
    let snapped: Vec<Option<Snap>> = locations.par_iter().map(|l| graph.snap(l)).collect();
    let snaps = locations
        .iter()
        .zip(snapped)
        .filter_map(|(l, s)| s.map(|s| (location_key(l), s)))
        .collect();
    WalkData {
        network: graph.network.clone(),
        snaps,
    }
}

/// Homes and schools whose leg to the graph is longer than `max_snap_m`, pupils first.
pub fn far_snaps(instance: &Instance, walk: &WalkData, max_snap_m: f64) -> Vec<FarSnap> {
    let pupils = instance.pupils.iter().map(|p| ("pupil", p.id.to_string(), p.location));
    let schools = instance.schools.iter().map(|s| ("school", s.id.to_string(), s.location));
    pupils
        .chain(schools)
        .filter_map(|(what, id, location)| {
            let leg_m = walk.snaps.get(&location_key(&location))?.leg_m;
            (leg_m > max_snap_m).then_some(FarSnap { what, id, leg_m })
        })
        .collect()
}

/// Metres from the snap point `start` to the nodes of `targets` (others may
/// stay unsettled: the search stops once every target is settled).
fn settle_targets(network: &WalkNetwork, start: &Snap, targets: &[bool], mut open_targets: usize) -> Vec<f64> {
    settle_until(network, start, |node, _| {
        if targets[node as usize] {
            open_targets -= 1;
        }
        open_targets == 0
    })
    .0
}

/// Metres from the snap point `start` to the nodes within `radius_m` along
/// the graph (the same labels, bit for bit, as an unbounded search: nodes
/// are settled in the same order); nodes beyond keep a label above
/// `radius_m` or infinity. The flag says whether every node of the graph
/// reachable from `start` was settled.
pub(super) fn settle_within(network: &WalkNetwork, start: &Snap, radius_m: f64) -> (Vec<f64>, bool) {
    settle_until(network, start, |_, metres| metres > radius_m)
}

/// Dijkstra from the snap point `start` (both ends of its segment): nodes
/// are settled in order of their label, and `stop(node, metres)` is asked
/// of each before its edges are followed; once it says stop, the search
/// ends there. Returns the labels and whether the search ran out of nodes
/// instead (every node reachable from `start` settled).
fn settle_until(network: &WalkNetwork, start: &Snap, mut stop: impl FnMut(u32, f64) -> bool) -> (Vec<f64>, bool) {
    let mut metres = vec![f64::INFINITY; network.node_count()];
    let mut done = vec![false; network.node_count()];
    let mut queue: BinaryHeap<Reverse<(u64, u32)>> = BinaryHeap::new();
    for (node, d) in [(start.from, start.from_m), (start.to, start.to_m)] {
        if d < metres[node as usize] {
            metres[node as usize] = d;
            // Non-negative floats order like their bits.
            queue.push(Reverse((d.to_bits(), node)));
        }
    }
    while let Some(Reverse((bits, node))) = queue.pop() {
        let n = node as usize;
        if done[n] {
            continue;
        }
        done[n] = true;
        if stop(node, f64::from_bits(bits)) {
            return (metres, false);
        }
        for (next, length) in network.edges(node) {
            let candidate = metres[n] + length;
            if candidate < metres[next as usize] {
                metres[next as usize] = candidate;
                queue.push(Reverse((candidate.to_bits(), next)));
            }
        }
    }
    (metres, true)
}

/// Metres along the graph between the snap points `a` (with `from_a`, the
/// distances from `a` to the nodes) and `b`.
pub(super) fn along_graph(from_a: &[f64], a: &Snap, b: &Snap) -> f64 {
    let mut best = (from_a[b.from as usize] + b.from_m).min(from_a[b.to as usize] + b.to_m);
    if a.from == b.from && a.to == b.to {
        best = best.min((a.from_m - b.from_m).abs());
    } else if a.from == b.to && a.to == b.from {
        best = best.min((a.from_m - b.to_m).abs());
    }
    best
}

/// The walking way of every pupil to every school, one Dijkstra per school in parallel.
pub fn walking_table(instance: &Instance, walk: &WalkData) -> WayTable {
    let home_snaps: Vec<Option<&Snap>> = instance.pupils.iter().map(|p| walk.snaps.get(&location_key(&p.location))).collect();
    let mut targets = vec![false; walk.network.node_count()];
    for snap in home_snaps.iter().flatten() {
        targets[snap.from as usize] = true;
        targets[snap.to as usize] = true;
    }
    let open_targets = targets.iter().filter(|&&t| t).count();
    let columns: Vec<Vec<Option<f64>>> = instance
        .schools
        .par_iter()
        .map(|school| {
            let Some(school_snap) = walk.snaps.get(&location_key(&school.location)) else {
                return vec![None; home_snaps.len()];
            };
            let from_school = settle_targets(&walk.network, school_snap, &targets, open_targets);
            home_snaps
                .iter()
                .map(|home| home.map(|h| h.leg_m + along_graph(&from_school, school_snap, h) + school_snap.leg_m))
                .collect()
        })
        .collect();
    let mut table = WayTable::new(instance.pupils.iter().map(|p| &p.id), instance.schools.iter().map(|s| &s.id));
    for (s, column) in columns.iter().enumerate() {
        for (p, way) in column.iter().enumerate() {
            if let Some(way) = way {
                table.set(&instance.pupils[p].id, &instance.schools[s].id, *way);
            }
        }
    }
    table
}

/// Walking ways between any two locations of the graph (for tests and
/// benchmarks): legs plus the shortest path between their snap points.
pub fn walking_between(graph: &WalkGraph, from: &Location, to: &Location) -> Option<f64> {
    let (a, b) = (graph.snap(from)?, graph.snap(to)?);
    let mut targets = vec![false; graph.network.node_count()];
    targets[b.from as usize] = true;
    targets[b.to as usize] = true;
    let open = if b.from == b.to { 1 } else { 2 };
    let from_a = settle_targets(&graph.network, &a, &targets, open);
    Some(a.leg_m + along_graph(&from_a, &a, &b) + b.leg_m)
}
