//! The integer program, one function per constraint family.
//!
//! Sets: groups `g` (see [`super::groups`]), schools `s`, arcs `(g, s)` (see
//! [`super::candidates`]). Data per arc: way `c_gs` (metres per unit of `x`);
//! per group: seats `a_g` and migrants `mu_g` moved per unit of `x`, and the
//! group's total `n_g` (pupils, or 1 for a whole unit); per school: class
//! range `[kmin_s, kmax_s]`, reserved seats `r_s`, class size `C`, reduced size
//! `R`, threshold `theta`.
//!
//! Variables: `x_gs` (integer in `[0, n_g]`, binary for a unit); per school
//! either `k_s` (classes, `previous_year` basis, size `C_s` known) or, with the
//! `intake` basis, `kf_s` (classes at `C`), `kr_s` (classes at `R`) and the
//! binary `y_s` (the school falls under the reduced rule).
//!
//! ```text
//! minimise   total_way = sum_gs c_gs x_gs
//! subject to every_pupil_once          sum_s x_gs = n_g                           for all g
//!            seats_within_capacity     sum_g a_g x_gs + r_s <= C_s k_s            (previous_year)
//!                                      sum_g a_g x_gs + r_s <= C kf_s + R kr_s    (intake)
//!            class_range               kmin_s <= kf_s + kr_s <= kmax_s            (intake)
//!            reduced_classes_need_rule kr_s <= kmax_s y_s, kf_s <= kmax_s (1 - y_s)
//!            share_above_means_rule    M_s - theta A_s <= U_s y_s
//!            rule_means_share_above    M_s - theta A_s >= eps - L_s (1 - y_s)
//!            minimum_class_size        sum_g a_g x_gs >= m k_s                    (if set)
//! ```
//! with `A_s = sum_g a_g x_gs`, `M_s = sum_g mu_g x_gs`, `U_s = (1 - theta) Amax_s`,
//! `L_s = eps + theta Amax_s`, `Amax_s = C kmax_s` the most pupils a school can
//! take, and `eps` the smallest positive value `M - theta A` can take for
//! integers `0 <= M <= A <= Amax_s`. So `y_s = 1` exactly when the intake share
//! is strictly above `theta`: the rule is modelled exactly, not approximated.

use super::candidates::Arc;
use super::groups::Group;
use crate::model::{Instance, MigrationBasis, School};
use good_lp::solvers::highs::{HighsProblem, highs};
use good_lp::{Expression, ProblemVariables, SolverModel, Variable, variable};

/// What a row of the model stands for; used to read its dual value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// `every_pupil_once` of a group.
    Assign(usize),
    /// `seats_within_capacity` of a school.
    Capacity(usize),
    /// `share_above_means_rule` of a school.
    ShareAbove(usize),
    /// `rule_means_share_above` of a school.
    RuleMeansShare(usize),
    /// `minimum_class_size` of a school.
    MinClass(usize),
    /// A row without arc variables (class range, rule linking).
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
    /// `intake` basis: classes at full and at reduced size, and the rule flag.
    Intake {
        /// Classes at `class_size`.
        full: Variable,
        /// Classes at `reduced_class_size`.
        reduced: Variable,
        /// 1 when the intake share is above the threshold.
        rule: Variable,
    },
}

/// The built model: HiGHS problem plus the map from columns and rows back to the domain.
pub struct Formulation {
    /// The good_lp problem for HiGHS.
    pub problem: HighsProblem,
    /// Arcs in column order of their `x` variables.
    pub arcs: Vec<Arc>,
    /// `x` variable of each arc.
    pub x: Vec<Variable>,
    /// Class variables per school.
    pub classes: Vec<ClassVars>,
    /// What each row stands for, in row order.
    pub rows: Vec<RowKind>,
    /// Number of columns.
    pub columns: usize,
}

/// Per-school expressions accumulated while arc variables are added.
struct SchoolSums {
    seats_used: Vec<Expression>,
    migrants_over_threshold: Vec<Expression>,
}

