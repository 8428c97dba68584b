//! The solve: validation, routing, flow, stations, latency, availability and cost, put
//! together into one [`Report`].

use super::autoscale;
use super::availability;
use super::closed;
use super::flow;
use super::held;
use super::latency;
use super::loose_ends;
use super::network::{Network, State};
use super::parallel::{join, parallel_map};
use super::queueing::saturates;
use super::replication::{self, Replicated};
use super::resharding;
use super::solution::Solution;
use super::station::{self, Load};
use super::{
    noticeable, ComponentReport, LatencyReport, LinkReport, PassedBy, PlaceLatency, Report,
    MINUTES_PER_MONTH,
};
use crate::model::{Class, Component, Kind, Problems, Scenario};
use std::collections::BTreeMap;

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
    solved(s, |sol, settled, closed| {
        let mut r = report(sol, settled)?;
        if let Some(c) = closed {
            // Percentiles come from MVA's means with an assumed wait shape: never exact.
            r.latency_ms.exact = false;
            r.notes
                .retain(|n| !n.starts_with("Latency percentiles treat"));
            r.notes.splice(0..0, c.notes());
            let served = if r.offered_rps > 0.0 {
                r.throughput_rps / r.offered_rps
            } else {
                1.0
            };
            r.closed = Some(c.report(served));
        }
        Ok(r)
    })?
}

/// Validates `s`, settles its autoscaled pools, solves it — a closed population by MVA at
/// its solved rate — and hands the solution to `f`: the one way the report and the
/// explanations obtain the numbers they show.
///
/// # Errors
/// Every validation problem, a loop that requests cannot leave or that grows without end.
pub(super) fn solved<R>(
    s: &Scenario,
    f: impl FnOnce(&Solution, &autoscale::Settled, Option<&closed::ClosedSolve>) -> R,
) -> Result<R, Problems> {
    s.validate()?;
    let closed = match s.traffic.population() {
        Some((users, think)) => Some(closed::solve(s, users as u64, think)?),
        None => None,
    };
    // Autoscaled pools at the counts their policies settle on; everything below, cost and
    // availability included, reads those counts.
    let settled = autoscale::settle(closed.as_ref().map_or(s, |c| &c.open))?;
    let mut sol = Solution::new(&settled.scenario)?;
    if let Some(c) = &closed {
        c.apply(&mut sol);
    }
    Ok(f(&sol, &settled, closed.as_ref()))
}

/// What one row of the failure sweep needs of a solve of `s`: the requests it drops, its
/// mean response in ms, and every component's report, in component order. These are the
/// numbers [`analyze`] reports, from the same solution by the same functions, without the
/// percentiles, the latency per location and the availability, which are most of a solve
/// (with users on the map, nearly all of it).
///
/// # Errors
/// As [`analyze`].
pub(crate) fn flows(s: &Scenario) -> Result<(f64, Option<f64>, Vec<ComponentReport>), Problems> {
    solved(s, |sol, _, _| {
        let summary = latency::Latency::new(&sol.net, &sol.loads, sol.shares).moments();
        (
            dropped(&sol.net, sol.rps, summary.success),
            summary.mean.map(|x| x * 1000.0),
            component_reports(sol).0,
        )
    })
}

/// Every component's numbers, in component order (on every core natively, for a large
/// design), and the replication each link carries, which they are worked out from.
fn component_reports(sol: &Solution) -> (Vec<ComponentReport>, Vec<Option<Replicated>>) {
    let (net, flow) = (&sol.net, &sol.flow);
    let sent = sent_over_links(net, flow);
    let replicated = replication::per_link(net, flow);
    let reports = parallel_map((0..net.nodes.len()).collect(), REPORTS_PER_TASK, |v| {
        let design = (&sol.streams, replicated.as_slice());
        component_report(net, flow, &sol.loads, (sol.up[v], sent[v], design), v)
    });
    (reports, replicated)
}

/// The design's replication streams, and what each link carries of them.
type Replication<'a> = (&'a replication::Streams, &'a [Option<Replicated>]);

/// Components whose numbers one task works out when a large design's are worked out on
/// every core.
const REPORTS_PER_TASK: usize = 256;

