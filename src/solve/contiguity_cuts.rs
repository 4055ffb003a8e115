//! Separator cuts for contiguous districts: which cuts an assignment of
//! whole groups violates, and their rows.
//!
//! Cells `c` are the map's cells (distinct home points, see
//! [`crate::geometry::CellAdjacency`]); a group (home or unit) covers the
//! cells of its pupils. School `s`'s district is the set of cells with a
//! group at `s`; it must be connected and hold the school's root cell `r_s`
//! (or be empty). `G_s` is the adjacency restricted to the cells that can
//! be in `s`'s district (some group of the cell has an allowed arc to `s`).
//!
//! **`separator_cut`**: for a set `K` of cells of `G_s` without `r_s`, a
//! group `g` with a cell in `K`, and a set `S` of cells that every path in
//! `G_s` from `K` to `r_s` meets (a vertex separator; it may hold `r_s`):
//! ```text
//!     x_gs <= sum_{c in S} sum_{h at c} x_hs
//! ```
//! It holds in every contiguous assignment: with `g` at `s`, the district
//! holds `g`'s cell in `K` and `r_s`, connected, so a path between them runs
//! inside the district and meets `S`. An assignment whose district of `s`
//! has a component `K` without `r_s` violates it for `S` = the neighbours
//! of `K` in `G_s` (none of them is in the district). The separator is then
//! made minimal: first only the neighbours of `K` that touch the part of
//! `G_s - S` reached from `r_s`, then of those only the ones touching the
//! part reached from `K` ([`minimal_separator`]). With `r_s` next to `K`,
//! `S = {r_s}`; with `r_s` out of reach, `S` is empty and the cut forbids
//! the arc.

use super::formulation::{Formulation, Regime};
use super::groups::Group;
use super::highs_run::ExtraRow;
use crate::geometry::CellAdjacency;
use crate::model::Instance;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

/// The cells, their groups and which cells may join each school's district.
pub struct CutGraph {
    /// Per cell, its neighbours.
    neighbours: Vec<Vec<usize>>,
    /// Per cell, the groups with a pupil there.
    groups_of_cell: Vec<Vec<usize>>,
    /// Per group, its cells.
    cells_of_group: Vec<Vec<usize>>,
    /// Per school, its root cell.
    roots: Vec<usize>,
    /// Per school, per cell: whether some group of the cell may go to the school.
    open: Vec<Vec<bool>>,
}

/// One separator cut: `x[group, school] <= sum over the groups of the cells of separator of x[., school]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cut {
    /// The school.
    pub school: usize,
    /// The group on the left-hand side.
    pub group: usize,
    /// The separating cells, ascending.
    pub separator: Vec<usize>,
}

impl CutGraph {
    /// The graph of `adjacency` for `groups`; `allowed(g, s)` tells whether
    /// group `g` may go to school `s` at all.
    pub fn new(instance: &Instance, groups: &[Group], adjacency: &CellAdjacency, allowed: impl Fn(usize, usize) -> bool) -> Self {
        let cells = adjacency.len();
        let mut groups_of_cell: Vec<Vec<usize>> = vec![Vec::new(); cells];
        let mut cells_of_group: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
        for (g, group) in groups.iter().enumerate() {
            for &p in &group.pupils {
                let c = adjacency.cell_of_pupil[p];
                if !cells_of_group[g].contains(&c) {
                    cells_of_group[g].push(c);
                    groups_of_cell[c].push(g);
                }
            }
        }
        let open = (0..instance.schools.len())
            .map(|s| (0..cells).map(|c| groups_of_cell[c].iter().any(|&g| allowed(g, s))).collect())
            .collect();
        CutGraph {
            neighbours: adjacency.neighbours.clone(),
            groups_of_cell,
            cells_of_group,
            roots: adjacency.roots.clone(),
            open,
        }
    }

    /// The schools of the groups next to group `g` (at a neighbouring cell
    /// or sharing a cell), other than `g`'s own, ascending.
    pub fn neighbouring_schools(&self, g: usize, school_of_group: &[usize]) -> Vec<usize> {
        let mut schools: Vec<usize> = self.cells_of_group[g]
            .iter()
            .flat_map(|&c| self.neighbours[c].iter().copied().chain([c]))
            .flat_map(|c| self.groups_of_cell[c].iter().map(|&h| school_of_group[h]))
            .filter(|&t| t != school_of_group[g])
            .collect();
        schools.sort_unstable();
        schools.dedup();
        schools
    }

