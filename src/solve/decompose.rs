//! Splitting an instance into independent parts and certifying their combination.
//!
//! Towns far apart share no candidate schools. The schools are joined into
//! components by the pupils that could plausibly go to them (each pupil's
//! nearest allowed school, every allowed school within
//! `candidate_radius_m`, its lock; a whole unit together). Each component is
//! solved on its own, in parallel, by [`super::certified`]. The combination is
//! then certified like the pruning inside a component: with the components'
//! LP duals, every arc between a group of component `c` and a school of
//! component `d` is priced. Write `gap_c = z_IP_c - z_LP_c`. A solution that
//! uses arcs between components touches a set `T` of them; the parts outside
//! `T` cost at least their `z_IP`, the parts in `T` at least their `z_LP`
//! (LP duality, component by component), and each arc used adds its reduced
//! cost `rc`. So if every such arc has `rc >= gap_c + gap_d`, no solution
//! using them beats `sum(z_IP)`. An arc below that merges `c` and `d`, which
//! are solved again together. When none is left, the combined assignment is
//! the optimum of the undivided problem. A component that is infeasible on its own is merged
//! with the components of its pupils' nearest outside schools; infeasibility
//! is only reported once a single component remains.

use super::candidates::{SchoolTree, allowed_arc, cost_lower_bound};
use super::certified::{Certified, solve_certified_groups, solve_certified_until};
use super::formulation::arc_row_coefficients;
use super::groups::{Group, build_groups};
use super::pricing::{Duals, PRICING_TOLERANCE, SchoolDualBounds, reduced_cost_across};
use super::{Assignment, Deadline, ModelStats, SolveError, SolveOutcome, SolveStatus};
use crate::model::Instance;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

/// Solves the instance to proven optimality (or to the time limit),
/// decomposing it into independent parts where it falls apart.
pub fn solve(instance: &Instance, deadline: Deadline) -> Result<SolveOutcome, SolveError> {
    let started = Instant::now();
    SolveError::ensure_not_empty(instance)?;
    let tree = SchoolTree::new(instance);
    let groups = build_groups(instance);
    let mut components = initial_components(instance, &groups, &tree);
    // A cap on moves couples every part: no split then.
    // A move cap couples the parts; so do the balance rules, whose bounds
    // follow the whole city's share. The caps on change against the baseline
    // refer to baseline schools that may lie in another part: no split either.
    let rules = &instance.rules;
    let coupled = rules.max_moves.is_some() || rules.has_balance_rules() || rules.has_extra_way_cap() || rules.max_school_change.is_some();
    if components.len() <= 1 || coupled {
        return undivided(instance, groups, tree, deadline);
    }
    let owner = owners(instance, &groups, &tree);
    let mut pupils_by_school: Vec<Vec<usize>> = vec![Vec::new(); instance.schools.len()];
    for (p, &s) in owner.iter().enumerate() {
        pupils_by_school[s].push(p);
    }
    let mut cache: HashMap<Vec<usize>, Solved> = HashMap::new();
    loop {
        let todo: Vec<&Vec<usize>> = components.iter().filter(|c| !cache.contains_key(*c)).collect();
        let solved: Vec<(Vec<usize>, Solved)> = todo
            .par_iter()
            .map(|schools| solve_part(instance, &pupils_by_school, schools, deadline).map(|s| ((*schools).clone(), s)))
            .collect::<Result<_, _>>()?;
        cache.extend(solved);
        let parts: Vec<&Solved> = components.iter().map(|c| &cache[c]).collect();

        let infeasible: Vec<usize> = (0..components.len())
            .filter(|&c| parts[c].certified.outcome.status == SolveStatus::Infeasible)
            .collect();
        if !infeasible.is_empty() {
            let merges = neighbours_of(instance, &tree, &components, &parts, &infeasible);
            components = merge(&components, &merges);
            if components.len() == 1 {
                return undivided(instance, groups, tree, deadline);
            }
            continue;
        }
        if parts.iter().any(|p| p.certified.outcome.assignment.is_none()) {
            return Ok(combine(instance, &components, &parts, false, started));
        }
        let certifiable = parts.iter().all(|p| p.certified.duals.is_some());
        if !certifiable {
            return Ok(combine(instance, &components, &parts, false, started));
        }
        let merges = price_between(instance, &tree, &components, &parts);
        let out_of_time = deadline.passed();
        if merges.is_empty() || out_of_time {
            return Ok(combine(instance, &components, &parts, merges.is_empty(), started));
        }
        components = merge(&components, &merges);
        if components.len() == 1 {
            return undivided(instance, groups, tree, deadline);
        }
    }
}

