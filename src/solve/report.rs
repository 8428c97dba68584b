//! What the analytic solver says about a design: the report and its parts.

use super::queueing::saturates;
use crate::model::multiple;
use crate::model::{Class, Failure, Kind, SECONDS_PER_DAY};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Minutes in the 30-day month used for downtime figures.
pub const MINUTES_PER_MONTH: f64 = 30.0 * 24.0 * 60.0;

/// Whether requests lost at `rps` per second are a loss to raise: one a day at least. The
/// closed forms give exact tails (a deadline at half load sheds one request in six days, a
/// token bucket far below its limit rejects 10⁻¹³ per second); such rates stay in every
/// table and explanation, but no view marks them red or writes "dropped" on the diagram.
pub fn noticeable(rps: f64) -> bool {
    rps * SECONDS_PER_DAY >= 1.0
}

/// A loss above zero but not [noticeable], in words: "one every 6.11 days on average".
pub fn rarely(rps: f64) -> Option<String> {
    (rps > 0.0 && !noticeable(rps)).then(|| {
        let days = 1.0 / (rps * SECONDS_PER_DAY);
        if days < 365.0 {
            format!(
                "one every {} days on average",
                crate::model::significant(days)
            )
        } else {
            "less than one a year".to_owned()
        }
    })
}

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
    /// The failures the solver cannot solve, apart from the rows (filled by
    /// [`analyze_with_failures`]).
    pub unassessed: Vec<super::Unassessed>,
    /// Per component, by id.
    pub components: BTreeMap<String, ComponentReport>,
    /// Requests per second on each link, in scenario order.
    pub links: Vec<LinkReport>,
    /// How the numbers were obtained, and anything the author should know.
    pub notes: Vec<String>,
    /// For a closed population: how it was solved, N*, and throughput and response
    /// against users.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed: Option<super::ClosedReport>,
    /// Response time per place users are at, by location key ("none" for users off the
    /// map); empty when no users are on the map. The populations' shares add up to the
    /// whole, and so do their served requests.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub latency_by_location: BTreeMap<String, PlaceLatency>,
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

/// The response time the users at one place see, ms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceLatency {
    /// Their share of the offered traffic.
    pub share: f64,
    /// Share of their requests served.
    pub success: f64,
    /// Mean; `None` when unbounded.
    pub mean: Option<f64>,
    /// Median; `None` when unbounded.
    pub p50: Option<f64>,
    /// 95th percentile; `None` when unbounded.
    pub p95: Option<f64>,
    /// 99th percentile; `None` when unbounded.
    pub p99: Option<f64>,
    /// The strictest p99 objective among their clients, ms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slo_p99: Option<f64>,
    /// Whether their p99 is within it (`None` without an objective).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meets_slo: Option<bool>,
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
    /// The part of `dropped_rps` it accepts and cannot send on: nothing it could send them
    /// to is working, or no link carries them.
    pub stranded_rps: f64,
    /// Whether its work is in the background: a consumer fed only by queues, whose
    /// producers were answered at enqueue, so that what it drops are messages never
    /// processed, not among the requests dropped.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub background: bool,
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
    /// Where requests go past it while it is failed: a cache or CDN's callers go to its
    /// origin, a failed-over primary's writes to the promoted replica. `None` when it is up,
    /// or down with nothing to pass them to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passed_by: Option<PassedBy>,
    /// Probability that enough of its instances are up to carry its load.
    pub availability: f64,
    /// Monthly price of its instances.
    pub monthly_cost_usd: f64,
    /// For an autoscaled pool, the instance count its policy settles on at this traffic;
    /// every other number here is for that count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instances_steady: Option<u32>,
    /// A cache's or CDN's hit ratio and where it comes from (typed, computed from the
    /// workload, or the default); `None` for other kinds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hit_ratio: Option<super::hit_ratio::HitRatio>,
    /// For a shard group, the share of keys that move when one shard is added or removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resharding: Option<super::resharding::Resharding>,
    /// For a read replica its primary writes to: the writes it applies, and the part of
    /// `arrival_rps` that is their work.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applies: Option<super::replication::Replicated>,
    /// For a read replica its primary writes to, how far it lags behind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lag: Option<super::replication::Lag>,
    /// For a component with a rate limit, the requests per second it rejects (HTTP 429),
    /// part of `dropped_rps`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejected_rps: Option<f64>,
    /// Classes of request that reach it but that its kind cannot serve (reads or writes
    /// sent to object storage, writes to a read replica): a routing mistake to fix.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cannot_serve: Vec<Class>,
    /// Classes of request that reach it, which it would hand on and has no link for (a
    /// relay's loose end, MODEL.md section 2): lost here, or routed around by a deep check.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub no_way_on: Vec<Class>,
}