    /// Per group, whether it has a cell at most `hops` steps of the
    /// adjacency from a cell of one of the groups `seeds`.
    pub fn groups_near(&self, seeds: &[usize], hops: usize) -> Vec<bool> {
        let mut steps = vec![usize::MAX; self.neighbours.len()];
        let mut queue = VecDeque::new();
        for &c in seeds.iter().flat_map(|&g| &self.cells_of_group[g]) {
            if steps[c] == usize::MAX {
                steps[c] = 0;
                queue.push_back(c);
            }
        }
        while let Some(c) = queue.pop_front() {
            if steps[c] == hops {
                continue;
            }
            for &n in &self.neighbours[c] {
                if steps[n] == usize::MAX {
                    steps[n] = steps[c] + 1;
                    queue.push_back(n);
                }
            }
        }
        let mut near = vec![false; self.cells_of_group.len()];
        for (c, _) in steps.iter().enumerate().filter(|(_, s)| **s != usize::MAX) {
            for &g in &self.groups_of_cell[c] {
                near[g] = true;
            }
        }
        near
    }

    /// Whether group `g` has a pupil in the root cell of school `s`.
    pub fn is_at_root(&self, g: usize, s: usize) -> bool {
        self.cells_of_group[g].contains(&self.roots[s])
    }

    /// The cuts that the assignment `school_of_group` violates: for every
    /// school and every component of its district without its root cell,
    /// one cut per group of the component (see the module doc).
    pub fn violated_cuts(&self, school_of_group: &[usize]) -> Vec<Cut> {
        let schools = self.roots.len();
        let mut in_district: Vec<Vec<bool>> = vec![vec![false; self.neighbours.len()]; schools];
        for (g, &s) in school_of_group.iter().enumerate() {
            for &c in &self.cells_of_group[g] {
                in_district[s][c] = true;
            }
        }
        let mut cuts = Vec::new();
        for (s, district) in in_district.iter().enumerate() {
            for component in components(&self.neighbours, district) {
                if component.contains(&self.roots[s]) {
                    continue;
                }
                let separator = self.minimal_separator(s, &component);
                let mut groups: Vec<usize> = component
                    .iter()
                    .flat_map(|&c| self.groups_of_cell[c].iter().copied())
                    .filter(|&g| school_of_group[g] == s)
                    .collect();
                groups.sort_unstable();
                groups.dedup();
                cuts.extend(groups.into_iter().map(|group| Cut {
                    school: s,
                    group,
                    separator: separator.clone(),
                }));
            }
        }
        cuts
    }

    /// The first component (in school order, then cell order) of a
    /// district that does not hold its school's root: the school and the
    /// component's cells; `None` when every district is connected.
    fn first_stray(&self, school_of_group: &[usize]) -> Option<(usize, Vec<usize>)> {
        let schools = self.roots.len();
        let mut in_district: Vec<Vec<bool>> = vec![vec![false; self.neighbours.len()]; schools];
        for (g, &s) in school_of_group.iter().enumerate() {
            for &c in &self.cells_of_group[g] {
                in_district[s][c] = true;
            }
        }
        (0..schools).find_map(|s| {
            components(&self.neighbours, &in_district[s])
                .into_iter()
                .find(|k| !k.contains(&self.roots[s]))
                .map(|k| (s, k))
        })
    }

