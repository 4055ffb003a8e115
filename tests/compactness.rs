//! Compactness of drawn districts (#14.3) and the price of contiguity in
//! `compare.csv` (#14): the figures of `summary.json` recomputed in this
//! test from `districts.geojson` with its own code (shoelace area in its own
//! plane, perimeter along great circles, its own convex hull), the city
//! figures from the districts', and `compare.csv` against `solve`.

mod common;

use common::{R, assert_close, fixture, haversine_m, run_catchment, solve_into};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn bundled(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(name)
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    csv::Reader::from_path(path).unwrap().deserialize().map(|r| r.unwrap()).collect()
}

/// The middle of the bounding box of the bundled schools (lon, lat).
fn schools_centre() -> (f64, f64) {
    let rows = csv_rows(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data/magdeburg/schools.csv"));
    let (lons, lats): (Vec<f64>, Vec<f64>) = rows
        .iter()
        .map(|r| (r["lon"].parse::<f64>().unwrap(), r["lat"].parse::<f64>().unwrap()))
        .unzip();
    let mid = |v: &[f64]| (v.iter().cloned().fold(f64::INFINITY, f64::min) + v.iter().cloned().fold(f64::NEG_INFINITY, f64::max)) / 2.0;
    (mid(&lons), mid(&lats))
}

/// The rings of a GeoJSON Polygon or MultiPolygon, as (lon, lat) lists.
fn polygons(geometry: &serde_json::Value) -> Vec<Vec<Vec<(f64, f64)>>> {
    let ring = |r: &serde_json::Value| -> Vec<(f64, f64)> {
        r.as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
            .collect()
    };
    let polygon = |p: &serde_json::Value| p.as_array().unwrap().iter().map(ring).collect::<Vec<_>>();
    match geometry["type"].as_str().unwrap() {
        "Polygon" => vec![polygon(&geometry["coordinates"])],
        "MultiPolygon" => geometry["coordinates"].as_array().unwrap().iter().map(polygon).collect(),
        other => panic!("unexpected geometry {other}"),
    }
}

/// Twice the signed area of a closed ring in the plane (shoelace).
fn shoelace2(points: &[(f64, f64)]) -> f64 {
    points.windows(2).map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1).sum()
}

