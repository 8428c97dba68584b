//! The scenario: the public, versioned document that files and shared links carry.
//!
//! Ids are stable strings chosen by the author (never graph indices), positions are part of
//! the document so a link reproduces the drawing, and unknown fields are errors so that a typo
//! can never silently change a result.

mod kind;
mod simulation;
mod validate;

pub use kind::{Kind, ParamDefault, ParamSpec, ParamType, MAX_COUNT, MAX_WAITING};
pub use simulation::{Outage, Profile, Simulation, MAX_REQUESTS, MAX_SECONDS};
pub use validate::quote;
pub use validate::{Problem, Problems, MAX_COMPONENTS, MAX_LABEL_LEN, MAX_LINKS};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The scenario format version this build writes.
pub const VERSION: u32 = 2;

/// A whole design: its components, how they are wired, and the traffic offered to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version, for migrations of old shared links.
    pub version: u32,
    /// Title shown in the editor.
    #[serde(default)]
    pub name: String,
    /// The load offered at the clients.
    pub traffic: Traffic,
    /// The boxes of the diagram.
    #[serde(default)]
    pub components: Vec<Component>,
    /// The arrows of the diagram: who sends requests to whom.
    #[serde(default)]
    pub links: Vec<Link>,
    /// Monthly price per instance, by kind, overriding [`Kind::default_price`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub prices: BTreeMap<Kind, f64>,
    /// Components marked failed (what-if), by id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub failed: BTreeMap<String, Failure>,
    /// How a simulated run is set up (seed, traffic over time, failure timeline); absent
    /// means the defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulation: Option<Simulation>,
}

/// A what-if failure of one component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Failure {
    /// Instances lost; absent means the whole component is down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost: Option<u64>,
}

impl Failure {
    /// The whole component is down.
    pub const DOWN: Failure = Failure { lost: None };

    /// `n` instances are lost.
    pub fn lose(n: u64) -> Failure {
        Failure { lost: Some(n) }
    }
}

/// Request classes. Links may carry only some of them (an L7 balancer or an app server
/// sending reads to a replica and writes to the primary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Reads of dynamic data (cacheable, can go to replicas).
    Read,
    /// Writes (must reach the primary or the owning shard).
    Write,
    /// Static assets (images, scripts; served by a CDN or object storage).
    Static,
}

impl Class {
    /// All classes, in report order.
    pub const ALL: [Class; 3] = [Class::Read, Class::Write, Class::Static];

    /// Index into per-class arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Offered load, either as requests per second or derived from a user count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Traffic {
    /// Peak requests per second offered by all clients together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rps: Option<f64>,
    /// Alternative to `rps`: users and habits, converted to a peak rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<Users>,
    /// Share of reads.
    pub read: f64,
    /// Share of writes.
    pub write: f64,
    /// Share of static-asset requests.
    #[serde(rename = "static")]
    pub static_share: f64,
}

/// A user-count description of traffic: `peak rps = users × requests per user per day ÷
/// 86 400 × peak factor` (the day's average rate, raised to the busiest hour).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Users {
    /// Daily active users.
    pub daily_active: f64,
    /// Requests one user makes per day.
    pub requests_per_user_per_day: f64,
    /// Peak-hour rate divided by the day's average rate.
    pub peak_factor: f64,
}

/// Seconds in a day, for the user-count conversion.
pub const SECONDS_PER_DAY: f64 = 86_400.0;

impl Traffic {
    /// A rate in requests per second with the given read / write / static shares.
    pub fn rps(rps: f64, read: f64, write: f64, static_share: f64) -> Traffic {
        Traffic {
            rps: Some(rps),
            users: None,
            read,
            write,
            static_share,
        }
    }

    /// The peak request rate this traffic describes (0 when neither form is given).
    pub fn peak_rps(&self) -> f64 {
        match (&self.rps, &self.users) {
            (Some(rps), _) => *rps,
            (None, Some(u)) => {
                u.daily_active * u.requests_per_user_per_day / SECONDS_PER_DAY * u.peak_factor
            }
            (None, None) => 0.0,
        }
    }

    /// The class shares as an array indexed by [`Class::index`].
    pub fn shares(&self) -> [f64; 3] {
        [self.read, self.write, self.static_share]
    }
}

/// A parameter value: a number, or a word for choices such as an algorithm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// A numeric value.
    Number(f64),
    /// One of the parameter's choices.
    Text(String),
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
            _ => match self.kind.param(key).map(|s| s.default) {
                Some(ParamDefault::Number(v)) => v,
                Some(ParamDefault::PerKind) => self.kind.station_default(key).unwrap_or(0.0),
                _ => 0.0,
            },
        }
    }

    /// A numeric parameter that may be unset (no default), such as a queue limit.
    pub fn opt_num(&self, key: &str) -> Option<f64> {
        match self.params.get(key) {
            Some(ParamValue::Number(v)) => Some(*v),
            _ => match self.kind.param(key)?.default {
                ParamDefault::Unset => None,
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

    /// Whether the link carries `class`.
    pub fn carries(&self, class: Class) -> bool {
        self.classes.is_empty() || self.classes.contains(&class)
    }

    /// The split weight (default 1).
    pub fn weight(&self) -> f64 {
        self.weight.unwrap_or(1.0)
    }
}

impl Scenario {
    /// An empty scenario with the given traffic.
    pub fn new(name: impl Into<String>, traffic: Traffic) -> Self {
        Scenario {
            version: VERSION,
            name: name.into(),
            traffic,
            components: Vec::new(),
            links: Vec::new(),
            prices: BTreeMap::new(),
            failed: BTreeMap::new(),
            simulation: None,
        }
    }

    /// Each component's position in `components`, by id.
    pub fn indices(&self) -> std::collections::HashMap<&str, usize> {
        self.components
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect()
    }

    /// The component with this id.
    pub fn component(&self, id: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.id == id)
    }

    /// Monthly price of one instance of `kind`, from the scenario's table or the default.
    pub fn price(&self, kind: Kind) -> f64 {
        self.prices
            .get(&kind)
            .copied()
            .unwrap_or_else(|| kind.default_price())
    }

    /// Checks everything a solve relies on; returns every problem found, not just the first.
    pub fn validate(&self) -> Result<(), Problems> {
        validate::validate(self)
    }
}
