//! A run: prepared from a scenario, advanced in slices, summed up into a [`SimReport`].

use super::breaker::{self, BreakerState};
use super::engine::{Engine, Growth, Setup};
use super::epochs::epochs;
use super::stats::{quantile, Batches};
use super::table;
use super::Estimate;
use super::{
    ComponentSeries, Resharded, Second, SimBreaker, SimComponent, SimLatency, SimPlaceLatency,
    SimReport,
};
use crate::model::{
    Autoscale, Component, Failure, Field, Kind, Location, Problem, Problems, Scenario, SimField,
    Simulation, TrafficField, DEFAULT_ZIPF_S, MAX_REQUESTS, NOWHERE,
};
use crate::sliced::Sliced;
use crate::solve::hit_ratio::{self, CacheSpec, HitSource, Popularity};
use crate::solve::replication;
use crate::solve::resharding;
use crate::solve::station::{billed_instances, group_shares};
use crate::solve::MINUTES_PER_MONTH;

/// Events a run processes per piece of work: about a millisecond at native speed.
const EVENTS_PER_PIECE: u64 = 5_000;

/// Most users of a closed population the simulator follows one by one (each is a pending
/// event); the analytic solve takes any number.
pub const MAX_SIMULATED_USERS: f64 = 1e6;

/// Refuses a closed population the simulator cannot follow, or whose solved rate would
/// offer more requests than one run may.
fn population_problems(s: &Scenario, sim: &Simulation) -> Result<(), Problems> {
    let Some((users, _)) = s.traffic.population() else {
        return Ok(());
    };
    let said = |field, message: String| Err(Problems(vec![Problem::general(field, message)]));
    if users > MAX_SIMULATED_USERS {
        return said(
            Field::Traffic(TrafficField::UsersConcurrent),
            format!(
                "the simulator follows every user: at most {MAX_SIMULATED_USERS} concurrent \
                 users in a run, got {users} (the analytic solve takes any number)"
            ),
        );
    }
    let rate = crate::solve::analyze(s)?.throughput_rps;
    let replications = f64::from(sim.replications.max(1));
    let requests = rate * sim.seconds * replications;
    if requests > MAX_REQUESTS {
        let (over, fewer) = sim.replications_in_size();
        return said(
            Field::Simulation(SimField::Seconds),
            format!(
                "this population sends about {:.0} requests per second, {:.0} in this \
                 run{over}; one run may offer at most {MAX_REQUESTS} (shorten the run or \
                 lower the users{fewer})",
                rate,
                requests.round()
            ),
        );
    }
    Ok(())
}

/// A run in progress.
pub struct Run {
    engine: Engine,
    ids: Vec<String>,
    kinds: Vec<Kind>,
    sim: Simulation,
    /// Per node: monthly price of one instance, whether it autoscales, and the instances
    /// paid for when it has no servers (a region, monitoring).
    prices: Vec<f64>,
    autoscaled: Vec<bool>,
    fixed_billed: Vec<f64>,
    /// Per node: whether it has a rate limit.
    limited: Vec<bool>,
    /// Per scenario link: its ends.
    ends: Vec<(String, String)>,
    /// Per node: whether it is a cache holding the workload's keys.
    keyed: Vec<bool>,
    /// Per user population on the map: where its users are.
    places: Vec<Option<Location>>,
}

impl Run {
    /// The scenario's problems for a run, its replications counted in its size.
    ///
    /// # Errors
    /// The scenario's problems.
    pub fn check(s: &Scenario) -> Result<(), Problems> {
        s.validate()?;
        population_problems(s, &Simulation::of(s))
    }

    /// Prepares a run of the scenario with its simulation settings, on its seed: one
    /// replication (`replications` asks for more, which [`super::replications`] runs).
    ///
    /// # Errors
    /// The scenario's problems, or a failure-timeline state whose routing is impossible.
    pub fn new(s: &Scenario) -> Result<Run, Problems> {
        Run::check(s)?;
        Run::prepare(s)
    }

