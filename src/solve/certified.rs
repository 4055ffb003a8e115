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

use super::candidates::{Arc, SchoolTree, every_allowed_arc, initial_arcs};
use super::formulation::{Columns, Regime};
use super::formulation::{Formulation, build, build_lp_with_unassigned, build_mip, build_with_regimes, disaggregate};
use super::groups::{Group, build_groups};
use super::highs_run::{RunResult, RunSettings, RunStatus, run, run_fixed, run_mip_with_rows_or_without_presolve};
use super::lagrange;
use super::pricing::{ALL_PRICED_ARCS, Duals, add_priced_arcs, add_priced_arcs_up_to};
use super::probing::{ArcPricing, RegimeLp};
use super::transport;
use super::warm_start::{ColumnMap, Incumbent, SolvedLp, rounded_regimes, support_start};
use super::{Deadline, ModelStats, Progress, SolveError, SolveOutcome, SolveStatus};
use crate::model::{Instance, MigrationBasis};
use rayon::prelude::*;
use std::time::Instant;

/// Most nodes and most leaves of the search over open regimes before HiGHS
/// takes over (see `probing`). A complete search ends the solve (branch and
/// price), so the leaves are many: on a generated Magdeburg-size city at
/// imbalance 1 (seed 1) the search needed 36 leaves and 615 nodes and took
/// 103 s, where with 8 leaves it handed over to HiGHS twice (over 300 s).
const REGIME_SEARCH_LIMITS: (usize, usize) = (2_000, 64);
/// Most branch-and-bound nodes of a heuristic integer program (the start and
/// each leaf of the regime search); a leaf that needs more ends the search.
const HEURISTIC_NODE_LIMIT: u64 = 100;
/// Reduced-cost slacks (metres) of the arcs added to the LP's support when
/// looking for a first whole-group solution (see `near_support_start`).
const SUPPORT_SLACKS_M: &[f64] = &[0.0, 100.0, 2_000.0];
/// [`SUPPORT_SLACKS_M`] with class ranges or a class minimum: one step more
/// at 500 m. There the start only sets the Lagrangian bound's threshold
/// and starts the round (see `lagrangian_arcs`), and on
/// `magdeburg-min25.toml` the start over 500 m (2,460 arcs) took 0.3 s and
/// lay 0.006 % above the optimum, where over 2,000 m (8,865 arcs) it took
/// 2.2 s (whole command 5.6 -> 4.1 s, three runs each).
const FREE_COUNT_SUPPORT_SLACKS_M: &[f64] = &[0.0, 100.0, 500.0, 2_000.0];
/// The relative gap at which a support start with free class counts may
/// stop (see `support_start_settings`). A solver setting, not a rule: the
/// start is only a start, and the certificate's round proves the optimum.
const SUPPORT_START_GAP: f64 = 0.005;
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
    solve_certified_groups(instance, build_groups(instance), SchoolTree::new(instance), deadline)
}

/// [`solve_certified_until`] for the groups and school index the caller has
/// already built (the decomposition, when it falls back to one part).
pub fn solve_certified_groups(
    instance: &Instance,
    groups: Vec<Group>,
    tree: SchoolTree,
    deadline: Deadline,
) -> Result<Certified, SolveError> {
    let (outcome, duals) = solve_groups(instance, &groups, tree, deadline)?;
    Ok(Certified { outcome, duals, groups })
}

fn solve_groups(
    instance: &Instance,
    groups: &[Group],
    tree: SchoolTree,
    deadline: Deadline,
) -> Result<(SolveOutcome, Option<Duals>), SolveError> {
    SolveError::ensure_not_empty(instance)?;
    let mut solve = Solve::new(instance, groups, tree, deadline);
    if solve.arcs.iter().any(|a| a.is_empty()) {
        // A group whose initial arcs are empty has no allowed arc at all
        // (lock beyond the distance limit, or no school within it).
        return Ok((solve.without_assignment(SolveStatus::Infeasible), None));
    }
    let first_stage = if instance.solver.network_flow && transport::applies(instance, groups) {
        flow_stage(&mut solve)?
    } else {
        lp_stage(&mut solve)?
    };
    match first_stage {
        LpRound::Finished(outcome, duals) => Ok((outcome, duals)),
        LpRound::Converged(duals, guide) => {
            let outcome = mip_stage(&mut solve, &duals, guide)?;
            Ok((outcome, Some(duals)))
        }
        LpRound::Priced | LpRound::Unassigned => unreachable!("lp_stage loops until the LP converges or the solve ends"),
    }
}

