//! Districts drawn from an assignment: one (multi)polygon per school that
//! covers the homes of its pupils, together tiling the city without gaps or
//! overlaps.
//!
//! Construction:
//! 1. The distinct homes, and an outline around them: the convex hull of
//!    all homes and schools, widened by `margin_m`, with points along its
//!    edges at most `margin_m` apart on a slight outward bow (so that no
//!    three are nearly on one line); these points are extra sites of the
//!    triangulation.
//! 2. The Delaunay triangulation of homes and outline corners, and its
//!    median-dual mesh ([`super::dual_mesh`]): each home gets a cell around
//!    it, bounded halfway to its neighbours; together the cells tile the
//!    outline.
//! 3. A home's cell goes to its pupils' school. A home whose pupils go to
//!    several schools (a block of flats split by capacity) has its cell cut
//!    into wedges at the home, one run of wedges per school, sized by pupil
//!    count and ordered by the direction of each school: the home is a corner
//!    of every such school's district. An outline corner's cell goes to the
//!    school of the nearest home (the majority school of a split home).
//! 4. The cells are dissolved per school by topology ([`super::dissolve`]):
//!    valid polygons, counter-clockwise shells and clockwise holes.
//!
//! Every home lies inside (or, for a split home, on the boundary of) the
//! district of each school its pupils go to.
//!
//! For publication ([`DistrictOptions::publish_grid_m`]) the same
//! construction runs on the homes moved to the nearest point of a grid
//! ([`PublishGrid`]): no corner of the map is a home, and none can be worked
//! back to one (a corner is a midpoint or centroid of grid points, or an
//! outline point around them). Borders then move by up to about the grid's
//! edge, and a home near a border may lie just across it.

use super::LocalPlane;
use super::dissolve::dissolve;
use super::dual_mesh::{DualMesh, MeshVertex, build_mesh, longitude_scale};
use crate::model::Instance;
use geo::{ConvexHull, MultiPoint, MultiPolygon, Point};
use rstar::RTree;
use rstar::primitives::GeomWithData;
use std::collections::{BTreeMap, HashMap};

/// Settings of the construction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DistrictOptions {
    /// How far the map reaches beyond the outermost homes and schools, in
    /// metres (default 500).
    pub margin_m: f64,
    /// For publication: the map is drawn from homes rounded to a square grid
    /// of this edge in metres, so that no corner of it is, or gives away, a
    /// home (`None`: drawn from the exact homes, for internal use).
    pub publish_grid_m: Option<f64>,
}

/// The district map of a result, drawn before anything is written.
#[derive(Debug, Clone)]
pub struct DistrictMap {
    /// One district per school with pupils.
    pub districts: Vec<SchoolDistrict>,
    /// Drawn for publication (from homes on the grid): no home is a corner.
    pub published: bool,
}

/// The district map of the placed pupils (school per pupil, `None` for a
/// pupil a plan left out); `None` when nobody is placed.
pub fn district_map(instance: &Instance, placed: &[Option<usize>], options: &DistrictOptions) -> Option<DistrictMap> {
    placed.iter().any(Option::is_some).then(|| DistrictMap {
        districts: district_polygons(instance, placed, options),
        published: options.publish_grid_m.is_some(),
    })
}

/// Default edge of the publication grid, in metres.
pub const DEFAULT_PUBLISH_GRID_M: f64 = 50.0;

impl Default for DistrictOptions {
    fn default() -> Self {
        Self {
            margin_m: 500.0,
            publish_grid_m: None,
        }
    }
}

/// The district of one school.
#[derive(Debug, Clone, PartialEq)]
pub struct SchoolDistrict {
    /// School index.
    pub school: usize,
    /// Pupils assigned to the school.
    pub pupils: u32,
    /// The district, `x` = longitude, `y` = latitude.
    pub area: MultiPolygon<f64>,
}

/// The grid a map for publication is drawn on: homes are moved to the
/// nearest grid point before the districts are drawn, so every site of the
/// triangulation, and every corner derived from sites (edge midpoints,
/// triangle centroids, the outline), is a grid point or made of grid points,
/// never of a home.
///
/// The grid is fixed in degrees, anchored at longitude and latitude 0 (it
/// depends on the data only through the whole degree of latitude that sets
/// the longitude step), with steps that are whole multiples of 2^-20 degree
/// (about 0.1 m): grid points are exact binary fractions, so points on one
/// grid line are exactly on one line for the triangulation.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PublishGrid {
    /// Step of longitude, degrees.
    step_lon: f64,
    /// Step of latitude, degrees.
    step_lat: f64,
}

