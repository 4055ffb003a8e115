//! `solve --districts`: `districts.geojson` parses back with the `geojson`
//! crate, every geometry is valid, the districts do not overlap, and every
//! pupil's home lies in (or, for a home split between schools, on the
//! boundary of) the district of the school it is assigned to. With unit
//! assignment, `bylaw.csv` lists the units per school.

mod common;

use common::fixture;
use geo::{Area, BooleanOps, BoundingRect, Intersects, MultiPolygon, Point, Validation};
use geojson::GeoJson;
use std::collections::BTreeMap;
use std::path::Path;

/// Runs `solve SCENARIO --districts -o OUT`; asserts exit code 0.
fn solve_with_districts(scenario: &Path, out: &Path) {
    solve_with(scenario, out, &["--districts"]);
}

/// Runs `solve SCENARIO -o OUT` with `extra` arguments; asserts exit code 0.
fn solve_with(scenario: &Path, out: &Path, extra: &[&str]) {
    let mut args: Vec<&std::ffi::OsStr> = vec!["solve".as_ref(), scenario.as_os_str(), "-o".as_ref(), out.as_os_str()];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    let (code, stdout, stderr) = common::run_catchment(args);
    assert_eq!(code, 0, "stdout {stdout}\nstderr {stderr}");
}

/// The districts by school id, with their `pupils` property.
fn read_districts(out: &Path) -> BTreeMap<String, (MultiPolygon<f64>, u64)> {
    let text = std::fs::read_to_string(out.join("districts.geojson")).unwrap();
    let GeoJson::FeatureCollection(collection) = text.parse::<GeoJson>().expect("districts.geojson is GeoJSON") else {
        panic!("not a FeatureCollection")
    };
    let mut districts = BTreeMap::new();
    for feature in collection.features {
        let properties = feature.properties.expect("properties");
        let id = properties["school_id"].as_str().expect("school_id").to_string();
        let pupils = properties["pupils"].as_u64().expect("pupils");
        let value = feature.geometry.expect("a geometry").value;
        let area: MultiPolygon<f64> = match value.type_name() {
            "Polygon" => MultiPolygon::new(vec![geo::Polygon::try_from(&value).unwrap()]),
            "MultiPolygon" => MultiPolygon::try_from(&value).unwrap(),
            other => panic!("{id}: a {other}"),
        };
        assert!(districts.insert(id.clone(), (area, pupils)).is_none(), "{id} twice");
    }
    districts
}

/// (pupil id, lon, lat) of each pupil.
type Homes = Vec<(String, f64, f64)>;

/// A ring edge by the bits of its end points.
type Edge = ((u64, u64), (u64, u64));

/// The homes of a pupils file, and pupil -> school of an assignment.
fn homes_and_schools(pupils_csv: &Path, out: &Path) -> (Homes, BTreeMap<String, String>) {
    let mut homes = Vec::new();
    for row in csv::Reader::from_path(pupils_csv)
        .unwrap()
        .deserialize::<BTreeMap<String, String>>()
    {
        let row = row.unwrap();
        homes.push((row["pupil_id"].clone(), row["lon"].parse().unwrap(), row["lat"].parse().unwrap()));
    }
    let mut school_of = BTreeMap::new();
    for row in csv::Reader::from_path(out.join("assignments.csv"))
        .unwrap()
        .deserialize::<BTreeMap<String, String>>()
    {
        let row = row.unwrap();
        school_of.insert(row["pupil_id"].clone(), row["school_id"].clone());
    }
    (homes, school_of)
}

