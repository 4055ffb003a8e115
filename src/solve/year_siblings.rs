//! Siblings named across years (column `sibling_id`) in the joint
//! multi-year model ([`super::years`]).
//!
//! A pair is a younger pupil `j` of year `t'` and its older sibling `i` of
//! an earlier year `t`. Each paired pupil is taken out of its merged group
//! into a group of its own (a unit or home stays whole: the pair then ties
//! the two units), whose variables are integer (binary) in the integer
//! program. For every school `s` that either may attend:
//!
//! ```text
//! siblings_hard:      x_{j,(s,t')} - x_{i,(s,t)} = 0                  (sibling_pair_same_school)
//! sibling_weight_m:   d_{ij,s} >= x_{j,(s,t')} - x_{i,(s,t)}, d >= 0   (sibling_pair_apart), w d_{ij,s} in the objective
//! ```
//!
//! (a missing arc is a variable fixed at 0). With both pupils sent whole,
//! `sum_s d_{ij,s}` is 1 exactly when they are at different schools and 0
//! otherwise, so the objective prices a split pair at `w`.
//!
//! These rows hold arc variables, so their duals would enter the reduced
//! cost of a left-out arc of a paired pupil. Paired pupils therefore get
//! every allowed arc from the start: no arc of theirs is ever left out, and
//! the pricing and the certificate only ever look at arcs of unpaired
//! groups, which no pair row contains. The certificate stays valid.

use super::groups::Group;
use crate::model::YearPlan;
use std::collections::BTreeSet;

/// Where the acting sibling pairs of a plan are among the years' groups.
#[derive(Debug, Clone, Default)]
pub(super) struct Pairing {
    /// Per acting pair: its index in `plan.siblings`, and (year, group) of
    /// the younger and of the older pupil.
    pub pairs: Vec<PairGroups>,
    /// `paired[t][g]`: group `g` of year `t` holds a paired pupil.
    pub paired: Vec<Vec<bool>>,
    /// `siblings_hard`: a pair must share its school.
    pub hard: bool,
    /// `sibling_weight_m`: the price of a split pair otherwise.
    pub weight_m: f64,
}

/// One pair among the groups.
#[derive(Debug, Clone, Copy)]
pub(super) struct PairGroups {
    /// Index into `plan.siblings`.
    pub index: usize,
    /// (year, group) of the younger pupil.
    pub younger: (usize, usize),
    /// (year, group) of the older pupil.
    pub older: (usize, usize),
}

impl Pairing {
    /// Takes every pupil of an acting pair out of its merged group (see the
    /// module documentation) and records where the pairs are.
    pub fn new(plan: &YearPlan, groups: &mut [Vec<Group>]) -> Pairing {
        let acting = plan.acting_siblings();
        let mut paired_pupils: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); groups.len()];
        for pair in acting {
            paired_pupils[pair.younger_year].insert(pair.younger);
            paired_pupils[pair.older_year].insert(pair.older);
        }
        for (year_groups, pupils) in groups.iter_mut().zip(&paired_pupils) {
            if !pupils.is_empty() {
                *year_groups = split_out(std::mem::take(year_groups), pupils);
            }
        }
        let group_of: Vec<Vec<usize>> = plan
            .years
            .iter()
            .zip(groups.iter())
            .map(|(year, year_groups)| {
                let mut of = vec![0; year.pupils.len()];
                for (g, group) in year_groups.iter().enumerate() {
                    group.pupils.iter().for_each(|&p| of[p] = g);
                }
                of
            })
            .collect();
        let pairs: Vec<PairGroups> = acting
            .iter()
            .enumerate()
            .map(|(index, pair)| PairGroups {
                index,
                younger: (pair.younger_year, group_of[pair.younger_year][pair.younger]),
                older: (pair.older_year, group_of[pair.older_year][pair.older]),
            })
            .collect();
        let mut paired: Vec<Vec<bool>> = groups.iter().map(|g| vec![false; g.len()]).collect();
        for pair in &pairs {
            paired[pair.younger.0][pair.younger.1] = true;
            paired[pair.older.0][pair.older.1] = true;
        }
        let rules = &plan.years[0].rules;
        Pairing {
            pairs,
            paired,
            hard: rules.siblings_hard,
            weight_m: rules.sibling_weight_m,
        }
    }

    /// Whether group `g` of year `t` holds a paired pupil.
    pub fn is_paired(&self, t: usize, g: usize) -> bool {
        self.paired.get(t).and_then(|year| year.get(g)).copied().unwrap_or(false)
    }
}

