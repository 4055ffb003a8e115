//! `report.html`: one self-contained page for planners, councils and
//! parents — no network, inline SVG and CSS, no script — with a map
//! (districts coloured, homes, schools sized by utilisation and marked at
//! the reduced class size, scale bar, north arrow), the utilisation table,
//! a histogram of ways with the acceptable-way line, the changes against a
//! baseline and the provenance. It prints on A4 with a page break between
//! sections. For publication ([`HtmlOptions::publish`]) it shows no home,
//! draws the districts from homes moved to a grid, and withholds small
//! counts as the audit does ([`super::publish`]).

use super::publish::{Cell, Mask, column};
use super::{ComparisonRow, DistanceStats, Evaluation, Provenance, SchoolRow, comparison_figures};
use crate::geometry::{DistrictOptions, LocalPlane, district_map};
use crate::input::osm::OsmMapLines;
use crate::model::Instance;
use geo::MultiPolygon;
use std::fmt::Write;

/// What the report shows and how.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HtmlOptions {
    /// For publication: counts below the mask withheld, no homes, districts on a grid.
    pub publish: Option<Mask>,
    /// A school below this utilisation is highlighted as under-used (default 0.8).
    pub under_use_below: f64,
    /// Width of a histogram bar, metres (default 250).
    pub histogram_bin_m: f64,
    /// The districts (as `solve --districts` draws them).
    pub districts: DistrictOptions,
}

/// Default of [`HtmlOptions::under_use_below`].
pub const DEFAULT_UNDER_USE_BELOW: f64 = 0.8;
/// Default of [`HtmlOptions::histogram_bin_m`].
pub const DEFAULT_HISTOGRAM_BIN_M: f64 = 250.0;

impl Default for HtmlOptions {
    fn default() -> Self {
        Self {
            publish: None,
            under_use_below: DEFAULT_UNDER_USE_BELOW,
            histogram_bin_m: DEFAULT_HISTOGRAM_BIN_M,
            districts: DistrictOptions::default(),
        }
    }
}

/// Map size in SVG units (pixels at 100%).
const MAP_WIDTH: f64 = 700.0;
/// Width of each scenario's map in `compare.html`.
const SMALL_MAP_WIDTH: f64 = 330.0;
const MAP_MARGIN: f64 = 20.0;

const PALETTE: [&str; 12] = [
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5", "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f",
];

