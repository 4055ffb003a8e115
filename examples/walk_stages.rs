//! Times the stages of a walking solve (benchmark helper):
//! `cargo run --release --example walk_stages -- SCENARIO.toml` (the
//! scenario's folder holds `streets.osm.gz`). Prints reading and parsing,
//! the graph, snapping, the solve with its searches on demand, the
//! checker's own ways, and the searches against the ways computed (and,
//! with `WALK_FULL_TABLE=1`, every way at once for comparison).
use catchment::geometry::{LazyWalkingWays, WalkGraph, snap_instance};
use catchment::model::{CacheStatus, Metric, WayOracle, Ways};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("a scenario");
    let mut instance = catchment::scenario::load_scenario(Path::new(&path)).expect("a scenario that loads");
    let t = Instant::now();
    let bytes = std::fs::read(Path::new(&path).parent().unwrap().join("streets.osm.gz")).unwrap();
    let osm = catchment::input::osm::parse_osm(&bytes, Path::new("x")).unwrap();
    eprintln!(
        "read + parse {:.2} s ({} nodes, {} ways)",
        t.elapsed().as_secs_f64(),
        osm.nodes.len(),
        osm.ways.len()
    );
    let t = Instant::now();
    let graph = WalkGraph::build(&osm);
    eprintln!(
        "graph        {:.2} s ({} nodes)",
        t.elapsed().as_secs_f64(),
        graph.network.node_count()
    );
    let t = Instant::now();
    let walk = Arc::new(snap_instance(&graph, &instance));
    eprintln!("snap         {:.2} s", t.elapsed().as_secs_f64());
    let ways = Arc::new(LazyWalkingWays::new(walk.clone(), &instance));
    instance.ways = Ways {
        metric: Metric::Walking,
        table: None,
        walk: Some(walk.clone()),
        lazy: Some(ways.clone() as Arc<dyn WayOracle>),
        cache: CacheStatus::Off,
        straight_factor: 1.0,
    };
    let t = Instant::now();
    let outcome = catchment::solve::solve(&instance).expect("a solve");
    eprintln!(
        "solve        {:.2} s ({} searches, {} of {} ways computed)",
        t.elapsed().as_secs_f64(),
        ways.searches(),
        ways.known(),
        ways.homes().len() * ways.schools().len()
    );
    let t = Instant::now();
    let school_of: Vec<Option<usize>> = outcome.assignment.as_ref().unwrap().school_of.iter().map(|&s| Some(s)).collect();
    let _ = catchment::audit::ways::assigned_ways(&instance, &school_of);
    eprintln!("checker      {:.2} s", t.elapsed().as_secs_f64());
    if std::env::var_os("WALK_FULL_TABLE").is_some() {
        let t = Instant::now();
        let _ = catchment::geometry::walking_table(&instance, &walk);
        eprintln!("(full table  {:.2} s, for comparison)", t.elapsed().as_secs_f64());
    }
}
