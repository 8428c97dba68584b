//! The discrete-event simulator: the same scenario, request by request, over time.
//!
//! Where the analytic core answers "steady state, on average", a run answers "what happens
//! during the spike, while the replica is promoted, when clients retry", and measures
//! percentiles directly. It follows the analytic core's routing ([`table`]), so the two
//! agree where theory applies, and the comparison ([`compare`]) says where they do not.
//!
//! A run is a [`Run`] advanced in slices (so a page can stay responsive) and summed up in a
//! [`SimReport`]; [`simulate`] does both at once.

mod compare;
mod engine;
mod moment;
mod random;
mod stats;
mod table;

pub use compare::{approximations, comparable, compare, Comparison};
pub use moment::moment;
pub use stats::Estimate;

use crate::model::{Failure, Kind, Problem, Problems, Scenario, Simulation};
use engine::{Engine, Epoch, Setup};
use serde::Serialize;
use stats::{quantile, Batches};
use std::collections::BTreeMap;
use table::Table;

/// What a run measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimReport {
    /// The seed the run used.
    pub seed: u64,
    /// Simulated seconds.
    pub seconds: usize,
    /// First second of the measured window (after the warm-up).
    pub measured_from_s: usize,
    /// Batches the measured window was cut into for the confidence intervals.
    pub batches: usize,
    /// Events processed.
    pub events: u64,
    /// Client requests offered over the whole run.
    pub requests: u64,
    /// Attempts sent, retries included.
    pub attempts: u64,
    /// Requests answered.
    pub completed: u64,
    /// Requests that failed after their last attempt.
    pub failed: u64,
    /// Attempts that timed out.
    pub timed_out: u64,
    /// Requests answered per second, over the measured window.
    pub throughput_rps: Estimate,
    /// Share of finished requests that failed, over the measured window.
    pub error_rate: Estimate,
    /// Response time of answered requests, from first attempt to answer (retries included).
    pub latency_ms: SimLatency,
    /// End-to-end figures per second.
    pub series: Vec<Second>,
    /// Per component, by id.
    pub components: BTreeMap<String, SimComponent>,
}

/// Whole-window response-time estimates, in milliseconds (`None`: nothing was answered).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SimLatency {
    pub mean: Option<Estimate>,
    pub p50: Option<Estimate>,
    pub p95: Option<Estimate>,
    pub p99: Option<Estimate>,
}

/// One second of the run, end to end.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Second {
    /// Traffic multiplier of the profile at the start of the second.
    pub factor: f64,
    /// New client requests.
    pub offered: f64,
    /// Attempts, retries included.
    pub attempts: f64,
    /// Requests answered.
    pub completed: f64,
    /// Requests given up on.
    pub errors: f64,
    /// Attempts that timed out.
    pub timeouts: f64,
    /// Percentiles of the response times of the requests answered in this second, ms.
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
}

/// One component's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimComponent {
    pub kind: Kind,
    /// Requests per second reaching it.
    pub arrival_rps: Estimate,
    /// Requests per second refused or lost here.
    pub dropped_rps: Estimate,
    /// Busy share of its servers (`None`: it has none).
    pub utilization: Option<Estimate>,
    /// Mean number of requests waiting (`None`: it has no servers).
    pub mean_queue: Option<Estimate>,
    /// Per second: arrivals, drops, busy share of servers, mean waiting requests.
    pub series: ComponentSeries,
}

/// Per-second values of one component.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentSeries {
    pub arrivals: Vec<f64>,
    pub drops: Vec<f64>,
    /// Empty for components without servers.
    pub utilization: Vec<f64>,
    /// Empty for components without servers.
    pub queue: Vec<f64>,
}

/// A run in progress.
pub struct Run {
    engine: Engine,
    ids: Vec<String>,
    kinds: Vec<Kind>,
    sim: Simulation,
}

impl Run {
    /// Prepares a run of the scenario with its simulation settings.
    ///
    /// # Errors
    /// The scenario's problems, or a failure-timeline state whose routing is impossible.
    pub fn new(s: &Scenario) -> Result<Run, Problems> {
        s.validate()?;
        let sim = Simulation::of(s);
        let (stations, sources) = table::base(s)?;
        let epochs = epochs(s, &sim)?;
        let setup = Setup {
            seconds: sim.seconds as usize,
            seed: sim.seed,
            rate: s.traffic.peak_rps(),
            shares: s.traffic.shares(),
            sources,
            profile: sim.profile,
            timeout: sim.timeout_ms.map(|t| t / 1000.0),
            retries: sim.retries,
            backoff: sim.backoff_ms / 1000.0,
        };
        Ok(Run {
            engine: Engine::new(setup, &stations, epochs),
            ids: s.components.iter().map(|c| c.id.clone()).collect(),
            kinds: s.components.iter().map(|c| c.kind).collect(),
            sim,
        })
    }