const STYLE: &str = "body{font-family:sans-serif;margin:1.5em;color:#222;max-width:60em}
h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #999}
table{border-collapse:collapse;font-size:.85em}td,th{border:1px solid #bbb;padding:2px 6px;text-align:right}
td:first-child,td:nth-child(2),th{text-align:left}tr.over td{background:#f8c4c4}tr.under td{background:#fbeec4}
.note{font-size:.85em;color:#555}svg{max-width:100%;height:auto}code{font-size:.85em}
@page{size:A4;margin:15mm}
@media print{body{margin:0;max-width:none}section{break-before:page;page-break-before:always}section:first-of-type{break-before:auto;page-break-before:auto}
tr,svg{break-inside:avoid;page-break-inside:avoid}}";

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// What a report shows of one result: from a fresh evaluation
/// ([`ReportData::of`]) or from the files of an existing result (`catchment
/// report OUTDIR`).
#[derive(Debug, Clone)]
pub struct ReportData {
    /// `optimal`, `district_plan`, ...
    pub status: String,
    /// Relative gap to the proven bound, when there is one.
    pub gap: Option<f64>,
    /// School per pupil (`None`: not placed).
    pub placed: Vec<Option<usize>>,
    /// The school table (absent without an assignment).
    pub school_rows: Option<Vec<SchoolRow>>,
    /// Way figures of the placed pupils.
    pub distances: Option<DistanceStats>,
    /// Rule violations the checker found.
    pub violations: usize,
    /// Tool, solver and inputs.
    pub provenance: Provenance,
    /// When publishing: schools whose pupils another published figure
    /// withholds (e.g. a change in `diff.csv`), so that their utilisation
    /// must not be shown either (by school index; empty: none).
    pub withheld_schools: Vec<bool>,
    /// Streets and water of the scenario's OpenStreetMap extract, drawn
    /// under the map (none: the map shows districts, homes and schools only).
    pub background: Option<std::sync::Arc<OsmMapLines>>,
}

impl ReportData {
    /// The data of an evaluation.
    pub fn of(instance: &Instance, evaluation: &Evaluation) -> Self {
        Self {
            status: evaluation.summary.status.as_str().to_string(),
            gap: evaluation.summary.gap,
            placed: evaluation.placed_school_of(instance.pupils.len()),
            school_rows: evaluation.school_rows.clone(),
            distances: evaluation.distances.clone(),
            violations: evaluation.summary.violations.len(),
            provenance: evaluation.summary.provenance.clone(),
            withheld_schools: Vec::new(),
            background: None,
        }
    }
}

fn page_start(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>\n",
        escape(title)
    )
}

/// The report of an evaluated scenario.
pub fn report_html(instance: &Instance, evaluation: &Evaluation, options: &HtmlOptions) -> String {
    report_html_of(instance, &ReportData::of(instance, evaluation), options)
}

/// The report of a result given by its data.
pub fn report_html_of(instance: &Instance, data: &ReportData, options: &HtmlOptions) -> String {
    let mut html = page_start(&instance.name);
    html.push_str(&overview(instance, data, options));
    html.push_str(&format!(
        "<section id=\"map\"><h2>Map</h2>\n{}</section>\n",
        map_svg(instance, data, options, MAP_WIDTH)
    ));
    if let Some(rows) = &data.school_rows {
        html.push_str(&utilisation_section(instance, rows, options));
        let threshold = instance.rules.migration_threshold;
        html.push_str(&super::mix_html::mix_section(rows, threshold, options.publish.is_some()));
    }
    html.push_str(&ways_section(instance, &data.placed, options));
    html.push_str(&baseline_section(instance, &data.placed, options));
    html.push_str(&provenance_section(&data.status, &data.provenance));
    html.push_str("</body></html>\n");
    html
}

/// One scenario of `compare.html`.
pub struct ComparedScenario<'a> {
    /// Its label (the column header).
    pub label: &'a str,
    /// The instance.
    pub instance: &'a Instance,
    /// What the report shows of it.
    pub data: ReportData,
}

/// `compare.html`: the comparison table and one small map per scenario.
pub fn compare_html(scenarios: &[ComparedScenario], rows: &[ComparisonRow], options: &HtmlOptions) -> String {
    let mut html = page_start("Scenario comparison");
    html.push_str("<section id=\"comparison\"><h1>Scenario comparison</h1>\n<table id=\"comparison-table\"><tr><th>figure</th>");
    for r in rows {
        let _ = write!(html, "<th>{}</th>", escape(&r.label));
    }
    html.push_str("</tr>\n");
    for (label, cells) in comparison_figures(rows) {
        let _ = write!(html, "<tr><td>{}</td>", escape(&label));
        for c in cells {
            let _ = write!(html, "<td>{}</td>", escape(&c));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</table>\n<table><tr><th>label</th><th>scenario</th><th>file</th></tr>\n");
    for r in rows {
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&r.label),
            escape(&r.scenario),
            escape(&r.file)
        );
    }
    html.push_str("</table></section>\n<section id=\"maps\"><h2>Maps</h2>\n");
    for s in scenarios {
        let _ = writeln!(
            html,
            "<figure class=\"scenario-map\" style=\"display:inline-block;margin:0 1em 1em 0;vertical-align:top\"><figcaption>{}: {}</figcaption>{}</figure>",
            escape(s.label),
            escape(&s.instance.name),
            map_svg(s.instance, &s.data, options, SMALL_MAP_WIDTH)
        );
    }
    html.push_str("<p class=\"note\">Districts coloured by school; circles: schools, area in proportion to utilisation; a thick red ring marks a school at the reduced class size.</p></section>\n</body></html>\n");
    html
}

fn count_text(n: u64, options: &HtmlOptions) -> String {
    match options.publish {
        Some(mask) => mask.text(n),
        None => n.to_string(),
    }
}

fn overview(instance: &Instance, data: &ReportData, options: &HtmlOptions) -> String {
    let mut html = format!("<section id=\"overview\"><h1>{}</h1>\n<table>\n", escape(&instance.name));
    let mut row = |k: &str, v: String| {
        let _ = writeln!(html, "<tr><th>{k}</th><td>{}</td></tr>", escape(&v));
    };
    row("status", data.status.clone());
    row("pupils", count_text(instance.pupils.len() as u64, options));
    row("schools", instance.schools.len().to_string());
    if let Some(d) = &data.distances {
        let partial = if d.pupils < instance.pupils.len() {
            " (partial: placed pupils only)"
        } else {
            ""
        };
        let withheld = options.publish.map(|mask| d.withheld_by(&mask));
        let shown = |hidden: bool, text: String| if hidden { "masked".to_string() } else { text };
        let few = withheld.is_some_and(|w| w.total_and_mean);
        row("total way", shown(few, format!("{:.1} km{partial}", d.total_m / 1000.0)));
        row("mean way", shown(few, format!("{:.0} m", d.mean_m)));
        row(
            "95th percentile way",
            shown(withheld.is_some_and(|w| w.percentile), format!("{:.0} m", d.p95_m)),
        );
        row(
            &format!("pupils over {:.1} km", instance.rules.acceptable_way_m / 1000.0),
            count_text(d.over_acceptable as u64, options),
        );
    }
    if let Some(gap) = data.gap {
        row("gap to the proven bound", format!("{:.4}%", gap * 100.0));
    }
    row("rule violations", count_text(data.violations as u64, options));
    html.push_str("</table></section>\n");
    html
}

/// Fits lon/lat into the map's SVG coordinates (north up, metres to pixels).
struct MapFrame {
    plane: LocalPlane,
    min: (f64, f64),
    scale: f64,
    width: f64,
    height: f64,
}

impl MapFrame {
    fn new(points: &[(f64, f64)], width: f64) -> Self {
        let plane = LocalPlane::around(points.iter().copied());
        let xy: Vec<(f64, f64)> = points.iter().map(|&(lon, lat)| plane.to_plane(lon, lat)).collect();
        let min = xy.iter().fold((f64::INFINITY, f64::INFINITY), |m, p| (m.0.min(p.0), m.1.min(p.1)));
        let max = xy
            .iter()
            .fold((f64::NEG_INFINITY, f64::NEG_INFINITY), |m, p| (m.0.max(p.0), m.1.max(p.1)));
        let (w, h) = ((max.0 - min.0).max(1.0), (max.1 - min.1).max(1.0));
        let scale = (width - 2.0 * MAP_MARGIN) / w;
        let min = if min.0.is_finite() { min } else { (0.0, 0.0) };
        Self {
            plane,
            min,
            scale,
            width,
            height: h * scale + 2.0 * MAP_MARGIN,
        }
    }

    fn at(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = self.plane.to_plane(lon, lat);
        (
            MAP_MARGIN + (x - self.min.0) * self.scale,
            self.height - MAP_MARGIN - (y - self.min.1) * self.scale,
        )
    }
}

fn colour(school: usize) -> &'static str {
    PALETTE[school % PALETTE.len()]
}

