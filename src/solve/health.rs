//! What a health check sees: which components can serve every request that reaches them,
//! under the scenario's what-if failures.
//!
//! A router with a *deep* check (see [`HealthCheck`]) sends nothing to a target that cannot
//! serve; every other sender notices only a target that is down itself. Routing under
//! failures (and with it the simulator, SPOFs and N−1) asks this module; availability
//! applies the same rule to random failures, so every engine means the same thing by
//! "healthy".

use super::node::{Node, State};
use crate::model::{Adjacency, HealthCheck, Scenario};

/// Per node: whether it can serve every class of request that reaches it, given the routes
/// the nodes have when only dead targets are avoided. Deep-checking routers count as
/// serving a class when one of their targets serves everything that reaches it (they will
/// move traffic there); every other sender, and every caller, needs each of its targets to
/// serve the class it sends them. The greatest fixed point, so loops do not make a node
/// unhealthy by themselves.
pub(crate) fn serving(
    s: &Scenario,
    nodes: &[Node],
    states: &[State],
    sources: &[(usize, f64)],
) -> Health {
    let n = nodes.len();
    let shares = s.traffic.shares();
    // Which classes reach each node at all.
    let mut reach = vec![[false; 3]; n];
    for k in (0..3).filter(|&k| shares[k] > 0.0) {
        let mut stack: Vec<usize> = sources
            .iter()
            .filter(|&&(_, share)| share > 0.0)
            .map(|&(v, _)| v)
            .collect();
        while let Some(v) = stack.pop() {
            if !reach[v][k] {
                reach[v][k] = true;
                stack.extend(nodes[v].all_edges_of(k).map(|e| e.to));
            }
        }
    }
    let deep: Vec<bool> = s
        .components
        .iter()
        .map(|c| c.health_check() == HealthCheck::Deep)
        .collect();
    let works: Vec<bool> = states.iter().map(|st| st.routable()).collect();
    let mut health = Health {
        serves: works.iter().map(|&w| [w; 3]).collect(),
        works,
        reach,
        deep,
    };
    loop {
        let mut changed = false;
        for v in 0..n {
            // A node that fails one class may still serve another, which callers need.
            changed |= health.check(&nodes[v], v);
        }
        if !changed {
            return health;
        }
    }
}

/// What the health checks see, with what it was worked out from.
#[derive(Debug, Clone)]
pub(crate) struct Health {
    /// Per node: whether it can serve every class that reaches it (see [`serving`]): what a
    /// deep check sees.
    pub works: Vec<bool>,
    /// Per node and class: whether it serves the class (what a caller, or a router without
    /// a deep check, needs of it for the class it sends).
    serves: Vec<[bool; 3]>,
    /// Per node and class: whether requests of the class reach it.
    reach: Vec<[bool; 3]>,
    /// Per node: whether it is a router with a deep check.
    pub deep: Vec<bool>,
}

impl Health {
    /// Whether requests of class `k` reach node `v` at all, on the routes that avoid only
    /// dead targets.
    pub fn reaches(&self, v: usize, k: usize) -> bool {
        self.reach[v][k]
    }

    /// Checks node `v` (as `node`) again against what the others serve: marks the classes
    /// it can no longer serve, and whether it still works. Whether anything changed.
    fn check(&mut self, node: &Node, v: usize) -> bool {
        let mut changed = false;
        for k in 0..3 {
            if self.reach[v][k] && self.serves[v][k] && !self.serves_class(node, v, k) {
                self.serves[v][k] = false;
                self.works[v] = false;
                changed = true;
            }
        }
        changed
    }

    /// Whether node `v` serves class `k`, given what the others serve.
    fn serves_class(&self, node: &Node, v: usize, k: usize) -> bool {
        let routes = &node.routes[k];
        node.fails[k] <= 0.0
            && node.calls[k].iter().all(|e| self.serves[e.to][k])
            && (routes.is_empty()
                || if self.deep[v] {
                    routes.iter().any(|e| self.works[e.to])
                } else {
                    routes.iter().all(|e| self.serves[e.to][k])
                })
    }

    /// Which nodes serve after the nodes in `changed` were rebuilt (`nodes` holds them) and
    /// took `states`; nothing else changed and no loop passes through them. Only nodes
    /// upstream of a change can stop serving, so only they are checked again: the same
    /// greatest fixed point as [`serving`], found from the changed nodes up.
    pub fn after(
        &self,
        nodes: &[Node],
        states: &[State],
        parents: &Adjacency,
        changed: &[usize],
    ) -> Vec<bool> {
        let mut health = self.clone();
        let mut rebuilt = vec![false; nodes.len()];
        for &v in changed {
            let up = states[v].routable();
            (health.works[v], health.serves[v]) = (up, [up; 3]);
            rebuilt[v] = true;
        }
        let mut stack: Vec<usize> = changed.to_vec();
        while let Some(v) = stack.pop() {
            // Its parents look again when it lost something, or was rebuilt.
            let lost = health.check(&nodes[v], v);
            if lost || std::mem::take(&mut rebuilt[v]) {
                stack.extend(parents[v].iter().copied());
            }
        }
        health.works
    }
}
