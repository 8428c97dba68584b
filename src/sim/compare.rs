//! The analytic and the simulated numbers side by side.
//!
//! Theory describes the steady state under the scenario's constant traffic, so the two are
//! compared only for runs that are such a steady state (constant profile, no failure
//! timeline, no client timeouts). A pair disagrees when the analytic value lies outside the
//! simulated 95 % interval widened by 1 % of the value (the interval itself is estimated),
//! or, for a utilisation, by a tenth of a percentage point.

use super::{Estimate, SimReport};
use crate::model::{Scenario, Simulation};
use crate::solve::Report;
use serde::Serialize;
use std::fmt;

/// Relative slack added to the confidence interval before flagging a disagreement.
const SLACK: f64 = 0.01;
/// Absolute slack for utilisations: a tenth of a percentage point is below what anyone
/// reads off a utilisation, and keeps nearly idle components from being flagged for noise.
const UTILISATION_SLACK: f64 = 0.001;

/// What the two agreement flags mean, for every view that shows them.
pub const AGREEMENT: &str = "agree: the analytic figure lies in the simulated 95 % interval. \
    agree ±1 %: it lies outside, by less than 1 % of its value (0.1 point for a utilisation), \
    which the model's approximations allow.";

/// A figure that both engines give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Requests per second answered end to end.
    Throughput,
    /// Requests per second offered and not answered: dropped, failed, or left waiting.
    Unanswered,
    /// Mean end-to-end response time.
    MeanLatency,
    /// Median end-to-end response time.
    P50Latency,
    /// 95th percentile of the end-to-end response time.
    P95Latency,
    /// 99th percentile of the end-to-end response time.
    P99Latency,
    /// A component's busy share of its servers, 0 to 1.
    Utilisation,
    /// A cache's share of lookups that hit, 0 to 1 (caches sized against the workload).
    HitRatio,
    /// An asynchronous replica's mean lag behind its primary.
    MeanLag,
}

impl Metric {
    /// The figure's name with its unit, as reports show it.
    pub fn label(self) -> &'static str {
        match self {
            Metric::Throughput => "throughput (req/s)",
            // Beside the run's error rate, which counts only the finished requests that
            // failed, it must say that it also counts those still waiting.
            Metric::Unanswered => "not answered: failed or still waiting (req/s)",
            Metric::MeanLatency => "mean latency (ms)",
            Metric::P50Latency => "p50 latency (ms)",
            Metric::P95Latency => "p95 latency (ms)",
            Metric::P99Latency => "p99 latency (ms)",
            Metric::Utilisation => "utilisation",
            Metric::HitRatio => "hit ratio",
            Metric::MeanLag => "mean lag (ms)",
        }
    }

    /// Whether the figure is a share (shown as a percentage).
    pub fn is_share(self) -> bool {
        matches!(self, Metric::Utilisation | Metric::HitRatio)
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Reports and the CLI's JSON name a metric by its label.
impl Serialize for Metric {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.label())
    }
}

/// One figure from both sides.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// What is compared.
    pub metric: Metric,
    /// The component it belongs to (`None`: end to end).
    pub component: Option<String>,
    /// The place of the users it is about (`None`: everyone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub users: Option<String>,
    /// The analytic value (`None`: unbounded or not defined).
    pub analytic: Option<f64>,
    /// The simulated estimate.
    pub simulated: Estimate,
    /// Whether the analytic value lies within the simulated interval widened by
    /// [`SLACK`] of its value (a utilisation: by [`UTILISATION_SLACK`]); `None` when the
    /// run is not a steady state of the same system or the analytic value is unbounded.
    pub agrees: Option<bool>,
}

impl Comparison {
    /// Whether the analytic value agrees only thanks to the widening: it lies outside
    /// the interval itself. Views say so, so that "agree" never sits beside a value the
    /// interval printed next to it leaves out.
    pub fn agrees_by_slack(&self) -> bool {
        self.agrees == Some(true)
            && self
                .analytic
                .is_some_and(|a| !self.simulated.contains(a, 0.0))
    }

