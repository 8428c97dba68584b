//! `archsim analyze FILE.json|LINK [--json]`: the solver's report on the command line.

use archsim::codec;
use archsim::model::Failure;
use archsim::solve::{analyze_with_failures, Report};
use std::io::Write;

const USAGE: &str =
    "usage: archsim analyze <scenario.json | share link> [--json] [--fail ID[:N]]...\n\
                     \n  Solves a scenario and prints its report; --json prints one JSON object.\
                     \n  --fail ID marks a component down, ID:N makes it lose N instances.\n";

/// Runs the command line; returns the process exit code (0 ok, 1 bad scenario, 2 usage).
pub fn run(args: &[String], out: &mut impl Write, err: &mut impl Write) -> i32 {
    let json = args.iter().any(|a| a == "--json");
    let mut failures = Vec::new();
    let mut rest: Vec<&String> = Vec::new();
    let mut iter = args.iter();
    while let Some(a) = iter.next() {
        match a.as_str() {
            "--json" => {}
            "--fail" => match iter.next().map(|v| parse_failure(v)) {
                Some(Ok(f)) => failures.push(f),
                Some(Err(e)) => {
                    let _ = writeln!(err, "{e}");
                    return 2;
                }
                None => {
                    let _ = write!(err, "--fail needs a component id\n\n{USAGE}");
                    return 2;
                }
            },
            _ => rest.push(a),
        }
    }
    let [command, source] = rest.as_slice() else {
        let _ = err.write_all(USAGE.as_bytes());
        return 2;
    };
    if command.as_str() != "analyze" {
        let _ = write!(err, "unknown command \"{command}\"\n\n{USAGE}");
        return 2;
    }
    let scenario = if source.contains('#') || source.trim_start().starts_with('{') {
        codec::from_link(source)
    } else {
        match std::fs::read_to_string(source.as_str()) {
            Ok(text) => codec::from_json(&text),
            Err(e) => {
                let _ = writeln!(err, "cannot read {source}: {e}");
                return 1;
            }
        }
    };
    let report = scenario.map_err(|e| e.to_string()).and_then(|mut s| {
        s.failed.extend(failures);
        analyze_with_failures(&s).map_err(|p| format!("the scenario has problems:\n{p}"))
    });
    match report {
        Ok(r) if json => {
            let text = serde_json::to_string_pretty(&r).unwrap_or_default();
            let _ = writeln!(out, "{text}");
            0
        }
        Ok(r) => {
            let _ = out.write_all(text_report(&r).as_bytes());
            0
        }
        Err(e) => {
            let _ = writeln!(err, "{e}");
            1
        }
    }
}

/// `ID` (down) or `ID:N` (N instances lost).
fn parse_failure(text: &str) -> Result<(String, Failure), String> {
    match text.rsplit_once(':') {
        Some((id, n)) => n
            .parse::<u64>()
            .map(|n| (id.to_owned(), Failure::lose(n)))
            .map_err(|_| format!("--fail {text}: \"{n}\" is not a whole number of instances")),
        None => Ok((text.to_owned(), Failure::DOWN)),
    }
}

fn ms(v: Option<f64>) -> String {
    v.map_or("unbounded".to_owned(), |v| format!("{v:.1} ms"))
}