    /// Processes up to `events` events; returns whether the run is over.
    pub fn advance(&mut self, events: u64) -> bool {
        self.engine.advance(events)
    }

    /// Share of simulated time done, 0 to 1.
    pub fn progress(&self) -> f64 {
        (self.engine.now / self.engine.seconds() as f64).clamp(0.0, 1.0)
    }

    /// Sums up the run (call once [`Run::advance`] said it is over).
    pub fn report(self) -> SimReport {
        let e = &self.engine;
        let n = e.seconds();
        let b = Batches::new(n, self.sim.warmup_s as usize);
        let t = &e.totals;
        let sum = |v: &[f64]| v.iter().sum::<f64>() as u64;
        let ms = |x: f64| x * 1000.0;
        let series = (0..n)
            .map(|sec| {
                let mut lat = t.latencies[sec].clone();
                let mut q = |p| quantile(&mut lat, p).map(ms);
                Second {
                    factor: self.sim.profile.factor_at(sec as f64),
                    offered: t.offered[sec],
                    attempts: t.attempts[sec],
                    completed: t.completed[sec],
                    errors: t.errors[sec],
                    timeouts: t.timeouts[sec],
                    p50_ms: q(0.5),
                    p95_ms: q(0.95),
                    p99_ms: q(0.99),
                }
            })
            .collect();
        let components = self
            .ids
            .iter()
            .enumerate()
            .map(|(v, id)| {
                let at = |m: &[f64], sec: usize| m[v * n + sec];
                let m = &e.meters;
                let has_servers = m.capacity[v * n..(v + 1) * n].iter().any(|&c| c > 0.0);
                let per_second = |f: &dyn Fn(usize) -> f64| (0..n).map(f).collect::<Vec<f64>>();
                let utilization_at = |sec: usize| {
                    let cap = at(&m.capacity, sec);
                    if cap > 0.0 {
                        at(&m.busy, sec) / cap
                    } else {
                        0.0
                    }
                };
                let report = SimComponent {
                    kind: self.kinds[v],
                    arrival_rps: b.average(|sec| at(&m.arrivals, sec)),
                    dropped_rps: b.average(|sec| at(&m.drops, sec)),
                    utilization: has_servers
                        .then(|| b.ratio(|sec| at(&m.busy, sec), |sec| at(&m.capacity, sec))),
                    mean_queue: has_servers.then(|| b.average(|sec| at(&m.queue, sec))),
                    series: ComponentSeries {
                        arrivals: m.arrivals[v * n..(v + 1) * n].to_vec(),
                        drops: m.drops[v * n..(v + 1) * n].to_vec(),
                        utilization: if has_servers {
                            per_second(&utilization_at)
                        } else {
                            Vec::new()
                        },
                        queue: if has_servers {
                            m.queue[v * n..(v + 1) * n].to_vec()
                        } else {
                            Vec::new()
                        },
                    },
                };
                (id.clone(), report)
            })
            .collect();
        SimReport {
            seed: self.sim.seed,
            seconds: n,
            measured_from_s: b.start,
            batches: b.count,
            events: e.events,
            requests: sum(&t.offered),
            attempts: sum(&t.attempts),
            completed: sum(&t.completed),
            failed: sum(&t.errors),
            timed_out: sum(&t.timeouts),
            throughput_rps: b.average(|sec| t.completed[sec]),
            error_rate: b.ratio(|sec| t.errors[sec], |sec| t.errors[sec] + t.completed[sec]),
            latency_ms: latency(&t.latencies, &b),
            series,
            components,
        }
    }
}

