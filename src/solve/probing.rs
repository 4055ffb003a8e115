//! Deciding schools' regimes by LP bounds, intake basis: a dive, probing,
//! then an exact search over the regimes probing leaves open.
//!
//! With the intake basis the hard part of the integer program is the
//! disjunction (which schools end up above the threshold); once every
//! school's regime is fixed, the rest is close to a transportation problem
//! and HiGHS solves it at the root (see [`super::warm_start`]). So:
//!
//! 1. **Dive.** From the LP relaxation, school by school, the regime whose
//!    LP bound is lower, down to a leaf (below): a good solution. Where the
//!    LP's intake at a school already meets one regime's rows, the LP
//!    solution *settles* that regime (fixing it changes neither solution nor
//!    bound) and no LP is solved; elsewhere both children's. It starts
//!    from the LP's rounded regimes with no solution at hand (see
//!    `warm_start`), and its leaf is usually the optimum or within 0.2 % of it.
//! 2. **Probing.** With a solution of total way `UB` at hand, a school's
//!    regime is decided when the LP relaxation with the *other* regime forced
//!    (`y_s` fixed to 0 or 1) is infeasible or has an optimum above `UB`:
//!    every solution with the other regime is then worse than the one at
//!    hand, so fixing `y_s` cannot cut off a better solution. Only schools
//!    whose regime the LP solution does not settle are probed.
//! 3. **Search.** Over the schools left open, a depth-first branch and bound
//!    on their regimes: a node fixes the regimes of some open schools, its LP
//!    relaxation is a lower bound for every solution below it and prunes it
//!    when not below `UB`. A node branches on an open school whose regime
//!    its LP solution does not settle; when it settles every one, the leaf
//!    of those regimes holds the LP's solution, and once that leaf is solved
//!    a node whose bound it reaches is closed (with the `share_rounding`
//!    cuts the leaf's LP is often integral); a node whose bound lies just
//!    below the best is closed by its own integer program over the few arcs
//!    near its LP, the other regimes free. Both children's LPs are solved
//!    when a node is branched, and the one of lower bound is searched first.
//!    When the search ends within its node budget, the best solution found
//!    is optimal; otherwise the caller falls back to HiGHS on the whole model
//!    (with the probed regimes fixed and the best solution as start).
//!
//! A **leaf** fixes every regime; its integer program is solved by HiGHS with
//! the best total way as cutoff and only the arcs within a reach in reduced
//! cost at the leaf's LP (reduced-cost fixing, see [`RegimeLp::solve_leaf`]):
//! a few hundred of the ten thousand arcs near the optimum. A leaf is
//! solved once: the dive's leaf, often the search's first, is not solved
//! again.
//!
//! Every LP here re-solves the same model after a few bound changes, from the
//! basis of the solve before ([`LpProbe`]): a few dual simplex iterations
//! each. With [`ArcPricing`] (as the certified solve runs it) every bound
//! also prices the arcs the LP leaves out, so the bounds, and a complete
//! search's proof, hold over every allowed arc (branch and price).

use super::SolveError;
use super::candidates::{Arc, SchoolTree, every_allowed_arc};
use super::formulation::{Regime, RowKind, admits_regime, build, build_lp_with_unassigned};
use super::groups::Group;
use super::highs_run::{LpProbe, RunSettings};
use super::pricing::{ALL_PRICED_ARCS, Duals, add_priced_arcs_up_to};
use super::warm_start::{ColumnMap, Incumbent, SolvedLp, carry_basis, partly_fixed_start, regime_start};
use crate::model::Instance;
use std::collections::HashSet;
use std::time::Instant;

/// An LP bound must exceed the solution at hand by this much (relative) to
/// decide a regime or prune a node, so that LP round-off never does.
const BOUND_TOLERANCE: f64 = 1e-9;

/// The first reach in reduced cost (metres) of a leaf's integer program (see
/// [`RegimeLp::solve_leaf`]): a leaf's optimum usually lies within a few
/// hundred metres of its LP bound, and with this reach its integer program
/// keeps about one arc in six. A solver setting, not a rule: the leaf's
/// result is the same for any reach.
const LEAF_FIRST_REACH_M: f64 = 100.0;

