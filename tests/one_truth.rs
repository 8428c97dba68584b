//! Numbers that must agree with each other: saturation decided the same way whichever way
//! floating point rounds, a cost that never falls because something failed, availability
//! as the share of requests served (never above what the drops leave), and one meaning of
//! a health check for routing, SPOFs, N−1, availability and the simulator.

mod common;

use archsim::model::{Class, Component, Failure, Kind, Link, Scenario, Traffic};
use archsim::solve::{analyze, analyze_with_failures, FailureMode, SATURATION_TOLERANCE};
use common::{controlled, scenario, users};
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
        // The simulator bills the same instances: a what-if failure before the run starts
        // leaves them on the bill (short run: only the bill is read).
        let mut run = failed.clone();
        run.simulation = Some(archsim::model::Simulation {
            seconds: 5.0,
            warmup_s: 0.0,
            ..Default::default()
        });
        let sim = archsim::sim::simulate(&run).expect("runs");
        assert!(
            (sim.monthly_cost_usd - base).abs() < 1e-6 * base,
            "{failure:?}: simulated {} against {base}",
            sim.monthly_cost_usd
        );
    }
}

#[test]
fn a_cache_holding_more_than_a_node_costs_its_memory_in_both_engines_and_the_explanation() {
    // 10 million keys of 10 KB: 100 GB over two instances, each 50 GB of the 3.09 GiB
    // (cache.t4g.medium) that the kind's $50 buys: each priced as 15.07 such nodes.
    let mut s = Scenario::new("t", Traffic::rps(100.0, 1.0, 0.0, 0.0));
    s.traffic.keys = Some(1e8);
    s.traffic.object_kb = Some(10.0);
    s.components.push(users());
    s.components.push(
        Component::new("cache", Kind::Cache, "Cache", 0.0, 0.0)
            .with("capacity_keys", 1e7)
            .with("instances", 2.0),
    );
    s.components
        .push(Component::new("db", Kind::Database, "DB", 0.0, 0.0).with("concurrency", 64.0));
    s.links.push(Link::new("users", "cache"));
    s.links.push(Link::new("cache", "db"));
    let r = analyze(&s).expect("valid");
    let nodes = 1e11 / archsim::model::CACHE_NODE_BYTES;
    let cache = 50.0 * nodes;
    assert!(
        (r.components["cache"].monthly_cost_usd - cache).abs() < 1e-6,
        "{}",
        r.components["cache"].monthly_cost_usd
    );
    assert!((r.monthly_cost_usd - (cache + 150.0)).abs() < 1e-6);
    // Within a node (10 000 keys: 100 MB), the kind's price alone.
    let mut small = s.clone();
    small.components[1] = small.components[1].clone().with("capacity_keys", 1e4);
    assert_eq!(
        analyze(&small).expect("valid").components["cache"].monthly_cost_usd,
        100.0
    );
    // The simulator bills the same; the explanation's parts add up to it and say why.
    let mut run = s.clone();
    run.simulation = Some(archsim::model::Simulation {
        seconds: 2.0,
        warmup_s: 0.0,
        ..Default::default()
    });
    let sim = archsim::sim::simulate(&run).expect("runs");
    assert!((sim.monthly_cost_usd - r.monthly_cost_usd).abs() < 1e-6 * r.monthly_cost_usd);
    let e = archsim::solve::explain(&s, &r).expect("explains");
    let cost = e.figure(archsim::solve::Figure::MonthlyCost).expect("cost");
    let sum: f64 = cost.inputs.iter().map(|i| i.value).sum();
    assert!((sum - r.monthly_cost_usd).abs() < 1e-6);
    assert!(
        cost.steps
            .iter()
            .any(|t| t.starts_with("Cache: 2 × $50.00 × 15.07") && t.contains("50 GB")),
        "{:?}",
        cost.steps
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn cost_does_not_fall_when_something_fails(seed in any::<u64>(), pick in any::<usize>()) {
        // Autoscaled pools included: a failure shows the moment before any policy reacts.
        let s = if seed % 2 == 0 { controlled(seed, false) } else { scenario(seed, false) };
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

/// Availability is the expected share of offered requests served, so it can never exceed
/// the share the steady state serves. Checked with a margin for sampled estimates.
fn assert_availability_within_drops(s: &Scenario, what: &str) {
    let Ok(r) = analyze(s) else { return };
    if r.offered_rps <= 0.0 {
        return;
    }
    let served = 1.0 - r.dropped_rps / r.offered_rps;
    let margin = r.availability_margin.unwrap_or(0.0);
    assert!(
        r.availability <= served + margin + 1e-9,
        "{what}: availability {} above the served share {served}",
        r.availability
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn availability_never_exceeds_the_served_share(
        seed in any::<u64>(),
        pick in any::<usize>(),
        surge in 1.0f64..30.0,
    ) {
        // Rate limits and shedding included: their refusals are drops like any other.
        let mut s = if seed % 3 == 0 { controlled(seed, seed % 2 == 0) } else { scenario(seed, seed % 2 == 0) };
        assert_availability_within_drops(&s, "as drawn");
        let failable: Vec<String> =
            s.components.iter().filter(|c| c.kind != Kind::Client).map(|c| c.id.clone()).collect();
        prop_assume!(!failable.is_empty());
        let id = &failable[pick % failable.len()];
        let mut failed = s.clone();
        failed.failed.insert(id.clone(), Failure::DOWN);
        assert_availability_within_drops(&failed, &format!("{id} down"));
        s.traffic.rps = s.traffic.rps.map(|r| r * surge);
        assert_availability_within_drops(&s, &format!("×{surge:.1} traffic"));
    }
}

/// The journey's replicated design, the one the issue measured: failing the database and
/// ten times the traffic must show in availability as they show in drops.
#[test]
fn failing_the_database_or_ten_times_the_traffic_lowers_availability_with_the_drops() {
    for stage in archsim::presets::journey() {
        let s = (stage.build)();
        let Ok(base) = analyze(&s) else { continue };
        for c in s.components.iter().filter(|c| c.kind == Kind::Database) {
            let mut failed = s.clone();
            failed.failed.insert(c.id.clone(), Failure::DOWN);
            let r = analyze(&failed).expect("valid");
            let served = 1.0 - r.dropped_rps / r.offered_rps;
            assert!(
                r.availability <= served + 1e-12,
                "{}: {}",
                stage.title,
                c.id
            );
        }
        let mut busy = s.clone();
        busy.traffic.rps = busy.traffic.rps.map(|r| r * 10.0);
        if let Some(u) = busy.traffic.users.as_mut() {
            u.daily_active *= 10.0;
        }
        let r = analyze(&busy).expect("valid");
        let served = 1.0 - r.dropped_rps / r.offered_rps;
        assert!(r.availability <= served + 1e-12, "{} at ×10", stage.title);
        assert!(
            r.availability <= base.availability + 1e-12,
            "{}",
            stage.title
        );
    }
}

/// Every N−1 row reports the same measure as the headline: never above its served share
/// (every row worked out, not only the ones shown first).
#[test]
fn every_n_minus_1_row_uses_the_served_share() {
    for stage in archsim::presets::journey() {
        let s = (stage.build)();
        let Ok(r) = analyze(&s) else { continue };
        for row in &archsim::solve::failure_analysis_exhaustive(&s, &r).n_minus_1 {
            let served = 1.0 - row.dropped_rps / r.offered_rps;
            let availability = row.detail.map_or(0.0, |d| d.availability);
            assert!(
                availability <= served + 1e-12,
                "{}: {} {:?}: {availability} > {served}",
                stage.title,
                row.id,
                row.failure,
            );
        }
    }
}

/// DNS → two balancers → one app server each, every instance up with probability `a`
/// (DNS and balancers always up), with the given health check on DNS.
fn two_cells(check: &str, a: f64) -> Scenario {
    let mut s = Scenario::new("two cells", Traffic::rps(10.0, 1.0, 0.0, 0.0));
    s.components.push(users());
    s.components.push(
        Component::new("dns", Kind::Dns, "DNS", 0.0, 0.0)
            .with("instances", 2.0)
            .with("availability", 1.0)
            .with_choice("health_check", check),
    );
    s.links.push(Link::new("users", "dns"));
    for i in 1..=2 {
        s.components.push(
            Component::new(format!("lb{i}"), Kind::LoadBalancer, "", 0.0, 0.0)
                .with("availability", 1.0)
                .with_choice("health_check", check),
        );
        s.components.push(
            Component::new(format!("app{i}"), Kind::AppServer, "", 0.0, 0.0)
                .with("instances", 1.0)
                .with("availability", a),
        );
        s.links.push(Link::new("dns", format!("lb{i}")));
        s.links.push(Link::new(format!("lb{i}"), format!("app{i}")));
    }
    s
}

#[test]
fn a_deep_health_check_routes_around_a_cell_that_cannot_serve_everywhere() {
    let a: f64 = 0.99;
    let s = two_cells("deep", a);
    let r = analyze_with_failures(&s).expect("valid");
    // Availability: either cell will do.
    let want = 1.0 - (1.0 - a) * (1.0 - a);
    assert!(
        (r.availability - want).abs() < 1e-12,
        "{} vs {want}",
        r.availability
    );
    // SPOFs and N−1 agree: losing one app server drops nothing, so none is a SPOF.
    assert!(r.spofs.is_empty(), "{:?}", r.spofs);
    for row in r.n_minus_1.iter().filter(|row| row.id.starts_with("app")) {
        assert_eq!(row.dropped_rps, 0.0, "{}", row.id);
    }
    // Routing (and so the simulator, which routes by the same tables): DNS sends
    // everything to the cell that can serve.
    let mut failed = s.clone();
    failed.failed.insert("app1".into(), Failure::DOWN);
    let f = analyze(&failed).expect("valid");
    assert_eq!(f.dropped_rps, 0.0);
    assert_eq!(f.components["lb1"].arrival_rps, 0.0);
}

#[test]
fn a_shallow_health_check_keeps_sending_to_a_cell_that_cannot_serve_everywhere() {
    let a: f64 = 0.99;
    let s = two_cells("shallow", a);
    let r = analyze_with_failures(&s).expect("valid");
    // DNS sees both balancers up, so it needs both cells: a².
    let want = a * a;
    assert!(
        (r.availability - want).abs() < 1e-12,
        "{} vs {want}",
        r.availability
    );
    // Losing one app server drops its cell's half: both are SPOFs, as N−1 shows.
    assert_eq!(r.spofs, vec!["app1".to_owned(), "app2".to_owned()]);
    for row in r.n_minus_1.iter().filter(|row| row.id.starts_with("app")) {
        assert!(
            (row.dropped_rps - 5.0).abs() < 1e-9,
            "{} {}",
            row.id,
            row.dropped_rps
        );
        assert_eq!(row.failure, FailureMode::Instance);
    }
}

/// The starter at `rps`: a balancer over two one-server app pools, both calling one
/// database.
fn starter_at(rps: f64) -> Scenario {
    let mut s = archsim::presets::starter();
    s.traffic = Traffic::rps(rps, 0.8, 0.2, 0.0);
    s
}

#[test]
fn servers_that_cannot_carry_each_other_are_needed_by_the_availability_as_spofs() {
    let up = |s: &Scenario, id: &str| {
        s.components
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.num("availability"))
            .expect("in the starter")
    };
    // 200/s over two servers of 160/s: losing either drops 40/s, so both are SPOFs, and the
    // availability needs both (tolerance: rounding only).
    let busy = starter_at(200.0);
    let r = analyze_with_failures(&busy).expect("valid");
    assert_eq!(r.spofs, ["app-1", "app-2", "db", "lb"]);
    let all = up(&busy, "lb") * up(&busy, "app-1") * up(&busy, "app-2") * up(&busy, "db");
    assert!(
        (r.availability - all).abs() < 1e-12,
        "{} vs {all}",
        r.availability
    );
    // A server that is never up: no availability, as its N−1 row and the SPOF list say
    // the design cannot do without it.
    let never = with_availability(busy, "app-1", 0.0);
    assert_eq!(analyze(&never).expect("valid").availability, 0.0);
    // App server 1 twice as fast (320/s): it carries 200/s alone, App server 2 does not.
    // Only App server 1 is a SPOF, and the availability needs it and not the other: failing
    // App server 2 leaves the availability where it was (it used to raise it).
    let mut fast = starter_at(200.0);
    for c in fast.components.iter_mut().filter(|c| c.id == "app-1") {
        *c = c.clone().with("service_time_ms", 25.0);
    }
    let r = analyze_with_failures(&fast).expect("valid");
    assert_eq!(r.spofs, ["app-1", "db", "lb"]);
    let needed = up(&fast, "lb") * up(&fast, "app-1") * up(&fast, "db");
    assert!(
        (r.availability - needed).abs() < 1e-12,
        "{} vs {needed}",
        r.availability
    );
    let mut without = fast.clone();
    without.failed.insert("app-2".into(), Failure::DOWN);
    let w = analyze(&without).expect("valid");
    assert!(
        (w.availability - r.availability).abs() < 1e-12,
        "{} vs {}",
        w.availability,
        r.availability
    );
    // At 100/s either server carries it all: neither is a SPOF, and either will do.
    let light = starter_at(100.0);
    let r = analyze_with_failures(&light).expect("valid");
    assert_eq!(r.spofs, ["db", "lb"]);
    let a = up(&light, "app-1");
    let either = up(&light, "lb") * (1.0 - (1.0 - a) * (1.0 - a)) * up(&light, "db");
    assert!(
        (r.availability - either).abs() < 1e-12,
        "{} vs {either}",
        r.availability
    );
}

/// `s` with component `id`'s instances up with probability `a`.
fn with_availability(mut s: Scenario, id: &str, a: f64) -> Scenario {
    for c in s.components.iter_mut().filter(|c| c.id == id) {
        *c = c.clone().with("availability", a);
    }
    s
}

/// Reads only, at `rps`: users → a primary that sends them on to two replicas of 160/s.
fn primary_and_two_replicas(rps: f64) -> Scenario {
    let mut s = Scenario::new("replicas", Traffic::rps(rps, 1.0, 0.0, 0.0));
    s.components.push(users());
    s.components.push(
        Component::new("db", Kind::Database, "Primary", 0.0, 0.0)
            .with("concurrency", 64.0)
            .with("availability", 0.999),
    );
    for r in ["r1", "r2"] {
        s.components.push(
            Component::new(r, Kind::ReadReplica, "", 0.0, 0.0)
                .with("concurrency", 1.0)
                .with("service_time_ms", 6.25)
                .with("availability", 0.99),
        );
        s.links.push(Link::new("db", r));
    }
    s.links.push(Link::new("users", "db"));
    s
}

#[test]
fn a_primary_needs_the_replicas_that_are_up_and_enough_of_them() {
    let (p, a) = (0.999_f64, 0.99_f64);
    // 100/s: either replica carries the reads, and with both down the primary serves
    // them itself: only the primary is needed.
    let r = analyze_with_failures(&primary_and_two_replicas(100.0)).expect("valid");
    assert_eq!(r.spofs, ["db"]);
    assert!((r.availability - p).abs() < 1e-12, "{}", r.availability);
    // 200/s: one replica alone would receive 200/s of 160: both are SPOFs. The reads are
    // served with both replicas up, or both down (the primary serves them).
    let r = analyze_with_failures(&primary_and_two_replicas(200.0)).expect("valid");
    assert_eq!(r.spofs, ["db", "r1", "r2"]);
    let want = p * (a * a + (1.0 - a) * (1.0 - a));
    assert!(
        (r.availability - want).abs() < 1e-12,
        "{} vs {want}",
        r.availability
    );
}

/// Users split between a cache (half hits) in front of a database and an app server
/// calling the same database, which serves `db_rps` per second.
fn cache_beside_an_app(db_rps: f64) -> Scenario {
    let mut s = Scenario::new("cache beside an app", Traffic::rps(100.0, 1.0, 0.0, 0.0));
    s.components.push(users());
    s.components.push(
        Component::new("cache", Kind::Cache, "", 0.0, 0.0)
            .with("hit_ratio", 0.5)
            .with("availability", 0.99),
    );
    s.components
        .push(Component::new("app", Kind::AppServer, "", 0.0, 0.0).with("availability", 1.0));
    s.components.push(
        Component::new("db", Kind::Database, "", 0.0, 0.0)
            .with("concurrency", 1.0)
            .with("service_time_ms", 1000.0 / db_rps)
            .with("availability", 1.0),
    );
    for (from, to) in [
        ("users", "cache"),
        ("users", "app"),
        ("cache", "db"),
        ("app", "db"),
    ] {
        s.links.push(Link::new(from, to));
    }
    s
}

#[test]
fn a_dead_cache_is_passed_through_by_routing_and_availability_alike() {
    // Routing sends a dead cache's callers on to its origin, not to the app: with room at
    // the database its loss costs nothing, in the SPOF list and in the availability.
    let roomy = cache_beside_an_app(1000.0);
    let r = analyze_with_failures(&roomy).expect("valid");
    assert!(!r.spofs.contains(&"cache".to_owned()), "{:?}", r.spofs);
    let never = analyze(&with_availability(roomy, "cache", 0.0)).expect("valid");
    assert!((never.availability - r.availability).abs() < 1e-12);
    // A database that cannot take the cache's hits too (75/s now, 100/s without it): the
    // cache is a SPOF, and never up, nothing is available.
    let tight = cache_beside_an_app(90.0);
    let r = analyze_with_failures(&tight).expect("valid");
    assert!(r.spofs.contains(&"cache".to_owned()), "{:?}", r.spofs);
    assert_eq!(
        analyze(&with_availability(tight, "cache", 0.0))
            .expect("valid")
            .availability,
        0.0
    );
}

/// Users → a balancer with health check `check` → app servers that read from a replica and
/// write to the primary, which streams to the replica; 90 % reads.
fn reads_and_writes_apart(check: &str) -> Scenario {
    let mut s = Scenario::new("reads and writes apart", Traffic::rps(100.0, 0.9, 0.1, 0.0));
    s.components.push(users());
    s.components.push(
        Component::new("lb", Kind::LoadBalancer, "", 0.0, 0.0).with_choice("health_check", check),
    );
    s.components
        .push(Component::new("app", Kind::AppServer, "", 0.0, 0.0).with("instances", 2.0));
    s.components
        .push(Component::new("db", Kind::Database, "", 0.0, 0.0));
    s.components
        .push(Component::new("replica", Kind::ReadReplica, "", 0.0, 0.0));
    s.links.push(Link::new("users", "lb"));
    s.links.push(Link::new("lb", "app"));
    s.links
        .push(Link::new("app", "db").only(&[Class::Write]).calling(1.0));
    s.links.push(
        Link::new("app", "replica")
            .only(&[Class::Read])
            .calling(1.0),
    );
    s.links.push(Link::new("db", "replica"));
    s
}

#[test]
fn a_deep_check_that_pulls_a_tier_for_its_writes_stops_its_reads_in_the_availability_too() {
    let primary = |s: &Scenario| {
        s.components
            .iter()
            .find(|c| c.id == "db")
            .map(|c| c.num("availability"))
            .expect("has a primary")
    };
    // Deep: without the primary the app servers fail their check, so the balancer has
    // nowhere to send reads either; routing drops everything, and the availability cannot
    // exceed the primary's.
    let deep = reads_and_writes_apart("deep");
    let mut failed = deep.clone();
    failed.failed.insert("db".into(), Failure::DOWN);
    assert_eq!(analyze(&failed).expect("valid").availability, 0.0);
    let with_deep = analyze(&deep).expect("valid").availability;
    assert!(
        with_deep <= primary(&deep) + 1e-12,
        "{with_deep} vs {}",
        primary(&deep)
    );
    // Shallow: the reads keep going without the primary, and the availability counts them.
    let shallow = reads_and_writes_apart("shallow");
    let mut failed = shallow.clone();
    failed.failed.insert("db".into(), Failure::DOWN);
    let f = analyze(&failed).expect("valid");
    assert!((f.dropped_rps - 10.0).abs() < 1e-9, "{}", f.dropped_rps);
    // The reads (90 %) no longer need the primary: its downtime costs a tenth as much.
    let with_shallow = analyze(&shallow).expect("valid").availability;
    let saved = 0.9 * (1.0 - primary(&shallow));
    assert!(
        with_shallow - with_deep > 0.99 * saved,
        "{with_shallow} vs {with_deep}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// The SPOF list and the N−1 rows it rests on agree: a component is listed exactly when
    /// losing one instance of it (its only one, if it has one) drops more than the design
    /// drops now, for want of redundancy: requests with nowhere working to go, or refused
    /// by a component left saturated (what availability's capacity test calls down). Every
    /// component has that row, and only pools have a whole-pool row.
    #[test]
    fn the_spof_list_is_the_one_instance_rows_that_drop(seed in any::<u64>()) {
        let s = scenario(seed, seed % 3 == 0);
        let Ok(r) = analyze_with_failures(&s) else { return Ok(()) };
        let tolerance = 1e-9 * (1.0 + r.offered_rps);
        for c in s.components.iter().filter(|c| c.kind != Kind::Client) {
            let rows: Vec<_> = r.n_minus_1.iter().filter(|i| i.id == c.id).collect();
            let one = rows.iter().find(|i| i.failure == FailureMode::Instance);
            let Some(one) = one else { continue }; // a loop that cannot be solved without it
            let drops = one.dropped_rps > r.dropped_rps + tolerance;
            let unredundant = drops && {
                let mut failed = s.clone();
                failed.failed.insert(c.id.clone(), one.as_failure());
                let f = analyze(&failed).expect("its row was solved");
                f.components.iter().map(|(id, a)| {
                    let b = &r.components[id];
                    let stranded = (a.stranded_rps - b.stranded_rps).max(0.0);
                    let refused = |x: &archsim::solve::ComponentReport| x.dropped_rps - x.stranded_rps;
                    let overloaded = if a.saturated { (refused(a) - refused(b)).max(0.0) } else { 0.0 };
                    stranded + overloaded
                }).sum::<f64>() > tolerance
            };
            prop_assert_eq!(r.spofs.contains(&c.id), unredundant, "{}: {} vs {}", c.id, one.dropped_rps, r.dropped_rps);
            let pool = c.num("instances") >= 2.0;
            prop_assert!(pool || rows.iter().all(|i| i.failure == FailureMode::Instance));
        }
        // Grouped: every one-instance row before every whole-pool row.
        let modes: Vec<FailureMode> = r.n_minus_1.iter().map(|i| i.failure).collect();
        prop_assert!(modes.windows(2).all(|w| w[0] <= w[1]));
    }
}

/// Every journey stage's design and the starter, named.
fn preset_designs() -> Vec<(String, Scenario)> {
    let mut designs: Vec<(String, Scenario)> = archsim::presets::journey()
        .iter()
        .map(|st| (st.title.to_owned(), (st.build)()))
        .collect();
    designs.push(("starter".into(), archsim::presets::starter()));
    designs
}

/// No preset sends a component requests it cannot serve (the warning a person would see),
/// and the warning appears when a link does.
#[test]
fn presets_route_every_class_to_a_component_that_can_serve_it() {
    let designs = preset_designs();
    for (name, s) in &designs {
        let r = analyze(s).expect("presets are valid");
        for (id, c) in &r.components {
            assert!(
                c.cannot_serve.is_empty(),
                "{name}: {id} gets {:?}",
                c.cannot_serve
            );
        }
    }
    let mut s = Scenario::new("files", Traffic::rps(10.0, 0.5, 0.2, 0.3));
    s.components.push(users());
    s.components.push(Component::new(
        "files",
        Kind::ObjectStorage,
        "Files",
        0.0,
        0.0,
    ));
    s.links.push(Link::new("users", "files"));
    let r = analyze(&s).expect("valid");
    assert_eq!(r.components["files"].cannot_serve.len(), 2);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("Files (Object storage) receives read and write requests")),
        "{:?}",
        r.notes
    );
}

/// The report's note that begins with `start`.
fn note<'a>(r: &'a archsim::solve::Report, start: &str) -> &'a str {
    r.notes
        .iter()
        .find(|n| n.starts_with(start))
        .unwrap_or_else(|| panic!("no note starting {start:?} in {:?}", r.notes))
}

