//! Where a number comes from: for each headline figure and each component's numbers, the
//! formula the solver used, its inputs with this design's values, the result, and whether
//! it is exact or an approximation and why. Everything here is read from the solver's own
//! intermediate values (the [`Solution`] the report was made of), never written per case.

use super::autoscale;
pub use super::explain_unit::Unit;
use super::report::Report;
use super::solution::Solution;
use super::versus::Figure;
use crate::model::{Problems, Scenario};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// A formula the solver applies, named as the literature names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Formula {
    /// M/M/c with an unlimited queue: Erlang C.
    ErlangC,
    /// M/M/c/K: a finite waiting room (Erlang B when it has no places).
    FiniteQueue,
    /// M/M/c+D: requests that would wait longer than a limit are shed.
    Shedding,
    /// Offered load at or beyond capacity: no steady state.
    Overloaded,
    /// No servers: a fixed delay (a region's network time) or none.
    FixedDelay,
    /// Busy share of the servers: served work over capacity.
    Utilisation,
    /// The traffic equations of a Jackson network: rates through every component.
    TrafficEquations,
    /// Mean end-to-end time as the sum of each component's time, weighted by its visits.
    MeanSum,
    /// A percentile by numerical inversion of the end-to-end Laplace transform.
    TransformInversion,
    /// Enough of n independent instances up: the binomial tail.
    KOfN,
    /// The probability that every class of request has a working path.
    AvailabilityStructure,
    /// Expected minutes down in a 30-day month.
    Downtime,
    /// Instances times their monthly price, summed.
    CostSum,
    /// How far traffic can grow before the first component saturates.
    Headroom,
    /// A closed population's queue: Mean Value Analysis with the arrival theorem.
    Mva,
}

impl Formula {
    /// The formula's name.
    pub fn name(self) -> &'static str {
        match self {
            Formula::ErlangC => "M/M/c queue (Erlang C)",
            Formula::FiniteQueue => "M/M/c/K queue (finite waiting room)",
            Formula::Shedding => "M/M/c+D queue (load shedding)",
            Formula::Overloaded => "Overloaded queue",
            Formula::FixedDelay => "Fixed delay",
            Formula::Utilisation => "Utilisation",
            Formula::TrafficEquations => "Jackson traffic equations",
            Formula::MeanSum => "Sum of the times along the paths",
            Formula::TransformInversion => "Laplace-transform inversion",
            Formula::KOfN => "k of n instances up (binomial)",
            Formula::AvailabilityStructure => "Availability of the paths",
            Formula::Downtime => "Downtime from availability",
            Formula::CostSum => "Sum of instance prices",
            Formula::Headroom => "Headroom of the bottleneck",
            Formula::Mva => "Mean Value Analysis (closed population)",
        }
    }

    /// The formula itself, in symbols.
    pub fn expression(self) -> &'static str {
        match self {
            Formula::ErlangC => {
                "T = C(c, a) · (1 + cs²)/2 / (cμ − λ) + 1/μ, with a = λ/μ and C Erlang's delay \
                 formula"
            }
            Formula::FiniteQueue => {
                "P(block) = π_{c+K}; T = E[wait | accepted] + 1/μ, from the birth–death chain \
                 of c servers and K places"
            }
            Formula::Shedding => {
                "P(shed) = q·e^{−θD}, θ = cμ − λ; T = P(wait)·E[wait | wait ≤ D] + 1/μ"
            }
            Formula::Overloaded => "λ ≥ cμ: the queue grows without bound, T = ∞",
            Formula::FixedDelay => "T = d",
            Formula::Utilisation => "U = λ_served / (n · c · μ)",
            Formula::TrafficEquations => {
                "λ_j = λ_0j + Σ_i λ_i · accept_i · p_ij; X = λ_offered · P(served)"
            }
            Formula::MeanSum => "E[T] = Σ_j V_j · T_j (V_j: visits per served request)",
            Formula::TransformInversion => {
                "P(T ≤ t) from T*(s) = Π of each hop's transform, inverted by Euler \
                 summation; t_p solves P(T ≤ t_p) = p"
            }
            Formula::KOfN => "A = Σ_{i=k}^{n} C(n, i) aⁱ (1 − a)^{n−i}",
            Formula::AvailabilityStructure => {
                "A = P(every class has a working path), over the components' up states"
            }
            Formula::Downtime => "downtime = (1 − A) · 43 200 min",
            Formula::CostSum => "cost = Σ instances · price per instance",
            Formula::Headroom => "headroom = 1 / max_j (λ_j / capacity_j)",
            Formula::Mva => {
                "R_k(n) = D_k/c · [1 + Q_k(n−1) + Σ_{j<c−1} (c−1−j) p_k(j | n−1)]; \
                 X(n) = n / (Z + Σ_k R_k(n)); Q_k(n) = X(n) R_k(n)"
            }
        }
    }

    /// Where it comes from.
    pub fn source(self) -> &'static str {
        match self {
            Formula::ErlangC => "Erlang 1917; Allen–Cunneen for cs² ≠ 1 (Allen 1990)",
            Formula::FiniteQueue => "Kleinrock 1975, §3.6",
            Formula::Shedding => "Baccelli & Hébuterne 1981",
            Formula::Overloaded => "Kleinrock 1975, §2.1",
            Formula::FixedDelay | Formula::CostSum | Formula::Downtime => "definition",
            Formula::Utilisation => "Little's law at the servers",
            Formula::TrafficEquations => "Jackson 1963",
            Formula::MeanSum => "Jackson 1963; linearity of expectation",
            Formula::TransformInversion => "Abate & Whitt 1995 (Euler algorithm)",
            Formula::KOfN => "binomial distribution of independent instances",
            Formula::AvailabilityStructure => "exact elimination, or sampling (MODEL.md §7)",
            Formula::Headroom => "Jackson flows are linear in the offered rate",
            Formula::Mva => {
                "Reiser & Lavenberg 1980 (exact, to 1 000 users or until its multi-server \
                 recursion fails); Bard–Schweitzer with the M/M/c idle-server term beyond"
            }
        }
    }
}

