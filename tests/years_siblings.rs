//! Siblings named across years (`sibling_id`, multi-year planning): the
//! real binary on hand-computed fixtures (hard, small and large weight, no
//! rule), a hard pair that cannot be honoured explained, and bad input.

mod common;

use common::{assert_close, fixture, solve_into, step_m};
use std::path::Path;

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

/// Solves `years_siblings/NAME.toml`; returns the top-level summary and
/// the schools of (o1, o2, y1, y2).
fn solved(name: &str) -> (serde_json::Value, [String; 4]) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, stdout, stderr) = solve_into(&fixture("years_siblings").join(format!("{name}.toml")), &out, &[]);
    assert_eq!(code, 0, "{name}: {stdout}\n{stderr}");
    let y2026 = common::assignment_in(&out.join("year-2026"));
    let y2027 = common::assignment_in(&out.join("year-2027"));
    let schools = [y2026["o1"].clone(), y2026["o2"].clone(), y2027["y1"].clone(), y2027["y2"].clone()];
    (json(&out.join("summary.json")), schools)
}

fn objective(summary: &serde_json::Value) -> f64 {
    summary["objective_m"].as_f64().unwrap()
}

#[test]
fn without_a_sibling_rule_the_pair_is_apart_at_the_nearest_schools() {
    // o1 A (3 steps), o2 A (3), y1 B (2), y2 A (0): 8 steps.
    let (summary, schools) = solved("free");
    assert_eq!(schools, ["A", "A", "B", "A"].map(String::from));
    assert_close(objective(&summary), 8.0 * step_m(), 1e-6, "free");
    assert_eq!(summary["sibling_pairs"]["pairs"], 1);
    assert_eq!(summary["sibling_pairs"]["together"], 0);
    assert_eq!(summary["sibling_pairs"]["penalty_m"].as_f64(), Some(0.0));
}

#[test]
fn siblings_hard_puts_the_pair_at_one_school_and_changes_the_optimum() {
    // Together at B: o1 7 + y1 2 = 9 steps (at A: 3 + 8 = 11); o2 stays at
    // A (3) though it shares o1's home (only o1 is paired); y2 A (0): 12.
    let (summary, schools) = solved("hard");
    assert_eq!(schools, ["B", "A", "B", "A"].map(String::from));
    assert_close(objective(&summary), 12.0 * step_m(), 1e-6, "hard");
    assert_close(summary["bound_m"].as_f64().unwrap(), 12.0 * step_m(), 1e-6, "bound");
    assert_eq!(summary["status"], "optimal");
    assert_eq!(summary["sibling_pairs"]["together"], 1);
    assert_eq!(summary["sibling_pairs"]["hard"], true);
}

#[test]
fn a_small_weight_leaves_the_pair_apart_a_large_one_joins_it() {
    // Apart costs 5 steps of way (o1 A 3, y1 B 2) plus the weight; together
    // 9 steps. 5 m < 4 steps: apart, objective 8 steps + 5 m, way 8 steps.
    let (small, schools) = solved("weight_small");
    assert_eq!(schools, ["A", "A", "B", "A"].map(String::from));
    assert_close(objective(&small), 8.0 * step_m() + 5.0, 1e-6, "small weight");
    assert_close(small["total_way_m"].as_f64().unwrap(), 8.0 * step_m(), 1e-6, "small weight way");
    assert_eq!(small["sibling_pairs"]["penalty_m"].as_f64(), Some(5.0));
    assert_eq!(small["sibling_pairs"]["together"], 0);
    // 100 m > 4 steps: together at B, 12 steps, no price.
    let (large, schools) = solved("weight_large");
    assert_eq!(schools, ["B", "A", "B", "A"].map(String::from));
    assert_close(objective(&large), 12.0 * step_m(), 1e-6, "large weight");
    assert_eq!(large["sibling_pairs"]["penalty_m"].as_f64(), Some(0.0));
    assert_eq!(large["sibling_pairs"]["together"], 1);
}

#[test]
fn stdout_names_the_pairs_together_and_their_price() {
    let dir = tempfile::tempdir().unwrap();
    for (name, line) in [
        (
            "weight_small",
            "siblings across years: 0 of 1 pairs at one school, 5.0 m of sibling prices in the objective",
        ),
        ("hard", "siblings across years: 1 of 1 pairs at one school (siblings_hard)"),
    ] {
        let out = dir.path().join(name);
        let (code, stdout, _) = solve_into(&fixture("years_siblings").join(format!("{name}.toml")), &out, &[]);
        assert_eq!(code, 0);
        assert!(stdout.contains(line), "{name}: {stdout}");
    }
}

#[test]
fn a_hard_pair_without_a_seat_is_explained_in_the_domains_words() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, stdout, stderr) = solve_into(&fixture("years_siblings").join("infeasible.toml"), &out, &[]);
    assert_eq!(code, 0, "an infeasible plan is a result: {stdout}\n{stderr}");
    assert!(
        stdout.contains(
            "siblings apart: pupil y1 (2027) cannot join its older sibling o1 (2026) at school A: `y1` cannot go to school A: school A has no seat or room left in year 2027"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("nor `o1` to school B: it is locked to school A (fixed_school)"),
        "{stdout}"
    );
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["status"], "infeasible");
    let apart = summary["siblings_apart"].as_array().unwrap();
    assert_eq!(apart.len(), 1, "{summary}");
    assert_eq!(
        (
            apart[0]["pupil_id"].as_str(),
            apart[0]["sibling_school"].as_str(),
            apart[0]["school"].as_str()
        ),
        (Some("y1"), Some("A"), Some("B"))
    );
    assert_eq!(summary["years"][1]["status"], "feasible_alone");
    assert!(!out.join("year-2027").exists(), "no assignment splitting the pair is written");
}

