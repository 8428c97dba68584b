//! Which single change buys the most: every lever a design offers (one more instance, a
//! service time 10 % shorter, a hit ratio 5 points higher) applied alone and the design
//! re-solved, so each effect is the solver's own answer, not a derivative's guess.
//! Ranked for a goal (p99, availability or cost) on demand, from one sweep.

use super::analyze;
use super::hit_ratio;
use super::report::{noticeable, Report};
use crate::model::{Autoscale, Kind, Scenario};
use crate::sliced::Sliced;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One change to one component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// One more instance.
    AddInstance,
    /// One instance fewer (the cost goal's lever; see [`Goal::keeps`]).
    RemoveInstance,
    /// A service time 10 % shorter (a faster machine, a cheaper query).
    FasterService,
    /// A hit ratio 5 percentage points higher (a larger cache, a longer TTL).
    HigherHitRatio,
}

impl Change {
    /// Every change, in the order levers are tried.
    pub const ALL: [Change; 4] = [
        Change::AddInstance,
        Change::RemoveInstance,
        Change::FasterService,
        Change::HigherHitRatio,
    ];

    /// `c` of `s` with this change, or `None` when it does not apply to `c`'s kind (or
    /// cannot be taken further: a pool that autoscales, a hit ratio already at 100 %).
    fn apply(self, s: &Scenario, v: usize) -> Option<Scenario> {
        let c = &s.components[v];
        let mut out = s.clone();
        let changed = match self {
            Change::AddInstance => {
                if c.kind.param("instances").is_none() || Autoscale::of(c).is_some() {
                    return None;
                }
                c.clone()
                    .with("instances", c.num("instances").max(1.0) + 1.0)
            }
            Change::RemoveInstance => {
                let n = c.num("instances");
                if c.kind.param("instances").is_none() || Autoscale::of(c).is_some() || n < 2.0 {
                    return None;
                }
                c.clone().with("instances", n - 1.0)
            }
            Change::FasterService => {
                if !c.kind.is_station() || c.kind.param("service_time_ms").is_none() {
                    return None;
                }
                c.clone()
                    .with("service_time_ms", c.num("service_time_ms") * 0.9)
            }
            Change::HigherHitRatio => {
                let now = hit_ratio::effective(s, c)?.value;
                if now >= 1.0 {
                    return None;
                }
                c.clone().with("hit_ratio", (now + 0.05).min(1.0))
            }
        };
        out.components[v] = changed;
        Some(out)
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Change::AddInstance => "one more instance",
            Change::RemoveInstance => "one instance fewer",
            Change::FasterService => "service time −10 %",
            Change::HigherHitRatio => "hit ratio +5 points",
        })
    }
}

/// What a sensitivity ranking aims at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    /// A lower 99th percentile.
    P99,
    /// A higher availability.
    Availability,
    /// A lower monthly cost.
    Cost,
}

impl Goal {
    /// Every goal.
    pub const ALL: [Goal; 3] = [Goal::P99, Goal::Availability, Goal::Cost];

    /// How much better `after` is than `before` for this goal, in the goal's unit (ms,
    /// availability, dollars); an unbounded p99 made bounded is an infinite gain.
    pub fn gain(self, before: &Outcome, after: &Outcome) -> f64 {
        match self {
            Goal::P99 => match (before.p99_ms, after.p99_ms) {
                (Some(b), Some(a)) => b - a,
                (None, Some(_)) => f64::INFINITY,
                (Some(_), None) => f64::NEG_INFINITY,
                (None, None) => 0.0,
            },
            Goal::Availability => after.availability - before.availability,
            Goal::Cost => before.monthly_cost_usd - after.monthly_cost_usd,
        }
    }

    /// The least gain worth naming, in the goal's unit: below it a change is rounding
    /// (an availability 10⁻¹² better is not "+0.0000000001 points").
    fn negligible(self) -> f64 {
        match self {
            Goal::P99 => 1e-6,
            Goal::Availability => 1e-9,
            Goal::Cost => 0.005,
        }
    }

    /// Whether `after` keeps what the goal does not count: a saving that drops more
    /// requests (more than rounding, and a loss any view raises: [`noticeable`]), or leaves
    /// requests waiting without end, is no saving.
    fn keeps(self, before: &Outcome, after: &Outcome) -> bool {
        match self {
            Goal::Cost => {
                let more = after.dropped_rps > before.dropped_rps * (1.0 + 1e-9) + 1e-9;
                !(more && noticeable(after.dropped_rps))
                    && (after.p99_ms.is_some() || before.p99_ms.is_none())
            }
            Goal::P99 | Goal::Availability => true,
        }
    }
}