/// Steps of the publication grid are whole multiples of 2^-GRID_BITS degree.
const GRID_BITS: i32 = 20;

impl PublishGrid {
    /// The grid of about `edge_m` metres (the default for a value that is not
    /// a positive number) at the latitude of the placed pupils' homes.
    fn new(edge_m: f64, instance: &Instance, school_of: &[Option<usize>]) -> Self {
        let edge_m = if edge_m.is_finite() && edge_m > 0.0 {
            edge_m
        } else {
            DEFAULT_PUBLISH_GRID_M
        };
        let placed = instance.pupils.iter().zip(school_of).filter(|(_, s)| s.is_some());
        let plane = LocalPlane::around(placed.map(|(p, _)| (p.location.lon(), p.location.lat())));
        let whole_degree_lat = plane.to_degrees(0.0, 0.0).1.round();
        let metres_per_deg_lat = crate::model::EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
        let metres_per_deg_lon = metres_per_deg_lat * whole_degree_lat.to_radians().cos().max(1e-3);
        let unit = 2f64.powi(-GRID_BITS);
        let step = |metres_per_deg: f64| ((edge_m / metres_per_deg / unit).round().max(1.0)) * unit;
        Self {
            step_lon: step(metres_per_deg_lon),
            step_lat: step(metres_per_deg_lat),
        }
    }

    /// The grid point nearest to a (lon, lat).
    fn snap(&self, (lon, lat): (f64, f64)) -> (f64, f64) {
        (
            (lon / self.step_lon).round() * self.step_lon,
            (lat / self.step_lat).round() * self.step_lat,
        )
    }
}

/// Points per full circle when widening the hull.
const CIRCLE_POINTS: usize = 16;

/// Draws one district per school with pupils, in school order. Pupils with
/// `None` are left out.
pub fn district_polygons(instance: &Instance, school_of: &[Option<usize>], options: &DistrictOptions) -> Vec<SchoolDistrict> {
    // Distinct homes (for publication: grid points) with their schools' pupil counts.
    let grid = options.publish_grid_m.map(|edge| PublishGrid::new(edge, instance, school_of));
    let mut home_index: HashMap<(u64, u64), usize> = HashMap::new();
    let mut homes: Vec<(f64, f64)> = Vec::new();
    let mut schools_at: Vec<BTreeMap<usize, u32>> = Vec::new();
    let mut pupils_of = vec![0u32; instance.schools.len()];
    for (pupil, school) in instance.pupils.iter().zip(school_of) {
        let Some(s) = *school else { continue };
        pupils_of[s] += 1;
        let exact = (pupil.location.lon(), pupil.location.lat());
        let (lon, lat) = grid.map_or(exact, |g| g.snap(exact));
        let h = *home_index.entry((lon.to_bits(), lat.to_bits())).or_insert_with(|| {
            homes.push((lon, lat));
            schools_at.push(BTreeMap::new());
            homes.len() - 1
        });
        *schools_at[h].entry(s).or_default() += 1;
    }
    if homes.is_empty() {
        return Vec::new();
    }
    let plane = LocalPlane::around(homes.iter().copied());
    let margin = if options.margin_m.is_finite() && options.margin_m > 1.0 {
        options.margin_m
    } else {
        DistrictOptions::default().margin_m
    };

    let mut sites = homes.clone();
    // With contiguous districts the outline holds every school, as the
    // adjacency the solver kept does (see `cell_adjacency`).
    let in_outline: Vec<u32> = if instance.rules.contiguous {
        vec![1; instance.schools.len()]
    } else {
        pupils_of.clone()
    };
    sites.extend(outline(instance, &homes, &in_outline, &plane, margin));
    let Ok(mesh) = build_mesh(&sites, longitude_scale(plane.to_degrees(0.0, 0.0).1)) else {
        return Vec::new();
    };

    // Owner of every piece.
    let majority = |h: usize| {
        *schools_at[h]
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .expect("a home has pupils")
            .0
    };
    let home_of_piece = piece_homes(&mesh, &homes, &plane);
    let mut owner: Vec<usize> = vec![usize::MAX; mesh.pieces.len()];
    let mut pieces_of_site: Vec<Vec<usize>> = vec![Vec::new(); sites.len()];
    for (i, piece) in mesh.pieces.iter().enumerate() {
        pieces_of_site[piece.site].push(i);
    }
    for (site, pieces) in pieces_of_site.iter().enumerate() {
        let assigned: Vec<(usize, usize)> = if site >= homes.len() {
            pieces.iter().map(|&p| (p, majority(home_of_piece[p]))).collect()
        } else if schools_at[site].len() == 1 {
            let school = *schools_at[site].keys().next().expect("one school");
            pieces.iter().map(|&p| (p, school)).collect()
        } else {
            split_home(instance, &mesh, &plane, site, pieces, &schools_at[site])
        };
        for (p, school) in assigned {
            owner[p] = school;
        }
    }

    let mut chosen: Vec<Vec<usize>> = vec![Vec::new(); instance.schools.len()];
    for (p, &s) in owner.iter().enumerate() {
        if s != usize::MAX {
            chosen[s].push(p);
        }
    }
    (0..instance.schools.len())
        .filter(|&s| pupils_of[s] > 0 && !chosen[s].is_empty())
        .map(|s| SchoolDistrict {
            school: s,
            pupils: pupils_of[s],
            area: dissolve(&mesh, &chosen[s]),
        })
        .collect()
}

