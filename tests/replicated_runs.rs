//! A run as independent replications: one replication is the run a scenario always gave,
//! R replications join by the rules of MODEL.md ("Replications") whichever way they ran
//! (one after another, on native threads, or split for workers and merged), and their
//! intervals cover the closed form as often as a 95 % interval should.

use archsim::model::{Link, Scenario, Simulation, Traffic, MAX_REPLICATIONS};
use archsim::sim::{
    replication_seed, simulate, simulate_pair, Estimate, Replica, Replicated, Run, SimReport,
};
use archsim::sliced::Sliced;
use archsim::task::Task;
use common::{refusal, server, users};

mod common;

/// M/M/1 at `rps` against a 10 ms server (μ = 100/s), `replications` runs of `seconds`.
fn mm1(rps: f64, seconds: f64, seed: u64, replications: u32) -> Scenario {
    let mut s = Scenario::new("mm1", Traffic::rps(rps, 1.0, 0.0, 0.0));
    s.components = vec![users(), server("app", 1.0, 10.0)];
    s.links = vec![Link::new("users", "app")];
    s.simulation = Some(Simulation {
        seed,
        seconds,
        warmup_s: 10.0,
        replications,
        ..Simulation::default()
    });
    s
}

fn run(s: &Scenario) -> SimReport {
    simulate(s).unwrap_or_else(|e| panic!("scenario should simulate: {e}"))
}

fn json<T: serde::Serialize>(x: &T) -> String {
    serde_json::to_string(x).expect("serialises")
}

#[test]
fn the_first_replication_runs_on_the_seed_and_the_others_on_distinct_seeds() {
    for seed in [0, 1, 7, u64::MAX] {
        assert_eq!(replication_seed(seed, 0), seed);
        let mut seeds: Vec<u64> = (0..MAX_REPLICATIONS)
            .map(|i| replication_seed(seed, i))
            .collect();
        seeds.sort_unstable();
        seeds.dedup();
        assert_eq!(seeds.len(), MAX_REPLICATIONS as usize, "seed {seed}");
    }
}

#[test]
fn one_replication_is_the_run_a_scenario_always_gave() {
    let s = mm1(50.0, 60.0, 3, 1);
    // The setting at 1 is left out of files, so links and saves made before it read the same.
    assert!(!json(&s).contains("replications"), "{}", json(&s));
    let r = run(&s);
    assert_eq!(r.replications, 1);
    assert!(!json(&r).contains("replications"));
    let mut one = Run::new(&s).expect("builds");
    while !one.advance_events(1 << 20) {}
    assert_eq!(r, one.report());
    assert_eq!(r.batches, 10, "intervals from batches within the run");
}

#[test]
fn replications_join_their_runs_by_the_stated_rules() {
    const R: u32 = 4;
    let s = mm1(50.0, 60.0, 11, R);
    let whole = run(&s);
    let parts: Vec<SimReport> = (0..R)
        .map(|i| run(&mm1(50.0, 60.0, replication_seed(11, i), 1)))
        .collect();
    assert_eq!(whole.replications, R);
    assert_eq!(whole.seed, 11);
    // Counts are totals.
    let total = |f: fn(&SimReport) -> u64| parts.iter().map(f).sum::<u64>();
    assert_eq!(whole.requests, total(|r| r.requests));
    assert_eq!(whole.completed, total(|r| r.completed));
    assert_eq!(whole.events, total(|r| r.events));
    // Estimates: the mean of the replications' values, with t(0.975, 3) = 3.182 · s / √4.
    let check = |got: Estimate, values: Vec<f64>, what: &str| {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let s2 = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let hw = 3.182 * (s2 / n).sqrt();
        assert!(
            (got.value - mean).abs() <= 1e-9 * mean.abs(),
            "{what}: {got:?} vs {mean}"
        );
        let h = got.half_width.expect("an interval");
        assert!((h - hw).abs() <= 1e-9 * hw, "{what}: {h} vs {hw}");
    };
    check(
        whole.throughput_rps,
        parts.iter().map(|r| r.throughput_rps.value).collect(),
        "throughput",
    );
    check(
        whole.latency_ms.p99.expect("answers"),
        parts
            .iter()
            .map(|r| r.latency_ms.p99.map_or(0.0, |e| e.value))
            .collect(),
        "p99",
    );
    check(
        whole.components["app"].utilization.expect("servers"),
        parts
            .iter()
            .map(|r| r.components["app"].utilization.map_or(0.0, |e| e.value))
            .collect(),
        "utilisation",
    );
    // Series: the mean second by second.
    for t in [0, 30, 59] {
        let mean = parts.iter().map(|r| r.series[t].completed).sum::<f64>() / f64::from(R);
        assert!(
            (whole.series[t].completed - mean).abs() < 1e-9,
            "second {t}"
        );
    }
}

