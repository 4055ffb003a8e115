//! The by-law by street and house number: `solve --districts` with whole
//! homes writes `bylaw.csv` and `bylaw.md` (hand-checked on a small street
//! plan), and `districts = "bylaw.csv"` reads it back as a district plan that
//! places every pupil as the optimum did, on the hand case and on the real
//! addresses of Bindlach (OpenStreetMap); unknown addresses are listed.

mod common;

use common::{assignment_in as assignment, fixture, solve_into as solve};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A scenario in `dir` from `base` that evaluates the by-law `bylaw` as its plan.
fn bylaw_plan(dir: &Path, base: &Path, bylaw: &Path) -> PathBuf {
    let path = dir.join("bylaw-plan.toml");
    let text = format!(
        "name = \"by-law read back\"\nbase = {:?}\ndistricts = {:?}\n",
        base.display().to_string(),
        bylaw.display().to_string()
    );
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_bylaw_lists_streets_and_ranges_by_side() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = solve(&fixture("bylaw").join("scenario.toml"), &out, &["--districts"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let csv = std::fs::read_to_string(out.join("bylaw.csv")).unwrap();
    assert_eq!(
        csv,
        "school_id,school_name,unit_id,pupils,street,house_numbers,side,from,to\n\
         A,School A,,2,Abendstraße,1–3 (odd),odd,1,3\n\
         A,School A,,2,Abendstraße,2–4 (even),even,2,4\n\
         A,School A,,2,Morgenweg,whole street,both,,\n\
         B,School B,,3,Abendstraße,5–11a (odd),odd,5,11a\n\
         B,School B,,1,Abendstraße,6 (even),even,6,6\n"
    );
    let md = std::fs::read_to_string(out.join("bylaw.md")).unwrap();
    assert_eq!(
        md,
        "# School districts: Abendstraße\n\n\
         ## A School A\n\n\
         - Abendstraße 1–3 (odd), 2–4 (even)\n\
         - Morgenweg whole street\n\n\
         ## B School B\n\n\
         - Abendstraße 5–11a (odd), 6 (even)\n"
    );
}

#[test]
fn the_bylaw_read_back_places_every_pupil_as_the_optimum_did() {
    for name in ["bylaw", "bindlach", "units"] {
        let tmp = tempfile::tempdir().unwrap();
        let scenario = fixture(name).join("scenario.toml");
        let out = tmp.path().join("out");
        let (code, stdout, stderr) = solve(&scenario, &out, &["--districts"]);
        assert_eq!(code, 0, "{name}: {stdout}{stderr}");
        let plan = bylaw_plan(tmp.path(), &scenario, &out.join("bylaw.csv"));
        let back = tmp.path().join("back");
        let (code, stdout, stderr) = solve(&plan, &back, &[]);
        assert_eq!(code, 0, "{name}: the by-law as a plan: {stdout}{stderr}");
        assert!(stdout.contains("0 outside every district, 0 in two districts"), "{stdout}");
        assert_eq!(assignment(&back), assignment(&out), "{name}");
    }
}

#[test]
fn the_bindlach_bylaw_cuts_streets_and_gives_every_address_one_entry() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = solve(&fixture("bindlach").join("scenario.toml"), &out, &["--districts"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let mut rows = csv::Reader::from_path(out.join("bylaw.csv")).unwrap();
    let rows: Vec<BTreeMap<String, String>> = rows.deserialize().map(Result::unwrap).collect();
    let pupils: u64 = rows.iter().map(|r| r["pupils"].parse::<u64>().unwrap()).sum();
    assert_eq!(pupils, 1336, "every pupil of the 678 addresses is in exactly one entry");
    let whole = rows.iter().filter(|r| r["house_numbers"] == "whole street").count();
    let ranges = rows.len() - whole;
    assert!(whole > 20 && ranges > 5, "{whole} whole streets, {ranges} ranges");
    let md = std::fs::read_to_string(out.join("bylaw.md")).unwrap();
    assert!(
        md.contains("## BN Grundschule Bindlach-Nord") && md.contains("## BW Grundschule Bindlach-West"),
        "{md}"
    );
}

#[test]
fn addresses_the_bylaw_does_not_hold_are_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let bylaw = tmp.path().join("bylaw.csv");
    std::fs::write(
        &bylaw,
        "school_id,street,side,from,to\nA,Abendstraße,odd,1,3\nA,Abendstraße,even,2,4\nA,Morgenweg,,,\nB,Abendstraße,odd,5,7\nB,Abendstraße,even,6,6\n",
    )
    .unwrap();
    let plan = bylaw_plan(tmp.path(), &fixture("bylaw").join("scenario.toml"), &bylaw);
    let (code, stdout, stderr) = solve(&plan, &tmp.path().join("out"), &[]);
    // p8 lives at Abendstraße 11a: beyond B's odd range 5-7.
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("1 outside every district"), "{stdout}");
    assert!(stdout.contains("outside    1 pupils in no district: p8"), "{stdout}");
}

#[test]
fn a_bylaw_row_without_street_or_unit_is_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    let bylaw = tmp.path().join("bylaw.csv");
    std::fs::write(&bylaw, "school_id,unit_id,street,side,from,to\nA,,Abendstraße,odd,1,3\nB,,,,,\n").unwrap();
    let plan = bylaw_plan(tmp.path(), &fixture("bylaw").join("scenario.toml"), &bylaw);
    let (code, _, stderr) = solve(&plan, &tmp.path().join("out"), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("bylaw.csv") && stderr.contains("line 3"), "{stderr}");
    assert!(stderr.contains("a street (or a unit_id)"), "{stderr}");
}

#[test]
fn the_summary_has_the_mix_and_the_shape_of_each_district() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = solve(&fixture("bylaw").join("scenario.toml"), &out, &["--districts"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    // A gets 6 pupils with the one migrant (p4), B 4 without: N = 10, M = 1.
    // D = 1/2 (|1 - 5/9| + |0 - 4/9|) = 4/9; xPx = 1/6; xPy = 5/6; largest deviation |0 - 0.1|.
    let mix = &summary["segregation"];
    assert_eq!(mix["city_share"], 0.1);
    assert_eq!(mix["dissimilarity"], 0.4444);
    assert_eq!(mix["isolation"], 0.1667);
    assert_eq!(mix["exposure"], 0.8333);
    assert_eq!(mix["max_share_deviation"], 0.1);
    assert_eq!(mix["schools_above_threshold"], 0);
    let shapes = summary["districts"].as_array().unwrap();
    assert_eq!(shapes.len(), 2);
    for shape in shapes {
        let pp = shape["polsby_popper"].as_f64().unwrap();
        let hull = shape["convex_hull_ratio"].as_f64().unwrap();
        assert!(pp > 0.0 && pp <= 1.0 && hull > 0.0 && hull <= 1.0, "{shape}");
    }
    assert!(stdout.contains("mix        city share 0.100; dissimilarity 0.444"), "{stdout}");
    assert!(stdout.contains("shape      Polsby-Popper median"), "{stdout}");
}

#[test]
fn the_bundled_bylaw_scenario_reads_back_as_its_optimum() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/magdeburg-homes.toml");
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = solve(&scenario, &out, &["--districts"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let md = std::fs::read_to_string(out.join("bylaw.md")).unwrap();
    assert!(!md.contains("have no address"), "every generated pupil has an address");
    let plan = bylaw_plan(tmp.path(), &scenario, &out.join("bylaw.csv"));
    let back = tmp.path().join("back");
    let (code, stdout, stderr) = solve(&plan, &back, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(assignment(&back), assignment(&out));
}
