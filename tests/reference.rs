//! The analytic core against closed-form queueing and reliability results.
//!
//! Each expected value is computed in the test from the textbook formula named beside it
//! (Kleinrock, Queueing Systems vol. 1; Gross & Harris, Fundamentals of Queueing Theory),
//! with the tolerance stated at the assertion.

use archsim::model::{Class, Component, Kind, Link, Scenario, Traffic};
use archsim::solve::{analyze, erlang_b, erlang_c, Report};
use common::{close, quantile_of, server, users};

mod common;

/// Relative tolerance for means and rates, which the solver computes in closed form.
const EXACT: f64 = 1e-9;
/// Relative tolerance for percentiles, which come from numerical Laplace inversion.
const PERCENTILE: f64 = 1e-4;

fn scenario(rps: f64, components: Vec<Component>, links: Vec<Link>) -> Scenario {
    let mut s = Scenario::new("test", Traffic::rps(rps, 1.0, 0.0, 0.0));
    s.components = components;
    s.links = links;
    s
}

fn solve(s: &Scenario) -> Report {
    match analyze(s) {
        Ok(r) => r,
        Err(e) => panic!("scenario should solve: {e}"),
    }
}

fn check_percentiles(r: &Report, survival: impl Fn(f64) -> f64) {
    for (got, p) in [
        (r.latency_ms.p50, 0.50),
        (r.latency_ms.p95, 0.95),
        (r.latency_ms.p99, 0.99),
    ] {
        let want = 1000.0 * quantile_of(&survival, p);
        close(
            got.expect("finite percentile"),
            want,
            PERCENTILE,
            &format!("p{}", p * 100.0),
        );
    }
}

#[test]
fn mm1_mean_and_percentiles() {
    // λ = 80/s, μ = 100/s: sojourn ~ Exp(μ − λ), mean 1/(μ − λ) = 50 ms,
    // percentile p at −ln(1 − p)/(μ − λ).
    let s = scenario(
        80.0,
        vec![users(), server("app", 1.0, 10.0)],
        vec![Link::new("users", "app")],
    );
    let r = solve(&s);
    close(r.latency_ms.mean.unwrap(), 50.0, EXACT, "mean");
    for (got, p) in [
        (r.latency_ms.p50, 0.5),
        (r.latency_ms.p95, 0.95),
        (r.latency_ms.p99, 0.99),
    ] {
        close(
            got.unwrap(),
            -(1.0f64 - p).ln() / 20.0 * 1000.0,
            PERCENTILE,
            "percentile",
        );
    }
    assert!(r.latency_ms.exact, "a single M/M/1 is exact");
    let app = &r.components["app"];
    close(app.utilization, 0.8, EXACT, "utilization");
    assert_eq!(app.dropped_rps, 0.0);
    close(r.headroom.unwrap(), 1.25, EXACT, "headroom = 1/ρ");
    assert_eq!(r.bottleneck.as_deref(), Some("app"));
}

/// P(T > t) for an M/M/c sojourn: with probability 1 − C only the service Exp(μ); with
/// probability C the wait Exp(θ = cμ − λ) plus the service.
fn mmc_survival(c: u64, lambda: f64, mu: f64) -> impl Fn(f64) -> f64 {
    let pw = erlang_c(c, lambda / mu);
    let theta = c as f64 * mu - lambda;
    move |t: f64| {
        let with_wait = if (theta - mu).abs() < 1e-12 {
            (-mu * t).exp() * (1.0 + mu * t) // Erlang-2 when θ = μ
        } else {
            (theta * (-mu * t).exp() - mu * (-theta * t).exp()) / (theta - mu)
        };
        (1.0 - pw) * (-mu * t).exp() + pw * with_wait
    }
}

#[test]
fn mmc_matches_erlang_c() {
    // c = 4, μ = 10/s, λ = 32/s: Wq = C/(cμ − λ), W = Wq + 1/μ.
    let s = scenario(
        32.0,
        vec![users(), server("app", 4.0, 100.0)],
        vec![Link::new("users", "app")],
    );
    let r = solve(&s);
    let c = erlang_c(4, 3.2);
    close(
        r.latency_ms.mean.unwrap(),
        1000.0 * (c / 8.0 + 0.1),
        EXACT,
        "mean",
    );
    check_percentiles(&r, mmc_survival(4, 32.0, 10.0));
}