/// The report of a solution.
fn report(sol: &Solution, settled: &autoscale::Settled) -> Result<Report, Problems> {
    let Solution {
        net,
        rps,
        shares,
        flow,
        loads,
        up,
        ..
    } = sol;
    let (rps, shares) = (*rps, *shares);
    let s = net.scenario;
    let ms = |x: f64| x * 1000.0;
    // The latency, most of a large solve, is worked out beside the components' numbers
    // (natively on other cores; in turn in a browser): neither reads the other. The
    // availability needs only the served shares, which the moments give, so it is worked
    // out beside the percentiles.
    let ((summary, avail), (bottleneck, headroom, cost, misrouted, components, replicated)) = join(
        || {
            let latency = latency::Latency::new(net, loads, shares);
            let moments = latency.moments();
            join(
                || latency.with_percentiles(moments),
                || {
                    availability::served_share(
                        net,
                        &sol.demand,
                        shares,
                        moments.success_by_class,
                        up,
                    )
                },
            )
        },
        || {
            let demand_loads = sol.demand_loads(&settled.pools);
            let bottleneck = sol.bottleneck(&demand_loads);
            let headroom = bottleneck.map(|v| 1.0 / demand_loads[v]);
            let (mut reports, replicated) = component_reports(sol);
            let cost: f64 = reports.iter().map(|c| c.monthly_cost_usd).sum();
            let misrouted: Vec<(usize, Vec<Class>)> = reports
                .iter()
                .enumerate()
                .filter(|(_, r)| !r.cannot_serve.is_empty())
                .map(|(v, r)| (v, r.cannot_serve.clone()))
                .collect();
            for p in &settled.pools {
                reports[p.node].instances_steady = Some(p.instances);
            }
            // Inserted one by one, each report moves once (collecting pairs into a map
            // sorts them first, moving the reports, which dominated at 10 000 components).
            let ids = s.components.iter().map(|c| c.id.clone());
            let components = crate::sort::map(ids.zip(reports));
            (
                bottleneck, headroom, cost, misrouted, components, replicated,
            )
        },
    );

    let mut notes = Vec::new();
    let exact = exact_latency(net, loads);
    if !exact && summary.mean.is_some() {
        notes.push(
            "Latency percentiles treat the time at each hop as independent (exact only for a \
             chain of single-server queues); see How the numbers are computed (MODEL.md)."
                .to_owned(),
        );
    }
    if summary.mean.is_none() && summary.percentiles[2].is_some() {
        // An infinite mean beside finite percentiles reads as a contradiction; it is not.
        let endless: Vec<&str> = components
            .iter()
            .filter(|(_, c)| c.mean_response_ms.is_none() && c.served_rps > 0.0)
            .map(|(id, _)| s.name_of(id))
            .collect();
        if !endless.is_empty() {
            notes.push(format!(
                "The mean latency is unbounded because {} is saturated with no queue limit: the \
             requests it serves wait longer and longer. They are too few to move the \
             percentiles, which describe the rest.",
                endless.join(", ")
            ));
        }
    }
    if let Some(m) = avail.margin {
        notes.push(format!(
            "Availability was estimated by sampling (± {m:.2e} at 95 %): the design has too \
             many shared components for the exact method."
        ));
    }
    for (id, c) in &components {
        let counted = if c.background {
            "their requests were answered at enqueue, so these messages show in its drops, \
             not among the requests dropped"
        } else {
            "these count among the requests dropped"
        };
        if c.kind == Kind::Worker && c.failed && c.passed_by.is_none() && c.dropped_rps > 0.0 {
            notes.push(format!(
                "{}: every consumer is down, so the {:.1} messages/s enqueued for it are never \
                 processed while that lasts: {counted}.",
                s.name_of(id),
                c.dropped_rps
            ));
        }
        if c.kind == Kind::Worker && c.saturated && c.dropped_rps > 0.0 {
            let room = s.component(id).and_then(|w| w.opt_num("queue_capacity"));
            let growth = if room.is_some() {
                "until its waiting room is full, and what does not fit is lost"
            } else {
                "without end, and that excess is never processed"
            };
            notes.push(format!(
                "{}: consumers take {:.1} messages/s of the {:.1} enqueued; the backlog grows \
                 by {:.1} per second {growth}: {counted}.",
                s.name_of(id),
                c.served_rps,
                c.arrival_rps,
                c.dropped_rps
            ));
        }
    }
    for (v, cannot) in misrouted {
        let c = &s.components[v];
        let names: Vec<&str> = cannot.iter().map(|k| k.key()).collect();
        let serves: Vec<&str> = Class::ALL
            .into_iter()
            .filter(|&k| c.kind.serves(k))
            .map(Class::key)
            .collect();
        notes.push(format!(
            "{} ({}) receives {} requests, which it cannot serve: only {} requests belong \
             there. Restrict the links into it to {} (select a link to choose its classes).",
            c.display_name(),
            c.kind.name(),
            names.join(" and "),
            serves.join(" and "),
            serves.join(" and ")
        ));
    }
    notes.extend(loose_ends::notes(net, flow, rps, &components));
    if net.sources.is_empty() && rps > 0.0 {
        notes.push("No client: no traffic enters the design.".to_owned());
    }
    let throughput = rps * summary.success;
    let percentile = |i: usize| summary.percentiles[i].map(ms);
    let mut report = Report {
        offered_rps: if net.sources.is_empty() { 0.0 } else { rps },
        throughput_rps: throughput,
        dropped_rps: dropped(net, rps, summary.success),
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
        unassessed: Vec::new(),
        components,
        links: s
            .links
            .iter()
            .zip(&flow.link)
            .zip(replicated)
            .map(|((l, &rps), replicated)| LinkReport {
                from: l.from.clone(),
                to: l.to.clone(),
                rps,
                replicated,
            })
            .collect(),
        notes,
        closed: None,
        latency_by_location: latency_by_location(net, loads, shares, rps),
    };
    // A design that serves nothing has no traffic to grow: a balancer 0.1 % busy dropping
    // every request is not what limits it, and "headroom 1000×" beside "throughput 0" is
    // nonsense. Nothing is named until something is served.
    // Nor has a design that drops requests for want of a route: "2,840× headroom" beside
    // 90 % of requests failing is nonsense, and the busiest survivor named as the
    // bottleneck reads as what fails.
    if report.serves_nothing() || report.strands_requests() {
        report.bottleneck = None;
        report.headroom = None;
    }
    let held = held::notes(s, &report);
    report.notes.extend(held);
    Ok(report)
}

