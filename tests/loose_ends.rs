//! Loose ends of the wiring: what a relay has no link for is lost, in both engines, and
//! every loose end is said in words, so that deleting a database never makes a design look
//! better without a word.

mod common;

use archsim::model::{Class, Component, Kind, Link, Scenario, Traffic};
use archsim::presets::stage;
use archsim::sim::simulate;
use archsim::solve::analyze;
use common::{shipped, users};

/// The design without the components `ids` and their links, as deleting them in the editor
/// leaves it.
fn without(s: &Scenario, ids: &[&str]) -> Scenario {
    let mut s = s.clone();
    // A run's timeline may fail what is deleted; the steady numbers do not read it.
    s.simulation = None;
    s.components.retain(|c| !ids.contains(&c.id.as_str()));
    s.links
        .retain(|l| !ids.contains(&l.from.as_str()) && !ids.contains(&l.to.as_str()));
    s
}

fn has_note(notes: &[String], words: &str) -> bool {
    notes.iter().any(|n| n.contains(words))
}

#[test]
fn a_cache_whose_origin_is_deleted_loses_its_misses_in_both_engines() {
    let mut s = without(
        &(stage("cache").expect("stage").build)(),
        &["replica-1", "replica-2"],
    );
    // Shallow checks: the balancer and the DNS keep sending to the web tier.
    for c in &mut s.components {
        if c.kind.params().iter().any(|p| p.key == "health_check") {
            *c = c.clone().with_choice("health_check", "shallow");
        }
    }
    let r = analyze(&s).expect("solves");
    let reads = r.offered_rps * s.traffic.read;
    let hit = r.components["cache"]
        .hit_ratio
        .expect("a cache has a hit ratio")
        .value;
    let misses = reads * (1.0 - hit);
    assert!(misses > 1.0);
    // Exact: only the misses are lost, at the cache.
    assert!(
        (r.dropped_rps - misses).abs() < 1e-6 * reads,
        "{} vs {misses}",
        r.dropped_rps
    );
    assert!((r.components["cache"].dropped_rps - misses).abs() < 1e-6 * reads);
    // The loose end is on the cache's report (the diagram marks it there), and nowhere else.
    assert_eq!(r.components["cache"].no_way_on, vec![Class::Read]);
    assert!(r
        .components
        .iter()
        .all(|(id, c)| id == "cache" || c.no_way_on.is_empty()));
    assert!(
        has_note(
            &r.notes,
            "Cache has no link for the read requests it does not answer from its hits"
        ),
        "{:#?}",
        r.notes
    );
    // The simulator loses the same requests: within its 95 % interval, widened by 2 %
    // of the offered rate for the interval's own error.
    let mut run = s.clone();
    run.simulation = Some(archsim::model::Simulation {
        seconds: 30.0,
        ..Default::default()
    });
    let sim = simulate(&run).expect("runs");
    let lost = &sim.unanswered_rps;
    let half = lost.half_width.unwrap_or(f64::INFINITY);
    assert!(
        (lost.value - misses).abs() <= half + 0.02 * r.offered_rps,
        "simulated {} ± {half} vs {misses}",
        lost.value,
    );
}

#[test]
fn a_deep_check_takes_out_what_needs_a_deleted_origin_and_the_notes_say_why() {
    let s = without(
        &(stage("cache").expect("stage").build)(),
        &["replica-1", "replica-2"],
    );
    let r = analyze(&s).expect("solves");
    assert!(r.throughput_rps < 1e-9, "{}", r.throughput_rps);
    assert!(
        has_note(&r.notes, "Cache has no link for the read requests it does not answer from its hits, so it would fail them: the deep health check of"),
        "{:#?}",
        r.notes
    );
    assert!(
        has_note(
            &r.notes,
            "because of the gap in the wiring the note above names"
        ),
        "{:#?}",
        r.notes
    );
}

#[test]
fn a_router_with_nowhere_to_send_loses_everything_and_says_so() {
    let mut s = Scenario::new("half built", Traffic::rps(100.0, 0.8, 0.2, 0.0));
    s.components.push(users());
    s.components
        .push(Component::new("lb", Kind::LoadBalancer, "LB", 0.0, 0.0));
    s.links.push(Link::new("users", "lb"));
    let r = analyze(&s).expect("solves");
    assert!((r.dropped_rps - 100.0).abs() < 1e-9);
    assert!(
        has_note(
            &r.notes,
            "LB has no link for its read and write requests: 100 req/s go nowhere"
        ),
        "{:#?}",
        r.notes
    );
}

#[test]
fn a_pool_that_keeps_its_own_writes_is_told_and_a_single_server_is_not() {
    let s = without(&(stage("load-balancer").expect("stage").build)(), &["db"]);
    let r = analyze(&s).expect("solves");
    assert!(has_note(&r.notes, "keeps the"), "{:#?}", r.notes);
    assert!(
        has_note(
            &r.notes,
            "each of its 8 instances holds only what it was sent"
        ),
        "{:#?}",
        r.notes
    );
    let one = (stage("single-server").expect("stage").build)();
    let r = analyze(&one).expect("solves");
    assert!(!has_note(&r.notes, "keeps the"), "{:#?}", r.notes);
}

