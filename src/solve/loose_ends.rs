//! What a design's wiring leaves loose, in words: requests with nowhere to go, components
//! nothing reaches, replicas that copy no primary, and writes kept by a pool of servers
//! that share nothing. The numbers already count the first; the notes say why, so that an
//! edit such as deleting the database never looks like an improvement without a word.

use super::flow;
use super::network::{Network, State};
use super::spof::name_list;
use super::ComponentReport;
use crate::model::{rate, Class, Kind};
use std::collections::BTreeMap;

/// Every note on the design's loose ends, in component order within each kind of note.
pub(super) fn notes(
    net: &Network,
    flow: &flow::Flow,
    rps: f64,
    reports: &BTreeMap<String, ComponentReport>,
) -> Vec<String> {
    let mut notes = dead_ends_routed_around(net, flow, rps, reports);
    let gap = !notes.is_empty();
    notes.extend(stranded(net, flow, rps, gap));
    notes.extend(unshared_writes(net, flow, rps));
    notes.extend(reads_through_primary(net, flow, rps));
    notes.extend(replicas_without_primary(net));
    notes.extend(unreached(net, reports));
    notes.extend(sent_nothing(net, flow, rps, reports));
    notes.extend(replicas_read_by_none(net, flow, reports));
    notes
}

/// A sentence for each working component that drops requests for want of somewhere to send
/// them. Either nothing it could send them to is working (a failure downstream, seen
/// directly or by a health check), a loss that is not the bottleneck's and that no capacity
/// brings back; or no link carries them at all, a wiring gap.
fn stranded(net: &Network, flow: &flow::Flow, rps: f64, gap: bool) -> Vec<String> {
    let s = net.scenario;
    // The what-if failures behind it, named: the sender that strands is rarely the cause
    // (DNS, whose balancer's deep check takes out a tier that needs the failed database).
    let down: Vec<String> = s
        .failed
        .iter()
        .filter(|(_, f)| f.lost.is_none())
        .map(|(id, _)| s.name_of(id).to_owned())
        .collect();
    let cause = match down.len() {
        0 => String::new(),
        n => format!(
            ", with {} down (what-if){}",
            name_list(&down),
            if net.rerouted {
                format!(
                    " and deep health checks taking out what needs {}",
                    if n == 1 { "it" } else { "them" }
                )
            } else {
                String::new()
            }
        ),
    };
    (0..net.nodes.len())
        .filter(|&v| net.states[v].routable())
        .filter_map(|v| {
            let served = flow.served(v);
            let lost: Vec<(Class, f64)> = Class::ALL
                .into_iter()
                .map(|k| (k, served[k.index()] * net.nodes[v].fails[k.index()]))
                .filter(|&(_, x)| x > 1e-9 * rps.max(1.0))
                .collect();
            if lost.is_empty() {
                return None;
            }
            let total: f64 = lost.iter().map(|&(_, x)| x).sum();
            let classes: Vec<&str> = lost.iter().map(|&(k, _)| k.key()).collect();
            let c = &s.components[v];
            let links = net.wiring.links_from(v);
            let linked = |k: Class| links.iter().any(|&li| s.links[li].carries(k));
            let failed_over = matches!(net.states[v], State::Bypassed(_));
            let routed_around = failed_over || lost.iter().all(|&(k, _)| linked(k));
            Some(if routed_around && gap && s.failed.is_empty() {
                format!(
                    "{} has nowhere to send {} req/s ({} requests): deep health checks take \
                     every component that could serve them out of rotation, because of the \
                     gap in the wiring the note above names. More capacity does not bring \
                     them back.",
                    c.display_name(),
                    rate(total),
                    classes.join(" and "),
                )
            } else if routed_around {
                format!(
                    "{} has nowhere to send {} req/s ({} requests): every component \
                     that could serve them is down or out of rotation{}. They are lost to the \
                     failure, not to load, and more capacity does not bring them back.",
                    c.display_name(),
                    rate(total),
                    classes.join(" and "),
                    cause,
                )
            } else if matches!(c.kind, Kind::Cache | Kind::Cdn) {
                format!(
                    "{} has no link for the {} requests it does not answer from its hits: \
                     {} req/s go nowhere. Link it to the component that holds the data.",
                    c.display_name(),
                    classes.join(" and "),
                    rate(total),
                )
            } else {
                format!(
                    "{} has no link for its {} requests: {} req/s go nowhere. Link it \
                     to a component that serves them.",
                    c.display_name(),
                    classes.join(" and "),
                    rate(total),
                )
            })
        })
        .collect()
}