/// Where a failed component's requests go instead (see [`ComponentReport::passed_by`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PassedBy {
    /// Its callers go straight to its origin (a cache or CDN).
    Origin,
    /// Its writes go to the replica promoted in its place (its id).
    Promoted(String),
}

/// Traffic on one link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkReport {
    /// Sender id.
    pub from: String,
    /// Receiver id.
    pub to: String,
    /// Requests per second carried; on a primary's link to a replica, its writes count as
    /// the replica's work (see `replicated`).
    pub rps: f64,
    /// For a primary's link to a read replica: the writes it replicates, and their share
    /// of `rps`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicated: Option<super::replication::Replicated>,
}

impl ComponentReport {
    /// The arrivals at which it is full: loads grow in proportion with the traffic, so
    /// today's arrivals over today's offered load (`None` when nothing is offered). For a
    /// shard group the load is its busiest shard's, so this is below the capacity of all
    /// the shards together.
    pub fn full_at_rps(&self) -> Option<f64> {
        (self.load > 0.0).then(|| self.arrival_rps / self.load)
    }

    /// For a shard group whose busiest shard is busier than the shards' average (a hot key,
    /// a skewed hash): that shard's offered load over its capacity. The utilisation is the
    /// average, but the busiest shard is what saturates, what the node's colour and the
    /// bottleneck read, so views show it where they show one figure.
    pub fn busiest_shard(&self) -> Option<f64> {
        (self.kind == Kind::ShardGroup
            && self.capacity_rps.is_some()
            && self.load > self.utilization + 0.005)
            .then_some(self.load)
    }

    /// Requests per second reaching it, each counted once, as the links into it show them:
    /// `arrival_rps` counts a replica's applied writes at their share of its work (each is
    /// `replication_cost` of a read, MODEL.md §2), here they are the writes they are. The
    /// utilisation stays the work's.
    pub fn requests_rps(&self) -> f64 {
        match self.applies {
            Some(a) => self.arrival_rps - a.work_rps + a.writes_rps,
            None => self.arrival_rps,
        }
    }

    /// For a replica that applies writes, why its requests and its work differ, in a
    /// sentence (`None` for any other component).
    pub fn work_note(&self) -> Option<String> {
        let a = self.applies?;
        let rate = crate::model::rate;
        let cost = if a.writes_rps > 0.0 {
            a.work_rps / a.writes_rps
        } else {
            0.0
        };
        Some(format!(
            "{}/s of other requests and {} writes/s applied: applying a write is {} of a \
             read's work (the primary's replication cost), so its servers see {}/s of work.",
            rate((self.requests_rps() - a.writes_rps).max(0.0)),
            rate(a.writes_rps),
            crate::model::significant(cost),
            rate(self.arrival_rps)
        ))
    }

    /// For a station offered more than it can serve with no queue limit: what its drops and
    /// its unbounded time both say, in a sentence (MODEL.md §4: the excess can never be
    /// served in steady state, and the queue of what is served grows without end). `None`
    /// for any other component.
    pub fn overflow(&self) -> Option<String> {
        self.capacity_rps?;
        let excess = self.dropped_rps - self.stranded_rps;
        (self.saturated && self.mean_response_ms.is_none() && excess > 1e-9 * self.arrival_rps)
            .then(|| {
                format!(
                    "Offered more than it can serve, with no queue limit: it serves {}/s; the \
                     other {}/s can never be served and count as dropped, and the queue of \
                     those it serves grows without end, so its time here is unbounded.",
                    crate::model::rate(self.served_rps),
                    crate::model::rate(excess)
                )
            })
    }
}

impl Report {
    /// Messages per second that consumers in the background drop: work never processed,
    /// apart from the requests dropped, since their producers were answered at enqueue.
    pub fn background_dropped_rps(&self) -> f64 {
        self.components
            .values()
            .filter(|c| c.background)
            // From +0: an empty sum of floats is −0, which a wire or a file would not keep.
            .fold(0.0, |total, c| total + c.dropped_rps)
    }

    /// Requests per second that a working component accepts and has nowhere working to
    /// send: dropped whatever the traffic, as long as the design stays as it is.
    pub fn stranded_rps(&self) -> f64 {
        self.components.values().map(|c| c.stranded_rps).sum()
    }

    /// Whether some requests have no working route (beyond a billionth of the offered
    /// rate). No growth factor describes such a design: the headroom and bottleneck are
    /// left out, as when it serves nothing, and views say why.
    pub fn strands_requests(&self) -> bool {
        self.stranded_rps() > 1e-9 * (1.0 + self.offered_rps)
    }