impl fmt::Display for Goal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Goal::P99 => "p99 latency",
            Goal::Availability => "availability",
            Goal::Cost => "monthly cost",
        })
    }
}

/// The figures a goal reads, for one design.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// 99th percentile, ms (`None`: unbounded).
    pub p99_ms: Option<f64>,
    /// Availability.
    pub availability: f64,
    /// Dollars a month.
    pub monthly_cost_usd: f64,
    /// Requests per second dropped.
    pub dropped_rps: f64,
}

impl Outcome {
    fn of(r: &Report) -> Outcome {
        Outcome {
            p99_ms: r.latency_ms.p99,
            availability: r.availability,
            monthly_cost_usd: r.monthly_cost_usd,
            dropped_rps: r.dropped_rps,
        }
    }
}

/// One change tried.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lever {
    /// The component changed.
    pub id: String,
    /// The change.
    pub change: Change,
    /// The design's figures after it.
    pub after: Outcome,
}

/// Every lever of a design and the design as it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sensitivity {
    /// The design as it is.
    pub base: Outcome,
    /// Each change that applies and solves, in component then change order.
    pub levers: Vec<Lever>,
}

impl Sensitivity {
    /// The levers that improve `goal` by more than rounding and keep what it does not
    /// count ([`Goal::keeps`]), best first, with their gains (ties: by id).
    pub fn ranked(&self, goal: Goal) -> Vec<(&Lever, f64)> {
        let mut out: Vec<(&Lever, f64)> = self
            .levers
            .iter()
            .filter(|l| goal.keeps(&self.base, &l.after))
            .map(|l| (l, goal.gain(&self.base, &l.after)))
            .filter(|(_, g)| *g > goal.negligible())
            .collect();
        crate::sort::by(&mut out, |a, b| {
            b.1.total_cmp(&a.1)
                .then(a.0.id.cmp(&b.0.id))
                .then((a.0.change as u8).cmp(&(b.0.change as u8)))
        });
        out
    }
}

/// The sensitivity of `s`: every lever tried (`None` when `s` does not solve).
pub fn sensitivity(s: &Scenario) -> Option<Sensitivity> {
    SensitivitySweep::new(s).run_to_end()
}

/// The sweep one re-solve at a time, for the page's sliced scheduling.
pub struct SensitivitySweep {
    s: Scenario,
    base: Option<Outcome>,
    /// (component, change) pairs still to try, last first.
    todo: Vec<(usize, Change)>,
    total: usize,
    levers: Vec<Lever>,
}

impl SensitivitySweep {
    /// The sweep of `s`; empty when `s` does not solve.
    pub fn new(s: &Scenario) -> SensitivitySweep {
        let base = analyze(s).ok().map(|r| Outcome::of(&r));
        let todo: Vec<(usize, Change)> = if base.is_some() {
            (0..s.components.len())
                .filter(|&v| s.components[v].kind != Kind::Client)
                .flat_map(|v| Change::ALL.into_iter().map(move |c| (v, c)))
                .rev()
                .collect()
        } else {
            Vec::new()
        };
        SensitivitySweep {
            s: s.clone(),
            base,
            total: todo.len(),
            todo,
            levers: Vec::new(),
        }
    }
}

impl Sliced for SensitivitySweep {
    type Output = Option<Sensitivity>;

    /// Tries the next lever (a single solve, or nothing when it does not apply).
    fn advance(&mut self) -> bool {
        if let Some((v, change)) = self.todo.pop() {
            if let Some(r) = change.apply(&self.s, v).and_then(|t| analyze(&t).ok()) {
                self.levers.push(Lever {
                    id: self.s.components[v].id.clone(),
                    change,
                    after: Outcome::of(&r),
                });
            }
        }
        self.todo.is_empty()
    }

    fn progress(&self) -> f64 {
        1.0 - self.todo.len() as f64 / self.total.max(1) as f64
    }

    fn finish(self) -> Option<Sensitivity> {
        Some(Sensitivity {
            base: self.base?,
            levers: self.levers,
        })
    }
}
