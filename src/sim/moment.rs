//! The diagram at one second of a run: what the time cursor shows.

use super::{BreakerState, SimReport};
use crate::model::{Failure, Scenario, Simulation};
use crate::solve::Report;

/// The scenario and numbers to draw for second `t` of a run: each component's arrivals,
/// drops and busy share during that second (an autoscaled pool's instances serving too),
/// the components broken at its start marked failed, and no link rates (a run does not
/// count per link).
pub fn moment(s: &Scenario, analytic: &Report, run: &SimReport, t: usize) -> (Scenario, Report) {
    let t = t.min(run.seconds.saturating_sub(1));
    let mut scenario = s.clone();
    for o in &Simulation::of(s).timeline {
        let end = o.for_s.map_or(f64::INFINITY, |d| o.at_s + d);
        if o.at_s <= t as f64 && (t as f64) < end {
            let failure = o.lost.map_or(Failure::DOWN, Failure::lose);
            scenario.failed.insert(o.component.clone(), failure);
        }
    }
    let mut report = analytic.clone();
    report.links.clear();
    report.bottleneck = None;
    report.headroom = None;
    if let Some(sec) = run.series.get(t) {
        report.offered_rps = sec.offered;
        report.throughput_rps = sec.completed;
        report.dropped_rps = sec.errors;
        report.latency_ms.mean = None;
        report.latency_ms.p50 = sec.p50_ms;
        report.latency_ms.p95 = sec.p95_ms;
        report.latency_ms.p99 = sec.p99_ms;
    }
    for (id, c) in report.components.iter_mut() {
        let Some(sim) = run.components.get(id) else {
            continue;
        };
        let at = |v: &[f64]| v.get(t).copied().unwrap_or(0.0);
        c.arrival_rps = at(&sim.series.arrivals);
        c.dropped_rps = at(&sim.series.drops);
        c.utilization = at(&sim.series.utilization);
        c.load = c.utilization;
        c.saturated = c.utilization > 0.999 || at(&sim.series.queue) > 1.0 + c.arrival_rps;
        // An autoscaled pool's count is the run's at that second, not the steady state's.
        if c.instances_steady.is_some() && !sim.series.serving.is_empty() {
            c.instances_steady = Some(at(&sim.series.serving).round() as u32);
        }
    }
    (scenario, report)
}

/// Per scenario link, the state of its circuit breaker at the end of second `t` of a run
/// (`None`: the link has no breaker).
pub fn breakers_at(s: &Scenario, run: &SimReport, t: usize) -> Vec<Option<BreakerState>> {
    s.links
        .iter()
        .map(|l| {
            let b = run
                .breakers
                .iter()
                .find(|b| b.from == l.from && b.to == l.to)?;
            b.state.get(t.min(b.state.len().saturating_sub(1))).copied()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Component, Kind, Link, Outage, Traffic};

    #[test]
    fn a_second_shows_that_second() {
        let mut s = Scenario::new("m", Traffic::rps(100.0, 1.0, 0.0, 0.0));
        s.components = vec![
            Component::new("u", Kind::Client, "", 0.0, 0.0),
            Component::new("a", Kind::AppServer, "", 0.0, 0.0),
        ];
        s.links = vec![Link::new("u", "a")];
        s.simulation = Some(Simulation {
            seconds: 20.0,
            timeline: vec![Outage {
                component: "a".into(),
                at_s: 10.0,
                for_s: Some(5.0),
                lost: None,
                hangs: false,
            }],
            ..Simulation::default()
        });
        let analytic = crate::solve::analyze(&s).unwrap();
        let run = crate::sim::simulate(&s).unwrap();
        let (before, r) = moment(&s, &analytic, &run, 5);
        assert!(before.failed.is_empty());
        assert!(r.components["a"].arrival_rps > 50.0);
        assert!(r.components["a"].utilization > 0.0);
        let (during, r) = moment(&s, &analytic, &run, 12);
        assert_eq!(during.failed.get("a"), Some(&Failure::DOWN));
        assert_eq!(r.components["a"].utilization, 0.0);
        assert!(r.components["a"].dropped_rps > 50.0);
        assert!(r.links.is_empty());
    }
}
