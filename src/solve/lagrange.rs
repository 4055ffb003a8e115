//! A Lagrangian bound for free class counts, and the arcs it rules out.
//!
//! With class ranges or a class minimum (`previous_year` basis, pupils one
//! by one), the LP relaxation blends opening a class: a school may take 39
//! pupils in "1.4 classes" where whole classes of 25 to 28 allow 25–28 or
//! 50–56. On `magdeburg-min25.toml` the LP lies 10.9 km below the optimum,
//! so LP reduced costs keep every arc within 10.9 km in the integer
//! program (46,000 arcs).
//!
//! Relaxing `every_pupil_once` with multipliers `u_g` splits the problem by
//! school. School `s` then takes the `T` units of smallest `c_gs - u_g`
//! (each group `g` offers `n_g` units) for the best `T` among the intakes
//! its whole classes allow,
//!
//! ```text
//! T in  union over kmin_s <= k <= kmax_s of  [ m k , C_s k - r_s ]
//! L(u) = sum_g u_g n_g + sum_s min_T (sum of the T smallest c_gs - u_g at s)
//! ```
//!
//! and `L(u)` is a lower bound for every `u` that, unlike the LP's, knows
//! that `T` is whole classes. A subgradient method raises it (on
//! `magdeburg-min25.toml` to 1.4 km below the optimum). Forcing one pupil
//! of `g` into `s` changes only school `s`'s term, by `d_gs >= 0`; a
//! solution that uses arc `(g, s)` costs at least `L(u) + d_gs`, so with a
//! solution of total way `UB` at hand every arc with `L(u) + d_gs >= UB` can
//! be left out of the integer program: no better solution uses it.
//!
//! It applies where these are the only rows: see [`applies`].

use super::candidates::Arc;
use super::formulation::classes_make_flows_whole;
use super::groups::Group;
use crate::model::Instance;
use rayon::prelude::*;

/// Subgradient steps at most (each one pass over the arcs per school).
const MAX_STEPS: usize = 300;

/// The first step size's factor (of the Polyak step `(UB - L) / |g|^2`).
const FIRST_FACTOR: f64 = 2.0;

/// The step size's factor halves after this many steps without a better bound.
const PATIENCE: usize = 20;

/// The subgradient method stops when the step size's factor falls below this.
const SMALLEST_FACTOR: f64 = 1e-4;

/// An arc is left out only when its bound exceeds the solution at hand by
/// this much (relative), so that round-off never leaves out a needed arc.
const FIX_TOLERANCE: f64 = 1e-9;

/// Whether the Lagrangian bound applies: the rows are `every_pupil_once`,
/// capacity, class minimum and class range only (see
/// [`classes_make_flows_whole`]: `previous_year` basis, pupils one by one,
/// no cap on moves, no balance rule, no `max_school_change`), and some
/// school's class count is free or a class minimum applies (else whole
/// pupils are a transportation problem, which the LP solves exactly).
pub fn applies(instance: &Instance, groups: &[Group]) -> bool {
    let counts_free = instance.rules.min_class_size.is_some() || instance.schools.iter().any(|s| s.min_classes < s.max_classes);
    classes_make_flows_whole(instance, groups) && counts_free
}

/// What the Lagrangian bound found.
pub struct Fixing {
    /// The best bound `L(u)` (metres).
    pub bound: f64,
    /// The arcs that may take part in a solution better than the upper
    /// bound, plus every arc of a locked group.
    pub kept: Vec<Arc>,
}

/// One school's term of `L(u)`: its arcs and the intakes it allows.
struct SchoolTerm {
    /// `(group, cost)` of each arc to the school.
    arcs: Vec<(usize, f64)>,
    /// Intakes `T` its whole classes allow, ascending.
    intakes: Vec<u32>,
}

/// The best choice at one school for multipliers `u`.
struct Choice {
    /// The school's term of `L(u)`.
    value: f64,
    /// Units taken per arc of the school (in `SchoolTerm::arcs` order).
    units: Vec<u32>,
}

