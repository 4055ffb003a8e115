//! The median-dual mesh of a Delaunay triangulation: every triangle is cut
//! into six small triangles ("pieces") by its centroid and the midpoints of
//! its edges; the pieces around a site form that site's cell, the region of
//! the plane nearer to it than to its neighbours in the triangulation's sense
//! (like a Voronoi cell, bounded halfway between neighbouring sites).
//!
//! Unlike Voronoi vertices (circumcentres, which leave their triangle for
//! obtuse triangles and meet in near-coincident pairs for nearly cocircular
//! sites), a centroid always lies inside its triangle and a midpoint on its
//! edge, so every piece is a proper counter-clockwise triangle. Every vertex
//! is computed once and named by an id, so neighbouring cells share their
//! vertices exactly and can be dissolved by topology alone.
//!
//! The triangulation works on the sites' own coordinates with the longitude
//! scaled by a power of two near the cosine of the latitude (an exact
//! operation): homes exactly on one line stay exactly on it, so no sliver
//! triangle of rounding noise can turn a piece inside out, and orientation
//! in these coordinates is orientation in longitude/latitude.

use spade::{DelaunayTriangulation, HasPosition, Point2, Triangulation};

/// A vertex of the mesh.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum MeshVertex {
    /// A site (an input point), by index.
    Site(usize),
    /// The midpoint of the edge between two sites; `true` when the edge is
    /// on the outer boundary of the triangulation.
    Midpoint(usize, usize, bool),
    /// The centroid of the triangle of these three sites.
    Centroid([usize; 3]),
}

/// One piece: a counter-clockwise triangle of vertex ids, part of `site`'s cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Piece {
    /// The site whose cell the piece belongs to.
    pub site: usize,
    /// Vertex ids, counter-clockwise; `corners[0]` is the site itself.
    pub corners: [usize; 3],
}

/// The mesh: vertices (ids are indices; sites keep their own index) and pieces.
#[derive(Debug, Clone)]
pub(crate) struct DualMesh {
    /// What each vertex is.
    pub kinds: Vec<MeshVertex>,
    /// (lon, lat) of each vertex, from the sites' exact coordinates.
    pub degrees: Vec<(f64, f64)>,
    /// (scale * lon, lat) of each vertex, for angles and areas: exactly the
    /// degrees with the longitude scaled by a power of two.
    pub plane: Vec<(f64, f64)>,
    /// All pieces.
    pub pieces: Vec<Piece>,
}

#[derive(Debug, Clone, Copy)]
struct SiteVertex {
    position: Point2<f64>,
    index: usize,
}

impl HasPosition for SiteVertex {
    type Scalar = f64;
    fn position(&self) -> Point2<f64> {
        self.position
    }
}

/// Why no mesh could be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum MeshError {
    /// The triangulation rejected the points.
    #[error("the Delaunay triangulation failed: {0}")]
    Triangulation(String),
    /// Two sites fell on the same point of the plane.
    #[error("{0} sites coincide in the plane")]
    Coincident(usize),
}

/// The power of two nearest to the cosine of `lat` (degrees): scaling
/// longitudes by it is exact and keeps triangles roughly isotropic.
pub(crate) fn longitude_scale(lat: f64) -> f64 {
    2f64.powi(lat.to_radians().cos().max(1e-3).log2().round() as i32)
}

