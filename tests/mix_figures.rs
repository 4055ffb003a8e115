//! Segregation figures (#17.1) in `compare` (table, compare.csv) and in
//! report.html, hand-computed on two small fixtures:
//!
//! - `sweep`: A (2 seats: one reduced class of 2) takes p1 (migrant) and p2,
//!   B takes p3 (migrant), p4, p5, p6. M = 2 of N = 6, city share 1/3.
//!   D = 1/2 (|1/2 - 1/4| + |1/2 - 3/4|) = 0.25; isolation
//!   1/2 * 1/2 + 1/2 * 1/4 = 0.375; exposure 0.625; shares 0.5 and 0.25,
//!   largest deviation 0.5 - 1/3 = 0.1667; above 0.25: A only.
//! - `balance`: one migrant and one other pupil per school: D = 0,
//!   isolation = exposure = 0.5, both schools at 0.5 > 0.25.

mod common;

use common::{fixture, run_catchment};
use std::collections::BTreeMap;

fn compare(out: &std::path::Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "compare".to_string(),
        fixture("sweep").join("scenario.toml").display().to_string(),
        fixture("balance").join("scenario.toml").display().to_string(),
        "-o".into(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|e| e.to_string()));
    run_catchment(args)
}

fn rows(path: &std::path::Path) -> Vec<BTreeMap<String, String>> {
    csv::Reader::from_path(path).unwrap().deserialize().map(|r| r.unwrap()).collect()
}

#[test]
fn compare_shows_the_segregation_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = compare(&out, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let rows = rows(&out.join("compare.csv"));
    let figures = |r: &BTreeMap<String, String>| {
        [
            "dissimilarity",
            "isolation",
            "exposure",
            "max_share_deviation",
            "schools_above_threshold",
        ]
        .map(|c| r[c].clone())
    };
    assert_eq!(figures(&rows[0]), ["0.2500", "0.3750", "0.6250", "0.1667", "1"].map(String::from));
    assert_eq!(figures(&rows[1]), ["0.0000", "0.5000", "0.5000", "0.0000", "2"].map(String::from));
    let line = |label: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("{label}: {stdout}"))
            .to_string()
    };
    let cells = |label: &str| line(label).split_whitespace().map(String::from).collect::<Vec<_>>();
    assert!(cells("dissimilarity D").ends_with(&["0.2500".into(), "0.0000".into()]), "{stdout}");
    assert!(cells("schools above threshold").ends_with(&["1".into(), "2".into()]), "{stdout}");
    // Published, the indices are withheld (they could give back small counts).
    let published = tmp.path().join("published");
    let (code, stdout, stderr) = compare(&published, &["--publish"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let rows = crate::rows(&published.join("compare.csv"));
    assert_eq!(figures(&rows[0]), ["masked", "masked", "masked", "masked", "1"].map(String::from));
}

#[test]
fn the_report_has_a_mix_section() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let scenario = fixture("sweep").join("scenario.toml");
    let (code, stdout, stderr) = run_catchment(["solve", scenario.to_str().unwrap(), "-o", out.to_str().unwrap(), "--report"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for expected in [
        "<section id=\"mix\">",
        "<tr><td>dissimilarity D</td><td>0.2500</td></tr>",
        "<tr><td>isolation</td><td>0.3750</td></tr>",
        "<tr><td>exposure</td><td>0.6250</td></tr>",
        "<tr><td>largest share deviation</td><td>0.1667</td></tr>",
        "<tr><td>schools above the threshold</td><td>1</td></tr>",
        "<tr><td>A</td><td>2</td><td>0.5000</td><td>+0.1667</td></tr>",
        "<tr><td>B</td><td>4</td><td>0.2500</td><td>-0.0833</td></tr>",
    ] {
        assert!(html.contains(expected), "{expected} missing");
    }
}
