//! Explanations name the formula the case calls for, carry this design's inputs, and their
//! result is the reported number.

use archsim::model::{Component, Failure, Kind, Link, Scenario, Traffic};
use archsim::solve::{
    analyze, analyze_with_failures, erlang_c, explain, Explained, Explanation, Figure, Formula,
    Quantity, Report,
};
use common::{close, server, shipped, users};

mod common;

/// Explanations copy the solver's values, so they agree to the last bit; closed forms
/// recomputed here agree to rounding.
const EXACT: f64 = 1e-9;

fn scenario(rps: f64, components: Vec<Component>, links: Vec<Link>) -> Scenario {
    let mut s = Scenario::new("test", Traffic::rps(rps, 1.0, 0.0, 0.0));
    s.components = components;
    s.links = links;
    s
}

fn explained(s: &Scenario) -> (Report, Explained) {
    let r = analyze(s).expect("solves");
    let e = explain(s, &r).expect("explains");
    (r, e)
}

fn input(e: &Explanation, symbol: &str) -> f64 {
    e.inputs
        .iter()
        .find(|i| i.symbol == symbol)
        .unwrap_or_else(|| panic!("input {symbol} in {:?}", e.inputs))
        .value
}

#[test]
fn an_mm4_names_erlang_c_with_its_inputs_and_the_reported_result() {
    // c = 4, μ = 10/s, λ = 32/s.
    let s = scenario(
        32.0,
        vec![users(), server("app", 4.0, 100.0)],
        vec![Link::new("users", "app")],
    );
    let (r, e) = explained(&s);
    let time = e.component("app", Quantity::TimeHere).expect("time here");
    assert_eq!(time.formula, Formula::ErlangC);
    assert_eq!(input(time, "c"), 4.0);
    close(input(time, "λ"), 32.0, EXACT, "λ");
    close(input(time, "μ"), 10.0, EXACT, "μ");
    close(input(time, "C(c, a)"), erlang_c(4, 3.2), EXACT, "Erlang C");
    assert!(time.exact, "{}", time.why);
    assert_eq!(time.result, r.components["app"].mean_response_ms);
    // The formula from its inputs gives the result.
    let (c, lambda, mu) = (input(time, "c"), input(time, "λ"), input(time, "μ"));
    let w = input(time, "C(c, a)") / (c * mu - lambda) + 1.0 / mu;
    close(time.result.unwrap(), 1000.0 * w, EXACT, "T from the inputs");

    let util = e
        .component("app", Quantity::Utilisation)
        .expect("utilisation");
    assert_eq!(util.result, Some(r.components["app"].utilization));
    close(util.result.unwrap(), 0.8, EXACT, "ρ");
    let busy = input(util, "λ_served") / (input(util, "n · c") * input(util, "μ"));
    close(busy, util.result.unwrap(), EXACT, "U from the inputs");

    // The mean is this one component's part.
    let mean = e.figure(Figure::MeanLatency).expect("mean");
    assert_eq!(mean.formula, Formula::MeanSum);
    assert_eq!(mean.result, r.latency_ms.mean);
    close(
        input(mean, "app"),
        r.latency_ms.mean.unwrap(),
        EXACT,
        "app's part",
    );
    // Whether the percentiles are exact is the report's word; the explanation agrees.
    let p99 = e.figure(Figure::P99).expect("p99");
    assert_eq!(p99.formula, Formula::TransformInversion);
    assert_eq!(p99.result, r.latency_ms.p99);
    assert_eq!(p99.exact, r.latency_ms.exact);
}

