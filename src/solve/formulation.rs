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
//!            share_rounding            sum_g (mu_g - b a_g) xf_gs <= a (1 - y_s)   per full-regime cut (a, b)
//!                                      sum_g (mu_g - b a_g) xr_gs >= a y_s         per reduced-regime cut (a, b)
//!            classes_follow_regime     kf_s <= kmax_s (1 - y_s),  kr_s <= kmax_s y_s
//!            class_range               kmin_s <= kf_s + kr_s <= kmax_s
//!            minimum_class_size        sum_g a_g (xf_gs + xr_gs) >= m (kf_s + kr_s)
//! ```
//! In the full regime `kr = 0`, so every `xr` of the school is 0 and its intake share `M/A` is at most
//! `theta`; in the reduced regime `kf = 0`, every `xf` is 0 and
//! `M - theta A >= eps > 0`, i.e. the share is strictly above `theta`. `eps`
//! is the smallest positive value `M - theta A` can take for integers
//! `0 <= M <= A <= Amax_s`, so the rule is modelled exactly, with no big-M
//! on the share, which keeps the LP relaxation tight. `share_rounding`
//! adds what whole pupils add to it (see [`super::share_rounding`]): at a
//! school full to its capacity the share line allows a fractional migrant
//! (16.5 of 66), the cuts do not. They are valid for every solution in whole
//! pupils and hold no slack, so elastic models and the plain reference model
//! ([`build_plain`]) go without them.
//!
//! **Columns.** Every variable is registered with what it stands for as it
//! is added ([`ColumnRegistry::add`], a [`Column`]); good_lp hands the
//! variables to HiGHS in that order, so the finished [`Columns`] say which
//! HiGHS column is which. Warm starts, probing, the elastic models, the model
//! export and [`disaggregate`] read column indices from there; no one counts
//! columns by hand.

use super::Assignment;
use super::candidates::{Arc, moves_per_unit};
use super::groups::Group;
use super::share_rounding::{ShareCut, full_regime_cuts, reduced_regime_cuts};
use crate::model::{Instance, MigrationBasis, School};
use good_lp::solvers::highs::{HighsProblem, highs};
use good_lp::{Expression, ProblemVariables, SolverModel, Variable, VariableDefinition, variable};
use std::collections::HashMap;

/// The capacity regime of a school: which class size its seats come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

    /// Position of the regime in a per-regime pair: 0 full, 1 reduced.
    fn slot(self) -> usize {
        match self {
            Regime::Full => 0,
            Regime::Reduced => 1,
        }
    }
}

/// What a row of the model stands for; used to read its dual value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowKind {
    /// `every_pupil_once` of a group.
    Assign(usize),
    /// `seats_within_capacity` of a school in a regime.
    Capacity(usize, Regime),
    /// `share_within_regime` of a school in a regime.
    Share(usize, Regime),
    /// `share_rounding` of a school in a regime: the cut of slope
    /// `rise / run` (see [`super::share_rounding`]).
    ShareRounding {
        /// The school.
        school: usize,
        /// The regime whose arc variables the cut holds.
        regime: Regime,
        /// Rise of the cut's slope (migrants).
        rise: u32,
        /// Run of the cut's slope (pupils).
        run: u32,
    },
    /// `minimum_class_size` of a school.
    MinClass(usize),
    /// A row without arc variables (class range, regime link).
    ClassesOnly(usize),
    /// `moves_within_cap`: pupils leaving their baseline school.
    Moves,
    /// `share_within_bounds` of a school: the upper (`true`) or lower bound.
    Balance(usize, bool),
    /// `intake_near_baseline` of a school: the upper (`true`) or lower bound.
    SchoolChange(usize, bool),
}

/// The rule a slack variable of an elastic model relaxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SlackKind {
    /// Extra classes (`E_s`).
    Classes,
    /// Extra seats of a regime (`S_s`; the reduced regime's only with the
    /// intake basis, where each is confined to the school's regime).
    Seats(Regime),
    /// Pupils short of the class minimum (`D_s`).
    ClassMinimum,
}

