//! Pricing: the LP duals of a model and the reduced cost they give every arc,
//! in or out of the model. Used by the certified solve (which arcs to add)
//! and by the decomposition (which parts to merge).
//!
//! With `u_g` the dual of group `g`'s `every_pupil_once` row, `P_s` the sum of
//! the duals of school `s`'s capacity, minimum-size and school-change rows
//! (an arc enters each with its seats `a_g`) and `Q_s` that of
//! its share rows (per regime), `R_s` that of its `share_rounding` cuts
//! (an arc enters the cut of slope `b` with `mu_g - b a_g`: `R_s` takes the
//! dual, `P_s` minus `b` times it), and `m` the dual of the move cap, an
//! arc's reduced cost is
//!
//! `rc = c_gs - u_g - a_g P_s - (mu_g - theta a_g) Q_s - mu_g R_s - m moves_gs`,
//!
//! the smallest over the school's regimes. By LP duality a solution that
//! uses the arc costs at least `z_LP + rc`.

use super::candidates::{Arc, SchoolTree, allowed_arc, cost_lower_bound, moves_per_unit};
use super::formulation::{Regime, RowKind, arc_row_coefficients};
use super::groups::Group;
use super::highs_run::RunResult;
use crate::model::{Instance, MigrationBasis};
use rayon::prelude::*;

/// Reduced costs below this (relative to the objective scale) count as negative.
pub const PRICING_TOLERANCE: f64 = 1e-6;

/// `per_group` of [`add_priced_arcs_up_to`] that adds every arc that prices out.
pub const ALL_PRICED_ARCS: usize = 0;

/// Row duals of a converged LP, aggregated per group and per school and regime.
pub struct Duals {
    /// `u_g`: dual of each group's `every_pupil_once` row.
    pub group: Vec<f64>,
    /// `P_s` per regime (full, reduced): capacity + minimum-size duals.
    pub seats: [Vec<f64>; 2],
    /// `Q_s` per regime: share-rule duals.
    pub share: [Vec<f64>; 2],
    /// `R_s` per regime: duals of the `share_rounding` cuts (an arc enters
    /// them with its migrants `mu_g`; their seat part is in `seats`).
    pub migrants: [Vec<f64>; 2],
    /// Regimes the model has (1 under `previous_year`, 2 under `intake`).
    pub regimes: usize,
    /// Dual of the `moves_within_cap` row (0 without a cap).
    pub moves: f64,
    /// Duals of the balance rows per school: `[upper, lower]` (see
    /// `formulation::share_within_bounds`), and the bounds they belong to.
    pub balance: [Vec<f64>; 2],
    /// The share bounds of the balance rules (`beta_hi`, `beta_lo`).
    pub balance_bounds: crate::model::ShareBounds,
    /// The LP optimum.
    pub lp_value: f64,
}

impl Duals {
    /// All duals zero, for a model of `groups` groups and `schools` schools
    /// whose rows do not bind (a part without pupils); its LP value is 0.
    pub fn zero(instance: &Instance, groups: usize) -> Self {
        let n = instance.schools.len();
        Duals {
            group: vec![0.0; groups],
            seats: [vec![0.0; n], vec![0.0; n]],
            share: [vec![0.0; n], vec![0.0; n]],
            migrants: [vec![0.0; n], vec![0.0; n]],
            regimes: if instance.rules.migration_basis == MigrationBasis::Intake {
                2
            } else {
                1
            },
            moves: 0.0,
            balance: [vec![0.0; n], vec![0.0; n]],
            balance_bounds: if instance.rules.has_balance_rules() {
                instance.share_bounds()
            } else {
                crate::model::ShareBounds { upper: None, lower: None }
            },
            lp_value: 0.0,
        }
    }

    /// Aggregates the row duals of an optimal LP run.
    pub fn new(instance: &Instance, groups: &[Group], rows: &[RowKind], result: &RunResult) -> Self {
        Self::of_rows(instance, groups, rows, &result.row_duals, result.objective.unwrap_or(0.0))
    }

    /// Aggregates `row_duals` (one per row of `rows`) of an LP whose optimum is `lp_value`.
    pub fn of_rows(instance: &Instance, groups: &[Group], rows: &[RowKind], row_duals: &[f64], lp_value: f64) -> Self {
        let mut duals = Duals {
            lp_value,
            ..Duals::zero(instance, groups.len())
        };
        let index = |r: Regime| if r == Regime::Full { 0 } else { 1 };
        for (kind, &y) in rows.iter().zip(row_duals) {
            match *kind {
                RowKind::Assign(g) => duals.group[g] += y,
                RowKind::Capacity(s, r) => duals.seats[index(r)][s] += y,
                RowKind::MinClass(s) | RowKind::SchoolChange(s, _) => {
                    duals.seats[0][s] += y;
                    duals.seats[1][s] += y;
                }
                RowKind::Share(s, r) => duals.share[index(r)][s] += y,
                RowKind::ShareRounding { school, regime, rise, run } => {
                    duals.migrants[index(regime)][school] += y;
                    duals.seats[index(regime)][school] -= f64::from(rise) / f64::from(run) * y;
                }
                RowKind::ClassesOnly(_) => {}
                RowKind::Moves => duals.moves += y,
                RowKind::Balance(s, upper) => duals.balance[if upper { 0 } else { 1 }][s] += y,
            }
        }
        duals
    }

