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

/// What the entering-arc search reads of an arc, packed for a linear scan:
/// its cost and ends, and the sign that turns its reduced cost into its
/// violation (`1` at the lower bound, `-1` at the upper, `0` when it may
/// not enter: in the tree, or at the lower bound of a zero capacity).
#[derive(Debug, Clone, Copy)]
struct ScanArc {
    cost: i64,
    from: u32,
    to: u32,
    sign: i64,
}

impl ScanArc {
    /// `-sign * rc`: positive when the arc violates optimality, by that much.
    fn violation(&self, potential: &[i64]) -> i64 {
        -self.sign * (self.cost + potential[self.from as usize] - potential[self.to as usize])
    }
}

/// A network simplex that keeps its basis between solves: arcs may be added
/// and costs changed, and the next [`NetworkSimplex::solve`] starts from the
/// last optimal tree (still a feasible basis: a new arc rests at its lower
/// bound, a new cost only moves potentials).
///
/// The tree is kept as parent pointers plus a *thread*: the nodes in
/// preorder as a circular list through the root, so that a subtree is a
/// run of the thread, `size` nodes long from its top. A pivot re-hangs the
/// subtree cut off by the leaving arc: its run is taken out, reordered for
/// its new top (the path up from the new top to the old one is reversed)
/// and put in again after the node it now hangs from; its potentials all
/// shift by one amount. The subtree sizes change only on the cycle and on
/// the reversed path, and they find the cycle's apex (a node's ancestors
/// are larger than it).
pub struct NetworkSimplex {
    /// One artificial arc per node (index = node), then the real arcs.
    arcs: Vec<FlowArc>,
    /// The same arcs as the entering-arc search reads them.
    scan: Vec<ScanArc>,
    flow: Vec<i64>,
    rest: Vec<Rest>,
    /// Per node (the last is the artificial root): parent, arc to it,
    /// potential, next and previous node in preorder, nodes in its subtree.
    parent: Vec<usize>,
    parent_arc: Vec<usize>,
    potential: Vec<i64>,
    thread: Vec<usize>,
    rev_thread: Vec<usize>,
    size: Vec<usize>,
    /// Working buffers of a pivot, kept to spare their allocation: the
    /// re-hung subtree in old and in new preorder, the path from its new top
    /// up to its old one, each node's place on that path (`usize::MAX`:
    /// none), and where each stem node's run starts in `old_order`.
    old_order: Vec<usize>,
    new_order: Vec<usize>,
    stem: Vec<usize>,
    stem_place: Vec<usize>,
    stem_start: Vec<usize>,
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
            scan: Vec::with_capacity(n),
            flow: Vec::with_capacity(n),
            rest: Vec::with_capacity(n),
            parent: vec![root; n + 1],
            // Node i hangs by artificial arc i; the root by none.
            parent_arc: (0..n).chain([usize::MAX]).collect(),
            potential: vec![0; n + 1],
            // Preorder: the root, then the nodes in their order.
            thread: (1..=n).chain([0]).collect(),
            rev_thread: [n].into_iter().chain(0..n).collect(),
            size: std::iter::repeat_n(1, n).chain([n + 1]).collect(),
            old_order: Vec::new(),
            new_order: Vec::new(),
            stem: Vec::new(),
            stem_place: vec![usize::MAX; n + 1],
            stem_start: Vec::new(),
            nodes: n,
            largest_cost: 0,
            next_block: 0,
            pivots: 0,
        };
        for (i, &b) in supply.iter().enumerate() {
            let (from, to) = if b >= 0 { (i, root) } else { (root, i) };
            // Capacity above any flow: the start is strongly feasible (every
            // node can send flow to the root along its tree path).
            simplex.push_arc(FlowArc {
                from,
                to,
                capacity: total_supply + 1,
                cost: 0,
            });
            simplex.flow.push(b.abs());
            simplex.set_rest(i, Rest::Tree);
        }
        simplex.set_artificial_costs();
        simplex
    }

    /// Adds an arc (at flow 0); returns its number among the real arcs.
    pub fn add_arc(&mut self, arc: FlowArc) -> usize {
        self.push_arc(arc);
        self.flow.push(0);
        self.set_rest(self.arcs.len() - 1, Rest::Lower);
        if arc.cost.abs() > self.largest_cost {
            self.largest_cost = arc.cost.abs();
            self.set_artificial_costs();
        }
        self.arcs.len() - 1 - self.nodes
    }

    /// Changes the cost of real arc `arc`.
    pub fn set_cost(&mut self, arc: usize, cost: i64) {
        self.set_arc_cost(self.nodes + arc, cost);
        if cost.abs() > self.largest_cost {
            self.largest_cost = cost.abs();
            self.set_artificial_costs();
        } else if self.rest[self.nodes + arc] == Rest::Tree {
            self.recompute_potentials();
        }
    }

    /// Before the first pivot (all real arcs at flow 0, the tree the star
    /// of artificial arcs), starts from another spanning tree instead:
    /// node `i` hangs from the other end of real arc `hang[i]`, or from the
    /// root by its artificial arc for `None`. The tree arcs carry what their
    /// subtrees supply; the start is taken only when every flow is within
    /// its arc's capacity and every node can send more to the root along
    /// its path (a strongly feasible tree, whatever the arcs' directions).
    /// Returns whether it was taken; if not, the star stays.
    pub fn try_start_tree(&mut self, hang: &[Option<usize>]) -> bool {
        let (n, root) = (self.nodes, self.nodes);
        if self.pivots > 0 || hang.len() != n || self.flow[n..].iter().any(|&x| x != 0) {
            return false;
        }
        let Some(parents) = self.start_parents(hang) else {
            return false;
        };
        let Some(preorder) = preorder_of(&parents, root) else {
            return false;
        };
        let Some(net) = self.start_flows(&parents, &preorder) else {
            return false;
        };
        for (x, &(p, a)) in parents.iter().enumerate() {
            let flow = if a == x || self.arcs[a].from == x { net[x] } else { -net[x] };
            if a != x {
                // x's artificial arc leaves the tree (at flow 0).
                self.set_rest(x, Rest::Lower);
                self.flow[x] = 0;
                self.set_rest(a, Rest::Tree);
            } else {
                let (from, to) = if net[x] >= 0 { (x, root) } else { (root, x) };
                (self.arcs[x].from, self.arcs[x].to) = (from, to);
                (self.scan[x].from, self.scan[x].to) = (from as u32, to as u32);
            }
            self.flow[a] = flow.abs();
            (self.parent[x], self.parent_arc[x]) = (p, a);
        }
        self.set_thread(&preorder);
        self.recompute_potentials();
        true
    }

    /// Per node of a start tree: its parent and the arc to it (`hang`'s
    /// real arc, or its artificial arc to the root); `None` when an arc of
    /// `hang` is not one of its node's arcs.
    fn start_parents(&self, hang: &[Option<usize>]) -> Option<Vec<(usize, usize)>> {
        hang.iter()
            .enumerate()
            .map(|(x, arc)| match *arc {
                None => Some((self.nodes, x)),
                Some(real) => {
                    let a = self.nodes + real;
                    let FlowArc { from, to, .. } = *self.arcs.get(a)?;
                    match (from == x, to == x) {
                        (true, false) => Some((to, a)),
                        (false, true) => Some((from, a)),
                        _ => None,
                    }
                }
            })
            .collect()
    }

    /// What each node sends up to its parent in the start tree `parents`
    /// (its subtree's supply; its parent arc carries it forwards or
    /// backwards), or `None` when a flow breaks its arc's capacity or leaves
    /// no room towards the root.
    fn start_flows(&self, parents: &[(usize, usize)], preorder: &[usize]) -> Option<Vec<i64>> {
        let root = self.nodes;
        // The star's artificial flows are the supplies.
        let mut net: Vec<i64> = (0..self.nodes)
            .map(|x| if self.arcs[x].from == x { self.flow[x] } else { -self.flow[x] })
            .collect();
        for &x in preorder.iter().rev().filter(|&&x| x != root) {
            let p = parents[x].0;
            if p != root {
                net[p] += net[x];
            }
        }
        for (x, &(_, a)) in parents.iter().enumerate() {
            let arc = self.arcs[a];
            let (flow, room) = if a == x {
                (net[x].abs(), arc.capacity - net[x].abs())
            } else if arc.from == x {
                (net[x], arc.capacity - net[x])
            } else {
                (-net[x], -net[x])
            };
            if flow < 0 || flow > arc.capacity || room <= 0 {
                return None;
            }
        }
        Some(net)
    }

    /// Sets the thread and the subtree sizes from a preorder of the tree.
    fn set_thread(&mut self, preorder: &[usize]) {
        let root = self.nodes;
        for (i, &x) in preorder.iter().enumerate() {
            let next = preorder[(i + 1) % preorder.len()];
            self.thread[x] = next;
            self.rev_thread[next] = x;
            self.size[x] = 1;
        }
        for &x in preorder.iter().rev().filter(|&&x| x != root) {
            self.size[self.parent[x]] += self.size[x];
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
            self.set_arc_cost(a, cost);
        }
        self.recompute_potentials();
    }

    /// Appends an arc (its flow and rest are set by the caller).
    fn push_arc(&mut self, arc: FlowArc) {
        let end = |node: usize| u32::try_from(node).expect("fewer than 2^32 nodes");
        self.scan.push(ScanArc {
            cost: arc.cost,
            from: end(arc.from),
            to: end(arc.to),
            sign: 0,
        });
        self.arcs.push(arc);
        self.rest.push(Rest::Lower);
    }

    /// Sets where arc `a` rests, and with it the sign of its violation.
    fn set_rest(&mut self, a: usize, rest: Rest) {
        self.rest[a] = rest;
        self.scan[a].sign = match rest {
            Rest::Lower if self.arcs[a].capacity > 0 => 1,
            Rest::Upper => -1,
            _ => 0,
        };
    }

    fn set_arc_cost(&mut self, a: usize, cost: i64) {
        self.arcs[a].cost = cost;
        self.scan[a].cost = cost;
    }

    /// Potentials from the root down the tree, in preorder (a node's parent comes before it).
    fn recompute_potentials(&mut self) {
        let root = self.nodes;
        let mut x = self.thread[root];
        while x != root {
            self.potential[x] = self.potential_below(self.parent[x], self.parent_arc[x]);
            x = self.thread[x];
        }
    }

    /// The potential of the node that hangs from `parent` over tree arc
    /// `arc` (tree arcs have reduced cost 0: `pi_to = pi_from + c`).
    fn potential_below(&self, parent: usize, arc: usize) -> i64 {
        let a = &self.arcs[arc];
        if a.from == parent {
            self.potential[parent] + a.cost
        } else {
            self.potential[parent] - a.cost
        }
    }

    /// Block search: the most violating arc of the first block (in a
    /// circular scan from where the last search stopped) that has one;
    /// ties go to the first found.
    fn entering_arc(&mut self) -> Option<usize> {
        let m = self.scan.len();
        let block = ((m as f64).sqrt().ceil() as usize).max(10);
        let (mut best_violation, mut best) = (0, None);
        let (mut a, mut in_block) = (self.next_block, 0);
        for _ in 0..m {
            let v = self.scan[a].violation(&self.potential);
            if v > best_violation {
                (best_violation, best) = (v, Some(a));
            }
            a = if a + 1 == m { 0 } else { a + 1 };
            in_block += 1;
            if in_block == block {
                if best.is_some() {
                    self.next_block = a;
                    return best;
                }
                in_block = 0;
            }
        }
        best
    }

    /// The residual capacity of tree arc `a` when flow passes it from node `x` to the other end.
    fn residual_from(&self, a: usize, x: usize) -> i64 {
        if self.arcs[a].from == x {
            self.arcs[a].capacity - self.flow[a]
        } else {
            self.flow[a]
        }
    }

    /// The nearest common ancestor of `u` and `v`: the smaller subtree's
    /// top cannot be an ancestor of the other node, so it moves up.
    fn join(&self, mut u: usize, mut v: usize) -> usize {
        while u != v {
            if self.size[u] < self.size[v] {
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
        let mut on_first_side = false;
        let mut x = first;
        while x != apex {
            let a = self.parent_arc[x];
            let r = self.residual_from(a, self.parent[x]);
            if r < delta {
                delta = r;
                leaving = (a, x);
                on_first_side = true;
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
                on_first_side = false;
            }
            x = self.parent[x];
        }
        self.push_round_cycle(entering, first, second, apex, delta);
        if leaving.0 == entering {
            let flipped = if self.rest[entering] == Rest::Lower {
                Rest::Upper
            } else {
                Rest::Lower
            };
            self.set_rest(entering, flipped);
            return;
        }
        // The end of the entering arc on the leaving arc's side is cut off with it.
        let (top, hook) = if on_first_side { (first, second) } else { (second, first) };
        self.exchange(entering, leaving, top, hook, apex);
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
    /// arc, which joins `top` (in the subtree cut off below the leaving arc)
    /// to `hook` (outside it), and re-hangs that subtree from `hook`.
    fn exchange(&mut self, entering: usize, (leaving, below): (usize, usize), top: usize, hook: usize, apex: usize) {
        let rest = if self.flow[leaving] == 0 { Rest::Lower } else { Rest::Upper };
        self.set_rest(leaving, rest);
        self.set_rest(entering, Rest::Tree);
        let cut = self.size[below];
        // Sizes on the cycle: the old ancestors below the apex lose the
        // subtree, the new ones gain it; the apex and above keep theirs.
        let mut x = self.parent[below];
        while x != apex {
            self.size[x] -= cut;
            x = self.parent[x];
        }
        let mut x = hook;
        while x != apex {
            self.size[x] += cut;
            x = self.parent[x];
        }
        let shift = self.potential_below(hook, entering) - self.potential[top];
        if top == below {
            self.move_run(below, hook, entering, shift);
            return;
        }
        self.cut_out(below, top);
        self.reverse_stem(hook, entering, cut);
        self.put_in(hook, shift);
    }

    /// The re-hung subtree keeps its top `below` (the entering arc meets the
    /// subtree there): its run of the thread moves whole to right after
    /// `hook`, its potentials shift by `shift`, and `below` hangs from
    /// `hook` over `entering`.
    fn move_run(&mut self, below: usize, hook: usize, entering: usize, shift: i64) {
        let mut last = below;
        self.potential[below] += shift;
        for _ in 1..self.size[below] {
            last = self.thread[last];
            self.potential[last] += shift;
        }
        let (before, after) = (self.rev_thread[below], self.thread[last]);
        self.thread[before] = after;
        self.rev_thread[after] = before;
        let next = self.thread[hook];
        self.thread[hook] = below;
        self.rev_thread[below] = hook;
        self.thread[last] = next;
        self.rev_thread[next] = last;
        self.parent[below] = hook;
        self.parent_arc[below] = entering;
    }

    /// Takes the subtree of `below` out of the thread into `old_order`, and
    /// the path from `top` up to `below` into `stem`, with their places.
    fn cut_out(&mut self, below: usize, top: usize) {
        self.stem.clear();
        let mut x = top;
        loop {
            self.stem_place[x] = self.stem.len();
            self.stem.push(x);
            if x == below {
                break;
            }
            x = self.parent[x];
        }
        self.old_order.clear();
        let mut x = below;
        for _ in 0..self.size[below] {
            self.old_order.push(x);
            x = self.thread[x];
        }
        let before = self.rev_thread[below];
        self.thread[before] = x;
        self.rev_thread[x] = before;
    }

    /// Re-hangs the cut-off subtree (`cut` nodes) from its new top
    /// `stem[0]`: the new preorder into `new_order`, and the parents, arcs
    /// and sizes of the stem reversed; `stem[0]` hangs from `hook` over `entering`.
    fn reverse_stem(&mut self, hook: usize, entering: usize, cut: usize) {
        // In old preorder, stem node i's run holds stem node i-1's run:
        // [s_i, A, run of s_(i-1), B]. New preorder: run of s_0, then each
        // s_i followed by its A and B.
        let mut start = std::mem::take(&mut self.stem_start);
        start.clear();
        start.resize(self.stem.len(), 0);
        for (p, &x) in self.old_order.iter().enumerate() {
            if self.stem_place[x] != usize::MAX {
                start[self.stem_place[x]] = p;
            }
        }
        self.new_order.clear();
        let s0 = self.stem[0];
        self.new_order
            .extend_from_slice(&self.old_order[start[0]..start[0] + self.size[s0]]);
        for i in 1..self.stem.len() {
            let (s, inner) = (self.stem[i], self.stem[i - 1]);
            let (own_end, inner_end) = (start[i] + self.size[s], start[i - 1] + self.size[inner]);
            self.new_order.push(s);
            self.new_order.extend_from_slice(&self.old_order[start[i] + 1..start[i - 1]]);
            self.new_order.extend_from_slice(&self.old_order[inner_end..own_end]);
        }
        // From the old top down, so that each step reads its child's old values.
        for i in (1..self.stem.len()).rev() {
            let (s, inner) = (self.stem[i], self.stem[i - 1]);
            self.size[s] = cut - self.size[inner];
            self.parent[s] = inner;
            self.parent_arc[s] = self.parent_arc[inner];
        }
        self.size[s0] = cut;
        self.parent[s0] = hook;
        self.parent_arc[s0] = entering;
        for &x in &self.stem {
            self.stem_place[x] = usize::MAX;
        }
        self.stem_start = start;
    }

    /// What is wrong with the kept tree, if anything: every node on the
    /// thread once, each after its parent and within its parent's run,
    /// sizes the runs' lengths, tree arcs of reduced cost 0, flows within
    /// their capacities and the rests matching the flows.
    #[cfg(test)]
    fn tree_problem(&self) -> Option<String> {
        let root = self.nodes;
        let mut order = vec![root];
        let mut x = self.thread[root];
        while x != root && order.len() <= root + 1 {
            order.push(x);
            x = self.thread[x];
        }
        if order.len() != root + 1 {
            return Some(format!("thread holds {} of {} nodes", order.len(), root + 1));
        }
        let mut place = vec![0; root + 1];
        for (p, &x) in order.iter().enumerate() {
            place[x] = p;
            if self.rev_thread[self.thread[x]] != x {
                return Some(format!("rev_thread broken at node {x}"));
            }
        }
        for &x in &order[1..] {
            let (p, a) = (self.parent[x], self.parent_arc[x]);
            let within = place[p] < place[x] && place[x] + self.size[x] <= place[p] + self.size[p];
            if !within {
                return Some(format!("node {x} outside the run of its parent {p}"));
            }
            let ends = (self.arcs[a].from, self.arcs[a].to);
            if ends != (x, p) && ends != (p, x) || self.rest[a] != Rest::Tree {
                return Some(format!("node {x}: arc {a} is not its tree arc to {p}"));
            }
            if self.potential[x] != self.potential_below(p, a) {
                return Some(format!("node {x}: potential {} off", self.potential[x]));
            }
            let children: usize = order
                .iter()
                .filter(|&&c| c != root && self.parent[c] == x)
                .map(|&c| self.size[c])
                .sum();
            if self.size[x] != children + 1 {
                return Some(format!("node {x}: size {} against {} below", self.size[x], children + 1));
            }
        }
        let tree_arcs = self.rest.iter().filter(|&&r| r == Rest::Tree).count();
        if tree_arcs != root {
            return Some(format!("{tree_arcs} tree arcs for {root} nodes"));
        }
        (0..self.arcs.len()).find_map(|a| {
            let (x, cap) = (self.flow[a], self.arcs[a].capacity);
            let bad = x < 0 || x > cap || (self.rest[a] == Rest::Lower && x != 0) || (self.rest[a] == Rest::Upper && x != cap);
            bad.then(|| format!("arc {a}: flow {x} of {cap} resting {:?}", self.rest[a]))
        })
    }

    /// Threads `new_order` in right after `hook` (the re-hung subtree
    /// becomes its first child) and shifts its potentials by `shift`.
    fn put_in(&mut self, hook: usize, shift: i64) {
        let mut previous = hook;
        let next = self.thread[hook];
        for &x in &self.new_order {
            self.thread[previous] = x;
            self.rev_thread[x] = previous;
            self.potential[x] += shift;
            previous = x;
        }
        self.thread[previous] = next;
        self.rev_thread[next] = previous;
    }
}

/// The nodes of the tree given by `parents` (per node: parent, ...) in
/// preorder from `root`, or `None` when some node does not reach the root.
fn preorder_of(parents: &[(usize, usize)], root: usize) -> Option<Vec<usize>> {
    let mut children = vec![Vec::new(); parents.len() + 1];
    for (x, &(p, _)) in parents.iter().enumerate() {
        children[p].push(x);
    }
    let mut order = Vec::with_capacity(parents.len() + 1);
    let mut stack = vec![root];
    while let Some(x) = stack.pop() {
        order.push(x);
        stack.extend(children[x].iter().rev());
    }
    (order.len() == parents.len() + 1).then_some(order)
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

    /// A random network on `n` nodes: arcs between any two nodes, of
    /// random capacity and cost (some of capacity 0), supplies summing to 0.
    fn random_general_network(rng: &mut Rng, n: usize) -> FlowNetwork {
        let mut supply: Vec<i64> = (0..n).map(|_| rng.below(9) as i64 - 4).collect();
        let total: i64 = supply.iter().sum();
        supply[0] -= total;
        let arcs = (0..4 * n)
            .filter_map(|_| {
                let (from, to) = (rng.below(n as u64) as usize, rng.below(n as u64) as usize);
                (from != to).then(|| arc(from, to, rng.below(12) as i64, rng.below(30) as i64))
            })
            .collect();
        FlowNetwork { supply, arcs }
    }

    #[test]
    fn the_kept_tree_stays_a_valid_basis_at_every_pivot() {
        // Larger general networks than the transportation cases, so that
        // re-hung subtrees have long paths reversed: after every pivot the
        // thread, sizes, potentials and rests are checked against the tree,
        // and the optimum against HiGHS.
        let mut rng = Rng(0x1234_5678_9abc_def1);
        let (mut feasible, mut pivots) = (0, 0);
        for case in 0..60 {
            let network = random_general_network(&mut rng, 10 + case % 30);
            let mut simplex = NetworkSimplex::new(&network.supply);
            for &a in &network.arcs {
                simplex.add_arc(a);
            }
            assert_eq!(simplex.tree_problem(), None, "case {case} at the start");
            while let Some(entering) = simplex.entering_arc() {
                simplex.pivot(entering);
                pivots += 1;
                assert_eq!(simplex.tree_problem(), None, "case {case} after pivot {pivots}");
            }
            match (simplex.solve(), highs_optimum(&network)) {
                (FlowOutcome::Optimal(opt), Some(z)) => {
                    assert_eq!(cost(&network, &opt.flow) as f64, z.round(), "case {case}");
                    assert_eq!(certificate_problem(&network, &opt.flow, &opt.potential), None, "case {case}");
                    feasible += 1;
                }
                (FlowOutcome::Infeasible, None) => {}
                (ours, theirs) => panic!("case {case}: {ours:?} against HiGHS {theirs:?}"),
            }
        }
        assert!(feasible >= 10 && pivots > 1000, "{feasible} feasible cases, {pivots} pivots");
    }

    #[test]
    fn a_start_tree_is_taken_only_when_strongly_feasible_and_reaches_the_optimum() {
        // Source 0 (supply 3) -> 1 -> sink 2 (demand 3); arcs 0: 0->1 cap 5,
        // 1: 1->2 cap 5, 2: 0->2 cap 1 at cost 10.
        let network = FlowNetwork {
            supply: vec![3, 0, -3],
            arcs: vec![arc(0, 1, 5, 1), arc(1, 2, 5, 1), arc(0, 2, 1, 10)],
        };
        let start = |network: &FlowNetwork, hang: &[Option<usize>]| {
            let mut simplex = NetworkSimplex::new(&network.supply);
            network.arcs.iter().for_each(|&a| {
                simplex.add_arc(a);
            });
            let taken = simplex.try_start_tree(hang);
            (taken, simplex)
        };
        // 2 from the root, 1 from 2, 0 from 1: 0 -> 1 -> 2 carries 3 < 5.
        let (taken, mut simplex) = start(&network, &[Some(0), Some(1), None]);
        assert!(taken);
        assert_eq!(simplex.tree_problem(), None);
        assert_eq!(simplex.flow[3..], [3, 3, 0]);
        let FlowOutcome::Optimal(opt) = simplex.solve() else {
            panic!("feasible")
        };
        assert_eq!(cost(&network, &opt.flow), 6);
        assert_eq!(certificate_problem(&network, &opt.flow, &opt.potential), None);
        // Refused: 0 hung by 0 -> 2 (3 above its capacity 1); a cycle 0 <-> 1;
        // an arc not at its node; 0 -> 1 of capacity 3 full (no room up from 0).
        assert!(!start(&network, &[Some(2), None, None]).0);
        assert!(!start(&network, &[Some(0), Some(0), None]).0);
        assert!(!start(&network, &[Some(1), None, None]).0);
        let mut tight = network.clone();
        tight.arcs[0].capacity = 3;
        let (taken, simplex) = start(&tight, &[Some(0), Some(1), None]);
        assert!(!taken);
        assert_eq!(simplex.tree_problem(), None, "the star stays");
    }

    #[test]
    fn random_start_trees_lead_to_the_same_optimum() {
        let mut rng = Rng(0x0dd_ba11_cafe_f00d);
        let mut taken = 0;
        for case in 0..300 {
            let mut network = random_general_network(&mut rng, 6 + case % 12);
            // Room above the flows on most arcs, so that many trees are strongly feasible.
            for a in network.arcs.iter_mut().filter(|a| a.capacity > 3) {
                a.capacity += 20;
            }
            let mut simplex = NetworkSimplex::new(&network.supply);
            network.arcs.iter().for_each(|&a| {
                simplex.add_arc(a);
            });
            // A random tree: nodes in a random order, each (mostly) below a
            // node before it; then, children first, each hung by an arc to
            // its parent in the direction its subtree's supply goes.
            let n = network.supply.len();
            let mut order: Vec<usize> = (0..n).collect();
            for i in (1..n).rev() {
                order.swap(i, rng.below(i as u64 + 1) as usize);
            }
            let parent: Vec<Option<usize>> = (0..n)
                .map(|k| (k > 0 && rng.below(5) > 0).then(|| order[rng.below(k as u64) as usize]))
                .collect();
            let mut net = network.supply.clone();
            let mut hang = vec![None; n];
            for k in (1..n).rev() {
                let (x, Some(p)) = (order[k], parent[k]) else { continue };
                let up = |a: &FlowArc| {
                    if net[x] >= 0 {
                        (a.from, a.to) == (x, p)
                    } else {
                        (a.from, a.to) == (p, x)
                    }
                };
                hang[x] = (0..network.arcs.len()).find(|&a| up(&network.arcs[a]));
                if hang[x].is_some() {
                    net[p] += net[x];
                }
            }
            if simplex.try_start_tree(&hang) {
                taken += 1;
                assert_eq!(simplex.tree_problem(), None, "case {case}");
            }
            assert_same_optimum(&simplex.solve(), &network, case);
        }
        assert!(taken >= 20, "{taken} starts taken");
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
