//! Component kinds and the table of their parameters.
//!
//! This table is the one place that says which parameters a kind has, with their units,
//! defaults and valid ranges. The validator, the solver and the inspector all read it, so a
//! parameter can never be valid in one place and unknown in another.

use super::geo::{LOCATION_CHOICES, NOWHERE};
use super::text::{quote, show};
use super::Class;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::OnceLock;

/// What a component is. The kind decides how requests flow through it (see `MODEL.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Where requests come from: users' browsers or apps.
    Client,
    /// Name resolution, optionally geo-aware (GeoDNS).
    Dns,
    /// Content delivery network: serves static content from the edge.
    Cdn,
    /// Spreads requests over its targets.
    LoadBalancer,
    /// Single entry point for services (routing, auth, rate limits).
    ApiGateway,
    /// A pool of application servers.
    AppServer,
    /// An in-memory cache (cache-aside): hits answer, misses continue.
    Cache,
    /// Shared session storage for a stateless web tier.
    SessionStore,
    /// The database primary: takes writes, replicates them.
    Database,
    /// A read-only copy of the primary.
    ReadReplica,
    /// A database split into shards by key.
    ShardGroup,
    /// A message queue: producers return once a message is enqueued.
    Queue,
    /// A pool of consumers draining a queue.
    Worker,
    /// Blob storage for files and static assets.
    ObjectStorage,
    /// A region or data centre: its network distance and its outage.
    Region,
    /// Logging, metrics and alerts: no request passes through it, but it costs money and
    /// the journey's last stage adds it.
    Monitoring,
}

impl Kind {
    /// Every kind, in palette order (the order of the journey from one server to millions).
    pub const ALL: [Kind; 16] = [
        Kind::Client,
        Kind::Dns,
        Kind::Cdn,
        Kind::LoadBalancer,
        Kind::ApiGateway,
        Kind::AppServer,
        Kind::Cache,
        Kind::SessionStore,
        Kind::Database,
        Kind::ReadReplica,
        Kind::ShardGroup,
        Kind::Queue,
        Kind::Worker,
        Kind::ObjectStorage,
        Kind::Region,
        Kind::Monitoring,
    ];

