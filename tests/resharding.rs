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
