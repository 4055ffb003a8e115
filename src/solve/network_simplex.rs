//! Min-cost flow by the primal network simplex method, on integer costs and
//! capacities (exact arithmetic: no tolerance anywhere).
//!
//! The problem: nodes with supplies `b_i` (sum 0), arcs `a = (u, v)` with
//! capacity `0 <= x_a <= cap_a` and cost `c_a`; minimise `sum c_a x_a` such
//! that for every node, flow out minus flow in is `b_i`.
//!
//! Method (Ahuja, Magnanti & Orlin, *Network Flows*, ch. 11): a spanning tree
//! of basic arcs over the nodes plus an artificial root, started from one
//! artificial arc per node at a cost higher than any path of real arcs;
//! node potentials `pi` with `c_a + pi_u - pi_v = 0` on tree arcs. An arc at
//! its lower bound with negative reduced cost `c_a + pi_u - pi_v`, or at its
//! upper bound with positive, enters (block search pricing); flow is pushed
//! round the cycle it closes, and the **last** blocking arc of the cycle,
//! walked from its apex in the direction of the push, leaves (Cunningham's
//! strongly feasible trees: no cycling on degenerate pivots). The subtree
//! cut off by the leaving arc is re-hung from the entering arc and its
//! potentials shifted. At the end, flow left on an artificial arc means the
//! supplies cannot be met; otherwise the flow is optimal and the potentials
//! prove it (every reduced cost has the sign its arc's bound allows).

/// An arc of a flow network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowArc {
    /// Tail node.
    pub from: usize,
    /// Head node.
    pub to: usize,
    /// Capacity, `>= 0`.
    pub capacity: i64,
    /// Cost per unit of flow.
    pub cost: i64,
}

/// A min-cost flow problem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlowNetwork {
    /// Supply of each node (negative: demand); they sum to 0.
    pub supply: Vec<i64>,
    /// The arcs.
    pub arcs: Vec<FlowArc>,
}

/// An optimal flow with the potentials that prove it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptimalFlow {
    /// Flow on each arc.
    pub flow: Vec<i64>,
    /// Potential of each node: `c_a + pi_u - pi_v` is `>= 0` on arcs with
    /// no flow, `<= 0` on saturated arcs, `0` in between.
    pub potential: Vec<i64>,
    /// Pivots made.
    pub pivots: u64,
}

/// The result of [`min_cost_flow`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowOutcome {
    /// An optimal flow.
    Optimal(OptimalFlow),
    /// No flow meets the supplies.
    Infeasible,
}

/// Solves the min-cost flow problem `network` (supplies summing to 0).
pub fn min_cost_flow(network: &FlowNetwork) -> FlowOutcome {
    let mut simplex = NetworkSimplex::new(&network.supply);
    for &arc in &network.arcs {
        simplex.add_arc(arc);
    }
    simplex.solve()
}

/// Where a non-tree arc rests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rest {
    Tree,
    Lower,
    Upper,
}

/// A network simplex that keeps its basis between solves: arcs may be added
/// and costs changed, and the next [`NetworkSimplex::solve`] starts from the
/// last optimal tree (still a feasible basis: a new arc rests at its lower
/// bound, a new cost only moves potentials).
pub struct NetworkSimplex {
    /// One artificial arc per node (index = node), then the real arcs.
    arcs: Vec<FlowArc>,
    flow: Vec<i64>,
    rest: Vec<Rest>,
    /// Per node (the last is the artificial root): parent, arc to it, depth, potential.
    parent: Vec<usize>,
    parent_arc: Vec<usize>,
    depth: Vec<usize>,
    potential: Vec<i64>,
    /// Tree arcs at each node.
    tree_arcs: Vec<Vec<usize>>,
    /// Nodes without the root.
    nodes: usize,
    /// Largest absolute cost of a real arc so far (sets the artificial cost).
    largest_cost: i64,
    next_block: usize,
    pivots: u64,
}

