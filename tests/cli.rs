//! The `archsim` command line as a user or a script meets it: the built binary, its exit
//! codes and what it prints on stdout and stderr. The help, version and usage errors come from
//! clap, so these tests pin the conventions people rely on rather than clap's wording.

use archsim::codec;
use archsim::presets;
use std::path::PathBuf;
use std::process::Command;

/// What one run of the binary gave back.
struct Outcome {
    code: i32,
    out: String,
    err: String,
}

fn archsim(args: &[&str]) -> Outcome {
    let output = Command::new(env!("CARGO_BIN_EXE_archsim"))
        .args(args)
        .output()
        .expect("the archsim binary runs");
    Outcome {
        // `None` means killed by a signal; -1 fails every assertion below with the output.
        code: output.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&output.stdout).into_owned(),
        err: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A scenario file of its own in the temp folder (tests run in parallel, and in parallel
/// with other checkouts of the project), removed when the test ends.
struct ScenarioFile(PathBuf);

impl ScenarioFile {
    fn new(name: &str, json: &str) -> ScenarioFile {
        let path =
            std::env::temp_dir().join(format!("archsim-cli-test-{}-{name}", std::process::id()));
        std::fs::write(&path, json).expect("a writable temp file");
        ScenarioFile(path)
    }

    fn starter(name: &str) -> ScenarioFile {
        ScenarioFile::new(name, &codec::to_json(&presets::starter()))
    }

    fn arg(&self) -> &str {
        self.0.to_str().expect("a UTF-8 temp path")
    }
}

impl Drop for ScenarioFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

const EXIT_CODES: &str = "Exit status:";

#[test]
fn help_on_every_command_with_long_and_short_flags() {
    for flag in ["--help", "-h"] {
        let top = archsim(&[flag]);
        assert_eq!(top.code, 0, "archsim {flag}: {}", top.err);
        assert!(top.err.is_empty(), "help goes to stdout: {}", top.err);
        for word in ["analyze", "simulate", "--version", EXIT_CODES] {
            assert!(
                top.out.contains(word),
                "archsim {flag} lacks {word}:\n{}",
                top.out
            );
        }

        let analyze = archsim(&["analyze", flag]);
        assert_eq!(analyze.code, 0, "analyze {flag}: {}", analyze.err);
        for word in ["steady state", "<SCENARIO>", "--json", "--fail", EXIT_CODES] {
            assert!(
                analyze.out.contains(word),
                "analyze {flag} lacks {word}:\n{}",
                analyze.out
            );
        }
        assert!(
            !analyze.out.contains("--seconds"),
            "--seconds belongs to simulate:\n{}",
            analyze.out
        );

        let simulate = archsim(&["simulate", flag]);
        assert_eq!(simulate.code, 0, "simulate {flag}: {}", simulate.err);
        for word in [
            "request by request",
            "<SCENARIO>",
            "--json",
            "--fail",
            "--seconds",
            "--seed",
            EXIT_CODES,
        ] {
            assert!(
                simulate.out.contains(word),
                "simulate {flag} lacks {word}:\n{}",
                simulate.out
            );
        }
    }
}

#[test]
fn the_long_help_tells_analyze_from_simulate() {
    let help = archsim(&["--help"]).out;
    assert!(help.contains("steady state"), "{help}");
    assert!(help.contains("request by request"), "{help}");
    for code in [
        "0  success",
        "1  the scenario cannot be read",
        "2  usage error",
    ] {
        assert!(
            help.contains(code),
            "exit code {code:?} undocumented:\n{help}"
        );
    }
}

#[test]
fn version_comes_from_the_manifest() {
    for flag in ["--version", "-V"] {
        let v = archsim(&[flag]);
        assert_eq!(v.code, 0, "{}", v.err);
        assert_eq!(
            v.out.trim(),
            format!("archsim {}", env!("CARGO_PKG_VERSION"))
        );
    }
}

#[test]
fn usage_errors_exit_2_and_say_what_is_wrong() {
    let scenario = ScenarioFile::starter("usage.json");
    let file = scenario.arg();

    let unknown = archsim(&["analyze", file, "--frobnicate"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.out.is_empty(), "{}", unknown.out);
    assert!(unknown.err.contains("--frobnicate"), "{}", unknown.err);

    let missing = archsim(&["analyze"]);
    assert_eq!(missing.code, 2);
    assert!(missing.err.contains("<SCENARIO>"), "{}", missing.err);
    assert_eq!(archsim(&["simulate", "--json"]).code, 2);

    let nothing = archsim(&[]);
    assert_eq!(nothing.code, 2, "no command is a usage error");
    assert!(nothing.err.contains("analyze"), "{}", nothing.err);

    let command = archsim(&["frobnicate", file]);
    assert_eq!(command.code, 2);
    assert!(command.err.contains("frobnicate"), "{}", command.err);

    let seed = archsim(&["analyze", file, "--seed", "1"]);
    assert_eq!(seed.code, 2, "--seed belongs to simulate");
    assert!(seed.err.contains("--seed"), "{}", seed.err);

    let seconds = archsim(&["simulate", file, "--seconds", "soon"]);
    assert_eq!(seconds.code, 2);
    assert!(seconds.err.contains("soon"), "{}", seconds.err);

    let fail = archsim(&["analyze", file, "--fail", "app-1:some"]);
    assert_eq!(fail.code, 2);
    assert!(
        fail.err.contains("not a whole number of instances"),
        "{}",
        fail.err
    );
}

#[test]
fn analyze_prints_a_report_for_a_scenario_file() {
    let scenario = ScenarioFile::starter("analyze.json");
    let file = scenario.arg();
    let text = archsim(&["analyze", file]);
    assert_eq!(text.code, 0, "{}", text.err);
    assert!(text.err.is_empty(), "{}", text.err);
    for line in [
        "throughput",
        "latency",
        "availability",
        "bottleneck",
        "app-1",
        "db",
    ] {
        assert!(text.out.contains(line), "no {line} in:\n{}", text.out);
    }

    let json = archsim(&[
        "analyze", file, "--json", "--fail", "app-1", "--fail", "app-2:1",
    ]);
    assert_eq!(json.code, 0, "{}", json.err);
    let report: serde_json::Value = serde_json::from_str(&json.out).expect("one JSON object");
    assert!(report["throughput_rps"].as_f64().is_some(), "{}", json.out);

    // With the database down nothing is served: no latency, no bottleneck to name.
    let down = archsim(&["analyze", file, "--fail", "db"]);
    assert_eq!(down.code, 0, "{}", down.err);
    assert!(
        down.out.contains("latency      none: no request is served"),
        "{}",
        down.out
    );
    assert!(!down.out.contains("bottleneck"), "{}", down.out);
}

#[test]
fn simulate_runs_a_scenario_file() {
    let scenario = ScenarioFile::starter("simulate.json");
    let file = scenario.arg();
    let run = archsim(&["simulate", file, "--seconds", "20", "--seed", "7"]);
    assert_eq!(run.code, 0, "{}", run.err);
    assert!(run.out.contains("seed 7"), "{}", run.out);
    assert!(run.out.contains("analytic vs simulated"), "{}", run.out);
}

#[test]
fn a_bad_scenario_exits_1_with_every_problem() {
    let mut broken = presets::starter();
    for c in broken
        .components
        .iter_mut()
        .filter(|c| c.id.starts_with("app-"))
    {
        *c = c.clone().with("concurrency", -1.0);
    }
    let scenario = ScenarioFile::new("bad.json", &codec::to_json(&broken));
    let file = scenario.arg();
    for command in ["analyze", "simulate"] {
        let bad = archsim(&[command, file]);
        assert_eq!(bad.code, 1, "{command}: {}", bad.err);
        assert!(bad.out.is_empty(), "{}", bad.out);
        assert!(
            bad.err.contains("app-1") && bad.err.contains("app-2"),
            "{}",
            bad.err
        );
    }

    let unreadable = archsim(&["analyze", "/no/such/archsim/scenario.json"]);
    assert_eq!(unreadable.code, 1);
    assert!(unreadable.err.contains("cannot read"), "{}", unreadable.err);
}

#[test]
fn simulate_reports_what_each_breaker_did() {
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/dependency-outage-breaker.json"
    );
    let text = archsim(&["simulate", example]);
    assert_eq!(text.code, 0, "{}", text.err);
    assert!(
        text.out.contains("breaker      app → db: opened "),
        "{}",
        text.out
    );
    let json = archsim(&["simulate", example, "--json"]);
    assert_eq!(json.code, 0, "{}", json.err);
    let v: serde_json::Value = serde_json::from_str(&json.out).expect("JSON");
    let b = &v["breakers"][0];
    assert_eq!(b["from"], "app");
    // One state per second, named.
    assert_eq!(b["state"].as_array().map(Vec::len), Some(90));
    assert_eq!(b["state"][0], "closed");
    assert!(b["state"]
        .as_array()
        .is_some_and(|s| s.contains(&"open".into())));
}
