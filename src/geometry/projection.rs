//! A local plane around a city: longitude and latitude scaled to metres
//! (equirectangular at the centre latitude). Over a city the scale error is
//! far below a metre per kilometre, and the map is affine, so straight lines,
//! midpoints and orientation are the same in degrees and in metres.

use crate::model::EARTH_RADIUS_M;

/// An equirectangular plane centred on (`lat0`, `lon0`), in metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalPlane {
    lon0: f64,
    lat0: f64,
    metres_per_deg_lon: f64,
    metres_per_deg_lat: f64,
}

impl LocalPlane {
    /// The plane centred on the middle of the given (lon, lat) points' bounding box
    /// (on (0, 0) for no points).
    pub fn around(points: impl IntoIterator<Item = (f64, f64)>) -> Self {
        let (mut min_lon, mut max_lon, mut min_lat, mut max_lat) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
        for (lon, lat) in points {
            min_lon = min_lon.min(lon);
            max_lon = max_lon.max(lon);
            min_lat = min_lat.min(lat);
            max_lat = max_lat.max(lat);
        }
        if !min_lon.is_finite() {
            return Self::centred(0.0, 0.0);
        }
        Self::centred((min_lon + max_lon) / 2.0, (min_lat + max_lat) / 2.0)
    }

    /// The plane centred on (`lon0`, `lat0`).
    pub fn centred(lon0: f64, lat0: f64) -> Self {
        let metres_per_deg_lat = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
        Self {
            lon0,
            lat0,
            metres_per_deg_lon: metres_per_deg_lat * lat0.to_radians().cos().max(1e-6),
            metres_per_deg_lat,
        }
    }

    /// (x, y) in metres of a (lon, lat) in degrees.
    pub fn to_plane(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon - self.lon0) * self.metres_per_deg_lon,
            (lat - self.lat0) * self.metres_per_deg_lat,
        )
    }

    /// (lon, lat) in degrees of an (x, y) in metres.
    pub fn to_degrees(&self, x: f64, y: f64) -> (f64, f64) {
        (self.lon0 + x / self.metres_per_deg_lon, self.lat0 + y / self.metres_per_deg_lat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_scale() {
        let plane = LocalPlane::centred(11.6, 52.1);
        let (x, y) = plane.to_plane(11.61, 52.11);
        // 0.01 deg of latitude is 1,111.95 m; of longitude at 52.1 deg, 1,111.95 * cos(52.1 deg).
        assert!((y - 1_111.95).abs() < 0.01, "{y}");
        assert!((x - 1_111.95 * 52.1f64.to_radians().cos()).abs() < 0.01, "{x}");
        let (lon, lat) = plane.to_degrees(x, y);
        assert!((lon - 11.61).abs() < 1e-12 && (lat - 52.11).abs() < 1e-12);
    }
}
