//! The integer program, one function per constraint family.
//!
//! Sets: groups `g` (see [`super::groups`]), schools `s`, arcs `(g, s)` (see
//! [`super::candidates`]), and with the `intake` basis two *regimes* per
//! school: `full` (share at most `theta`, classes of `C`) and `reduced`
//! (share above `theta`, classes of `R`). Data per arc: way `c_gs` (metres per
//! unit of `x`); per group: seats `a_g` and migrants `mu_g` moved per unit of
//! `x`, and the group's total `n_g` (pupils, or 1 for a whole unit); per
//! school: class range `[kmin_s, kmax_s]`, reserved seats `r_s`.
//!
//! **`previous_year` basis** (class size `C_s` known before solving):
//! ```text
//! minimise   total_way = sum_gs c_gs x_gs
//! subject to every_pupil_once        sum_s x_gs = n_g                       for all g
//!            seats_within_capacity   sum_g a_g x_gs + r_s <= C_s k_s         for all s
//!            minimum_class_size      sum_g a_g x_gs >= m k_s                 (if m is set)
//!            kmin_s <= k_s <= kmax_s, x integer (binary for a unit), k integer
//! ```
//!
//! **`intake` basis** (disjunctive formulation): each arc has one variable
//! per regime, `x_gs = xf_gs + xr_gs`; the binary `y_s` chooses the regime;
//! `kf_s`, `kr_s` are the classes opened in each regime.
//! ```text
//! minimise   sum_gs c_gs (xf_gs + xr_gs)
//! subject to every_pupil_once          sum_s (xf_gs + xr_gs) = n_g
//!            seats_within_capacity     sum_g a_g xf_gs + r_s (1 - y_s) <= C kf_s
//!                                      sum_g a_g xr_gs + r_s y_s       <= R kr_s
//!            share_within_regime       sum_g (mu_g - theta a_g) xf_gs <= 0
//!                                      sum_g (mu_g - theta a_g) xr_gs >= eps y_s
//!            classes_follow_regime     kf_s <= kmax_s (1 - y_s),  kr_s <= kmax_s y_s
//!            class_range               kmin_s <= kf_s + kr_s <= kmax_s
//!            minimum_class_size        sum_g a_g (xf_gs + xr_gs) >= m (kf_s + kr_s)
//! ```
//! In the full regime `kr = 0`, so every `xr` of the school is 0 and its intake share `M/A` is at most
//! `theta`; in the reduced regime `kf = 0`, every `xf` is 0 and
//! `M - theta A >= eps > 0`, i.e. the share is strictly above `theta`. `eps`
//! is the smallest positive value `M - theta A` can take for integers
//! `0 <= M <= A <= Amax_s`, so the rule is modelled exactly, with no big-M
//! on the share, which keeps the LP relaxation tight.

use super::Assignment;
use super::candidates::{Arc, moves_per_unit};
use super::groups::Group;
use crate::model::{Instance, MigrationBasis, School};
use good_lp::solvers::highs::{HighsProblem, highs};
use good_lp::{Expression, ProblemVariables, SolverModel, Variable, variable};

/// The capacity regime of a school: which class size its seats come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Regime {
    /// Share at most the threshold (or the `previous_year` basis): `class_size`,
    /// or the school's known size under the `previous_year` basis.
    Full,
    /// Share above the threshold: `reduced_class_size` (intake basis only).
    Reduced,
}

impl Regime {
    /// The value of the regime flag `y_s`: 0 in the full regime, 1 in the reduced one.
    pub fn flag(self) -> f64 {
        match self {
            Regime::Full => 0.0,
            Regime::Reduced => 1.0,
        }
    }

    /// The regime a (rounded) value of the flag `y_s` stands for.
    pub fn of_flag(y: f64) -> Self {
        if y > 0.5 { Regime::Reduced } else { Regime::Full }
    }

    /// The other regime.
    pub fn other(self) -> Self {
        match self {
            Regime::Full => Regime::Reduced,
            Regime::Reduced => Regime::Full,
        }
    }
}

