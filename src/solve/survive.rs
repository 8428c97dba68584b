//! How a component's failure can be survived, for availability: a cache or CDN that can be
//! bypassed, a primary that fails over to a replica.

use super::availability;
use super::flow;
use super::hit_ratio::HitSource;
use super::network::{self, Network};
use super::queueing::saturates;
use super::replication::Streams;
use crate::model::Kind;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

/// Probability that component `v` does its part, for availability: instance redundancy
/// (k of n), plus two ways a failure can be survived. A cache or CDN whose callers can go
/// straight to the origin without overloading anything is bypassable, so its loss does not
/// take the system down. A primary with automatic failover is down only while a replica is
/// promoted: the share `failover_s / repair time` of its outages, if a replica is up.
pub(super) fn effective_up(net: &Network, demand: &flow::Flow, streams: &Streams, v: usize) -> f64 {
    let base = availability::node_up(net, demand, v);
    let s = net.scenario;
    let c = &s.components[v];
    if !matches!(net.states[v], network::State::Up(_)) {
        return base;
    }
    match c.kind {
        Kind::Cache | Kind::Cdn if !bypass_drops(net, demand, v) => 1.0,
        // Its instances must also hold enough keys for its misses (`room_needed`).
        Kind::Cache | Kind::Cdn => match (&net.nodes[v].station, room_needed(net, demand, v)) {
            (Some(st), room) if room > 1 => availability::needed(net, demand, v)
                .iter()
                .map(|&k| {
                    availability::at_least(
                        k.max(room).min(st.instances),
                        st.instances,
                        st.availability,
                    )
                })
                .product(),
            _ => base,
        },
        Kind::Database => match c.opt_num("failover_s") {
            Some(failover) => {
                let window = (failover / (c.num("repair_h") * 3600.0)).min(1.0);
                // The replicas it can promote are those its writes stream to, the ones
                // the simulator fails over to (a call link to a replica is a read).
                let replicas_down: f64 = streams
                    .replicas_of(v)
                    .map(|r| &s.components[r])
                    .filter(|r| !s.failed.contains_key(&r.id))
                    .map(|r| 1.0 - r.num("availability"))
                    .product();
                base + (1.0 - base) * (1.0 - replicas_down) * (1.0 - window)
            }
            None => base,
        },
        _ => base,
    }
}

/// The fewest of cache or CDN `v`'s instances whose room keeps its misses from making the
/// design drop traffic: fewer instances hold fewer keys ([`hit_ratio::with_up`]), and
/// what they no longer answer goes on as misses. 1 when its hit ratio does not come from
/// its room, or when even passing it by drops nothing.
pub(super) fn room_needed(net: &Network, demand: &flow::Flow, v: usize) -> u64 {
    let network::State::Up(up) = net.states[v] else {
        return 1;
    };
    let now = match net.wiring.hit_with(v, up) {
        Some(h) if h.source == HitSource::Workload && h.value > 0.0 => h.value,
        _ => return 1,
    };
    if up < 2 || !bypass_drops(net, demand, v) {
        return 1;
    }
    let drops = |k: u64| {
        let then = net.wiring.hit_with(v, k).map_or(0.0, |h| h.value);
        sends_on_drops(net, demand, v, ((now - then) / now).clamp(0.0, 1.0))
    };
    // More instances, more room, fewer misses: the fewest that drop nothing, by bisection
    // (all `up` of them drop nothing more than now).
    let (mut lo, mut hi) = (1, up);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if drops(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Whether bypassing cache or CDN `v` (its callers going straight to its origin) would
/// make the design drop traffic it does not drop now.
fn bypass_drops(net: &Network, demand: &flow::Flow, v: usize) -> bool {
    sends_on_drops(net, demand, v, 1.0)
}

/// Whether cache or CDN `v` sending on `share` of what it answers now, routed like its
/// misses, would make the design drop traffic it does not drop now. Demand is linear, so
/// that adds exactly those requests downstream: propagate the extra demand and see whether
/// it overloads anything (or meets a station that turns more away with any extra load: a
/// finite queue, a deadline, a rate limit).
fn sends_on_drops(net: &Network, demand: &flow::Flow, v: usize, share: f64) -> bool {
    let node = &net.nodes[v];
    // Only what lies downstream of the cache can change; it is usually a small part of the
    // design, so the extra demand is kept per node reached rather than for every node.
    let mut extra: HashMap<usize, [f64; 3]> = HashMap::new();
    for k in 0..3 {
        let arrival = demand.arrival[v][k];
        if arrival <= 0.0 || node.completes[k] <= 0.0 {
            continue;
        }
        let forwarded: f64 = node.routes[k].iter().map(|e| e.p).sum();
        if forwarded <= 0.0 {
            // Nowhere to send what the cache answered: bypassing it drops those requests.
            return true;
        }
        for e in &node.routes[k] {
            extra.entry(e.to).or_default()[k] +=
                arrival * node.completes[k] * share * e.p / forwarded;
        }
    }
    let mut below: Vec<usize> = Vec::new();
    let mut seen: HashSet<usize> = HashSet::new();
    let mut stack: Vec<usize> = node.all_edges().map(|e| e.to).collect();
    while let Some(u) = stack.pop() {
        if u != v && seen.insert(u) {
            below.push(u);
            stack.extend(net.nodes[u].all_edges().map(|e| e.to));
        }
    }
    crate::sort::by_key(&mut below, |&u| net.rank[u]);
    let looped = below.iter().any(|&u| net.sccs[net.rank[u]].len() > 1);
    let delta: HashMap<usize, [f64; 3]> = if looped {
        let mut external = vec![[0.0; 3]; net.nodes.len()];
        for (&u, &add) in &extra {
            external[u] = add;
        }
        match flow::propagate_from(net, external, |_, _| 1.0) {
            Ok(f) => below.iter().map(|&u| (u, f.arrival[u])).collect(),
            Err(_) => return true,
        }
    } else {
        for &u in &below {
            let add = extra.get(&u).copied().unwrap_or_default();
            for k in 0..3 {
                if add[k] > 0.0 {
                    for e in net.nodes[u].all_edges_of(k) {
                        extra.entry(e.to).or_default()[k] += add[k] * e.p;
                    }
                }
            }
        }
        extra
    };
    below.into_iter().any(|u| {
        let more: f64 = delta.get(&u).map_or(0.0, |d| d.iter().sum());
        if more <= 0.0 {
            return false;
        }
        let Some(st) = net.nodes[u].station.as_ref() else {
            return net.nodes[u].fails.iter().any(|f| *f > 0.0);
        };
        let total: f64 = demand.arrival[u].iter().sum::<f64>() + more;
        st.refuses_more_of_any_load() || saturates(st.load(total).load)
    })
}
