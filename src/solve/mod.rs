//! The analytic solver: a scenario in, a report of steady-state numbers out.
//!
//! Every formula is listed with its source in `MODEL.md`. The pieces, in the order a solve
//! runs them: the routing [`network`], the [`flow`] of requests, each component as a
//! queueing [`station`], end-to-end [`latency`], [`availability`], and the monthly cost.

mod availability;
mod factor;
mod failure;
mod flow;
mod latency;
pub(crate) mod network;
mod num;
mod planner;
mod queueing;
pub(crate) mod station;
mod sweep;

pub use failure::{failure_analysis, FailureAnalysis, FailureSweep, Impact};
pub use num::{Complex, Dual, Num};
pub use planner::{plan, Plan, Target};
pub use queueing::{erlang_b, erlang_c, service_lst, Queue, Solved, Wait};
pub use sweep::{load_sweep, LoadPoint};

use crate::model::{Kind, Problems, Scenario};
use network::Network;
use serde::Serialize;
use station::Load;
use std::collections::BTreeMap;

/// Minutes in the 30-day month used for downtime figures.
pub const MINUTES_PER_MONTH: f64 = 30.0 * 24.0 * 60.0;

/// What the solver says about a scenario. Every number is finite; what has no finite value
/// (the latency behind an overloaded queue) is `None`, shown as "unbounded".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Requests per second offered by the clients.
    pub offered_rps: f64,
    /// Requests per second served end to end.
    pub throughput_rps: f64,
    /// Requests per second that fail somewhere on their path.
    pub dropped_rps: f64,
    /// End-to-end response time of served requests.
    pub latency_ms: LatencyReport,
    /// Probability that every client can get every class of request served.
    pub availability: f64,
    /// Half-width of the 95 % interval when availability was estimated by sampling;
    /// `None` when it is exact.
    pub availability_margin: Option<f64>,
    /// Expected minutes per 30-day month when the system is not available.
    pub downtime_minutes_per_month: f64,
    /// Sum of instance prices.
    pub monthly_cost_usd: f64,
    /// The component that saturates first as traffic grows.
    pub bottleneck: Option<String>,
    /// Traffic multiplier at which the bottleneck reaches 100 % (below 1: already over).
    pub headroom: Option<f64>,
    /// Single points of failure (filled by [`analyze_with_failures`]).
    pub spofs: Vec<String>,
    /// Why each is one.
    pub spof_reasons: BTreeMap<String, String>,
    /// Every single failure, worst first (filled by [`analyze_with_failures`]).
    pub n_minus_1: Vec<Impact>,
    /// Per component, by id.
    pub components: BTreeMap<String, ComponentReport>,
    /// Requests per second on each link, in scenario order.
    pub links: Vec<LinkReport>,
    /// How the numbers were obtained, and anything the author should know.
    pub notes: Vec<String>,
}

/// Mean and percentiles of the end-to-end response time, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatencyReport {
    /// Mean; `None` when unbounded.
    pub mean: Option<f64>,
    /// Median; `None` when unbounded.
    pub p50: Option<f64>,
    /// 95th percentile; `None` when unbounded.
    pub p95: Option<f64>,
    /// 99th percentile; `None` when unbounded.
    pub p99: Option<f64>,
    /// Whether the distribution is exact (a chain of single-server exponential queues) rather
    /// than the independent-hops approximation.
    pub exact: bool,
}

/// One component's numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentReport {
    /// The component's kind.
    pub kind: Kind,
    /// Requests per second reaching it.
    pub arrival_rps: f64,
    /// Requests per second it serves.
    pub served_rps: f64,
    /// Requests per second it refuses or can never serve.
    pub dropped_rps: f64,
    /// Served requests per second that finish here.
    pub completed_rps: f64,
    /// Served requests per second handed on to other components.
    pub forwarded_rps: f64,
    /// Requests per second this component causes elsewhere without handing its own on
    /// (synchronous calls, replication, queue consumers).
    pub spawned_rps: f64,
    /// Busy share of its servers, 0 to 1.
    pub utilization: f64,
    /// Offered load over capacity (may exceed 1), at the current traffic.
    pub load: f64,
    /// Requests per second it can serve at most (`None`: not a queueing station).
    pub capacity_rps: Option<f64>,
    /// Mean time a served request spends here, queueing and in service (`None`: unbounded).
    pub mean_response_ms: Option<f64>,
    /// Whether it is at or beyond capacity.
    pub saturated: bool,
    /// Whether the scenario marks it failed (what-if).
    pub failed: bool,
    /// Probability that enough of its instances are up to carry its load.
    pub availability: f64,
    /// Monthly price of its instances.
    pub monthly_cost_usd: f64,
}

