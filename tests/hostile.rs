//! The catalogue of hostile and broken inputs: each is refused with a message that names the
//! problem and where it is, and none of them panics. (The browser side — the app keeps
//! running and keeps the user's design — is `tests/browser/share.test.mjs`.)

mod common;

use archsim::codec::{from_json, from_link, to_fragment, MAX_BYTES};
use archsim::solve::analyze;

const TRAFFIC: &str = r#""traffic":{"rps":10,"read":1,"write":0,"static":0}"#;

fn doc(body: &str) -> String {
    format!("{{\"version\":1,{TRAFFIC}{body}}}")
}

fn comps(list: &str) -> String {
    doc(&format!(",\"components\":[{list}]"))
}

fn with_links(components: &str, links: &str) -> String {
    doc(&format!(
        ",\"components\":[{components}],\"links\":[{links}]"
    ))
}

const TWO: &str = r#"{"id":"u","kind":"client"},{"id":"a","kind":"app_server"}"#;

fn param(kind: &str, key: &str, value: &str) -> String {
    comps(&format!(
        r#"{{"id":"x","kind":"{kind}","params":{{"{key}":{value}}}}}"#
    ))
}

/// (case, input, a piece of the expected message)
fn catalogue() -> Vec<(&'static str, String, &'static str)> {
    let valid = to_fragment(&common::scenario(3, true));
    let many: Vec<String> = (0..100_000)
        .map(|i| format!(r#"{{"id":"c{i}","kind":"cache"}}"#))
        .collect();
    vec![
        ("empty", String::new(), "the scenario is empty"),
        ("blank", "  \n ".into(), "the scenario is empty"),
        ("link without a scenario", "https://archsim.example/#view=1".into(), "no scenario in it"),
        ("damaged escapes", "#scenario=%E2%82".into(), "damaged or cut short"),
        ("truncated link", valid[..valid.len() / 2].to_owned(), "not readable JSON"),
        ("not JSON", "#scenario=hello%20world".into(), "not readable JSON at line 1, column 1"),
        ("JSON array", "[1,2,3]".into(), "missing field `version`"),
        ("JSON string", "#scenario=%22text%22".into(), "missing field `version`"),
        ("unknown version", r#"{"version":99}"#.into(), "format version 99"),
        ("negative version", r#"{"version":-1}"#.into(), "format version -1"),
        ("fractional version", r#"{"version":1.5}"#.into(), "format version 1.5"),
        ("unknown kind", comps(r#"{"id":"a","kind":"mainframe"}"#), "unknown variant `mainframe`"),
        ("unknown field", doc(r#","colour":"red""#), "unknown field `colour`"),
        ("unknown component field", comps(r#"{"id":"a","kind":"cache","size":3}"#), "unknown field `size`"),
        ("duplicate ids", comps(r#"{"id":"a","kind":"cache"},{"id":"a","kind":"queue"}"#), "component \"a\", id: is used by more than one"),
        ("dangling link", with_links(TWO, r#"{"from":"a","to":"ghost"}"#), "links[0]: ends at \"ghost\", which is not a component"),
        ("self link", with_links(TWO, r#"{"from":"a","to":"a"}"#), "links[0]: connects \"a\" to itself"),
        ("link into a client", with_links(TWO, r#"{"from":"a","to":"u"}"#), "cannot receive it"),
        ("negative rate", r#"{"version":1,"traffic":{"rps":-5,"read":1,"write":0,"static":0}}"#.into(), "traffic.rps: requests per second must be between 0"),
        ("NaN", r#"{"version":1,"traffic":{"rps":NaN,"read":1,"write":0,"static":0}}"#.into(), "not readable JSON"),
        ("Infinity", r#"{"version":1,"traffic":{"rps":Infinity,"read":1,"write":0,"static":0}}"#.into(), "not readable JSON"),
        ("1e308", r#"{"version":1,"traffic":{"rps":1e308,"read":1,"write":0,"static":0}}"#.into(), "must be between 0 and 1000000000, got 1e308"),
        ("1e999", r#"{"version":1,"traffic":{"rps":1e999,"read":1,"write":0,"static":0}}"#.into(), "number out of range"),
        ("shares off", r#"{"version":1,"traffic":{"rps":1,"read":0.5,"write":0,"static":0}}"#.into(), "add up to 1, they add up to 0.5"),
        ("rate and users", r#"{"version":1,"traffic":{"rps":1,"users":{"daily_active":1,"requests_per_user_per_day":1,"peak_factor":1},"read":1,"write":0,"static":0}}"#.into(), "one of rps, users or users_concurrent, not several"),
        ("zero instances", param("app_server", "instances", "0"), "component \"x\", instances: Instances must be between 1"),
        ("fractional instances", param("app_server", "instances", "2.5"), "must be a whole number, got 2.5"),
        ("zero service time", param("database", "service_time_ms", "0"), "service_time_ms: Service time must be between 0.001"),
        ("hit ratio above one", param("cache", "hit_ratio", "1.5"), "hit_ratio: Hit ratio must be between 0 and 1, got 1.5"),
        ("text for a number", param("cache", "instances", "\"many\""), "must be a number, got \"many\""),
        ("unknown choice", param("load_balancer", "algorithm", "\"random\""), "\"random\" is not one of: round_robin"),
        ("unknown parameter", param("queue", "hit_ratio", "0.5"), "is not a parameter of a Message queue"),
        ("id too long", comps(&format!(r#"{{"id":"{}","kind":"cache"}}"#, "i".repeat(100))), "is longer than 64 characters"),
        ("zero weight", with_links(TWO, r#"{"from":"u","to":"a","weight":0}"#), "links[0].weight: the weight must be between"),
        ("huge call fan-out", with_links(TWO, r#"{"from":"u","to":"a","calls":1000}"#), "calls per request must be between"),
        ("failed ghost", doc(r#","failed":{"ghost":{}}"#), "\"ghost\" is marked failed but is not a component"),
        ("100 000 components", comps(&many.join(",")), "100000 components is more than the limit of 20000"),
        ("10 MB string", doc(&format!(",\"name\":\"{}\"", "x".repeat(10 << 20))), "more than the limit of 4194304"),
        ("link longer than browsers keep", format!("#scenario={}", "%41".repeat(MAX_BYTES)), "more than the limit of 12582912"),
        ("deep nesting", format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)), "recursion limit exceeded"),
        ("unknown simulation field", doc(r#","simulation":{"sedd":3}"#), "unknown field `sedd`"),
        ("negative seed", doc(r#","simulation":{"seed":-1}"#), "invalid value: integer `-1`"),
        ("zero-second run", doc(r#","simulation":{"seconds":0}"#), "simulation.seconds: must be between 1 and 3600, got 0"),
        ("fractional run", doc(r#","simulation":{"seconds":10.5}"#), "simulation.seconds: must be a whole number of seconds"),
        ("warm-up longer than the run", doc(r#","simulation":{"seconds":10,"warmup_s":8}"#), "must be at most half the run"),
        ("retries without end", doc(r#","simulation":{"retries":1000}"#), "simulation.retries: must be at most 10, got 1000"),
        ("unknown profile", doc(r#","simulation":{"profile":{"kind":"tsunami"}}"#), "unknown variant `tsunami`"),
        ("spike of a million", doc(r#","simulation":{"profile":{"kind":"spike","at_s":1,"for_s":1,"factor":1e6}}"#), "simulation.profile.factor: must be between 0 and 1000"),
        ("outage of a ghost", doc(r#","simulation":{"timeline":[{"component":"ghost","at_s":1}]}"#), "there is no component \"ghost\" to fail"),
        ("run far too large", doc(r#","simulation":{"seconds":3600,"profile":{"kind":"step","at_s":0,"factor":1000}}"#), "one run may offer at most 10000000"),
    ]
}

#[test]
fn every_hostile_input_is_refused_with_its_own_message() {
    let cases = catalogue();
    assert!(cases.len() >= 30);
    for (name, input, expected) in cases {
        let err = match from_link(&input) {
            Ok(_) => panic!("{name}: accepted"),
            Err(e) => e.to_string(),
        };
        assert!(
            err.contains(expected),
            "{name}: expected {expected:?} in {err:?}"
        );
        assert!(err.len() < 2_000, "{name}: message of {} bytes", err.len());
    }
}

#[test]
fn loops_that_never_end_are_refused_when_solved() {
    let cases = [
        (
            "loop with no exit",
            with_links(
                r#"{"id":"u","kind":"client"},{"id":"a","kind":"app_server"},{"id":"b","kind":"app_server"}"#,
                r#"{"from":"u","to":"a"},{"from":"a","to":"b"},{"from":"b","to":"a"}"#,
            ),
            "can never leave it",
        ),
        (
            "calls that multiply",
            with_links(
                r#"{"id":"u","kind":"client"},{"id":"a","kind":"app_server"},{"id":"b","kind":"app_server"}"#,
                r#"{"from":"u","to":"a"},{"from":"a","to":"b","calls":2},{"from":"b","to":"a","calls":1}"#,
            ),
            "grows without end",
        ),
    ];
    for (name, input, expected) in cases {
        let s = from_json(&input).unwrap_or_else(|e| panic!("{name}: {e}"));
        let err = analyze(&s).expect_err(name).to_string();
        assert!(err.contains(expected), "{name}: {err}");
    }
}

#[test]
fn user_text_is_kept_as_text() {
    for label in [
        "<script>alert(1)</script>",
        "<b>bold</b> & \"quotes\"",
        "🚀 서버",
        "\u{202e}txet LTR",
    ] {
        let json = comps(&format!(
            r#"{{"id":"a","kind":"cache","label":{}}}"#,
            serde_json::to_string(label).unwrap()
        ));
        let s = from_json(&json).unwrap_or_else(|e| panic!("{label}: {e}\n{json}"));
        assert_eq!(s.components[0].label, label);
        let back = from_link(&to_fragment(&s)).unwrap();
        assert_eq!(back.components[0].label, label);
    }
}

/// A loop's message names a cycle that exists, link by link: lb → app → db → lb here, not
/// the strongly connected component in some internal order.
#[test]
fn a_loop_message_names_a_real_cycle() {
    let input = with_links(
        r#"{"id":"u","kind":"client"},{"id":"lb","kind":"load_balancer"},{"id":"app","kind":"app_server"},{"id":"db","kind":"database"},{"id":"x","kind":"app_server"}"#,
        r#"{"from":"u","to":"lb"},{"from":"lb","to":"app"},{"from":"app","to":"db"},{"from":"db","to":"lb"},{"from":"db","to":"x"},{"from":"x","to":"lb"}"#,
    );
    let s = from_json(&input).expect("valid");
    let err = analyze(&s).expect_err("no exit").to_string();
    let start = err.find("loop ").expect("names the loop") + 5;
    let path: Vec<&str> = err[start..]
        .split(" can never")
        .next()
        .unwrap_or("")
        .split(" → ")
        .collect();
    assert!(path.len() >= 3 && path.first() == path.last(), "{err}");
    for pair in path.windows(2) {
        assert!(
            s.links.iter().any(|l| l.from == pair[0] && l.to == pair[1]),
            "{} → {} is not a link: {err}",
            pair[0],
            pair[1]
        );
    }
}

/// One client fanning out to 40 cells (balancer → app → cache → database → replica): a
/// joint table over the 40 balancers' answers to the client would have 2^40 entries, which
/// used to be allocated (and crashed the page). The answers are summed out one target at a
/// time instead, exactly.
#[test]
fn a_wide_fan_out_solves_without_a_huge_table() {
    use archsim::model::{Component, Kind, Link, Scenario, Traffic};
    let mut s = Scenario::new("wide", Traffic::rps(2000.0, 0.8, 0.2, 0.0));
    s.components
        .push(Component::new("users", Kind::Client, "Users", 0.0, 0.0));
    let kinds = [
        Kind::LoadBalancer,
        Kind::AppServer,
        Kind::Cache,
        Kind::Database,
        Kind::ReadReplica,
    ];
    for cell in 0..40 {
        let ids: Vec<String> = kinds
            .iter()
            .map(|k| format!("{}-{cell}", k.key()))
            .collect();
        for (k, id) in kinds.iter().zip(&ids) {
            s.components.push(Component::new(id, *k, id, 0.0, 0.0));
        }
        s.links.push(Link::new("users", &ids[0]));
        for pair in ids.windows(2) {
            s.links.push(Link::new(&pair[0], &pair[1]));
        }
    }
    let r = archsim::solve::analyze_with_failures(&s).unwrap_or_else(|e| panic!("{e}"));
    assert!(r.availability > 0.0 && r.availability < 1.0);
    assert_eq!(r.availability_margin, None, "exact");
}