/// One certified solve as it passes from stage to stage: what is solved,
/// the candidate arcs so far, and what has been counted and timed.
struct Solve<'a> {
    instance: &'a Instance,
    groups: &'a [Group],
    tree: SchoolTree,
    deadline: Deadline,
    started: Instant,
    /// Candidate arcs per group.
    arcs: Vec<Vec<Arc>>,
    stats: ModelStats,
    highs_seconds: f64,
    /// The last LP of the LP stage (intake basis), whose basis starts the
    /// regime search's LP (see `probing`).
    last_lp: Option<SolvedLp>,
}

impl<'a> Solve<'a> {
    /// A solve starting from each group's initial candidates.
    fn new(instance: &'a Instance, groups: &'a [Group], tree: SchoolTree, deadline: Deadline) -> Self {
        let arcs = (0..groups.len())
            .into_par_iter()
            .map(|g| initial_arcs(instance, groups, &tree, g))
            .collect();
        Solve {
            instance,
            groups,
            tree,
            deadline,
            started: Instant::now(),
            arcs,
            stats: ModelStats {
                groups: groups.len(),
                ..ModelStats::default()
            },
            highs_seconds: 0.0,
            last_lp: None,
        }
    }

    /// Settings of an exact run (gap 0: LPs, proofs) or of the scenario's
    /// integer program (its `mip_gap`).
    fn settings(&self, exact: bool) -> RunSettings {
        RunSettings {
            deadline: self.deadline,
            mip_gap: if exact { 0.0 } else { self.instance.solver.mip_gap },
            threads: self.instance.solver.threads,
            node_limit: None,
            cutoff: None,
            primal_heuristics: true,
        }
    }

    /// Heuristic integer programs (start, leaves of the regime search) stop
    /// after a fixed amount of work. They run at gap 0 whatever `mip_gap`
    /// allows: a leaf the search counts as solved must be solved exactly, or
    /// the search's proof (and the bound it reports) would not hold.
    fn heuristic(&self) -> RunSettings {
        RunSettings {
            node_limit: Some(HEURISTIC_NODE_LIMIT),
            cutoff: None,
            primal_heuristics: true,
            ..self.settings(true)
        }
    }

    /// Wall-clock seconds so far, and of them inside HiGHS.
    fn seconds(&self) -> (f64, f64) {
        (self.started.elapsed().as_secs_f64(), self.highs_seconds)
    }

    /// The end of a solve without an assignment.
    fn without_assignment(&self, status: SolveStatus) -> SolveOutcome {
        let (wall, highs) = self.seconds();
        SolveOutcome::without_assignment(status, self.stats.clone(), wall, highs)
    }

    /// Puts every allowed arc in (a restricted model was infeasible, or the
    /// unassigned price reached its limit): infeasibility is then decided on
    /// the full problem.
    fn widen_to_all_arcs(&mut self) {
        self.arcs = every_allowed_arc(self.instance, self.groups);
        self.stats.all_arcs = true;
    }

    /// Tells the observer (if any) that a pricing round starts.
    fn tell_pricing_round(&self) {
        if self.deadline.is_observed() {
            self.deadline.tell(Progress::PricingRound {
                round: self.stats.lp_rounds,
                arcs: self.arcs.iter().map(Vec::len).sum(),
            });
        }
    }

    /// Records the size of the model solved: arcs, columns, rows.
    fn count_model(&mut self, (arcs, columns, rows): (usize, usize, usize)) {
        (self.stats.arcs, self.stats.columns, self.stats.rows) = (arcs, columns, rows);
    }
}

/// How an LP round ended.
enum LpRound {
    /// The solve is over: infeasible, out of time, or an integral LP optimum.
    Finished(SolveOutcome, Option<Duals>),
    /// Arcs were added (they priced out, or all arcs after an infeasible LP): solve again.
    Priced,
    /// Nothing prices out but pupils stay unassigned at the current price.
    Unassigned,
    /// The LP optimum over all arcs: its duals, and what its solution
    /// suggests for a first integer solution.
    Converged(Duals, LpGuide),
}

/// What the converged LP suggests for the first start of the integer program.
struct LpGuide {
    /// With the intake basis: the regimes its solution suggests.
    regimes: Option<Vec<Regime>>,
    /// With whole groups (units, homes): the arcs its solution uses.
    support: Option<Vec<Arc>>,
}