/// The home each piece of the mesh belongs to: a home's own pieces to it;
/// a piece of an outline site to the home across it (the other end of its
/// edge, else the third corner of its triangle), else to the nearest home,
/// so that district borders run straight out to the outline. `homes` are
/// the first sites of the mesh.
pub(super) fn piece_homes(mesh: &DualMesh, homes: &[(f64, f64)], plane: &LocalPlane) -> Vec<usize> {
    let home_tree = RTree::bulk_load(
        homes
            .iter()
            .enumerate()
            .map(|(h, &(lon, lat))| GeomWithData::new(<[f64; 2]>::from(plane.to_plane(lon, lat)), h))
            .collect::<Vec<_>>(),
    );
    let mut nearest_of_site: HashMap<usize, usize> = HashMap::new();
    mesh.pieces
        .iter()
        .map(|piece| {
            let site = piece.site;
            if site < homes.len() {
                return site;
            }
            let nearest = *nearest_of_site.entry(site).or_insert_with(|| {
                let (lon, lat) = mesh.degrees[site];
                home_tree
                    .nearest_neighbor(<[f64; 2]>::from(plane.to_plane(lon, lat)))
                    .map(|n| n.data)
                    .unwrap_or(0)
            });
            let corners = piece.corners;
            let mut across = corners.iter().filter_map(|&c| match mesh.kinds[c] {
                MeshVertex::Midpoint(a, b, _) => Some(if a == site { b } else { a }),
                _ => None,
            });
            let mut third = corners.iter().filter_map(|&c| match mesh.kinds[c] {
                MeshVertex::Centroid(face) => face.iter().copied().find(|&v| v < homes.len()),
                _ => None,
            });
            across.find(|&v| v < homes.len()).or_else(|| third.next()).unwrap_or(nearest)
        })
        .collect()
}

/// The corners of the outline: the convex hull of the homes and of the
/// schools with pupils, thinned so that no two hull corners are closer than
/// a quarter of the margin (which keeps the outline free of nearly straight
/// angles), widened by circles of radius `margin` and hulled again.
pub(super) fn outline(instance: &Instance, homes: &[(f64, f64)], pupils_of: &[u32], plane: &LocalPlane, margin: f64) -> Vec<(f64, f64)> {
    let mut points: Vec<Point<f64>> = homes.iter().map(|&(lon, lat)| plane.to_plane(lon, lat).into()).collect();
    points.extend(
        instance
            .schools
            .iter()
            .zip(pupils_of)
            .filter(|(_, n)| **n > 0)
            .map(|(s, _)| Point::from(plane.to_plane(s.location.lon(), s.location.lat()))),
    );
    let hull = MultiPoint::new(points).convex_hull();
    let mut corners: Vec<Point<f64>> = Vec::new();
    for c in hull.exterior().points() {
        if corners
            .last()
            .is_none_or(|last: &Point<f64>| (c.x() - last.x()).hypot(c.y() - last.y()) >= margin / 4.0)
        {
            corners.push(c);
        }
    }
    let mut widened: Vec<Point<f64>> = Vec::new();
    for c in &corners {
        for k in 0..CIRCLE_POINTS {
            let a = std::f64::consts::TAU * k as f64 / CIRCLE_POINTS as f64;
            widened.push(Point::new(c.x() + margin * a.cos(), c.y() + margin * a.sin()));
        }
    }
    let outline = MultiPoint::new(widened).convex_hull();
    let ring = &outline.exterior().0;
    let ring = &ring[..ring.len().saturating_sub(1)];
    // Points along each edge, at most `margin` apart, on a slight outward
    // bow (2% of the edge): no three of them are nearly on one line.
    let twice_area: f64 = (0..ring.len())
        .map(|i| ring[i].x * ring[(i + 1) % ring.len()].y - ring[(i + 1) % ring.len()].x * ring[i].y)
        .sum();
    let outward = if twice_area >= 0.0 { 1.0 } else { -1.0 };
    let mut result = Vec::new();
    for i in 0..ring.len() {
        let (a, b) = (ring[i], ring[(i + 1) % ring.len()]);
        let length = (b.x - a.x).hypot(b.y - a.y);
        let steps = (length / margin).ceil().max(1.0) as usize;
        let (nx, ny) = (
            outward * (b.y - a.y) / length.max(f64::MIN_POSITIVE),
            -outward * (b.x - a.x) / length.max(f64::MIN_POSITIVE),
        );
        for k in 0..steps {
            let t = k as f64 / steps as f64;
            let bow = 4.0 * 0.02 * length * t * (1.0 - t);
            result.push(plane.to_degrees(a.x + t * (b.x - a.x) + bow * nx, a.y + t * (b.y - a.y) + bow * ny));
        }
    }
    result
}

