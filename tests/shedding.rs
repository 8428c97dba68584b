//! Load shedding by waiting time: the analytic M/M/c+D model, the simulator's deadline, and
//! their agreement; no served request waits longer than the limit.

mod common;

use archsim::model::{Component, Kind, Link, Profile, Scenario, Simulation, Traffic};
use archsim::sim::simulate;
use archsim::solve::analyze;
use common::{refusal, users};

/// Users → one app instance of `servers` servers of 100 ms that sheds after `limit_ms`.
fn design(rps: f64, servers: f64, limit_ms: f64, cv: f64) -> Scenario {
    let mut s = Scenario::new("shedding", Traffic::rps(rps, 1.0, 0.0, 0.0));
    s.components = vec![
        users(),
        Component::new("app", Kind::AppServer, "App", 0.0, 0.0)
            .with("concurrency", servers)
            .with("service_time_ms", 100.0)
            .with("service_cv", cv)
            .with("max_wait_ms", limit_ms),
    ];
    s.links = vec![Link::new("users", "app")];
    s.simulation = Some(Simulation {
        seed: 5,
        seconds: 400.0,
        warmup_s: 20.0,
        profile: Profile::Constant,
        ..Simulation::default()
    });
    s
}

#[test]
fn both_engines_shed_what_the_deadline_model_predicts() {
    // Below, near and at twice capacity (4 servers of 10/s: 40/s).
    for rps in [30.0, 40.0, 80.0] {
        let s = design(rps, 4.0, 150.0, 1.0);
        let a = analyze(&s).unwrap_or_else(|e| panic!("{e}"));
        let r = simulate(&s).unwrap_or_else(|e| panic!("{e}"));
        let shed_share = a.dropped_rps / rps;
        let sim_share = r.error_rate.value;
        // ±10 % relative, or 0.005 absolute where little is shed (stated sampling margin
        // for 400 s at these rates).
        assert!(
            (sim_share - shed_share).abs() <= (0.1 * shed_share).max(0.005),
            "{rps} req/s: simulated {sim_share}, analytic {shed_share}"
        );
        assert_eq!(r.shed, r.failed, "every failure here is a shed request");
        let mean = a.latency_ms.mean.unwrap_or(0.0);
        let sim_mean = r.latency_ms.mean.map_or(0.0, |e| e.value);
        assert!(
            (sim_mean - mean).abs() <= 0.05 * mean,
            "{rps}: {sim_mean} vs {mean}"
        );
    }
}

#[test]
fn no_served_request_waits_longer_than_the_limit() {
    // Constant 100 ms service at three times capacity: without shedding the queue grows
    // for ever; with it, every answer comes within 150 ms of waiting plus 100 ms of work.
    let s = design(30.0, 1.0, 150.0, 0.0);
    let r = simulate(&s).unwrap_or_else(|e| panic!("{e}"));
    for (sec, second) in r.series.iter().enumerate() {
        if let Some(p99) = second.p99_ms {
            assert!(p99 <= 250.0 + 1e-6, "second {sec}: p99 {p99} ms");
        }
    }
    assert!(r.completed > 0 && r.shed > 0);
    // The analytic view agrees that the queue is bounded (its p99 within 1 %: numerical
    // inversion rounds the edge of the wait at the limit).
    let a = analyze(&s).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        a.latency_ms.p99.is_some_and(|p| p <= 250.0 * 1.01),
        "{:?}",
        a.latency_ms
    );
    let sim_p99 = r.latency_ms.p99.map_or(0.0, |e| e.value);
    let p99 = a.latency_ms.p99.unwrap_or(0.0);
    assert!(
        (sim_p99 - p99).abs() <= 0.02 * p99,
        "simulated {sim_p99}, analytic {p99}"
    );
    assert!(a.dropped_rps > 0.0 && a.dropped_rps < 30.0);
}

#[test]
fn a_queue_limit_and_a_waiting_limit_are_not_both_taken() {
    let mut s = design(10.0, 1.0, 150.0, 1.0);
    s.components[1] = s.components[1].clone().with("queue_capacity", 5.0);
    let text = refusal(&s);
    assert!(
        text.contains("Shed after and Queue limit cannot both be set"),
        "{text}"
    );
}