    /// The figure's name for people: the metric, after whom it belongs to.
    pub fn name(&self) -> String {
        match (&self.component, &self.users) {
            (Some(id), _) => format!("{id} {}", self.metric),
            (None, Some(place)) => {
                format!("users {}: {}", crate::model::users_at(place), self.metric)
            }
            (None, None) => self.metric.to_string(),
        }
    }
}

/// Whether a run with these settings measures the steady state the analytic core computes.
pub fn comparable(sim: &Simulation) -> bool {
    sim.steady_load() && sim.timeout_ms.is_none()
}

/// Pairs the end-to-end figures, each user population's mean and p99, and every server's
/// utilisation.
pub fn compare(s: &Scenario, analytic: &Report, run: &SimReport) -> Vec<Comparison> {
    let steady = comparable(&Simulation::of(s));
    let row = |metric: Metric, component: Option<&str>, a: Option<f64>, sim: Estimate| Comparison {
        metric,
        component: component.map(str::to_owned),
        users: None,
        analytic: a,
        simulated: sim,
        agrees: a.filter(|_| steady).map(|a| {
            sim.contains(a, SLACK)
                || (component.is_some() && (sim.value - a).abs() <= UTILISATION_SLACK)
        }),
    };
    // What is not answered, beside what is: the analytic core's drops include what a
    // saturated queue with no limit never serves, which a run sees as a growing backlog.
    let mut rows = vec![
        row(
            Metric::Throughput,
            None,
            Some(analytic.throughput_rps),
            run.throughput_rps,
        ),
        // Offered less answered can come out below zero when requests offered before the
        // window are answered in it; no rate of unanswered requests is, so the estimate
        // stops at zero (its interval is kept).
        row(
            Metric::Unanswered,
            None,
            Some(analytic.dropped_rps),
            Estimate {
                value: run.unanswered_rps.value.max(0.0),
                ..run.unanswered_rps
            },
        ),
    ];
    let l = &analytic.latency_ms;
    let m = &run.latency_ms;
    for (name, a, sim) in [
        (Metric::MeanLatency, l.mean, m.mean),
        (Metric::P50Latency, l.p50, m.p50),
        (Metric::P95Latency, l.p95, m.p95),
        (Metric::P99Latency, l.p99, m.p99),
    ] {
        if let Some(sim) = sim {
            rows.push(row(name, None, a, sim));
        }
    }
    for (place, a) in &analytic.latency_by_location {
        let Some(sim) = run.latency_by_location.get(place) else {
            continue;
        };
        for (name, a, sim) in [
            (Metric::MeanLatency, a.mean, sim.latency.mean),
            (Metric::P99Latency, a.p99, sim.latency.p99),
        ] {
            if let Some(sim) = sim {
                rows.push(Comparison {
                    users: Some(place.clone()),
                    ..row(name, None, a, sim)
                });
            }
        }
    }
    for (id, c) in &analytic.components {
        let Some(sim) = run.components.get(id) else {
            continue;
        };
        if let Some(u) = sim.utilization {
            rows.push(row(Metric::Utilisation, Some(id), Some(c.utilization), u));
        }
        if let (Some(h), Some(measured)) = (c.hit_ratio, sim.hit_ratio) {
            rows.push(row(Metric::HitRatio, Some(id), Some(h.value), measured));
        }
        if let (Some(lag), Some(measured)) = (c.lag, sim.lag_ms.and_then(|l| l.mean)) {
            rows.push(row(Metric::MeanLag, Some(id), lag.mean_ms, measured));
        }
    }
    rows
}

