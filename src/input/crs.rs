//! Coordinate systems of the inputs (`[input] crs`): WGS84 degrees
//! (EPSG:4326, the default) or one of the projected systems German survey
//! offices publish, converted to WGS84 when read by `proj4rs` (a pure-Rust
//! port of PROJ's projections; no C library).
//!
//! | code | system | columns |
//! |---|---|---|
//! | EPSG:4326 | WGS84 latitude/longitude in degrees | `lat,lon` |
//! | EPSG:25832, 25833 | ETRS89 / UTM zone 32N, 33N (metres) | `x,y` |
//! | EPSG:31466 to 31469 | DHDN / Gauss-Krüger zones 2 to 5 (metres) | `x,y` |
//! | EPSG:3035 | ETRS89 / LAEA Europe (metres) | `x,y` |
//!
//! ETRS89 is taken as WGS84 (they differ by well under a metre in Germany,
//! as PROJ does without a grid); DHDN is shifted by the seven-parameter
//! Helmert transformation EPSG:1777 (accuracy about a metre, the one PROJ
//! uses without the BeTA2007 grid).

use proj4rs::proj::Proj;

/// A supported coordinate system, by EPSG code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Crs {
    /// WGS84 geographic degrees (`lat,lon`).
    #[default]
    Wgs84,
    /// A projected system in metres (`x,y`, easting and northing), by EPSG code.
    Projected(u16),
}

/// EPSG codes of the supported projected systems with their PROJ definitions.
const PROJECTED: [(u16, &str); 7] = [
    (25832, "+proj=utm +zone=32 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs"),
    (25833, "+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs"),
    (31466, GK2),
    (31467, GK3),
    (31468, GK4),
    (31469, GK5),
    (
        3035,
        "+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
    ),
];

/// DHDN to WGS84, EPSG:1777 (position vector convention, as PROJ's `towgs84`).
macro_rules! dhdn {
    ($lon:literal, $x0:literal) => {
        concat!(
            "+proj=tmerc +lat_0=0 +lon_0=",
            $lon,
            " +k=1 +x_0=",
            $x0,
            " +y_0=0 +ellps=bessel +towgs84=598.1,73.7,418.2,0.202,0.045,-2.455,6.7 +units=m +no_defs"
        )
    };
}
const GK2: &str = dhdn!("6", "2500000");
const GK3: &str = dhdn!("9", "3500000");
const GK4: &str = dhdn!("12", "4500000");
const GK5: &str = dhdn!("15", "5500000");

const WGS84: &str = "+proj=longlat +datum=WGS84 +no_defs";

impl Crs {
    /// The system a `[input] crs` value names (`EPSG:25832`, also `25832`);
    /// the error lists the supported ones.
    pub fn from_name(name: &str) -> Result<Self, String> {
        let trimmed = name.trim();
        let digits = trimmed
            .strip_prefix("EPSG:")
            .or_else(|| trimmed.strip_prefix("epsg:"))
            .unwrap_or(trimmed);
        match digits.parse::<u16>() {
            Ok(4326) => Ok(Self::Wgs84),
            Ok(code) if PROJECTED.iter().any(|(c, _)| *c == code) => Ok(Self::Projected(code)),
            _ => Err(format!(
                "crs = {name:?} is not supported; use \"EPSG:4326\" (WGS84 lat/lon, the default), \"EPSG:25832\" or \"EPSG:25833\" (ETRS89 / UTM), \"EPSG:31466\" to \"EPSG:31469\" (Gauss-Krüger) or \"EPSG:3035\" (LAEA Europe)"
            )),
        }
    }

    /// The EPSG name, e.g. `EPSG:25832`.
    pub fn name(self) -> String {
        match self {
            Self::Wgs84 => "EPSG:4326".into(),
            Self::Projected(code) => format!("EPSG:{code}"),
        }
    }

    fn definition(self) -> &'static str {
        match self {
            Self::Wgs84 => WGS84,
            Self::Projected(code) => PROJECTED.iter().find(|(c, _)| *c == code).map(|(_, d)| *d).unwrap_or(WGS84),
        }
    }
}

/// Converts between one coordinate system and WGS84 degrees.
pub struct Converter {
    crs: Crs,
    projected: Proj,
    wgs84: Proj,
}

impl Converter {
    /// A converter for `crs`.
    pub fn new(crs: Crs) -> Self {
        let parse = |definition: &str| Proj::from_proj_string(definition).expect("the built-in PROJ definitions parse");
        Self {
            crs,
            projected: parse(crs.definition()),
            wgs84: parse(WGS84),
        }
    }

    /// The system converted from.
    pub fn crs(&self) -> Crs {
        self.crs
    }

    /// WGS84 `(lat, lon)` in degrees of the point `(x, y)` (easting, northing
    /// in metres); `None` when the point cannot be converted.
    pub fn to_wgs84(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        if self.crs == Crs::Wgs84 {
            return Some((y, x));
        }
        let mut point = (x, y, 0.0);
        proj4rs::transform::transform(&self.projected, &self.wgs84, &mut point).ok()?;
        let (lat, lon) = (point.1.to_degrees(), point.0.to_degrees());
        (lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0).then_some((lat, lon))
    }

