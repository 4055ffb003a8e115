//! Contiguous districts (`[rules] contiguous = true`), modelled exactly
//! with separator cuts added lazily.
//!
//! The model is the integer program of [`super::formulation`] over arcs of
//! the whole groups (homes or units), plus the cuts of
//! [`super::contiguity_cuts`] found so far:
//! ```text
//! contiguity_cut   x_gs <= sum_{c in S} sum_{h at c} x_hs     for each cut (s, g, S) found
//! ```
//!
//! **Cut rounds.** Solve, find for every school the components of its
//! district (the cells of its groups in the map's adjacency) that do not
//! hold its root cell, add a cut per group of each such component with a
//! minimal separator between the component and the root, and solve again,
//! until no district is disconnected. Every cut holds for every contiguous
//! assignment, so each round is a relaxation of the contiguous problem (over
//! its arcs): a round whose optimum violates no cut is the contiguous
//! optimum over those arcs. Cuts are kept as (school, group, cells) and
//! written over whatever arcs the model has: a missing arc is a variable
//! fixed at 0, so the row is the cut of the full model restricted.
//!
//! **Which arcs.** A contiguous district may need a cell far from its
//! school as a bridge, so the candidate sets of the unconstrained solve are
//! not enough by themselves; the certificate of [`super::certified`] is
//! used against the contiguous optimum instead:
//! 1. The unconstrained problem is solved first (the certified solve); its
//!    optimum is the reference for the price of contiguity, and if it is
//!    contiguous it is the answer. Its converged LP is a relaxation of the
//!    unconstrained problem and so of the contiguous one: any contiguous
//!    assignment that uses arc `a` costs at least `z_LP + rc_a`.
//! 2. The contiguous problem is solved by cut rounds over the arcs with
//!    `rc` at most the unconstrained optimum's gap to the LP plus 1 km,
//!    those the unconstrained optimum uses and those to the groups of each
//!    school's root cell. Its optimum `z` over these arcs
//!    is contiguous; every left-out arc with `rc_a < z - z_LP` is added and
//!    the rounds go on. When none is left, no contiguous assignment using a
//!    left-out arc beats `z`: it is the contiguous optimum (status
//!    `optimal`). A restricted model that is infeasible is widened by the
//!    arcs with `rc` below 1 km, then 4 km, 16 km, ..., and finally to every
//!    allowed arc, so infeasibility is decided on the full problem.
//!
//! A deadline that ends the rounds before a contiguous assignment is found
//! leaves no assignment (status `time_limit`). The flow core and the
//! decomposition are not used for the contiguous model (the unconstrained
//! solve of step 1 uses them as usual).

use super::candidates::{Arc, all_arcs};
use super::certified::solve_certified_until;
use super::contiguity_cuts::{Cut, CutGraph};
use super::formulation::{Columns, Regime, build_mip, disaggregate};
use super::groups::Group;
use super::highs_run::{ExtraRow, RunResult, RunSettings, RunStatus, run_mip_with_rows_or_without_presolve};
use super::pricing::PRICING_TOLERANCE;
use super::{Deadline, ModelStats, SolveError, SolveOutcome, SolveStatus};
use crate::geometry::cell_adjacency;
use crate::model::Instance;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

/// The first model holds the arcs whose reduced cost is at most the
/// unconstrained optimum's gap to the LP plus this many metres (speed only:
/// the certificate adds what is missing).
const FIRST_SLACK_M: f64 = 1_000.0;

/// Most cut rounds of the integer program over a neighbourhood that looks
/// for a contiguous start (speed only).
const NEIGHBOURHOOD_ROUNDS: usize = 5;

/// Steps of the cell adjacency around the stray parts of a district within
/// which groups may move in the first, local, neighbourhood (speed only:
/// when it finds no contiguous start, the whole neighbourhood is tried).
const LOCAL_HOPS: usize = 4;

/// Relative gap at which an integer program over a neighbourhood stops
/// (speed only: it looks for a good contiguous start, which the full model
/// then improves on or proves optimal at `mip_gap`).
const NEIGHBOURHOOD_MIP_GAP: f64 = 1e-4;