    /// The slack of a comparison of reduced costs or objectives against this
    /// LP (metres): its value's round-off, so that no arc at the edge of a
    /// reach is lost to it.
    pub fn tolerance(&self) -> f64 {
        PRICING_TOLERANCE * self.lp_value.abs().max(1.0)
    }

    /// Whether reduced-cost fixing at `reach` (metres) keeps `arc`: a locked
    /// group's arc always (it is the group's only one), any other when its
    /// reduced cost is at most `reach`.
    pub fn keeps_within(&self, instance: &Instance, groups: &[Group], arc: &Arc, reach: f64) -> bool {
        groups[arc.group].fixed_school.is_some() || self.reduced_cost(instance, groups, arc) <= reach
    }

    /// Reduced cost of the arc's variable (the smallest over the regimes).
    pub fn reduced_cost(&self, instance: &Instance, groups: &[Group], arc: &Arc) -> f64 {
        let group = &groups[arc.group];
        let moves = if self.moves != 0.0 {
            self.moves * moves_per_unit(instance, group, arc.school)
        } else {
            0.0
        };
        reduced_cost_across(instance, group, arc, self.group[arc.group], self, arc.school) - moves
    }
}

/// Reduced cost of `arc` of `group` with the group's dual `group_dual` taken
/// from one model and the school's duals from `school_duals`, where the
/// school has index `school` (another part's model, in the decomposition;
/// no move cap there).
pub fn reduced_cost_across(instance: &Instance, group: &Group, arc: &Arc, group_dual: f64, school_duals: &Duals, school: usize) -> f64 {
    let (seats, share) = arc_row_coefficients(instance, group);
    let migrants = group.migrants_per_unit();
    let [hi, lo] = balance_coefficients(group, &school_duals.balance_bounds);
    let balance = hi * school_duals.balance[0][school] + lo * school_duals.balance[1][school];
    (0..school_duals.regimes)
        .map(|r| {
            let school_terms =
                seats * school_duals.seats[r][school] + share * school_duals.share[r][school] + migrants * school_duals.migrants[r][school];
            arc.cost_m - group_dual - school_terms - balance
        })
        .fold(f64::INFINITY, f64::min)
}

/// The coefficients of a group's arc in a school's balance rows:
/// `mu_g - beta_hi a_g` (upper) and `mu_g - beta_lo a_g` (lower), 0 for a bound not set.
pub fn balance_coefficients(group: &Group, bounds: &crate::model::ShareBounds) -> [f64; 2] {
    let (mu, a) = (group.migrants_per_unit(), group.seats_per_unit());
    [bounds.upper.map_or(0.0, |b| mu - b * a), bounds.lower.map_or(0.0, |b| mu - b * a)]
}

/// The largest school duals over one or more models: with them,
/// `a P_s + (mu - theta a) Q_s + mu R_s` is bounded above for every school
/// at once, so that a nearest-first search can stop.
pub struct SchoolDualBounds {
    max_p: f64,
    min_q: f64,
    max_q: f64,
    max_r: f64,
    /// Per balance row kind `[upper, lower]`: (min, max) of its duals over schools.
    balance: [(f64, f64); 2],
}

impl SchoolDualBounds {
    /// The bounds over the school duals of all `duals`.
    pub fn over<'d>(duals: impl IntoIterator<Item = &'d Duals>) -> Self {
        let mut bounds = SchoolDualBounds {
            max_p: f64::NEG_INFINITY,
            min_q: f64::INFINITY,
            max_q: f64::NEG_INFINITY,
            max_r: f64::NEG_INFINITY,
            balance: [(0.0, 0.0); 2],
        };
        for d in duals {
            for (k, row) in d.balance.iter().enumerate() {
                for &y in row {
                    bounds.balance[k] = (bounds.balance[k].0.min(y), bounds.balance[k].1.max(y));
                }
            }
            for r in 0..d.regimes {
                bounds.max_p = d.seats[r].iter().copied().fold(bounds.max_p, f64::max);
                bounds.min_q = d.share[r].iter().copied().fold(bounds.min_q, f64::min);
                bounds.max_q = d.share[r].iter().copied().fold(bounds.max_q, f64::max);
                bounds.max_r = d.migrants[r].iter().copied().fold(bounds.max_r, f64::max);
            }
        }
        bounds
    }

    /// An upper bound on `seats * P_s + share * Q_s + migrants * R_s` over
    /// every school and regime (`seats`, `migrants` at least 0).
    pub fn largest_term(&self, seats: f64, share: f64, migrants: f64) -> f64 {
        let share_term = if share >= 0.0 { share * self.max_q } else { share * self.min_q };
        seats * self.max_p + share_term + migrants * self.max_r
    }

    /// An upper bound on the balance terms `hi B_hi,s + lo B_lo,s` over
    /// every school, for coefficients `[hi, lo]` (see [`balance_coefficients`]).
    pub fn largest_balance_term(&self, [hi, lo]: [f64; 2]) -> f64 {
        let most = |c: f64, (min, max): (f64, f64)| if c >= 0.0 { c * max } else { c * min };
        most(hi, self.balance[0]) + most(lo, self.balance[1])
    }
}