/// When the analytic core finds stations offered more than they serve with no queue limit
/// (their time unbounded, [`ComponentReport::overflow`](crate::solve::ComponentReport)),
/// why a run's times are no steady value, in a sentence naming them; `None` otherwise.
pub fn overloaded(s: &Scenario, analytic: &Report) -> Option<String> {
    let names: Vec<String> = analytic
        .components
        .iter()
        .filter(|(_, c)| c.overflow().is_some())
        .map(|(id, _)| s.name_of(id).to_owned())
        .collect();
    (!names.is_empty()).then(|| {
        format!(
            "{} {} offered more than {} can serve, with no limit on {} queue: it grows \
             through the whole run, so the simulated times grow with the run's length, and \
             their intervals describe this run, not a value it settles on (the analytic time \
             is unbounded).",
            crate::solve::name_list(&names),
            if names.len() == 1 { "is" } else { "are" },
            if names.len() == 1 { "it" } else { "they" },
            if names.len() == 1 { "its" } else { "their" }
        )
    })
}

/// Where the analytic core approximates this design, in sentences: the likely reasons when
/// a steady run disagrees with it.
pub fn approximations(s: &Scenario) -> Vec<String> {
    use crate::model::Kind;
    let mut out = Vec::new();
    let balancers = |algorithm: &str| {
        s.components
            .iter()
            .any(|c| c.kind == Kind::LoadBalancer && c.choice("algorithm") == algorithm)
    };
    if balancers("round_robin") {
        out.push(
            "Round robin sends every n-th request to the same target, which spreads arrivals \
             more evenly than the random split the analytic model assumes: queues are shorter \
             in the simulation."
                .to_owned(),
        );
    }
    if balancers("least_connections") {
        out.push(
            "Least connections is modelled analytically as one shared queue per pool and a \
             capacity-weighted split between pools; the simulation picks the emptiest target \
             per request."
                .to_owned(),
        );
    }
    if s.components
        .iter()
        .any(|c| c.kind.is_station() && ![0.0, 1.0].contains(&c.num("service_cv")))
    {
        out.push(
            "Service times that are neither exponential nor constant use the Kingman \
             (Allen–Cunneen) approximation analytically; the simulation draws them from a \
             log-normal distribution."
                .to_owned(),
        );
    }
    if s.components
        .iter()
        .any(|c| c.opt_num("rate_limit_rps").is_some())
    {
        out.push(
            "A rate limit lets requests through spaced by its refills when its bucket runs \
             empty; the analytic model treats what it lets through as random (Poisson), so \
             queues behind it are shorter in the simulation."
                .to_owned(),
        );
    }
    if s.components
        .iter()
        .any(|c| c.opt_num("max_wait_ms").is_some() && c.num("service_cv") != 1.0)
    {
        out.push(
            "Load shedding is exact analytically only for exponential service times (M/M/c+D); \
             other service times stretch its waits by the Kingman factor."
                .to_owned(),
        );
    }
    let callers: Vec<&str> = s
        .components
        .iter()
        .filter(|c| c.blocking() && s.links.iter().any(|l| l.from == c.id && l.calls.is_some()))
        .map(|c| c.display_name())
        .collect();
    if !callers.is_empty() {
        out.push(format!(
            "{} holds its servers while it waits on its calls (blocking); the analytic engine \
             counts only a server's own work, so the simulation shows it busier and, near \
             saturation, queueing sooner.",
            callers.join(", ")
        ));
    }
    if s.links.iter().any(|l| l.timeout_ms.is_some()) {
        out.push(
            "Calls that outlast their link's timeout fail in the simulation; the analytic \
             engine lets every call finish."
                .to_owned(),
        );
    }
    if s.components.iter().any(|c| {
        crate::solve::hit_ratio::effective(s, c)
            .is_some_and(|h| h.source == crate::solve::hit_ratio::HitSource::Workload)
    }) {
        out.push(
            "A cache sized against the workload starts empty in the simulation and fills as \
             requests come; until it has (a warm-up long against its characteristic time), \
             it hits less than the steady state. Its hit ratio itself follows Che's or a \
             related approximation analytically."
                .to_owned(),
        );
    }
    let stations = s.components.iter().filter(|c| c.kind.is_station()).count();
    if stations > 1 {
        out.push(
            "End-to-end percentiles treat the time at each hop as independent (exact for \
             chains of single-server exponential queues); the simulation measures them \
             directly."
                .to_owned(),
        );
    }
    out
}