#[test]
fn mmc_when_the_wait_rate_equals_the_service_rate() {
    // c = 3, μ = 10, λ = 20: cμ − λ = μ, the conditional sojourn is Erlang-2.
    let s = scenario(
        20.0,
        vec![users(), server("app", 3.0, 100.0)],
        vec![Link::new("users", "app")],
    );
    let r = solve(&s);
    check_percentiles(&r, mmc_survival(3, 20.0, 10.0));
}

#[test]
fn erlang_b_loss_system() {
    // 10 servers, no waiting room, a = 5: a share B(10, 5) of calls is refused.
    let s = scenario(
        50.0,
        vec![
            users(),
            server("app", 10.0, 100.0).with("queue_capacity", 0.0),
        ],
        vec![Link::new("users", "app")],
    );
    let r = solve(&s);
    let b = erlang_b(10, 5.0);
    close(r.components["app"].dropped_rps, 50.0 * b, EXACT, "dropped");
    close(r.dropped_rps, 50.0 * b, EXACT, "system drops");
    // Nobody waits: the latency is the service time alone, Exp(10/s).
    close(r.latency_ms.mean.unwrap(), 100.0, EXACT, "mean");
}

#[test]
fn mm1k_blocking() {
    // M/M/1/K, K = 5 (4 waiting places), ρ = 0.9: P_K = (1 − ρ)ρ^K / (1 − ρ^{K+1}).
    let s = scenario(
        90.0,
        vec![
            users(),
            server("app", 1.0, 10.0).with("queue_capacity", 4.0),
        ],
        vec![Link::new("users", "app")],
    );
    let r = solve(&s);
    let rho: f64 = 0.9;
    let pk = (1.0 - rho) * rho.powi(5) / (1.0 - rho.powi(6));
    close(r.components["app"].dropped_rps, 90.0 * pk, EXACT, "blocked");
    // Mean sojourn of accepted requests by Little's law on the truncated geometric.
    let p = |n: i32| (1.0 - rho) * rho.powi(n) / (1.0 - rho.powi(6));
    let l: f64 = (0..=5).map(|n| n as f64 * p(n)).sum();
    close(
        r.latency_ms.mean.unwrap(),
        1000.0 * l / (90.0 * (1.0 - pk)),
        EXACT,
        "mean",
    );
}

/// P(T > t) of a sum of independent exponentials with distinct rates (hypoexponential).
fn hypoexponential_survival(rates: Vec<f64>) -> impl Fn(f64) -> f64 {
    move |t: f64| {
        rates
            .iter()
            .enumerate()
            .map(|(i, &ri)| {
                let coeff: f64 = rates
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, &rj)| rj / (rj - ri))
                    .product();
                coeff * (-ri * t).exp()
            })
            .sum()
    }
}

#[test]
fn tandem_of_mm1_is_hypoexponential() {
    // Three M/M/1 stations in series at λ = 50/s with μ = 100, 80, 150: by Burke and Reich
    // the sojourns are independent Exp(μ_i − λ), so the total is hypoexponential.
    let s = scenario(
        50.0,
        vec![
            users(),
            server("a", 1.0, 10.0),
            server("b", 1.0, 12.5),
            Component::new("c", Kind::Database, "c", 0.0, 0.0)
                .with("concurrency", 1.0)
                .with("service_time_ms", 1000.0 / 150.0),
        ],
        vec![
            Link::new("users", "a"),
            Link::new("a", "b"),
            Link::new("b", "c"),
        ],
    );
    let r = solve(&s);
    assert!(r.latency_ms.exact);
    close(
        r.latency_ms.mean.unwrap(),
        1000.0 * (1.0 / 50.0 + 1.0 / 30.0 + 1.0 / 100.0),
        EXACT,
        "mean",
    );
    check_percentiles(&r, hypoexponential_survival(vec![50.0, 30.0, 100.0]));
}