/// The most pupils school `s` could ever take: all its classes at full size.
pub fn max_intake(instance: &Instance, school: &School) -> f64 {
    (instance.rules.class_size.max(instance.rules.reduced_class_size) as f64) * school.max_classes as f64
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
    let mut vars = ProblemVariables::new();
    let theta = instance.rules.migration_threshold;
    let n_schools = instance.schools.len();
    let mut sums = SchoolSums {
        seats_used: vec![Expression::with_capacity(16); n_schools],
        migrants_over_threshold: vec![Expression::with_capacity(16); n_schools],
    };
    let mut assigned: Vec<Expression> = vec![Expression::default(); groups.len()];
    let mut total_way = Expression::with_capacity(arcs.len());
    let mut x = Vec::with_capacity(arcs.len());
    for arc in &arcs {
        let g = &groups[arc.group];
        let def = variable().min(0.0).max(g.variable_upper());
        let var = vars.add(if relax { def } else { def.integer() });
        total_way.add_mul(arc.cost_m, var);
        assigned[arc.group].add_mul(1.0, var);
        sums.seats_used[arc.school].add_mul(g.seats_per_unit(), var);
        sums.migrants_over_threshold[arc.school].add_mul(g.migrants_per_unit() - theta * g.seats_per_unit(), var);
        x.push(var);
    }
    let classes: Vec<ClassVars> = instance.schools.iter().map(|s| class_vars(&mut vars, instance, s, relax)).collect();
    let columns = arcs.len() + classes.iter().map(|c| if matches!(c, ClassVars::Known { .. }) { 1 } else { 3 }).sum::<usize>();

    let mut model = Model { problem: vars.minimise(total_way).using(highs), rows: Vec::new() };
    every_pupil_once(&mut model, groups, assigned);
    seats_within_capacity(&mut model, instance, &classes, &sums);
    if instance.rules.migration_basis == MigrationBasis::Intake {
        intake_share_rule(&mut model, instance, &classes, &sums);
    }
    if let Some(min_size) = instance.rules.min_class_size {
        minimum_class_size(&mut model, &classes, &sums, min_size);
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

/// `seats_within_capacity`: `seats_used_s + r_s <= C_s k_s`, or with the
/// intake basis `seats_used_s + r_s <= C kf_s + R kr_s`.
fn seats_within_capacity(model: &mut Model, instance: &Instance, classes: &[ClassVars], sums: &SchoolSums) {
    let rules = &instance.rules;
    for (s, school) in instance.schools.iter().enumerate() {
        let capacity: Expression = match classes[s] {
            ClassVars::Known { classes, size } => (size as f64) * classes,
            ClassVars::Intake { full, reduced, .. } => (rules.class_size as f64) * full + (rules.reduced_class_size as f64) * reduced,
        };
        let seats_used = sums.seats_used[s].clone() + school.reserved_seats as f64;
        model.add(RowKind::Capacity(s), seats_used.leq(capacity));
    }
}

/// The intake-basis rule: class range, `reduced_classes_need_rule`,
/// `share_above_means_rule` and `rule_means_share_above` (see the module doc).
fn intake_share_rule(model: &mut Model, instance: &Instance, classes: &[ClassVars], sums: &SchoolSums) {
    let theta = instance.rules.migration_threshold;
    for (s, school) in instance.schools.iter().enumerate() {
        let ClassVars::Intake { full, reduced, rule } = classes[s] else { continue };
        let kmax = school.max_classes as f64;
        let amax = max_intake(instance, school);
        let eps = share_epsilon(theta, amax as u32);
        let opened = classes_opened(&classes[s]);
        model.add(RowKind::ClassesOnly(s), opened.clone().geq(school.min_classes as f64));
        model.add(RowKind::ClassesOnly(s), opened.leq(kmax));
        model.add(RowKind::ClassesOnly(s), Expression::from(reduced).leq(kmax * rule));
        model.add(RowKind::ClassesOnly(s), (full + kmax * rule).leq(kmax));
        let over = &sums.migrants_over_threshold[s];
        model.add(RowKind::ShareAbove(s), (over.clone() - (1.0 - theta) * amax * rule).leq(0.0));
        let big_l = eps + theta * amax;
        model.add(RowKind::RuleMeansShare(s), (over.clone() - big_l * rule).geq(eps - big_l));
    }
}

/// `minimum_class_size`: `seats_used_s >= m k_s` (assigned pupils only).
fn minimum_class_size(model: &mut Model, classes: &[ClassVars], sums: &SchoolSums, min_size: u32) {
    for (s, class) in classes.iter().enumerate() {
        let required = (min_size as f64) * classes_opened(class);
        model.add(RowKind::MinClass(s), sums.seats_used[s].clone().geq(required));
    }
}

/// The coefficients of an arc variable `x_gs` in the rows of school `s`,
/// matching the functions above: `(capacity, min_class, share_rows)` =
/// `(a_g, a_g, mu_g - theta a_g)`. Used to price arcs that are not in the model.
pub fn arc_row_coefficients(instance: &Instance, group: &Group) -> (f64, f64) {
    let a = group.seats_per_unit();
    (a, group.migrants_per_unit() - instance.rules.migration_threshold * a)
}