/// Valid geometry, no two districts overlapping, every placed home in its school's district.
fn check_districts(
    districts: &BTreeMap<String, (MultiPolygon<f64>, u64)>,
    homes: &[(String, f64, f64)],
    school_of: &BTreeMap<String, String>,
) {
    for (id, (area, _)) in districts {
        assert!(area.is_valid(), "{id}: {:?}", area.validation_errors());
        for polygon in area {
            assert!(
                polygon.exterior().0.len() >= 4 && polygon.exterior().0.first() == polygon.exterior().0.last(),
                "{id}: ring not closed"
            );
        }
    }
    let list: Vec<(&String, &MultiPolygon<f64>)> = districts.iter().map(|(id, (a, _))| (id, a)).collect();
    for (i, (a_id, a)) in list.iter().enumerate() {
        for (b_id, b) in &list[i + 1..] {
            if a.bounding_rect().unwrap().intersects(&b.bounding_rect().unwrap()) {
                let overlap = a.intersection(*b).unsigned_area();
                assert!(
                    overlap < 1e-12 * a.unsigned_area(),
                    "{a_id} and {b_id} overlap by {overlap} square degrees"
                );
            }
        }
    }
    let mut placed = 0;
    for (pupil, lon, lat) in homes {
        let Some(school) = school_of.get(pupil) else {
            continue;
        };
        let (area, _) = districts.get(school).unwrap_or_else(|| panic!("no district for {school}"));
        assert!(
            area.intersects(&Point::new(*lon, *lat)),
            "{pupil} at ({lon}, {lat}) is outside the district of {school}"
        );
        placed += 1;
    }
    assert_eq!(placed, school_of.len());
    let total: u64 = districts.values().map(|(_, n)| n).sum();
    assert_eq!(
        total as usize,
        school_of.len(),
        "the `pupils` properties add up to the pupils placed"
    );
}

#[test]
fn bundled_city_districts_are_valid_disjoint_and_hold_every_home() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    solve_with_districts(&root.join("scenarios/magdeburg.toml"), &out);
    let districts = read_districts(&out);
    assert_eq!(districts.len(), 33);
    let (homes, school_of) = homes_and_schools(&root.join("data/magdeburg/pupils.csv"), &out);
    assert_eq!(school_of.len(), 2200);
    check_districts(&districts, &homes, &school_of);
    // The districts tile the map exactly: every edge inside the map is an
    // edge of two districts (once in each direction, the same coordinates
    // bit for bit), and the edges of one district only form one closed
    // outline: no gap, no overlap, no hole.
    let key = |c: &geo::Coord<f64>| (c.x.to_bits(), c.y.to_bits());
    let mut edges: BTreeMap<Edge, u32> = BTreeMap::new();
    for (area, _) in districts.values() {
        for polygon in area {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for line in ring.lines() {
                    *edges.entry((key(&line.start), key(&line.end))).or_default() += 1;
                }
            }
        }
    }
    assert!(
        edges.values().all(|&n| n == 1),
        "an edge is drawn twice in the same direction: districts overlap"
    );
    let outline: BTreeMap<(u64, u64), (u64, u64)> = edges
        .keys()
        .filter(|(a, b)| !edges.contains_key(&(*b, *a)))
        .map(|&(a, b)| (a, b))
        .collect();
    let start = *outline.keys().next().expect("an outline");
    let (mut at, mut steps) = (start, 0);
    loop {
        at = outline[&at];
        steps += 1;
        if at == start {
            break;
        }
    }
    assert_eq!(steps, outline.len(), "the outer edges form one ring");
    // Byte for byte the same on a second run.
    let again = tmp.path().join("again");
    solve_with_districts(&root.join("scenarios/magdeburg.toml"), &again);
    assert_eq!(
        std::fs::read(out.join("districts.geojson")).unwrap(),
        std::fs::read(again.join("districts.geojson")).unwrap()
    );
}

#[test]
fn a_home_split_between_two_schools_is_a_corner_of_both_districts() {
    // Fixture `split_home`: h1, h2, h3 share a home at 52.004; A (3 seats,
    // a1 already there) takes h1 and h2, B takes h3.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    solve_with_districts(&fixture("split_home").join("scenario.toml"), &out);
    let (homes, school_of) = homes_and_schools(&fixture("split_home").join("pupils.csv"), &out);
    assert_eq!(school_of["h3"], "B");
    assert_eq!((school_of["h1"].as_str(), school_of["h2"].as_str()), ("A", "A"));
    let districts = read_districts(&out);
    check_districts(&districts, &homes, &school_of);
    let home = Point::new(11.6, 52.004);
    assert!(districts["A"].0.intersects(&home) && districts["B"].0.intersects(&home));
    assert_eq!((districts["A"].1, districts["B"].1), (3, 2));
}

