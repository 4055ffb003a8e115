//! Running HiGHS on a built model and reading back what it proved.

use super::SolveError;
use good_lp::solvers::highs::HighsProblem;
use highs::HighsModelStatus;
use std::time::Instant;

/// How one HiGHS run is configured.
#[derive(Debug, Clone, Copy)]
pub struct RunSettings {
    /// Seconds this run may take (`None`: no limit).
    pub time_limit_s: Option<f64>,
    /// Relative gap at which the MIP stops.
    pub mip_gap: f64,
    /// Threads HiGHS may use.
    pub threads: u32,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    /// Solved to optimality (within the requested gap).
    Optimal,
    /// Stopped by the time limit.
    TimeLimit,
    /// Proven infeasible.
    Infeasible,
}

/// What one HiGHS run produced.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// How it ended.
    pub status: RunStatus,
    /// Column values, when a feasible solution exists.
    pub columns: Option<Vec<f64>>,
    /// Row duals (LP runs only).
    pub row_duals: Vec<f64>,
    /// Column duals = reduced costs (LP runs only).
    pub column_duals: Vec<f64>,
    /// Objective of the solution (metres).
    pub objective: Option<f64>,
    /// Best proven lower bound (metres): the MIP dual bound, or the LP optimum.
    pub bound: Option<f64>,
    /// Wall-clock seconds of the run.
    pub seconds: f64,
}

/// Solves `problem` with HiGHS. `is_mip` tells whether to read MIP information.
pub fn run(problem: HighsProblem, settings: &RunSettings, is_mip: bool) -> Result<RunResult, SolveError> {
    let started = Instant::now();
    let mut model = problem.try_into_inner().map_err(|e| SolveError::Highs(e.to_string()))?;
    model.make_quiet();
    let option_error = |name: &str| SolveError::Highs(format!("cannot set option {name}"));
    model
        .try_set_option("mip_rel_gap", settings.mip_gap)
        .map_err(|_| option_error("mip_rel_gap"))?;
    model
        .try_set_option("threads", settings.threads as i32)
        .map_err(|_| option_error("threads"))?;
    model.try_set_option("random_seed", 0).map_err(|_| option_error("random_seed"))?;
    // HiGHS's enumeration presolve (rule bit 16) can drop an equality clique
    // such as a group's `every_pupil_once` row and then stop with a solve
    // error on a feasible model (ERGO-Code/HiGHS#3216): keep that rule off.
    model
        .try_set_option("presolve_rule_off", 65536)
        .map_err(|_| option_error("presolve_rule_off"))?;
    if let Some(limit) = settings.time_limit_s {
        model
            .try_set_option("time_limit", limit.max(0.01))
            .map_err(|_| option_error("time_limit"))?;
    }
    let solved = model.try_solve().map_err(|e| SolveError::Highs(format!("{e:?}")))?;
    let status = match solved.status() {
        HighsModelStatus::Optimal | HighsModelStatus::ObjectiveBound | HighsModelStatus::ObjectiveTarget => RunStatus::Optimal,
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => RunStatus::Infeasible,
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedMemoryLimit => RunStatus::TimeLimit,
        other => return Err(SolveError::Highs(format!("unexpected model status {other:?}"))),
    };
    let feasible = solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
    let solution = solved.get_solution();
    let objective = (feasible && status != RunStatus::Infeasible).then(|| solved.objective_value());
    let bound = if is_mip {
        solved.double_info_value(c"mip_dual_bound").ok().filter(|b| b.is_finite())
    } else if status == RunStatus::Optimal {
        objective
    } else {
        None
    };
    Ok(RunResult {
        status,
        columns: objective.map(|_| solution.columns().to_vec()),
        row_duals: if is_mip { Vec::new() } else { solution.dual_rows().to_vec() },
        column_duals: if is_mip { Vec::new() } else { solution.dual_columns().to_vec() },
        objective,
        bound,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The version of the HiGHS library linked in, e.g. `1.11.0`.
pub fn highs_version() -> String {
    // SAFETY: these functions only return compile-time constants of the library.
    let (major, minor, patch) = unsafe {
        (
            highs_sys::Highs_versionMajor(),
            highs_sys::Highs_versionMinor(),
            highs_sys::Highs_versionPatch(),
        )
    };
    format!("{major}.{minor}.{patch}")
}