/// The first reduced-cost allowance (metres) after a restricted model
/// without a contiguous solution; each further one is four times the last.
const FIRST_INFEASIBLE_ALLOWANCE_M: f64 = 1_000.0;

/// Solves the instance with contiguous districts to proven optimality (or
/// to the deadline); see the module doc.
pub fn solve(instance: &Instance, deadline: Deadline) -> Result<SolveOutcome, SolveError> {
    let started = Instant::now();
    SolveError::ensure_not_empty(instance)?;
    let mut unconstrained = instance.clone();
    unconstrained.rules.contiguous = false;
    let free = solve_certified_until(&unconstrained, deadline)?;
    let groups = free.groups;
    if groups.iter().any(|g| !g.whole) {
        return Err(SolveError::Highs(
            "contiguous districts need whole groups (assign = \"homes\" or \"units\")".into(),
        ));
    }
    let adjacency = cell_adjacency(instance).ok_or_else(|| SolveError::Empty("no home to draw districts around".into()))?;
    let every_arc: Vec<Arc> = (0..groups.len())
        .into_par_iter()
        .flat_map_iter(|g| all_arcs(instance, &groups, g))
        .collect();
    let arc_index: HashMap<(usize, usize), usize> = every_arc.iter().enumerate().map(|(i, a)| ((a.group, a.school), i)).collect();
    let graph = CutGraph::new(instance, &groups, &adjacency, |g, s| arc_index.contains_key(&(g, s)));
    let mut rounds = Rounds {
        instance,
        groups: &groups,
        reduced: Vec::new(),
        lp_value: f64::NEG_INFINITY,
        infeasible_allowance: 0.0,
        every_arc,
        arcs: Vec::new(),
        graph,
        cuts: BTreeSet::new(),
        arc_index,
        incumbent: None,
        stats: ModelStats {
            groups: groups.len(),
            components: 1,
            lp_rounds: free.outcome.stats.lp_rounds,
            ..ModelStats::default()
        },
        highs_seconds: free.outcome.highs_seconds,
        started,
        settings: RunSettings {
            deadline,
            mip_gap: instance.solver.mip_gap,
            threads: instance.solver.threads,
            node_limit: None,
            cutoff: None,
            primal_heuristics: true,
        },
    };
    match (&free.outcome.assignment, free.outcome.status) {
        (_, SolveStatus::Infeasible) => return Ok(rounds.without_assignment(SolveStatus::Infeasible)),
        (Some(assignment), status) => {
            if status == SolveStatus::Optimal {
                rounds.stats.unconstrained_way_m = Some(total_way_m(instance, &assignment.school_of));
            }
            let school_of_group: Vec<usize> = groups.iter().map(|g| assignment.school_of[g.pupils[0]]).collect();
            if status == SolveStatus::Optimal && rounds.graph.violated_cuts(&school_of_group).is_empty() {
                let mut outcome = free.outcome.clone();
                outcome.stats = ModelStats {
                    unconstrained_way_m: rounds.stats.unconstrained_way_m,
                    ..free.outcome.stats.clone()
                };
                outcome.solve_seconds = started.elapsed().as_secs_f64();
                return Ok(outcome);
            }
            let used: Vec<(usize, usize)> = school_of_group.iter().copied().enumerate().collect();
            rounds.first_arcs(free.duals.as_ref(), &used, free.outcome.objective_m);
            rounds.offer_repair(&school_of_group)?;
            if rounds.incumbent.is_none() {
                rounds.neighbourhood_start(&school_of_group)?;
            }
        }
        (None, _) => rounds.first_arcs(None, &[], None),
    }
    rounds.run()
}

/// Total way (metres) of an assignment: every pupil's way to its school.
fn total_way_m(instance: &Instance, school_of: &[usize]) -> f64 {
    school_of
        .iter()
        .enumerate()
        .map(|(p, &s)| instance.way_m(p, s).unwrap_or(0.0))
        .sum()
}

