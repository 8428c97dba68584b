//! One more failure applied to a built network in place, and taken back: the N−1 sweep
//! re-solves hundreds of single failures, and rebuilding the whole network for each would
//! make it quadratic.
//!
//! A failure changes only the failed node, the nodes that send to it (they stop sending to a
//! dead target), and, through the health checks, deep-checking routers upstream that now
//! avoid a target that cannot serve. Everything else is built from unchanged inputs and
//! would come out the same, so it is kept.

use super::network::Network;
use super::node::{Node, State};
use crate::model::Failure;

/// What [`Network::fail`] replaced, to put back with [`Network::undo`].
#[derive(Debug)]
pub(crate) struct Undo {
    states: Vec<(usize, State)>,
    nodes: Vec<(usize, Node)>,
}

impl Undo {
    /// The nodes that were rebuilt, each with what it was before.
    pub fn rebuilt(&self) -> impl Iterator<Item = (usize, &Node)> + '_ {
        self.nodes.iter().map(|(i, node)| (*i, node))
    }
}

impl Network<'_> {
    /// Applies the failure of node `v` as `failure` on top of the scenario's own, as if the
    /// scenario had said so and been built again. `None` (and nothing changed) where a
    /// patch could differ from a fresh build: when the design has a loop, or its health
    /// checks already route around something, or a change would reverse the order the
    /// nodes are solved in.
    pub fn fail(&mut self, v: usize, failure: Failure) -> Option<Undo> {
        // With users on the map every population sees the front differently: rebuilt.
        if self.rerouted || self.views.is_some() || self.sccs.iter().any(|scc| scc.len() > 1) {
            return None;
        }
        let s = self.scenario;
        let failed = |t: usize| {
            if t == v {
                Some(failure)
            } else {
                s.failed.get(&s.components[t].id).copied()
            }
        };
        let state = self.wiring.state(v, failed);
        let parents = self.wiring.parents[v].to_vec();
        // A failed-over primary whose promoted replica fails changes state too: rare enough
        // to leave to a fresh build.
        if parents
            .iter()
            .any(|&p| self.wiring.state(p, failed) != self.states[p])
        {
            return None;
        }
        let mut undo = Undo {
            states: vec![(v, std::mem::replace(&mut self.states[v], state))],
            nodes: Vec::new(),
        };
        let mut changed = vec![v];
        if !matches!(state, State::Up(_)) {
            changed.extend(parents.iter().copied().filter(|&p| p != v));
            changed.sort_unstable();
            changed.dedup();
        }
        // As built first: every sender avoids dead targets.
        for &i in &changed {
            let node = self
                .wiring
                .node(&self.states, i, &|t| self.states[t].routable());
            undo.nodes
                .push((i, std::mem::replace(&mut self.nodes[i], node)));
        }
        if !matches!(state, State::Up(_)) {
            let works =
                self.health
                    .after(&self.nodes, &self.states, &self.wiring.parents, &changed);
            let deep = &self.health.deep;
            if deep.iter().any(|&d| d) {
                // Deep-checking routers move traffic off what cannot serve.
                let mut routers: Vec<usize> = (0..self.nodes.len())
                    .filter(|&t| !works[t])
                    .flat_map(|t| self.wiring.parents[t].iter().copied())
                    .filter(|&i| deep[i])
                    .collect();
                routers.sort_unstable();
                routers.dedup();
                for i in routers {
                    let node = self
                        .wiring
                        .node(&self.states, i, &|t| self.states[t].routable() && works[t]);
                    let old = std::mem::replace(&mut self.nodes[i], node);
                    if !changed.contains(&i) {
                        undo.nodes.push((i, old));
                    }
                }
            }
        }
        // The solve order stays valid only if every rebuilt node still sends downstream.
        let forward = undo.nodes.iter().all(|(i, _)| {
            let i = *i;
            self.nodes[i]
                .all_edges()
                .all(|e| self.rank[e.to] > self.rank[i])
        });
        if !forward {
            self.undo(undo);
            return None;
        }
        Some(undo)
    }

    /// Puts back what [`fail`](Self::fail) replaced.
    pub fn undo(&mut self, undo: Undo) {
        for (i, node) in undo.nodes.into_iter().rev() {
            self.nodes[i] = node;
        }
        for (i, state) in undo.states.into_iter().rev() {
            self.states[i] = state;
        }
    }
}
