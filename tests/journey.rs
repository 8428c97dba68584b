//! The journey's lessons, held to their words: each stage at its milestone shows what its
//! lesson says, and shows the problem the next stage removes.

use archsim::model::{Component, Failure, Geography, Location, Scenario};
use archsim::presets::{hot_key, journey, stage, users_traffic};
use archsim::solve::{analyze_with_failures, Report};
use std::collections::BTreeSet;

fn at(key: &str, users: Option<f64>) -> (Scenario, Report) {
    let st = stage(key).expect("stage exists");
    let mut s = (st.build)();
    if let Some(u) = users {
        s.traffic = users_traffic(u);
    }
    let r = analyze_with_failures(&s).unwrap_or_else(|e| panic!("{key}: {e}"));
    (s, r)
}

fn spofs(r: &Report) -> BTreeSet<&str> {
    r.spofs.iter().map(String::as_str).collect()
}

const DAY_30: f64 = 10_000.0;
const DAY_60: f64 = 100_000.0;
const DAY_90: f64 = 1_000_000.0;

#[test]
fn the_journey_has_eleven_stages_in_the_texts_order() {
    let keys: Vec<&str> = journey().iter().map(|s| s.key).collect();
    assert_eq!(
        keys,
        [
            "single-server",
            "separate-database",
            "load-balancer",
            "replication",
            "cache",
            "cdn",
            "stateless",
            "data-centres",
            "message-queue",
            "sharding",
            "monitoring"
        ]
    );
    let users: Vec<f64> = journey().iter().map(|s| s.users).collect();
    assert!(users.windows(2).all(|w| w[0] <= w[1]), "traffic only grows");
}

#[test]
fn one_server_is_a_spof_busy_by_day_30_and_swamped_by_day_60() {
    let (_, r) = at("single-server", None);
    assert_eq!(r.dropped_rps, 0.0);
    assert_eq!(spofs(&r), BTreeSet::from(["web"]));
    let (_, r) = at("single-server", Some(DAY_30));
    let busy = r.components["web"].utilization;
    assert!((0.6..0.7).contains(&busy), "{busy}");
    let (_, r) = at("single-server", Some(DAY_60));
    assert!(r.dropped_rps > 0.0);
}

#[test]
fn a_separate_database_leaves_the_web_server_as_bottleneck() {
    let (_, r) = at("separate-database", None);
    assert_eq!(r.bottleneck.as_deref(), Some("web"));
    assert_eq!(spofs(&r), BTreeSet::from(["db", "web"]));
    assert_eq!(r.dropped_rps, 0.0);
    // At Day 60 it breaks; the balanced pool of the next stage does not.
    assert!(at("separate-database", Some(DAY_60)).1.dropped_rps > 0.0);
}

#[test]
fn a_balanced_pool_survives_day_60_and_leaves_the_balancer_and_database() {
    let (_, r) = at("load-balancer", None);
    assert_eq!(r.dropped_rps, 0.0);
    assert_eq!(spofs(&r), BTreeSet::from(["db", "lb"]));
}

#[test]
fn replication_moves_reads_off_the_primary_and_removes_its_spof() {
    let (s, r) = at("replication", None);
    assert!(!r.spofs.contains(&"db".to_owned()));
    let writes = s.traffic.peak_rps() * s.traffic.write;
    assert!((r.components["db"].arrival_rps - writes).abs() < 1e-6);
    // The design before it, at this traffic, keeps the database a SPOF.
    let (_, before) = at("load-balancer", Some(stage("replication").unwrap().users));
    assert!(before.spofs.contains(&"db".to_owned()));
}

#[test]
fn the_cache_halves_the_replicas_load() {
    let users = stage("cache").unwrap().users;
    let (_, with) = at("cache", None);
    let (_, without) = at("replication", Some(users));
    for replica in ["replica-1", "replica-2"] {
        let (a, b) = (
            with.components[replica].utilization,
            without.components[replica].utilization,
        );
        assert!(a < 0.5 * b, "{replica}: {a} vs {b}");
    }
    assert!(with.latency_ms.p50.unwrap() < without.latency_ms.p50.unwrap());
}

