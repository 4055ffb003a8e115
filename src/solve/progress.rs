//! What a running solve tells about itself while it runs: the pricing round
//! and the size of its model, and inside HiGHS's branch and bound the best
//! solution so far, the best bound and the gap between them. The library
//! never prints: a caller that wants to show progress (the command line's
//! spinner) passes an [`Observer`] with the [`super::Deadline`] of the
//! solve, and every stage tells it what it is doing. Without an observer
//! nothing is computed for it.

/// One thing a running solve reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Progress {
    /// An LP (or min-cost flow) pricing round is being solved.
    PricingRound {
        /// Round number, from 1.
        round: usize,
        /// Candidate arcs in the model of this round.
        arcs: usize,
    },
    /// An integer program round is being solved over the candidate arcs.
    IntegerRound {
        /// Round number, from 1.
        round: usize,
        /// Candidate arcs in the model of this round.
        arcs: usize,
        /// Lower bound on the total way from the converged LP (metres).
        lp_bound_m: Option<f64>,
    },
    /// HiGHS's branch and bound, as it goes.
    Branching {
        /// Total way of the best integer solution found so far (metres).
        incumbent_m: Option<f64>,
        /// Best proven lower bound on the total way of this model (metres).
        bound_m: Option<f64>,
        /// Relative gap between the two, as HiGHS computes it.
        gap: Option<f64>,
        /// Branch-and-bound nodes explored so far.
        nodes: u64,
    },
}

/// Receives the progress of a solve. Called from the solving threads
/// (several at once when parts of a city are solved in parallel), so it must
/// be quick and thread-safe; it must not panic.
pub type Observer = dyn Fn(&Progress) + Send + Sync;
