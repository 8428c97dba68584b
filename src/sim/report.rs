//! What a run measured: whole-run figures with intervals, and per-second series.

use super::{BreakerState, Estimate};
use crate::model::Kind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a run measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimReport {
    /// The seed the run used.
    pub seed: u64,
    /// Simulated seconds.
    pub seconds: usize,
    /// The warm-up asked for, whole seconds.
    #[serde(default)]
    pub warmup_s: usize,
    /// First second of the measured window: after the warm-up, and after the few seconds
    /// more that make the batches equal ([`Self::measured`] says so).
    pub measured_from_s: usize,
    /// Batches the measured window was cut into for the confidence intervals.
    pub batches: usize,
    /// Whether the load held steady through the run ([`crate::model::Simulation::steady_load`]):
    /// otherwise one run's batches differ by design and give no intervals (replications do).
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub steady: bool,
    /// Independent replications merged into this report (see [`crate::sim`]'s
    /// replications): with two or more, the intervals come from their spread, counts are
    /// totals over all of them, and per-second series their means.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub replications: u32,
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
    /// Of those, requests whose last attempt was shed: answered at once with an error by a
    /// station whose waiting-time limit it reached.
    pub shed: u64,
    /// Of those, requests whose last attempt a rate limit rejected (HTTP 429, at once).
    pub rejected: u64,
    /// Attempts that timed out.
    pub timed_out: u64,
    /// Requests answered per second, over the measured window.
    pub throughput_rps: Estimate,
    /// Share of finished requests that failed, over the measured window.
    pub error_rate: Estimate,
    /// Requests per second offered and not answered, over the measured window: those that
    /// failed and those still waiting, as behind a saturated queue with no limit. The
    /// analytic core counts both as dropped.
    pub unanswered_rps: Estimate,
    /// Response time of answered requests, from first attempt to answer (retries included).
    pub latency_ms: SimLatency,
    /// End-to-end figures per second.
    pub series: Vec<Second>,
    /// Per component, by id.
    pub components: BTreeMap<String, SimComponent>,
    /// What the run's instances cost, in US dollars: instance-seconds times each kind's
    /// monthly price over the seconds of a 30-day month.
    pub cost_usd: f64,
    /// The same rate over a whole month: equal to the analytic monthly cost when no pool
    /// autoscales.
    pub monthly_cost_usd: f64,
    /// With users on the map: what each population saw, by its place's key (`none` for
    /// users off the map), like the analytic report's `latency_by_location`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub latency_by_location: BTreeMap<String, SimPlaceLatency>,
    /// Every link with a circuit breaker, in the scenario's link order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakers: Vec<SimBreaker>,
}

impl SimReport {
    /// How the run was measured, as one phrase for every view: its seed and where its
    /// 95 % intervals come from ("seed 1, measured from 5 s in 11 batches", or, with
    /// replications, "4 replications from seed 1, measured from 5 s, across replications").
    pub fn measured(&self) -> String {
        let from = self.measured_from();
        if self.replications > 1 {
            format!(
                "{} replications on seeds derived from {}, measured from {from}, 95 % \
                 intervals across the replications",
                self.replications, self.seed
            )
        } else if self.steady {
            format!(
                "seed {}, measured from {from}, 95 % intervals from {} batches",
                self.seed, self.batches
            )
        } else {
            format!(
                "seed {}, measured from {from}; no intervals: the traffic or the design changes \
                 during the run (a traffic profile, a failure or a resharding on its timeline), \
                 so its stretches are not alike (two or more replications give intervals)",
                self.seed
            )
        }
    }

    /// Where the measured window starts, and why later than the warm-up when it is.
    fn measured_from(&self) -> String {
        let (from, warmup) = (self.measured_from_s, self.warmup_s);
        match from.saturating_sub(warmup) {
            0 => format!("{from} s"),
            more if warmup > 0 => {
                format!("{from} s (the {warmup} s warm-up and {more} s more, for equal batches)")
            }
            more => format!("{from} s (the first {more} s left out, for equal batches)"),
        }
    }
}

fn one() -> u32 {
    1
}

fn yes() -> bool {
    true
}

