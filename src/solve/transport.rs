//! The transportation case as a min-cost flow: with the `previous_year`
//! basis every school's class size is known, so with splittable groups, no
//! move cap and no class minimum the problem is
//!
//! ```text
//! minimise   sum_gs c_gs x_gs
//! subject to sum_s x_gs = n_g                         (every pupil once)
//!            sum_g x_gs <= C_s kmax_s - r_s =: cap_s  (seats)
//!            0 <= x_gs <= n_g
//! ```
//!
//! (opening `kmax_s` classes costs nothing, so the seats are those of the
//! largest class count). This is a flow from the groups (supply `n_g`)
//! over the candidate arcs to the schools and on to one collector (demand
//! `N`, `cap_s` per school), solved by the network simplex
//! ([`super::network_simplex`]) instead of a general LP. Its node
//! potentials are the LP duals: `u_g = pi_T - pi_g`, `P_s = min(0, pi_s - pi_T)`,
//! so pricing, the certificate and the rest of the solve read them as they
//! read HiGHS's.
//!
//! Exactness: ways are integers of micrometres (`COST_SCALE`), and the
//! network simplex works exactly on them: the flow is optimal for the
//! rounded ways, so within `N` micrometres (half a micrometre per pupil and
//! solution) of the optimum of the real-valued ways.

use super::candidates::Arc;
use super::groups::Group;
use super::network_simplex::{FlowArc, FlowNetwork, FlowOutcome, min_cost_flow};
use super::outcome::Assignment;
use super::pricing::Duals;
use crate::model::{Instance, MigrationBasis};

/// Micrometres per metre: the integer unit of ways in the flow.
pub const COST_SCALE: f64 = 1e6;

/// Whether the instance is a transportation problem the flow core solves
/// (see the module doc): `previous_year` basis, splittable groups, no
/// `max_moves`, no `min_class_size`, every school's reserved seats within
/// its largest class count.
pub fn applies(instance: &Instance, groups: &[Group]) -> bool {
    let rules = &instance.rules;
    rules.migration_basis == MigrationBasis::PreviousYear
        && rules.max_moves.is_none()
        && rules.min_class_size.is_none()
        && groups.iter().all(|g| !g.whole)
        && (0..instance.schools.len()).all(|s| seats(instance, s) >= 0)
}

/// `cap_s`: the seats of school `s` at its largest class count, less its reserved seats.
fn seats(instance: &Instance, s: usize) -> i64 {
    let school = &instance.schools[s];
    let size = instance.rules.class_size_for(school.prev_migration_share) as i64;
    size * school.max_classes as i64 - school.reserved_seats as i64
}

/// One flow over the candidate arcs.
pub struct TransportRound {
    /// The duals read off the node potentials (`lp_value`: the flow's cost in metres).
    pub duals: Duals,
    /// Arcs with flow, and the pupils on each.
    pub flows: Vec<(Arc, i64)>,
    /// Pupils left unassigned (only with an unassigned price).
    pub unassigned: i64,
    /// Nodes and arcs of the network.
    pub size: (usize, usize),
    /// Pivots of the network simplex.
    pub pivots: u64,
}

/// Solves the flow over `arcs` (per group); with `unassigned_price`, every
/// group may also leave pupils unassigned at that price per pupil (so the
/// flow always exists). `None`: no flow meets the supplies.
pub fn solve_round(instance: &Instance, groups: &[Group], arcs: &[Vec<Arc>], unassigned_price: Option<f64>) -> Option<TransportRound> {
    let (network, order) = network(instance, groups, arcs, unassigned_price);
    let FlowOutcome::Optimal(optimum) = min_cost_flow(&network) else {
        return None;
    };
    let (g_count, s_count) = (groups.len(), instance.schools.len());
    let collector = g_count + s_count;
    let pi = |node: usize| optimum.potential[node] as f64 / COST_SCALE;
    let mut duals = Duals::zero(instance, g_count);
    for g in 0..g_count {
        duals.group[g] = pi(collector) - pi(g);
    }
    for s in 0..s_count {
        duals.seats[0][s] = (pi(g_count + s) - pi(collector)).min(0.0);
    }
    let flows: Vec<(Arc, i64)> = order
        .iter()
        .zip(&optimum.flow)
        .filter(|&(_, &x)| x > 0)
        .map(|(arc, &x)| (*arc, x))
        .collect();
    let unassigned: i64 = optimum.flow[order.len()..order.len() + unassigned_arcs(g_count, unassigned_price)]
        .iter()
        .sum();
    let way: f64 = flows.iter().map(|(arc, x)| arc.cost_m * *x as f64).sum();
    duals.lp_value = way + unassigned_price.unwrap_or(0.0) * unassigned as f64;
    Some(TransportRound {
        duals,
        flows,
        unassigned,
        size: (network.supply.len(), network.arcs.len()),
        pivots: optimum.pivots,
    })
}

fn unassigned_arcs(groups: usize, price: Option<f64>) -> usize {
    if price.is_some() { groups } else { 0 }
}

/// The network (see the module doc) and the candidate arcs in the order of
/// its first arcs; then the unassigned arcs (with a price), then one
/// school -> collector arc per school.
fn network(instance: &Instance, groups: &[Group], arcs: &[Vec<Arc>], unassigned_price: Option<f64>) -> (FlowNetwork, Vec<Arc>) {
    let (g_count, s_count) = (groups.len(), instance.schools.len());
    let collector = g_count + s_count;
    let scaled = |m: f64| (m * COST_SCALE).round() as i64;
    let mut supply: Vec<i64> = groups.iter().map(|g| g.size() as i64).collect();
    supply.extend(std::iter::repeat_n(0, s_count));
    supply.push(-(instance.pupils.len() as i64));
    let order: Vec<Arc> = arcs.iter().flatten().copied().collect();
    let mut flow_arcs: Vec<FlowArc> = order
        .iter()
        .map(|a| FlowArc {
            from: a.group,
            to: g_count + a.school,
            capacity: groups[a.group].size() as i64,
            cost: scaled(a.cost_m),
        })
        .collect();
    if let Some(price) = unassigned_price {
        flow_arcs.extend(groups.iter().enumerate().map(|(g, group)| FlowArc {
            from: g,
            to: collector,
            capacity: group.size() as i64,
            cost: scaled(price),
        }));
    }
    flow_arcs.extend((0..s_count).map(|s| FlowArc {
        from: g_count + s,
        to: collector,
        capacity: seats(instance, s),
        cost: 0,
    }));
    (FlowNetwork { supply, arcs: flow_arcs }, order)
}

/// The pupils of each group spread over its arcs with flow (in arc order).
pub fn assignment_of(instance: &Instance, groups: &[Group], flows: &[(Arc, i64)]) -> Assignment {
    let mut school_of = vec![usize::MAX; instance.pupils.len()];
    let mut next = vec![0usize; groups.len()];
    for (arc, x) in flows {
        for _ in 0..*x {
            if let Some(&p) = groups[arc.group].pupils.get(next[arc.group]) {
                school_of[p] = arc.school;
                next[arc.group] += 1;
            }
        }
    }
    Assignment { school_of }
}
