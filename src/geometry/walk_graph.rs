//! The walk graph: the walkable ways of an OSM extract as a graph of
//! nodes and edges (each edge between consecutive nodes of a way, as long
//! as the great-circle line between them; walking ignores `oneway`), cut
//! down to its largest connected component, and the snapping of homes and
//! schools onto it.

use super::LocalPlane;
use crate::input::osm::OsmWalkWays;
use crate::model::{Location, Snap, WalkNetwork};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Line};
use std::collections::HashMap;

/// The largest connected component of the walk graph, with an index of its
/// segments for snapping.
pub struct WalkGraph {
    /// The graph (nodes and both directions of every edge).
    pub network: WalkNetwork,
    /// The plane in which segments are indexed.
    plane: LocalPlane,
    /// Each segment (node pair, once) in the plane.
    segments: RTree<GeomWithData<Line<[f64; 2]>, (u32, u32)>>,
    /// How much the plane's east-west scale may differ from the sphere's
    /// anywhere in the graph (a fraction), plus a margin: the snapping
    /// search looks this much beyond the best leg found.
    slack: f64,
}

/// Nodes and edges (pairs of node indices) of the whole graph, nodes
/// numbered in ascending OSM id (renumbered along a Z-order curve once the
/// largest component is chosen).
fn whole_graph(osm: &OsmWalkWays) -> (Vec<Location>, Vec<(u32, u32)>) {
    let mut ids: Vec<i64> = osm.nodes.keys().copied().collect();
    ids.sort_unstable();
    let index: HashMap<i64, u32> = ids.iter().enumerate().map(|(i, &id)| (id, i as u32)).collect();
    let nodes = ids.iter().map(|id| osm.nodes[id]).collect();
    let mut edges = Vec::new();
    for way in &osm.ways {
        for pair in way.windows(2) {
            // A node the extract does not hold cuts the way.
            if let (Some(&a), Some(&b)) = (index.get(&pair[0]), index.get(&pair[1]))
                && a != b
            {
                edges.push((a.min(b), a.max(b)));
            }
        }
    }
    edges.sort_unstable();
    edges.dedup();
    (nodes, edges)
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

/// For each node, whether it lies in the largest connected component (by
/// node count; of equal ones, the one holding the smallest node index).
fn largest_component(node_count: usize, edges: &[(u32, u32)]) -> Vec<bool> {
    let mut parent: Vec<u32> = (0..node_count as u32).collect();
    for &(a, b) in edges {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb) as usize] = ra.min(rb);
        }
    }
    let mut size = vec![0usize; node_count];
    let roots: Vec<u32> = (0..node_count as u32).map(|n| find(&mut parent, n)).collect();
    for &r in &roots {
        size[r as usize] += 1;
    }
    let best = (0..node_count).max_by_key(|&r| (size[r], std::cmp::Reverse(r)));
    roots.iter().map(|&r| Some(r as usize) == best).collect()
}

impl WalkGraph {
    /// Builds the graph of the walkable ways and keeps its largest connected component.
    pub fn build(osm: &OsmWalkWays) -> Self {
        let (all_nodes, all_edges) = whole_graph(osm);
        let keep = largest_component(all_nodes.len(), &all_edges);
        let kept: Vec<usize> = (0..all_nodes.len()).filter(|&i| keep[i]).collect();
        let mut renumber = vec![u32::MAX; all_nodes.len()];
        let mut nodes = Vec::with_capacity(kept.len());
        for k in spatial_order(&kept.iter().map(|&i| all_nodes[i]).collect::<Vec<_>>()) {
            renumber[kept[k as usize]] = nodes.len() as u32;
            nodes.push(all_nodes[kept[k as usize]]);
        }
        let edges: Vec<(u32, u32)> = all_edges
            .iter()
            .filter(|&&(a, _)| keep[a as usize])
            .map(|&(a, b)| (renumber[a as usize], renumber[b as usize]))
            .collect();
        let network = compressed(nodes, &edges);
        let plane = LocalPlane::around(network.nodes.iter().map(|l| (l.lon(), l.lat())));
        let slack = scale_slack(&network.nodes);
        let segments = RTree::bulk_load(
            edges
                .iter()
                .map(|&(a, b)| {
                    let (pa, pb) = (point(&plane, &network.nodes[a as usize]), point(&plane, &network.nodes[b as usize]));
                    GeomWithData::new(Line::new(pa, pb), (a, b))
                })
                .collect(),
        );
        Self {
            network,
            plane,
            segments,
            slack,
        }
    }

    /// Where `location` joins the graph: the nearest point of the nearest
    /// segment; `None` for a graph without edges.
    pub fn snap(&self, location: &Location) -> Option<Snap> {
        let query = point(&self.plane, location);
        let mut best: Option<Snap> = None;
        // The plane's scale differs from the sphere's by a fraction of a
        // percent over a city: look at every segment the plane ranks close
        // enough and decide by the great-circle leg.
        for (segment, d2) in self.segments.nearest_neighbor_iter_with_distance_2(query) {
            let planar = d2.sqrt();
            if best.is_some_and(|b| planar > b.leg_m * (1.0 + self.slack) + 0.5) {
                break;
            }
            let (a, b) = segment.data;
            let snap = self.snap_on_segment(location, a, b);
            if best.is_none_or(|s| snap.leg_m < s.leg_m) {
                best = Some(snap);
            }
        }
        best
    }

