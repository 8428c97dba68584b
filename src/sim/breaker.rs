//! A circuit breaker's state machine, as the simulator runs it on a call link.
//!
//! Closed, it counts the outcomes of calls in a rolling window of whole seconds and opens
//! when the window holds at least `min_requests` calls of which at least `error_threshold`
//! failed. Open, it refuses calls at once; after `open_s` it turns half-open and lets
//! `half_open_probes` calls through: if they all succeed it closes with an empty window,
//! if one fails it opens again. Outcomes of calls sent in an earlier state are ignored
//! (Hystrix and resilience4j behave the same way). See MODEL.md, "Circuit breakers".

use crate::model::Breaker;
use serde::{Deserialize, Serialize};

/// Where a breaker stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakerState {
    /// Calls go through and are counted.
    Closed,
    /// Calls fail at once without being sent.
    Open,
    /// A few probe calls go through to test the dependency.
    HalfOpen,
}

/// What the breaker decided for one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Admit {
    /// Send it, counting its outcome in the window.
    Counted,
    /// Send it as a probe of the half-open breaker.
    Probe,
    /// Fail it at once.
    Refused,
}

/// One breaker during a run.
#[derive(Debug, Clone)]
pub(crate) struct Circuit {
    cfg: Breaker,
    state: BreakerState,
    /// Closed: per second of the window (by second modulo its length), the second it
    /// holds and its calls and failures.
    window: Vec<(u64, u32, u32)>,
    /// Open: when it turns half-open. Half-open: probes sent and answered well.
    until: f64,
    sent: u32,
    passed: u32,
    /// Every change of state, with its time (the run's per-second states are read off it).
    pub changes: Vec<(f64, BreakerState)>,
}

impl Circuit {
    pub fn new(cfg: Breaker) -> Circuit {
        let len = (cfg.window_s.ceil() as usize).max(1);
        Circuit {
            cfg,
            state: BreakerState::Closed,
            window: vec![(u64::MAX, 0, 0); len],
            until: 0.0,
            sent: 0,
            passed: 0,
            changes: Vec::new(),
        }
    }

    fn to(&mut self, now: f64, state: BreakerState) {
        self.state = state;
        self.changes.push((now, state));
        match state {
            BreakerState::Open => self.until = now + self.cfg.open_s,
            BreakerState::HalfOpen => (self.sent, self.passed) = (0, 0),
            BreakerState::Closed => self.window.fill((u64::MAX, 0, 0)),
        }
    }

    /// Whether a call at time `now` may be sent, and how its outcome will count.
    pub fn admit(&mut self, now: f64) -> Admit {
        if self.state == BreakerState::Open && now >= self.until {
            self.to(now, BreakerState::HalfOpen);
        }
        match self.state {
            BreakerState::Closed => Admit::Counted,
            BreakerState::HalfOpen if self.sent < self.cfg.half_open_probes => {
                self.sent += 1;
                Admit::Probe
            }
            _ => Admit::Refused,
        }
    }

