//! A circuit breaker on a call link, as the scenario carries it.
//!
//! The breaker sits with the caller: it counts the outcomes of the calls over its link in a
//! rolling window and, when too many fail, stops making them for a while, so a dead
//! dependency costs an immediate error instead of a timeout. The state machine itself is
//! the simulator's (`sim::breaker`); the analytic engine solves steady states, in which a
//! breaker over a working dependency stays closed (see MODEL.md, "Circuit breakers").

use super::text::show;
use serde::{Deserialize, Serialize};

/// Settings of one breaker. Defaults are Hystrix's (50 % errors over a 10 s window with at
/// least 20 calls, 5 s open), with one probe in half-open as Hystrix lets through.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Breaker {
    /// Share of failed calls in the window at which the breaker opens, in (0, 1].
    pub error_threshold: f64,
    /// Length of the rolling window, in seconds (counted in whole seconds).
    pub window_s: f64,
    /// Calls the window must hold before the share counts.
    pub min_requests: u32,
    /// Time the breaker stays open before it lets probes through.
    pub open_s: f64,
    /// Calls let through when half-open; all must succeed for the breaker to close.
    pub half_open_probes: u32,
}

impl Default for Breaker {
    fn default() -> Self {
        Breaker {
            error_threshold: 0.5,
            window_s: 10.0,
            min_requests: 20,
            open_s: 5.0,
            half_open_probes: 1,
        }
    }
}

/// One setting of a breaker, for messages and the inspector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerField {
    /// The error share that opens it.
    ErrorThreshold,
    /// The rolling window.
    WindowS,
    /// The floor of calls.
    MinRequests,
    /// Time open.
    OpenS,
    /// Probes when half-open.
    HalfOpenProbes,
}

impl BreakerField {
    /// Every field, in the inspector's order.
    pub const ALL: [BreakerField; 5] = [
        BreakerField::ErrorThreshold,
        BreakerField::WindowS,
        BreakerField::MinRequests,
        BreakerField::OpenS,
        BreakerField::HalfOpenProbes,
    ];

    /// Key in scenario files.
    pub fn key(self) -> &'static str {
        match self {
            BreakerField::ErrorThreshold => "error_threshold",
            BreakerField::WindowS => "window_s",
            BreakerField::MinRequests => "min_requests",
            BreakerField::OpenS => "open_s",
            BreakerField::HalfOpenProbes => "half_open_probes",
        }
    }

    /// Label in the inspector and in messages.
    pub fn label(self) -> &'static str {
        match self {
            BreakerField::ErrorThreshold => "Error threshold",
            BreakerField::WindowS => "Window",
            BreakerField::MinRequests => "Minimum calls",
            BreakerField::OpenS => "Open for",
            BreakerField::HalfOpenProbes => "Half-open probes",
        }
    }

    /// Unit shown beside the value.
    pub fn unit(self) -> &'static str {
        match self {
            BreakerField::ErrorThreshold => "fraction",
            BreakerField::WindowS | BreakerField::OpenS => "s",
            BreakerField::MinRequests | BreakerField::HalfOpenProbes => "calls",
        }
    }

    /// What the setting does, for the inspector's hint.
    pub fn help(self) -> &'static str {
        match self {
            BreakerField::ErrorThreshold => {
                "The breaker opens when at least this share of the calls in the window failed \
                 (refused, shed, rejected or timed out)."
            }
            BreakerField::WindowS => "Seconds of recent calls the error share is taken over.",
            BreakerField::MinRequests => {
                "Calls the window must hold before the breaker may open: a few failures on a \
                 quiet link do not trip it."
            }
            BreakerField::OpenS => {
                "While open, calls fail at once without being sent; after this long the \
                 breaker lets probes through (half-open)."
            }
            BreakerField::HalfOpenProbes => {
                "Calls let through when half-open; if all succeed the breaker closes, if one \
                 fails it opens again."
            }
        }
    }

    /// Smallest and largest valid value, and whether only whole numbers are.
    pub fn range(self) -> (f64, f64, bool) {
        match self {
            BreakerField::ErrorThreshold => (0.001, 1.0, false),
            BreakerField::WindowS | BreakerField::OpenS => (1.0, 3_600.0, false),
            BreakerField::MinRequests | BreakerField::HalfOpenProbes => (1.0, 1e6, true),
        }
    }
}

impl Breaker {
    /// The value of one setting.
    pub fn get(&self, f: BreakerField) -> f64 {
        match f {
            BreakerField::ErrorThreshold => self.error_threshold,
            BreakerField::WindowS => self.window_s,
            BreakerField::MinRequests => f64::from(self.min_requests),
            BreakerField::OpenS => self.open_s,
            BreakerField::HalfOpenProbes => f64::from(self.half_open_probes),
        }
    }

    /// Sets one setting (whole-number settings are rounded and kept in range for their
    /// type; validation reports what is out of range).
    pub fn set(&mut self, f: BreakerField, v: f64) {
        let whole = |v: f64| v.round().clamp(0.0, f64::from(u32::MAX)) as u32;
        match f {
            BreakerField::ErrorThreshold => self.error_threshold = v,
            BreakerField::WindowS => self.window_s = v,
            BreakerField::MinRequests => self.min_requests = whole(v),
            BreakerField::OpenS => self.open_s = v,
            BreakerField::HalfOpenProbes => self.half_open_probes = whole(v),
        }
    }

    /// Every setting out of its range, with the reason in words (the field's label is the
    /// subject: see `LinkField::Breaker`).
    pub fn problems(&self) -> Vec<(BreakerField, String)> {
        BreakerField::ALL
            .into_iter()
            .filter_map(|f| {
                let v = self.get(f);
                let (min, max, integer) = f.range();
                if !v.is_finite() {
                    Some((f, "must be a finite number".to_owned()))
                } else if v < min || v > max {
                    Some((
                        f,
                        format!(
                            "must be between {} and {}, got {}",
                            show(min),
                            show(max),
                            show(v)
                        ),
                    ))
                } else if integer && v.fract() != 0.0 {
                    Some((f, "must be a whole number".to_owned()))
                } else {
                    None
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_settings_are_named() {
        assert!(Breaker::default().problems().is_empty());
        let b = Breaker {
            error_threshold: 1.5,
            window_s: f64::NAN,
            ..Breaker::default()
        };
        let p = b.problems();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].0, BreakerField::ErrorThreshold);
        assert!(
            p[0].1.starts_with("must be between 0.001 and 1"),
            "{}",
            p[0].1
        );
        assert!(p[1].1.contains("finite"), "{}", p[1].1);
        let zero = Breaker {
            min_requests: 0,
            ..Breaker::default()
        };
        assert_eq!(zero.problems()[0].0, BreakerField::MinRequests);
    }

    #[test]
    fn a_partial_breaker_in_a_file_takes_the_defaults() {
        let b: Breaker = serde_json::from_str(r#"{"open_s": 30}"#).expect("parses");
        assert_eq!(
            b,
            Breaker {
                open_s: 30.0,
                ..Breaker::default()
            }
        );
        assert!(serde_json::from_str::<Breaker>(r#"{"opens": 30}"#).is_err());
    }
}