    /// The identifier used in scenario files (`"load_balancer"`).
    pub fn key(self) -> &'static str {
        match self {
            Kind::Client => "client",
            Kind::Dns => "dns",
            Kind::Cdn => "cdn",
            Kind::LoadBalancer => "load_balancer",
            Kind::ApiGateway => "api_gateway",
            Kind::AppServer => "app_server",
            Kind::Cache => "cache",
            Kind::SessionStore => "session_store",
            Kind::Database => "database",
            Kind::ReadReplica => "read_replica",
            Kind::ShardGroup => "shard_group",
            Kind::Queue => "queue",
            Kind::Worker => "worker",
            Kind::ObjectStorage => "object_storage",
            Kind::Region => "region",
            Kind::Monitoring => "monitoring",
        }
    }

    /// Parses a scenario-file identifier.
    pub fn from_key(key: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// A human name for palettes and messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Client => "Client",
            Kind::Dns => "DNS / GeoDNS",
            Kind::Cdn => "CDN",
            Kind::LoadBalancer => "Load balancer",
            Kind::ApiGateway => "API gateway",
            Kind::AppServer => "App servers",
            Kind::Cache => "Cache",
            Kind::SessionStore => "Session store",
            Kind::Database => "DB primary",
            Kind::ReadReplica => "Read replica",
            Kind::ShardGroup => "Shards",
            Kind::Queue => "Message queue",
            Kind::Worker => "Workers",
            Kind::ObjectStorage => "Object storage",
            Kind::Region => "Region",
            Kind::Monitoring => "Monitoring",
        }
    }

    /// Whether read replicas linked from it copy its writes: a database, or a shard group
    /// (each replica then holds every shard, as a set of per-shard replicas would together).
    pub fn is_primary(self) -> bool {
        matches!(self, Kind::Database | Kind::ShardGroup)
    }

    /// Whether the kind holds no answers of its own beyond its hits: a load balancer, DNS,
    /// an API gateway or a region answers nothing, a cache or a CDN only what it holds. What
    /// such a component would hand on and has no link for is lost there, not answered (a
    /// cache whose database was deleted must not look faster; MODEL.md section 2).
    pub fn relays(self) -> bool {
        matches!(
            self,
            Kind::Dns
                | Kind::Cdn
                | Kind::LoadBalancer
                | Kind::ApiGateway
                | Kind::Cache
                | Kind::Region
        )
    }

    /// Whether the kind is a queueing station (has servers, a service time and a capacity).
    pub fn is_station(self) -> bool {
        !matches!(self, Kind::Client | Kind::Region | Kind::Monitoring)
    }

    /// Whether this kind can serve requests of `class` that reach it over a link: object
    /// storage holds files (static requests only); a read replica answers reads (writes
    /// reach it by replication from its primary, not over links). Everything else either
    /// serves a class or passes it on.
    pub fn serves(self, class: Class) -> bool {
        match self {
            Kind::ObjectStorage => class == Class::Static,
            Kind::ReadReplica => class == Class::Read,
            _ => true,
        }
    }

    /// The classes a new link into this kind carries by default: only what it can serve
    /// (empty means every class).
    pub fn default_link_classes(self) -> Vec<Class> {
        match self {
            Kind::Cdn | Kind::ObjectStorage => vec![Class::Static],
            Kind::ReadReplica => vec![Class::Read],
            _ => Vec::new(),
        }
    }

    /// Whether other components may send requests to this kind (a client only sends).
    pub fn accepts_input(self) -> bool {
        !matches!(self, Kind::Client | Kind::Monitoring)
    }

    /// Whether the kind may send requests to others (monitoring only watches).
    pub fn sends(self) -> bool {
        self != Kind::Monitoring
    }

    /// The parameters this kind has, common station parameters first.
    pub fn params(self) -> Vec<&'static ParamSpec> {
        self.param_specs().collect()
    }

    /// The parameters in the inspector's sections: the kind's own (untitled), then each
    /// optional mechanism under its title.
    pub fn param_sections(self) -> [(&'static str, &'static [ParamSpec]); 6] {
        let station: &'static [ParamSpec] = if self.is_station() { &STATION } else { &[] };
        let place: &'static [ParamSpec] = if self.sends() { &PLACE } else { &[] };
        [
            ("", station),
            ("", self.own_params()),
            ("", self.caller_params()),
            ("Rate limit", self.rate_limit_params()),
            ("Autoscaling", self.autoscale_params()),
            ("Where", place),
        ]
    }

    /// How the kind's servers wait on their synchronous calls, for the kinds whose work is
    /// calling others: app servers, workers and API gateways.
    pub fn caller_params(self) -> &'static [ParamSpec] {
        match self {
            Kind::AppServer | Kind::Worker | Kind::ApiGateway => &CALLER,
            _ => &[],
        }
    }

    /// The token bucket's parameters, for the kinds that sit at an entrance and can say
    /// "too many requests": load balancers and API gateways.
    pub fn rate_limit_params(self) -> &'static [ParamSpec] {
        match self {
            Kind::LoadBalancer | Kind::ApiGateway => &RATE_LIMIT,
            _ => &[],
        }
    }

    /// The autoscaling policy's parameters, for the kinds that [autoscale](Self::autoscales).
    pub fn autoscale_params(self) -> &'static [ParamSpec] {
        if self.autoscales() {
            &AUTOSCALE
        } else {
            &[]
        }
    }

    /// Whether a pool of this kind can grow and shrink with its load: stateless servers and
    /// read-only copies. A primary, shards or a queue hold data that does not move by adding
    /// an instance, and routers and storage scale by themselves.
    pub fn autoscales(self) -> bool {
        matches!(
            self,
            Kind::AppServer | Kind::Worker | Kind::ApiGateway | Kind::Cache | Kind::ReadReplica
        )
    }

    /// The same without collecting them (looked up on every parameter read).
    fn param_specs(self) -> impl Iterator<Item = &'static ParamSpec> {
        self.param_sections()
            .into_iter()
            .flat_map(|(_, specs)| specs.iter())
    }

    /// Parameters only this kind has.
    fn own_params(self) -> &'static [ParamSpec] {
        match self {
            Kind::Client => &CLIENT,
            Kind::Dns => &DNS,
            Kind::Cdn => &CDN,
            Kind::LoadBalancer => &LOAD_BALANCER,
            Kind::Cache => &CACHE,
            Kind::Database => &DATABASE,
            Kind::ShardGroup => &SHARD_GROUP,
            Kind::Region => &REGION,
            Kind::ReadReplica => &READ_REPLICA,
            _ => &[],
        }
    }

    /// The specification of one parameter of this kind, if it has it.
    pub fn param(self, key: &str) -> Option<&'static ParamSpec> {
        type Specs = foldhash::HashMap<&'static str, &'static ParamSpec>;
        static INDEX: OnceLock<Vec<Specs>> = OnceLock::new();
        // Indexed once (by kind, in declaration order): every unset parameter a solve reads
        // finds its default here, and scanning the kind's list by name was a sixteenth of a
        // large design's solve.
        let index = INDEX.get_or_init(|| {
            let size = Kind::ALL.iter().map(|&k| k as usize + 1).max().unwrap_or(0);
            let mut index = vec![Specs::default(); size];
            for k in Kind::ALL {
                index[k as usize].extend(k.param_specs().map(|p| (p.key, p)));
            }
            index
        });
        index.get(self as usize)?.get(key).copied()
    }

    /// Default for a numeric station parameter, tuned per kind so that a freshly dropped
    /// component behaves like a typical one of its sort (documented in `MODEL.md`).
    pub(crate) fn station_default(self, key: &str) -> Option<f64> {
        // (instances, concurrency, service_time_ms, availability)
        let (instances, concurrency, service, availability) = match self {
            Kind::Dns => (1.0, 10_000.0, 30.0, 0.9999),
            Kind::Cdn => (1.0, 100_000.0, 5.0, 0.9999),
            Kind::LoadBalancer => (1.0, 10_000.0, 0.5, 0.9995),
            Kind::ApiGateway => (1.0, 1_000.0, 2.0, 0.9995),
            Kind::AppServer => (1.0, 8.0, 50.0, 0.999),
            Kind::Cache => (1.0, 4.0, 0.5, 0.999),
            Kind::SessionStore => (1.0, 4.0, 0.5, 0.999),
            Kind::Database => (1.0, 16.0, 5.0, 0.999),
            Kind::ReadReplica => (1.0, 16.0, 5.0, 0.999),
            Kind::ShardGroup => (1.0, 16.0, 5.0, 0.999),
            Kind::Queue => (1.0, 64.0, 1.0, 0.9995),
            Kind::Worker => (1.0, 4.0, 100.0, 0.999),
            Kind::ObjectStorage => (1.0, 10_000.0, 20.0, 0.9999),
            Kind::Client | Kind::Region | Kind::Monitoring => return None,
        };
        match key {
            "instances" => Some(instances),
            "concurrency" => Some(concurrency),
            "service_time_ms" => Some(service),
            "availability" => Some(availability),
            _ => None,
        }
    }

    /// Example monthly price of one instance in US dollars. These are the figures of the
    /// "million users" source text's AWS bill (ELB $20, t3.medium ~$100, ElastiCache $50,
    /// RDS $150, CloudFront $100, S3 $50), used as editable examples, not quotes.
    pub fn default_price(self) -> f64 {
        match self {
            Kind::Client | Kind::Region => 0.0,
            Kind::Dns => 1.0,
            Kind::Cdn => 100.0,
            Kind::LoadBalancer => 20.0,
            Kind::ApiGateway => 35.0,
            Kind::AppServer | Kind::Worker => 100.0,
            Kind::Cache | Kind::SessionStore => 50.0,
            Kind::Database | Kind::ReadReplica | Kind::ShardGroup => 150.0,
            Kind::Queue => 40.0,
            Kind::ObjectStorage => 50.0,
            Kind::Monitoring => 30.0,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
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

/// The type and range of one parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamType {
    /// A number in `[min, max]`; `integer` asks for a whole number.
    Number {
        /// Smallest valid value.
        min: f64,
        /// Largest valid value.
        max: f64,
        /// Whether only whole numbers are valid.
        integer: bool,
    },
    /// One of a fixed list of words.
    Choice(&'static [&'static str]),
}