/// Messages a swamped consumer loses are in its own drops but not in the design's: the
/// producers were answered at enqueue. The note on screen says which, so "Dropped 0/s" in
/// the headline and "10/s" on the worker do not read as a contradiction.
#[test]
fn lost_queue_messages_are_explained_beside_the_requests_dropped() {
    let mut s = Scenario::new("queue", Traffic::rps(200.0, 0.8, 0.2, 0.0));
    s.components = vec![
        users(),
        Component::new("app", Kind::AppServer, "App", 0.0, 0.0).with("instances", 3.0),
        Component::new("db", Kind::Database, "DB", 0.0, 0.0),
        Component::new("q", Kind::Queue, "Q", 0.0, 0.0),
        Component::new("w", Kind::Worker, "W", 0.0, 0.0)
            .with("concurrency", 1.0)
            .with("service_time_ms", 100.0),
    ];
    s.links = vec![
        Link::new("users", "app"),
        Link::new("app", "db"),
        Link::new("app", "q").only(&[archsim::model::Class::Write]),
        Link::new("q", "w"),
    ];
    let r = analyze(&s).unwrap();
    assert_eq!(r.dropped_rps, 0.0);
    assert!(
        (r.components["w"].dropped_rps - 10.0).abs() < 1e-9,
        "{:?}",
        r.components["w"]
    );
    let note = note(&r, "W: ");
    assert!(note.contains("not among the requests dropped"), "{note}");
    assert!(note.contains("without end"), "{note}");
}