/// Classes that reach relay `v` (a router, or a cache's misses) and that no link of its
/// carries on: what it fails, or would fail if it were sent any.
pub(super) fn dead_end_classes(net: &Network, v: usize) -> Vec<Class> {
    let s = net.scenario;
    let c = &s.components[v];
    if !c.kind.relays() || !net.states[v].routable() {
        return Vec::new();
    }
    Class::ALL
        .into_iter()
        .filter(|&k| net.health.reaches(v, k.index()) && net.nodes[v].fails[k.index()] > 0.0)
        .filter(|&k| {
            let links = net.wiring.links_from(v);
            !links.iter().any(|&li| s.links[li].carries(k))
        })
        .collect()
}

/// A relay with a class it has no link for (its report's `no_way_on`), which no request
/// reaches now because a deep health check upstream sees the failure and takes what needs
/// it out of rotation: the design's drops are counted at the router, but their cause is here.
fn dead_ends_routed_around(
    net: &Network,
    flow: &flow::Flow,
    rps: f64,
    reports: &BTreeMap<String, ComponentReport>,
) -> Vec<String> {
    let s = net.scenario;
    let name = |v: usize| s.components[v].display_name().to_owned();
    let dead: Vec<(usize, Vec<Class>)> = (0..net.nodes.len())
        .filter_map(|v| {
            let served = flow.served(v);
            let report = reports.get(&s.components[v].id)?;
            let dead: Vec<Class> = report
                .no_way_on
                .iter()
                .copied()
                .filter(|k| served[k.index()] <= 1e-9 * rps.max(1.0))
                .collect();
            (!dead.is_empty()).then_some((v, dead))
        })
        .collect();
    if dead.is_empty() {
        return Vec::new();
    }
    // Deep-checking routers, each with the working targets it takes out.
    let checks: Vec<String> = (0..net.nodes.len())
        .filter(|&u| net.health.deep[u] && net.states[u].routable())
        .filter_map(|u| {
            let mut out: Vec<usize> = net
                .wiring
                .links_from(u)
                .iter()
                .map(|&li| net.wiring.target(li))
                .filter(|&t| net.states[t].routable() && !net.health.works[t])
                .collect();
            out.dedup();
            (!out.is_empty()).then(|| {
                let out: Vec<String> = out.into_iter().map(name).collect();
                format!(
                    "the deep health check of {} takes {} out of rotation",
                    name(u),
                    name_list(&out)
                )
            })
        })
        .collect();
    if checks.is_empty() {
        return Vec::new();
    }
    dead.into_iter()
        .map(|(v, dead)| {
            let classes: Vec<&str> = dead.iter().map(|k| k.key()).collect();
            let c = &s.components[v];
            let (what, fix) = if matches!(c.kind, Kind::Cache | Kind::Cdn) {
                (
                    format!(
                        "the {} requests it does not answer from its hits",
                        classes.join(" and ")
                    ),
                    "the component that holds the data",
                )
            } else {
                (
                    format!("its {} requests", classes.join(" and ")),
                    "a component that serves them",
                )
            };
            format!(
                "{} has no link for {what}, so it would fail them: {}, and none reach it now. \
                 Link it to {fix}.",
                c.display_name(),
                checks.join("; "),
            )
        })
        .collect()
}

