//! Certified candidate pruning around HiGHS.
//!
//! The model starts with a few candidate schools per group. Pruning must never
//! make a feasible instance infeasible or an optimum worse; this is how it is
//! guaranteed (LP duality, "pricing"):
//!
//! 1. Solve the LP relaxation over the current arcs. With its row duals, the
//!    reduced cost of every left-out arc `(g, s)` is
//!    `rc = c_gs - u_g - a_g P_s - (mu_g - theta a_g) Q_s`, where `u_g` is the
//!    dual of the group's `every_pupil_once` row, `P_s` the sum of the duals of
//!    the school's capacity and minimum-size rows, and `Q_s` that of its share
//!    rows. Arcs with `rc < 0` are added and the LP solved again, until none
//!    is left: the LP value `z_LP` is then the LP optimum over *all* arcs.
//! 2. Solve the integer program over the current arcs; its value is `z_IP`.
//!    For any solution that uses a left-out arc `a`, LP duality gives
//!    `cost >= z_LP + rc_a`. Every left-out arc with `rc_a < z_IP - z_LP` is
//!    added and the integer program solved again. When none is left, no
//!    solution using a pruned arc can beat `z_IP`: the optimum is the optimum
//!    of the full problem.
//! 3. If a restricted LP or integer program is infeasible, every allowed arc
//!    is put in, so infeasibility is always decided on the full problem.
//!
//! Left-out arcs are searched in increasing distance with an R-tree and a
//! lower bound on the reduced cost, so pricing never scans all schools.

use super::candidates::{Arc, SchoolTree, all_arcs, initial_arcs};
use super::formulation::{Formulation, build, build_lp_with_unassigned, build_mip, build_with_regimes, disaggregate};
use super::groups::{Group, build_groups};
use super::highs_run::{RunResult, RunSettings, RunStatus, run, run_fixed, run_from};
use super::pricing::{Duals, PRICING_TOLERANCE, add_priced_arcs};
use super::probing::RegimeLp;
use super::warm_start::{ColumnMap, Incumbent, regime_start, rounded_regimes};
use super::{Deadline, ModelStats, SolveError, SolveOutcome, SolveStatus};
use crate::model::{Instance, MigrationBasis};
use rayon::prelude::*;
use std::time::Instant;

/// Most nodes and most leaves of the search over open regimes before HiGHS
/// takes over (see `probing`).
const REGIME_SEARCH_LIMITS: (usize, usize) = (2_000, 8);
/// Most branch-and-bound nodes of a heuristic integer program (the start and
/// each leaf of the regime search); a leaf that needs more ends the search.
const HEURISTIC_NODE_LIMIT: u64 = 100;
/// An LP value this close to an integer counts as integral (HiGHS's own
/// `mip_feasibility_tolerance`).
const INTEGRALITY_TOLERANCE: f64 = 1e-6;
/// The first price of an unassigned pupil, as a multiple of the longest candidate way.
const UNASSIGNED_PRICE_FACTOR: f64 = 4.0;
/// The price of an unassigned pupil stops rising at this multiple of the
/// instance's extent; beyond it, the exact LP without unassigned pupils decides.
const UNASSIGNED_PRICE_LIMIT_FACTOR: f64 = 10.0;

/// Great-circle length of the diagonal of the box around all homes and schools:
/// no way in the instance is longer.
fn extent_m(instance: &Instance) -> f64 {
    let points = instance
        .pupils
        .iter()
        .map(|p| p.location)
        .chain(instance.schools.iter().map(|s| s.location));
    let (mut lat0, mut lat1, mut lon0, mut lon1) = (90.0_f64, -90.0_f64, 180.0_f64, -180.0_f64);
    for p in points {
        lat0 = lat0.min(p.lat());
        lat1 = lat1.max(p.lat());
        lon0 = lon0.min(p.lon());
        lon1 = lon1.max(p.lon());
    }
    match (crate::model::Location::new(lat0, lon0), crate::model::Location::new(lat1, lon1)) {
        (Some(a), Some(b)) => a.distance_m(&b),
        _ => 0.0,
    }
}

/// The longest way per pupil of any arc in the current candidate sets.
fn longest_candidate_way(groups: &[Group], arcs: &[Vec<Arc>]) -> f64 {
    arcs.iter()
        .flatten()
        .map(|a| a.cost_m / groups[a.group].seats_per_unit())
        .fold(0.0, f64::max)
}

