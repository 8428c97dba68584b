//! Latency and drops against offered load: the same design solved at scaled traffic, from
//! near zero to beyond saturation, for the load chart.

use super::analyze;
use crate::model::Scenario;
use crate::sliced::Sliced;
use serde::{Deserialize, Serialize};

/// One point of the load sweep.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
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

/// The load up to which `s`'s curve is drawn: 1.5 × the load at which its bottleneck
/// saturates, at least 1.25 × today's (`None` when it does not solve or has no traffic).
/// A closed population has no offered load to sweep: its curve is against users instead
/// ([`crate::solve::ClosedReport::curve`]).
fn reach(s: &Scenario) -> Option<f64> {
    if s.traffic.population().is_some() {
        return None;
    }
    let today = analyze(s).ok()?;
    let current = today.offered_rps;
    let saturation = today.headroom.map_or(current, |h| h * current);
    (current > 0.0).then(|| (1.5 * saturation).max(1.25 * current))
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
        LoadSweep::up_to(s, reach(s).unwrap_or(0.0), points)
    }

    /// The sweep of `s` over `points` loads evenly spaced from `max/points` to `max`.
    fn up_to(s: &Scenario, max: f64, points: usize) -> LoadSweep {
        let todo: Vec<f64> = if max > 0.0 {
            (1..=points)
                .rev()
                .map(|i| max * i as f64 / points as f64)
                .collect()
        } else {
            Vec::new()
        };
        LoadSweep {
            s: s.clone(),
            total: todo.len(),
            todo,
            out: Vec::new(),
        }
    }
}

/// The current design's load curve and the baseline's beside it, over the same loads (to
/// the farther of the two designs' reaches), so the chart draws both on one axis.
pub struct LoadCurves {
    current: LoadSweep,
    baseline: Option<LoadSweep>,
}

/// Both curves (each empty when its design does not solve or has no traffic).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Curves {
    /// The design as it is.
    pub current: Vec<LoadPoint>,
    /// The pinned design, when there is one.
    pub baseline: Option<Vec<LoadPoint>>,
}

impl LoadCurves {
    /// The sweeps of `current` and, if given, `baseline`, over `points` loads each.
    pub fn new(current: &Scenario, baseline: Option<&Scenario>, points: usize) -> LoadCurves {
        let (a, b) = (reach(current), baseline.and_then(reach));
        let max = a.unwrap_or(0.0).max(b.unwrap_or(0.0));
        let sweep = |s, reach: Option<f64>| LoadSweep::up_to(s, reach.map_or(0.0, |_| max), points);
        LoadCurves {
            current: sweep(current, a),
            baseline: baseline.map(|s| sweep(s, b)),
        }
    }
}

impl Sliced for LoadCurves {
    type Output = Curves;

    fn advance(&mut self) -> bool {
        match self.baseline.as_mut() {
            Some(b) if !b.todo.is_empty() => b.advance() && self.current.todo.is_empty(),
            _ => self.current.advance(),
        }
    }

    fn progress(&self) -> f64 {
        let left = self.current.todo.len() + self.baseline.as_ref().map_or(0, |b| b.todo.len());
        let total = self.current.total + self.baseline.as_ref().map_or(0, |b| b.total);
        1.0 - left as f64 / total.max(1) as f64
    }

    fn finish(self) -> Curves {
        Curves {
            current: self.current.finish(),
            baseline: self.baseline.map(Sliced::finish),
        }
    }
}

impl Sliced for LoadSweep {
    type Output = Vec<LoadPoint>;

    /// Solves the next load.
    fn advance(&mut self) -> bool {
        if let Some(rps) = self.todo.pop() {
            let mut scaled = self.s.clone();
            scaled.traffic = scaled.traffic.open_at(rps);
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
    fn both_curves_share_their_loads_and_each_matches_its_own_sweep() {
        let base = crate::presets::starter();
        let mut faster = base.clone();
        for c in &mut faster.components {
            if c.kind.param("service_time_ms").is_some() {
                *c = c
                    .clone()
                    .with("service_time_ms", c.num("service_time_ms") / 2.0);
            }
        }
        let curves = LoadCurves::new(&faster, Some(&base), 20).run_to_end();
        let baseline = curves.baseline.unwrap();
        let loads = |c: &[LoadPoint]| c.iter().map(|p| p.offered_rps).collect::<Vec<_>>();
        assert_eq!(loads(&curves.current), loads(&baseline));
        // The faster design reaches farther, so the axis is its own sweep's …
        assert_eq!(curves.current, load_sweep(&faster, 20));
        // … and the baseline is solved at those same loads.
        for p in &baseline {
            let mut at = base.clone();
            at.traffic.rps = Some(p.offered_rps);
            at.traffic.users = None;
            let r = analyze(&at).unwrap();
            assert_eq!((p.mean_ms, p.p99_ms), (r.latency_ms.mean, r.latency_ms.p99));
        }
        // Without a baseline, the curve is the design's own sweep.
        let alone = LoadCurves::new(&base, None, 20).run_to_end();
        assert_eq!(
            (alone.current, alone.baseline),
            (load_sweep(&base, 20), None)
        );
    }

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
