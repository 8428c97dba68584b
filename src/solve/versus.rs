//! Two designs side by side: each headline figure of the baseline and the current design,
//! the difference, and whether it got better; the components whose figures moved; the
//! edits between them. The analytic core is deterministic, so every difference it shows is
//! the designs' own, never noise.

use super::report::{noticeable, ComponentReport, Report};
use crate::model::{changes, Scenario};
use serde::Serialize;
use std::fmt;

/// A headline figure of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// Requests answered per second.
    Throughput,
    /// Requests lost per second.
    Dropped,
    /// End-to-end response time, ms.
    MeanLatency,
    /// Its percentiles, ms.
    P50,
    /// 95th percentile, ms.
    P95,
    /// 99th percentile, ms.
    P99,
    /// Share of the time the design answers.
    Availability,
    /// Minutes a month it does not.
    Downtime,
    /// Dollars a month.
    MonthlyCost,
    /// How many times today's traffic it carries before the bottleneck saturates.
    Headroom,
}

impl Figure {
    /// Whether the figure is a time a served request takes.
    pub fn is_latency(self) -> bool {
        matches!(
            self,
            Figure::MeanLatency | Figure::P50 | Figure::P95 | Figure::P99
        )
    }

    /// Every figure, in the order the results panel shows them.
    pub const ALL: [Figure; 10] = [
        Figure::Throughput,
        Figure::Dropped,
        Figure::MeanLatency,
        Figure::P50,
        Figure::P95,
        Figure::P99,
        Figure::Availability,
        Figure::Downtime,
        Figure::MonthlyCost,
        Figure::Headroom,
    ];

    /// Whether a larger value is an improvement.
    pub fn higher_is_better(self) -> bool {
        matches!(
            self,
            Figure::Throughput | Figure::Availability | Figure::Headroom
        )
    }

    /// Whether the figure has no value in `r` at all, rather than an unbounded one: the
    /// times when no request is served (nobody waits), and the headroom when no growth
    /// factor describes the design (nothing served, requests with no working route, no
    /// servers). Every view shows these as "—".
    pub fn absent(self, r: &Report) -> bool {
        match self {
            Figure::Headroom => r.headroom.is_none(),
            f => f.is_latency() && r.serves_nothing(),
        }
    }

    /// The figure in `r`; `None` where the report has no finite value: unbounded (a
    /// saturated design's latency), or absent ([`Figure::absent`]).
    pub fn of(self, r: &Report) -> Option<f64> {
        match self {
            Figure::Throughput => Some(r.throughput_rps),
            Figure::Dropped => Some(r.dropped_rps),
            Figure::MeanLatency => r.latency_ms.mean,
            Figure::P50 => r.latency_ms.p50,
            Figure::P95 => r.latency_ms.p95,
            Figure::P99 => r.latency_ms.p99,
            Figure::Availability => Some(r.availability),
            Figure::Downtime => Some(r.downtime_minutes_per_month),
            Figure::MonthlyCost => Some(r.monthly_cost_usd),
            Figure::Headroom => r.headroom,
        }
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Figure::Throughput => "throughput (req/s)",
            Figure::Dropped => "dropped (req/s)",
            Figure::MeanLatency => "mean latency (ms)",
            Figure::P50 => "p50 latency (ms)",
            Figure::P95 => "p95 latency (ms)",
            Figure::P99 => "p99 latency (ms)",
            Figure::Availability => "availability",
            Figure::Downtime => "downtime (min/month)",
            Figure::MonthlyCost => "monthly cost ($)",
            Figure::Headroom => "headroom (× traffic)",
        })
    }
}

/// Whether the current design does better than the baseline on a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// An improvement.
    Better,
    /// A regression.
    Worse,
    /// Equal to within rounding (a relative 10⁻⁹).
    Same,
    /// A time that fell while fewer requests are served: the times are of the requests
    /// served, so the survivors' being faster is no improvement (a region down leaves the
    /// CDN's fast static hits, and the mean falls).
    FewerServed,
}

/// One headline figure in both designs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureDelta {
    /// Which figure.
    pub figure: Figure,
    /// Its value in the baseline and in the current design (`None`: unbounded).
    pub baseline: Option<f64>,
    /// In the current design.
    pub current: Option<f64>,
    /// Current minus baseline (`None` when either is unbounded or absent).
    pub difference: Option<f64>,
    /// Better, worse or the same.
    pub verdict: Verdict,
    /// Whether the figure is absent ([`Figure::absent`]) in the baseline and now: `None`
    /// then means "—", not unbounded.
    #[serde(skip_serializing_if = "neither")]
    pub absent: [bool; 2],
}

fn neither(absent: &[bool; 2]) -> bool {
    !absent[0] && !absent[1]
}

/// One component's figures in both designs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentDelta {
    /// Its id.
    pub id: String,
    /// Requests reaching it, busy share of its servers, time spent there (ms) and monthly
    /// cost, in the baseline (`None`: it is not in the baseline) and now (`None`: removed).
    pub baseline: Option<Figures>,
    /// The same now.
    pub current: Option<Figures>,
}

/// A component's figures a comparison shows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figures {
    /// Requests per second reaching it, each counted once
    /// ([`ComponentReport::requests_rps`]).
    pub arrival_rps: f64,
    /// Busy share of its servers (`None`: it has none, as a client or a region).
    pub utilization: Option<f64>,
    /// Mean time there, ms (`None`: unbounded).
    pub mean_response_ms: Option<f64>,
    /// Dollars a month.
    pub monthly_cost_usd: f64,
}