/// A node whose LP solution settles every open school, whose leaf is solved
/// and whose bound lies at most this far (metres) below the best, is closed
/// by its own integer program (see [`RegimeLp::node_program_closes`]) rather
/// than by branching on each settled school in turn. So close to the best,
/// the program holds only the arcs within this reach in reduced cost (a
/// sixth of them); further away it would hold most arcs and choose many
/// regimes, a search of its own (2026-12-01, bundled `magdeburg-intake.toml`:
/// one node 34 m below the best, closed in 0.035 s instead of by 15 LPs in
/// 0.13 s). A solver setting, not a rule: the search's result is the same.
const NODE_PROGRAM_REACH_M: f64 = 100.0;

/// When an arc prices out at a bound, the LP is built again with every arc
/// within this reduced cost (metres), not only those below 0: the fixings
/// of the next bounds differ a little and would each price out a few more
/// arcs, each time a rebuild solved from scratch (2026-12-01, generated
/// city at imbalance 1, seed 4: 13 rebuilds, 2.2 s; with 1,000 m, 2 and
/// 0.3 s; with 3,000 m the LP grows and each bound costs more). A solver
/// setting, not a rule: the bounds are the same for any margin.
const REPRICE_MARGIN_M: f64 = 1000.0;

/// A school's intake in an LP solution settles a regime when it meets that
/// regime's rows within this tolerance (pupils; HiGHS's primal feasibility
/// tolerance is 1e-7). Only speed depends on it: a bound is valid either way.
const SETTLED_TOLERANCE: f64 = 1e-6;

/// The LP relaxation over the current arcs, kept in HiGHS for re-solves.
pub struct RegimeLp<'a> {
    instance: &'a Instance,
    groups: &'a [Group],
    settings: RunSettings,
    lp: LpProbe,
    map: ColumnMap,
    /// The model's rows, to read its duals.
    rows: Vec<RowKind>,
    /// With branch and price: the arcs left out are priced at every bound.
    pricing: Option<ArcPricing<'a>>,
    /// The duals of the last bound (branch and price only).
    last_duals: Option<Duals>,
    /// The regimes of every leaf whose integer program was proven solved
    /// (see [`RegimeLp::solve_leaf`]): the dive's leaf is often the first
    /// leaf of the search too.
    solved_leaves: HashSet<Vec<Regime>>,
    /// The LP optimum with no regime fixed (`None`: out of time).
    pub optimum: Option<f64>,
    /// Seconds spent in HiGHS so far.
    pub seconds: f64,
}

/// Branch and price: what the LP needs to price the arcs it leaves out.
///
/// The LP then has an *unassigned* variable per group at `unassigned_price`
/// (so that it is feasible over any arcs) and is a relaxation of the LP over
/// every allowed arc. After each solve, every left-out arc is priced with its
/// duals; arcs that price out are added and the LP is solved again, so every
/// bound the search uses holds for the problem over **all** arcs, and a
/// complete search proves its best solution optimal outright, not only over
/// the arcs at hand. (An LP that is infeasible over its arcs is built again
/// over every allowed arc, where infeasibility is final.)
pub struct ArcPricing<'a> {
    /// The schools, nearest first, for pricing.
    pub tree: &'a SchoolTree,
    /// Per group, the arcs in the LP; it grows as arcs price out.
    pub arcs: Vec<Vec<Arc>>,
    /// Price of an unassigned pupil (metres).
    pub unassigned_price: f64,
    /// Whether `arcs` holds every allowed arc already.
    pub every_arc: bool,
}

/// A node of the regime search: the regimes of some open schools, its LP
/// bound, and the regimes its LP solution settles (per school).
struct Node {
    fixed: Vec<(usize, Regime)>,
    bound: f64,
    settled: Vec<Option<Regime>>,
}