/// The state of the cut loop.
struct Rounds<'a> {
    instance: &'a Instance,
    groups: &'a [Group],
    /// Reduced cost of each arc of `every_arc` under the unconstrained LP's
    /// duals (empty without them: every arc is then in the model).
    reduced: Vec<f64>,
    /// The value of that LP.
    lp_value: f64,
    /// The last allowance used after an infeasible restricted model (metres; 0 before).
    infeasible_allowance: f64,
    /// Every allowed arc.
    every_arc: Vec<Arc>,
    /// Indices into `every_arc` of the arcs in the model, ascending.
    arcs: Vec<usize>,
    graph: CutGraph,
    /// The cuts found so far (a set: a cut found twice is kept once).
    cuts: BTreeSet<Cut>,
    /// Index in `every_arc` of each allowed (group, school).
    arc_index: HashMap<(usize, usize), usize>,
    /// The best contiguous assignment known (school per group) and its objective.
    incumbent: Option<(Vec<usize>, f64)>,
    stats: ModelStats,
    highs_seconds: f64,
    started: Instant,
    settings: RunSettings,
}

impl Rounds<'_> {
    /// The first arcs of the model (step 2 of the module doc): with the
    /// LP's duals, those with `rc` at most the unconstrained optimum's gap
    /// to the LP plus [`FIRST_SLACK_M`], the arcs `used` and the arcs to
    /// the groups at each school's root cell; without the duals every arc.
    fn first_arcs(&mut self, duals: Option<&super::pricing::Duals>, used: &[(usize, usize)], unconstrained_objective: Option<f64>) {
        let Some(duals) = duals else {
            self.arcs = (0..self.every_arc.len()).collect();
            self.stats.all_arcs = true;
            return;
        };
        self.lp_value = duals.lp_value;
        self.reduced = self
            .every_arc
            .iter()
            .map(|a| duals.reduced_cost(self.instance, self.groups, a))
            .collect();
        let used: BTreeSet<(usize, usize)> = used.iter().copied().collect();
        let tolerance = duals.tolerance();
        let allowance = unconstrained_objective.map_or(0.0, |z| (z - duals.lp_value).max(0.0)) + FIRST_SLACK_M;
        self.infeasible_allowance = allowance;
        self.arcs = (0..self.every_arc.len())
            .filter(|&i| {
                let a = &self.every_arc[i];
                self.reduced[i] <= allowance + tolerance || used.contains(&(a.group, a.school)) || self.graph.is_at_root(a.group, a.school)
            })
            .collect();
    }

    /// Adds every left-out arc with `rc < allowance` (plus a tolerance);
    /// returns how many.
    fn widen(&mut self, allowance: f64) -> usize {
        if self.reduced.is_empty() {
            return 0;
        }
        let tolerance = PRICING_TOLERANCE * self.lp_value.abs().max(1.0);
        let mut in_model = vec![false; self.every_arc.len()];
        for &i in &self.arcs {
            in_model[i] = true;
        }
        let before = self.arcs.len();
        self.arcs
            .extend((0..self.every_arc.len()).filter(|&i| !in_model[i] && self.reduced[i] < allowance + tolerance));
        self.arcs.sort_unstable();
        self.arcs.len() - before
    }

    /// After an infeasible restricted model: the arcs within an allowance
    /// four times the last (at least [`FIRST_INFEASIBLE_ALLOWANCE_M`]), and
    /// every arc once that allowance passes the instance's largest reduced cost.
    fn widen_after_infeasible(&mut self) {
        self.infeasible_allowance = (4.0 * self.infeasible_allowance).max(FIRST_INFEASIBLE_ALLOWANCE_M);
        let largest = self.reduced.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if self.reduced.is_empty() || self.infeasible_allowance > largest {
            self.arcs = (0..self.every_arc.len()).collect();
            self.stats.all_arcs = true;
        } else {
            self.widen(self.infeasible_allowance);
        }
    }

    /// Solves round after round until the contiguous optimum is certified,
    /// the model is infeasible over every arc, or the deadline passes.
    fn run(&mut self) -> Result<SolveOutcome, SolveError> {
        loop {
            self.stats.cut_rounds += 1;
            let bounded = self.incumbent.is_some() && !self.reduced.is_empty();
            let (arcs, columns, result) = self.solve_round()?;
            let Some(values) = result.columns.as_deref() else {
                if result.status == RunStatus::Infeasible && bounded {
                    // Cannot happen (the incumbent is a solution); solve on without it.
                    self.incumbent = None;
                    continue;
                }
                if result.status == RunStatus::Infeasible && !self.stats.all_arcs {
                    self.widen_after_infeasible();
                    continue;
                }
                let status = match result.status {
                    RunStatus::Infeasible => SolveStatus::Infeasible,
                    _ => SolveStatus::TimeLimit,
                };
                return Ok(self.without_assignment(status));
            };
            let school_of_group = self.school_of_group(&arcs, &columns, values);
            let violated: Vec<Cut> = self.graph.violated_cuts(&school_of_group);
            if !violated.is_empty() {
                if self.settings.deadline.passed() {
                    return Ok(self.without_assignment(SolveStatus::TimeLimit));
                }
                self.cuts.extend(violated);
                self.stats.contiguity_cuts = self.cuts.len();
                let before = self.incumbent.as_ref().map(|i| i.1);
                self.offer_repair(&school_of_group)?;
                if self.incumbent.as_ref().map(|i| i.1) == before {
                    self.neighbourhood_start(&school_of_group)?;
                }
                continue;
            }
            let assignment = disaggregate(self.instance, self.groups, &arcs, &columns, values);
            let objective = super::candidates::assignment_cost_m(self.instance, &assignment.school_of);
            let optimal = result.status == RunStatus::Optimal;
            // With an incumbent, the model held every arc within its reach,
            // which covers every arc within reach of this optimum.
            if optimal && !bounded && !self.settings.deadline.passed() && self.widen(objective - self.lp_value) > 0 {
                self.stats.mip_rounds += 1;
                continue;
            }
            // Without the certificate (out of time), only the LP bound holds.
            let certified = optimal && (bounded || self.stats.all_arcs || !self.settings.deadline.passed());
            let bound = if certified {
                result.bound
            } else {
                Some(self.lp_value).filter(|b| b.is_finite())
            };
            return Ok(SolveOutcome::with_assignment(
                self.instance,
                assignment,
                certified,
                bound,
                self.seconds(),
                self.stats.clone(),
            ));
        }
    }

    /// Repairs a disconnected assignment (see `CutGraph::repaired`) and
    /// keeps it as the incumbent when it is cheaper than the one so far and
    /// its pupils fit the seats (HiGHS finds class counts for it).
    fn offer_repair(&mut self, school_of_group: &[usize]) -> Result<(), SolveError> {
        let cost = |g: usize, s: usize| self.arc_index.get(&(g, s)).map(|&i| self.every_arc[i].cost_m);
        let size: Vec<f64> = self.groups.iter().map(|g| g.size() as f64).collect();
        let Some(repaired) = self.graph.repaired(school_of_group, cost, &size, &self.most_seats()) else {
            return Ok(());
        };
        let objective: f64 = repaired
            .iter()
            .enumerate()
            .map(|(g, &s)| self.every_arc[self.arc_index[&(g, s)]].cost_m)
            .sum();
        if self.incumbent.as_ref().is_some_and(|(_, best)| objective >= *best) {
            return Ok(());
        }
        let own: Vec<Arc> = repaired
            .iter()
            .enumerate()
            .map(|(g, &s)| self.every_arc[self.arc_index[&(g, s)]])
            .collect();
        let columns = build_mip(self.instance, self.groups, own.clone()).columns;
        if self.start_columns(&own, &columns, &repaired, &[])?.is_some() {
            self.incumbent = Some((repaired, objective));
        }
        Ok(())
    }

    /// A contiguous start from the integer program over a neighbourhood of
    /// a disconnected assignment: first only the groups within
    /// [`LOCAL_HOPS`] cells of its stray parts may move (the others keep
    /// their school), then, if that finds none, every group (see
    /// [`Rounds::neighbourhood_rounds`]).
    fn neighbourhood_start(&mut self, school_of_group: &[usize]) -> Result<(), SolveError> {
        let stray: Vec<usize> = self.graph.violated_cuts(school_of_group).iter().map(|c| c.group).collect();
        let local = self.graph.groups_near(&stray, LOCAL_HOPS);
        if self.neighbourhood_rounds(school_of_group, Some(&local))? {
            return Ok(());
        }
        self.neighbourhood_rounds(school_of_group, None)?;
        Ok(())
    }

    /// The integer program over a neighbourhood: each group that may move
    /// (`movable`; all without it) may stay or go to a school of a
    /// neighbouring group (or to a school whose root cell it is at); the
    /// others stay. With the cuts so far, in at most
    /// [`NEIGHBOURHOOD_ROUNDS`] cut rounds; the cuts found there hold for
    /// every contiguous assignment and are kept. Its optimum becomes the
    /// incumbent when it is contiguous and cheaper. Whether it found a
    /// contiguous assignment.
    fn neighbourhood_rounds(&mut self, school_of_group: &[usize], movable: Option<&[bool]>) -> Result<bool, SolveError> {
        let may_move = |g: usize| movable.is_none_or(|m| m[g]);
        let mut arcs: Vec<Arc> = Vec::new();
        for g in 0..self.groups.len() {
            let others = if may_move(g) {
                self.graph.neighbouring_schools(g, school_of_group)
            } else {
                Vec::new()
            };
            let own = std::iter::once(school_of_group[g]).chain(others);
            arcs.extend(own.filter_map(|s| self.arc_index.get(&(g, s)).map(|&i| self.every_arc[i])));
        }
        for (i, a) in self.every_arc.iter().enumerate() {
            if may_move(a.group) && self.graph.is_at_root(a.group, a.school) && school_of_group[a.group] != a.school {
                arcs.push(self.every_arc[i]);
            }
        }
        arcs.sort_by_key(|a| (a.group, a.school));
        arcs.dedup_by_key(|a| (a.group, a.school));
        let arc_of: HashMap<(usize, usize), usize> = arcs.iter().enumerate().map(|(i, a)| ((a.group, a.school), i)).collect();
        let settings = RunSettings {
            mip_gap: self.settings.mip_gap.max(NEIGHBOURHOOD_MIP_GAP),
            ..self.settings
        };
        for _ in 0..NEIGHBOURHOOD_ROUNDS {
            let model = build_mip(self.instance, self.groups, arcs.clone());
            let rows: Vec<ExtraRow> = self.cuts.iter().filter_map(|cut| self.graph.row(cut, &model, &arc_of)).collect();
            let columns = model.columns.clone();
            let rebuild = || build_mip(self.instance, self.groups, arcs.clone()).problem;
            let result = run_mip_with_rows_or_without_presolve(model.problem, rebuild, &settings, None, &[], &rows)?;
            self.highs_seconds += result.seconds;
            let Some(values) = result.columns.as_deref() else {
                return Ok(false);
            };
            let assignment = self.school_of_group(&arcs, &columns, values);
            let violated = self.graph.violated_cuts(&assignment);
            if violated.is_empty() {
                let objective: f64 = assignment
                    .iter()
                    .enumerate()
                    .map(|(g, &s)| self.every_arc[self.arc_index[&(g, s)]].cost_m)
                    .sum();
                if self.incumbent.as_ref().is_none_or(|(_, best)| objective < *best) {
                    self.incumbent = Some((assignment, objective));
                }
                return Ok(true);
            }
            self.cuts.extend(violated);
            self.stats.contiguity_cuts = self.cuts.len();
        }
        Ok(false)
    }

    /// The most pupils each school can take for a repair: its largest class
    /// count at its class size (the smaller size under the intake basis,
    /// where the share decides), less its reserved seats.
    fn most_seats(&self) -> Vec<f64> {
        let rules = &self.instance.rules;
        self.instance
            .schools
            .iter()
            .map(|school| {
                let size = match rules.migration_basis {
                    crate::model::MigrationBasis::PreviousYear => rules.class_size_for(school.prev_migration_share),
                    crate::model::MigrationBasis::Intake => rules.smallest_class_size(),
                };
                (size as f64) * school.max_classes as f64 - school.reserved_seats as f64
            })
            .collect()
    }

    /// The arcs of the next model: with an incumbent (and the LP's duals),
    /// every arc whose reduced cost is within the incumbent's reach
    /// (`rc <= objective - z_LP`: no better assignment uses another), the
    /// incumbent's arcs and those of the first arcs at each root;
    /// otherwise the arcs collected so far.
    fn model_arcs(&self) -> Vec<usize> {
        let Some((school_of, objective)) = self.incumbent.as_ref().filter(|_| !self.reduced.is_empty()) else {
            return self.arcs.clone();
        };
        let reach = objective - self.lp_value + PRICING_TOLERANCE * self.lp_value.abs().max(1.0);
        (0..self.every_arc.len())
            .filter(|&i| {
                let a = &self.every_arc[i];
                self.reduced[i] <= reach || school_of[a.group] == a.school || self.graph.is_at_root(a.group, a.school)
            })
            .collect()
    }

    /// One integer program over the model's arcs with the cuts so far,
    /// started from the incumbent when its seats fit: its arcs, what its
    /// columns stand for, and HiGHS's result.
    fn solve_round(&mut self) -> Result<(Vec<Arc>, Columns, RunResult), SolveError> {
        let arcs: Vec<Arc> = self.model_arcs().into_iter().map(|i| self.every_arc[i]).collect();
        let arc_of: HashMap<(usize, usize), usize> = arcs.iter().enumerate().map(|(i, a)| ((a.group, a.school), i)).collect();
        let model = build_mip(self.instance, self.groups, arcs.clone());
        let rows: Vec<ExtraRow> = self.cuts.iter().filter_map(|cut| self.graph.row(cut, &model, &arc_of)).collect();
        (self.stats.arcs, self.stats.columns, self.stats.rows) = (model.arcs.len(), model.columns.len(), model.rows.len() + rows.len());
        let start = match self.incumbent.clone() {
            Some((school_of, _)) => self.start_columns(&arcs, &model.columns, &school_of, &rows)?,
            None => None,
        };
        let rebuild = || build_mip(self.instance, self.groups, arcs.clone()).problem;
        let result = run_mip_with_rows_or_without_presolve(model.problem, rebuild, &self.settings, start.as_deref(), &[], &rows)?;
        self.highs_seconds += result.seconds;
        Ok((arcs, model.columns, result))
    }

    /// Every column of a start for the model over `arcs`: the incumbent's
    /// arcs fixed, HiGHS fills in the class counts (`None` when the
    /// incumbent's pupils do not fit the seats).
    fn start_columns(
        &mut self,
        arcs: &[Arc],
        columns: &Columns,
        school_of: &[usize],
        rows: &[ExtraRow],
    ) -> Result<Option<Vec<f64>>, SolveError> {
        let mut fixed = Vec::new();
        for (a, arc) in arcs.iter().enumerate() {
            let value = if school_of[arc.group] == arc.school { 1.0 } else { 0.0 };
            for regime in [Regime::Full, Regime::Reduced] {
                if let Some(c) = columns.arc(a, regime) {
                    // Intake basis: the regime is left to HiGHS by fixing only the sum's zeros.
                    if value == 0.0 || columns.arc(a, Regime::Reduced).is_none() {
                        fixed.push((c, value));
                    }
                }
            }
        }
        let model = build_mip(self.instance, self.groups, arcs.to_vec());
        let rebuild = || build_mip(self.instance, self.groups, arcs.to_vec()).problem;
        let result = run_mip_with_rows_or_without_presolve(model.problem, rebuild, &self.settings, None, &fixed, rows)?;
        self.highs_seconds += result.seconds;
        Ok(result.columns.filter(|_| result.status == RunStatus::Optimal))
    }

    /// The school of every group in a solution.
    fn school_of_group(&self, arcs: &[Arc], columns: &Columns, values: &[f64]) -> Vec<usize> {
        let mut school_of = vec![usize::MAX; self.groups.len()];
        for (a, arc) in arcs.iter().enumerate() {
            if columns.arc_total(a, values) > 0.5 {
                school_of[arc.group] = arc.school;
            }
        }
        school_of
    }

    fn seconds(&self) -> (f64, f64) {
        (self.started.elapsed().as_secs_f64(), self.highs_seconds)
    }

    fn without_assignment(&self, status: SolveStatus) -> SolveOutcome {
        let (wall, highs) = self.seconds();
        SolveOutcome::without_assignment(status, self.stats.clone(), wall, highs)
    }
}