impl Figures {
    fn of(c: &ComponentReport) -> Figures {
        Figures {
            arrival_rps: c.requests_rps(),
            utilization: c.capacity_rps.map(|_| c.utilization),
            mean_response_ms: c.mean_response_ms,
            monthly_cost_usd: c.monthly_cost_usd,
        }
    }

    fn same(&self, other: &Figures) -> bool {
        same(Some(self.arrival_rps), Some(other.arrival_rps))
            && same(self.utilization, other.utilization)
            && same(self.mean_response_ms, other.mean_response_ms)
            && same(Some(self.monthly_cost_usd), Some(other.monthly_cost_usd))
    }
}

/// The baseline and the current design compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Versus {
    /// Every headline figure, in [`Figure::ALL`]'s order.
    pub headline: Vec<FigureDelta>,
    /// The components added, removed, or whose figures moved, in id order.
    pub components: Vec<ComponentDelta>,
    /// The edits from the baseline to the current design, in words.
    pub changes: Vec<String>,
    /// The bottleneck in each.
    pub bottleneck: (Option<String>, Option<String>),
    /// Background messages per second never processed, in the baseline and now, when
    /// either loses some: not requests (their producers were answered at enqueue), so
    /// apart from the drops, and more is worse.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messages: Option<[f64; 2]>,
    /// Single points of failure the current design has and the baseline had not (`new`),
    /// and the other way round (`gone`), by id; empty when neither report holds its
    /// failure analysis ([`analyze_with_failures`](super::analyze_with_failures)).
    pub spofs: SpofChanges,
}

/// Single points of failure gained and lost, by id, in id order.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SpofChanges {
    /// In the current design only.
    pub new: Vec<String>,
    /// In the baseline only.
    pub gone: Vec<String>,
}

/// Compares the current design (`current`, solved as `now`) with the baseline (`base`,
/// solved as `before`).
pub fn versus(base: &Scenario, before: &Report, current: &Scenario, now: &Report) -> Versus {
    // Whether a share of the traffic served before is lost now, as far as a view raises it.
    let served = |r: &Report| {
        if r.offered_rps > 0.0 {
            r.throughput_rps / r.offered_rps
        } else {
            1.0
        }
    };
    let fewer = noticeable((served(before) - served(now)) * now.offered_rps);
    let headline = Figure::ALL
        .into_iter()
        .map(|figure| {
            let (a, b) = (figure.of(before), figure.of(now));
            let absent = [figure.absent(before), figure.absent(now)];
            let verdict = match verdict(figure, a, b, absent) {
                Verdict::Better if fewer && figure.is_latency() => Verdict::FewerServed,
                v => v,
            };
            FigureDelta {
                figure,
                baseline: a,
                current: b,
                difference: a.zip(b).map(|(a, b)| b - a),
                verdict,
                absent,
            }
        })
        .collect();
    let mut ids: Vec<&String> = before
        .components
        .keys()
        .chain(now.components.keys())
        .collect();
    crate::sort::ascending(&mut ids);
    ids.dedup();
    let components = ids
        .into_iter()
        .filter_map(|id| {
            let a = before.components.get(id).map(Figures::of);
            let b = now.components.get(id).map(Figures::of);
            let moved = match (&a, &b) {
                (Some(a), Some(b)) => !a.same(b),
                _ => true,
            };
            moved.then(|| ComponentDelta {
                id: id.clone(),
                baseline: a,
                current: b,
            })
        })
        .collect();
    Versus {
        headline,
        components,
        changes: changes(base, current)
            .iter()
            .map(ToString::to_string)
            .collect(),
        bottleneck: (before.bottleneck.clone(), now.bottleneck.clone()),
        messages: Some([
            before.background_dropped_rps(),
            now.background_dropped_rps(),
        ])
        .filter(|m| m.iter().any(|&x| noticeable(x))),
        spofs: SpofChanges {
            new: only_in(&now.spofs, &before.spofs),
            gone: only_in(&before.spofs, &now.spofs),
        },
    }
}

/// The ids of `a` not in `b`, in id order.
fn only_in(a: &[String], b: &[String]) -> Vec<String> {
    let mut out: Vec<String> = a.iter().filter(|id| !b.contains(id)).cloned().collect();
    crate::sort::ascending(&mut out);
    out
}

/// Whether `b` (now) is better than `a` (the baseline) on `figure`; `None` is unbounded,
/// or when `absent` says so, none: no headroom is the least, no time served the worst.
fn verdict(figure: Figure, a: Option<f64>, b: Option<f64>, absent: [bool; 2]) -> Verdict {
    if same(a, b) {
        return Verdict::Same;
    }
    let none = if figure == Figure::Headroom {
        0.0
    } else {
        f64::INFINITY
    };
    let value =
        |x: Option<f64>, absent: bool| x.unwrap_or(if absent { none } else { f64::INFINITY });
    let (a, b) = (value(a, absent[0]), value(b, absent[1]));
    if (b > a) == figure.higher_is_better() {
        Verdict::Better
    } else {
        Verdict::Worse
    }
}

/// Equal to within a relative 10⁻⁹ (both unbounded counts as equal).
fn same(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12),
        (None, None) => true,
        _ => false,
    }
}
