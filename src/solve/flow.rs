//! Request rates on every node and link: the traffic equations of the network.
//!
//! Nodes are visited upstream first, one strongly connected component at a time; inside a
//! loop (retries, feedback) the rates are found by fixed-point iteration, which converges
//! because every loop that requests enter has a way out (checked when the network is built).

use super::network::Network;
use super::station::Load;
use crate::model::{Problem, Problems};

/// Most sweeps over one loop before it is declared divergent.
const MAX_SWEEPS: usize = 100_000;
/// Rates beyond this mean a loop multiplies traffic without end.
const DIVERGED: f64 = 1e15;

/// Rates from one pass.
#[derive(Debug, Clone)]
pub(crate) struct Flow {
    /// Per node and class: requests per second arriving.
    pub arrival: Vec<[f64; 3]>,
    /// Per node: share of arrivals served.
    pub accept: Vec<f64>,
    /// Per scenario link: requests per second it carries.
    pub link: Vec<f64>,
}

impl Flow {
    /// Served requests per second of each class at node `v`.
    pub fn served(&self, v: usize) -> [f64; 3] {
        self.arrival[v].map(|a| a * self.accept[v])
    }

    /// Requests per second of all classes arriving at node `v`.
    pub fn total(&self, v: usize) -> f64 {
        let a = self.arrival[v];
        a[0] + a[1] + a[2]
    }

    /// Every station's steady state at these rates (`None` for nodes without servers).
    pub fn loads(&self, net: &Network) -> Vec<Option<Load>> {
        net.nodes
            .iter()
            .enumerate()
            .map(|(v, n)| n.station.as_ref().map(|st| st.load(self.total(v))))
            .collect()
    }
}

/// The flows with every station serving what it can, and each station's state at the
/// arrivals it ends up with (`None` for nodes without servers).
pub(crate) fn solve(
    net: &Network,
    rps: f64,
    shares: [f64; 3],
) -> Result<(Flow, Vec<Option<Load>>), Problems> {
    let mut loads = vec![None; net.nodes.len()];
    let flow = propagate(net, rps, shares, |v, lambda| {
        let load = net.nodes[v].station.as_ref().map(|st| st.load(lambda));
        let accept = load.as_ref().map_or(1.0, |l| l.accept);
        loads[v] = load;
        accept
    })?;
    Ok((flow, loads))
}

/// Propagates `rps` offered at the clients, split into classes by `shares`, with each node
/// serving the share `accept(node, total arrival)` of what reaches it.
pub(crate) fn propagate(
    net: &Network,
    rps: f64,
    shares: [f64; 3],
    accept: impl FnMut(usize, f64) -> f64,
) -> Result<Flow, Problems> {
    let mut external = vec![[0.0; 3]; net.nodes.len()];
    for &(v, share) in &net.sources {
        for k in 0..3 {
            external[v][k] += rps * share * shares[k];
        }
    }
    propagate_from(net, external, accept)
}

/// Propagates requests injected at given nodes (`external`, per node and class) downstream.
pub(crate) fn propagate_from(
    net: &Network,
    mut external: Vec<[f64; 3]>,
    mut accept: impl FnMut(usize, f64) -> f64,
) -> Result<Flow, Problems> {
    let n = net.nodes.len();
    let mut flow = Flow {
        arrival: vec![[0.0; 3]; n],
        accept: vec![1.0; n],
        link: vec![0.0; net.scenario.links.len()],
    };
    let total = |a: [f64; 3]| a[0] + a[1] + a[2];
    for scc in &net.sccs {
        let rank = net.rank[scc[0]];
        let internal = |v: usize| net.rank[v] == rank;
        if scc.len() == 1 {
            let v = scc[0];
            flow.arrival[v] = external[v];
            flow.accept[v] = accept(v, total(external[v]));
        } else {
            let mut sweeps = 0;
            loop {
                let mut change: f64 = 0.0;
                for &v in scc {
                    let mut a = external[v];
                    for &u in scc {
                        let served = flow.served(u);
                        for (k, s) in served.iter().enumerate() {
                            for e in net.nodes[u].all_edges_of(k).filter(|e| e.to == v) {
                                a[k] += s * e.p;
                            }
                        }
                    }
                    for k in 0..3 {
                        change = change.max((a[k] - flow.arrival[v][k]).abs() / (1.0 + a[k]));
                    }
                    flow.arrival[v] = a;
                    flow.accept[v] = accept(v, total(a));
                }
                sweeps += 1;
                let worst = scc
                    .iter()
                    .map(|&v| total(flow.arrival[v]))
                    .fold(0.0, f64::max);
                if worst > DIVERGED || !worst.is_finite() || sweeps > MAX_SWEEPS {
                    let cycle = net.cycle(scc, None);
                    return Err(Problems(vec![Problem {
                        component: cycle.first().map(|&v| net.id(v).to_owned()),
                        field: None,
                        message: format!(
                            "the loop {} sends more requests around than leave it, so traffic \
                             grows without end; lower the calls or weights that feed back",
                            net.path_names(&cycle)
                        ),
                    }]));
                }
                if change < 1e-13 {
                    break;
                }
            }
        }
        // Push everything leaving this component downstream.
        for &v in scc {
            let served = flow.served(v);
            for (k, s) in served.iter().enumerate() {
                for e in net.nodes[v].all_edges_of(k) {
                    flow.link[e.link] += s * e.p;
                    if !internal(e.to) {
                        external[e.to][k] += s * e.p;
                    }
                }
            }
        }
    }
    Ok(flow)
}