/// Builds the median-dual mesh of the Delaunay triangulation of `sites`
/// (distinct (lon, lat) points, at least three not on one line), with the
/// longitudes multiplied by `scale` (a power of two, see [`longitude_scale`]).
pub(crate) fn build_mesh(sites: &[(f64, f64)], scale: f64) -> Result<DualMesh, MeshError> {
    let vertices: Vec<SiteVertex> = sites
        .iter()
        .enumerate()
        .map(|(index, &(lon, lat))| SiteVertex {
            position: Point2::new(lon * scale, lat),
            index,
        })
        .collect();
    let triangulation: DelaunayTriangulation<SiteVertex> =
        DelaunayTriangulation::bulk_load(vertices).map_err(|e| MeshError::Triangulation(format!("{e:?}")))?;
    if triangulation.num_vertices() != sites.len() {
        return Err(MeshError::Coincident(sites.len() - triangulation.num_vertices()));
    }
    let mut mesh = DualMesh {
        kinds: Vec::new(),
        degrees: Vec::new(),
        plane: Vec::new(),
        pieces: Vec::new(),
    };
    for (index, &(lon, lat)) in sites.iter().enumerate() {
        mesh.kinds.push(MeshVertex::Site(index));
        mesh.degrees.push((lon, lat));
        mesh.plane.push((lon * scale, lat));
    }
    let mut midpoint_of_edge: Vec<Option<usize>> = vec![None; triangulation.num_undirected_edges()];
    for face in triangulation.inner_faces() {
        let edges = face.adjacent_edges();
        let corners = face.vertices().map(|v| v.data().index);
        let centroid = mesh.push(
            MeshVertex::Centroid(corners),
            mean(&corners.map(|c| mesh.degrees[c])),
            mean(&corners.map(|c| mesh.plane[c])),
        );
        for edge in edges {
            let (a, b) = (edge.from().data().index, edge.to().data().index);
            let slot = edge.fix().as_undirected().index();
            let midpoint = match midpoint_of_edge[slot] {
                Some(id) => id,
                None => {
                    let id = mesh.push(
                        MeshVertex::Midpoint(a.min(b), a.max(b), edge.rev().face().is_outer()),
                        mean(&[mesh.degrees[a], mesh.degrees[b]]),
                        mean(&[mesh.plane[a], mesh.plane[b]]),
                    );
                    midpoint_of_edge[slot] = Some(id);
                    id
                }
            };
            // The face lies left of a -> b: (a, m, g) and (b, g, m) are counter-clockwise.
            mesh.pieces.push(Piece {
                site: a,
                corners: [a, midpoint, centroid],
            });
            mesh.pieces.push(Piece {
                site: b,
                corners: [b, centroid, midpoint],
            });
        }
    }
    Ok(mesh)
}

impl DualMesh {
    fn push(&mut self, kind: MeshVertex, degrees: (f64, f64), plane: (f64, f64)) -> usize {
        self.kinds.push(kind);
        self.degrees.push(degrees);
        self.plane.push(plane);
        self.kinds.len() - 1
    }
}

fn mean(points: &[(f64, f64)]) -> (f64, f64) {
    let n = points.len() as f64;
    let (sx, sy) = points.iter().fold((0.0, 0.0), |(sx, sy), &(x, y)| (sx + x, sy + y));
    (sx / n, sy / n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_square_with_a_centre_gives_24_counter_clockwise_pieces() {
        let sites = [(11.599, 52.099), (11.601, 52.099), (11.601, 52.101), (11.599, 52.101), (11.6, 52.1)];
        let mesh = build_mesh(&sites, longitude_scale(52.1)).unwrap();
        assert_eq!(longitude_scale(52.1), 0.5);
        assert_eq!(mesh.pieces.len(), 4 * 6);
        let mut area_of_centre = 0.0;
        let mut area = 0.0;
        for piece in &mesh.pieces {
            let [a, b, c] = piece.corners.map(|i| mesh.degrees[i]);
            let twice = (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0);
            assert!(twice > 0.0, "piece {piece:?} is not counter-clockwise");
            area += twice / 2.0;
            if piece.site == 4 {
                area_of_centre += twice / 2.0;
            }
        }
        // The square (0.002 deg wide) is tiled; the centre's cell is a third of it.
        assert!((area - 4e-6).abs() < 1e-15, "{area}");
        assert!((area_of_centre - 4e-6 / 3.0).abs() < 1e-15, "{area_of_centre}");
    }
}
