//! Circuit breakers, call timeouts, blocking callers and hanging outages: the dependency
//! outage a breaker contains, and the mechanisms it rests on, each against what it must do.

mod common;

use archsim::model::{Breaker, Component, Kind, Link, Outage, Profile, Scenario, Simulation};
use archsim::model::{Problem, Traffic};
use archsim::sim::{simulate, BreakerState, SimReport};
use common::{refusal, server, users};

/// The shipped example: app servers that block on their calls, reads from a replica,
/// writes to a primary behind a breaker; the primary hangs from 20 s to 50 s.
fn example() -> Scenario {
    archsim::presets::example("dependency-outage-breaker")
        .expect("shipped")
        .expect("valid")
}

fn without_breaker(mut s: Scenario) -> Scenario {
    for l in &mut s.links {
        l.breaker = None;
    }
    s
}

fn run(s: &Scenario) -> SimReport {
    simulate(s).unwrap_or_else(|e| panic!("{e}"))
}

fn sum(v: &[f64], from: usize, to: usize) -> f64 {
    v[from..to].iter().sum()
}

fn mean(v: &[f64], from: usize, to: usize) -> f64 {
    sum(v, from, to) / (to - from) as f64
}

#[test]
fn a_breaker_contains_a_hung_dependency_and_closes_after_it_recovers() {
    let guarded = example();
    let sim = guarded.simulation.clone().expect("the example runs");
    let outage = &sim.timeline[0];
    assert!(outage.hangs && outage.component == "db");
    let (from, to) = (20, 50);
    assert_eq!(
        (outage.at_s, outage.for_s),
        (from as f64, Some((to - from) as f64))
    );
    assert!(sim.retries > 0, "the claim is made with client retries on");
    let with = run(&guarded);
    let without = run(&without_breaker(guarded));

    // Attempts reaching the dead dependency fall by at least 90 %.
    let reached = |r: &SimReport| sum(&r.components["db"].series.arrivals, from, to);
    let (cut, open) = (reached(&with), reached(&without));
    assert!(
        open > 500.0,
        "without a breaker the callers keep trying: {open}"
    );
    assert!(
        cut <= 0.1 * open,
        "{cut} calls reached the dead database, against {open}"
    );

    // The callers' servers are freed: without the breaker every one is held by a call
    // waiting for its timeout; with it they do their own work.
    let busy = |r: &SimReport| mean(&r.components["app"].series.utilization, from + 5, to);
    assert!(busy(&without) > 0.98, "without: {}", busy(&without));
    assert!(busy(&with) < 0.6, "with: {}", busy(&with));

    // So the reads, which never needed the primary, are still answered; without the breaker
    // the outage of one dependency took everything down.
    let answered = |r: &SimReport| {
        r.series[from + 5..to]
            .iter()
            .map(|s| s.completed)
            .sum::<f64>()
    };
    let reads = 400.0 * 0.8 * (to - from - 5) as f64;
    assert!(answered(&with) > 0.95 * reads, "{}", answered(&with));
    assert!(answered(&without) < 0.05 * reads, "{}", answered(&without));

    // The breaker opened during the outage, refused calls at once, and closed once the
    // primary was back: the writes are answered again.
    let b = &with.breakers[0];
    assert_eq!((b.from.as_str(), b.to.as_str()), ("app", "db"));
    assert!(
        b.opened >= 1 && b.refused > 1000,
        "{} openings, {} refused",
        b.opened,
        b.refused
    );
    assert_eq!(b.state[from - 1], BreakerState::Closed);
    assert!(b.open_share[from + 5..to].iter().all(|&s| s > 0.5));
    let end = with.seconds;
    assert!(b.state[end - 20..]
        .iter()
        .all(|&s| s == BreakerState::Closed));
    let after = with.series[end - 20..]
        .iter()
        .map(|s| s.completed)
        .sum::<f64>();
    assert!(
        after > 0.98 * 400.0 * 20.0,
        "{after} answered after recovery"
    );
    assert!(sum(&b.failed, end - 20, end) == 0.0);
}

/// Users → an app pool of `servers` servers (20 ms) calling a roomy database (10 ms).
fn caller(io: &str, rps: f64) -> Scenario {
    let mut s = Scenario::new("caller", Traffic::rps(rps, 1.0, 0.0, 0.0));
    s.components = vec![
        users(),
        server("app", 4.0, 20.0).with_choice("io", io),
        Component::new("db", Kind::Database, "DB", 0.0, 0.0)
            .with("concurrency", 1000.0)
            .with("service_time_ms", 10.0),
    ];
    s.links = vec![
        Link::new("users", "app"),
        Link::new("app", "db").calling(1.0),
    ];
    s.simulation = Some(Simulation {
        seed: 5,
        seconds: 400.0,
        warmup_s: 10.0,
        profile: Profile::Constant,
        ..Simulation::default()
    });
    s
}