/// A child of a node: the regime it fixes, its LP bound, and the regimes its
/// LP solution settles (per school).
struct Child {
    regime: Regime,
    bound: f64,
    settled: Vec<Option<Regime>>,
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
    /// The arcs of the leaf that found `best` (`None`: `best` is the start).
    pub best_arcs: Option<Vec<Arc>>,
}

impl Search {
    /// A search that has found nothing yet but `start`; `complete` until it
    /// stops short.
    fn from_start(start: Incumbent, complete: bool) -> Self {
        Search {
            best: start,
            complete,
            nodes: 0,
            leaves: 0,
            best_arcs: None,
        }
    }
}

impl<'a> RegimeLp<'a> {
    /// Builds and solves the LP relaxation over `arcs`; with `pricing`, over
    /// every arc (branch and price, see [`ArcPricing`]). The first solve
    /// starts from the basis of `before` (an LP over the same or nearly the
    /// same columns and rows, see [`carry_basis`]), when given.
    pub fn new(
        instance: &'a Instance,
        groups: &'a [Group],
        arcs: Vec<Arc>,
        settings: &RunSettings,
        pricing: Option<ArcPricing<'a>>,
        before: Option<&SolvedLp>,
    ) -> Result<Self, SolveError> {
        let started = Instant::now();
        let model = match &pricing {
            Some(p) => build_lp_with_unassigned(instance, groups, arcs, p.unassigned_price),
            None => build(instance, groups, arcs, true),
        };
        let map = ColumnMap::of(&model);
        let basis = before.and_then(|before| carry_basis(before, (&map, &model.rows)));
        let (lp, optimum) = LpProbe::keeping_duals_from(model.problem, settings, pricing.is_some(), basis.as_ref())?;
        let mut regime_lp = RegimeLp {
            instance,
            groups,
            settings: *settings,
            lp,
            map,
            rows: model.rows,
            pricing,
            last_duals: None,
            solved_leaves: HashSet::new(),
            optimum,
            seconds: started.elapsed().as_secs_f64(),
        };
        if regime_lp.pricing.is_some() {
            regime_lp.optimum = regime_lp.bound(&[])?;
        }
        Ok(regime_lp)
    }

    /// The arcs of the LP, per group, when it prices (branch and price).
    pub fn priced_arcs(&self) -> Option<&[Vec<Arc>]> {
        self.pricing.as_ref().map(|p| p.arcs.as_slice())
    }

    /// LP optimum with the listed schools' regimes fixed (infinite when
    /// infeasible). With pricing, arcs are added until none prices out.
    fn bound(&mut self, fixed: &[(usize, Regime)]) -> Result<Option<f64>, SolveError> {
        loop {
            let bound = self.bound_over_lp_arcs(fixed)?;
            let Some(pricing) = self.pricing.as_mut() else {
                return Ok(bound);
            };
            let Some(value) = bound else {
                return Ok(None);
            };
            if !value.is_finite() {
                if pricing.every_arc {
                    return Ok(bound);
                }
                pricing.arcs = every_allowed_arc(self.instance, self.groups);
                pricing.every_arc = true;
                self.rebuild()?;
                continue;
            }
            let duals = Duals::of_rows(self.instance, self.groups, &self.rows, self.lp.row_duals(), value);
            let tree = pricing.tree;
            let price = |arcs: &mut [Vec<Arc>], reach: f64| {
                add_priced_arcs_up_to(self.instance, self.groups, tree, &duals, arcs, reach, ALL_PRICED_ARCS)
            };
            if price(&mut pricing.arcs, 0.0) == 0 {
                self.last_duals = Some(duals);
                return Ok(bound);
            }
            // Something priced out, so the LP is built again: with the arcs
            // near pricing out as well, which the next bounds' fixings
            // would otherwise ask for one rebuild at a time.
            price(&mut pricing.arcs, REPRICE_MARGIN_M);
            self.rebuild()?;
        }
    }

    /// The LP optimum over the arcs the LP has, with the listed regimes fixed.
    fn bound_over_lp_arcs(&mut self, fixed: &[(usize, Regime)]) -> Result<Option<f64>, SolveError> {
        let started = Instant::now();
        let columns: Vec<(usize, f64)> = fixed
            .iter()
            .filter_map(|&(s, r)| self.map.regime_column(s).map(|c| (c, r.flag())))
            .collect();
        let bound = self.lp.optimum_with_fixed(&columns, (0.0, 1.0))?;
        self.seconds += started.elapsed().as_secs_f64();
        Ok(bound)
    }