/// What a row of the model stands for; used to read its dual value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// `every_pupil_once` of a group.
    Assign(usize),
    /// `seats_within_capacity` of a school in a regime.
    Capacity(usize, Regime),
    /// `share_within_regime` of a school in a regime.
    Share(usize, Regime),
    /// `minimum_class_size` of a school.
    MinClass(usize),
    /// A row without arc variables (class range, regime link).
    ClassesOnly(usize),
    /// `moves_within_cap`: pupils leaving their baseline school.
    Moves,
}

/// Class variables of one school.
#[derive(Debug, Clone, Copy)]
pub enum ClassVars {
    /// `previous_year` basis: classes `k` at a size known in advance.
    Known {
        /// Classes opened.
        classes: Variable,
        /// Pupils per class.
        size: u32,
    },
    /// `intake` basis: classes in each regime and the regime flag.
    Intake {
        /// Classes at `class_size`.
        full: Variable,
        /// Classes at `reduced_class_size`.
        reduced: Variable,
        /// 1 when the school is in the reduced regime.
        rule: Variable,
    },
}

/// The variables of one arc: one per regime the basis has.
#[derive(Debug, Clone, Copy)]
pub struct ArcVars {
    /// Pupils (or the unit) sent in the full regime (the only one under `previous_year`).
    pub full: Variable,
    /// Pupils sent in the reduced regime (`intake` basis only).
    pub reduced: Option<Variable>,
    /// Column index of `full` in the HiGHS model.
    pub full_column: usize,
    /// Column index of `reduced`.
    pub reduced_column: Option<usize>,
}

/// The built model: HiGHS problem plus the map from columns and rows back to the domain.
pub struct Formulation {
    /// The good_lp problem for HiGHS.
    pub problem: HighsProblem,
    /// Arcs, in the order of their variables.
    pub arcs: Vec<Arc>,
    /// Variables of each arc.
    pub x: Vec<ArcVars>,
    /// Class variables per school.
    pub classes: Vec<ClassVars>,
    /// What each row stands for, in row order.
    pub rows: Vec<RowKind>,
    /// Number of columns.
    pub columns: usize,
    /// Number of arc columns (the class columns follow them).
    pub arc_columns: usize,
    /// Whether the arc variables are continuous in an integer program
    /// ([`build_mip`]), so that its solution may send parts of pupils.
    pub continuous_flows: bool,
    /// Slack variables (elastic models only).
    pub slacks: Vec<SlackColumn>,
    /// Column of each group's unassigned variable (LP with unassigned only).
    pub unassigned: Vec<usize>,
}

impl Formulation {
    /// Columns of the variables that count a school's opened classes
    /// (`k_s`, or `kf_s` and `kr_s`), and of its regime flag `y_s` if any.
    pub fn class_columns(&self, school: usize) -> (Vec<usize>, Option<usize>) {
        match self.classes[school] {
            ClassVars::Known { .. } => (vec![self.arc_columns + school], None),
            ClassVars::Intake { .. } => {
                let first = self.arc_columns + 3 * school;
                (vec![first, first + 1], Some(first + 2))
            }
        }
    }
}

/// Per-school expressions accumulated while arc variables are added, per regime.
#[derive(Default, Clone)]
struct RegimeSums {
    seats_used: Expression,
    migrants_over_threshold: Expression,
}

/// The most pupils school `s` could ever take: all its classes at the larger class size.
pub fn max_intake(instance: &Instance, school: &School) -> u32 {
    instance.rules.largest_class_size().saturating_mul(school.max_classes)
}

/// Smallest positive value of `M - theta A` over integers `0 <= M <= A <= amax`
/// (at least 1e-4, so that it stays above HiGHS's feasibility tolerance).
pub fn share_epsilon(theta: f64, amax: u32) -> f64 {
    let mut eps = f64::INFINITY;
    for a in 1..=amax.max(1) {
        let m = (theta * a as f64).floor() + 1.0;
        if m <= a as f64 {
            eps = eps.min(m - theta * a as f64);
        }
    }
    if eps.is_finite() { eps.max(1e-4) } else { 1.0 }
}