    /// The nearest point to `location` on the segment `a`–`b`, measured in
    /// a plane centred on the segment.
    fn snap_on_segment(&self, location: &Location, a: u32, b: u32) -> Snap {
        let (la, lb) = (self.network.nodes[a as usize], self.network.nodes[b as usize]);
        let local = LocalPlane::centred((la.lon() + lb.lon()) / 2.0, (la.lat() + lb.lat()) / 2.0);
        let (pa, pb, q) = (point(&local, &la), point(&local, &lb), point(&local, location));
        let (dx, dy) = (pb[0] - pa[0], pb[1] - pa[1]);
        let length2 = dx * dx + dy * dy;
        let t = if length2 > 0.0 {
            (((q[0] - pa[0]) * dx + (q[1] - pa[1]) * dy) / length2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let snapped = if t <= 0.0 {
            la
        } else if t >= 1.0 {
            lb
        } else {
            Location::new(la.lat() + t * (lb.lat() - la.lat()), la.lon() + t * (lb.lon() - la.lon())).unwrap_or(la)
        };
        Snap {
            from: a,
            to: b,
            from_m: la.distance_m(&snapped),
            to_m: snapped.distance_m(&lb),
            leg_m: location.distance_m(&snapped),
            point: snapped,
        }
    }
}

/// The nodes in the order of a Z-order (Morton) curve over their bounding
/// box, ties by their index: nodes near each other on the map come near
/// each other in memory, so a search touches fewer cache lines. The order
/// changes no distance.
fn spatial_order(nodes: &[Location]) -> Vec<u32> {
    let (mut south, mut north, mut west, mut east) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for n in nodes {
        (south, north) = (south.min(n.lat()), north.max(n.lat()));
        (west, east) = (west.min(n.lon()), east.max(n.lon()));
    }
    let cell = |v: f64, low: f64, high: f64| {
        if high > low {
            (((v - low) / (high - low)) * 65_535.0).round().clamp(0.0, 65_535.0) as u64
        } else {
            0
        }
    };
    let spread = |mut v: u64| {
        v = (v | (v << 8)) & 0x00ff_00ff;
        v = (v | (v << 4)) & 0x0f0f_0f0f;
        v = (v | (v << 2)) & 0x3333_3333;
        (v | (v << 1)) & 0x5555_5555
    };
    let codes: Vec<u64> = nodes
        .iter()
        .map(|n| spread(cell(n.lon(), west, east)) | (spread(cell(n.lat(), south, north)) << 1))
        .collect();
    let mut order: Vec<u32> = (0..nodes.len() as u32).collect();
    order.sort_unstable_by_key(|&i| (codes[i as usize], i));
    order
}

/// The largest relative difference between the east-west scale at the
/// graph's centre latitude and at its northern or southern edge, plus 1%.
fn scale_slack(nodes: &[Location]) -> f64 {
    let (mut south, mut north) = (f64::INFINITY, f64::NEG_INFINITY);
    for n in nodes {
        south = south.min(n.lat());
        north = north.max(n.lat());
    }
    if !south.is_finite() {
        return 0.01;
    }
    let centre = ((south + north) / 2.0).to_radians().cos().max(1e-6);
    let edge = |lat: f64| {
        (lat.to_radians().cos() / centre - 1.0)
            .abs()
            .max((centre / lat.to_radians().cos().max(1e-6) - 1.0).abs())
    };
    edge(south).max(edge(north)) + 0.01
}

fn point(plane: &LocalPlane, location: &Location) -> [f64; 2] {
    let (x, y) = plane.to_plane(location.lon(), location.lat());
    [x, y]
}

/// The compressed adjacency of `edges` (each once), both directions.
fn compressed(nodes: Vec<Location>, edges: &[(u32, u32)]) -> WalkNetwork {
    let mut degree = vec![0u32; nodes.len() + 1];
    for &(a, b) in edges {
        degree[a as usize] += 1;
        degree[b as usize] += 1;
    }
    let mut first_edge = vec![0u32; nodes.len() + 1];
    for n in 0..nodes.len() {
        first_edge[n + 1] = first_edge[n] + degree[n];
    }
    let mut next = first_edge.clone();
    let mut edge_target = vec![0u32; 2 * edges.len()];
    let mut edge_m = vec![0.0; 2 * edges.len()];
    for &(a, b) in edges {
        let length = nodes[a as usize].distance_m(&nodes[b as usize]);
        for (from, to) in [(a, b), (b, a)] {
            let slot = next[from as usize] as usize;
            edge_target[slot] = to;
            edge_m[slot] = length;
            next[from as usize] += 1;
        }
    }
    WalkNetwork {
        nodes,
        first_edge,
        edge_target,
        edge_m,
    }
}