    /// Builds the LP again over the pricing's arcs (solved once unfixed,
    /// from the basis of the LP before: see [`carry_basis`]).
    fn rebuild(&mut self) -> Result<(), SolveError> {
        let started = Instant::now();
        let Some(pricing) = self.pricing.as_mut() else {
            return Ok(());
        };
        let model = build_lp_with_unassigned(self.instance, self.groups, pricing.arcs.concat(), pricing.unassigned_price);
        let map = std::mem::replace(&mut self.map, ColumnMap::of(&model));
        let rows = std::mem::replace(&mut self.rows, model.rows);
        let basis = self
            .lp
            .basis()
            .and_then(|basis| carry_basis(&SolvedLp { map, rows, basis }, (&self.map, &self.rows)));
        self.lp = LpProbe::keeping_duals_from(model.problem, &self.settings, true, basis.as_ref())?.0;
        self.seconds += started.elapsed().as_secs_f64();
        Ok(())
    }

    /// Reduced-cost fixing at a leaf: every allowed arc whose reduced cost
    /// at the leaf's LP (the last bound) is at most `reach`, per group; the
    /// LP's own arcs when the LP does not price. A leaf solution of total way
    /// `z` costs at least the leaf's bound plus the reduced cost of each arc
    /// it uses (LP duality; an arc left out of the LP is priced by the same
    /// duals, and a used arc carries at least one pupil), so with `reach` at
    /// least `z` minus the bound these arcs hold every leaf solution up to `z`.
    fn leaf_arcs(&self, lp_arcs: &[Arc], reach: f64) -> Vec<Vec<Arc>> {
        let (Some(pricing), Some(duals)) = (&self.pricing, &self.last_duals) else {
            return vec![lp_arcs.to_vec()];
        };
        let within = reach + duals.tolerance();
        let mut arcs: Vec<Vec<Arc>> = pricing
            .arcs
            .iter()
            .map(|group_arcs| {
                let kept = group_arcs
                    .iter()
                    .filter(|arc| duals.keeps_within(self.instance, self.groups, arc, within));
                kept.cloned().collect()
            })
            .collect();
        add_priced_arcs_up_to(self.instance, self.groups, pricing.tree, duals, &mut arcs, reach, ALL_PRICED_ARCS);
        arcs
    }

