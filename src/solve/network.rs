//! The routing network: a validated scenario turned into per-class routing probabilities.
//!
//! Every rule that says where a request goes next lives here (load-balancing algorithms,
//! cache hits, CDN edge hits, read/write splitting, replication, queues), so flow, latency
//! and availability all follow the same routes.

use super::station::Station;
use crate::model::{Class, Kind, Problem, Problems, Scenario};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::HashMap;

/// A hop from one node to another.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Edge {
    /// Receiving node.
    pub to: usize,
    /// Index of the scenario link this hop follows (for per-link flows).
    pub link: usize,
    /// Routes: probability a served request continues here. Calls and async copies: how many
    /// requests to the target one served request causes.
    pub p: f64,
}

/// One component, as the solver sees it.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// Per class: hand-offs (the request continues at the target and does not come back).
    pub routes: [Vec<Edge>; 3],
    /// Per class: synchronous calls (the request waits for the target's answer).
    pub calls: [Vec<Edge>; 3],
    /// Per class: fire-and-forget work caused downstream (queue consumers, replication).
    pub asyncs: [Vec<Edge>; 3],
    /// Share of served class-k requests that finish here.
    pub completes: [f64; 3],
    /// The queueing model, for kinds that have servers.
    pub station: Option<Station>,
    /// Fixed network delay added to every request passing, seconds (regions).
    pub delay: f64,
}

impl Node {
    /// Every outgoing hop of any sort, for graph algorithms.
    pub fn all_edges(&self) -> impl Iterator<Item = &Edge> {
        self.routes
            .iter()
            .chain(self.calls.iter())
            .chain(self.asyncs.iter())
            .flatten()
    }
}

/// The network built from a scenario.
#[derive(Debug, Clone)]
pub(crate) struct Network<'a> {
    pub scenario: &'a Scenario,
    pub nodes: Vec<Node>,
    /// Clients and their share of the total traffic.
    pub sources: Vec<(usize, f64)>,
    /// Strongly connected components, upstream first (a DAG has one node in each).
    pub sccs: Vec<Vec<usize>>,
    /// Position of each node in `sccs` (its topological rank).
    pub rank: Vec<usize>,
}

impl<'a> Network<'a> {
    /// Builds the network. The scenario must already be valid; this adds the checks that
    /// need the graph (loops that requests can never leave).
    pub fn build(s: &'a Scenario) -> Result<Network<'a>, Problems> {
        let index: HashMap<&str, usize> = s
            .components
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); s.components.len()];
        let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); s.components.len()];
        for (li, l) in s.links.iter().enumerate() {
            if let (Some(&f), Some(&t)) = (index.get(l.from.as_str()), index.get(l.to.as_str())) {
                outgoing[f].push(li);
                incoming[t].push(li);
            }
        }
        let least_connections = |i: usize| {
            let c = &s.components[i];
            c.kind == Kind::LoadBalancer && c.choice("algorithm") == "least_connections"
        };
        let nodes: Vec<Node> = s
            .components
            .iter()
            .enumerate()
            .map(|(i, c)| {
                // A pool behind least-connections balancers (or pulling from a queue) acts as
                // one shared queue; otherwise each instance queues on its own.
                let fed = incoming[i]
                    .iter()
                    .filter(|&&li| s.links[li].calls.is_none());
                let shared_queue = c.kind == Kind::Worker || {
                    let mut feeders = fed.map(|&li| index[s.links[li].from.as_str()]).peekable();
                    feeders.peek().is_some() && feeders.all(least_connections)
                };
                build_node(s, &index, i, &outgoing[i], shared_queue)
            })
            .collect();
        let total_share: f64 = s
            .components
            .iter()
            .filter(|c| c.kind == Kind::Client)
            .map(|c| c.num("share"))
            .sum();
        let sources = s
            .components
            .iter()
            .enumerate()
            .filter(|(_, c)| c.kind == Kind::Client && total_share > 0.0)
            .map(|(i, c)| (i, c.num("share") / total_share))
            .collect();
        let (sccs, rank) = topological_sccs(&nodes);
        let net = Network {
            scenario: s,
            nodes,
            sources,
            sccs,
            rank,
        };
        net.check_loops()?;
        Ok(net)
    }

    /// The id of node `i`.
    pub fn id(&self, i: usize) -> &str {
        &self.scenario.components[i].id
    }

    /// Refuses loops that a class of requests can enter but never leave.
    fn check_loops(&self) -> Result<(), Problems> {
        let mut problems = Vec::new();
        for scc in self.sccs.iter().filter(|scc| scc.len() > 1) {
            let inside = |t: usize| self.rank[t] == self.rank[scc[0]];
            for class in Class::ALL {
                let k = class.index();
                let enters = scc.iter().any(|&v| {
                    self.nodes[v].routes[k]
                        .iter()
                        .chain(&self.nodes[v].calls[k])
                        .any(|e| inside(e.to))
                });
                let exits = scc.iter().any(|&v| {
                    let n = &self.nodes[v];
                    n.completes[k] > 0.0 || n.routes[k].iter().any(|e| !inside(e.to))
                });
                if enters && !exits {
                    let names: Vec<&str> = scc.iter().map(|&v| self.id(v)).collect();
                    problems.push(Problem {
                        component: Some(self.id(scc[0]).to_owned()),
                        field: None,
                        message: format!(
                            "{class:?} requests that enter the loop {} can never leave it; \
                             give one of them a way out",
                            names.join(" → ")
                        )
                        .to_lowercase(),
                    });
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Problems(problems))
        }
    }
}

