//! Latency and drops against offered load: the same design solved at scaled traffic, from
//! near zero to beyond saturation, for the load chart.

use super::analyze;
use crate::model::Scenario;
use crate::sliced::Sliced;
use serde::Serialize;

/// One point of the load sweep.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LoadPoint {
    /// Offered requests per second.
    pub offered_rps: f64,
    /// Mean end-to-end latency, ms (`None`: unbounded).
    pub mean_ms: Option<f64>,
    /// 99th percentile, ms (`None`: unbounded).
    pub p99_ms: Option<f64>,
    /// Requests per second dropped.
    pub dropped_rps: f64,
}

/// Solves `s` at `points` evenly spaced loads from `max/points` to `max`, where `max` is
/// 1.5 × the load at which the bottleneck saturates (at least 1.25 × today's load).
/// Returns an empty list when the design does not solve or carries no traffic.
pub fn load_sweep(s: &Scenario, points: usize) -> Vec<LoadPoint> {
    LoadSweep::new(s, points).run_to_end()
}

/// The load sweep one point at a time (each point is a whole solve).
pub struct LoadSweep {
    s: Scenario,
    /// The loads still to solve, last first.
    todo: Vec<f64>,
    total: usize,
    out: Vec<LoadPoint>,
}

impl LoadSweep {
    /// The sweep of `s` over `points` loads (none when `s` does not solve or has no traffic).
    pub fn new(s: &Scenario, points: usize) -> LoadSweep {
        let mut todo = Vec::new();
        if let Ok(today) = analyze(s) {
            let current = today.offered_rps;
            if current > 0.0 {
                let saturation = today.headroom.map_or(current, |h| h * current);
                let max = (1.5 * saturation).max(1.25 * current);
                todo = (1..=points)
                    .rev()
                    .map(|i| max * i as f64 / points as f64)
                    .collect();
            }
        }
        LoadSweep {
            s: s.clone(),
            total: todo.len(),
            todo,
            out: Vec::new(),
        }
    }
}

impl Sliced for LoadSweep {
    type Output = Vec<LoadPoint>;

    /// Solves the next load.
    fn advance(&mut self) -> bool {
        if let Some(rps) = self.todo.pop() {
            let mut scaled = self.s.clone();
            scaled.traffic.rps = Some(rps);
            scaled.traffic.users = None;
            if let Ok(r) = analyze(&scaled) {
                self.out.push(LoadPoint {
                    offered_rps: rps,
                    mean_ms: r.latency_ms.mean,
                    p99_ms: r.latency_ms.p99,
                    dropped_rps: r.dropped_rps,
                });
            }
        }
        self.todo.is_empty()
    }

    fn progress(&self) -> f64 {
        1.0 - self.todo.len() as f64 / self.total.max(1) as f64
    }

    fn finish(self) -> Vec<LoadPoint> {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sweep_crosses_saturation() {
        let s = crate::presets::starter();
        let sweep = load_sweep(&s, 20);
        assert_eq!(sweep.len(), 20);
        let saturation = 200.0 * analyze(&s).unwrap().headroom.unwrap();
        let mut last = 0.0;
        for p in &sweep {
            if p.offered_rps < saturation * 0.999 {
                assert_eq!(p.dropped_rps, 0.0, "no drops below saturation");
                let mean = p.mean_ms.unwrap();
                assert!(mean >= last, "latency grows with load");
                last = mean;
            } else if p.offered_rps > saturation * 1.001 {
                assert!(p.dropped_rps > 0.0 && p.mean_ms.is_none());
            }
        }
    }
}
