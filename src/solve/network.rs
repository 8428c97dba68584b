//! The routing network: a validated scenario turned into per-class routing probabilities.
//!
//! Every rule that says where a request goes next lives here (load-balancing algorithms,
//! cache hits, CDN edge hits, read/write splitting, replication, queues), so flow, latency
//! and availability all follow the same routes.

use super::geo::{self, Map, Views};
use super::health;
use super::hit_ratio;
use super::node::Targets;
pub(crate) use super::node::{Edge, Node, State};
use super::parallel::parallel_map;
use super::station::{group_shares, Station};
use crate::model::{Adjacency, Class, Failure, Kind, Location, Problem, Problems, Scenario};
use foldhash::{HashMap, HashMapExt};
use petgraph::graph::{DiGraph, NodeIndex};
use smallvec::SmallVec;

/// The network built from a scenario.
#[derive(Debug, Clone)]
pub(crate) struct Network<'a> {
    pub scenario: &'a Scenario,
    /// How the components are linked.
    pub(super) wiring: Wiring<'a>,
    /// Each component's working state under the scenario's what-if failures.
    pub states: Vec<State>,
    pub nodes: Vec<Node>,
    /// Clients and their share of the total traffic.
    pub sources: Vec<(usize, f64)>,
    /// Strongly connected components, upstream first (a DAG has one node in each).
    pub sccs: Vec<Vec<usize>>,
    /// Position of each node in `sccs` (its topological rank).
    pub rank: Vec<usize>,
    /// What the health checks see, on the routes that avoid only dead targets.
    pub health: health::Health,
    /// Whether deep-checking routers avoid some target that cannot serve (the nodes were
    /// built a second time, around it).
    pub rerouted: bool,
    /// How each user population sees the nodes in front of the data centres, when some
    /// users are on the map (see `geo.rs`).
    pub views: Option<Views>,
}

/// Nodes built by one task when a large design's nodes are built on every core (a node
/// takes a microsecond or two: fewer would spend more on handing out than they save).
const NODES_PER_TASK: usize = 512;