/// Builds the model over the given arcs. With `relax`, every integer variable
/// is continuous (the LP relaxation used for pricing pruned arcs).
pub fn build(instance: &Instance, groups: &[Group], arcs: Vec<Arc>, relax: bool) -> Formulation {
    build_inner(instance, groups, arcs, Integrality::of(relax), Slacks::default(), None, None)
}

/// Builds the integer program with some schools' regimes fixed in advance
/// (`y_s` bounded to 0 or 1 where `regimes[s]` is set; intake basis only,
/// ignored otherwise). The columns are those of [`build`] over the same arcs,
/// so a solution of this model is a solution of the unfixed one (see
/// [`super::warm_start`] and [`super::probing`]).
pub fn build_with_regimes(instance: &Instance, groups: &[Group], arcs: Vec<Arc>, regimes: &[Option<Regime>]) -> Formulation {
    build_inner(instance, groups, arcs, Integrality::Integer, Slacks::default(), None, Some(regimes))
}

/// Whether the arc variables may be continuous in the integer program
/// because whole class numbers already make them whole: the `previous_year`
/// basis (class sizes known), pupils split one by one (no units) and no cap
/// on moves. Once the class counts `k_s` are fixed, what is left is a
/// transportation problem with integral bounds `m k_s <= seats_s <= C_s k_s - r_s`,
/// whose constraint matrix is totally unimodular: an optimal vertex sends
/// whole pupils. HiGHS then branches on the class counts only (see
/// [`build_mip`]; `certified` turns a solution that is not a vertex into
/// whole pupils).
pub fn classes_make_flows_whole(instance: &Instance, groups: &[Group]) -> bool {
    instance.rules.migration_basis == MigrationBasis::PreviousYear && instance.rules.max_moves.is_none() && groups.iter().all(|g| !g.whole)
}

/// Builds the integer program that the certified solve hands to HiGHS: as
/// [`build`] (not relaxed), but with continuous arc variables where
/// [`classes_make_flows_whole`] says whole class numbers suffice.
pub fn build_mip(instance: &Instance, groups: &[Group], arcs: Vec<Arc>) -> Formulation {
    let integrality = if classes_make_flows_whole(instance, groups) {
        Integrality::ClassesOnly
    } else {
        Integrality::Integer
    };
    build_inner(instance, groups, arcs, integrality, Slacks::default(), None, None)
}

/// Which variables of a model are integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Integrality {
    /// None: the LP relaxation.
    Relaxed,
    /// Every variable that counts pupils, units or classes.
    Integer,
    /// Class counts and regime flags only; arc variables are continuous.
    ClassesOnly,
}

impl Integrality {
    fn of(relax: bool) -> Self {
        if relax { Integrality::Relaxed } else { Integrality::Integer }
    }
}

/// Which rules an *elastic* model may break, at a price of 1 per unit of slack:
/// used to explain infeasibility (see [`super::elastic`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Slacks {
    /// Classes beyond `max_classes` (`E_s`, per class).
    pub classes: bool,
    /// Seats beyond classes x class size (`S_s`, per seat).
    pub seats: bool,
    /// Pupils short of `min_class_size` x classes (`D_s`, per pupil).
    pub class_minimum: bool,
}

/// Builds the LP relaxation with an *unassigned* variable per group, priced
/// at `price` metres per pupil: `sum_s x_gs + u_g = n_g`. It keeps the LP
/// feasible when the candidate arcs are too few, and its duals then still
/// give a valid bound for pricing (the LP is a relaxation of the real one).
pub fn build_lp_with_unassigned(instance: &Instance, groups: &[Group], arcs: Vec<Arc>, price: f64) -> Formulation {
    build_inner(instance, groups, arcs, Integrality::Relaxed, Slacks::default(), Some(price), None)
}

/// A slack variable of an elastic model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlackColumn {
    /// Which rule it relaxes.
    pub kind: SlackKind,
    /// The school.
    pub school: usize,
    /// Its column in the model.
    pub column: usize,
}

/// The rule a slack variable relaxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlackKind {
    /// Extra classes.
    Classes,
    /// Extra seats.
    Seats,
    /// Pupils short of the class minimum.
    ClassMinimum,
}