#[test]
fn weighted_load_balancing_splits_by_weight() {
    // nginx-style weights 3:1:1 over 500 req/s.
    let lb = Component::new("lb", Kind::LoadBalancer, "LB", 0.0, 0.0)
        .with_choice("algorithm", "weighted");
    let s = scenario(
        500.0,
        vec![
            users(),
            lb,
            server("a", 8.0, 10.0),
            server("b", 8.0, 10.0),
            server("c", 8.0, 10.0),
        ],
        vec![
            Link::new("users", "lb"),
            Link::new("lb", "a").weighted(3.0),
            Link::new("lb", "b"),
            Link::new("lb", "c"),
        ],
    );
    let r = solve(&s);
    close(r.components["a"].arrival_rps, 300.0, EXACT, "a");
    close(r.components["b"].arrival_rps, 100.0, EXACT, "b");
    close(r.components["c"].arrival_rps, 100.0, EXACT, "c");
    // Round robin ignores the weights.
    let mut rr = s.clone();
    rr.components[1] = rr.components[1]
        .clone()
        .with_choice("algorithm", "round_robin");
    let r = solve(&rr);
    close(
        r.components["a"].arrival_rps,
        500.0 / 3.0,
        EXACT,
        "round robin",
    );
}

#[test]
fn least_connections_splits_by_capacity_and_shares_one_queue() {
    let lb = Component::new("lb", Kind::LoadBalancer, "LB", 0.0, 0.0)
        .with_choice("algorithm", "least_connections");
    let s = scenario(
        90.0,
        vec![
            users(),
            lb,
            server("big", 2.0, 10.0),
            server("small", 1.0, 10.0),
        ],
        vec![
            Link::new("users", "lb"),
            Link::new("lb", "big"),
            Link::new("lb", "small"),
        ],
    );
    let r = solve(&s);
    close(r.components["big"].arrival_rps, 60.0, EXACT, "big gets 2/3");
    close(
        r.components["small"].arrival_rps,
        30.0,
        EXACT,
        "small gets 1/3",
    );
}

#[test]
fn separate_queues_per_instance_versus_one_shared_queue() {
    // 4 instances of 1 server at ρ = 0.75: behind round robin each is an M/M/1 at λ/4;
    // behind least connections the pool is one M/M/4 — a shorter wait.
    let pool = |algorithm: &str| {
        let lb = Component::new("lb", Kind::LoadBalancer, "LB", 0.0, 0.0)
            .with_choice("algorithm", algorithm)
            .with("service_time_ms", 0.001);
        let app = server("app", 1.0, 100.0).with("instances", 4.0);
        let s = scenario(
            30.0,
            vec![users(), lb, app],
            vec![Link::new("users", "lb"), Link::new("lb", "app")],
        );
        solve(&s).components["app"].mean_response_ms.unwrap()
    };
    close(
        pool("round_robin"),
        1000.0 / (10.0 - 7.5),
        EXACT,
        "4 × M/M/1",
    );
    let c = erlang_c(4, 3.0);
    close(
        pool("least_connections"),
        1000.0 * (c / 10.0 + 0.1),
        EXACT,
        "M/M/4",
    );
}

#[test]
fn cache_in_front_of_a_database() {
    // 1 000 req/s, 90 % reads; the cache answers 80 % of reads.
    // DB load = reads × (1 − hit) + writes = 900 × 0.2 + 100 = 280.
    let mut s = Scenario::new("cache", Traffic::rps(1000.0, 0.9, 0.1, 0.0));
    s.components = vec![
        users(),
        server("app", 64.0, 10.0).with("instances", 1.0),
        Component::new("cache", Kind::Cache, "Cache", 0.0, 0.0).with("hit_ratio", 0.8),
        Component::new("db", Kind::Database, "DB", 0.0, 0.0),
    ];
    s.links = vec![
        Link::new("users", "app"),
        Link::new("app", "cache").only(&[Class::Read]),
        Link::new("app", "db").only(&[Class::Write]),
        Link::new("cache", "db"),
    ];
    let r = solve(&s);
    close(r.components["cache"].arrival_rps, 900.0, EXACT, "cache");
    close(r.components["cache"].completed_rps, 720.0, EXACT, "hits");
    close(r.components["db"].arrival_rps, 280.0, EXACT, "db");
}

