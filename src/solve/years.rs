//! Multi-year planning: the classes every school opens in every year of the
//! plan, decided jointly with every year's assignment, so that no school
//! ever needs more classrooms than it has.
//!
//! Sets: years `t` (0 = this year), schools `s`, per year the groups `g` of
//! that year's pupils ([`super::groups`]) and their allowed arcs
//! ([`super::candidates::all_arcs`]: locks, `max_distance_m`, hard siblings
//! and the baseline caps remove arcs, sibling and move prices are in the
//! arc costs). A pupil of year `t` has arcs only to the copy `(s, t)` of a
//! school. `G` = `grades` (default 4), `O_st` = the school's classes of the
//! older grades this year still there in year `t`.
//!
//! ```text
//! minimise   sum_t sum_gs c_gs x_gst                               (total way over all years)
//! subject to every_pupil_once        sum_s x_gst = n_g                       for all g, t
//!            seats_within_capacity   sum_g a_g x_gst + r_s <= C_s k_st        for all s, t
//!            minimum_class_size      sum_g a_g x_gst >= m k_st                (if m is set)
//!            rooms_within_capacity   sum_{t'=t-G+1..t} k_st' + O_st <= rooms_s  for all s with rooms, t
//!            kmin_s <= k_st <= kmax_s integer; x >= 0 (binary for a unit or home)
//! ```
//!
//! `rooms_within_capacity` involves class variables only (a row of the
//! `ClassesOnly` kind): it has no arc variable, so no arc's reduced cost
//! depends on its dual, and the pricing certificate of the single-year
//! solve carries over unchanged. Each year's groups start with their
//! candidate schools ([`super::candidates::initial_arcs`]); the LP
//! relaxation of the joint model (class counts continuous) is solved and
//! every left-out arc with negative reduced cost
//! `c_gs - u_g - a_g (pi_st + rho_st)` (`u_g` the group's row dual, `pi_st`,
//! `rho_st` those of the school-year's capacity and class-minimum rows) is
//! added until none is left, so the LP value `z_LP` bounds the problem over
//! all arcs. The integer program on these arcs gives `z_IP`; every left-out
//! arc with reduced cost below `z_IP - z_LP` (plus a small margin) is added
//! and the integer program solved again, until none is: a solution using
//! a left-out arc costs at least `z_LP + rc` (a whole pupil or unit moves
//! over it), so `z_IP` is the optimum over all arcs. A restricted model
//! that is infeasible is widened to every allowed arc at once, so
//! infeasibility is always decided on the full model. No decomposition and
//! no flow core: the room rows couple the years and the schools' years.
//! HiGHS proves the optimum at `mip_gap = 0`. The pupils' variables are
//! continuous for splittable groups: with the class counts fixed, the years
//! fall apart into transportation problems with integral bounds (totally
//! unimodular), so whole pupils exist at the same total way; the caller
//! re-solves each year with its classes bounded by the joint optimum's to
//! get them.
//!
//! An infeasible plan is explained by an elastic copy: each room row may
//! be exceeded by `e_st >= 0`, the sum of the `e_st` is minimised, and the
//! school-years with `e_st > 0` are named with the rooms they need.
//!
//! Siblings named across years (`sibling_id`) add pair rows over the arc
//! variables of the two pupils ([`super::year_siblings`]); paired pupils
//! get every allowed arc from the start, so no arc of theirs is ever left
//! out and the certificate above stays valid. Their variables are integer,
//! and their schools in the joint optimum are kept as locks when each year
//! is solved again ([`years_with_plan`]). In the elastic copy a hard pair
//! may be split at the price of one extra room.

use super::candidates::{Arc, SchoolTree, all_arcs, initial_arcs};
use super::groups::{Group, build_groups};
use super::highs_run::{RunSettings, RunStatus, run};
use super::year_siblings::{ArcVariables, PairRows, Pairing, pair_terms, paired_schools};
use super::{Deadline, SolveError};
use crate::model::{Instance, YearPlan};
use good_lp::solvers::highs::{HighsProblem, highs};
use good_lp::{Expression, ProblemVariables, SolverModel, Variable, variable};
use std::time::Instant;

