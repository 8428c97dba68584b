//! Solve time against design size: 10, 100, 1 000 and 10 000 components.
//!
//! The designs are built from one repeating cell (load balancer → 4 app pools → cache →
//! database with a read replica) behind a GeoDNS, so size grows without changing the shape.
//! Two variants: *same*, where every cell is identical (the solver evaluates a repeated
//! subtree once), and *varied*, where every app pool and database has its own service time,
//! so nothing repeats. Prints a table of the median wall time over several runs; run with
//! `make bench`.

use archsim::model::{Class, Component, Kind, Link, Scenario, Traffic};
use archsim::solve::analyze;
use std::time::Instant;

fn design(target: usize, varied: bool) -> Scenario {
    let mut s = Scenario::new("bench", Traffic::rps(10_000.0, 0.8, 0.15, 0.05));
    s.components
        .push(Component::new("users", Kind::Client, "Users", 0.0, 0.0));
    s.components
        .push(Component::new("dns", Kind::Dns, "DNS", 0.0, 0.0));
    s.links.push(Link::new("users", "dns"));
    let mut cell = 0;
    while s.components.len() + 9 <= target.max(11) {
        let id = |name: &str| format!("{name}-{cell}");
        s.components
            .push(Component::new(id("lb"), Kind::LoadBalancer, "LB", 0.0, 0.0));
        s.links.push(Link::new("dns", id("lb")));
        s.components
            .push(Component::new(id("cache"), Kind::Cache, "Cache", 0.0, 0.0));
        let mut db = Component::new(id("db"), Kind::Database, "DB", 0.0, 0.0);
        if varied {
            db = db.with("service_time_ms", 5.0 + 0.001 * cell as f64);
        }
        s.components.push(db);
        s.components.push(Component::new(
            id("replica"),
            Kind::ReadReplica,
            "Replica",
            0.0,
            0.0,
        ));
        s.links.push(Link::new(id("cache"), id("db")));
        s.links
            .push(Link::new(id("db"), id("replica")).only(&[Class::Read]));
        for a in 0..4 {
            let app = format!("app-{cell}-{a}");
            let mut pool = Component::new(app.clone(), Kind::AppServer, "App", 0.0, 0.0)
                .with("instances", 4.0);
            if varied {
                pool = pool.with("service_time_ms", 40.0 + 0.001 * (cell * 4 + a) as f64);
            }
            s.components.push(pool);
            s.links.push(Link::new(id("lb"), app.clone()));
            s.links
                .push(Link::new(app.clone(), id("cache")).only(&[Class::Read, Class::Static]));
            s.links.push(Link::new(app, id("db")).only(&[Class::Write]));
        }
        s.components.push(Component::new(
            id("store"),
            Kind::ObjectStorage,
            "Store",
            0.0,
            0.0,
        ));
        s.links
            .push(Link::new(id("cache"), id("store")).only(&[Class::Static]));
        cell += 1;
    }
    s
}

fn main() {
    println!(
        "{:>8} {:>10} {:>8} {:>12} {:>6}",
        "design", "components", "links", "median ms", "runs"
    );
    for varied in [false, true] {
        for n in [10, 100, 1_000, 10_000] {
            let s = design(n, varied);
            let runs = if n >= 10_000 { 5 } else { 21 };
            let mut times: Vec<f64> = (0..runs)
                .map(|_| {
                    let t = Instant::now();
                    let r = analyze(&s).expect("bench design solves");
                    std::hint::black_box(r);
                    t.elapsed().as_secs_f64() * 1e3
                })
                .collect();
            times.sort_by(f64::total_cmp);
            println!(
                "{:>8} {:>10} {:>8} {:>12.3} {:>6}",
                if varied { "varied" } else { "same" },
                s.components.len(),
                s.links.len(),
                times[runs / 2],
                runs
            );
        }
    }
}
