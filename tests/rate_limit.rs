//! Rate limiting: a token bucket on a gateway, in both engines, with rejections counted as
//! their own outcome.

mod common;

use archsim::model::{Component, Kind, Link, Profile, Scenario, Simulation, Traffic};
use archsim::sim::simulate;
use archsim::solve::analyze;
use common::{refusal, users};

/// Users → gateway limited to `rate` req/s with `burst` tokens → a roomy app pool.
fn design(rps: f64, rate: f64, burst: f64) -> Scenario {
    let mut s = Scenario::new("rate limit", Traffic::rps(rps, 1.0, 0.0, 0.0));
    s.components = vec![
        users(),
        Component::new("gw", Kind::ApiGateway, "Gateway", 0.0, 0.0)
            .with("rate_limit_rps", rate)
            .with("burst", burst),
        Component::new("app", Kind::AppServer, "App", 0.0, 0.0)
            .with("instances", 20.0)
            .with("concurrency", 50.0)
            .with("service_time_ms", 20.0),
    ];
    s.links = vec![Link::new("users", "gw"), Link::new("gw", "app")];
    s.simulation = Some(Simulation {
        seed: 3,
        seconds: 300.0,
        warmup_s: 10.0,
        profile: Profile::Constant,
        ..Simulation::default()
    });
    s
}

#[test]
fn the_long_run_accepted_rate_is_the_smaller_of_offered_and_limit_in_both_engines() {
    let rate = 200.0;
    for factor in [0.5, 2.0, 10.0] {
        let s = design(rate * factor, rate, 50.0);
        let want = (rate * factor).min(rate);
        let a = analyze(&s).unwrap_or_else(|e| panic!("{e}"));
        let through = a.throughput_rps;
        assert!(
            (through - want).abs() <= 0.01 * want,
            "{factor}×: analytic {through}"
        );
        let rejected = a.components["gw"].rejected_rps.unwrap_or(-1.0);
        assert!((rejected - (rate * factor - through)).abs() < 1e-9 * rate * factor);
        let r = simulate(&s).unwrap_or_else(|e| panic!("{e}"));
        let sim = r.throughput_rps.value;
        assert!(
            (sim - want).abs() <= 0.01 * want,
            "{factor}×: simulated {sim}"
        );
        // Rejections are their own outcome: here every failure is one.
        assert_eq!(r.rejected, r.failed, "{factor}×");
        let sim_rejected = r.components["gw"].rejected_rps.map_or(-1.0, |e| e.value);
        assert!(
            (sim_rejected - rejected).abs() <= 0.02 * rate * factor,
            "{factor}×: simulated {sim_rejected}, analytic {rejected}"
        );
    }
}

#[test]
fn a_shallow_bucket_rejects_what_the_model_predicts_in_both_engines() {
    // 150 req/s offered to a 200 req/s limit with only 3 tokens: bursts of Poisson arrivals
    // are rejected although the mean is below the limit.
    let s = design(150.0, 200.0, 3.0);
    let a = analyze(&s).unwrap_or_else(|e| panic!("{e}"));
    let share = a.components["gw"].rejected_rps.unwrap_or(0.0) / 150.0;
    assert!(share > 0.05, "{share}");
    let r = simulate(&s).unwrap_or_else(|e| panic!("{e}"));
    let sim_share = r.error_rate.value;
    assert!(
        (sim_share - share).abs() <= 0.05 * share,
        "simulated {sim_share}, analytic {share}"
    );
}

#[test]
fn impossible_limits_are_refused_naming_the_field() {
    for (key, value, words) in [
        ("rate_limit_rps", 0.0, "Rate limit must be between"),
        ("burst", 0.0, "Burst must be between"),
        ("burst", 2.5, "Burst must be a whole number"),
    ] {
        let mut s = design(10.0, 100.0, 10.0);
        s.components[1] = s.components[1].clone().with(key, value);
        let text = refusal(&s);
        assert!(text.contains(words), "{key} = {value}: {text}");
    }
    // Only entrances limit rates.
    let mut s = design(10.0, 100.0, 10.0);
    s.components[2] = s.components[2].clone().with("rate_limit_rps", 5.0);
    let text = refusal(&s);
    assert!(
        text.contains("is not a parameter of a App servers"),
        "{text}"
    );
}

#[test]
fn a_bucket_per_client_limits_the_heavy_client_only_in_both_engines() {
    // A heavy client (400 req/s) and a light one (50 req/s) behind a 200 req/s limit: one
    // global bucket passes 200 in all; a bucket per client passes 200 of the heavy client's
    // and all 50 of the light one's.
    let two = |scope: &str| {
        let mut s = design(450.0, 200.0, 50.0);
        s.components[0] = users().with("share", 400.0);
        s.components.insert(
            1,
            Component::new("partner", Kind::Client, "Partner", 0.0, 0.0).with("share", 50.0),
        );
        s.links.push(Link::new("partner", "gw"));
        let gw = &mut s.components[2];
        *gw = gw.clone().with_choice("rate_limit_scope", scope);
        s
    };
    for (scope, want) in [("global", 200.0), ("client", 250.0)] {
        let s = two(scope);
        let a = analyze(&s).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            (a.throughput_rps - want).abs() <= 0.01 * want,
            "{scope}: analytic {}",
            a.throughput_rps
        );
        let r = simulate(&s).unwrap_or_else(|e| panic!("{e}"));
        let sim = r.throughput_rps.value;
        assert!(
            (sim - want).abs() <= 0.02 * want,
            "{scope}: simulated {sim}"
        );
    }
}

#[test]
fn served_requests_take_the_same_time_behind_a_limit_as_without_it_at_the_rate_let_through() {
    // A rejected request is answered at once and is not served: the served requests' times
    // are those of the same design offered only what the limit lets through (the gateway's
    // servers work only on accepted requests). Before, the percentiles were taken over the
    // served and the rejected together, so they fell as the rejections grew, far below the
    // mean (p99 27 ms against a mean of 76 ms at 5× the limit).
    let app = |s: &mut Scenario| {
        s.components[2] = s.components[2]
            .clone()
            .with("instances", 2.0)
            .with("concurrency", 4.0)
            .with("service_time_ms", 30.0);
    };
    for factor in [1.2, 2.0, 10.0] {
        let mut limited = design(200.0 * factor, 200.0, 50.0);
        app(&mut limited);
        let a = analyze(&limited).unwrap_or_else(|e| panic!("{e}"));
        let through = a.throughput_rps;
        let mut open = design(through, 1e9, 50.0);
        app(&mut open);
        let b = analyze(&open).unwrap_or_else(|e| panic!("{e}"));
        let (x, y) = (&a.latency_ms, &b.latency_ms);
        let close = |p: Option<f64>, q: Option<f64>| match (p, q) {
            (Some(p), Some(q)) => (p - q).abs() <= 1e-6 * q,
            _ => false,
        };
        assert!(close(x.mean, y.mean), "{factor}×: mean {x:?} against {y:?}");
        for (p, q) in [(x.p50, y.p50), (x.p95, y.p95), (x.p99, y.p99)] {
            assert!(close(p, q), "{factor}×: {x:?} against {y:?}");
        }
        assert!(x.p99 >= x.mean, "{factor}×: {x:?}");
    }
}