#[test]
fn a_plan_drawn_anew_from_its_own_result() {
    // Districts drawn around the pupils a hand-made plan placed, including
    // the two on borders and the one in the hole.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    solve_with_districts(&fixture("plan").join("complete.toml"), &out);
    let (homes, school_of) = homes_and_schools(&fixture("plan").join("pupils_complete.csv"), &out);
    let districts = read_districts(&out);
    assert_eq!(districts.keys().collect::<Vec<_>>(), vec!["A", "B", "C"]);
    check_districts(&districts, &homes, &school_of);
}

#[test]
fn unit_assignment_writes_the_bylaw() {
    // Fixture `units`: all homes on one meridian (a degenerate line of
    // points); unit "Abendstrasse 11a" at A, "Abendstrasse 11" at B.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    solve_with_districts(&fixture("units").join("scenario.toml"), &out);
    assert_eq!(
        std::fs::read_to_string(out.join("bylaw.csv")).unwrap(),
        "school_id,school_name,unit_id,pupils,street,house_numbers,side,from,to\n\
         A,School A,Abendstrasse 11a,2,,,,,\n\
         B,School B,Abendstrasse 11,1,,,,,\n"
    );
    let (homes, school_of) = homes_and_schools(&fixture("units").join("pupils.csv"), &out);
    check_districts(&read_districts(&out), &homes, &school_of);
}

/// Every corner of every ring of the districts, in ring order.
fn rings(districts: &BTreeMap<String, (MultiPolygon<f64>, u64)>) -> Vec<Vec<(f64, f64)>> {
    let mut all = Vec::new();
    for (area, _) in districts.values() {
        for polygon in area {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                all.push(ring.0.iter().map(|c| (c.x, c.y)).collect());
            }
        }
    }
    all
}

/// Homes found on a map, within about a centimetre (1e-7 degree): homes that
/// are corners, and homes worked back from a border. A border through a
/// triangle of homes a, b, c with c in another district than a and b runs
/// from the midpoint of a-c over the centroid to the midpoint of b-c, and
/// 2 (m_ac + m_bc) - 3 g = c: any three corners in a row give a home away.
fn homes_given_away(rings: &[Vec<(f64, f64)>], homes: &[(String, f64, f64)]) -> (usize, usize) {
    let cell = |x: f64| (x / 1e-7).round() as i64;
    let near = |(x, y): (f64, f64), set: &std::collections::HashSet<(i64, i64)>| {
        (-1..=1).any(|dx| (-1..=1).any(|dy| set.contains(&(cell(x) + dx, cell(y) + dy))))
    };
    let home_cells: std::collections::HashSet<(i64, i64)> = homes.iter().map(|(_, lon, lat)| (cell(*lon), cell(*lat))).collect();
    let mut corners = std::collections::HashSet::new();
    let mut worked_back = std::collections::HashSet::new();
    for ring in rings {
        let n = ring.len() - 1; // closed: the last corner repeats the first
        for i in 0..n {
            let (p, q, r) = (ring[i], ring[(i + 1) % n], ring[(i + 2) % n]);
            if near(p, &home_cells) {
                corners.insert((cell(p.0), cell(p.1)));
            }
            let c = (2.0 * (p.0 + r.0) - 3.0 * q.0, 2.0 * (p.1 + r.1) - 3.0 * q.1);
            if near(c, &home_cells) {
                worked_back.insert((cell(c.0), cell(c.1)));
            }
        }
    }
    (corners.len(), worked_back.len())
}

