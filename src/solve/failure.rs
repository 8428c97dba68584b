//! Failure analysis: single points of failure found from the structure and the numbers, and
//! every single failure ranked by what it costs (the N−1 sweep).
//!
//! A component's *single failure* is the loss of one instance, or of the whole component
//! when it has only one. It is a single point of failure when that failure makes the design
//! drop traffic it does not drop now: because requests lose their only route (structure), or
//! because what survives is overloaded (capacity: a cache whose loss swamps the database).
//! Failover and bypassing count: a primary with a promotable replica and a cache the origin
//! can do without are not SPOFs. The N−1 table lists that failure for every component (the
//! rows the SPOF list rests on) and, apart, the loss of every whole pool.

use super::{analyze, FailureMode, Impact, Report};
use crate::model::Problems;
use crate::model::{Kind, Scenario};
use crate::sliced::Sliced;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Dfs, NodeFiltered};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// SPOFs with their explanations, and the ranked N−1 table.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct FailureAnalysis {
    /// Single points of failure: id → one sentence saying why.
    pub spofs: BTreeMap<String, String>,
    /// Every single failure: one instance of each component first, then each whole pool;
    /// worst first within each.
    pub n_minus_1: Vec<Impact>,
    /// Requests per second the design drops with nothing failed, for comparison.
    pub dropped_now_rps: f64,
}

/// [`analyze`](super::analyze), plus the failure analysis: SPOFs with their reasons and the ranked N−1
/// sweep. Costs one solve per component and failure mode.
///
/// # Errors
/// As [`analyze`](super::analyze).
pub fn analyze_with_failures(s: &Scenario) -> Result<Report, Problems> {
    let mut report = analyze(s)?;
    let f = failure_analysis(s, &report);
    report.spofs = f.spofs.keys().cloned().collect();
    report.spof_reasons = f.spofs;
    report.n_minus_1 = f.n_minus_1;
    Ok(report)
}

/// Fails each component in turn (one instance, and the whole component) and ranks the
/// results; `base` is the report of `s` as it is.
pub fn failure_analysis(s: &Scenario, base: &Report) -> FailureAnalysis {
    FailureSweep::new(s.clone(), base.clone()).run_to_end()
}

/// The failure analysis one component at a time, so that a browser can spread it over
/// several frames instead of freezing while hundreds of failures are solved.
pub struct FailureSweep {
    s: Scenario,
    base: Report,
    reach: Reach,
    next: usize,
    out: FailureAnalysis,
}

impl Sliced for FailureSweep {
    type Output = FailureAnalysis;

    /// Analyses the next component.
    fn advance(&mut self) -> bool {
        self.step()
    }

    fn progress(&self) -> f64 {
        self.next as f64 / self.s.components.len().max(1) as f64
    }

    /// The analysis, its N−1 table grouped by failure mode (one instance first), worst
    /// first within each group.
    fn finish(mut self) -> FailureAnalysis {
        self.out.n_minus_1.sort_by(|a, b| {
            a.failure
                .cmp(&b.failure)
                .then(b.dropped_rps.total_cmp(&a.dropped_rps))
                .then_with(|| {
                    let p = |x: Option<f64>| x.unwrap_or(f64::INFINITY);
                    p(b.p99_ms).total_cmp(&p(a.p99_ms))
                })
                .then(a.availability.total_cmp(&b.availability))
                .then(a.id.cmp(&b.id))
        });
        self.out
    }
}

impl FailureSweep {
    /// A sweep over `s`, whose report as it is is `base`.
    pub fn new(s: Scenario, base: Report) -> FailureSweep {
        let reach = Reach::new(&s);
        let dropped_now_rps = base.dropped_rps;
        FailureSweep {
            s,
            base,
            reach,
            next: 0,
            out: FailureAnalysis {
                dropped_now_rps,
                ..FailureAnalysis::default()
            },
        }
    }

    /// Analyses the next component; true once every component is done.
    fn step(&mut self) -> bool {
        let Some(c) = self.s.components.get(self.next) else {
            return true;
        };
        self.next += 1;
        let s = &self.s;
        if c.kind == Kind::Client || s.failed.contains_key(&c.id) {
            return self.next >= s.components.len();
        }
        let tolerance = 1e-9 * (1.0 + self.base.offered_rps);
        let instances = c.num("instances").max(1.0) as u64;
        let mut single = None;
        for mode in [FailureMode::Instance, FailureMode::Component] {
            if mode == FailureMode::Component && instances < 2 {
                continue;
            }
            let mut failed = s.clone();
            failed.failed.insert(c.id.clone(), mode.failure(instances));
            let Ok(r) = analyze(&failed) else { continue };
            self.out.n_minus_1.push(Impact {
                id: c.id.clone(),
                failure: mode,
                instances,
                dropped_rps: r.dropped_rps,
                p99_ms: r.latency_ms.p99,
                availability: r.availability,
            });
            if mode == FailureMode::Instance {
                single = Some(r);
            }
        }
        if let Some(r) = single {
            if r.dropped_rps > self.base.dropped_rps + tolerance {
                let why = reason(s, &self.base, &r, &c.id, instances, &self.reach);
                self.out.spofs.insert(c.id.clone(), why);
            }
        }
        self.next >= s.components.len()
    }
}

