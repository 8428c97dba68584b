//! Geography: users and data centres in places, latency routing with failover to the next
//! nearest live region, per-population response times, and the round trip of hops between
//! places in both engines (MODEL.md §21).

use archsim::model::{Component, Failure, Geography, Kind, Link, Location, Rtt, Scenario, Traffic};
use archsim::solve::analyze;

fn node(id: &str, kind: Kind) -> Component {
    Component::new(id, kind, id, 0.0, 0.0)
}

/// Users in `places` (equal shares) behind a latency-routing DNS, and one region per
/// site in `sites`, each with a balancer and an identical app pool.
fn world(places: &[&str], sites: &[&str]) -> Scenario {
    let mut s = Scenario::new("world", Traffic::rps(400.0, 1.0, 0.0, 0.0));
    s.components
        .push(node("dns", Kind::Dns).with_choice("routing", "latency"));
    for p in places {
        let id = format!("users-{p}");
        s.components
            .push(node(&id, Kind::Client).with_choice("location", p));
        s.links.push(Link::new(id, "dns"));
    }
    for site in sites {
        let (region, lb, app) = (
            format!("region-{site}"),
            format!("lb-{site}"),
            format!("app-{site}"),
        );
        s.components
            .push(node(&region, Kind::Region).with_choice("location", site));
        s.components.push(node(&lb, Kind::LoadBalancer));
        s.components.push(
            node(&app, Kind::AppServer)
                .with("instances", 4.0)
                .with("service_time_ms", 20.0),
        );
        s.links.push(Link::new("dns", region.clone()));
        s.links.push(Link::new(region, lb.clone()));
        s.links.push(Link::new(lb, app));
    }
    s
}

fn ms(a: Location, b: Location) -> f64 {
    Geography::default().between_ms(a, b)
}

#[test]
fn latency_routing_picks_the_nearest_live_region_and_fails_over_to_the_next() {
    // Tokyo's users are 34.685 ms from Seoul and 217.856 ms from Ireland; Ireland's are at
    // home. With equal shares each region carries half, so the pools are alike and the
    // two populations differ by their distances only (exactly, to rounding).
    let s = world(&["tokyo", "ireland"], &["seoul", "ireland"]);
    let r = analyze(&s).unwrap();
    assert!((r.components["region-seoul"].arrival_rps - 200.0).abs() < 1e-9);
    assert!((r.components["region-ireland"].arrival_rps - 200.0).abs() < 1e-9);
    let by = &r.latency_by_location;
    let gap = by["tokyo"].mean.unwrap() - by["ireland"].mean.unwrap();
    assert!(
        (gap - ms(Location::Tokyo, Location::Seoul)).abs() < 1e-9,
        "{gap}"
    );
    // Ireland's users at home pay their last mile (10 ms) on top of the pool.
    let time = |id: &str| r.components[id].mean_response_ms.unwrap();
    let pool = time("app-ireland") + time("lb-ireland");
    let dns = time("dns") * 0.05;
    assert!((by["ireland"].mean.unwrap() - (10.0 + pool + dns)).abs() < 1e-6);

    // The Seoul region fails: everyone goes to Ireland, and Tokyo pays the long way.
    let mut down = s.clone();
    down.failed.insert("region-seoul".into(), Failure::DOWN);
    let r = analyze(&down).unwrap();
    assert!((r.components["region-ireland"].arrival_rps - 400.0).abs() < 1e-9);
    assert_eq!(r.dropped_rps, 0.0);
    let by = &r.latency_by_location;
    let gap = by["tokyo"].mean.unwrap() - by["ireland"].mean.unwrap();
    assert!(
        (gap - ms(Location::Tokyo, Location::Ireland)).abs() < 1e-9,
        "{gap}"
    );
}

#[test]
fn one_place_gives_the_overall_numbers() {
    let s = world(&["seoul"], &["seoul", "ireland"]);
    let r = analyze(&s).unwrap();
    let here = &r.latency_by_location["seoul"];
    let close = |a: Option<f64>, b: Option<f64>| (a.unwrap() - b.unwrap()).abs() < 1e-9;
    assert!(close(here.mean, r.latency_ms.mean));
    assert!(close(here.p50, r.latency_ms.p50));
    assert!(close(here.p95, r.latency_ms.p95));
    assert!(close(here.p99, r.latency_ms.p99));
    assert_eq!(here.share, 1.0);
    // Nobody is sent to Ireland.
    assert_eq!(r.components["region-ireland"].arrival_rps, 0.0);
}