#[test]
fn a_map_for_publication_gives_no_home_away() {
    // The bundled city: 2,200 pupils, homes shared by several pupils (so some
    // are split between schools and are corners of the exact map).
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scenario = root.join("scenarios/magdeburg.toml");
    let exact_out = tmp.path().join("exact");
    let published_out = tmp.path().join("published");
    solve_with(&scenario, &exact_out, &["--districts"]);
    solve_with(&scenario, &published_out, &["--districts", "--publish"]);
    let (homes, school_of) = homes_and_schools(&root.join("data/magdeburg/pupils.csv"), &published_out);

    // The exact map gives homes away: as corners, and worked back from borders.
    let (corners, worked_back) = homes_given_away(&rings(&read_districts(&exact_out)), &homes);
    assert!(corners > 0, "the exact map has split homes as corners");
    assert!(worked_back > 100, "the exact map's borders give {worked_back} homes away");

    // The published map gives none away.
    let published = read_districts(&published_out);
    assert_eq!(homes_given_away(&rings(&published), &homes), (0, 0));

    // It is still a valid tiling of districts, one per school with pupils,
    // with the same pupil counts.
    assert_eq!(published.len(), 33);
    for (id, (area, _)) in &published {
        assert!(area.is_valid(), "{id}: {:?}", area.validation_errors());
    }
    let list: Vec<(&String, &MultiPolygon<f64>)> = published.iter().map(|(id, (a, _))| (id, a)).collect();
    for (i, (a_id, a)) in list.iter().enumerate() {
        for (b_id, b) in &list[i + 1..] {
            let overlap = a.intersection(*b).unsigned_area();
            assert!(overlap < 1e-12 * a.unsigned_area(), "{a_id} and {b_id} overlap");
        }
    }
    let exact = read_districts(&exact_out);
    for (id, (_, pupils)) in &exact {
        assert_eq!(published[id].1, *pupils, "{id}: pupils");
    }
    // Borders move by about the grid's 50 m: nearly every home is still in
    // its school's district.
    let inside = homes
        .iter()
        .filter(|(pupil, lon, lat)| published[&school_of[pupil]].0.intersects(&Point::new(*lon, *lat)))
        .count();
    eprintln!(
        "exact map: {corners} homes as corners, {worked_back} worked back from borders; published: {inside} of {} homes in their district",
        homes.len()
    );
    assert!(
        inside * 100 >= homes.len() * 95,
        "{inside} of {} homes in their district",
        homes.len()
    );
    // Published with mode 0644, the exact map with 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |dir: &Path| std::fs::metadata(dir.join("districts.geojson")).unwrap().permissions().mode() & 0o777;
        assert_eq!((mode(&exact_out), mode(&published_out)), (0o600, 0o644));
    }
}

#[test]
fn publish_needs_districts() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let scenario = fixture("small").join("scenario.toml");
    let (code, _, stderr) = common::run_catchment([
        "solve".as_ref(),
        scenario.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--publish".as_ref(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--districts"), "{stderr}");
    assert!(!out.exists());
}

/// Random cities (generated with other seeds and sizes than the bundled
/// one), whole homes with contiguous districts: every district one valid
/// Polygon, no two overlapping, every home inside its school's district,
/// checked with the `geo` library (not the tool's own geometry).
#[test]
fn contiguous_districts_of_random_cities_are_single_valid_disjoint_polygons_holding_every_home() {
    let tmp = tempfile::tempdir().unwrap();
    for (seed, pupils) in [(11, 400), (12, 400), (13, 250), (14, 600)] {
        let dir = tmp.path().join(format!("city-{seed}"));
        let (code, stdout, stderr) = common::run_catchment([
            "generate".as_ref(),
            "--preset".as_ref(),
            "magdeburg".as_ref(),
            "--seed".as_ref(),
            std::ffi::OsStr::new(&seed.to_string()),
            "--pupils".as_ref(),
            std::ffi::OsStr::new(&pupils.to_string()),
            "-o".as_ref(),
            dir.as_os_str(),
        ]);
        assert_eq!(code, 0, "{stdout}{stderr}");
        let scenario = dir.join("homes.toml");
        std::fs::write(
            &scenario,
            "schools = \"schools.csv\"\npupils = \"pupils.csv\"\n[rules]\nassign = \"homes\"\ncontiguous = true\n",
        )
        .unwrap();
        let out = dir.join("out");
        solve_with_districts(&scenario, &out);
        let districts = read_districts(&out);
        for (id, (area, _)) in &districts {
            assert_eq!(area.0.len(), 1, "seed {seed}: the district of {id} is not one polygon");
        }
        let (homes, school_of) = homes_and_schools(&dir.join("pupils.csv"), &out);
        assert_eq!(school_of.len(), pupils, "seed {seed}");
        check_districts(&districts, &homes, &school_of);
    }
}
