//! Walking distances on the real OpenStreetMap extracts in
//! `tests/fixtures/osm/` (© OpenStreetMap contributors, ODbL 1.0).
//!
//! Homes and schools are placed near nodes of the street network (a few
//! metres off, from a fixed seed). The test computes every way again with
//! code of its own — its own graph from the ways the shared reader keeps,
//! its own largest component, its own snapping by scanning every segment,
//! its own haversine and Dijkstra — and compares with the tool's
//! (within 1 m or 0.1%). Then: every walking way is at least the straight
//! line; the optimum with a `matrix` holding the walking ways equals the
//! walking optimum; the walking optimum differs from the straight-line one.

use assert_cmd::Command;
use catchment::input::osm::{OsmWalkWays, parse_osm};
use catchment::model::Instance;
use catchment::scenario::load_scenario;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, VecDeque};
use std::path::{Path, PathBuf};

const OSM: &str = "tests/fixtures/osm";
const R: f64 = 6_371_008.8;

/// The test's own great-circle distance (haversine formula).
fn haversine(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, la2) = (a.0.to_radians(), b.0.to_radians());
    let dla = la2 - la1;
    let dlo = (b.1 - a.1).to_radians();
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The test's own walk graph: adjacency by OSM id, largest component only.
struct OwnGraph {
    position: HashMap<i64, (f64, f64)>,
    adjacent: HashMap<i64, Vec<(i64, f64)>>,
    segments: Vec<(i64, i64)>,
}

fn own_graph(osm: &OsmWalkWays) -> OwnGraph {
    let position: HashMap<i64, (f64, f64)> = osm.nodes.iter().map(|(&id, l)| (id, (l.lat(), l.lon()))).collect();
    let mut adjacent: HashMap<i64, Vec<(i64, f64)>> = HashMap::new();
    for way in &osm.ways {
        for pair in way.windows(2) {
            let (Some(&a), Some(&b)) = (position.get(&pair[0]), position.get(&pair[1])) else {
                continue;
            };
            if pair[0] == pair[1] {
                continue;
            }
            let d = haversine(a, b);
            adjacent.entry(pair[0]).or_default().push((pair[1], d));
            adjacent.entry(pair[1]).or_default().push((pair[0], d));
        }
    }
    // Largest component by breadth-first search.
    let mut seen: HashMap<i64, usize> = HashMap::new();
    let mut sizes = Vec::new();
    let mut ids: Vec<i64> = adjacent.keys().copied().collect();
    ids.sort_unstable();
    for &start in &ids {
        if seen.contains_key(&start) {
            continue;
        }
        let c = sizes.len();
        let mut queue = VecDeque::from([start]);
        seen.insert(start, c);
        let mut size = 0;
        while let Some(n) = queue.pop_front() {
            size += 1;
            for &(m, _) in &adjacent[&n] {
                if let std::collections::hash_map::Entry::Vacant(e) = seen.entry(m) {
                    e.insert(c);
                    queue.push_back(m);
                }
            }
        }
        sizes.push(size);
    }
    let largest = (0..sizes.len()).max_by_key(|&c| (sizes[c], Reverse(c))).unwrap();
    adjacent.retain(|id, _| seen[id] == largest);
    let mut segments = Vec::new();
    for (&a, list) in &adjacent {
        for &(b, _) in list {
            if a < b {
                segments.push((a, b));
            }
        }
    }
    OwnGraph {
        position,
        adjacent,
        segments,
    }
}

