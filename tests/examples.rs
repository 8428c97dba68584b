//! Every scenario under `examples/` opens, solves and runs, as the README promises
//! (`archsim analyze` and `archsim simulate` on each).

use archsim::codec::from_json;
use archsim::sim::simulate;
use archsim::solve::analyze_with_failures;

#[test]
fn every_example_opens_solves_and_runs() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.extension().and_then(|x| x.to_str()) != Some("json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        let s = from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let r = analyze_with_failures(&s).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(r.latency_ms.mean.is_some(), "{}", path.display());
        let run = simulate(&s).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(run.completed > 0, "{}", path.display());
        seen += 1;
    }
    assert!(seen >= 1, "no examples in {}", dir.display());
}

#[test]
fn the_autoscaling_example_absorbs_its_spike() {
    let text = include_str!("../examples/autoscaling-spike.json");
    let s = from_json(text).unwrap_or_else(|e| panic!("{e}"));
    let r = archsim::solve::analyze(&s).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.components["app"].instances_steady, Some(2));
    let run = simulate(&s).unwrap_or_else(|e| panic!("{e}"));
    let app = &run.components["app"];
    // 4× the traffic for 90 s from 30 s: the pool grows, the warm-up shows as a latency
    // peak before the new instances serve, nothing is dropped, and it shrinks back after.
    let peak = app.series.instances.iter().copied().fold(0.0, f64::max);
    assert!(peak >= 7.0, "peak {peak}");
    assert!(app.series.instances[170..].iter().all(|&c| c == 2.0));
    let p99 = |sec: usize| run.series[sec].p99_ms.unwrap_or(0.0);
    assert!(
        p99(45) > 10.0 * p99(20),
        "no warm-up dip: {} vs {}",
        p99(45),
        p99(20)
    );
    assert!(p99(110) < 2.0 * p99(20), "spike not absorbed: {}", p99(110));
    assert_eq!(run.failed, 0);
}

#[test]
fn the_rate_limited_example_keeps_its_api_below_capacity_through_the_spike() {
    let text = include_str!("../examples/rate-limited-api.json");
    let s = from_json(text).unwrap_or_else(|e| panic!("{e}"));
    let run = simulate(&s).unwrap_or_else(|e| panic!("{e}"));
    // Three times 250 req/s for 40 s from 30 s: the gateway lets about 400 req/s through and
    // rejects the rest at once; the API (480 req/s) stays below capacity.
    let during = 35..65;
    let answered: f64 = run.series[during.clone()]
        .iter()
        .map(|s| s.completed)
        .sum::<f64>()
        / 30.0;
    let rejected: f64 = run.series[during.clone()]
        .iter()
        .map(|s| s.rejected)
        .sum::<f64>()
        / 30.0;
    assert!(
        (answered - 400.0).abs() < 0.05 * 400.0,
        "answered {answered}/s"
    );
    assert!(rejected > 250.0, "rejected {rejected}/s");
    let busy = &run.components["api"].series.utilization[during];
    assert!(busy.iter().all(|&u| u < 0.95), "{busy:?}");
    assert!(run.rejected > 0 && run.rejected + run.shed <= run.failed);
}

#[test]
fn the_file_menu_offers_every_example() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            name.strip_suffix(".json").map(str::to_owned)
        })
        .collect();
    archsim::sort::ascending(&mut files);
    let mut offered: Vec<String> = archsim::presets::EXAMPLES
        .iter()
        .map(|(key, _, _)| (*key).to_owned())
        .collect();
    archsim::sort::ascending(&mut offered);
    assert_eq!(offered, files);
    for (key, _, _) in archsim::presets::EXAMPLES {
        assert!(
            matches!(archsim::presets::example(key), Some(Ok(_))),
            "{key}"
        );
    }
    assert!(archsim::presets::example("nope").is_none());
}

#[test]
fn the_rate_limited_examples_tails_are_exact_but_not_raised_as_drops() {
    let s = from_json(include_str!("../examples/rate-limited-api.json")).unwrap();
    let r = archsim::solve::analyze(&s).unwrap();
    // At 52 % busy, the API's 200 ms deadline sheds a tail of P(wait > 200 ms) ≈ 7.6·10⁻⁹ of
    // 250 req/s; the gateway's bucket, far below its 400 req/s, almost never empties.
    let api = r.components["api"].dropped_rps;
    assert!(api > 0.0 && api < 1e-5, "{api}");
    assert!(r.components["gateway"].dropped_rps < 1e-9);
    assert!(!archsim::solve::noticeable(r.dropped_rps));
    // One request every 1 / (1.89·10⁻⁶ · 86 400) = 6.11 days.
    assert_eq!(
        archsim::solve::rarely(r.dropped_rps).as_deref(),
        Some("one every 6.11 days on average")
    );
    // One a day is the line: at it a loss is raised; above zero below it, said how rare.
    assert!(archsim::solve::noticeable(1.0 / 86_400.0));
    assert_eq!(archsim::solve::rarely(1.0 / 86_400.0), None);
    assert_eq!(archsim::solve::rarely(0.0), None);
    assert_eq!(
        archsim::solve::rarely(1e-13).as_deref(),
        Some("less than one a year")
    );
}
