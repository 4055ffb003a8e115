//! Deciding schools' regimes by LP bounds, intake basis: probing, then an
//! exact search over the regimes probing leaves open.
//!
//! With the intake basis the hard part of the integer program is the
//! disjunction (which schools end up above the threshold); once every
//! school's regime is fixed, the rest is close to a transportation problem
//! and HiGHS solves it at the root (see [`super::warm_start`]). So:
//!
//! 1. **Probing.** With a solution of total way `UB` at hand, a school's
//!    regime is decided when the LP relaxation with the *other* regime forced
//!    (`y_s` fixed to 0 or 1) is infeasible or has an optimum above `UB`:
//!    every solution with the other regime is then worse than the one at
//!    hand, so fixing `y_s` cannot cut off a better solution.
//! 2. **Search.** Over the schools left open, a depth-first branch and bound
//!    on their regimes: a node fixes the regimes of the first schools, its LP
//!    relaxation is a lower bound for every solution below it and prunes it
//!    when not below `UB`; a leaf fixes every regime and its integer program
//!    is solved by HiGHS. When the search ends within its node budget, the
//!    best solution found is optimal over the current arcs; otherwise the
//!    caller falls back to HiGHS on the whole model (with the probed regimes
//!    fixed and the best solution as start).
//!
//! Every LP here re-solves the same model after a few bound changes, from the
//! basis of the solve before ([`LpProbe`]): a few dual simplex iterations
//! each. The bounds hold for the model over the current arcs; the
//! certificate of [`super::certified`] covers the arcs left out, as before.

use super::SolveError;
use super::candidates::Arc;
use super::formulation::{Regime, build};
use super::groups::Group;
use super::highs_run::{LpProbe, RunSettings};
use super::warm_start::{ColumnMap, Incumbent, regime_start};
use crate::model::Instance;
use std::time::Instant;

/// An LP bound must exceed the solution at hand by this much (relative) to
/// decide a regime or prune a node, so that LP round-off never does.
const BOUND_TOLERANCE: f64 = 1e-9;

/// The LP relaxation over the current arcs, kept in HiGHS for re-solves.
pub struct RegimeLp {
    lp: LpProbe,
    map: ColumnMap,
    /// The LP optimum with no regime fixed (`None`: out of time).
    pub optimum: Option<f64>,
    /// Seconds spent in HiGHS so far.
    pub seconds: f64,
}

/// What the search over open regimes found.
pub struct Search {
    /// The best solution: the start, or a better one found at a leaf.
    pub best: Incumbent,
    /// Whether the search ran to its end, which proves `best` optimal.
    pub complete: bool,
    /// Nodes whose LP was solved.
    pub nodes: usize,
    /// Leaves whose integer program was solved.
    pub leaves: usize,
}

impl RegimeLp {
    /// Builds and solves the LP relaxation over `arcs`.
    pub fn new(instance: &Instance, groups: &[Group], arcs: Vec<Arc>, settings: &RunSettings) -> Result<Self, SolveError> {
        let started = Instant::now();
        let model = build(instance, groups, arcs, true);
        let map = ColumnMap::of(&model);
        let (lp, optimum) = LpProbe::new(model.problem, settings)?;
        Ok(RegimeLp {
            lp,
            map,
            optimum,
            seconds: started.elapsed().as_secs_f64(),
        })
    }

    /// LP optimum with the listed schools' regimes fixed (infinite when infeasible).
    fn bound(&mut self, fixed: &[(usize, Regime)]) -> Result<Option<f64>, SolveError> {
        let started = Instant::now();
        let columns: Vec<(usize, f64)> = fixed
            .iter()
            .filter_map(|&(s, r)| self.map.regime_column(s).map(|c| (c, r.flag())))
            .collect();
        let bound = self.lp.optimum_with_fixed(&columns, (0.0, 1.0))?;
        self.seconds += started.elapsed().as_secs_f64();
        Ok(bound)
    }

    /// Probing: for each school, `Some(regime)` of the solution at hand
    /// (`regimes`, of total way `upper_bound`) when the LP with the other
    /// regime is not below it, else `None`; with the other regime's LP bound.
    pub fn decide(&mut self, regimes: &[Regime], upper_bound: f64) -> Result<Vec<(Option<Regime>, f64)>, SolveError> {
        let mut decided = vec![(None, f64::NEG_INFINITY); regimes.len()];
        if !self.optimum.is_some_and(f64::is_finite) {
            return Ok(decided);
        }
        for (s, &regime) in regimes.iter().enumerate() {
            if self.map.regime_column(s).is_none() {
                continue;
            }
            if let Some(bound) = self.bound(&[(s, regime.other())])? {
                decided[s] = (not_below(bound, upper_bound).then_some(regime), bound);
            }
        }
        Ok(decided)
    }

