//! A component's numbers explained: its time here from the queue its servers form, its
//! utilisation, and its availability from its instances.

use super::availability;
use super::explain::{input, Explanation, Formula, Quantity, Subject, Unit};
use super::explain_unit::up;
use super::node::State;
use super::queueing::{Queue, Wait};
use super::report::Report;
use super::solution::Solution;
use super::station::{Load, Part, Station};
use super::survive;
use crate::model::Kind;

/// Component `v`'s explanations: time here, utilisation, availability.
pub(super) fn component(sol: &Solution, report: &Report, v: usize) -> Vec<Explanation> {
    let c = &sol.net.scenario.components[v];
    let Some(r) = report.components.get(&c.id) else {
        return Vec::new();
    };
    let subject = |quantity| Subject::Component {
        id: c.id.clone(),
        quantity,
    };
    let node = &sol.net.nodes[v];
    let delay_ms = node.delay * 1000.0;
    let time = match (&node.station, &sol.loads[v]) {
        (Some(st), Some(load)) => Explanation {
            subject: subject(Quantity::TimeHere),
            result: r.mean_response_ms,
            ..time_here(st, load, delay_ms, sol.closed)
        },
        _ => Explanation {
            subject: subject(Quantity::TimeHere),
            formula: Formula::FixedDelay,
            inputs: vec![input(
                "d",
                "fixed delay on every request passing",
                delay_ms,
                Unit::Ms,
            )],
            result: r.mean_response_ms,
            unit: Unit::Ms,
            exact: true,
            why: "No servers: nothing queues here.".to_owned(),
            steps: Vec::new(),
        },
    };
    let mut out = vec![time];
    if let (Some(st), Some(load)) = (&node.station, &sol.loads[v]) {
        out.push(Explanation {
            subject: subject(Quantity::Utilisation),
            result: Some(r.utilization),
            ..utilisation(st, load, sol.flow.total(v))
        });
    }
    out.push(Explanation {
        subject: subject(Quantity::Availability),
        result: Some(r.availability),
        ..availability(sol, v)
    });
    out
}

/// The part of a station that saturates first: the one whose numbers the inputs show.
fn hottest(load: &Load) -> Option<&Part> {
    load.parts
        .iter()
        .filter(|p| p.weight > 0.0)
        .max_by(|a, b| a.solved.load.total_cmp(&b.solved.load))
}