/// The default value of a parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamDefault {
    /// The same number for every kind that has the parameter.
    Number(f64),
    /// A word from the parameter's choices.
    Choice(&'static str),
    /// Depends on the kind (see [`Kind::station_default`]).
    PerKind,
    /// No value: the parameter is off; the words say what "off" means to a person ("no
    /// limit" for a queue limit, "fixed pool" for autoscaling).
    Unset(&'static str),
}

/// One parameter: its key in scenario files, what it means, its unit, range and default.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    /// Key in the scenario's `params` object.
    pub key: &'static str,
    /// Short label for the inspector.
    pub label: &'static str,
    /// Unit shown beside the value (empty when unitless).
    pub unit: &'static str,
    /// One sentence on what the parameter does.
    pub help: &'static str,
    /// Type and valid range.
    pub ty: ParamType,
    /// Default when the scenario leaves it out.
    pub default: ParamDefault,
}

impl ParamSpec {
    /// A choice's value as people read it: a place's name for a location, otherwise the
    /// key with spaces for underscores.
    pub fn choice_text(&self, value: &str) -> String {
        match super::Location::from_key(value) {
            Some(place) if self.key == PLACE[0].key => place.name().to_owned(),
            _ => value.replace('_', " "),
        }
    }

    /// The numeric default of this parameter on a component of `kind` (`None` for choices
    /// and unset parameters).
    pub fn default_number(&self, kind: Kind) -> Option<f64> {
        match self.default {
            ParamDefault::Number(v) => Some(v),
            ParamDefault::PerKind => kind.station_default(self.key),
            ParamDefault::Choice(_) | ParamDefault::Unset(_) => None,
        }
    }