/// Solves the whole instance as one part.
fn undivided(instance: &Instance, groups: Vec<Group>, tree: SchoolTree, deadline: Deadline) -> Result<SolveOutcome, SolveError> {
    let mut outcome = solve_certified_groups(instance, groups, tree, deadline)?.outcome;
    outcome.stats.components = 1;
    Ok(outcome)
}

/// A solved component: its result and the maps back to the whole instance.
struct Solved {
    certified: Certified,
    /// Global index of each of the part's schools.
    schools: Vec<usize>,
    /// Global index of each of the part's pupils.
    pupils: Vec<usize>,
}

/// Groups of schools that share no plausible pupil, sorted by their smallest school.
fn initial_components(instance: &Instance, groups: &[Group], tree: &SchoolTree) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..instance.schools.len()).collect();
    let mut has_pupils = vec![false; instance.schools.len()];
    let radius = instance.solver.candidate_radius_m;
    for (g, group) in groups.iter().enumerate() {
        let mut linked: Vec<usize> = tree
            .nearest(&group.location)
            .filter(|&(s, _)| allowed_arc(instance, groups, g, s).is_some())
            .map(|(s, _)| s)
            .take(1)
            .collect();
        linked.extend(
            tree.within(&group.location, radius)
                .filter(|&s| allowed_arc(instance, groups, g, s).is_some()),
        );
        linked.extend(group.fixed_school);
        if linked.is_empty() {
            // No allowed school at all: the whole instance decides (and is infeasible).
            return vec![(0..instance.schools.len()).collect()];
        }
        // A pupil's baseline and sibling schools price its arcs: they belong
        // to its part, so that the part's model sees them.
        linked.extend(group.pupils.iter().flat_map(|&p| referenced_schools(&instance.pupils[p])));
        for pair in linked.windows(2) {
            union(&mut parent, pair[0], pair[1]);
        }
        for &s in &linked {
            has_pupils[s] = true;
        }
    }
    // Schools no pupil links to join their nearest other school.
    for s in 0..instance.schools.len() {
        if !has_pupils[s]
            && let Some((other, _)) = tree.nearest(&instance.schools[s].location).find(|&(o, _)| o != s)
        {
            union(&mut parent, s, other);
        }
    }
    let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for s in 0..instance.schools.len() {
        let root = find(&mut parent, s);
        by_root.entry(root).or_default().push(s);
    }
    let mut components: Vec<Vec<usize>> = by_root.into_values().collect();
    components.sort();
    components
}