/// The time-here explanation of a station (subject and result filled by the caller).
fn time_here(st: &Station, load: &Load, delay_ms: f64, closed: Option<(u64, f64)>) -> Explanation {
    let ms = |x: f64| x * 1000.0;
    let mut steps = layout(st);
    let Some(part) = hottest(load) else {
        return Explanation {
            formula: Formula::FixedDelay,
            inputs: vec![input("d", "fixed delay", delay_ms, Unit::Ms)],
            exact: true,
            why: "No requests reach the servers.".to_owned(),
            ..blank(Unit::Ms)
        };
    };
    let q: Queue = part.queue;
    let mut inputs = vec![
        input(
            "λ",
            "arrivals per second at one queue",
            q.lambda,
            Unit::ReqPerS,
        ),
        input(
            "μ",
            "service rate of one server (1 / service time)",
            q.mu,
            Unit::PerS,
        ),
        input(
            "c",
            "servers sharing the queue",
            q.servers as f64,
            Unit::Number,
        ),
        input(
            "cs²",
            "squared coefficient of variation of service",
            q.cs2,
            Unit::Number,
        ),
        input("ρ", "offered load λ / (cμ)", part.solved.load, Unit::Number),
    ];
    let formula = if let Some((users, think)) = closed {
        inputs.push(input("N", "concurrent users", users as f64, Unit::Number));
        inputs.push(input("Z", "think time", think, Unit::Seconds));
        if let Wait::Exponential { p, .. } = part.solved.wait {
            inputs.push(input(
                "P(wait)",
                "an arrival finds every server busy",
                p,
                Unit::Number,
            ));
        }
        Formula::Mva
    } else if load.unbounded() {
        Formula::Overloaded
    } else if let Some(k) = q.waiting {
        inputs.push(input("K", "waiting places", k as f64, Unit::Number));
        inputs.push(input(
            "P(block)",
            "share refused",
            part.solved.dropped,
            Unit::Number,
        ));
        Formula::FiniteQueue
    } else if let Some(d) = q.deadline {
        inputs.push(input("D", "longest wait before shedding", ms(d), Unit::Ms));
        inputs.push(input(
            "P(shed)",
            "share shed",
            part.solved.dropped,
            Unit::Number,
        ));
        Formula::Shedding
    } else {
        if let Wait::Exponential { p, .. } = part.solved.wait {
            inputs.push(input(
                "C(c, a)",
                "probability of waiting (Erlang C)",
                p,
                Unit::Number,
            ));
        }
        Formula::ErlangC
    };
    if formula == Formula::Overloaded {
        steps.push(format!(
            "Offered {:.0} % of what the servers can do: the queue grows for as long as the \
             traffic lasts, so there is no steady time here; {:.1} % of arrivals can never \
             be served.",
            part.solved.load * 100.0,
            part.solved.dropped * 100.0
        ));
    } else {
        steps.push(format!(
            "Mean wait {:.3} ms plus service {:.3} ms = {:.3} ms at the servers.",
            ms(part.solved.mean_wait),
            ms(1.0 / q.mu),
            ms(part.solved.mean_wait + 1.0 / q.mu)
        ));
        if load.parts.len() > 1 {
            steps.push(format!(
                "The {} kinds of queue (shards with different key shares) are averaged by \
                 the share of served requests each takes: {:.3} ms.",
                load.parts.len(),
                ms(load.mean_sojourn)
            ));
        }
    }
    if load.rejected > 0.0 {
        steps.push(format!(
            "The token bucket in front rejects {:.2} % of arrivals (HTTP 429) before they \
             queue.",
            load.rejected * 100.0
        ));
    }
    if st.visit < 1.0 {
        steps.push(format!(
            "Only {:.0} % of requests reach the servers (the rest are answered from cache at \
             no cost). The time above is that of the requests that reach them; the Mean card \
             weighs it by that share, its visits.",
            st.visit * 100.0
        ));
    }
    if delay_ms > 0.0 {
        steps.push(format!("Plus a fixed {delay_ms:.1} ms network delay."));
    }
    let (exact, why) = match closed {
        Some((users, _)) => closed_exactness(users, load, &q),
        None => exactness(load, &q, formula),
    };
    Explanation {
        formula,
        inputs,
        exact,
        why,
        steps,
        ..blank(Unit::Ms)
    }
}

/// How the station's instances, servers and shards form queues, in sentences.
fn layout(st: &Station) -> Vec<String> {
    let mut steps = Vec::new();
    if st.shared && st.instances > 1 {
        steps.push(format!(
            "{} instances of {} servers pull from one shared queue ({} servers in all): a \
             request goes to whichever server frees first.",
            st.instances,
            st.concurrency,
            st.instances * st.concurrency
        ));
    } else if st.instances > 1 {
        steps.push(format!(
            "{} instances each queue on their own ({} servers each) and receive an even \
             share of the arrivals.",
            st.instances, st.concurrency
        ));
    }
    if st.shards.len() > 1 {
        let top = st.shards.iter().copied().fold(0.0, f64::max);
        steps.push(format!(
            "{} shards; the busiest owns {:.1} % of the keys, and its queue is shown.",
            st.shards.len(),
            top * 100.0
        ));
    }
    steps
}

/// Why a station's mean time is an approximation, or `None` when it is exact for the model
/// (the one judgement both a component's explanation and the mean's use).
pub(super) fn approximation(load: &Load) -> Option<String> {
    if load.unbounded() {
        return None;
    }
    if load.rejected > 0.0 {
        return Some(
            "What its rate limit lets through arrives spaced by the refills, but is taken as \
             Poisson."
                .to_owned(),
        );
    }
    load.parts.iter().find_map(|p| {
        let q = &p.queue;
        let exponential = (q.cs2 - 1.0).abs() < 1e-12;
        // One server with an unlimited queue: Pollaczek–Khinchine, exact for any cs².
        let single = q.servers == 1 && q.waiting.is_none() && q.deadline.is_none();
        (!exponential && !single).then(|| {
            format!(
                "Service times are not exponential (cs² = {:.2}): the wait is scaled by \
                 (1 + cs²)/2 (Allen–Cunneen), an approximation for this queue.",
                q.cs2
            )
        })
    })
}