fn polygon_path(frame: &MapFrame, area: &MultiPolygon<f64>) -> String {
    let mut d = String::new();
    for polygon in area {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for (i, c) in ring.0.iter().enumerate() {
                let (x, y) = frame.at(c.x, c.y);
                let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
    }
    d
}

/// The map as SVG, `width` units wide: districts, homes (not when
/// publishing), schools, scale bar and north arrow.
/// Schools whose pupils (and so utilisation) are withheld for publication:
/// a small count, the partner withheld with it, or withheld elsewhere.
fn withheld_pupils(rows: Option<&[SchoolRow]>, also: &[bool], options: &HtmlOptions) -> Vec<bool> {
    let rows = rows.unwrap_or_default();
    match options.publish {
        Some(mask) => column(&rows.iter().map(|r| u64::from(r.assigned)).collect::<Vec<_>>(), also, &mask)
            .into_iter()
            .map(Cell::withheld)
            .collect(),
        None => vec![false; rows.len()],
    }
}

fn map_svg(instance: &Instance, data: &ReportData, options: &HtmlOptions, width: f64) -> String {
    let (placed, rows) = (&data.placed, data.school_rows.as_deref());
    let district_options = DistrictOptions {
        publish_grid_m: options
            .publish
            .map(|_| options.districts.publish_grid_m.unwrap_or(crate::geometry::DEFAULT_PUBLISH_GRID_M)),
        ..options.districts
    };
    let map = district_map(instance, placed, &district_options);
    // The frame holds every school, home and district corner.
    let mut points: Vec<(f64, f64)> = instance.schools.iter().map(|s| (s.location.lon(), s.location.lat())).collect();
    points.extend(instance.pupils.iter().map(|p| (p.location.lon(), p.location.lat())));
    for district in map.iter().flat_map(|m| &m.districts) {
        for polygon in &district.area {
            points.extend(polygon.exterior().0.iter().map(|c| (c.x, c.y)));
        }
    }
    let frame = MapFrame::new(&points, width);
    let mut svg = format!(
        "<svg class=\"map\"{} xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{:.0}\" viewBox=\"0 0 {width:.0} {:.0}\" role=\"img\" aria-label=\"map of the school districts\">\n<rect width=\"100%\" height=\"100%\" fill=\"#fafafa\"/>\n",
        if width >= MAP_WIDTH { " id=\"district-map\"" } else { "" },
        frame.height,
        frame.height
    );
    for district in map.iter().flat_map(|m| &m.districts) {
        let _ = writeln!(
            svg,
            "<path class=\"district\" d=\"{}\" fill=\"{}\" fill-opacity=\"0.55\" stroke=\"#555\" stroke-width=\"0.8\" fill-rule=\"evenodd\"><title>{}</title></path>",
            polygon_path(&frame, &district.area),
            colour(district.school),
            escape(instance.schools[district.school].id.as_str())
        );
    }
    if let Some(lines) = &data.background {
        let at = |location: &crate::model::Location| frame.at(location.lon(), location.lat());
        svg.push_str(&super::map_background::background_svg(lines, &at, frame.width, frame.height));
    }
    if options.publish.is_none() {
        for pupil in &instance.pupils {
            let (x, y) = frame.at(pupil.location.lon(), pupil.location.lat());
            let _ = writeln!(svg, "<circle class=\"home\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"1.3\" fill=\"#333\"/>");
        }
    }
    svg.push_str(&school_markers(
        instance,
        &frame,
        rows,
        &withheld_pupils(rows, &data.withheld_schools, options),
    ));
    svg.push_str(&scale_bar_and_north(&frame));
    svg.push_str("</svg>\n");
    let homes = if options.publish.is_some() {
        "districts drawn from homes moved to a grid, no homes shown (publication)"
    } else {
        "dots: homes"
    };
    if width >= MAP_WIDTH {
        let _ = writeln!(
            svg,
            "<p class=\"note\">Districts coloured by school; {homes}.{streets} Circles: schools, area in proportion to utilisation (pupils and reserved seats per seat); a thick red ring marks a school at the reduced class size ({} per class).</p>",
            instance.rules.reduced_class_size,
            streets = match data.background {
                Some(_) =>
                    " Grey lines: streets and paths; blue: water (from the scenario's OpenStreetMap extract, © OpenStreetMap contributors, ODbL 1.0).",
                None => "",
            }
        );
    }
    svg
}

/// A circle per school, its area following the utilisation; a school whose
/// pupils are withheld gets a fixed dashed circle instead.
fn school_markers(instance: &Instance, frame: &MapFrame, rows: Option<&[SchoolRow]>, withheld: &[bool]) -> String {
    let mut svg = String::new();
    for (s, school) in instance.schools.iter().enumerate() {
        let (x, y) = frame.at(school.location.lon(), school.location.lat());
        let row = rows.and_then(|r| r.get(s));
        let utilisation = row.map_or(0.0, |r| {
            if r.capacity > 0 {
                (r.assigned + r.reserved_seats) as f64 / r.capacity as f64
            } else {
                0.0
            }
        });
        let hidden = withheld.get(s).copied().unwrap_or(false);
        let radius = if hidden {
            8.0
        } else {
            4.0 + 8.0 * utilisation.clamp(0.0, 1.5).sqrt()
        };
        let reduced = row.is_some_and(|r| r.reduced == 1);
        let (stroke, width) = if reduced { ("#c00", 3.0) } else { ("#000", 1.2) };
        let _ = writeln!(
            svg,
            "<circle class=\"school{}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{radius:.1}\" fill=\"{}\" stroke=\"{stroke}\" stroke-width=\"{width}\"{}><title>{}</title></circle>\n<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\">{}</text>",
            if reduced { " reduced" } else { "" },
            colour(s),
            if hidden { " stroke-dasharray=\"3 2\"" } else { "" },
            escape(&school.name),
            x + radius + 1.0,
            y + 3.0,
            escape(school.id.as_str())
        );
    }
    svg
}

/// A scale bar of a round length about a fifth of the map, and a north arrow.
fn scale_bar_and_north(frame: &MapFrame) -> String {
    let target_m = (frame.width / 5.0) / frame.scale;
    let magnitude = 10f64.powf(target_m.log10().floor());
    let length_m = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|f| f * magnitude)
        .rfind(|&l| l <= target_m)
        .unwrap_or(magnitude);
    let px = length_m * frame.scale;
    let y = frame.height - 8.0;
    let label = if length_m >= 1000.0 {
        format!("{} km", length_m / 1000.0)
    } else {
        format!("{length_m} m")
    };
    format!(
        "<g id=\"scale-bar\"><rect x=\"{MAP_MARGIN}\" y=\"{:.1}\" width=\"{px:.1}\" height=\"4\" fill=\"#000\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\">{label}</text></g>\n<g id=\"north-arrow\"><path d=\"M{:.1},30 l8,20 l-8,-6 l-8,6 Z\" fill=\"#000\"/><text x=\"{:.1}\" y=\"26\" font-size=\"11\" text-anchor=\"middle\">N</text></g>\n",
        y - 4.0,
        MAP_MARGIN + px + 4.0,
        y,
        frame.width - 25.0,
        frame.width - 25.0
    )
}

