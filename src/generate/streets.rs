//! A synthetic walk network for a generated city, written as an OSM XML
//! extract (gzip): a grid of residential streets every `spacing_m` metres
//! over the homes and schools (plus a margin), cut by barriers that can be
//! crossed only at given places.
//!
//! For the Magdeburg-like preset the barriers are the Elbe (a line through
//! the city that leaves Werder, Brückfeld, Cracau, Prester and Herrenkrug
//! east of it, crossable only at bridges placed roughly where Magdeburg's
//! are) and the main railway west of the centre (crossable only at
//! underpasses). Positions are approximate: a planning illustration, not a
//! map.

use super::{GeneratedCity, Preset};
use crate::model::EARTH_RADIUS_M;
use std::fmt::Write as _;
use std::io::Write as _;

/// A line through the city (`lon` as a piecewise-linear function of `lat`)
/// that streets cross only at `crossings` (latitudes).
#[derive(Debug, Clone, PartialEq)]
pub struct Barrier {
    /// (lat, lon) vertices, ascending latitude.
    pub line: Vec<(f64, f64)>,
    /// Latitudes of the bridges or underpasses.
    pub crossings: Vec<f64>,
    /// The OSM tag the barrier's own line is written with (`waterway=river`,
    /// `railway=rail`), so that maps can draw it; no walkable way.
    pub tag: (&'static str, &'static str),
}

impl Barrier {
    /// Longitude of the barrier at `lat` (held constant beyond its ends).
    fn lon_at(&self, lat: f64) -> f64 {
        let first = self.line[0];
        let last = self.line[self.line.len() - 1];
        if lat <= first.0 {
            return first.1;
        }
        if lat >= last.0 {
            return last.1;
        }
        let i = self.line.windows(2).position(|w| lat <= w[1].0).unwrap_or(0);
        let ((la, oa), (lb, ob)) = (self.line[i], self.line[i + 1]);
        oa + (ob - oa) * (lat - la) / (lb - la)
    }

    /// Whether the straight street between two points crosses the barrier.
    fn separates(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        (a.1 - self.lon_at(a.0)).signum() != (b.1 - self.lon_at(b.0)).signum()
    }
}

/// The Elbe and the railway of the Magdeburg-like city.
pub fn magdeburg_barriers() -> Vec<Barrier> {
    vec![
        Barrier {
            line: vec![
                (52.040, 11.690),
                (52.060, 11.685),
                (52.080, 11.675),
                (52.100, 11.660),
                (52.115, 11.652),
                (52.120, 11.643),
                (52.135, 11.642),
                (52.145, 11.650),
                (52.165, 11.662),
                (52.200, 11.668),
            ],
            // Sternbrücke, Strombrückenzug, the new bridge to the south, Herrenkrug bridge.
            crossings: vec![52.1150, 52.1225, 52.1285, 52.1450],
            tag: ("waterway", "river"),
        },
        Barrier {
            line: vec![(52.040, 11.622), (52.200, 11.626)],
            crossings: vec![52.090, 52.105, 52.118, 52.127, 52.134, 52.142, 52.155, 52.170],
            tag: ("railway", "rail"),
        },
    ]
}

/// Metres between two bridges over the river of a city that is not the
/// Magdeburg-like one (see [`city_barriers`]).
pub const CITY_BRIDGE_SPACING_M: f64 = 1_500.0;
/// Metres between two underpasses of the railway of such a city.
pub const CITY_UNDERPASS_SPACING_M: f64 = 1_000.0;

/// The latitude and longitude ranges of a city's homes and schools:
/// `(south, north, west, east)`.
fn bounds(city: &GeneratedCity) -> (f64, f64, f64, f64) {
    let points = city
        .pupils
        .iter()
        .map(|p| (p.lat.parse::<f64>().unwrap_or(0.0), p.lon.parse::<f64>().unwrap_or(0.0)))
        .chain(
            city.schools
                .iter()
                .map(|s| (s.lat.parse().unwrap_or(0.0), s.lon.parse().unwrap_or(0.0))),
        );
    let (mut lat_min, mut lat_max, mut lon_min, mut lon_max) = (90.0f64, -90.0f64, 180.0f64, -180.0f64);
    for (lat, lon) in points {
        lat_min = lat_min.min(lat);
        lat_max = lat_max.max(lat);
        lon_min = lon_min.min(lon);
        lon_max = lon_max.max(lon);
    }
    (lat_min, lat_max, lon_min, lon_max)
}