#[test]
fn the_cdn_keeps_static_files_off_the_web_servers() {
    let (s, r) = at("cdn", None);
    let rps = s.traffic.peak_rps();
    assert!((r.components["web"].arrival_rps - 0.9 * rps).abs() < 1e-6);
    assert!((r.components["files"].arrival_rps - 0.05 * 0.1 * rps).abs() < 1e-6);
}

#[test]
fn the_stateless_tier_looks_up_sessions_on_every_request() {
    let (_, r) = at("stateless", None);
    assert_eq!(r.dropped_rps, 0.0);
    assert!((r.components["sessions"].arrival_rps - r.components["web"].served_rps).abs() < 1e-6);
}

#[test]
fn two_regions_survive_either_one_failing() {
    let (s, r) = at("data-centres", None);
    assert_eq!(r.dropped_rps, 0.0);
    assert!(r.spofs.is_empty(), "{:?}", r.spof_reasons);
    for region in ["region-1", "region-2"] {
        let mut down = s.clone();
        down.failed.insert(region.into(), Failure::DOWN);
        let r = analyze_with_failures(&down).unwrap();
        assert_eq!(r.dropped_rps, 0.0, "{region} down");
    }
}

/// Seoul to N. Virginia, ms, from the measured table (MODEL.md §21).
fn pacific() -> f64 {
    Geography::default().between_ms(Location::Seoul, Location::Virginia)
}

#[test]
fn each_continent_is_served_at_home_and_only_writes_cross_the_ocean() {
    let (s, r) = at("data-centres", None);
    // GeoDNS sends each half of the users to its own region.
    let dynamic = s.traffic.peak_rps() * (s.traffic.read + s.traffic.write);
    for region in ["region-1", "region-2"] {
        let arrival = r.components[region].arrival_rps;
        assert!(
            (arrival - dynamic / 2.0).abs() < 1e-6,
            "{region}: {arrival}"
        );
    }
    // The two regions are alike, so the two populations differ by what crosses the
    // ocean alone, times the round trip, exactly: the writes (to the primary) and the
    // static files the CDN's edge misses (from the origin in Seoul).
    let by = &r.latency_by_location;
    let (seoul, america) = (by["seoul"].mean.unwrap(), by["virginia"].mean.unwrap());
    let misses = 1.0 - s.component("cdn").unwrap().num("hit_ratio");
    let crossing = s.traffic.write + s.traffic.static_share * misses;
    let gap = america - seoul;
    assert!((gap - crossing * pacific()).abs() < 1e-6, "{gap}");
    // The lesson's figure.
    assert!((pacific() - 176.618).abs() < 1e-9);
}

#[test]
fn a_region_down_sends_its_users_across_the_ocean() {
    let (s, r) = at("data-centres", None);
    let mut down = s.clone();
    down.failed.insert("region-2".into(), Failure::DOWN);
    let after = analyze_with_failures(&down).unwrap();
    assert_eq!(after.dropped_rps, 0.0);
    let mean = |r: &Report, place: &str| r.latency_by_location[place].mean.unwrap();
    // America's reads now cross the Pacific too: their share of the traffic times the
    // round trip comes on top (writes and the CDN's misses crossed already), and Seoul's
    // busier region adds a little.
    let reads = s.traffic.read;
    let risen = mean(&after, "virginia") - mean(&r, "virginia");
    assert!(risen >= reads * pacific(), "{risen}");
    // Seoul's own users notice only the busier servers: less than 5 ms.
    let seoul = mean(&after, "seoul") - mean(&r, "seoul");
    assert!((0.0..5.0).contains(&seoul), "{seoul}");
}

