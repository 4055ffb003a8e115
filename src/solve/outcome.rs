//! What a solve produces: the assignment and the solver's evidence.

use serde::Serialize;

/// How a solve ended, as written to `summary.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveStatus {
    /// Proven optimal (within `mip_gap`, which defaults to 0).
    Optimal,
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
}

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