fn utilisation_section(instance: &Instance, rows: &[SchoolRow], options: &HtmlOptions) -> String {
    let cells: Vec<Cell> = match options.publish {
        Some(mask) => column(&rows.iter().map(|r| u64::from(r.assigned)).collect::<Vec<_>>(), &[], &mask),
        None => vec![Cell::Shown; rows.len()],
    };
    let mask = options.publish.unwrap_or_default();
    let mut html = String::from(
        "<section id=\"utilisation\"><h2>Utilisation</h2>\n<table id=\"utilisation-table\"><tr><th>school</th><th>name</th><th>classes</th><th>class size</th><th>seats</th><th>reserved</th><th>pupils</th><th>utilisation</th></tr>\n",
    );
    for (row, cell) in rows.iter().zip(&cells) {
        let used = (row.capacity > 0).then(|| (row.assigned + row.reserved_seats) as f64 / row.capacity as f64);
        let class = match used {
            Some(u) if u > 1.0 => " class=\"over\"",
            Some(u) if u < options.under_use_below => " class=\"under\"",
            _ => "",
        };
        let used_text = match (cell.withheld(), used) {
            (true, _) => "masked".to_string(),
            (false, Some(u)) => format!("{:.0}%", u * 100.0),
            (false, None) => "-".to_string(),
        };
        let _ = writeln!(
            html,
            "<tr{class}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{used_text}</td></tr>",
            escape(&row.school_id),
            escape(&row.name),
            row.classes,
            row.class_size,
            row.capacity,
            row.reserved_seats,
            escape(&cell.text(|| row.assigned.to_string(), &mask)),
        );
    }
    let reduced: Vec<String> = rows.iter().filter(|r| r.reduced == 1).map(|r| escape(&r.school_id)).collect();
    let _ = writeln!(
        html,
        "</table>\n<p class=\"note\">Red: over capacity; yellow: below {:.0}% of seats in use. At the reduced class size ({} per class, migration share above {}): {}.</p></section>",
        options.under_use_below * 100.0,
        instance.rules.reduced_class_size,
        instance.rules.migration_threshold,
        if reduced.is_empty() {
            "none".to_string()
        } else {
            reduced.join(", ")
        }
    );
    html
}

