//! Plane geometry for district maps: looking pupils up in a district plan
//! (point in polygon), and drawing districts around the homes of an
//! assignment (a median-dual mesh of the Delaunay triangulation, dissolved
//! per school with exact topology).
//!
//! Coordinates of polygons are WGS84 degrees in GeoJSON order
//! (`x` = longitude, `y` = latitude). Constructions that need angles or
//! lengths work in a local plane ([`LocalPlane`]) in metres.

mod cell_adjacency;
mod compactness;
mod dissolve;
mod districts_out;
mod dual_mesh;
mod plan;
mod point_in_polygon;
mod projection;
mod validity;
mod walk_cache;
mod walk_graph;
mod walk_lazy;
mod walk_ways;

pub use cell_adjacency::{CellAdjacency, cell_adjacency};
pub use compactness::{Compactness, compactness};
pub use districts_out::{DEFAULT_PUBLISH_GRID_M, DistrictMap, DistrictOptions, SchoolDistrict, district_map, district_polygons};
pub use plan::{BorderDecision, DistrictPlan, PlanLookup, PlanPolygon, locate_pupils};
pub use point_in_polygon::IndexedPolygon;
pub use projection::LocalPlane;
pub use validity::polygon_problem;
pub use walk_cache::{MAGIC, WALK_CACHE_VERSION, cache_key, decode_cache, encode_cache, key_hex};
pub use walk_graph::WalkGraph;
pub use walk_lazy::{FIRST_RADIUS_OVER_LINE, FIRST_SEARCH_RADIUS_M, LazyWalkingWays, MAX_BOUNDED_SHARE, WalkColumn};
pub use walk_ways::{FarSnap, far_snaps, snap_instance, walking_between, walking_table};