    /// Checks a value against the parameter's type and range. This is the one validity rule
    /// for parameters: validation, the editor's reducer and the inspector all call it, so a
    /// value is refused everywhere with the same message.
    ///
    /// # Errors
    /// What is wrong with the value, naming the parameter by its label.
    pub fn check(&self, value: &ParamValue) -> Result<(), ParamError> {
        let label = self.label;
        match (self.ty, value) {
            (ParamType::Number { min, max, integer }, ParamValue::Number(v)) => {
                let v = *v;
                if !v.is_finite() {
                    Err(ParamError::NotFinite { label })
                } else if v < min || v > max {
                    Err(ParamError::OutOfRange {
                        label,
                        min,
                        max,
                        value: v,
                    })
                } else if integer && v.fract() != 0.0 {
                    Err(ParamError::NotWhole { label, value: v })
                } else {
                    Ok(())
                }
            }
            (ParamType::Number { .. }, ParamValue::Text(text)) => Err(ParamError::NotANumber {
                label,
                text: quote(text),
            }),
            (ParamType::Choice(options), ParamValue::Text(text)) => {
                if options.contains(&text.as_str()) {
                    Ok(())
                } else {
                    Err(ParamError::NotAChoice {
                        text: quote(text),
                        options,
                    })
                }
            }
            (ParamType::Choice(options), ParamValue::Number(v)) => {
                Err(ParamError::NumberForChoice { options, value: *v })
            }
        }
    }

    /// Reads what a person typed into the parameter's field: empty text means "back to the
    /// default" (`None`); numbers may use `_` as a thousands separator.
    ///
    /// # Errors
    /// Text that is not a valid value, with the same message as [`ParamSpec::check`].
    pub fn parse(&self, text: &str) -> Result<Option<ParamValue>, ParamError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let value = match self.ty {
            ParamType::Number { .. } => match text.replace('_', "").parse::<f64>() {
                Ok(v) => ParamValue::Number(v),
                Err(_) => ParamValue::Text(text.to_owned()),
            },
            ParamType::Choice(_) => ParamValue::Text(text.to_owned()),
        };
        self.check(&value).map(|()| Some(value))
    }
}