/// Each user population's response time (see `geo.rs`), of `rps` offered in all.
fn latency_by_location(
    net: &Network,
    loads: &[Option<Load>],
    shares: [f64; 3],
    rps: f64,
) -> BTreeMap<String, PlaceLatency> {
    let Some(views) = &net.views else {
        return BTreeMap::new();
    };
    let ms = |x: f64| x * 1000.0;
    let s = net.scenario;
    crate::sort::map(views.populations.iter().enumerate().map(|(p, pop)| {
        let summary = latency::Latency::new(net, loads, shares)
            .for_population(p)
            .summarize();
        let slo = pop
            .sources
            .iter()
            .filter_map(|&(v, _)| s.components[v].opt_num("slo_p99_ms"))
            .reduce(f64::min);
        let p99 = summary.percentiles[2].map(ms);
        let key = pop.place.map_or(crate::model::NOWHERE, |l| l.key());
        // A p99 objective is for the population's requests, not only those served: one
        // that loses requests (as far as any view raises a loss) misses it, whatever the
        // survivors' p99.
        let loses = noticeable(rps * pop.share() * (1.0 - summary.success));
        let place = PlaceLatency {
            share: pop.share(),
            success: summary.success,
            mean: summary.mean.map(ms),
            p50: summary.percentiles[0].map(ms),
            p95: summary.percentiles[1].map(ms),
            p99,
            slo_p99: slo,
            meets_slo: slo.map(|slo| !loses && p99.is_some_and(|p| p <= slo)),
        };
        (key.to_owned(), place)
    }))
}