#[test]
fn the_objective_per_population_is_judged_on_its_p99() {
    let mut s = world(&["tokyo", "ireland"], &["seoul"]);
    for c in &mut s.components {
        if c.kind == Kind::Client {
            *c = c.clone().with("slo_p99_ms", 150.0);
        }
    }
    let r = analyze(&s).unwrap();
    let by = &r.latency_by_location;
    assert_eq!(by["tokyo"].meets_slo, Some(true), "{:?}", by["tokyo"]);
    // Ireland to Seoul is 243.391 ms before any queue.
    assert_eq!(by["ireland"].meets_slo, Some(false), "{:?}", by["ireland"]);
    assert_eq!(by["ireland"].slo_p99, Some(150.0));
}

/// A client with no place calls an app in Virginia, which calls a database `far` away
/// (a scenario-given 100 ms round trip to Ireland) or beside it.
fn call_across(far: bool) -> Scenario {
    let mut s = Scenario::new("call", Traffic::rps(50.0, 1.0, 0.0, 0.0));
    let db_place = if far { "ireland" } else { "virginia" };
    s.components = vec![
        node("users", Kind::Client),
        node("app", Kind::AppServer)
            .with("instances", 2.0)
            .with("service_time_ms", 10.0)
            .with_choice("location", "virginia"),
        node("db", Kind::Database).with_choice("location", db_place),
    ];
    s.links = vec![
        Link::new("users", "app"),
        Link {
            calls: Some(1.0),
            ..Link::new("app", "db")
        },
    ];
    s.geography = Some(Geography {
        access_ms: None,
        rtt_ms: vec![Rtt {
            between: [Location::Virginia, Location::Ireland],
            ms: 100.0,
        }],
    });
    s
}

#[test]
fn a_call_across_a_100_ms_link_adds_100_ms_in_both_engines() {
    use archsim::model::Simulation;
    use archsim::sim::simulate;
    let near = analyze(&call_across(false)).unwrap();
    let far = analyze(&call_across(true)).unwrap();
    let added = far.latency_ms.mean.unwrap() - near.latency_ms.mean.unwrap();
    assert!((added - 100.0).abs() < 1e-9, "{added}");
    // A constant shift moves every percentile by the same 100 ms.
    let p99 = far.latency_ms.p99.unwrap() - near.latency_ms.p99.unwrap();
    assert!((p99 - 100.0).abs() < 1e-3, "{p99}");
    // The simulator pays it per call too: its mean lies within its 95 % interval of the
    // analytic one (widened by 1 % for the interval's own uncertainty).
    let mut s = call_across(true);
    s.simulation = Some(Simulation {
        seconds: 300.0,
        seed: 5,
        ..Simulation::default()
    });
    let run = simulate(&s).unwrap();
    let mean = run.latency_ms.mean.unwrap();
    assert!(
        mean.contains(far.latency_ms.mean.unwrap(), 0.01),
        "{mean:?}"
    );
}

#[test]
fn cross_region_replication_adds_half_the_round_trip_to_the_lag() {
    // One way from the primary to its replica: half of the 100 ms round trip.
    let lag = |far: bool| {
        let mut s = call_across(far);
        s.traffic = Traffic::rps(50.0, 0.5, 0.5, 0.0);
        s.components
            .push(node("replica", Kind::ReadReplica).with_choice("location", "ireland"));
        s.components[2] = node("db", Kind::Database)
            .with_choice("location", if far { "virginia" } else { "ireland" });
        s.links.push(Link::new("db", "replica"));
        let r = analyze(&s).unwrap();
        r.components["replica"].lag.unwrap().mean_ms.unwrap()
    };
    let added = lag(true) - lag(false);
    assert!((added - 50.0).abs() < 1e-9, "{added}");
}

