//! What can be wrong with a scenario, and where: a typed field, so that code filters
//! problems by variant (all traffic problems, one parameter's problem) instead of by the
//! text of a path.

use super::text::show;
use super::{BreakerField, Class, Kind};
use std::fmt;

/// One thing wrong with a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The component the problem is on, if any (for highlighting it).
    pub component: Option<String>,
    /// Where in the scenario, if one field is to blame.
    pub field: Option<Field>,
    /// What is wrong, in words a person can act on.
    pub message: String,
}

impl Problem {
    /// A problem with a field of the scenario as a whole.
    pub fn general(field: Field, message: String) -> Problem {
        Problem {
            component: None,
            field: Some(field),
            message,
        }
    }

    /// A problem on a component (`component` is shown as given: quote long ids first).
    pub fn on(component: &str, field: Option<Field>, message: String) -> Problem {
        Problem {
            component: Some(component.to_owned()),
            field,
            message,
        }
    }
}

impl Problem {
    /// The problem in words for a person rather than a file: the field by its label
    /// ("Requests per second must be …", not "traffic.rps: …"), after the component it is
    /// on. [`fmt::Display`] keeps the JSON path, which is what files and the CLI speak.
    pub fn for_people(&self) -> String {
        const SUBJECTLESS: [&str; 10] = [
            "needs ",
            "can ",
            "must ",
            "is ",
            "has ",
            "names ",
            "gives ",
            "starts ",
            "ends ",
            "connects ",
        ];
        let message = &self.message;
        let body = match &self.field {
            Some(field) if SUBJECTLESS.iter().any(|w| message.starts_with(w)) => {
                format!("{} {message}", field.label())
            }
            _ => capitalised(message),
        };
        match &self.component {
            Some(c) => format!("{c}: {body}"),
            None => body,
        }
    }
}

/// `text` with its first letter in capitals.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.component, &self.field) {
            (Some(c), Some(field)) => write!(f, "component \"{c}\", {field}: {}", self.message),
            (Some(c), None) => write!(f, "component \"{c}\": {}", self.message),
            (None, Some(field)) => write!(f, "{field}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

/// Every problem found in a scenario (never empty when returned as an error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    /// Every problem in words for a person, one per line.
    pub fn for_people(&self) -> Vec<String> {
        self.0.iter().map(Problem::for_people).collect()
    }

    /// The problems whose field satisfies `keep`.
    pub fn about(&self, keep: impl Fn(&Field) -> bool) -> Vec<&Problem> {
        self.0
            .iter()
            .filter(|p| p.field.as_ref().is_some_and(&keep))
            .collect()
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// Where in a scenario a problem lies. It prints as the JSON path of the field
/// (`traffic.rps`, `links[3].weight`), which is what files and the CLI speak.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// The format version.
    Version,
    /// The design's name.
    Name,
    /// Part of the traffic.
    Traffic(TrafficField),
    /// The component list as a whole (its length).
    Components,
    /// The id of the component at this position (used when the id itself is unusable).
    ComponentAt(usize),
    /// A component's id.
    Id,
    /// A component's label.
    Label,
    /// A component's horizontal position.
    X,
    /// A component's vertical position.
    Y,
    /// A component's parameter, by key (shortened when the key is unknown and long).
    Param(String),
    /// The what-if failure list, or a component's entry in it.
    Failed,
    /// The instances a what-if failure loses.
    FailedLost,
    /// The link list as a whole (its length).
    Links,
    /// The link at this position.
    Link(usize, LinkField),
    /// Part of the simulation settings.
    Simulation(SimField),
    /// The monthly price of a kind.
    Price(Kind),
    /// The scenario's last mile (`geography.access_ms`).
    Access,
    /// One of the scenario's corrected round trips (`geography.rtt_ms[i]`).
    Rtt(usize),
}

/// A part of the traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrafficField {
    /// The traffic as a whole (both forms given, or neither; shares not adding up).
    Whole,
    /// The request rate.
    Rps,
    /// The user-count form as a whole.
    Users,
    /// Daily active users.
    DailyActive,
    /// Requests one user makes per day.
    RequestsPerUserPerDay,
    /// Peak-hour factor.
    PeakFactor,
    /// Concurrent users of a closed population.
    UsersConcurrent,
    /// Their think time.
    ThinkTime,
    /// The share of one request class.
    Share(Class),
    /// The number of distinct keys.
    Keys,
    /// The popularity skew.
    ZipfS,
    /// The size of one object.
    ObjectKb,
}

/// A part of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkField {
    /// Its ends (a missing component, a link to itself, a kind that cannot take part).
    Ends,
    /// The split weight.
    Weight,
    /// Calls per request.
    Calls,
    /// The classes it carries.
    Classes,
    /// The call timeout.
    Timeout,
    /// One setting of the circuit breaker.
    Breaker(BreakerField),
}