/// Traffic on one link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkReport {
    /// Sender id.
    pub from: String,
    /// Receiver id.
    pub to: String,
    /// Requests per second carried.
    pub rps: f64,
}

/// Validates and solves a scenario.
///
/// # Errors
/// Every validation problem, or a loop that requests cannot leave or that grows without end.
///
/// # Examples
/// ```
/// use archsim::model::{Component, Kind, Link, Scenario, Traffic};
/// let mut s = Scenario::new("one server", Traffic::rps(10.0, 1.0, 0.0, 0.0));
/// s.components.push(Component::new("users", Kind::Client, "Users", 0.0, 0.0));
/// s.components.push(
///     Component::new("app", Kind::AppServer, "App", 0.0, 0.0)
///         .with("concurrency", 1.0)
///         .with("service_time_ms", 50.0),
/// );
/// s.links.push(Link::new("users", "app"));
/// let r = archsim::solve::analyze(&s).unwrap();
/// // M/M/1 at λ = 10/s, μ = 20/s: mean response 1/(μ − λ) = 100 ms.
/// assert!((r.latency_ms.mean.unwrap() - 100.0).abs() < 1e-9);
/// ```
pub fn analyze(s: &Scenario) -> Result<Report, Problems> {
    s.validate()?;
    let net = Network::build(s)?;
    let rps = s.traffic.peak_rps();
    let shares = s.traffic.shares();
    // Demand: what every node would receive if nothing were dropped (linear in traffic);
    // it decides the bottleneck, the headroom, and how many instances must survive.
    let demand = flow::propagate(&net, rps, shares, |_, _| 1.0)?;
    let flow = flow::propagate(&net, rps, shares, |v, lambda| {
        net.nodes[v]
            .station
            .as_ref()
            .map_or(1.0, |st| st.load(lambda).accept)
    })?;
    let total = |a: [f64; 3]| a[0] + a[1] + a[2];
    let loads: Vec<Option<Load>> = net
        .nodes
        .iter()
        .enumerate()
        .map(|(v, n)| n.station.as_ref().map(|st| st.load(total(flow.arrival[v]))))
        .collect();
    let demand_loads: Vec<f64> = net
        .nodes
        .iter()
        .enumerate()
        .map(|(v, n)| {
            n.station
                .as_ref()
                .map_or(0.0, |st| st.load(total(demand.arrival[v])).load)
        })
        .collect();

    let lat = latency::Latency {
        net: &net,
        loads: &loads,
        shares,
    };
    let summary = lat.summarize();
    let ms = |x: f64| x * 1000.0;
    let up: Vec<f64> = (0..net.nodes.len())
        .map(|v| effective_up(&net, &demand, v))
        .collect();
    let avail = availability::availability(&net, &demand, |v| up[v]);

    let mut components = BTreeMap::new();
    let mut cost = 0.0;
    for (v, node) in net.nodes.iter().enumerate() {
        let c = &s.components[v];
        let arrival = total(flow.arrival[v]);
        let served_k = flow.served(v);
        let served = total(served_k);
        let mut completed = 0.0;
        let mut forwarded = 0.0;
        let mut spawned = 0.0;
        let mut failed_here = 0.0;
        for k in 0..3 {
            completed += served_k[k] * node.completes[k];
            failed_here += served_k[k] * node.fails[k];
            forwarded += served_k[k] * node.routes[k].iter().map(|e| e.p).sum::<f64>();
            spawned += served_k[k]
                * node.calls[k]
                    .iter()
                    .chain(&node.asyncs[k])
                    .map(|e| e.p)
                    .sum::<f64>();
        }
        let billed = match &node.station {
            Some(st) => st.billed_instances() as f64,
            None if matches!(c.kind, Kind::Region | Kind::Monitoring) => 1.0,
            None => 0.0,
        };
        let price = billed * s.price(c.kind);
        cost += price;
        let load = loads[v].as_ref();
        components.insert(
            c.id.clone(),
            ComponentReport {
                kind: c.kind,
                arrival_rps: arrival,
                served_rps: served,
                dropped_rps: (arrival - served).max(0.0) + failed_here,
                completed_rps: completed,
                forwarded_rps: forwarded,
                spawned_rps: spawned,
                utilization: load.map_or(0.0, |l| l.utilization),
                load: load.map_or(0.0, |l| l.load),
                capacity_rps: node.station.as_ref().map(|st| st.capacity()),
                mean_response_ms: match load {
                    Some(l) if l.unbounded() => None,
                    Some(l) => Some(ms(l.mean_sojourn + node.delay)),
                    None => Some(ms(node.delay)),
                },
                saturated: load.is_some_and(|l| l.load >= 1.0),
                failed: s.failed.contains_key(&c.id),
                availability: up[v],
                monthly_cost_usd: price,
            },
        );
    }

    // Bottleneck: highest demand load; ties go to the component nearest the clients, then
    // to the one listed first.
    let bottleneck = (0..net.nodes.len())
        .filter(|&v| demand_loads[v] > 0.0)
        .min_by(|&a, &b| {
            demand_loads[b]
                .total_cmp(&demand_loads[a])
                .then(net.rank[a].cmp(&net.rank[b]))
                .then(a.cmp(&b))
        });
    let headroom = bottleneck.map(|v| 1.0 / demand_loads[v]);
    let mut notes = Vec::new();
    let exact = exact_latency(&net, &loads);
    if !exact && summary.mean.is_some() {
        notes.push(
            "Latency percentiles treat the time at each hop as independent (exact only for a \
             chain of single-server queues); see MODEL.md."
                .to_owned(),
        );
    }
    if let Some(m) = avail.margin {
        notes.push(format!(
            "Availability was estimated by sampling (± {m:.2e} at 95 %): the design has too \
             many shared components for the exact method."
        ));
    }
    for (id, c) in &components {
        if c.kind == Kind::Worker && c.saturated && c.dropped_rps > 0.0 {
            notes.push(format!(
                "{id}: consumers take {:.1} messages/s of the {:.1} enqueued; the backlog grows \
                 by {:.1} per second until the queue is full (counted as dropped).",
                c.served_rps, c.arrival_rps, c.dropped_rps
            ));
        }
    }
    if net.sources.is_empty() && rps > 0.0 {
        notes.push("No client: no traffic enters the design.".to_owned());
    }
    let throughput = rps * summary.success;
    let percentile = |i: usize| summary.percentiles[i].map(ms);
    Ok(Report {
        offered_rps: if net.sources.is_empty() { 0.0 } else { rps },
        throughput_rps: throughput,
        dropped_rps: if net.sources.is_empty() {
            0.0
        } else {
            (rps - throughput).max(0.0)
        },
        latency_ms: LatencyReport {
            mean: summary.mean.map(ms),
            p50: percentile(0),
            p95: percentile(1),
            p99: percentile(2),
            exact,
        },
        availability: avail.value,
        availability_margin: avail.margin,
        downtime_minutes_per_month: (1.0 - avail.value) * MINUTES_PER_MONTH,
        monthly_cost_usd: cost,
        bottleneck: bottleneck.map(|v| net.id(v).to_owned()),
        headroom,
        spofs: Vec::new(),
        spof_reasons: BTreeMap::new(),
        n_minus_1: Vec::new(),
        components,
        links: s
            .links
            .iter()
            .zip(&flow.link)
            .map(|(l, &rps)| LinkReport {
                from: l.from.clone(),
                to: l.to.clone(),
                rps,
            })
            .collect(),
        notes,
    })
}