/// A certified solve of one instance, with what a caller needs to certify a
/// combination of several (see [`super::decompose`]).
pub struct Certified {
    /// The result.
    pub outcome: SolveOutcome,
    /// Row duals of the converged LP (absent when the LP stage did not finish).
    pub duals: Option<Duals>,
    /// The groups the duals refer to.
    pub groups: Vec<Group>,
}

/// Solves the instance to proven optimality (or to the time limit), with
/// candidate pruning certified by LP duality.
pub fn solve_certified(instance: &Instance) -> Result<Certified, SolveError> {
    solve_certified_until(instance, Deadline::after(instance.solver.time_limit_s))
}

/// [`solve_certified`] that ends by `deadline`.
pub fn solve_certified_until(instance: &Instance, deadline: Deadline) -> Result<Certified, SolveError> {
    let groups = build_groups(instance);
    let (outcome, duals) = solve_groups(instance, &groups, deadline)?;
    Ok(Certified { outcome, duals, groups })
}

fn solve_groups(instance: &Instance, groups: &[Group], deadline: Deadline) -> Result<(SolveOutcome, Option<Duals>), SolveError> {
    let started = Instant::now();
    SolveError::ensure_not_empty(instance)?;
    let tree = SchoolTree::new(instance);
    let mut arcs: Vec<Vec<Arc>> = (0..groups.len())
        .into_par_iter()
        .map(|g| initial_arcs(instance, groups, &tree, g))
        .collect();
    let mut stats = ModelStats {
        groups: groups.len(),
        ..ModelStats::default()
    };
    let mut highs_seconds = 0.0;
    let infeasible = |stats: ModelStats, highs_seconds: f64| {
        SolveOutcome::without_assignment(SolveStatus::Infeasible, stats, started.elapsed().as_secs_f64(), highs_seconds)
    };
    if arcs.iter().any(|a| a.is_empty()) {
        // A group whose initial arcs are empty has no allowed arc at all
        // (lock beyond the distance limit, or no school within it).
        return Ok((infeasible(stats, highs_seconds), None));
    }
    let settings = |relaxed: bool| RunSettings {
        deadline,
        mip_gap: if relaxed { 0.0 } else { instance.solver.mip_gap },
        threads: instance.solver.threads,
        node_limit: None,
    };
    // Heuristic integer programs (start, leaves of the regime search) stop
    // after a fixed amount of work. They run at gap 0 whatever `mip_gap`
    // allows: a leaf the search counts as solved must be solved exactly, or
    // the search's proof (and the bound it reports) would not hold.
    let heuristic = || RunSettings {
        node_limit: Some(HEURISTIC_NODE_LIMIT),
        ..settings(true)
    };

    // Stage 1: LP pricing. Unassigned pupils are allowed at a price far above
    // any candidate way, so the LP stays feasible however few the candidates;
    // if some remain unassigned once no arc prices out, the price goes up.
    let mut price = UNASSIGNED_PRICE_FACTOR * longest_candidate_way(groups, &arcs) + 1_000.0;
    let price_limit = UNASSIGNED_PRICE_LIMIT_FACTOR * extent_m(instance) + 10_000.0;
    let mut with_unassigned = true;
    let intake = instance.rules.migration_basis == MigrationBasis::Intake;
    let (duals, regimes) = loop {
        stats.lp_rounds += 1;
        let model = if with_unassigned {
            build_lp_with_unassigned(instance, groups, arcs.concat(), price)
        } else {
            build(instance, groups, arcs.concat(), true)
        };
        let map = intake.then(|| ColumnMap::of(&model));
        let Formulation {
            problem,
            arcs: lp_arcs,
            x: lp_vars,
            rows,
            unassigned,
            columns: lp_columns,
            ..
        } = model;
        let result = run(problem, &settings(true), false)?;
        highs_seconds += result.seconds;
        match result.status {
            RunStatus::Optimal => {}
            RunStatus::Infeasible if !stats.all_arcs => {
                arcs = every_allowed_arc(instance, groups);
                stats.all_arcs = true;
                continue;
            }
            RunStatus::Infeasible => return Ok((infeasible(stats, highs_seconds), None)),
            RunStatus::TimeLimit => return Ok((time_out(stats, started, highs_seconds), None)),
        }
        let duals = Duals::new(instance, groups, &rows, &result);
        if add_priced_arcs(instance, groups, &tree, &duals, &mut arcs, 0.0) > 0 {
            continue;
        }
        let columns = result.columns.as_deref().unwrap_or(&[]);
        let left_unassigned: f64 = unassigned.iter().map(|&c| columns.get(c).copied().unwrap_or(0.0)).sum();
        if left_unassigned <= 1e-6 {
            if instance.solver.integral_lp_shortcut && is_integral(columns) {
                // The LP optimum over all arcs is integral: it is a solution
                // of the integer program with the value of its relaxation, so
                // it is optimal and no integer program is needed.
                stats.arcs = lp_arcs.len();
                (stats.columns, stats.rows) = (lp_columns, rows.len());
                stats.integral_lp = true;
                let assignment = disaggregate(instance, groups, &lp_arcs, &lp_vars, columns);
                let seconds = (started.elapsed().as_secs_f64(), highs_seconds);
                let outcome = SolveOutcome::with_assignment(instance, assignment, true, Some(duals.lp_value), seconds, stats);
                return Ok((outcome, Some(duals)));
            }
            break (
                duals,
                map.map(|m| rounded_regimes(&m, groups, columns, instance.rules.migration_threshold)),
            );
        }
        if price < price_limit {
            price = (price * 10.0).min(price_limit);
        } else {
            // Pupils stay unassigned at a price above any way: let the exact
            // LP over every allowed arc decide.
            arcs = every_allowed_arc(instance, groups);
            stats.all_arcs = true;
            with_unassigned = false;
        }
    };

    // Stage 2: the integer program, widened until the certificate holds.
    // Each round starts from a solution (see `warm_start`): the first from
    // the regimes of the LP (intake basis), later ones from the round before;
    // with the intake basis, probing fixes the regimes it can decide.
    let mut incumbent: Option<Incumbent> = None;
    loop {
        stats.mip_rounds += 1;
        if incumbent.is_none()
            && let Some(regimes) = regimes.as_deref().filter(|_| instance.solver.warm_start)
        {
            let (start, _, seconds) = regime_start(instance, groups, arcs.concat(), regimes, &heuristic())?;
            highs_seconds += seconds;
            incumbent = start;
        }
        let model_arcs = match &incumbent {
            Some(start) => arcs_within_reach(instance, groups, &duals, &arcs, start),
            None => arcs.concat(),
        };
        let mut fixed = Vec::new();
        let mut proven = false;
        if let Some(start) = incumbent.take() {
            match start.regimes().filter(|_| instance.solver.warm_start) {
                Some(regimes) => {
                    let mut lp = RegimeLp::new(instance, groups, model_arcs.clone(), &settings(true))?;
                    let decided = lp.decide(&regimes, start.objective)?;
                    let search = lp.search(instance, groups, &model_arcs, &decided, start, &heuristic(), REGIME_SEARCH_LIMITS)?;
                    highs_seconds += lp.seconds;
                    stats.regimes_fixed = decided.iter().filter(|d| d.0.is_some()).count();
                    stats.regime_nodes += search.nodes;
                    fixed = decided.into_iter().map(|d| d.0).collect();
                    proven = search.complete;
                    incumbent = Some(search.best);
                }
                None => incumbent = Some(start),
            }
        }
        let model = if fixed.is_empty() {
            build_mip(instance, groups, model_arcs)
        } else {
            build_with_regimes(instance, groups, model_arcs, &fixed)
        };
        stats.arcs = model.arcs.len();
        stats.columns = model.columns;
        stats.rows = model.rows.len();
        let map = ColumnMap::of(&model);
        let start = incumbent.as_ref().map(|i| i.columns_for(&map, model.columns));
        let continuous_flows = model.continuous_flows;
        let Formulation {
            problem,
            arcs: model_arcs,
            x: arc_vars,
            ..
        } = model;
        let result = match (proven, start) {
            (true, Some(columns)) => {
                // The regime search proved the start optimal over these arcs.
                let objective = incumbent.as_ref().map(|i| i.objective);
                RunResult {
                    status: RunStatus::Optimal,
                    columns: Some(columns),
                    row_duals: Vec::new(),
                    column_duals: Vec::new(),
                    objective,
                    bound: objective,
                    seconds: 0.0,
                }
            }
            (_, start) => run_from(problem, &settings(false), true, start.as_deref())?,
        };
        highs_seconds += result.seconds;
        let result = match &result.columns {
            Some(columns) if continuous_flows && !map.arc_columns().all(|c| is_whole(columns[c])) => {
                let whole = whole_pupils(instance, groups, model_arcs.clone(), &map, columns, &settings(false))?;
                highs_seconds += whole.seconds;
                if whole.columns.is_none() {
                    return Err(SolveError::Highs(
                        "no whole-pupil solution at the integer program's class counts".into(),
                    ));
                }
                // What HiGHS proved (optimal or not, the bound) stays that of the first run.
                RunResult {
                    status: result.status,
                    bound: result.bound,
                    ..whole
                }
            }
            _ => result,
        };
        if let (Some(columns), Some(objective)) = (&result.columns, result.objective) {
            incumbent = Some(Incumbent::new(&map, columns, objective));
        }
        let objective = match (result.status, result.objective) {
            (RunStatus::Infeasible, _) if !stats.all_arcs => {
                arcs = every_allowed_arc(instance, groups);
                stats.all_arcs = true;
                continue;
            }
            (RunStatus::Infeasible, _) => return Ok((infeasible(stats, highs_seconds), Some(duals))),
            (_, None) => return Ok((time_out(stats, started, highs_seconds), Some(duals))),
            (_, Some(objective)) => objective,
        };
        let allowance = objective - duals.lp_value;
        let added = add_priced_arcs(instance, groups, &tree, &duals, &mut arcs, allowance);
        let out_of_time = deadline.passed();
        if added > 0 && !out_of_time {
            continue;
        }
        let certified = added == 0;
        // Without the certificate only the LP bound is valid for the full problem.
        let bound = if certified {
            result.bound.unwrap_or(duals.lp_value).max(duals.lp_value)
        } else {
            duals.lp_value
        };
        let columns = result.columns.as_deref().expect("a solution exists");
        let assignment = disaggregate(instance, groups, &model_arcs, &arc_vars, columns);
        let proven = result.status == RunStatus::Optimal && certified;
        let seconds = (started.elapsed().as_secs_f64(), highs_seconds);
        let outcome = SolveOutcome::with_assignment(instance, assignment, proven, Some(bound), seconds, stats);
        return Ok((outcome, Some(duals)));
    }
}