    /// The outcome of a call admitted as `how`, known at time `now`.
    pub fn record(&mut self, now: f64, how: Admit, ok: bool) {
        match (self.state, how) {
            (BreakerState::Closed, Admit::Counted) => {
                let second = now.max(0.0) as u64;
                let len = self.window.len() as u64;
                let cell = &mut self.window[(second % len) as usize];
                if cell.0 != second {
                    *cell = (second, 0, 0);
                }
                cell.1 += 1;
                cell.2 += u32::from(!ok);
                let (calls, failed) = self
                    .window
                    .iter()
                    .filter(|c| c.0 != u64::MAX && c.0 + len > second)
                    .fold((0u32, 0u32), |(n, f), c| (n + c.1, f + c.2));
                if calls >= self.cfg.min_requests
                    && f64::from(failed) >= self.cfg.error_threshold * f64::from(calls)
                {
                    self.to(now, BreakerState::Open);
                }
            }
            (BreakerState::HalfOpen, Admit::Probe) => {
                if !ok {
                    self.to(now, BreakerState::Open);
                } else {
                    self.passed += 1;
                    if self.passed >= self.cfg.half_open_probes {
                        self.to(now, BreakerState::Closed);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The state at the end of each of `seconds` seconds, and the share of each second spent
/// not closed, read off a breaker's changes.
pub(crate) fn per_second(
    changes: &[(f64, BreakerState)],
    seconds: usize,
) -> (Vec<BreakerState>, Vec<f64>) {
    let mut states = Vec::with_capacity(seconds);
    let mut shares = vec![0.0; seconds];
    let mut state = BreakerState::Closed;
    let mut since = 0.0_f64;
    let mut next = changes.iter().peekable();
    for (sec, share) in shares.iter_mut().enumerate() {
        let end = (sec + 1) as f64;
        while let Some(&&(t, s)) = next.peek() {
            if t >= end {
                break;
            }
            if state != BreakerState::Closed {
                *share += t - since.max(sec as f64);
            }
            (state, since) = (s, t);
            next.next();
        }
        if state != BreakerState::Closed {
            *share += end - since.max(sec as f64);
        }
        states.push(state);
    }
    (states, shares)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaker() -> Circuit {
        Circuit::new(Breaker {
            error_threshold: 0.5,
            window_s: 10.0,
            min_requests: 4,
            open_s: 5.0,
            half_open_probes: 2,
        })
    }

    #[test]
    fn it_opens_only_with_enough_calls_and_failures_in_the_window() {
        let mut b = breaker();
        for t in [0.1, 0.2, 0.3] {
            let how = b.admit(t);
            b.record(t, how, false);
        }
        assert_eq!(b.state, BreakerState::Closed, "below the floor of calls");
        b.record(0.4, Admit::Counted, true);
        assert_eq!(b.state, BreakerState::Open, "3 of 4 failed");
        let mut b = breaker();
        for i in 0..6 {
            b.record(f64::from(i) * 0.1, Admit::Counted, true);
        }
        for i in 0..3 {
            b.record(12.0 + f64::from(i) * 0.1, Admit::Counted, false);
        }
        assert_eq!(b.state, BreakerState::Closed, "3 calls in the window");
        b.record(12.5, Admit::Counted, true);
        assert_eq!(
            b.state,
            BreakerState::Open,
            "3 of 4 failed; old successes aged out"
        );
    }

    #[test]
    fn open_refuses_then_probes_decide() {
        let mut b = breaker();
        for t in [1.0, 1.1, 1.2, 1.3] {
            b.record(t, Admit::Counted, false);
        }
        assert_eq!(b.admit(2.0), Admit::Refused);
        assert_eq!(b.admit(6.29), Admit::Refused);
        assert_eq!(b.admit(6.3), Admit::Probe);
        assert_eq!(b.admit(6.31), Admit::Probe);
        assert_eq!(b.admit(6.32), Admit::Refused, "only two probes");
        // A late answer to a call sent while closed does not decide.
        b.record(6.4, Admit::Counted, true);
        b.record(6.5, Admit::Probe, true);
        assert_eq!(b.state, BreakerState::HalfOpen);
        b.record(6.6, Admit::Probe, false);
        assert_eq!(b.state, BreakerState::Open, "one failed probe reopens");
        assert_eq!(b.admit(11.6), Admit::Probe);
        b.record(11.7, Admit::Probe, true);
        assert_eq!(b.admit(11.8), Admit::Probe);
        b.record(11.9, Admit::Probe, true);
        assert_eq!(b.state, BreakerState::Closed, "all probes passed");
        assert_eq!(b.admit(12.0), Admit::Counted);
    }

    #[test]
    fn per_second_states_and_open_shares() {
        let changes = [
            (1.5, BreakerState::Open),
            (3.25, BreakerState::HalfOpen),
            (3.5, BreakerState::Closed),
        ];
        let (states, shares) = per_second(&changes, 5);
        use BreakerState::*;
        assert_eq!(states, vec![Closed, Open, Open, Closed, Closed]);
        assert_eq!(shares, vec![0.0, 0.5, 1.0, 0.5, 0.0]);
    }
}
