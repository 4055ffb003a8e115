//! Whole pupils round the share rule: the cuts they add to `share_within_regime`.
//!
//! A school receives `T` pupils of whom `M` have a migration background,
//! both whole numbers, and at most `cap` pupils in its regime. The rule
//! reads, with threshold `theta`:
//!
//! - full regime: `M <= theta T`, so `M <= floor(theta T)`;
//! - reduced regime: `M > theta T`, so `M >= floor(theta T) + 1`.
//!
//! The LP relaxation knows only the straight lines `M = theta T` (and
//! `M = theta T + eps`), and they meet the capacity at a fractional
//! migrant: with `theta = 0.25` and three classes of 22, `T <= 66` lets the
//! LP send 16.5 migrants where whole pupils allow 16. The convex hull of the
//! whole points `(T, M)` is a polygon; each of its edges other than the
//! share line itself is a valid inequality that the LP violates there:
//!
//! ```text
//! full regime:     M <= a + b T     for each edge (a, b) of the upper hull of (T, floor(theta T)),  0 <= T <= cap
//! reduced regime:  M >= a + b T     for each edge (a, b) of the lower hull of (T, floor(theta T) + 1), 1 <= T <= cap
//! ```
//!
//! With every class count fixed, these edges close most of the gap between
//! a leaf of the regime search and its integer optimum (2026-12-01: a
//! generated city at imbalance 1 whose best leaf lay 2.1 km above its LP
//! bound had an integral LP with them; see `formulation::share_rounding`).
//!
//! Hull vertices are whole points, so every slope is a ratio of whole
//! numbers (`rise / run`), kept exact for the row's meaning ([`ShareCut`]).

/// Share values closer than this to a whole number count as whole: `theta`
/// is a decimal (0.25, 0.3) that binary floating point may hold a hair
/// below its value, and a rounded-down floor would cut off a whole point.
const WHOLE_TOLERANCE: f64 = 1e-9;

/// One edge of the hull: `M <= intercept + (rise / run) T` in the full
/// regime, `M >= intercept + (rise / run) T` in the reduced one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShareCut {
    /// Rise of the edge: migrants between its end points.
    pub rise: u32,
    /// Run of the edge: pupils between its end points (at least 1).
    pub run: u32,
    /// `M` at `T = 0` on the edge's line.
    pub intercept: f64,
}

impl ShareCut {
    /// The slope `rise / run` (migrants per pupil).
    pub fn slope(&self) -> f64 {
        f64::from(self.rise) / f64::from(self.run)
    }
}

/// Most migrants among `pupils` whole pupils in the full regime: `floor(theta T)`.
fn most_migrants(theta: f64, pupils: u32) -> i64 {
    ((theta * f64::from(pupils) + WHOLE_TOLERANCE).floor() as i64).min(i64::from(pupils))
}

/// Fewest migrants among `pupils` whole pupils in the reduced regime:
/// `floor(theta T) + 1` (more than that share).
fn fewest_migrants(theta: f64, pupils: u32) -> i64 {
    (theta * f64::from(pupils) + WHOLE_TOLERANCE).floor() as i64 + 1
}

/// The cuts of the full regime at a school that takes at most `cap` pupils
/// in it: the edges of the upper hull of `(T, floor(theta T))`, less the
/// share line `M = theta T` that the model already has.
pub fn full_regime_cuts(theta: f64, cap: u32) -> Vec<ShareCut> {
    let points: Vec<(i64, i64)> = (0..=cap).map(|t| (i64::from(t), most_migrants(theta, t))).collect();
    let on_share_line = |(t, m): (i64, i64)| (m as f64 - theta * t as f64).abs() <= WHOLE_TOLERANCE;
    edges(&hull(&points, Side::Upper), on_share_line)
}

/// The cuts of the reduced regime at a school that takes at most `cap`
/// pupils in it: the edges of the lower hull of `(T, floor(theta T) + 1)`
/// over the `T` that can hold that many migrants, less the model's share
/// line `M = theta T + eps`.
pub fn reduced_regime_cuts(theta: f64, cap: u32, eps: f64) -> Vec<ShareCut> {
    let points: Vec<(i64, i64)> = (1..=cap)
        .map(|t| (i64::from(t), fewest_migrants(theta, t)))
        .filter(|&(t, m)| m <= t)
        .collect();
    let on_share_line = |(t, m): (i64, i64)| (m as f64 - theta * t as f64 - eps).abs() <= WHOLE_TOLERANCE;
    edges(&hull(&points, Side::Lower), on_share_line)
}

/// Which side of a point set a hull runs along.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Upper,
    Lower,
}

/// The vertices of the upper or lower hull of `points` (sorted by `T`,
/// distinct `T`), left to right; points on an edge are not vertices.
fn hull(points: &[(i64, i64)], side: Side) -> Vec<(i64, i64)> {
    let mut vertices: Vec<(i64, i64)> = Vec::with_capacity(points.len());
    for &p in points {
        while let [.., o, a] = vertices[..] {
            let cross = (a.0 - o.0) * (p.1 - o.1) - (a.1 - o.1) * (p.0 - o.0);
            // Upper hull: `a` is a vertex only if `p` turns right from o -> a.
            let a_inside = match side {
                Side::Upper => cross >= 0,
                Side::Lower => cross <= 0,
            };
            if !a_inside {
                break;
            }
            vertices.pop();
        }
        vertices.push(p);
    }
    vertices
}

