//! The sensitivity ranking: each lever's effect is the re-solved design's, and the ranking
//! puts the change that buys most first.

use archsim::model::{Component, Kind, Link, Scenario, Traffic};
use archsim::solve::{analyze, sensitivity, Change, Goal};
use common::{server, users};

mod common;

/// Users → app (one M/M/1 server at 80 %) → db (one instance, 99 % available, 20 %).
fn design() -> Scenario {
    let mut s = Scenario::new("two tiers", Traffic::rps(80.0, 1.0, 0.0, 0.0));
    s.components = vec![
        users(),
        server("app", 1.0, 10.0).with("availability", 0.9999),
        Component::new("db", Kind::Database, "DB", 0.0, 0.0)
            .with("concurrency", 1.0)
            .with("service_time_ms", 2.5)
            .with("availability", 0.99),
    ];
    s.links = vec![Link::new("users", "app"), Link::new("app", "db")];
    s
}

#[test]
fn the_busiest_server_ranks_first_for_p99_and_the_weakest_for_availability() {
    let s = design();
    let sens = sensitivity(&s).expect("solves");
    let p99 = sens.ranked(Goal::P99);
    let (best, gain) = p99[0];
    assert_eq!(
        (best.id.as_str(), best.change),
        ("app", Change::AddInstance)
    );
    // The gain is the re-solved design's own p99 difference.
    let mut more = s.clone();
    more.components[1] = more.components[1].clone().with("instances", 2.0);
    let after = analyze(&more).unwrap().latency_ms.p99.unwrap();
    let before = analyze(&s).unwrap().latency_ms.p99.unwrap();
    assert_eq!(gain, before - after);
    assert!(p99.windows(2).all(|w| w[0].1 >= w[1].1), "best first");

    let avail = sens.ranked(Goal::Availability);
    assert_eq!(
        (avail[0].0.id.as_str(), avail[0].0.change),
        ("db", Change::AddInstance)
    );
    // Nothing here lowers cost: each component has one instance, and every other lever
    // adds instances or keeps the bill.
    assert!(sens.ranked(Goal::Cost).is_empty());
}

#[test]
fn the_cost_goal_removes_an_instance_only_where_the_rest_carry_the_load() {
    // Four app servers at 20 % each, and a database at 80 %: one app server fewer saves
    // its price with nothing dropped; the database's single instance cannot go.
    let mut s = design();
    s.components[1] = s.components[1].clone().with("instances", 4.0);
    s.components[2] = s.components[2].clone().with("service_time_ms", 10.0);
    let sens = sensitivity(&s).expect("solves");
    let cost = sens.ranked(Goal::Cost);
    assert_eq!(cost.len(), 1, "{cost:?}");
    let (lever, saved) = cost[0];
    assert_eq!(
        (lever.id.as_str(), lever.change),
        ("app", Change::RemoveInstance)
    );
    let price = analyze(&s).unwrap().components["app"].monthly_cost_usd / 4.0;
    assert!((saved - price).abs() < 1e-6, "{saved} against {price}");
    // A pool that would saturate without its instance is no saving: at 150 req/s two
    // 10 ms servers are 75 % busy, and one alone would be offered 150 % and drop.
    let mut tight = design();
    tight.traffic = Traffic::rps(150.0, 1.0, 0.0, 0.0);
    tight.components[1] = tight.components[1].clone().with("instances", 2.0);
    let sens = sensitivity(&tight).expect("solves");
    assert!(sens
        .ranked(Goal::Cost)
        .iter()
        .all(|(l, _)| !(l.id == "app" && l.change == Change::RemoveInstance)));
}

#[test]
fn gains_below_rounding_are_not_levers() {
    // A faster app server moves the availability by a rounding error at most: not named.
    let sens = sensitivity(&design()).expect("solves");
    for goal in [Goal::P99, Goal::Availability, Goal::Cost] {
        for (lever, gain) in sens.ranked(goal) {
            let floor = if goal == Goal::Availability {
                1e-9
            } else {
                1e-6
            };
            assert!(
                gain > floor,
                "{goal}: {} {} by {gain}",
                lever.id,
                lever.change
            );
        }
    }
}

#[test]
fn making_an_overloaded_design_bounded_ranks_above_any_finite_gain() {
    let mut s = design();
    s.traffic = Traffic::rps(105.0, 1.0, 0.0, 0.0);
    let sens = sensitivity(&s).expect("solves");
    assert_eq!(sens.base.p99_ms, None);
    let (best, gain) = sens.ranked(Goal::P99)[0];
    assert_eq!(best.id, "app");
    assert_eq!(gain, f64::INFINITY);
    assert!(best.after.p99_ms.is_some());
}

#[test]
fn a_design_that_does_not_solve_has_no_levers() {
    let mut s = design();
    s.links.push(Link::new("db", "nowhere"));
    assert!(sensitivity(&s).is_none());
}
