//! What one more failure costs a solved design, worked out on the design's own network
//! patched in place: the flows, the share of requests served and the mean response time.
//! Only what the failure can change is worked out again: the flows downstream of the nodes
//! it rebuilt, the stations whose arrivals moved, and the transforms upstream of those; the
//! rest is kept from the design as solved. This is what the N−1 sweep evaluates for every
//! row; percentiles and availability, which cost far more, are left to the rows shown
//! (`failure.rs`).

use super::analyze::{background, dropped, node_dropped, node_stranded};
use super::flow::{self, Flow};
use super::latency::{Kept, Latency};
use super::network::Network;
use super::queueing::saturates;
use super::spof::Seen;
use super::station::Load;
use crate::model::{Failure, Problems, Scenario};
use foldhash::{HashMap, HashMapExt};

/// A design solved once, ready to have single failures applied to it.
pub(crate) struct Solver<'s> {
    net: Network<'s>,
    rps: f64,
    shares: [f64; 3],
    base: Flow,
    base_loads: Vec<Option<Load>>,
    /// Per node: requests per second of each class injected by the clients.
    injected: Vec<[f64; 3]>,
    /// Per node: the hops into it as the design is (from, class, requests per request).
    incoming: Vec<Vec<(usize, usize, f64)>>,
    /// The transforms' values as the design is.
    kept: Kept,
    /// The flows and stations while a failure is applied (the base ones otherwise).
    flow: Flow,
    loads: Vec<Option<Load>>,
    /// The stations' states replaced while a failure is applied.
    stash: Vec<(usize, Option<Load>)>,
    /// Per node with servers: a number shared by the nodes whose stations are equal.
    same: Vec<Option<usize>>,
    /// Per node: the messages a consumer in the background drops as the design is (0 for
    /// any other node), and their total.
    messages: Vec<f64>,
    messages_rps: f64,
}

/// The cost of one failure.
pub(crate) struct Cost {
    /// Requests per second dropped with the failure.
    pub dropped_rps: f64,
    /// Mean response time of served requests, ms (`None`: some wait without bound).
    pub mean_ms: Option<f64>,
    /// Background messages per second never processed (not requests: their producers were
    /// answered at enqueue), as [`Report::background_dropped_rps`](super::Report) counts them.
    pub messages_rps: f64,
    /// What each component sees, when asked for.
    pub seen: Option<Vec<Seen>>,
    /// The component the failure makes busiest among those it makes busier, and its
    /// utilisation then.
    pub busiest: Option<(usize, f64)>,
}

/// Among `(component, utilisation before, utilisation after)`, the one the failure makes
/// busiest of those it makes busier (ties: the lowest index, whatever the order given).
pub(crate) fn busiest(loads: impl Iterator<Item = (usize, f64, f64)>) -> Option<(usize, f64)> {
    loads
        .filter(|&(_, before, after)| after > before + 1e-9)
        .map(|(v, _, after)| (v, after))
        .fold(None, |best: Option<(usize, f64)>, (v, u)| match best {
            Some((w, b)) if b > u || (b == u && w < v) => best,
            _ => Some((v, u)),
        })
}

