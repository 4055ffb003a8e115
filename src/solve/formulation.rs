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

use super::candidates::Arc;
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
}

/// Per-school expressions accumulated while arc variables are added, per regime.
#[derive(Default, Clone)]
struct RegimeSums {
    seats_used: Expression,
    migrants_over_threshold: Expression,
}

/// The most pupils school `s` could ever take: all its classes at the larger class size.
pub fn max_intake(instance: &Instance, school: &School) -> u32 {
    instance.rules.class_size.max(instance.rules.reduced_class_size) * school.max_classes
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
    let mut add_arc_variable = |vars: &mut ProblemVariables, arc: &Arc, sums: &mut RegimeSums| {
        next_column += 1;
        let g = &groups[arc.group];
        let def = variable().min(0.0).max(g.variable_upper());
        let var = vars.add(if relax { def } else { def.integer() });
        total_way.add_mul(arc.cost_m, var);
        assigned[arc.group].add_mul(1.0, var);
        sums.seats_used.add_mul(g.seats_per_unit(), var);
        sums.migrants_over_threshold.add_mul(g.migrants_per_unit() - theta * g.seats_per_unit(), var);
        (var, next_column - 1)
    };
    for arc in &arcs {
        let (full, full_column) = add_arc_variable(&mut vars, arc, &mut full_sums[arc.school]);
        let reduced = intake.then(|| add_arc_variable(&mut vars, arc, &mut reduced_sums[arc.school]));
        x.push(ArcVars { full, reduced: reduced.map(|r| r.0), full_column, reduced_column: reduced.map(|r| r.1) });
    }
    let classes: Vec<ClassVars> = instance.schools.iter().map(|s| class_vars(&mut vars, instance, s, relax)).collect();
    let columns = x.len() * if intake { 2 } else { 1 } + n_schools * if intake { 3 } else { 1 };

    let mut model = Model { problem: vars.minimise(total_way).using(highs), rows: Vec::new() };
    every_pupil_once(&mut model, groups, assigned);
    seats_within_capacity(&mut model, instance, &classes, &full_sums, &reduced_sums);
    if intake {
        share_within_regime(&mut model, instance, &full_sums, &reduced_sums, &classes);
        classes_follow_regime(&mut model, instance, &classes);
    }
    if let Some(min_size) = instance.rules.min_class_size {
        minimum_class_size(&mut model, &classes, &full_sums, &reduced_sums, min_size);
    }
    Formulation { problem: model.problem, arcs, x, classes, rows: model.rows, columns }
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

fn class_vars(vars: &mut ProblemVariables, instance: &Instance, school: &School, relax: bool) -> ClassVars {
    let int = |def: good_lp::VariableDefinition| if relax { def } else { def.integer() };
    match instance.rules.migration_basis {
        MigrationBasis::PreviousYear => ClassVars::Known {
            classes: vars.add(int(variable().min(school.min_classes as f64).max(school.max_classes as f64))),
            size: instance.rules.class_size_for(school.prev_migration_share),
        },
        MigrationBasis::Intake => ClassVars::Intake {
            full: vars.add(int(variable().min(0.0).max(school.max_classes as f64))),
            reduced: vars.add(int(variable().min(0.0).max(school.max_classes as f64))),
            rule: vars.add(int(variable().min(0.0).max(1.0))),
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
fn seats_within_capacity(model: &mut Model, instance: &Instance, classes: &[ClassVars], full: &[RegimeSums], reduced: &[RegimeSums]) {
    let rules = &instance.rules;
    for (s, school) in instance.schools.iter().enumerate() {
        let r = school.reserved_seats as f64;
        match classes[s] {
            ClassVars::Known { classes, size } => {
                let seats_used = full[s].seats_used.clone() + r;
                model.add(RowKind::Capacity(s, Regime::Full), seats_used.leq((size as f64) * classes));
            }
            ClassVars::Intake { full: kf, reduced: kr, rule } => {
                let seats_full = full[s].seats_used.clone() - r * rule + r;
                model.add(RowKind::Capacity(s, Regime::Full), seats_full.leq((rules.class_size as f64) * kf));
                let seats_reduced = reduced[s].seats_used.clone() + r * rule;
                model.add(RowKind::Capacity(s, Regime::Reduced), seats_reduced.leq((rules.reduced_class_size as f64) * kr));
            }
        }
    }
}

/// `share_within_regime`: `sum (mu - theta a) xf <= 0` and `sum (mu - theta a) xr >= eps y`.
fn share_within_regime(model: &mut Model, instance: &Instance, full: &[RegimeSums], reduced: &[RegimeSums], classes: &[ClassVars]) {
    let theta = instance.rules.migration_threshold;
    for (s, school) in instance.schools.iter().enumerate() {
        let ClassVars::Intake { rule, .. } = classes[s] else { continue };
        let eps = share_epsilon(theta, max_intake(instance, school));
        model.add(RowKind::Share(s, Regime::Full), full[s].migrants_over_threshold.clone().leq(0.0));
        model.add(RowKind::Share(s, Regime::Reduced), (reduced[s].migrants_over_threshold.clone() - eps * rule).geq(0.0));
    }
}

/// `classes_follow_regime` and `class_range`: `kf <= kmax (1 - y)`,
/// `kr <= kmax y`, `kmin <= kf + kr <= kmax`.
fn classes_follow_regime(model: &mut Model, instance: &Instance, classes: &[ClassVars]) {
    for (s, school) in instance.schools.iter().enumerate() {
        let ClassVars::Intake { full, reduced, rule } = classes[s] else { continue };
        let kmax = school.max_classes as f64;
        let opened = classes_opened(&classes[s]);
        model.add(RowKind::ClassesOnly(s), (full + kmax * rule).leq(kmax));
        model.add(RowKind::ClassesOnly(s), (reduced - kmax * rule).leq(0.0));
        model.add(RowKind::ClassesOnly(s), opened.clone().geq(school.min_classes as f64));
        model.add(RowKind::ClassesOnly(s), opened.leq(kmax));
    }
}

/// `minimum_class_size`: `seats_used_s >= m k_s` (assigned pupils only).
fn minimum_class_size(model: &mut Model, classes: &[ClassVars], full: &[RegimeSums], reduced: &[RegimeSums], min_size: u32) {
    for (s, class) in classes.iter().enumerate() {
        let required = (min_size as f64) * classes_opened(class);
        let seats_used = full[s].seats_used.clone() + reduced[s].seats_used.clone();
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