/// What a column (variable) of the model stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// Pupils (or the unit) sent over an arc in a regime: `x_gs` (full
    /// regime, `previous_year` basis), or `xf_gs` and `xr_gs`.
    Arc {
        /// The arc's position in [`Formulation::arcs`].
        arc: usize,
        /// The regime it sends pupils in.
        regime: Regime,
    },
    /// Classes a school opens in a regime: `k_s` (full regime, `previous_year`
    /// basis), or `kf_s` and `kr_s`.
    Classes {
        /// The school.
        school: usize,
        /// The regime its classes are counted in.
        regime: Regime,
    },
    /// The regime flag `y_s` of a school (intake basis): 1 in the reduced regime.
    RegimeFlag(usize),
    /// A slack of an elastic model.
    Slack {
        /// The rule it relaxes.
        kind: SlackKind,
        /// The school.
        school: usize,
    },
    /// Pupils (or the unit) of a group left unassigned: `u_g`.
    Unassigned(usize),
}

/// The columns of a built model: what each stands for, in HiGHS's column
/// order, with the columns of each arc and school at hand.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// What each column stands for, in column order.
    roles: Vec<Column>,
    /// Per arc, its full and reduced column.
    arcs: Vec<[Option<usize>; 2]>,
    /// Per school, its full and reduced class-count column.
    classes: Vec<[Option<usize>; 2]>,
    /// Per school, its regime flag's column.
    flags: Vec<Option<usize>>,
}

/// The entry of `index` in a per-regime table, growing the table as needed.
fn regime_entry(table: &mut Vec<[Option<usize>; 2]>, index: usize, regime: Regime) -> &mut Option<usize> {
    if table.len() <= index {
        table.resize(index + 1, [None; 2]);
    }
    &mut table[index][regime.slot()]
}

impl Columns {
    /// Records the next column as standing for `role`; returns its index.
    fn record(&mut self, role: Column) -> usize {
        let column = self.roles.len();
        match role {
            Column::Arc { arc, regime } => *regime_entry(&mut self.arcs, arc, regime) = Some(column),
            Column::Classes { school, regime } => *regime_entry(&mut self.classes, school, regime) = Some(column),
            Column::RegimeFlag(school) => {
                if self.flags.len() <= school {
                    self.flags.resize(school + 1, None);
                }
                self.flags[school] = Some(column);
            }
            Column::Slack { .. } | Column::Unassigned(_) => {}
        }
        self.roles.push(role);
        column
    }

    /// Number of columns.
    pub fn len(&self) -> usize {
        self.roles.len()
    }

    /// Whether the model has no column.
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
    }

    /// Every column with what it stands for, in column order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, Column)> + '_ {
        self.roles.iter().copied().enumerate()
    }

    /// Number of schools (each has class columns).
    pub fn schools(&self) -> usize {
        self.classes.len()
    }

    /// The column of `arc` in `regime`, if the model has one.
    pub fn arc(&self, arc: usize, regime: Regime) -> Option<usize> {
        self.arcs.get(arc).and_then(|pair| pair[regime.slot()])
    }

    /// The values of `arc`'s full and reduced column in `values` (0 for a column it does not have).
    pub fn arc_values(&self, arc: usize, values: &[f64]) -> (f64, f64) {
        let value = |regime| self.arc(arc, regime).map_or(0.0, |c| values[c]);
        (value(Regime::Full), value(Regime::Reduced))
    }

    /// Pupils (or units) sent over `arc` in `values`: its full plus its reduced column.
    pub fn arc_total(&self, arc: usize, values: &[f64]) -> f64 {
        let (full, reduced) = self.arc_values(arc, values);
        full + reduced
    }

    /// Every arc column (full and reduced).
    pub fn arc_columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.arcs.iter().flat_map(|pair| pair.iter().flatten().copied())
    }

    /// The column counting `school`'s classes in `regime`, if the model has one.
    pub fn classes(&self, school: usize, regime: Regime) -> Option<usize> {
        self.classes.get(school).and_then(|pair| pair[regime.slot()])
    }

    /// The columns counting `school`'s classes (`k_s`, or `kf_s` and `kr_s`).
    pub fn class_counts(&self, school: usize) -> impl Iterator<Item = usize> + '_ {
        self.classes.get(school).into_iter().flat_map(|pair| pair.iter().flatten().copied())
    }

    /// The class-count columns of every school, school by school.
    pub fn all_class_counts(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.schools()).flat_map(|s| self.class_counts(s))
    }

    /// The column of `school`'s regime flag `y_s` (intake basis only).
    pub fn regime_flag(&self, school: usize) -> Option<usize> {
        self.flags.get(school).copied().flatten()
    }

    /// The slack columns of an elastic model: `(column, rule, school)`, in column order.
    pub fn slacks(&self) -> impl Iterator<Item = (usize, SlackKind, usize)> + '_ {
        self.iter().filter_map(|(c, role)| match role {
            Column::Slack { kind, school } => Some((c, kind, school)),
            _ => None,
        })
    }

    /// The columns of the groups' unassigned variables, in column order.
    pub fn unassigned(&self) -> impl Iterator<Item = usize> + '_ {
        self.iter()
            .filter_map(|(c, role)| matches!(role, Column::Unassigned(_)).then_some(c))
    }
}