fn is_yes(b: &bool) -> bool {
    *b
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

/// What one link's circuit breaker did during the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimBreaker {
    /// The calling component's id.
    pub from: String,
    /// The called component's id.
    pub to: String,
    /// Times it opened.
    pub opened: u32,
    /// Calls it failed at once, over the whole run.
    pub refused: u64,
    /// Per second: its state at the end of the second.
    pub state: Vec<BreakerState>,
    /// Per second: the share of the second it was open or half-open.
    pub open_share: Vec<f64>,
    /// Per second: calls sent over the link.
    pub sent: Vec<f64>,
    /// Per second: calls failed at once, unsent.
    pub refused_per_second: Vec<f64>,
    /// Per second: calls sent that failed or timed out.
    pub failed: Vec<f64>,
}

/// Whole-window response-time estimates, in milliseconds (`None`: nothing was answered).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SimLatency {
    /// Mean response time.
    pub mean: Option<Estimate>,
    /// Median.
    pub p50: Option<Estimate>,
    /// 95th percentile.
    pub p95: Option<Estimate>,
    /// 99th percentile.
    pub p99: Option<Estimate>,
}

/// What the users at one place saw over the run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SimPlaceLatency {
    /// Their share of the requests offered over the whole run.
    pub share: f64,
    /// Share of their finished requests that were answered, over the measured window.
    pub success: Estimate,
    /// Their response times, ms.
    #[serde(flatten)]
    pub latency: SimLatency,
}

/// One second of the run, end to end.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
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
    /// Of those, requests whose last attempt was shed.
    pub shed: f64,
    /// Of those, requests whose last attempt a rate limit rejected.
    pub rejected: f64,
    /// Attempts that timed out.
    pub timeouts: f64,
    /// What the second cost, US dollars (see [`SimReport::cost_usd`]).
    pub cost_usd: f64,
    /// Mean response time of the requests answered in this second, ms.
    pub mean_ms: Option<f64>,
    /// Median response time of the requests answered in this second, ms.
    pub p50_ms: Option<f64>,
    /// 95th percentile of the same, ms.
    pub p95_ms: Option<f64>,
    /// 99th percentile of the same, ms.
    pub p99_ms: Option<f64>,
}

/// One component's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimComponent {
    /// The component's kind.
    pub kind: Kind,
    /// Requests per second reaching it.
    pub arrival_rps: Estimate,
    /// Requests per second refused or lost here.
    pub dropped_rps: Estimate,
    /// Busy share of its servers (`None`: it has none).
    pub utilization: Option<Estimate>,
    /// Mean number of requests waiting (`None`: it has no servers).
    pub mean_queue: Option<Estimate>,
    /// Mean instances paid for (`None`: it has no servers).
    pub instances: Option<Estimate>,
    /// Requests per second its rate limit rejects (`None`: it has none).
    pub rejected_rps: Option<Estimate>,
    /// Share of its lookups that hit, for a cache holding the workload's keys (`None`
    /// otherwise).
    pub hit_ratio: Option<Estimate>,
    /// For an asynchronous replica: the lag of the writes it applied, from the primary's
    /// answer to its own (mean and percentiles, ms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lag_ms: Option<SimLatency>,
    /// For a replica a failover promoted: the writes its primary had answered that it had
    /// not applied, lost with the failed primary (see MODEL.md, "Replication lag").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lost_writes: Option<u64>,
    /// For a shard group the run resharded: its shard counts and the share of keys moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resharded: Option<Resharded>,
    /// Per second: arrivals, drops, busy share of servers, mean waiting requests.
    pub series: ComponentSeries,
}

/// A shard group's resharding during a run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Resharded {
    /// Shards before.
    pub from: usize,
    /// Shards after.
    pub to: usize,
    /// Share of the keys that changed shards (copied while both shards served them).
    pub moved_share: f64,
    /// When it started, seconds into the run.
    pub at_s: f64,
    /// How long the copy took, seconds.
    pub copy_s: f64,
}

/// Per-second values of one component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentSeries {
    /// Requests reaching it.
    pub arrivals: Vec<f64>,
    /// Requests refused or lost here.
    pub drops: Vec<f64>,
    /// Empty for components without servers.
    pub utilization: Vec<f64>,
    /// Empty for components without servers.
    pub queue: Vec<f64>,
    /// Mean instances paid for (in service, warming up, draining): only for autoscaled
    /// pools, empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instances: Vec<f64>,
    /// Mean instances serving (paid for and warmed up, not draining): only for autoscaled
    /// pools.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serving: Vec<f64>,
    /// Share of the second's lookups that hit (0 without lookups): only for caches holding
    /// the workload's keys, so a cold start and a warm-up show.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hit_ratio: Vec<f64>,
}
