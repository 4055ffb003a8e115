//! `report.html` (and `compare.html`) opened in a real browser: Debian's
//! headless Chromium (installed by `scripts/setup.sh`) renders each report
//! to a PNG screenshot and dumps its DOM. The screenshot must not be blank
//! (many pixels away from the background, in several colours, over most of
//! its height) and the DOM must hold the map (the district paths, the
//! schools, the scale bar and the north arrow), the utilisation table with a
//! row per school, and the histogram with the acceptable-way line. A
//! published report must show no home.

use assert_cmd::Command;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Output;

const CHROMIUM: &str = "/usr/bin/chromium";

fn chromium(profile: &Path, args: &[String]) -> Output {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: run `bash scripts/setup.sh` (it installs Debian's chromium)"
    );
    let mut command = std::process::Command::new(CHROMIUM);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
    ]);
    command.arg(format!("--user-data-dir={}", profile.display()));
    command.args(args);
    command.output().unwrap()
}

/// Screenshot (PNG bytes) and DOM of a page.
fn render(page: &Path, dir: &Path) -> (Vec<u8>, String) {
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    let png = dir.join(format!("{}.png", page.file_stem().unwrap().to_string_lossy()));
    let shot = chromium(
        &dir.join("profile-shot"),
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1000,1400".into(),
            url.clone(),
        ],
    );
    assert!(png.exists(), "no screenshot: {}", String::from_utf8_lossy(&shot.stderr));
    let dom = chromium(&dir.join("profile-dom"), &["--dump-dom".into(), url]);
    (std::fs::read(&png).unwrap(), String::from_utf8(dom.stdout).unwrap())
}

/// Decodes an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes)
/// into (width, height, RGB pixels).
fn decode_png(bytes: &[u8]) -> (usize, usize, Vec<[u8; 3]>) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let (mut pos, mut idat, mut header) = (8, Vec::new(), None);
    while pos + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[pos..pos + 4].try_into().unwrap()) as usize;
        let kind = &bytes[pos + 4..pos + 8];
        let data = &bytes[pos + 8..pos + 8 + len];
        match kind {
            b"IHDR" => header = Some(data.to_vec()),
            b"IDAT" => idat.extend_from_slice(data),
            _ => {}
        }
        pos += 12 + len;
    }
    let header = header.expect("IHDR");
    let width = u32::from_be_bytes(header[0..4].try_into().unwrap()) as usize;
    let height = u32::from_be_bytes(header[4..8].try_into().unwrap()) as usize;
    let channels = match (header[8], header[9], header[12]) {
        (8, 2, 0) => 3,
        (8, 6, 0) => 4,
        other => panic!("PNG kind {other:?} not handled"),
    };
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&idat[..]).read_to_end(&mut raw).unwrap();
    let stride = width * channels;
    let mut previous = vec![0u8; stride];
    let mut pixels = Vec::with_capacity(width * height);
    for y in 0..height {
        let line = &raw[y * (stride + 1)..(y + 1) * (stride + 1)];
        let mut current = line[1..].to_vec();
        for i in 0..stride {
            let a = if i >= channels { current[i - channels] as i16 } else { 0 };
            let b = previous[i] as i16;
            let c = if i >= channels { previous[i - channels] as i16 } else { 0 };
            let add = match line[0] {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => {
                    let p = a + b - c;
                    let (pa, pb, pc) = ((p - a).abs(), (p - b).abs(), (p - c).abs());
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                f => panic!("filter {f}"),
            };
            current[i] = current[i].wrapping_add(add as u8);
        }
        pixels.extend(current.chunks(channels).map(|p| [p[0], p[1], p[2]]));
        previous = current;
    }
    (width, height, pixels)
}

/// Asserts the screenshot is not blank: a good share of pixels differ from
/// the background (the top-left pixel), in many colours, spread over the page.
fn assert_not_blank(png: &[u8], what: &str) {
    let (width, height, pixels) = decode_png(png);
    assert_eq!((width, height), (1000, 1400), "{what}");
    let background = pixels[0];
    let differs = |p: &[u8; 3]| p.iter().zip(background).any(|(a, b)| a.abs_diff(b) > 24);
    let inked = pixels.iter().filter(|p| differs(p)).count();
    let colours: std::collections::BTreeSet<[u8; 3]> = pixels.iter().filter(|p| differs(p)).map(|p| p.map(|c| c / 32)).collect();
    let inked_rows = (0..height)
        .filter(|y| pixels[y * width..(y + 1) * width].iter().any(differs))
        .count();
    assert!(inked > width * height / 20, "{what}: only {inked} inked pixels");
    assert!(colours.len() >= 8, "{what}: only {} colours", colours.len());
    assert!(inked_rows > height / 2, "{what}: ink on only {inked_rows} of {height} rows");
}