/// The Lagrangian bound over `arcs` (which must hold every arc of a
/// solution below `upper_bound`), starting from the multipliers `start`
/// (e.g. the LP's duals of `every_pupil_once`), and the arcs it keeps for
/// the integer program. `None` when a school allows no intake at all.
pub fn fix_arcs(instance: &Instance, groups: &[Group], arcs: &[Arc], start: &[f64], upper_bound: f64) -> Option<Fixing> {
    let terms = school_terms(instance, groups, arcs)?;
    let units: Vec<f64> = groups.iter().map(|g| g.variable_upper()).collect();
    let (bound, multipliers) = best_multipliers(&terms, &units, start, upper_bound);
    let threshold = upper_bound + FIX_TOLERANCE * upper_bound.abs().max(1.0);
    let kept = terms
        .par_iter()
        .enumerate()
        .flat_map_iter(|(s, term)| {
            let increases = forcing_increases(term, &units, &multipliers);
            let kept: Vec<Arc> = term
                .arcs
                .iter()
                .zip(increases)
                .filter(|&(&(g, _), d)| groups[g].fixed_school.is_some() || bound + d < threshold)
                .map(|(&(group, cost_m), _)| Arc { group, school: s, cost_m })
                .collect();
            kept
        })
        .collect();
    Some(Fixing { bound, kept })
}

/// Each school's arcs (from `arcs`) and allowed intakes; `None` when a
/// school allows none.
fn school_terms(instance: &Instance, groups: &[Group], arcs: &[Arc]) -> Option<Vec<SchoolTerm>> {
    let mut terms: Vec<SchoolTerm> = Vec::with_capacity(instance.schools.len());
    for school in &instance.schools {
        let size = instance.rules.class_size_for(school.prev_migration_share);
        let minimum = instance.rules.min_class_size.unwrap_or(0);
        let mut intakes: Vec<u32> = (school.min_classes..=school.max_classes)
            .flat_map(|k| {
                let most = (size * k).saturating_sub(school.reserved_seats);
                (minimum * k)..=most
            })
            .collect();
        intakes.sort_unstable();
        intakes.dedup();
        if intakes.is_empty() {
            return None;
        }
        terms.push(SchoolTerm { arcs: Vec::new(), intakes });
    }
    for arc in arcs {
        terms[arc.school].arcs.push((arc.group, arc.cost_m));
    }
    for term in &mut terms {
        term.arcs.sort_by_key(|&(g, _)| g);
        term.arcs.dedup_by_key(|&mut (g, _)| g);
    }
    debug_assert!(groups.iter().all(|g| !g.whole));
    Some(terms)
}

/// `L(u)` and its subgradient `n_g - sum_s units taken of g`.
fn lagrangian(terms: &[SchoolTerm], units: &[f64], u: &[f64]) -> (f64, Vec<f64>) {
    let choices: Vec<Choice> = terms.par_iter().map(|t| best_choice(t, units, u)).collect();
    let mut value: f64 = units.iter().zip(u).map(|(n, u)| n * u).sum();
    let mut subgradient = units.to_vec();
    for (term, choice) in terms.iter().zip(&choices) {
        value += choice.value;
        for (&(g, _), &taken) in term.arcs.iter().zip(&choice.units) {
            subgradient[g] -= f64::from(taken);
        }
    }
    (value, subgradient)
}

/// The arcs of a school in increasing reduced cost `c - u_g` (ties by group).
fn sorted_by_reduced_cost(term: &SchoolTerm, u: &[f64]) -> Vec<(usize, f64)> {
    let mut order: Vec<(usize, f64)> = term.arcs.iter().enumerate().map(|(i, &(g, c))| (i, c - u[g])).collect();
    order.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    order
}

/// `prefix[T]`: the sum of the `T` smallest unit reduced costs, for `T` up
/// to the largest intake (or every unit, if fewer).
fn unit_prefix(order: &[(usize, f64)], term: &SchoolTerm, units: &[f64]) -> Vec<f64> {
    let most = *term.intakes.last().unwrap_or(&0) as usize;
    let mut prefix = Vec::with_capacity(most + 1);
    prefix.push(0.0);
    'arcs: for &(i, reduced) in order {
        for _ in 0..units[term.arcs[i].0] as usize {
            if prefix.len() > most {
                break 'arcs;
            }
            prefix.push(prefix[prefix.len() - 1] + reduced);
        }
    }
    prefix
}

