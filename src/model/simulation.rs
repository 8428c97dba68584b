//! How a discrete-event run is set up: seed, length, traffic over time, client behaviour and
//! a failure timeline. It is part of the scenario, so a shared link replays the same run.

use serde::{Deserialize, Serialize};

/// Longest run, in simulated seconds.
pub const MAX_SECONDS: f64 = 3_600.0;
/// Most client requests one run may offer (the page must finish in reasonable time).
pub const MAX_REQUESTS: f64 = 10_000_000.0;
/// Most per-second cells (components × seconds) a run may record.
pub const MAX_SERIES_CELLS: f64 = 500_000.0;
/// Most entries in a failure timeline.
pub const MAX_OUTAGES: usize = 100;
/// Most retries a client may make after its first attempt.
pub const MAX_RETRIES: u32 = 10;
/// Largest traffic multiplier a profile may ask for.
pub const MAX_FACTOR: f64 = 1_000.0;
/// Most independent replications of one run.
pub const MAX_REPLICATIONS: u32 = 32;

/// Settings of a simulated run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Simulation {
    /// Seed of the random streams: the same seed gives the same run, byte for byte.
    pub seed: u64,
    /// Simulated seconds (a whole number: results come per second).
    pub seconds: f64,
    /// Whole seconds at the start left out of the whole-run statistics (the empty system
    /// filling up).
    pub warmup_s: f64,
    /// The offered rate over time, as a multiple of the scenario's traffic.
    pub profile: Profile,
    /// Clients give up on an attempt after this long (`None`: they wait for ever).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<f64>,
    /// Attempts a client makes after a failed or timed-out one.
    pub retries: u32,
    /// Wait before the first retry; each further retry waits twice as long.
    pub backoff_ms: f64,
    /// Retry budget: clients retry at most this many times per 100 requests (`None`: as
    /// often as `retries` allows). Each request earns a share of a retry, a retry spends a
    /// whole one, and at most ten seconds' worth is saved up (see MODEL.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_budget_pct: Option<f64>,
    /// Time health checks take to notice that a component died or came back.
    pub detection_s: f64,
    /// Components failing and recovering during the run.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<Outage>,
    /// Shard groups gaining shards during the run.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reshards: Vec<Reshard>,
    /// Independent replications of the run, each on its own seed derived from `seed`
    /// (the first on `seed` itself): with two or more, the intervals come from the spread
    /// between replications rather than between batches of one (see MODEL.md).
    #[serde(skip_serializing_if = "is_one")]
    pub replications: u32,
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

impl Default for Simulation {
    fn default() -> Self {
        Simulation {
            seed: 1,
            seconds: 60.0,
            warmup_s: 5.0,
            profile: Profile::Constant,
            timeout_ms: None,
            retries: 0,
            backoff_ms: 100.0,
            retry_budget_pct: None,
            detection_s: 5.0,
            timeline: Vec::new(),
            reshards: Vec::new(),
            replications: 1,
        }
    }
}

impl Simulation {
    /// Whether the load the run meets holds still: a constant profile, no outages and no
    /// resharding on its timeline before its end. Only then are the seconds of one run
    /// alike, so that its batches give honest intervals; a spike or a failure makes them
    /// differ by design (one set after the end changes nothing).
    pub fn steady_load(&self) -> bool {
        self.profile == Profile::Constant
            && self.timeline.iter().all(|o| !self.within(o.at_s))
            && self.reshards.iter().all(|r| !self.within(r.at_s))
    }

    /// Whether a timeline entry starting at `at_s` happens during the run.
    pub fn within(&self, at_s: f64) -> bool {
        at_s < self.seconds
    }

    /// What a refusal of a run too large says of its replications: where the requests
    /// were counted (" over its 4 replications") and the extra remedy (", fewer
    /// replications"); both empty for one replication.
    pub fn replications_in_size(&self) -> (String, &'static str) {
        if self.replications > 1 {
            (
                format!(" over its {} replications", self.replications),
                ", fewer replications",
            )
        } else {
            (String::new(), "")
        }
    }
}