/// Stage 1, LP pricing (step 1 of the module doc). Unassigned pupils are
/// allowed at a price far above any candidate way, so the LP stays feasible
/// however few the candidates; if some remain unassigned once no arc prices
/// out, the price goes up tenfold, and past its limit the exact LP over every
/// allowed arc decides. Ends with `Finished` or `Converged`.
fn lp_stage(solve: &mut Solve) -> Result<LpRound, SolveError> {
    let mut price = UNASSIGNED_PRICE_FACTOR * longest_candidate_way(solve.groups, &solve.arcs) + 1_000.0;
    let price_limit = UNASSIGNED_PRICE_LIMIT_FACTOR * extent_m(solve.instance) + 10_000.0;
    let mut with_unassigned = true;
    loop {
        solve.stats.lp_rounds += 1;
        solve.tell_pricing_round();
        match lp_round(solve, with_unassigned.then_some(price))? {
            LpRound::Priced => {}
            LpRound::Unassigned if price < price_limit => price = (price * 10.0).min(price_limit),
            LpRound::Unassigned => {
                solve.widen_to_all_arcs();
                with_unassigned = false;
            }
            ended => return Ok(ended),
        }
    }
}

/// Stage 1 for the transportation case: the min-cost flow over the
/// candidate arcs (see `transport`), priced like the LP of [`lp_stage`]
/// with the potentials as duals, with the same unassigned price and
/// widening. Its optimum is integral, so it always ends the solve.
fn flow_stage(solve: &mut Solve) -> Result<LpRound, SolveError> {
    let (instance, groups) = (solve.instance, solve.groups);
    solve.stats.network_flow = true;
    let mut price = Some(UNASSIGNED_PRICE_FACTOR * longest_candidate_way(groups, &solve.arcs) + 1_000.0);
    let price_limit = UNASSIGNED_PRICE_LIMIT_FACTOR * extent_m(instance) + 10_000.0;
    let mut core = transport::FlowCore::new(instance, groups, price);
    loop {
        solve.stats.lp_rounds += 1;
        solve.tell_pricing_round();
        core.add_arcs(groups, &solve.arcs);
        let Some(round) = core.solve(instance) else {
            if solve.stats.all_arcs {
                return Ok(LpRound::Finished(solve.without_assignment(SolveStatus::Infeasible), None));
            }
            solve.widen_to_all_arcs();
            continue;
        };
        solve.stats.flow_pivots = round.pivots;
        let out_of_time = solve.deadline.passed();
        if !out_of_time && add_priced_arcs(instance, groups, &solve.tree, &round.duals, &mut solve.arcs, 0.0) > 0 {
            continue;
        }
        if round.unassigned > 0 && !out_of_time {
            match price {
                Some(p) if p < price_limit => {
                    price = Some((p * 10.0).min(price_limit));
                    core.set_unassigned_price(price.expect("just set"));
                }
                _ => {
                    // Past the price limit: feasibility is decided on every
                    // allowed arc without the unassigned arcs.
                    solve.widen_to_all_arcs();
                    price = None;
                    core = transport::FlowCore::new(instance, groups, None);
                }
            }
            continue;
        }
        return Ok(flow_finished(solve, round, !out_of_time));
    }
}

/// The end of the flow stage: the flow's assignment, proven by its
/// potentials unless the deadline cut the pricing short.
fn flow_finished(solve: &mut Solve, round: transport::TransportRound, certified: bool) -> LpRound {
    let (instance, groups) = (solve.instance, solve.groups);
    let arcs: usize = solve.arcs.iter().map(Vec::len).sum();
    solve.count_model((arcs, round.size.1, round.size.0));
    if round.unassigned > 0 {
        return LpRound::Finished(solve.without_assignment(SolveStatus::TimeLimit), None);
    }
    let assignment = transport::assignment_of(instance, groups, &round.flows);
    let outcome = SolveOutcome::with_assignment(
        instance,
        assignment,
        certified,
        Some(round.duals.lp_value),
        solve.seconds(),
        solve.stats.clone(),
    );
    LpRound::Finished(outcome, Some(round.duals))
}