/// Builds an elastic model: the integer program over `arcs` (whose costs are
/// the prices of using them) with slack variables for the rules in `slacks`,
/// all priced at 1; minimising finds the smallest relaxation that makes the
/// instance feasible.
pub fn build_elastic(instance: &Instance, groups: &[Group], arcs: Vec<Arc>, slacks: Slacks) -> Formulation {
    build_inner(instance, groups, arcs, Integrality::Integer, slacks, None, None)
}

/// Most extra classes one school may get in an elastic model: enough for every pupil.
fn extra_classes_limit(instance: &Instance, slacks: Slacks) -> u32 {
    if slacks.classes {
        (instance.pupils.len() as u32).div_ceil(instance.rules.smallest_class_size().max(1))
    } else {
        0
    }
}

fn build_inner(
    instance: &Instance,
    groups: &[Group],
    arcs: Vec<Arc>,
    integrality: Integrality,
    slacks: Slacks,
    unassigned_price: Option<f64>,
    fixed_regimes: Option<&[Option<Regime>]>,
) -> Formulation {
    let relax = integrality == Integrality::Relaxed;
    let integer_flows = integrality == Integrality::Integer;
    let intake = instance.rules.migration_basis == MigrationBasis::Intake;
    let theta = instance.rules.migration_threshold;
    let n_schools = instance.schools.len();
    let mut vars = ProblemVariables::new();
    let mut full_sums = vec![RegimeSums::default(); n_schools];
    let mut reduced_sums = vec![RegimeSums::default(); n_schools];
    let mut assigned: Vec<Expression> = vec![Expression::default(); groups.len()];
    let mut total_way = Expression::with_capacity(arcs.len() * if intake { 2 } else { 1 });
    let mut x = Vec::with_capacity(arcs.len());
    let mut next_column = 0;
    let mut moves = Expression::default();
    let count_moves = instance.rules.max_moves.is_some();
    let mut add_arc_variable = |vars: &mut ProblemVariables, arc: &Arc, sums: &mut RegimeSums| {
        next_column += 1;
        let g = &groups[arc.group];
        let def = variable().min(0.0).max(g.variable_upper());
        let var = vars.add(if integer_flows { def.integer() } else { def });
        total_way.add_mul(arc.cost_m, var);
        if count_moves {
            moves.add_mul(moves_per_unit(instance, g, arc.school), var);
        }
        assigned[arc.group].add_mul(1.0, var);
        sums.seats_used.add_mul(g.seats_per_unit(), var);
        sums.migrants_over_threshold
            .add_mul(g.migrants_per_unit() - theta * g.seats_per_unit(), var);
        (var, next_column - 1)
    };
    for arc in &arcs {
        let (full, full_column) = add_arc_variable(&mut vars, arc, &mut full_sums[arc.school]);
        let reduced = intake.then(|| add_arc_variable(&mut vars, arc, &mut reduced_sums[arc.school]));
        x.push(ArcVars {
            full,
            reduced: reduced.map(|r| r.0),
            full_column,
            reduced_column: reduced.map(|r| r.1),
        });
    }
    let extra = extra_classes_limit(instance, slacks);
    let classes: Vec<ClassVars> = instance
        .schools
        .iter()
        .enumerate()
        .map(|(i, s)| class_vars(&mut vars, instance, s, relax, extra, fixed_regimes.and_then(|r| r[i])))
        .collect();
    let arc_columns = x.len() * if intake { 2 } else { 1 };
    let mut columns = arc_columns + n_schools * if intake { 3 } else { 1 };
    let mut slack_columns = Vec::new();
    // Slots: 0 extra classes, 1 extra seats (the full regime's under the
    // intake basis), 2 class-minimum shortfall, 3 extra seats of the reduced regime.
    let mut slack_vars: Vec<[Option<Variable>; 4]> = vec![[None; 4]; n_schools];
    for (flag, kind, slot) in [
        (slacks.classes, SlackKind::Classes, 0),
        (slacks.seats, SlackKind::Seats, 1),
        (slacks.class_minimum, SlackKind::ClassMinimum, 2),
        (slacks.seats && intake, SlackKind::Seats, 3),
    ] {
        if !flag {
            continue;
        }
        for (school, vars_of_school) in slack_vars.iter_mut().enumerate() {
            let var = vars.add(variable().integer().min(0.0));
            total_way.add_mul(1.0, var);
            vars_of_school[slot] = Some(var);
            slack_columns.push(SlackColumn {
                kind,
                school,
                column: columns,
            });
            columns += 1;
        }
    }

    let mut unassigned = Vec::new();
    if let Some(price) = unassigned_price {
        for (g, group) in groups.iter().enumerate() {
            let var = vars.add(variable().min(0.0).max(group.variable_upper()));
            total_way.add_mul(price * group.seats_per_unit(), var);
            assigned[g].add_mul(1.0, var);
            unassigned.push(columns);
            columns += 1;
        }
    }
    let mut model = Model {
        problem: vars.minimise(total_way).using(highs),
        rows: Vec::new(),
    };
    let slack = |s: usize, slot: usize| -> Expression { slack_vars[s][slot].map(Expression::from).unwrap_or_default() };
    every_pupil_once(&mut model, groups, assigned);
    seats_within_capacity(
        &mut model,
        instance,
        &classes,
        &full_sums,
        &reduced_sums,
        |s, regime| match regime {
            Regime::Full => slack(s, 1),
            Regime::Reduced => slack(s, 3),
        },
    );
    if intake && slacks.seats {
        seat_slack_follows_regime(&mut model, instance, &classes, |s| (slack(s, 1), slack(s, 3)));
    }
    if intake {
        share_within_regime(&mut model, instance, &full_sums, &reduced_sums, &classes);
        classes_follow_regime(&mut model, instance, &classes, extra, |s| slack(s, 0));
    } else if slacks.classes {
        extra_classes_within_limit(&mut model, instance, &classes, |s| slack(s, 0));
    }
    if let Some(min_size) = instance.rules.min_class_size {
        minimum_class_size(&mut model, &classes, &full_sums, &reduced_sums, min_size, |s| slack(s, 2));
    }
    if let Some(cap) = instance.rules.max_moves {
        moves_within_cap(&mut model, moves, cap);
    }
    Formulation {
        problem: model.problem,
        arcs,
        x,
        classes,
        rows: model.rows,
        columns,
        arc_columns,
        continuous_flows: integrality == Integrality::ClassesOnly,
        slacks: slack_columns,
        unassigned,
    }
}