/// Whether a station's mean time is exact, and why or why not.
/// Whether a closed population's mean time here is exact: exact MVA, exponential service,
/// and nothing that refuses requests (the closed model serves every one).
fn closed_exactness(users: u64, load: &Load, q: &Queue) -> (bool, String) {
    let why = if users > super::mva::EXACT_USERS {
        format!(
            "Past {} users the population is solved by the Bard–Schweitzer approximation \
             (within a few per cent of exact MVA).",
            super::mva::EXACT_USERS
        )
    } else if (q.cs2 - 1.0).abs() > 1e-12 {
        "MVA is exact for exponential service; this service time varies otherwise.".to_owned()
    } else if q.waiting.is_some() || q.deadline.is_some() || load.rejected > 0.0 {
        "The closed model serves every request; this component's queue limit, shedding or \
         rate limit is taken from the open model at the solved rate."
            .to_owned()
    } else {
        return (
            true,
            "Exact MVA: exponential servers, every request served (product form).".to_owned(),
        );
    };
    (false, why)
}

fn exactness(load: &Load, q: &Queue, formula: Formula) -> (bool, String) {
    if let Some(why) = approximation(load) {
        return (false, why);
    }
    let why = if formula == Formula::Overloaded {
        "Beyond capacity no queue has a steady state."
    } else if (q.cs2 - 1.0).abs() < 1e-12 {
        "Exponential service times and Poisson arrivals: the textbook result holds exactly."
    } else {
        "One server: the Pollaczek–Khinchine formula, exact for any service-time distribution \
         with this variance."
    };
    (true, why.to_owned())
}

/// The utilisation explanation of a station (subject and result filled by the caller).
fn utilisation(st: &Station, load: &Load, arrival: f64) -> Explanation {
    let worked = load.served_work(arrival);
    let servers = st.shards.len() as f64 * st.instances as f64 * st.concurrency as f64;
    Explanation {
        formula: Formula::Utilisation,
        inputs: vec![
            input(
                "λ_served",
                "requests per second the servers serve",
                worked,
                Unit::ReqPerS,
            ),
            input("n · c", "servers in all", servers, Unit::Number),
            input("μ", "service rate of one server", st.mu, Unit::PerS),
        ],
        exact: true,
        why: "Served work over capacity holds for any queue in steady state.".to_owned(),
        // Written as the inputs above are.
        steps: vec![format!(
            "{} × {} of service = {} busy servers of {servers:.0}.",
            Unit::ReqPerS.show(Some(worked)),
            Unit::Ms.show(Some(1000.0 / st.mu)),
            Unit::Number.show(Some(worked / st.mu))
        )],
        ..blank(Unit::Number)
    }
}