/// Why a parameter value is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParamError {
    /// Infinite or NaN.
    #[error("{label} must be a finite number")]
    NotFinite {
        /// The parameter's label.
        label: &'static str,
    },
    /// Outside the parameter's range.
    #[error("{label} must be between {} and {}, got {}", show(*.min), show(*.max), show(*.value))]
    OutOfRange {
        /// The parameter's label.
        label: &'static str,
        /// Smallest valid value.
        min: f64,
        /// Largest valid value.
        max: f64,
        /// The value given.
        value: f64,
    },
    /// A fraction where a whole number is needed.
    #[error("{label} must be a whole number, got {value}")]
    NotWhole {
        /// The parameter's label.
        label: &'static str,
        /// The value given.
        value: f64,
    },
    /// Text where a number is needed.
    #[error("{label} must be a number, got \"{text}\"")]
    NotANumber {
        /// The parameter's label.
        label: &'static str,
        /// The text given (shortened).
        text: String,
    },
    /// A word that is not one of the choices.
    #[error("\"{text}\" is not one of: {}", options.join(", "))]
    NotAChoice {
        /// The text given (shortened).
        text: String,
        /// The valid choices.
        options: &'static [&'static str],
    },
    /// A number where one of the choices is needed.
    #[error("must be one of {}, got the number {value}", options.join(", "))]
    NumberForChoice {
        /// The valid choices.
        options: &'static [&'static str],
        /// The value given.
        value: f64,
    },
}

const fn number(
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    help: &'static str,
    range: (f64, f64, bool),
    default: ParamDefault,
) -> ParamSpec {
    ParamSpec {
        key,
        label,
        unit,
        help,
        ty: ParamType::Number {
            min: range.0,
            max: range.1,
            integer: range.2,
        },
        default,
    }
}

const fn choice(
    key: &'static str,
    label: &'static str,
    help: &'static str,
    options: &'static [&'static str],
) -> ParamSpec {
    ParamSpec {
        key,
        label,
        unit: "",
        help,
        ty: ParamType::Choice(options),
        default: ParamDefault::Choice(options[0]),
    }
}

/// Largest instance count, shard count or concurrency a scenario may ask for.
pub const MAX_COUNT: f64 = 100_000.0;
/// Largest waiting room per instance. Bounded so that evaluating a finite queue stays cheap.
pub const MAX_WAITING: u32 = 10_000;

static STATION: [ParamSpec; 7] = [
    number(
        "instances",
        "Instances",
        "",
        "Identical servers (nodes) in this component.",
        (1.0, MAX_COUNT, true),
        ParamDefault::PerKind,
    ),
    number(
        "concurrency",
        "Concurrency",
        "per instance",
        "Requests one instance works on at the same time (threads, workers, connections).",
        (1.0, MAX_COUNT, true),
        ParamDefault::PerKind,
    ),
    number(
        "service_time_ms",
        "Service time",
        "ms",
        "Mean time one request keeps a server busy, without queueing.",
        (0.001, 3_600_000.0, false),
        ParamDefault::PerKind,
    ),
    number(
        "service_cv",
        "Service variability",
        "CV",
        "Coefficient of variation of the service time: 1 exponential, 0 constant, >1 bursty \
         (simulated as log-normal).",
        (0.0, 10.0, false),
        ParamDefault::Number(1.0),
    ),
    number(
        "queue_capacity",
        "Queue limit",
        "requests",
        "Requests that may wait per instance before new ones are refused; unset means no \
         limit, 0 means none may wait (a loss system).",
        (0.0, MAX_WAITING as f64, true),
        ParamDefault::Unset("no limit"),
    ),
    number(
        "max_wait_ms",
        "Shed after",
        "ms waiting",
        "Load shedding: a request that has waited this long for a server is answered at once \
         with an error instead of waiting on; unset means requests wait as long as it takes. \
         Not with a queue limit.",
        (0.0, 3_600_000.0, false),
        ParamDefault::Unset("no limit"),
    ),
    number(
        "availability",
        "Availability",
        "per instance",
        "Fraction of time one instance is up (0.999 = three nines).",
        (0.0, 1.0, false),
        ParamDefault::PerKind,
    ),
];