/// App servers of several instances that keep the writes they are sent: with no link to
/// store them elsewhere, each instance holds only what it took, and the next request of the
/// same user may land on another (the journey's stage 2 moves the data out for this).
fn unshared_writes(net: &Network, flow: &flow::Flow, rps: f64) -> Vec<String> {
    let s = net.scenario;
    let w = Class::Write.index();
    (0..net.nodes.len())
        .filter(|&v| {
            let c = &s.components[v];
            c.kind == Kind::AppServer
                && c.num("instances") > 1.0
                && net.states[v].routable()
                && flow.served(v)[w] > 1e-9 * rps.max(1.0)
                && !net
                    .wiring
                    .links_from(v)
                    .iter()
                    .any(|&li| s.links[li].carries(Class::Write))
        })
        .map(|v| {
            let c = &s.components[v];
            let r = Class::Read.index();
            let reads = flow.served(v)[r];
            let linked = |k: Class| {
                net.wiring
                    .links_from(v)
                    .iter()
                    .any(|&li| s.links[li].carries(k))
            };
            let answered = if reads > 1e-9 * rps.max(1.0) && !linked(Class::Read) {
                format!(", and answers its {} reads/s from that", rate(reads))
            } else {
                String::new()
            };
            format!(
                "{} keeps the {} writes/s it receives itself{answered}: no link takes them \
                 to a database, so each of its {} instances holds only what it was sent, and \
                 a user's next request may land on one that has not seen it. Link it to a \
                 database{}.",
                c.display_name(),
                rate(flow.served(v)[w]),
                c.num("instances"),
                if answered.is_empty() {
                    " for its writes"
                } else {
                    ""
                },
            )
        })
        .collect()
}

/// A primary that is sent reads and hands them to its replicas: they queue at it first
/// (MODEL.md section 2), so the replicas take none of its load. Read/write splitting is a
/// link from the app (or its cache) to the replicas.
fn reads_through_primary(net: &Network, flow: &flow::Flow, rps: f64) -> Vec<String> {
    let s = net.scenario;
    let r = Class::Read.index();
    (0..net.nodes.len())
        .filter(|&v| {
            s.components[v].kind.is_primary()
                && net.states[v].routable()
                && flow.served(v)[r] > 1e-9 * rps.max(1.0)
                && !net.nodes[v].routes[r].is_empty()
        })
        .map(|v| {
            let c = &s.components[v];
            format!(
                "{} receives {} reads/s and hands them to its replicas: they queue at it \
                 first, so the replicas take none of its load. For read/write splitting, \
                 link what sends the reads (the app, or its cache) to the replicas.",
                c.display_name(),
                rate(flow.served(v)[r]),
            )
        })
        .collect()
}

/// Read replicas that no primary links to: nothing replicates writes into them, so what
/// they answer never changes.
fn replicas_without_primary(net: &Network) -> Vec<String> {
    let s = net.scenario;
    let parents = &net.wiring.parents;
    let orphans: Vec<String> = (0..net.nodes.len())
        .filter(|&v| s.components[v].kind == Kind::ReadReplica)
        // One that nothing reaches at all is said among the unreached.
        .filter(|&v| !parents[v].is_empty())
        .filter(|&v| {
            let id = &s.components[v].id;
            !parents[v].iter().any(|&p| {
                s.components[p].kind.is_primary()
                    && net.wiring.links_from(p).iter().any(|&li| {
                        let l = &s.links[li];
                        &l.to == id && l.calls.is_none()
                    })
            })
        })
        .map(|v| s.components[v].display_name().to_owned())
        .collect();
    match orphans.len() {
        0 => Vec::new(),
        n => vec![format!(
            "{} {} no primary linked to {}: no writes are replicated to {}, so the reads \
             {} never see a change. Link the DB primary (or Shards) to {}.",
            name_list(&orphans),
            if n == 1 { "has" } else { "have" },
            if n == 1 { "it" } else { "them" },
            if n == 1 { "it" } else { "them" },
            if n == 1 { "it answers" } else { "they answer" },
            if n == 1 { "it" } else { "each" },
        )],
    }
}

/// Idle components, named for a sentence about them, with what they cost.
struct Idle {
    names: String,
    one: bool,
    cost: f64,
}