/// The problem under construction and the meaning of each row added so far.
struct Model {
    problem: HighsProblem,
    rows: Vec<RowKind>,
}

impl Model {
    fn add(&mut self, kind: RowKind, constraint: good_lp::Constraint) {
        self.problem.add_constraint(constraint);
        self.rows.push(kind);
    }
}

/// Class variables of a school; `extra` raises their upper bound in elastic
/// models, `regime` fixes the regime flag.
fn class_vars(
    vars: &mut ProblemVariables,
    instance: &Instance,
    school: &School,
    relax: bool,
    extra: u32,
    regime: Option<Regime>,
) -> ClassVars {
    let int = |def: good_lp::VariableDefinition| if relax { def } else { def.integer() };
    let most = (school.max_classes + extra) as f64;
    match instance.rules.migration_basis {
        MigrationBasis::PreviousYear => ClassVars::Known {
            classes: vars.add(int(variable().min(school.min_classes as f64).max(most))),
            size: instance.rules.class_size_for(school.prev_migration_share),
        },
        MigrationBasis::Intake => ClassVars::Intake {
            full: vars.add(int(variable().min(0.0).max(most))),
            reduced: vars.add(int(variable().min(0.0).max(most))),
            rule: vars.add(int(match regime {
                None => variable().min(0.0).max(1.0),
                Some(fixed) => variable().min(fixed.flag()).max(fixed.flag()),
            })),
        },
    }
}