fn ways(instance: &Instance, placed: &[Option<usize>]) -> Vec<(usize, f64)> {
    instance
        .pupils
        .iter()
        .zip(placed)
        .filter_map(|(p, s)| s.map(|s| (s, p.location.distance_m(&instance.schools[s].location))))
        .collect()
}

fn ways_section(instance: &Instance, placed: &[Option<usize>], options: &HtmlOptions) -> String {
    let ways = ways(instance, placed);
    let bin = options.histogram_bin_m.max(1.0);
    let acceptable = instance.rules.acceptable_way_m;
    let longest = ways.iter().map(|w| w.1).fold(acceptable, f64::max);
    let bins = (longest / bin).floor() as usize + 1;
    let mut counts = vec![0u64; bins];
    for &(_, w) in &ways {
        counts[((w / bin).floor() as usize).min(bins - 1)] += 1;
    }
    let mut html = String::from("<section id=\"ways\"><h2>Ways to school</h2>\n");
    html.push_str(&histogram(&counts, bin, acceptable, options));
    let mut over = vec![0u64; instance.schools.len()];
    for &(s, w) in &ways {
        if w > acceptable {
            over[s] += 1;
        }
    }
    let cells: Vec<Cell> = match options.publish {
        Some(mask) => column(&over, &[], &mask),
        None => vec![Cell::Shown; over.len()],
    };
    let mask = options.publish.unwrap_or_default();
    let _ = writeln!(
        html,
        "<h3>Pupils over {:.1} km by school</h3>\n<table id=\"over-acceptable\"><tr><th>school</th><th>name</th><th>pupils over</th></tr>",
        acceptable / 1000.0
    );
    for (s, n) in over.iter().enumerate().filter(|(_, n)| **n > 0) {
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(instance.schools[s].id.as_str()),
            escape(&instance.schools[s].name),
            escape(&cells[s].text(|| n.to_string(), &mask))
        );
    }
    html.push_str("</table></section>\n");
    html
}

