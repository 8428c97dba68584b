//! A generator of random valid scenarios, shared by the property tests.

use archsim::model::{Class, Component, Kind, Link, Scenario, Traffic};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

/// A random valid scenario; `limits` adds finite waiting rooms.
pub fn scenario(seed: u64, limits: bool) -> Scenario {
    let mut rng = SmallRng::seed_from_u64(seed);
    let stations: Vec<Kind> = Kind::ALL.into_iter().filter(|k| k.is_station()).collect();
    let read: f64 = rng.random_range(0.0..1.0);
    let write: f64 = rng.random_range(0.0..1.0 - read);
    let rps = 10f64.powf(rng.random_range(0.0..4.5));
    let mut s = Scenario::new("random", Traffic::rps(rps, read, write, 1.0 - read - write));
    let clients = rng.random_range(1..=2);
    for c in 0..clients {
        s.components.push(
            Component::new(format!("client-{c}"), Kind::Client, "", 0.0, 0.0)
                .with("share", rng.random_range(0.5..2.0)),
        );
    }
    let n = rng.random_range(1..=12);
    for i in 0..n {
        let mut kind = stations[rng.random_range(0..stations.len())];
        if rng.random_bool(0.08) {
            kind = Kind::Region;
        }
        let mut c = Component::new(format!("n{i}"), kind, "", 0.0, 0.0);
        if kind.is_station() {
            c = c
                .with("instances", rng.random_range(1..=4) as f64)
                .with("concurrency", rng.random_range(1..=8) as f64)
                .with("service_time_ms", 10f64.powf(rng.random_range(-1.0..2.5)))
                .with("availability", rng.random_range(0.9..1.0));
            if rng.random_bool(0.2) {
                c = c.with("service_cv", [0.0, 0.5, 2.0][rng.random_range(0..3)]);
            }
            if limits && rng.random_bool(0.5) {
                c = c.with("queue_capacity", rng.random_range(0..20) as f64);
            }
        }
        match kind {
            Kind::Cache | Kind::Cdn => c = c.with("hit_ratio", rng.random_range(0.0..1.0)),
            Kind::LoadBalancer => {
                let algorithms = ["round_robin", "weighted", "least_connections", "ip_hash"];
                c = c.with_choice("algorithm", algorithms[rng.random_range(0..4)]);
            }
            Kind::ShardGroup => {
                let strategies = ["hash", "range", "consistent"];
                c = c
                    .with("shards", rng.random_range(1..=6) as f64)
                    .with_choice("strategy", strategies[rng.random_range(0..3)])
                    .with("hot_key_share", rng.random_range(0.0..0.5));
            }
            Kind::Region => c = c.with("rtt_ms", rng.random_range(0.0..100.0)),
            Kind::Dns => c = c.with("lookup_share", rng.random_range(0.0..1.0)),
            _ => {}
        }
        s.components.push(c);
    }
    for c in 0..clients {
        for _ in 0..rng.random_range(1..=2) {
            let to = format!("n{}", rng.random_range(0..n));
            let from = format!("client-{c}");
            if !s.links.iter().any(|l| l.from == from && l.to == to) {
                s.links.push(Link::new(from, to));
            }
        }
    }
    for i in 0..n {
        for j in i + 1..n {
            if !rng.random_bool(0.3) {
                continue;
            }
            let mut link = Link::new(format!("n{i}"), format!("n{j}"));
            if rng.random_bool(0.2) {
                link = link
                    .only(&[[Class::Read, Class::Write, Class::Static][rng.random_range(0..3)]]);
            }
            if rng.random_bool(0.15) {
                link = link.calling([0.5, 1.0, 2.0][rng.random_range(0..3)]);
            } else if rng.random_bool(0.3) {
                link = link.weighted(rng.random_range(0.1..5.0));
            }
            s.links.push(link);
        }
    }
    s
}