/// The variables of a model under construction, each registered with what
/// it stands for as it is added. good_lp numbers its variables in the order
/// they are added and hands them to HiGHS in that order, so the `n`-th
/// registered variable is HiGHS's column `n`.
#[derive(Default)]
pub struct ColumnRegistry {
    variables: ProblemVariables,
    columns: Columns,
}

impl ColumnRegistry {
    /// Adds a variable of `definition` standing for `role`.
    pub fn add(&mut self, definition: VariableDefinition, role: Column) -> Variable {
        let variable = self.variables.add(definition);
        let column = self.columns.record(role);
        debug_assert_eq!(column + 1, self.variables.len(), "one registered role per good_lp variable");
        variable
    }

    /// The good_lp variables, to state the objective over, and what their columns stand for.
    pub fn finish(self) -> (ProblemVariables, Columns) {
        debug_assert_eq!(self.variables.len(), self.columns.len());
        (self.variables, self.columns)
    }
}

/// Class variables of one school.
#[derive(Debug, Clone, Copy)]
enum ClassVars {
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

/// The built model: HiGHS problem plus the map from columns and rows back to the domain.
pub struct Formulation {
    /// The good_lp problem for HiGHS.
    pub problem: HighsProblem,
    /// Arcs, in the order of their variables.
    pub arcs: Vec<Arc>,
    /// What each column stands for.
    pub columns: Columns,
    /// What each row stands for, in row order.
    pub rows: Vec<RowKind>,
    /// Whether the arc variables are continuous in an integer program
    /// ([`build_mip`]), so that its solution may send parts of pupils.
    pub continuous_flows: bool,
}

/// Per-school expressions accumulated while arc variables are added, per regime.
#[derive(Default, Clone)]
struct RegimeSums {
    seats_used: Expression,
    migrants_over_threshold: Expression,
    /// `sum mu_g x_gs`: migrants sent (for the balance rules).
    migrants: Expression,
}

/// The sums over the variables that the objective and the rows are made of,
/// accumulated as the variables are added.
struct FlowSums {
    /// The objective: `sum c_gs x_gs` (plus slacks and unassigned pupils at their prices).
    total_way: Expression,
    /// Per group, `sum_s x_gs` (plus `u_g`).
    assigned: Vec<Expression>,
    /// Per school, the sums over its full-regime arc variables.
    full: Vec<RegimeSums>,
    /// Per school, the sums over its reduced-regime arc variables.
    reduced: Vec<RegimeSums>,
    /// `sum m_gs x_gs`: pupils leaving their baseline school.
    moves: Expression,
}

impl FlowSums {
    /// The sums of `regime` at `school`.
    fn of_regime(&mut self, school: usize, regime: Regime) -> &mut RegimeSums {
        match regime {
            Regime::Full => &mut self.full[school],
            Regime::Reduced => &mut self.reduced[school],
        }
    }
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

/// The plain integer program over the given arcs, as the module doc states
/// it without `share_rounding`: the reference that the certified solve is
/// compared with (`plain`), and the model that `export-model` writes.
pub fn build_plain(instance: &Instance, groups: &[Group], arcs: Vec<Arc>) -> Formulation {
    let options = BuildOptions {
        share_rounding: false,
        ..BuildOptions::default()
    };
    build_inner(instance, groups, arcs, options)
}

/// Builds the model over the given arcs. With `relax`, every integer variable
/// is continuous (the LP relaxation used for pricing pruned arcs).
pub fn build(instance: &Instance, groups: &[Group], arcs: Vec<Arc>, relax: bool) -> Formulation {
    let options = BuildOptions {
        integrality: Integrality::of(relax),
        ..BuildOptions::default()
    };
    build_inner(instance, groups, arcs, options)
}

/// Builds the integer program with some schools' regimes fixed in advance
/// (`y_s` bounded to 0 or 1 where `regimes[s]` is set; intake basis only,
/// ignored otherwise). The columns are those of [`build`] over the same arcs
/// less the other regime's arc variables of a fixed school (which could only
/// be 0), so a solution of this model, read by role ([`super::warm_start::ColumnMap`]),
/// is a solution of the unfixed one (see [`super::warm_start`] and [`super::probing`]).
pub fn build_with_regimes(instance: &Instance, groups: &[Group], arcs: Vec<Arc>, regimes: &[Option<Regime>]) -> Formulation {
    let options = BuildOptions {
        fixed_regimes: Some(regimes),
        ..BuildOptions::default()
    };
    build_inner(instance, groups, arcs, options)
}

/// Whether the arc variables may be continuous in the integer program
/// because whole class numbers already make them whole: the `previous_year`
/// basis (class sizes known), pupils split one by one (no units), no cap
/// on moves, no balance rule and no `max_school_change` (their rows would
/// break the structure, or are not worth proving they keep it). Once the class counts `k_s` are fixed, what is left is a
/// transportation problem with integral bounds `m k_s <= seats_s <= C_s k_s - r_s`,
/// whose constraint matrix is totally unimodular: an optimal vertex sends
/// whole pupils. HiGHS then branches on the class counts only (see
/// [`build_mip`]; `certified` turns a solution that is not a vertex into
/// whole pupils).
pub fn classes_make_flows_whole(instance: &Instance, groups: &[Group]) -> bool {
    instance.rules.migration_basis == MigrationBasis::PreviousYear
        && instance.rules.max_moves.is_none()
        && !instance.rules.has_balance_rules()
        && instance.rules.max_school_change.is_none()
        && groups.iter().all(|g| !g.whole)
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
    let options = BuildOptions {
        integrality,
        ..BuildOptions::default()
    };
    build_inner(instance, groups, arcs, options)
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
    let options = BuildOptions {
        integrality: Integrality::Relaxed,
        unassigned_price: Some(price),
        ..BuildOptions::default()
    };
    build_inner(instance, groups, arcs, options)
}

/// Builds an elastic model: the integer program over `arcs` (whose costs are
/// the prices of using them) with slack variables for the rules in `slacks`,
/// all priced at 1; minimising finds the smallest relaxation that makes the
/// instance feasible.
pub fn build_elastic(instance: &Instance, groups: &[Group], arcs: Vec<Arc>, slacks: Slacks) -> Formulation {
    let options = BuildOptions {
        slacks,
        ..BuildOptions::default()
    };
    build_inner(instance, groups, arcs, options)
}

/// Most extra classes one school may get in an elastic model: enough for every pupil.
fn extra_classes_limit(instance: &Instance, slacks: Slacks) -> u32 {
    if slacks.classes {
        (instance.pupils.len() as u32).div_ceil(instance.rules.smallest_class_size().max(1))
    } else {
        0
    }
}

/// How a model differs from the plain integer program.
#[derive(Debug, Clone, Copy)]
struct BuildOptions<'a> {
    /// Which variables are integer.
    integrality: Integrality,
    /// Which rules may be broken at a price (elastic models).
    slacks: Slacks,
    /// Price per pupil of an unassigned variable per group, if the model has them.
    unassigned_price: Option<f64>,
    /// Regimes fixed in advance, per school.
    fixed_regimes: Option<&'a [Option<Regime>]>,
    /// Whether the model has the `share_rounding` cuts (when they apply:
    /// intake basis, no slack).
    share_rounding: bool,
}

impl Default for BuildOptions<'_> {
    fn default() -> Self {
        BuildOptions {
            integrality: Integrality::Integer,
            slacks: Slacks::default(),
            unassigned_price: None,
            fixed_regimes: None,
            share_rounding: true,
        }
    }
}