#[test]
fn every_way_of_running_replications_gives_the_same_bytes() {
    let s = mm1(70.0, 40.0, 5, 3);
    // On native threads (rayon), as the CLI does.
    let threads = json(&run(&s));
    // One after another in slices, as a page without workers does.
    let slices = Replicated::<Run>::build(s.clone())
        .expect("builds")
        .run_to_end();
    assert_eq!(json(&slices), threads);
    // Split into parts, each run where a worker would run it, and merged in order.
    let parts = <Replicated<Run> as Task>::split(&s).expect("splits");
    assert_eq!(parts.len(), 3);
    let mut outputs = parts.into_iter().map(|p| {
        Replicated::<Run>::build(p)
            .expect("a part builds")
            .run_to_end()
    });
    let first = outputs.next().expect("a first part");
    let merged = <Replicated<Run> as Task>::merge(first, outputs.collect());
    assert_eq!(json(&merged), threads);
    // And again: the same seed and count, the same bytes.
    assert_eq!(json(&run(&s)), threads);
    // One replication does not split: the worker runs it whole.
    assert!(<Replicated<Run> as Task>::split(&mm1(70.0, 40.0, 5, 1))
        .expect("checks")
        .is_empty());
}

/// M/M/1 at ρ = 0.5: the mean response time is 1/(μ − λ) = 20 ms. Forty experiments of five
/// replications each: a 95 % interval across replications should miss the closed form in
/// about 2 of 40; more than 6 misses has probability under 1 % (binomial, p = 0.05) and would
/// mean the intervals are too narrow. The seeds are fixed, so the outcome is too.
#[test]
fn intervals_across_replications_cover_the_closed_form() {
    let want = 20.0;
    let mut misses = 0;
    let mut widths = Vec::new();
    for seed in 1..=40 {
        let r = run(&mm1(50.0, 130.0, seed * 1_000, 5));
        let mean = r.latency_ms.mean.expect("answers");
        let h = mean.half_width.expect("five replications give an interval");
        widths.push(h / want);
        if (mean.value - want).abs() > h {
            misses += 1;
        }
    }
    assert!(misses <= 6, "{misses} of 40 intervals missed 20 ms");
    let typical = widths.iter().sum::<f64>() / widths.len() as f64;
    assert!(
        typical < 0.15,
        "intervals should be informative: ±{typical:.3}"
    );
}