/// Splits `share` over `targets` in proportion to `weights`.
fn split(share: f64, targets: &[(usize, usize)], weights: &[f64]) -> Vec<Edge> {
    let total: f64 = weights.iter().sum();
    if share <= 0.0 || total <= 0.0 {
        return Vec::new();
    }
    targets
        .iter()
        .zip(weights)
        .map(|(&(to, link), w)| Edge {
            to,
            link,
            p: share * w / total,
        })
        .collect()
}

fn build_node(
    s: &Scenario,
    index: &HashMap<&str, usize>,
    i: usize,
    links: &[usize],
    shared_queue: bool,
) -> Node {
    let c = &s.components[i];
    let mut node = Node {
        routes: Default::default(),
        calls: Default::default(),
        asyncs: Default::default(),
        completes: [0.0; 3],
        station: c.kind.is_station().then(|| Station::new(c, shared_queue)),
        delay: if c.kind == Kind::Region {
            c.num("rtt_ms") / 1000.0
        } else {
            0.0
        },
    };
    let target = |li: usize| index[s.links[li].to.as_str()];
    for class in Class::ALL {
        let k = class.index();
        let carrying: Vec<usize> = links
            .iter()
            .copied()
            .filter(|&li| s.links[li].carries(class))
            .collect();
        for &li in carrying.iter().filter(|&&li| s.links[li].calls.is_some()) {
            node.calls[k].push(Edge {
                to: target(li),
                link: li,
                p: s.links[li].calls.unwrap_or(1.0),
            });
        }
        let hand_offs: Vec<(usize, usize)> = carrying
            .iter()
            .filter(|&&li| s.links[li].calls.is_none())
            .map(|&li| (target(li), li))
            .collect();
        let is_replica = |&(t, _): &(usize, usize)| s.components[t].kind == Kind::ReadReplica;
        // Which hand-offs this class may take, and the share of it that moves on.
        let (eligible, forward): (Vec<(usize, usize)>, f64) = match (c.kind, class) {
            (Kind::Queue, _) => {
                let weights: Vec<f64> = hand_offs
                    .iter()
                    .map(|&(_, li)| s.links[li].weight())
                    .collect();
                node.asyncs[k] = split(1.0, &hand_offs, &weights);
                (Vec::new(), 0.0)
            }
            (Kind::Database, Class::Write | Class::Static) => {
                if class == Class::Write {
                    // Every replica applies every write, at `replication_cost` of its work.
                    let cost = c.num("replication_cost");
                    for li in links.iter().copied() {
                        let t = target(li);
                        if s.components[t].kind == Kind::ReadReplica && s.links[li].calls.is_none()
                        {
                            node.asyncs[k].push(Edge {
                                to: t,
                                link: li,
                                p: cost,
                            });
                        }
                    }
                }
                (
                    hand_offs
                        .iter()
                        .copied()
                        .filter(|h| !is_replica(h))
                        .collect(),
                    1.0,
                )
            }
            (Kind::Cache, Class::Read | Class::Static) | (Kind::Cdn, Class::Static) => {
                (hand_offs, 1.0 - c.num("hit_ratio"))
            }
            _ => (hand_offs, 1.0),
        };
        let weights: Vec<f64> = eligible
            .iter()
            .map(|&(t, li)| match (c.kind, c.choice("algorithm")) {
                (Kind::LoadBalancer, "round_robin" | "ip_hash") => 1.0,
                (Kind::LoadBalancer, "least_connections") if s.components[t].kind.is_station() => {
                    Station::new(&s.components[t], true).capacity()
                }
                _ => s.links[li].weight(),
            })
            .collect();
        node.routes[k] = split(forward, &eligible, &weights);
        let routed: f64 = node.routes[k].iter().map(|e| e.p).sum();
        // A client with nowhere to send a class completes none of it: that traffic fails.
        node.completes[k] = if c.kind == Kind::Client {
            0.0
        } else {
            (1.0 - routed).max(0.0)
        };
    }
    node
}

/// Strongly connected components in topological order (upstream first), and each node's rank.
fn topological_sccs(nodes: &[Node]) -> (Vec<Vec<usize>>, Vec<usize>) {
    let mut g = DiGraph::<(), ()>::with_capacity(nodes.len(), nodes.len());
    for _ in nodes {
        g.add_node(());
    }
    for (i, n) in nodes.iter().enumerate() {
        for e in n.all_edges() {
            g.update_edge(NodeIndex::new(i), NodeIndex::new(e.to), ());
        }
    }
    // tarjan_scc lists components in reverse topological order.
    let mut sccs: Vec<Vec<usize>> = petgraph::algo::tarjan_scc(&g)
        .into_iter()
        .map(|scc| scc.into_iter().map(|n| n.index()).collect())
        .collect();
    sccs.reverse();
    let mut rank = vec![0; nodes.len()];
    for (r, scc) in sccs.iter().enumerate() {
        for &v in scc {
            rank[v] = r;
        }
    }
    (sccs, rank)
}