/// The nearest point of the nearest segment, by scanning every segment:
/// (a, b, metres a -> point, metres point -> b, leg).
fn own_snap(g: &OwnGraph, p: (f64, f64)) -> (i64, i64, f64, f64, f64) {
    let mut best = (0, 0, 0.0, 0.0, f64::INFINITY);
    for &(a, b) in &g.segments {
        let (pa, pb) = (g.position[&a], g.position[&b]);
        let lat0 = ((pa.0 + pb.0) / 2.0).to_radians();
        let ky = R.to_radians();
        let kx = ky * lat0.cos();
        let (bx, by) = ((pb.1 - pa.1) * kx, (pb.0 - pa.0) * ky);
        let (qx, qy) = ((p.1 - pa.1) * kx, (p.0 - pa.0) * ky);
        let l2 = bx * bx + by * by;
        let t = if l2 > 0.0 {
            ((qx * bx + qy * by) / l2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let point = (pa.0 + t * (pb.0 - pa.0), pa.1 + t * (pb.1 - pa.1));
        let leg = haversine(p, point);
        if leg < best.4 {
            best = (a, b, haversine(pa, point), haversine(point, pb), leg);
        }
    }
    best
}

fn own_dijkstra(g: &OwnGraph, sources: &[(i64, f64)]) -> HashMap<i64, f64> {
    let mut dist: HashMap<i64, f64> = HashMap::new();
    let mut heap = BinaryHeap::new();
    for &(n, d) in sources {
        heap.push(Reverse((d.to_bits(), n)));
    }
    while let Some(Reverse((bits, n))) = heap.pop() {
        if dist.contains_key(&n) {
            continue;
        }
        let d = f64::from_bits(bits);
        dist.insert(n, d);
        for &(m, w) in &g.adjacent[&n] {
            if !dist.contains_key(&m) {
                heap.push(Reverse(((d + w).to_bits(), m)));
            }
        }
    }
    dist
}

fn own_way(g: &OwnGraph, home: (f64, f64), school: (f64, f64)) -> f64 {
    let s = own_snap(g, school);
    let h = own_snap(g, home);
    let dist = own_dijkstra(g, &[(s.0, s.2), (s.1, s.3)]);
    let mut path = (dist[&h.0] + h.2).min(dist[&h.1] + h.3);
    if (s.0, s.1) == (h.0, h.1) {
        path = path.min((s.2 - h.2).abs());
    }
    s.4 + path + h.4
}

/// A city on the extract: `pupils` homes and `schools` schools a few metres
/// off random nodes of the largest component, written with a scenario.
fn city(osm_file: &str, pupils: usize, schools: usize, seed: u64, dir: &Path) -> (PathBuf, OwnGraph) {
    let path = Path::new(OSM).join(osm_file);
    let osm = parse_osm(&std::fs::read(&path).unwrap(), &path).unwrap();
    let g = own_graph(&osm);
    let mut nodes: Vec<i64> = g.adjacent.keys().copied().collect();
    nodes.sort_unstable();
    let mut rng = Rng(seed);
    let near_node = |rng: &mut Rng| {
        let n = nodes[(rng.next() % nodes.len() as u64) as usize];
        let (lat, lon) = g.position[&n];
        (lat + (rng.unit() - 0.5) * 4e-4, lon + (rng.unit() - 0.5) * 6e-4)
    };
    let seats = pupils.div_ceil(schools).div_ceil(22) + 1;
    let mut schools_csv = String::from("school_id,name,lat,lon,classes,prev_migration_share\n");
    for s in 0..schools {
        let (lat, lon) = near_node(&mut rng);
        schools_csv += &format!("S{s},School {s},{lat:.7},{lon:.7},{seats},0.1\n");
    }
    let mut pupils_csv = String::from("pupil_id,lat,lon,migration_background\n");
    for p in 0..pupils {
        let (lat, lon) = near_node(&mut rng);
        pupils_csv += &format!("p{p},{lat:.7},{lon:.7},{}\n", (rng.next() % 5 == 0) as u8);
    }
    std::fs::write(dir.join("schools.csv"), schools_csv).unwrap();
    std::fs::write(dir.join("pupils.csv"), pupils_csv).unwrap();
    let osm_abs = std::fs::canonicalize(&path).unwrap();
    let scenario = dir.join("walking.toml");
    std::fs::write(
        &scenario,
        format!(
            "schools = \"schools.csv\"\npupils = \"pupils.csv\"\n[distance]\nmetric = \"walking\"\nosm = \"{}\"\n",
            osm_abs.display()
        ),
    )
    .unwrap();
    std::fs::write(dir.join("straight.toml"), "schools = \"schools.csv\"\npupils = \"pupils.csv\"\n").unwrap();
    (scenario, g)
}

fn compare_all_ways(instance: &Instance, g: &OwnGraph) {
    let mut worst: f64 = 0.0;
    for (s, school) in instance.schools.iter().enumerate() {
        let school_at = (school.location.lat(), school.location.lon());
        let sn = own_snap(g, school_at);
        let dist = own_dijkstra(g, &[(sn.0, sn.2), (sn.1, sn.3)]);
        for (p, pupil) in instance.pupils.iter().enumerate() {
            let h = own_snap(g, (pupil.location.lat(), pupil.location.lon()));
            let mut path = (dist[&h.0] + h.2).min(dist[&h.1] + h.3);
            if (sn.0, sn.1) == (h.0, h.1) {
                path = path.min((sn.2 - h.2).abs());
            }
            let own = sn.4 + path + h.4;
            let tool = instance.way_m(p, s).unwrap();
            let allowed = 1.0f64.max(own * 0.001);
            assert!(
                (tool - own).abs() <= allowed,
                "pupil {} school {}: tool {tool} m, own {own} m",
                pupil.id,
                school.id
            );
            worst = worst.max((tool - own).abs());
            // Property: a walk is never shorter than the straight line.
            assert!(tool >= instance.straight_m(p, s) - 1e-6, "pupil {} school {}", pupil.id, school.id);
        }
    }
    eprintln!("largest difference to the test's own computation: {worst:.6} m");
}

#[test]
fn hoyerswerda_pbf_ways_agree_with_an_independent_computation() {
    let dir = tempfile::tempdir().unwrap();
    let (scenario, g) = city("Hoyerswerda.osm.pbf", 120, 5, 7, dir.path());
    let instance = load_scenario(&scenario).unwrap();
    assert!(instance.ways.walk.as_ref().unwrap().network.node_count() > 1000);
    assert_eq!(instance.ways.walk.as_ref().unwrap().network.node_count(), g.adjacent.len());
    compare_all_ways(&instance, &g);
}

#[test]
fn north_bayreuth_gz_ways_agree_with_an_independent_computation() {
    let dir = tempfile::tempdir().unwrap();
    let (scenario, g) = city("north-bayreuth.osm.gz", 60, 4, 11, dir.path());
    let instance = load_scenario(&scenario).unwrap();
    assert_eq!(instance.ways.walk.as_ref().unwrap().network.node_count(), g.adjacent.len());
    compare_all_ways(&instance, &g);
    // A spot check of the independent way function on one pair.
    let (p, s) = (&instance.pupils[0], &instance.schools[0]);
    let own = own_way(&g, (p.location.lat(), p.location.lon()), (s.location.lat(), s.location.lon()));
    assert!((instance.way_m(0, 0).unwrap() - own).abs() <= 1.0f64.max(own * 0.001));
}

fn solve(scenario: &Path, out: &Path) -> (f64, BTreeMap<String, String>) {
    let run = Command::cargo_bin("catchment")
        .unwrap()
        .arg("solve")
        .arg(scenario)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["status"], "optimal");
    let text = std::fs::read_to_string(out.join("assignments.csv")).unwrap();
    let assignment = text
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[1].to_string())
        })
        .collect();
    (summary["objective_m"].as_f64().unwrap(), assignment)
}

