//! The routing rules of one stretch of the run, compiled from the analytic core's network.
//!
//! The simulator does not have routing rules of its own: each epoch (a stretch of time with
//! one set of components believed failed) builds the same [`Network`] the analytic core
//! solves, and flattens it into per-node, per-class tables a request can be routed by with
//! one random number.

use crate::model::{Failure, Kind, Location, Problems, Scenario};
use crate::solve::network::{Network, State};
use crate::solve::station::Station;
use std::collections::BTreeMap;

/// One possible next hop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Hop {
    pub to: u32,
    /// Routes: probability. Calls and async copies: mean count per served request.
    pub p: f64,
    /// The scenario link it follows.
    pub link: u32,
    /// The round trip paid on the way, seconds (between two places).
    pub delay: f64,
}

/// What happens to a class of requests after a node has served it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Way {
    /// Probability the request finishes here.
    pub complete: f64,
    /// Probability it fails here (nowhere alive to go).
    pub fail: f64,
    /// Hand-offs, with probabilities summing to `1 − complete − fail`.
    pub routes: Vec<Hop>,
    /// Synchronous calls, made one after the other before moving on.
    pub calls: Vec<Hop>,
    /// Fire-and-forget work caused elsewhere.
    pub asyncs: Vec<Hop>,
}

/// How a node picks among its hand-offs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Balance {
    /// At random, by the routes' probabilities.
    Random,
    /// Each target in turn.
    RoundRobin,
    /// The target with the fewest requests in it per server.
    LeastConnections,
    /// By a hash of the client's key: one client always lands on the same target.
    IpHash,
}

/// One node in one epoch.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub ways: [Way; 3],
    /// Whether requests are served by the node's own servers (false when it is bypassed,
    /// down, or has none).
    pub serve: bool,
    /// Whether requests pass it by (a dead cache whose callers go to the origin).
    pub bypassed: bool,
    /// Fixed delay added to every passing request, seconds.
    pub delay: f64,
    pub balance: Balance,
}

/// The routing of the whole network in one epoch.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    pub rows: Vec<Row>,
    /// Replicas promoted in place of a failed primary.
    pub promoted: Vec<u32>,
    /// With users on the map: per population, the nodes in front of the data centres as
    /// it sees them (in the order of `front`'s positions; see `solve/geo.rs`).
    views: Vec<Vec<Row>>,
    /// Per node: its position among the front nodes, or `NOT_FRONT`.
    front: Vec<u32>,
    /// Per node: the population of a client, or `NOT_FRONT`.
    population: Vec<u32>,
    /// Per population: where its users are.
    places: Vec<Option<Location>>,
}

const NOT_FRONT: u32 = u32::MAX;

impl Table {
    /// Builds the table for `s` with `failed` as the components believed failed.
    pub fn build(s: &Scenario, failed: &BTreeMap<String, Failure>) -> Result<Table, Problems> {
        let mut view = s.clone();
        view.failed = failed.clone();
        view.simulation = None;
        let net = Network::build(&view)?;
        let row = |v: usize, n: &crate::solve::network::Node| {
            let c = &s.components[v];
            let hops = |edges: &[crate::solve::network::Edge]| -> Vec<Hop> {
                edges
                    .iter()
                    .map(|e| Hop {
                        to: e.to as u32,
                        p: e.p,
                        link: e.link as u32,
                        delay: e.delay,
                    })
                    .collect()
            };
            let ways = std::array::from_fn(|k| Way {
                complete: n.completes[k],
                fail: n.fails[k],
                routes: hops(&n.routes[k]),
                calls: hops(&n.calls[k]),
                asyncs: hops(&n.asyncs[k]),
            });
            Row {
                ways,
                serve: n.station.is_some(),
                bypassed: matches!(net.states[v], State::Bypassed(_)),
                delay: n.delay,
                balance: match (c.kind, c.choice("algorithm")) {
                    (Kind::LoadBalancer, "round_robin") => Balance::RoundRobin,
                    (Kind::LoadBalancer, "least_connections") => Balance::LeastConnections,
                    (Kind::LoadBalancer, "ip_hash") => Balance::IpHash,
                    _ => Balance::Random,
                },
            }
        };
        let rows = net
            .nodes
            .iter()
            .enumerate()
            .map(|(v, n)| row(v, n))
            .collect();
        let n = net.nodes.len();
        let (mut front, mut population) = (vec![NOT_FRONT; n], vec![NOT_FRONT; n]);
        let places = net
            .views
            .iter()
            .flat_map(|v| &v.populations)
            .map(|p| p.place)
            .collect();
        let views = match &net.views {
            None => Vec::new(),
            Some(views) => {
                for (p, &v) in views.front.iter().enumerate() {
                    front[v] = p as u32;
                }
                for (q, pop) in views.populations.iter().enumerate() {
                    for &(v, _) in &pop.sources {
                        population[v] = q as u32;
                    }
                }
                views
                    .populations
                    .iter()
                    .map(|pop| {
                        views
                            .front
                            .iter()
                            .map(|&v| row(v, pop.node(views, v).unwrap_or(&net.nodes[v])))
                            .collect()
                    })
                    .collect()
            }
        };
        let promoted = net
            .states
            .iter()
            .filter_map(|st| match st {
                State::Bypassed(Some(r)) => Some(*r as u32),
                _ => None,
            })
            .collect();
        Ok(Table {
            rows,
            promoted,
            views,
            front,
            population,
            places,
        })
    }

    /// The user populations on the map (empty when none is): each one's place, and per
    /// node the index of a client's population (`u32::MAX` for every other node).
    pub fn populations(&self) -> (&[Option<Location>], &[u32]) {
        (&self.places, &self.population)
    }

    /// Node `v` as the users of client `source` see it (`source` is `NONE`-like, past
    /// every node, for background work): its own row, unless it is in front of the data
    /// centres and those users are on the map.
    pub fn row(&self, v: u32, source: u32) -> &Row {
        let (Some(&pos), Some(&pop)) = (
            self.front.get(v as usize),
            self.population.get(source as usize),
        ) else {
            return &self.rows[v as usize];
        };
        if pos == NOT_FRONT || pop == NOT_FRONT {
            return &self.rows[v as usize];
        }
        &self.views[pop as usize][pos as usize]
    }
}

/// The stations of the scenario as it starts (with its what-if failures), per node, and
/// the clients with their shares of the traffic.
pub(crate) type Base = (Vec<Option<Station>>, Vec<(u32, f64)>);

/// Reads [`Base`] off the scenario's network.
pub(crate) fn base(s: &Scenario) -> Result<Base, Problems> {
    let net = Network::build(s)?;
    let sources = net.sources.iter().map(|&(v, p)| (v as u32, p)).collect();
    Ok((net.nodes.into_iter().map(|n| n.station).collect(), sources))
}