/// A mean that is unbounded beside finite percentiles is not a contradiction, and the
/// report says why: a sliver of the requests passes a saturated queue without a limit.
#[test]
fn an_unbounded_mean_beside_finite_percentiles_is_explained() {
    let mut s = archsim::presets::starter();
    s.components[2] = s.components[2].clone().with("service_time_ms", 3_600_000.0);
    let r = analyze(&s).unwrap();
    assert_eq!(r.latency_ms.mean, None);
    assert!(r.latency_ms.p99.is_some());
    let note = note(&r, "The mean latency is unbounded");
    assert!(note.contains("because App server 1 is saturated"), "{note}");
}

/// Requests a working component drops because nothing it could send them to is working are
/// lost to the failure, not to load: the report says so, with the rate its row drops, so a
/// bottleneck line with headroom to spare beside thousands dropped does not read as a
/// contradiction. A component with no link for its requests is a wiring gap, said as such.
#[test]
fn requests_with_nowhere_to_go_are_explained_with_the_drops_of_their_row() {
    let mut s = archsim::presets::example("three-continents")
        .unwrap()
        .unwrap();
    assert!(analyze(&s)
        .unwrap()
        .notes
        .iter()
        .all(|n| !n.contains("nowhere")));
    s.failed.insert("db".to_owned(), Failure::DOWN);
    let r = analyze(&s).unwrap();
    let dns = &r.components["dns"];
    assert!(!dns.saturated && dns.dropped_rps > 2000.0, "{dns:?}");
    let lost = note(&r, "GeoDNS has nowhere to send ");
    assert!(
        lost.contains(&format!(
            "{} req/s (read and write requests)",
            archsim::model::rate(dns.dropped_rps)
        )),
        "{lost}"
    );
    assert!(lost.contains("not to load"), "{lost}");

    let mut lone = Scenario::new("unlinked", Traffic::rps(100.0, 0.9, 0.1, 0.0));
    lone.components = vec![users(), common::server("app", 1.0, 10.0)];
    let r = analyze(&lone).unwrap();
    let gap = note(&r, "Users has no link for its read and write requests");
    assert!(gap.contains("100 req/s go nowhere"), "{gap}");
    assert!(r.notes.iter().all(|n| !n.contains("nowhere to send")));
}

