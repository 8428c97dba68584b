//! Distance: what a hop between two places costs, where latency routing sends each user
//! population, and how the nodes in front of the data centres look to each population.
//!
//! A request pays the round trip of every hop between two places (`Edge::delay`). Where
//! the users are matters only until a request reaches the first component that stands
//! somewhere: the clients and the unplaced components they reach first (a global DNS or
//! CDN) are *in front*, and each population sees them with its own distances and its own
//! nearest targets. Everything behind them is the same for every population. MODEL.md §21.

use super::node::{Edge, Node, Targets};
use crate::model::{Adjacency, Geography, Kind, Location, Scenario};

/// Where the components of a design stand, worked out once per build.
#[derive(Debug, Clone)]
pub(crate) struct Map {
    /// Per component: its place ([`Scenario::places`]).
    pub places: Vec<Option<Location>>,
    /// Per component: whether it is in front of the data centres (see [`front`]).
    pub front: Vec<bool>,
    /// Per component: whether it is a client.
    client: Vec<bool>,
    /// Per component: whether it is a DNS that routes by latency.
    pub by_latency: Vec<bool>,
    /// Per component: the components with a link into it.
    parents: Adjacency,
    /// The distances between places.
    pub geography: Geography,
}

impl Map {
    /// The map of `s`, whose links into each component come from `parents`.
    pub fn new(s: &Scenario, parents: &Adjacency) -> Map {
        let places = s.places();
        let front = front(s, &places, parents);
        Map {
            front,
            places,
            client: s
                .components
                .iter()
                .map(|c| c.kind == Kind::Client)
                .collect(),
            by_latency: s
                .components
                .iter()
                .map(|c| c.kind == Kind::Dns && c.choice("routing") == "latency")
                .collect(),
            parents: parents.clone(),
            geography: s.geography(),
        }
    }
}

/// Per component: whether it is in front of the data centres. Clients are; so is an
/// unplaced component whose senders all are (outside loops: a loop waits for itself and
/// never qualifies).
fn front(s: &Scenario, places: &[Option<Location>], parents: &Adjacency) -> Vec<bool> {
    let n = s.components.len();
    let mut front: Vec<bool> = s
        .components
        .iter()
        .map(|c| c.kind == Kind::Client)
        .collect();
    let edges = parents
        .iter()
        .enumerate()
        .flat_map(|(t, ps)| ps.iter().map(move |&p| (p, t)));
    let children = Adjacency::new(n, edges);
    // Each node waits for its senders to be in front; the last one puts it there.
    let mut waiting: Vec<usize> = parents.iter().map(<[usize]>::len).collect();
    let mut ready: Vec<usize> = (0..n).filter(|&v| front[v]).collect();
    while let Some(v) = ready.pop() {
        for &t in &children[v] {
            waiting[t] -= 1;
            if waiting[t] == 0 && !front[t] && places[t].is_none() {
                front[t] = true;
                ready.push(t);
            }
        }
    }
    front
}

/// Sets the round trip of every hop leaving node `i`: between the places of its ends, or,
/// in front of the data centres, from where the `users` are (their last mile on leaving a
/// client, and their distance to the first place they reach).
pub(super) fn place_hops(map: &Map, node: &mut Node, i: usize, users: Option<Location>) {
    let g = &map.geography;
    let ms = |to: usize| -> f64 {
        if map.front[i] {
            let Some(from) = users else { return 0.0 };
            let last_mile = if map.client[i] { g.access_ms() } else { 0.0 };
            let distance = match (map.front[to], map.places[to]) {
                (false, Some(site)) => g.between_ms(from, site),
                _ => 0.0,
            };
            last_mile + distance
        } else {
            match (map.places[i], map.places[to]) {
                (Some(a), Some(b)) => g.between_ms(a, b),
                _ => 0.0,
            }
        }
    };
    for edges in node
        .routes
        .iter_mut()
        .chain(node.calls.iter_mut())
        .chain(node.asyncs.iter_mut())
    {
        for e in edges {
            e.delay = ms(e.to) / 1000.0;
        }
    }
}

/// Keeps the targets among `eligible` (target, link) nearest to `from`; ties all stay.
/// Targets without a place are farther than any place (validation asks for places).
pub(super) fn nearest(map: &Map, eligible: &mut Targets, from: Location) {
    let distance =
        |t: usize| map.places[t].map_or(f64::INFINITY, |site| map.geography.between_ms(from, site));
    let best = eligible
        .iter()
        .map(|&(t, _)| distance(t))
        .fold(f64::INFINITY, f64::min);
    eligible.retain(|&mut (t, _)| distance(t) <= best);
}

/// The users of one place (or the users off the map), and the nodes in front of the data
/// centres as they see them.
#[derive(Debug, Clone)]
pub(crate) struct Population {
    /// Where the users are; `None` for clients without a location.
    pub place: Option<Location>,
    /// Their clients, with each one's share of all the traffic.
    pub sources: Vec<(usize, f64)>,
    /// The front nodes as this population sees them, in the order of [`Views::front`].
    nodes: Vec<Node>,
}

