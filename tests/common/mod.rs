//! What the integration tests share: a generator of random valid scenarios for the property
//! tests, small designs, tolerances, and the crate's source files for the tests that read
//! them.

use archsim::model::{
    Class, Component, Kind, Link, Outage, Profile, Reshard, Scenario, Simulation, Traffic,
};
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
                if rng.random_bool(0.3) {
                    c = c.with_choice("health_check", "shallow");
                }
            }
            Kind::ShardGroup => {
                let strategies = ["hash", "range", "consistent"];
                c = c
                    .with("shards", rng.random_range(1..=6) as f64)
                    .with_choice("strategy", strategies[rng.random_range(0..3)])
                    .with("hot_key_share", rng.random_range(0.0..0.5));
            }
            Kind::Region => c = c.with("rtt_ms", rng.random_range(0.0..100.0)),
            Kind::Dns => {
                c = c.with("lookup_share", rng.random_range(0.0..1.0));
                if rng.random_bool(0.3) {
                    c = c.with_choice("health_check", "shallow");
                }
            }
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
    if rng.random_bool(0.3) {
        s.simulation = Some(simulation(&mut rng, &s));
    }
    s
}

/// A random scenario that always carries simulation settings: short runs, any profile,
/// sometimes timeouts and retries, sometimes an outage.
// Every test crate compiles this module; only the simulator's uses this generator.
#[allow(dead_code)]
pub fn simulated(seed: u64, limits: bool) -> Scenario {
    let mut s = scenario(seed, limits);
    let mut rng = SmallRng::seed_from_u64(seed ^ 0x5eed);
    s.simulation = Some(simulation(&mut rng, &s));
    s
}

fn simulation(rng: &mut SmallRng, s: &Scenario) -> Simulation {
    let seconds = rng.random_range(2..=8) as f64;
    let at = rng.random_range(0.0..seconds);
    let profile = match rng.random_range(0..5) {
        0 => Profile::Constant,
        1 => Profile::Step {
            at_s: at,
            factor: rng.random_range(0.0..3.0),
        },
        2 => Profile::Spike {
            at_s: at,
            for_s: rng.random_range(0.1..3.0),
            factor: rng.random_range(1.0..4.0),
        },
        3 => Profile::Ramp {
            from_s: at,
            to_s: at + 1.0,
            factor: rng.random_range(0.5..3.0),
        },
        _ => Profile::Diurnal {
            period_s: rng.random_range(1.0..10.0),
            amplitude: rng.random_range(0.0..1.0),
        },
    };
    let targets: Vec<&Component> = s
        .components
        .iter()
        .filter(|c| c.kind != Kind::Client)
        .collect();
    let timeline = if !targets.is_empty() && rng.random_bool(0.5) {
        let c = targets[rng.random_range(0..targets.len())];
        let instances = c.num("instances").max(1.0) as u64;
        let lost = (c.kind.is_station() && instances > 1 && rng.random_bool(0.5))
            .then(|| rng.random_range(1..instances));
        vec![Outage {
            component: c.id.clone(),
            at_s: rng.random_range(0.0..seconds),
            for_s: rng.random_bool(0.5).then(|| rng.random_range(0.1..seconds)),
            lost,
            hangs: rng.random_bool(0.3),
        }]
    } else {
        Vec::new()
    };
    let mut sim = Simulation {
        seed: rng.random(),
        seconds,
        warmup_s: rng.random_range(0..=1) as f64,
        profile,
        timeout_ms: rng.random_bool(0.3).then(|| rng.random_range(1.0..500.0)),
        retries: rng.random_range(0..=3),
        backoff_ms: rng.random_range(0.0..200.0),
        detection_s: rng.random_range(0.0..3.0),
        timeline,
        retry_budget_pct: rng.random_bool(0.2).then(|| rng.random_range(0.0..50.0)),
        reshards: Vec::new(),
        replications: 1,
    };
    // Drawn last, so the designs earlier seeds gave (and regression files keep) stay.
    for c in s.components.iter().filter(|c| c.kind == Kind::ShardGroup) {
        if rng.random_bool(0.5) {
            sim.reshards.push(Reshard {
                component: c.id.clone(),
                at_s: rng.random_range(0.0..seconds),
                shards: c.num("shards").max(1.0) as u64 + rng.random_range(1..4),
                migration_s: rng.random_range(0.0..seconds),
            });
        }
    }
    sim
}

