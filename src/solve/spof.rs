//! Why a single failure drops traffic, in one sentence: a structural cut (it is the only way
//! to some components), a capacity effect (what survives is overloaded), or a component
//! with no standby.

use super::hit_ratio::{self, HitSource};
use super::ComponentReport;
use crate::model::{Adjacency, Failure, HealthCheck, Kind, Scenario};
use petgraph::algo::dominators::{self, Dominators};
use petgraph::graph::{DiGraph, NodeIndex};

/// What a reason needs to know of one component in a solved design.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Seen {
    pub arrival_rps: f64,
    pub dropped_rps: f64,
    /// The part of `dropped_rps` with nowhere working to go.
    pub stranded_rps: f64,
    pub capacity_rps: Option<f64>,
    pub saturated: bool,
}

impl Seen {
    /// What a component's report says of it.
    pub fn of(c: &ComponentReport) -> Seen {
        Seen {
            arrival_rps: c.arrival_rps,
            dropped_rps: c.dropped_rps,
            stranded_rps: c.stranded_rps,
            capacity_rps: c.capacity_rps,
            saturated: c.saturated,
        }
    }
}

/// Which components each component is the only way to: the dominator tree of the link graph
/// from the clients (Cooper, Harvey & Kennedy's algorithm), found once for every failure.
pub(crate) struct Cuts {
    /// Per component: the components it immediately dominates.
    children: Adjacency,
    /// Component indices in id order (ties between equal effects go to the last id).
    by_id: Vec<usize>,
}

impl Cuts {
    pub fn new(s: &Scenario) -> Cuts {
        let n = s.components.len();
        let mut graph: DiGraph<(), ()> = DiGraph::with_capacity(n + 1, s.links.len() + n);
        for _ in 0..=n {
            graph.add_node(());
        }
        // Node n is a root that reaches every client.
        let root = NodeIndex::new(n);
        for (i, c) in s.components.iter().enumerate() {
            if c.kind == Kind::Client {
                graph.add_edge(root, NodeIndex::new(i), ());
            }
        }
        for (a, b) in s.link_ends().into_iter().flatten() {
            graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), ());
        }
        let doms: Dominators<NodeIndex> = dominators::simple_fast(&graph, root);
        let tree = (0..n).filter_map(|v| {
            let d = doms.immediate_dominator(NodeIndex::new(v))?.index();
            (d < n).then_some((d, v))
        });
        let children = Adjacency::new(n, tree);
        let mut by_id: Vec<usize> = (0..n).collect();
        crate::sort::by(&mut by_id, |&a, &b| {
            s.components[a].id.cmp(&s.components[b].id)
        });
        Cuts { children, by_id }
    }

    /// The components reachable from the clients only through `v`, in scenario order.
    pub fn behind(&self, v: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = self.children[v].to_vec();
        while let Some(u) = stack.pop() {
            out.push(u);
            stack.extend(&self.children[u]);
        }
        out.sort_unstable();
        out
    }
}

/// Requests per second the whole design drops, now and with the failure, and the rate
/// below which two rates are equal up to rounding.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Drops {
    pub now: f64,
    pub failed: f64,
    pub rounding: f64,
}

/// Requests per second that a component drops with a failure, beyond what it drops without
/// it, for want of redundancy: requests with nowhere working to go, and requests refused by
/// a component the failure leaves saturated. A queue that is merely busier (bounded, or
/// shedding long waits, or a token bucket meeting more bursts) also turns a few more away,
/// but what survives still carries the load, as availability's capacity test says: that
/// is a degradation the N−1 row shows, not a single point of failure.
fn unredundant(before: Seen, after: Seen) -> f64 {
    let stranded = after.stranded_rps - before.stranded_rps;
    let refused = |x: Seen| x.dropped_rps - x.stranded_rps;
    let overloaded = if after.saturated {
        refused(after) - refused(before)
    } else {
        0.0
    };
    stranded.max(0.0) + overloaded.max(0.0)
}