impl Idle {
    /// The components `idle` of the design (`None` when there are none).
    fn of(
        net: &Network,
        reports: &BTreeMap<String, ComponentReport>,
        idle: &[usize],
    ) -> Option<Idle> {
        let s = net.scenario;
        let ids = || idle.iter().map(|&v| &s.components[v]);
        (!idle.is_empty()).then(|| Idle {
            names: name_list(
                &ids()
                    .map(|c| c.display_name().to_owned())
                    .collect::<Vec<_>>(),
            ),
            one: idle.len() == 1,
            cost: ids()
                .filter_map(|c| reports.get(&c.id))
                .map(|r| r.monthly_cost_usd)
                .sum(),
        })
    }

    /// `one` for a single component, else `many`.
    fn pick<'a>(&self, one: &'a str, many: &'a str) -> &'a str {
        if self.one {
            one
        } else {
            many
        }
    }

    /// "; they still cost $300 per month", or nothing when they cost nothing.
    fn paid(&self) -> String {
        if self.cost > 0.0 {
            let they = self.pick("it still costs", "they still cost");
            format!("; {they} ${:.0} per month", self.cost)
        } else {
            String::new()
        }
    }
}

/// Components that no link leads to: they serve nothing and are still paid for.
fn unreached(net: &Network, reports: &BTreeMap<String, ComponentReport>) -> Vec<String> {
    let s = net.scenario;
    let idle: Vec<usize> = (0..net.nodes.len())
        .filter(|&v| s.components[v].kind.accepts_input() && net.wiring.parents[v].is_empty())
        .collect();
    Idle::of(net, reports, &idle)
        .map(|i| {
            format!(
                "{} {} nothing: no link leads to {}{}.",
                i.names,
                i.pick("receives", "receive"),
                i.pick("it", "them"),
                i.paid()
            )
        })
        .into_iter()
        .collect()
}

/// Read replicas that work and are linked to, but that no reads reach while the design
/// sends some: they copy the primary's writes for nobody.
fn replicas_read_by_none(
    net: &Network,
    flow: &flow::Flow,
    reports: &BTreeMap<String, ComponentReport>,
) -> Vec<String> {
    let s = net.scenario;
    let r = Class::Read.index();
    if s.traffic.shares()[r] <= 0.0 {
        return Vec::new();
    }
    let idle: Vec<usize> = (0..net.nodes.len())
        .filter(|&v| {
            s.components[v].kind == Kind::ReadReplica
                && net.states[v].routable()
                && !net.wiring.parents[v].is_empty()
                && flow.total(v) > 0.0
                && flow.served(v)[r] <= 0.0
        })
        .collect();
    Idle::of(net, reports, &idle)
        .map(|i| {
            format!(
                "{} {} no reads: nothing sends {} any, so {} the primary's writes{}.",
                i.names,
                i.pick("answers", "answer"),
                i.pick("it", "them"),
                i.pick("it only copies", "they only copy"),
                i.paid()
            )
        })
        .into_iter()
        .collect()
}

/// Components linked to that receive nothing while the design is offered traffic and has
/// no failure marked: what links to them sends them nothing (a replica of a primary that
/// receives nothing, a CDN for static files the traffic has none of). Still paid for.
fn sent_nothing(
    net: &Network,
    flow: &flow::Flow,
    rps: f64,
    reports: &BTreeMap<String, ComponentReport>,
) -> Vec<String> {
    let s = net.scenario;
    if rps <= 0.0 || !s.failed.is_empty() {
        return Vec::new();
    }
    let idle: Vec<usize> = (0..net.nodes.len())
        .filter(|&v| {
            s.components[v].kind.accepts_input()
                && !net.wiring.parents[v].is_empty()
                && flow.total(v) <= 0.0
        })
        .collect();
    Idle::of(net, reports, &idle)
        .map(|i| {
            let them = i.pick("it", "them");
            format!(
                "{} {} nothing: what links to {them} sends {them} no requests{}.",
                i.names,
                i.pick("receives", "receive"),
                i.paid()
            )
        })
        .into_iter()
        .collect()
}