    /// A contiguous assignment near `school_of_group`, if a simple repair
    /// finds one: the first stray component (see [`Self::first_stray`])
    /// goes whole to the school of a neighbouring cell for which every
    /// group of it has an arc (`cost(g, t)`) and that has room for it
    /// (`seats[t]` at most, `size[g]` each; the cheapest such school),
    /// again and again; `None` when a component has no such neighbour or
    /// after as many moves as there are groups.
    pub fn repaired(
        &self,
        school_of_group: &[usize],
        cost: impl Fn(usize, usize) -> Option<f64>,
        size: &[f64],
        seats: &[f64],
    ) -> Option<Vec<usize>> {
        let mut school_of = school_of_group.to_vec();
        let mut load = vec![0.0; seats.len()];
        for (g, &s) in school_of.iter().enumerate() {
            load[s] += size[g];
        }
        for _ in 0..=school_of.len() {
            let Some((s, component)) = self.first_stray(&school_of) else {
                return Some(school_of);
            };
            let mut in_component = vec![false; self.neighbours.len()];
            for &c in &component {
                in_component[c] = true;
            }
            let members: BTreeSet<usize> = component
                .iter()
                .flat_map(|&c| self.groups_of_cell[c].iter().copied())
                .filter(|&g| school_of[g] == s)
                .collect();
            let targets: BTreeSet<usize> = component
                .iter()
                .flat_map(|&c| self.neighbours[c].iter().copied())
                .filter(|&n| !in_component[n])
                .flat_map(|n| self.groups_of_cell[n].iter().map(|&h| school_of[h]))
                .filter(|&t| t != s)
                .collect();
            let price = |t: usize| members.iter().map(|&g| cost(g, t)).sum::<Option<f64>>();
            let moving: f64 = members.iter().map(|&g| size[g]).sum();
            let best = targets
                .into_iter()
                .filter(|&t| load[t] + moving <= seats[t])
                .filter_map(|t| price(t).map(|p| (p, t)))
                .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))?;
            for &g in &members {
                school_of[g] = best.1;
            }
            load[s] -= moving;
            load[best.1] += moving;
        }
        None
    }

    /// A minimal set of cells of `G_s` that every path from `component` to
    /// the root of `s` meets (see the module doc).
    fn minimal_separator(&self, s: usize, component: &[usize]) -> Vec<usize> {
        let open = &self.open[s];
        let root = self.roots[s];
        let cells = self.neighbours.len();
        let mut in_component = vec![false; cells];
        for &c in component {
            in_component[c] = true;
        }
        let boundary = self.open_neighbours(s, component, &in_component);
        if boundary.contains(&root) {
            return vec![root];
        }
        if !open[root] {
            return Vec::new();
        }
        let mut blocked = in_component.clone();
        for &c in &boundary {
            blocked[c] = true;
        }
        let from_root = reach(&self.neighbours, open, &[root], &blocked);
        let touching_root: Vec<usize> = boundary
            .into_iter()
            .filter(|&c| self.neighbours[c].iter().any(|&n| from_root[n]))
            .collect();
        let mut blocked = vec![false; cells];
        for &c in &touching_root {
            blocked[c] = true;
        }
        let from_component = reach(&self.neighbours, open, component, &blocked);
        touching_root
            .into_iter()
            .filter(|&c| self.neighbours[c].iter().any(|&n| from_component[n]))
            .collect()
    }

    /// The cells of `G_s` next to `component` and outside it, ascending.
    fn open_neighbours(&self, s: usize, component: &[usize], in_component: &[bool]) -> Vec<usize> {
        let mut boundary: Vec<usize> = component
            .iter()
            .flat_map(|&c| self.neighbours[c].iter().copied())
            .filter(|&n| !in_component[n] && self.open[s][n])
            .collect();
        boundary.sort_unstable();
        boundary.dedup();
        boundary
    }

    /// The row of `cut` in a built model: `x_gs - sum_{c in S} sum_{h at c} x_hs <= 0`
    /// over the arcs the model has (both regime columns of an arc); `None`
    /// when the model has no arc `(group, school)`.
    pub fn row(&self, cut: &Cut, model: &Formulation, arc_of: &HashMap<(usize, usize), usize>) -> Option<ExtraRow> {
        let mut terms: BTreeMap<usize, f64> = BTreeMap::new();
        let mut add = |group: usize, coefficient: f64| {
            if let Some(&a) = arc_of.get(&(group, cut.school)) {
                for regime in [Regime::Full, Regime::Reduced] {
                    if let Some(column) = model.columns.arc(a, regime) {
                        *terms.entry(column).or_default() += coefficient;
                    }
                }
            }
        };
        arc_of.get(&(cut.group, cut.school))?;
        add(cut.group, 1.0);
        for &c in &cut.separator {
            for &h in &self.groups_of_cell[c] {
                add(h, -1.0);
            }
        }
        Some(ExtraRow {
            terms: terms.into_iter().filter(|(_, v)| *v != 0.0).collect(),
            upper: 0.0,
        })
    }
}

/// The connected components of the cells marked in `member`, each ascending,
/// in order of their lowest cell.
pub fn components(neighbours: &[Vec<usize>], member: &[bool]) -> Vec<Vec<usize>> {
    let mut seen = vec![false; neighbours.len()];
    let mut result = Vec::new();
    for start in 0..neighbours.len() {
        if !member[start] || seen[start] {
            continue;
        }
        let mut component = vec![start];
        seen[start] = true;
        let mut next = 0;
        while next < component.len() {
            let c = component[next];
            next += 1;
            for &n in &neighbours[c] {
                if member[n] && !seen[n] {
                    seen[n] = true;
                    component.push(n);
                }
            }
        }
        component.sort_unstable();
        result.push(component);
    }
    result
}

/// The cells reached from `starts` through open cells that are not blocked.
fn reach(neighbours: &[Vec<usize>], open: &[bool], starts: &[usize], blocked: &[bool]) -> Vec<bool> {
    let mut seen = vec![false; neighbours.len()];
    let mut queue: VecDeque<usize> = VecDeque::new();
    for &c in starts {
        seen[c] = true;
        queue.push_back(c);
    }
    while let Some(c) = queue.pop_front() {
        for &n in &neighbours[c] {
            if open[n] && !blocked[n] && !seen[n] {
                seen[n] = true;
                queue.push_back(n);
            }
        }
    }
    seen
}