/// The analytic core drops what a saturated queue with no limit never serves; a run sees
/// those requests wait without end. The comparison sets what neither answers side by side,
/// so "Dropped 40/s" beside "errors 0 %" is not read as a disagreement.
#[test]
fn what_a_run_leaves_unanswered_is_what_the_analytic_core_drops() {
    let mut s = archsim::presets::starter();
    s.failed.insert("app-2".to_owned(), Failure::DOWN);
    let r = analyze(&s).unwrap();
    assert!((r.dropped_rps - 40.0).abs() < 1e-9);
    let run = archsim::sim::simulate(&s).unwrap();
    assert_eq!(run.failed, 0, "nothing fails: the requests wait");
    let rows = archsim::sim::compare(&s, &r, &run);
    let row = rows
        .iter()
        .find(|c| c.metric == archsim::sim::Metric::Unanswered)
        .expect("a row for what is not answered");
    assert_eq!(row.analytic, Some(r.dropped_rps));
    assert_eq!(row.agrees, Some(true), "{row:?}");
}

/// Offered less answered is below zero in a run that answers, in its window, requests
/// offered before it; no rate of unanswered requests is, so the comparison shows zero (the
/// cache example once read "not answered −0.1 ± 1.1 req/s").
#[test]
fn no_run_leaves_a_negative_rate_unanswered() {
    for (key, _, text) in archsim::presets::EXAMPLES {
        let s = archsim::codec::from_json(text).unwrap();
        let Ok(r) = analyze(&s) else { continue };
        let run = archsim::sim::simulate(&s).unwrap();
        let rows = archsim::sim::compare(&s, &r, &run);
        let row = rows
            .iter()
            .find(|c| c.metric == archsim::sim::Metric::Unanswered)
            .expect("a row for what is not answered");
        assert!(row.simulated.value >= 0.0, "{key}: {row:?}");
        assert_eq!(row.simulated.half_width, run.unanswered_rps.half_width);
    }
}