    /// Whether traffic is offered and none of it is served: every request fails. The latency
    /// is then not "unbounded" (nobody waits forever) but absent, and views say so.
    pub fn serves_nothing(&self) -> bool {
        self.offered_rps > 0.0 && self.throughput_rps <= 0.0
    }

    /// What the design loses now, in words: the components overloaded and the requests
    /// dropped ("Replica 1 and Replica 2 are overloaded, and 535 req/s are dropped"), or
    /// `None` when no loss is [noticeable]. Said beside a failure whose traffic is passed on
    /// (a cache to its origin): passing it on takes nothing down by itself, but its load
    /// may be more than the origin can take.
    pub fn losses(&self, s: &crate::model::Scenario) -> Option<String> {
        if !noticeable(self.dropped_rps) {
            return None;
        }
        let over: Vec<String> = self
            .components
            .iter()
            .filter(|(_, c)| c.saturated && noticeable(c.dropped_rps))
            .map(|(id, _)| s.name_of(id).to_owned())
            .collect();
        let dropped = format!("{} req/s are dropped", crate::model::rate(self.dropped_rps));
        Some(match over.len() {
            0 => dropped,
            1 => format!("{} is overloaded, and {dropped}", over[0]),
            _ => format!(
                "{} are overloaded, and {dropped}",
                super::spof::name_list(&over)
            ),
        })
    }

    /// Why the bottleneck is the bottleneck, in a sentence: how overloaded it is, or at
    /// what multiple of today's traffic it saturates, naming it as `s` (the design solved)
    /// does. `None` when nothing carries load, or requests have no route (no headroom).
    pub fn bottleneck_reason(&self, s: &crate::model::Scenario) -> Option<String> {
        let b = s.name_of(self.bottleneck.as_ref()?);
        let load = 1.0 / self.headroom?;
        // Headed by what it is, so the sentence reads right whether the name is one thing
        // or many ("Workers"); the multiple is the headline's headroom (or its inverse),
        // written by the same function.
        Some(if saturates(load) {
            format!(
                "Bottleneck: {b}, offered {} what it can serve.",
                multiple(load)
            )
        } else if let Some(c) = &self.closed {
            // A closed population's rate is what its users make: the bottleneck bounds it,
            // and more users approach that bound rather than reach it in proportion.
            let past = c.saturation_users.map_or(String::new(), |n| {
                format!(
                    "; past about {} users, more users only wait longer",
                    crate::model::thousands(n)
                )
            });
            format!(
                "Bottleneck: {b}, first to saturate: it caps the throughput at {} today's, \
                 approached as users are added{past}.",
                multiple(1.0 / load)
            )
        } else {
            // An autoscaled pool's multiple is at its largest count, which it reaches only
            // after its policy has reacted: a sudden spike queues first.
            let scaled = (self.bottleneck.as_ref())
                .and_then(|id| Some((s.component(id)?, self.components.get(id)?)))
                .and_then(|(c, r)| Some((crate::model::Autoscale::of(c)?, r.instances_steady?)))
                .filter(|(policy, n)| policy.max > *n)
                .map_or(String::new(), |(policy, n)| {
                    format!(
                        " once autoscaling has taken it from {n} to its maximum of {} \
                         instances (each new one serves {} s after it is started, so a \
                         sudden spike queues first)",
                        policy.max,
                        crate::model::show(policy.warmup_s)
                    )
                });
            format!(
                "Bottleneck: {b}, first to saturate, at {} today's traffic{scaled}.",
                multiple(1.0 / load)
            )
        })
    }
}

/// Which single failure an N−1 row is. The rows of the first mode are the ones the SPOF
/// list rests on: a component is a single point of failure exactly when losing one
/// instance of it (its only one, if it has one) drops requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureMode {
    /// One instance is lost (a crash, a host going away); for a component with a single
    /// instance that is the whole component.
    Instance,
    /// A whole pool of several instances is down at once (a bad deploy, a zone outage).
    Component,
}

impl FailureMode {
    /// The mode's name in reports (`instance`, `component`).
    pub fn key(self) -> &'static str {
        match self {
            FailureMode::Instance => "instance",
            FailureMode::Component => "component",
        }
    }

    /// The failure as the scenario records it, for a component of `instances` instances.
    pub fn failure(self, instances: u64) -> Failure {
        match self {
            FailureMode::Instance if instances >= 2 => Failure::lose(1),
            _ => Failure::DOWN,
        }
    }

    /// The failure as the scenario records it for a component with `instances` still up
    /// after a what-if took `already_lost`: one more lost, or the whole component down.
    pub fn failure_after(self, instances: u64, already_lost: u64) -> Failure {
        match self.failure(instances) {
            Failure { lost: Some(n) } => Failure::lose(n + already_lost),
            down => down,
        }
    }

    /// The heading of this mode's group of N−1 rows.
    pub fn heading(self) -> &'static str {
        match self {
            FailureMode::Instance => {
                "One instance fails (a crash, a lost host; in a shard group, one in each shard)"
            }
            FailureMode::Component => "A whole pool fails (a bad deploy, a zone outage)",
        }
    }
}