/// The schools a pupil's record names besides its lock: last year's school
/// and an older sibling's school.
fn referenced_schools(pupil: &crate::model::Pupil) -> impl Iterator<Item = usize> {
    pupil.baseline_school.into_iter().chain(pupil.sibling_school)
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

/// Solves the sub-instance of one component: its schools and the pupils
/// whose nearest allowed school (or lock) lies in it (`pupils_by_school`).
fn solve_part(instance: &Instance, pupils_by_school: &[Vec<usize>], schools: &[usize], deadline: Deadline) -> Result<Solved, SolveError> {
    let local: HashMap<usize, usize> = schools.iter().enumerate().map(|(i, &s)| (s, i)).collect();
    let mut pupils: Vec<usize> = schools.iter().flat_map(|&s| pupils_by_school[s].iter().copied()).collect();
    pupils.sort_unstable();
    let mut sub = Instance {
        name: instance.name.clone(),
        schools: schools.iter().map(|&s| instance.schools[s].clone()).collect(),
        pupils: pupils.iter().map(|&p| instance.pupils[p].clone()).collect(),
        rules: instance.rules.clone(),
        solver: instance.solver.clone(),
        sources: Vec::new(),
        ways: instance.ways.clone(),
    };
    // Every school a pupil's record names lies in its part (see
    // `initial_components`): renumber all of them into the part's schools.
    for pupil in &mut sub.pupils {
        for school in [&mut pupil.fixed_school, &mut pupil.sibling_school, &mut pupil.baseline_school] {
            *school = school.map(|s| local[&s]);
        }
    }
    sub.solver.threads = 1;
    let certified = if sub.pupils.is_empty() {
        empty_part(&sub)
    } else {
        solve_certified_until(&sub, deadline)?
    };
    Ok(Solved {
        certified,
        schools: schools.to_vec(),
        pupils,
    })
}

/// For every pupil, the school whose component it belongs to: its lock, or
/// the nearest allowed school of its group (so a unit stays together).
fn owners(instance: &Instance, groups: &[Group], tree: &SchoolTree) -> Vec<usize> {
    let mut owner = vec![0; instance.pupils.len()];
    for (g, group) in groups.iter().enumerate() {
        let school = group
            .fixed_school
            .or_else(|| {
                tree.nearest(&group.location)
                    .map(|(s, _)| s)
                    .find(|&s| allowed_arc(instance, groups, g, s).is_some())
            })
            .unwrap_or(0);
        for &p in &group.pupils {
            owner[p] = school;
        }
    }
    owner
}

/// Whether a school can do without new pupils: some class count `k` in its
/// range seats its reserved seats (`r <= C k`, at the class size of its
/// regime: with the intake basis and no pupils the full one) and, with a
/// class minimum `m`, asks for none (`0 >= m k`, so `k = 0`).
fn fits_without_pupils(school: &crate::model::School, rules: &crate::model::Rules) -> bool {
    let size = match rules.migration_basis {
        crate::model::MigrationBasis::PreviousYear => rules.class_size_for(school.prev_migration_share),
        crate::model::MigrationBasis::Intake => rules.class_size,
    };
    let minimum = rules.min_class_size.unwrap_or(0);
    (school.min_classes..=school.max_classes)
        .any(|k| u64::from(school.reserved_seats) <= u64::from(k) * u64::from(size) && (minimum == 0 || k == 0))
}

/// A component without pupils: feasible with no way at all unless a school
/// must fill classes (class minimum) or cannot seat its reserved seats (see
/// [`fits_without_pupils`]; a class opened for reserved seats must reach
/// the class minimum with new pupils). Its LP duals are all zero (no row
/// binds without pupils).
fn empty_part(sub: &Instance) -> Certified {
    let feasible = sub.schools.iter().all(|s| fits_without_pupils(s, &sub.rules));
    let duals = Duals::zero(sub, 0);
    Certified {
        outcome: SolveOutcome {
            status: if feasible { SolveStatus::Optimal } else { SolveStatus::Infeasible },
            assignment: feasible.then(|| Assignment { school_of: Vec::new() }),
            objective_m: feasible.then_some(0.0),
            bound_m: feasible.then_some(0.0),
            gap: feasible.then_some(0.0),
            solve_seconds: 0.0,
            highs_seconds: 0.0,
            stats: ModelStats::default(),
        },
        duals: feasible.then_some(duals),
        groups: Vec::new(),
    }
}

/// Pairs of components to merge because an infeasible one needs the schools
/// nearest to its pupils (and its schools) outside it. Never empty while
/// there is more than one component, so the merging always progresses.
fn neighbours_of(
    instance: &Instance,
    tree: &SchoolTree,
    components: &[Vec<usize>],
    parts: &[&Solved],
    infeasible: &[usize],
) -> Vec<(usize, usize)> {
    let component_of = component_index(instance, components);
    let mut merges = Vec::new();
    for &c in infeasible {
        // Homes and schools of the part (a part without pupils can be
        // infeasible too: a school that must fill a class).
        let homes = parts[c].pupils.iter().map(|&p| instance.pupils[p].location);
        let sites = parts[c].schools.iter().map(|&s| instance.schools[s].location);
        for place in homes.chain(sites) {
            if let Some((s, _)) = tree.nearest(&place).find(|&(s, _)| component_of[s] != c) {
                merges.push((c, component_of[s]));
            }
        }
    }
    merges.sort_unstable();
    merges.dedup();
    merges
}

fn component_index(instance: &Instance, components: &[Vec<usize>]) -> Vec<usize> {
    let mut index = vec![0; instance.schools.len()];
    for (c, schools) in components.iter().enumerate() {
        for &s in schools {
            index[s] = c;
        }
    }
    index
}

/// Pairs of components `(c, d)` joined by an arc whose reduced cost (with the
/// parts' LP duals) is below `gap_c + gap_d` (see the module doc).
fn price_between(instance: &Instance, tree: &SchoolTree, components: &[Vec<usize>], parts: &[&Solved]) -> Vec<(usize, usize)> {
    let component_of = component_index(instance, components);
    let local_of: HashMap<usize, usize> = parts
        .iter()
        .flat_map(|p| p.schools.iter().enumerate().map(|(i, &s)| (s, i)))
        .collect();
    let gaps: Vec<f64> = parts
        .iter()
        .map(|p| {
            let lp = p.certified.duals.as_ref().map_or(0.0, |d| d.lp_value);
            let ip = p.certified.outcome.objective_m.unwrap_or(0.0);
            (ip - lp).max(0.0) + PRICING_TOLERANCE * lp.abs().max(1.0)
        })
        .collect();
    let largest_gap = gaps.iter().copied().fold(0.0, f64::max);
    // Largest dual terms of any school, for the stopping bound of the nearest-first search.
    let bounds = SchoolDualBounds::over(parts.iter().filter_map(|p| p.certified.duals.as_ref()));
    let mut merges: Vec<(usize, usize)> = (0..parts.len())
        .into_par_iter()
        .flat_map_iter(|c| {
            let part = parts[c];
            let Some(duals) = part.certified.duals.as_ref() else {
                return Vec::new();
            };
            let mut found = Vec::new();
            for (g, group) in part.certified.groups.iter().enumerate() {
                if group.fixed_school.is_some() {
                    continue;
                }
                let global = Group {
                    pupils: group.pupils.iter().map(|&p| part.pupils[p]).collect(),
                    fixed_school: None,
                    ..group.clone()
                };
                let (seats, share) = arc_row_coefficients(instance, &global);
                let best = duals.group[g] + bounds.largest_term(seats, share, global.migrants_per_unit());
                for (s, d) in tree.nearest(&global.location) {
                    if cost_lower_bound(instance, &global, d) - best >= gaps[c] + largest_gap {
                        break;
                    }
                    let other = component_of[s];
                    if other == c {
                        continue;
                    }
                    let Some(arc) = allowed_arc(instance, std::slice::from_ref(&global), 0, s) else {
                        continue;
                    };
                    let Some(their) = parts[other].certified.duals.as_ref() else {
                        continue;
                    };
                    let rc = reduced_cost_across(instance, &global, &arc, duals.group[g], their, local_of[&s]);
                    if rc < gaps[c] + gaps[other] {
                        found.push((c.min(other), c.max(other)));
                    }
                }
            }
            found
        })
        .collect();
    merges.sort_unstable();
    merges.dedup();
    merges
}

/// Joins the components named in `merges` (transitively).
fn merge(components: &[Vec<usize>], merges: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..components.len()).collect();
    for &(a, b) in merges {
        union(&mut parent, a, b);
    }
    let mut joined: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (c, schools) in components.iter().enumerate() {
        let root = find(&mut parent, c);
        joined.entry(root).or_default().extend(schools);
    }
    let mut result: Vec<Vec<usize>> = joined
        .into_values()
        .map(|mut s| {
            s.sort_unstable();
            s
        })
        .collect();
    result.sort();
    result
}

