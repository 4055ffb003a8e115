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
//! Between pricing rounds the network is kept ([`FlowCore`]): the arcs
//! that priced out are added and the simplex goes on from its last basis.
//!
//! Exactness: ways are integers of micrometres (`COST_SCALE`), and the
//! network simplex works exactly on them: the flow is optimal for the
//! rounded ways, so within `N` micrometres (half a micrometre per pupil and
//! solution) of the optimum of the real-valued ways.

use super::candidates::Arc;
use super::groups::Group;
use super::network_simplex::{FlowArc, FlowOutcome, NetworkSimplex};
use super::outcome::Assignment;
use super::pricing::Duals;
use crate::model::{Instance, MigrationBasis};

/// Micrometres per metre: the integer unit of ways in the flow.
pub const COST_SCALE: f64 = 1e6;

/// Whether the instance is a transportation problem the flow core solves
/// (see the module doc): `previous_year` basis, splittable groups, no
/// `max_moves`, no `min_class_size`, no balance rule, no `max_school_change`
/// (the way caps only remove arcs, which the flow keeps), every school's reserved seats within
/// its largest class count.
pub fn applies(instance: &Instance, groups: &[Group]) -> bool {
    let rules = &instance.rules;
    rules.migration_basis == MigrationBasis::PreviousYear
        && rules.max_moves.is_none()
        && rules.min_class_size.is_none()
        && !rules.has_balance_rules()
        && rules.max_school_change.is_none()
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
    /// Pivots of the network simplex so far.
    pub pivots: u64,
}

/// What an arc of the network stands for.
#[derive(Debug, Clone, Copy)]
enum Role {
    /// School `s` -> collector, capacity `cap_s`.
    Seats,
    /// Group -> collector: pupils left unassigned, at a price.
    Unassigned,
    /// A candidate arc group -> school.
    Candidate(Arc),
}

/// The flow network of an instance, kept between pricing rounds: new
/// candidate arcs are added and the unassigned price changed, and each
/// round's network simplex starts from the last round's optimal basis.
pub struct FlowCore {
    simplex: NetworkSimplex,
    roles: Vec<Role>,
    /// One bit per (group, school): whether its arc is in the network.
    present: Vec<u64>,
    groups: usize,
    schools: usize,
    unassigned_price: Option<f64>,
    /// Whether the first arcs were added (and the start set from them).
    started: bool,
    /// `cap_s` of each school.
    seats: Vec<i64>,
}

impl FlowCore {
    /// The network with its seats arcs and, with `unassigned_price`, one
    /// unassigned arc per group at that price; no candidate arc yet.
    pub fn new(instance: &Instance, groups: &[Group], unassigned_price: Option<f64>) -> Self {
        let (g_count, s_count) = (groups.len(), instance.schools.len());
        let collector = g_count + s_count;
        let mut supply: Vec<i64> = groups.iter().map(|g| g.size() as i64).collect();
        supply.extend(std::iter::repeat_n(0, s_count));
        supply.push(-(instance.pupils.len() as i64));
        let mut core = FlowCore {
            simplex: NetworkSimplex::new(&supply),
            roles: Vec::new(),
            present: vec![0; (g_count * s_count).div_ceil(64)],
            groups: g_count,
            schools: s_count,
            unassigned_price,
            started: false,
            seats: (0..s_count).map(|s| seats(instance, s)).collect(),
        };
        for s in 0..s_count {
            core.add(
                FlowArc {
                    from: g_count + s,
                    to: collector,
                    capacity: core.seats[s],
                    cost: 0,
                },
                Role::Seats,
            );
        }
        if let Some(price) = unassigned_price {
            for (g, group) in groups.iter().enumerate() {
                let arc = FlowArc {
                    from: g,
                    to: collector,
                    capacity: group.size() as i64,
                    cost: scaled(price),
                };
                core.add(arc, Role::Unassigned);
            }
        }
        core
    }

    fn add(&mut self, arc: FlowArc, role: Role) {
        self.simplex.add_arc(arc);
        self.roles.push(role);
    }