#[test]
fn read_replicas_take_reads_and_apply_writes() {
    // Primary with two replicas: reads split over the replicas; every replica applies every
    // write (replication cost 1). 1 000 req/s at 90 % reads: replicas 450 + 100 each.
    let mut s = Scenario::new("replicas", Traffic::rps(1000.0, 0.9, 0.1, 0.0));
    s.components = vec![
        users(),
        Component::new("db", Kind::Database, "Primary", 0.0, 0.0),
        Component::new("r1", Kind::ReadReplica, "Replica 1", 0.0, 0.0),
        Component::new("r2", Kind::ReadReplica, "Replica 2", 0.0, 0.0),
    ];
    s.links = vec![
        Link::new("users", "db"),
        Link::new("db", "r1"),
        Link::new("db", "r2"),
    ];
    let r = solve(&s);
    close(
        r.components["db"].completed_rps,
        100.0,
        EXACT,
        "primary completes writes",
    );
    close(r.components["r1"].arrival_rps, 550.0, EXACT, "replica 1");
    close(r.components["r2"].arrival_rps, 550.0, EXACT, "replica 2");
    // Replication is asynchronous: it adds load, not latency. A read's time is the primary
    // hop plus a replica hop; a write's is the primary hop alone.
    assert!(r.latency_ms.mean.is_some());
}

#[test]
fn saturation_caps_throughput_and_reports_unbounded_latency() {
    // One server of 100/s offered 150/s: 100 served, 50 dropped, latency unbounded.
    let s = scenario(
        150.0,
        vec![users(), server("app", 1.0, 10.0), server("db", 4.0, 1.0)],
        vec![Link::new("users", "app"), Link::new("app", "db")],
    );
    let r = solve(&s);
    let app = &r.components["app"];
    close(app.served_rps, 100.0, EXACT, "served");
    close(app.dropped_rps, 50.0, EXACT, "dropped");
    assert!(app.saturated);
    assert_eq!(app.mean_response_ms, None);
    close(
        r.components["db"].arrival_rps,
        100.0,
        EXACT,
        "capped flow downstream",
    );
    assert_eq!(r.latency_ms.mean, None);
    assert_eq!(r.latency_ms.p99, None);
    close(r.throughput_rps, 100.0, EXACT, "throughput");
    close(
        r.headroom.unwrap(),
        100.0 / 150.0,
        EXACT,
        "headroom below 1",
    );
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains("NaN") && !json.contains("inf"), "{json}");
}

#[test]
fn series_and_parallel_availability() {
    // users → lb (0.999) → {a, b} (0.99 each) → db (0.995): lb · (1 − 0.01²) · db.
    let mut s = scenario(
        1.0,
        vec![
            users(),
            Component::new("lb", Kind::LoadBalancer, "LB", 0.0, 0.0).with("availability", 0.999),
            server("a", 8.0, 10.0).with("availability", 0.99),
            server("b", 8.0, 10.0).with("availability", 0.99),
            Component::new("db", Kind::Database, "DB", 0.0, 0.0).with("availability", 0.995),
        ],
        vec![
            Link::new("users", "lb"),
            Link::new("lb", "a"),
            Link::new("lb", "b"),
            Link::new("a", "db"),
            Link::new("b", "db"),
        ],
    );
    let r = solve(&s);
    let want = 0.999 * (1.0 - 0.01f64.powi(2)) * 0.995;
    close(r.availability, want, 1e-12, "availability");
    assert_eq!(r.availability_margin, None, "exact");
    close(
        r.downtime_minutes_per_month,
        (1.0 - want) * 43_200.0,
        1e-9,
        "downtime",
    );

    // k-of-n: one pool of 3 instances that needs 2 to carry its load (each carries 80/s
    // here, the load is 120/s): P(at least 2 of 3 up).
    s.traffic = Traffic::rps(120.0, 1.0, 0.0, 0.0);
    s.components = vec![
        users(),
        server("app", 8.0, 100.0)
            .with("instances", 3.0)
            .with("availability", 0.9),
    ];
    s.links = vec![Link::new("users", "app")];
    let r = solve(&s);
    close(r.availability, 3.0 * 0.81 * 0.1 + 0.729, 1e-12, "2 of 3");
}

