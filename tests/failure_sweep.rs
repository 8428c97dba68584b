//! The fast N−1 sweep (flows on the design's own network, patched in place per failure)
//! gives the table a full solve per row gives: the same SPOFs with the same reasons, the
//! same drops and means, the same order, and the same p99 and availability on the rows it
//! details. Thousands of random designs, with what-if failures already in place, failover,
//! shallow and deep health checks, and loops (which the fast sweep hands to full solves).
//! The solver does not depend on the web feature, so this long test runs in the core-only
//! pass of `make test` alone.
#![cfg(not(feature = "web"))]

mod common;

use archsim::model::{Failure, Kind, Link, Scenario};
use archsim::solve::{
    analyze, failure_analysis, failure_analysis_exhaustive, FailureAnalysis, Impact, DETAILED_ROWS,
};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

/// A random design from the shared generator, with more of what the patch must get right.
fn design(seed: u64) -> Scenario {
    // Every third design carries control loops (autoscaled pools are frozen at their settled
    // counts, rate limits and shedding change the loads).
    let mut s = if seed % 3 == 1 {
        common::controlled(seed, seed.is_multiple_of(2))
    } else {
        common::scenario(seed, seed.is_multiple_of(2))
    };
    let mut rng = SmallRng::seed_from_u64(seed ^ 0x5eed);
    let ids: Vec<(String, Kind, f64)> = s
        .components
        .iter()
        .map(|c| (c.id.clone(), c.kind, c.num("instances")))
        .collect();
    for c in &mut s.components {
        if c.kind == Kind::Database && rng.random_bool(0.5) {
            *c = c.clone().with("failover_s", 30.0);
        }
    }
    let stations: Vec<&(String, Kind, f64)> =
        ids.iter().filter(|(_, k, _)| *k != Kind::Client).collect();
    if !stations.is_empty() && rng.random_bool(0.25) {
        let (id, _, instances) = stations[rng.random_range(0..stations.len())];
        let failure = if *instances >= 2.0 && rng.random_bool(0.5) {
            Failure::lose(1)
        } else {
            Failure::DOWN
        };
        s.failed.insert(id.clone(), failure);
    }
    if stations.len() >= 2 && rng.random_bool(0.1) {
        // A link back upstream: a loop.
        let (a, b) = (&stations[stations.len() - 1].0, &stations[0].0);
        if !s.links.iter().any(|l| &l.from == a && &l.to == b) {
            s.links.push(Link::new(a.clone(), b.clone()).weighted(0.2));
        }
    }
    s
}

/// Unavailability as the ranking reads it: to two significant figures.
fn two_figures(x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let step = 10f64.powf(x.log10().floor() - 1.0);
    (x / step).round() * step
}

fn close(a: f64, b: f64, scale: f64) -> bool {
    (a - b).abs() <= 1e-9 * scale.max(a.abs()).max(b.abs())
}

fn mean_close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => close(x, y, 1.0),
        (None, None) => true,
        _ => false,
    }
}

/// Whether `rows` are worst first by the numbers `exact` gives them: no row is worse than
/// the one before it by more than rounding.
fn ordered_by(rows: &[Impact], exact: &FailureAnalysis, scale: f64) -> bool {
    let find = |r: &Impact| {
        exact
            .n_minus_1
            .iter()
            .find(|e| e.id == r.id && e.failure == r.failure)
            .expect("same rows")
    };
    let mean = |x: Option<f64>| x.unwrap_or(f64::INFINITY);
    // Drops, then background messages lost, are ranked in steps of a billionth of the
    // offered rate.
    let step = |x: &Impact| (x.dropped_rps / (1e-9 * scale)).round();
    let messages = |x: &Impact| (x.messages_rps / (1e-9 * scale)).round();
    // Then the rows detailed (their exact availability), the least available first, before
    // the others.
    let availability = |fast: &Impact, exact: &Impact| {
        fast.detail.map_or(f64::INFINITY, |_| {
            1.0 - two_figures(1.0 - exact.detail.expect("exact rows are detailed").availability)
        })
    };
    // Whether `b` should come before `a`, beyond rounding.
    let worse = |(fb, b): (&Impact, &Impact), (fa, a): (&Impact, &Impact)| {
        let near = close(a.dropped_rps, b.dropped_rps, scale);
        let near_messages = close(a.messages_rps, b.messages_rps, scale);
        let (avail_a, avail_b) = (availability(fa, a), availability(fb, b));
        b.failure < a.failure
            || b.failure == a.failure
                && (step(b) > step(a) && !near
                    || step(b) == step(a)
                        && (messages(b) > messages(a) && !near_messages
                            || messages(b) == messages(a)
                                && (avail_b < avail_a && !close(avail_a, avail_b, 1.0)
                                    || avail_b == avail_a
                                        && mean(b.mean_ms) > mean(a.mean_ms)
                                        && !mean_close(a.mean_ms, b.mean_ms))))
    };
    rows.windows(2)
        .all(|w| !worse((&w[1], find(&w[1])), (&w[0], find(&w[0]))))
}