/// The `limit` arcs of lowest reduced cost (all with `limit` 0), in the
/// order found; ties by school.
fn most_negative(mut found: Vec<(f64, Arc)>, limit: usize) -> Vec<Arc> {
    if limit > 0 && found.len() > limit {
        found.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.school.cmp(&b.1.school)));
        found.truncate(limit);
    }
    found.into_iter().map(|(_, arc)| arc).collect()
}

/// Adds every left-out allowed arc whose reduced cost is below `allowance`
/// (plus the pricing tolerance), at most `[solver] priced_arcs_per_group`
/// per group and round, the most negative first: the rounds go on until no
/// arc prices out, so the bound changes how many rounds, never the optimum.
/// Returns how many were added. Schools are searched nearest first, until the lower bound of the reduced cost
/// (the way's lower bound minus the largest dual terms) reaches the threshold.
pub fn add_priced_arcs(
    instance: &Instance,
    groups: &[Group],
    tree: &SchoolTree,
    duals: &Duals,
    arcs: &mut [Vec<Arc>],
    allowance: f64,
) -> usize {
    add_priced_arcs_up_to(
        instance,
        groups,
        tree,
        duals,
        arcs,
        allowance,
        instance.solver.priced_arcs_per_group,
    )
}

/// [`add_priced_arcs`] with at most `per_group` arcs per group (0: all). The
/// integer program's rounds add all (each round is a whole branch and
/// bound: fewer, larger rounds are cheaper there than in the LP).
pub fn add_priced_arcs_up_to(
    instance: &Instance,
    groups: &[Group],
    tree: &SchoolTree,
    duals: &Duals,
    arcs: &mut [Vec<Arc>],
    allowance: f64,
    per_group: usize,
) -> usize {
    let threshold = allowance + duals.tolerance();
    let bounds = SchoolDualBounds::over([duals]);
    let added: Vec<Vec<Arc>> = arcs
        .par_iter()
        .enumerate()
        .map(|(g, present)| {
            let group = &groups[g];
            if group.fixed_school.is_some() {
                return Vec::new();
            }
            let (seats, share) = arc_row_coefficients(instance, group);
            let balance = balance_coefficients(group, &duals.balance_bounds);
            let school_terms = bounds.largest_term(seats, share, group.migrants_per_unit());
            let best_dual = duals.group[g] + school_terms + bounds.largest_balance_term(balance);
            let mut found = Vec::new();
            for (s, d) in tree.nearest(&group.location) {
                if cost_lower_bound(instance, group, d) - best_dual >= threshold {
                    break;
                }
                if present.iter().any(|a| a.school == s) {
                    continue;
                }
                // Priced first with the way's lower bound: the way (a walk
                // computed on demand) is asked for only if the arc might price out.
                let bound = Arc {
                    group: g,
                    school: s,
                    cost_m: cost_lower_bound(instance, group, d),
                };
                if duals.reduced_cost(instance, groups, &bound) >= threshold {
                    continue;
                }
                if let Some(arc) = allowed_arc(instance, groups, g, s) {
                    let rc = duals.reduced_cost(instance, groups, &arc);
                    if rc < threshold {
                        found.push((rc, arc));
                    }
                }
            }
            most_negative(found, per_group)
        })
        .collect();
    let mut count = 0;
    for (present, new) in arcs.iter_mut().zip(added) {
        count += new.len();
        present.extend(new);
        present.sort_by_key(|a| a.school);
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arc(school: usize) -> Arc {
        Arc {
            group: 0,
            school,
            cost_m: 0.0,
        }
    }

    #[test]
    fn the_most_negative_arcs_are_kept() {
        let found = vec![(-1.0, arc(4)), (-5.0, arc(2)), (-3.0, arc(7)), (-5.0, arc(1))];
        let kept: Vec<usize> = most_negative(found.clone(), 2).iter().map(|a| a.school).collect();
        assert_eq!(kept, vec![1, 2]);
        let all: Vec<usize> = most_negative(found, 0).iter().map(|a| a.school).collect();
        assert_eq!(all, vec![4, 2, 7, 1]);
    }
}
