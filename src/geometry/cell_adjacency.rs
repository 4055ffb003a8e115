//! Which cells of the district map are neighbours, for contiguous districts.
//!
//! A *cell* is the region of the district map around one distinct home
//! point (see [`super::districts_out`]): the home's median-dual cell plus
//! the outline pieces attached to it. Two cells are neighbours when they
//! share an edge of the mesh. The adjacency is derived from the very mesh
//! that draws the map: the same sites in the same order (the homes of all
//! pupils in pupil order, then the outline around the homes and every
//! school, widened by the default margin), the same triangulation and the
//! same attachment of outline pieces. A district whose cells are connected
//! in this adjacency is therefore drawn as one polygon.
//!
//! Each school's *root* is the cell its location falls in (the first piece
//! holding the point, in mesh order). When several schools fall in one cell,
//! the school nearest to the cell's home keeps it (ties to the lower school
//! index) and each other takes the nearest cell that is no school's root
//! (great-circle distance from the school to the home; ties to the lower
//! cell). A school outside every cell (impossible for a map built around all
//! schools) takes its nearest free cell the same way.

use super::LocalPlane;
use super::districts_out::{DistrictOptions, outline, piece_homes};
use super::dual_mesh::{DualMesh, build_mesh, longitude_scale};
use crate::model::{Instance, Location};
use std::collections::HashMap;

/// The neighbourhood of the cells of an instance's homes.
#[derive(Debug, Clone, PartialEq)]
pub struct CellAdjacency {
    /// The cell (distinct home point) of each pupil, by pupil index.
    pub cell_of_pupil: Vec<usize>,
    /// The (lon, lat) of each cell's home, in order of first pupil.
    pub homes: Vec<(f64, f64)>,
    /// Per cell, the cells sharing an edge with it, ascending.
    pub neighbours: Vec<Vec<usize>>,
    /// Per school, its root cell (see the module doc).
    pub roots: Vec<usize>,
}

impl CellAdjacency {
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.homes.len()
    }

    /// Whether there is no cell (no pupil).
    pub fn is_empty(&self) -> bool {
        self.homes.is_empty()
    }
}

/// The adjacency of the cells of the instance's homes in the district map
/// drawn with the default margin; `None` without pupils or when the homes
/// cannot be triangulated (fewer than three not on one line).
pub fn cell_adjacency(instance: &Instance) -> Option<CellAdjacency> {
    let mut index: HashMap<(u64, u64), usize> = HashMap::new();
    let mut homes: Vec<(f64, f64)> = Vec::new();
    let cell_of_pupil: Vec<usize> = instance
        .pupils
        .iter()
        .map(|p| {
            let point = (p.location.lon(), p.location.lat());
            *index.entry((point.0.to_bits(), point.1.to_bits())).or_insert_with(|| {
                homes.push(point);
                homes.len() - 1
            })
        })
        .collect();
    if homes.is_empty() {
        return None;
    }
    let plane = LocalPlane::around(homes.iter().copied());
    let mut sites = homes.clone();
    let every_school = vec![1u32; instance.schools.len()];
    sites.extend(outline(
        instance,
        &homes,
        &every_school,
        &plane,
        DistrictOptions::default().margin_m,
    ));
    let scale = longitude_scale(plane.to_degrees(0.0, 0.0).1);
    let mesh = build_mesh(&sites, scale).ok()?;
    let home_of_piece = piece_homes(&mesh, &homes, &plane);
    let neighbours = shared_edges(&mesh, &home_of_piece, homes.len());
    let holding = school_cells(instance, &mesh, &home_of_piece, scale);
    let roots = distinct_roots(instance, &homes, &holding);
    Some(CellAdjacency {
        cell_of_pupil,
        homes,
        neighbours,
        roots,
    })
}

/// Cells whose pieces share an edge, from each piece's home.
fn shared_edges(mesh: &DualMesh, home_of_piece: &[usize], cells: usize) -> Vec<Vec<usize>> {
    let mut first_side: HashMap<(usize, usize), usize> = HashMap::new();
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); cells];
    for (p, piece) in mesh.pieces.iter().enumerate() {
        let home = home_of_piece[p];
        for k in 0..3 {
            let (a, b) = (piece.corners[k], piece.corners[(k + 1) % 3]);
            let edge = (a.min(b), a.max(b));
            match first_side.get(&edge) {
                Some(&other) if other != home => {
                    neighbours[home].push(other);
                    neighbours[other].push(home);
                }
                Some(_) => {}
                None => {
                    first_side.insert(edge, home);
                }
            }
        }
    }
    for list in &mut neighbours {
        list.sort_unstable();
        list.dedup();
    }
    neighbours
}

/// Per school, the cell whose pieces hold its location (the first such
/// piece in mesh order), if any.
/// `scale` is the mesh's longitude scale.
fn school_cells(instance: &Instance, mesh: &DualMesh, home_of_piece: &[usize], scale: f64) -> Vec<Option<usize>> {
    instance
        .schools
        .iter()
        .map(|school| {
            let point = (school.location.lon() * scale, school.location.lat());
            mesh.pieces.iter().enumerate().find_map(|(p, piece)| {
                let [a, b, c] = piece.corners.map(|v| mesh.plane[v]);
                let inside = cross(a, b, point) >= 0.0 && cross(b, c, point) >= 0.0 && cross(c, a, point) >= 0.0;
                inside.then_some(home_of_piece[p])
            })
        })
        .collect()
}

/// Twice the signed area of the triangle (a, b, c): positive when counter-clockwise.
fn cross(a: (f64, f64), b: (f64, f64), c: (f64, f64)) -> f64 {
    (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
}

/// One root cell per school, no cell the root of two (see the module doc).
fn distinct_roots(instance: &Instance, homes: &[(f64, f64)], holding: &[Option<usize>]) -> Vec<usize> {
    let location = |&(lon, lat): &(f64, f64)| Location::new(lat, lon).expect("a home's coordinates are valid");
    let distance = |s: usize, cell: usize| instance.schools[s].location.distance_m(&location(&homes[cell]));
    let mut keeper: HashMap<usize, usize> = HashMap::new();
    for (s, cell) in holding.iter().enumerate() {
        let Some(cell) = *cell else { continue };
        let better = keeper.get(&cell).is_none_or(|&k| distance(s, cell) < distance(k, cell));
        if better {
            keeper.insert(cell, s);
        }
    }
    let mut roots: Vec<Option<usize>> = holding
        .iter()
        .enumerate()
        .map(|(s, cell)| cell.filter(|c| keeper.get(c) == Some(&s)))
        .collect();
    let mut taken: Vec<bool> = vec![false; homes.len()];
    for root in roots.iter().flatten() {
        taken[*root] = true;
    }
    for s in 0..roots.len() {
        if roots[s].is_some() {
            continue;
        }
        let free = (0..homes.len())
            .filter(|&c| !taken[c])
            .min_by(|&a, &b| distance(s, a).total_cmp(&distance(s, b)).then(a.cmp(&b)));
        // With more schools than cells, a school shares the nearest cell.
        let cell = free.unwrap_or_else(|| {
            (0..homes.len())
                .min_by(|&a, &b| distance(s, a).total_cmp(&distance(s, b)).then(a.cmp(&b)))
                .expect("at least one cell")
        });
        taken[cell] = true;
        roots[s] = Some(cell);
    }
    roots.into_iter().map(|r| r.expect("every school has a root")).collect()
}
