//! Office files (#15): one city (`tests/fixtures/office/`, written by
//! `scripts/office_fixtures.py`; projected coordinates computed by PROJ) in
//! every input dialect — German Excel CSV (semicolons, decimal commas,
//! Windows-1252, CRLF, quoted fields), UTF-8 with BOM and tabs, ETRS89 / UTM
//! 32N, Gauss-Krüger zone 4, LAEA Europe, `.xlsx` (openpyxl) and `.ods`
//! (odfpy), pupils by address in a register of house coordinates — solved
//! by the real binary: each
//! must give the optimum of the plain WGS84 CSV, pupil by pupil. Files
//! written in another dialect than the one set, and implausible locations,
//! are refused with a message that names the fix.

mod common;

use common::{fixture, run_catchment};
use std::path::{Path, PathBuf};

/// A solved run: objective and the school of each pupil, in file order.
struct Solved {
    objective_m: f64,
    assignment: Vec<(String, String)>,
}

fn solve(scenario: &Path) -> Solved {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("o");
    let (code, stdout, stderr) = run_catchment(["solve".as_ref(), scenario.as_os_str(), "-o".as_ref(), dir.as_os_str()]);
    assert_eq!(code, 0, "{}: {stdout}{stderr}", scenario.display());
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["status"], "optimal", "{}", scenario.display());
    let text = std::fs::read_to_string(dir.join("assignments.csv")).unwrap();
    let assignment = text
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[1].to_string())
        })
        .collect();
    Solved {
        objective_m: summary["objective_m"].as_f64().unwrap(),
        assignment,
    }
}

fn office(variant: &str) -> PathBuf {
    fixture("office").join(variant).join("scenario.toml")
}

/// A copy of an office variant's folder with `input` appended to its
/// scenario (and `edit` applied to its pupils file).
fn variant_with(variant: &str, input: &str, edit: impl Fn(Vec<u8>) -> Vec<u8>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let from = fixture("office").join(variant);
    let inputs = std::fs::read_dir(&from)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned());
    for name in inputs.filter(|n| n != "scenario.toml").collect::<Vec<_>>() {
        let name = name.as_str();
        let bytes = std::fs::read(from.join(name)).unwrap();
        let bytes = if name.starts_with("pupils.") { edit(bytes) } else { bytes };
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let scenario = std::fs::read_to_string(from.join("scenario.toml")).unwrap() + input;
    let path = dir.path().join("scenario.toml");
    std::fs::write(&path, scenario).unwrap();
    (dir, path)
}

/// Runs `solve` expecting exit code 2 and nothing written; returns stderr.
fn refused(scenario: &Path) -> String {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("o");
    let (code, stdout, stderr) = run_catchment(["solve".as_ref(), scenario.as_os_str(), "-o".as_ref(), dir.as_os_str()]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        !dir.exists() || std::fs::read_dir(&dir).unwrap().next().is_none(),
        "nothing written"
    );
    stderr
}

#[test]
fn the_plain_fixture_is_a_real_optimisation() {
    let plain = solve(&office("plain"));
    // 80 pupils, 20 around each of GS01..GS04; GS01 and GS03 teach 17 per
    // class (shares 0.31 and 0.26 > 0.25), so some pupils cannot go to
    // their nearest school and GS05 (no pupils of its own) takes some.
    assert_eq!(plain.assignment.len(), 80);
    let at = |school: &str| plain.assignment.iter().filter(|(_, s)| s == school).count();
    assert!(at("GS01") <= 17 && at("GS03") <= 17, "17 per class at the reduced schools");
    assert!(at("GS05") > 0, "the overflow goes to GS05");
    assert!(plain.objective_m > 0.0);
}

#[test]
fn every_dialect_gives_the_optimum_of_the_plain_csv() {
    let plain = solve(&office("plain"));
    for variant in [
        "excel_de",
        "utf8_bom_tab",
        "utm32",
        "utm32_excel_de",
        "gk4",
        "laea",
        "xlsx",
        "xlsx_utm32",
        "ods",
        "addresses",
    ] {
        let other = solve(&office(variant));
        assert_eq!(other.assignment, plain.assignment, "{variant}: same school for every pupil");
        // Coordinates written to the millimetre (projected) or 1e-6 degree:
        // each way differs by at most a few millimetres.
        let tolerance = 0.005 * plain.assignment.len() as f64;
        assert!(
            (other.objective_m - plain.objective_m).abs() <= tolerance,
            "{variant}: objective {} against {} of the plain CSV",
            other.objective_m,
            plain.objective_m
        );
    }
}