    /// Adds the candidate arcs of `arcs` (per group) not in the network
    /// yet. The first time, before any solve, the network simplex starts
    /// from a greedy assignment over them (see [`FlowCore::greedy_start`]).
    pub fn add_arcs(&mut self, groups: &[Group], arcs: &[Vec<Arc>]) {
        let first_new = self.roles.len();
        for arc in arcs.iter().flatten() {
            let (word, bit) = (
                (arc.group * self.schools + arc.school) / 64,
                (arc.group * self.schools + arc.school) % 64,
            );
            if self.present[word] & (1 << bit) == 0 {
                self.present[word] |= 1 << bit;
                let flow_arc = FlowArc {
                    from: arc.group,
                    to: self.groups + arc.school,
                    // One above what the group can send (a group has no
                    // arc in): never binding, so a group hung from its
                    // school in the start can still send more up.
                    capacity: groups[arc.group].size() as i64 + 1,
                    cost: scaled(arc.cost_m),
                };
                self.add(flow_arc, Role::Candidate(*arc));
            }
        }
        if !self.started {
            self.started = true;
            self.greedy_start(groups, first_new);
        }
    }

    /// The start of the first solve: candidate arcs (from real arc
    /// `first_new` on) by increasing way, each group hung whole from the
    /// first whose school still has more free seats than the group has
    /// pupils (one seat kept free keeps the school's seats arc below its
    /// capacity), the schools from the collector by their seats arcs, the
    /// rest from the root by their artificial arcs; at least one group
    /// stays there, so that the collector's artificial arc carries flow
    /// (a strongly feasible start). Any start leads to the same optimum; a
    /// good one spares most of the pivots.
    fn greedy_start(&mut self, groups: &[Group], first_new: usize) {
        let mut free = self.seats.clone();
        let mut hang = vec![None; self.groups + self.schools + 1];
        let mut order: Vec<(f64, usize)> = (first_new..self.roles.len())
            .filter_map(|a| match self.roles[a] {
                Role::Candidate(arc) => Some((arc.cost_m, a)),
                _ => None,
            })
            .collect();
        order.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        let mut last_hung = None;
        for (_, a) in order {
            let Role::Candidate(arc) = self.roles[a] else { continue };
            let size = groups[arc.group].size() as i64;
            if hang[arc.group].is_none() && free[arc.school] > size {
                hang[arc.group] = Some(a);
                free[arc.school] -= size;
                last_hung = Some(arc.group);
            }
        }
        if let Some(g) = last_hung.filter(|_| hang[..self.groups].iter().all(Option::is_some)) {
            hang[g] = None;
        }
        for s in (0..self.schools).filter(|&s| self.seats[s] > 0) {
            // The seats arcs come first, one per school in order.
            hang[self.groups + s] = Some(s);
        }
        self.simplex.try_start_tree(&hang);
    }

    /// Raises the price of leaving a pupil unassigned (a network made with one).
    pub fn set_unassigned_price(&mut self, price: f64) {
        self.unassigned_price = Some(price);
        for a in 0..self.roles.len() {
            if matches!(self.roles[a], Role::Unassigned) {
                self.simplex.set_cost(a, scaled(price));
            }
        }
    }

    /// Solves the flow from the kept basis. `None`: no flow meets the supplies.
    pub fn solve(&mut self, instance: &Instance) -> Option<TransportRound> {
        let FlowOutcome::Optimal(optimum) = self.simplex.solve() else {
            return None;
        };
        let collector = self.groups + self.schools;
        let pi = |node: usize| optimum.potential[node] as f64 / COST_SCALE;
        let mut duals = Duals::zero(instance, self.groups);
        for g in 0..self.groups {
            duals.group[g] = pi(collector) - pi(g);
        }
        for s in 0..self.schools {
            duals.seats[0][s] = (pi(self.groups + s) - pi(collector)).min(0.0);
        }
        let (mut flows, mut unassigned, mut way) = (Vec::new(), 0, 0.0);
        for (role, &x) in self.roles.iter().zip(&optimum.flow).filter(|&(_, &x)| x > 0) {
            match role {
                Role::Candidate(arc) => {
                    way += arc.cost_m * x as f64;
                    flows.push((*arc, x));
                }
                Role::Unassigned => unassigned += x,
                Role::Seats => {}
            }
        }
        duals.lp_value = way + self.unassigned_price.unwrap_or(0.0) * unassigned as f64;
        Some(TransportRound {
            duals,
            flows,
            unassigned,
            size: (collector + 1, self.simplex.arc_count()),
            pivots: optimum.pivots,
        })
    }
}

fn scaled(metres: f64) -> i64 {
    (metres * COST_SCALE).round() as i64
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
