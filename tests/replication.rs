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

/// `design` with a primary that fails over after 5 s and a replica `delay_ms` away, run
/// for 40 s with the primary failing at `crash_s` for good.
fn failing_over(reads: f64, replication: &str, delay_ms: f64, crash_s: f64, seed: u64) -> Scenario {
    let mut s = design(reads, replication);
    s.components[2] = s.components[2].clone().with("failover_s", 5.0);
    s.components[3] = s.components[3]
        .clone()
        .with("replication_delay_ms", delay_ms);
    s.simulation = Some(archsim::model::Simulation {
        seed,
        seconds: 40.0,
        warmup_s: 0.0,
        timeline: vec![archsim::model::Outage {
            component: "db".into(),
            at_s: crash_s,
            for_s: None,
            lost: None,
            hangs: false,
        }],
        ..archsim::model::Simulation::default()
    });
    s
}

#[test]
fn a_failover_loses_the_writes_the_promoted_replica_had_not_applied() {
    // 100 writes a second, each 50 ms on the wire and 25 ms in the replica's queue (M/M/1
    // at 160/s): on average 100 × 0.075 = 7.5 writes are answered and not yet applied
    // (Little's law), which the analytic report gives. The primary crashes at 20 s and the
    // replica is promoted 5 s later: over 300 runs the writes lost average 7.5 within four
    // standard errors of the runs' own spread.
    let a = analyze(&failing_over(60.0, "async", 50.0, 20.0, 0)).unwrap();
    let want = a.components["replica"]
        .lag
        .unwrap()
        .unapplied_writes
        .unwrap();
    assert!((want - 7.5).abs() < 1e-6, "{want}");
    loses_on_average(|seed| failing_over(60.0, "async", 50.0, 20.0, seed), want);
    // Without a promotion (no failover configured) nothing is counted as lost.
    let mut stays = failing_over(60.0, "async", 50.0, 20.0, 1);
    stays.components[2].params.remove("failover_s");
    let r = archsim::sim::simulate(&stays).unwrap();
    assert_eq!(r.components["replica"].lost_writes, None);
}

#[test]
fn a_replica_that_cannot_keep_up_loses_its_whole_backlog_and_a_sync_one_nothing() {
    // 150 reads and 100 writes a second on a 200/s replica: its queue grows by 50 requests
    // a second, two fifths of them writes (20/s), so a crash 20 s later loses about 400
    // more, and either loses far more than a healthy replica's few.
    let lost = |crash_s: f64| {
        let r = archsim::sim::simulate(&failing_over(150.0, "async", 1.0, crash_s, 3)).unwrap();
        r.components["replica"].lost_writes.expect("promoted")
    };
    let (early, late) = (lost(10.0), lost(30.0));
    assert!(early > 100 && late > early + 250, "{early} then {late}");
    // The analytic report names the backlog as unbounded.
    let a = analyze(&failing_over(150.0, "async", 1.0, 10.0, 3)).unwrap();
    assert_eq!(a.components["replica"].lag.unwrap().unapplied_writes, None);
    // A synchronous replica has applied every write the primary answered.
    let r = archsim::sim::simulate(&failing_over(60.0, "sync", 1.0, 20.0, 3)).unwrap();
    assert_eq!(r.components["replica"].lost_writes, Some(0));
}

#[test]
fn a_primary_fails_over_only_to_a_replica_its_writes_stream_to() {
    // The failing-over primary's link to its replica made a call (a read it sends) instead
    // of a hand-off: the replica no longer receives its writes, so it is no failover
    // target. The availability then equals the same design's without failover, and failing
    // the primary leaves nothing to promote, as in the simulator, whose failover streams
    // are the same replication streams.
    let streamed = failing_over(60.0, "async", 1.0, 20.0, 0);
    let mut called = streamed.clone();
    for l in &mut called.links {
        if l.from == "db" && l.to == "replica" {
            l.calls = Some(1.0);
            l.classes = vec![Class::Read];
        }
    }
    let without = |s: &Scenario| {
        let mut s = s.clone();
        s.components[2].params.remove("failover_s");
        s
    };
    let availability = |s: &Scenario| analyze(s).unwrap_or_else(|e| panic!("{e}")).availability;
    assert!(availability(&streamed) > availability(&without(&streamed)));
    assert_eq!(availability(&called), availability(&without(&called)));
    // With the primary failed: the streamed replica is promoted and takes the writes; the
    // called one is not, and the writes fail.
    let failed = |s: &Scenario| {
        let mut s = s.clone();
        s.failed.insert("db".into(), archsim::model::Failure::DOWN);
        analyze(&s).unwrap_or_else(|e| panic!("{e}"))
    };
    assert!(failed(&streamed).throughput_rps > failed(&called).throughput_rps);
}