/// The offered rate over time, as a multiplier of the scenario's traffic.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Profile {
    /// The scenario's rate throughout.
    Constant,
    /// The rate changes to `factor` times at `at_s` and stays there.
    Step {
        /// When, in seconds.
        at_s: f64,
        /// New multiple of the base rate.
        factor: f64,
    },
    /// `factor` times the rate from `at_s` for `for_s` seconds, then back.
    Spike {
        /// Start, in seconds.
        at_s: f64,
        /// Duration, in seconds.
        for_s: f64,
        /// Multiple of the base rate during the spike.
        factor: f64,
    },
    /// The rate grows linearly from the base rate at `from_s` to `factor` times at `to_s`.
    Ramp {
        /// Start of the ramp.
        from_s: f64,
        /// End of the ramp.
        to_s: f64,
        /// Multiple reached at the end.
        factor: f64,
    },
    /// A daily cycle compressed into `period_s`: `1 + amplitude · sin(2πt / period)`.
    Diurnal {
        /// Length of one cycle, in seconds.
        period_s: f64,
        /// Swing around the base rate, 0 to 1.
        amplitude: f64,
    },
}

/// One component failing during the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outage {
    /// The component's id.
    pub component: String,
    /// When it fails, in seconds.
    pub at_s: f64,
    /// How long it stays failed (`None`: to the end of the run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_s: Option<f64>,
    /// Instances lost (`None`: the whole component).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost: Option<u64>,
    /// How it fails: `false`, it refuses requests at once (a crashed process: connections
    /// are refused); `true`, it takes them and never answers (a hung process, a network
    /// partition), so callers wait for their timeouts.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hangs: bool,
}

/// A shard group growing during the run. From `at_s` its keys are spread over `shards`
/// shards; for `migration_s` after that, a request whose key moved finds its new shard
/// without the data yet and is served by the old shard as well (the copy in progress).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reshard {
    /// The shard group's id.
    pub component: String,
    /// When the new shards take their keys, in seconds.
    pub at_s: f64,
    /// The shard count from then on (more than the group has).
    pub shards: u64,
    /// How long copying the moved keys takes, in seconds.
    pub migration_s: f64,
}

/// One number of a traffic profile, as the settings panel shows it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProfileField {
    /// Label in the panel.
    pub label: &'static str,
    /// Key in scenario files (`at_s`, `factor`, …).
    pub key: &'static str,
    /// Unit shown beside the value.
    pub unit: &'static str,
    /// The value.
    pub value: f64,
}

impl Profile {
    /// Every profile's key in scenario files and its name in the panel, in menu order.
    pub const CHOICES: [(&'static str, &'static str); 5] = [
        ("constant", "constant"),
        ("step", "step up"),
        ("spike", "spike"),
        ("ramp", "ramp"),
        ("diurnal", "daily cycle"),
    ];

    /// The profile of this kind that a person starts from when they pick it: a change that
    /// shows within the default 60-second run. Unknown keys give the constant profile.
    pub fn preset(key: &str) -> Profile {
        match key {
            "step" => Profile::Step {
                at_s: 20.0,
                factor: 2.0,
            },
            "spike" => Profile::Spike {
                at_s: 20.0,
                for_s: 10.0,
                factor: 3.0,
            },
            "ramp" => Profile::Ramp {
                from_s: 10.0,
                to_s: 50.0,
                factor: 3.0,
            },
            "diurnal" => Profile::Diurnal {
                period_s: 60.0,
                amplitude: 0.5,
            },
            _ => Profile::Constant,
        }
    }