/// Builds a model: the variables in column order (arcs, classes, slacks,
/// unassigned pupils), then the objective, then the constraint families.
fn build_inner(instance: &Instance, groups: &[Group], arcs: Vec<Arc>, options: BuildOptions) -> Formulation {
    let mut registry = ColumnRegistry::default();
    let integer_flows = options.integrality == Integrality::Integer;
    let mut flows = add_arc_variables(&mut registry, instance, groups, &arcs, integer_flows, options.fixed_regimes);
    let extra = extra_classes_limit(instance, options.slacks);
    let relax = options.integrality == Integrality::Relaxed;
    let classes = add_class_variables(&mut registry, instance, relax, extra, options.fixed_regimes);
    let slacks = add_slacks(&mut registry, instance, options.slacks, extra, &mut flows.total_way);
    if let Some(price) = options.unassigned_price {
        add_unassigned(&mut registry, groups, price, &mut flows);
    }
    let (variables, columns) = registry.finish();
    let mut model = Model {
        problem: variables.minimise(std::mem::take(&mut flows.total_way)).using(highs),
        rows: Vec::new(),
    };
    let share_rounding = options.share_rounding && options.slacks == Slacks::default();
    add_constraint_families(&mut model, instance, groups, flows, &classes, &slacks, share_rounding);
    Formulation {
        problem: model.problem,
        arcs,
        columns,
        rows: model.rows,
        continuous_flows: options.integrality == Integrality::ClassesOnly,
    }
}