/// How the joint solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearsStatus {
    /// Proven optimal at `mip_gap` (0: exactly).
    Optimal,
    /// Stopped by the time limit (classes of the best plan found, if any).
    TimeLimit,
    /// No plan keeps every rule.
    Infeasible,
}

/// A school-year that needs more rooms than the school has, in the plan
/// that needs the fewest extra rooms in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomShortfall {
    /// School index.
    pub school: usize,
    /// Year index in the plan.
    pub year: usize,
    /// Rooms in use in that year in that plan.
    pub rooms_needed: u32,
    /// The school's rooms.
    pub rooms: u32,
}

/// A hard sibling pair that the plan cannot keep together (elastic model).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitPair {
    /// Index into `plan.siblings`.
    pub pair: usize,
    /// The older sibling's school in that plan.
    pub older_school: usize,
    /// The younger pupil's school in that plan.
    pub younger_school: usize,
}

/// What the joint solve found.
#[derive(Debug, Clone)]
pub struct YearsOutcome {
    /// How it ended.
    pub status: YearsStatus,
    /// Classes opened per year and school (`classes[t][s]`), when a plan was found.
    pub classes: Option<Vec<Vec<u32>>>,
    /// Total way over all years (metres, with the sibling and move prices), when a plan was found.
    pub objective_m: Option<f64>,
    /// HiGHS's lower bound on it.
    pub bound_m: Option<f64>,
    /// For an infeasible plan: the rooms too few, when the years are each feasible.
    pub shortfalls: Vec<RoomShortfall>,
    /// The school of every pupil of an acting sibling pair in the plan found:
    /// `(year, pupil, school)`; each year is solved again with these locked.
    pub paired_schools: Vec<(usize, usize, usize)>,
    /// For an infeasible plan: the hard sibling pairs split in the plan that
    /// needs the fewest extra rooms and split pairs.
    pub split_pairs: Vec<SplitPair>,
    /// Wall-clock seconds of the joint solve.
    pub seconds: f64,
    /// Columns and rows of the joint model.
    pub columns: usize,
    /// Rows of the joint model.
    pub rows: usize,
}

/// The joint model and where its class variables are.
struct JointModel {
    problem: HighsProblem,
    /// Column index of `k_st`: `class_columns[t][s]`.
    class_columns: Vec<Vec<usize>>,
    /// `(school, column)` of the arcs of paired groups: `paired_columns[t][g]`.
    paired_columns: Vec<Vec<Vec<(usize, usize)>>>,
    /// Columns of the apart variables of each pair, by pair index (elastic model: split hard pairs).
    apart_columns: Vec<(usize, Vec<usize>)>,
    /// Column index of the room slack `e_st` (elastic model only).
    slack_columns: Vec<(usize, usize, usize)>,
    /// Rows of each school-year's seats (see [`CapacityRows`]).
    seat_rows: Vec<Vec<Vec<usize>>>,
    columns: usize,
    rows: usize,
}

/// Variables while the model is built, with their column indices.
struct Columns {
    variables: ProblemVariables,
    count: usize,
}

impl Columns {
    fn add(&mut self, definition: good_lp::VariableDefinition) -> (Variable, usize) {
        self.count += 1;
        (self.variables.add(definition), self.count - 1)
    }
}

