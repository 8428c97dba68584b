//! Invariants of the analytic solver over random valid scenarios (property tests).
//!
//! Scenarios are drawn from a seed: random kinds and parameters, a random layered graph
//! (links only go "forward", plus calls and class filters), random traffic. proptest picks
//! the seeds and shrinks a failing one.

mod common;

use archsim::model::Scenario;
use archsim::solve::{analyze, Report};
use common::{controlled, scenario};
use proptest::prelude::*;

fn solve(s: &Scenario) -> Report {
    match analyze(s) {
        Ok(r) => r,
        Err(e) => panic!("random scenario should be valid: {e}\n{s:?}"),
    }
}

fn finite(x: f64) -> bool {
    x.is_finite()
}

/// Every number of the report is finite (an unbounded latency is `None`, never infinite),
/// and rates, shares and percentiles lie where they must.
fn all_finite(r: &Report) -> Result<(), TestCaseError> {
    let json = serde_json::to_string(r).unwrap();
    prop_assert!(!json.contains("NaN") && !json.contains("inf"));
    for x in [
        r.offered_rps,
        r.throughput_rps,
        r.dropped_rps,
        r.availability,
        r.downtime_minutes_per_month,
        r.monthly_cost_usd,
    ] {
        prop_assert!(finite(x) && x >= 0.0);
    }
    prop_assert!(r.availability <= 1.0);
    let l = r.latency_ms;
    for v in [l.mean, l.p50, l.p95, l.p99].into_iter().flatten() {
        prop_assert!(finite(v) && v > 0.0);
    }
    if let (Some(a), Some(b), Some(c)) = (l.p50, l.p95, l.p99) {
        prop_assert!(
            a <= b * (1.0 + 1e-9) && b <= c * (1.0 + 1e-9),
            "{a} {b} {c}"
        );
    }
    for c in r.components.values() {
        prop_assert!((0.0..=1.0).contains(&c.utilization));
        prop_assert!(finite(c.load) && finite(c.arrival_rps));
        for x in [
            c.served_rps,
            c.dropped_rps,
            c.completed_rps,
            c.forwarded_rps,
        ] {
            prop_assert!(finite(x) && x >= 0.0);
        }
    }
    Ok(())
}

/// An autoscaled pool far beyond capacity with a long waiting line (45 servers, 153 places at
/// 141× their capacity: ρ^places overflows a double) once gave NaN for its flows and the
/// design's throughput. Found by `a_shared_link_reproduces_the_numbers`.
#[test]
fn an_overloaded_pool_with_a_long_queue_reports_numbers() {
    let r = solve(&controlled(1_653_582_994_640_705_158, true));
    all_finite(&r).unwrap();
    let pool = &r.components["n2"];
    assert_eq!(pool.instances_steady, Some(9));
    // Blocks all but its capacity: 45 servers of 217.4 ms serve 206.9 req/s.
    let capacity = pool.capacity_rps.expect("a pool has a capacity");
    assert!(
        (pool.served_rps - capacity).abs() < 1e-6 * capacity,
        "{pool:?}"
    );
    assert!(
        (r.throughput_rps - capacity).abs() < 1e-6 * capacity,
        "{r:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_report_is_finite_or_explicitly_unbounded(seed in any::<u64>(), limits in any::<bool>()) {
        all_finite(&solve(&scenario(seed, limits)))?;
    }

    #[test]
    fn control_loops_keep_the_report_finite(seed in any::<u64>(), limits in any::<bool>()) {
        all_finite(&solve(&controlled(seed, limits)))?;
    }

    #[test]
    fn flow_in_equals_flow_out_plus_dropped(seed in any::<u64>(), limits in any::<bool>()) {
        let r = solve(&scenario(seed, limits));
        for (id, c) in &r.components {
            let out = c.dropped_rps + c.completed_rps + c.forwarded_rps;
            prop_assert!((c.arrival_rps - out).abs() <= 1e-9 * (1.0 + c.arrival_rps),
                "{id}: in {} out {out}", c.arrival_rps);
        }
        if r.offered_rps > 0.0 {
            let total = r.throughput_rps + r.dropped_rps;
            prop_assert!((total - r.offered_rps).abs() <= 1e-9 * r.offered_rps);
        }
    }

    #[test]
    fn nothing_dropped_iff_every_utilisation_is_below_one(seed in any::<u64>()) {
        // Without waiting-room limits, drops come only from saturation, or from requests a
        // relay has no link for (a loose end of the wiring, counted apart as stranded).
        let r = solve(&scenario(seed, false));
        let dropped: f64 = r.components.values().map(|c| c.dropped_rps - c.stranded_rps).sum();
        let max_load = r.components.values().map(|c| c.load).fold(0.0, f64::max);
        prop_assert_eq!(dropped > 0.0, max_load >= 1.0, "dropped {} max load {}", dropped, max_load);
    }

    #[test]
    fn scaling_traffic_scales_every_rate_until_saturation(seed in any::<u64>()) {
        let s = scenario(seed, false);
        let r = solve(&s);
        let Some(headroom) = r.headroom else { return Ok(()) };
        prop_assume!(headroom > 1.02);
        let k = (headroom / 1.01).min(3.0);
        let mut scaled = s.clone();
        scaled.traffic.rps = s.traffic.rps.map(|x| x * k);
        let r2 = solve(&scaled);
        for (id, c) in &r.components {
            let c2 = &r2.components[id];
            prop_assert!((c2.arrival_rps - k * c.arrival_rps).abs() <= 1e-9 * (1.0 + c2.arrival_rps),
                "{id}: {} vs {} × {k}", c2.arrival_rps, c.arrival_rps);
            prop_assert_eq!(c2.dropped_rps, 0.0);
        }
    }

    #[test]
    fn the_same_scenario_gives_the_same_report(seed in any::<u64>(), limits in any::<bool>()) {
        let s = scenario(seed, limits);
        prop_assert_eq!(solve(&s), solve(&s));
    }
}