    /// The profile's kind, as scenario files name it.
    pub fn key(&self) -> &'static str {
        match self {
            Profile::Constant => "constant",
            Profile::Step { .. } => "step",
            Profile::Spike { .. } => "spike",
            Profile::Ramp { .. } => "ramp",
            Profile::Diurnal { .. } => "diurnal",
        }
    }

    /// The profile's numbers, in the order the panel shows them.
    pub fn fields(&self) -> Vec<ProfileField> {
        let f = |label, key, unit, value| ProfileField {
            label,
            key,
            unit,
            value,
        };
        match *self {
            Profile::Constant => vec![],
            Profile::Step { at_s, factor } => {
                vec![
                    f("At", "at_s", "s", at_s),
                    f("Factor", "factor", "×", factor),
                ]
            }
            Profile::Spike {
                at_s,
                for_s,
                factor,
            } => vec![
                f("At", "at_s", "s", at_s),
                f("For", "for_s", "s", for_s),
                f("Factor", "factor", "×", factor),
            ],
            Profile::Ramp {
                from_s,
                to_s,
                factor,
            } => vec![
                f("From", "from_s", "s", from_s),
                f("To", "to_s", "s", to_s),
                f("Factor", "factor", "×", factor),
            ],
            Profile::Diurnal {
                period_s,
                amplitude,
            } => vec![
                f("Period", "period_s", "s", period_s),
                f("Amplitude", "amplitude", "", amplitude),
            ],
        }
    }

    /// Sets the number `key` of the profile; a key this kind of profile lacks changes
    /// nothing.
    pub fn set(&mut self, key: &str, v: f64) {
        match (self, key) {
            (Profile::Step { at_s, .. } | Profile::Spike { at_s, .. }, "at_s") => *at_s = v,
            (Profile::Spike { for_s, .. }, "for_s") => *for_s = v,
            (
                Profile::Step { factor, .. }
                | Profile::Spike { factor, .. }
                | Profile::Ramp { factor, .. },
                "factor",
            ) => *factor = v,
            (Profile::Ramp { from_s, .. }, "from_s") => *from_s = v,
            (Profile::Ramp { to_s, .. }, "to_s") => *to_s = v,
            (Profile::Diurnal { period_s, .. }, "period_s") => *period_s = v,
            (Profile::Diurnal { amplitude, .. }, "amplitude") => *amplitude = v,
            _ => {}
        }
    }

    /// The stretches of a run of `seconds` during which the profile raises the traffic
    /// (for shading charts).
    pub fn surges(&self, seconds: f64) -> Vec<(f64, f64)> {
        match *self {
            Profile::Constant | Profile::Diurnal { .. } => vec![],
            Profile::Step { at_s, .. } => vec![(at_s, seconds)],
            Profile::Spike { at_s, for_s, .. } => vec![(at_s, at_s + for_s)],
            Profile::Ramp { from_s, to_s, .. } => vec![(from_s, to_s)],
        }
    }

    /// The multiplier at time `t` seconds.
    pub fn factor_at(&self, t: f64) -> f64 {
        match *self {
            Profile::Constant => 1.0,
            Profile::Step { at_s, factor } => {
                if t >= at_s {
                    factor
                } else {
                    1.0
                }
            }
            Profile::Spike {
                at_s,
                for_s,
                factor,
            } => {
                if t >= at_s && t < at_s + for_s {
                    factor
                } else {
                    1.0
                }
            }
            Profile::Ramp {
                from_s,
                to_s,
                factor,
            } => {
                if t <= from_s {
                    1.0
                } else if t >= to_s {
                    factor
                } else {
                    1.0 + (factor - 1.0) * (t - from_s) / (to_s - from_s)
                }
            }
            Profile::Diurnal {
                period_s,
                amplitude,
            } => 1.0 + amplitude * libm::sin(2.0 * std::f64::consts::PI * t / period_s),
        }
    }

    /// The largest multiplier over the whole run (the thinning bound).
    pub fn max_factor(&self) -> f64 {
        match *self {
            Profile::Constant => 1.0,
            Profile::Step { factor, .. }
            | Profile::Spike { factor, .. }
            | Profile::Ramp { factor, .. } => factor.max(1.0),
            Profile::Diurnal { amplitude, .. } => 1.0 + amplitude,
        }
    }

    /// Offered requests over `[0, seconds]` per unit of base rate (for the size limit).
    pub(crate) fn mass(&self, seconds: f64) -> f64 {
        self.max_factor() * seconds
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_round_trips_its_key_and_fields() {
        for (key, _) in Profile::CHOICES {
            let p = Profile::preset(key);
            assert_eq!(p.key(), key);
            let mut q = p;
            for f in p.fields() {
                q.set(f.key, f.value + 1.0);
            }
            for (a, b) in p.fields().iter().zip(q.fields()) {
                assert_eq!(a.value + 1.0, b.value, "{key}.{}", a.key);
            }
        }
    }
}