/// The convex hull's area by Andrew's monotone chain.
fn hull_area(mut points: Vec<(f64, f64)>) -> f64 {
    points.sort_by(|a, b| a.partial_cmp(b).unwrap());
    points.dedup();
    let cross = |o: (f64, f64), a: (f64, f64), b: (f64, f64)| (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0);
    let mut hull: Vec<(f64, f64)> = Vec::new();
    for pass in 0..2 {
        let start = hull.len();
        let ordered: Vec<(f64, f64)> = if pass == 0 {
            points.clone()
        } else {
            points.iter().rev().cloned().collect()
        };
        for p in ordered {
            while hull.len() >= start + 2 && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0 {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop();
    }
    hull.push(hull[0]);
    shoelace2(&hull).abs() / 2.0
}

/// (Polsby–Popper, convex-hull ratio) of a district, by this test's own code.
fn measures(district: &[Vec<Vec<(f64, f64)>>], (lon0, lat0): (f64, f64)) -> (f64, f64) {
    let metres_per_deg = R * std::f64::consts::PI / 180.0;
    let plane = |&(lon, lat): &(f64, f64)| {
        (
            (lon - lon0) * metres_per_deg * lat0.to_radians().cos(),
            (lat - lat0) * metres_per_deg,
        )
    };
    let (mut area, mut perimeter, mut all) = (0.0, 0.0, Vec::new());
    for polygon in district {
        for (i, ring) in polygon.iter().enumerate() {
            let flat: Vec<(f64, f64)> = ring.iter().map(plane).collect();
            // Shells count, holes are taken away.
            let sign = if i == 0 { 1.0 } else { -1.0 };
            area += sign * shoelace2(&flat).abs() / 2.0;
            perimeter += ring.windows(2).map(|w| haversine_m(w[0].1, w[0].0, w[1].1, w[1].0)).sum::<f64>();
            all.extend(flat);
        }
    }
    (4.0 * std::f64::consts::PI * area / (perimeter * perimeter), area / hull_area(all))
}

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

#[test]
fn each_district_s_figures_match_an_independent_measure_and_the_city_figures_theirs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = solve_into(&bundled("magdeburg-homes.toml"), &out, &["--districts"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let summary = json(&out.join("summary.json"));
    let shapes: BTreeMap<String, serde_json::Value> = summary["districts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["school_id"].as_str().unwrap().to_string(), s.clone()))
        .collect();
    let map = json(&out.join("districts.geojson"));
    let features = map["features"].as_array().unwrap();
    assert_eq!(features.len(), 33);
    assert_eq!(shapes.len(), 33);
    let centre = schools_centre();
    for feature in features {
        let id = feature["properties"]["school_id"].as_str().unwrap();
        let (pp, hull) = measures(&polygons(&feature["geometry"]), centre);
        let shape = &shapes[id];
        // Great-circle edges against the library's plane: within 0.1 % over
        // a city (the plane's scale drifts with latitude by about 5e-4 at its edges).
        assert_close(shape["polsby_popper"].as_f64().unwrap(), pp, 1e-3, &format!("{id} Polsby-Popper"));
        assert_close(
            shape["convex_hull_ratio"].as_f64().unwrap(),
            hull,
            2e-4,
            &format!("{id} hull ratio"),
        );
        assert!(
            pp > 0.05 && pp < std::f64::consts::FRAC_PI_4 + 0.1 && hull > 0.3 && hull <= 1.0,
            "{id}: {pp} {hull}"
        );
    }
    // The city: mean and lowest over the 33 districts, with the lowest's school.
    let city = &summary["compactness"];
    assert_eq!(city["districts"], 33);
    for measure in ["polsby_popper", "convex_hull_ratio"] {
        let values: Vec<(f64, &str)> = shapes.iter().map(|(id, s)| (s[measure].as_f64().unwrap(), id.as_str())).collect();
        let mean = values.iter().map(|v| v.0).sum::<f64>() / values.len() as f64;
        assert_close(city[format!("{measure}_mean")].as_f64().unwrap(), round4(mean), 1e-12, measure);
        let lowest = values.iter().map(|v| v.0).fold(f64::INFINITY, f64::min);
        assert_eq!(city[format!("{measure}_min")].as_f64().unwrap(), lowest, "{measure}");
        let school = city[format!("{measure}_min_school")].as_str().unwrap();
        assert_eq!(shapes[school][measure].as_f64().unwrap(), lowest, "{measure}: {school}");
    }
}

/// The compactness columns of `compare.csv`'s one line.
fn compactness_columns(row: &BTreeMap<String, String>) -> Vec<String> {
    [
        "polsby_popper_mean",
        "polsby_popper_min",
        "polsby_popper_min_school",
        "convex_hull_ratio_mean",
        "convex_hull_ratio_min",
        "convex_hull_ratio_min_school",
    ]
    .iter()
    .map(|c| row[*c].clone())
    .collect()
}

/// The same figures from a `summary.json`, as `compare.csv` writes them.
fn compactness_of_summary(summary: &serde_json::Value) -> Vec<String> {
    let c = &summary["compactness"];
    let four = |k: &str| format!("{:.4}", c[k].as_f64().unwrap());
    let text = |k: &str| c[k].as_str().unwrap().to_string();
    vec![
        four("polsby_popper_mean"),
        four("polsby_popper_min"),
        text("polsby_popper_min_school"),
        four("convex_hull_ratio_mean"),
        four("convex_hull_ratio_min"),
        text("convex_hull_ratio_min_school"),
    ]
}

#[test]
fn compare_measures_the_map_solve_draws_and_the_published_map_when_publishing() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = bundled("magdeburg.toml");
    let mut figures = Vec::new();
    for publish in [false, true] {
        let extra: &[&str] = if publish { &["--districts", "--publish"] } else { &["--districts"] };
        let solved = tmp.path().join(format!("solve-{publish}"));
        let (code, stdout, stderr) = solve_into(&scenario, &solved, extra);
        assert_eq!(code, 0, "{stdout}{stderr}");
        let compared = tmp.path().join(format!("compare-{publish}"));
        let mut args = vec!["compare", scenario.to_str().unwrap(), "-o", compared.to_str().unwrap()];
        if publish {
            args.push("--publish");
        }
        let (code, stdout, stderr) = run_catchment(&args);
        assert_eq!(code, 0, "{stdout}{stderr}");
        let rows = csv_rows(&compared.join("compare.csv"));
        let from_compare = compactness_columns(&rows[0]);
        assert_eq!(
            from_compare,
            compactness_of_summary(&json(&solved.join("summary.json"))),
            "publish {publish}"
        );
        // Not contiguous: the contiguity columns are there and empty.
        for column in ["contiguity_price_m", "contiguity_price_pct", "unconstrained_total_way_km"] {
            assert_eq!(rows[0][column], "", "{column}");
        }
        let line = stdout
            .lines()
            .find(|l| l.starts_with("Polsby-Popper mean, lowest"))
            .unwrap_or_else(|| panic!("{stdout}"));
        let mean: f64 = from_compare[0].parse().unwrap();
        assert!(line.contains(&format!("{mean:.2}, ")), "{line}");
        figures.push(from_compare);
    }
    assert_ne!(figures[0], figures[1], "the published map is drawn from homes on the grid");
    // The new columns come last, after every column there was before.
    let header = std::fs::read_to_string(tmp.path().join("compare-false/compare.csv")).unwrap();
    let header = header.lines().next().unwrap();
    assert!(
        header.ends_with(
            ",schools_above_threshold,metric,polsby_popper_mean,polsby_popper_min,polsby_popper_min_school,\
             convex_hull_ratio_mean,convex_hull_ratio_min,convex_hull_ratio_min_school,contiguity_price_m,\
             contiguity_price_pct,unconstrained_total_way_km"
        ),
        "{header}"
    );
}

#[test]
fn compare_csv_has_the_price_of_contiguity_of_the_hand_strip() {
    // The strip of tests/contiguity.rs: 17 u unconstrained, 18 u contiguous,
    // u = 0.001 degrees of latitude = 111.195 m.
    let u = R * 0.001_f64.to_radians();
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture("contiguity");
    let out = tmp.path().join("compare");
    let (code, stdout, stderr) = run_catchment([
        "compare",
        dir.join("unconstrained.toml").to_str().unwrap(),
        dir.join("scenario.toml").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let rows = csv_rows(&out.join("compare.csv"));
    assert_eq!(rows[0]["contiguity_price_m"], "", "not contiguous");
    let price: f64 = rows[1]["contiguity_price_m"].parse().unwrap();
    assert_close(price, u, 0.002, "contiguity_price_m");
    let pct: f64 = rows[1]["contiguity_price_pct"].parse().unwrap();
    assert_close(pct, 100.0 / 17.0, 1e-4, "contiguity_price_pct");
    let free: f64 = rows[1]["unconstrained_total_way_km"].parse().unwrap();
    assert_close(
        free,
        (17.0 * u / 1000.0 * 100.0).round() / 100.0,
        1e-9,
        "unconstrained_total_way_km",
    );
    // The same as the scenario's own summary.json says.
    let summary = json(&out.join("scenario/summary.json"));
    assert_eq!(
        rows[1]["contiguity_price_m"],
        format!("{:.3}", summary["contiguity"]["price_m"].as_f64().unwrap())
    );
}

/// A scenario in `dir` that is the bundled by-law scenario with `rules` added.
fn homes_with(dir: &Path, name: &str, rules: &str) -> PathBuf {
    let path = dir.join(format!("{name}.toml"));
    let text = format!(
        "name = \"{name}\"\nbase = {:?}\n\n[rules]\n{rules}\n",
        bundled("magdeburg-homes.toml").display().to_string()
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// The schools named by the `compactness` violations of a `summary.json`.
fn compactness_violations(summary: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = summary["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["rule"] == "compactness")
        .map(|v| v["subject"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_district_below_min_compactness_is_a_finding_of_the_result_and_of_the_audit() {
    let tmp = tempfile::tempdir().unwrap();
    let bound = 0.28;
    let bounded = homes_with(tmp.path(), "bounded", &format!("min_compactness = {bound}"));
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = solve_into(&bounded, &out, &["--districts"]);
    assert_eq!(code, 1, "a district below the bound: exit 1\n{stdout}{stderr}");
    assert!(stdout.contains("VIOLATIONS 2 (compactness 2; all in summary.json)"), "{stdout}");
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["status"], "optimal", "the bound is checked, not modelled");
    assert_eq!(summary["rules"]["min_compactness"], bound);
    // The districts below the bound by the test's own measure of districts.geojson
    // (none within 0.001 of it, so the two measures cannot disagree).
    let centre = schools_centre();
    let mut below = Vec::new();
    for feature in json(&out.join("districts.geojson"))["features"].as_array().unwrap() {
        let id = feature["properties"]["school_id"].as_str().unwrap().to_string();
        let (pp, _) = measures(&polygons(&feature["geometry"]), centre);
        assert!((pp - bound).abs() > 1e-3, "{id}: {pp} too near the bound for this test");
        if pp < bound {
            below.push(id);
        }
    }
    below.sort();
    assert_eq!(compactness_violations(&summary), below);
    assert_eq!(below, ["GS03", "GS06"]);
    let message = summary["violations"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("has Polsby-Popper 0.2") && message.contains("below min_compactness 0.28"),
        "{message}"
    );

    // The same assignment as without the bound, and every output written.
    let free = tmp.path().join("free");
    let (code, _, _) = solve_into(&bundled("magdeburg-homes.toml"), &free, &[]);
    assert_eq!(code, 0);
    assert_eq!(common::assignment_in(&out), common::assignment_in(&free));

    // The audit command finds the same two districts (exit 1), and none at 0.25.
    let report = tmp.path().join("audit.json");
    let (code, stdout, stderr) = run_catchment([
        "audit",
        "--scenario",
        bounded.to_str().unwrap(),
        "--assignments",
        out.join("assignments.csv").to_str().unwrap(),
        "--format",
        "json",
        "-o",
        report.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(compactness_violations(&json(&report)), below);
    let loose = homes_with(tmp.path(), "loose", "min_compactness = 0.25");
    let (code, stdout, stderr) = solve_into(&loose, &tmp.path().join("loose-out"), &[]);
    assert_eq!(code, 0, "every district at 0.2572 or more\n{stdout}{stderr}");
}

#[test]
fn a_min_compactness_out_of_range_is_a_settings_error() {
    let tmp = tempfile::tempdir().unwrap();
    for value in ["0", "1.5", "-0.2"] {
        let bad = homes_with(tmp.path(), "bad", &format!("min_compactness = {value}"));
        let out = tmp.path().join("out");
        let (code, stdout, stderr) = solve_into(&bad, &out, &[]);
        assert_eq!(code, 2, "{value}: {stdout}{stderr}");
        assert!(stderr.contains("bad.toml") && stderr.contains("min_compactness"), "{stderr}");
        assert!(stderr.contains("above 0 and at most 1"), "{stderr}");
        assert!(!out.exists(), "nothing written");
    }
}