/// The sentence that names the bottleneck quotes the headline's headroom as the panel
/// writes it (or, overloaded, its inverse), for every stage and at ten times its traffic.
#[test]
fn the_bottleneck_sentence_quotes_the_headline_headroom() {
    use archsim::model::multiple;
    use archsim::solve::saturates;
    let designs = preset_designs();
    let mut overloaded = 0;
    for (name, s) in &designs {
        let mut busy = s.clone();
        busy.traffic = busy.traffic.scaled(10.0);
        for s in [s, &busy] {
            let r = analyze(s).expect("presets are valid");
            let (Some(h), Some(text)) = (r.headroom, r.bottleneck_reason(s)) else {
                continue;
            };
            let quoted = if saturates(1.0 / h) {
                overloaded += 1;
                format!("offered {} what it can serve", multiple(1.0 / h))
            } else {
                format!("at {} today's traffic", multiple(h))
            };
            assert!(text.contains(&quoted), "{name}: {text:?} lacks {quoted:?}");
            let b = s.name_of(r.bottleneck.as_deref().expect("a bottleneck"));
            assert!(
                text.starts_with(&format!("Bottleneck: {b}, ")),
                "{name}: {text:?}"
            );
        }
    }
    assert!(
        overloaded > 0,
        "some stage is overloaded at ten times its traffic"
    );
}