impl<'a> Network<'a> {
    /// Builds the network. The scenario must already be valid; this adds the checks that
    /// need the graph (loops that requests can never leave).
    pub fn build(s: &'a Scenario) -> Result<Network<'a>, Problems> {
        let wiring = Wiring::new(s);
        let states: Vec<State> = (0..s.components.len())
            .map(|i| wiring.state(i, |t| s.failed.get(&s.components[t].id).copied()))
            .collect();
        // Each node is built from the wiring alone: on every core for a large design.
        let build = |healthy: &(dyn Fn(usize, usize) -> bool + Sync)| -> Vec<Node> {
            parallel_map((0..s.components.len()).collect(), NODES_PER_TASK, |i| {
                wiring.node(&states, i, &|t| healthy(i, t))
            })
        };
        // Every sender avoids a target that is down; routers with a deep health check also
        // avoid one that cannot serve what it would be sent.
        let mut nodes = build(&|_, t| states[t].routable());
        let total_share: f64 = s
            .components
            .iter()
            .filter(|c| c.kind == Kind::Client)
            .map(|c| c.num("share"))
            .sum();
        let sources: Vec<(usize, f64)> = s
            .components
            .iter()
            .enumerate()
            .filter(|(_, c)| c.kind == Kind::Client && total_share > 0.0)
            .map(|(i, c)| (i, c.num("share") / total_share))
            .collect();
        let health = health::serving(s, &nodes, &states, &sources);
        let rerouted = health.works.iter().any(|ok| !ok) && health.deep.iter().any(|&d| d);
        let (works, deep) = (&health.works, &health.deep);
        let healthy =
            |i: usize, t: usize| states[t].routable() && (!rerouted || !deep[i] || works[t]);
        if rerouted {
            nodes = build(&healthy);
        }
        let views = Views::build(&wiring.map, &sources, |v, users| {
            wiring.view_node(&states, v, &|t| healthy(v, t), users)
        });
        if let Some(views) = &views {
            views.mix_into(&wiring.map, &mut nodes);
        }
        let (sccs, rank) = topological_sccs(&nodes);
        let net = Network {
            scenario: s,
            wiring,
            states,
            nodes,
            sources,
            sccs,
            rank,
            health,
            rerouted,
            views,
        };
        net.check_loops()?;
        Ok(net)
    }

    /// Whether node `v` is in front of the data centres and some users are on the map (so
    /// that each population sees it differently).
    pub fn views_front(&self, v: usize) -> bool {
        self.views.is_some() && self.wiring.map.front[v]
    }

    /// Whether senders keep sending to component `i` when it fails, as routing does: a dead
    /// cache or CDN is passed through to its origin, a dead primary with failover to the
    /// replica it promotes. Its failure is never routed around.
    pub fn passed_through_when_failed(&self, i: usize) -> bool {
        let s = self.scenario;
        let failed = |t: usize| {
            if t == i {
                Some(Failure::DOWN)
            } else {
                s.failed.get(&s.components[t].id).copied()
            }
        };
        matches!(self.wiring.state(i, failed), State::Bypassed(_))
    }

    /// The id of node `i`.
    pub fn id(&self, i: usize) -> &str {
        &self.scenario.components[i].id
    }

    /// A real cycle inside strongly connected component `scc`, following the hops of class
    /// `k` (any class when `None`): the shortest way from its first node that carries class
    /// `k` back to itself, found breadth first. The last node links to the first.
    pub fn cycle(&self, scc: &[usize], k: Option<usize>) -> Vec<usize> {
        let inside = |t: usize| self.rank[t] == self.rank[scc[0]];
        let hops = |v: usize| -> Vec<usize> {
            let node = &self.nodes[v];
            let edges: Vec<&Edge> = match k {
                Some(k) => node.routes[k].iter().chain(&node.calls[k]).collect(),
                None => node.all_edges().collect(),
            };
            edges
                .into_iter()
                .map(|e| e.to)
                .filter(|&t| inside(t))
                .collect()
        };
        for &start in scc {
            let mut parent: HashMap<usize, usize> = HashMap::new();
            let mut queue = std::collections::VecDeque::from([start]);
            while let Some(v) = queue.pop_front() {
                for t in hops(v) {
                    if t == start {
                        let mut path = vec![v];
                        while let Some(&p) = parent.get(path.last().unwrap_or(&start)) {
                            path.push(p);
                        }
                        path.reverse();
                        return path;
                    }
                    if t != start && !parent.contains_key(&t) {
                        parent.insert(t, v);
                        queue.push_back(t);
                    }
                }
            }
        }
        scc.to_vec()
    }

    /// A cycle's names, back to where it started: "a → b → a".
    pub fn path_names(&self, cycle: &[usize]) -> String {
        let mut names: Vec<&str> = cycle.iter().map(|&v| self.id(v)).collect();
        if let Some(&first) = names.first() {
            names.push(first);
        }
        names.join(" → ")
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
                    n.completes[k] > 0.0
                        || n.fails[k] > 0.0
                        || n.routes[k].iter().any(|e| !inside(e.to))
                });
                if enters && !exits {
                    let cycle = self.cycle(scc, Some(k));
                    problems.push(Problem {
                        component: cycle.first().map(|&v| self.id(v).to_owned()),
                        field: None,
                        message: format!(
                            "{} requests that enter the loop {} can never leave it; give one of \
                             them a way out",
                            format!("{class:?}").to_lowercase(),
                            self.path_names(&cycle)
                        ),
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

/// How the scenario's components are linked, worked out once: what a node is built from
/// besides the states.
#[derive(Debug, Clone)]
pub(super) struct Wiring<'a> {
    scenario: &'a Scenario,
    /// Per link: the node it leads to (`usize::MAX` when no component has its id; such a
    /// link is in no node's `outgoing`). Looked up once: building a node reads it per
    /// class, and hashing the id each time was a fifth of a large design's build.
    to: Vec<usize>,
    /// Per node: the scenario links leaving it.
    outgoing: Adjacency,
    /// Per node: the nodes with a link into it.
    pub parents: Adjacency,
    /// Per node: whether its instances form one shared queue.
    shared: Vec<bool>,
    /// Per node with a rate limit per client: each client's share of what reaches it (see
    /// [`client_shares`]); empty elsewhere.
    clients: Vec<Vec<f64>>,
    /// Per node: the hit ratio of a cache or CDN (typed, or from the workload; see
    /// [`hit_ratio::effective`]), computed once per build.
    pub hit: Vec<Option<hit_ratio::HitRatio>>,
    /// The share of requests for the workload's hottest key, when the traffic has a key
    /// space: it lands on one shard of a group whose hot-key share is not typed.
    hottest: Option<f64>,
    /// Where the components stand.
    pub map: Map,
}

impl<'a> Wiring<'a> {
    /// The scenario links leaving node `v`, by index.
    pub fn links_from(&self, v: usize) -> &[usize] {
        &self.outgoing[v]
    }

    /// The node link `li` leads to (a link leaving a node always leads to one).
    pub fn target(&self, li: usize) -> usize {
        self.to[li]
    }

    fn new(s: &'a Scenario) -> Wiring<'a> {
        let n = s.components.len();
        let ends = s.link_ends();
        let linked = || {
            ends.iter()
                .enumerate()
                .filter_map(|(li, e)| Some((li, (*e)?)))
        };
        let (mut from, mut to) = (vec![usize::MAX; ends.len()], vec![usize::MAX; ends.len()]);
        for (li, (f, t)) in linked() {
            (from[li], to[li]) = (f, t);
        }
        let outgoing = Adjacency::new(n, linked().map(|(li, (f, _))| (f, li)));
        let incoming = Adjacency::new(n, linked().map(|(li, (_, t))| (t, li)));
        let least_connections = |i: usize| {
            let c = &s.components[i];
            c.kind == Kind::LoadBalancer && c.choice("algorithm") == "least_connections"
        };
        // A pool behind least-connections balancers (or pulling from a queue) acts as one
        // shared queue; otherwise each instance queues on its own.
        let shared = (0..n)
            .map(|i| {
                let fed = incoming[i]
                    .iter()
                    .filter(|&&li| s.links[li].calls.is_none());
                s.components[i].kind == Kind::Worker || {
                    let mut feeders = fed.map(|&li| from[li]).peekable();
                    feeders.peek().is_some() && feeders.all(least_connections)
                }
            })
            .collect();
        let parents = incoming.map(|li| from[li]);
        let clients = client_shares(s, &to, &outgoing);
        let map = Map::new(s, &parents);
        let hit = s
            .components
            .iter()
            .map(|c| hit_ratio::effective(s, c))
            .collect();
        Wiring {
            hit,
            hottest: hit_ratio::hottest(&s.traffic),
            scenario: s,
            to,
            outgoing,
            parents,
            shared,
            clients,
            map,
        }
    }

    /// Node `i` as it works in `states`, sending only to targets `healthy` accepts. A node
    /// in front of the data centres is built as users off the map see it (the population
    /// views replace it, see [`Views`]).
    pub fn node(&self, states: &[State], i: usize, healthy: &dyn Fn(usize) -> bool) -> Node {
        let near = (!self.map.front[i]).then_some(self.map.places[i]).flatten();
        let mut node = build_node(self, states, i, healthy, near);
        geo::place_hops(&self.map, &mut node, i, None);
        node
    }

    /// Node `i`, in front of the data centres, as users at `users` see it: latency routing
    /// picks what is nearest to them, and each hop pays its distance from them.
    pub fn view_node(
        &self,
        states: &[State],
        i: usize,
        healthy: &dyn Fn(usize) -> bool,
        users: Option<Location>,
    ) -> Node {
        let mut node = build_node(self, states, i, healthy, users);
        geo::place_hops(&self.map, &mut node, i, users);
        node
    }

    /// Node `i`'s hit ratio with `up` of its instances working: the one worked out for
    /// the design as it is, or, under a failure patched in that leaves another count, the
    /// one for that count.
    pub fn hit_with(&self, i: usize, up: u64) -> Option<hit_ratio::HitRatio> {
        let (s, c) = (self.scenario, &self.scenario.components[i]);
        if up == hit_ratio::up(s, c) {
            self.hit[i]
        } else {
            hit_ratio::with_up(s, c, up)
        }
    }

    /// Component `i`'s working state when `failed` says which components have failed how.
    pub fn state(&self, i: usize, failed: impl Fn(usize) -> Option<Failure>) -> State {
        let s = self.scenario;
        let c = &s.components[i];
        let instances = c.num("instances").max(1.0) as u64;
        match failed(i) {
            None => State::Up(instances),
            Some(f) => match f.lost {
                Some(lost) if lost < instances => State::Up(instances - lost),
                _ => match c.kind {
                    Kind::Cache | Kind::Cdn => State::Bypassed(None),
                    // Promoted: the first replica its writes stream to that is up.
                    Kind::Database if c.opt_num("failover_s").is_some() => self.outgoing[i]
                        .iter()
                        .map(|&li| (&s.links[li], self.to[li]))
                        .find(|&(l, t)| l.replicates(c, &s.components[t]) && failed(t).is_none())
                        .map_or(State::Down, |(_, promoted)| State::Bypassed(Some(promoted))),
                    _ => State::Down,
                },
            },
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
            delay: 0.0,
        })
        .collect()
}

/// For every component with a rate limit per client: each client's share of the traffic
/// that reaches it, in the order of the scenario's clients. A client counts with its
/// traffic share if any path of links leads from it to the component. This takes every
/// client's traffic to split the same way on the way there (exact when the clients reach
/// the limit through the same components, as behind one DNS or balancer); the simulator
/// keeps a bucket per client whatever the paths.
fn client_shares(s: &Scenario, to: &[usize], outgoing: &Adjacency) -> Vec<Vec<f64>> {
    let n = s.components.len();
    let mut out = vec![Vec::new(); n];
    let limited: Vec<usize> = (0..n)
        .filter(|&i| {
            let c = &s.components[i];
            c.opt_num("rate_limit_rps").is_some() && c.choice("rate_limit_scope") == "client"
        })
        .collect();
    if limited.is_empty() {
        return out;
    }
    let clients: Vec<usize> = (0..n)
        .filter(|&i| s.components[i].kind == Kind::Client)
        .collect();
    let reached: Vec<Vec<bool>> = clients
        .iter()
        .map(|&c| {
            let mut seen = vec![false; n];
            let mut stack = vec![c];
            while let Some(v) = stack.pop() {
                if !std::mem::replace(&mut seen[v], true) {
                    stack.extend(outgoing[v].iter().map(|&li| to[li]));
                }
            }
            seen
        })
        .collect();
    for v in limited {
        let weights: Vec<f64> = clients
            .iter()
            .zip(&reached)
            .map(|(&c, seen)| {
                if seen[v] {
                    s.components[c].num("share")
                } else {
                    0.0
                }
            })
            .collect();
        let total: f64 = weights.iter().sum();
        out[v] = weights
            .iter()
            .map(|w| if total > 0.0 { w / total } else { 0.0 })
            .collect();
    }
    out
}

/// Node `i`; a DNS that routes by latency sends to the targets nearest to `near` (by link
/// weight when `near` is unknown).
fn build_node(
    wiring: &Wiring,
    states: &[State],
    i: usize,
    healthy: &dyn Fn(usize) -> bool,
    near: Option<Location>,
) -> Node {
    let s = wiring.scenario;
    let (links, shared_queue, clients) = (
        &wiring.outgoing[i][..],
        wiring.shared[i],
        &wiring.clients[i][..],
    );
    let c = &s.components[i];
    let me = states[i];
    let mut node = Node {
        routes: Default::default(),
        calls: Default::default(),
        asyncs: Default::default(),
        completes: [0.0; 3],
        fails: [0.0; 3],
        station: match me {
            State::Up(instances) if c.kind.is_station() => {
                let mut st = Station::new(c, shared_queue);
                st.instances = instances;
                // The workload's hot key, unless a share is typed (the station has that).
                if let (Kind::ShardGroup, Some(_)) = (c.kind, wiring.hottest) {
                    st.shards = group_shares(c, st.shards.len(), wiring.hottest);
                }
                if let Some(limit) = st.limit.as_mut() {
                    limit.clients = clients.to_vec();
                }
                Some(st)
            }
            _ => None,
        },
        delay: if c.kind == Kind::Region {
            c.num("rtt_ms") / 1000.0
        } else {
            0.0
        },
    };
    let target = |li: usize| wiring.to[li];
    if me == State::Down {
        // Everything that reaches a dead component fails there.
        node.fails = [1.0; 3];
        return node;
    }
    let by_latency = wiring.map.by_latency[i];
    let algorithm = if c.kind == Kind::LoadBalancer {
        c.choice("algorithm")
    } else {
        ""
    };
    for class in Class::ALL {
        let k = class.index();
        let carrying = || {
            links
                .iter()
                .copied()
                .filter(move |&li| s.links[li].carries(class))
        };
        for li in carrying().filter(|&li| s.links[li].calls.is_some()) {
            node.calls[k].push(Edge {
                to: target(li),
                link: li,
                p: s.links[li].calls.unwrap_or(1.0),
                delay: 0.0,
            });
        }
        let hand_offs: Targets = carrying()
            .filter(|&li| s.links[li].calls.is_none())
            .map(|li| (target(li), li))
            .collect();
        let is_replica = |&(t, _): &(usize, usize)| s.components[t].kind == Kind::ReadReplica;
        // Which hand-offs this class may take, and the share of it that moves on.
        let (mut eligible, forward): (Targets, f64) = match (c.kind, class, me) {
            // A failed-over primary: writes (and static) go to the promoted replica, reads to
            // the other replicas, or to the promoted one when it is the last.
            (Kind::Database, _, State::Bypassed(Some(promoted))) => {
                let (eligible, replication) =
                    failed_over(s, c, class, links, (promoted, states), target);
                node.asyncs[k] = replication;
                (eligible, 1.0)
            }
            (Kind::Queue, _, _) => {
                // Consumers that are down take nothing; with every one down, the messages
                // stay for them and are never processed: they are theirs to count.
                let mut hand_offs = hand_offs;
                if hand_offs.iter().any(|&(t, _)| states[t].routable()) {
                    hand_offs.retain(|&mut (t, _)| states[t].routable());
                }
                let weights: SmallVec<[f64; 4]> = hand_offs
                    .iter()
                    .map(|&(_, li)| s.links[li].weight())
                    .collect();
                node.asyncs[k] = split(1.0, &hand_offs, &weights);
                (Targets::new(), 0.0)
            }
            (kind, Class::Write | Class::Static, _) if kind.is_primary() => {
                if class == Class::Write {
                    // Every replica applies every write, at `replication_cost` of its work.
                    let cost = c.num("replication_cost");
                    for li in links.iter().copied() {
                        let t = target(li);
                        let r = &s.components[t];
                        if r.kind == Kind::ReadReplica && s.links[li].calls.is_none() {
                            let edge = Edge {
                                to: t,
                                link: li,
                                p: cost,
                                delay: 0.0,
                            };
                            // A synchronous replica answers before the primary does; an
                            // asynchronous one that is down is sent nothing (it catches up
                            // when back, not modelled): the writes are answered all the same,
                            // so nothing is lost or stranded there.
                            if r.choice("replication") == "sync" {
                                node.calls[k].push(edge);
                            } else if states[t] != State::Down {
                                node.asyncs[k].push(edge);
                            }
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
            (Kind::Cache, Class::Read | Class::Static, State::Up(up))
            | (Kind::Cdn, Class::Static, State::Up(up)) => (
                hand_offs,
                1.0 - wiring.hit_with(i, up).map_or(0.0, |h| h.value),
            ),
            _ => (hand_offs, 1.0),
        };
        // Unhealthy targets are routed around (see `health`); bypassed ones still pass
        // requests on.
        let had_candidates = !eligible.is_empty();
        eligible.retain(|&mut (t, _)| healthy(t));
        if let Some(from) = near.filter(|_| by_latency) {
            geo::nearest(&wiring.map, &mut eligible, from);
        }
        let weights: SmallVec<[f64; 4]> = eligible
            .iter()
            .map(|&(t, li)| match (c.kind, algorithm) {
                (Kind::LoadBalancer, "round_robin" | "ip_hash") => 1.0,
                (Kind::LoadBalancer, "least_connections") if s.components[t].kind.is_station() => {
                    Station::new(&s.components[t], true).capacity()
                }
                _ => s.links[li].weight(),
            })
            .collect();
        node.routes[k] = split(forward, &eligible, &weights);
        // `split` hands on all of `forward`; the sum of its shares may miss it in the last
        // bit, which must not read as a failure (a health check sees any failure).
        let routed = if node.routes[k].is_empty() {
            0.0
        } else {
            forward
        };
        // What has nowhere to go fails when it should have moved on: a client always sends,
        // a bypassed component only passes on, a relay (a router, or a cache's misses) holds
        // no answer, and a component whose every target for this class is dead cannot
        // finish the requests it would have handed over.
        // A primary whose replicas are all gone serves the reads itself.
        let had_candidates = had_candidates && !(c.kind.is_primary() && class == Class::Read);
        let must_forward = c.kind == Kind::Client || matches!(me, State::Bypassed(_));
        let stranded = if must_forward
            || c.kind.relays()
            || (had_candidates && eligible.is_empty() && forward > 0.0)
        {
            (forward - routed)
                .max(0.0)
                .max(if must_forward { 1.0 - routed } else { 0.0 })
        } else {
            0.0
        };
        node.fails[k] = stranded.min(1.0);
        node.completes[k] = (1.0 - routed - node.fails[k]).max(0.0);
    }
    node
}

/// Where a failed-over primary's requests of `class` go: writes (and static) to the promoted
/// replica, reads to the other replicas, or to the promoted one when it is the last. Writes
/// also replicate to the other replicas that are not down (the second value), as a
/// working primary's do.
fn failed_over(
    s: &Scenario,
    c: &crate::model::Component,
    class: Class,
    links: &[usize],
    (promoted, states): (usize, &[State]),
    target: impl Fn(usize) -> usize,
) -> (Targets, Vec<Edge>) {
    // Every replica link counts here, whatever classes it carried before.
    let replicas: Targets = links
        .iter()
        .filter(|&&li| s.links[li].calls.is_none())
        .map(|&li| (target(li), li))
        .filter(|&(t, _)| s.components[t].kind == Kind::ReadReplica)
        .collect();
    let (to_promoted, others): (Targets, Targets) =
        replicas.into_iter().partition(|&(t, _)| t == promoted);
    let replication = if class == Class::Write {
        let cost = c.num("replication_cost");
        others
            .iter()
            .filter(|&&(to, _)| states[to] != State::Down)
            .map(|&(to, link)| Edge {
                to,
                link,
                p: cost,
                delay: 0.0,
            })
            .collect()
    } else {
        Vec::new()
    };
    match class {
        Class::Read if !others.is_empty() => (others, replication),
        _ => (to_promoted, replication),
    }
}

/// Strongly connected components in topological order (upstream first), and each node's rank.
fn topological_sccs(nodes: &[Node]) -> (Vec<Vec<usize>>, Vec<usize>) {
    let mut g = DiGraph::<(), ()>::with_capacity(nodes.len(), nodes.len());
    for _ in nodes {
        g.add_node(());
    }
    // Repeated edges change nothing for Tarjan's algorithm; `update_edge` would look each
    // one up first, which is quadratic in a node's fan-out.
    for (i, n) in nodes.iter().enumerate() {
        for e in n.all_edges() {
            g.add_edge(NodeIndex::new(i), NodeIndex::new(e.to), ());
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
