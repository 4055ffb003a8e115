//! Locations in WGS84 degrees and the great-circle distance between them.

use geo::{Distance, HaversineMeasure, Point};

/// Radius of the sphere on which ways to school are measured, in metres
/// (the IUGG mean Earth radius).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A point on the Earth in WGS84 degrees. Valid by construction through
/// [`Location::new`]: latitude in [-90, 90], longitude in [-180, 180].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Location {
    lat: f64,
    lon: f64,
}

impl Location {
    /// A location, or `None` when a coordinate is out of range or not finite.
    pub fn new(lat: f64, lon: f64) -> Option<Self> {
        let ok = lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
        ok.then_some(Self { lat, lon })
    }

    /// Latitude in degrees.
    pub fn lat(&self) -> f64 {
        self.lat
    }

    /// Longitude in degrees.
    pub fn lon(&self) -> f64 {
        self.lon
    }

    /// Great-circle (haversine) distance in metres on a sphere of radius
    /// [`EARTH_RADIUS_M`].
    pub fn distance_m(&self, other: &Location) -> f64 {
        HaversineMeasure::new(EARTH_RADIUS_M).distance(Point::new(self.lon, self.lat), Point::new(other.lon, other.lat))
    }

    /// The point on the unit sphere (x, y, z). Straight-line (chord) distance
    /// between two such points grows strictly with their great-circle
    /// distance, so an R-tree over them answers nearest-school queries
    /// exactly in great-circle order.
    pub fn unit_vector(&self) -> [f64; 3] {
        let (la, lo) = (self.lat.to_radians(), self.lon.to_radians());
        [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
    }
}

/// Converts a chord length on the unit sphere to a great-circle distance in metres.
pub fn chord_to_metres(chord: f64) -> f64 {
    2.0 * EARTH_RADIUS_M * (chord / 2.0).clamp(0.0, 1.0).asin()
}

/// Converts a great-circle distance in metres to the chord length on the unit sphere.
pub fn metres_to_chord(metres: f64) -> f64 {
    let angle = (metres / EARTH_RADIUS_M).min(std::f64::consts::PI);
    2.0 * (angle / 2.0).sin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_degree_of_latitude_is_111_195_metres() {
        let a = Location::new(52.0, 11.6).unwrap();
        let b = Location::new(53.0, 11.6).unwrap();
        // 2*pi*R/360 = 111_195.08 m
        assert!((a.distance_m(&b) - 111_195.08).abs() < 0.05);
    }

    #[test]
    fn chord_and_metres_round_trip() {
        for m in [0.0, 1.0, 850.0, 2_000.0, 120_000.0] {
            assert!((chord_to_metres(metres_to_chord(m)) - m).abs() < 1e-6);
        }
    }

    #[test]
    fn out_of_range_coordinates_are_rejected() {
        assert!(Location::new(91.0, 0.0).is_none());
        assert!(Location::new(0.0, -180.5).is_none());
        assert!(Location::new(f64::NAN, 0.0).is_none());
    }
}