/// Solves the plan jointly; see the module documentation.
pub fn solve_years(plan: &YearPlan, deadline: Deadline) -> Result<YearsOutcome, SolveError> {
    let started = Instant::now();
    for year in &plan.years {
        SolveError::ensure_not_empty(year)?;
    }
    let mut groups: Vec<Vec<Group>> = plan.years.iter().map(build_groups).collect();
    let pairing = Pairing::new(plan, &mut groups);
    let solver = &plan.years[0].solver;
    let settings = RunSettings {
        deadline,
        mip_gap: solver.mip_gap,
        threads: solver.threads,
        node_limit: None,
        cutoff: None,
        primal_heuristics: true,
    };
    let every_arc = every_allowed_arc(plan, &groups);
    let (mut arcs, lp) = priced_lp(plan, &groups, &pairing, &every_arc, &settings)?;
    if let Some(lp) = &lp {
        if certificate_would_add_most(plan, &groups, &pairing, &every_arc, &arcs, lp, &settings)? {
            arcs = every_arc.clone();
        }
    }
    let (result, joint) = loop {
        let joint = build(plan, &groups, &pairing, &arcs, Mode::Mip);
        let (columns, rows) = (joint.columns, joint.rows);
        let layout = (joint.class_columns, joint.paired_columns);
        let result = run(joint.problem, &settings, true)?;
        let all = arc_count(&arcs) == arc_count(&every_arc);
        let widened = match (result.status, result.objective, &lp) {
            (RunStatus::Infeasible, _, _) if !all => every_arc.clone(),
            (RunStatus::Optimal, Some(z_ip), Some(lp)) if !all => {
                let slack = z_ip - lp.value + CERTIFICATE_TOLERANCE_REL * z_ip.abs() + CERTIFICATE_TOLERANCE_M;
                match add_arcs_below(plan, &groups, &every_arc, &mut arcs, &lp.duals, &lp.seat_rows, slack) {
                    0 => break (result, (layout, columns, rows)),
                    _ => continue,
                }
            }
            _ => break (result, (layout, columns, rows)),
        };
        arcs = widened;
    };
    let ((class_columns, paired_columns), columns, rows) = joint;
    let classes = result.columns.as_ref().map(|values| read_classes(&class_columns, values));
    let paired = result
        .columns
        .as_ref()
        .map(|values| paired_schools(&groups, &paired_columns, values))
        .unwrap_or_default();
    let status = match result.status {
        RunStatus::Optimal => YearsStatus::Optimal,
        RunStatus::TimeLimit => YearsStatus::TimeLimit,
        RunStatus::Infeasible => YearsStatus::Infeasible,
    };
    let (shortfalls, split_pairs) = match status {
        YearsStatus::Infeasible => room_shortfalls(plan, &groups, &pairing, &every_arc, &settings)?,
        _ => (Vec::new(), Vec::new()),
    };
    Ok(YearsOutcome {
        status,
        classes,
        objective_m: result.objective,
        bound_m: result.bound,
        shortfalls,
        paired_schools: paired,
        split_pairs,
        seconds: started.elapsed().as_secs_f64(),
        columns,
        rows,
    })
}

/// Relative part of the margin by which the certificate adds arcs beyond
/// `z_IP - z_LP` (HiGHS's tolerances; adding more arcs is always safe).
pub const CERTIFICATE_TOLERANCE_REL: f64 = 1e-6;
/// Absolute part of that margin, metres.
pub const CERTIFICATE_TOLERANCE_M: f64 = 0.01;

/// The LP relaxation over every arc, reached by pricing: its value, row
/// duals and where the seat rows are. Paired pupils start with every
/// allowed arc (see [`super::year_siblings`]).
struct PricedLp {
    value: f64,
    duals: Vec<f64>,
    seat_rows: Vec<Vec<Vec<usize>>>,
}

/// Starts from the candidate arcs and adds every arc of negative reduced
/// cost until none is left: the LP is then the relaxation over all arcs.
/// `None` (and every arc) when the restricted LP is infeasible or stopped.
fn priced_lp(
    plan: &YearPlan,
    groups: &[Vec<Group>],
    pairing: &Pairing,
    every_arc: &ArcSets,
    settings: &RunSettings,
) -> Result<(ArcSets, Option<PricedLp>), SolveError> {
    let mut arcs: ArcSets = plan
        .years
        .iter()
        .zip(groups)
        .enumerate()
        .map(|(t, (year, year_groups))| {
            let tree = SchoolTree::new(year);
            (0..year_groups.len())
                .map(|g| match pairing.is_paired(t, g) {
                    true => every_arc[t][g].clone(),
                    false => initial_arcs(year, year_groups, &tree, g),
                })
                .collect()
        })
        .collect();
    loop {
        let lp = build(plan, groups, pairing, &arcs, Mode::Lp);
        let seat_rows = lp.seat_rows.clone();
        let result = run(lp.problem, settings, false)?;
        let (RunStatus::Optimal, Some(value)) = (result.status, result.objective) else {
            return Ok((every_arc.clone(), None));
        };
        let duals = result.row_duals;
        if add_arcs_below(plan, groups, every_arc, &mut arcs, &duals, &seat_rows, -PRICING_TOLERANCE_M) == 0 {
            return Ok((arcs, Some(PricedLp { value, duals, seat_rows })));
        }
    }
}