#[test]
fn a_cache_whose_lost_instance_swamps_the_database_is_needed_whole() {
    // 1 000 reads a second over 2 000 keys (skew 0.8) through a cache of 400 keys on four
    // instances, to a database that serves 500 a second. All four answer 53.9 % of the
    // reads: 461 misses a second. Three hold 300 keys' worth: 47.8 %, 522 misses, more than the
    // database serves. So every instance is a SPOF, and the availability needs all four,
    // as its N−1 row and the SPOF list say (tolerance: rounding only).
    let mut s = Scenario::new("room", Traffic::rps(1000.0, 1.0, 0.0, 0.0));
    (s.traffic.keys, s.traffic.zipf_s) = (Some(2000.0), Some(0.8));
    s.components = vec![
        Component::new("users", Kind::Client, "Users", 0.0, 0.0),
        Component::new("cache", Kind::Cache, "Cache", 0.0, 0.0)
            .with("instances", 4.0)
            .with("capacity_keys", 400.0)
            .with("availability", 0.99),
        Component::new("db", Kind::Database, "DB", 0.0, 0.0)
            .with("concurrency", 1000.0)
            .with("service_time_ms", 2000.0)
            .with("availability", 0.999),
    ];
    s.links = vec![Link::new("users", "cache"), Link::new("cache", "db")];
    let r = analyze_with_failures(&s).expect("valid");
    let row = r
        .n_minus_1
        .iter()
        .find(|i| i.id == "cache" && i.failure == FailureMode::Instance)
        .expect("a row per instance");
    assert!(row.dropped_rps > 10.0, "{}", row.dropped_rps);
    let why = r.spof_reasons.get("cache").expect("a SPOF");
    assert!(
        why.contains(
            "with one of its 4 instances down it holds fewer keys, its hit ratio \
             falls from 53.9 % to 47.8 %, and DB receives 522 req/s"
        ),
        "{why}"
    );
    let all_four = 0.99_f64.powi(4) * 0.999;
    assert!(
        (r.availability - all_four).abs() < 1e-12,
        "{} vs {all_four}",
        r.availability
    );
    // With a database that serves 2 000 a second, passing the cache by drops nothing: it
    // is no SPOF, and the availability does not need it.
    let mut fast = s.clone();
    fast.components[2] = fast.components[2].clone().with("service_time_ms", 500.0);
    let r = analyze_with_failures(&fast).expect("valid");
    assert!(!r.spofs.contains(&"cache".to_owned()), "{:?}", r.spofs);
    assert!((r.availability - 0.999).abs() < 1e-12, "{}", r.availability);
}

