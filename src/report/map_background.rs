//! The streets and the water of the scenario's OpenStreetMap extract, drawn
//! under a report's district map (SVG), so that a reader sees the river a
//! district stops at and the streets a child walks. Only what falls inside
//! the map is drawn; positions are rounded to a tenth of a pixel.

use crate::input::InputError;
use crate::input::osm::{OsmMapLines, read_osm_map};
use crate::model::Location;
use std::fmt::Write;
use std::path::Path;
use std::sync::Arc;

/// The streets and water of the extract at `osm` (a scenario's
/// `[distance] osm`), read for a map; `None` without one.
pub fn map_background(osm: Option<&Path>) -> Result<Option<Arc<OsmMapLines>>, InputError> {
    osm.map(|path| read_osm_map(path).map(Arc::new)).transpose()
}

/// The SVG of the streets (thin grey) and the water (blue; a closed water
/// way, a lake or a river's area, filled light blue), in a group each.
/// `at` maps a position to SVG coordinates on a map `width` × `height`.
pub fn background_svg(lines: &OsmMapLines, at: &dyn Fn(&Location) -> (f64, f64), width: f64, height: f64) -> String {
    let mut svg = String::from("<g class=\"osm-water\" fill=\"none\" stroke=\"#4a8fd0\" stroke-width=\"1.6\" stroke-linejoin=\"round\">\n");
    for line in &lines.water {
        if let Some(d) = path_inside(line, at, width, height) {
            let area = line.len() > 3 && line.first() == line.last();
            let fill = if area { " fill=\"#bcd8f0\"" } else { "" };
            let _ = writeln!(svg, "<path d=\"{d}\"{fill}/>");
        }
    }
    svg.push_str("</g>\n<g class=\"osm-streets\" fill=\"none\" stroke=\"#8a8a8a\" stroke-width=\"0.45\" stroke-opacity=\"0.8\">\n");
    for line in &lines.streets {
        if let Some(d) = path_inside(line, at, width, height) {
            let _ = writeln!(svg, "<path d=\"{d}\"/>");
        }
    }
    svg.push_str("</g>\n");
    svg
}

/// The SVG path of a line, or `None` when no point of it lies on the map.
fn path_inside(line: &[Location], at: &dyn Fn(&Location) -> (f64, f64), width: f64, height: f64) -> Option<String> {
    let points: Vec<(f64, f64)> = line.iter().map(at).collect();
    let on_map = |&(x, y): &(f64, f64)| (0.0..=width).contains(&x) && (0.0..=height).contains(&y);
    if !points.iter().any(on_map) {
        return None;
    }
    let mut d = String::new();
    for (i, (x, y)) in points.iter().enumerate() {
        let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(location: &Location) -> (f64, f64) {
        // 1 pixel per 0.001 degree, north up, origin at (51.0 N, 11.0 E).
        ((location.lon() - 11.0) * 1000.0, (51.0 - location.lat()) * 1000.0)
    }

    fn point(lat: f64, lon: f64) -> Location {
        Location::new(lat, lon).unwrap()
    }

    #[test]
    fn lines_on_the_map_are_drawn_and_lines_beside_it_are_not() {
        let lines = OsmMapLines {
            streets: vec![
                vec![point(50.99, 11.01), point(50.98, 11.02)],
                vec![point(52.0, 13.0), point(52.1, 13.1)],
            ],
            water: vec![
                vec![point(50.95, 11.0), point(50.95, 11.05)],
                vec![point(50.9, 11.0), point(50.9, 11.01), point(50.91, 11.01), point(50.9, 11.0)],
            ],
        };
        let svg = background_svg(&lines, &at, 200.0, 200.0);
        assert!(svg.contains("<path d=\"M10.0,10.0L20.0,20.0\"/>"), "{svg}");
        assert!(svg.contains("<path d=\"M0.0,50.0L50.0,50.0\"/>"), "{svg}");
        assert!(
            svg.contains("<path d=\"M0.0,100.0L10.0,100.0L10.0,90.0L0.0,100.0\" fill=\"#bcd8f0\"/>"),
            "{svg}"
        );
        // The street far away (Berlin) is left out.
        assert_eq!(svg.matches("<path").count(), 3);
    }
}
