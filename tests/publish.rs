//! Publication that leaks nothing (`--publish`): every number of every
//! published file (audit Markdown and JSON, compare.csv, compare.md,
//! diff.csv, the manifest) is scanned against the unmasked data of the same
//! run. No count from 1 to the mask minus 1 that concerns pupils may appear
//! — a school's pupils, migrants or pupils without migration background,
//! pupils over its seats, pupil-level violations, pupils changing between
//! scenarios, pupils over the acceptable way —, nor a share whose numerator
//! or complement is such a count, nor a pupil id or a home's coordinate.
//!
//! The fixture (`tests/fixtures/publish/`) is built so that its small counts
//! lie between 2 and 9 (the mask is 10 here) and differ from every number
//! that concerns no pupil (classes, class sizes, seats, rule numbers), so a
//! scan of the numbers alone can tell a leak; the test checks that first,
//! and that the same scan does find the small counts in the unmasked files.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const DIR: &str = "tests/fixtures/publish";
const MASK: u64 = 10;

/// Every number in a text: runs of digits with at most one decimal point,
/// not part of a word with letters (school ids, hashes, `utf-8`) nor of a
/// dotted version (`0.1.0`); signs and ranges (`-4`, `250-500`) are split.
fn numbers(text: &str) -> Vec<f64> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '_' || c == '-'))
        .filter(|w| !w.chars().any(|c| c.is_alphabetic() || c == '_'))
        .flat_map(|w| w.split('-'))
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == '.') && w.matches('.').count() <= 1)
        .filter_map(|w| w.parse().ok())
        .collect()
}

/// The words of a text (for pupil ids and coordinates as written).
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '_' || c == '-'))
        .map(|w| w.trim_matches('.').to_string())
        .collect()
}

/// What must never be published: small counts, shares from them, ids, homes.
#[derive(Debug, Default)]
struct Secrets {
    counts: BTreeSet<u64>,
    shares: Vec<f64>,
    words: BTreeSet<String>,
}

impl Secrets {
    fn count(&mut self, n: i64) {
        let n = n.unsigned_abs();
        if n > 0 && n < MASK {
            self.counts.insert(n);
        }
    }

    /// Every leak in `text`, described.
    fn leaks(&self, text: &str) -> Vec<String> {
        let mut found: Vec<String> = numbers(text)
            .into_iter()
            .filter(|&v| (v.fract() == 0.0 && self.counts.contains(&(v as u64))) || self.shares.iter().any(|s| (s - v).abs() < 5e-5))
            .map(|v| format!("number {v}"))
            .collect();
        found.extend(words(text).intersection(&self.words).map(|w| format!("word {w}")));
        found
    }
}

fn pupils_words() -> BTreeSet<String> {
    let text = std::fs::read_to_string(format!("{DIR}/pupils.csv")).unwrap();
    text.lines()
        .skip(1)
        .flat_map(|l| l.split(',').take(3).map(str::to_string).collect::<Vec<_>>())
        .collect()
}

fn run(args: &[&std::ffi::OsStr]) -> (i32, String) {
    let out = Command::cargo_bin("catchment").unwrap().args(args).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
}

fn audit(extra: &[&str], out: &Path) -> i32 {
    let mut args: Vec<&std::ffi::OsStr> = [
        "audit",
        "--scenario",
        "tests/fixtures/publish/scenario.toml",
        "--assignments",
        "tests/fixtures/publish/assignment.csv",
        "--mask-below",
        "10",
        "-o",
    ]
    .iter()
    .map(|s| s.as_ref())
    .collect();
    args.push(out.as_os_str());
    args.extend(extra.iter().map(|s| std::ffi::OsStr::new(*s)));
    run(&args).0
}

