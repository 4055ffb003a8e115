//! The reference formulation: one variable per pupil and school, every
//! allowed school for every pupil, no merging of identical pupils, no
//! candidate pruning, no decomposition — one HiGHS run on the plain model.
//!
//! It is what a first implementation would write, and it is kept as the
//! baseline that benchmarks compare the certified solve against (same
//! optimum, see the tests) and as a cross-check for auditors.

use super::candidates::all_arcs;
use super::formulation::{build_plain, disaggregate};
use super::groups::unmerged_groups;
use super::highs_run::{RunSettings, RunStatus, run};
use super::{Deadline, ModelStats, SolveError, SolveOutcome, SolveStatus};
use crate::model::Instance;
use std::time::Instant;

/// Solves the plain model of the instance with HiGHS.
pub fn solve_plain(instance: &Instance) -> Result<SolveOutcome, SolveError> {
    solve_plain_until(instance, Deadline::after(instance.solver.time_limit_s))
}

/// [`solve_plain`] that ends by `deadline`.
pub fn solve_plain_until(instance: &Instance, deadline: Deadline) -> Result<SolveOutcome, SolveError> {
    let started = Instant::now();
    SolveError::ensure_not_empty(instance)?;
    let groups = unmerged_groups(instance);
    let arcs = (0..groups.len()).flat_map(|g| all_arcs(instance, &groups, g)).collect();
    let model = build_plain(instance, &groups, arcs);
    let stats = ModelStats {
        groups: groups.len(),
        arcs: model.arcs.len(),
        columns: model.columns.len(),
        rows: model.rows.len(),
        mip_rounds: 1,
        all_arcs: true,
        components: 1,
        lp_rounds: 0,
        regimes_fixed: 0,
        regime_nodes: 0,
        integral_lp: false,
        network_flow: false,
        flow_pivots: 0,
        ..ModelStats::default()
    };
    let (model_arcs, model_columns) = (model.arcs.clone(), model.columns.clone());
    let settings = RunSettings {
        deadline,
        mip_gap: instance.solver.mip_gap,
        threads: instance.solver.threads,
        node_limit: None,
        cutoff: None,
        primal_heuristics: true,
    };
    let result = run(model.problem, &settings, true)?;
    let seconds = (started.elapsed().as_secs_f64(), result.seconds);
    let outcome = match (result.status, result.columns.as_deref()) {
        (RunStatus::Infeasible, _) => SolveOutcome::without_assignment(SolveStatus::Infeasible, stats, seconds.0, seconds.1),
        (status, Some(columns)) => {
            let assignment = disaggregate(instance, &groups, &model_arcs, &model_columns, columns);
            SolveOutcome::with_assignment(instance, assignment, status == RunStatus::Optimal, result.bound, seconds, stats)
        }
        (_, None) => SolveOutcome::without_assignment(SolveStatus::TimeLimit, stats, seconds.0, seconds.1),
    };
    Ok(outcome)
}
