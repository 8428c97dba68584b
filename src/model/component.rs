//! The boxes and arrows of a design: components with their parameters, and links.

use super::problem::check_number;
use super::{Breaker, Class, HealthCheck, Kind, ParamDefault, ParamValue};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Largest canvas coordinate accepted.
pub const MAX_COORD: f64 = 1e7;

/// What is wrong with a coordinate of a component's position, if anything.
pub(crate) fn check_position(v: f64) -> Option<String> {
    check_number(v, -MAX_COORD, MAX_COORD, "the position")
}

/// One box on the canvas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// Stable id, unique in the scenario; links refer to it.
    pub id: String,
    /// What the component is.
    pub kind: Kind,
    /// Name shown on the canvas.
    #[serde(default)]
    pub label: String,
    /// Canvas position (centre), in canvas units.
    #[serde(default)]
    pub x: f64,
    /// Canvas position (centre), in canvas units.
    #[serde(default)]
    pub y: f64,
    /// Parameters that differ from the kind's defaults.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, ParamValue>,
}

impl Component {
    /// A component of `kind` with default parameters.
    pub fn new(
        id: impl Into<String>,
        kind: Kind,
        label: impl Into<String>,
        x: f64,
        y: f64,
    ) -> Self {
        Component {
            id: id.into(),
            kind,
            label: label.into(),
            x,
            y,
            params: BTreeMap::new(),
        }
    }

    /// Sets a numeric parameter (builder style, for presets and tests).
    pub fn with(mut self, key: &str, value: f64) -> Self {
        self.params
            .insert(key.to_owned(), ParamValue::Number(value));
        self
    }

    /// Sets a choice parameter (builder style).
    pub fn with_choice(mut self, key: &str, value: &str) -> Self {
        self.params
            .insert(key.to_owned(), ParamValue::Text(value.to_owned()));
        self
    }

    /// A numeric parameter, or its default. Only meaningful on a validated scenario, where
    /// every present value is in range; an unknown key gives 0.
    pub fn num(&self, key: &str) -> f64 {
        match self.params.get(key) {
            Some(ParamValue::Number(v)) => *v,
            _ => self
                .kind
                .param(key)
                .and_then(|s| s.default_number(self.kind))
                .unwrap_or(0.0),
        }
    }

    /// A numeric parameter that may be unset (no default), such as a queue limit.
    pub fn opt_num(&self, key: &str) -> Option<f64> {
        match self.params.get(key) {
            Some(ParamValue::Number(v)) => Some(*v),
            _ => match self.kind.param(key)?.default {
                ParamDefault::Unset(_) => None,
                _ => Some(self.num(key)),
            },
        }
    }

    /// A choice parameter, or its default.
    pub fn choice(&self, key: &str) -> &str {
        match self.params.get(key) {
            Some(ParamValue::Text(v)) => v,
            _ => match self.kind.param(key).map(|s| s.default) {
                Some(ParamDefault::Choice(v)) => v,
                _ => "",
            },
        }
    }

    /// Whether it keeps a server while its synchronous calls are answered (`io: blocking`, a
    /// thread per request) rather than freeing it (an event loop).
    pub fn blocking(&self) -> bool {
        self.kind.param("io").is_some() && self.choice("io") == "blocking"
    }

    /// How this component checks its targets' health: as set on DNS and balancers; every
    /// other kind notices only a target that is down itself (a refused connection).
    pub fn health_check(&self) -> HealthCheck {
        match self.choice("health_check") {
            "deep" => HealthCheck::Deep,
            _ => HealthCheck::Shallow,
        }
    }

    /// The label, or the id when the label is empty.
    pub fn display_name(&self) -> &str {
        if self.label.is_empty() {
            &self.id
        } else {
            &self.label
        }
    }
}

/// One arrow: `from` sends requests to `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// Sending component id.
    pub from: String,
    /// Receiving component id.
    pub to: String,
    /// Relative share when the sender splits traffic (weighted balancing, GeoDNS); default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Classes this link carries; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<Class>,
    /// When set, the link is a synchronous call rather than a hand-off: every request passing
    /// through the sender also makes this many requests to the receiver and waits for them
    /// (for example a session lookup). Fractions mean "sometimes".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calls: Option<f64>,
    /// Call links only: the caller gives up on a call after this long (a call timeout), and
    /// the call counts as failed. Unset: it waits as long as the answer takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<f64>,
    /// Call links only: a circuit breaker on the caller's side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breaker: Option<Breaker>,
}

impl Link {
    /// A plain link carrying every class.
    pub fn new(from: impl Into<String>, to: impl Into<String>) -> Self {
        Link {
            from: from.into(),
            to: to.into(),
            weight: None,
            classes: Vec::new(),
            calls: None,
            timeout_ms: None,
            breaker: None,
        }
    }

    /// Restricts the link to some classes (builder style).
    pub fn only(mut self, classes: &[Class]) -> Self {
        self.classes = classes.to_vec();
        self
    }

    /// Sets the split weight (builder style).
    pub fn weighted(mut self, weight: f64) -> Self {
        self.weight = Some(weight);
        self
    }

    /// Makes the link a synchronous call (builder style).
    pub fn calling(mut self, calls: f64) -> Self {
        self.calls = Some(calls);
        self
    }

    /// Gives the call a timeout and a circuit breaker (builder style).
    pub fn guarded(mut self, timeout_ms: f64, breaker: Breaker) -> Self {
        self.timeout_ms = Some(timeout_ms);
        self.breaker = Some(breaker);
        self
    }

    /// The classes it carries, in words ("static", "read + write"), or `None` when it
    /// carries every class.
    pub fn classes_label(&self) -> Option<String> {
        let carried: Vec<&str> = Class::ALL
            .into_iter()
            .filter(|&c| self.carries(c))
            .map(Class::key)
            .collect();
        (carried.len() < Class::ALL.len()).then(|| carried.join(" + "))
    }

    /// Whether the link, from `from` to `to`, carries a primary's writes to a replica: a
    /// hand-off from a database to a read replica (a call link is a read the primary
    /// sends, not replication). These are the replicas whose lag is reported and that the
    /// primary can fail over to, in the solve and in the simulator alike.
    pub fn replicates(&self, from: &Component, to: &Component) -> bool {
        self.calls.is_none() && from.kind.is_primary() && to.kind == Kind::ReadReplica
    }

    /// Whether the link carries `class`.
    pub fn carries(&self, class: Class) -> bool {
        self.classes.is_empty() || self.classes.contains(&class)
    }

    /// The split weight (default 1).
    pub fn weight(&self) -> f64 {
        self.weight.unwrap_or(1.0)
    }
}