#[test]
fn a_primary_that_fails_over_stands_in_for_its_side_of_a_split() {
    // An app splits its writes between a primary (with failover to a replica) and a queue,
    // and either carries them all. Only the queue can fail (99 %); when it does, the app
    // sends every write to the primary and drops nothing. So the availability does not
    // need the queue: failing it must not raise the figure (it rose from 99.80 % to 100 %
    // when the primary's failover took it out of the split and left the queue alone).
    let mut s = Scenario::new("failover and a queue", Traffic::rps(100.0, 0.8, 0.2, 0.0));
    let at = |id: &str, kind: Kind, a: f64| {
        Component::new(id, kind, id, 0.0, 0.0).with("availability", a)
    };
    s.components = vec![
        users(),
        at("app", Kind::AppServer, 1.0).with("instances", 2.0),
        at("db", Kind::Database, 1.0).with("failover_s", 30.0),
        at("r1", Kind::ReadReplica, 1.0),
        at("q", Kind::Queue, 0.99),
        at("w", Kind::Worker, 1.0).with("instances", 4.0),
    ];
    s.links = vec![
        Link::new("users", "app"),
        Link::new("app", "db"),
        Link::new("app", "q").only(&[Class::Write]),
        Link::new("db", "r1"),
        Link::new("q", "w"),
    ];
    let r = analyze_with_failures(&s).expect("valid");
    assert!(r.spofs.is_empty(), "{:?}", r.spofs);
    assert_eq!(r.availability, 1.0);
    let mut without = s.clone();
    without.failed.insert("q".into(), Failure::DOWN);
    assert_eq!(analyze(&without).expect("valid").availability, 1.0);
}