/// Whether a server is held while it waits on its calls (see MODEL.md, "Circuit breakers").
static CALLER: [ParamSpec; 1] = [choice(
    "io",
    "While calling",
    "async: a server is free while it waits on its synchronous calls (an event loop); \
     blocking: it is held until they answer (a thread per request), so a slow or hung \
     dependency ties up this pool. Only the simulator holds servers; the analytic engine \
     counts a server's own work.",
    &["async", "blocking"],
)];

/// A token bucket (see MODEL.md, "Rate limiting"): on when `rate_limit_rps` is set.
static RATE_LIMIT: [ParamSpec; 3] = [
    number(
        "rate_limit_rps",
        "Rate limit",
        "req/s",
        "Token bucket: requests per second let through in the long run; the rest are \
         rejected at once (HTTP 429). Unset means no limit.",
        (0.001, 1e9, false),
        ParamDefault::Unset("no limit"),
    ),
    number(
        "burst",
        "Burst",
        "requests",
        "Tokens the bucket holds: how many requests may pass at once after a quiet spell.",
        (1.0, 1e6, true),
        ParamDefault::Number(100.0),
    ),
    choice(
        "rate_limit_scope",
        "Limit per",
        "global: one bucket for all traffic; client: a bucket of this size for each client.",
        &["global", "client"],
    ),
];

/// Target tracking, as cloud autoscalers do it (see MODEL.md, "Autoscaling"). The policy is
/// on when `autoscale_max` is set. Times are shorter than a cloud's defaults (one-minute
/// metrics, five-minute cooldowns) so that a run of a few minutes shows a whole cycle.
static AUTOSCALE: [ParamSpec; 7] = [
    number(
        "autoscale_max",
        "Most instances",
        "instances",
        "Upper bound of the autoscaling policy; unset keeps the pool at its instance count. \
         With a policy, Instances is where a run starts.",
        (1.0, MAX_COUNT, true),
        ParamDefault::Unset("fixed pool"),
    ),
    number(
        "autoscale_min",
        "Fewest instances",
        "instances",
        "Lower bound of the autoscaling policy: it never scales in below this.",
        (1.0, MAX_COUNT, true),
        ParamDefault::Number(1.0),
    ),
    number(
        "target_utilization",
        "Target utilisation",
        "fraction",
        "The busy share the policy keeps its instances at: it runs \
         ceil(instances × utilisation / target) of them.",
        (0.01, 1.0, false),
        ParamDefault::Number(0.6),
    ),
    number(
        "metric_window_s",
        "Metric window",
        "s",
        "Utilisation is averaged over this much of the recent past before each decision.",
        (1.0, 3_600.0, false),
        ParamDefault::Number(10.0),
    ),
    number(
        "scale_out_cooldown_s",
        "Scale-out cooldown",
        "s",
        "Time after adding instances before the policy may add more.",
        (0.0, 86_400.0, false),
        ParamDefault::Number(15.0),
    ),
    number(
        "scale_in_cooldown_s",
        "Scale-in cooldown",
        "s",
        "Time after any change before the policy may remove instances.",
        (0.0, 86_400.0, false),
        ParamDefault::Number(60.0),
    ),
    number(
        "warmup_s",
        "Warm-up",
        "s",
        "Time from launching an instance to its first request (boot, health checks); it is \
         paid for from launch.",
        (0.0, 86_400.0, false),
        ParamDefault::Number(20.0),
    ),
];

static CLIENT: [ParamSpec; 2] = [
    number(
        "share",
        "Traffic share",
        "weight",
        "This client's share of the scenario's traffic, relative to the other clients.",
        (0.0, 1e9, false),
        ParamDefault::Number(1.0),
    ),
    number(
        "slo_p99_ms",
        "p99 objective",
        "ms",
        "The 99th-percentile response time these users should see; the report says whether \
         the users at this client's location get it.",
        (0.0, 3_600_000.0, false),
        ParamDefault::Unset("no objective"),
    ),
];