#[test]
fn bad_geography_is_refused_in_words() {
    let said = |s: &Scenario| s.validate().unwrap_err().to_string();
    // A place that is not on the map.
    let mut s = world(&["seoul"], &["seoul"]);
    s.components[1] = s.components[1].clone().with_choice("location", "atlantis");
    let e = said(&s);
    assert!(e.contains("atlantis") && e.contains("seoul"), "{e}");
    // Latency routing to a target without a place.
    let mut s = world(&["seoul"], &["seoul", "ireland"]);
    s.components.push(node("other", Kind::LoadBalancer));
    s.links.push(Link::new("dns", "other"));
    let e = said(&s);
    assert!(e.contains("cannot tell how far \"other\" is"), "{e}");
    // A round trip from a place to itself, and a negative last mile.
    let mut s = world(&["seoul"], &["seoul"]);
    s.geography = Some(Geography {
        access_ms: Some(-1.0),
        rtt_ms: vec![Rtt {
            between: [Location::Seoul, Location::Seoul],
            ms: 3.0,
        }],
    });
    let e = said(&s);
    assert!(
        e.contains("geography.access_ms") && e.contains("geography.rtt_ms[0]"),
        "{e}"
    );
    // An unknown place in the distances is refused when the file is read.
    let json = archsim::codec::to_json(&world(&["seoul"], &["seoul"])).replace(
        "\"links\"",
        "\"geography\": {\"rtt_ms\": [{\"between\": [\"seoul\", \"mars\"], \"ms\": 1}]}, \"links\"",
    );
    let e = archsim::codec::from_json(&json).unwrap_err().to_string();
    assert!(e.contains("mars"), "{e}");
}

#[test]
fn a_design_without_places_is_unchanged() {
    // No location anywhere: no per-population table, and the same numbers as before
    // geography existed (the journey's reference tests pin those).
    let mut s = world(&["seoul"], &["seoul"]);
    for c in &mut s.components {
        c.params.remove("location");
    }
    s.components[0].params.remove("routing");
    let r = analyze(&s).unwrap();
    assert!(r.latency_by_location.is_empty());
}

#[test]
fn the_populations_make_up_the_overall_numbers() {
    // The overall mean is the populations' means weighted by their served shares, and the
    // mean's explanation still adds up to it, with the round trips as their own part.
    let s = archsim::presets::example("three-continents")
        .unwrap()
        .unwrap();
    let r = analyze(&s).unwrap();
    let (mut weight, mut sum) = (0.0, 0.0);
    for p in r.latency_by_location.values() {
        weight += p.share * p.success;
        sum += p.share * p.success * p.mean.unwrap();
    }
    assert!((sum / weight - r.latency_ms.mean.unwrap()).abs() < 1e-9);
    let explained = archsim::solve::explain(&s, &r).unwrap();
    let mean = explained
        .figure(archsim::solve::Figure::MeanLatency)
        .unwrap();
    let parts: f64 = mean.inputs.iter().map(|i| i.value).sum();
    assert!((parts - r.latency_ms.mean.unwrap()).abs() < 1e-6, "{parts}");
    assert!(mean
        .inputs
        .iter()
        .any(|i| i.symbol.contains("Round trips between places")));
}

#[test]
fn a_closed_population_pays_its_round_trips() {
    // One user thinking 1 s in Tokyo, one idle app in Seoul: the least response time is the
    // app's 20 ms plus the last mile and Tokyo–Seoul.
    let mut s = world(&["tokyo"], &["seoul"]);
    s.traffic = Traffic::closed(1.0, 1.0, 1.0, 0.0, 0.0);
    let r = analyze(&s).unwrap();
    let closed = r.closed.unwrap();
    let want = 20.0 + 0.5 + 10.0 + ms(Location::Tokyo, Location::Seoul);
    let dns = r.components["dns"].mean_response_ms.unwrap() * 0.05;
    assert!(
        (closed.least_response_ms - (want + dns)).abs() < 1e-6,
        "{} vs {}",
        closed.least_response_ms,
        want + dns
    );
    // With one user nothing queues: the report's mean is that least time.
    assert!((r.latency_ms.mean.unwrap() - closed.least_response_ms).abs() < 1e-6);
}