/// Latitudes from `south` to `north`, `step_m` metres apart, starting half a step in.
fn every(south: f64, north: f64, step_m: f64) -> Vec<f64> {
    let step = step_m / (EARTH_RADIUS_M * std::f64::consts::PI / 180.0);
    let count = ((north - south) / step).floor().max(0.0) as usize;
    (0..count.max(1)).map(|k| south + (k as f64 + 0.5) * step).collect()
}

/// A river and a railway for a generated city other than the Magdeburg-like
/// one, in the same spirit: a river winding from south to north a little
/// east of the middle of the homes (a bridge every
/// [`CITY_BRIDGE_SPACING_M`]), and a railway straight from south to north
/// in the western third (an underpass every [`CITY_UNDERPASS_SPACING_M`]).
/// Placed from the city's extent alone: the same city gives the same lines.
pub fn city_barriers(city: &GeneratedCity) -> Vec<Barrier> {
    let (south, north, west, east) = bounds(city);
    let (span_lat, span_lon) = ((north - south).max(1e-3), (east - west).max(1e-3));
    // Beyond the homes by a tenth of the extent: the lines cross the whole grid.
    let (south_end, north_end) = (south - span_lat / 10.0, north + span_lat / 10.0);
    let bends = 12;
    let river = (0..=bends)
        .map(|k| {
            let f = k as f64 / bends as f64;
            let swing = [0.0, 0.06, -0.04, 0.08, -0.07, 0.03][k % 6];
            (south_end + f * (north_end - south_end), west + span_lon * (0.55 + swing))
        })
        .collect();
    vec![
        Barrier {
            line: river,
            crossings: every(south_end, north_end, CITY_BRIDGE_SPACING_M),
            tag: ("waterway", "river"),
        },
        Barrier {
            line: vec![(south_end, west + span_lon * 0.3), (north_end, west + span_lon * 0.32)],
            crossings: every(south_end, north_end, CITY_UNDERPASS_SPACING_M),
            tag: ("railway", "rail"),
        },
    ]
}

/// The barriers of the street network `generate` writes for a preset:
/// the Elbe and the railway for `magdeburg`, [`city_barriers`] for the other
/// single cities (`leipzig`, `berlin`); `None` for the regions of many
/// towns far apart (`saxony-anhalt`, `germany`), which get no network.
pub fn preset_barriers(preset: Preset, city: &GeneratedCity) -> Option<Vec<Barrier>> {
    match preset {
        Preset::Magdeburg => Some(magdeburg_barriers()),
        _ if preset.spec().towns == 1 => Some(city_barriers(city)),
        _ => None,
    }
}

/// Default spacing of the generated street grid (metres).
pub const DEFAULT_STREET_SPACING_M: f64 = 100.0;
/// Smallest spacing `generate --street-spacing` takes (metres).
pub const MIN_STREET_SPACING_M: f64 = 5.0;
/// Default margin of the street grid beyond the outermost homes and schools (metres).
pub const DEFAULT_STREET_MARGIN_M: f64 = 500.0;

/// The grid of a city: rows and columns of nodes `spacing_m` apart.
struct Grid {
    lat0: f64,
    lon0: f64,
    dlat: f64,
    dlon: f64,
    rows: usize,
    columns: usize,
}

impl Grid {
    fn around(city: &GeneratedCity, spacing_m: f64, margin_m: f64) -> Self {
        let (lat_min, lat_max, lon_min, lon_max) = bounds(city);
        let metres_per_deg = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
        let dlat = spacing_m / metres_per_deg;
        let dlon = dlat / ((lat_min + lat_max) / 2.0).to_radians().cos();
        let (mlat, mlon) = (margin_m / spacing_m * dlat, margin_m / spacing_m * dlon);
        Self {
            lat0: lat_min - mlat,
            lon0: lon_min - mlon,
            dlat,
            dlon,
            rows: ((lat_max - lat_min + 2.0 * mlat) / dlat).ceil() as usize + 1,
            columns: ((lon_max - lon_min + 2.0 * mlon) / dlon).ceil() as usize + 1,
        }
    }

    fn at(&self, row: usize, column: usize) -> (f64, f64) {
        (self.lat0 + row as f64 * self.dlat, self.lon0 + column as f64 * self.dlon)
    }

    fn id(&self, row: usize, column: usize) -> usize {
        row * self.columns + column + 1
    }
}

