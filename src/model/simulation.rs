//! How a discrete-event run is set up: seed, length, traffic over time, client behaviour and
//! a failure timeline. It is part of the scenario, so a shared link replays the same run.

use super::validate::{show, Problem};
use super::Scenario;
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
    /// Time health checks take to notice that a component died or came back.
    pub detection_s: f64,
    /// Components failing and recovering during the run.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<Outage>,
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
            detection_s: 5.0,
            timeline: Vec::new(),
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
}

impl Profile {
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
    fn mass(&self, seconds: f64) -> f64 {
        self.max_factor() * seconds
    }
}

impl Simulation {
    /// The settings a scenario carries, or the defaults.
    pub fn of(s: &Scenario) -> Simulation {
        s.simulation.clone().unwrap_or_default()
    }
}

/// Appends every problem with the scenario's simulation settings.
pub(super) fn validate(s: &Scenario, out: &mut Vec<Problem>) {
    let Some(sim) = &s.simulation else {
        return;
    };
    let mut bad = |field: &str, message: String| {
        out.push(Problem {
            component: None,
            field: Some(format!("simulation.{field}")),
            message,
        })
    };
    let range = |v: f64, min: f64, max: f64| -> Option<String> {
        (!v.is_finite() || v < min || v > max).then(|| {
            format!(
                "must be between {} and {}, got {}",
                show(min),
                show(max),
                show(v)
            )
        })
    };
    let whole = |v: f64| (v.fract() != 0.0).then(|| "must be a whole number of seconds".to_owned());
    let seconds_ok = range(sim.seconds, 1.0, MAX_SECONDS).or_else(|| whole(sim.seconds));
    if let Some(m) = seconds_ok.clone() {
        bad("seconds", m);
    }
    if let Some(m) = range(sim.warmup_s, 0.0, MAX_SECONDS).or_else(|| whole(sim.warmup_s)) {
        bad("warmup_s", m);
    } else if seconds_ok.is_none() && sim.warmup_s > sim.seconds * 0.5 {
        bad(
            "warmup_s",
            format!(
                "the warm-up ({} s) must be at most half the run ({} s), or nothing is left \
                 to measure",
                show(sim.warmup_s),
                show(sim.seconds)
            ),
        );
    }
    if let Some(t) = sim.timeout_ms {
        if let Some(m) = range(t, 0.001, 3_600_000.0) {
            bad("timeout_ms", m);
        }
    }
    if sim.retries > MAX_RETRIES {
        bad(
            "retries",
            format!("must be at most {MAX_RETRIES}, got {}", sim.retries),
        );
    }
    if let Some(m) = range(sim.backoff_ms, 0.0, 3_600_000.0) {
        bad("backoff_ms", m);
    }
    if let Some(m) = range(sim.detection_s, 0.0, MAX_SECONDS) {
        bad("detection_s", m);
    }
    let time = |v: f64| range(v, 0.0, MAX_SECONDS);
    let factor = |v: f64| range(v, 0.0, MAX_FACTOR);
    let profile_problems: Vec<(&str, Option<String>)> = match sim.profile {
        Profile::Constant => vec![],
        Profile::Step { at_s, factor: f } => vec![("at_s", time(at_s)), ("factor", factor(f))],
        Profile::Spike {
            at_s,
            for_s,
            factor: f,
        } => vec![
            ("at_s", time(at_s)),
            ("for_s", range(for_s, 0.001, MAX_SECONDS)),
            ("factor", factor(f)),
        ],
        Profile::Ramp {
            from_s,
            to_s,
            factor: f,
        } => vec![
            ("from_s", time(from_s)),
            (
                "to_s",
                time(to_s)
                    .or_else(|| (to_s <= from_s).then(|| "must be later than from_s".to_owned())),
            ),
            ("factor", factor(f)),
        ],
        Profile::Diurnal {
            period_s,
            amplitude,
        } => vec![
            ("period_s", range(period_s, 1.0, 86_400.0)),
            ("amplitude", range(amplitude, 0.0, 1.0)),
        ],
    };
    let mut profile_ok = true;
    for (field, m) in profile_problems {
        if let Some(m) = m {
            profile_ok = false;
            bad(&format!("profile.{field}"), m);
        }
    }
    if sim.timeline.len() > MAX_OUTAGES {
        bad(
            "timeline",
            format!(
                "has {} entries; at most {MAX_OUTAGES} are allowed",
                sim.timeline.len()
            ),
        );
    }
    for (i, o) in sim.timeline.iter().enumerate().take(MAX_OUTAGES) {
        let field = |f: &str| format!("timeline[{i}].{f}");
        match s.component(&o.component) {
            None => bad(
                &field("component"),
                format!(
                    "there is no component \"{}\" to fail",
                    super::quote(&o.component)
                ),
            ),
            Some(c) => {
                if let Some(lost) = o.lost {
                    let instances = c.num("instances").max(1.0) as u64;
                    if !c.kind.is_station() || lost == 0 || lost >= instances {
                        bad(
                            &field("lost"),
                            format!(
                                "\"{}\" has {instances} instance(s); lose between 1 and {} \
                                 of them, or leave lost out to fail the whole component",
                                super::quote(&o.component),
                                instances.saturating_sub(1)
                            ),
                        );
                    }
                }
            }
        }
        if let Some(m) = time(o.at_s) {
            bad(&field("at_s"), m);
        }
        if let Some(m) = o.for_s.and_then(|d| range(d, 0.001, MAX_SECONDS)) {
            bad(&field("for_s"), m);
        }
    }
    if seconds_ok.is_none() && profile_ok {
        let requests = s.traffic.peak_rps() * sim.profile.mass(sim.seconds);
        if requests > MAX_REQUESTS {
            bad(
                "seconds",
                format!(
                    "this run would offer about {} requests; one run may offer at most {} \
                     (shorten the run or lower the traffic)",
                    show(requests.round()),
                    show(MAX_REQUESTS)
                ),
            );
        }
        let cells = s.components.len() as f64 * sim.seconds.ceil();
        if cells > MAX_SERIES_CELLS {
            bad(
                "seconds",
                format!(
                    "{} components × {} s is too many per-second points to record; at most \
                     {} (shorten the run)",
                    s.components.len(),
                    show(sim.seconds.ceil()),
                    show(MAX_SERIES_CELLS)
                ),
            );
        }
    }
}