/// Where a component stands (users: where they are); see [`super::Location`].
static PLACE: [ParamSpec; 1] = [ParamSpec {
    key: "location",
    label: "Location",
    unit: "",
    help: "Where this stands on the map (for a client: where its users are). Requests pay \
           the measured round trip between places. none: not on the map; a component \
           without a location is where all its senders are.",
    ty: ParamType::Choice(&LOCATION_CHOICES),
    default: ParamDefault::Choice(NOWHERE),
}];

static DNS: [ParamSpec; 3] = [
    number(
        "lookup_share",
        "Uncached lookups",
        "fraction",
        "Share of requests that need a fresh DNS lookup; the rest use a browser or OS cache.",
        (0.0, 1.0, false),
        ParamDefault::Number(0.05),
    ),
    HEALTH_CHECK,
    choice(
        "routing",
        "Routing",
        "weighted: by link weights; latency: each user population to the nearest live \
         target (the targets need locations), the next nearest when it fails.",
        &["weighted", "latency"],
    ),
];

/// What a DNS or balancer health check sees; see [`HealthCheck`].
const HEALTH_CHECK: ParamSpec = choice(
    "health_check",
    "Health check",
    "deep: a target is taken out when it or anything it needs cannot serve; shallow: only \
     when the target itself is down.",
    &["deep", "shallow"],
);

/// How a router (DNS, load balancer) decides a target is healthy. Every engine and view
/// reads it from here: routing under failures, the simulator, SPOFs, N−1 and availability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HealthCheck {
    /// The check asks the target whether it can serve (a readiness endpoint that checks its
    /// own dependencies): traffic moves to targets that can serve it.
    Deep,
    /// The check sees only whether the target answers: a target that is up but cannot
    /// serve keeps receiving its share, which then fails.
    Shallow,
}

static CDN: [ParamSpec; 5] = [
    number(
        "hit_ratio",
        "Hit ratio",
        "fraction",
        "Share of static requests answered at the edge; misses go to the origin. Typed, it \
         overrides the hit ratio the workload model gives for the size, eviction and TTL below.",
        (0.0, 1.0, false),
        ParamDefault::Number(0.9),
    ),
    CAPACITY_KEYS,
    EVICTION,
    TTL,
    SINGLE_FLIGHT,
];

static LOAD_BALANCER: [ParamSpec; 3] = [
    choice(
        "algorithm",
        "Algorithm",
        "How requests are spread over the targets.",
        &["round_robin", "weighted", "least_connections", "ip_hash"],
    ),
    choice(
        "layer",
        "Layer",
        "L7 sees the request and can route by class (paths); L4 sees only connections.",
        &["l7", "l4"],
    ),
    HEALTH_CHECK,
];

static CACHE: [ParamSpec; 5] = [
    number(
        "hit_ratio",
        "Hit ratio",
        "fraction",
        "Share of reads answered from the cache; misses and writes continue downstream. \
         Typed, it overrides the hit ratio the workload model gives for the size, eviction \
         and TTL below.",
        (0.0, 1.0, false),
        ParamDefault::Number(0.8),
    ),
    CAPACITY_KEYS,
    EVICTION,
    TTL,
    SINGLE_FLIGHT,
];

/// How many keys a cache holds: set, with the traffic's key space, the hit ratio comes from
/// the workload (see MODEL.md, "Caches from the workload").
const CAPACITY_KEYS: ParamSpec = number(
    "capacity_keys",
    "Cache size",
    "keys",
    "Keys the cache holds at most. With the traffic's key space set, the hit ratio is \
     computed from the workload (popularity, size, eviction, TTL, writes) unless typed.",
    (1.0, 1e12, true),
    ParamDefault::Unset("typed hit ratio"),
);

/// What a full cache evicts.
const EVICTION: ParamSpec = choice(
    "eviction",
    "Eviction",
    "What a full cache drops: lru the least recently used key, lfu the least frequently \
     used, fifo the oldest, random any.",
    &["lru", "lfu", "fifo", "random"],
);

/// Request coalescing: the cure for a stampede.
const SINGLE_FLIGHT: ParamSpec = choice(
    "single_flight",
    "Coalesce misses",
    "on: concurrent misses for one key wait for a single fetch from the origin instead of \
     each fetching it (single flight), so a cold or lost cache does not stampede the \
     database. Simulated with the workload's keys.",
    &["off", "on"],
);