/// Branch-and-bound nodes of the probing run that finds a first plan on the
/// candidate arcs (a work limit, not a clock: runs stay reproducible).
pub const PROBE_NODES: u64 = 1;

/// Whether the certificate would add more than half of the left-out arcs
/// even against a first plan found quickly (its total way `UB` bounds the
/// optimum on the candidates, so every arc with reduced cost below
/// `UB - z_LP` may be needed). Then the integer program is solved over
/// every arc at once: a tight plan (rooms and seats close to the pupils)
/// has an LP gap of many kilometres, and a restricted round would only be
/// solved in vain. Speed only: the result is the same either way.
fn certificate_would_add_most(
    plan: &YearPlan,
    groups: &[Vec<Group>],
    pairing: &Pairing,
    every_arc: &ArcSets,
    arcs: &ArcSets,
    lp: &PricedLp,
    settings: &RunSettings,
) -> Result<bool, SolveError> {
    let probe_settings = RunSettings {
        node_limit: Some(PROBE_NODES),
        cutoff: None,
        primal_heuristics: true,
        ..*settings
    };
    let probe = run(build(plan, groups, pairing, arcs, Mode::Mip).problem, &probe_settings, true)?;
    let Some(upper) = probe.objective else {
        return Ok(false);
    };
    let mut trial = arcs.clone();
    let slack = upper - lp.value + CERTIFICATE_TOLERANCE_REL * upper.abs() + CERTIFICATE_TOLERANCE_M;
    let added = add_arcs_below(plan, groups, every_arc, &mut trial, &lp.duals, &lp.seat_rows, slack);
    Ok(2 * added > arc_count(every_arc) - arc_count(arcs))
}

/// An arc prices in when its reduced cost is below `-PRICING_TOLERANCE_M` metres.
pub const PRICING_TOLERANCE_M: f64 = 1e-6;

/// Adds every left-out allowed arc whose reduced cost under `duals` is
/// below `limit`; returns how many.
fn add_arcs_below(
    plan: &YearPlan,
    groups: &[Vec<Group>],
    every_arc: &ArcSets,
    arcs: &mut ArcSets,
    duals: &[f64],
    seat_rows: &[Vec<Vec<usize>>],
    limit: f64,
) -> usize {
    let mut added = 0;
    let mut assign_row = 0;
    for (t, year_groups) in groups.iter().enumerate() {
        for (g, group) in year_groups.iter().enumerate() {
            let seats = group.seats_per_unit();
            let present: Vec<usize> = arcs[t][g].iter().map(|a| a.school).collect();
            for arc in &every_arc[t][g] {
                if present.contains(&arc.school) {
                    continue;
                }
                let seat_dual: f64 = seat_rows[t][arc.school].iter().map(|&r| duals[r]).sum();
                let reduced = arc.cost_m - duals[assign_row] - seats * seat_dual;
                if reduced < limit {
                    arcs[t][g].push(*arc);
                    added += 1;
                }
            }
            assign_row += 1;
        }
    }
    let _ = plan;
    added
}

fn arc_count(arcs: &ArcSets) -> usize {
    arcs.iter().flatten().map(Vec::len).sum()
}

/// Every allowed arc of every year's groups.
fn every_allowed_arc(plan: &YearPlan, groups: &[Vec<Group>]) -> ArcSets {
    plan.years
        .iter()
        .zip(groups)
        .map(|(year, year_groups)| (0..year_groups.len()).map(|g| all_arcs(year, year_groups, g)).collect())
        .collect()
}