/// Why failing component `v` (of `instances` instances) is a single point of failure, in
/// one sentence; `None` when it is not one: when none of the traffic it drops is dropped
/// for want of redundancy ([`unredundant`]). `drops` are the design's, and `before` and
/// `after` what each component sees without and with the failure.
pub(crate) fn reason(
    s: &Scenario,
    cuts: &Cuts,
    v: usize,
    instances: u64,
    drops: Drops,
    before: &dyn Fn(usize) -> Seen,
    after: &dyn Fn(usize) -> Seen,
) -> Option<String> {
    let counted = |u: usize| unredundant(before(u), after(u));
    let total: f64 = (0..s.components.len()).map(counted).sum();
    if total <= drops.rounding {
        return None;
    }
    Some(sentence(s, cuts, v, instances, drops, before, after))
}

/// The sentence of [`reason`], for a failure that is a single point of failure.
fn sentence(
    s: &Scenario,
    cuts: &Cuts,
    v: usize,
    instances: u64,
    drops: Drops,
    before: &dyn Fn(usize) -> Seen,
    after: &dyn Fn(usize) -> Seen,
) -> String {
    let counted = |u: usize| unredundant(before(u), after(u));
    let c = &s.components[v];
    let name = |i: usize| s.components[i].display_name().to_owned();
    let me = name(v);
    let kind = c.kind.name();
    let extra = drops.failed - drops.now;
    // Written as the failure panel's table writes its rates.
    let rps = crate::model::rate;
    // The requests dropped with the failure, as the failure table's row counts them (not
    // the work one component refuses, which may be replication or a request's second
    // call): the total when the design drops nothing now, and the increase otherwise.
    let new_drops = if drops.now <= 1e-9 * drops.failed {
        format!("{} req/s are dropped", rps(extra))
    } else {
        format!(
            "{} req/s are dropped, {} more than now",
            rps(drops.failed),
            rps(extra)
        )
    };
    // "losing it drops 193 req/s" reads as the whole loss; say "more" when the design
    // already drops some, enough to show in the figures printed.
    let lost = if rps(drops.failed) != rps(extra) {
        format!("{} req/s more than now", rps(extra))
    } else {
        format!("{} req/s", rps(extra))
    };
    // Requests newly left with nowhere working to go, per component: when they are fewer
    // than those refused by overloaded components, the failure costs capacity, not a path
    // (a region whose users the DNS moves to another, whose replicas then overflow).
    let n = s.components.len();
    let stranded = |u: usize| (after(u).stranded_rps - before(u).stranded_rps).max(0.0);
    let stranded_all: f64 = (0..n).map(stranded).sum();
    let refused_all: f64 = (0..n).map(counted).sum::<f64>() - stranded_all;
    let strands = stranded_all >= refused_all;
    let bypassable = matches!(c.kind, Kind::Cache | Kind::Cdn);
    // More is lost than ever passed through it: what it cuts off is not the cause, a deep
    // health check that takes out what needs it is (a queue that a web tier calls for its
    // writes, whose loss takes the tier out for its reads as well).
    let beyond_its_path = extra > before(v).arrival_rps * (1.0 + 1e-9) + drops.rounding;
    if instances < 2 && !bypassable && strands && !beyond_its_path {
        let cut: Vec<String> = cuts.behind(v).into_iter().map(name).collect();
        if !cut.is_empty() {
            return format!(
                "{me} ({kind}): the only path from the clients to {}; losing it drops {lost}.",
                name_list(&cut)
            );
        }
    }
    // A deep health check that takes working targets out because they need `v`: the
    // router that strands the most, when every target it has is up.
    if strands {
        if let Some((router, taken)) = deep_checked(s, v, &stranded) {
            let taken = name_list(&taken.into_iter().map(name).collect::<Vec<_>>());
            return format!(
                "{me} ({kind}): with it down, {taken} cannot serve every request, and the \
                 deep health check of {} takes {taken} out of rotation for all requests, not \
                 only those that need {me}; losing it drops {lost}.",
                name(router),
            );
        }
    }
    // Capacity: where do the new drops happen?
    let worst = cuts
        .by_id
        .iter()
        .copied()
        .filter(|&u| u != v)
        .map(|u| (u, after(u), counted(u)))
        .filter(|(_, _, d)| *d > 0.0)
        .max_by(|a, b| a.2.total_cmp(&b.2));
    let own = counted(v);
    let sink = s.links.iter().all(|l| l.from != c.id || l.calls.is_some());
    // A cache's lost instance takes its share of the room, and its keys: the misses that
    // adds are what overloads (`hit_ratio::with_up`).
    let room = (instances >= 2)
        .then(|| {
            let now = hit_ratio::with_up(s, c, instances)?;
            let then = hit_ratio::with_up(s, c, instances - 1)?;
            (now.source == HitSource::Workload && then.value < now.value).then(|| {
                format!(
                    "with one of its {instances} instances down it holds fewer keys, its hit \
                     ratio falls from {:.1} % to {:.1} %, and",
                    100.0 * now.value,
                    100.0 * then.value
                )
            })
        })
        .flatten();
    match worst {
        Some((other, seen, d)) if d >= own && seen.saturated => format!(
            "{me} ({kind}): {} {} receives {} req/s but can serve {}: in all {}.",
            room.as_deref().unwrap_or("without it"),
            name(other),
            rps(seen.arrival_rps),
            rps(seen.capacity_rps.unwrap_or(0.0)),
            new_drops
        ),
        _ if instances < 2 && sink => format!(
            "{me} ({kind}): the only place these requests are served, with no standby; losing it \
             drops {lost}."
        ),
        Some((other, _, _)) if own <= 0.0 => format!(
            "{me} ({kind}): with it down, requests reaching {} have nowhere working to go; \
             losing it drops {lost}.",
            name(other),
        ),
        _ if instances >= 2 && after(v).saturated => format!(
            "{me} ({kind}): {} left after one fails cannot carry its load; {}.",
            if instances == 2 {
                "the one instance".to_owned()
            } else {
                format!("the {} instances", instances - 1)
            },
            new_drops
        ),
        _ => format!(
            "{me} ({kind}): it has no standby, and every request through it fails with it ({lost})."
        ),
    }
}