/// Component `v`'s numbers from the flow and its station's load; `up` is its availability,
/// `sent` the classes that reach it over links, `streams` the design's replication and
/// `replicated` what each link carries of it.
fn component_report(
    net: &Network,
    flow: &flow::Flow,
    loads: &[Option<Load>],
    (up, sent, (streams, replicated)): (f64, [bool; 3], Replication),
    v: usize,
) -> ComponentReport {
    let s = net.scenario;
    let (c, node) = (&s.components[v], &net.nodes[v]);
    let total = |a: [f64; 3]| a[0] + a[1] + a[2];
    let ms = |x: f64| x * 1000.0;
    let arrival = total(flow.arrival[v]);
    let served_k = flow.served(v);
    let served = total(served_k);
    let mut completed = 0.0;
    let mut forwarded = 0.0;
    let mut spawned = 0.0;
    for k in 0..3 {
        completed += served_k[k] * node.completes[k];
        forwarded += served_k[k] * node.routes[k].iter().map(|e| e.p).sum::<f64>();
        spawned += served_k[k]
            * node.calls[k]
                .iter()
                .chain(&node.asyncs[k])
                .map(|e| e.p)
                .sum::<f64>();
    }
    let billed = station::billed_instances(c) as f64;
    let applies = (streams.links_into(v))
        .filter_map(|i| replicated[i])
        .reduce(|a, b| Replicated {
            writes_rps: a.writes_rps + b.writes_rps,
            work_rps: a.work_rps + b.work_rps,
        });
    let load = loads[v].as_ref();
    ComponentReport {
        kind: c.kind,
        arrival_rps: arrival,
        served_rps: served,
        dropped_rps: node_dropped(net, flow, v),
        stranded_rps: node_stranded(net, flow, v),
        background: background(s, c),
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
        saturated: load.is_some_and(|l| saturates(l.load)),
        failed: s.failed.contains_key(&c.id),
        passed_by: match net.states[v] {
            State::Bypassed(None) => Some(PassedBy::Origin),
            State::Bypassed(Some(p)) => Some(PassedBy::Promoted(net.id(p).to_owned())),
            _ => None,
        },
        availability: up,
        monthly_cost_usd: billed * s.instance_price(c),
        instances_steady: None,
        hit_ratio: net.wiring.hit[v],
        applies,
        // A replica sent no writes to apply has no lag: promoted in a failover (it is the
        // primary now), or down.
        lag: applies.and_then(|_| {
            let window = c.num("read_your_writes_ms");
            if c.choice("replication") == "sync" {
                return Some(replication::synchronous(window));
            }
            // Little's law counts writes, not the work of applying them.
            let writes = applies.map_or(0.0, |a| a.writes_rps);
            load.map(|l| {
                let delay = streams.delay_s(s, &net.wiring.map.places, v);
                replication::lag(l, delay, window, writes)
            })
        }),
        resharding: (c.kind == Kind::ShardGroup).then(|| {
            let count = |key: &str| c.num(key).max(1.0) as usize;
            resharding::of(
                count("shards"),
                c.choice("strategy"),
                count("virtual_nodes"),
            )
        }),
        rejected_rps: node
            .station
            .as_ref()
            .filter(|st| st.limit.is_some())
            .map(|_| arrival * load.map_or(0.0, |l| l.rejected)),
        cannot_serve: Class::ALL
            .into_iter()
            .filter(|&k| !c.kind.serves(k) && sent[k.index()])
            .collect(),
        no_way_on: loose_ends::dead_end_classes(net, v),
    }
}

/// Whether `c` works in the background: a consumer fed only by queues. Its producers were
/// answered at enqueue, so what it loses is not among the requests dropped (§2).
pub(super) fn background(s: &Scenario, c: &Component) -> bool {
    let mut feeds = s.links.iter().filter(|l| l.to == c.id).peekable();
    c.kind == Kind::Worker
        && feeds.peek().is_some()
        && feeds.all(|l| s.component(&l.from).is_some_and(|f| f.kind == Kind::Queue))
}

/// Requests per second node `v` drops: refused by its servers, or failing there with
/// nowhere alive to go.
pub(super) fn node_dropped(net: &Network, flow: &flow::Flow, v: usize) -> f64 {
    let served: f64 = flow.served(v).iter().sum();
    (flow.total(v) - served).max(0.0) + node_stranded(net, flow, v)
}

/// Requests per second node `v` accepts and then fails because nothing it could send them
/// to is working (or no link carries them): the part of its drops that is the design's
/// shape, not its load.
pub(super) fn node_stranded(net: &Network, flow: &flow::Flow, v: usize) -> f64 {
    let served = flow.served(v);
    (0..3).map(|k| served[k] * net.nodes[v].fails[k]).sum()
}

/// Requests per second the design drops in all, when `rps` are offered and the share
/// `success` of them is served.
pub(super) fn dropped(net: &Network, rps: f64, success: f64) -> f64 {
    if net.sources.is_empty() {
        0.0
    } else {
        (rps - rps * success).max(0.0)
    }
}

/// Per node and class: whether some requests reach it handed over or called along a link
/// (not replication or queue delivery, which are work the receiver does for its own sake).
fn sent_over_links(net: &Network, flow: &flow::Flow) -> Vec<[bool; 3]> {
    let mut sent = vec![[false; 3]; net.nodes.len()];
    let kind = |v: usize| net.scenario.components[v].kind;
    for (u, node) in net.nodes.iter().enumerate() {
        let served = flow.served(u);
        for k in (0..3).filter(|&k| served[k] > 0.0) {
            for e in node.routes[k].iter().chain(&node.calls[k]) {
                // A primary's writes to a synchronous replica are replication, not a
                // write sent to the wrong place.
                let replication = kind(u).is_primary() && kind(e.to) == Kind::ReadReplica;
                sent[e.to][k] |= e.p > 0.0 && !replication;
            }
        }
    }
    sent
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