#[test]
fn the_matrix_optimum_equals_the_walking_optimum_and_the_river_changes_the_optimum() {
    let dir = tempfile::tempdir().unwrap();
    let (scenario, _) = city("Hoyerswerda.osm.pbf", 300, 6, 2026, dir.path());
    let instance = load_scenario(&scenario).unwrap();
    // The matrix holds every walking way, written to full precision.
    let mut matrix = String::from("pupil_id,school_id,distance_m\n");
    for (p, pupil) in instance.pupils.iter().enumerate() {
        for (s, school) in instance.schools.iter().enumerate() {
            matrix += &format!("{},{},{}\n", pupil.id, school.id, instance.way_m(p, s).unwrap());
        }
    }
    std::fs::write(dir.path().join("ways.csv"), matrix).unwrap();
    let matrix_scenario = dir.path().join("matrix.toml");
    std::fs::write(
        &matrix_scenario,
        "schools = \"schools.csv\"\npupils = \"pupils.csv\"\n[distance]\nmetric = \"matrix\"\nmatrix = \"ways.csv\"\n",
    )
    .unwrap();
    let (walking_m, walking) = solve(&scenario, &dir.path().join("walking"));
    let (matrix_m, _) = solve(&matrix_scenario, &dir.path().join("matrix"));
    assert!(
        (walking_m - matrix_m).abs() <= 1e-6 * walking_m.max(1.0) + 0.002,
        "walking {walking_m} matrix {matrix_m}"
    );
    // The straight-line optimum, walked, is longer than the walking optimum,
    // and the two assignments differ.
    let (_, straight) = solve(&dir.path().join("straight.toml"), &dir.path().join("straight"));
    assert_ne!(straight, walking);
    let index: HashMap<&str, usize> = instance.schools.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let walked: f64 = instance
        .pupils
        .iter()
        .enumerate()
        .map(|(p, pupil)| instance.way_m(p, index[straight[pupil.id.as_str()].as_str()]).unwrap())
        .sum();
    assert!(
        walked > walking_m + 1.0,
        "straight-line optimum walked {walked} m, walking optimum {walking_m} m"
    );
}