impl NetworkSimplex {
    /// A network of `supply.len()` nodes with these supplies and no arcs
    /// yet: every node hangs from the root by its artificial arc, which
    /// carries its supply (or demand).
    pub fn new(supply: &[i64]) -> Self {
        let n = supply.len();
        let root = n;
        let total_supply: i64 = supply.iter().filter(|&&b| b > 0).sum();
        let mut simplex = NetworkSimplex {
            arcs: Vec::with_capacity(n),
            flow: Vec::with_capacity(n),
            rest: Vec::with_capacity(n),
            parent: vec![root; n + 1],
            // Node i hangs by artificial arc i; the root by none.
            parent_arc: (0..n).chain([usize::MAX]).collect(),
            depth: vec![1; n + 1],
            potential: vec![0; n + 1],
            tree_arcs: vec![Vec::new(); n + 1],
            nodes: n,
            largest_cost: 0,
            next_block: 0,
            pivots: 0,
        };
        simplex.depth[root] = 0;
        for (i, &b) in supply.iter().enumerate() {
            let (from, to) = if b >= 0 { (i, root) } else { (root, i) };
            // Capacity above any flow: the start is strongly feasible (every
            // node can send flow to the root along its tree path).
            simplex.arcs.push(FlowArc {
                from,
                to,
                capacity: total_supply + 1,
                cost: 0,
            });
            simplex.flow.push(b.abs());
            simplex.rest.push(Rest::Tree);
            simplex.tree_arcs[i].push(i);
            simplex.tree_arcs[root].push(i);
        }
        simplex.set_artificial_costs();
        simplex
    }

    /// Adds an arc (at flow 0); returns its number among the real arcs.
    pub fn add_arc(&mut self, arc: FlowArc) -> usize {
        self.arcs.push(arc);
        self.flow.push(0);
        self.rest.push(Rest::Lower);
        if arc.cost.abs() > self.largest_cost {
            self.largest_cost = arc.cost.abs();
            self.set_artificial_costs();
        }
        self.arcs.len() - 1 - self.nodes
    }

    /// Changes the cost of real arc `arc`.
    pub fn set_cost(&mut self, arc: usize, cost: i64) {
        self.arcs[self.nodes + arc].cost = cost;
        if cost.abs() > self.largest_cost {
            self.largest_cost = cost.abs();
            self.set_artificial_costs();
        } else if self.rest[self.nodes + arc] == Rest::Tree {
            self.recompute_potentials();
        }
    }

    /// Real arcs so far.
    pub fn arc_count(&self) -> usize {
        self.arcs.len() - self.nodes
    }

    /// Pivots to optimality from the current basis.
    pub fn solve(&mut self) -> FlowOutcome {
        while let Some(entering) = self.entering_arc() {
            self.pivot(entering);
            self.pivots += 1;
        }
        if self.flow[..self.nodes].iter().any(|&f| f > 0) {
            return FlowOutcome::Infeasible;
        }
        FlowOutcome::Optimal(OptimalFlow {
            flow: self.flow[self.nodes..].to_vec(),
            potential: self.potential[..self.nodes].to_vec(),
            pivots: self.pivots,
        })
    }

    /// Artificial arcs cost more than any simple path of real arcs, so they
    /// carry flow at the optimum only when nothing else can.
    fn set_artificial_costs(&mut self) {
        let cost = (self.largest_cost + 1).saturating_mul(self.nodes as i64 + 1);
        for a in 0..self.nodes {
            self.arcs[a].cost = cost;
        }
        self.recompute_potentials();
    }

    /// Potentials (and parents, depths) from the root down the tree.
    fn recompute_potentials(&mut self) {
        self.update_below(self.nodes);
    }

    fn reduced_cost(&self, a: usize) -> i64 {
        let arc = &self.arcs[a];
        arc.cost + self.potential[arc.from] - self.potential[arc.to]
    }

    /// How much an arc violates optimality (0: it may not enter).
    fn violation(&self, a: usize) -> i64 {
        match self.rest[a] {
            Rest::Lower if self.arcs[a].capacity > 0 => (-self.reduced_cost(a)).max(0),
            Rest::Upper => self.reduced_cost(a).max(0),
            _ => 0,
        }
    }

    /// Block search: the most violating arc of the first block (in a
    /// circular scan from where the last search stopped) that has one.
    fn entering_arc(&mut self) -> Option<usize> {
        let m = self.arcs.len();
        let block = ((m as f64).sqrt().ceil() as usize).max(10);
        let mut best: Option<(i64, usize)> = None;
        for step in 0..m {
            let a = (self.next_block + step) % m;
            let v = self.violation(a);
            if v > 0 && best.is_none_or(|(bv, _)| v > bv) {
                best = Some((v, a));
            }
            if (step + 1) % block == 0 && best.is_some() {
                self.next_block = (a + 1) % m;
                return best.map(|(_, a)| a);
            }
        }
        best.map(|(_, a)| a)
    }