#[test]
fn a_finite_queue_and_an_overloaded_one_are_named_as_such() {
    let s = scenario(
        90.0,
        vec![
            users(),
            server("app", 1.0, 10.0).with("queue_capacity", 4.0),
        ],
        vec![Link::new("users", "app")],
    );
    let (r, e) = explained(&s);
    let time = e.component("app", Quantity::TimeHere).unwrap();
    assert_eq!(time.formula, Formula::FiniteQueue);
    assert_eq!(input(time, "K"), 4.0);
    close(
        input(time, "P(block)") * 90.0,
        r.components["app"].dropped_rps,
        EXACT,
        "blocked",
    );
    assert_eq!(time.result, r.components["app"].mean_response_ms);

    let s = scenario(
        120.0,
        vec![users(), server("app", 1.0, 10.0)],
        vec![Link::new("users", "app")],
    );
    let (r, e) = explained(&s);
    let time = e.component("app", Quantity::TimeHere).unwrap();
    assert_eq!(time.formula, Formula::Overloaded);
    assert_eq!(time.result, None);
    assert_eq!(e.figure(Figure::MeanLatency).unwrap().result, None);
    let drops = e.figure(Figure::Dropped).unwrap();
    assert_eq!(drops.formula, Formula::TrafficEquations);
    assert_eq!(drops.result, Some(r.dropped_rps));
    close(
        input(drops, "app"),
        20.0,
        EXACT,
        "app drops what exceeds 100/s",
    );
}

#[test]
fn the_mean_splits_into_each_components_visits_times_its_time() {
    // A tandem with a fixed delay: parts are each hop's time, and they add up to the mean.
    let s = scenario(
        50.0,
        vec![
            users(),
            server("web", 2.0, 20.0),
            server("db", 1.0, 10.0).with("service_cv", 0.5),
        ],
        vec![Link::new("users", "web"), Link::new("web", "db")],
    );
    let (r, e) = explained(&s);
    let mean = e.figure(Figure::MeanLatency).unwrap();
    let sum: f64 = mean.inputs.iter().map(|i| i.value).sum();
    close(
        sum,
        r.latency_ms.mean.unwrap(),
        EXACT,
        "parts sum to the mean",
    );
    for id in ["web", "db"] {
        close(
            input(mean, id),
            r.components[id].mean_response_ms.unwrap(),
            EXACT,
            "one visit each",
        );
    }
    // One server with cs² = 0.25: Pollaczek–Khinchine, still exact.
    let db = e.component("db", Quantity::TimeHere).unwrap();
    assert!(db.exact, "{}", db.why);
    assert!(mean.exact, "{}", mean.why);

    // Several servers with non-exponential service: approximate, and said so.
    let mut s = s;
    s.components[1] = server("web", 2.0, 20.0).with("service_cv", 2.0);
    let (_, e) = explained(&s);
    let web = e.component("web", Quantity::TimeHere).unwrap();
    assert!(!web.exact);
    assert!(web.why.contains("Allen–Cunneen"), "{}", web.why);
    assert!(!e.figure(Figure::MeanLatency).unwrap().exact);
}

#[test]
fn availability_cost_and_headroom_carry_their_inputs() {
    let mut s = scenario(
        120.0,
        vec![
            users(),
            server("app", 8.0, 100.0)
                .with("instances", 3.0)
                .with("availability", 0.9),
            Component::new("db", Kind::Database, "DB", 0.0, 0.0).with("availability", 0.995),
        ],
        vec![Link::new("users", "app"), Link::new("app", "db")],
    );
    s.failed.clear();
    let r = analyze_with_failures(&s).expect("solves");
    let e = explain(&s, &r).expect("explains");
    let app = e.component("app", Quantity::Availability).unwrap();
    assert_eq!(app.formula, Formula::KOfN);
    assert_eq!((input(app, "n"), input(app, "k")), (3.0, 2.0));
    close(input(app, "a"), 0.9, EXACT, "a");
    let binomial = 3.0 * 0.81 * 0.1 + 0.729;
    close(app.result.unwrap(), binomial, EXACT, "2 of 3");

    let a = e.figure(Figure::Availability).unwrap();
    assert_eq!(a.result, Some(r.availability));
    assert!(a.exact);
    assert!(
        a.steps
            .iter()
            .any(|s| s.contains("Single point of failure: DB (DB primary)")),
        "{:?}",
        a.steps
    );

    let cost = e.figure(Figure::MonthlyCost).unwrap();
    let sum: f64 = cost.inputs.iter().map(|i| i.value).sum();
    close(sum, r.monthly_cost_usd, EXACT, "cost parts");

    let h = e.figure(Figure::Headroom).unwrap();
    assert_eq!(h.result, r.headroom);
    let top = &h.inputs[0];
    // Named as the diagram names it.
    assert_eq!(
        Some(top.symbol.as_str()),
        r.bottleneck.as_deref().map(|b| s.name_of(b))
    );
    close(
        1.0 / top.value,
        r.headroom.unwrap(),
        EXACT,
        "headroom = 1/load",
    );
}

