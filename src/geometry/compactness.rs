//! How compact a district is, from its (multi)polygon in a local plane
//! (metres):
//!
//! - **Polsby–Popper** `4 pi A / P^2` (Polsby & Popper 1991): 1 for a disc,
//!   about 0.785 for a square, near 0 for a long thin or ragged shape;
//!   `A` is the area and `P` the length of every ring, holes included.
//! - **Convex-hull ratio** `A / A_hull`: 1 for a convex district, lower for
//!   one with bays, holes or detached parts.
//!
//! Both are computed on the district as drawn (`districts.geojson`).

use super::LocalPlane;
use geo::{Area, ConvexHull, Coord, Euclidean, Length, MapCoords, MultiPolygon};

/// The shape figures of one district.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Compactness {
    /// Separate polygons (1 for a connected district).
    pub parts: usize,
    /// Area in square kilometres.
    pub area_km2: f64,
    /// Length of all rings in kilometres.
    pub perimeter_km: f64,
    /// `4 pi A / P^2`, in (0, 1].
    pub polsby_popper: f64,
    /// `A / A_hull`, in (0, 1].
    pub convex_hull_ratio: f64,
}

/// The compactness of a district given in longitude/latitude, measured in
/// the local plane `plane`.
pub fn compactness(district: &MultiPolygon<f64>, plane: &LocalPlane) -> Compactness {
    let flat: MultiPolygon<f64> = district.map_coords(|c| {
        let (x, y) = plane.to_plane(c.x, c.y);
        Coord { x, y }
    });
    let area = flat.unsigned_area();
    let perimeter: f64 = flat
        .iter()
        .map(|p| Euclidean.length(p.exterior()) + p.interiors().iter().map(|r| Euclidean.length(r)).sum::<f64>())
        .sum();
    let hull = flat.convex_hull().unsigned_area();
    let ratio = |num: f64, den: f64| if den > 0.0 { num / den } else { 0.0 };
    Compactness {
        parts: flat.0.len(),
        area_km2: area / 1e6,
        perimeter_km: perimeter / 1e3,
        polsby_popper: ratio(4.0 * std::f64::consts::PI * area, perimeter * perimeter),
        convex_hull_ratio: ratio(area, hull),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon};

    fn square_at(lon: f64, lat: f64, side_deg: f64) -> Polygon<f64> {
        let ring = vec![
            (lon, lat),
            (lon + side_deg, lat),
            (lon + side_deg, lat + side_deg),
            (lon, lat + side_deg),
            (lon, lat),
        ];
        Polygon::new(LineString::from(ring), vec![])
    }

    #[test]
    fn a_square_is_pi_over_four_and_convex() {
        let plane = LocalPlane::centred(0.0, 0.0);
        let c = compactness(&MultiPolygon::new(vec![square_at(0.0, 0.0, 0.01)]), &plane);
        assert_eq!(c.parts, 1);
        assert!((c.polsby_popper - std::f64::consts::FRAC_PI_4).abs() < 1e-3, "{c:?}");
        assert!((c.convex_hull_ratio - 1.0).abs() < 1e-9, "{c:?}");
    }

    #[test]
    fn two_detached_squares_are_less_compact() {
        let plane = LocalPlane::centred(0.0, 0.0);
        let two = MultiPolygon::new(vec![square_at(0.0, 0.0, 0.01), square_at(0.03, 0.0, 0.01)]);
        let c = compactness(&two, &plane);
        assert_eq!(c.parts, 2);
        // Two squares: 4 pi (2 s^2) / (8 s)^2 = pi / 8; hull 4 s x s: ratio 1/2.
        assert!((c.polsby_popper - std::f64::consts::PI / 8.0).abs() < 1e-3, "{c:?}");
        assert!((c.convex_hull_ratio - 0.5).abs() < 1e-3, "{c:?}");
    }

    #[test]
    fn an_l_of_three_squares_in_metres_near_magdeburg() {
        // Three squares of 100 m: (0,0), (1,0), (0,1). A = 3 s^2, P = 8 s:
        // Polsby-Popper 4 pi 3 / 64 = 3 pi / 16; the hull cuts the corner
        // (2,1)-(1,2): 4 s^2 - s^2 / 2, ratio 3 / 3.5 = 6 / 7.
        let plane = LocalPlane::centred(11.63, 52.13);
        let s = 100.0;
        let corners = [(0.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (1.0, 2.0), (0.0, 2.0), (0.0, 0.0)];
        let ring: Vec<(f64, f64)> = corners.iter().map(|&(x, y)| plane.to_degrees(x * s, y * s)).collect();
        let l = MultiPolygon::new(vec![Polygon::new(LineString::from(ring), vec![])]);
        let c = compactness(&l, &plane);
        assert_eq!(c.parts, 1);
        assert!((c.area_km2 - 0.03).abs() < 1e-9, "{c:?}");
        assert!((c.perimeter_km - 0.8).abs() < 1e-9, "{c:?}");
        assert!((c.polsby_popper - 3.0 * std::f64::consts::PI / 16.0).abs() < 1e-9, "{c:?}");
        assert!((c.convex_hull_ratio - 6.0 / 7.0).abs() < 1e-9, "{c:?}");
    }

    #[test]
    fn a_hole_counts_in_the_perimeter_and_against_the_area() {
        // A square of 300 m with a 100 m hole in the middle: A = 8 s^2,
        // P = 12 s + 4 s = 16 s: 4 pi 8 / 256 = pi / 8; hull 9 s^2: 8 / 9.
        let plane = LocalPlane::centred(11.63, 52.13);
        let s = 100.0;
        let ring = |pts: &[(f64, f64)]| LineString::from(pts.iter().map(|&(x, y)| plane.to_degrees(x * s, y * s)).collect::<Vec<_>>());
        let outer = ring(&[(0.0, 0.0), (3.0, 0.0), (3.0, 3.0), (0.0, 3.0), (0.0, 0.0)]);
        let hole = ring(&[(1.0, 1.0), (1.0, 2.0), (2.0, 2.0), (2.0, 1.0), (1.0, 1.0)]);
        let c = compactness(&MultiPolygon::new(vec![Polygon::new(outer, vec![hole])]), &plane);
        assert!((c.polsby_popper - std::f64::consts::PI / 8.0).abs() < 1e-9, "{c:?}");
        assert!((c.convex_hull_ratio - 8.0 / 9.0).abs() < 1e-9, "{c:?}");
    }
}
