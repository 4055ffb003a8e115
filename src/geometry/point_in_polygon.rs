//! Point in polygon with an edge index: each query costs the edges met by
//! a ray from the point (plus a logarithmic search), not all edges, so a
//! district of 200,000 vertices is as quick as a simple one.
//!
//! The answer is exactly geo's `CoordinatePosition` for a polygon (the
//! same winding-number rule per ring, with the same robust orientation
//! test): only edges whose bounding box meets the horizontal ray from the
//! point to the east can contribute to a ring's winding number or hold the
//! point on their line, and those are exactly the edges an R-tree query
//! with that ray returns. `tests/point_in_polygon.rs` compares both on
//! random points and polygons.

use geo::coordinate_position::CoordPos;
use geo::kernels::RobustKernel;
use geo::{Coord, Kernel, LineString, Orientation, Polygon};
use rstar::{AABB, RTree, RTreeObject};

/// One edge of a ring, tagged with its ring (0 = exterior, 1.. = holes).
#[derive(Debug, Clone)]
struct Edge {
    start: Coord<f64>,
    end: Coord<f64>,
    ring: usize,
}

impl RTreeObject for Edge {
    type Envelope = AABB<[f64; 2]>;

    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners([self.start.x, self.start.y], [self.end.x, self.end.y])
    }
}

/// What one edge says about a point (geo's edge-crossing rules).
enum EdgeSays {
    /// The point lies on the edge.
    Boundary,
    /// The edge winds around the point by +1 or -1, or not at all (0).
    Winding(i32),
}

/// `value` between two bounds given in either order (inclusive).
fn between(value: f64, a: f64, b: f64) -> bool {
    if a < b {
        a <= value && value <= b
    } else {
        b <= value && value <= a
    }
}

/// The contribution of one edge to the winding number around `c`:
/// an upward edge includes its start and excludes its end, a downward edge
/// the reverse, horizontal edges count only for the boundary.
fn edge_says(start: Coord<f64>, end: Coord<f64>, c: Coord<f64>) -> EdgeSays {
    if start.y <= c.y {
        if end.y >= c.y {
            let o = RobustKernel::orient2d(start, end, c);
            if o == Orientation::CounterClockwise && end.y != c.y {
                return EdgeSays::Winding(1);
            } else if o == Orientation::Collinear && between(c.x, start.x, end.x) {
                return EdgeSays::Boundary;
            }
        }
    } else if end.y <= c.y {
        let o = RobustKernel::orient2d(start, end, c);
        if o == Orientation::Clockwise {
            return EdgeSays::Winding(-1);
        } else if o == Orientation::Collinear && between(c.x, start.x, end.x) {
            return EdgeSays::Boundary;
        }
    }
    EdgeSays::Winding(0)
}

/// A polygon (exterior and holes) with its edges in an R-tree.
#[derive(Debug, Clone)]
pub struct IndexedPolygon {
    edges: RTree<Edge>,
}

/// The edges of a ring (a ring of one position is one edge of length 0).
fn ring_edges(ring: &LineString<f64>, index: usize) -> impl Iterator<Item = Edge> + '_ {
    let coords = &ring.0;
    let single = (coords.len() == 1).then(|| Edge {
        start: coords[0],
        end: coords[0],
        ring: index,
    });
    coords
        .windows(2)
        .map(move |w| Edge {
            start: w[0],
            end: w[1],
            ring: index,
        })
        .chain(single)
}

impl IndexedPolygon {
    /// Indexes the edges of every ring of `polygon` (O(n log n)).
    pub fn new(polygon: &Polygon<f64>) -> Self {
        let rings = std::iter::once(polygon.exterior()).chain(polygon.interiors());
        let edges: Vec<Edge> = rings.enumerate().flat_map(|(i, ring)| ring_edges(ring, i)).collect();
        Self {
            edges: RTree::bulk_load(edges),
        }
    }

    /// Where `c` lies: inside, on the boundary of, or outside the polygon;
    /// the same answer as `geo::CoordinatePosition` on the polygon.
    pub fn position(&self, c: Coord<f64>) -> CoordPos {
        // Per ring met by the ray: (ring, winding number, on its boundary).
        let mut rings: Vec<(usize, i32, bool)> = Vec::new();
        let ray = AABB::from_corners([c.x, c.y], [f64::MAX, c.y]);
        for edge in self.edges.locate_in_envelope_intersecting(ray) {
            let slot = match rings.iter().position(|r| r.0 == edge.ring) {
                Some(i) => i,
                None => {
                    rings.push((edge.ring, 0, false));
                    rings.len() - 1
                }
            };
            match edge_says(edge.start, edge.end, c) {
                EdgeSays::Boundary => rings[slot].2 = true,
                EdgeSays::Winding(w) => rings[slot].1 += w,
            }
        }
        rings.sort_unstable_by_key(|r| r.0);
        match rings.first() {
            Some(&(0, _, true)) => return CoordPos::OnBoundary,
            Some(&(0, w, false)) if w != 0 => {}
            _ => return CoordPos::Outside,
        }
        // Inside the exterior: the first hole (in order) that holds the point decides.
        for &(_, winding, boundary) in &rings[1..] {
            if boundary {
                return CoordPos::OnBoundary;
            }
            if winding != 0 {
                return CoordPos::Outside;
            }
        }
        CoordPos::Inside
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{CoordinatePosition, polygon};

    #[test]
    fn square_with_a_hole_by_hand() {
        let p = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 4.0), (x: 0.0, y: 0.0)],
            interiors: [[(x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 2.0), (x: 1.0, y: 2.0), (x: 1.0, y: 1.0)]],
        );
        let index = IndexedPolygon::new(&p);
        for (x, y, expected) in [
            (3.0, 3.0, CoordPos::Inside),
            (1.5, 1.5, CoordPos::Outside),
            (1.0, 1.5, CoordPos::OnBoundary),
            (0.0, 0.0, CoordPos::OnBoundary),
            (4.0, 2.0, CoordPos::OnBoundary),
            (2.0, 0.0, CoordPos::OnBoundary),
            (5.0, 2.0, CoordPos::Outside),
            (-1.0, 2.0, CoordPos::Outside),
            (3.0, 1.0, CoordPos::Inside),
            (0.5, 4.0, CoordPos::OnBoundary),
        ] {
            let c = Coord { x, y };
            assert_eq!(index.position(c), expected, "({x}, {y})");
            assert_eq!(p.coordinate_position(&c), expected, "geo at ({x}, {y})");
        }
    }

    #[test]
    fn empty_polygon_holds_nothing() {
        let p = Polygon::new(LineString::new(vec![]), vec![]);
        assert_eq!(IndexedPolygon::new(&p).position(Coord { x: 0.0, y: 0.0 }), CoordPos::Outside);
    }
}