/// The school's best intake for multipliers `u`, and the units it takes per arc.
fn best_choice(term: &SchoolTerm, units: &[f64], u: &[f64]) -> Choice {
    let order = sorted_by_reduced_cost(term, u);
    let prefix = unit_prefix(&order, term, units);
    let (value, intake) = term
        .intakes
        .iter()
        .filter(|&&t| (t as usize) < prefix.len())
        .map(|&t| (prefix[t as usize], t))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap_or((f64::INFINITY, 0));
    let mut taken = vec![0u32; term.arcs.len()];
    let mut left = intake;
    for &(i, _) in &order {
        let take = left.min(units[term.arcs[i].0] as u32);
        taken[i] = take;
        left -= take;
    }
    Choice { value, units: taken }
}

/// Per arc of a school, how much its term of `L(u)` rises when the arc must
/// carry at least one unit: with its first unit at place `p` of the sorted
/// units, an intake `T > p` takes it anyway, and `T <= p` takes it instead
/// of the `T`-th unit.
fn forcing_increases(term: &SchoolTerm, units: &[f64], u: &[f64]) -> Vec<f64> {
    let order = sorted_by_reduced_cost(term, u);
    let prefix = unit_prefix(&order, term, units);
    let feasible: Vec<usize> = term.intakes.iter().map(|&t| t as usize).filter(|&t| t < prefix.len()).collect();
    let best = feasible.iter().map(|&t| prefix[t]).fold(f64::INFINITY, f64::min);
    let mut increases = vec![f64::INFINITY; term.arcs.len()];
    let mut place = 0usize;
    for &(i, reduced) in &order {
        let forced = feasible
            .iter()
            .filter(|&&t| t >= 1)
            .map(|&t| if place < t { prefix[t] } else { reduced + prefix[t - 1] })
            .fold(f64::INFINITY, f64::min);
        increases[i] = (forced - best).max(0.0);
        place += units[term.arcs[i].0] as usize;
    }
    increases
}

