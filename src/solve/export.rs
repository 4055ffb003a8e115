//! Writing the exact integer program to a file (MPS or LP, by extension), so
//! anyone can re-solve it with another solver and compare the objective.
//!
//! The exported model holds *every* allowed arc (no candidate pruning), so it
//! is the unpruned problem whose optimum `solve` certifies. Names are
//! readable: `x_<group>_<school>` for arc variables (a group is named after
//! its first pupil, or `U_<unit>` for a unit; with the intake basis
//! `xf_`/`xr_` per regime), `k_<school>` for classes (`kf_`, `kr_`, `y_` with
//! the intake basis), and rows `assign_<group>`, `capacity_<school>`,
//! `capacity_reduced_<school>`, `share_full_<school>`, `share_reduced_<school>`,
//! `min_class_<school>`, `classes_<school>_<n>`, `moves_cap`. Pupils with
//! the same home, migration background and lock share one group; which
//! pupils a group name stands for is [`ExportedModel::groups`] (`groups.csv`).

use super::SolveError;
use super::candidates::all_arcs;
use super::formulation::{Column, Formulation, Regime, RowKind, SlackKind, build_plain};
use super::groups::{Group, build_groups};
use crate::model::{Instance, MigrationBasis};
use std::ffi::CString;
use std::path::Path;

/// Size of an exported model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedModel {
    /// Columns (variables).
    pub columns: usize,
    /// Rows (constraints).
    pub rows: usize,
    /// The file's content as HiGHS wrote it.
    pub bytes: Vec<u8>,
    /// Which pupils each variable group stands for, one line per pupil
    /// (`groups.csv`), in group order and within a group in input order.
    pub groups: Vec<GroupLine>,
}

/// One line of `groups.csv`: a group's name as it appears in the model's
/// variable and row names (`x_<group>_<school>`, `assign_<group>`), and one
/// of its pupils.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GroupLine {
    /// The group's name in the model.
    pub group: String,
    /// A pupil of the group.
    pub pupil_id: String,
}

/// The pupils behind each group's name.
fn group_lines(instance: &Instance, groups: &[Group], names: &[String]) -> Vec<GroupLine> {
    groups
        .iter()
        .zip(names)
        .flat_map(|(g, name)| {
            g.pupils.iter().map(move |&p| GroupLine {
                group: name.clone(),
                pupil_id: instance.pupils[p].id.to_string(),
            })
        })
        .collect()
}

/// Each group's name, unique: ids that differ only in characters a model
/// file cannot hold (`a b` and `a_b` both read `a_b`) get `_2`, `_3`, ...
/// appended in group order, so that no two variables share a name.
fn unique_group_names(instance: &Instance, groups: &[Group]) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    groups
        .iter()
        .map(|g| {
            let base = group_name(instance, g);
            let mut name = base.clone();
            let mut n = 1;
            while !taken.insert(name.clone()) {
                n += 1;
                name = format!("{base}_{n}");
            }
            name
        })
        .collect()
}

/// The format of a model file: MPS or CPLEX LP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelFormat {
    /// Free MPS (`.mps`).
    Mps,
    /// CPLEX LP format (`.lp`).
    Lp,
}

impl ModelFormat {
    /// The format a file name asks for, if it ends in `.mps` or `.lp`.
    pub fn of_path(path: &Path) -> Option<Self> {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("mps") => Some(ModelFormat::Mps),
            Some("lp") => Some(ModelFormat::Lp),
            _ => None,
        }
    }

    /// The file ending HiGHS reads the format from.
    pub fn extension(self) -> &'static str {
        match self {
            ModelFormat::Mps => "mps",
            ModelFormat::Lp => "lp",
        }
    }
}