/// A part of the simulation settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimField {
    /// Length of the run.
    Seconds,
    /// Warm-up left out of the statistics.
    WarmupS,
    /// Client timeout.
    TimeoutMs,
    /// Retries after a failed attempt.
    Retries,
    /// Wait before the first retry.
    BackoffMs,
    /// Retries allowed per 100 requests.
    RetryBudget,
    /// Health-check detection time.
    DetectionS,
    /// Independent replications of the run.
    Replications,
    /// A field of the traffic profile, by its key (`at_s`, `factor`, …).
    Profile(&'static str),
    /// The failure timeline as a whole (its length).
    Timeline,
    /// A field of one outage of the timeline.
    Outage(usize, OutageField),
    /// A field of one resharding event.
    Reshard(usize, ReshardField),
}

/// A part of one resharding event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReshardField {
    /// Which shard group grows.
    Component,
    /// When.
    AtS,
    /// Its new shard count.
    Shards,
    /// How long the copy takes.
    MigrationS,
}

/// A part of one outage in the failure timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutageField {
    /// Which component fails.
    Component,
    /// When it fails.
    AtS,
    /// How long it stays failed.
    ForS,
    /// How many instances it loses.
    Lost,
}

impl Field {
    /// Whether the field is part of the traffic.
    pub fn is_traffic(&self) -> bool {
        matches!(self, Field::Traffic(_))
    }

    /// The field's name as the editor shows it.
    pub fn label(&self) -> String {
        match self {
            Field::Version => "The format version".into(),
            Field::Name => "The name".into(),
            Field::Traffic(t) => t.label().into(),
            Field::Components => "The component list".into(),
            Field::ComponentAt(i) => format!("Component {}'s id", i + 1),
            Field::Id => "The id".into(),
            Field::Label => "The label".into(),
            Field::X | Field::Y => "The position".into(),
            Field::Param(key) => Kind::ALL
                .iter()
                .find_map(|k| k.param(key))
                .map_or_else(|| format!("\"{key}\""), |spec| spec.label.to_owned()),
            Field::Failed => "The what-if failure".into(),
            Field::FailedLost => "The what-if failure".into(),
            Field::Links => "The link list".into(),
            Field::Link(i, part) => match part {
                LinkField::Ends => format!("Link {}", i + 1),
                LinkField::Weight => format!("Link {}'s weight", i + 1),
                LinkField::Calls => format!("Link {}'s calls per request", i + 1),
                LinkField::Classes => format!("Link {}'s classes", i + 1),
                LinkField::Timeout => format!("Link {}'s call timeout", i + 1),
                LinkField::Breaker(b) => {
                    format!("Link {}'s breaker {}", i + 1, b.label().to_lowercase())
                }
            },
            Field::Simulation(s) => s.label(),
            Field::Price(kind) => format!("The price of {}", kind.name()),
            Field::Access => "The last mile".into(),
            Field::Rtt(i) => format!("Round trip {}", i + 1),
        }
    }

    /// Whether the field is part of the simulation settings.
    pub fn is_simulation(&self) -> bool {
        matches!(self, Field::Simulation(_))
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Version => f.write_str("version"),
            Field::Name => f.write_str("name"),
            Field::Traffic(t) => write!(f, "{t}"),
            Field::Components => f.write_str("components"),
            Field::ComponentAt(i) => write!(f, "components[{i}].id"),
            Field::Id => f.write_str("id"),
            Field::Label => f.write_str("label"),
            Field::X => f.write_str("x"),
            Field::Y => f.write_str("y"),
            Field::Param(key) => f.write_str(key),
            Field::Failed => f.write_str("failed"),
            Field::FailedLost => f.write_str("failed.lost"),
            Field::Links => f.write_str("links"),
            Field::Link(i, part) => match part {
                LinkField::Ends => write!(f, "links[{i}]"),
                LinkField::Weight => write!(f, "links[{i}].weight"),
                LinkField::Calls => write!(f, "links[{i}].calls"),
                LinkField::Classes => write!(f, "links[{i}].classes"),
                LinkField::Timeout => write!(f, "links[{i}].timeout_ms"),
                LinkField::Breaker(b) => write!(f, "links[{i}].breaker.{}", b.key()),
            },
            Field::Simulation(s) => write!(f, "simulation.{s}"),
            Field::Price(kind) => write!(f, "prices.{kind}"),
            Field::Access => f.write_str("geography.access_ms"),
            Field::Rtt(i) => write!(f, "geography.rtt_ms[{i}]"),
        }
    }
}

impl TrafficField {
    /// The field's name as the editor shows it.
    pub fn label(self) -> &'static str {
        match self {
            TrafficField::Whole => "The traffic",
            TrafficField::Rps => "Requests per second",
            TrafficField::Users => "The user count",
            TrafficField::DailyActive => "Daily active users",
            TrafficField::RequestsPerUserPerDay => "Requests per user per day",
            TrafficField::PeakFactor => "The peak factor",
            TrafficField::UsersConcurrent => "The concurrent users",
            TrafficField::ThinkTime => "The think time",
            TrafficField::Share(Class::Read) => "The read share",
            TrafficField::Share(Class::Write) => "The write share",
            TrafficField::Share(Class::Static) => "The static share",
            TrafficField::Keys => "The key space",
            TrafficField::ZipfS => "The popularity skew",
            TrafficField::ObjectKb => "The object size",
        }
    }
}