#[test]
fn a_paired_run_replicates_both_designs_and_each_agrees_with_its_own_run() {
    let (base, current) = (mm1(80.0, 40.0, 9, 3), {
        let mut s = mm1(80.0, 40.0, 9, 3);
        s.components[1] = server("app", 2.0, 10.0);
        s
    });
    let pair = simulate_pair(&base, &current).expect("runs");
    assert_eq!(pair.current, run(&current), "the run and the pair agree");
    assert_eq!(pair.baseline, run(&base));
    assert_eq!(pair.current.replications, 3);
    // The difference's interval comes from the three replications' own differences.
    let diffs: Vec<f64> = (0..3)
        .map(|i| {
            let seed = replication_seed(9, i);
            let mut b = base.clone();
            let mut c = current.clone();
            for s in [&mut b, &mut c] {
                let mut sim = Simulation::of(s);
                (sim.seed, sim.replications) = (seed, 1);
                s.simulation = Some(sim);
            }
            let p = simulate_pair(&b, &c).expect("runs");
            p.mean_ms.expect("answers").value
        })
        .collect();
    let mean_ms = pair.mean_ms.expect("answers");
    let m = diffs.iter().sum::<f64>() / 3.0;
    assert!((mean_ms.value - m).abs() < 1e-9, "{mean_ms:?} vs {m}");
    let s2 = diffs.iter().map(|d| (d - m).powi(2)).sum::<f64>() / 2.0;
    let hw = 4.303 * (s2 / 3.0).sqrt();
    let h = mean_ms.half_width.expect("an interval");
    assert!((h - hw).abs() <= 1e-9 * hw, "{h} vs {hw}");
    assert!(
        mean_ms.significant(),
        "two servers beat one at 80 %: {mean_ms:?}"
    );
    // Split for workers and merged: the same pair.
    let designs = (base, current);
    let mut outputs = <Replicated<archsim::sim::PairedRun> as Task>::split(&designs)
        .expect("splits")
        .into_iter()
        .map(|d| {
            Replicated::<archsim::sim::PairedRun>::build(d)
                .expect("builds")
                .run_to_end()
        });
    let first = outputs.next().expect("a first part");
    let merged = <Replicated<archsim::sim::PairedRun> as Task>::merge(first, outputs.collect());
    assert_eq!(json(&merged), json(&pair));
}

#[test]
fn the_replication_count_is_checked_and_counts_in_the_run_size() {
    assert!(refusal(&mm1(50.0, 60.0, 1, 0)).contains("replications: must be from 1 to 32"));
    assert!(refusal(&mm1(50.0, 60.0, 1, 33)).contains("got 33"));
    assert_eq!(refusal(&mm1(50.0, 60.0, 1, 32)), "");
    // 40 000 req/s × 60 s = 2.4 million requests: fine once, too many four times over.
    assert_eq!(refusal(&mm1(40_000.0, 60.0, 1, 1)), "");
    let why = refusal(&mm1(40_000.0, 60.0, 1, 5));
    assert!(
        why.contains("12000000 requests over its 5 replications")
            && why.contains("fewer replications"),
        "{why}"
    );
    // The split refuses it too, with the same words, before any worker starts.
    let split = <Replicated<Run> as Task>::split(&mm1(40_000.0, 60.0, 1, 5));
    assert!(split.is_err_and(|e| e.contains("over its 5 replications")));
    assert_eq!(<Run as Replica>::replications(&mm1(1.0, 60.0, 1, 7)), 7);
}

#[test]
fn a_run_whose_load_changes_has_intervals_only_across_replications() {
    // A spike makes one run's stretches differ by design: batch means would take that
    // difference for noise and give intervals wider than the values (a p50 of 83 ms
    // ± 1.3 s in the autoscaling example). One replication then gives none and says why;
    // replications, which are independent whatever the load does, give them.
    let spiked = |replications: u32| {
        let mut s = mm1(50.0, 60.0, 3, replications);
        if let Some(sim) = s.simulation.as_mut() {
            sim.profile = archsim::model::Profile::Spike {
                at_s: 20.0,
                for_s: 20.0,
                factor: 1.8,
            };
        }
        s
    };
    let one = run(&spiked(1));
    assert!(!one.steady);
    assert_eq!(one.throughput_rps.half_width, None);
    assert_eq!(one.latency_ms.p99.and_then(|e| e.half_width), None);
    assert!(one.components["app"]
        .utilization
        .and_then(|e| e.half_width)
        .is_none());
    assert!(
        one.measured().contains("no intervals"),
        "{}",
        one.measured()
    );
    let four = run(&spiked(4));
    assert!(four.throughput_rps.half_width.is_some());
    assert!(four.latency_ms.p99.and_then(|e| e.half_width).is_some());
    // A steady run keeps its batch-means intervals, and its file does not mention it.
    let steady = run(&mm1(50.0, 60.0, 3, 1));
    assert!(steady.steady && steady.throughput_rps.half_width.is_some());
    assert!(!json(&steady).contains("steady"));
}