/// [`analyze`], plus the failure analysis: SPOFs with their reasons and the ranked N−1
/// sweep. Costs one solve per component and failure mode.
///
/// # Errors
/// As [`analyze`].
pub fn analyze_with_failures(s: &Scenario) -> Result<Report, Problems> {
    let mut report = analyze(s)?;
    let f = failure_analysis(s, &report);
    report.spofs = f.spofs.keys().cloned().collect();
    report.spof_reasons = f.spofs;
    report.n_minus_1 = f.n_minus_1;
    Ok(report)
}

/// Probability that component `v` does its part, for availability: instance redundancy
/// (k of n), plus two ways a failure can be survived. A cache or CDN whose callers can go
/// straight to the origin without overloading anything is bypassable, so its loss does not
/// take the system down. A primary with automatic failover is down only while a replica is
/// promoted: the share `failover_s / repair time` of its outages, if a replica is up.
fn effective_up(net: &Network, demand: &flow::Flow, v: usize) -> f64 {
    let base = availability::node_up(net, demand, v);
    let s = net.scenario;
    let c = &s.components[v];
    if !matches!(net.states[v], network::State::Up(_)) {
        return base;
    }
    match c.kind {
        Kind::Cache | Kind::Cdn if !bypass_drops(net, demand, v) => 1.0,
        Kind::Database => match c.opt_num("failover_s") {
            Some(failover) => {
                let window = (failover / (c.num("repair_h") * 3600.0)).min(1.0);
                let replicas_down: f64 = s
                    .links
                    .iter()
                    .filter(|l| l.from == c.id)
                    .filter_map(|l| s.component(&l.to))
                    .filter(|r| r.kind == Kind::ReadReplica && !s.failed.contains_key(&r.id))
                    .map(|r| 1.0 - r.num("availability"))
                    .product();
                base + (1.0 - base) * (1.0 - replicas_down) * (1.0 - window)
            }
            None => base,
        },
        _ => base,
    }
}

