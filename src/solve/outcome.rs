//! What a solve produces: the assignment and the solver's evidence.

use crate::model::Instance;
use serde::Serialize;

/// How a solve ended, as written to `summary.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveStatus {
    /// Proven optimal: no assignment has a smaller objective (gap 0 within
    /// HiGHS's tolerances).
    Optimal,
    /// Stopped at the relative gap `mip_gap` the scenario allows: the
    /// assignment is at most that far above the optimum, not proven optimal.
    GapLimit,
    /// Stopped by the time limit; the best assignment found, if any, is returned.
    TimeLimit,
    /// No assignment satisfies the rules.
    Infeasible,
}

impl SolveStatus {
    /// The word used in outputs.
    pub fn as_str(&self) -> &'static str {
        match self {
            SolveStatus::Optimal => "optimal",
            SolveStatus::GapLimit => "gap_limit",
            SolveStatus::TimeLimit => "time_limit",
            SolveStatus::Infeasible => "infeasible",
        }
    }
}

/// Every pupil's school: `school_of[p]` is the school index of pupil `p`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// School index per pupil index.
    pub school_of: Vec<usize>,
}

/// Size of the model that was solved.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ModelStats {
    /// Groups of pupils decided together.
    pub groups: usize,
    /// Arc variables in the final model.
    pub arcs: usize,
    /// Columns (variables) of the final model.
    pub columns: usize,
    /// Rows (constraints) of the final model.
    pub rows: usize,
    /// LP pricing rounds.
    pub lp_rounds: usize,
    /// MIP rounds (more than 1 when the certificate added arcs).
    pub mip_rounds: usize,
    /// Whether the final model holds every allowed arc (pruning fell back).
    pub all_arcs: bool,
    /// Independent parts solved separately (0 or 1: undivided).
    pub components: usize,
    /// Schools whose regime probing fixed before the last integer program
    /// (intake basis, see `solve::probing`).
    pub regimes_fixed: usize,
    /// Nodes of the search over the regimes probing left open.
    pub regime_nodes: usize,
    /// Whether the LP optimum was integral, so that no integer program was
    /// solved (all parts, when decomposed).
    pub integral_lp: bool,
    /// Whether the transportation case was solved as a min-cost flow
    /// (network simplex) instead of an LP (see `solve::transport`).
    pub network_flow: bool,
    /// Pivots of the network simplex, over all rounds.
    pub flow_pivots: u64,
    /// With `contiguous`: integer programs solved, each with the cuts found
    /// so far (see `solve::contiguity`).
    #[serde(skip_serializing_if = "is_zero")]
    pub cut_rounds: usize,
    /// With `contiguous`: separator cuts added in all.
    #[serde(skip_serializing_if = "is_zero")]
    pub contiguity_cuts: usize,
    /// With `contiguous`: the total way of the optimum without the
    /// contiguity rule (metres; absent when that optimum was not proven).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unconstrained_way_m: Option<f64>,
    /// With free class counts: the Lagrangian bound that chose the integer
    /// program's arcs (metres; see `solve::lagrange`), absent when not used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lagrangian_bound_m: Option<f64>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// An objective this close to its bound (metres; HiGHS's default absolute
/// MIP gap) counts as proven optimal when the scenario allows a `mip_gap`.
pub const ZERO_GAP_M: f64 = 1e-6;

/// How far (relative to the objective) an assignment's recomputed total way
/// may lie above the bound of a proof at `mip_gap = 0` and still count as
/// that proof's optimum: the rounding of sums of ways and the flow core's
/// micrometre costs, far below any way. Beyond it, the values handed back
/// are not those the solver proved optimal, and `optimal` is not claimed.
pub const PROOF_TOLERANCE_REL: f64 = 1e-7;

/// Relative gap `(objective - bound) / |objective|`, 0 for a zero objective.
pub fn relative_gap(objective: f64, bound: f64) -> f64 {
    if objective.abs() > 0.0 {
        ((objective - bound) / objective.abs()).max(0.0)
    } else {
        0.0
    }
}

/// The result of [`super::solve`].
#[derive(Debug, Clone)]
pub struct SolveOutcome {
    /// How it ended.
    pub status: SolveStatus,
    /// The assignment (absent when infeasible or when no solution was found in time).
    pub assignment: Option<Assignment>,
    /// Total way to school of the assignment, in metres.
    pub objective_m: Option<f64>,
    /// Proven lower bound on the total way, in metres.
    pub bound_m: Option<f64>,
    /// Relative gap `(objective - bound) / objective` (0 when proven optimal).
    pub gap: Option<f64>,
    /// Wall-clock seconds spent solving.
    pub solve_seconds: f64,
    /// Seconds inside HiGHS (summed over parts solved in parallel); the rest
    /// of `solve_seconds` is model building, pricing and bookkeeping.
    pub highs_seconds: f64,
    /// Model size.
    pub stats: ModelStats,
}

impl SolveOutcome {
    /// An outcome with an assignment. Its `objective_m` is the cost of the
    /// assignment itself ([`super::candidates::assignment_cost_m`]), the
    /// bound is capped by it. `proven` says that HiGHS ended at optimality
    /// within `mip_gap` and the certificate holds; the status is then
    /// `Optimal` only if the gap is zero (with `mip_gap = 0`, HiGHS's proof,
    /// provided the assignment's own total is within [`PROOF_TOLERANCE_REL`]
    /// of the bound; otherwise objective and bound within [`ZERO_GAP_M`]),
    /// else `GapLimit`.
    /// Without `proven` it is `TimeLimit`.
    pub fn with_assignment(
        instance: &Instance,
        assignment: Assignment,
        proven: bool,
        bound_m: Option<f64>,
        seconds: (f64, f64),
        stats: ModelStats,
    ) -> Self {
        let objective = super::candidates::assignment_cost_m(instance, &assignment.school_of);
        // A bound within the zero gap of the objective is the objective: the
        // difference is the rounding of two sums of the same ways.
        let bound = bound_m.map(|b| if objective - b <= ZERO_GAP_M { objective } else { b });
        let within_proof = |b: f64| objective - b <= ZERO_GAP_M.max(PROOF_TOLERANCE_REL * objective.abs());
        let status = match (proven, bound) {
            (true, b) if instance.solver.mip_gap == 0.0 && b.is_none_or(within_proof) => SolveStatus::Optimal,
            (true, Some(b)) if objective - b <= ZERO_GAP_M => SolveStatus::Optimal,
            (true, _) => SolveStatus::GapLimit,
            (false, _) => SolveStatus::TimeLimit,
        };
        Self {
            status,
            assignment: Some(assignment),
            objective_m: Some(objective),
            bound_m: bound,
            // Proven optimal is gap 0 by definition; what is left is rounding.
            gap: if status == SolveStatus::Optimal {
                Some(0.0)
            } else {
                bound.map(|b| relative_gap(objective, b))
            },
            solve_seconds: seconds.0,
            highs_seconds: seconds.1,
            stats,
        }
    }

    /// An outcome without an assignment: infeasible, or out of time before any was found.
    pub fn without_assignment(status: SolveStatus, stats: ModelStats, solve_seconds: f64, highs_seconds: f64) -> Self {
        Self {
            status,
            assignment: None,
            objective_m: None,
            bound_m: None,
            gap: None,
            solve_seconds,
            highs_seconds,
            stats,
        }
    }
}