#[test]
fn the_queue_returns_before_the_slow_work_is_done() {
    let (_, r) = at("message-queue", None);
    assert_eq!(r.dropped_rps, 0.0);
    assert!(r.components["workers"].arrival_rps > 0.0);
    // Workers take 200 ms per message; requests never wait for them.
    assert!(r.latency_ms.mean.unwrap() < 200.0);
    // Each region enqueues at home: at the same traffic as the stage before, a write pays
    // one queue's millisecond, not a Pacific round trip (the lesson's "about a millisecond").
    let users = stage("message-queue").unwrap().users;
    let (s, before) = at("data-centres", Some(users));
    for place in ["seoul", "virginia"] {
        let rise = r.latency_by_location[place].mean.unwrap()
            - before.latency_by_location[place].mean.unwrap();
        assert!(
            (0.0..=s.traffic.write * 1.01).contains(&rise),
            "{place}: {rise} ms"
        );
    }
}

#[test]
fn sharding_spreads_the_writes_until_a_hot_key_breaks_it() {
    // One primary cannot take Day 90's writes.
    let (_, before) = at("message-queue", Some(DAY_90));
    assert!(before.dropped_rps > 0.0);
    assert_eq!(before.bottleneck.as_deref(), Some("db"));
    let (s, r) = at("sharding", None);
    assert_eq!(r.dropped_rps, 0.0);
    // The read replicas still copy the data: each applies every shard's writes, at the
    // primary's replication cost (half a write), as in the stage before.
    let writes = r.offered_rps * s.traffic.write;
    for id in ["replica-1", "replica-2", "replica-3", "replica-4"] {
        let arrival = r.components[id].arrival_rps;
        assert!(
            arrival >= 0.5 * writes * (1.0 - 1e-9),
            "{id}: {arrival} vs {writes}"
        );
        assert!(
            r.components[id].lag.is_some(),
            "{id} lags behind the shards"
        );
    }
    assert!(r.components["db"].load < 0.5);
    assert!(r.spofs.is_empty(), "{:?}", r.spof_reasons);
    let hot = analyze_with_failures(&hot_key(2.0 / 3.0)).unwrap();
    assert!(hot.dropped_rps > 0.0);
    assert_eq!(hot.bottleneck.as_deref(), Some("db"));
}

#[test]
fn monitoring_costs_thirty_dollars_and_nothing_else() {
    let (_, a) = at("sharding", None);
    let (_, b) = at("monitoring", None);
    assert!((b.monthly_cost_usd - a.monthly_cost_usd - 30.0).abs() < 1e-9);
    assert_eq!(a.latency_ms, b.latency_ms);
}

/// Every preset is laid out without two boxes overlapping (with room between them for the
/// drop label under a box), so it opens readable.
#[test]
fn no_preset_has_overlapping_components() {
    use archsim::editor::geometry::{NODE_H, NODE_W};
    let mut designs: Vec<(String, Scenario)> = journey()
        .iter()
        .map(|st| (st.key.to_owned(), (st.build)()))
        .collect();
    designs.push(("starter".into(), archsim::presets::starter()));
    designs.push(("hot key".into(), hot_key(0.3)));
    let mut bad = Vec::new();
    for (name, s) in &designs {
        for (i, a) in s.components.iter().enumerate() {
            for b in &s.components[i + 1..] {
                let apart_x = (a.x - b.x).abs() >= NODE_W + 12.0;
                let apart_y = (a.y - b.y).abs() >= NODE_H + 20.0;
                if !apart_x && !apart_y {
                    bad.push(format!("{name}: {} and {}", a.id, b.id));
                }
            }
        }
    }
    assert!(bad.is_empty(), "overlapping: {bad:#?}");
}