#[test]
fn no_traffic_has_the_availability_of_a_vanishing_rate() {
    // With nothing offered, the availability is the limit as traffic vanishes: the same
    // requirements, a deep health check's among them (it rested on rates before, and a
    // queue behind a deep-checked tier dropped out at zero traffic).
    let mut designs = preset_designs();
    // A queue called for writes behind a balancer with a deep check: found by a new user.
    let interview = r#"{"version":9,"name":"Interview","traffic":{"rps":1000,"read":0.8,"write":0.15,"static":0.05},"components":[{"id":"users","kind":"client","label":"Users"},{"id":"dns","kind":"dns","label":"DNS"},{"id":"lb","kind":"load_balancer","label":"LB"},{"id":"app","kind":"app_server","label":"App","params":{"instances":10}},{"id":"cache","kind":"cache","label":"Cache","params":{"hit_ratio":0.9}},{"id":"db","kind":"database","label":"DB primary","params":{"failover_s":30}},{"id":"r1","kind":"read_replica","label":"Replica 1"},{"id":"r2","kind":"read_replica","label":"Replica 2"},{"id":"q","kind":"queue","label":"Queue"},{"id":"w","kind":"worker","label":"Workers","params":{"instances":6}},{"id":"s3","kind":"object_storage","label":"Objects"}],"links":[{"from":"users","to":"dns"},{"from":"dns","to":"lb"},{"from":"lb","to":"app"},{"from":"app","to":"cache","classes":["read"]},{"from":"cache","to":"db"},{"from":"app","to":"db","classes":["write"]},{"from":"db","to":"r1"},{"from":"db","to":"r2"},{"from":"app","to":"q","classes":["write"],"calls":1},{"from":"q","to":"w"},{"from":"app","to":"s3","classes":["static"]}]}"#;
    designs.push((
        "interview".into(),
        serde_json::from_str(interview).expect("a design"),
    ));
    for (name, s) in designs {
        let at = |rps: f64| {
            let mut s = s.clone();
            s.traffic.rps = Some(rps);
            s.traffic.users = None;
            analyze(&s).expect("valid").availability
        };
        let (none, vanishing) = (at(0.0), at(1e-9));
        assert!(
            (none - vanishing).abs() < 1e-12,
            "{name}: {none} vs {vanishing}"
        );
    }
}

#[test]
fn a_design_that_can_fail_never_reads_as_certain() {
    // Ten app servers at 99 % each, one of which carries the load: 1 − 10⁻²⁰, which is one
    // in a double. The pool, and the design, can fail, so neither may read "100%".
    let mut s = Scenario::new("many servers", Traffic::rps(10.0, 1.0, 0.0, 0.0));
    s.components.push(users());
    s.components.push(
        Component::new("app", Kind::AppServer, "App", 0.0, 0.0)
            .with("instances", 10.0)
            .with("availability", 0.99),
    );
    s.links.push(Link::new("users", "app"));
    let r = analyze(&s).expect("valid");
    assert!(r.components["app"].availability < 1.0);
    assert!(r.availability < 1.0);
    assert_ne!(archsim::model::availability(r.availability), "100%");
    // What cannot fail still reads as certain.
    s.components[1] = s.components[1].clone().with("availability", 1.0);
    assert_eq!(analyze(&s).expect("valid").availability, 1.0);
}