#[test]
fn the_simulator_reports_each_population_like_the_analytic_core() {
    use archsim::model::Simulation;
    use archsim::sim::simulate;
    // Tokyo's users go to Seoul (34.685 ms away), Ireland's stay at home; with the Seoul
    // region down from the start, both go to Ireland and Tokyo pays 217.856 ms instead.
    for failed in [false, true] {
        let mut s = world(&["tokyo", "ireland"], &["seoul", "ireland"]);
        if failed {
            s.failed.insert("region-seoul".into(), Failure::DOWN);
        }
        s.simulation = Some(Simulation {
            seconds: 200.0,
            seed: 11,
            ..Simulation::default()
        });
        let a = analyze(&s).unwrap();
        let run = simulate(&s).unwrap();
        assert_eq!(run.latency_by_location.len(), 2);
        for (place, sim) in &run.latency_by_location {
            let analytic = &a.latency_by_location[place];
            // Equal shares of a Poisson stream: each population's count is binomial, so
            // its share of the run's 80 000 requests lies within 1 % of a half.
            assert!((sim.share - 0.5).abs() < 0.01, "{place}: {}", sim.share);
            assert_eq!(sim.success.value, 1.0);
            // Interval checks, widened by 1 % for the intervals' own uncertainty.
            let mean = sim.latency.mean.unwrap();
            assert!(
                mean.contains(analytic.mean.unwrap(), 0.01),
                "{place}: {mean:?}"
            );
        }
        // The two populations differ by the distance, as the analytic core says.
        let m = |p: &str| run.latency_by_location[p].latency.mean.unwrap().value;
        let gap = m("tokyo") - m("ireland");
        let far = if failed {
            Location::Ireland
        } else {
            Location::Seoul
        };
        let expected = ms(Location::Tokyo, far);
        assert!(
            (gap - expected).abs() < 0.05 * expected,
            "{gap} vs {expected}"
        );
        // The comparison sets each population's figures beside the analytic ones, named
        // by place as the populations table names them.
        let rows = archsim::sim::compare(&s, &a, &run);
        let named: Vec<String> = rows
            .iter()
            .filter(|r| r.users.is_some())
            .map(|r| r.name())
            .collect();
        assert!(
            named.contains(&"users in Tokyo: mean latency (ms)".to_owned()),
            "{named:?}"
        );
        assert_eq!(named.len(), 4);
    }
}

#[test]
fn one_simulated_place_is_the_whole_run() {
    use archsim::model::Simulation;
    use archsim::sim::simulate;
    let mut s = world(&["seoul"], &["seoul", "ireland"]);
    s.simulation = Some(Simulation {
        seconds: 60.0,
        seed: 3,
        ..Simulation::default()
    });
    let run = simulate(&s).unwrap();
    let here = &run.latency_by_location["seoul"];
    // The same requests, so the same figures to the bit.
    assert_eq!(here.latency, run.latency_ms);
    assert_eq!(here.share, 1.0);
    assert_eq!(here.success.value, 1.0 - run.error_rate.value);
    // With the users off the map there is no per-population report.
    let mut flat = s.clone();
    for c in flat
        .components
        .iter_mut()
        .filter(|c| c.kind == Kind::Client)
    {
        *c = c.clone().with_choice("location", "none");
    }
    assert!(simulate(&flat).unwrap().latency_by_location.is_empty());
}

#[test]
fn users_in_seoul_tokyo_and_london_each_see_their_own_latency() {
    // The example: users in Seoul, Tokyo, London and N. Virginia; regions in Seoul and
    // London; the primary in Seoul. London (0 ms) and N. Virginia (76.702 ms to London,
    // 176.618 ms to Seoul) go to London; Tokyo (34.685 ms to Seoul) and Seoul to Seoul.
    let mut s = archsim::presets::example("three-continents")
        .unwrap()
        .unwrap();
    let r = analyze(&s).unwrap();
    let places: Vec<&str> = r.latency_by_location.keys().map(String::as_str).collect();
    assert_eq!(places, ["london", "seoul", "tokyo", "virginia"]);
    let routed = r.components["dns"].arrival_rps;
    assert!((r.components["europe"].arrival_rps - 0.3 * routed).abs() < 1e-9);
    assert!((r.components["asia"].arrival_rps - 0.7 * routed).abs() < 1e-9);
    // Tokyo and Seoul share a region: what separates them is the crossing, paid by every
    // routed request and by static misses (a tenth of the CDN's requests go to the origin).
    let mean = |r: &archsim::solve::Report, p: &str| r.latency_by_location[p].mean.unwrap();
    let crossing = (0.85 + 0.10 + 0.05 * 0.1) * ms(Location::Tokyo, Location::Seoul);
    let gap = mean(&r, "tokyo") - mean(&r, "seoul");
    assert!((gap - crossing).abs() < 1e-6, "{gap} vs {crossing}");

    // The Seoul region fails: Asia's users cross to London (215.736 ms from Tokyo,
    // 240.581 ms from Seoul) for every routed request, and their writes come back to the
    // primary in Seoul. London's users stay at home and feel only the busier pool.
    s.failed.insert("asia".into(), Failure::DOWN);
    let down = analyze(&s).unwrap();
    assert!((down.components["europe"].arrival_rps - routed).abs() < 1e-9);
    let rise = |p: &str| mean(&down, p) - mean(&r, p);
    let tokyo =
        0.95 * (ms(Location::Tokyo, Location::London) - ms(Location::Tokyo, Location::Seoul));
    assert!(rise("tokyo") >= tokyo, "{} < {tokyo}", rise("tokyo"));
    let seoul = 0.95 * ms(Location::Seoul, Location::London);
    assert!(rise("seoul") >= seoul, "{} < {seoul}", rise("seoul"));
    assert!(
        rise("london") > 0.0 && rise("london") < 50.0,
        "{}",
        rise("london")
    );
}