#[test]
fn bridge_availability_is_exact() {
    // The classic bridge: users → s → {a, b}, a → {c, e}, b → e... built with routers so that
    // the network is not series-parallel. Reference: enumerate all 2^5 up/down states.
    let p = [0.9, 0.8, 0.95, 0.85, 0.7]; // a, b, m (the bridge), c, d
    let node = |id: &str, a: f64| {
        Component::new(id, Kind::ApiGateway, id, 0.0, 0.0).with("availability", a)
    };
    let s = scenario(
        1.0,
        vec![
            users(),
            Component::new("dns", Kind::Dns, "DNS", 0.0, 0.0).with("availability", 1.0),
            node("a", p[0]),
            node("b", p[1]),
            node("m", p[2]),
            node("c", p[3]),
            node("d", p[4]),
            Component::new("store", Kind::ObjectStorage, "Store", 0.0, 0.0)
                .with("availability", 1.0),
        ],
        vec![
            Link::new("users", "dns"),
            Link::new("dns", "a"),
            Link::new("dns", "b"),
            Link::new("a", "c"),
            Link::new("a", "m"),
            Link::new("b", "m"),
            Link::new("b", "d"),
            Link::new("m", "c"),
            Link::new("m", "d"),
            Link::new("c", "store"),
            Link::new("d", "store"),
        ],
    );
    let r = solve(&s);
    let mut want = 0.0;
    for state in 0u32..32 {
        let up = |i: usize| state & (1 << i) != 0;
        let prob: f64 = (0..5)
            .map(|i| if up(i) { p[i] } else { 1.0 - p[i] })
            .product();
        let (a, b, m, c, d) = (up(0), up(1), up(2), up(3), up(4));
        // m works if it is up and c or d works; a works if up and (c or m works); b likewise.
        let m_works = m && (c || d);
        let a_works = a && (c || m_works);
        let b_works = b && (m_works || d);
        if a_works || b_works {
            want += prob;
        }
    }
    close(r.availability, want, 1e-12, "bridge");
}

#[test]
fn region_delays_shift_the_distribution_exactly() {
    // Two regions 10 ms and 200 ms away, half the users each, each in front of an M/M/1
    // at ρ = 0.5 (sojourn Exp(50/s)). Survival: ½ S(t − 0.01) + ½ S(t − 0.2).
    let region =
        |id: &str, rtt: f64| Component::new(id, Kind::Region, id, 0.0, 0.0).with("rtt_ms", rtt);
    let s = scenario(
        100.0,
        vec![
            users(),
            Component::new("dns", Kind::Dns, "GeoDNS", 0.0, 0.0).with("lookup_share", 0.0),
            region("near", 10.0),
            region("far", 200.0),
            server("app-near", 1.0, 10.0),
            server("app-far", 1.0, 10.0),
        ],
        vec![
            Link::new("users", "dns"),
            Link::new("dns", "near"),
            Link::new("dns", "far"),
            Link::new("near", "app-near"),
            Link::new("far", "app-far"),
        ],
    );
    let r = solve(&s);
    let exp = |t: f64| if t <= 0.0 { 1.0 } else { (-50.0 * t).exp() };
    close(
        r.latency_ms.mean.unwrap(),
        0.5 * 30.0 + 0.5 * 220.0,
        EXACT,
        "mean",
    );
    check_percentiles(&r, |t| 0.5 * exp(t - 0.01) + 0.5 * exp(t - 0.2));
}