/// Adds the arc variables, `x_gs` (or `xf_gs` and `xr_gs` with the intake
/// basis, one after the other per arc), bounded by `0 <= x_gs <= n_g`, and
/// accumulates the sums they enter: the total way `c_gs x_gs`, the group's
/// `sum_s x_gs`, the school's seats `a_g x_gs` and migrants over the
/// threshold `(mu_g - theta a_g) x_gs`, and the moves `m_gs x_gs`. A school
/// whose regime is fixed (`fixed_regimes`) gets only that regime's variable
/// per arc: the other one could only be 0.
fn add_arc_variables(
    registry: &mut ColumnRegistry,
    instance: &Instance,
    groups: &[Group],
    arcs: &[Arc],
    integer: bool,
    fixed_regimes: Option<&[Option<Regime>]>,
) -> FlowSums {
    let intake = instance.rules.migration_basis == MigrationBasis::Intake;
    let regimes: &[Regime] = if intake {
        &[Regime::Full, Regime::Reduced]
    } else {
        &[Regime::Full]
    };
    let theta = instance.rules.migration_threshold;
    let count_moves = instance.rules.max_moves.is_some();
    let n_schools = instance.schools.len();
    let mut flows = FlowSums {
        total_way: Expression::with_capacity(arcs.len() * regimes.len()),
        assigned: vec![Expression::default(); groups.len()],
        full: vec![RegimeSums::default(); n_schools],
        reduced: vec![RegimeSums::default(); n_schools],
        moves: Expression::default(),
    };
    for (index, arc) in arcs.iter().enumerate() {
        let group = &groups[arc.group];
        let fixed = fixed_regimes.and_then(|r| r[arc.school]);
        for &regime in regimes.iter().filter(|&&r| fixed.is_none_or(|f| f == r)) {
            let definition = variable().min(0.0).max(group.variable_upper());
            let definition = if integer { definition.integer() } else { definition };
            let var = registry.add(definition, Column::Arc { arc: index, regime });
            flows.total_way.add_mul(arc.cost_m, var);
            if count_moves {
                flows.moves.add_mul(moves_per_unit(instance, group, arc.school), var);
            }
            flows.assigned[arc.group].add_mul(1.0, var);
            let sums = flows.of_regime(arc.school, regime);
            sums.seats_used.add_mul(group.seats_per_unit(), var);
            sums.migrants_over_threshold
                .add_mul(group.migrants_per_unit() - theta * group.seats_per_unit(), var);
            sums.migrants.add_mul(group.migrants_per_unit(), var);
        }
    }
    flows
}

/// Adds the class variables of every school (see [`class_vars`]).
fn add_class_variables(
    registry: &mut ColumnRegistry,
    instance: &Instance,
    relax: bool,
    extra: u32,
    fixed_regimes: Option<&[Option<Regime>]>,
) -> Vec<ClassVars> {
    (0..instance.schools.len())
        .map(|s| class_vars(registry, instance, s, relax, extra, fixed_regimes.and_then(|r| r[s])))
        .collect()
}