/// What one failure costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Impact {
    /// The failed component.
    pub id: String,
    /// Which failure: one instance lost, or all of it down.
    pub failure: FailureMode,
    /// The component's instance count still up (all it has, unless a what-if has already
    /// taken some).
    pub instances: u64,
    /// Instances a what-if failure has already taken before this one.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub already_lost: u64,
    /// Shards the instances are counted per (a shard group's `instances` are each
    /// shard's, and a failure takes the same from every shard); 1 for anything else.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub shards: u64,
    /// Requests per second dropped with the failure.
    pub dropped_rps: f64,
    /// Background messages per second never processed with the failure (consumers down
    /// or overloaded): not requests, since their producers were answered at enqueue.
    #[serde(default, skip_serializing_if = "is_zero_f64")]
    pub messages_rps: f64,
    /// Mean response time of served requests with the failure, ms (`None`: some wait
    /// without bound). Orders rows that drop the same.
    pub mean_ms: Option<f64>,
    /// Percentile and availability with the failure: worked out for the rows shown first
    /// ([`DETAILED_ROWS`](super::DETAILED_ROWS) of each group), `None` for the others, whose
    /// numbers appear in the report once the failure is applied.
    pub detail: Option<Detail>,
    /// The component the failure makes busiest, among those it makes busier, with its
    /// utilisation then: why a row that drops nothing can still be slow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub busiest: Option<Busiest>,
}

/// The component a failure makes busiest (see [`Impact::busiest`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Busiest {
    /// Its id.
    pub id: String,
    /// Its utilisation with the failure, 0 to 1.
    pub utilization: f64,
}

/// The figures of an N−1 row that take a full solve of the failed design.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Detail {
    /// p99 latency with the failure (`None`: unbounded).
    pub p99_ms: Option<f64>,
    /// Availability with the failure in place.
    pub availability: f64,
}

impl Impact {
    /// The failure as the scenario records it: instances lost in all, counting those a
    /// what-if had already taken.
    pub fn as_failure(&self) -> Failure {
        self.failure
            .failure_after(self.instances, self.already_lost)
    }

    /// Which part fails, in words: "its only instance", "1 of 8 instances", "all 8
    /// instances".
    /// For a shard group, whose failures take the same from every shard: "the only
    /// instance of all 4 shards", "1 of 3 in each of 4 shards", "all 4 shards" (short: the
    /// N−1 table's first column is narrow). A component of a `kind` without instances fails
    /// as a whole: "all of it", and a region "the route through it" (its entry hop: what is
    /// placed there keeps running, MODEL.md §9).
    pub fn what_fails(&self, kind: Kind) -> String {
        match (self.failure, self.instances, self.shards) {
            _ if kind == Kind::Region => "the route through it".to_owned(),
            _ if kind.param("instances").is_none() => "all of it".to_owned(),
            (FailureMode::Instance, 0 | 1, 0 | 1) => "its only instance".to_owned(),
            (FailureMode::Instance, n, 0 | 1) => format!("1 of {n} instances"),
            (FailureMode::Component, n, 0 | 1) => format!("all {n} instances"),
            (FailureMode::Instance, 0 | 1, k) => format!("the only instance of all {k} shards"),
            (FailureMode::Instance, n, k) => format!("1 of {n} in each of {k} shards"),
            (FailureMode::Component, _, k) => format!("all {k} shards"),
        }
    }

    /// What the row does not cover, for a failure whose words could be read as more: a
    /// region's row fails its entry hop, not what stands there (MODEL.md §9).
    pub fn not_covered(kind: Kind) -> Option<&'static str> {
        (kind == Kind::Region).then_some(
            "Only the route through the region fails here; the components placed in it keep \
             running. For an outage of everything there, use Fail the whole region in its \
             inspector.",
        )
    }
}

/// Whether a count is zero (left out of the JSON, as most rows have nothing lost before).
fn is_zero(n: &u64) -> bool {
    *n == 0
}

fn one() -> u64 {
    1
}

fn is_one(n: &u64) -> bool {
    *n == 1
}

/// Whether a rate is zero (left out of the JSON, as most rows lose no messages).
fn is_zero_f64(x: &f64) -> bool {
    *x == 0.0
}