/// One LP over the current arcs (with unassigned pupils at `unassigned_price`,
/// if given), and what it shows.
fn lp_round(solve: &mut Solve, unassigned_price: Option<f64>) -> Result<LpRound, SolveError> {
    let (instance, groups) = (solve.instance, solve.groups);
    let model = match unassigned_price {
        Some(price) => build_lp_with_unassigned(instance, groups, solve.arcs.concat(), price),
        None => build(instance, groups, solve.arcs.concat(), true),
    };
    let map = (instance.rules.migration_basis == MigrationBasis::Intake).then(|| ColumnMap::of(&model));
    let size = (model.arcs.len(), model.columns.len(), model.rows.len());
    let Formulation {
        problem,
        arcs: lp_arcs,
        columns: lp_columns,
        rows,
        ..
    } = model;
    let result = run(problem, &solve.settings(true), false)?;
    solve.highs_seconds += result.seconds;
    match result.status {
        RunStatus::Optimal => {}
        RunStatus::Infeasible if !solve.stats.all_arcs => {
            solve.widen_to_all_arcs();
            return Ok(LpRound::Priced);
        }
        RunStatus::Infeasible => return Ok(LpRound::Finished(solve.without_assignment(SolveStatus::Infeasible), None)),
        RunStatus::TimeLimit => return Ok(LpRound::Finished(solve.without_assignment(SolveStatus::TimeLimit), None)),
    }
    let duals = Duals::new(instance, groups, &rows, &result);
    if add_priced_arcs(instance, groups, &solve.tree, &duals, &mut solve.arcs, 0.0) > 0 {
        return Ok(LpRound::Priced);
    }
    let columns = result.columns.as_deref().unwrap_or(&[]);
    let left_unassigned: f64 = lp_columns.unassigned().map(|c| columns.get(c).copied().unwrap_or(0.0)).sum();
    if left_unassigned > 1e-6 {
        return Ok(LpRound::Unassigned);
    }
    if instance.solver.integral_lp_shortcut && is_integral(columns) {
        // The LP optimum over all arcs is integral: it is a solution of the
        // integer program with the value of its relaxation, so it is optimal
        // and no integer program is needed.
        solve.count_model(size);
        solve.stats.integral_lp = true;
        let assignment = disaggregate(instance, groups, &lp_arcs, &lp_columns, columns);
        let outcome = SolveOutcome::with_assignment(
            instance,
            assignment,
            true,
            Some(duals.lp_value),
            solve.seconds(),
            solve.stats.clone(),
        );
        return Ok(LpRound::Finished(outcome, Some(duals)));
    }
    let regimes = map
        .as_ref()
        .map(|m| rounded_regimes(m, groups, columns, instance.rules.migration_threshold));
    solve.last_lp = map.zip(result.basis).map(|(map, basis)| SolvedLp { map, rows, basis });
    // Without regimes to round, the LP's support is where a first integer
    // solution is looked for (whole groups, class ranges, class minimum).
    let support = regimes.is_none().then(|| support_arcs(&lp_arcs, &lp_columns, columns));
    Ok(LpRound::Converged(duals, LpGuide { regimes, support }))
}