fn solve_with_report(scenario: &str, out: &Path, extra: &[&str]) -> PathBuf {
    Command::cargo_bin("catchment")
        .unwrap()
        .args(["solve", scenario, "--report", "-o"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
    out.join("report.html")
}

fn count(dom: &str, needle: &str) -> usize {
    dom.matches(needle).count()
}

#[test]
fn report_html_renders_in_chromium_with_map_and_table() {
    let dir = tempfile::tempdir().unwrap();
    let page = solve_with_report("scenarios/magdeburg.toml", &dir.path().join("out"), &[]);
    let (png, dom) = render(&page, dir.path());
    assert_not_blank(&png, "report.html");
    // The map: 33 districts, 33 schools (11 at the reduced size), 2,200 homes, scale bar, north arrow.
    assert!(dom.contains("id=\"district-map\""), "map");
    assert_eq!(count(&dom, "class=\"district\""), 33);
    assert_eq!(count(&dom, "<circle class=\"school"), 33);
    assert_eq!(count(&dom, "<circle class=\"school reduced\""), 11);
    assert_eq!(count(&dom, "class=\"home\""), 2200);
    assert!(dom.contains("id=\"scale-bar\"") && dom.contains("id=\"north-arrow\""));
    // The utilisation table: a header and a row per school.
    let table = dom
        .split("id=\"utilisation-table\"")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    assert_eq!(count(table, "<tr"), 34);
    assert!(dom.contains("id=\"way-histogram\"") && dom.contains("id=\"acceptable-way\""));
    assert!(dom.contains("id=\"provenance\""));
    // No network: nothing is fetched from anywhere.
    let html = std::fs::read_to_string(&page).unwrap();
    let without_namespaces = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for reference in ["http:", "https:", "src=", "<link", "url(http", "@import"] {
        assert!(!without_namespaces.contains(reference), "{reference} in report.html");
    }
}

#[test]
fn a_published_report_renders_and_shows_no_home() {
    let dir = tempfile::tempdir().unwrap();
    let page = solve_with_report("scenarios/magdeburg.toml", &dir.path().join("out"), &["--publish"]);
    let (png, dom) = render(&page, dir.path());
    assert_not_blank(&png, "published report.html");
    assert_eq!(count(&dom, "class=\"home\""), 0);
    assert_eq!(count(&dom, "class=\"district\""), 33);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&page).unwrap().permissions().mode() & 0o777, 0o644);
}

#[test]
fn compare_html_renders_the_table_and_a_map_per_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("catchment")
        .unwrap()
        .args([
            "compare",
            "scenarios/magdeburg.toml",
            "scenarios/magdeburg-closure.toml",
            "--report",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    let (png, dom) = render(&out.join("compare.html"), dir.path());
    assert_not_blank(&png, "compare.html");
    let table = dom
        .split("id=\"comparison-table\"")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    // A header and the 20 figures of the comparison (14, 4 of the mix and 2
    // of the districts' compactness), two scenarios each.
    assert_eq!(count(table, "<tr"), 21);
    assert!(table.contains("<td>dissimilarity D</td>"), "the mix in the table");
    assert!(table.contains("<td>Polsby-Popper mean, lowest</td>"), "compactness in the table");
    assert!(table.contains("1383.2") && table.contains("1423.4"), "total ways");
    assert_eq!(count(&dom, "<figure class=\"scenario-map\""), 2);
    // 33 districts in the status quo, 32 with GS32 closed.
    assert_eq!(count(&dom, "class=\"district\""), 65);
    assert_eq!(count(&dom, "id=\"scale-bar\""), 2);
}

#[test]
fn report_of_an_existing_result_is_the_solve_report_and_joins_its_set() {
    let dir = tempfile::tempdir().unwrap();
    let (with, without) = (dir.path().join("with"), dir.path().join("without"));
    solve_with_report("scenarios/magdeburg.toml", &with, &[]);
    Command::cargo_bin("catchment")
        .unwrap()
        .args(["solve", "scenarios/magdeburg.toml", "-o"])
        .arg(&without)
        .assert()
        .success();
    assert!(!without.join("report.html").exists());
    Command::cargo_bin("catchment")
        .unwrap()
        .arg("report")
        .arg(&without)
        .assert()
        .success();
    // The same page as solve --report writes, listed in the folder's manifest.
    assert_eq!(
        std::fs::read(without.join("report.html")).unwrap(),
        std::fs::read(with.join("report.html")).unwrap()
    );
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(without.join("catchment-manifest.json")).unwrap()).unwrap();
    let files: Vec<&String> = manifest["sets"]["solve"]["files"].as_object().unwrap().keys().collect();
    assert_eq!(files, ["assignments.csv", "report.html", "schools.csv", "summary.json"]);
}

