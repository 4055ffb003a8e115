//! Times the stages of a walking solve's distances (benchmark helper):
//! `cargo run --release --example walk_stages -- SCENARIO.toml`.
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).expect("a scenario");
    let t = Instant::now();
    let bytes = std::fs::read(std::path::Path::new(&path).parent().unwrap().join("streets.osm.gz")).unwrap();
    let osm = catchment::input::osm::parse_osm(&bytes, std::path::Path::new("x")).unwrap();
    eprintln!(
        "parse {:.2} s ({} nodes, {} ways)",
        t.elapsed().as_secs_f64(),
        osm.nodes.len(),
        osm.ways.len()
    );
    let t = Instant::now();
    let graph = catchment::geometry::WalkGraph::build(&osm);
    eprintln!("graph {:.2} s ({} nodes)", t.elapsed().as_secs_f64(), graph.network.node_count());
    let t = Instant::now();
    let instance = catchment::scenario::load_scenario(std::path::Path::new(&path)).unwrap();
    eprintln!("whole load {:.2} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let walk = catchment::geometry::snap_instance(&graph, &instance);
    eprintln!("snap {:.2} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let _ = catchment::geometry::walking_table(&instance, &walk);
    eprintln!("dijkstra {:.2} s", t.elapsed().as_secs_f64());
}