impl SimField {
    /// The field's name as the simulation panel shows it.
    pub fn label(self) -> String {
        match self {
            SimField::Seconds => "The run length".into(),
            SimField::WarmupS => "The warm-up".into(),
            SimField::TimeoutMs => "The timeout".into(),
            SimField::Retries => "Retries".into(),
            SimField::BackoffMs => "The backoff".into(),
            SimField::RetryBudget => "The retry budget".into(),
            SimField::DetectionS => "The detection time".into(),
            SimField::Replications => "Replications".into(),
            SimField::Profile(key) => format!("The traffic profile's {}", key.replace('_', " ")),
            SimField::Timeline => "The failure timeline".into(),
            SimField::Outage(i, part) => format!(
                "Failure {}'s {}",
                i + 1,
                match part {
                    OutageField::Component => "component",
                    OutageField::AtS => "start",
                    OutageField::ForS => "length",
                    OutageField::Lost => "instances",
                }
            ),
            SimField::Reshard(i, part) => format!(
                "Resharding {}'s {}",
                i + 1,
                match part {
                    ReshardField::Component => "shard group",
                    ReshardField::AtS => "start",
                    ReshardField::Shards => "shard count",
                    ReshardField::MigrationS => "copy time",
                }
            ),
        }
    }
}

impl fmt::Display for TrafficField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TrafficField::Whole => "traffic",
            TrafficField::Rps => "traffic.rps",
            TrafficField::Users => "traffic.users",
            TrafficField::DailyActive => "traffic.users.daily_active",
            TrafficField::RequestsPerUserPerDay => "traffic.users.requests_per_user_per_day",
            TrafficField::PeakFactor => "traffic.users.peak_factor",
            TrafficField::UsersConcurrent => "traffic.users_concurrent",
            TrafficField::ThinkTime => "traffic.think_time_s",
            TrafficField::Share(Class::Read) => "traffic.read",
            TrafficField::Share(Class::Write) => "traffic.write",
            TrafficField::Share(Class::Static) => "traffic.static",
            TrafficField::Keys => "traffic.keys",
            TrafficField::ZipfS => "traffic.zipf_s",
            TrafficField::ObjectKb => "traffic.object_kb",
        })
    }
}

impl fmt::Display for SimField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimField::Seconds => f.write_str("seconds"),
            SimField::WarmupS => f.write_str("warmup_s"),
            SimField::TimeoutMs => f.write_str("timeout_ms"),
            SimField::Retries => f.write_str("retries"),
            SimField::BackoffMs => f.write_str("backoff_ms"),
            SimField::RetryBudget => f.write_str("retry_budget_pct"),
            SimField::DetectionS => f.write_str("detection_s"),
            SimField::Replications => f.write_str("replications"),
            SimField::Profile(key) => write!(f, "profile.{key}"),
            SimField::Timeline => f.write_str("timeline"),
            SimField::Outage(i, part) => {
                let part = match part {
                    OutageField::Component => "component",
                    OutageField::AtS => "at_s",
                    OutageField::ForS => "for_s",
                    OutageField::Lost => "lost",
                };
                write!(f, "timeline[{i}].{part}")
            }
            SimField::Reshard(i, part) => {
                let part = match part {
                    ReshardField::Component => "component",
                    ReshardField::AtS => "at_s",
                    ReshardField::Shards => "shards",
                    ReshardField::MigrationS => "migration_s",
                };
                write!(f, "reshards[{i}].{part}")
            }
        }
    }
}

/// Why `value` is not a finite number in `[min, max]`, with `what` as the subject.
pub(crate) fn check_number(value: f64, min: f64, max: f64, what: &str) -> Option<String> {
    if !value.is_finite() {
        Some(format!("{what} must be a finite number"))
    } else if value < min || value > max {
        Some(format!(
            "{what} must be between {} and {}, got {}",
            show(min),
            show(max),
            show(value)
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_read_labels_and_files_read_paths() {
        let p = Problem::general(
            Field::Simulation(SimField::Seconds),
            "must be between 1 and 3600, got 0".into(),
        );
        assert_eq!(
            p.to_string(),
            "simulation.seconds: must be between 1 and 3600, got 0"
        );
        assert_eq!(
            p.for_people(),
            "The run length must be between 1 and 3600, got 0"
        );
        let p = Problem::general(
            Field::Traffic(TrafficField::Rps),
            "requests per second must be between 0 and 1000000000, got -1".into(),
        );
        assert_eq!(
            p.for_people(),
            "Requests per second must be between 0 and 1000000000, got -1"
        );
        let p = Problem::on(
            "app",
            Some(Field::Param("instances".into())),
            "Instances must be between 1 and 100000, got 0".into(),
        );
        assert_eq!(
            p.for_people(),
            "app: Instances must be between 1 and 100000, got 0"
        );
        assert_eq!(Field::Param("hit_ratio".into()).label(), "Hit ratio");
    }
}