/// Classes opened at a school, as an expression.
fn classes_opened(classes: &ClassVars) -> Expression {
    match *classes {
        ClassVars::Known { classes, .. } => classes.into(),
        ClassVars::Intake { full, reduced, .. } => full + reduced,
    }
}

/// `every_pupil_once`: for each group `g`, `sum_s x_gs = n_g`.
fn every_pupil_once(model: &mut Model, groups: &[Group], assigned: Vec<Expression>) {
    for (g, (group, sent)) in groups.iter().zip(assigned).enumerate() {
        model.add(RowKind::Assign(g), sent.eq(group.variable_upper()));
    }
}

/// `seats_within_capacity`: `seats_used_s + r_s <= C_s k_s`; with the intake
/// basis one row per regime, `seats_f + r (1 - y) <= C kf` and `seats_r + r y <= R kr`.
///
/// In an elastic model `extra_seats(s)` (`S_s`) is added to the seats.
fn seats_within_capacity(
    model: &mut Model,
    instance: &Instance,
    classes: &[ClassVars],
    full: &[RegimeSums],
    reduced: &[RegimeSums],
    extra_seats: impl Fn(usize, Regime) -> Expression,
) {
    let rules = &instance.rules;
    for (s, school) in instance.schools.iter().enumerate() {
        let r = school.reserved_seats as f64;
        match classes[s] {
            ClassVars::Known { classes, size } => {
                let seats_used = full[s].seats_used.clone() + r;
                model.add(
                    RowKind::Capacity(s, Regime::Full),
                    seats_used.leq((size as f64) * classes + extra_seats(s, Regime::Full)),
                );
            }
            ClassVars::Intake {
                full: kf,
                reduced: kr,
                rule,
            } => {
                let seats_full = full[s].seats_used.clone() - r * rule + r;
                model.add(
                    RowKind::Capacity(s, Regime::Full),
                    seats_full.leq((rules.class_size as f64) * kf + extra_seats(s, Regime::Full)),
                );
                let seats_reduced = reduced[s].seats_used.clone() + r * rule;
                model.add(
                    RowKind::Capacity(s, Regime::Reduced),
                    seats_reduced.leq((rules.reduced_class_size as f64) * kr + extra_seats(s, Regime::Reduced)),
                );
            }
        }
    }
}

/// Elastic models, `intake` basis: the extra seats of a school belong to
/// its regime, `S_full_s <= M (1 - y_s)` and `S_reduced_s <= M y_s` with
/// `M` = pupils + reserved seats. Without these rows a school could seat
/// pupils in the regime it is not in, and the slack would count them twice
/// in halves ("4 seats missing" where 8 are).
fn seat_slack_follows_regime(
    model: &mut Model,
    instance: &Instance,
    classes: &[ClassVars],
    slack: impl Fn(usize) -> (Expression, Expression),
) {
    for (s, school) in instance.schools.iter().enumerate() {
        let ClassVars::Intake { rule, .. } = classes[s] else {
            continue;
        };
        let most = instance.pupils.len() as f64 + school.reserved_seats as f64;
        let (full, reduced) = slack(s);
        model.add(RowKind::ClassesOnly(s), (full + most * rule).leq(most));
        model.add(RowKind::ClassesOnly(s), (reduced - most * rule).leq(0.0));
    }
}

/// `share_within_regime`: `sum (mu - theta a) xf <= 0` and `sum (mu - theta a) xr >= eps y`.
fn share_within_regime(model: &mut Model, instance: &Instance, full: &[RegimeSums], reduced: &[RegimeSums], classes: &[ClassVars]) {
    let theta = instance.rules.migration_threshold;
    for (s, school) in instance.schools.iter().enumerate() {
        let ClassVars::Intake { rule, .. } = classes[s] else { continue };
        let eps = share_epsilon(theta, max_intake(instance, school));
        model.add(RowKind::Share(s, Regime::Full), full[s].migrants_over_threshold.clone().leq(0.0));
        model.add(
            RowKind::Share(s, Regime::Reduced),
            (reduced[s].migrants_over_threshold.clone() - eps * rule).geq(0.0),
        );
    }
}

