//! A run: prepared from a scenario, advanced in slices, summed up into a [`SimReport`].

use super::engine::{Engine, Setup};
use super::epochs::epochs;
use super::stats::{self, quantile, Batches};
use super::table;
use super::Estimate;
use super::{ComponentSeries, Second, SimComponent, SimLatency, SimReport};
use crate::model::{Kind, Problems, Scenario, Simulation};
use crate::sliced::Sliced;

/// Events a run processes per piece of work: about a millisecond at native speed.
const EVENTS_PER_PIECE: u64 = 5_000;

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
    pub fn advance_events(&mut self, events: u64) -> bool {
        self.engine.advance(events)
    }

    /// Share of simulated time done, 0 to 1.
    pub fn done_share(&self) -> f64 {
        (self.engine.now / self.engine.seconds() as f64).clamp(0.0, 1.0)
    }

    /// Sums up the run (call once [`Run::advance_events`] said it is over).
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
    while !run.advance_events(1 << 20) {}
    Ok(run.report())
}

impl Sliced for Run {
    type Output = SimReport;

    fn advance(&mut self) -> bool {
        self.advance_events(EVENTS_PER_PIECE)
    }

    fn progress(&self) -> f64 {
        self.done_share()
    }

    fn finish(self) -> SimReport {
        self.report()
    }
}
