//! Contiguous districts (`[rules] contiguous = true`), modelled exactly
//! with separator cuts added lazily.
//!
//! The model is the integer program of [`super::formulation`] over **every
//! allowed arc** of the whole groups (homes or units), plus the cuts of
//! [`super::contiguity_cuts`] found so far:
//! ```text
//! contiguity_cut   x_gs <= sum_{c in S} sum_{h at c} x_hs     for each cut (s, g, S) found
//! ```
//! Round by round: solve, find for every school the components of its
//! district (the cells of its groups in the map's adjacency) that do not
//! hold its root cell, add a cut per group of each such component with a
//! minimal separator between the component and the root, and solve again,
//! until no district is disconnected. Every cut holds for every contiguous
//! assignment, so each round is a relaxation of the contiguous problem: its
//! bound is a bound of the contiguous optimum, and a round whose optimum
//! violates no cut is the contiguous optimum (status `optimal` only then;
//! a deadline that ends the rounds first leaves no assignment, status
//! `time_limit`). An infeasible round proves the contiguous problem
//! infeasible.
//!
//! Why every arc: a contiguous district may need a cell far from the school
//! as a bridge to its root, so the reduced-cost argument of
//! [`super::certified`] would have to be made against the contiguous
//! optimum, whose gap to the LP is what contiguity costs; the restricted
//! candidate sets, the flow core and the decomposition are therefore not
//! used here. Whole groups are binaries, so the model is one binary per
//! allowed (group, school) pair. The first round, without cuts, is the
//! unconstrained optimum over all arcs: its total way is the reference for
//! the price of contiguity.
//!
use super::candidates::{Arc, all_arcs};
use super::contiguity_cuts::{Cut, CutGraph};
use super::formulation::{Columns, build_mip, disaggregate};
use super::groups::{Group, build_groups};
use super::highs_run::{ExtraRow, RunResult, RunSettings, RunStatus, run_with_rows};
use super::{Deadline, ModelStats, SolveError, SolveOutcome, SolveStatus};
use crate::geometry::cell_adjacency;
use crate::model::Instance;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

/// Solves the instance with contiguous districts to proven optimality (or
/// to the deadline); see the module doc.
pub fn solve(instance: &Instance, deadline: Deadline) -> Result<SolveOutcome, SolveError> {
    let started = Instant::now();
    SolveError::ensure_not_empty(instance)?;
    let groups = build_groups(instance);
    if groups.iter().any(|g| !g.whole) {
        return Err(SolveError::Highs(
            "contiguous districts need whole groups (assign = \"homes\" or \"units\")".into(),
        ));
    }
    let adjacency = cell_adjacency(instance).ok_or_else(|| SolveError::Empty("no home to draw districts around".into()))?;
    let arcs: Vec<Arc> = (0..groups.len())
        .into_par_iter()
        .flat_map_iter(|g| all_arcs(instance, &groups, g))
        .collect();
    let arc_of: HashMap<(usize, usize), usize> = arcs.iter().enumerate().map(|(i, a)| ((a.group, a.school), i)).collect();
    let graph = CutGraph::new(instance, &groups, &adjacency, |g, s| arc_of.contains_key(&(g, s)));
    let mut rounds = Rounds {
        instance,
        groups: &groups,
        arcs,
        arc_of,
        graph,
        cuts: BTreeSet::new(),
        stats: ModelStats {
            groups: groups.len(),
            all_arcs: true,
            components: 1,
            ..ModelStats::default()
        },
        highs_seconds: 0.0,
        started,
        settings: RunSettings {
            deadline,
            mip_gap: instance.solver.mip_gap,
            threads: instance.solver.threads,
            node_limit: None,
        },
    };
    rounds.run()
}

/// The state of the cut loop.
struct Rounds<'a> {
    instance: &'a Instance,
    groups: &'a [Group],
    /// Every allowed arc.
    arcs: Vec<Arc>,
    /// Arc index of each (group, school).
    arc_of: HashMap<(usize, usize), usize>,
    graph: CutGraph,
    /// The cuts found so far (a set: a cut found twice is kept once).
    cuts: BTreeSet<Cut>,
    stats: ModelStats,
    highs_seconds: f64,
    started: Instant,
    settings: RunSettings,
}

impl Rounds<'_> {
    /// Solves round after round until no cut is violated, the model is
    /// infeasible, or the deadline passes.
    fn run(&mut self) -> Result<SolveOutcome, SolveError> {
        loop {
            self.stats.cut_rounds += 1;
            let (model, result) = self.solve_round()?;
            let Some(columns) = result.columns.as_deref() else {
                let status = match result.status {
                    RunStatus::Infeasible => SolveStatus::Infeasible,
                    _ => SolveStatus::TimeLimit,
                };
                return Ok(self.without_assignment(status));
            };
            let school_of_group = self.school_of_group(&model, columns);
            if self.stats.cut_rounds == 1 && result.status == RunStatus::Optimal {
                self.stats.unconstrained_way_m = Some(self.total_way(&model, columns));
            }
            let violated: Vec<Cut> = self.graph.violated_cuts(&school_of_group);
            if violated.is_empty() {
                let assignment = disaggregate(self.instance, self.groups, &self.arcs, &model, columns);
                let proven = result.status == RunStatus::Optimal;
                return Ok(SolveOutcome::with_assignment(
                    self.instance,
                    assignment,
                    proven,
                    result.bound,
                    self.seconds(),
                    self.stats.clone(),
                ));
            }
            if self.settings.deadline.passed() {
                return Ok(self.without_assignment(SolveStatus::TimeLimit));
            }
            self.cuts.extend(violated);
            self.stats.contiguity_cuts = self.cuts.len();
        }
    }

    /// One integer program over every arc with the cuts so far: what its
    /// columns stand for, and HiGHS's result.
    fn solve_round(&mut self) -> Result<(Columns, RunResult), SolveError> {
        let model = build_mip(self.instance, self.groups, self.arcs.clone());
        let rows: Vec<ExtraRow> = self
            .cuts
            .iter()
            .filter_map(|cut| self.graph.row(cut, &model, &self.arc_of))
            .collect();
        (self.stats.arcs, self.stats.columns, self.stats.rows) = (model.arcs.len(), model.columns.len(), model.rows.len() + rows.len());
        let result = run_with_rows(model.problem, &self.settings, true, None, &[], &rows)?;
        self.highs_seconds += result.seconds;
        Ok((model.columns, result))
    }

    /// The school of every group in a solution.
    fn school_of_group(&self, model: &Columns, columns: &[f64]) -> Vec<usize> {
        let mut school_of = vec![usize::MAX; self.groups.len()];
        for (a, arc) in self.arcs.iter().enumerate() {
            if model.arc_total(a, columns) > 0.5 {
                school_of[arc.group] = arc.school;
            }
        }
        school_of
    }

    /// Total way (metres) of a solution: every pupil's way to its school.
    fn total_way(&self, model: &Columns, columns: &[f64]) -> f64 {
        let assignment = disaggregate(self.instance, self.groups, &self.arcs, model, columns);
        assignment
            .school_of
            .iter()
            .enumerate()
            .map(|(p, &s)| self.instance.way_m(p, s).unwrap_or(0.0))
            .sum()
    }

    fn seconds(&self) -> (f64, f64) {
        (self.started.elapsed().as_secs_f64(), self.highs_seconds)
    }

    fn without_assignment(&self, status: SolveStatus) -> SolveOutcome {
        let (wall, highs) = self.seconds();
        SolveOutcome::without_assignment(status, self.stats.clone(), wall, highs)
    }
}