#[test]
fn monthly_cost_uses_the_price_table() {
    // The source text's bill: LB $20, 3 app instances $100 each, cache $50, RDS $150,
    // 2 replicas $150 each.
    let mut s = Scenario::new("bill", Traffic::rps(10.0, 1.0, 0.0, 0.0));
    s.components = vec![
        users(),
        Component::new("lb", Kind::LoadBalancer, "LB", 0.0, 0.0),
        server("app", 8.0, 10.0).with("instances", 3.0),
        Component::new("cache", Kind::Cache, "Cache", 0.0, 0.0),
        Component::new("db", Kind::Database, "DB", 0.0, 0.0),
        Component::new("r1", Kind::ReadReplica, "R1", 0.0, 0.0),
        Component::new("r2", Kind::ReadReplica, "R2", 0.0, 0.0),
    ];
    s.links = vec![
        Link::new("users", "lb"),
        Link::new("lb", "app"),
        Link::new("app", "cache"),
        Link::new("cache", "db"),
        Link::new("db", "r1"),
        Link::new("db", "r2"),
    ];
    close(
        solve(&s).monthly_cost_usd,
        20.0 + 300.0 + 50.0 + 150.0 + 300.0,
        EXACT,
        "cost",
    );
    s.prices.insert(Kind::AppServer, 30.0);
    close(
        solve(&s).monthly_cost_usd,
        20.0 + 90.0 + 50.0 + 150.0 + 300.0,
        EXACT,
        "edited",
    );
}

#[test]
fn a_loop_with_an_exit_is_solved_and_one_without_is_refused() {
    // Retries: 20 % of what reaches "db" goes back to "app". Traffic equations:
    // x_app = 100 + 0.2 x_db, x_db = x_app → x = 125.
    let mut s = scenario(
        100.0,
        vec![users(), server("app", 8.0, 10.0), server("db", 8.0, 10.0)],
        vec![
            Link::new("users", "app"),
            Link::new("app", "db"),
            Link::new("db", "app").weighted(0.25),
            Link::new("db", "sink"),
        ],
    );
    s.components.push(Component::new(
        "sink",
        Kind::ObjectStorage,
        "Sink",
        0.0,
        0.0,
    ));
    let r = solve(&s);
    close(r.components["app"].arrival_rps, 125.0, 1e-9, "app");
    close(
        r.components["sink"].arrival_rps,
        100.0,
        1e-9,
        "all leave eventually",
    );
    // Without the way out, requests circle forever.
    s.links.retain(|l| l.to != "sink");
    let err = analyze(&s).unwrap_err().to_string();
    assert!(err.contains("can never leave"), "{err}");
}

#[test]
fn traffic_from_users_is_converted_to_peak_rps() {
    // 1 000 000 daily users × 50 requests ÷ 86 400 s × peak factor 3 ≈ 1 736 req/s.
    let mut s = scenario(
        1.0,
        vec![users(), server("app", 1000.0, 10.0)],
        vec![Link::new("users", "app")],
    );
    s.traffic.rps = None;
    s.traffic.users = Some(archsim::model::Users {
        daily_active: 1e6,
        requests_per_user_per_day: 50.0,
        peak_factor: 3.0,
    });
    close(
        solve(&s).offered_rps,
        1e6 * 50.0 / 86_400.0 * 3.0,
        EXACT,
        "peak rps",
    );
}

#[test]
fn a_queue_decouples_producers_from_slow_consumers() {
    // 100 writes/s enqueued (1 ms each); 2 workers × 4 threads of 100 ms drain 80/s.
    // Producers return after the enqueue, so their latency is the queue's alone; the backlog
    // grows by 20 messages per second and the report says so.
    let mut s = Scenario::new("queue", Traffic::rps(100.0, 0.0, 1.0, 0.0));
    s.components = vec![
        users(),
        Component::new("q", Kind::Queue, "Queue", 0.0, 0.0).with("concurrency", 1.0),
        Component::new("w", Kind::Worker, "Workers", 0.0, 0.0).with("instances", 2.0),
    ];
    s.links = vec![Link::new("users", "q"), Link::new("q", "w")];
    let r = solve(&s);
    close(
        r.components["w"].arrival_rps,
        100.0,
        EXACT,
        "all messages reach the consumers",
    );
    close(r.components["w"].dropped_rps, 20.0, EXACT, "backlog growth");
    // The producer's latency is the M/M/1 enqueue: 1/(1000 − 100) s.
    close(
        r.latency_ms.mean.unwrap(),
        1000.0 / 900.0,
        EXACT,
        "enqueue latency",
    );
    close(r.throughput_rps, 100.0, EXACT, "every request is accepted");
    assert!(
        r.notes.iter().any(|n| n.contains("backlog grows by 20.0")),
        "{:?}",
        r.notes
    );
}
