//! The capacity planner: meets reachable targets at a cost no single removal can lower, and
//! says so when no instance count can.

use archsim::presets::starter;
use archsim::solve::{analyze, plan, Plan, Target};

#[test]
fn how_many_servers_for_ten_thousand_requests_at_p99_under_100ms() {
    // The starter (LB → 2 app pools of 8 × 50 ms → DB) cannot even serve 10 000 req/s, and its
    // 50 ms service times make a p99 of 100 ms impossible: exponential service alone has a
    // p99 of 50 ms × ln 100 ≈ 230 ms.
    let s = starter();
    let t = Target {
        rps: 10_000.0,
        p99_ms: 100.0,
        availability: 0.99,
    };
    match plan(&s, &t) {
        Plan::Impossible(why) => assert!(why.contains("service times"), "{why}"),
        other => panic!("expected impossible, got {other:?}"),
    }
    // p99 under 400 ms is reachable: the plan meets it, and taking any instance away breaks it.
    let t = Target {
        rps: 10_000.0,
        p99_ms: 400.0,
        availability: 0.995,
    };
    let Plan::Met {
        scenario,
        report,
        changes,
    } = plan(&s, &t)
    else {
        panic!("should be met")
    };
    assert!(report.latency_ms.p99.unwrap() <= 400.0);
    assert!(report.availability >= 0.995);
    assert_eq!(report.dropped_rps, 0.0);
    assert!(changes.contains_key("app-1") && changes["app-1"].1 > changes["app-1"].0);
    for c in scenario
        .components
        .iter()
        .filter(|c| c.kind.is_station() && c.num("instances") > 1.0)
    {
        let mut fewer = (*scenario).clone();
        let n = c.num("instances") - 1.0;
        for x in fewer.components.iter_mut().filter(|x| x.id == c.id) {
            *x = x.clone().with("instances", n);
        }
        let r = analyze(&fewer).unwrap();
        let ok = r.dropped_rps == 0.0
            && r.latency_ms.p99.is_some_and(|p| p <= 400.0)
            && r.availability >= 0.995;
        assert!(!ok, "{} could lose an instance", c.id);
    }
}