/// Secrets from the unmasked audit JSON; also the numbers that concern no
/// pupil (classes, class sizes, seats, rule numbers).
fn audit_secrets(report: &Value) -> (Secrets, BTreeSet<u64>) {
    let mut secrets = Secrets {
        words: pupils_words(),
        ..Default::default()
    };
    let mut benign = BTreeSet::new();
    for s in report["schools"].as_array().unwrap() {
        let n = |k: &str| s[k].as_i64().unwrap();
        let (assigned, migrants, capacity) = (n("assigned"), n("migrants"), n("capacity"));
        for c in [assigned, migrants, assigned - migrants, assigned - capacity] {
            secrets.count(c);
        }
        // A share of 0 or 1 cannot be told from other zeros and ones by a scan;
        // the shares between are each a secret when a count behind them is.
        let share = s["intake_share"].as_f64().unwrap();
        if [assigned, migrants, assigned - migrants]
            .iter()
            .any(|&c| c > 0 && (c as u64) < MASK)
            && share > 0.0
            && share < 1.0
        {
            secrets.shares.push(share);
        }
        benign.extend([n("classes"), n("class_size"), capacity].map(|v| v as u64));
    }
    for (rule, n) in report["violations_by_rule"].as_object().unwrap() {
        if ["coverage", "distance", "lock", "unit", "sibling"].contains(&rule.as_str()) {
            secrets.count(n.as_i64().unwrap());
        }
    }
    secrets.count(report["violation_count"].as_i64().unwrap());
    for (_, v) in report["rules"].as_object().unwrap() {
        if let Some(v) = v.as_f64() {
            benign.insert(v as u64);
        }
    }
    benign.extend([1, MASK]);
    (secrets, benign)
}

#[test]
fn a_published_audit_gives_no_small_count_away() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.json");
    assert_eq!(audit(&["--format", "json"], &plain), 1);
    let report: Value = serde_json::from_slice(&std::fs::read(&plain).unwrap()).unwrap();
    let (secrets, benign) = audit_secrets(&report);
    // The fixture: 6 missing, 9 listed twice, 7 stated distances off; A 8
    // over, D 7 over, B 7 pupils, C 6 without migration background.
    assert_eq!(secrets.counts, BTreeSet::from([6, 7, 8]), "{report}");
    assert!(
        secrets.counts.is_disjoint(&benign),
        "fixture: small counts {:?} among other numbers {benign:?}",
        secrets.counts
    );
    // The scan finds them in the unmasked reports.
    let plain_md = dir.path().join("plain.md");
    audit(&[], &plain_md);
    for file in [&plain, &plain_md] {
        let text = std::fs::read_to_string(file).unwrap();
        assert!(
            secrets.leaks(&text).len() >= 5,
            "{}: the scan finds the unmasked counts",
            file.display()
        );
    }
    // ... and nothing in the published ones.
    for format in ["md", "json"] {
        let published = dir.path().join(format!("published.{format}"));
        assert_eq!(audit(&["--publish", "--format", format], &published), 1);
        let text = std::fs::read_to_string(&published).unwrap();
        assert_eq!(secrets.leaks(&text), Vec::<String>::new(), "{text}");
        assert!(text.contains("<10"), "{text}");
    }
}