    /// Depth-first branch and bound over the regimes of the schools that
    /// `decided` leaves open, starting from `start`; at most `node_limit`
    /// nodes and `leaf_limit` leaves (integer programs).
    #[allow(clippy::too_many_arguments)]
    pub fn search(
        &mut self,
        instance: &Instance,
        groups: &[Group],
        arcs: &[Arc],
        decided: &[(Option<Regime>, f64)],
        start: Incumbent,
        settings: &RunSettings,
        (node_limit, leaf_limit): (usize, usize),
    ) -> Result<Search, SolveError> {
        let Some(start_regimes) = start.regimes() else {
            return Ok(Search {
                best: start,
                complete: false,
                nodes: 0,
                leaves: 0,
            });
        };
        let fixed: Vec<(usize, Regime)> = decided.iter().enumerate().filter_map(|(s, d)| d.0.map(|r| (s, r))).collect();
        let open = self.open_schools(decided);
        let mut search = Search {
            best: start,
            complete: true,
            nodes: 0,
            leaves: 0,
        };
        // A node: the regimes of open[..node.len()].
        let mut stack: Vec<Vec<Regime>> = vec![Vec::new()];
        while let Some(node) = stack.pop() {
            if search.nodes >= node_limit {
                search.complete = false;
                break;
            }
            search.nodes += 1;
            let mut fixings = fixed.clone();
            fixings.extend(open.iter().zip(&node).map(|(&s, &r)| (s, r)));
            let Some(bound) = self.bound(&fixings)? else {
                search.complete = false;
                break;
            };
            if not_below(bound, search.best.objective) {
                continue;
            }
            if node.len() < open.len() {
                let school = open[node.len()];
                let preferred = search.best.regimes().map_or(start_regimes[school], |r| r[school]);
                stack.extend([preferred.other(), preferred].map(|regime| [node.as_slice(), &[regime]].concat()));
                continue;
            }
            let mut regimes = start_regimes.clone();
            for &(s, r) in &fixings {
                regimes[s] = r;
            }
            if search.leaves >= leaf_limit || !self.solve_leaf(instance, groups, arcs, &regimes, settings, &mut search)? {
                // Out of leaves, or the leaf needs more work than a heuristic
                // run may take: leave the rest to HiGHS on the whole model.
                search.complete = false;
                break;
            }
        }
        Ok(search)
    }

    /// The schools `decided` leaves open, the most consequential first: the
    /// higher the LP bound of the other regime, the sooner that branch is pruned.
    fn open_schools(&self, decided: &[(Option<Regime>, f64)]) -> Vec<usize> {
        let mut open: Vec<usize> = (0..decided.len())
            .filter(|&s| decided[s].0.is_none() && self.map.regime_column(s).is_some())
            .collect();
        open.sort_by(|&a, &b| decided[b].1.total_cmp(&decided[a].1).then(a.cmp(&b)));
        open
    }

    /// A leaf of the search: the integer program with every regime fixed
    /// (`regimes`), whose solution replaces the best when better. Returns
    /// whether HiGHS proved the leaf solved (optimal or infeasible).
    fn solve_leaf(
        &mut self,
        instance: &Instance,
        groups: &[Group],
        arcs: &[Arc],
        regimes: &[Regime],
        settings: &RunSettings,
        search: &mut Search,
    ) -> Result<bool, SolveError> {
        search.leaves += 1;
        let started = Instant::now();
        let (leaf, proven, _) = regime_start(instance, groups, arcs.to_vec(), regimes, settings)?;
        self.seconds += started.elapsed().as_secs_f64();
        if let Some(leaf) = leaf.filter(|l| l.objective < search.best.objective) {
            search.best = leaf;
        }
        Ok(proven)
    }
}

/// `bound` proves that nothing below `upper_bound` is left.
fn not_below(bound: f64, upper_bound: f64) -> bool {
    bound >= upper_bound - BOUND_TOLERANCE * upper_bound.abs().max(1.0)
}