/// Keeps letters, digits and `_ . -`; everything else becomes `_`, so names
/// are valid in both MPS and LP files.
fn clean(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn group_name(instance: &Instance, group: &Group) -> String {
    let first = &instance.pupils[group.pupils[0]];
    match (instance.rules.assign, &first.unit, group.whole) {
        (crate::model::AssignMode::Homes, _, true) => format!("H_{}", clean(first.id.as_str())),
        (_, Some(unit), true) => format!("U_{}", clean(unit.as_str())),
        _ => clean(first.id.as_str()),
    }
}

/// The full integer program of the instance in `format`, with readable
/// names. HiGHS writes it into a private temporary folder, from where it is
/// read back; writing it where the user wants is the output layer's job.
pub fn export_model(instance: &Instance, format: ModelFormat) -> Result<ExportedModel, SolveError> {
    let groups = build_groups(instance);
    let arcs: Vec<_> = (0..groups.len()).flat_map(|g| all_arcs(instance, &groups, g)).collect();
    let formulation = build_plain(instance, &groups, arcs);
    let names = unique_group_names(instance, &groups);
    let col_names = column_names(instance, &names, &formulation);
    let row_names = row_names(instance, &names, &formulation);
    let columns = formulation.columns.len();
    let rows = formulation.rows.len();
    let mut model = formulation.problem.try_into_inner().map_err(|e| SolveError::Highs(e.to_string()))?;
    model.make_quiet();
    let ptr = model.as_mut_ptr();
    let c = |s: &str| CString::new(s).map_err(|_| SolveError::Highs(format!("name with NUL byte: {s}")));
    for (i, name) in col_names.iter().enumerate() {
        let name = c(name)?;
        // SAFETY: `ptr` is a live HiGHS instance owned by `model`; `name` outlives the call.
        unsafe { highs_sys::Highs_passColName(ptr, i as highs_sys::HighsInt, name.as_ptr()) };
    }
    for (i, name) in row_names.iter().enumerate() {
        let name = c(name)?;
        // SAFETY: as above.
        unsafe { highs_sys::Highs_passRowName(ptr, i as highs_sys::HighsInt, name.as_ptr()) };
    }
    let scratch = tempfile::tempdir().map_err(|e| SolveError::Highs(format!("no temporary folder for the model: {e}")))?;
    let file = scratch.path().join(format!("model.{}", format.extension()));
    let file_name = c(&file.to_string_lossy())?;
    // SAFETY: as above; HiGHS writes the file named by `file_name`.
    let status = unsafe { highs_sys::Highs_writeModel(ptr, file_name.as_ptr()) };
    if status == highs_sys::STATUS_ERROR {
        return Err(SolveError::Highs("HiGHS could not write the model".into()));
    }
    let bytes = std::fs::read(&file).map_err(|e| SolveError::Highs(format!("cannot read back the model HiGHS wrote: {e}")))?;
    Ok(ExportedModel {
        columns,
        rows,
        bytes,
        groups: group_lines(instance, &groups, &names),
    })
}

/// Readable names of the columns, in column order.
fn column_names(instance: &Instance, names: &[String], formulation: &Formulation) -> Vec<String> {
    formulation
        .columns
        .iter()
        .map(|(_, role)| column_name(instance, names, formulation, role))
        .collect()
}

/// The name of the column standing for `role`: `x_`, `xf_`, `xr_` for arcs,
/// `k_`, `kf_`, `kr_` for classes, `y_` for the regime flag, `slack_` for
/// slacks of elastic models and `u_` for unassigned pupils.
fn column_name(instance: &Instance, names: &[String], formulation: &Formulation, role: Column) -> String {
    let intake = instance.rules.migration_basis == MigrationBasis::Intake;
    let school = |s: usize| clean(instance.schools[s].id.as_str());
    let per_regime = |one: &str, regime: Regime| match (intake, regime) {
        (false, _) => one.to_string(),
        (true, Regime::Full) => format!("{one}f"),
        (true, Regime::Reduced) => format!("{one}r"),
    };
    match role {
        Column::Arc { arc, regime } => {
            let arc = &formulation.arcs[arc];
            let group = &names[arc.group];
            format!("{}_{group}_{}", per_regime("x", regime), school(arc.school))
        }
        Column::Classes { school: s, regime } => format!("{}_{}", per_regime("k", regime), school(s)),
        Column::RegimeFlag(s) => format!("y_{}", school(s)),
        Column::Slack { kind, school: s } => {
            let rule = match kind {
                SlackKind::Classes => "classes",
                SlackKind::Seats(Regime::Full) => "seats",
                SlackKind::Seats(Regime::Reduced) => "seats_reduced",
                SlackKind::ClassMinimum => "class_min",
            };
            format!("slack_{rule}_{}", school(s))
        }
        Column::Unassigned(g) => format!("u_{}", names[g]),
    }
}

/// Readable names of the rows, in row order.
fn row_names(instance: &Instance, names: &[String], formulation: &Formulation) -> Vec<String> {
    let mut classes_rows = vec![0usize; instance.schools.len()];
    formulation
        .rows
        .iter()
        .map(|kind| {
            let school = |s: usize| clean(instance.schools[s].id.as_str());
            match *kind {
                RowKind::Assign(g) => format!("assign_{}", names[g]),
                RowKind::Capacity(s, Regime::Full) => format!("capacity_{}", school(s)),
                RowKind::Capacity(s, Regime::Reduced) => format!("capacity_reduced_{}", school(s)),
                RowKind::Share(s, Regime::Full) => format!("share_full_{}", school(s)),
                RowKind::Share(s, Regime::Reduced) => format!("share_reduced_{}", school(s)),
                RowKind::ShareRounding {
                    school: s,
                    regime,
                    rise,
                    run,
                } => {
                    let side = if regime == Regime::Full { "full" } else { "reduced" };
                    format!("share_rounding_{side}_{}_{rise}_{run}", school(s))
                }
                RowKind::MinClass(s) => format!("min_class_{}", school(s)),
                RowKind::Moves => "moves_cap".to_string(),
                RowKind::Balance(s, true) => format!("balance_max_{}", school(s)),
                RowKind::Balance(s, false) => format!("balance_min_{}", school(s)),
                RowKind::SchoolChange(s, true) => format!("school_change_max_{}", school(s)),
                RowKind::SchoolChange(s, false) => format!("school_change_min_{}", school(s)),
                RowKind::ClassesOnly(s) => {
                    classes_rows[s] += 1;
                    format!("classes_{}_{}", school(s), classes_rows[s])
                }
            }
        })
        .collect()
}