/// Whether bypassing cache or CDN `v` (its callers going straight to its origin) would
/// make the design drop traffic it does not drop now. Demand is linear, so the bypass adds
/// exactly the requests the cache used to answer, routed like its misses: propagate that
/// extra demand downstream and see whether it overloads anything (or meets a finite queue,
/// whose refusals grow with any extra load).
fn bypass_drops(net: &Network, demand: &flow::Flow, v: usize) -> bool {
    let node = &net.nodes[v];
    let mut extra = vec![[0.0; 3]; net.nodes.len()];
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
            extra[e.to][k] += arrival * node.completes[k] * e.p / forwarded;
        }
    }
    // Only what lies downstream of the cache can change: walk it in topological order.
    let mut below: Vec<usize> = Vec::new();
    let mut seen = vec![false; net.nodes.len()];
    let mut stack: Vec<usize> = node.all_edges().map(|e| e.to).collect();
    while let Some(u) = stack.pop() {
        if u != v && !seen[u] {
            seen[u] = true;
            below.push(u);
            stack.extend(net.nodes[u].all_edges().map(|e| e.to));
        }
    }
    below.sort_by_key(|&u| net.rank[u]);
    let looped = below.iter().any(|&u| net.sccs[net.rank[u]].len() > 1);
    let delta = if looped {
        match flow::propagate_from(net, extra, |_, _| 1.0) {
            Ok(f) => f.arrival,
            Err(_) => return true,
        }
    } else {
        for &u in &below {
            let add = extra[u];
            for k in 0..3 {
                if add[k] > 0.0 {
                    for e in net.nodes[u].all_edges_of(k) {
                        extra[e.to][k] += add[k] * e.p;
                    }
                }
            }
        }
        extra
    };
    below.into_iter().any(|u| {
        let more: f64 = delta[u].iter().sum();
        if more <= 0.0 {
            return false;
        }
        let Some(st) = net.nodes[u].station.as_ref() else {
            return net.nodes[u].fails.iter().any(|f| *f > 0.0);
        };
        let total: f64 = demand.arrival[u].iter().sum::<f64>() + more;
        st.waiting.is_some() || st.load(total).load >= 1.0
    })
}

/// The latency distribution is exact when every request follows one chain of stations,
/// each a single exponential server with an unlimited queue (Burke's and Reich's theorems
/// make the sojourn times of a tandem independent).
fn exact_latency(net: &Network, loads: &[Option<Load>]) -> bool {
    net.nodes.iter().enumerate().all(|(v, n)| {
        let chain = n.routes.iter().all(|r| r.len() <= 1)
            && n.calls.iter().all(Vec::is_empty)
            && n.routes[0]
                .iter()
                .chain(&n.routes[1])
                .chain(&n.routes[2])
                .all(|e| (e.p - 1.0).abs() < 1e-12 || e.p == 0.0);
        let station_ok = loads[v].as_ref().is_none_or(|l| {
            l.parts.len() == 1
                && l.parts[0].queue.servers == 1
                && l.parts[0].queue.waiting.is_none()
                && (l.parts[0].queue.cs2 - 1.0).abs() < 1e-12
        }) && n.station.as_ref().is_none_or(|st| st.visit == 1.0);
        chain && station_ok && n.delay == 0.0
    }) && net.sources.len() <= 1
}