/// Who can reach whom along the diagram's links.
struct Reach {
    graph: DiGraph<(), ()>,
    index: HashMap<String, NodeIndex>,
    clients: Vec<NodeIndex>,
}

impl Reach {
    fn new(s: &Scenario) -> Reach {
        let mut graph = DiGraph::new();
        let index: HashMap<String, NodeIndex> = s
            .components
            .iter()
            .map(|c| (c.id.clone(), graph.add_node(())))
            .collect();
        for l in &s.links {
            if let (Some(&a), Some(&b)) = (index.get(&l.from), index.get(&l.to)) {
                graph.add_edge(a, b, ());
            }
        }
        let clients = s
            .components
            .iter()
            .filter(|c| c.kind == Kind::Client)
            .filter_map(|c| index.get(&c.id).copied())
            .collect();
        Reach {
            graph,
            index,
            clients,
        }
    }

    /// Components reachable from the clients when `without` is removed.
    fn reachable(&self, without: Option<NodeIndex>) -> HashSet<NodeIndex> {
        let filtered = NodeFiltered::from_fn(&self.graph, |n| Some(n) != without);
        let mut seen = HashSet::new();
        for &c in &self.clients {
            let mut dfs = Dfs::new(&filtered, c);
            while let Some(n) = dfs.next(&filtered) {
                seen.insert(n);
            }
        }
        seen
    }
}

/// One sentence on why failing `id` drops traffic.
fn reason(
    s: &Scenario,
    base: &Report,
    failed: &Report,
    id: &str,
    instances: u64,
    reach: &Reach,
) -> String {
    let name = |id: &str| s.component(id).map_or(id, |c| c.display_name()).to_owned();
    let me = name(id);
    let kind = s.component(id).map_or("component", |c| c.kind.name());
    let extra = failed.dropped_rps - base.dropped_rps;
    let rps = |v: f64| {
        if v >= 100.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.1}")
        }
    };
    let bypassable = s
        .component(id)
        .is_some_and(|c| matches!(c.kind, Kind::Cache | Kind::Cdn));
    if instances < 2 && !bypassable {
        if let Some(&node) = reach.index.get(id) {
            let before = reach.reachable(None);
            let after = reach.reachable(Some(node));
            let mut cut: Vec<String> = s
                .components
                .iter()
                .filter(|c| c.id != id)
                .filter(|c| {
                    reach
                        .index
                        .get(&c.id)
                        .is_some_and(|n| before.contains(n) && !after.contains(n))
                })
                .map(|c| c.display_name().to_owned())
                .collect();
            if !cut.is_empty() {
                let more = cut.len().saturating_sub(3);
                cut.truncate(3);
                return format!(
                    "{me} ({kind}): the only path from the clients to {}{}; losing it drops {} req/s.",
                    cut.join(", "),
                    if more > 0 { format!(" and {more} more") } else { String::new() },
                    rps(extra)
                );
            }
        }
    }
    // Capacity: where do the new drops happen?
    let worst = failed
        .components
        .iter()
        .filter(|(other, _)| other.as_str() != id)
        .map(|(other, c)| {
            let before = base.components.get(other).map_or(0.0, |b| b.dropped_rps);
            (other, c, c.dropped_rps - before)
        })
        .filter(|(_, _, d)| *d > 0.0)
        .max_by(|a, b| a.2.total_cmp(&b.2));
    let own = failed.components.get(id).map_or(0.0, |c| c.dropped_rps)
        - base.components.get(id).map_or(0.0, |c| c.dropped_rps);
    let sink = s.links.iter().all(|l| l.from != id || l.calls.is_some());
    match worst {
        Some((other, c, d)) if d >= own && c.saturated => format!(
            "{me} ({kind}): without it {} receives {} req/s but can serve {}, so {} req/s are dropped.",
            name(other),
            rps(c.arrival_rps),
            rps(c.capacity_rps.unwrap_or(0.0)),
            rps(extra)
        ),
        _ if instances < 2 && sink => format!(
            "{me} ({kind}): the only place these requests are served, with no standby; losing it \
             drops {} req/s.",
            rps(extra)
        ),
        Some((other, _, _)) if own <= 0.0 => format!(
            "{me} ({kind}): requests passing {} have no other way through; losing it drops {} req/s.",
            name(other),
            rps(extra)
        ),
        _ if instances >= 2 => format!(
            "{me} ({kind}): the {} instances left after one fails cannot carry its load; {} req/s are dropped.",
            instances - 1,
            rps(extra)
        ),
        _ => format!(
            "{me} ({kind}): it has no standby, and every request through it fails with it ({} req/s).",
            rps(extra)
        ),
    }
}
