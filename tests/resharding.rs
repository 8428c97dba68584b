//! Shards from the workload: the hottest key of the Zipf law lands on one shard, and adding
//! or removing a shard moves the share of keys each strategy implies.

mod common;

use archsim::model::{Component, Kind, Link, Scenario, Traffic};
use archsim::solve::analyze;
use common::users;

fn design(strategy: &str, keys: Option<f64>) -> Scenario {
    let mut s = Scenario::new("shards", Traffic::rps(400.0, 1.0, 0.0, 0.0));
    (s.traffic.keys, s.traffic.zipf_s) = (keys, Some(1.0));
    s.components = vec![
        users(),
        Component::new("shards", Kind::ShardGroup, "Shards", 0.0, 0.0)
            .with("shards", 4.0)
            .with("virtual_nodes", 200.0)
            .with_choice("strategy", strategy),
    ];
    s.links = vec![Link::new("users", "shards")];
    s
}

#[test]
fn one_more_shard_moves_what_each_strategy_implies() {
    let moved = |strategy| {
        analyze(&design(strategy, None)).unwrap().components["shards"]
            .resharding
            .expect("a shard group")
    };
    // Modulo hashing: 4 → 5 moves 4/5 of the keys, 4 → 3 moves 3/4 (only h mod 12 < 3 stay).
    let hash = moved("hash");
    assert!((hash.add_one - 0.8).abs() < 1e-12 && (hash.remove_one.unwrap() - 0.75).abs() < 1e-12);
    // Consistent hashing with 200 points per shard: about 1/5 and 1/4, the new or removed
    // shard's arcs (within 25 % of the ideal share).
    let ring = moved("consistent");
    assert!((ring.add_one * 5.0 - 1.0).abs() < 0.25, "{ring:?}");
    assert!(
        (ring.remove_one.unwrap() * 4.0 - 1.0).abs() < 0.25,
        "{ring:?}"
    );
    // Even range cuts from 4 to 5 keep 0.2 + 0.15 + 0.1 + 0.05 of the keys in place.
    assert!((moved("range").add_one - 0.5).abs() < 1e-12);
}

#[test]
fn the_hottest_key_of_the_workload_lands_on_one_shard() {
    // 1 000 keys at s = 1: the hottest key draws 1/H(1000) = 13.4 % of the requests; its
    // shard carries that plus a quarter of the rest, so its load is (q + (1 − q)/4) × 4
    // times the group's mean utilisation.
    let h: f64 = (1..=1000).map(|i| 1.0 / f64::from(i)).sum();
    let q = 1.0 / h;
    let r = analyze(&design("hash", Some(1000.0))).unwrap();
    let c = &r.components["shards"];
    let want = (q + (1.0 - q) / 4.0) * 4.0 * c.utilization;
    assert!((c.load - want).abs() < 1e-6, "{} vs {want}", c.load);
    // A typed hot-key share overrides the workload's.
    let mut typed = design("hash", Some(1000.0));
    typed.components[1] = typed.components[1].clone().with("hot_key_share", 0.0);
    let t = analyze(&typed).unwrap();
    assert!((t.components["shards"].load - t.components["shards"].utilization).abs() < 1e-9);
}

/// `design` at 200 requests a second on four one-server shards of 10 ms (100/s each),
/// grown to five at 10 s with `copy_s` seconds of copying, run for 90 s.
#[test]
fn the_busiest_shard_is_full_at_the_rate_its_line_names() {
    // The group is full when its hottest shard is, below the four shards' capacity: at
    // `full_at_rps` offered the busiest shard's load is 1 (to 1e-9), and just above it the
    // group saturates.
    let s = design("hash", Some(1000.0));
    let c = &analyze(&s).unwrap().components["shards"];
    let full = c.full_at_rps().expect("traffic is offered");
    assert!(
        full < c.capacity_rps.unwrap(),
        "{full} vs {:?}",
        c.capacity_rps
    );
    let at = |rps: f64| {
        let mut t = s.clone();
        t.traffic.rps = Some(rps);
        analyze(&t).unwrap().components["shards"].clone()
    };
    assert!((at(full).load - 1.0).abs() < 1e-9);
    assert!(!at(full * 0.999).saturated && at(full * 1.001).saturated);
}

fn growing(strategy: &str, copy_s: f64) -> Scenario {
    let mut s = design(strategy, None);
    s.traffic = Traffic::rps(200.0, 1.0, 0.0, 0.0);
    s.components[1] = s.components[1]
        .clone()
        .with("instances", 1.0)
        .with("concurrency", 1.0)
        .with("service_time_ms", 10.0)
        .with("hot_key_share", 0.0);
    s.simulation = Some(archsim::model::Simulation {
        seed: 5,
        seconds: 90.0,
        warmup_s: 0.0,
        reshards: vec![archsim::model::Reshard {
            component: "shards".into(),
            at_s: 10.0,
            shards: 5,
            migration_s: copy_s,
        }],
        ..archsim::model::Simulation::default()
    });
    s
}