/// Class variables of a school: `kmin_s <= k_s <= kmax_s`, or
/// `0 <= kf_s, kr_s <= kmax_s` and `y_s` in `[0, 1]`; `extra` raises the
/// upper bound of the class counts in elastic models, `regime` fixes `y_s`.
fn class_vars(registry: &mut ColumnRegistry, instance: &Instance, s: usize, relax: bool, extra: u32, regime: Option<Regime>) -> ClassVars {
    let school = &instance.schools[s];
    let int = |def: VariableDefinition| if relax { def } else { def.integer() };
    let most = (school.max_classes + extra) as f64;
    let classes = |regime| Column::Classes { school: s, regime };
    match instance.rules.migration_basis {
        MigrationBasis::PreviousYear => ClassVars::Known {
            classes: registry.add(int(variable().min(school.min_classes as f64).max(most)), classes(Regime::Full)),
            size: instance.rules.class_size_for(school.prev_migration_share),
        },
        MigrationBasis::Intake => {
            let full = registry.add(int(variable().min(0.0).max(most)), classes(Regime::Full));
            let reduced = registry.add(int(variable().min(0.0).max(most)), classes(Regime::Reduced));
            let flag = match regime {
                None => variable().min(0.0).max(1.0),
                Some(fixed) => variable().min(fixed.flag()).max(fixed.flag()),
            };
            let rule = registry.add(int(flag), Column::RegimeFlag(s));
            ClassVars::Intake { full, reduced, rule }
        }
    }
}

/// The slack variables of an elastic model, by rule and school.
struct SlackVars {
    /// Which rules have slacks.
    relaxed: Slacks,
    /// Most extra classes per school (0 unless classes are relaxed).
    extra_classes: u32,
    /// The slack of each rule and school.
    vars: HashMap<(SlackKind, usize), Variable>,
}

impl SlackVars {
    /// The slack of `kind` at `school`, as an expression (0 when the model has none).
    fn of(&self, kind: SlackKind, school: usize) -> Expression {
        self.vars.get(&(kind, school)).copied().map(Expression::from).unwrap_or_default()
    }
}

/// Adds the slack variables of the rules in `relaxed`, integer and `>= 0`,
/// each priced at 1 in the objective: per school first the extra classes
/// `E_s`, then the extra seats `S_s` (the full regime's under the intake
/// basis), the class-minimum shortfall `D_s`, and the reduced regime's extra seats.
fn add_slacks(
    registry: &mut ColumnRegistry,
    instance: &Instance,
    relaxed: Slacks,
    extra_classes: u32,
    total_way: &mut Expression,
) -> SlackVars {
    let intake = instance.rules.migration_basis == MigrationBasis::Intake;
    let mut slacks = SlackVars {
        relaxed,
        extra_classes,
        vars: HashMap::new(),
    };
    for (wanted, kind) in [
        (relaxed.classes, SlackKind::Classes),
        (relaxed.seats, SlackKind::Seats(Regime::Full)),
        (relaxed.class_minimum, SlackKind::ClassMinimum),
        (relaxed.seats && intake, SlackKind::Seats(Regime::Reduced)),
    ] {
        if !wanted {
            continue;
        }
        for school in 0..instance.schools.len() {
            let var = registry.add(variable().integer().min(0.0), Column::Slack { kind, school });
            total_way.add_mul(1.0, var);
            slacks.vars.insert((kind, school), var);
        }
    }
    slacks
}

/// Adds an unassigned variable per group, `0 <= u_g <= n_g`, priced at
/// `price` metres per pupil, to the group's `sum_s x_gs + u_g`.
fn add_unassigned(registry: &mut ColumnRegistry, groups: &[Group], price: f64, flows: &mut FlowSums) {
    for (g, group) in groups.iter().enumerate() {
        let var = registry.add(variable().min(0.0).max(group.variable_upper()), Column::Unassigned(g));
        flows.total_way.add_mul(price * group.seats_per_unit(), var);
        flows.assigned[g].add_mul(1.0, var);
    }
}

