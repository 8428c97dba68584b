//! Solve time against design size: 10, 100, 1 000 and 10 000 components.
//!
//! The designs are built from one repeating cell (load balancer → 4 app pools → cache →
//! database with a read replica) behind a GeoDNS, so size grows without changing the shape.
//! Two variants: *same*, where every cell is identical (the solver evaluates a repeated
//! subtree once), and *varied*, where every app pool and database has its own service time,
//! so nothing repeats. Prints a table of the median wall time over several runs; run with
//! `make bench`. With `PROFILE_SOLVE=1` (`=varied` for that variant) or `PROFILE_REPORT=1`
//! in the environment it runs only the 10 000-component solve (`PROFILE_COMPONENTS` for
//! another size; `PROFILE_RUNS` times, 40 unless set, printing the median) or full report
//! (once), for a profiler.

use archsim::model::{Class, Component, Kind, Link, Scenario, Traffic};
use archsim::solve::{analyze, analyze_with_failures};
use std::time::Instant;

fn design(target: usize, varied: bool) -> Scenario {
    let mut s = Scenario::new("bench", Traffic::rps(10_000.0, 0.8, 0.15, 0.05));
    s.components
        .push(Component::new("users", Kind::Client, "Users", 0.0, 0.0));
    s.components
        .push(Component::new("dns", Kind::Dns, "DNS", 220.0, 0.0));
    s.links.push(Link::new("users", "dns"));
    let mut cell = 0;
    while s.components.len() + 9 <= target.max(11) {
        let id = |name: &str| format!("{name}-{cell}");
        // Laid out as a person would: one band of four rows per cell, one column per tier
        // (the solve ignores positions; the browser benchmark paints them).
        let x = |column: f64| 440.0 + 220.0 * column;
        let y = |row: f64| 360.0 * cell as f64 + 90.0 * row;
        s.components.push(Component::new(
            id("lb"),
            Kind::LoadBalancer,
            "LB",
            x(0.0),
            y(1.5),
        ));
        s.links.push(Link::new("dns", id("lb")));
        s.components.push(Component::new(
            id("cache"),
            Kind::Cache,
            "Cache",
            x(2.0),
            y(0.0),
        ));
        let mut db = Component::new(id("db"), Kind::Database, "DB", x(3.0), y(1.5));
        if varied {
            db = db.with("service_time_ms", 5.0 + 0.001 * cell as f64);
        }
        s.components.push(db);
        s.components.push(Component::new(
            id("replica"),
            Kind::ReadReplica,
            "Replica",
            x(4.0),
            y(1.5),
        ));
        s.links.push(Link::new(id("cache"), id("db")));
        s.links
            .push(Link::new(id("db"), id("replica")).only(&[Class::Read]));
        for a in 0..4 {
            let app = format!("app-{cell}-{a}");
            let mut pool = Component::new(app.clone(), Kind::AppServer, "App", x(1.0), y(a as f64))
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
            x(3.0),
            y(3.0),
        ));
        s.links
            .push(Link::new(id("cache"), id("store")).only(&[Class::Static]));
        cell += 1;
    }
    s
}

/// Median wall time of `f` over `runs` runs, ms, after one run untimed: the first run of
/// a process also pays for growing its heap (some 14 000 page faults at 10 000 components,
/// against about a hundred per run after), which is not the solve's time.
fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    archsim::sort::by(&mut times, f64::total_cmp);
    times[runs / 2]
}

fn main() {
    if let Ok(which) = std::env::var("PROFILE_SOLVE") {
        let size = std::env::var("PROFILE_COMPONENTS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(10_000);
        let s = design(size, which == "varied");
        // PROFILE_RUNS=1 for an instruction count (valgrind), which the machine's speed
        // does not move.
        let runs = std::env::var("PROFILE_RUNS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(40);
        let ms = median_ms(runs, || {
            std::hint::black_box(analyze(&s).expect("bench design solves"));
        });
        eprintln!("median {ms:.1} ms over {runs} solves");
        return;
    }
    if std::env::var("PROFILE_REPORT").is_ok() {
        let s = design(10_000, false);
        let t = Instant::now();
        let r = analyze_with_failures(&s).unwrap();
        eprintln!(
            "{} rows in {:.1}s",
            r.n_minus_1.len(),
            t.elapsed().as_secs_f64()
        );
        return;
    }
    // The same designs for the browser benchmark (scripts/bench-browser.mjs).
    let _ = std::fs::create_dir_all("target/bench-designs");
    for n in [100, 1_000] {
        let path = format!("target/bench-designs/solve-{n}.json");
        let _ = std::fs::write(path, archsim::codec::to_json(&design(n, false)));
    }
    table(
        "Solve (analyze): median wall time, and growth per ×10 components",
        "links",
        &[10, 100, 1_000, 10_000],
        |n| if n >= 10_000 { 11 } else { 21 },
        |s| {
            std::hint::black_box(analyze(s).expect("bench design solves"));
            s.links.len()
        },
    );
    println!();
    table(
        "Full report (analyze --json: solve, SPOFs, N−1 table, JSON), on every core",
        "N−1 rows",
        &[100, 1_000, 10_000],
        |n| if n >= 10_000 { 1 } else { 5 },
        |s| {
            let r = analyze_with_failures(s).expect("bench design solves");
            std::hint::black_box(serde_json::to_string(&r).expect("report serialises"));
            r.n_minus_1.len()
        },
    );
}

/// Prints `title` and a row per design and size: the median time of `work` over `runs(n)`
/// runs, the growth from the size before, and the count `work` returns (headed `count`).
fn table(
    title: &str,
    count: &str,
    sizes: &[usize],
    runs: impl Fn(usize) -> usize,
    work: impl Fn(&Scenario) -> usize,
) {
    println!("{title}");
    println!(
        "{:>8} {:>10} {:>8} {:>12} {:>8}",
        "design", "components", count, "median ms", "growth"
    );
    for varied in [false, true] {
        let mut last: Option<f64> = None;
        for &n in sizes {
            let s = design(n, varied);
            let mut counted = 0;
            let ms = median_ms(runs(n), || counted = work(&s));
            println!(
                "{:>8} {:>10} {:>8} {:>12.3} {:>8}",
                if varied { "varied" } else { "same" },
                s.components.len(),
                counted,
                ms,
                last.map_or(String::new(), |l| format!("×{:.1}", ms / l))
            );
            last = Some(ms);
        }
    }
}