/// The report as a short text for people.
pub fn text_report(r: &Report) -> String {
    let mut s = String::new();
    let l = &r.latency_ms;
    s += &format!(
        "throughput   {:.1} req/s of {:.1} offered ({:.1} dropped)\n",
        r.throughput_rps, r.offered_rps, r.dropped_rps
    );
    s += &format!(
        "latency      mean {}, p50 {}, p95 {}, p99 {}{}\n",
        ms(l.mean),
        ms(l.p50),
        ms(l.p95),
        ms(l.p99),
        if l.exact {
            " (exact)"
        } else {
            " (approximation)"
        }
    );
    s += &format!(
        "availability {:.5}% ({:.1} min down per month)\n",
        r.availability * 100.0,
        r.downtime_minutes_per_month
    );
    s += &format!("cost         ${:.0} per month\n", r.monthly_cost_usd);
    if let (Some(b), Some(h)) = (&r.bottleneck, r.headroom) {
        s += &format!("bottleneck   {b} (saturates at {h:.2}× today's traffic)\n");
    }
    s += "\ncomponent            arrival/s   util   response     dropped/s\n";
    for (id, c) in &r.components {
        s += &format!(
            "{:<20} {:>9.1} {:>5.0}% {:>12} {:>12.1}\n",
            id,
            c.arrival_rps,
            c.utilization * 100.0,
            ms(c.mean_response_ms),
            c.dropped_rps
        );
    }
    if r.spofs.is_empty() {
        s += "\nno single point of failure\n";
    } else {
        s += "\nsingle points of failure:\n";
        for reason in r.spof_reasons.values() {
            s += &format!("  {reason}\n");
        }
    }
    for note in &r.notes {
        s += &format!("\nnote: {note}\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(args: &[&str]) -> (i32, String, String) {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(&args, &mut out, &mut err);
        (
            code,
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
        )
    }

    const ONE_SERVER: &str = r#"{"version":1,"traffic":{"rps":10,"read":1,"write":0,"static":0},
        "components":[{"id":"u","kind":"client"},
                      {"id":"app","kind":"app_server","params":{"concurrency":1,"service_time_ms":50}}],
        "links":[{"from":"u","to":"app"}]}"#;

    #[test]
    fn json_output_has_the_promised_fields() {
        let (code, out, _) = call(&["analyze", ONE_SERVER, "--json"]);
        assert_eq!(code, 0);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        for key in [
            "throughput_rps",
            "dropped_rps",
            "availability",
            "downtime_minutes_per_month",
            "monthly_cost_usd",
            "bottleneck",
            "headroom",
            "spofs",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        assert!((v["latency_ms"]["mean"].as_f64().unwrap() - 100.0).abs() < 1e-9);
        let app = &v["components"]["app"];
        for key in [
            "arrival_rps",
            "utilization",
            "mean_response_ms",
            "dropped_rps",
        ] {
            assert!(app.get(key).is_some(), "missing components.app.{key}");
        }
    }

    #[test]
    fn text_output_and_share_links() {
        let s = archsim::codec::from_json(ONE_SERVER).unwrap();
        let link = format!("https://x/#{}", archsim::codec::to_fragment(&s));
        let (code, out, _) = call(&["analyze", &link]);
        assert_eq!(code, 0);
        assert!(out.contains("mean 100.0 ms"), "{out}");
    }

    #[test]
    fn failures_from_the_command_line() {
        let (code, out, _) = call(&["analyze", ONE_SERVER, "--json", "--fail", "app"]);
        assert_eq!(code, 0);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["dropped_rps"].as_f64(), Some(10.0));
        assert_eq!(
            v["spofs"],
            serde_json::json!([]),
            "a failed component is not re-analysed"
        );
        let (code, _, err) = call(&["analyze", ONE_SERVER, "--fail", "ghost"]);
        assert_eq!(code, 1);
        assert!(
            err.contains("\"ghost\" is marked failed but is not a component"),
            "{err}"
        );
        assert_eq!(call(&["analyze", ONE_SERVER, "--fail", "app:x"]).0, 2);
        // Without --fail the N−1 table is filled and the single server is a SPOF.
        let (_, out, _) = call(&["analyze", ONE_SERVER, "--json"]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["spofs"], serde_json::json!(["app"]));
        assert_eq!(v["n_minus_1"][0]["id"], "app");
    }

    #[test]
    fn bad_input_exits_non_zero_with_the_reasons() {
        let bad = ONE_SERVER.replace("\"concurrency\":1", "\"concurrency\":-1");
        let (code, out, err) = call(&["analyze", &bad, "--json"]);
        assert_eq!(code, 1);
        assert!(out.is_empty());
        assert!(err.contains("Concurrency must be between 1"), "{err}");
        assert_eq!(call(&["analyze", "/no/such/file.json"]).0, 1);
        assert_eq!(call(&[]).0, 2);
    }
}
