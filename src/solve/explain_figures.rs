//! The headline figures explained: throughput and drops from the traffic equations, the
//! mean as the sum of each component's part, percentiles by transform inversion,
//! availability from the paths, cost, and the headroom with the components that saturate
//! next.

use super::autoscale::Pool;
use super::availability;
use super::closed::ClosedReport;
use super::explain::{input, Explanation, Formula, Input, Subject, Unit};
use super::explain_station::{approximation, blank};
use super::explain_unit::{up, working};
use super::latency::{invert_cdf, shifts_of, Latency};
use super::report::Report;
use super::solution::Solution;
use super::station::billed_instances;
use super::versus::Figure;
use super::MINUTES_PER_MONTH;
use crate::model::{minutes, multiple, Class};
use crate::model::{HealthCheck, Scenario};

/// Most components listed as inputs of a sum; the rest are summed into one line.
const LISTED: usize = 8;
/// Largest design whose mean is split into every component's part (one pass per
/// component: quadratic).
const SPLIT_LIMIT: usize = 2_000;

/// How the design grows with its traffic: each component's load with autoscaled pools at
/// their maximum, and those pools.
pub(super) type Growth<'a> = (&'a [f64], &'a [Pool]);

/// Every headline figure's explanation, in [`Figure::ALL`]'s order.
pub(super) fn all(sol: &Solution, report: &Report, growth: Growth) -> Vec<Explanation> {
    Figure::ALL
        .into_iter()
        .map(|figure| Explanation {
            subject: Subject::Figure { figure },
            result: figure.of(report),
            ..one(sol, report, growth, figure)
        })
        .collect()
}

fn one(sol: &Solution, report: &Report, growth: Growth, figure: Figure) -> Explanation {
    match figure {
        Figure::Throughput => match &report.closed {
            Some(c) => closed_throughput(report, c),
            None => flows(sol.net.scenario, report, figure),
        },
        Figure::Dropped => flows(sol.net.scenario, report, figure),
        Figure::MeanLatency => mean(sol, report),
        Figure::P50 | Figure::P95 | Figure::P99 => percentile(sol, report, figure),
        Figure::Availability => availability(sol, report),
        Figure::Downtime => Explanation {
            formula: Formula::Downtime,
            inputs: vec![input(
                "A",
                "availability",
                report.availability,
                Unit::Availability,
            )],
            why: "A definition: the unavailable share of a 30-day month.".to_owned(),
            // Written as the headline figures write them.
            steps: vec![format!(
                "(1 − {}) × {MINUTES_PER_MONTH:.0} min = {} a month.",
                up(report.availability),
                minutes(report.downtime_minutes_per_month)
            )],
            ..blank(Unit::MinPerMonth)
        },
        Figure::MonthlyCost => cost(sol),
        Figure::Headroom => headroom(sol, report, growth),
    }
}

/// Where a router checks its targets deeply and they serve more than one class, the step
/// that says why the classes' availabilities move together: a target failing any class is
/// taken out of rotation for all (`served_for` in `availability.rs`), so writes need the
/// replicas their servers read from.
fn coupled_by_checks(sol: &Solution) -> Option<String> {
    let (net, demand) = (&sol.net, &sol.demand);
    let s = net.scenario;
    let mixed = |t: usize| demand.arrival[t].iter().filter(|&&a| a > 0.0).count() > 1;
    let names: Vec<&str> = (0..net.nodes.len())
        .filter(|&v| s.components[v].health_check() == HealthCheck::Deep)
        .filter(|&v| (net.nodes[v].routes.iter().flatten()).any(|e| e.p > 0.0 && mixed(e.to)))
        .map(|v| s.components[v].display_name())
        .collect();
    (!names.is_empty()).then(|| {
        format!(
            "{} {} deeply: a target that fails any class of request is taken out of \
             rotation for all, so each class needs everything any class needs behind it, \
             and losing what one class uses stops the others too.",
            names.join(", "),
            if names.len() == 1 {
                "checks its targets"
            } else {
                "check their targets"
            }
        )
    })
}