/// Whole-window latency estimates with batch-means intervals.
fn latency(per_second: &[Vec<f32>], b: &Batches) -> SimLatency {
    let gather = |r: std::ops::Range<usize>| -> Vec<f32> {
        r.flat_map(|sec| per_second[sec].iter().copied()).collect()
    };
    let mut all = gather(b.window());
    let mut batches: Vec<Vec<f32>> = (0..b.count).map(|i| gather(b.seconds(i))).collect();
    let mean = |xs: &[f32]| {
        (!xs.is_empty()).then(|| xs.iter().map(|&x| f64::from(x)).sum::<f64>() / xs.len() as f64)
    };
    let estimate = |value: Option<f64>, per_batch: Vec<Option<f64>>| {
        let per_batch: Option<Vec<f64>> = per_batch.into_iter().collect();
        value.map(|v| Estimate {
            value: v * 1000.0,
            half_width: per_batch
                .and_then(|p| stats::half_width(&p))
                .map(|h| h * 1000.0),
        })
    };
    let mean_est = estimate(mean(&all), batches.iter().map(|x| mean(x)).collect());
    let mut pct = |q: f64| {
        let per_batch = batches.iter_mut().map(|x| quantile(x, q)).collect();
        estimate(quantile(&mut all, q), per_batch)
    };
    SimLatency {
        mean: mean_est,
        p50: pct(0.5),
        p95: pct(0.95),
        p99: pct(0.99),
    }
}

/// Runs the scenario's simulation to the end.
///
/// # Errors
/// As [`Run::new`].
pub fn simulate(s: &Scenario) -> Result<SimReport, Problems> {
    let mut run = Run::new(s)?;
    while !run.advance(1 << 20) {}
    Ok(run.report())
}

/// One outage as times: when it really breaks and heals, and when the rest of the system
/// acts on it (after health checks notice, or after a failover).
struct Span {
    v: usize,
    lost: Option<u64>,
    actual: (f64, f64),
    routed: Option<(f64, f64)>,
}

/// The epochs of the run: a new one wherever the timeline changes what is broken or what
/// the balancers believe.
fn epochs(s: &Scenario, sim: &Simulation) -> Result<Vec<Epoch>, Problems> {
    let index = s.indices();
    let spans: Vec<Span> = sim
        .timeline
        .iter()
        .filter_map(|o| {
            let v = *index.get(o.component.as_str())?;
            let c = &s.components[v];
            let from = o.at_s;
            let to = o.for_s.map_or(f64::INFINITY, |d| from + d);
            let delay = match (c.kind, o.lost, c.opt_num("failover_s")) {
                (Kind::Database, None, Some(failover)) => failover,
                _ => sim.detection_s,
            };
            Some(Span {
                v,
                lost: o.lost,
                actual: (from, to),
                routed: (to - from > delay).then_some((from + delay, to + sim.detection_s)),
            })
        })
        .collect();
    let mut times: Vec<f64> = vec![0.0];
    for sp in &spans {
        times.extend([sp.actual.0, sp.actual.1]);
        if let Some((a, b)) = sp.routed {
            times.extend([a, b]);
        }
    }
    times.retain(|&t| t.is_finite() && t >= 0.0 && t < sim.seconds);
    times.sort_by(f64::total_cmp);
    times.dedup();
    let n = s.components.len();
    let inside = |span: (f64, f64), t: f64| span.0 <= t && t < span.1;
    times
        .into_iter()
        .map(|t| {
            let mut failed = s.failed.clone();
            let mut dead = vec![false; n];
            let mut lost = vec![0u32; n];
            let mut routed_lost = vec![0u32; n];
            for sp in &spans {
                let instances = s.components[sp.v].num("instances").max(1.0) as u64;
                if inside(sp.actual, t) {
                    match sp.lost {
                        None => dead[sp.v] = true,
                        Some(l) => lost[sp.v] = lost[sp.v].saturating_add(l as u32),
                    }
                }
                if sp.routed.is_some_and(|r| inside(r, t)) {
                    let id = s.components[sp.v].id.clone();
                    match sp.lost {
                        None => {
                            failed.insert(id, Failure::DOWN);
                        }
                        Some(l) => {
                            routed_lost[sp.v] = routed_lost[sp.v].saturating_add(l as u32);
                            let entry = failed.entry(id).or_insert(Failure::lose(0));
                            if let Some(before) = entry.lost {
                                *entry = Failure::lose((before + l).min(instances - 1));
                            }
                        }
                    }
                }
            }
            let table = Table::build(s, &failed).map_err(|p| {
                Problems(
                    p.0.into_iter()
                        .map(|q| Problem {
                            message: format!("at {t} s of the simulation: {}", q.message),
                            ..q
                        })
                        .collect(),
                )
            })?;
            Ok(Epoch {
                start: t,
                table,
                dead,
                lost,
                routed_lost,
            })
        })
        .collect()
}