    /// [`Run::new`] for a scenario already checked ([`Run::check`]): a run's replications
    /// differ only in their seed, so the whole is checked once, not once per replication.
    ///
    /// # Errors
    /// A failure-timeline state whose routing is impossible.
    pub(super) fn prepare(s: &Scenario) -> Result<Run, Problems> {
        let sim = Simulation::of(s);
        let (mut stations, sources) = table::base(s)?;
        // Autoscaled pools start where their policy puts the configured count.
        let policies: Vec<Option<Autoscale>> = s.components.iter().map(Autoscale::of).collect();
        for ((st, policy), c) in stations.iter_mut().zip(&policies).zip(&s.components) {
            if let (Some(st), Some(policy)) = (st.as_mut(), policy) {
                st.instances = u64::from(policy.start(c.num("instances")));
            }
        }
        let epochs = epochs(s, &sim)?;
        // Failures do not move users, so the first stretch's populations are the run's.
        let (places, population_of) = epochs
            .first()
            .map(|e| e.table.populations())
            .map_or((Vec::new(), Vec::new()), |(p, of)| {
                (p.to_vec(), of.to_vec())
            });
        let index = s.indices();
        let streams = replication::Streams::of(s);
        let setup = Setup {
            seconds: sim.seconds as usize,
            seed: sim.seed,
            ids: s.components.iter().map(|c| c.id.clone()).collect(),
            rate: s.traffic.peak_rps(),
            population: s.traffic.population().map(|(n, z)| (n as u64, z)),
            shares: s.traffic.shares(),
            sources,
            population_of,
            profile: sim.profile,
            timeout: sim.timeout_ms.map(|t| t / 1000.0),
            retries: sim.retries,
            backoff: sim.backoff_ms / 1000.0,
            // Ten seconds of requests' worth of retries may be saved up, at least one.
            retry_budget: sim.retry_budget_pct.map(|pct| {
                let earned = pct / 100.0;
                (earned, (earned * s.traffic.peak_rps() * 10.0).max(1.0))
            }),
            policies,
            blocking: s.components.iter().map(Component::blocking).collect(),
            guards: s
                .links
                .iter()
                .map(|l| (l.timeout_ms.map(|t| t / 1000.0), l.breaker))
                .collect(),
            replication_delay: {
                let places = s.places();
                s.components
                    .iter()
                    .enumerate()
                    .map(|(v, c)| {
                        let replicated =
                            streams.replicated(v) && c.choice("replication") == "async";
                        replicated.then(|| streams.delay_s(s, &places, v))
                    })
                    .collect()
            },
            // A primary that fails over cuts its replication stream when it fails.
            streams: s
                .components
                .iter()
                .enumerate()
                .map(|(v, c)| {
                    if c.kind != Kind::Database || c.opt_num("failover_s").is_none() {
                        return Vec::new();
                    }
                    streams.replicas_of(v).map(|r| r as u32).collect()
                })
                .collect(),
            apply_cost: (s.components.iter())
                .map(|c| {
                    if c.kind.is_primary() {
                        c.num("replication_cost")
                    } else {
                        0.0
                    }
                })
                .collect(),
            growths: sim
                .reshards
                .iter()
                .filter_map(|r| {
                    let v = *index.get(r.component.as_str())?;
                    let c = &s.components[v];
                    let (from, to) = (c.num("shards").max(1.0) as usize, r.shards as usize);
                    let (strategy, points) = (c.choice("strategy"), c.num("virtual_nodes"));
                    Some(Growth {
                        node: v as u32,
                        at: r.at_s,
                        until: r.at_s + r.migration_s,
                        from,
                        shares: group_shares(c, to, hit_ratio::hottest(&s.traffic)),
                        moved: resharding::moved(from, to, strategy, points.max(1.0) as usize),
                        onto_new: strategy == "consistent",
                    })
                })
                .collect(),
            workload: s
                .traffic
                .keys
                .map(|keys| Popularity::zipf(keys, s.traffic.zipf_s.unwrap_or(DEFAULT_ZIPF_S))),
            caches: s
                .components
                .iter()
                .map(|c| {
                    let sized =
                        hit_ratio::effective(s, c).is_some_and(|h| h.source == HitSource::Workload);
                    let spec = CacheSpec::serving(c, hit_ratio::up(s, c)).filter(|_| sized)?;
                    // A cache keeps reads and static files; a CDN static files.
                    let cached = [c.kind == Kind::Cache, false, true];
                    Some((spec, c.choice("single_flight") == "on", cached))
                })
                .collect(),
        };
        let autoscaled = setup.policies.iter().map(Option::is_some).collect();
        let keyed = setup.caches.iter().map(Option::is_some).collect();
        let limited = stations
            .iter()
            .map(|st| st.as_ref().is_some_and(|st| st.limit.is_some()))
            .collect();
        Ok(Run {
            prices: s.components.iter().map(|c| s.instance_price(c)).collect(),
            autoscaled,
            keyed,
            places,
            limited,
            fixed_billed: s.components.iter().map(|c| unmetered(s, c)).collect(),
            engine: Engine::new(setup, &stations, epochs),
            ids: s.components.iter().map(|c| c.id.clone()).collect(),
            ends: s
                .links
                .iter()
                .map(|l| (l.from.clone(), l.to.clone()))
                .collect(),
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
        let b = Batches::new(n, self.sim.warmup_s as usize, self.sim.steady_load());
        let t = &e.totals;
        let sum = |v: &[f64]| v.iter().sum::<f64>() as u64;
        let ms = |x: f64| x * 1000.0;
        // What each second cost: instance-seconds paid for, at each kind's monthly price.
        let seconds_per_month = MINUTES_PER_MONTH * 60.0;
        let cost_at = |sec: usize| {
            (0..self.ids.len())
                .map(|v| (e.meters.instances[v * n + sec] + self.fixed_billed[v]) * self.prices[v])
                .sum::<f64>()
                / seconds_per_month
        };
        let series: Vec<Second> = (0..n)
            .map(|sec| {
                let mut lat = t.latencies[sec].clone();
                let mean_ms = (!lat.is_empty())
                    .then(|| ms(lat.iter().map(|&x| f64::from(x)).sum::<f64>() / lat.len() as f64));
                let mut q = |p| quantile(&mut lat, p).map(ms);
                Second {
                    factor: self.sim.profile.factor_at(sec as f64),
                    offered: t.offered[sec],
                    attempts: t.attempts[sec],
                    completed: t.completed[sec],
                    errors: t.errors[sec],
                    shed: t.shed[sec],
                    rejected: t.rejected[sec],
                    timeouts: t.timeouts[sec],
                    cost_usd: cost_at(sec),
                    mean_ms,
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
                    instances: has_servers.then(|| b.average(|sec| at(&m.instances, sec))),
                    rejected_rps: self.limited[v].then(|| b.average(|sec| at(&m.rejected, sec))),
                    lag_ms: (!e.lags[v].is_empty()).then(|| latency(&e.lags[v], &b)),
                    lost_writes: e.lost_writes[v],
                    resharded: e.growths().iter().find(|g| g.node as usize == v).map(|g| {
                        Resharded {
                            from: g.from,
                            to: g.shares.len(),
                            moved_share: g.moved,
                            at_s: g.at,
                            copy_s: g.until - g.at,
                        }
                    }),
                    hit_ratio: self.keyed[v]
                        .then(|| b.ratio(|sec| at(&m.hits, sec), |sec| at(&m.lookups, sec))),
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
                        instances: if self.autoscaled[v] {
                            m.instances[v * n..(v + 1) * n].to_vec()
                        } else {
                            Vec::new()
                        },
                        serving: if self.autoscaled[v] {
                            m.serving[v * n..(v + 1) * n].to_vec()
                        } else {
                            Vec::new()
                        },
                        hit_ratio: if self.keyed[v] {
                            per_second(&|sec| {
                                let l = at(&m.lookups, sec);
                                if l > 0.0 {
                                    at(&m.hits, sec) / l
                                } else {
                                    0.0
                                }
                            })
                        } else {
                            Vec::new()
                        },
                    },
                };
                (id.clone(), report)
            })
            .collect();
        let cost_usd: f64 = series.iter().map(|s| s.cost_usd).sum();
        let breakers = e
            .circuits
            .iter()
            .zip(&e.links)
            .zip(&self.ends)
            .filter_map(|((c, m), (from, to))| {
                let (c, m) = (c.as_ref()?, m.as_ref()?);
                let (state, open_share) = breaker::per_second(&c.changes, n);
                Some(SimBreaker {
                    from: from.clone(),
                    to: to.clone(),
                    opened: c
                        .changes
                        .iter()
                        .filter(|&&(_, s)| s == BreakerState::Open)
                        .count() as u32,
                    refused: sum(&m.refused),
                    state,
                    open_share,
                    sent: m.sent.clone(),
                    refused_per_second: m.refused.clone(),
                    failed: m.failed.clone(),
                })
            })
            .collect();
        SimReport {
            breakers,
            cost_usd,
            monthly_cost_usd: if n > 0 {
                cost_usd * seconds_per_month / n as f64
            } else {
                0.0
            },
            seed: self.sim.seed,
            seconds: n,
            warmup_s: self.sim.warmup_s as usize,
            measured_from_s: b.start,
            batches: b.count,
            steady: b.alike,
            replications: 1,
            events: e.events,
            requests: sum(&t.offered),
            attempts: sum(&t.attempts),
            completed: sum(&t.completed),
            failed: sum(&t.errors),
            shed: sum(&t.shed),
            rejected: sum(&t.rejected),
            timed_out: sum(&t.timeouts),
            throughput_rps: b.average(|sec| t.completed[sec]),
            error_rate: b.ratio(|sec| t.errors[sec], |sec| t.errors[sec] + t.completed[sec]),
            unanswered_rps: b.average(|sec| t.offered[sec] - t.completed[sec]),
            latency_ms: latency(&t.latencies, &b),
            latency_by_location: self
                .places
                .iter()
                .zip(&t.populations)
                .map(|(place, p)| {
                    let key = place.map_or(NOWHERE, Location::key).to_owned();
                    let figures = SimPlaceLatency {
                        share: sum(&p.offered) as f64 / sum(&t.offered).max(1) as f64,
                        success: b.ratio(
                            |sec| p.completed[sec],
                            |sec| p.completed[sec] + p.errors[sec],
                        ),
                        latency: latency(&p.latencies, &b),
                    };
                    (key, figures)
                })
                .collect(),
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
            half_width: per_batch.and_then(|p| b.interval(&p)).map(|h| h * 1000.0),
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

/// Instances of `c` billed all run long that its servers' meters never count: every one of a
/// kind without servers, and those a what-if failure takes away before the run starts
/// (their station is built without them), since a dead instance still costs its rent, as
/// in the analytic cost.
fn unmetered(s: &Scenario, c: &Component) -> f64 {
    if !c.kind.is_station() {
        return billed_instances(c) as f64;
    }
    let billed = billed_instances(c);
    let lost = match s.failed.get(&c.id) {
        None => 0,
        Some(Failure { lost: None }) => billed,
        Some(Failure { lost: Some(n) }) => {
            let per_shard = billed / c.num("instances").max(1.0) as u64;
            (n * per_shard).min(billed)
        }
    };
    lost as f64
}