/// Rounded class counts of a solution.
fn read_classes(class_columns: &[Vec<usize>], values: &[f64]) -> Vec<Vec<u32>> {
    class_columns
        .iter()
        .map(|year| year.iter().map(|&c| values[c].round().max(0.0) as u32).collect())
        .collect()
}

/// The elastic model's fewest extra rooms and split hard sibling pairs
/// (each counted as one): the school-years that need rooms, and the pairs
/// split. Empty when even unlimited rooms and split pairs leave the plan
/// infeasible (a year is infeasible on its own).
fn room_shortfalls(
    plan: &YearPlan,
    groups: &[Vec<Group>],
    pairing: &Pairing,
    every_arc: &ArcSets,
    settings: &RunSettings,
) -> Result<(Vec<RoomShortfall>, Vec<SplitPair>), SolveError> {
    let elastic = build(plan, groups, pairing, every_arc, Mode::Elastic);
    let (apart_columns, paired_columns) = (elastic.apart_columns, elastic.paired_columns);
    let result = run(elastic.problem, settings, true)?;
    let Some(values) = result.columns.filter(|_| result.status == RunStatus::Optimal) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let split = split_pairs(plan, groups, &apart_columns, &paired_columns, &values);
    let mut shortfalls = Vec::new();
    for &(t, s, column) in &elastic.slack_columns {
        let extra = values[column].round();
        if extra >= 1.0 {
            let rooms = plan.rooms[s].rooms.unwrap_or(0);
            shortfalls.push(RoomShortfall {
                school: s,
                year: t,
                rooms_needed: rooms + extra as u32,
                rooms,
            });
        }
    }
    Ok((shortfalls, split))
}

/// The pairs whose apart variables are set in the elastic optimum, with
/// the two schools.
fn split_pairs(
    plan: &YearPlan,
    groups: &[Vec<Group>],
    apart_columns: &[(usize, Vec<usize>)],
    paired_columns: &[Vec<Vec<(usize, usize)>>],
    values: &[f64],
) -> Vec<SplitPair> {
    let schools = paired_schools(groups, paired_columns, values);
    let school_of = |t: usize, p: usize| schools.iter().find(|&&(y, q, _)| y == t && q == p).map(|&(_, _, s)| s);
    let mut split = Vec::new();
    for (pair, columns) in apart_columns {
        if columns.iter().map(|&c| values[c]).sum::<f64>() < 0.5 {
            continue;
        }
        let sibling = &plan.siblings[*pair];
        if let (Some(older_school), Some(younger_school)) = (
            school_of(sibling.older_year, sibling.older),
            school_of(sibling.younger_year, sibling.younger),
        ) {
            split.push(SplitPair {
                pair: *pair,
                older_school,
                younger_school,
            });
        }
    }
    split
}

/// The elastic model's price of splitting a hard sibling pair, in extra
/// rooms: one split pair weighs as much as one room too few.
pub const ELASTIC_SPLIT_PAIR_PRICE: f64 = 1.0;

/// Arcs per year and group: `arcs[t][g]`.
type ArcSets = Vec<Vec<Vec<Arc>>>;

/// What kind of model [`build`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The LP relaxation (class counts and units continuous), for the duals.
    Lp,
    /// The integer program.
    Mip,
    /// The integer program with room slacks, minimising the extra rooms.
    Elastic,
}

/// The arc variables of a model: each group's assignment row, the seats
/// per school-year, and the arc variables of paired groups.
struct ArcTerms {
    /// Per group (years in order): its arc variables' sum and right-hand side.
    assign_rows: Vec<(Expression, f64)>,
    /// `seats[t][s]`: the seats the arcs take at school `s` in year `t`.
    seats: Vec<Vec<Expression>>,
    /// `paired_vars[t][g]`: the arc variables of a paired group (empty otherwise).
    paired_vars: Vec<Vec<ArcVariables>>,
}

