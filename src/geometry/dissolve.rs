//! Dissolving pieces of a [`DualMesh`] into polygons, exactly: an edge
//! shared by two chosen pieces is interior and cancels; the edges left over
//! are linked into rings by vertex id, never by comparing coordinates.
//!
//! Rings are traced with the region on their left: shells come out
//! counter-clockwise and holes clockwise (the GeoJSON right-hand rule). At a
//! vertex where the region touches itself, the walk turns into the same
//! wedge of the region it came from (the smallest clockwise turn from the
//! edge it arrived on), so no ring ever crosses or touches itself: two parts
//! that meet at a point become two polygons, a hole that touches its shell
//! at a point stays a separate hole, both valid simple-features geometry.

use super::dual_mesh::{DualMesh, MeshVertex};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use std::collections::HashMap;

/// The union of the pieces `chosen` (indices into `mesh.pieces`), as polygons
/// in (lon, lat), in a deterministic order.
pub(crate) fn dissolve(mesh: &DualMesh, chosen: &[usize]) -> MultiPolygon<f64> {
    // 1. Cancel shared edges; join pieces across them into components.
    let mut components = UnionFind::new(chosen.len());
    let mut open: HashMap<(usize, usize), usize> = HashMap::with_capacity(chosen.len() * 3);
    for (local, &piece) in chosen.iter().enumerate() {
        let c = mesh.pieces[piece].corners;
        for (u, v) in [(c[0], c[1]), (c[1], c[2]), (c[2], c[0])] {
            match open.remove(&(v, u)) {
                Some(other) => components.union(local, other),
                None => {
                    open.insert((u, v), local);
                }
            }
        }
    }
    let mut boundary: Vec<((usize, usize), usize)> = open.into_iter().collect();
    boundary.sort_unstable();
    let mut outgoing: HashMap<usize, Vec<usize>> = HashMap::new();
    for &((u, _), _) in &boundary {
        outgoing.entry(u).or_default();
    }
    for (i, &((u, _), _)) in boundary.iter().enumerate() {
        outgoing.get_mut(&u).expect("inserted above").push(i);
    }

    // 2. Trace rings.
    let mut used = vec![false; boundary.len()];
    let mut rings: Vec<(Vec<usize>, usize)> = Vec::new();
    for start in 0..boundary.len() {
        if used[start] {
            continue;
        }
        let mut ring = Vec::new();
        let mut edge = start;
        loop {
            used[edge] = true;
            let ((u, v), _) = boundary[edge];
            ring.push(u);
            let next = next_edge(mesh, &boundary, &outgoing[&v], u, v);
            if next == start || used[next] {
                break;
            }
            edge = next;
        }
        rings.push((simplify(mesh, ring), components.find(boundary[start].1)));
    }

    // 3. Shells and holes, by orientation; each hole to a shell of its component.
    let mut shells: Vec<(Vec<usize>, usize, Vec<Vec<usize>>)> = Vec::new();
    let mut holes: Vec<(Vec<usize>, usize)> = Vec::new();
    for (ring, component) in rings {
        if signed_area(mesh, &ring) > 0.0 {
            shells.push((ring, component, Vec::new()));
        } else {
            holes.push((ring, component));
        }
    }
    for (hole, component) in holes {
        let candidates: Vec<usize> = (0..shells.len()).filter(|&s| shells[s].1 == component).collect();
        let shell = match candidates.as_slice() {
            [only] => *only,
            _ => candidates
                .iter()
                .copied()
                .find(|&s| encloses(mesh, &shells[s].0, &hole))
                .or_else(|| (0..shells.len()).find(|&s| encloses(mesh, &shells[s].0, &hole)))
                .unwrap_or(0),
        };
        if let Some(entry) = shells.get_mut(shell) {
            entry.2.push(hole);
        }
    }
    let ring_coords = |ring: &[usize]| {
        let mut coords: Vec<Coord<f64>> = ring
            .iter()
            .map(|&i| Coord {
                x: mesh.degrees[i].0,
                y: mesh.degrees[i].1,
            })
            .collect();
        coords.push(coords[0]);
        LineString::new(coords)
    };
    MultiPolygon::new(
        shells
            .iter()
            .map(|(shell, _, holes)| Polygon::new(ring_coords(shell), holes.iter().map(|h| ring_coords(h)).collect()))
            .collect(),
    )
}

/// At vertex `v`, arrived from `u`: the outgoing boundary edge with the
/// smallest clockwise turn from the direction back to `u`.
fn next_edge(mesh: &DualMesh, boundary: &[((usize, usize), usize)], candidates: &[usize], u: usize, v: usize) -> usize {
    if let [only] = candidates {
        return *only;
    }
    let angle = |to: usize| {
        let (p, q) = (mesh.plane[v], mesh.plane[to]);
        (q.1 - p.1).atan2(q.0 - p.0)
    };
    let back = angle(u);
    let turn = |edge: usize| {
        let w = boundary[edge].0.1;
        let cw = (back - angle(w)).rem_euclid(std::f64::consts::TAU);
        if cw <= 0.0 { std::f64::consts::TAU } else { cw }
    };
    *candidates
        .iter()
        .min_by(|&&a, &&b| turn(a).total_cmp(&turn(b)).then(a.cmp(&b)))
        .expect("a boundary edge always continues")
}