/// The arcs that a solution better than `start` may use ("reduced-cost
/// fixing" before the model is built): by LP duality a solution that uses arc
/// `a` costs at least `z_LP + rc_a`, so arcs with `rc_a` above
/// `start.objective - z_LP` are left out; those `start` uses are kept, so that
/// it stays a solution. The certificate is unchanged: such arcs are also
/// above the allowance `z_IP - z_LP` of the widening step.
fn arcs_within_reach(instance: &Instance, groups: &[Group], duals: &Duals, arcs: &[Vec<Arc>], start: &Incumbent) -> Vec<Arc> {
    let reach = start.objective - duals.lp_value + PRICING_TOLERANCE * duals.lp_value.abs().max(1.0);
    arcs.iter()
        .flatten()
        .filter(|a| start.uses(a.group, a.school) || duals.reduced_cost(instance, groups, a) <= reach)
        .cloned()
        .collect()
}

/// Whether every column value is an integer (within HiGHS's tolerance).
fn is_integral(columns: &[f64]) -> bool {
    columns.iter().copied().all(is_whole)
}

/// Whether a value is an integer (within HiGHS's tolerance).
fn is_whole(value: f64) -> bool {
    (value - value.round()).abs() <= INTEGRALITY_TOLERANCE
}

/// Whole pupils for a solution of a model with continuous flows (see
/// `formulation::classes_make_flows_whole`) that sends parts of pupils: with
/// its class counts fixed, the model with integer flows is a transportation
/// problem whose LP optimum is whole, so HiGHS solves it at the root, at the
/// same total way.
fn whole_pupils(
    instance: &Instance,
    groups: &[Group],
    arcs: Vec<Arc>,
    map: &ColumnMap,
    columns: &[f64],
    settings: &RunSettings,
) -> Result<RunResult, SolveError> {
    let fixed: Vec<(usize, f64)> = map.class_count_columns().map(|c| (c, columns[c].round())).collect();
    let model = build(instance, groups, arcs, false);
    run_fixed(model.problem, settings, true, None, &fixed)
}

fn time_out(stats: ModelStats, started: Instant, highs_seconds: f64) -> SolveOutcome {
    SolveOutcome::without_assignment(SolveStatus::TimeLimit, stats, started.elapsed().as_secs_f64(), highs_seconds)
}

fn every_allowed_arc(instance: &Instance, groups: &[Group]) -> Vec<Vec<Arc>> {
    (0..groups.len()).into_par_iter().map(|g| all_arcs(instance, groups, g)).collect()
}