/// How long a cached copy lives.
const TTL: ParamSpec = number(
    "ttl_s",
    "Time to live",
    "s",
    "Seconds a cached copy lives after it was fetched; unset means until evicted or \
     invalidated by a write.",
    (0.001, 1e9, false),
    ParamDefault::Unset("no expiry"),
);

/// What a primary's writes cost the read replicas linked from it.
const REPLICATION_COST: ParamSpec = number(
    "replication_cost",
    "Replication cost",
    "× write",
    "Work a replica does to apply one replicated write, relative to the write itself.",
    (0.0, 100.0, false),
    ParamDefault::Number(1.0),
);

static DATABASE: [ParamSpec; 3] = [
    REPLICATION_COST,
    number(
        "failover_s",
        "Failover time",
        "s",
        "Detection plus promotion time when the primary fails and a replica takes over; unset \
         means no automatic failover.",
        (0.0, 86_400.0, false),
        ParamDefault::Unset("no failover"),
    ),
    number(
        "repair_h",
        "Repair time",
        "h",
        "Mean time to repair or replace a failed primary (sets how often failover happens).",
        (0.01, 10_000.0, false),
        ParamDefault::Number(1.0),
    ),
];

static SHARD_GROUP: [ParamSpec; 5] = [
    number(
        "shards",
        "Shards",
        "",
        "Number of shards the data is split into.",
        (1.0, 4096.0, true),
        ParamDefault::Number(4.0),
    ),
    choice(
        "strategy",
        "Strategy",
        "How keys map to shards.",
        &["hash", "range", "consistent"],
    ),
    number(
        "virtual_nodes",
        "Virtual nodes",
        "per shard",
        "Points per shard on the consistent-hashing ring; more points spread keys more evenly.",
        (1.0, 1000.0, true),
        ParamDefault::Number(100.0),
    ),
    number(
        "hot_key_share",
        "Hot key share",
        "fraction",
        "Share of requests that hit one hot key (a celebrity); they all land on one shard. \
         Left empty with a key space in the traffic, it is the hottest key's share of the \
         Zipf law.",
        (0.0, 1.0, false),
        ParamDefault::Number(0.0),
    ),
    REPLICATION_COST,
];

/// How a replica follows its primary (see MODEL.md, "Replication lag").
static READ_REPLICA: [ParamSpec; 3] = [
    choice(
        "replication",
        "Replication",
        "async: the primary answers a write at once and the replica applies it later (lag); \
         sync: the primary waits until the replica has applied it (no lag, slower writes, \
         and writes need the replica).",
        &["async", "sync"],
    ),
    number(
        "replication_delay_ms",
        "Replication delay",
        "ms",
        "Network time for a write to travel from the primary to this replica, before it \
         queues to be applied.",
        (0.0, 60_000.0, false),
        ParamDefault::Number(1.0),
    ),
    number(
        "read_your_writes_ms",
        "Read after write",
        "ms",
        "A read this long after a write: the inspector gives the share of such reads that \
         would see the data before the write (stale).",
        (0.0, 3_600_000.0, false),
        ParamDefault::Number(100.0),
    ),
];

static REGION: [ParamSpec; 2] = [
    number(
        "rtt_ms",
        "Network delay",
        "ms",
        "Round trip between the users and this region, added to every request. With \
         locations on the users and the region, the measured distance is paid as well and \
         this is only what comes on top.",
        (0.0, 10_000.0, false),
        ParamDefault::Number(0.0),
    ),
    number(
        "availability",
        "Availability",
        "",
        "Fraction of time the whole region is reachable.",
        (0.0, 1.0, false),
        ParamDefault::Number(0.9999),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_key(kind.key()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.key()));
        }
    }

    #[test]
    fn every_per_kind_default_exists() {
        for kind in Kind::ALL {
            for spec in kind.params() {
                if spec.default == ParamDefault::PerKind {
                    assert!(
                        kind.station_default(spec.key).is_some(),
                        "{kind} {}",
                        spec.key
                    );
                }
            }
        }
    }
}
