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
/// serving when one of their targets serves (they will move traffic there); everyone else
/// needs all its targets. The greatest fixed point, so loops do not make a node unhealthy
/// by themselves.
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
    let mut health = Health {
        works: states.iter().map(|st| st.routable()).collect(),
        reach,
        deep,
    };
    loop {
        let mut changed = false;
        for v in 0..n {
            if health.works[v] && !health.passes(&nodes[v], v) {
                health.works[v] = false;
                changed = true;
            }
        }
        if !changed {
            return health;
        }
    }
}

/// What the health checks see, with what it was worked out from.
#[derive(Debug, Clone)]
pub(crate) struct Health {
    /// Per node: whether it can serve (see [`serving`]).
    pub works: Vec<bool>,
    /// Per node and class: whether requests of the class reach it.
    reach: Vec<[bool; 3]>,
    /// Per node: whether it is a router with a deep check.
    pub deep: Vec<bool>,
}

impl Health {
    /// Whether node `v` (as `node`) can serve what reaches it, given what the others can.
    fn passes(&self, node: &Node, v: usize) -> bool {
        self.passes_with(&self.works, node, v)
    }

    /// The same, with `works` saying what the others can.
    fn passes_with(&self, works: &[bool], node: &Node, v: usize) -> bool {
        (0..3).filter(|&k| self.reach[v][k]).all(|k| {
            let routes = &node.routes[k];
            node.fails[k] <= 0.0
                && node.calls[k].iter().all(|e| works[e.to])
                && (routes.is_empty()
                    || if self.deep[v] {
                        routes.iter().any(|e| works[e.to])
                    } else {
                        routes.iter().all(|e| works[e.to])
                    })
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
        let mut works = self.works.clone();
        let mut stack: Vec<usize> = changed.to_vec();
        for &v in changed {
            works[v] = states[v].routable();
        }
        while let Some(v) = stack.pop() {
            if works[v] && !self.passes_with(&works, &nodes[v], v) {
                works[v] = false;
            }
            if !works[v] {
                stack.extend(parents[v].iter().copied().filter(|&u| works[u]));
            }
        }
        works
    }
}