/// Adds the rows, one constraint family after the other (see the module doc).
fn add_constraint_families(
    model: &mut Model,
    instance: &Instance,
    groups: &[Group],
    flows: FlowSums,
    classes: &[ClassVars],
    slacks: &SlackVars,
    with_share_rounding: bool,
) {
    let intake = instance.rules.migration_basis == MigrationBasis::Intake;
    every_pupil_once(model, groups, flows.assigned);
    seats_within_capacity(model, instance, classes, &flows.full, &flows.reduced, |s, regime| {
        slacks.of(SlackKind::Seats(regime), s)
    });
    if intake && slacks.relaxed.seats {
        seat_slack_follows_regime(model, instance, classes, |s| {
            (
                slacks.of(SlackKind::Seats(Regime::Full), s),
                slacks.of(SlackKind::Seats(Regime::Reduced), s),
            )
        });
    }
    let extra_classes = |s| slacks.of(SlackKind::Classes, s);
    if intake {
        share_within_regime(model, instance, &flows.full, &flows.reduced, classes);
        if with_share_rounding {
            share_rounding(model, instance, &flows.full, &flows.reduced, classes);
        }
        classes_follow_regime(model, instance, classes, slacks.extra_classes, extra_classes);
    } else if slacks.relaxed.classes {
        extra_classes_within_limit(model, instance, classes, extra_classes);
    }
    if let Some(min_size) = instance.rules.min_class_size {
        minimum_class_size(model, classes, &flows.full, &flows.reduced, min_size, |s| {
            slacks.of(SlackKind::ClassMinimum, s)
        });
    }
    if let Some(cap) = instance.rules.max_moves {
        moves_within_cap(model, flows.moves, cap);
    }
    if instance.rules.has_balance_rules() {
        share_within_bounds(model, instance, &flows.full, &flows.reduced);
    }
    if let Some(cap) = instance.rules.max_school_change {
        intake_near_baseline(model, instance, &flows.full, &flows.reduced, cap);
    }
}

/// `intake_near_baseline` (`max_school_change = N`): with `n_s = sum a_g x_gs`
/// the pupils a school receives (both regimes) and `B_s` its baseline intake
/// ([`Instance::baseline_intakes`]), `n_s <= B_s + N` and, when `B_s > N`,
/// `n_s >= B_s - N`. An arc enters both rows with `a_g`, as in the capacity
/// row, so pricing adds their duals to the school's seat dual.
fn intake_near_baseline(model: &mut Model, instance: &Instance, full: &[RegimeSums], reduced: &[RegimeSums], cap: u32) {
    for (s, baseline) in instance.baseline_intakes().into_iter().enumerate() {
        let pupils = full[s].seats_used.clone() + reduced[s].seats_used.clone();
        model.add(
            RowKind::SchoolChange(s, true),
            pupils.clone().leq(f64::from(baseline) + f64::from(cap)),
        );
        if baseline > cap {
            model.add(RowKind::SchoolChange(s, false), pupils.geq(f64::from(baseline - cap)));
        }
    }
}