    /// The residual capacity of tree arc `a` when flow passes it from node `x` to the other end.
    fn residual_from(&self, a: usize, x: usize) -> i64 {
        if self.arcs[a].from == x {
            self.arcs[a].capacity - self.flow[a]
        } else {
            self.flow[a]
        }
    }

    fn join(&self, mut u: usize, mut v: usize) -> usize {
        while u != v {
            if self.depth[u] >= self.depth[v] {
                u = self.parent[u];
            } else {
                v = self.parent[v];
            }
        }
        u
    }

    /// One pivot on the entering arc (see the module doc for the rule).
    fn pivot(&mut self, entering: usize) {
        let arc = self.arcs[entering];
        let (first, second) = if self.rest[entering] == Rest::Lower {
            (arc.from, arc.to)
        } else {
            (arc.to, arc.from)
        };
        let apex = self.join(first, second);
        // Flow goes first -> second over the entering arc, then second up to
        // the apex and down to first. Ties: the last blocking arc walked
        // from the apex (first side strict, second side not).
        let mut delta = self.arcs[entering].capacity;
        let mut leaving = (entering, usize::MAX); // (arc, the node below it; MAX for the entering arc)
        let mut x = first;
        while x != apex {
            let a = self.parent_arc[x];
            let r = self.residual_from(a, self.parent[x]);
            if r < delta {
                delta = r;
                leaving = (a, x);
            }
            x = self.parent[x];
        }
        let mut x = second;
        while x != apex {
            let a = self.parent_arc[x];
            let r = self.residual_from(a, x);
            if r <= delta {
                delta = r;
                leaving = (a, x);
            }
            x = self.parent[x];
        }
        self.push_round_cycle(entering, first, second, apex, delta);
        if leaving.0 == entering {
            self.rest[entering] = if self.rest[entering] == Rest::Lower {
                Rest::Upper
            } else {
                Rest::Lower
            };
            return;
        }
        self.exchange(entering, leaving);
    }

    /// Sends `delta` round the cycle of the entering arc.
    fn push_round_cycle(&mut self, entering: usize, first: usize, second: usize, apex: usize, delta: i64) {
        if delta == 0 {
            return;
        }
        let forward = |s: &Self, a: usize, from: usize| s.arcs[a].from == from;
        if self.arcs[entering].from == first {
            self.flow[entering] += delta;
        } else {
            self.flow[entering] -= delta;
        }
        let mut x = first;
        while x != apex {
            let (a, p) = (self.parent_arc[x], self.parent[x]);
            if forward(self, a, p) {
                self.flow[a] += delta;
            } else {
                self.flow[a] -= delta;
            }
            x = p;
        }
        let mut x = second;
        while x != apex {
            let a = self.parent_arc[x];
            if forward(self, a, x) {
                self.flow[a] += delta;
            } else {
                self.flow[a] -= delta;
            }
            x = self.parent[x];
        }
    }

    /// Replaces the leaving tree arc (above node `below`) by the entering
    /// arc, and re-hangs the cut-off subtree from it.
    fn exchange(&mut self, entering: usize, (leaving, below): (usize, usize)) {
        let la = self.arcs[leaving];
        self.rest[leaving] = if self.flow[leaving] == 0 { Rest::Lower } else { Rest::Upper };
        self.tree_arcs[la.from].retain(|&a| a != leaving);
        self.tree_arcs[la.to].retain(|&a| a != leaving);
        let ea = self.arcs[entering];
        self.rest[entering] = Rest::Tree;
        self.tree_arcs[ea.from].push(entering);
        self.tree_arcs[ea.to].push(entering);
        // `below` heads the cut-off subtree; the end of the entering arc in it becomes its new top.
        let in_subtree = self.is_in_subtree(ea.from, below);
        let (top, hook) = if in_subtree { (ea.from, ea.to) } else { (ea.to, ea.from) };
        self.rehang(top, hook, entering);
    }

    /// Whether node `x` lies in the subtree headed by `head` (before it is re-hung).
    fn is_in_subtree(&self, mut x: usize, head: usize) -> bool {
        while self.depth[x] > self.depth[head] {
            x = self.parent[x];
        }
        x == head
    }

    /// Makes `top` a child of `hook` over `arc`, and recomputes parents,
    /// depths and potentials of the subtree below `top`.
    fn rehang(&mut self, top: usize, hook: usize, arc: usize) {
        self.set_child(top, hook, arc);
        self.update_below(top);
    }