/// `classes_follow_regime` and `class_range`: `kf <= kmax (1 - y)`,
/// `kr <= kmax y`, `kmin <= kf + kr <= kmax`.
///
/// In an elastic model up to `extra` more classes are possible, counted by
/// `extra_classes(s)` (`E_s`): `kf + kr - E <= kmax`.
fn classes_follow_regime(
    model: &mut Model,
    instance: &Instance,
    classes: &[ClassVars],
    extra: u32,
    extra_classes: impl Fn(usize) -> Expression,
) {
    for (s, school) in instance.schools.iter().enumerate() {
        let ClassVars::Intake { full, reduced, rule } = classes[s] else {
            continue;
        };
        let kmax = school.max_classes as f64;
        let most = kmax + extra as f64;
        let opened = classes_opened(&classes[s]);
        model.add(RowKind::ClassesOnly(s), (full + most * rule).leq(most));
        model.add(RowKind::ClassesOnly(s), (reduced - most * rule).leq(0.0));
        model.add(RowKind::ClassesOnly(s), opened.clone().geq(school.min_classes as f64));
        model.add(RowKind::ClassesOnly(s), (opened - extra_classes(s)).leq(kmax));
    }
}

/// `moves_within_cap`: `sum_gs m_gs x_gs <= max_moves`, where `m_gs` counts
/// the pupils of `g` whose baseline school is not `s`.
fn moves_within_cap(model: &mut Model, moves: Expression, cap: u32) {
    model.add(RowKind::Moves, moves.leq(cap as f64));
}

/// Elastic models, `previous_year` basis: `k_s - E_s <= kmax_s`.
fn extra_classes_within_limit(model: &mut Model, instance: &Instance, classes: &[ClassVars], extra_classes: impl Fn(usize) -> Expression) {
    for (s, school) in instance.schools.iter().enumerate() {
        model.add(
            RowKind::ClassesOnly(s),
            (classes_opened(&classes[s]) - extra_classes(s)).leq(school.max_classes as f64),
        );
    }
}

/// `minimum_class_size`: `seats_used_s >= m k_s` (assigned pupils only).
///
/// In an elastic model `shortfall(s)` (`D_s`) pupils may be missing.
fn minimum_class_size(
    model: &mut Model,
    classes: &[ClassVars],
    full: &[RegimeSums],
    reduced: &[RegimeSums],
    min_size: u32,
    shortfall: impl Fn(usize) -> Expression,
) {
    for (s, class) in classes.iter().enumerate() {
        let required = (min_size as f64) * classes_opened(class);
        let seats_used = full[s].seats_used.clone() + reduced[s].seats_used.clone() + shortfall(s);
        model.add(RowKind::MinClass(s), seats_used.geq(required));
    }
}

/// The coefficients of an arc variable in its school's rows, matching the
/// functions above: `(a_g, mu_g - theta a_g)` in the capacity and minimum-size
/// rows, and in the share rows. Used to price arcs that are not in the model.
pub fn arc_row_coefficients(instance: &Instance, group: &Group) -> (f64, f64) {
    let a = group.seats_per_unit();
    (a, group.migrants_per_unit() - instance.rules.migration_threshold * a)
}

/// Turns arc values into one school per pupil: within a group, pupils in
/// ascending index fill the group's arcs in ascending school order.
pub fn disaggregate(instance: &Instance, groups: &[Group], arcs: &[Arc], vars: &[ArcVars], columns: &[f64]) -> Assignment {
    let mut school_of = vec![usize::MAX; instance.pupils.len()];
    let mut next_pupil = vec![0usize; groups.len()];
    for (arc, var) in arcs.iter().zip(vars) {
        let value = columns[var.full_column] + var.reduced_column.map_or(0.0, |c| columns[c]);
        let group = &groups[arc.group];
        let units = value.round().max(0.0) as usize;
        let pupils = if group.whole { units * group.pupils.len() } else { units };
        for _ in 0..pupils {
            if let Some(&p) = group.pupils.get(next_pupil[arc.group]) {
                school_of[p] = arc.school;
                next_pupil[arc.group] += 1;
            }
        }
    }
    Assignment { school_of }
}