/// `share_within_bounds` (balance rules): with `m_s = sum mu_g x_gs` the
/// migrants and `n_s = sum a_g x_gs` the pupils a school receives (both
/// regimes), `m_s - beta_hi n_s <= 0` and `m_s - beta_lo n_s >= 0` for the
/// bounds of [`crate::model::ShareBounds`] that are set (a school without
/// pupils keeps both).
fn share_within_bounds(model: &mut Model, instance: &Instance, full: &[RegimeSums], reduced: &[RegimeSums]) {
    let bounds = instance.share_bounds();
    for s in 0..instance.schools.len() {
        let migrants = full[s].migrants.clone() + reduced[s].migrants.clone();
        let pupils = full[s].seats_used.clone() + reduced[s].seats_used.clone();
        if let Some(upper) = bounds.upper {
            model.add(RowKind::Balance(s, true), (migrants.clone() - upper * pupils.clone()).leq(0.0));
        }
        if let Some(lower) = bounds.lower {
            model.add(RowKind::Balance(s, false), (migrants - lower * pupils).geq(0.0));
        }
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

/// `share_rounding`: per cut `M <= a + b T` of the full regime at a school
/// (see [`super::share_rounding`]), `sum_g (mu_g - b a_g) xf_gs <= a (1 - y_s)`;
/// per cut `M >= a + b T` of the reduced regime, `sum_g (mu_g - b a_g) xr_gs >= a y_s`.
/// In the regime the school is not in, both sides are 0.
fn share_rounding(model: &mut Model, instance: &Instance, full: &[RegimeSums], reduced: &[RegimeSums], classes: &[ClassVars]) {
    for s in 0..instance.schools.len() {
        let ClassVars::Intake { rule, .. } = classes[s] else { continue };
        let cut_row = |sums: &RegimeSums, cut: &ShareCut| sums.migrants.clone() - cut.slope() * sums.seats_used.clone();
        let kind = |regime, cut: &ShareCut| RowKind::ShareRounding {
            school: s,
            regime,
            rise: cut.rise,
            run: cut.run,
        };
        for cut in regime_cuts(instance, s, Regime::Full) {
            let row = cut_row(&full[s], &cut) + cut.intercept * rule;
            model.add(kind(Regime::Full, &cut), row.leq(cut.intercept));
        }
        for cut in regime_cuts(instance, s, Regime::Reduced) {
            let row = cut_row(&reduced[s], &cut) - cut.intercept * rule;
            model.add(kind(Regime::Reduced, &cut), row.geq(0.0));
        }
    }
}

/// The `share_rounding` cuts of school `s` in `regime` (intake basis): for
/// the regime's capacity, its class size times `kmax_s` less the reserved
/// seats (none when that is not positive).
fn regime_cuts(instance: &Instance, s: usize, regime: Regime) -> Vec<ShareCut> {
    let (rules, school) = (&instance.rules, &instance.schools[s]);
    let theta = rules.migration_threshold;
    let size = match regime {
        Regime::Full => rules.class_size,
        Regime::Reduced => rules.reduced_class_size,
    };
    let cap = size
        .saturating_mul(school.max_classes)
        .checked_sub(school.reserved_seats)
        .filter(|&c| c > 0);
    match (cap, regime) {
        (None, _) => Vec::new(),
        (Some(cap), Regime::Full) => full_regime_cuts(theta, cap),
        (Some(cap), Regime::Reduced) => reduced_regime_cuts(theta, cap, share_epsilon(theta, max_intake(instance, school))),
    }
}

/// What a solution sends one school, both regimes together.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SchoolIntake {
    /// Seats taken: `sum a_g x_gs`.
    pub seats: f64,
    /// Migrants: `sum mu_g x_gs`.
    pub migrants: f64,
    /// Classes opened: `kf_s + kr_s`.
    pub classes: f64,
}

/// Whether `intake` meets every row of `regime` at school `s` (intake
/// basis, within `tolerance`): the regime's capacity with `intake.classes`
/// classes, the share rule and its `share_rounding` cuts. A solution of the
/// LP relaxation whose intake at `s` does so stays a solution, of the same
/// total way, with `y_s` fixed to `regime` (its pupils and classes moved to
/// that regime's variables; every other row sees only the totals).
pub fn admits_regime(instance: &Instance, s: usize, regime: Regime, intake: SchoolIntake, tolerance: f64) -> bool {
    let (rules, school) = (&instance.rules, &instance.schools[s]);
    let theta = rules.migration_threshold;
    let (size, share_ok) = match regime {
        Regime::Full => (rules.class_size, intake.migrants - theta * intake.seats <= tolerance),
        Regime::Reduced => {
            let eps = share_epsilon(theta, max_intake(instance, school));
            (rules.reduced_class_size, intake.migrants - theta * intake.seats >= eps - tolerance)
        }
    };
    let fits = intake.seats + f64::from(school.reserved_seats) <= f64::from(size) * intake.classes + tolerance;
    let on_cut = |cut: &ShareCut| {
        let line = cut.intercept + cut.slope() * intake.seats;
        match regime {
            Regime::Full => intake.migrants <= line + tolerance,
            Regime::Reduced => intake.migrants >= line - tolerance,
        }
    };
    fits && share_ok && regime_cuts(instance, s, regime).iter().all(on_cut)
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
/// `values` are the values of the columns that `columns` describes.
pub fn disaggregate(instance: &Instance, groups: &[Group], arcs: &[Arc], columns: &Columns, values: &[f64]) -> Assignment {
    let mut school_of = vec![usize::MAX; instance.pupils.len()];
    let mut next_pupil = vec![0usize; groups.len()];
    for (index, arc) in arcs.iter().enumerate() {
        let value = columns.arc_total(index, values);
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