impl<'s> Solver<'s> {
    /// Solves `s` as it is.
    ///
    /// # Errors
    /// As [`Network::build`], or a loop whose traffic grows without end.
    pub fn new(s: &'s Scenario) -> Result<Solver<'s>, Problems> {
        let net = Network::build(s)?;
        let (rps, shares) = (s.traffic.peak_rps(), s.traffic.shares());
        let (base, base_loads) = flow::solve(&net, rps, shares)?;
        let n = net.nodes.len();
        let mut injected = vec![[0.0; 3]; n];
        for &(v, share) in &net.sources {
            for k in 0..3 {
                injected[v][k] += rps * share * shares[k];
            }
        }
        let mut incoming = vec![Vec::new(); n];
        for (u, node) in net.nodes.iter().enumerate() {
            for k in 0..3 {
                for e in node.all_edges_of(k) {
                    incoming[e.to].push((u, k, e.p));
                }
            }
        }
        let kept = Latency::unmerged(&net, &base_loads, shares).keep();
        let mut classes: HashMap<Vec<u64>, usize> = HashMap::new();
        let same = net
            .nodes
            .iter()
            .map(|node| {
                let key = node.station.as_ref()?.key();
                let next = classes.len();
                Some(*classes.entry(key).or_insert(next))
            })
            .collect();
        let messages: Vec<f64> = (0..n)
            .map(|v| {
                if background(s, &s.components[v]) {
                    node_dropped(&net, &base, v)
                } else {
                    0.0
                }
            })
            .collect();
        Ok(Solver {
            messages_rps: messages.iter().fold(0.0, |total, x| total + x),
            messages,
            stash: Vec::new(),
            same,
            flow: base.clone(),
            loads: base_loads.clone(),
            net,
            rps,
            shares,
            base,
            base_loads,
            injected,
            incoming,
            kept,
        })
    }

    /// What each component sees as the design is.
    pub fn seen(&self) -> Vec<Seen> {
        seen(&self.net, &self.base, &self.base_loads)
    }

    /// The cost of failing component `v` as `failure`, with what each component sees when
    /// the failure drops more than `report_above` requests per second. `None` when the
    /// failure cannot be applied in place (see [`Network::fail`]): solve the failed
    /// scenario instead.
    pub fn cost(&mut self, v: usize, failure: Failure, report_above: f64) -> Option<Cost> {
        let undo = self.net.fail(v, failure)?;
        let n = self.net.nodes.len();
        let mut rebuilt = vec![false; n];
        let mut targeted = vec![false; n];
        // The rebuilt nodes' hops as they are now, by target.
        let mut hops: HashMap<usize, Vec<(usize, usize, f64)>> = HashMap::new();
        let mut seeds = Vec::new();
        for (i, before) in undo.rebuilt() {
            rebuilt[i] = true;
            seeds.push(i);
            seeds.extend(before.all_edges().map(|e| e.to));
            for k in 0..3 {
                for e in self.net.nodes[i].all_edges_of(k) {
                    hops.entry(e.to).or_default().push((i, k, e.p));
                    targeted[e.to] = true;
                    seeds.push(e.to);
                }
            }
        }
        // Arrivals can change only downstream of what was rebuilt: visit it upstream first.
        let below = self.downstream(seeds);
        let mut changed = Vec::new();
        // Equal stations at equal rates are solved once (repeated cells move together).
        let mut solved: HashMap<(usize, u64), usize> = HashMap::new();
        for &w in &below {
            let mut a = self.injected[w];
            let served = |flow: &Flow, u: usize, k: usize| flow.arrival[u][k] * flow.accept[u];
            for &(u, k, p) in self.incoming[w].iter().filter(|h| !rebuilt[h.0]) {
                a[k] += served(&self.flow, u, k) * p;
            }
            if targeted[w] {
                for &(u, k, p) in hops.get(&w).into_iter().flatten() {
                    a[k] += served(&self.flow, u, k) * p;
                }
            }
            self.flow.arrival[w] = a;
            let lambda = self.flow.total(w);
            // A station keeps its solved state unless it was rebuilt or its arrivals moved.
            if rebuilt[w] || lambda.to_bits() != self.base.total(w).to_bits() {
                let load = match (self.same[w], rebuilt[w]) {
                    (Some(class), false) => match solved.get(&(class, lambda.to_bits())) {
                        Some(&twin) => self.loads[twin].clone(),
                        None => {
                            solved.insert((class, lambda.to_bits()), w);
                            self.net.nodes[w].station.as_ref().map(|st| st.load(lambda))
                        }
                    },
                    _ => self.net.nodes[w].station.as_ref().map(|st| st.load(lambda)),
                };
                self.flow.accept[w] = load.as_ref().map_or(1.0, |l| l.accept);
                self.stash
                    .push((w, std::mem::replace(&mut self.loads[w], load)));
                changed.push(w);
            }
        }
        // Transforms change at rebuilt nodes, at stations whose state changed, and upstream.
        let mut again: Vec<usize> = changed.clone();
        again.extend(undo.rebuilt().map(|(i, _)| i));
        let again = self.upstream(again);
        let net = &self.net;
        let summary =
            Latency::unmerged(net, &self.loads, self.shares).moments_again(&mut self.kept, &again);
        let dropped_rps = dropped(net, self.rps, summary.success);
        let utilization = |l: &Option<Load>| l.as_ref().map_or(0.0, |l| l.utilization);
        // Only consumers downstream of the failure lose more or fewer messages.
        let messages_rps = below
            .iter()
            .filter(|&&w| background(net.scenario, &net.scenario.components[w]))
            .fold(self.messages_rps, |total, &w| {
                total + node_dropped(net, &self.flow, w) - self.messages[w]
            });
        let cost = Cost {
            dropped_rps,
            messages_rps: if messages_rps > 0.0 {
                messages_rps
            } else {
                0.0
            },
            mean_ms: summary.mean.map(|m| m * 1000.0),
            seen: (dropped_rps > report_above).then(|| seen(net, &self.flow, &self.loads)),
            busiest: busiest(changed.iter().map(|&w| {
                (
                    w,
                    utilization(&self.base_loads[w]),
                    utilization(&self.loads[w]),
                )
            })),
        };
        for &w in &below {
            self.flow.arrival[w] = self.base.arrival[w];
            self.flow.accept[w] = self.base.accept[w];
        }
        for (w, load) in self.stash.drain(..) {
            self.loads[w] = load;
        }
        self.net.undo(undo);
        Some(cost)
    }

    /// `from` and everything downstream of it in the network as it is, upstream first.
    fn downstream(&self, from: Vec<usize>) -> Vec<usize> {
        let nodes = &self.net.nodes;
        self.closure(
            from,
            |u, stack| stack.extend(nodes[u].all_edges().map(|e| e.to)),
            false,
        )
    }

    /// `from` and everything upstream of it, downstream first. The hops into a node are
    /// those of the design as solved, plus any from rebuilt nodes, which are in `from`.
    fn upstream(&self, from: Vec<usize>) -> Vec<usize> {
        let incoming = &self.incoming;
        self.closure(
            from,
            |u, stack| stack.extend(incoming[u].iter().map(|h| h.0)),
            true,
        )
    }

    /// Everything reachable from `from` by `next` (which pushes a node's neighbours), in
    /// solve order (reversed if `reverse`).
    fn closure(
        &self,
        from: Vec<usize>,
        next: impl Fn(usize, &mut Vec<usize>),
        reverse: bool,
    ) -> Vec<usize> {
        let n = self.net.nodes.len();
        let mut seen = vec![false; n];
        let mut out = Vec::new();
        let mut stack = from;
        while let Some(u) = stack.pop() {
            if !std::mem::replace(&mut seen[u], true) {
                out.push(u);
                next(u, &mut stack);
            }
        }
        let rank = &self.net.rank;
        if out.len() > n / 8 {
            // Most of the graph: reading it off the solve order beats sorting.
            out = self
                .net
                .sccs
                .iter()
                .flatten()
                .copied()
                .filter(|&u| seen[u])
                .collect();
            if reverse {
                out.reverse();
            }
        } else if reverse {
            out.sort_unstable_by_key(|&u| std::cmp::Reverse(rank[u]));
        } else {
            out.sort_unstable_by_key(|&u| rank[u]);
        }
        out
    }
}

fn seen(net: &Network, flow: &Flow, loads: &[Option<Load>]) -> Vec<Seen> {
    (0..net.nodes.len())
        .map(|u| Seen {
            arrival_rps: flow.total(u),
            dropped_rps: node_dropped(net, flow, u),
            stranded_rps: node_stranded(net, flow, u),
            capacity_rps: net.nodes[u].station.as_ref().map(|st| st.capacity()),
            saturated: loads[u].as_ref().is_some_and(|l| saturates(l.load)),
        })
        .collect()
}
