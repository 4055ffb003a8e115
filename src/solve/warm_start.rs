//! Start solutions handed to HiGHS before it solves an integer program.
//!
//! A MIP solver that starts with a good feasible solution (an *incumbent*)
//! prunes its search tree from the first node on. Two starts are built here:
//!
//! * **Regime rounding** (intake basis): the LP relaxation says, per school,
//!   whether the pupils it sends there have a share above the threshold
//!   ([`rounded_regimes`]). Those regimes are where the regime search's dive
//!   starts (see `probing`, from an [`Incumbent::unknown`]); each leaf of
//!   that search fixes every `y_s`, which leaves an integer program without
//!   the disjunction that HiGHS solves quickly ([`regime_start`]); its
//!   solution is feasible for the full model (same columns, only `y` was
//!   bounded). Until 2026-12 the rounded regimes' own integer program was
//!   the start; it lay 3–8 % above the optimum and took 0.2–0.3 s, where the
//!   dive reaches the optimum or near it.
//! * **Support rounding** (whole groups: units, homes): most groups are whole
//!   in the LP already; the integer program over only the arcs the LP uses
//!   decides the few split ones among the schools the LP split them
//!   between. It is small, usually feasible, and its solution is feasible
//!   for the full model (a subset of its arcs). On the bundled city with
//!   `assign = "homes"` this takes the MIP from about 3 s (HiGHS searching
//!   for a first solution) to a fraction of a second.
//! * **Carry-over**: when the certificate widens the candidate arcs, the
//!   previous round's solution, with 0 on every new arc, is still feasible
//!   and starts the next round.
//!
//! A start only speeds the search up: the optimum and its proof come from
//! the full model as before.

use super::SolveError;
use super::candidates::Arc;
use super::formulation::{Column, Columns, Formulation, Regime, RowKind, SchoolIntake, build_mip, build_with_regimes};
use super::groups::Group;
use super::highs_run::{Basis, RunSettings, RunStatus, run_mip_with_rows_or_without_presolve};
use crate::model::Instance;
use std::collections::HashMap;

/// The regime of each school read off the LP relaxation: reduced when the
/// pupils the LP sends to the school (both regimes together) have a
/// migration share above the threshold. (The LP's regime flag itself says
/// little: where seats are not short, the LP splits a school's pupils between
/// the regimes at will.)
pub fn rounded_regimes(map: &ColumnMap, groups: &[Group], lp_columns: &[f64], threshold: f64) -> Vec<Regime> {
    map.school_intakes(groups, lp_columns)
        .iter()
        .map(|&SchoolIntake { seats, migrants, .. }| {
            if seats > 0.0 && migrants > threshold * seats + 1e-9 {
                Regime::Reduced
            } else {
                Regime::Full
            }
        })
        .collect()
}

/// Solves the integer program over `arcs` with the regimes fixed; returns
/// its solution (`None` when the fixed model has none within the limits of
/// `settings`), whether it is proven optimal (or the fixed model proven
/// infeasible), and the seconds HiGHS took. `known` (a solution with the
/// same regimes, over a subset of `arcs`) starts HiGHS when given.
pub fn regime_start(
    instance: &Instance,
    groups: &[Group],
    arcs: Vec<Arc>,
    regimes: &[Regime],
    known: Option<&Incumbent>,
    settings: &RunSettings,
) -> Result<(Option<Incumbent>, bool, f64), SolveError> {
    let fixed: Vec<Option<Regime>> = regimes.iter().copied().map(Some).collect();
    partly_fixed_start(instance, groups, arcs, &fixed, known, settings)
}

/// [`regime_start`] with only some regimes fixed (`fixed`, per school; the
/// others are the integer program's to choose): the integer program of a
/// node of the regime search (see `probing`).
pub fn partly_fixed_start(
    instance: &Instance,
    groups: &[Group],
    arcs: Vec<Arc>,
    fixed: &[Option<Regime>],
    known: Option<&Incumbent>,
    settings: &RunSettings,
) -> Result<(Option<Incumbent>, bool, f64), SolveError> {
    start_from(|| build_with_regimes(instance, groups, arcs.clone(), fixed), known, settings)
}

/// Solves the integer program over only `support` (the arcs the LP
/// solution uses); returns its solution (`None` if that restricted model
/// has none within the limits of `settings`) and the seconds HiGHS took.
pub fn support_start(
    instance: &Instance,
    groups: &[Group],
    support: Vec<Arc>,
    settings: &RunSettings,
) -> Result<(Option<Incumbent>, f64), SolveError> {
    let (start, _, seconds) = start_from(|| build_mip(instance, groups, support.clone()), None, settings)?;
    Ok((start, seconds))
}