#[test]
fn an_excel_export_read_with_its_dialect_set_gives_the_same_optimum() {
    let plain = solve(&office("plain"));
    let input = "\n[input]\ndelimiter = \";\"\ndecimal = \",\"\nencoding = \"windows-1252\"\n";
    let (_dir, scenario) = variant_with("excel_de", input, |b| b);
    let set = solve(&scenario);
    assert_eq!(set.assignment, plain.assignment);
    assert!(
        (set.objective_m - plain.objective_m).abs() <= 0.4,
        "{} {}",
        set.objective_m,
        plain.objective_m
    );
}

#[test]
fn a_comma_delimiter_on_a_semicolon_export_names_the_fix() {
    let (_dir, scenario) = variant_with("excel_de", "\n[input]\ndelimiter = \",\"\n", |b| b);
    let stderr = refused(&scenario);
    // The header is one field; line 2, the first school, has four.
    assert!(
        stderr.contains("schools.csv, line 2: this row has 4 fields, the header 1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("this file looks semicolon-separated with decimal commas: set `[input] delimiter = \";\"` and `decimal = \",\"`"),
        "{stderr}"
    );
}

#[test]
fn a_decimal_point_setting_on_decimal_commas_names_the_fix() {
    let (_dir, scenario) = variant_with("excel_de", "\n[input]\ndecimal = \".\"\n", |b| b);
    let stderr = refused(&scenario);
    assert!(stderr.contains("schools.csv, line 2"), "{stderr}");
    assert!(stderr.contains("`52,125000`"), "{stderr}");
    assert!(stderr.contains("set `[input] decimal = \",\"`"), "{stderr}");
}

#[test]
fn windows_1252_read_as_utf_8_names_the_line_and_the_encoding() {
    let (_dir, scenario) = variant_with("excel_de", "\n[input]\nencoding = \"utf-8\"\n", |b| b);
    let stderr = refused(&scenario);
    // Line 3 holds "Brückfeld", whose ü is the single byte 0xfc.
    assert!(stderr.contains("schools.csv, line 3: byte 0xfc is not UTF-8 text"), "{stderr}");
    assert!(stderr.contains("set `[input] encoding = \"windows-1252\"`"), "{stderr}");
}

#[test]
fn windows_1252_names_are_read_as_written() {
    let plain = solve(&office("plain"));
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("o");
    let (code, _, stderr) = run_catchment(["solve".as_ref(), office("excel_de").as_os_str(), "-o".as_ref(), dir.as_os_str()]);
    assert_eq!(code, 0, "{stderr}");
    let schools = std::fs::read_to_string(dir.join("schools.csv")).unwrap();
    assert!(schools.contains("Grundschule Brückfeld"), "{schools}");
    assert!(schools.contains("\"Grundschule \"\"Weiße Taube\"\"; Sudenburg\""), "{schools}");
    assert_eq!(plain.assignment.len(), 80);
}

#[test]
fn projected_columns_without_a_crs_name_the_setting() {
    let (_dir, scenario) = variant_with("utm32", "", |b| b);
    let text = std::fs::read_to_string(&scenario).unwrap().replace("crs = \"EPSG:25832\"", "");
    std::fs::write(&scenario, text).unwrap();
    let stderr = refused(&scenario);
    assert!(stderr.contains("required column `lat` is missing"), "{stderr}");
    assert!(
        stderr.contains("projected coordinates in metres (columns `x`, `y`): set `[input] crs`"),
        "{stderr}"
    );
    assert!(stderr.contains("\"EPSG:25832\""), "{stderr}");

    let (_dir, scenario) = variant_with("gk4", "", |b| b);
    let text = std::fs::read_to_string(&scenario).unwrap().replace("crs = \"EPSG:31468\"", "");
    std::fs::write(&scenario, text).unwrap();
    let stderr = refused(&scenario);
    assert!(stderr.contains("(columns `rechtswert`, `hochwert`)"), "{stderr}");
    assert!(stderr.contains("\"EPSG:31468\" (Gauss-Krüger zone 4"), "{stderr}");
}

#[test]
fn an_unknown_crs_is_a_setting_error() {
    let (_dir, scenario) = variant_with("plain", "\n[input]\ncrs = \"EPSG:2056\"\n", |b| b);
    let stderr = refused(&scenario);
    assert!(stderr.contains("[input] crs = \"EPSG:2056\" is not supported"), "{stderr}");
}

/// The pupils file with pupil `id`'s latitude and longitude swapped.
fn swap_pupil(bytes: Vec<u8>, id: &str) -> Vec<u8> {
    let text = String::from_utf8(bytes).unwrap();
    text.lines()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            if f[0] == id {
                format!("{},{},{},{}", f[0], f[2], f[1], f[3])
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        .into_bytes()
}

/// The pupils file with pupil `id` moved `dlat` degrees north.
fn move_pupil(bytes: Vec<u8>, id: &str, dlat: f64) -> Vec<u8> {
    let text = String::from_utf8(bytes).unwrap();
    text.lines()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            if f[0] == id {
                format!("{},{},{},{}", f[0], f[1].parse::<f64>().unwrap() + dlat, f[2], f[3])
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        .into_bytes()
}

#[test]
fn swapped_latitude_and_longitude_are_reported_by_id() {
    let (_dir, scenario) = variant_with("plain", "", |b| swap_pupil(b, "p07"));
    let stderr = refused(&scenario);
    assert!(stderr.contains("1 implausible location(s)"), "{stderr}");
    assert!(stderr.contains("pupil `p07`"), "{stderr}");
    assert!(stderr.contains("latitude and longitude look swapped"), "{stderr}");
    assert!(stderr.contains("allow_outliers = true"), "{stderr}");
}

#[test]
fn a_home_far_from_all_others_is_reported_and_every_one_is_listed() {
    // 0.5 degrees of latitude north: about 55 km from the city.
    let (_dir, scenario) = variant_with("plain", "", |b| move_pupil(move_pupil(b, "p03", 0.5), "p40", -0.6));
    let stderr = refused(&scenario);
    assert!(stderr.contains("2 implausible location(s)"), "{stderr}");
    assert!(stderr.contains("pupil `p03`") && stderr.contains("pupil `p40`"), "{stderr}");
    assert!(stderr.contains("more than 30.0 km from every other home and school"), "{stderr}");
}

#[test]
fn allow_outliers_and_a_wider_distance_read_them_as_written() {
    let far = |b| move_pupil(b, "p03", 0.5);
    let (_dir, allowed) = variant_with("plain", "\n[input]\nallow_outliers = true\n", far);
    let solved = solve(&allowed);
    assert_eq!(solved.assignment.len(), 80);
    let (_dir, wider) = variant_with("plain", "\n[input]\noutlier_distance_m = 80000\n", far);
    assert_eq!(solve(&wider).objective_m, solved.objective_m);
    let (_dir, narrower) = variant_with("plain", "\n[input]\noutlier_distance_m = 40000\n", far);
    assert!(refused(&narrower).contains("pupil `p03`"));
}

#[test]
fn an_outlier_distance_of_zero_is_a_setting_error() {
    let (_dir, scenario) = variant_with("plain", "\n[input]\noutlier_distance_m = 0\n", |b| b);
    let stderr = refused(&scenario);
    assert!(stderr.contains("[input] outlier_distance_m = 0"), "{stderr}");
}

#[test]
fn excel_de_outputs_hold_the_same_results_and_are_read_back_by_audit() {
    let plain_dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run_catchment([
        "solve".as_ref(),
        office("plain").as_os_str(),
        "-o".as_ref(),
        plain_dir.path().as_os_str(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let (_dir, scenario) = variant_with("plain", "\n[output]\ndialect = \"excel-de\"\n", |b| b);
    let out = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run_catchment(["solve".as_ref(), scenario.as_os_str(), "-o".as_ref(), out.path().as_os_str()]);
    assert_eq!(code, 0, "{stderr}");
    for name in ["assignments.csv", "schools.csv"] {
        let de = std::fs::read(out.path().join(name)).unwrap();
        let plain = std::fs::read_to_string(plain_dir.path().join(name)).unwrap();
        assert!(de.starts_with(b"\xEF\xBB\xBF"), "{name}: UTF-8 BOM");
        let de = String::from_utf8(de[3..].to_vec()).unwrap();
        assert!(de.ends_with("\r\n") && !de.replace("\r\n", "").contains('\n'), "{name}: CRLF");
        // Same rows and columns: back to commas and points, the default file's records.
        let records = |text: &str, delimiter: u8| -> Vec<Vec<String>> {
            csv::ReaderBuilder::new()
                .has_headers(false)
                .delimiter(delimiter)
                .from_reader(text.as_bytes())
                .records()
                .map(|r| r.unwrap().iter().map(str::to_string).collect())
                .collect()
        };
        let back: Vec<Vec<String>> = records(&de, b';')
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|f| {
                        if f.parse::<f64>().is_err() && f.replace(',', ".").parse::<f64>().is_ok() {
                            f.replace(',', ".")
                        } else {
                            f
                        }
                    })
                    .collect()
            })
            .collect();
        assert_eq!(back, records(&plain, b','), "{name}");
    }
    let assignments = std::fs::read_to_string(out.path().join("assignments.csv")).unwrap();
    let first = assignments.lines().nth(1).unwrap();
    assert!(
        // pupil_id;school_id;distance_m;straight_m, both ways with decimal commas
        first.matches(';').count() == 3 && first.split(';').skip(2).all(|f| f.contains(',')),
        "{first}"
    );
    // The audit reads the German file (dialect detected) and finds it compliant.
    let (code, stdout, stderr) = run_catchment([
        "audit".as_ref(),
        "--scenario".as_ref(),
        scenario.as_os_str(),
        "--assignments".as_ref(),
        out.path().join("assignments.csv").as_os_str(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

#[test]
fn lines_are_counted_alike_in_crlf_and_lf_files() {
    // Pupil p05 (line 6) gets a latitude that is not a number.
    let broken = |bytes: Vec<u8>| -> Vec<u8> {
        let text = String::from_utf8(bytes).unwrap();
        text.replacen("p05,", "p05,north", 1).into_bytes()
    };
    let (_dir, lf) = variant_with("plain", "", broken);
    assert!(refused(&lf).contains("pupils.csv, line 6, column `lat`: `north52."), "LF");
    let crlf = |bytes: Vec<u8>| -> Vec<u8> { String::from_utf8(broken(bytes)).unwrap().replace('\n', "\r\n").into_bytes() };
    let (_dir, crlf) = variant_with("plain", "", crlf);
    let stderr = refused(&crlf);
    assert!(stderr.contains("pupils.csv, line 6, column `lat`: `north52."), "CRLF: {stderr}");
}

#[test]
fn a_sheet_that_is_not_there_lists_the_sheets() {
    let (_dir, scenario) = variant_with("ods", "", |b| b);
    let text = std::fs::read_to_string(&scenario)
        .unwrap()
        .replace("sheet = \"Daten\"", "sheet = \"Schüler\"");
    std::fs::write(&scenario, text).unwrap();
    let stderr = refused(&scenario);
    assert!(
        stderr.contains("schools.ods: has no sheet `Schüler` (its sheets: Info, Daten)"),
        "{stderr}"
    );
}

#[test]
fn the_first_sheet_is_read_when_none_is_named() {
    // The ODS files hold a note on their first sheet `Info`: without
    // `sheet = "Daten"` that sheet is the table, and its "header" lacks the columns.
    let (_dir, scenario) = variant_with("ods", "", |b| b);
    let text = std::fs::read_to_string(&scenario).unwrap().replace("sheet = \"Daten\"", "");
    std::fs::write(&scenario, text).unwrap();
    let stderr = refused(&scenario);
    assert!(stderr.contains("schools.ods, sheet `Info`"), "{stderr}");
}

#[test]
fn a_bad_cell_in_a_spreadsheet_names_the_sheet_the_row_and_the_column() {
    let (dir, scenario) = variant_with("xlsx", "", |b| b);
    // A pupils workbook written here, with a latitude of 152 in row 4.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Schüler").unwrap();
    for (c, h) in ["pupil_id", "lat", "lon", "migration_background"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, lat) in [52.12, 52.121, 152.0, 52.123].iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, format!("p{r}")).unwrap();
        sheet.write_number(r, 1, *lat).unwrap();
        sheet.write_number(r, 2, 11.63).unwrap();
        sheet.write_number(r, 3, 0).unwrap();
    }
    workbook.save(dir.path().join("pupils.xlsx")).unwrap();
    let stderr = refused(&scenario);
    assert!(
        stderr.contains("pupils.xlsx, sheet `Schüler`, line 4, column `lat`: `152` is not a latitude in degrees between -90 and 90"),
        "{stderr}"
    );
}

#[test]
fn results_xlsx_holds_the_csv_results() {
    let out = tempfile::tempdir().unwrap();
    let run = |dir: &Path| {
        let (code, stdout, stderr) = run_catchment([
            "solve".as_ref(),
            office("plain").as_os_str(),
            "-o".as_ref(),
            dir.as_os_str(),
            "--xlsx".as_ref(),
        ]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stdout.contains("results.xlsx"), "{stdout}");
    };
    let first = out.path().join("a");
    run(&first);
    let bytes = std::fs::read(first.join("results.xlsx")).unwrap();
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["assignments", "schools", "summary"]);
    for sheet in ["assignments", "schools"] {
        let csv = std::fs::read_to_string(first.join(format!("{sheet}.csv"))).unwrap();
        let range = book.worksheet_range(sheet).unwrap();
        let cells: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
        let rows: Vec<Vec<String>> = csv::Reader::from_reader(csv.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(cells.len(), rows.len() + 1, "{sheet}: header and every row");
        for (cell_row, csv_row) in cells[1..].iter().zip(&rows) {
            for (cell, field) in cell_row.iter().zip(csv_row) {
                match (cell.parse::<f64>(), field.parse::<f64>()) {
                    (Ok(a), Ok(b)) => assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{sheet}: {cell} against {field}"),
                    _ => assert_eq!(cell, field, "{sheet}"),
                }
            }
        }
    }
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(first.join("summary.json")).unwrap()).unwrap();
    let range = book.worksheet_range("summary").unwrap();
    let value_of = |key: &str| {
        range
            .rows()
            .find(|r| r[0] == calamine::Data::String(key.to_string()))
            .map(|r| r[1].clone())
    };
    assert_eq!(value_of("status"), Some(calamine::Data::String("optimal".into())));
    let objective = value_of("objective_m").and_then(|d| d.to_string().parse::<f64>().ok()).unwrap();
    assert_eq!(objective, summary["objective_m"].as_f64().unwrap());
}

#[test]
fn every_unknown_address_is_listed_at_once_with_the_nearest_spellings() {
    let misspelt = |bytes: Vec<u8>| -> Vec<u8> {
        let text = String::from_utf8(bytes).unwrap();
        // p03 lives at "BREITER WEG 1", p08 at "Hegelstraße 1".
        text.replacen("p03,BREITER WEG,1,", "p03,Breiter Wg,1,", 1)
            .replacen("p08,Hegelstraße,1,", "p08,Hegelstraße,77,", 1)
            .into_bytes()
    };
    let (_dir, scenario) = variant_with("addresses", "", misspelt);
    let stderr = refused(&scenario);
    assert!(stderr.contains("2 address(es) not found in the address register"), "{stderr}");
    assert!(
        stderr.contains("line 4, pupil `p03`: `Breiter Wg 1` is not in hauskoordinaten.csv; nearest spellings there: Breiter Weg"),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("line 9, pupil `p08`: `Hegelstraße 77` is not in hauskoordinaten.csv: Hegelstraße is, but without this house number"),
        "{stderr}"
    );
}

#[test]
fn a_postcode_that_differs_from_the_register_is_not_matched() {
    let other_postcode = |bytes: Vec<u8>| -> Vec<u8> {
        String::from_utf8(bytes)
            .unwrap()
            .replacen(
                "p01,Otto-von-Guericke-Straße,1 a,39104,",
                "p01,Otto-von-Guericke-Straße,1 a,39106,",
                1,
            )
            .into_bytes()
    };
    let (_dir, scenario) = variant_with("addresses", "", other_postcode);
    let stderr = refused(&scenario);
    assert!(
        stderr.contains("pupil `p01`: `Otto-von-Guericke-Straße 1 a, 39106` is in hauskoordinaten.csv only with another postcode"),
        "{stderr}"
    );
}