    /// Recomputes parents, depths and potentials of every node below `top`,
    /// walking the tree arcs away from `top`'s own parent arc.
    fn update_below(&mut self, top: usize) {
        let mut stack = vec![top];
        while let Some(x) = stack.pop() {
            for i in 0..self.tree_arcs[x].len() {
                let a = self.tree_arcs[x][i];
                if a == self.parent_arc[x] {
                    continue;
                }
                let y = if self.arcs[a].from == x {
                    self.arcs[a].to
                } else {
                    self.arcs[a].from
                };
                self.set_child(y, x, a);
                stack.push(y);
            }
        }
    }

    fn set_child(&mut self, child: usize, parent: usize, arc: usize) {
        self.parent[child] = parent;
        self.parent_arc[child] = arc;
        self.depth[child] = self.depth[parent] + 1;
        let a = self.arcs[arc];
        // Tree arcs have reduced cost 0: pi_to = pi_from + c.
        self.potential[child] = if a.from == parent {
            self.potential[parent] + a.cost
        } else {
            self.potential[parent] - a.cost
        };
    }
}

/// Checks a flow and potentials against the problem: supplies met,
/// capacities kept, every reduced cost of the sign its arc allows. `None`
/// when they prove optimality, else what fails.
pub fn certificate_problem(network: &FlowNetwork, flow: &[i64], potential: &[i64]) -> Option<String> {
    let mut balance = network.supply.clone();
    for (a, (arc, &x)) in network.arcs.iter().zip(flow).enumerate() {
        if x < 0 || x > arc.capacity {
            return Some(format!("arc {a}: flow {x} outside [0, {}]", arc.capacity));
        }
        balance[arc.from] -= x;
        balance[arc.to] += x;
        let rc = arc.cost + potential[arc.from] - potential[arc.to];
        if (x < arc.capacity && rc < 0) || (x > 0 && rc > 0) {
            return Some(format!("arc {a}: reduced cost {rc} at flow {x} of {}", arc.capacity));
        }
    }
    balance
        .iter()
        .position(|&b| b != 0)
        .map(|i| format!("node {i}: supply not met by {}", balance[i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arc(from: usize, to: usize, capacity: i64, cost: i64) -> FlowArc {
        FlowArc { from, to, capacity, cost }
    }

    fn cost(network: &FlowNetwork, flow: &[i64]) -> i64 {
        network.arcs.iter().zip(flow).map(|(a, &x)| a.cost * x).sum()
    }

    #[test]
    fn a_hand_computed_transportation_problem() {
        // Two sources (3, 2), two sinks (-4, -1); costs s0->t0 1, s0->t1 5,
        // s1->t0 2, s1->t1 1. Optimum: s0->t0 3, s1->t0 1, s1->t1 1: 3 + 2 + 1 = 6.
        let network = FlowNetwork {
            supply: vec![3, 2, -4, -1],
            arcs: vec![arc(0, 2, 10, 1), arc(0, 3, 10, 5), arc(1, 2, 10, 2), arc(1, 3, 10, 1)],
        };
        let FlowOutcome::Optimal(opt) = min_cost_flow(&network) else {
            panic!("feasible")
        };
        assert_eq!(cost(&network, &opt.flow), 6);
        assert_eq!(opt.flow, vec![3, 0, 1, 1]);
        assert_eq!(certificate_problem(&network, &opt.flow, &opt.potential), None);
    }

    /// A small deterministic generator (xorshift), for random networks.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    /// A random transportation network: sources -> sinks -> one collector.
    fn random_network(rng: &mut Rng) -> FlowNetwork {
        let (sources, sinks) = (1 + rng.below(6) as usize, 1 + rng.below(4) as usize);
        let mut supply: Vec<i64> = (0..sources).map(|_| rng.below(5) as i64).collect();
        supply.extend(std::iter::repeat_n(0, sinks));
        let total: i64 = supply.iter().sum();
        supply.push(-total);
        let collector = sources + sinks;
        let mut arcs = Vec::new();
        for s in 0..sources {
            for t in 0..sinks {
                if rng.below(3) > 0 {
                    arcs.push(arc(s, sources + t, supply[s] + rng.below(2) as i64, rng.below(20) as i64));
                }
            }
        }
        for t in 0..sinks {
            arcs.push(arc(sources + t, collector, rng.below(8) as i64, 0));
        }
        FlowNetwork { supply, arcs }
    }

    /// The optimum of the network's LP by HiGHS (`None`: infeasible).
    fn highs_optimum(network: &FlowNetwork) -> Option<f64> {
        use good_lp::{Expression, ProblemVariables, Solution, SolverModel, constraint, highs, variable};
        let mut vars = ProblemVariables::new();
        let x: Vec<_> = network
            .arcs
            .iter()
            .map(|a| vars.add(variable().min(0.0).max(a.capacity as f64)))
            .collect();
        let objective: Expression = network.arcs.iter().zip(&x).map(|(a, &v)| a.cost as f64 * v).sum();
        let mut model = vars.minimise(objective.clone()).using(highs);
        model.set_verbose(false);
        for (i, &b) in network.supply.iter().enumerate() {
            let out: Expression = network.arcs.iter().zip(&x).filter(|(a, _)| a.from == i).map(|(_, &v)| v).sum();
            let inn: Expression = network.arcs.iter().zip(&x).filter(|(a, _)| a.to == i).map(|(_, &v)| v).sum();
            model = model.with(constraint!(out - inn == b as f64));
        }
        model.solve().ok().map(|s| s.eval(&objective))
    }

    #[test]
    fn random_networks_agree_with_highs_and_carry_their_proof() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let (mut feasible, mut infeasible) = (0, 0);
        for case in 0..300 {
            let network = random_network(&mut rng);
            match (min_cost_flow(&network), highs_optimum(&network)) {
                (FlowOutcome::Optimal(opt), Some(z)) => {
                    assert_eq!(cost(&network, &opt.flow) as f64, z.round(), "case {case}: {network:?}");
                    assert_eq!(certificate_problem(&network, &opt.flow, &opt.potential), None, "case {case}");
                    feasible += 1;
                }
                (FlowOutcome::Infeasible, None) => infeasible += 1,
                (ours, theirs) => panic!("case {case}: {ours:?} against HiGHS {theirs:?}: {network:?}"),
            }
        }
        assert!(
            feasible > 100 && infeasible > 20,
            "{feasible} feasible, {infeasible} infeasible cases"
        );
    }

    #[test]
    fn a_kept_basis_reaches_the_optimum_after_arcs_and_costs_change() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for case in 0..200 {
            let mut network = random_network(&mut rng);
            let half = network.arcs.len() / 2;
            let mut kept = NetworkSimplex::new(&network.supply);
            for &arc in &network.arcs[..half] {
                kept.add_arc(arc);
            }
            let _ = kept.solve();
            for &arc in &network.arcs[half..] {
                kept.add_arc(arc);
            }
            assert_same_optimum(&kept.solve(), &network, case);
            for a in 0..network.arcs.len() {
                if rng.below(3) == 0 {
                    network.arcs[a].cost = rng.below(40) as i64;
                    kept.set_cost(a, network.arcs[a].cost);
                }
            }
            assert_same_optimum(&kept.solve(), &network, case);
        }
    }

    fn assert_same_optimum(outcome: &FlowOutcome, network: &FlowNetwork, case: usize) {
        match (outcome, min_cost_flow(network)) {
            (FlowOutcome::Optimal(kept), FlowOutcome::Optimal(fresh)) => {
                assert_eq!(cost(network, &kept.flow), cost(network, &fresh.flow), "case {case}");
                assert_eq!(certificate_problem(network, &kept.flow, &kept.potential), None, "case {case}");
            }
            (FlowOutcome::Infeasible, FlowOutcome::Infeasible) => {}
            (kept, fresh) => panic!("case {case}: kept basis {kept:?}, fresh {fresh:?}"),
        }
    }

    #[test]
    fn capacities_force_the_dearer_route_and_shortage_is_infeasible() {
        // 0 -> 2 costs 1 but holds 2; the third unit takes 0 -> 1 -> 2 at 3.
        let network = FlowNetwork {
            supply: vec![3, 0, -3],
            arcs: vec![arc(0, 2, 2, 1), arc(0, 1, 5, 1), arc(1, 2, 5, 2)],
        };
        let FlowOutcome::Optimal(opt) = min_cost_flow(&network) else {
            panic!("feasible")
        };
        assert_eq!(cost(&network, &opt.flow), 2 + 3);
        let short = FlowNetwork {
            supply: vec![3, 0, -3],
            arcs: vec![arc(0, 2, 2, 1)],
        };
        assert_eq!(min_cost_flow(&short), FlowOutcome::Infeasible);
    }
}
