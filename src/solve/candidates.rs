//! Arcs (group, school) and the R-tree that proposes them.
//!
//! An arc is *allowed* when it keeps the hard rules that concern one group
//! alone: the lock (`fixed_school`), `max_distance_m` and the cap on growth
//! against the baseline (`max_extra_way_m`, `max_extra_way_pct`) for every
//! pupil of the group. A forbidden arc is in no model and never priced in. Of the allowed arcs, the model starts with the *candidates*: the
//! `candidate_nearest` nearest schools plus every school within
//! `candidate_radius_m`. [`super::certified`] adds more where duality says so.

use super::groups::Group;
use crate::model::{Instance, Location, chord_to_metres, metres_to_chord};
use rstar::RTree;
use rstar::primitives::GeomWithData;

/// One possible decision: (part of) a group goes to a school.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arc {
    /// Group index.
    pub group: usize,
    /// School index.
    pub school: usize,
    /// Objective coefficient: metres of way to school per unit of the arc's variable.
    pub cost_m: f64,
}

/// Schools indexed by their point on the unit sphere; chord order is
/// great-circle order, so nearest-neighbour queries are exact.
pub struct SchoolTree {
    tree: RTree<GeomWithData<[f64; 3], usize>>,
}

impl SchoolTree {
    /// Indexes the instance's schools.
    pub fn new(instance: &Instance) -> Self {
        let points = instance
            .schools
            .iter()
            .enumerate()
            .map(|(i, s)| GeomWithData::new(s.location.unit_vector(), i))
            .collect();
        Self {
            tree: RTree::bulk_load(points),
        }
    }

    /// Schools in increasing great-circle distance from `from`, with that
    /// distance in metres. Equal distances come in ascending school index.
    pub fn nearest(&self, from: &Location) -> impl Iterator<Item = (usize, f64)> + '_ {
        let origin = from.unit_vector();
        self.tree
            .nearest_neighbor_iter_with_distance_2(origin)
            .map(|(p, d2)| (p.data, chord_to_metres(d2.sqrt())))
    }

    /// Schools within `radius_m` of `from`, in no particular order.
    pub fn within(&self, from: &Location, radius_m: f64) -> impl Iterator<Item = usize> + '_ {
        let chord = metres_to_chord(radius_m);
        self.tree.locate_within_distance(from.unit_vector(), chord * chord).map(|p| p.data)
    }
}

/// The arc (group, school) with its cost, or `None` when a hard rule of the
/// group forbids it (a lock elsewhere, a pupil beyond `max_distance_m` or
/// beyond its cap on growth against the baseline, or a
/// sibling school elsewhere with `siblings_hard`). The cost is the way plus
/// the preference prices of [`preference_m`].
pub fn allowed_arc(instance: &Instance, groups: &[Group], group: usize, school: usize) -> Option<Arc> {
    let g = &groups[group];
    if g.fixed_school.is_some_and(|f| f != school) {
        return None;
    }
    let members: &[usize] = if g.whole { &g.pupils } else { &g.pupils[..1] };
    let mut preference = 0.0;
    for &p in members {
        preference += preference_m(instance, p, school)?;
    }
    let rules = &instance.rules;
    // A merged group's pupils share their home and their ways (see
    // `groups`): its first pupil's way is every member's.
    let mut cost_m = 0.0;
    for &p in members {
        let d = instance.way_m(p, school)?;
        if rules.beyond_max_distance(d) || instance.beyond_extra_way(p, d) {
            return None;
        }
        cost_m += d;
    }
    Some(Arc {
        group,
        school,
        cost_m: cost_m + preference,
    })
}

/// The preference prices of sending pupil `p` to `school`, in metres of way:
/// `move_penalty_m` when it leaves its baseline school, `sibling_weight_m`
/// when it does not join its sibling. `None` when `siblings_hard` forbids it.
pub fn preference_m(instance: &Instance, p: usize, school: usize) -> Option<f64> {
    let rules = &instance.rules;
    let pupil = &instance.pupils[p];
    let mut price = 0.0;
    if pupil.sibling_school.is_some_and(|s| s != school) {
        if rules.siblings_hard {
            return None;
        }
        price += rules.sibling_weight_m;
    }
    if pupil.baseline_school.is_some_and(|b| b != school) {
        price += rules.move_penalty_m;
    }
    Some(price)
}

/// The objective of an assignment (school index per pupil): every pupil's
/// way plus its preference prices. The solver reports this value of the
/// assignment it returns, not HiGHS's floating objective, so that it is the
/// cost of exactly what is written.
pub fn assignment_cost_m(instance: &Instance, school_of: &[usize]) -> f64 {
    school_of
        .iter()
        .enumerate()
        .map(|(p, &s)| {
            let way = instance.way_m(p, s).unwrap_or(f64::INFINITY);
            way + preference_m(instance, p, s).unwrap_or(instance.rules.sibling_weight_m)
        })
        .sum()
}

/// Pupils moved away from their baseline school per unit of the arc's variable.
pub fn moves_per_unit(instance: &Instance, group: &Group, school: usize) -> f64 {
    let members: &[usize] = if group.whole { &group.pupils } else { &group.pupils[..1] };
    members
        .iter()
        .filter(|&&p| instance.pupils[p].baseline_school.is_some_and(|b| b != school))
        .count() as f64
}

/// A lower bound on the cost per unit of any arc from `group` to a school at
/// great-circle distance `d_m` from the group's representative location.
/// It holds under every metric: every way is at least
/// `ways.straight_factor` times the great-circle line (1 for walking: a
/// walk is never shorter than the line).
pub fn cost_lower_bound(instance: &Instance, group: &Group, d_m: f64) -> f64 {
    let factor = instance.ways.straight_factor;
    if group.whole {
        factor * (group.size() as f64 * d_m - group.spread_m)
    } else {
        factor * d_m
    }
}

/// The starting arcs of a group: the `candidate_nearest` nearest allowed
/// schools and every allowed school within `candidate_radius_m`, sorted by school.
pub fn initial_arcs(instance: &Instance, groups: &[Group], tree: &SchoolTree, group: usize) -> Vec<Arc> {
    let g = &groups[group];
    if let Some(fixed) = g.fixed_school {
        return allowed_arc(instance, groups, group, fixed).into_iter().collect();
    }
    let settings = &instance.solver;
    let mut arcs: Vec<Arc> = tree
        .nearest(&g.location)
        .filter_map(|(s, _)| allowed_arc(instance, groups, group, s))
        .take(settings.candidate_nearest)
        .collect();
    for s in tree.within(&g.location, settings.candidate_radius_m) {
        if !arcs.iter().any(|a| a.school == s)
            && let Some(arc) = allowed_arc(instance, groups, group, s)
        {
            arcs.push(arc);
        }
    }
    arcs.sort_by_key(|a| a.school);
    arcs
}

/// Every allowed arc of every group (see [`all_arcs`]), groups in parallel.
pub fn every_allowed_arc(instance: &Instance, groups: &[Group]) -> Vec<Vec<Arc>> {
    use rayon::prelude::*;
    (0..groups.len()).into_par_iter().map(|g| all_arcs(instance, groups, g)).collect()
}

/// Every allowed arc of a group, sorted by school.
pub fn all_arcs(instance: &Instance, groups: &[Group], group: usize) -> Vec<Arc> {
    (0..instance.schools.len())
        .filter_map(|s| allowed_arc(instance, groups, group, s))
        .collect()
}
