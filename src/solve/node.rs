//! One component as the solver sees it: where each class of request goes from it, and
//! whether it works under the scenario's what-if failures.

use super::station::Station;
use smallvec::SmallVec;

/// A hop from one node to another.
/// Where a node may hand a class on while it is being built: (target, link) pairs. A node
/// has a few outgoing links, so they are kept inline rather than allocated per node and class.
pub(crate) type Targets = SmallVec<[(usize, usize); 4]>;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Edge {
    /// Receiving node.
    pub to: usize,
    /// Index of the scenario link this hop follows (for per-link flows).
    pub link: usize,
    /// Routes: probability a served request continues here. Calls and async copies: how many
    /// requests to the target one served request causes.
    pub p: f64,
    /// Network round trip paid on this hop, seconds: the distance between the places of
    /// its ends (see `geo.rs`); zero within one place or where a place is unknown.
    pub delay: f64,
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
    /// Share of served class-k requests that fail here: nowhere alive to send them, or the
    /// component itself is down.
    pub fails: [f64; 3],
    /// The queueing model, for kinds that have servers.
    pub station: Option<Station>,
    /// Fixed network delay added to every request passing, seconds (regions).
    pub delay: f64,
}

impl Node {
    /// Every hop a class-`k` request served here causes.
    pub fn all_edges_of(&self, k: usize) -> impl Iterator<Item = &Edge> {
        self.routes[k]
            .iter()
            .chain(&self.calls[k])
            .chain(&self.asyncs[k])
    }

    /// Every outgoing hop of any sort, for graph algorithms.
    pub fn all_edges(&self) -> impl Iterator<Item = &Edge> {
        self.routes
            .iter()
            .chain(self.calls.iter())
            .chain(self.asyncs.iter())
            .flatten()
    }
}

/// How a component works under the scenario's what-if failures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum State {
    /// Working, with this many instances left.
    Up(u64),
    /// Down, but requests pass it by: a cache or CDN whose callers go straight to its
    /// origin, or a primary whose writes go to the promoted replica `usize` (failover).
    Bypassed(Option<usize>),
    /// Down: whatever reaches it fails.
    Down,
}

impl State {
    /// Whether requests may be sent here.
    pub fn routable(self) -> bool {
        !matches!(self, State::Down)
    }
}