    /// `(x, y)` (easting, northing in metres) of the WGS84 point `(lat, lon)`
    /// in degrees; `None` when it cannot be converted.
    pub fn from_wgs84(&self, lat: f64, lon: f64) -> Option<(f64, f64)> {
        if self.crs == Crs::Wgs84 {
            return Some((lon, lat));
        }
        let mut point = (lon.to_radians(), lat.to_radians(), 0.0);
        proj4rs::transform::transform(&self.wgs84, &self.projected, &mut point).ok()?;
        (point.0.is_finite() && point.1.is_finite()).then_some((point.0, point.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that `crs` converts WGS84 `(lat, lon)` to `(x, y)` and back, to 1 cm.
    fn check(crs: Crs, (lat, lon): (f64, f64), (x, y): (f64, f64)) {
        let converter = Converter::new(crs);
        let (cx, cy) = converter.from_wgs84(lat, lon).unwrap();
        assert!(
            (cx - x).abs() <= 0.01 && (cy - y).abs() <= 0.01,
            "{crs:?} {lat} {lon}: {cx} {cy}, published {x} {y}"
        );
        let (clat, clon) = converter.to_wgs84(x, y).unwrap();
        // 1 cm is about 9e-8 degrees of latitude, 1.5e-7 of longitude at 52 N.
        assert!(
            (clat - lat).abs() <= 9e-8 && (clon - lon).abs() <= 1.5e-7,
            "{crs:?} {x} {y}: {clat} {clon}"
        );
    }

    /// EPSG Guidance Note 7-2, Lambert Azimuthal Equal Area worked example
    /// (ETRS89 / LAEA Europe): 50° N, 5° E is E 3 962 799.45 m, N 2 999 718.85 m.
    #[test]
    fn laea_matches_the_epsg_guidance_note_example() {
        check(Crs::Projected(3035), (50.0, 5.0), (3_962_799.45, 2_999_718.85));
    }

    /// EPSG Guidance Note 7-2, Transverse Mercator worked example (OSGB 1936 /
    /// British National Grid): 50°30' N, 0°30' E is E 577 274.99 m, N 69 740.50 m.
    /// The same projection code (`tmerc`) as Gauss-Krüger and UTM.
    #[test]
    fn transverse_mercator_matches_the_epsg_guidance_note_example() {
        let grid = Proj::from_proj_string(
            "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +a=6377563.396 +rf=299.3249646 +units=m +no_defs",
        )
        .unwrap();
        let geographic = Proj::from_proj_string("+proj=longlat +a=6377563.396 +rf=299.3249646 +no_defs").unwrap();
        let mut point = (0.5f64.to_radians(), 50.5f64.to_radians(), 0.0);
        proj4rs::transform::transform(&geographic, &grid, &mut point).unwrap();
        assert!(
            (point.0 - 577_274.99).abs() <= 0.01 && (point.1 - 69_740.50).abs() <= 0.01,
            "{point:?}"
        );
    }

    /// Points of every system as PROJ 9.5.1 converts them (pyproj; DHDN with
    /// the same Helmert parameters, EPSG:1777), to 1 cm both ways.
    #[test]
    fn every_system_matches_proj() {
        let cases = [
            (25832, (52.1, 11.6), (678078.4679, 5775349.8284)),
            (25832, (52.0, 9.0), (500000.0, 5761038.2125)),
            (25832, (50.7, 6.5), (323458.2098, 5619445.9528)),
            (25833, (52.5, 13.4), (391390.7313, 5817855.2407)),
            (25833, (51.0, 14.0), (429831.1385, 5650300.7865)),
            (31468, (52.1, 11.6), (4472694.1128, 5774104.0115)),
            (31468, (51.3, 12.3), (4521027.9810, 5685062.3520)),
            (31467, (48.8, 9.2), (3514768.5247, 5406965.3907)),
            (31466, (50.9, 6.9), (2563355.2310, 5640908.1420)),
            (31469, (51.2, 14.3), (5451209.6656, 5674123.5143)),
            (3035, (52.1, 11.6), (4430629.8726, 3222330.4590)),
        ];
        for (code, wgs84, projected) in cases {
            check(Crs::Projected(code), wgs84, projected);
        }
    }

    #[test]
    fn names_are_read_and_unknown_ones_listed() {
        assert_eq!(Crs::from_name("EPSG:25832"), Ok(Crs::Projected(25832)));
        assert_eq!(Crs::from_name("epsg:4326"), Ok(Crs::Wgs84));
        assert_eq!(Crs::from_name("31468"), Ok(Crs::Projected(31468)));
        let error = Crs::from_name("EPSG:2056").unwrap_err();
        assert!(
            error.contains("EPSG:25833") && error.contains("EPSG:31469") && error.contains("EPSG:3035"),
            "{error}"
        );
    }
}