fn check(seed: u64) {
    let s = design(seed);
    let Ok(base) = analyze(&s) else { return };
    let fast = failure_analysis(&s, &base);
    let exact = failure_analysis_exhaustive(&s, &base);
    let scale = 1.0 + base.offered_rps;
    assert_eq!(fast.spofs, exact.spofs, "seed {seed}: SPOFs and reasons");
    assert_eq!(fast.n_minus_1.len(), exact.n_minus_1.len(), "seed {seed}");
    for r in &fast.n_minus_1 {
        let e = exact
            .n_minus_1
            .iter()
            .find(|e| e.id == r.id && e.failure == r.failure)
            .unwrap_or_else(|| panic!("seed {seed}: no exact row for {} {:?}", r.id, r.failure));
        assert!(
            close(r.dropped_rps, e.dropped_rps, scale),
            "seed {seed}: {} {:?} drops {} vs {}",
            r.id,
            r.failure,
            r.dropped_rps,
            e.dropped_rps
        );
        assert!(
            close(r.messages_rps, e.messages_rps, scale),
            "seed {seed}: {} {:?} messages lost {} vs {}",
            r.id,
            r.failure,
            r.messages_rps,
            e.messages_rps
        );
        assert!(
            mean_close(r.mean_ms, e.mean_ms),
            "seed {seed}: {} mean {:?} vs {:?}",
            r.id,
            r.mean_ms,
            e.mean_ms
        );
        if let Some(d) = r.detail {
            assert_eq!(Some(d), e.detail, "seed {seed}: {} details", r.id);
        }
        // The component the failure makes busiest: the same one, or one as busy.
        match (&r.busiest, &e.busiest) {
            (Some(a), Some(b)) => assert!(
                (a.utilization - b.utilization).abs() < 1e-6,
                "seed {seed}: {} busiest {a:?} vs {b:?}",
                r.id
            ),
            (a, b) => assert_eq!(a, b, "seed {seed}: {} busiest", r.id),
        }
    }
    assert!(
        ordered_by(&fast.n_minus_1, &exact, scale),
        "seed {seed}: order {:?}",
        fast.n_minus_1
            .iter()
            .map(|r| (&r.id, r.failure, r.dropped_rps, r.mean_ms))
            .collect::<Vec<_>>()
    );
    // The first rows of each group, and only they, carry their p99 and availability; every
    // row of a small group does.
    for mode in [
        archsim::solve::FailureMode::Instance,
        archsim::solve::FailureMode::Component,
    ] {
        let group: Vec<&Impact> = fast
            .n_minus_1
            .iter()
            .filter(|r| r.failure == mode)
            .collect();
        for (i, r) in group.iter().enumerate() {
            assert_eq!(
                r.detail.is_some(),
                i < DETAILED_ROWS || group.len() <= 2 * DETAILED_ROWS,
                "seed {seed}: {}",
                r.id
            );
        }
    }
}

#[test]
fn the_fast_sweep_equals_a_full_solve_per_row() {
    use rayon::prelude::*;
    (0..2_000u64).into_par_iter().for_each(check);
}

/// A pool that has already lost an instance keeps its rows: one more lost, or the rest
/// down, each the failure a full solve of that design measures.
#[test]
fn a_pool_that_lost_an_instance_keeps_its_rows() {
    let mut s = (archsim::presets::stage("load-balancer").unwrap().build)();
    s.failed.insert("web".to_owned(), Failure::lose(1));
    let base = analyze(&s).unwrap();
    let rows = failure_analysis(&s, &base).n_minus_1;
    let web: Vec<&Impact> = rows.iter().filter(|r| r.id == "web").collect();
    assert_eq!(web.len(), 2, "{rows:?}");
    let all = s
        .components
        .iter()
        .find(|c| c.id == "web")
        .unwrap()
        .num("instances") as u64;
    for r in web {
        assert_eq!((r.instances, r.already_lost), (all - 1, 1));
        let mut failed = s.clone();
        failed.failed.insert("web".to_owned(), r.as_failure());
        let full = analyze(&failed).unwrap();
        assert!(
            close(r.dropped_rps, full.dropped_rps, 1.0 + base.offered_rps),
            "{r:?}"
        );
    }
    assert_eq!(
        rows.iter()
            .find(|r| r.id == "web" && r.failure == archsim::solve::FailureMode::Instance)
            .map(|r| r.what_fails(archsim::model::Kind::AppServer)),
        Some(format!("1 of {} instances", all - 1))
    );
}