#[test]
fn writes_at_half_cost_are_all_at_risk_and_the_link_says_how_many() {
    // The primary's writes cost the replica half a request each: its queue sees 60 reads
    // and 50 requests' worth of applies (M/M/1 at 110/s, μ = 200/s: 11.1 ms), on top of
    // 50 ms on the wire. All 100 writes a second must still be applied, so 100 × 61.1 ms
    // = 6.11 are at risk (Little's law on writes, not on work), and the simulator, whose
    // apply jobs stand for two writes each, loses as many in a failover (four standard
    // errors over 300 runs).
    let half = |seed: u64| {
        let mut s = failing_over(60.0, "async", 50.0, 20.0, seed);
        s.components[2] = s.components[2].clone().with("replication_cost", 0.5);
        s
    };
    let a = analyze(&half(0)).unwrap();
    let link = a.links.iter().find(|l| l.from == "db").unwrap();
    let replicated = link.replicated.expect("a replication link");
    assert!(
        (replicated.writes_rps - 100.0).abs() < 1e-9,
        "{replicated:?}"
    );
    assert!((replicated.work_rps - 50.0).abs() < 1e-9 && (link.rps - 50.0).abs() < 1e-9);
    // The replica's arrivals are its reads and that work, as its inspector says.
    let replica = &a.components["replica"];
    assert_eq!(replica.applies, Some(replicated));
    assert!(
        (replica.arrival_rps - 110.0).abs() < 1e-9,
        "{}",
        replica.arrival_rps
    );
    let want = 100.0 * (0.050 + 1.0 / 90.0);
    let lag = a.components["replica"].lag.unwrap();
    assert!(
        (lag.unapplied_writes.unwrap() - want).abs() < 1e-9,
        "{lag:?}"
    );
    loses_on_average(half, want);
}

/// Asserts that over 300 seeds of `design` the replica's simulated failover loses `want`
/// writes on average, within four standard errors of the runs' own spread.
fn loses_on_average(design: impl Fn(u64) -> Scenario, want: f64) {
    let lost: Vec<f64> = (1..=300)
        .map(|seed| {
            let r = archsim::sim::simulate(&design(seed)).unwrap_or_else(|e| panic!("{e}"));
            r.components["replica"].lost_writes.expect("promoted") as f64
        })
        .collect();
    let n = lost.len() as f64;
    let mean = lost.iter().sum::<f64>() / n;
    let sd = (lost.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    assert!(
        (mean - want).abs() <= 4.0 * sd / n.sqrt(),
        "{mean} ± {sd} vs {want}"
    );
}

#[test]
fn a_failed_async_replica_is_sent_nothing_and_strands_no_request() {
    // Stage 4 with one replica down: the writes are answered by the primary whatever the
    // replica, so its lost applies are neither dropped requests nor "no working route";
    // the headroom is the surviving replica's, which takes every read.
    let mut s = (archsim::presets::stage("replication").unwrap().build)();
    s.failed
        .insert("replica-1".to_owned(), archsim::model::Failure::DOWN);
    let r = analyze(&s).unwrap();
    let down = &r.components["replica-1"];
    assert_eq!((down.arrival_rps, down.dropped_rps), (0.0, 0.0));
    assert_eq!(r.dropped_rps, 0.0);
    assert!(!r.strands_requests());
    let live = &r.components["replica-2"];
    let headroom = r.headroom.expect("a headroom");
    assert!(
        (headroom - 1.0 / live.load).abs() < 1e-9,
        "{headroom} vs {}",
        live.load
    );
}

#[test]
fn a_promoted_replica_has_no_lag_and_the_other_still_applies_every_write() {
    // Stage 4 with its primary failed: one replica is promoted and takes the writes as the
    // primary does, so it lags behind nothing; the other applies every write from it.
    let mut s = (archsim::presets::stage("replication").unwrap().build)();
    s.failed
        .insert("db".to_owned(), archsim::model::Failure::DOWN);
    let r = analyze(&s).unwrap();
    let replicas: Vec<_> = ["replica-1", "replica-2"]
        .map(|id| &r.components[id])
        .into_iter()
        .collect();
    assert_eq!(
        replicas
            .iter()
            .filter(|c| c.lag.is_none() && c.applies.is_none())
            .count(),
        1,
        "{replicas:?}"
    );
    let other = replicas
        .iter()
        .find(|c| c.lag.is_some())
        .expect("one still replicated");
    let writes = other.applies.expect("applies").writes_rps;
    assert!(
        (writes - r.offered_rps * s.traffic.write).abs() < 1e-6,
        "{writes}"
    );
}

#[test]
fn a_failed_over_primary_sends_a_failed_replica_nothing_either() {
    // Stage 4 with the primary and one replica failed: the other is promoted, and the
    // failed one is sent no replication work, so nothing reads as stranded on its account.
    let mut s = (archsim::presets::stage("replication").unwrap().build)();
    for id in ["db", "replica-2"] {
        s.failed
            .insert(id.to_owned(), archsim::model::Failure::DOWN);
    }
    let r = analyze(&s).unwrap();
    let down = &r.components["replica-2"];
    assert_eq!((down.arrival_rps, down.applies), (0.0, None), "{down:?}");
    assert!(!r.strands_requests(), "{} stranded", r.stranded_rps());
}