#[test]
fn a_blocking_caller_holds_its_server_for_its_own_work_and_its_calls() {
    // Utilisation is λ·E[held]/c for any holding-time law (Little's law on the servers):
    // 80 req/s × (20 + 10) ms / 4 = 0.6 blocking, 80 × 20 ms / 4 = 0.4 async. Tolerance:
    // the run's 95 % interval plus 2 % of the value.
    for (io, want) in [("blocking", 0.6), ("async", 0.4)] {
        let r = run(&caller(io, 80.0));
        let u = r.components["app"].utilization.expect("a station");
        assert!(
            (u.value - want).abs() <= u.half_width.unwrap_or(0.0) + 0.02 * want,
            "{io}: {u:?}"
        );
    }
    // The analytic engine counts a server's own work only, and says so.
    let reasons = archsim::sim::approximations(&caller("blocking", 80.0)).join(" ");
    assert!(reasons.contains("holds its servers"), "{reasons}");
    assert!(!archsim::sim::approximations(&caller("async", 80.0))
        .join(" ")
        .contains("holds its servers"));
    // And the analytic report says how much busier at least, beside its own 40 %: the
    // database's 10 ms per call (it never queues here) held on 4 servers at 80 req/s is
    // 0.2 more, the 0.6 the run measures; 1 / 0.6 = 1.7× to saturation.
    let note = |io: &str| {
        let r = archsim::solve::analyze(&caller(io, 80.0)).expect("valid");
        r.notes.into_iter().find(|n| n.contains("io: blocking"))
    };
    let said = note("blocking").expect("a note on the held servers");
    assert!(
        said.contains("at least 60% busy rather than 40%") && said.contains("by 1.7×"),
        "{said}"
    );
    assert_eq!(note("async"), None);
}

/// `caller` with the database failing from 10 s to 20 s, clients giving up after 500 ms,
/// and no health check noticing (a client would otherwise stop sending to the app, which
/// needs the database, and fail requests itself).
fn outage(hangs: bool, call_timeout_ms: Option<f64>) -> Scenario {
    let mut s = caller("async", 50.0);
    s.links[1].timeout_ms = call_timeout_ms;
    let sim = s.simulation.as_mut().expect("set");
    (sim.seconds, sim.warmup_s, sim.timeout_ms) = (30.0, 0.0, Some(500.0));
    sim.detection_s = 60.0;
    sim.timeline = vec![Outage {
        component: "db".into(),
        at_s: 10.0,
        for_s: Some(10.0),
        lost: None,
        hangs,
    }];
    s
}

#[test]
fn a_refusing_dependency_fails_calls_at_once_and_a_hanging_one_makes_callers_wait() {
    // Refused: every request of the outage fails at once, none waits for its timeout.
    let refused = run(&outage(false, None));
    assert_eq!(refused.timed_out, 0);
    assert!(refused.failed > 400, "{}", refused.failed);
    // Hung, no call timeout: each request waits out the client's 500 ms.
    let hung = run(&outage(true, None));
    assert!(hung.timed_out > 400, "{}", hung.timed_out);
    assert_eq!(hung.timed_out, hung.failed);
    // Hung with a 100 ms call timeout: the call fails first, the client never waits it out.
    let cut = run(&outage(true, Some(100.0)));
    assert_eq!(cut.timed_out, 0);
    assert!(cut.failed > 400, "{}", cut.failed);
}

#[test]
fn a_breaker_on_an_idle_working_link_stays_closed_and_changes_nothing() {
    let mut guarded = caller("blocking", 80.0);
    guarded.links[1].breaker = Some(Breaker::default());
    let plain = run(&caller("blocking", 80.0));
    let r = run(&guarded);
    assert_eq!(r.breakers.len(), 1);
    assert_eq!(r.breakers[0].opened, 0);
    assert!(r.breakers[0]
        .state
        .iter()
        .all(|&s| s == BreakerState::Closed));
    // Same seed, same draws: a closed breaker only counts.
    assert_eq!(r.completed, plain.completed);
    assert_eq!(r.latency_ms, plain.latency_ms);
}

#[test]
fn impossible_breakers_and_timeouts_are_refused_naming_the_field() {
    let mut s = caller("blocking", 80.0);
    s.links[1].breaker = Some(Breaker {
        error_threshold: 1.5,
        half_open_probes: 0,
        ..Breaker::default()
    });
    s.links[1].timeout_ms = Some(-1.0);
    let e = refusal(&s);
    for part in [
        "links[1].breaker.error_threshold: must be between 0.001 and 1, got 1.5",
        "links[1].breaker.half_open_probes: must be between 1 and 1000000, got 0",
        "links[1].timeout_ms: the call timeout must be between 0.001 and 3600000, got -1",
    ] {
        assert!(e.contains(part), "missing {part:?} in:\n{e}");
    }
    // A hand-off has nobody waiting: no breaker, no timeout.
    let mut s = caller("blocking", 80.0);
    s.links[0].breaker = Some(Breaker::default());
    let problems = s.validate().expect_err("refused");
    let p: &Problem = &problems.0[0];
    assert_eq!(
        p.for_people(),
        "Link 1's breaker error threshold needs a synchronous call: set calls per request on \
         this link, so the sender waits for the answer"
    );
    // In a file, an unknown breaker setting is an error, not silently dropped.
    let mut text = archsim::codec::to_json(&caller("blocking", 80.0));
    text = text.replace(
        "\"calls\": 1.0",
        "\"calls\": 1.0, \"breaker\": {\"treshold\": 0.5}",
    );
    let e = archsim::codec::from_json(&text)
        .expect_err("refused")
        .to_string();
    assert!(e.contains("unknown field `treshold`"), "{e}");
}