/// A copy of the `years_siblings` fixture with `edit` applied to `file`.
fn edited(dir: &Path, file: &str, edit: impl Fn(String) -> String) {
    for entry in std::fs::read_dir(fixture("years_siblings")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(dir.join(&name), if name == file { edit(text) } else { text }).unwrap();
    }
}

#[test]
fn bad_sibling_ids_are_exit_2_with_file_line_and_what_to_do() {
    let cases: [(&str, &str, &str, fn(String) -> String, &[&str]); 5] = [
        (
            "unknown id",
            "hard.toml",
            "pupils_2027.csv",
            |t| t.replace(",o1\n", ",o9\n"),
            &[
                "pupils_2027.csv, line 2",
                "unknown sibling_id `o9`",
                "earlier years: 2026",
                "correct the id",
            ],
        ),
        (
            "same year",
            "hard.toml",
            "pupils_2027.csv",
            |t| t.replace(",o1\n", ",y2\n"),
            &[
                "pupils_2027.csv, line 2",
                "names a pupil of the same year 2027",
                "must name an older sibling in an earlier year",
            ],
        ),
        (
            "later year",
            "hard.toml",
            "pupils_2026.csv",
            |t| {
                t.replace("migration_background\n", "migration_background,sibling_id\n")
                    .replace("o1,52.1003,11.6,0\n", "o1,52.1003,11.6,0,\n")
                    .replace("o2,52.1003,11.6,0", "o2,52.1003,11.6,0,y1")
            },
            &[
                "pupils_2026.csv, line 3",
                "names a pupil of the later year 2027",
                "earlier years: none",
            ],
        ),
        (
            "single year",
            "single_year.toml",
            "single_year.toml",
            |t| t,
            &["pupils_2027.csv, line 2", "single-year scenario", "sibling_school"],
        ),
        (
            "ambiguous",
            "hard3.toml",
            "hard.toml",
            |t| t,
            &[
                "pupils_2028.csv, line 2",
                "names pupils of the years 2026 and 2027",
                "unique across",
            ],
        ),
    ];
    for (what, scenario, file, edit, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        edited(dir.path(), file, edit);
        // A third year whose pupil names `o1`, an id both earlier years hold.
        let three =
            std::fs::read_to_string(dir.path().join("hard.toml")).unwrap() + "\n[[year]]\npupils = \"pupils_2028.csv\"\nlabel = \"2028\"\n";
        std::fs::write(dir.path().join("hard3.toml"), three).unwrap();
        std::fs::write(
            dir.path().join("pupils_2027.csv"),
            std::fs::read_to_string(dir.path().join("pupils_2027.csv")).unwrap()
                + if what == "ambiguous" { "o1,52.1001,11.6,0,\n" } else { "" },
        )
        .unwrap();
        std::fs::write(
            dir.path().join("pupils_2028.csv"),
            "pupil_id,lat,lon,migration_background,sibling_id\nz1,52.1002,11.6,0,o1\n",
        )
        .unwrap();
        let out = dir.path().join("out");
        let (code, stdout, stderr) = solve_into(&dir.path().join(scenario), &out, &[]);
        assert_eq!(code, 2, "{what}: {stdout}\n{stderr}");
        for text in expected {
            assert!(stderr.contains(text), "{what}: expected `{text}` in {stderr}");
        }
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
        assert!(!out.exists(), "{what}: nothing written");
    }
}

#[test]
fn with_units_a_pair_ties_the_two_street_sections() {
    // assign = "units": o1 and o2 form unit U1 (step 3), y1 unit V1 (step
    // 8, sibling of o1), y2 unit V2 (step 0). Hard: U1 and V1 at one
    // school: at A 2 x 3 + 8 = 14 steps, at B 2 x 7 + 2 = 16; so A, 14
    // steps (without the pair: U1 A, V1 B, 8 steps).
    let dir = tempfile::tempdir().unwrap();
    let folder = fixture("years_siblings");
    std::fs::copy(folder.join("schools.csv"), dir.path().join("schools.csv")).unwrap();
    std::fs::write(
        dir.path().join("p26.csv"),
        "pupil_id,lat,lon,migration_background,unit_id\no1,52.1003,11.6,0,U1\no2,52.1003,11.6,0,U1\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("p27.csv"),
        "pupil_id,lat,lon,migration_background,unit_id,sibling_id\ny1,52.1008,11.6,0,V1,o1\ny2,52.1000,11.6,0,V2,\n",
    )
    .unwrap();
    let scenario = |hard: bool| {
        format!(
            "name = \"units\"\nschools = \"schools.csv\"\npupils = \"p26.csv\"\n[rules]\nclass_size = 2\nreduced_class_size = 1\nassign = \"units\"\nsiblings_hard = {hard}\n[[year]]\npupils = \"p26.csv\"\nlabel = \"2026\"\n[[year]]\npupils = \"p27.csv\"\nlabel = \"2027\"\n"
        )
    };
    for (hard, steps, y1) in [(true, 14.0, "A"), (false, 8.0, "B")] {
        let path = dir.path().join(format!("units-{hard}.toml"));
        std::fs::write(&path, scenario(hard)).unwrap();
        let out = dir.path().join(format!("out-{hard}"));
        let (code, stdout, stderr) = solve_into(&path, &out, &[]);
        assert_eq!(code, 0, "{stdout}\n{stderr}");
        assert_close(objective(&json(&out.join("summary.json"))), steps * step_m(), 1e-6, "units");
        let y2026 = common::assignment_in(&out.join("year-2026"));
        let y2027 = common::assignment_in(&out.join("year-2027"));
        assert_eq!((y2026["o1"].as_str(), y2026["o2"].as_str(), y2027["y1"].as_str()), ("A", "A", y1));
    }
}