/// Stage 2, the integer program widened until the certificate holds (step 2
/// of the module doc). Each round starts from a solution (see `warm_start`):
/// the first from the regimes of the LP (intake basis), later ones from the
/// round before.
fn mip_stage(solve: &mut Solve, duals: &Duals, guide: LpGuide) -> Result<SolveOutcome, SolveError> {
    let instance = solve.instance;
    let mut incumbent: Option<Incumbent> = None;
    // The reduced-cost reach of the round's model: every candidate arc within
    // it is in the model (`None`: the start's own allowance).
    let mut reach: Option<f64> = None;
    // The first round's arcs when the Lagrangian bound chose them.
    let mut chosen_arcs: Option<Vec<Arc>> = None;
    loop {
        solve.stats.mip_rounds += 1;
        if incumbent.is_none() && instance.solver.warm_start {
            incumbent = first_start(solve, duals, &guide)?;
            chosen_arcs = incumbent.as_ref().and_then(|start| lagrangian_arcs(solve, duals, start));
            if let Some(start) = incumbent.as_ref().filter(|_| guide.regimes.is_none() && chosen_arcs.is_none()) {
                // A support start: the first round's model holds every arc
                // within the first reach (priced in now), and widens from
                // there (see `first_support_reach`). A regime start stays
                // on the candidates: its regime search pays for every arc,
                // and the round after it is cheaper.
                let first = (start.objective - duals.lp_value).min(first_support_reach(instance));
                price_up_to(solve, duals, first);
                reach = Some(first);
            }
        }
        solve.deadline.tell(Progress::IntegerRound {
            round: solve.stats.mip_rounds,
            arcs: solve.arcs.iter().map(Vec::len).sum(),
            lp_bound_m: Some(duals.lp_value),
        });
        let mut round = mip_round(solve, duals, incumbent.take(), reach, chosen_arcs.take())?;
        incumbent = round.incumbent.take();
        let objective = match (round.result.status, round.result.objective) {
            (RunStatus::Infeasible, _) if !solve.stats.all_arcs => {
                solve.widen_to_all_arcs();
                continue;
            }
            (RunStatus::Infeasible, _) => return Ok(solve.without_assignment(SolveStatus::Infeasible)),
            (_, None) => return Ok(solve.without_assignment(SolveStatus::TimeLimit)),
            (_, Some(objective)) => objective,
        };
        if round.proven_over_every_arc {
            return Ok(certified_outcome(solve, duals, &round, true));
        }
        // Certified when every arc within `objective - z_LP` was in the
        // model: none was missing from the candidates (none added now) and
        // the model's reach covered it.
        let allowance = objective - duals.lp_value;
        let added = price_up_to(solve, duals, allowance);
        let covered = round.reach >= allowance - duals.tolerance();
        if added == 0 && covered {
            return Ok(certified_outcome(solve, duals, &round, true));
        }
        if solve.deadline.passed() {
            return Ok(certified_outcome(solve, duals, &round, false));
        }
        reach = Some(allowance);
    }
}

/// With free class counts (see `lagrange::applies`), the arcs of the first
/// integer program after a support `start`: every arc that a solution
/// better than the start could use by LP duality (priced in now) is given
/// to the Lagrangian bound, which keeps those it cannot rule out, and the
/// start's own. `None` where it does not apply.
fn lagrangian_arcs(solve: &mut Solve, duals: &Duals, start: &Incumbent) -> Option<Vec<Arc>> {
    let (instance, groups) = (solve.instance, solve.groups);
    if !start.is_known() || !lagrange::applies(instance, groups) {
        return None;
    }
    let allowance = start.objective - duals.lp_value;
    price_up_to(solve, duals, allowance);
    let candidates = arcs_within_reach(instance, groups, duals, &solve.arcs, Some(start), allowance);
    let fixing = lagrange::fix_arcs(instance, groups, &candidates, &duals.group, start.objective)?;
    solve.stats.lagrangian_bound_m = Some(fixing.bound);
    let mut kept = fixing.kept;
    kept.extend(candidates.into_iter().filter(|a| start.uses(a.group, a.school)));
    Some(arcs_by_group(groups.len(), &kept).concat())
}

/// The reach of the first integer program after a support start. With
/// every class count fixed (whole groups: units, homes), `[solver]
/// first_integer_reach_m`: every arc within it of reduced cost at the LP is
/// in the model, and if the optimum over them lies further above the LP
/// bound, the next round widens to that distance (see `mip_stage`). There
/// the LP is tight (the optimum within 1 km of it on the generated cities)
/// while the start may lie 10 km above it, and the start's allowance holds
/// ten times the arcs. With class ranges or a class minimum, no reach (the
/// start's whole allowance): the LP blends opening a class, so it lies far
/// below the optimum (10.9 km on `magdeburg-min25.toml`), and a first
/// round within a short reach is never the last, it only costs time.
fn first_support_reach(instance: &Instance) -> f64 {
    if class_counts_fixed(instance) {
        instance.solver.first_integer_reach_m
    } else {
        f64::INFINITY
    }
}

/// Whether every school's class count is fixed and no class minimum
/// applies: the LP then does not blend opening a class (see
/// [`first_support_reach`], [`support_start_settings`]).
fn class_counts_fixed(instance: &Instance) -> bool {
    instance.rules.min_class_size.is_none() && instance.schools.iter().all(|s| s.min_classes == s.max_classes)
}

/// Adds every left-out arc within `reach` of reduced cost at the LP's
/// `duals` to the candidates; how many were added.
fn price_up_to(solve: &mut Solve, duals: &Duals, reach: f64) -> usize {
    add_priced_arcs_up_to(
        solve.instance,
        solve.groups,
        &solve.tree,
        duals,
        &mut solve.arcs,
        reach,
        ALL_PRICED_ARCS,
    )
}