/// Solves a restricted model for a start: its solution (`None` when it has
/// none within the limits of `settings`), whether it is proven optimal (or
/// proven infeasible), and the seconds HiGHS took; from `known` when given.
/// The model comes from `build`, which builds it again for a second run
/// without HiGHS's presolve should the first fail (see
/// [`run_mip_with_rows_or_without_presolve`]).
fn start_from(
    build: impl Fn() -> Formulation,
    known: Option<&Incumbent>,
    settings: &RunSettings,
) -> Result<(Option<Incumbent>, bool, f64), SolveError> {
    let model = build();
    let map = ColumnMap::of(&model);
    let known = known.map(|k| k.columns_for(&map));
    let rebuild = || build().problem;
    let result = run_mip_with_rows_or_without_presolve(model.problem, rebuild, settings, known.as_deref(), &[], &[])?;
    let start = match (result.status, result.columns, result.objective) {
        (RunStatus::Infeasible, _, _) => None,
        (_, Some(columns), Some(objective)) => Some(Incumbent::new(&map, &columns, objective)),
        _ => None,
    };
    let proven = matches!(result.status, RunStatus::Optimal | RunStatus::Infeasible);
    Ok((start, proven, result.seconds))
}

/// A solved LP's final basis with what its columns and rows stand for: what
/// [`carry_basis`] needs.
pub struct SolvedLp {
    /// Its columns.
    pub map: ColumnMap,
    /// Its rows.
    pub rows: Vec<RowKind>,
    /// Its final basis.
    pub basis: Basis,
}

/// The basis of one LP (`from`: its columns, rows and basis) carried over
/// to another built over mostly the same arcs and rows (`to`): the LP of
/// the regime search after the LP stage, or built again with more arcs.
/// A column or row of both keeps its status (an arc's columns are matched by
/// group, school and regime, a row by what it stands for); a new column
/// starts at its lower bound (0 pupils), a new row with its slack basic.
/// `None` when the result does not have one basic column or slack per row
/// (columns basic in `from` were left out): HiGHS would refuse it.
pub fn carry_basis(from: &SolvedLp, to: (&ColumnMap, &[RowKind])) -> Option<Basis> {
    let (to_map, to_rows) = to;
    let column_status: HashMap<ColumnKey, i32> = from.map.column_keys().zip(from.basis.columns.iter().copied()).collect();
    let row_status: HashMap<(RowKind, usize), i32> = row_keys(&from.rows).zip(from.basis.rows.iter().copied()).collect();
    let carried = Basis {
        columns: to_map
            .column_keys()
            .map(|key| column_status.get(&key).copied().unwrap_or(Basis::LOWER))
            .collect(),
        rows: row_keys(to_rows)
            .map(|key| row_status.get(&key).copied().unwrap_or(Basis::BASIC))
            .collect(),
    };
    let basic = carried.columns.iter().chain(&carried.rows).filter(|&&s| s == Basis::BASIC).count();
    (basic == to_rows.len()).then_some(carried)
}

/// What a column stands for, the same in every model: an arc's column by
/// its group, school and regime, any other by its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ColumnKey {
    Arc { group: usize, school: usize, regime: Regime },
    Other(Column),
}

/// What each row stands for, numbered among the rows that stand for the
/// same (a school's class rows share one [`RowKind`]).
fn row_keys(rows: &[RowKind]) -> impl Iterator<Item = (RowKind, usize)> + '_ {
    let mut seen: HashMap<RowKind, usize> = HashMap::new();
    rows.iter().map(move |&kind| {
        let count = seen.entry(kind).or_default();
        *count += 1;
        (kind, *count)
    })
}

/// Where a model keeps what: the `(group, school)` of each arc and what
/// each column stands for. Taken from a [`Formulation`] before its problem
/// goes to HiGHS.
pub struct ColumnMap {
    /// Per arc: `(group, school)`.
    arcs: Vec<(usize, usize)>,
    /// The model's columns.
    columns: Columns,
}

impl ColumnMap {
    /// The column map of `formulation`.
    pub fn of(formulation: &Formulation) -> Self {
        ColumnMap {
            arcs: formulation.arcs.iter().map(|arc| (arc.group, arc.school)).collect(),
            columns: formulation.columns.clone(),
        }
    }

    /// What each column stands for, in column order (see [`ColumnKey`]).
    fn column_keys(&self) -> impl Iterator<Item = ColumnKey> + '_ {
        self.columns.iter().map(|(_, role)| match role {
            Column::Arc { arc, regime } => {
                let (group, school) = self.arcs[arc];
                ColumnKey::Arc { group, school, regime }
            }
            other => ColumnKey::Other(other),
        })
    }

    /// The columns that count classes, of every school.
    pub fn class_count_columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.columns.all_class_counts()
    }

    /// The arc columns (full and reduced).
    pub fn arc_columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.columns.arc_columns()
    }

    /// The column of school `s`'s regime flag `y_s` (intake basis only).
    pub fn regime_column(&self, school: usize) -> Option<usize> {
        self.columns.regime_flag(school)
    }

    /// What the solution `values` (of this model's columns) sends each
    /// school, both regimes together.
    pub fn school_intakes(&self, groups: &[Group], values: &[f64]) -> Vec<SchoolIntake> {
        let mut intakes = vec![SchoolIntake::default(); self.columns.schools()];
        for (arc, &(g, s)) in self.arcs.iter().enumerate() {
            let units = self.columns.arc_total(arc, values);
            intakes[s].seats += units * groups[g].seats_per_unit();
            intakes[s].migrants += units * groups[g].migrants_per_unit();
        }
        for (s, intake) in intakes.iter_mut().enumerate() {
            intake.classes = self.columns.class_counts(s).map(|c| values[c]).sum();
        }
        intakes
    }
}