#[test]
fn every_example_explains_every_figure_with_the_reported_value() {
    for (name, _, text) in archsim::presets::EXAMPLES {
        let s = archsim::codec::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (r, e) = explained(&s);
        for f in Figure::ALL {
            assert_eq!(e.figure(f).unwrap().result, f.of(&r), "{name}: {f}");
        }
        // One judgement of exactness: the mean is exact exactly when every component's
        // own time is.
        let every_time_exact = r
            .components
            .keys()
            .all(|id| e.component(id, Quantity::TimeHere).unwrap().exact);
        assert_eq!(
            e.figure(Figure::MeanLatency).unwrap().exact,
            every_time_exact,
            "{name}"
        );
        for (id, c) in &r.components {
            let t = e.component(id, Quantity::TimeHere).unwrap();
            assert_eq!(t.result, c.mean_response_ms, "{name}: {id}");
            let a = e.component(id, Quantity::Availability).unwrap();
            assert_eq!(a.result, Some(c.availability), "{name}: {id}");
        }
    }
}

#[test]
fn the_command_line_explains_a_file_and_one_component() {
    let path = std::env::temp_dir().join(format!("archsim-explain-{}.json", std::process::id()));
    let s = scenario(
        32.0,
        vec![users(), server("app", 4.0, 100.0)],
        vec![Link::new("users", "app")],
    );
    std::fs::write(&path, archsim::codec::to_json(&s)).unwrap();
    let file = path.to_string_lossy().into_owned();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_archsim"))
            .args(args)
            .output()
            .expect("the binary runs")
    };
    let out = run(&["explain", &file]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let mean = analyze(&s).unwrap().latency_ms.mean.unwrap();
    assert!(
        text.contains(&format!("mean latency (ms) = {mean:.3} ms")),
        "{text}"
    );
    assert!(text.contains("what helps p99 latency most"), "{text}");
    assert!(
        text.contains("app                  one more instance"),
        "{text}"
    );

    let out = run(&["explain", &file, "--component", "app", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let time = &v["explanations"][0];
    assert_eq!(time["subject"]["id"], "app");
    assert_eq!(time["subject"]["quantity"], "time_here");
    assert_eq!(time["formula"], "erlang_c");
    assert_eq!(time["inputs"][2]["symbol"], "c");
    assert_eq!(time["inputs"][2]["value"], 4.0);
    assert!(v["sensitivity"]["levers"]
        .as_array()
        .is_some_and(|l| !l.is_empty()));

    let out = run(&["explain", &file, "--component", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no component \"nope\""));
    let _ = std::fs::remove_file(&path);
}

/// With a component marked failed, the availability card shows the share served in the
/// steady state among its inputs, so its figure can be traced: the starter without App
/// server 2 serves 160 of 200 req/s, and 0.8 × the product of the rest is the headline.
#[test]
fn the_availability_card_carries_the_share_a_failure_leaves_served() {
    let mut s = archsim::presets::starter();
    s.failed.insert("app-2".to_owned(), Failure::DOWN);
    let r = analyze_with_failures(&s).expect("solves");
    let e = explain(&s, &r).expect("explains");
    let a = e.figure(Figure::Availability).unwrap();
    let served = input(a, "P(served)");
    close(served, 0.8, EXACT, "160 of 200 served");
    let rest: f64 = ["Load balancer", "App server 1", "Database"]
        .iter()
        .map(|name| input(a, name))
        .product();
    close(
        served * rest,
        r.availability,
        EXACT,
        "A = P(served) × the rest",
    );
    assert!(
        a.steps
            .iter()
            .any(|s| s.contains("80.00% of the requests are served")),
        "{:?}",
        a.steps
    );
    // Named as the diagram names them, never by id.
    assert!(
        a.inputs.iter().all(|i| !i.symbol.contains('-')),
        "{:?}",
        a.inputs
    );
}

#[test]
fn background_messages_lost_are_told_apart_from_requests_dropped() {
    // Stage 9 with two workers: they take 640 of the 1 667 messages a second. The requests
    // were answered at enqueue, so none is dropped; the Dropped card must not list the
    // workers among what it adds up, and must say what they lose instead.
    let mut s = (archsim::presets::stage("message-queue").unwrap().build)();
    for c in s.components.iter_mut().filter(|c| c.id == "workers") {
        *c = c.clone().with("instances", 2.0);
    }
    let (r, e) = explained(&s);
    assert_eq!(r.dropped_rps, 0.0);
    let lost = r.components["workers"].dropped_rps;
    assert!(r.components["workers"].background);
    close(r.background_dropped_rps(), lost, EXACT, "background");
    assert!((lost - 1026.67).abs() < 0.01, "{lost}");
    let d = e.figure(Figure::Dropped).unwrap();
    assert_eq!(d.result, Some(0.0));
    assert!(
        d.inputs.iter().all(|i| i.symbol != "Workers"),
        "{:?}",
        d.inputs
    );
    assert!(
        d.steps
            .iter()
            .any(|s| s.starts_with("Not counted here: Workers never process 1.0k messages/s")),
        "{:?}",
        d.steps
    );
}

#[test]
fn the_headroom_card_never_adds_loads_up() {
    // Stage 10 has more loaded stations than the card lists: the rest is shown by the
    // largest of their loads, which is below every load listed (they are sorted), never by
    // a sum that would read as busier than the bottleneck's neighbours.
    let s = (archsim::presets::stage("sharding").unwrap().build)();
    let (r, e) = explained(&s);
    let h = e.figure(Figure::Headroom).unwrap();
    assert_eq!(h.result, r.headroom);
    let rest = h.inputs.last().unwrap();
    assert!(rest.symbol.ends_with("others, at most"), "{:?}", h.inputs);
    let listed = &h.inputs[..h.inputs.len() - 1];
    assert!(
        listed.iter().all(|i| i.value >= rest.value),
        "{:?}",
        h.inputs
    );
}

#[test]
fn a_shard_groups_availability_card_shows_every_shards_term() {
    // With a hot key the shards need different counts: the card lists each shard's term,
    // and their product is the result, so the figure can be rebuilt from the card.
    let s = archsim::presets::hot_key(0.3);
    let (_, e) = explained(&s);
    let db = e.component("db", Quantity::Availability).unwrap();
    let step = db
        .steps
        .iter()
        .find(|s| s.starts_with("Shards needing "))
        .unwrap_or_else(|| panic!("{:?}", db.steps));
    let terms: Vec<f64> = step
        .split(": ")
        .nth(1)
        .and_then(|t| t.split(" = ").next())
        .unwrap()
        .split(" × ")
        // Written as availabilities are everywhere: "99.9999%".
        .map(|x| x.trim_end_matches('%').parse::<f64>().unwrap() / 100.0)
        .collect();
    assert_eq!(terms.len(), 4, "{step}");
    close(
        terms.iter().product(),
        db.result.unwrap(),
        1e-5,
        "product of the terms",
    );
}

#[test]
fn an_availability_card_never_says_nothing_takes_over_and_then_what_does() {
    // A lone primary with replicas fails over; a lone cache is passed by to its origin. The
    // card says so in its own step, and the single-instance step does not deny it; a pool
    // that any one instance carries is not said to need more than "0 that could not carry it".
    let mut told_cover = 0;
    for stage in archsim::presets::journey() {
        let s = (stage.build)();
        let (_, e) = explained(&s);
        for c in &s.components {
            let Some(a) = e.component(&c.id, Quantity::Availability) else {
                continue;
            };
            let denies = a.steps.iter().any(|x| x.contains("nothing takes over"));
            let covers = a.steps.iter().any(|x| {
                x.starts_with("Automatic failover") || x.starts_with("When it is down its callers")
            });
            assert!(!(denies && covers), "{} {}: {:?}", stage.key, c.id, a.steps);
            assert!(
                !a.steps.iter().any(|x| x.contains("(0 could not carry it)")),
                "{} {}: {:?}",
                stage.key,
                c.id,
                a.steps
            );
            told_cover += usize::from(covers);
        }
    }
    assert!(
        told_cover > 0,
        "some stage has a failover or a bypass to tell"
    );
}

#[test]
fn a_closed_populations_throughput_is_explained_by_the_response_time_law() {
    // 500 users thinking 5 s (examples/closed-population.json): the rate is N / (Z + R) with
    // MVA's response time, not an offered rate through the traffic equations. The card's own
    // inputs give the reported throughput to 1e-9 relative (R is the report's mean).
    let (_, _, text) = archsim::presets::EXAMPLES
        .into_iter()
        .find(|(key, _, _)| *key == "closed-population")
        .expect("the example");
    let s = archsim::codec::from_json(text).expect("reads");
    let (r, e) = explained(&s);
    let x = e.figure(Figure::Throughput).unwrap();
    assert_eq!(x.formula, Formula::Mva);
    assert_eq!(x.result, Some(r.throughput_rps));
    let law = input(x, "N") / (input(x, "Z") + input(x, "R"));
    close(
        law,
        r.throughput_rps,
        1e-9 * r.throughput_rps,
        "N / (Z + R)",
    );
}

/// Every availability a card writes is written as the panels write it, so the card and the
/// inspector or the headline never disagree over a digit: a component's "probability it
/// does its part" is its availability in the report, a k-of-n card has n and k, and the
/// downtime card's working ends on the headline's own text.
#[test]
fn cards_write_availabilities_as_the_panels_do() {
    use archsim::model::{availability, minutes};
    use archsim::solve::Unit;
    let mut listed = 0;
    for s in shipped() {
        let (r, e) = explained(&s);
        let a = e.figure(Figure::Availability).unwrap();
        for i in a.inputs.iter().filter(|i| i.unit == Unit::Availability) {
            let c = s.components.iter().find(|c| s.name_of(&c.id) == i.symbol);
            let c = c.unwrap_or_else(|| panic!("{}: {} names a component", s.name, i.symbol));
            assert_eq!(i.shown(), availability(r.components[&c.id].availability));
            assert_ne!(
                i.shown(),
                "100%",
                "{}: {} listed as failing",
                s.name,
                i.symbol
            );
            listed += 1;
        }
        let down = e.figure(Figure::Downtime).unwrap();
        let step = &down.steps[0];
        assert!(step.contains(&availability(r.availability)), "{step}");
        assert!(
            step.ends_with(&format!(
                "= {} a month.",
                minutes(r.downtime_minutes_per_month)
            )),
            "{step}"
        );
        for c in &s.components {
            let card = e.component(&c.id, Quantity::Availability);
            let Some(card) = card.filter(|x| x.formula == Formula::KOfN) else {
                continue;
            };
            let symbols: Vec<&str> = card.inputs.iter().map(|i| i.symbol.as_str()).collect();
            assert_eq!(symbols, ["n", "k", "a"], "{} {}", s.name, c.id);
            let shown = availability(r.components[&c.id].availability);
            assert_eq!(card.unit.show(card.result), shown, "{} {}", s.name, c.id);
        }
    }
    assert!(listed > 20, "the designs list failing components");
}

#[test]
fn the_headroom_card_calls_a_second_overloaded_component_overloaded() {
    // 20 req/s through two single servers of 100 ms: both are offered twice what they can
    // do. The second is not "next, at 0.5× today's traffic": it is overloaded now.
    let s = scenario(
        20.0,
        vec![users(), server("app", 1.0, 100.0), server("db", 1.0, 100.0)],
        vec![Link::new("users", "app"), Link::new("app", "db")],
    );
    let (_, e) = explained(&s);
    let h = e.figure(Figure::Headroom).unwrap();
    assert!(
        !h.steps.iter().any(|x| x.starts_with("Next:")),
        "{:?}",
        h.steps
    );
    assert!(
        h.steps
            .iter()
            .any(|x| x.ends_with("is overloaded too: offered 2× its capacity.")),
        "{:?}",
        h.steps
    );
}

/// With more than one class of request the availability card adds the classes up, each by
/// its weight (share × served) and its own paths' availability, and the sum, as written, is
/// the figure: its inputs alone do not multiply out to it (object storage only fails the
/// static requests). Tolerance 1e-4: the weights are written to four decimals.
#[test]
fn the_availability_card_adds_the_classes_up_to_the_figure() {
    let mut summed = 0;
    for s in shipped() {
        let (r, e) = explained(&s);
        let a = e.figure(Figure::Availability).unwrap();
        let Some(step) = a
            .steps
            .iter()
            .find(|x| x.starts_with("Each class of request"))
        else {
            continue;
        };
        let terms = step.split(" = ").nth(2).unwrap_or_else(|| panic!("{step}"));
        let sum: f64 = terms
            .split(" + ")
            .map(|t| {
                let (_, rest) = t.split_once(' ').unwrap();
                let (w, a) = rest.split_once(" × ").unwrap();
                let a = a.trim_end_matches('%').parse::<f64>().unwrap() / 100.0;
                w.parse::<f64>().unwrap() * a
            })
            .sum();
        assert!((sum - r.availability).abs() <= 1e-4, "{}: {step}", s.name);
        assert!(step.ends_with(&format!(
            "= {}.",
            archsim::model::availability(r.availability)
        )));
        summed += 1;
    }
    assert!(
        summed >= 5,
        "designs with several classes say how they add up"
    );
}

/// A percentile card ends on a check: the inverted transform read at the reported
/// percentile gives back its share, to the solver's tolerance (written to four decimals).
#[test]
fn a_percentile_card_checks_its_result_against_the_distribution() {
    let mut checked = 0;
    for s in shipped() {
        let (_, e) = explained(&s);
        for (figure, p) in [(Figure::P50, 0.5), (Figure::P95, 0.95), (Figure::P99, 0.99)] {
            let card = e.figure(figure).unwrap();
            let Some(step) = card.steps.iter().find(|x| x.starts_with("Check: ")) else {
                continue;
            };
            let share: f64 = step
                .split("P(T ≤ t) = ")
                .nth(1)
                .and_then(|x| x.split(' ').next())
                .and_then(|x| x.parse().ok())
                .unwrap_or_else(|| panic!("{step}"));
            assert!((share - p).abs() <= 1e-4, "{}: {step}", s.name);
            checked += 1;
        }
    }
    assert!(
        checked >= 30,
        "the journey's open designs are checked ({checked})"
    );
}

#[test]
fn the_dropped_card_says_why_its_components_drops_exceed_the_requests_dropped() {
    // Stage 7 with its cache failed: every read reaches the replicas, which refuse part of
    // the reads and of the writes they apply for the primary. The requests dropped are the
    // reads alone, so the listed drops add up to more than the figure, and the card says
    // by how much and why, in the panels' rates.
    let mut s = (archsim::presets::stage("stateless").unwrap().build)();
    s.failed.insert("cache".to_owned(), Failure::DOWN);
    let (r, e) = explained(&s);
    let listed: f64 = r
        .components
        .values()
        .filter(|c| !c.background)
        .map(|c| c.dropped_rps)
        .sum();
    assert!(
        listed > r.dropped_rps * 1.1,
        "{listed} vs {}",
        r.dropped_rps
    );
    let d = e.figure(Figure::Dropped).unwrap();
    let want = format!(
        "The components' drops add up to {} req/s, more than the {} req/s of requests dropped",
        archsim::model::rate(listed),
        archsim::model::rate(r.dropped_rps)
    );
    assert!(
        d.steps.iter().any(|s| s.starts_with(&want)),
        "{:?}",
        d.steps
    );
    // A design whose drops are all requests says nothing of the kind.
    let (_, plain) = explained(&archsim::presets::starter());
    let steps = &plain.figure(Figure::Dropped).unwrap().steps;
    assert!(!steps.iter().any(|s| s.contains("add up to")), "{steps:?}");
}

#[test]
fn the_availability_card_says_when_deep_checks_tie_the_classes_together() {
    // Stage 7's balancer checks its web servers deeply: writes need the replicas the reads
    // use, so with the cache failed and the replicas overloaded both classes fall to the
    // same figure, and the card says why. The starter with a shallow check says nothing.
    let mut s = (archsim::presets::stage("stateless").unwrap().build)();
    s.failed.insert("cache".to_owned(), Failure::DOWN);
    let (_, e) = explained(&s);
    let steps = &e.figure(Figure::Availability).unwrap().steps;
    assert!(
        steps
            .iter()
            .any(|s| s.contains("Load balancer check their targets deeply")),
        "{steps:?}"
    );
    let mut shallow = archsim::presets::starter();
    for c in shallow
        .components
        .iter_mut()
        .filter(|c| c.kind == Kind::LoadBalancer)
    {
        *c = c.clone().with_choice("health_check", "shallow");
    }
    let (_, plain) = explained(&shallow);
    let steps = &plain.figure(Figure::Availability).unwrap().steps;
    assert!(!steps.iter().any(|s| s.contains("deeply")), "{steps:?}");
}

#[test]
fn the_headroom_says_it_counts_autoscaled_pools_at_their_maximum() {
    let text = archsim::presets::EXAMPLES
        .into_iter()
        .find(|(key, _, _)| *key == "autoscaling-spike")
        .map(|(_, _, text)| text)
        .expect("the example ships");
    let s = archsim::codec::from_json(text).unwrap();
    let (r, e) = explained(&s);
    let h = e.figure(Figure::Headroom).unwrap();
    let pool = s
        .components
        .iter()
        .find(|c| archsim::model::Autoscale::of(c).is_some())
        .expect("an autoscaled pool");
    let policy = archsim::model::Autoscale::of(pool).unwrap();
    let now = r.components[&pool.id].instances_steady.unwrap();
    let want = format!(
        "{} autoscales up to {} instances (it runs {now} at this traffic)",
        pool.display_name(),
        policy.max
    );
    assert!(
        h.steps.iter().any(|step| step.starts_with(&want)),
        "{:?}",
        h.steps
    );
}

#[test]
fn a_replica_among_others_says_its_sender_routes_around_it() {
    // Stage 4's replicas: one down, its senders send its reads to the other. The card
    // says so rather than "nothing takes over", which the N−1 row (no drops) would belie.
    let s = (archsim::presets::stage("replication").unwrap().build)();
    let (_, e) = explained(&s);
    let a = e.component("replica-1", Quantity::Availability).unwrap();
    assert!(
        a.steps
            .iter()
            .any(|x| x.contains("sends its share to the others it routes to")),
        "{:?}",
        a.steps
    );
    assert!(
        a.steps.iter().all(|x| !x.contains("nothing takes over")),
        "{:?}",
        a.steps
    );
}

#[test]
fn the_availability_card_lists_only_what_the_figure_counts() {
    // Found by a capacity planner: the queue's consumers were listed beside the servers,
    // and the factors listed multiplied to less than the figure. A request is answered once
    // its message is queued, so the workers are not in it.
    let s = scenario(
        100.0,
        vec![
            users(),
            server("app", 8.0, 100.0).with("availability", 0.999),
            Component::new("q", Kind::Queue, "Queue", 0.0, 0.0).with("availability", 0.9995),
            Component::new("w", Kind::Worker, "Workers", 0.0, 0.0)
                .with("instances", 1.0)
                .with("availability", 0.99),
        ],
        vec![
            Link::new("users", "app"),
            Link::new("app", "q"),
            Link::new("q", "w"),
        ],
    );
    let (r, e) = explained(&s);
    let a = e
        .figure(Figure::Availability)
        .expect("an availability card");
    let listed: Vec<&str> = a.inputs.iter().map(|i| i.symbol.as_str()).collect();
    assert!(!listed.contains(&"Workers"), "{listed:?}");
    let product: f64 = a.inputs.iter().map(|i| i.value).product();
    close(
        product,
        r.availability,
        1e-12,
        "the listed factors in series",
    );
}