/// Bars of pupils per way bin; the dashed line at the acceptable way. When
/// publishing, a bin with fewer pupils than the mask is drawn hatched at the
/// mask's height, labelled `<5`, and when it is the only one, so is the
/// smallest other bin (labelled `masked`): the bars add up to the pupils.
fn histogram(counts: &[u64], bin: f64, acceptable: f64, options: &HtmlOptions) -> String {
    let (width, height, base) = (640.0, 220.0, 190.0);
    let bar = (width - 40.0) / counts.len() as f64;
    let cells: Vec<Cell> = match options.publish {
        Some(mask) => column(counts, &[], &mask),
        None => vec![Cell::Shown; counts.len()],
    };
    let mask = options.publish.unwrap_or_default();
    let shown: Vec<(u64, Cell)> = counts
        .iter()
        .zip(&cells)
        .map(|(&n, &cell)| match cell {
            Cell::Shown => (n, cell),
            _ => (u64::from(mask.below), cell),
        })
        .collect();
    let top = shown.iter().map(|c| c.0).max().unwrap_or(1).max(1) as f64;
    let mut svg = format!(
        "<svg id=\"way-histogram\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"histogram of ways to school\">\n<defs><pattern id=\"hatch\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\"><path d=\"M0,4 l4,-4\" stroke=\"#468\" stroke-width=\"1\"/></pattern></defs>\n"
    );
    for (i, &(n, cell)) in shown.iter().enumerate() {
        let masked = cell.withheld();
        let h = n as f64 / top * (base - 20.0);
        let x = 30.0 + i as f64 * bar;
        let fill = if masked { "url(#hatch)" } else { "#468" };
        let _ = writeln!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{fill}\"><title>{:.0}-{:.0} m</title></rect>",
            base - h,
            (bar - 1.0).max(0.5),
            i as f64 * bin,
            (i + 1) as f64 * bin
        );
        if masked {
            let _ = writeln!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"8\" text-anchor=\"middle\">{}</text>",
                x + bar / 2.0,
                base - h - 2.0,
                escape(&cell.text(|| n.to_string(), &mask))
            );
        }
    }
    let line_x = 30.0 + acceptable / bin * bar;
    let _ = write!(
        svg,
        "<line x1=\"30\" y1=\"{base}\" x2=\"{:.1}\" y2=\"{base}\" stroke=\"#000\"/>\n<line id=\"acceptable-way\" x1=\"{line_x:.1}\" y1=\"10\" x2=\"{line_x:.1}\" y2=\"{base}\" stroke=\"#c00\" stroke-dasharray=\"4 3\" stroke-width=\"1.5\"/>\n<text x=\"{:.1}\" y=\"18\" font-size=\"10\" fill=\"#c00\">acceptable way {:.1} km</text>\n<text x=\"30\" y=\"{:.0}\" font-size=\"10\">0</text><text x=\"{:.1}\" y=\"{:.0}\" font-size=\"10\" text-anchor=\"end\">{:.1} km</text>\n</svg>\n",
        width - 10.0,
        line_x + 4.0,
        acceptable / 1000.0,
        base + 14.0,
        width - 10.0,
        base + 14.0,
        counts.len() as f64 * bin / 1000.0
    );
    let _ = writeln!(svg, "<p class=\"note\">Pupils per {bin:.0} m of way (great-circle).</p>");
    svg
}