/// Adds one variable per arc (integer for a whole unit or a paired pupil,
/// outside the LP) with its way in `objective` (not in the elastic model).
fn arc_terms(
    plan: &YearPlan,
    groups: &[Vec<Group>],
    pairing: &Pairing,
    arcs: &ArcSets,
    mode: Mode,
    cols: &mut Columns,
    objective: &mut Expression,
) -> ArcTerms {
    let mut terms = ArcTerms {
        assign_rows: Vec::new(),
        seats: Vec::new(),
        paired_vars: groups.iter().map(|g| vec![Vec::new(); g.len()]).collect(),
    };
    for (t, ((year, year_groups), year_arcs)) in plan.years.iter().zip(groups).zip(arcs).enumerate() {
        let mut year_seats = vec![Expression::default(); year.schools.len()];
        for (g, (group, group_arcs)) in year_groups.iter().zip(year_arcs).enumerate() {
            let mut assigned = Expression::default();
            let paired = pairing.is_paired(t, g);
            for arc in group_arcs {
                let definition = variable().min(0.0).max(group.variable_upper());
                let (x, column) = cols.add(if (group.whole || paired) && mode != Mode::Lp {
                    definition.integer()
                } else {
                    definition
                });
                if paired {
                    terms.paired_vars[t][g].push((arc.school, x, column));
                }
                if mode != Mode::Elastic {
                    *objective += arc.cost_m * x;
                }
                assigned += x;
                year_seats[arc.school] += group.seats_per_unit() * x;
            }
            terms.assign_rows.push((assigned, group.variable_upper()));
        }
        terms.seats.push(year_seats);
    }
    terms
}

/// Builds the joint model over the given arcs (see the module documentation).
fn build(plan: &YearPlan, groups: &[Vec<Group>], pairing: &Pairing, arcs: &ArcSets, mode: Mode) -> JointModel {
    let mut cols = Columns {
        variables: ProblemVariables::new(),
        count: 0,
    };
    let mut objective = Expression::default();
    let ArcTerms {
        assign_rows,
        seats,
        paired_vars,
    } = arc_terms(plan, groups, pairing, arcs, mode, &mut cols, &mut objective);
    let class_columns: Vec<Vec<(Variable, usize)>> = plan
        .years
        .iter()
        .map(|year| {
            year.schools
                .iter()
                .map(|s| {
                    let definition = variable().min(s.min_classes as f64).max(s.max_classes as f64);
                    cols.add(if mode == Mode::Lp { definition } else { definition.integer() })
                })
                .collect()
        })
        .collect();
    let mut slacks = Vec::new();
    if mode == Mode::Elastic {
        for t in 0..plan.years.len() {
            for s in (0..plan.rooms.len()).filter(|&s| plan.rooms[s].rooms.is_some()) {
                let (e, column) = cols.add(variable().min(0.0));
                objective += e;
                slacks.push((t, s, e, column));
            }
        }
    }
    let pair_rows = match (mode, pairing.hard) {
        (Mode::Elastic, true) => PairRows::Apart(ELASTIC_SPLIT_PAIR_PRICE),
        (Mode::Elastic, false) => PairRows::None,
        (_, true) => PairRows::Equal,
        (_, false) => PairRows::Apart(pairing.weight_m),
    };
    let pairs = pair_terms(pairing, &paired_vars, pair_rows, &mut |d| cols.add(d), &mut objective);
    let columns = cols.count;
    let mut problem = cols.variables.minimise(objective).using(highs);
    let mut rows = 0;
    for (assigned, n) in assign_rows {
        problem = problem.with(assigned.eq(n));
        rows += 1;
    }
    let capacity = capacity_rows(&mut problem, plan, seats, &class_columns, rows);
    rows += capacity.added;
    rows += rooms_within_capacity(&mut problem, plan, &class_columns, &slacks);
    rows += pairs.constraints.len();
    for constraint in pairs.constraints {
        problem.add_constraint(constraint);
    }
    JointModel {
        problem,
        class_columns: class_columns.iter().map(|y| y.iter().map(|&(_, c)| c).collect()).collect(),
        paired_columns: paired_vars
            .iter()
            .map(|year| year.iter().map(|arcs| arcs.iter().map(|&(s, _, c)| (s, c)).collect()).collect())
            .collect(),
        apart_columns: pairs.apart_columns,
        slack_columns: slacks.iter().map(|&(t, s, _, c)| (t, s, c)).collect(),
        seat_rows: capacity.seat_rows,
        columns,
        rows,
    }
}