/// The first start of the integer program (see `warm_start`): with the
/// intake basis none yet, only the LP's rounded regimes, from which the
/// regime search's dive finds the first solution (see `probe_regimes`);
/// else from the LP's support.
fn first_start(solve: &mut Solve, duals: &Duals, guide: &LpGuide) -> Result<Option<Incumbent>, SolveError> {
    match (&guide.regimes, &guide.support) {
        (Some(regimes), _) => Ok(Some(Incumbent::unknown(regimes))),
        (None, Some(support)) => near_support_start(solve, duals, support),
        (None, None) => Ok(None),
    }
}

/// Support rounding (see `warm_start`): the integer program over the LP's
/// support and the arcs within `slack` of it in reduced cost, for each
/// slack of [`SUPPORT_SLACKS_M`] (with free class counts,
/// [`FREE_COUNT_SUPPORT_SLACKS_M`]) until one has a solution.
fn near_support_start(solve: &mut Solve, duals: &Duals, support: &[Arc]) -> Result<Option<Incumbent>, SolveError> {
    let (instance, groups) = (solve.instance, solve.groups);
    let slacks = if class_counts_fixed(instance) {
        SUPPORT_SLACKS_M
    } else {
        FREE_COUNT_SUPPORT_SLACKS_M
    };
    for &slack in slacks {
        let in_support: std::collections::HashSet<(usize, usize)> = support.iter().map(|a| (a.group, a.school)).collect();
        let mut arcs = support.to_vec();
        arcs.extend(
            solve
                .arcs
                .iter()
                .flatten()
                .filter(|a| !in_support.contains(&(a.group, a.school)) && duals.reduced_cost(instance, groups, a) <= slack),
        );
        let (start, seconds) = support_start(instance, groups, arcs, &support_start_settings(solve))?;
        solve.highs_seconds += seconds;
        if start.is_some() {
            return Ok(start);
        }
    }
    Ok(None)
}

/// Settings of a support start: a heuristic run, which with class ranges
/// or a class minimum may stop within [`SUPPORT_START_GAP`] of its own
/// bound. There HiGHS finds its best solution early (at the root on
/// `magdeburg-min25.toml`, 1.7 s) and spent the rest of the start (5 s)
/// proving it over the start's arcs, a proof the certificate's round makes
/// again over more arcs. With every class count fixed the start stays
/// exact: there its quality decides the round's time.
fn support_start_settings(solve: &Solve) -> RunSettings {
    RunSettings {
        mip_gap: if class_counts_fixed(solve.instance) {
            0.0
        } else {
            SUPPORT_START_GAP
        },
        ..solve.heuristic()
    }
}

/// The arcs that carry pupils in the LP solution `values`.
fn support_arcs(arcs: &[Arc], columns: &Columns, values: &[f64]) -> Vec<Arc> {
    (0..arcs.len())
        .filter(|&a| columns.arc_total(a, values) > 1e-9)
        .map(|a| arcs[a].clone())
        .collect()
}

/// What one integer program round produced.
struct MipRound {
    /// HiGHS's result (with whole pupils).
    result: RunResult,
    /// The model's arcs and columns, to read the assignment.
    arcs: Vec<Arc>,
    columns: Columns,
    /// The best solution so far, to start the next round from.
    incumbent: Option<Incumbent>,
    /// Whether the regime search proved the result optimal over every
    /// allowed arc (branch and price): no further round is needed.
    proven_over_every_arc: bool,
    /// The reduced-cost reach of the model: it held every candidate arc
    /// within it.
    reach: f64,
}