#[test]
fn a_design_saved_in_format_8_keeps_its_distances() {
    // Format 8 measured Tokyo–Seoul at 31.44 ms and Tokyo–Ireland at 212.4 ms (the 2017
    // table); format 9 measures 34.685 and 217.856 ms. An old design opens with its own
    // distances pinned, so its numbers do not move; its own corrections still win.
    let s = world(&["tokyo", "ireland"], &["seoul", "ireland"]);
    let now = analyze(&s).unwrap();
    let mut old = s.clone();
    old.geography = Some(Geography {
        access_ms: None,
        rtt_ms: vec![Rtt {
            between: [Location::Seoul, Location::Ireland],
            ms: 250.0,
        }],
    });
    let v8 = archsim::codec::to_json(&old).replace("\"version\": 9", "\"version\": 8");
    let opened = archsim::codec::from_json(&v8).unwrap();
    let g = opened.geography.clone().unwrap();
    assert_eq!(g.between_ms(Location::Tokyo, Location::Seoul), 31.44);
    assert_eq!(g.between_ms(Location::Ireland, Location::Tokyo), 212.4);
    assert_eq!(g.between_ms(Location::Seoul, Location::Ireland), 250.0);
    // Three places, three pinned pairs, then the design's own.
    assert_eq!(g.rtt_ms.len(), 4);
    let then = analyze(&opened).unwrap();
    let gap = |r: &archsim::solve::Report| {
        r.latency_by_location["tokyo"].mean.unwrap()
            - r.latency_by_location["ireland"].mean.unwrap()
    };
    assert!((gap(&then) - 31.44).abs() < 1e-9, "{}", gap(&then));
    assert!((gap(&now) - ms(Location::Tokyo, Location::Seoul)).abs() < 1e-9);
    // A design without places, or from before geography, opens unchanged.
    let plain = archsim::presets::example("closed-population")
        .unwrap()
        .unwrap();
    assert_eq!(plain.geography, None);
    // A hostile geography is left for decoding to refuse in words.
    let bad = v8.replacen("\"geography\": {", "\"geography\": 7, \"x\": {", 1);
    assert!(archsim::codec::from_json(&bad).is_err());
}

#[test]
fn a_population_that_loses_its_requests_misses_its_objective_whatever_the_survivors_p99() {
    // Three continents with the Seoul region down whole: the primary fails over to a
    // replica that overflows, and nearly every dynamic request is lost; the static files
    // the CDN serves are fast. Each population's p99 (of requests served) is then within its
    // objective, yet its requests are mostly lost: the objective is missed.
    let mut s =
        archsim::codec::from_json(include_str!("../examples/three-continents.json")).unwrap();
    s.failed = s.region_outage("asia", true).unwrap();
    let r = archsim::solve::analyze(&s).unwrap();
    for (place, p) in &r.latency_by_location {
        let Some(slo) = p.slo_p99 else { continue };
        assert!(p.success < 0.5, "{place}: {p:?}");
        assert_eq!(p.meets_slo, Some(false), "{place}: {p:?} against {slo} ms");
    }
    assert!(r
        .latency_by_location
        .values()
        .any(|p| p.p99.zip(p.slo_p99).is_some_and(|(x, slo)| x <= slo)));
    // Up, the same objectives are met where the p99 is within them.
    s.failed.clear();
    let r = archsim::solve::analyze(&s).unwrap();
    for p in r.latency_by_location.values() {
        if let (Some(slo), Some(p99)) = (p.slo_p99, p.p99) {
            assert_eq!(p.meets_slo, Some(p99 <= slo));
        }
    }
}