/// The rows of the seats of each school-year: `seat_rows[t][s]` holds the
/// capacity row and the class-minimum row (if any); an arc enters both
/// with its group's seats.
struct CapacityRows {
    added: usize,
    seat_rows: Vec<Vec<Vec<usize>>>,
}

/// `seats_within_capacity` and `minimum_class_size` of every school-year;
/// the class size follows the 17-of-22 rule on the school's
/// `prev_migration_share` in every year. Rows are numbered from `first_row`.
fn capacity_rows(
    problem: &mut HighsProblem,
    plan: &YearPlan,
    seats: Vec<Vec<Expression>>,
    classes: &[Vec<(Variable, usize)>],
    first_row: usize,
) -> CapacityRows {
    let mut row = first_row;
    let mut seat_rows = Vec::new();
    for ((year, year_seats), year_classes) in plan.years.iter().zip(seats).zip(classes) {
        let rules = &year.rules;
        let mut year_rows = Vec::new();
        for ((school, seats_used), &(k, _)) in year.schools.iter().zip(year_seats).zip(year_classes) {
            let class_size = rules.class_size_for(school.prev_migration_share) as f64;
            let reserved = school.reserved_seats as f64;
            let mut rows = Vec::new();
            if let Some(m) = rules.min_class_size {
                problem.add_constraint((seats_used.clone() - m as f64 * k).geq(0.0));
                rows.push(row);
                row += 1;
            }
            problem.add_constraint((seats_used + reserved - class_size * k).leq(0.0));
            rows.push(row);
            row += 1;
            year_rows.push(rows);
        }
        seat_rows.push(year_rows);
    }
    CapacityRows {
        added: row - first_row,
        seat_rows,
    }
}

/// `rooms_within_capacity`: in every year, the classes opened in the years
/// still at the school plus the older grades' classes fit into its rooms
/// (plus the slack `e_st` in the elastic model). Returns the rows added.
fn rooms_within_capacity(
    problem: &mut HighsProblem,
    plan: &YearPlan,
    classes: &[Vec<(Variable, usize)>],
    slacks: &[(usize, usize, Variable, usize)],
) -> usize {
    let mut rows = 0;
    for t in 0..plan.years.len() {
        for (s, school_rooms) in plan.rooms.iter().enumerate() {
            let Some(rooms) = school_rooms.rooms else { continue };
            let mut in_use: Expression = plan.opened_in_use(t).map(|opened| classes[opened][s].0).sum();
            in_use += plan.older_in_use(s, t) as f64;
            if let Some(&(_, _, e, _)) = slacks.iter().find(|&&(st, ss, _, _)| st == t && ss == s) {
                in_use -= e;
            }
            problem.add_constraint(in_use.leq(rooms as f64));
            rows += 1;
        }
    }
    rows
}

/// Each year's instance as [`years_with_classes`] makes it, with every
/// pupil of an acting sibling pair locked to its school in the joint plan
/// (`paired_schools`): the pairs stay as the plan decided them, and the
/// rest of each year is a transportation problem as before.
pub fn years_with_plan(plan: &YearPlan, classes: &[Vec<u32>], paired_schools: &[(usize, usize, usize)]) -> Vec<Instance> {
    let mut years = years_with_classes(plan, classes);
    for &(t, p, s) in paired_schools {
        years[t].pupils[p].fixed_school = Some(s);
    }
    years
}

/// Each year's instance with its class range bounded by the joint plan:
/// `min_classes ..= classes[t][s]`. Solved alone, each gives whole pupils
/// at the joint optimum's way for that year (see the module documentation).
pub fn years_with_classes(plan: &YearPlan, classes: &[Vec<u32>]) -> Vec<Instance> {
    plan.years
        .iter()
        .zip(classes)
        .map(|(year, year_classes)| {
            let mut year = year.clone();
            for (school, &k) in year.schools.iter_mut().zip(year_classes) {
                school.max_classes = k;
                school.min_classes = school.min_classes.min(k);
                school.classes = k;
            }
            year
        })
        .collect()
}
