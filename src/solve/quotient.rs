//! Nodes whose end-to-end transforms are equal by construction, so that latency is worked out
//! once per distinct node instead of once per node.
//!
//! Real designs repeat themselves: four identical app pools behind a balancer, the same cell
//! in every region, a shard group's replicas. Two nodes have the same transform `R_k(v)(s)`
//! when their own sojourn transforms are equal (same station state, same delay) and they
//! send every class on to the same share of nodes that are themselves equal. Found from the
//! bottom of the graph up, that relation merges whole identical subtrees. The merged
//! evaluation does exactly the arithmetic the unmerged one would, in the same order, so the
//! numbers are the same bit for bit.

use super::network::Network;
use super::node::Edge;
use super::station::Load;
use foldhash::{HashMap, HashMapExt};

/// Which nodes share a transform.
pub(crate) struct Quotient {
    /// Per node: the slot of its class (its distinct transform).
    pub slot: Vec<usize>,
    /// Per node: whether it is the first of its class, the one evaluated.
    pub evaluated: Vec<bool>,
    /// Number of distinct classes.
    pub len: usize,
}

impl Quotient {
    /// Groups the nodes of `net` whose station states are `loads`. Nodes inside a loop are
    /// each their own class.
    pub fn new(net: &Network, loads: &[Option<Load>]) -> Quotient {
        let n = net.nodes.len();
        let mut slot = vec![usize::MAX; n];
        let mut evaluated = vec![false; n];
        let mut seen: HashMap<Vec<u64>, usize> = HashMap::new();
        let mut len = 0;
        let mut key = Vec::new();
        for scc in net.sccs.iter().rev() {
            if let [v] = scc[..] {
                key.clear();
                signature(net, loads, &slot, v, &mut key);
                match seen.get(&key) {
                    Some(&class) => slot[v] = class,
                    None => {
                        seen.insert(key.clone(), len);
                        slot[v] = len;
                        evaluated[v] = true;
                        len += 1;
                    }
                }
            } else {
                for &v in scc {
                    slot[v] = len;
                    evaluated[v] = true;
                    len += 1;
                }
            }
        }
        Quotient {
            slot,
            evaluated,
            len,
        }
    }

    /// Every node its own class: the evaluation without merging.
    pub fn distinct(n: usize) -> Quotient {
        Quotient {
            slot: (0..n).collect(),
            evaluated: vec![true; n],
            len: n,
        }
    }
}

/// Everything node `v`'s transform is computed from, as bits: its own sojourn and delay,
/// and per class where it finishes, hands on and calls (targets by class).
fn signature(net: &Network, loads: &[Option<Load>], slot: &[usize], v: usize, key: &mut Vec<u64>) {
    let node = &net.nodes[v];
    match &loads[v] {
        Some(load) => load.transform_key(key),
        None => key.push(u64::MAX),
    }
    key.push(node.delay.to_bits());
    let edges = |key: &mut Vec<u64>, edges: &[Edge]| {
        key.push(edges.len() as u64);
        for e in edges {
            key.push(e.p.to_bits());
            key.push(e.delay.to_bits());
            key.push(slot[e.to] as u64);
        }
    };
    for k in 0..3 {
        key.push(node.completes[k].to_bits());
        edges(key, &node.routes[k]);
        edges(key, &node.calls[k]);
    }
}