/// Pupils leaving and joining each school against the baseline, and the
/// change in way of the pupils now at each school (sum, pupils).
struct BaselineChanges {
    leaving: Vec<u64>,
    joining: Vec<u64>,
    change_m: Vec<f64>,
    compared: Vec<u64>,
}

fn baseline_changes(instance: &Instance, placed: &[Option<usize>]) -> BaselineChanges {
    let n = instance.schools.len();
    let mut c = BaselineChanges {
        leaving: vec![0; n],
        joining: vec![0; n],
        change_m: vec![0.0; n],
        compared: vec![0; n],
    };
    for (pupil, school) in instance.pupils.iter().zip(placed) {
        let (Some(base), Some(now)) = (pupil.baseline_school, *school) else {
            continue;
        };
        let way = |s: usize| pupil.location.distance_m(&instance.schools[s].location);
        c.change_m[now] += way(now) - way(base);
        c.compared[now] += 1;
        if base != now {
            c.leaving[base] += 1;
            c.joining[now] += 1;
        }
    }
    c
}

/// Against the baseline: pupils who change school, the change in way per
/// pupil, per school (only with a baseline). When publishing, a mean over
/// fewer pupils than the mask is withheld.
fn baseline_section(instance: &Instance, placed: &[Option<usize>], options: &HtmlOptions) -> String {
    if !instance.pupils.iter().any(|p| p.baseline_school.is_some()) {
        return String::new();
    }
    let c = baseline_changes(instance, placed);
    let n = instance.schools.len();
    let moved: u64 = c.leaving.iter().sum();
    let compared: u64 = c.compared.iter().sum();
    let mask = options.publish.unwrap_or_default();
    let (leave_cells, join_cells) = match options.publish {
        Some(mask) => (column(&c.leaving, &[], &mask), column(&c.joining, &[], &mask)),
        None => (vec![Cell::Shown; n], vec![Cell::Shown; n]),
    };
    let mut html = format!(
        "<section id=\"baseline\"><h2>Against the baseline</h2>\n<p>{} pupils change school; the way changes by {:+.0} m per pupil on average.</p>\n<table id=\"baseline-table\"><tr><th>school</th><th>name</th><th>leaving</th><th>joining</th><th>way change per pupil</th></tr>\n",
        count_text(moved, options),
        if compared > 0 {
            c.change_m.iter().sum::<f64>() / compared as f64
        } else {
            0.0
        }
    );
    for s in (0..n).filter(|&s| c.leaving[s] + c.joining[s] > 0) {
        let per_pupil = match options.publish {
            Some(mask) if mask.hides(c.compared[s]) => "masked".to_string(),
            _ if c.compared[s] == 0 => "-".to_string(),
            _ => format!("{:+.0} m", c.change_m[s] / c.compared[s] as f64),
        };
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{per_pupil}</td></tr>",
            escape(instance.schools[s].id.as_str()),
            escape(&instance.schools[s].name),
            escape(&leave_cells[s].text(|| c.leaving[s].to_string(), &mask)),
            escape(&join_cells[s].text(|| c.joining[s].to_string(), &mask))
        );
    }
    html.push_str("</table></section>\n");
    html
}

fn provenance_section(status: &str, p: &Provenance) -> String {
    let mut html = format!(
        "<section id=\"provenance\"><h2>Provenance</h2>\n<p>catchment {}, HiGHS {}; status {}.</p>\n<table><tr><th>input</th><th>SHA-256</th></tr>\n",
        escape(&p.tool_version),
        escape(&p.highs_version),
        escape(status)
    );
    for source in &p.inputs {
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td><code>{}</code></td></tr>",
            escape(&source.path.display().to_string()),
            escape(&source.sha256)
        );
    }
    html.push_str("</table></section>\n");
    html
}