/// Inverts a decreasing survival function by bisection: the t with `survival(t) = 1 − p`.
// Every test crate compiles this module; only the latency tests use this.
#[allow(dead_code)]
pub fn quantile_of(survival: impl Fn(f64) -> f64, p: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, 1.0);
    while survival(hi) > 1.0 - p {
        hi *= 2.0;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if survival(mid) > 1.0 - p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The clients of a test design.
#[allow(dead_code)]
pub fn users() -> Component {
    Component::new("users", Kind::Client, "Users", 0.0, 0.0)
}

/// An app-server component with one instance of `servers` servers of mean `ms`.
#[allow(dead_code)]
pub fn server(id: &str, servers: f64, ms: f64) -> Component {
    Component::new(id, Kind::AppServer, id, 0.0, 0.0)
        .with("concurrency", servers)
        .with("service_time_ms", ms)
}

/// Every design the app ships: the journey's stages, then the examples.
#[allow(dead_code)]
pub fn shipped() -> Vec<Scenario> {
    let stages = archsim::presets::journey()
        .into_iter()
        .map(|st| (st.build)());
    let examples = archsim::presets::EXAMPLES
        .into_iter()
        .map(|(_, _, text)| archsim::codec::from_json(text).expect("an example reads"));
    stages.chain(examples).collect()
}

/// Asserts `got` is within relative tolerance `rel` of `want`.
#[allow(dead_code)]
pub fn close(got: f64, want: f64, rel: f64, what: &str) {
    assert!(
        (got - want).abs() <= rel * want.abs().max(1e-12),
        "{what}: got {got}, want {want} (relative tolerance {rel})"
    );
}

/// Every `.rs` file below `dir`.
#[allow(dead_code)]
pub fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// What validation says about a scenario, in one string (empty when it is valid).
#[allow(dead_code)]
pub fn refusal(s: &Scenario) -> String {
    s.validate()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
}

/// [`scenario`] with control loops added at random: autoscaling on the pools that can,
/// load shedding where no queue limit is set, rate limits (global or per client) on
/// balancers and gateways. A separate stream, so the base design is the same as
/// `scenario(seed, limits)`'s.
#[allow(dead_code)]
pub fn controlled(seed: u64, limits: bool) -> Scenario {
    let mut s = scenario(seed, limits);
    let mut rng = SmallRng::seed_from_u64(seed ^ 0xc0_47_01);
    for c in &mut s.components {
        if c.kind.autoscales() && rng.random_bool(0.4) {
            let min = rng.random_range(1..=3) as f64;
            *c = c
                .clone()
                .with("autoscale_min", min)
                .with("autoscale_max", min + rng.random_range(0..=6) as f64)
                .with("target_utilization", rng.random_range(0.3..0.9))
                .with("warmup_s", rng.random_range(0.0..3.0))
                .with("scale_in_cooldown_s", rng.random_range(0.0..5.0));
        }
        if c.kind.is_station() && !c.params.contains_key("queue_capacity") && rng.random_bool(0.2) {
            *c = c.clone().with("max_wait_ms", rng.random_range(0.0..200.0));
        }
        if !c.kind.rate_limit_params().is_empty() && rng.random_bool(0.4) {
            let scope = ["global", "client"][rng.random_range(0..2)];
            *c = c
                .clone()
                .with("rate_limit_rps", 10f64.powf(rng.random_range(0.0..4.0)))
                .with("burst", rng.random_range(1..=200) as f64)
                .with_choice("rate_limit_scope", scope);
        }
    }
    for c in &mut s.components {
        if !c.kind.caller_params().is_empty() && rng.random_bool(0.4) {
            *c = c.clone().with_choice("io", "blocking");
        }
    }
    for l in &mut s.links {
        if l.calls.is_some() && rng.random_bool(0.5) {
            l.timeout_ms = rng.random_bool(0.7).then(|| rng.random_range(1.0..500.0));
            l.breaker = rng.random_bool(0.6).then(|| archsim::model::Breaker {
                error_threshold: rng.random_range(0.05..1.0),
                window_s: rng.random_range(1.0..10.0),
                min_requests: rng.random_range(1..50),
                open_s: rng.random_range(1.0..10.0),
                half_open_probes: rng.random_range(1..5),
            });
        }
    }
    if let Some(sim) = s.simulation.as_mut() {
        if rng.random_bool(0.3) {
            sim.retry_budget_pct = Some(rng.random_range(0.0..50.0));
        }
    }
    s
}