/// The combined outcome of all parts. `certified` says whether the pricing
/// between components proved that the combination is the global optimum.
fn combine(instance: &Instance, components: &[Vec<usize>], parts: &[&Solved], certified: bool, started: Instant) -> SolveOutcome {
    let mut stats = ModelStats {
        components: components.len(),
        integral_lp: !parts.is_empty() && parts.iter().all(|p| p.certified.outcome.stats.integral_lp),
        ..ModelStats::default()
    };
    for part in parts {
        let s = &part.certified.outcome.stats;
        stats.groups += s.groups;
        stats.arcs += s.arcs;
        stats.columns += s.columns;
        stats.rows += s.rows;
        stats.regimes_fixed += s.regimes_fixed;
        stats.regime_nodes += s.regime_nodes;
        stats.lp_rounds = stats.lp_rounds.max(s.lp_rounds);
        stats.mip_rounds = stats.mip_rounds.max(s.mip_rounds);
        stats.all_arcs |= s.all_arcs;
    }
    let complete = parts.iter().all(|p| p.certified.outcome.assignment.is_some());
    let all_proven = parts
        .iter()
        .all(|p| matches!(p.certified.outcome.status, SolveStatus::Optimal | SolveStatus::GapLimit));
    let proven = complete && all_proven && certified;
    let seconds = (
        started.elapsed().as_secs_f64(),
        parts.iter().map(|p| p.certified.outcome.highs_seconds).sum(),
    );
    if !complete {
        return SolveOutcome::without_assignment(SolveStatus::TimeLimit, stats, seconds.0, seconds.1);
    }
    let mut school_of = vec![usize::MAX; instance.pupils.len()];
    for part in parts {
        let local = &part.certified.outcome.assignment.as_ref().expect("complete").school_of;
        for (i, &s) in local.iter().enumerate() {
            school_of[part.pupils[i]] = part.schools[s];
        }
    }
    let bound = if proven {
        // Every part's bound holds for it, and the certificate between parts
        // shows that crossing between them cannot do better.
        parts.iter().map(|p| p.certified.outcome.bound_m).sum::<Option<f64>>()
    } else {
        // Only the LP bound is valid for the undivided problem without the certificate.
        parts
            .iter()
            .map(|p| p.certified.duals.as_ref().map(|d| d.lp_value))
            .sum::<Option<f64>>()
    };
    SolveOutcome::with_assignment(instance, Assignment { school_of }, proven, bound, seconds, stats)
}