/// Drops the midpoint of an edge on the outer boundary of the triangulation
/// when its ring neighbours are the edge's two sites (a computed midpoint
/// need not lie exactly on the line; on the outer boundary no neighbouring
/// district shares the edge, so nothing else has to match it). Inside the
/// map the midpoint stays: a neighbour's ring may run through it.
fn simplify(mesh: &DualMesh, ring: Vec<usize>) -> Vec<usize> {
    let n = ring.len();
    if n <= 3 {
        return ring;
    }
    let keep: Vec<bool> = (0..n)
        .map(|i| match mesh.kinds[ring[i]] {
            MeshVertex::Midpoint(a, b, true) => {
                let (prev, next) = (ring[(i + n - 1) % n], ring[(i + 1) % n]);
                !((prev == a && next == b) || (prev == b && next == a))
            }
            _ => true,
        })
        .collect();
    let simplified: Vec<usize> = ring.iter().zip(&keep).filter(|(_, k)| **k).map(|(v, _)| *v).collect();
    if simplified.len() >= 3 { simplified } else { ring }
}

/// Twice the signed area of a ring in plane coordinates (positive: counter-clockwise).
fn signed_area(mesh: &DualMesh, ring: &[usize]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (mesh.plane[ring[i]], mesh.plane[ring[(i + 1) % n]]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum()
}

/// Whether `shell` encloses `hole`: a vertex of the hole that is not on the
/// shell lies inside it (even-odd rule).
fn encloses(mesh: &DualMesh, shell: &[usize], hole: &[usize]) -> bool {
    let Some(&probe) = hole.iter().find(|v| !shell.contains(v)) else {
        return false;
    };
    let (px, py) = mesh.plane[probe];
    let n = shell.len();
    let mut inside = false;
    for i in 0..n {
        let (a, b) = (mesh.plane[shell[i]], mesh.plane[shell[(i + 1) % n]]);
        if (a.1 > py) != (b.1 > py) && px < a.0 + (py - a.1) * (b.0 - a.0) / (b.1 - a.1) {
            inside = !inside;
        }
    }
    inside
}

/// Union-find over piece indices.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        Self { parent: (0..n).collect() }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::dual_mesh::{build_mesh, longitude_scale};
    use geo::{Area, Validation, Winding};

    /// A 5 x 5 grid of sites 0.001 degree apart; site `5 * row + column`.
    fn grid() -> DualMesh {
        let sites: Vec<(f64, f64)> = (0..25)
            .map(|i| (11.6 + 0.001 * (i % 5) as f64, 52.0 + 0.001 * (i / 5) as f64))
            .collect();
        build_mesh(&sites, longitude_scale(52.0)).unwrap()
    }

    fn pieces_of(mesh: &DualMesh, sites: &[usize]) -> Vec<usize> {
        (0..mesh.pieces.len()).filter(|&p| sites.contains(&mesh.pieces[p].site)).collect()
    }

    #[test]
    fn one_cell_is_one_polygon_around_its_site() {
        let mesh = grid();
        let area = dissolve(&mesh, &pieces_of(&mesh, &[12]));
        assert_eq!(area.0.len(), 1);
        assert!(area.0[0].interiors().is_empty());
        assert!(area.is_valid());
        assert!(area.0[0].exterior().is_ccw(), "shells run counter-clockwise");
        // A third of each triangle at the site: k triangles of half a grid square.
        let triangles = area.unsigned_area() / (1e-6 / 6.0);
        assert!(
            (triangles - triangles.round()).abs() < 1e-6 && (4.0..=8.0).contains(&triangles.round()),
            "{triangles}"
        );
    }

    #[test]
    fn all_but_one_cell_is_a_polygon_with_a_hole() {
        let mesh = grid();
        let all_but_centre: Vec<usize> = (0..25).filter(|&s| s != 12).collect();
        let area = dissolve(&mesh, &pieces_of(&mesh, &all_but_centre));
        assert_eq!(area.0.len(), 1);
        assert_eq!(area.0[0].interiors().len(), 1);
        assert!(area.0[0].interiors()[0].is_cw(), "holes run clockwise");
        assert!(area.is_valid(), "{:?}", area.validation_errors());
        let hole = geo::Polygon::new(area.0[0].interiors()[0].clone(), vec![]);
        let centre = dissolve(&mesh, &pieces_of(&mesh, &[12]));
        assert_eq!(
            hole.exterior().0.len(),
            centre.0[0].exterior().0.len(),
            "the hole is the centre's cell"
        );
        assert!((hole.unsigned_area() - centre.unsigned_area()).abs() < 1e-18);
    }

    #[test]
    fn pieces_meeting_at_a_point_become_two_polygons() {
        let mesh = grid();
        let around: Vec<usize> = pieces_of(&mesh, &[12]);
        let first = around[0];
        let shares_edge = |a: usize, b: usize| mesh.pieces[a].corners.iter().filter(|c| mesh.pieces[b].corners.contains(c)).count() >= 2;
        let second = *around
            .iter()
            .find(|&&p| p != first && !shares_edge(first, p))
            .expect("a piece meeting the first at the site only");
        let area = dissolve(&mesh, &[first, second]);
        assert_eq!(area.0.len(), 2, "{area:?}");
        assert!(area.is_valid(), "{:?}", area.validation_errors());
    }
}