/// A solution of one model, kept by arc and by school so that it can be
/// written into the columns of a model over more arcs.
pub struct Incumbent {
    /// `(group, school)` -> values of the arc's full and reduced variables.
    arcs: HashMap<(usize, usize), (f64, f64)>,
    /// Per school: values of its full and reduced class counts (`k_s` is the full one).
    classes: Vec<(Option<f64>, Option<f64>)>,
    /// Per school: value of its regime flag.
    flags: Vec<Option<f64>>,
    /// Its total way, in metres.
    pub objective: f64,
}

impl Incumbent {
    /// Reads a solution (`columns`, of total way `objective`) of the model that `map` describes.
    pub fn new(map: &ColumnMap, columns: &[f64], objective: f64) -> Self {
        let arcs = map
            .arcs
            .iter()
            .enumerate()
            .map(|(arc, &key)| (key, map.columns.arc_values(arc, columns)))
            .collect();
        let value = |column: Option<usize>| column.map(|c| columns[c]);
        let classes = (0..map.columns.schools())
            .map(|s| {
                let count = |regime| value(map.columns.classes(s, regime));
                (count(Regime::Full), count(Regime::Reduced))
            })
            .collect();
        let flags = (0..map.columns.schools()).map(|s| value(map.columns.regime_flag(s))).collect();
        Incumbent {
            arcs,
            classes,
            flags,
            objective,
        }
    }

    /// No solution yet, only the regime of each school to look for one
    /// with: the regime search's dive starts from it (see `probing`). Its
    /// total way is infinite, and it is no start for HiGHS.
    pub fn unknown(regimes: &[Regime]) -> Self {
        Incumbent {
            arcs: HashMap::new(),
            classes: vec![(None, None); regimes.len()],
            flags: regimes.iter().map(|r| Some(r.flag())).collect(),
            objective: f64::INFINITY,
        }
    }

    /// Whether this is a solution ([`Incumbent::unknown`] is none).
    pub fn is_known(&self) -> bool {
        self.objective.is_finite()
    }

    /// Whether this solution sends pupils over the arc from group `group` to `school`.
    pub fn uses(&self, group: usize, school: usize) -> bool {
        self.arcs.get(&(group, school)).is_some_and(|&(f, r)| f + r > 0.5)
    }

    /// The regime of each school in this solution (intake basis; `None` under
    /// `previous_year`, which has no regime flag).
    pub fn regimes(&self) -> Option<Vec<Regime>> {
        self.flags.iter().map(|flag| flag.map(Regime::of_flag)).collect()
    }

    /// Whether every arc this solution sends pupils along is among `arcs`
    /// (per group), so that it is a solution of a model over them.
    pub fn uses_only(&self, arcs: &[Vec<Arc>]) -> bool {
        self.arcs
            .keys()
            .all(|&(g, s)| !self.uses(g, s) || arcs.get(g).is_some_and(|group_arcs| group_arcs.iter().any(|a| a.school == s)))
    }

    /// The same solution in the columns of the model that `map` describes,
    /// whose arcs include the incumbent's: 0 on every arc the incumbent does not have.
    pub fn columns_for(&self, map: &ColumnMap) -> Vec<f64> {
        map.columns.iter().map(|(_, role)| self.value_of(map, role)).collect()
    }

    /// The value of the column standing for `role` (in the model `map` describes).
    fn value_of(&self, map: &ColumnMap, role: Column) -> f64 {
        let of_regime = |(full, reduced): (f64, f64), regime| match regime {
            Regime::Full => full,
            Regime::Reduced => reduced,
        };
        match role {
            Column::Arc { arc, regime } => self.arcs.get(&map.arcs[arc]).map_or(0.0, |&values| of_regime(values, regime)),
            Column::Classes { school, regime } => {
                let (full, reduced) = self.classes[school];
                of_regime((full.unwrap_or(0.0), reduced.unwrap_or(0.0)), regime)
            }
            Column::RegimeFlag(school) => self.flags[school].unwrap_or(0.0),
            Column::Slack { .. } | Column::Unassigned(_) => 0.0,
        }
    }
}