#[test]
fn report_refuses_a_result_whose_inputs_changed_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let city = dir.path().join("city");
    std::fs::create_dir(&city).unwrap();
    for name in ["scenario.toml", "schools.csv", "pupils.csv"] {
        std::fs::copy(Path::new("tests/fixtures/small").join(name), city.join(name)).unwrap();
    }
    let out = dir.path().join("out");
    Command::cargo_bin("catchment")
        .unwrap()
        .arg("solve")
        .arg(city.join("scenario.toml"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let pupils = std::fs::read_to_string(city.join("pupils.csv")).unwrap();
    std::fs::write(city.join("pupils.csv"), pupils.replacen(",0\n", ",1\n", 1)).unwrap();
    let result = Command::cargo_bin("catchment").unwrap().arg("report").arg(&out).assert().code(2);
    let stderr = String::from_utf8(result.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("pupils.csv: changed since the result was written"), "{stderr}");
    assert!(!out.join("report.html").exists());
    // A folder that holds no result: exit 2, naming summary.json.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let result = Command::cargo_bin("catchment").unwrap().arg("report").arg(&empty).assert().code(2);
    let stderr = String::from_utf8(result.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("summary.json"), "{stderr}");
}

#[test]
fn report_html_prints_to_a4_with_a_page_per_section() {
    let dir = tempfile::tempdir().unwrap();
    let page = solve_with_report("scenarios/magdeburg.toml", &dir.path().join("out"), &[]);
    let pdf = dir.path().join("report.pdf");
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    let printed = chromium(
        &dir.path().join("profile-pdf"),
        &["--no-pdf-header-footer".into(), format!("--print-to-pdf={}", pdf.display()), url],
    );
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&printed.stderr)));
    let text = String::from_utf8_lossy(&bytes);
    let boxes: Vec<&str> = text
        .match_indices("/MediaBox [")
        .map(|(i, _)| text[i..].split(']').next().unwrap())
        .collect();
    // Overview, map, utilisation, ways, provenance: each section starts a page.
    assert!(boxes.len() >= 5, "{} pages", boxes.len());
    for b in &boxes {
        let numbers: Vec<f64> = b
            .trim_start_matches("/MediaBox [")
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect();
        // A4: 210 x 297 mm = 595 x 842 points.
        assert!((numbers[2] - 595.0).abs() < 1.0 && (numbers[3] - 842.0).abs() < 1.0, "{b}");
    }
}

#[test]
fn against_the_baseline_the_report_counts_changes_and_the_way_per_pupil() {
    // magdeburg-baseline: 150 pupils move (the cap); the total way drops from
    // the plan's 1,526.6 km to 1,418.6 km over 2,200 pupils: -49 m each.
    let dir = tempfile::tempdir().unwrap();
    let page = solve_with_report("scenarios/magdeburg-baseline.toml", &dir.path().join("out"), &[]);
    let html = std::fs::read_to_string(page).unwrap();
    assert!(
        html.contains("<p>150 pupils change school; the way changes by -49 m per pupil on average.</p>"),
        "baseline summary"
    );
    let table = html
        .split("id=\"baseline-table\"")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    let cells = |i: usize| -> u64 {
        table
            .split("<tr><td>")
            .skip(1)
            .map(|row| {
                row.split("<td>")
                    .nth(i)
                    .unwrap()
                    .split("</td>")
                    .next()
                    .unwrap()
                    .parse::<u64>()
                    .unwrap()
            })
            .sum()
    };
    assert_eq!(
        (cells(2), cells(3)),
        (150, 150),
        "leaving and joining add up to the pupils who move"
    );
}