/// The edges between consecutive hull `vertices`, less those whose both
/// ends lie on the model's own share line (`on_share_line`). A hull of one
/// vertex `(T, M)` (a single whole point) gives the flat cut through it.
fn edges(vertices: &[(i64, i64)], on_share_line: impl Fn((i64, i64)) -> bool) -> Vec<ShareCut> {
    if let [only] = vertices {
        return if on_share_line(*only) {
            Vec::new()
        } else {
            vec![ShareCut {
                rise: 0,
                run: 1,
                intercept: only.1 as f64,
            }]
        };
    }
    vertices
        .windows(2)
        .filter(|pair| !(on_share_line(pair[0]) && on_share_line(pair[1])))
        .map(|pair| {
            let ((t1, m1), (t2, m2)) = (pair[0], pair[1]);
            let (rise, run) = ((m2 - m1) as u32, (t2 - t1) as u32);
            let intercept = m1 as f64 - f64::from(rise) * t1 as f64 / f64::from(run);
            ShareCut { rise, run, intercept }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every whole point of the regime satisfies every cut, and a cut is
    /// tight (within rounding) at two of them at least (at the one, if one).
    fn assert_valid(cuts: &[ShareCut], points: &[(u32, i64)], upper: bool) {
        for cut in cuts {
            let line = |t: u32| cut.intercept + cut.slope() * f64::from(t);
            let mut tight = 0;
            for &(t, m) in points {
                let gap = if upper { line(t) - m as f64 } else { m as f64 - line(t) };
                assert!(gap >= -1e-9, "cut {cut:?} cuts off the whole point ({t}, {m})");
                tight += usize::from(gap.abs() < 1e-9);
            }
            assert!(tight >= 2.min(points.len()), "cut {cut:?} is not an edge of the hull");
        }
    }

    #[test]
    fn three_classes_of_22_allow_16_migrants_not_16_and_a_half() {
        // Upper hull of (T, floor(T/4)), T <= 66: the share line up to
        // (64, 16), then flat to (66, 16).
        let cuts = full_regime_cuts(0.25, 66);
        assert_eq!(
            cuts,
            vec![ShareCut {
                rise: 0,
                run: 2,
                intercept: 16.0
            }]
        );
    }

    #[test]
    fn a_capacity_on_the_share_line_needs_no_cut() {
        assert!(full_regime_cuts(0.25, 44).is_empty());
        assert!(full_regime_cuts(0.25, 88).is_empty());
    }

    #[test]
    fn reduced_regime_of_two_classes_of_17() {
        // Fewest migrants floor(T/4) + 1 for T = 1..34: the lower hull runs
        // (1,1) -> (3,1) flat, then along M = (T + 1) / 4 (the share line
        // with eps = 1/4) to (31, 8), then up to (34, 9).
        let cuts = reduced_regime_cuts(0.25, 34, 0.25);
        assert_eq!(cuts.len(), 2);
        assert_eq!((cuts[0].rise, cuts[0].run, cuts[0].intercept), (0, 2, 1.0));
        assert_eq!((cuts[1].rise, cuts[1].run), (1, 3));
        assert!((cuts[1].intercept - (8.0 - 31.0 / 3.0)).abs() < 1e-12);
    }

    /// Every whole point `(T, M)`, `0 <= M <= T <= cap`, that the model's
    /// own share rows admit (enumerated, not taken from the hull's floors).
    fn whole_points(cap: u32, admits: impl Fn(f64, f64) -> bool) -> Vec<(u32, i64)> {
        (0..=cap)
            .flat_map(|t| (0..=i64::from(t)).map(move |m| (t, m)))
            .filter(|&(t, m)| admits(f64::from(t), m as f64))
            .collect()
    }

    #[test]
    fn cuts_hold_every_whole_point_for_many_thresholds_and_capacities() {
        for theta in [0.1, 0.2, 0.25, 0.3, 1.0 / 3.0, 0.35, 0.4, 0.5, 0.7] {
            let eps = crate::solve::formulation::share_epsilon(theta, 200);
            for cap in 1..=120 {
                let full = whole_points(cap, |t, m| m - theta * t <= 1e-7);
                assert_valid(&full_regime_cuts(theta, cap), &full, true);
                let reduced = whole_points(cap, |t, m| m - theta * t >= eps - 1e-7);
                assert_valid(&reduced_regime_cuts(theta, cap, eps), &reduced, false);
                // At capacity the cuts allow no more (full) or no fewer
                // (reduced) migrants than whole pupils do.
                let most = full.iter().filter(|p| p.0 == cap).map(|p| p.1).max().unwrap();
                let line_at_cap = |c: &ShareCut| c.intercept + c.slope() * f64::from(cap);
                let lp_most = full_regime_cuts(theta, cap)
                    .iter()
                    .map(line_at_cap)
                    .fold(theta * f64::from(cap), f64::min);
                assert!((lp_most - most as f64).abs() < 1e-9, "theta {theta} cap {cap}: {lp_most} vs {most}");
                if let Some(fewest) = reduced.iter().filter(|p| p.0 == cap).map(|p| p.1).min() {
                    let lp_fewest = reduced_regime_cuts(theta, cap, eps)
                        .iter()
                        .map(line_at_cap)
                        .fold(theta * f64::from(cap) + eps, f64::max);
                    assert!(
                        (lp_fewest - fewest as f64).abs() < 1e-9,
                        "theta {theta} cap {cap}: {lp_fewest} vs {fewest}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_lp_corner_at_capacity_is_cut_off() {
        // theta = 0.3, cap = 45: the LP may send 13.5 migrants; whole pupils 13.
        let cuts = full_regime_cuts(0.3, 45);
        let at_cap = cuts.iter().map(|c| c.intercept + c.slope() * 45.0).fold(f64::INFINITY, f64::min);
        assert!((at_cap - 13.0).abs() < 1e-9, "{cuts:?}");
    }
}