/// The groups with every pupil of `pupils` in a (splittable) group of its
/// own; units and homes stay whole. Ordered by first pupil, as built.
fn split_out(groups: Vec<Group>, pupils: &BTreeSet<usize>) -> Vec<Group> {
    let mut out = Vec::with_capacity(groups.len() + pupils.len());
    for group in groups {
        if group.whole || group.pupils.len() == 1 || !group.pupils.iter().any(|p| pupils.contains(p)) {
            out.push(group);
            continue;
        }
        let per_pupil_migrants = u32::from(group.migrants > 0);
        let (alone, rest): (Vec<usize>, Vec<usize>) = group.pupils.iter().partition(|p| pupils.contains(p));
        for p in alone {
            out.push(Group {
                pupils: vec![p],
                migrants: per_pupil_migrants,
                ..group.clone()
            });
        }
        if !rest.is_empty() {
            out.push(Group {
                migrants: per_pupil_migrants * rest.len() as u32,
                pupils: rest,
                ..group
            });
        }
    }
    out.sort_by_key(|g| g.pupils[0]);
    out
}

/// How [`pair_terms`] ties a pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum PairRows {
    /// No rows (pairs priced at 0 in this model).
    None,
    /// `sibling_pair_same_school`: equal variables at every school.
    Equal,
    /// `sibling_pair_apart`: a split pair costs this much in the objective.
    Apart(f64),
}

/// The pair rows of a model and where their apart variables are.
pub(super) struct PairTerms {
    /// The rows, to add after every other row (so that the rows before keep their numbers).
    pub constraints: Vec<good_lp::Constraint>,
    /// Per pair with `Apart` rows: its index in `plan.siblings` and the columns of its `d_{ij,s}`.
    pub apart_columns: Vec<(usize, Vec<usize>)>,
}

/// Variables of a paired group's arcs: `(school, variable, column)`.
pub(super) type ArcVariables = Vec<(usize, good_lp::Variable, usize)>;

/// The pair rows (see the module documentation); `paired_vars[t][g]` holds
/// the arc variables of paired groups. Apart variables are added through
/// `add` and priced into `objective`.
pub(super) fn pair_terms(
    pairing: &Pairing,
    paired_vars: &[Vec<ArcVariables>],
    rows: PairRows,
    add: &mut dyn FnMut(good_lp::VariableDefinition) -> (good_lp::Variable, usize),
    objective: &mut good_lp::Expression,
) -> PairTerms {
    let mut terms = PairTerms {
        constraints: Vec::new(),
        apart_columns: Vec::new(),
    };
    if rows == PairRows::None {
        return terms;
    }
    for pair in &pairing.pairs {
        let younger = &paired_vars[pair.younger.0][pair.younger.1];
        let older = &paired_vars[pair.older.0][pair.older.1];
        let variable_at = |arcs: &ArcVariables, s: usize| arcs.iter().find(|a| a.0 == s).map(|a| a.1);
        let schools: BTreeSet<usize> = younger.iter().chain(older).map(|a| a.0).collect();
        let mut apart = Vec::new();
        for s in schools {
            let mut difference = good_lp::Expression::default();
            if let Some(x) = variable_at(younger, s) {
                difference += x;
            }
            if let Some(x) = variable_at(older, s) {
                difference -= x;
            }
            match rows {
                PairRows::Equal => terms.constraints.push(difference.eq(0.0)),
                PairRows::Apart(price) if variable_at(younger, s).is_some() => {
                    let (d, column) = add(good_lp::variable().min(0.0));
                    *objective += price * d;
                    terms.constraints.push((difference - d).leq(0.0));
                    apart.push(column);
                }
                _ => {}
            }
        }
        if let PairRows::Apart(_) = rows {
            terms.apart_columns.push((pair.index, apart));
        }
    }
    terms
}

/// The school of each pupil of a paired group in a solution (the arc whose
/// variable is set): `(year, pupil, school)`.
pub(super) fn paired_schools(
    groups: &[Vec<Group>],
    paired_columns: &[Vec<Vec<(usize, usize)>>],
    values: &[f64],
) -> Vec<(usize, usize, usize)> {
    let mut schools = Vec::new();
    for (t, year) in paired_columns.iter().enumerate() {
        for (g, arcs) in year.iter().enumerate() {
            let best = arcs.iter().max_by(|a, b| values[a.1].total_cmp(&values[b.1]));
            if let Some(&(school, _)) = best.filter(|a| values[a.1] > 0.5) {
                schools.extend(groups[t][g].pupils.iter().map(|&p| (t, p, school)));
            }
        }
    }
    schools
}
