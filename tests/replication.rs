//! Replication lag: an asynchronous replica lags by the network delay plus the apply's time
//! in its queue; a synchronous one does not lag and slows the writes instead.

mod common;

use archsim::model::{Class, Component, Kind, Link, Scenario, Traffic};
use archsim::solve::analyze;
use common::users;

/// Users → app → primary (writes) and replica (reads); the primary replicates to the
/// replica, a single 5 ms server taking `reads` reads a second besides 100 writes.
fn design(reads: f64, replication: &str) -> Scenario {
    let total = reads + 100.0;
    let mut s = Scenario::new(
        "lag",
        Traffic::rps(total, reads / total, 100.0 / total, 0.0),
    );
    s.components = vec![
        users(),
        Component::new("app", Kind::AppServer, "App", 0.0, 0.0).with("instances", 20.0),
        Component::new("db", Kind::Database, "DB", 0.0, 0.0),
        Component::new("replica", Kind::ReadReplica, "Replica", 0.0, 0.0)
            .with("concurrency", 1.0)
            .with("service_time_ms", 5.0)
            .with("replication_delay_ms", 2.0)
            .with_choice("replication", replication),
    ];
    s.links = vec![
        Link::new("users", "app"),
        Link::new("app", "db").only(&[Class::Write]),
        Link::new("app", "replica").only(&[Class::Read]),
        Link::new("db", "replica"),
    ];
    s
}

#[test]
fn an_async_replica_lags_by_its_delay_and_its_apply_queue() {
    // Writes only: the replica is an M/M/1 at λ = 100/s, μ = 200/s; the apply's sojourn is
    // Exp(100/s): mean 10 ms, p99 46.05 ms; plus 2 ms on the network. A read 100 ms after
    // a write is stale with probability e^−(100)(0.098) = 5.5 × 10⁻⁵.
    let r = analyze(&design(0.0, "async")).unwrap_or_else(|e| panic!("{e}"));
    let lag = r.components["replica"].lag.expect("replicated");
    let close = |a: Option<f64>, b: f64| (a.unwrap_or(f64::NAN) - b).abs() < 1e-4 * b;
    assert!(close(lag.mean_ms, 12.0), "{lag:?}");
    assert!(close(lag.p99_ms, 2.0 + 100f64.ln() * 10.0), "{lag:?}");
    assert!(close(lag.stale_share, (-9.8f64).exp()), "{lag:?}");
    // Reads share the replica's server: 60 reads a second more (λ = 160/s) and the apply
    // waits longer: mean 2 + 1000/(200 − 160) = 27 ms.
    let busy = analyze(&design(60.0, "async")).unwrap();
    let lag = busy.components["replica"].lag.unwrap();
    assert!(close(lag.mean_ms, 27.0), "{lag:?}");
    // Past the replica's capacity the lag grows without bound: flagged, every read stale.
    let over = analyze(&design(150.0, "async")).unwrap();
    let lag = over.components["replica"].lag.unwrap();
    assert_eq!((lag.mean_ms, lag.stale_share), (None, Some(1.0)));
}

#[test]
fn a_sync_replica_trades_write_latency_for_no_lag() {
    let a = analyze(&design(0.0, "async")).unwrap();
    let s = analyze(&design(0.0, "sync")).unwrap();
    let lag = s.components["replica"].lag.unwrap();
    assert!(lag.sync && lag.mean_ms == Some(0.0) && lag.stale_share == Some(0.0));
    // Every request here is a write: it now waits for the replica's 10 ms apply as well.
    let (slow, fast) = (s.latency_ms.mean.unwrap(), a.latency_ms.mean.unwrap());
    assert!((slow - fast - 10.0).abs() < 0.01, "{slow} vs {fast}");
    // Replication is not a write sent to the wrong place.
    assert!(s.components["replica"].cannot_serve.is_empty());
    // And writes need the replica: availability falls below the asynchronous design's.
    assert!(s.availability < a.availability);
}

#[test]
fn the_simulator_measures_the_lag_the_model_gives() {
    // 60 reads and 100 writes a second on the replica's one 5 ms server (M/M/1 at 160/s):
    // mean lag 2 + 25 = 27 ms, p99 2 + 25 ln 100 = 117 ms. The run's estimate agrees
    // within its interval and 3 % (mean) and 5 % (p99), and the comparison says so.
    let mut s = design(60.0, "async");
    s.simulation = Some(archsim::model::Simulation {
        seed: 4,
        seconds: 600.0,
        warmup_s: 20.0,
        ..archsim::model::Simulation::default()
    });
    let a = analyze(&s).unwrap();
    let r = archsim::sim::simulate(&s).unwrap_or_else(|e| panic!("{e}"));
    let lag = r.components["replica"].lag_ms.expect("an async replica");
    let (mean, p99) = (lag.mean.unwrap(), lag.p99.unwrap());
    assert!(
        (mean.value - 27.0).abs() <= mean.half_width.unwrap_or(0.0) + 0.03 * 27.0,
        "{mean:?}"
    );
    let want = 2.0 + 25.0 * 100f64.ln();
    assert!(
        (p99.value - want).abs() <= p99.half_width.unwrap_or(0.0) + 0.05 * want,
        "{p99:?}"
    );
    let rows = archsim::sim::compare(&s, &a, &r);
    let row = rows
        .iter()
        .find(|row| row.metric == archsim::sim::Metric::MeanLag)
        .expect("a lag row");
    assert_eq!(row.agrees, Some(true), "{row:?}");
    // A synchronous replica has no lag to measure.
    let mut sync = design(60.0, "sync");
    sync.simulation = s.simulation.clone();
    assert!(archsim::sim::simulate(&sync).unwrap().components["replica"]
        .lag_ms
        .is_none());
}

#[test]
fn the_replica_example_lags_by_distance_and_the_run_agrees() {
    let s = archsim::presets::example("replica-lag")
        .expect("shipped")
        .expect("valid");
    let a = analyze(&s).unwrap_or_else(|e| panic!("{e}"));
    let (near, far) = (
        a.components["near"].lag.unwrap().mean_ms.unwrap(),
        a.components["far"].lag.unwrap().mean_ms.unwrap(),
    );
    // The same queue, 79 ms more on the wire.
    assert!((far - near - 79.0).abs() < 1e-9, "{near} {far}");
    let r = archsim::sim::simulate(&s).unwrap_or_else(|e| panic!("{e}"));
    for row in archsim::sim::compare(&s, &a, &r)
        .iter()
        .filter(|row| row.metric == archsim::sim::Metric::MeanLag)
    {
        assert_eq!(row.agrees, Some(true), "{row:?}");
    }
}