/// The availability explanation of node `v` (subject and result filled by the caller).
fn availability(sol: &Solution, v: usize) -> Explanation {
    let net = &sol.net;
    let c = &net.scenario.components[v];
    // A cache's instances must also hold enough keys for its misses (`survive.rs`).
    let room = match c.kind {
        Kind::Cache | Kind::Cdn => survive::room_needed(net, &sol.demand, v),
        _ => 1,
    };
    let needed: Vec<u64> = availability::needed(net, &sol.demand, v)
        .into_iter()
        .map(|k| {
            k.max(room)
                .min(net.nodes[v].station.as_ref().map_or(k, |st| st.instances))
        })
        .collect();
    // Its own instances' availability, and whether something covers for it when they are
    // down (a promoted replica, the origin behind a cache): said once, in its own step.
    let base = availability::node_up(net, &sol.demand, v);
    let covered = matches!(net.states[v], State::Up(_)) && sol.up[v] > base;
    let mut steps = Vec::new();
    let (formula, inputs) = match (&net.nodes[v].station, needed.iter().max()) {
        (Some(st), Some(&k)) => {
            if needed.len() > 1 {
                steps.push(format!(
                    "Each of the {} shards needs its own instances; the group is up when every \
                     shard is (the product), and the shard needing the most is shown.",
                    needed.len()
                ));
                // Each shard's own term, so the product can be worked out from the card.
                let terms: Vec<f64> = needed
                    .iter()
                    .map(|&k| availability::at_least(k, st.instances, st.availability))
                    .collect();
                let shown: Vec<String> = terms.iter().map(|&x| up(x)).collect();
                let ks: Vec<String> = needed.iter().map(u64::to_string).collect();
                steps.push(format!(
                    "Shards needing {} of {} instances: {} = {}.",
                    ks.join(", "),
                    st.instances,
                    shown.join(" × "),
                    up(terms.iter().product::<f64>())
                ));
            }
            steps.push(if st.instances == 1 && covered {
                // What takes over is the step below (a promoted replica, the origin).
                format!(
                    "A single instance: up with probability {}.",
                    up(st.availability)
                )
            } else if st.instances == 1 {
                // Whether a sender routes around it to others: redundancy counted there.
                let sender = net.wiring.parents[v].iter().copied().find(|&u| {
                    net.nodes[u]
                        .routes
                        .iter()
                        .any(|r| r.iter().any(|e| e.to == v) && r.iter().any(|e| e.to != v))
                });
                match sender {
                    Some(u) => format!(
                        "A single instance: up with probability {}; when it is down, {} \
                         sends its share to the others it routes to (counted there).",
                        up(st.availability),
                        net.scenario.components[u].display_name()
                    ),
                    None => format!(
                        "A single instance: up with probability {}, and nothing takes over \
                         when it is down.",
                        up(st.availability)
                    ),
                }
            } else if k > 1 && matches!(c.kind, Kind::Cache | Kind::Cdn) && room == k {
                format!(
                    "Of {} instances, {k} must be up: its keys are spread over them, and \
                     with {} it holds fewer, so the misses that adds overload what lies \
                     behind it; each is up with probability {}.",
                    st.instances,
                    k - 1,
                    up(st.availability)
                )
            } else if k > 1 {
                format!(
                    "Of {} instances, {k} must be up to carry the demand ({} could not \
                     carry it); each is up with probability {}.",
                    st.instances,
                    k - 1,
                    up(st.availability)
                )
            } else {
                format!(
                    "Of {} instances, any one carries the demand; each is up with \
                     probability {}.",
                    st.instances,
                    up(st.availability)
                )
            });
            (
                Formula::KOfN,
                vec![
                    input("n", "instances", st.instances as f64, Unit::Number),
                    input("k", "instances needed for the load", k as f64, Unit::Number),
                    input(
                        "a",
                        "availability of one instance",
                        st.availability,
                        Unit::Availability,
                    ),
                ],
            )
        }
        // Nothing of its own that fails but a region's own availability: one "instance"
        // that must be up, so the card's formula still gives the number.
        _ => {
            let a = if c.kind == Kind::Region {
                steps.push(
                    "A region is up with its own availability; what is placed in it is \
                     counted in its own cards."
                        .to_owned(),
                );
                c.num("availability")
            } else {
                steps.push(format!(
                    "A {} has no instances that fail in this model: always up.",
                    c.kind.name().to_lowercase()
                ));
                1.0
            };
            (
                Formula::KOfN,
                vec![
                    input("n", "instances", 1.0, Unit::Number),
                    input("k", "instances needed", 1.0, Unit::Number),
                    input("a", "availability", a, Unit::Availability),
                ],
            )
        }
    };
    match net.states[v] {
        State::Down => steps.push("Marked failed: down.".to_owned()),
        State::Bypassed(_) => {
            steps.push("Failed but passed by (its callers use its origin or a promoted replica): counts as up.".to_owned());
        }
        State::Up(_) if covered => steps.push(match c.kind {
            Kind::Database => format!(
                "Automatic failover: it is down only while a replica is promoted, so {} \
                 rises to {}.",
                up(base),
                up(sol.up[v])
            ),
            // Its origin named, as no link from its callers to it is drawn (MODEL.md §9).
            _ => {
                let s = net.scenario;
                let origin: Vec<&str> = (s.links.iter())
                    .filter(|l| l.from == c.id)
                    .map(|l| s.name_of(&l.to))
                    .collect();
                format!(
                    "When it is down its callers go straight to its origin ({}), as if every \
                     request missed, without overloading anything: losing it takes nothing \
                     down, so it counts as always up.",
                    origin.join(", ")
                )
            }
        }),
        State::Up(_) => {}
    }
    Explanation {
        formula,
        inputs,
        exact: true,
        why: "Instances fail independently, each up with its own availability.".to_owned(),
        steps,
        ..blank(Unit::Availability)
    }
}

/// An explanation with nothing filled in but the unit; callers fill the rest.
pub(super) fn blank(unit: Unit) -> Explanation {
    Explanation {
        subject: Subject::Component {
            id: String::new(),
            quantity: Quantity::TimeHere,
        },
        formula: Formula::FixedDelay,
        inputs: Vec::new(),
        result: None,
        unit,
        exact: true,
        why: String::new(),
        steps: Vec::new(),
    }
}
