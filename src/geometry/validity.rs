//! Is a polygon valid (OGC simple features)? The rings have at least three
//! distinct corners, no ring crosses or touches itself, rings of one
//! polygon meet at most in single points without crossing, every hole lies
//! inside the outer ring and outside the other holes.
//!
//! geo's `Validation` compares every edge of a ring with every other, so a
//! district of 200,000 vertices took minutes; here the edges are in an
//! R-tree and each edge is only compared with the edges whose bounding
//! boxes meet its own: near-linear time for real districts.
//! `tests/point_in_polygon.rs` compares the verdict with geo's on random
//! polygons.

use super::point_in_polygon::IndexedPolygon;
use geo::coordinate_position::CoordPos;
use geo::line_intersection::{LineIntersection, line_intersection};
use geo::{BoundingRect, Coord, Line, LineString, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

/// One edge: its ring, its number in the ring, and the ring's edge count.
struct Edge {
    ring: usize,
    index: usize,
    ring_edges: usize,
    line: Line<f64>,
}

impl Edge {
    fn envelope(&self) -> AABB<[f64; 2]> {
        AABB::from_corners([self.line.start.x, self.line.start.y], [self.line.end.x, self.line.end.y])
    }

    /// Whether two edges of one ring follow each other.
    fn adjacent(&self, other: &Edge) -> bool {
        let (a, b) = (self.index.min(other.index), self.index.max(other.index));
        b - a == 1 || (a == 0 && b + 1 == self.ring_edges)
    }
}

/// `[x, y]` for messages.
fn at(c: Coord<f64>) -> String {
    format!("[{}, {}]", c.x, c.y)
}

/// A ring without repeated consecutive positions, as edges.
fn ring_edges(ring: &LineString<f64>, number: usize) -> Result<Vec<Edge>, String> {
    let mut corners: Vec<Coord<f64>> = ring.0.clone();
    corners.dedup();
    if corners.len() < 4 {
        return Err(format!("ring {} has fewer than 3 distinct corners", number + 1));
    }
    let ring_edges = corners.len() - 1;
    Ok(corners
        .windows(2)
        .enumerate()
        .map(|(index, w)| Edge {
            ring: number,
            index,
            ring_edges,
            line: Line::new(w[0], w[1]),
        })
        .collect())
}

/// What is wrong where two edges meet, if anything.
fn meeting_problem(a: &Edge, b: &Edge) -> Option<String> {
    let meet = line_intersection(a.line, b.line)?;
    let (point, along) = match meet {
        LineIntersection::SinglePoint { intersection, .. } => (intersection, false),
        LineIntersection::Collinear { intersection } => (intersection.start, intersection.start != intersection.end),
    };
    if a.ring == b.ring {
        if !a.adjacent(b) {
            return Some(format!("ring {} crosses itself (or touches itself) near {}", a.ring + 1, at(point)));
        }
        return along.then(|| format!("ring {} turns back on itself near {}", a.ring + 1, at(point)));
    }
    match meet {
        LineIntersection::SinglePoint { is_proper: true, .. } => {
            Some(format!("rings {} and {} cross near {}", a.ring + 1, b.ring + 1, at(point)))
        }
        LineIntersection::Collinear { .. } if along => {
            Some(format!("rings {} and {} share a line near {}", a.ring + 1, b.ring + 1, at(point)))
        }
        _ => None,
    }
}

/// The first problem of `polygon`, or `None` when it is valid. Rings are
/// numbered as in GeoJSON: 1 is the outer ring, 2.. the holes.
pub fn polygon_problem(polygon: &Polygon<f64>) -> Option<String> {
    let rings: Vec<&LineString<f64>> = std::iter::once(polygon.exterior()).chain(polygon.interiors()).collect();
    let mut edges = Vec::new();
    for (number, ring) in rings.iter().enumerate() {
        match ring_edges(ring, number) {
            Ok(e) => edges.extend(e),
            Err(problem) => return Some(problem),
        }
    }
    let tree = RTree::bulk_load(
        edges
            .iter()
            .enumerate()
            .map(|(i, e)| GeomWithData::new(Rectangle::from_aabb(e.envelope()), i))
            .collect(),
    );
    for (i, edge) in edges.iter().enumerate() {
        for other in tree.locate_in_envelope_intersecting(edge.envelope()) {
            if other.data > i
                && let Some(problem) = meeting_problem(edge, &edges[other.data])
            {
                return Some(problem);
            }
        }
    }
    holes_problem(&rings)
}

/// A position of `ring` that is not on `other`'s boundary, and where it lies.
fn side_of(ring: &LineString<f64>, other: &IndexedPolygon) -> CoordPos {
    ring.0
        .iter()
        .map(|&c| other.position(c))
        .find(|&p| p != CoordPos::OnBoundary)
        .unwrap_or(CoordPos::OnBoundary)
}

/// With no crossings, one corner tells whether a hole lies inside the outer
/// ring, and whether it lies inside another hole.
fn holes_problem(rings: &[&LineString<f64>]) -> Option<String> {
    if rings.len() < 2 {
        return None;
    }
    let alone = |ring: &LineString<f64>| IndexedPolygon::new(&Polygon::new(ring.clone(), vec![]));
    let outer = alone(rings[0]);
    for (h, hole) in rings.iter().enumerate().skip(1) {
        if side_of(hole, &outer) == CoordPos::Outside {
            return Some(format!("ring {} (a hole) lies outside ring 1, the outer ring", h + 1));
        }
    }
    let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = rings
        .iter()
        .enumerate()
        .skip(1)
        .filter_map(|(h, ring)| {
            ring.bounding_rect()
                .map(|r| GeomWithData::new(Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]), h))
        })
        .collect();
    let tree = RTree::bulk_load(boxes);
    for (h, hole) in rings.iter().enumerate().skip(1) {
        let Some(r) = hole.bounding_rect() else { continue };
        let envelope = AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
        for other in tree.locate_in_envelope_intersecting(envelope) {
            if other.data != h && side_of(hole, &alone(rings[other.data])) == CoordPos::Inside {
                return Some(format!("ring {} (a hole) lies inside ring {}, another hole", h + 1, other.data + 1));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn valid_square_with_a_hole_touching_the_outer_ring_at_a_corner() {
        let p = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 4.0), (x: 0.0, y: 0.0)],
            interiors: [[(x: 0.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 2.0), (x: 0.0, y: 0.0)]],
        );
        assert_eq!(polygon_problem(&p), None);
    }

    #[test]
    fn problems_by_hand() {
        let bowtie = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 2.0), (x: 2.0, y: 0.0), (x: 0.0, y: 2.0), (x: 0.0, y: 0.0)];
        assert_eq!(
            polygon_problem(&bowtie).unwrap(),
            "ring 1 crosses itself (or touches itself) near [1, 1]"
        );
        let spike = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 3.0, y: 0.0), (x: 2.5, y: 0.0), (x: 2.0, y: 2.0), (x: 0.0, y: 0.0)];
        assert!(polygon_problem(&spike).unwrap().contains("ring 1"), "{:?}", polygon_problem(&spike));
        let line = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 0.0, y: 0.0), (x: 0.0, y: 0.0)];
        assert_eq!(polygon_problem(&line).unwrap(), "ring 1 has fewer than 3 distinct corners");
        let square = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)];
        let with_hole = |hole: &[(f64, f64)]| Polygon::new(LineString::from(square.to_vec()), vec![LineString::from(hole.to_vec())]);
        let outside = with_hole(&[(5.0, 5.0), (6.0, 5.0), (6.0, 6.0), (5.0, 5.0)]);
        assert_eq!(
            polygon_problem(&outside).unwrap(),
            "ring 2 (a hole) lies outside ring 1, the outer ring"
        );
        let crossing = with_hole(&[(3.0, 3.0), (5.0, 3.0), (5.0, 5.0), (3.0, 3.0)]);
        assert_eq!(polygon_problem(&crossing).unwrap(), "rings 1 and 2 cross near [4, 3]");
        let sharing = with_hole(&[(0.0, 1.0), (0.0, 2.0), (1.0, 2.0), (0.0, 1.0)]);
        assert!(
            polygon_problem(&sharing)
                .unwrap()
                .starts_with("rings 1 and 2 share a line near [0, ")
        );
        let nested = Polygon::new(
            LineString::from(square.to_vec()),
            vec![
                LineString::from(vec![(0.5, 0.5), (3.5, 0.5), (3.5, 3.5), (0.5, 3.5), (0.5, 0.5)]),
                LineString::from(vec![(1.0, 1.0), (2.0, 1.0), (2.0, 2.0), (1.0, 1.0)]),
            ],
        );
        assert_eq!(
            polygon_problem(&nested).unwrap(),
            "ring 3 (a hole) lies inside ring 2, another hole"
        );
    }
}
