//! Contiguity: with `contiguous = true`, every school's district (the map
//! cells of the homes of its pupils) is connected in the adjacency of the
//! district map's cells and holds the school's root cell (see
//! [`crate::geometry::CellAdjacency`]). Recomputed here with the checker's
//! own search over the adjacency, without the solver's groups or cuts; a
//! pupil a plan leaves out is in no district.

use super::{ResolvedAssignment, Rule, Violation};
use crate::geometry::{CellAdjacency, cell_adjacency};
use crate::model::{AssignMode, Instance};
use std::collections::BTreeSet;

/// Most group ids named per stray part of a district.
const IDS_NAMED: usize = 10;

/// Records each district in several parts, or without the school's cell.
pub fn check(instance: &Instance, assignment: &ResolvedAssignment, violations: &mut Vec<Violation>) {
    if !instance.rules.contiguous {
        return;
    }
    let Some(adjacency) = cell_adjacency(instance) else { return };
    let mut cells_of_school: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); instance.schools.len()];
    for (p, school) in assignment.school_of.iter().enumerate() {
        if let Some(s) = *school {
            cells_of_school[s].insert(adjacency.cell_of_pupil[p]);
        }
    }
    for (s, cells) in cells_of_school.iter().enumerate() {
        if cells.is_empty() {
            continue;
        }
        let parts = parts_of(&adjacency, cells);
        let root = adjacency.roots[s];
        let stray: Vec<&Vec<usize>> = parts.iter().filter(|part| !part.contains(&root)).collect();
        if stray.is_empty() {
            continue;
        }
        let school = &instance.schools[s];
        let named: Vec<String> = stray
            .iter()
            .map(|part| format!("[{}]", group_ids(instance, assignment, &adjacency, part, s)))
            .collect();
        let without_root = if stray.len() == parts.len() {
            "; none holds the school's own cell"
        } else {
            ""
        };
        violations.push(Violation::new(
            Rule::Contiguity,
            school.id.to_string(),
            format!(
                "district of school {} is in {} parts{without_root}; apart from the school's own: {}",
                school.id,
                parts.len(),
                named.join(", ")
            ),
        ));
    }
}

/// The connected parts of a set of cells, each ascending, by a search of
/// the checker's own over the neighbour lists.
fn parts_of(adjacency: &CellAdjacency, cells: &BTreeSet<usize>) -> Vec<Vec<usize>> {
    let mut left: BTreeSet<usize> = cells.clone();
    let mut parts = Vec::new();
    while let Some(&first) = left.iter().next() {
        left.remove(&first);
        let mut part = vec![first];
        let mut stack = vec![first];
        while let Some(c) = stack.pop() {
            for n in &adjacency.neighbours[c] {
                if left.remove(n) {
                    part.push(*n);
                    stack.push(*n);
                }
            }
        }
        part.sort_unstable();
        parts.push(part);
    }
    parts
}

/// The ids of what lies in a part at school `s`: unit ids with
/// `assign = "units"`, else the first pupil id of each home; at most
/// [`IDS_NAMED`], then how many more.
fn group_ids(instance: &Instance, assignment: &ResolvedAssignment, adjacency: &CellAdjacency, part: &[usize], s: usize) -> String {
    let in_part: BTreeSet<usize> = part.iter().copied().collect();
    let mut ids: Vec<String> = Vec::new();
    let mut seen_cells: BTreeSet<usize> = BTreeSet::new();
    for (p, pupil) in instance.pupils.iter().enumerate() {
        let cell = adjacency.cell_of_pupil[p];
        if assignment.school_of[p] != Some(s) || !in_part.contains(&cell) {
            continue;
        }
        let id = match (&pupil.unit, instance.rules.assign) {
            (Some(unit), AssignMode::Units) => format!("unit {unit}"),
            _ if seen_cells.insert(cell) => format!("home of {}", pupil.id),
            _ => continue,
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let more = ids.len().saturating_sub(IDS_NAMED);
    ids.truncate(IDS_NAMED);
    if more > 0 {
        ids.push(format!("{more} more"));
    }
    ids.join(", ")
}