#[test]
fn replicas_left_without_a_primary_are_named_with_what_they_cost() {
    let stage = (stage("cache").expect("stage").build)();
    // Deleting the primary leaves the replicas read through the cache but copying nothing.
    let r = analyze(&without(&stage, &["db"])).expect("solves");
    assert!(
        has_note(
            &r.notes,
            "Replica 1 and Replica 2 have no primary linked to them"
        ),
        "{:#?}",
        r.notes
    );
    // Deleting the cache leaves them sent no reads: they only copy writes, still paid for.
    let r = analyze(&without(&stage, &["cache"])).expect("solves");
    let cost =
        r.components["replica-1"].monthly_cost_usd + r.components["replica-2"].monthly_cost_usd;
    assert!(cost > 0.0);
    assert!(
        has_note(&r.notes, &format!("Replica 1 and Replica 2 answer no reads: nothing sends them any, so they only copy the primary's writes; they still cost ${cost:.0} per month")),
        "{:#?}",
        r.notes
    );
    // Deleting both leaves them reached by nothing at all.
    let r = analyze(&without(&stage, &["cache", "db"])).expect("solves");
    assert!(
        has_note(&r.notes, &format!("Replica 1 and Replica 2 receive nothing: no link leads to them; they still cost ${cost:.0} per month")),
        "{:#?}",
        r.notes
    );
}

/// Deleting the databases of any shipped design never looks better without a word: it
/// serves fewer requests, or a note names a loose end, or the servers that took the
/// database's requests are single servers that hold their own data (the journey's first
/// stage).
#[test]
fn deleting_the_database_of_a_shipped_design_never_passes_unsaid() {
    for s in shipped() {
        let dbs: Vec<&str> = s
            .components
            .iter()
            .filter(|c| c.kind.is_primary())
            .map(|c| c.id.as_str())
            .collect();
        if dbs.is_empty() {
            continue;
        }
        let before = analyze(&s).expect("solves");
        let after_s = without(&s, &dbs);
        let after = analyze(&after_s).expect("solves");
        let fewer = after.throughput_rps < before.throughput_rps * (1.0 - 1e-9);
        let said = after.notes.len() > before.notes.len();
        let single = s
            .links
            .iter()
            .filter(|l| dbs.contains(&l.to.as_str()))
            .all(|l| {
                after_s
                    .component(&l.from)
                    .is_none_or(|c| c.kind == Kind::AppServer && c.num("instances") <= 1.0)
            });
        assert!(fewer || said || single, "{}: {:#?}", s.name, after.notes);
    }
}

#[test]
fn a_failure_seen_through_deep_checks_is_named_where_the_requests_are_lost() {
    // A new user's pass: failing the primary of a cached design blamed DNS alone.
    let mut s = (stage("cache").expect("stage").build)();
    s.components.retain(|c| c.kind != Kind::ReadReplica);
    s.links
        .retain(|l| !l.to.starts_with("replica") && !l.from.starts_with("replica"));
    s.links.push(Link::new("cache", "db"));
    s.failed.insert("db".into(), archsim::model::Failure::DOWN);
    let r = analyze(&s).expect("solves");
    assert!(r.dropped_rps > 0.0);
    assert!(
        has_note(
            &r.notes,
            "with Primary down (what-if) and deep health checks taking out what needs it"
        ),
        "{:#?}",
        r.notes
    );
}

#[test]
fn reads_sent_through_a_primary_are_said_to_take_nothing_off_it() {
    // A new user's pass: the natural drawing, App → Cache → DB → replicas, left the primary
    // as busy with each replica added.
    let mut s = (stage("cache").expect("stage").build)();
    s.links.retain(|l| l.from != "cache");
    s.links.push(Link::new("cache", "db"));
    let r = analyze(&s).expect("solves");
    assert!(
        has_note(&r.notes, "Primary receives") && has_note(&r.notes, "hands them to its replicas: they queue at it first, so the replicas take none of its load"),
        "{:#?}",
        r.notes
    );
    // The stage's own wiring (the cache reads the replicas) says nothing of it.
    let r = analyze(&(stage("cache").expect("stage").build)()).expect("solves");
    assert!(
        !has_note(&r.notes, "hands them to its replicas"),
        "{:#?}",
        r.notes
    );
}

#[test]
fn what_is_linked_and_sent_nothing_is_named_with_its_cost() {
    // A new user's pass: with the cache deleted, the web tier answers everything itself,
    // its primary receives nothing, and the primary's replicas nothing either.
    let stage = (stage("cache").expect("stage").build)();
    let mut s = without(&stage, &["cache"]);
    s.links.retain(|l| l.from != "web");
    let r = analyze(&s).expect("solves");
    let cost =
        r.components["replica-1"].monthly_cost_usd + r.components["replica-2"].monthly_cost_usd;
    assert!(
        has_note(&r.notes, &format!("Replica 1 and Replica 2 receive nothing: what links to them sends them no requests; they still cost ${cost:.0} per month")),
        "{:#?}",
        r.notes
    );
    assert!(
        has_note(&r.notes, "Web servers keeps the 625 writes/s it receives itself, and answers its 2.2k reads/s from that"),
        "{:#?}",
        r.notes
    );
}
