//! What a health check sees: which components can serve every request that reaches them,
//! under the scenario's what-if failures.
//!
//! A router with a *deep* check (see [`HealthCheck`]) sends nothing to a target that cannot
//! serve; every other sender notices only a target that is down itself. Routing under
//! failures (and with it the simulator, SPOFs and N−1) asks this module; availability
//! applies the same rule to random failures, so every engine means the same thing by
//! "healthy".

use super::node::{Node, State};
use crate::model::{HealthCheck, Scenario};

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
) -> Vec<bool> {
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
    let mut works: Vec<bool> = states.iter().map(|st| st.routable()).collect();
    loop {
        let mut changed = false;
        for v in 0..n {
            if !works[v] {
                continue;
            }
            let node = &nodes[v];
            let ok = (0..3).filter(|&k| reach[v][k]).all(|k| {
                let routes = &node.routes[k];
                node.fails[k] <= 0.0
                    && node.calls[k].iter().all(|e| works[e.to])
                    && (routes.is_empty()
                        || if deep[v] {
                            routes.iter().any(|e| works[e.to])
                        } else {
                            routes.iter().all(|e| works[e.to])
                        })
            });
            if !ok {
                works[v] = false;
                changed = true;
            }
        }
        if !changed {
            return works;
        }
    }
}
