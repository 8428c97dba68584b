//! Numbers that must agree with each other: saturation decided the same way whichever way
//! floating point rounds, and a cost that never falls because something failed.

mod common;

use archsim::model::{Component, Failure, Kind, Link, Scenario, Traffic};
use archsim::solve::{analyze, SATURATION_TOLERANCE};
use common::{scenario, users};
use proptest::prelude::*;

/// Clients → cache (hit ratio `hit`) → a database whose capacity is exactly what the
/// cache's misses bring it, in real numbers: `rps · (1 − hit)`.
fn cache_in_front_of_a_full_database(rps: f64, hit: f64) -> Scenario {
    let misses = rps * (1.0 - hit);
    let mut s = Scenario::new("full database", Traffic::rps(rps, 1.0, 0.0, 0.0));
    s.components.push(users());
    s.components.push(
        Component::new("cache", Kind::Cache, "Cache", 0.0, 0.0)
            .with("hit_ratio", hit)
            .with("concurrency", 1000.0),
    );
    // One server whose service rate is exactly the miss rate.
    s.components.push(
        Component::new("db", Kind::Database, "DB", 0.0, 0.0)
            .with("concurrency", 1.0)
            .with("service_time_ms", 1000.0 / misses),
    );
    s.links.push(Link::new("users", "cache"));
    s.links.push(Link::new("cache", "db"));
    s
}

#[test]
fn a_station_exactly_at_capacity_is_unbounded_whichever_way_rounding_falls() {
    let mut seen_both_sides = (false, false);
    for rps in [100.0, 333.0, 1000.0, 1234.5, 7000.0] {
        for hit in [0.1, 0.3, 0.7, 0.9, 0.95, 0.99] {
            let s = cache_in_front_of_a_full_database(rps, hit);
            let r = analyze(&s).expect("valid");
            let db = &r.components["db"];
            let load = db.load;
            // The rounding really does fall both ways over these cases.
            if load < 1.0 {
                seen_both_sides.0 = true;
            } else {
                seen_both_sides.1 = true;
            }
            assert!((load - 1.0).abs() < SATURATION_TOLERANCE);
            assert!(db.saturated, "rps {rps}, hit {hit}: load {load}");
            assert_eq!(db.mean_response_ms, None, "rps {rps}, hit {hit}");
            assert_eq!(r.latency_ms.p99, None, "rps {rps}, hit {hit}");
            // At exactly capacity nothing measurable is dropped.
            assert!(
                r.dropped_rps < 1e-6 * rps,
                "rps {rps}, hit {hit}: {}",
                r.dropped_rps
            );
        }
    }
    assert!(seen_both_sides.0, "some case rounds below 1");
}

#[test]
fn a_dead_server_still_costs_its_rent() {
    let mut s = Scenario::new("t", Traffic::rps(10.0, 1.0, 0.0, 0.0));
    s.components.push(users());
    s.components
        .push(Component::new("app", Kind::AppServer, "App", 0.0, 0.0).with("instances", 4.0));
    s.links.push(Link::new("users", "app"));
    let base = analyze(&s).expect("valid").monthly_cost_usd;
    for failure in [Failure::DOWN, Failure::lose(1), Failure::lose(3)] {
        let mut failed = s.clone();
        failed.failed.insert("app".into(), failure);
        let r = analyze(&failed).expect("valid");
        assert_eq!(r.monthly_cost_usd, base, "{failure:?}");
        assert_eq!(r.components["app"].monthly_cost_usd, base, "{failure:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn cost_does_not_fall_when_something_fails(seed in any::<u64>(), pick in any::<usize>()) {
        let s = scenario(seed, false);
        let base = analyze(&s).expect("random designs are valid").monthly_cost_usd;
        let failable: Vec<&Component> =
            s.components.iter().filter(|c| c.kind != Kind::Client).collect();
        prop_assume!(!failable.is_empty());
        let c = failable[pick % failable.len()];
        let mut failed = s.clone();
        failed.failed.insert(c.id.clone(), Failure::DOWN);
        if let Ok(r) = analyze(&failed) {
            prop_assert!(r.monthly_cost_usd >= base - 1e-9, "{} failing: {} < {base}", c.id, r.monthly_cost_usd);
        }
    }
}
