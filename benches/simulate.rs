//! Simulator speed: events per second through a 5-hop network, and the wall time of the
//! issue's reference run (60 simulated seconds at 10 000 req/s through 5 hops).
//!
//! The network is a tandem of five stations of 16 servers with exponential service of
//! 1.1 ms (ρ ≈ 0.69 at 10 000 req/s); each request costs six events (its arrival and five
//! service completions). `scripts/bench_simpy.py` runs the same network in SimPy, and
//! `scripts/bench-browser.mjs` the same scenario in headless Chromium. Run with `make bench`.

use archsim::model::{Component, Kind, Link, Scenario, Simulation, Traffic};
use archsim::sim::Run;
use std::time::Instant;

/// The benchmark scenario (also written to `target/bench-sim.json` for the other runners).
fn tandem(seconds: f64) -> Scenario {
    let mut s = Scenario::new("5-hop tandem", Traffic::rps(10_000.0, 1.0, 0.0, 0.0));
    s.components
        .push(Component::new("users", Kind::Client, "Users", 0.0, 0.0));
    let mut prev = "users".to_owned();
    for hop in 1..=5 {
        let id = format!("hop-{hop}");
        s.components.push(
            Component::new(id.clone(), Kind::AppServer, &id, hop as f64 * 200.0, 0.0)
                .with("concurrency", 16.0)
                .with("service_time_ms", 1.1),
        );
        s.links.push(Link::new(prev, id.clone()));
        prev = id;
    }
    s.simulation = Some(Simulation {
        seconds,
        ..Simulation::default()
    });
    s
}

fn main() {
    let s = tandem(60.0);
    let _ = std::fs::create_dir_all("target");
    let _ = std::fs::write("target/bench-sim.json", archsim::codec::to_json(&s));
    let (mut loops, mut totals) = (Vec::new(), Vec::new());
    let mut events = 0;
    for _ in 0..5 {
        let start = Instant::now();
        let mut run = match Run::new(&s) {
            Ok(r) => r,
            Err(e) => panic!("benchmark scenario: {e}"),
        };
        while !run.advance_events(1 << 20) {}
        loops.push(start.elapsed().as_secs_f64());
        let report = run.report();
        totals.push(start.elapsed().as_secs_f64());
        events = report.events;
    }
    let median = |mut v: Vec<f64>| {
        archsim::sort::by(&mut v, f64::total_cmp);
        v[v.len() / 2]
    };
    let (event_loop, total) = (median(loops), median(totals));
    println!("simulator (native), 5-hop tandem, 60 s at 10 000 req/s, median of 5 runs:");
    println!("  events              {events}");
    println!("  event loop          {:.1} ms", event_loop * 1e3);
    println!("  with the report     {:.1} ms", total * 1e3);
    let rate = events as f64 / event_loop;
    println!("  events per second   {:.2} M (goal >= 15 M)", rate / 1e6);
    let _ = std::fs::write(
        "target/bench-sim-native.json",
        format!("{{\"events_per_second\": {rate}}}\n"),
    );
}