/// One integer program over the arcs within reach of `start`: with the
/// intake basis, probing first fixes the regimes it can decide and a search
/// may prove the start optimal; otherwise HiGHS solves it from the start.
///
/// With `chosen` (arcs the Lagrangian bound kept, see [`lagrangian_arcs`])
/// the model holds those, and an optimum over them is proven over every arc.
fn mip_round(
    solve: &mut Solve,
    duals: &Duals,
    start: Option<Incumbent>,
    reach: Option<f64>,
    chosen: Option<Vec<Arc>>,
) -> Result<MipRound, SolveError> {
    let (instance, groups) = (solve.instance, solve.groups);
    // A start's allowance bounds the reach (reduced-cost fixing).
    let allowance = start.as_ref().map_or(f64::INFINITY, |s| s.objective - duals.lp_value);
    let lagrangian = chosen.is_some();
    // The Lagrangian's model holds no LP reach: a round it does not prove
    // is followed by one over the whole allowance.
    let reach = if lagrangian {
        0.0
    } else {
        allowance.min(reach.unwrap_or(f64::INFINITY))
    };
    let model_arcs = match chosen {
        Some(arcs) => arcs,
        None => arcs_within_reach(instance, groups, duals, &solve.arcs, start.as_ref(), reach),
    };
    let mut probed = match start {
        Some(start) => probe_regimes(solve, &model_arcs, start)?,
        None => Probed::default(),
    };
    let model_arcs = if probed.arcs.is_empty() {
        model_arcs
    } else {
        arcs_by_group(groups.len(), &std::mem::take(&mut probed.arcs)).concat()
    };
    let build_round = || {
        if probed.fixed.is_empty() {
            build_mip(instance, groups, model_arcs.clone())
        } else {
            build_with_regimes(instance, groups, model_arcs.clone(), &probed.fixed)
        }
    };
    let model = build_round();
    solve.count_model((model.arcs.len(), model.columns.len(), model.rows.len()));
    let map = ColumnMap::of(&model);
    let start = probed.incumbent.as_ref().filter(|i| i.is_known()).map(|i| i.columns_for(&map));
    let (arcs, columns, continuous_flows) = (model.arcs.clone(), model.columns.clone(), model.continuous_flows);
    let result = match (probed.proven, start) {
        (true, Some(columns)) => proven_start(columns, probed.incumbent.as_ref()),
        (_, start) => {
            // From a start, the round is mostly the proof: HiGHS's primal
            // heuristics (RINS, RENS at the root) took 27 of the 37 s of
            // `magdeburg-min25.toml`'s round, for no better solution.
            let settings = RunSettings {
                primal_heuristics: start.is_none(),
                ..solve.settings(false)
            };
            // HiGHS 1.16's presolve can end a feasible model in "Solve
            // error" (seen on a tiny intake case): it is solved again
            // without presolve then.
            let rebuild = || build_round().problem;
            run_mip_with_rows_or_without_presolve(model.problem, rebuild, &settings, start.as_deref(), &[], &[])?
        }
    };
    solve.highs_seconds += result.seconds;
    let result = match &result.columns {
        Some(columns) if continuous_flows && !map.arc_columns().all(|c| is_whole(columns[c])) => {
            let whole = whole_pupils(instance, groups, arcs.clone(), &map, columns, &solve.settings(false))?;
            solve.highs_seconds += whole.seconds;
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
    let result_optimal = result.status == RunStatus::Optimal;
    let incumbent = match (&result.columns, result.objective) {
        (Some(columns), Some(objective)) => Some(Incumbent::new(&map, columns, objective)),
        _ => probed.incumbent,
    };
    Ok(MipRound {
        result,
        arcs,
        columns,
        incumbent,
        proven_over_every_arc: (probed.proven && probed.over_every_arc) || (lagrangian && result_optimal),
        reach,
    })
}

/// What regime probing decided before an integer program.
#[derive(Default)]
struct Probed {
    /// Per school, the regime probing fixed (empty: nothing fixed).
    fixed: Vec<Option<Regime>>,
    /// Whether the search over the open regimes proved `incumbent` optimal:
    /// over the round's arcs, or (`over_every_arc`) outright.
    proven: bool,
    /// Whether the search priced every left-out arc at each bound (branch
    /// and price), so that `proven` holds over every allowed arc.
    over_every_arc: bool,
    /// The arcs the search's LP and the incumbent's leaf used (branch and
    /// price; empty otherwise): the round's model needs them to hold the incumbent.
    arcs: Vec<Arc>,
    /// The best solution known.
    incumbent: Option<Incumbent>,
}

/// A dive, regime probing and search from `start` (intake basis with the
/// warm start; otherwise `start` is only passed on). See `probing`; every LP prices
/// the arcs it leaves out (branch and price), so that a complete search
/// needs no further round.
fn probe_regimes(solve: &mut Solve, arcs: &[Arc], start: Incumbent) -> Result<Probed, SolveError> {
    let (instance, groups) = (solve.instance, solve.groups);
    let Some(regimes) = start.regimes().filter(|_| instance.solver.warm_start) else {
        return Ok(Probed {
            incumbent: Some(start),
            ..Probed::default()
        });
    };
    let pricing = ArcPricing {
        tree: &solve.tree,
        arcs: arcs_by_group(groups.len(), arcs),
        unassigned_price: UNASSIGNED_PRICE_LIMIT_FACTOR * extent_m(instance) + 10_000.0,
        every_arc: solve.stats.all_arcs,
    };
    let mut lp = RegimeLp::new(
        instance,
        groups,
        arcs.to_vec(),
        &solve.settings(true),
        Some(pricing),
        solve.last_lp.as_ref(),
    )?;
    // A dive first: probing decides more regimes the better the solution at hand.
    let dive = lp.dive(instance, groups, arcs, start, &solve.heuristic())?;
    solve.stats.regime_nodes += dive.nodes;
    let start = dive.best;
    let regimes = start.regimes().unwrap_or(regimes);
    let decided = lp.decide(&regimes, start.objective)?;
    let search = lp.search(instance, groups, arcs, &decided, start, &solve.heuristic(), REGIME_SEARCH_LIMITS)?;
    solve.highs_seconds += lp.seconds;
    solve.stats.regimes_fixed = decided.iter().filter(|d| d.0.is_some()).count();
    solve.stats.regime_nodes += search.nodes;
    let mut used = lp.priced_arcs().map(<[Vec<Arc>]>::concat).unwrap_or_default();
    used.extend(search.best_arcs.or(dive.best_arcs).unwrap_or_default());
    Ok(Probed {
        fixed: decided.into_iter().map(|d| d.0).collect(),
        proven: search.complete && search.best.is_known(),
        over_every_arc: lp.priced_arcs().is_some(),
        arcs: used,
        incumbent: Some(search.best).filter(Incumbent::is_known),
    })
}

/// `arcs` per group (`groups` groups), each group's sorted by school, once each.
fn arcs_by_group(groups: usize, arcs: &[Arc]) -> Vec<Vec<Arc>> {
    let mut by_group = vec![Vec::new(); groups];
    for arc in arcs {
        by_group[arc.group].push(arc.clone());
    }
    for group in &mut by_group {
        group.sort_by_key(|a| a.school);
        group.dedup_by_key(|a| a.school);
    }
    by_group
}

/// The result of a round whose start the regime search proved optimal over its arcs.
fn proven_start(columns: Vec<f64>, incumbent: Option<&Incumbent>) -> RunResult {
    let objective = incumbent.map(|i| i.objective);
    RunResult {
        status: RunStatus::Optimal,
        columns: Some(columns),
        row_duals: Vec::new(),
        column_duals: Vec::new(),
        objective,
        bound: objective,
        seconds: 0.0,
        basis: None,
    }
}

/// The outcome of the last round. With the certificate (`certified`: no
/// left-out arc could do better) HiGHS's bound holds for the full problem;
/// without it, only the LP bound.
fn certified_outcome(solve: &Solve, duals: &Duals, round: &MipRound, certified: bool) -> SolveOutcome {
    let result = &round.result;
    let bound = if certified {
        result.bound.unwrap_or(duals.lp_value).max(duals.lp_value)
    } else {
        duals.lp_value
    };
    let columns = result.columns.as_deref().expect("a solution exists");
    let assignment = disaggregate(solve.instance, solve.groups, &round.arcs, &round.columns, columns);
    let proven = result.status == RunStatus::Optimal && certified;
    SolveOutcome::with_assignment(
        solve.instance,
        assignment,
        proven,
        Some(bound),
        solve.seconds(),
        solve.stats.clone(),
    )
}

/// The candidate arcs within `reach` of reduced cost at the LP's `duals`,
/// and those `start` uses, so that it stays a solution. With `reach` the
/// start's allowance `start.objective - z_LP` this is "reduced-cost fixing"
/// before the model is built: by LP duality a solution that uses arc `a`
/// costs at least `z_LP + rc_a`, so the arcs left out cannot improve on the
/// start. With a smaller reach, the round's result is the optimum only if
/// it is within `reach` of `z_LP` (see `mip_stage`).
fn arcs_within_reach(
    instance: &Instance,
    groups: &[Group],
    duals: &Duals,
    arcs: &[Vec<Arc>],
    start: Option<&Incumbent>,
    reach: f64,
) -> Vec<Arc> {
    if reach.is_infinite() {
        return arcs.concat();
    }
    let reach = reach + duals.tolerance();
    arcs.iter()
        .flatten()
        .filter(|a| start.is_some_and(|s| s.uses(a.group, a.school)) || duals.reduced_cost(instance, groups, a) <= reach)
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