/// The shard group's mean utilisation over whole seconds `from..to` of a run.
fn busy(s: &Scenario, from: usize, to: usize) -> f64 {
    let r = archsim::sim::simulate(s).unwrap_or_else(|e| panic!("{e}"));
    let u = &r.components["shards"].series.utilization;
    u[from..to].iter().sum::<f64>() / (to - from) as f64
}

#[test]
fn a_resharding_run_copies_what_moved_and_then_spreads_the_load_wider() {
    // Before: 200/s on 400/s of servers, 50 % busy. While the moved keys are copied each of
    // their requests is served by its new shard and its old one: 200 × (1 + moved) on
    // 500/s. After: 200/s on 500/s, 40 %. Modulo hashing moves 4/5 of the keys (72 % busy
    // while copying), consistent hashing about 1/5 (about 48 %). Tolerance: 5 % of the
    // figure (9 000 to 30 000 services in each window).
    for strategy in ["hash", "consistent"] {
        let s = growing(strategy, 40.0);
        let moved = analyze(&s).unwrap().components["shards"]
            .resharding
            .unwrap()
            .add_one;
        let near = |got: f64, want: f64| (got - want).abs() < 0.05 * want;
        let (before, copying, after) = (busy(&s, 1, 10), busy(&s, 11, 50), busy(&s, 51, 90));
        assert!(near(before, 0.5), "{strategy}: before {before}");
        assert!(
            near(copying, 200.0 * (1.0 + moved) / 500.0),
            "{strategy}: copying {copying} (moved {moved})"
        );
        assert!(near(after, 0.4), "{strategy}: after {after}");
    }
    // The copy is what costs: with none the group is at 40 % from the start of it.
    let instant = busy(&growing("hash", 0.0), 11, 90);
    assert!((instant - 0.4).abs() < 0.02, "{instant}");
}

#[test]
fn a_resharding_that_cannot_be_run_is_refused_in_words() {
    let mut s = growing("hash", 10.0);
    let sim = s.simulation.as_mut().unwrap();
    sim.reshards[0].shards = 3;
    sim.reshards.push(archsim::model::Reshard {
        component: "users".into(),
        at_s: -1.0,
        shards: 8,
        migration_s: f64::NAN,
    });
    let problems = s.validate().unwrap_err().to_string();
    for words in [
        "grows it to between 5 and 4096",
        "only a shard group can be resharded",
        "must be between 0 and 3600, got -1",
        "reshards[1].migration_s: must be between 0 and 3600, got NaN",
    ] {
        assert!(
            problems.contains(words),
            "{words:?} missing from {problems}"
        );
    }
}

#[test]
fn the_resharding_example_overloads_the_old_shards_under_modulo_hashing_only() {
    // 560 requests a second on four shards of 200/s (70 % busy). Adding a fifth at 60 s:
    // modulo hashing moves 4/5 of the keys, so while they are copied (60 s) each old shard
    // serves its 112/s on the new layout plus 112/s of moved keys' second visits, 112 % of
    // what it can: queues grow for the whole copy, and drain after it. Consistent hashing
    // moves only the new shard's fifth: old shards see 112 + 28 = 140/s (70 %), and the
    // response time hardly moves. Same file, same seed, only the strategy differs.
    let hash = archsim::presets::example("resharding")
        .expect("shipped")
        .expect("valid");
    let mut ring = hash.clone();
    ring.components[2] = ring.components[2]
        .clone()
        .with_choice("strategy", "consistent")
        .with("virtual_nodes", 200.0);
    let p99 = |s: &Scenario, from: usize, to: usize| {
        let r = archsim::sim::simulate(s).unwrap_or_else(|e| panic!("{e}"));
        let worst = r.series[from..to]
            .iter()
            .filter_map(|sec| sec.p99_ms)
            .fold(0.0, f64::max);
        (worst, r.components["orders"].resharded.expect("resharded"))
    };
    let (calm, _) = p99(&hash, 20, 60);
    let (copying, g) = p99(&hash, 60, 125);
    assert!(
        (g.from, g.to) == (4, 5) && (g.moved_share - 0.8).abs() < 1e-12,
        "{g:?}"
    );
    assert!(
        copying > 20.0 * calm,
        "p99 {calm} ms before, {copying} ms while copying"
    );
    // Each old shard ends the copy about 24 × 60 = 1 440 requests behind and drains them at
    // 200 − 112 = 88/s, in about 16 s: long before the run ends.
    let (settled, _) = p99(&hash, 200, 240);
    assert!(
        settled < 2.0 * calm,
        "p99 {settled} ms at the end, {calm} ms before"
    );
    let (ring_copying, g) = p99(&ring, 60, 125);
    assert!((g.moved_share * 5.0 - 1.0).abs() < 0.25, "{g:?}");
    assert!(
        ring_copying < 3.0 * calm,
        "consistent: p99 {ring_copying} ms while copying, {calm} ms before"
    );
}
