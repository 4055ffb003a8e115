//! Statistics of the ways to school.

use crate::model::Instance;
use serde::Serialize;

/// Way-to-school figures of an assignment (metres).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistanceStats {
    /// Pupils whose ways are counted: all, unless a district plan leaves
    /// some out (then every figure here is partial).
    pub pupils: usize,
    /// Sum over pupils.
    pub total_m: f64,
    /// Mean per pupil.
    pub mean_m: f64,
    /// 95th percentile (nearest-rank).
    pub p95_m: f64,
    /// Longest way.
    pub max_m: f64,
    /// Pupils whose way is longer than the acceptable way (`acceptable_way_m`, default 2 km).
    pub over_acceptable: usize,
}

impl DistanceStats {
    /// Computes the figures; `school_of[p]` is pupil `p`'s school.
    pub fn of(instance: &Instance, school_of: &[usize]) -> Self {
        let mut ways: Vec<f64> = school_of
            .iter()
            .enumerate()
            .map(|(p, &s)| instance.way_m(p, s).unwrap_or(f64::INFINITY))
            .collect();
        let total_m: f64 = ways.iter().sum();
        let over_acceptable = ways.iter().filter(|&&d| d > instance.rules.acceptable_way_m).count();
        ways.sort_by(f64::total_cmp);
        let n = ways.len();
        let p95_m = if n == 0 {
            0.0
        } else {
            ways[((0.95 * n as f64).ceil() as usize).clamp(1, n) - 1]
        };
        Self {
            pupils: n,
            total_m,
            mean_m: if n == 0 { 0.0 } else { total_m / n as f64 },
            p95_m,
            max_m: ways.last().copied().unwrap_or(0.0),
            over_acceptable,
        }
    }
}