/// With more than one class of request, the step that adds them up: each class needs its
/// own paths (losing object storage fails the static requests alone), and counts by its
/// share of the requests served, so the figure is not the product of the inputs above.
fn by_class(sol: &Solution, report: &Report) -> Option<String> {
    let success = Latency::unmerged(&sol.net, &sol.loads, sol.shares)
        .moments()
        .success_by_class;
    let terms = availability::by_class(&sol.net, &sol.demand, sol.shares, success, &sol.up);
    let listed: Vec<String> = Class::ALL
        .into_iter()
        .filter_map(|c| {
            let t = terms[c.index()]?;
            Some(format!(
                "{} {} × {}",
                c.key(),
                working(t.weight),
                up(t.a.value)
            ))
        })
        .collect();
    (listed.len() > 1).then(|| {
        format!(
            "Each class of request counts by its share of the requests served, times the \
             probability its own paths work: A = Σ share × served × A_class = {} = {}.",
            listed.join(" + "),
            up(report.availability)
        )
    })
}

/// How the values left out of a list join into one row.
#[derive(Clone, Copy)]
enum Rest {
    /// Their sum: rates, times and prices add up.
    Summed,
    /// The largest of them: loads do not add.
    Highest,
}

/// Inputs for the largest `values` (id, value), named as the diagram names them, the rest
/// joined into one as `rest` says.
fn largest(
    s: &Scenario,
    values: &mut [(String, f64)],
    meaning: &str,
    unit: Unit,
    rest: Rest,
) -> Vec<Input> {
    crate::sort::by(values, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut inputs: Vec<Input> = values
        .iter()
        .take(LISTED)
        .map(|(id, x)| input(s.name_of(id), meaning, *x, unit))
        .collect();
    if values.len() > LISTED {
        let others = values[LISTED..].iter().map(|v| v.1);
        let n = values.len() - LISTED;
        let (label, value) = match rest {
            Rest::Summed => (format!("{n} others"), others.sum()),
            Rest::Highest => (format!("{n} others, at most"), others.fold(0.0, f64::max)),
        };
        inputs.push(input(&label, meaning, value, unit));
    }
    inputs
}

fn flows(s: &Scenario, report: &Report, figure: Figure) -> Explanation {
    let served = if report.offered_rps > 0.0 {
        report.throughput_rps / report.offered_rps
    } else {
        0.0
    };
    let mut inputs = vec![
        input(
            "λ",
            "requests per second offered",
            report.offered_rps,
            Unit::ReqPerS,
        ),
        input("P(served)", "share served end to end", served, Unit::Number),
    ];
    // Consumers in the background drop messages, not requests: they are told apart below.
    let mut drops: Vec<(String, f64)> = report
        .components
        .iter()
        .filter(|(_, c)| c.dropped_rps > 0.0 && !c.background)
        .map(|(id, c)| (id.clone(), c.dropped_rps))
        .collect();
    let refused: f64 = drops.iter().map(|(_, d)| d).sum();
    let mut steps = if report.offered_rps <= 0.0 {
        vec!["No traffic is offered: there is nothing to serve or to drop.".to_owned()]
    } else if drops.is_empty() {
        vec!["No component refuses or loses a request: everything offered is served.".to_owned()]
    } else {
        inputs.extend(largest(
            s,
            &mut drops,
            "per second it refuses or loses: requests, calls or writes to apply",
            Unit::ReqPerS,
            Rest::Summed,
        ));
        vec![
            "Each component passes on what it accepts along its links' shares; what it refuses \
             (full, overloaded, rate-limited, failed) is lost."
                .to_owned(),
        ]
    };
    // What components refuse is work, counted where it is refused; the figure counts
    // requests. The two differ when one request is several pieces of work somewhere.
    if refused > report.dropped_rps * (1.0 + 1e-6) + 1e-9 {
        steps.push(format!(
            "The components' drops add up to {} req/s, more than the {} req/s of requests \
             dropped: they count the work each refuses, and not every piece of it is a \
             request of its own (a replica also applies the primary's writes; a request \
             may call a component more than once, or retry).",
            crate::model::rate(refused),
            crate::model::rate(report.dropped_rps)
        ));
    }
    let background = report.background_dropped_rps();
    if background > 0.0 {
        let names: Vec<&str> = report
            .components
            .iter()
            .filter(|(_, c)| c.background && c.dropped_rps > 0.0)
            .map(|(id, _)| s.name_of(id))
            .collect();
        steps.push(format!(
            "Not counted here: {} never process {} messages/s of background work. Those \
             requests were answered when their message was queued, so the loss is work \
             left undone, not requests dropped.",
            names.join(", "),
            crate::model::rate(background)
        ));
    }
    if report.offered_rps > 0.0 {
        steps.push(flow_step(report, figure, served));
    }
    Explanation {
        formula: Formula::TrafficEquations,
        inputs,
        why: "Rates follow exactly from the routing shares and each component's accepted share."
            .to_owned(),
        steps,
        ..blank(Unit::ReqPerS)
    }
}

/// The traffic equation's last step: the figure from the offered rate and the share served.
fn flow_step(report: &Report, figure: Figure, served: f64) -> String {
    match figure {
        Figure::Dropped => format!(
            "Dropped = λ · (1 − P(served)) = {:.2} × {:.6} = {:.2} req/s.",
            report.offered_rps,
            1.0 - served,
            report.dropped_rps
        ),
        _ => format!(
            "X = λ · P(served) = {:.2} × {:.6} = {:.2} req/s.",
            report.offered_rps, served, report.throughput_rps
        ),
    }
}

/// A closed population's throughput: its users cycle between thinking and waiting for an
/// answer, so the rate is theirs to set (the response-time law), not an offered one.
fn closed_throughput(report: &Report, c: &ClosedReport) -> Explanation {
    let r_s = report.latency_ms.mean.unwrap_or(0.0) / 1000.0;
    let users = c.users as f64;
    Explanation {
        formula: Formula::Mva,
        inputs: vec![
            input("N", "concurrent users", users, Unit::Number),
            input("Z", "think time", c.think_time_s, Unit::Seconds),
            input("R", "mean response time, from MVA", r_s, Unit::Seconds),
        ],
        exact: c.exact_mva,
        why: if c.exact_mva {
            "Exact MVA for this population; the response-time law X = N / (Z + R) holds for \
             any closed system in steady state."
        } else {
            "MVA by Bard–Schweitzer's approximation for this many users; the response-time \
             law X = N / (Z + R) itself holds for any closed system in steady state."
        }
        .to_owned(),
        steps: if report.serves_nothing() {
            // The law holds for the users' cycles, but no cycle ends in an answer: every
            // request they send is turned away.
            vec![format!(
                "No request is served: the users send N / Z = {users:.0} / {:.3} s = {:.2} \
                 req/s, and every one of them is turned away (the Dropped figure says \
                 where), so X = 0.",
                c.think_time_s, report.offered_rps
            )]
        } else {
            vec![format!(
                "X = N / (Z + R) = {users:.0} / ({:.3} s + {r_s:.6} s) = {:.2} req/s.",
                c.think_time_s, report.throughput_rps
            )]
        },
        ..blank(Unit::ReqPerS)
    }
}

/// Where a station's own time is approximate, one sentence per component.
fn station_exactness(sol: &Solution) -> Vec<String> {
    sol.loads
        .iter()
        .enumerate()
        .filter_map(|(v, l)| {
            Some(format!(
                "{}: {}",
                sol.net.scenario.name_of(sol.net.id(v)),
                approximation(l.as_ref()?)?
            ))
        })
        .collect()
}

/// The name of the mean's part spent on hops between places.
const ROUND_TRIPS: &str = "Round trips between places";

fn mean(sol: &Solution, report: &Report) -> Explanation {
    let reasons = station_exactness(sol);
    let why = if reasons.is_empty() {
        "Each component's mean time is exact, and means add along paths whatever the \
         dependence between hops."
            .to_owned()
    } else {
        format!(
            "Approximate where a component's own time is: {}.",
            reasons.join("; ")
        )
    };
    let mut steps = Vec::new();
    let mut inputs = Vec::new();
    let n = sol.net.nodes.len();
    if report.serves_nothing() {
        steps.push(
            "No request is served, so there is no time to average: nobody waits, every \
             request is turned away (the Dropped figure says where)."
                .to_owned(),
        );
    } else if report.latency_ms.mean.is_none() {
        steps.push(
            "Some served requests pass a component whose queue grows without bound: the mean \
             is unbounded."
                .to_owned(),
        );
    } else if n > SPLIT_LIMIT {
        steps.push(format!(
            "The design has {n} components; splitting the mean into each one's part is done \
             for designs of up to {SPLIT_LIMIT}."
        ));
    } else if let Some(parts) = Latency::unmerged(&sol.net, &sol.loads, sol.shares).contributions()
    {
        let mut named: Vec<(String, f64)> = parts
            .iter()
            .enumerate()
            .filter(|(_, &p)| p > 0.0)
            .map(|(v, &p)| (sol.net.id(v).to_owned(), p * 1000.0))
            .collect();
        // Hops between places take time of their own (MODEL.md §21): what the components'
        // parts leave of the mean.
        let own: f64 = named.iter().map(|(_, p)| p).sum();
        let distance = report.latency_ms.mean.map_or(0.0, |m| m - own);
        if distance > 1e-6 {
            named.push((ROUND_TRIPS.to_owned(), distance));
        }
        inputs = largest(
            sol.net.scenario,
            &mut named,
            "ms it adds per served request (V·T)",
            Unit::Ms,
            Rest::Summed,
        );
        for (id, part) in named.iter().take(LISTED) {
            if id == ROUND_TRIPS {
                steps.push(format!(
                    "Round trips between places: {} ms, the network time between the places \
                     a request passes (MODEL.md §21).",
                    working(*part)
                ));
            } else if let Some(t) = report.components.get(id).and_then(|c| c.mean_response_ms) {
                let visits = working(part / t.max(f64::MIN_POSITIVE));
                steps.push(format!(
                    "{}: {visits} {} × {} ms = {} ms",
                    sol.net.scenario.name_of(id),
                    if visits == "1" { "visit" } else { "visits" },
                    working(t),
                    working(*part)
                ));
            }
        }
    }
    Explanation {
        formula: Formula::MeanSum,
        inputs,
        exact: reasons.is_empty(),
        why,
        steps,
        ..blank(Unit::Ms)
    }
}

fn percentile(sol: &Solution, report: &Report, figure: Figure) -> Explanation {
    let p = match figure {
        Figure::P50 => 0.50,
        Figure::P95 => 0.95,
        _ => 0.99,
    };
    let served = if report.offered_rps > 0.0 {
        report.throughput_rps / report.offered_rps
    } else {
        0.0
    };
    let mut inputs = vec![
        input("p", "the percentile", p, Unit::Number),
        input(
            "P(served)",
            "share of requests served",
            served,
            Unit::Number,
        ),
    ];
    if let Some(m) = report.latency_ms.mean {
        inputs.push(input("E[T]", "mean end-to-end time", m, Unit::Ms));
    }
    let reasons = station_exactness(sol);
    let (exact, why) = if report.latency_ms.exact {
        (
            true,
            "One chain of single-server exponential queues: by Burke's and Reich's theorems \
             the hops' times are independent, so the product of their transforms is exact."
                .to_owned(),
        )
    } else {
        let mut why = "The hops' times are treated as independent, which holds exactly only \
                       for a chain of single-server exponential queues."
            .to_owned();
        if !reasons.is_empty() {
            why += &format!(" Also: {}", reasons.join(" "));
        }
        (false, why)
    };
    Explanation {
        formula: Formula::TransformInversion,
        inputs,
        exact,
        why,
        steps: [
            Some(format!(
                "t is found where the distribution of the served requests' time reaches {:.0} \
                 %: Newton steps on the inverted transform, each evaluation a pass over the \
                 design.",
                p * 100.0
            )),
            percentile_check(sol, report, figure),
        ]
        .into_iter()
        .flatten()
        .collect(),
        ..blank(Unit::Ms)
    }
}

/// The working's last line: the inverted transform read at the reported percentile gives
/// back its share of the served requests. Only where the headline's distribution is the
/// network's own: a design with users on the map mixes its places' distributions, and a
/// closed population's comes from MVA.
fn percentile_check(sol: &Solution, report: &Report, figure: Figure) -> Option<String> {
    if sol.closed.is_some() || !report.latency_by_location.is_empty() {
        return None;
    }
    let t = figure.of(report)?;
    let latency = Latency::unmerged(&sol.net, &sol.loads, sol.shares);
    let success = latency.moments().success;
    if success <= 0.0 {
        return None;
    }
    let shifts = shifts_of(&latency);
    let (cdf, _) = invert_cdf(t / 1000.0, shifts.as_deref(), &latency);
    Some(format!(
        "Check: at t = {} ms the inverted transform gives P(T ≤ t) = {} of the served \
         requests.",
        working(t),
        working(cdf / success)
    ))
}

fn availability(sol: &Solution, report: &Report) -> Explanation {
    let s = sol.net.scenario;
    // Only what the figure counts: a queue's consumers, listed, would seem to multiply in.
    let counted = availability::counted(&sol.net, &sol.demand, sol.shares);
    let mut weak: Vec<(String, f64)> = (0..sol.net.nodes.len())
        .filter(|&v| counted[v])
        .filter_map(|v| {
            let id = sol.net.id(v);
            let c = report.components.get(id)?;
            (c.availability < 1.0).then(|| (id.to_owned(), c.availability))
        })
        .collect();
    crate::sort::by(&mut weak, |a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let mut inputs: Vec<Input> = weak
        .iter()
        .take(LISTED)
        .map(|(id, a)| {
            input(
                s.name_of(id),
                "probability it does its part",
                *a,
                Unit::Availability,
            )
        })
        .collect();
    let mut steps = vec![
        "A request class is served when some path from its client has every component on it \
         up; components on every path multiply in. Alternatives (replicas, servers behind a \
         balancer) stand in for each other only as far as the ones left can carry the load: \
         where one alone would be overloaded, each is needed, as the SPOF list says. A state \
         whose survivors cannot carry the load counts here as serving none of the class, \
         though some of it still gets through (a failure table row says how much): on that \
         point the figure errs on the low side."
            .to_owned(),
    ];
    for id in &report.spofs {
        // The reason names the component already ("DB (DB primary): …").
        if let Some(reason) = report.spof_reasons.get(id) {
            steps.push(format!("Single point of failure: {reason}"));
        }
    }
    steps.extend(by_class(sol, report));
    steps.extend(coupled_by_checks(sol));
    // What the steady state already loses (what-if failures, capacity short) multiplies
    // in: availability is never above the share served.
    if report.offered_rps > 0.0 && report.dropped_rps > 0.0 {
        let served = report.throughput_rps / report.offered_rps;
        inputs.push(input(
            "P(served)",
            "share served end to end, with the failures marked and every capacity limit",
            served,
            Unit::Number,
        ));
        steps.push(format!(
            "Even with everything up that is not marked failed, {} of the requests are \
             served ({} of {} req/s): each class's probability above is weighted by the \
             share of it served, so the availability is at most that.",
            up(served),
            crate::model::rate(report.throughput_rps),
            crate::model::rate(report.offered_rps)
        ));
    }
    let (exact, why) = match report.availability_margin {
        None => (
            true,
            "Every combination of the shared components' states is accounted for.".to_owned(),
        ),
        Some(m) => (
            false,
            format!(
                "Estimated by sampling (± {m:.2e} at 95 %): too many shared components for \
                 exact elimination."
            ),
        ),
    };
    Explanation {
        formula: Formula::AvailabilityStructure,
        inputs,
        exact,
        why,
        steps,
        ..blank(Unit::Availability)
    }
}

fn cost(sol: &Solution) -> Explanation {
    let s = sol.net.scenario;
    let mut priced: Vec<(String, f64)> = s
        .components
        .iter()
        .filter(|c| billed_instances(c) > 0 && s.price(c.kind) > 0.0)
        .map(|c| {
            (
                c.id.clone(),
                billed_instances(c) as f64 * s.instance_price(c),
            )
        })
        .collect();
    let inputs = largest(
        s,
        &mut priced,
        "instances × monthly price",
        Unit::DollarsPerMonth,
        Rest::Summed,
    );
    let steps = priced
        .iter()
        .take(LISTED)
        .filter_map(|(id, total)| {
            let c = s.component(id)?;
            let memory = s.node_memory_factor(c);
            Some(if memory > 1.0 {
                format!(
                    "{}: {} × ${:.2} × {memory:.2} = ${total:.2} (each instance holds {} of \
                     keys, {memory:.2} times the {} of memory the kind's price buys)",
                    s.name_of(id),
                    billed_instances(c),
                    s.price(c.kind),
                    crate::model::bytes(
                        s.cache_bytes(c).unwrap_or(0.0) / c.num("instances").max(1.0)
                    ),
                    crate::model::bytes(crate::model::CACHE_NODE_BYTES),
                )
            } else {
                format!(
                    "{}: {} × ${:.2} = ${total:.2}",
                    s.name_of(id),
                    billed_instances(c),
                    s.price(c.kind)
                )
            })
        })
        .collect();
    Explanation {
        formula: Formula::CostSum,
        inputs,
        why: "A sum of list prices: every configured instance is billed, up or not.".to_owned(),
        steps,
        ..blank(Unit::DollarsPerMonth)
    }
}

fn headroom(sol: &Solution, report: &Report, (demand_loads, pools): Growth) -> Explanation {
    let mut loaded: Vec<(String, f64)> = demand_loads
        .iter()
        .enumerate()
        .filter(|(_, &l)| l > 0.0)
        .map(|(v, &l)| (sol.net.id(v).to_owned(), l))
        .collect();
    let inputs = largest(
        sol.net.scenario,
        &mut loaded,
        "offered load λ/capacity if nothing were dropped",
        Unit::Number,
        Rest::Highest,
    );
    let s = sol.net.scenario;
    let mut steps: Vec<String> = report.bottleneck_reason(s).into_iter().collect();
    if report.offered_rps <= 0.0 {
        steps.push(
            "No traffic is offered: any multiple of it is still none, so no headroom is \
             given. Set the traffic to see where the design saturates."
                .to_owned(),
        );
    }
    if report.strands_requests() {
        steps.push(format!(
            "No headroom is given: {} req/s have no working route and are dropped at any \
             traffic (see Dropped). The loads below are those of the requests served.",
            crate::model::rate(report.stranded_rps())
        ));
    }
    // Autoscaled pools grow with the traffic: their loads are at their maximum count, not
    // at the count they run now (MODEL.md §13), while the N−1 table takes an instance
    // from the count they run now.
    for (id, _) in loaded.iter().take(LISTED) {
        if let Some(p) = pools.iter().find(|p| sol.net.id(p.node) == id) {
            steps.push(format!(
                "{} autoscales up to {} instances (it runs {} at this traffic): its load \
                 is counted at {}, since the policy adds instances as the traffic grows.",
                s.name_of(id),
                p.policy.max,
                p.instances,
                p.policy.max
            ));
        }
    }
    // Which saturate after the bottleneck; with none named, there is no "after".
    let next = if report.bottleneck.is_some() { 3 } else { 0 };
    for (id, l) in loaded.iter().skip(1).take(next) {
        let name = s.name_of(id);
        // One already past its capacity does not saturate "next", at less than today's
        // traffic: it is overloaded now, as the table's colours say.
        steps.push(if *l >= 1.0 {
            format!(
                "{name} is overloaded too: offered {} its capacity.",
                multiple(*l)
            )
        } else {
            format!("Next: {name}, at {} today's traffic.", multiple(1.0 / l))
        });
    }
    // A closed population's traffic is what its users make: it does not grow in
    // proportion, so the inverse load is a bound on the throughput, not a multiple of
    // users (MODEL.md, closed populations).
    let (exact, why) = match &report.closed {
        Some(c) => (
            false,
            format!(
                "With {} users thinking {} s, the rate is what they make: each component's \
                 inverse load bounds the throughput, which more users approach but do not \
                 reach in proportion (response times grow first). The load curve shows the \
                 throughput against users.",
                crate::model::thousands(c.users as f64),
                crate::model::significant(c.think_time_s)
            ),
        ),
        None => (
            true,
            "Rates grow in proportion to the offered traffic, so each component saturates \
             at the inverse of its load."
                .to_owned(),
        ),
    };
    Explanation {
        formula: Formula::Headroom,
        inputs,
        exact,
        why,
        steps,
        ..blank(Unit::TimesTraffic)
    }
}