/// The deep-checking router that strands the most requests (`stranded` per component) when
/// `v` fails, and the targets it takes out, when each of them is up: they are out because
/// they cannot serve without `v`, not because they failed. A router whose only target is
/// another deep-checking router is out because that one is: the sentence names the last.
fn deep_checked(
    s: &Scenario,
    v: usize,
    stranded: &dyn Fn(usize) -> f64,
) -> Option<(usize, Vec<usize>)> {
    let deep = |u: usize| s.components[u].health_check() == HealthCheck::Deep;
    let (mut router, _) = (0..s.components.len())
        .filter(|&u| u != v && deep(u))
        .map(|u| (u, stranded(u)))
        .filter(|&(_, x)| x > 0.0)
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    let ends = s.link_ends();
    let up = |t: usize| t != v && s.failed.get(&s.components[t].id) != Some(&Failure::DOWN);
    for _ in 0..s.components.len() {
        let mut targets: Vec<usize> = ends
            .iter()
            .flatten()
            .filter(|&&(from, _)| from == router)
            .map(|&(_, to)| to)
            .collect();
        targets.sort_unstable();
        targets.dedup();
        if targets.is_empty() || !targets.iter().all(|&t| up(t)) {
            return None;
        }
        match targets[..] {
            [next] if deep(next) => router = next,
            _ => return Some((router, targets)),
        }
    }
    None
}

/// "A", "A and B", "A, B and C", "A, B, C and D", "A, B, C and 2 more" (never "and 1
/// more", which hides a name in as many words as it takes).
pub(crate) fn name_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [first @ .., last] if first.len() < 4 => format!("{} and {last}", first.join(", ")),
        _ => format!("{} and {} more", names[..3].join(", "), names.len() - 3),
    }
}