/// Cuts the cell of a home shared by several schools into runs of wedges,
/// one run per school (ordered by the direction of the school from the home,
/// sized by pupils, at least one wedge each).
fn split_home(
    instance: &Instance,
    mesh: &DualMesh,
    plane: &LocalPlane,
    site: usize,
    own: &[usize],
    schools: &BTreeMap<usize, u32>,
) -> Vec<(usize, usize)> {
    let (hx, hy) = plane.to_plane(mesh.degrees[site].0, mesh.degrees[site].1);
    let direction = |(x, y): (f64, f64)| (y - hy).atan2(x - hx);
    let mut order: Vec<(usize, u32, f64)> = schools
        .iter()
        .map(|(&s, &n)| {
            (
                s,
                n,
                direction(plane.to_plane(instance.schools[s].location.lon(), instance.schools[s].location.lat())),
            )
        })
        .collect();
    order.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.0.cmp(&b.0)));
    let total: u32 = order.iter().map(|o| o.1).sum();
    let start = order[0].2 - std::f64::consts::PI * order[0].1 as f64 / total as f64;
    let mut wedges: Vec<(f64, usize)> = own
        .iter()
        .map(|&p| {
            let corners = mesh.pieces[p].corners.map(|c| plane.to_plane(mesh.degrees[c].0, mesh.degrees[c].1));
            let centre = (
                (corners[0].0 + corners[1].0 + corners[2].0) / 3.0,
                (corners[0].1 + corners[1].1 + corners[2].1) / 3.0,
            );
            ((direction(centre) - start).rem_euclid(std::f64::consts::TAU), p)
        })
        .collect();
    wedges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let counts = apportion(&order.iter().map(|o| o.1).collect::<Vec<_>>(), wedges.len());
    let mut result = Vec::with_capacity(wedges.len());
    let mut next = 0;
    for ((school, _, _), count) in order.iter().zip(counts) {
        for &(_, p) in &wedges[next..next + count] {
            result.push((p, *school));
        }
        next += count;
    }
    result
}

/// Splits `slots` among parties by weight (largest remainder), each party at
/// least one slot while slots last; ties to the earlier party.
fn apportion(weights: &[u32], slots: usize) -> Vec<usize> {
    let n = weights.len();
    if slots <= n {
        return (0..n).map(|i| usize::from(i < slots)).collect();
    }
    let mut counts = vec![1usize; n];
    let free = slots - n;
    let total: u32 = weights.iter().sum();
    let quotas: Vec<f64> = weights.iter().map(|&w| free as f64 * w as f64 / total.max(1) as f64).collect();
    for (c, q) in counts.iter_mut().zip(&quotas) {
        *c += q.floor() as usize;
    }
    let mut left = slots - counts.iter().sum::<usize>();
    let mut by_remainder: Vec<usize> = (0..n).collect();
    by_remainder.sort_by(|&a, &b| {
        (quotas[b] - quotas[b].floor())
            .total_cmp(&(quotas[a] - quotas[a].floor()))
            .then(a.cmp(&b))
    });
    for i in by_remainder {
        if left == 0 {
            break;
        }
        counts[i] += 1;
        left -= 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::apportion;

    #[test]
    fn apportion_gives_each_party_a_slot_and_splits_the_rest_by_weight() {
        assert_eq!(apportion(&[3, 1], 12), vec![9, 3]);
        assert_eq!(apportion(&[1, 1, 1], 2), vec![1, 1, 0]);
        assert_eq!(apportion(&[5, 5], 7), vec![4, 3]);
        assert_eq!(apportion(&[2, 1, 1], 8).iter().sum::<usize>(), 8);
    }
}