/// Whether a street between two grid points may exist: it crosses no
/// barrier, or crosses one at the grid row nearest to a crossing.
fn street_allowed(grid: &Grid, barriers: &[Barrier], a: (f64, f64), b: (f64, f64), horizontal: bool) -> bool {
    barriers.iter().all(|barrier| {
        !barrier.separates(a, b) || (horizontal && barrier.crossings.iter().any(|&lat| (lat - a.0).abs() <= grid.dlat / 2.0))
    })
}

/// Appends one `<way>` per run of allowed edges along a row or column.
fn write_runs(xml: &mut String, next_way: &mut usize, runs: Vec<Vec<usize>>) {
    for run in runs.into_iter().filter(|r| r.len() >= 2) {
        let _ = writeln!(xml, "  <way id=\"{next_way}\" version=\"1\">");
        for id in run {
            let _ = writeln!(xml, "    <nd ref=\"{id}\"/>");
        }
        xml.push_str("    <tag k=\"highway\" v=\"residential\"/>\n  </way>\n");
        *next_way += 1;
    }
}

/// Appends each barrier's line as nodes (ids after the grid's) and a way
/// with the barrier's tag.
fn write_barrier_lines(xml: &mut String, barriers: &[Barrier], first_node: usize, first_way: usize) {
    let mut next_node = first_node;
    for (i, barrier) in barriers.iter().enumerate() {
        let ids: Vec<usize> = (next_node..next_node + barrier.line.len()).collect();
        for (&id, &(lat, lon)) in ids.iter().zip(&barrier.line) {
            let _ = writeln!(xml, "  <node id=\"{id}\" version=\"1\" lat=\"{lat:.7}\" lon=\"{lon:.7}\"/>");
        }
        let _ = writeln!(xml, "  <way id=\"{}\" version=\"1\">", first_way + i);
        for id in &ids {
            let _ = writeln!(xml, "    <nd ref=\"{id}\"/>");
        }
        let _ = writeln!(xml, "    <tag k=\"{}\" v=\"{}\"/>\n  </way>", barrier.tag.0, barrier.tag.1);
        next_node += barrier.line.len();
    }
}

/// The runs of allowed edges along a line of grid points.
fn runs(grid: &Grid, barriers: &[Barrier], points: &[(usize, usize)], horizontal: bool) -> Vec<Vec<usize>> {
    let mut out = vec![vec![grid.id(points[0].0, points[0].1)]];
    for pair in points.windows(2) {
        let (a, b) = (grid.at(pair[0].0, pair[0].1), grid.at(pair[1].0, pair[1].1));
        if !street_allowed(grid, barriers, a, b, horizontal) {
            out.push(Vec::new());
        }
        out.last_mut().expect("one run at least").push(grid.id(pair[1].0, pair[1].1));
    }
    out
}

/// The OSM XML text of the city's street grid with the barriers' crossings.
pub fn street_grid_osm(city: &GeneratedCity, barriers: &[Barrier], spacing_m: f64, margin_m: f64) -> String {
    let grid = Grid::around(city, spacing_m, margin_m);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- Generated by `catchment generate`: a synthetic street grid, not OpenStreetMap data. -->\n<osm version=\"0.6\" generator=\"catchment\">\n",
    );
    for row in 0..grid.rows {
        for column in 0..grid.columns {
            let (lat, lon) = grid.at(row, column);
            let _ = writeln!(
                xml,
                "  <node id=\"{}\" version=\"1\" lat=\"{lat:.7}\" lon=\"{lon:.7}\"/>",
                grid.id(row, column)
            );
        }
    }
    let mut next_way = 1;
    for row in 0..grid.rows {
        let points: Vec<(usize, usize)> = (0..grid.columns).map(|c| (row, c)).collect();
        write_runs(&mut xml, &mut next_way, runs(&grid, barriers, &points, true));
    }
    for column in 0..grid.columns {
        let points: Vec<(usize, usize)> = (0..grid.rows).map(|r| (r, column)).collect();
        write_runs(&mut xml, &mut next_way, runs(&grid, barriers, &points, false));
    }
    write_barrier_lines(&mut xml, barriers, grid.rows * grid.columns + 1, next_way);
    xml.push_str("</osm>\n");
    xml
}

/// Gzip bytes of a text, without a timestamp (the same text gives the same bytes).
pub fn gzip(text: &str) -> Vec<u8> {
    let mut encoder = flate2::GzBuilder::new().mtime(0).write(Vec::new(), flate2::Compression::default());
    encoder.write_all(text.as_bytes()).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}