fn compare(out: &Path, extra: &[&str]) -> String {
    let mut args: Vec<&std::ffi::OsStr> = [
        "compare",
        "tests/fixtures/publish/scenario.toml",
        "tests/fixtures/publish/fewer.toml",
        "--diff",
        "-o",
    ]
    .iter()
    .map(|s| s.as_ref())
    .collect();
    args.push(out.as_os_str());
    args.extend(extra.iter().map(|s| std::ffi::OsStr::new(*s)));
    let (code, stdout) = run(&args);
    assert_eq!(code, 0, "{stdout}");
    stdout
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

fn csv_rows(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .zip(r.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn a_published_comparison_gives_no_small_count_away() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain");
    compare(&plain, &[]);
    // Secrets: every school's pupils in each scenario, the changes, pupils
    // over the acceptable way, violations, pupils left out.
    let mut secrets = Secrets {
        words: pupils_words(),
        ..Default::default()
    };
    let mut benign = BTreeSet::from([1, MASK]);
    for label in ["scenario", "fewer"] {
        for row in csv_rows(&plain.join(label).join("schools.csv")) {
            let n = |k: &str| row[k].parse::<i64>().unwrap();
            secrets.count(n("assigned"));
            secrets.count((n("assigned") - n("capacity")).max(0));
            benign.extend([n("classes") as u64, n("class_size") as u64, n("capacity") as u64]);
        }
    }
    for row in csv_rows(&plain.join("diff.csv")) {
        secrets.count(row["pupils_change"].parse().unwrap());
        benign.insert(row["classes_change"].parse::<i64>().unwrap().unsigned_abs());
    }
    for row in csv_rows(&plain.join("compare.csv")) {
        secrets.count(row["over_acceptable"].parse().unwrap());
        secrets.count(row["violations"].parse().unwrap());
        secrets.count(row["pupils"].parse::<i64>().unwrap() - row["placed"].parse::<i64>().unwrap());
        benign.insert(row["schools_reduced"].parse().unwrap());
    }
    assert!(!secrets.counts.is_empty(), "the fixture has small counts to hide");
    assert!(
        secrets.counts.is_disjoint(&benign),
        "fixture: small counts {:?} among other numbers {benign:?}",
        secrets.counts
    );
    let plain_diff = std::fs::read_to_string(plain.join("diff.csv")).unwrap();
    assert!(
        !secrets.leaks(&plain_diff).is_empty(),
        "the scan finds the unmasked changes: {plain_diff}"
    );

    let published = dir.path().join("published");
    let stdout = compare(&published, &["--publish", "--mask-below", "10", "--report"]);
    let files = files_under(&published);
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    // No scenario folder with pupil ids: the published files only.
    assert_eq!(
        names,
        ["catchment-manifest.json", "compare.csv", "compare.html", "compare.md", "diff.csv"]
    );
    for file in &files {
        let text = drawing_removed(&std::fs::read_to_string(file).unwrap());
        assert_eq!(secrets.leaks(&text), Vec::<String>::new(), "{}: {text}", file.display());
    }
    assert_eq!(secrets.leaks(&stdout), Vec::<String>::new(), "{stdout}");
    // B's pupils are withheld in diff.csv (21 -> 17): its utilisation, the
    // lowest of the first scenario (21 of 34 seats), would give them back.
    let plain_first = &csv_rows(&plain.join("compare.csv"))[0];
    assert_eq!(
        (
            plain_first["utilisation_min_school"].as_str(),
            plain_first["utilisation_min"].as_str()
        ),
        ("B", "0.6176")
    );
    let published_first = &csv_rows(&published.join("compare.csv"))[0];
    assert_eq!(published_first["utilisation_min"], "masked");
    // The 95th percentile of 115 pupils is the 110th way: 6 pupils have a way
    // at or above it, fewer than the mask, so it is withheld; the mean over
    // 115 pupils is shown, as it is unpublished.
    assert_eq!(plain_first["pupils"], "115");
    assert!(plain_first["p95_way_m"].parse::<f64>().unwrap() > 0.0);
    assert_eq!(published_first["p95_way_m"], "masked");
    assert_eq!(published_first["mean_way_m"], plain_first["mean_way_m"]);
    assert_eq!(published_first["max_way_m"], "masked");
    // ... and its circle on the maps has a fixed size, dashed.
    let html = std::fs::read_to_string(published.join("compare.html")).unwrap();
    assert_eq!(
        html.matches("stroke-dasharray=\"3 2\"><title>School B</title>").count(),
        2,
        "B on both maps"
    );
}

/// The text of a page without the numbers of its drawing (SVG coordinates
/// and sizes in pixels, styles), which are no data; the data it shows as
/// text stays.
fn drawing_removed(html: &str) -> String {
    let mut text = html.to_string();
    for attribute in [
        "d",
        "cx",
        "cy",
        "r",
        "x",
        "y",
        "x1",
        "x2",
        "y1",
        "y2",
        "width",
        "height",
        "viewBox",
        "stroke-width",
        "font-size",
        "fill-opacity",
        "style",
        "stroke-dasharray",
    ] {
        let marker = format!(" {attribute}=\"");
        while let Some(start) = text.find(&marker) {
            let end = text[start + marker.len()..].find('"').unwrap() + start + marker.len() + 1;
            text.replace_range(start..end, "");
        }
    }
    if let (Some(a), Some(b)) = (text.find("<style>"), text.find("</style>")) {
        text.replace_range(a..b, "");
    }
    text
}

#[test]
fn a_published_report_gives_no_small_count_and_no_home_away() {
    let dir = tempfile::tempdir().unwrap();
    let solve = |out: &Path, extra: &[&str]| {
        let (code, stdout) = run(&[
            "solve".as_ref(),
            "tests/fixtures/publish/far.toml".as_ref(),
            "--report".as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
        ]
        .into_iter()
        .chain(extra.iter().map(|s| std::ffi::OsStr::new(*s)))
        .collect::<Vec<_>>());
        assert_eq!(code, 0, "{stdout}");
        std::fs::read_to_string(out.join("report.html")).unwrap()
    };
    let plain_out = dir.path().join("plain");
    let plain = solve(&plain_out, &[]);
    // Secrets: each school's pupils and pupils over the acceptable way (1 km
    // here), the bins of the histogram (250 m each).
    let mut secrets = Secrets {
        words: pupils_words(),
        ..Default::default()
    };
    let mut benign = BTreeSet::from([0, 1, MASK]);
    for row in csv_rows(&plain_out.join("schools.csv")) {
        let n = |k: &str| row[k].parse::<i64>().unwrap();
        secrets.count(n("assigned"));
        benign.extend([
            n("classes") as u64,
            n("class_size") as u64,
            n("capacity") as u64,
            n("reserved_seats") as u64,
        ]);
    }
    let schools = csv_rows(Path::new("tests/fixtures/publish/schools.csv"));
    let ways: Vec<(String, f64)> = csv_rows(&plain_out.join("assignments.csv"))
        .iter()
        .map(|r| (r["school_id"].clone(), r["distance_m"].parse().unwrap()))
        .collect();
    for school in &schools {
        secrets.count(ways.iter().filter(|(s, w)| *s == school["school_id"] && *w > 1000.0).count() as i64);
    }
    let longest = ways.iter().map(|w| w.1).fold(1000.0, f64::max);
    for bin in 0..=(longest / 250.0) as usize {
        secrets.count(ways.iter().filter(|(_, w)| ((w / 250.0) as usize) == bin).count() as i64);
    }
    // Small counts equal to a number of classes (1, 2) cannot be told apart
    // by a scan; the others are scanned for, and the table of pupils over
    // the acceptable way is checked cell by cell below.
    secrets.counts = secrets.counts.difference(&benign).copied().collect();
    // far.toml: 6 pupils of D's cluster over 1 km at C, 8 far out at D, 3 of them in one bin.
    assert_eq!(secrets.counts, BTreeSet::from([3, 6, 8]));
    let plain_found = secrets.leaks(&drawing_removed(&plain));
    assert!(
        plain_found.contains(&"number 6".to_string()) && plain_found.contains(&"number 8".to_string()),
        "{plain_found:?}"
    );
    // Homes are drawn (in pixels) in the unmasked report, one dot each.
    assert_eq!(plain.matches("class=\"home\"").count(), 123);
    let published = solve(&dir.path().join("published"), &["--publish", "--mask-below", "10"]);
    assert_eq!(secrets.leaks(&drawing_removed(&published)), Vec::<String>::new());
    assert!(!published.contains("class=\"home\""));
    // 123 pupils: the 95th percentile is the 117th way, 7 pupils reach it
    // (fewer than 10): withheld; the mean over 123 is shown.
    assert!(plain.contains("<tr><th>95th percentile way</th><td>") && !plain.contains("<tr><th>95th percentile way</th><td>masked"));
    assert!(
        published.contains("<tr><th>95th percentile way</th><td>masked</td></tr>"),
        "{published}"
    );
    assert!(!published.contains("<tr><th>mean way</th><td>masked"));
    // Pupils over the acceptable way by school: 10 or more, or withheld.
    let table = published
        .split("id=\"over-acceptable\"")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    let cells: Vec<&str> = table
        .split("<tr><td>")
        .skip(1)
        .map(|row| row.rsplit("<td>").next().unwrap().trim_end_matches("</td></tr>\n"))
        .collect();
    assert_eq!(cells.len(), 3, "{table}");
    for cell in &cells {
        assert!(
            *cell == "&lt;10" || *cell == "masked" || cell.parse::<u64>().unwrap() >= MASK,
            "{cell} in {table}"
        );
    }
    // A bar of the histogram with fewer than 10 pupils is hatched at the mask's height, labelled <10.
    assert!(published.contains("fill=\"url(#hatch)\"") && published.contains("&lt;10</text>"));
}