/// Subgradient ascent on `L(u)` from `start`, with Polyak steps towards
/// `upper_bound`; the best bound found and its multipliers.
fn best_multipliers(terms: &[SchoolTerm], units: &[f64], start: &[f64], upper_bound: f64) -> (f64, Vec<f64>) {
    let mut u = start.to_vec();
    let mut best = (f64::NEG_INFINITY, u.clone());
    let (mut factor, mut stalled) = (FIRST_FACTOR, 0);
    for _ in 0..MAX_STEPS {
        let (value, subgradient) = lagrangian(terms, units, &u);
        if value > best.0 {
            best = (value, u.clone());
            stalled = 0;
        } else {
            stalled += 1;
            if stalled >= PATIENCE {
                factor /= 2.0;
                stalled = 0;
            }
        }
        let norm: f64 = subgradient.iter().map(|g| g * g).sum();
        if norm == 0.0 || factor < SMALLEST_FACTOR || value >= upper_bound {
            break;
        }
        let step = factor * (upper_bound - value) / norm;
        for (u, g) in u.iter_mut().zip(&subgradient) {
            *u += step * g;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every assignment of single pupils (`units` 1 each) to schools by
    /// brute force: the cheapest total way of those that meet every
    /// school's intakes and use arc `(g, s)` (`None`: any arc), infinite if none.
    fn cheapest(terms: &[SchoolTerm], pupils: usize, forced: Option<(usize, usize)>) -> f64 {
        let schools = terms.len();
        let mut best = f64::INFINITY;
        for code in 0..schools.pow(pupils as u32) {
            let mut choice = Vec::with_capacity(pupils);
            let mut rest = code;
            for _ in 0..pupils {
                choice.push(rest % schools);
                rest /= schools;
            }
            if forced.is_some_and(|(g, s)| choice[g] != s) {
                continue;
            }
            let mut cost = 0.0;
            let mut intake = vec![0u32; schools];
            let mut allowed = true;
            for (g, &s) in choice.iter().enumerate() {
                match terms[s].arcs.iter().find(|a| a.0 == g) {
                    Some(&(_, c)) => cost += c,
                    None => allowed = false,
                }
                intake[s] += 1;
            }
            if allowed && (0..schools).all(|s| terms[s].intakes.contains(&intake[s])) {
                best = best.min(cost);
            }
        }
        best
    }

    fn terms_of(costs: &[Vec<u16>], intakes: &[Vec<u32>]) -> Vec<SchoolTerm> {
        intakes
            .iter()
            .enumerate()
            .map(|(s, intakes)| SchoolTerm {
                arcs: costs.iter().enumerate().map(|(g, row)| (g, f64::from(row[s]))).collect(),
                intakes: intakes.clone(),
            })
            .collect()
    }

    #[test]
    fn a_school_of_whole_classes_takes_a_whole_class() {
        // Three pupils, two schools. School 0 takes 0 or 2 pupils (a class
        // of 2 or none), school 1 up to 3. Ways: pupil 0: 1 / 9, pupil 1:
        // 1 / 9, pupil 2: 1 / 3. With u = (9, 9, 3), school 1's units cost
        // 0 and school 0's -8, -8, -2: school 0 takes its best class, the
        // two units of -8 (-16), school 1 nothing; L = 21 - 16 = 5, which
        // is the optimum (pupils 0, 1 at school 0, pupil 2 at school 1).
        let terms = terms_of(&[vec![1, 9], vec![1, 9], vec![1, 3]], &[vec![0, 2], vec![0, 1, 2, 3]]);
        let units = vec![1.0; 3];
        let (value, subgradient) = lagrangian(&terms, &units, &[9.0, 9.0, 3.0]);
        assert_eq!(value, 5.0);
        assert_eq!(subgradient, vec![0.0, 0.0, 1.0]);
        assert_eq!(cheapest(&terms, 3, None), 5.0);
        // Forcing pupil 2 into school 0: a class of 2 with it costs -8 - 2
        // instead of -16, so the bound rises by 6 (to 11, the way of the
        // best such solution: pupils 0 or 1 with pupil 2 at school 0).
        let increases = forcing_increases(&terms[0], &units, &[9.0, 9.0, 3.0]);
        assert_eq!(increases, vec![0.0, 0.0, 6.0]);
        assert_eq!(cheapest(&terms, 3, Some((2, 0))), 11.0);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Weak duality and the arc test on tiny instances: for any
        /// multipliers, `L(u)` is at most the optimum, and a solution that
        /// uses arc `(g, s)` costs at least `L(u) + d_gs`.
        #[test]
        fn the_bound_and_each_arcs_increase_hold_against_brute_force(
            costs in prop::collection::vec(prop::collection::vec(0u16..50, 3), 1..6),
            sizes in prop::collection::vec((0u32..2, 1u32..3, 0u32..2), 3),
            u in prop::collection::vec(-20.0f64..60.0, 6),
        ) {
            let pupils = costs.len();
            // Each school: 0..=kmax classes of `size` pupils with a minimum of `size - slack`.
            let intakes: Vec<Vec<u32>> = sizes
                .iter()
                .map(|&(kmin, size, slack)| {
                    let mut t: Vec<u32> = (kmin..=2).flat_map(|k| (k * size.saturating_sub(slack))..=(k * size)).collect();
                    t.sort_unstable();
                    t.dedup();
                    t
                })
                .collect();
            let terms = terms_of(&costs, &intakes);
            let units = vec![1.0; pupils];
            let u = &u[..pupils];
            let (value, _) = lagrangian(&terms, &units, u);
            let optimum = cheapest(&terms, pupils, None);
            prop_assert!(value <= optimum + 1e-9, "L {} above the optimum {}", value, optimum);
            for (s, term) in terms.iter().enumerate() {
                let increases = forcing_increases(term, &units, u);
                for (i, &(g, _)) in term.arcs.iter().enumerate() {
                    let with_arc = cheapest(&terms, pupils, Some((g, s)));
                    prop_assert!(value + increases[i] <= with_arc + 1e-9,
                        "arc ({}, {}): L {} + d {} above {}", g, s, value, increases[i], with_arc);
                }
            }
        }
    }
}
