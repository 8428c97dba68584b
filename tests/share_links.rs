//! Share links and files: every design survives the round trip exactly, and no input, however
//! broken, makes the decoder panic.

mod common;

use archsim::codec::{from_json, from_link, to_fragment, to_json, DecodeError};
use archsim::solve::analyze;
use common::{controlled, scenario};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn scenario_to_link_to_scenario_is_identical(seed in any::<u64>(), limits in any::<bool>()) {
        let s = if seed % 2 == 0 { controlled(seed, limits) } else { scenario(seed, limits) };
        let link = format!("https://archsim.example/?x=1#{}", to_fragment(&s));
        let back = from_link(&link).expect("a link we wrote opens");
        prop_assert_eq!(&back, &s);
        prop_assert_eq!(from_json(&to_json(&s)).expect("a file we wrote opens"), s);
    }

    #[test]
    fn any_text_is_refused_without_panicking(text in ".{0,400}") {
        let _ = from_link(&text);
        let _ = from_json(&text);
        let _ = from_link(&format!("#scenario={text}"));
    }

    #[test]
    fn damaged_links_are_refused_without_panicking(
        seed in any::<u64>(), cut in 0usize..4000, flip in 0usize..4000, byte in any::<u8>()
    ) {
        let full = to_fragment(&scenario(seed, true));
        let mut damaged = full.clone().into_bytes();
        let at = flip % damaged.len();
        damaged[at] = byte;
        let damaged = String::from_utf8_lossy(&damaged).into_owned();
        let _ = from_link(&damaged);
        let truncated: String = full.chars().take(cut % full.len()).collect();
        prop_assert!(from_link(&truncated).is_err() || truncated == full);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_shared_link_reproduces_the_numbers(seed in any::<u64>(), limits in any::<bool>()) {
        let s = if seed % 2 == 0 { controlled(seed, limits) } else { scenario(seed, limits) };
        let back = from_link(&to_fragment(&s)).expect("opens");
        prop_assert_eq!(analyze(&back).ok(), analyze(&s).ok());
    }
}

#[test]
fn malformed_inputs_each_get_their_own_error() {
    let valid = to_fragment(&scenario(7, false));
    let cases: Vec<(&str, String, &str)> = vec![
        ("empty", String::new(), "empty"),
        ("no fragment key", "https://x/#foo=1".into(), "no scenario"),
        (
            "bad escapes",
            "#scenario=%C3%28".into(),
            "damaged or cut short",
        ),
        (
            "truncated",
            valid[..valid.len() / 3].to_owned(),
            "not readable JSON",
        ),
        ("not JSON", "#scenario=hello".into(), "not readable JSON"),
        (
            "wrong shape",
            "#scenario=[1,2,3]".into(),
            "missing field `version`",
        ),
        (
            "unknown version",
            "{\"version\":10}".into(),
            "format version 10",
        ),
        (
            "version as text",
            "{\"version\":\"one\"}".into(),
            "format version \"one\"",
        ),
        (
            "unknown field",
            r#"{"version":1,"traffic":{"rps":1,"read":1,"write":0,"static":0},"colour":"red"}"#
                .into(),
            "unknown field `colour`",
        ),
        (
            "unknown kind",
            r#"{"version":1,"traffic":{"rps":1,"read":1,"write":0,"static":0},
               "components":[{"id":"a","kind":"mainframe"}]}"#
                .into(),
            "unknown variant `mainframe`",
        ),
        (
            "dangling link",
            r#"{"version":1,"traffic":{"rps":1,"read":1,"write":0,"static":0},
               "components":[{"id":"a","kind":"client"}],"links":[{"from":"a","to":"b"}]}"#
                .into(),
            "ends at \"b\", which is not a component",
        ),
        (
            "out of range",
            r#"{"version":1,"traffic":{"rps":-5,"read":1,"write":0,"static":0}}"#.into(),
            "traffic.rps: requests per second must be between 0",
        ),
    ];
    for (name, input, expected) in cases {
        let err = from_link(&input).expect_err(name).to_string();
        assert!(err.contains(expected), "{name}: {err}");
    }
    let huge = format!(
        "{{\"version\":1,\"name\":\"{}\"}}",
        "x".repeat(5 * 1024 * 1024)
    );
    assert!(matches!(
        from_json(&huge),
        Err(DecodeError::TooLarge { .. })
    ));
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(from_json(&deep)
        .unwrap_err()
        .to_string()
        .contains("recursion limit"));
}

#[test]
fn simulation_settings_travel_with_the_link_and_old_links_still_open() {
    use archsim::model::{Outage, Profile, Simulation, VERSION};
    let mut s = scenario(11, false);
    let id = s.components[1].id.clone();
    s.simulation = Some(Simulation {
        seed: u64::MAX,
        seconds: 90.0,
        profile: Profile::Diurnal {
            period_s: 30.0,
            amplitude: 0.25,
        },
        timeout_ms: Some(250.5),
        retries: 3,
        timeline: vec![Outage {
            component: id,
            at_s: 12.25,
            for_s: None,
            lost: None,
            hangs: false,
        }],
        ..Simulation::default()
    });
    let back = from_link(&format!("#{}", to_fragment(&s))).expect("opens");
    assert_eq!(back, s);
    // A link written before the simulator existed (format 1) opens as format 2, unchanged.
    let old = r#"{"version":1,"traffic":{"rps":5,"read":1,"write":0,"static":0},
                  "components":[{"id":"u","kind":"client"}]}"#;
    let opened = from_json(old).expect("version 1 opens");
    assert_eq!(opened.version, VERSION);
    assert_eq!(opened.simulation, None);
}