impl fmt::Display for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One input of a formula and its value in this design.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    /// Its symbol in the formula (λ, μ, c…).
    pub symbol: String,
    /// What it is, in words.
    pub meaning: String,
    /// Its value.
    pub value: f64,
    /// What it measures, which says how it is written.
    pub unit: Unit,
}

/// A component's number that an explanation is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    /// Mean time a served request spends at the component, ms.
    TimeHere,
    /// Busy share of its servers.
    Utilisation,
    /// Probability that enough of it is up.
    Availability,
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Quantity::TimeHere => "time here (ms)",
            Quantity::Utilisation => "utilisation",
            Quantity::Availability => "availability",
        })
    }
}

/// What is explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "of")]
pub enum Subject {
    /// A headline figure of the design.
    Figure {
        /// Which one.
        figure: Figure,
    },
    /// One of a component's numbers.
    Component {
        /// The component.
        id: String,
        /// Which number.
        quantity: Quantity,
    },
}

/// Where one number comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// What is explained.
    pub subject: Subject,
    /// The formula used.
    pub formula: Formula,
    /// Its inputs, with this design's values.
    pub inputs: Vec<Input>,
    /// The result, equal to the reported number (`None`: unbounded).
    pub result: Option<f64>,
    /// What the result measures.
    pub unit: Unit,
    /// Whether the result is exact for the model, rather than an approximation.
    pub exact: bool,
    /// Why it is exact, or what is approximated.
    pub why: String,
    /// The reasoning from inputs to result, in sentences (largest parts first).
    pub steps: Vec<String>,
}

/// Every explanation of a design.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explained {
    /// One per headline figure, in the results panel's order.
    pub figures: Vec<Explanation>,
    /// Per component id: its time here, utilisation and availability.
    pub components: BTreeMap<String, Vec<Explanation>>,
}

impl Explained {
    /// The explanation of a headline figure.
    pub fn figure(&self, figure: Figure) -> Option<&Explanation> {
        self.figures
            .iter()
            .find(|e| e.subject == Subject::Figure { figure })
    }

    /// The explanation of a component's number.
    pub fn component(&self, id: &str, quantity: Quantity) -> Option<&Explanation> {
        self.components.get(id)?.iter().find(
            |e| matches!(&e.subject, Subject::Component { quantity: q, .. } if *q == quantity),
        )
    }
}

/// Explains every number of `report`, the analytic report of `s`.
///
/// # Errors
/// As [`analyze`](super::analyze), when `s` cannot be solved.
pub fn explain(s: &Scenario, report: &Report) -> Result<Explained, Problems> {
    super::analyze::solved(s, |sol, settled, _| explained(sol, settled, report))
}

/// The explanations of a solution.
fn explained(sol: &Solution, settled: &autoscale::Settled, report: &Report) -> Explained {
    let demand_loads = sol.demand_loads(&settled.pools);
    let figures = super::explain_figures::all(sol, report, (&demand_loads, &settled.pools));
    let components = crate::sort::map(settled.scenario.components.iter().enumerate().map(
        |(v, c)| {
            (
                c.id.clone(),
                super::explain_station::component(sol, report, v),
            )
        },
    ));
    Explained {
        figures,
        components,
    }
}

/// An input.
pub(super) fn input(symbol: &str, meaning: &str, value: f64, unit: Unit) -> Input {
    Input {
        symbol: symbol.to_owned(),
        meaning: meaning.to_owned(),
        value,
        unit,
    }
}

impl Input {
    /// Its value written with its unit, as the card and the CLI write it.
    pub fn shown(&self) -> String {
        self.unit.show(Some(self.value))
    }
}
