//! Statistics of the ways to school.

use super::publish::Mask;
use crate::model::Instance;
use serde::Serialize;

/// The percentile reported beside the mean (nearest rank): the 95th.
pub const WAY_PERCENTILE: f64 = 0.95;

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
        let p95_m = if n == 0 { 0.0 } else { ways[percentile_rank(n) - 1] };
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

/// The 1-based nearest rank of [`WAY_PERCENTILE`] among `n > 0` sorted ways.
fn percentile_rank(n: usize) -> usize {
    ((WAY_PERCENTILE * n as f64).ceil() as usize).clamp(1, n)
}

/// Which way figures publication withholds (`--publish`, see
/// [`super::publish`]): a figure never concerns fewer pupils than the mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WithheldWays {
    /// The total and the mean: withheld when taken over fewer pupils than the mask.
    pub total_and_mean: bool,
    /// The 95th percentile: withheld when fewer pupils than the mask have a
    /// way at or above it (it is the way of one of them).
    pub percentile: bool,
    /// The longest way: always withheld (it is one pupil's).
    pub longest: bool,
}

impl DistanceStats {
    /// Pupils whose way is at or above the 95th percentile (nearest rank).
    pub fn pupils_from_percentile(&self) -> usize {
        match self.pupils {
            0 => 0,
            n => n - percentile_rank(n) + 1,
        }
    }

    /// What publication under `mask` withholds of these figures.
    pub fn withheld_by(&self, mask: &Mask) -> WithheldWays {
        WithheldWays {
            total_and_mean: mask.hides(self.pupils as u64),
            percentile: self.pupils > 0 && (self.pupils_from_percentile() as u64) < u64::from(mask.below),
            longest: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(pupils: usize) -> DistanceStats {
        DistanceStats {
            pupils,
            total_m: 0.0,
            mean_m: 0.0,
            p95_m: 0.0,
            max_m: 0.0,
            over_acceptable: 0,
        }
    }

    #[test]
    fn the_percentile_is_withheld_while_fewer_than_the_mask_reach_it() {
        let mask = Mask::default();
        // 2,200 pupils: rank 2,090, so 111 pupils at or above it.
        assert_eq!(stats(2_200).pupils_from_percentile(), 111);
        assert!(!stats(2_200).withheld_by(&mask).percentile);
        // 80 pupils: rank 76, 5 pupils at or above it: shown. 79: rank 76, 4: withheld.
        assert_eq!(stats(80).pupils_from_percentile(), 5);
        assert!(!stats(80).withheld_by(&mask).percentile);
        assert_eq!(stats(79).pupils_from_percentile(), 4);
        assert!(stats(79).withheld_by(&mask).percentile);
        // Mean and total over 4 pupils withheld, over 5 shown; the longest way always.
        assert!(stats(4).withheld_by(&mask).total_and_mean);
        assert!(!stats(5).withheld_by(&mask).total_and_mean);
        assert!(stats(2_200).withheld_by(&mask).longest);
    }
}
