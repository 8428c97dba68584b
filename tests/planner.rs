//! The capacity planner: meets reachable targets at a cost no single removal can lower, and
//! says so when no instance count can.

use archsim::model::Scenario;
use archsim::presets::starter;
use archsim::sliced::Sliced;
use archsim::solve::{analyze, analyze_with_failures, plan, planned, Plan, Planning, Target};

/// Asserts that `planned` has no single point of failure that `s` did not have at the
/// target's traffic; returns the ones `s` had.
fn no_new_spof(s: &Scenario, planned: &Scenario, t: &Target) -> Vec<String> {
    let mut before = s.clone();
    before.traffic.rps = Some(t.rps);
    before.traffic.users = None;
    let had = analyze_with_failures(&before).unwrap().spofs;
    let has = analyze_with_failures(planned).unwrap().spofs;
    assert!(has.iter().all(|x| had.contains(x)), "{has:?} vs {had:?}");
    had
}

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
        // The explanation comes from the numbers: the mean path is well under 100 ms, so it
        // is the spread, not the sum, of the service times that puts p99 over.
        Plan::Impossible(why) => {
            assert!(why.contains("while the mean is"), "{why}");
            assert!(!why.contains("alone exceed"), "{why}");
        }
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
    // The page gets only the counts from its worker and makes the design from them: the
    // same design, and so the same report, as the plan's own.
    assert_eq!(*scenario, planned(&s, &t, &changes));
    assert_eq!(*report, analyze(&planned(&s, &t, &changes)).unwrap());
    assert_eq!(
        Planning::new(s.clone(), t).run_to_end(),
        Ok(changes.clone())
    );
    assert_eq!(report.dropped_rps, 0.0);
    assert!(changes.contains_key("app-1") && changes["app-1"].1 > changes["app-1"].0);
    // Identical siblings get equal counts.
    let n = |id: &str| scenario.component(id).unwrap().num("instances");
    assert_eq!(n("app-1"), n("app-2"));
    // No single point of failure the design did not have at this traffic.
    let had = no_new_spof(&s, &scenario, &t);
    // Minimal: taking one instance from any component (from both siblings together) misses
    // the target or makes a new single point of failure.
    let groups: [&[&str]; 3] = [&["lb"], &["app-1", "app-2"], &["db"]];
    for group in groups {
        if n(group[0]) <= 1.0 {
            continue;
        }
        let mut fewer = (*scenario).clone();
        for x in fewer
            .components
            .iter_mut()
            .filter(|x| group.contains(&x.id.as_str()))
        {
            *x = x.clone().with("instances", n(group[0]) - 1.0);
        }
        let r = analyze_with_failures(&fewer).unwrap();
        let ok = r.dropped_rps == 0.0
            && r.latency_ms.p99.is_some_and(|p| p <= 400.0)
            && r.availability >= 0.995
            && r.spofs.iter().all(|x| had.contains(x));
        assert!(!ok, "{group:?} could lose an instance");
    }
}

/// A design with redundancy it does not need for capacity (four DNS servers) keeps it: the
/// plan never trims a component into a single point of failure.
#[test]
fn a_plan_never_removes_the_redundancy_that_kept_something_from_being_a_spof() {
    let s = archsim::presets::stage("load-balancer")
        .map(|st| (st.build)())
        .unwrap();
    let t = Target {
        rps: 2_000.0,
        p99_ms: 1_000.0,
        availability: 0.9,
    };
    let Plan::Met { scenario, .. } = plan(&s, &t) else {
        panic!("should be met")
    };
    let dns = scenario.component("dns").unwrap().num("instances");
    assert!(dns >= 2.0, "DNS trimmed to {dns}");
    no_new_spof(&s, &scenario, &t);
}