    /// Probing: for each school, `Some(regime)` of the solution at hand
    /// (`regimes`, of total way `upper_bound`) when the LP with the other
    /// regime is not below it, else `None`; with the other regime's LP bound
    /// (`-inf` where not probed).
    ///
    /// Only the schools whose regime the LP's own solution leaves open are
    /// probed (see [`RegimeLp::settled_regimes`]). Where it settles the
    /// other regime, that LP is the LP's own solution (its bound the LP
    /// optimum, below the solution at hand). Where it settles the regime of
    /// the solution at hand, the search never branches on the school at
    /// its root, and a node program (see [`RegimeLp::node_program_closes`])
    /// settles such schools together; their probes cost more than they
    /// spared (2026-12-01: the bundled `magdeburg-intake.toml`, 33 probes
    /// deciding 11 schools, 1.04 s; 7 probes deciding 2, 0.72 s; of six
    /// generated cities five 0.1-0.4 s faster, one 0.1 s slower).
    pub fn decide(&mut self, regimes: &[Regime], upper_bound: f64) -> Result<Vec<(Option<Regime>, f64)>, SolveError> {
        let mut decided = vec![(None, f64::NEG_INFINITY); regimes.len()];
        if !self.optimum.is_some_and(f64::is_finite) {
            return Ok(decided);
        }
        let Some(root) = self.bound(&[])? else {
            return Ok(decided);
        };
        let settled = self.settled_regimes();
        for (s, &regime) in regimes.iter().enumerate() {
            if self.map.regime_column(s).is_none() || settled[s] == Some(regime) {
                continue;
            }
            if settled[s] == Some(regime.other()) {
                decided[s] = (None, root);
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
    ///
    /// A node branches on the first open school (in [`RegimeLp::open_schools`]'
    /// order) whose regime its LP solution does not settle (see
    /// [`RegimeLp::settled_regimes`]). When the solution settles every open
    /// school, it is a solution of the leaf of those regimes, whose integer
    /// program is solved; if the leaf's optimum (or the best) reaches the
    /// node's bound, nothing below the node is better and it is closed,
    /// else it branches on its first open school not yet fixed.
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
            return Ok(Search::from_start(start, false));
        };
        let fixed: Vec<(usize, Regime)> = decided.iter().enumerate().filter_map(|(s, d)| d.0.map(|r| (s, r))).collect();
        let open = self.open_schools(decided);
        let mut search = Search::from_start(start, true);
        let mut stack: Vec<Node> = Vec::new();
        if let Some(bound) = self.node_bound(&fixed, node_limit, &mut search)? {
            stack.push(Node {
                fixed: Vec::new(),
                bound,
                settled: self.settled_regimes(),
            });
        }
        while let Some(node) = stack.pop() {
            if not_below(node.bound, search.best.objective) {
                continue;
            }
            let fixings = [fixed.as_slice(), &node.fixed].concat();
            let unfixed: Vec<usize> = open.iter().copied().filter(|s| !node.fixed.iter().any(|f| f.0 == *s)).collect();
            let unsettled = unfixed.iter().copied().find(|&s| node.settled[s].is_none());
            let branch_on = match unsettled {
                Some(school) => Some(school),
                None => {
                    let (leaf, regimes) = settled_leaf_of(&node, &fixings, &unfixed, &start_regimes);
                    match self.settled_leaf(
                        instance,
                        groups,
                        arcs,
                        (&leaf, &regimes),
                        (node_limit, leaf_limit),
                        settings,
                        &mut search,
                    )? {
                        None => {
                            // Out of nodes, leaves or time, or the leaf needs
                            // more work than a heuristic run may take: leave
                            // the rest to HiGHS on the whole model.
                            search.complete = false;
                            break;
                        }
                        Some(()) if not_below(node.bound, search.best.objective) => None,
                        Some(()) => {
                            let limits = (node_limit, leaf_limit);
                            let closed = self.node_program_closes(instance, groups, arcs, &fixings, limits, settings, &mut search)?;
                            if closed { None } else { unfixed.first().copied() }
                        }
                    }
                }
            };
            let Some(school) = branch_on else {
                continue;
            };
            let parent = Some((node.bound, node.settled.as_slice()));
            let Some(children) = self.children(&fixings, school, parent, node_limit, &mut search)? else {
                break;
            };
            stack.extend(children.into_iter().map(|child| Node {
                fixed: [node.fixed.as_slice(), &[(school, child.regime)]].concat(),
                bound: child.bound,
                settled: child.settled,
            }));
        }
        Ok(search)
    }

    /// The leaf `leaf` (every open school's regime, fixed or settled; all
    /// schools' regimes in `regimes`) of a node whose LP solution settles
    /// every open school: its integer program, unless solved before or
    /// pruned by its LP bound. `None` when the search must stop (out of
    /// nodes, leaves or time, or the leaf not proven solved).
    #[allow(clippy::too_many_arguments)]
    fn settled_leaf(
        &mut self,
        instance: &Instance,
        groups: &[Group],
        arcs: &[Arc],
        (leaf, regimes): (&[(usize, Regime)], &[Regime]),
        (node_limit, leaf_limit): (usize, usize),
        settings: &RunSettings,
        search: &mut Search,
    ) -> Result<Option<()>, SolveError> {
        if self.solved_leaves.contains(regimes) {
            return Ok(Some(()));
        }
        // The leaf's LP once more: its duals price the leaf's arcs.
        let Some(bound) = self.node_bound(leaf, node_limit, search)? else {
            return Ok(None);
        };
        if not_below(bound, search.best.objective) {
            return Ok(Some(()));
        }
        if search.leaves >= leaf_limit || !self.solve_leaf(instance, groups, arcs, (regimes, bound), settings, search)? {
            return Ok(None);
        }
        Ok(Some(()))
    }

    /// The integer program of a node (`fixings`) whose LP solution settles
    /// every open school and whose leaf is solved, its other schools'
    /// regimes free: when its bound lies within [`NODE_PROGRAM_REACH_M`] of
    /// the best, it holds only the arcs within that reach in reduced cost at
    /// the node's LP (as a leaf's, see [`RegimeLp::leaf_arcs`]: every
    /// solution below the node better than the best uses none other), with
    /// the best as cutoff. Returns whether it closed the node: HiGHS solved
    /// it (a better solution found replaces the best) or proved that it has
    /// none better than the best. Counted as a leaf.
    #[allow(clippy::too_many_arguments)]
    fn node_program_closes(
        &mut self,
        instance: &Instance,
        groups: &[Group],
        arcs: &[Arc],
        fixings: &[(usize, Regime)],
        (node_limit, leaf_limit): (usize, usize),
        settings: &RunSettings,
        search: &mut Search,
    ) -> Result<bool, SolveError> {
        if search.leaves >= leaf_limit {
            return Ok(false);
        }
        // The node's LP once more: the last LP solved was its leaf's, whose
        // duals hold for the leaf only.
        let Some(bound) = self.node_bound(fixings, node_limit, search)? else {
            return Ok(false);
        };
        if not_below(bound, search.best.objective) {
            return Ok(true);
        }
        let reach = search.best.objective - bound;
        if self.last_duals.is_none() || reach > NODE_PROGRAM_REACH_M {
            return Ok(false);
        }
        search.leaves += 1;
        let started = Instant::now();
        let node_arcs = self.leaf_arcs(arcs, reach).concat();
        let mut regimes = vec![None; instance.schools.len()];
        for &(school, regime) in fixings {
            regimes[school] = Some(regime);
        }
        let program_settings = below_best(settings, search.best.objective);
        let (found, proven, _) = partly_fixed_start(instance, groups, node_arcs.clone(), &regimes, None, &program_settings)?;
        self.seconds += started.elapsed().as_secs_f64();
        if let Some(found) = found.filter(|f| f.objective < search.best.objective) {
            search.best = found;
            search.best_arcs = Some(node_arcs);
        }
        Ok(proven)
    }

    /// A dive for a good solution before probing: school by school, the
    /// regime whose LP bound is lower (both LPs solved where the LP solution
    /// does not settle the school's regime, none where it does), then the
    /// leaf's integer program; it ends early when both regimes of a school
    /// are already no better than `start`. Returns what it found as a (never
    /// complete) [`Search`], whose best is `start` or better.
    pub fn dive(
        &mut self,
        instance: &Instance,
        groups: &[Group],
        arcs: &[Arc],
        start: Incumbent,
        settings: &RunSettings,
    ) -> Result<Search, SolveError> {
        let mut search = Search::from_start(start, false);
        let Some(mut regimes) = search.best.regimes() else {
            return Ok(search);
        };
        let mut fixings = Vec::new();
        let mut settled = self.settled_regimes();
        let schools: Vec<usize> = (0..regimes.len()).filter(|&s| self.map.regime_column(s).is_some()).collect();
        for school in schools {
            let regime = match settled[school] {
                Some(regime) => regime,
                None => {
                    let Some(lower) = self.lower_child(&fixings, school, &mut search)? else {
                        return Ok(search);
                    };
                    settled = lower.settled;
                    lower.regime
                }
            };
            fixings.push((school, regime));
            regimes[school] = regime;
        }
        if let Some(bound) = self
            .node_bound(&fixings, usize::MAX, &mut search)?
            .filter(|&b| !not_below(b, search.best.objective))
        {
            self.solve_leaf(instance, groups, arcs, (&regimes, bound), settings, &mut search)?;
        }
        search.complete = false;
        Ok(search)
    }

    /// The regime each school's intake in the last LP solution settles: the
    /// regime whose rows it meets (see [`admits_regime`]), so that the child
    /// fixing that regime has the same solution and bound, and the dive and
    /// the search need not solve it. `None` for a school whose intake blends
    /// the regimes, and for every school when the LP keeps no solution.
    fn settled_regimes(&self) -> Vec<Option<Regime>> {
        let n = self.instance.schools.len();
        let values = self.lp.columns();
        if values.is_empty() {
            return vec![None; n];
        }
        let intakes = self.map.school_intakes(self.groups, values);
        (0..n)
            .map(|s| {
                [Regime::Full, Regime::Reduced]
                    .into_iter()
                    .find(|&r| admits_regime(self.instance, s, r, intakes[s], SETTLED_TOLERANCE))
            })
            .collect()
    }

    /// The dive's step at a school whose regime is not settled: both
    /// children of `fixings` that branch on `school`, and the one of lower
    /// bound. `None` when out of time or both children are pruned.
    fn lower_child(&mut self, fixings: &[(usize, Regime)], school: usize, search: &mut Search) -> Result<Option<Child>, SolveError> {
        let Some(mut children) = self.children(fixings, school, None, usize::MAX, search)? else {
            return Ok(None);
        };
        Ok(children.pop())
    }

    /// The LP bound of a node (`fixings`), counted in `search`; `None` (and
    /// the search incomplete) when out of nodes or out of time.
    fn node_bound(&mut self, fixings: &[(usize, Regime)], node_limit: usize, search: &mut Search) -> Result<Option<f64>, SolveError> {
        if search.nodes >= node_limit {
            search.complete = false;
            return Ok(None);
        }
        search.nodes += 1;
        let bound = self.bound(fixings)?;
        if bound.is_none() {
            search.complete = false;
        }
        Ok(bound)
    }

    /// The children of a node (`fixings`) that branch on `school`'s regime
    /// and are not pruned, each with its LP bound and the regimes its LP
    /// solution settles, in the order to push them: the lower bound last, so
    /// that the search goes there first (best bound among siblings: a good
    /// solution early prunes more). `None` when out of nodes or out of time.
    ///
    /// With the `parent`'s bound and settled regimes: where the parent's LP
    /// solution settles `school`, the child of that regime has the same
    /// solution, hence the same bound and settled regimes, and its LP is
    /// not solved (a node whose open schools are all settled but whose leaf
    /// stays below the best branches on settled schools one after the
    /// other: 16 levels on the bundled intake scenario).
    fn children(
        &mut self,
        fixings: &[(usize, Regime)],
        school: usize,
        parent: Option<(f64, &[Option<Regime>])>,
        node_limit: usize,
        search: &mut Search,
    ) -> Result<Option<Vec<Child>>, SolveError> {
        let mut children = Vec::with_capacity(2);
        for regime in [Regime::Full, Regime::Reduced] {
            if let Some((bound, settled)) = parent.filter(|(_, settled)| settled[school] == Some(regime)) {
                children.push(Child {
                    regime,
                    bound,
                    settled: settled.to_vec(),
                });
                continue;
            }
            let child = [fixings, &[(school, regime)]].concat();
            let Some(bound) = self.node_bound(&child, node_limit, search)? else {
                return Ok(None);
            };
            if !not_below(bound, search.best.objective) {
                let settled = self.settled_regimes();
                children.push(Child { regime, bound, settled });
            }
        }
        children.sort_by(|a, b| b.bound.total_cmp(&a.bound));
        Ok(Some(children))
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
    /// (`regimes`; its LP bound `leaf_bound`), whose solution replaces the
    /// best when better. Returns whether HiGHS proved the leaf solved
    /// (optimal or infeasible).
    ///
    /// With pricing, the leaf's integer program holds only the arcs within
    /// a reach in reduced cost (see [`RegimeLp::leaf_arcs`]): first
    /// [`LEAF_FIRST_REACH_M`] (at most the gap to the best solution), then,
    /// while the leaf's best `z` (or the best solution, if lower) lies more
    /// than the reach above the bound, again with the reach widened to that
    /// difference. When it ends, no arc left out can take part in a leaf
    /// solution better than both, so the leaf is solved over every arc.
    fn solve_leaf(
        &mut self,
        instance: &Instance,
        groups: &[Group],
        arcs: &[Arc],
        (regimes, leaf_bound): (&[Regime], f64),
        settings: &RunSettings,
        search: &mut Search,
    ) -> Result<bool, SolveError> {
        // A leaf solved before needs no second solve: its best solution was
        // then kept if better than the best of that time, and the best has
        // only gone down since, so it holds nothing better than the best.
        if self.solved_leaves.contains(regimes) {
            return Ok(true);
        }
        search.leaves += 1;
        let started = Instant::now();
        let leaf_settings = below_best(settings, search.best.objective);
        let mut reach = (search.best.objective - leaf_bound).min(LEAF_FIRST_REACH_M);
        let mut found: Option<(Incumbent, Vec<Vec<Arc>>)> = None;
        let proven = loop {
            let leaf_arcs = self.leaf_arcs(arcs, reach);
            let start = found.as_ref().map(|f| &f.0).filter(|k| k.uses_only(&leaf_arcs));
            let (leaf, proven, _) = regime_start(instance, groups, leaf_arcs.concat(), regimes, start, &leaf_settings)?;
            if !proven {
                break false;
            }
            // A wider reach starts from what the narrower found, so it finds
            // no worse; the better of the two is kept all the same.
            if let Some(leaf) = leaf.filter(|l| found.as_ref().is_none_or(|f| l.objective < f.0.objective)) {
                found = Some((leaf, leaf_arcs));
            }
            let needed = found
                .as_ref()
                .map_or(search.best.objective, |f| f.0.objective.min(search.best.objective))
                - leaf_bound;
            if self.last_duals.is_none() || needed <= reach {
                break true;
            }
            reach = needed;
        };
        self.seconds += started.elapsed().as_secs_f64();
        if proven {
            self.solved_leaves.insert(regimes.to_vec());
        }
        if let Some((leaf, leaf_arcs)) = found.filter(|f| f.0.objective < search.best.objective) {
            search.best = leaf;
            search.best_arcs = Some(leaf_arcs.concat());
        }
        Ok(proven)
    }
}

/// The leaf of a node whose LP solution settles every open school: its
/// fixings with each unfixed open school (`unfixed`) at its settled regime,
/// and every school's regime (`start_regimes` where neither says).
fn settled_leaf_of(
    node: &Node,
    fixings: &[(usize, Regime)],
    unfixed: &[usize],
    start_regimes: &[Regime],
) -> (Vec<(usize, Regime)>, Vec<Regime>) {
    let mut leaf = fixings.to_vec();
    leaf.extend(unfixed.iter().filter_map(|&s| node.settled[s].map(|r| (s, r))));
    let mut regimes = start_regimes.to_vec();
    for &(s, r) in &leaf {
        regimes[s] = r;
    }
    (leaf, regimes)
}

/// `settings` for the integer program of a leaf or a node of the search,
/// where only solutions better than the best (`best`) are of interest:
/// HiGHS prunes with that cutoff from its first node on (it needs no
/// solution of its own to prune), and a program with none ends without one.
/// Nor does it need HiGHS's primal heuristics: such a program is close to a
/// transportation problem, solved at or near the root, and a cutoff at the
/// best prunes what they would look through (2026-12-01: 13.7 -> 10.5 s on a
/// generated city at imbalance 1, seed 1).
fn below_best(settings: &RunSettings, best: f64) -> RunSettings {
    RunSettings {
        cutoff: Some(best).filter(|c| c.is_finite()),
        primal_heuristics: false,
        ..*settings
    }
}

/// `bound` proves that nothing below `upper_bound` is left.
fn not_below(bound: f64, upper_bound: f64) -> bool {
    if upper_bound.is_infinite() {
        return bound.is_infinite();
    }
    bound >= upper_bound - BOUND_TOLERANCE * upper_bound.abs().max(1.0)
}
