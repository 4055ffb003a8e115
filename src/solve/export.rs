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
//! `min_class_<school>`, `classes_<school>_<n>`, `moves_cap`.

use super::SolveError;
use super::candidates::all_arcs;
use super::formulation::{ClassVars, Formulation, Regime, RowKind, build};
use super::groups::{Group, build_groups};
use crate::model::Instance;
use crate::output::{OutputError, Privacy};
use std::ffi::CString;
use std::path::Path;

/// Size of an exported model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportedModel {
    /// Columns (variables).
    pub columns: usize,
    /// Rows (constraints).
    pub rows: usize,
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
    match (&first.unit, group.whole) {
        (Some(unit), true) => format!("U_{}", clean(unit.as_str())),
        _ => clean(first.id.as_str()),
    }
}

/// The format of a model file by its name: `mps` or `lp`.
pub fn model_extension(path: &Path) -> Result<&'static str, OutputError> {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("mps") => Ok("mps"),
        Some("lp") => Ok("lp"),
        _ => Err(OutputError::BadExtension {
            path: path.to_path_buf(),
            expected: ".mps or .lp",
        }),
    }
}

/// Writes the full integer program of the instance to `path` (`.mps` or
/// `.lp`), through a temporary file renamed into place, readable by its
/// owner only (its names are pupil ids).
pub fn export_model(instance: &Instance, path: &Path) -> Result<ExportedModel, SolveError> {
    let extension = model_extension(path)?;
    crate::output::ensure_regular_or_new(path)?;
    let groups = build_groups(instance);
    let arcs: Vec<_> = (0..groups.len()).flat_map(|g| all_arcs(instance, &groups, g)).collect();
    let formulation = build(instance, &groups, arcs, false);
    let col_names = column_names(instance, &groups, &formulation);
    let row_names = row_names(instance, &groups, &formulation);
    let columns = formulation.columns;
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
    let written = crate::output::write_atomically_with(path, &format!(".{extension}"), Privacy::Private, |tmp| {
        let tmp_path = CString::new(tmp.to_string_lossy().as_bytes()).map_err(std::io::Error::other)?;
        // SAFETY: as above; HiGHS writes the file named by `tmp_path`.
        let status = unsafe { highs_sys::Highs_writeModel(ptr, tmp_path.as_ptr()) };
        if status == highs_sys::STATUS_ERROR {
            return Err(std::io::Error::other("HiGHS could not write the model"));
        }
        Ok(())
    });
    written?;
    Ok(ExportedModel { columns, rows })
}

/// Readable names of the columns: arc variables, then class variables.
fn column_names(instance: &Instance, groups: &[Group], formulation: &Formulation) -> Vec<String> {
    let mut col_names = vec![String::new(); formulation.columns];
    for (arc, vars) in formulation.arcs.iter().zip(&formulation.x) {
        let g = group_name(instance, &groups[arc.group]);
        let s = clean(instance.schools[arc.school].id.as_str());
        match vars.reduced_column {
            None => col_names[vars.full_column] = format!("x_{g}_{s}"),
            Some(reduced) => {
                col_names[vars.full_column] = format!("xf_{g}_{s}");
                col_names[reduced] = format!("xr_{g}_{s}");
            }
        }
    }
    let arc_columns = formulation.x.len()
        * if formulation.x.first().is_some_and(|v| v.reduced_column.is_some()) {
            2
        } else {
            1
        };
    let mut next = arc_columns;
    for (s, class) in formulation.classes.iter().enumerate() {
        let id = clean(instance.schools[s].id.as_str());
        let names: Vec<String> = match class {
            ClassVars::Known { .. } => vec![format!("k_{id}")],
            ClassVars::Intake { .. } => vec![format!("kf_{id}"), format!("kr_{id}"), format!("y_{id}")],
        };
        for name in names {
            col_names[next] = name;
            next += 1;
        }
    }
    col_names
}

/// Readable names of the rows, in row order.
fn row_names(instance: &Instance, groups: &[Group], formulation: &Formulation) -> Vec<String> {
    let mut classes_rows = vec![0usize; instance.schools.len()];
    formulation
        .rows
        .iter()
        .map(|kind| {
            let school = |s: usize| clean(instance.schools[s].id.as_str());
            match *kind {
                RowKind::Assign(g) => format!("assign_{}", group_name(instance, &groups[g])),
                RowKind::Capacity(s, Regime::Full) => format!("capacity_{}", school(s)),
                RowKind::Capacity(s, Regime::Reduced) => format!("capacity_reduced_{}", school(s)),
                RowKind::Share(s, Regime::Full) => format!("share_full_{}", school(s)),
                RowKind::Share(s, Regime::Reduced) => format!("share_reduced_{}", school(s)),
                RowKind::MinClass(s) => format!("min_class_{}", school(s)),
                RowKind::Moves => "moves_cap".to_string(),
                RowKind::ClassesOnly(s) => {
                    classes_rows[s] += 1;
                    format!("classes_{}_{}", school(s), classes_rows[s])
                }
            }
        })
        .collect()
}