/// The populations and the nodes in front of the data centres.
#[derive(Debug, Clone)]
pub(crate) struct Views {
    /// The front nodes, in the order of the scenario's components.
    pub front: Vec<usize>,
    /// Per node: its position in `front`, if it is there.
    position: Vec<Option<usize>>,
    pub populations: Vec<Population>,
}

impl Population {
    /// Node `v` as this population sees it, when it is in front; `None` behind.
    pub fn node<'a>(&'a self, views: &Views, v: usize) -> Option<&'a Node> {
        views.position[v].map(|p| &self.nodes[p])
    }

    /// This population's share of all the traffic.
    pub fn share(&self) -> f64 {
        self.sources.iter().map(|&(_, p)| p).sum()
    }
}

impl Views {
    /// The views of a design where some users are on the map (`None` otherwise: every
    /// node is then the same for everyone).
    /// `view_node(v, users)` builds front node `v` as users at `users` see it.
    pub(super) fn build(
        map: &Map,
        sources: &[(usize, f64)],
        view_node: impl Fn(usize, Option<Location>) -> Node,
    ) -> Option<Views> {
        if sources.iter().all(|&(v, _)| map.places[v].is_none()) {
            return None;
        }
        let front: Vec<usize> = (0..map.front.len()).filter(|&v| map.front[v]).collect();
        let mut position = vec![None; map.front.len()];
        for (p, &v) in front.iter().enumerate() {
            position[v] = Some(p);
        }
        let mut places: Vec<Option<Location>> =
            sources.iter().map(|&(v, _)| map.places[v]).collect();
        crate::sort::ascending(&mut places);
        places.dedup();
        let populations = places
            .into_iter()
            .map(|place| Population {
                place,
                sources: sources
                    .iter()
                    .copied()
                    .filter(|&(v, _)| map.places[v] == place)
                    .collect(),
                nodes: front.iter().map(|&v| view_node(v, place)).collect(),
            })
            .collect();
        Some(Views {
            front,
            position,
            populations,
        })
    }

    /// Sets the routes of every front DNS that routes by latency to what all populations
    /// send together: each population's routes weighted by its share of the class reaching
    /// the DNS (the flow, the health checks and availability see the sum). Shares are the
    /// offered traffic's, exact when nothing in front drops one population more than
    /// another (a DNS fed by the clients directly).
    pub(super) fn mix_into(&self, map: &Map, nodes: &mut [Node]) {
        let routers: Vec<usize> = self
            .front
            .iter()
            .copied()
            .filter(|&v| map.by_latency[v])
            .collect();
        if routers.is_empty() {
            return;
        }
        let order = self.upstream_first(map);
        // arrivals[population][front position][class], per unit of offered traffic.
        let arrivals: Vec<Vec<[f64; 3]>> = self
            .populations
            .iter()
            .map(|pop| {
                let mut a = vec![[0.0; 3]; self.front.len()];
                for &(v, share) in &pop.sources {
                    if let Some(p) = self.position[v] {
                        a[p] = [share; 3];
                    }
                }
                for &v in &order {
                    let Some(p) = self.position[v] else { continue };
                    let node = &pop.nodes[p];
                    for k in 0..3 {
                        let here = a[p][k];
                        for e in node.routes[k].iter().chain(&node.calls[k]) {
                            if let Some(q) = self.position[e.to] {
                                a[q][k] += here * e.p;
                            }
                        }
                    }
                }
                a
            })
            .collect();
        for v in routers {
            let Some(p) = self.position[v] else { continue };
            for k in 0..3 {
                let total: f64 = arrivals.iter().map(|a| a[p][k]).sum();
                if total <= 0.0 {
                    continue;
                }
                let mut mixed: Vec<Edge> = Vec::new();
                for (pop, a) in self.populations.iter().zip(&arrivals) {
                    let weight = a[p][k] / total;
                    for e in &pop.nodes[p].routes[k] {
                        match mixed.iter_mut().find(|m| m.link == e.link) {
                            Some(m) => m.p += weight * e.p,
                            None => mixed.push(Edge {
                                p: weight * e.p,
                                delay: 0.0,
                                ..*e
                            }),
                        }
                    }
                }
                mixed.retain(|e| e.p > 0.0);
                nodes[v].routes[k] = mixed;
            }
        }
    }

    /// The front nodes ordered so that every node comes after its senders.
    fn upstream_first(&self, map: &Map) -> Vec<usize> {
        let mut done = vec![false; self.position.len()];
        let mut order = Vec::with_capacity(self.front.len());
        // Front nodes are outside loops, so repeated sweeps place them all.
        while order.len() < self.front.len() {
            let before = order.len();
            for &v in &self.front {
                if !done[v]
                    && map.parents[v]
                        .iter()
                        .all(|&u| done[u] || self.position[u].is_none())
                {
                    done[v] = true;
                    order.push(v);
                }
            }
            if order.len() == before {
                break;
            }
        }
        order
    }
}