/// A stage changes only what its lesson names: every parameter that changes on a component
/// the previous stage already had is named in the lesson with its new value (the panel
/// lists every change too, from the same diff).
#[test]
fn every_stage_names_each_parameter_it_changes() {
    use archsim::model::{changes, Change};
    let stages = journey();
    for w in stages.windows(2) {
        let (before, after) = ((w[0].build)(), (w[1].build)());
        let listed = changes(&before, &after);
        // A component replaced by another kind is a new component: its settings are listed
        // beside it, not asked of the lesson one by one.
        let replaced: Vec<&String> = listed
            .iter()
            .filter_map(|c| match c {
                Change::Replaced { name, .. } => Some(name),
                _ => None,
            })
            .collect();
        for change in &listed {
            if let Change::Param { to, name, .. } = change {
                if replaced.contains(&name) {
                    continue;
                }
                let to = to.replace('_', " ");
                assert!(
                    w[1].lesson.contains(&to),
                    "{}: \"{change}\" is not named in the lesson",
                    w[1].key
                );
            }
        }
    }
}

/// Stage 4's comparison: the drops the load-balancer design has at 200 000 users are the
/// web tier's, and growing the pool to 16 (which the lesson names) is what removes them.
#[test]
fn the_web_pool_not_replication_removes_the_drops_at_stage_4() {
    let (s, before) = at("load-balancer", Some(200_000.0));
    assert!(before.dropped_rps > 0.0);
    assert!(before.components["web"].saturated);
    assert!(!before.components["db"].saturated);
    let mut grown = s.clone();
    for c in grown.components.iter_mut().filter(|c| c.id == "web") {
        *c = c.clone().with("instances", 16.0);
    }
    let grown = analyze_with_failures(&grown).unwrap();
    assert_eq!(grown.dropped_rps, 0.0);
    // Replication's own claim: the primary's load falls to the writes.
    let (_, after) = at("replication", None);
    assert!(after.components["db"].load < grown.components["db"].load);
}

#[test]
fn what_makes_the_cache_and_stateless_stages_faster_is_what_their_lessons_say() {
    // The lessons say so. The cache stage: the previous stage's pool of 16, at this
    // stage's traffic, is nearly full, and this stage's design with 16 servers keeps most
    // of the latency. The stateless stage: the previous pool of 24 is nearly full too, and
    // either change alone (least connections, 32 servers) removes most of the wait.
    let mean = |r: &Report| r.latency_ms.mean.expect("served");
    let variant = |s: &Scenario, id: &str, edit: &dyn Fn(Component) -> Component| {
        let mut s = s.clone();
        for c in s.components.iter_mut().filter(|c| c.id == id) {
            *c = edit(c.clone());
        }
        mean(&analyze_with_failures(&s).unwrap())
    };
    let users = stage("cache").unwrap().users;
    let (s, now) = at("cache", None);
    let (p, before) = at("replication", Some(users));
    let web = |s: &Scenario| s.component("web").expect("a web pool").num("instances");
    assert_eq!((web(&p), web(&s)), (16.0, 24.0));
    assert!(before.components["web"].utilization > 0.9);
    let fall = mean(&before) - mean(&now);
    let sixteen = variant(&s, "web", &|c| c.with("instances", 16.0));
    assert!(
        mean(&before) - sixteen < 0.5 * fall,
        "{sixteen} against {fall}"
    );

    let users = stage("stateless").unwrap().users;
    let (s, now) = at("stateless", None);
    let (p, before) = at("cdn", Some(users));
    assert_eq!((web(&p), web(&s)), (24.0, 32.0));
    assert!(before.components["web"].utilization > 0.9);
    let fall = mean(&before) - mean(&now);
    let round_robin = variant(&s, "lb", &|c| c.with_choice("algorithm", "round_robin"));
    assert!(
        mean(&before) - round_robin > 0.5 * fall,
        "{round_robin} against {fall}"
    );
    let twenty_four = variant(&s, "web", &|c| c.with("instances", 24.0));
    assert!(
        mean(&before) - twenty_four > 0.5 * fall,
        "{twenty_four} against {fall}"
    );
}
