//! `archsim analyze|simulate SCENARIO [--json] [--fail ID[:N]]...`, `archsim compare
//! BASELINE CURRENT [--json] [--simulate]` and `archsim explain SCENARIO [--component ID] [--json]`: the
//! solver's report, a simulated run, two designs side by side, or where each number comes
//! from, on the command line.
//!
//! The command line is declared with clap's derive API so that every subcommand answers
//! `--help`/`-h`, unknown flags are refused by name and `--version` comes from Cargo.toml.
//! Parsing goes through `try_parse_from` rather than `parse` so that [`run`] stays a pure
//! function of its arguments (tests call it directly) and clap never exits the process.

use archsim::codec;
use archsim::model::{users_at, Failure, Scenario, Simulation};
use archsim::sim::{
    approximations, compare, overloaded, simulate, simulate_pair, Comparison, Difference, Estimate,
    PairedRuns, SimLatency, SimReport, AGREEMENT,
};
use archsim::solve::hit_ratio::HitSource;
use archsim::solve::{
    analyze, analyze_with_failures, explain, sensitivity, versus, Explanation, FailureMode, Report,
    Sensitivity, Versus,
};
use clap::{Args, Parser, Subcommand};
use serde::Serialize;
use std::ffi::OsString;
use std::io::Write;

/// Shown under every `--help`, so a script's author finds the contract where they look.
const EXIT_CODES: &str = "\
Exit status:
  0  success
  1  the scenario cannot be read or solved (every problem is printed on stderr)
  2  usage error: unknown flag or subcommand, missing or malformed argument";

/// Solve or simulate a system design from the command line.
///
/// analyze solves a scenario in steady state with queueing theory and prints its report at
/// once: throughput, latency percentiles, availability, cost, the bottleneck and the single
/// points of failure.
///
/// simulate runs it request by request with its simulation settings (traffic profile,
/// failure timeline, retries) and prints the measured figures with 95 % intervals beside
/// the analytic ones.
///
/// A scenario is a JSON file, a share link (https://…/#scenario=…) or inline JSON.
// `verbatim_doc_comment` keeps these line breaks: clap only wraps help with its
// `wrap_help` feature, which would pull in a terminal-size crate for one paragraph.
#[derive(Parser)]
#[command(name = "archsim", version, verbatim_doc_comment)]
#[command(after_help = EXIT_CODES, arg_required_else_help = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Solve a scenario in steady state and print its report
    #[command(after_help = EXIT_CODES)]
    Analyze(Input),
    /// Run a scenario request by request and compare it with the analytic figures
    #[command(after_help = EXIT_CODES)]
    Simulate(SimulateArgs),
    /// Solve two designs and show what changed from the first (the baseline) to the second
    #[command(after_help = EXIT_CODES)]
    Compare(CompareArgs),
    /// Show where each number comes from (formula, inputs, exact or not) and which single
    /// change helps most
    #[command(after_help = EXIT_CODES)]
    Explain(ExplainArgs),
}

/// What explain reads.
#[derive(Args)]
struct ExplainArgs {
    #[command(flatten)]
    input: Input,
    /// Explain this component's numbers instead of the headline figures
    #[arg(long, value_name = "ID")]
    component: Option<String>,
}

/// The two designs compare reads.
#[derive(Args)]
struct CompareArgs {
    /// The baseline: scenario JSON file, share link or inline JSON
    #[arg(value_name = "BASELINE")]
    baseline: String,
    /// The design compared with it, read the same way; left out, BASELINE is a compare
    /// link (Copy link with a pinned baseline: …#scenario=…&baseline=…), which holds both
    #[arg(value_name = "CURRENT")]
    current: Option<String>,
    /// Print one JSON object instead of the text report
    #[arg(long)]
    json: bool,
    /// Also simulate both on common random numbers (the current design's simulation
    /// settings for both) and give each difference with its 95 % interval
    #[arg(long)]
    simulate: bool,
    #[command(flatten)]
    run: RunSettings,
}

/// The scenario and the options both subcommands share (the subcommands' own doc comments
/// describe them in the help).
#[derive(Args)]
struct Input {
    /// Scenario JSON file, share link (…#scenario=…) or inline JSON
    #[arg(value_name = "SCENARIO")]
    source: String,
    /// Print one JSON object instead of the text report
    #[arg(long)]
    json: bool,
    /// Mark component ID down, or make it lose N instances with ID:N (repeatable)
    #[arg(long, value_name = "ID[:N]", value_parser = parse_failure)]
    fail: Vec<(String, Failure)>,
}

/// What simulate adds to the shared options.
#[derive(Args)]
struct SimulateArgs {
    #[command(flatten)]
    input: Input,
    #[command(flatten)]
    run: RunSettings,
}

/// A run's length and seed, overriding the scenario's simulation settings.
#[derive(Args)]
struct RunSettings {
    /// Seconds to simulate, overriding the scenario's simulation settings
    // Negative numbers are let through so the scenario's validation explains the range
    // (exit 1) as before, instead of clap taking "-5" for an unexpected argument.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    seconds: Option<f64>,
    /// Random seed, overriding the scenario's (same seed, same run)
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Independent replications, overriding the scenario's; they run on all cores and
    /// give the same report as the browser for the same seed
    #[arg(long, value_name = "R")]
    replications: Option<u32>,
}

impl RunSettings {
    /// Writes the overrides into `s`'s simulation settings.
    fn apply(&self, s: &mut Scenario) {
        let mut sim = Simulation::of(s);
        if let Some(seconds) = self.seconds {
            sim.seconds = seconds;
            sim.warmup_s = sim.warmup_s.min((seconds * 0.5).floor());
        }
        if let Some(seed) = self.seed {
            sim.seed = seed;
        }
        if let Some(replications) = self.replications {
            sim.replications = replications;
        }
        s.simulation = Some(sim);
    }
}

/// Runs the command line (`args` without the program name); returns the process exit code:
/// 0 ok (also for `--help` and `--version`, printed on `out`), 1 the scenario cannot be read
/// or solved, 2 usage error (clap's message on `err`).
pub fn run<I, T>(args: I, out: &mut impl Write, err: &mut impl Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let argv = std::iter::once(OsString::from("archsim")).chain(args.into_iter().map(Into::into));
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            // Plain text: `out` and `err` may be files or test buffers, not terminals.
            let text = e.render().to_string();
            let _ = if e.use_stderr() {
                err.write_all(text.as_bytes())
            } else {
                out.write_all(text.as_bytes())
            };
            return e.exit_code();
        }
    };
    let text = match &cli.command {
        Command::Analyze(input) => load(input).and_then(|s| analysis(&s, input.json)),
        Command::Simulate(args) => load(&args.input).and_then(|s| simulation(s, args)),
        Command::Compare(args) => comparison(args),
        Command::Explain(args) => load(&args.input).and_then(|s| explanation(&s, args)),
    };
    match text {
        Ok(text) => {
            let _ = out.write_all(text.as_bytes());
            0
        }
        Err(e) => {
            let _ = writeln!(err, "{e}");
            1
        }
    }
}

/// The scenario named on the command line with its `--fail` what-ifs applied.
fn load(input: &Input) -> Result<Scenario, String> {
    let mut s = read(&input.source)?;
    s.failed.extend(input.fail.iter().cloned());
    Ok(s)
}

/// The steady-state report, as text or JSON.
fn analysis(s: &Scenario, json: bool) -> Result<String, String> {
    analyze_with_failures(s)
        .map_err(|p| format!("the scenario has problems:\n{p}"))
        .map(|r| {
            if json {
                serde_json::to_string_pretty(&r).unwrap_or_default() + "\n"
            } else {
                text_report(&r)
            }
        })
}

/// The two designs solved and compared, as text or JSON.
fn comparison(args: &CompareArgs) -> Result<String, String> {
    let solve = |source: &str| -> Result<(Scenario, Report), String> {
        let s = read(source).map_err(|e| format!("{source}: {e}"))?;
        // With the failure analysis, so that the comparison names SPOFs gained and lost.
        let r = analyze_with_failures(&s)
            .map_err(|p| format!("{source}: the scenario has problems:\n{p}"))?;
        Ok((s, r))
    };
    let ((base, before), (mut current, now)) = match &args.current {
        Some(current) => (solve(&args.baseline)?, solve(current)?),
        None => {
            let link = args.baseline.as_str();
            let base = match codec::baseline_from_link(link) {
                Some(read) => read.map_err(|e| format!("the link's baseline: {e}"))?,
                None => {
                    return Err("one design and no baseline to compare it with: give two \
                                designs, or one compare link (Copy link with a pinned \
                                baseline: …#scenario=…&baseline=…)"
                        .to_owned())
                }
            };
            let current = codec::from_link(link).map_err(|e| format!("the link's design: {e}"))?;
            let solved = |s: Scenario, what: &str| {
                analyze_with_failures(&s)
                    .map(|r| (s, r))
                    .map_err(|p| format!("the link's {what} has problems:\n{p}"))
            };
            (solved(base, "baseline")?, solved(current, "design")?)
        }
    };
    let v = versus(&base, &before, &current, &now);
    let paired = if args.simulate {
        args.run.apply(&mut current);
        let problems = |p| format!("the designs cannot be simulated:\n{p}");
        Some(simulate_pair(&base, &current).map_err(problems)?)
    } else {
        None
    };
    Ok(if args.json {
        #[derive(Serialize)]
        struct Out<'a> {
            #[serde(flatten)]
            analytic: &'a Versus,
            #[serde(skip_serializing_if = "Option::is_none")]
            simulated: Option<SimulatedDifferences<'a>>,
        }
        let out = Out {
            analytic: &v,
            simulated: paired.as_ref().map(SimulatedDifferences::of),
        };
        serde_json::to_string_pretty(&out).unwrap_or_default() + "\n"
    } else {
        let mut text = crate::cli_versus::text(&v, (&base.name, &current.name));
        if let Some(p) = &paired {
            text += &crate::cli_versus::simulated(p);
        }
        text
    })
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

/// What `compare --simulate --json` adds: the run settings and each simulated difference
/// (the two runs' full reports are what `simulate` prints for each design).
#[derive(Serialize)]
struct SimulatedDifferences<'a> {
    seed: u64,
    seconds: usize,
    measured_from_s: usize,
    batches: usize,
    #[serde(skip_serializing_if = "is_one")]
    replications: u32,
    mean_ms: Option<Difference>,
    p99_ms: Option<Difference>,
    throughput_rps: Difference,
    baseline: &'a SimLatency,
    current: &'a SimLatency,
}

impl<'a> SimulatedDifferences<'a> {
    fn of(p: &'a PairedRuns) -> Self {
        SimulatedDifferences {
            seed: p.current.seed,
            seconds: p.current.seconds,
            measured_from_s: p.current.measured_from_s,
            batches: p.current.batches,
            replications: p.current.replications,
            mean_ms: p.mean_ms,
            p99_ms: p.p99_ms,
            throughput_rps: p.throughput_rps,
            baseline: &p.baseline.latency_ms,
            current: &p.current.latency_ms,
        }
    }
}

/// The explanations and the sensitivity ranking, as text or JSON.
fn explanation(s: &Scenario, args: &ExplainArgs) -> Result<String, String> {
    let problems = |p| format!("the scenario has problems:\n{p}");
    let report = analyze_with_failures(s).map_err(problems)?;
    let explained = explain(s, &report).map_err(problems)?;
    let chosen: &[Explanation] = match &args.component {
        Some(id) => explained
            .components
            .get(id)
            .ok_or_else(|| format!("no component {id:?} in the scenario"))?,
        None => &explained.figures,
    };
    let levers = sensitivity(s);
    if args.input.json {
        #[derive(Serialize)]
        struct Out<'a> {
            explanations: &'a [Explanation],
            sensitivity: Option<Sensitivity>,
        }
        let out = Out {
            explanations: chosen,
            sensitivity: levers,
        };
        return Ok(serde_json::to_string_pretty(&out).unwrap_or_default() + "\n");
    }
    let mut text: String = chosen.iter().map(crate::cli_explain::explanation).collect();
    if let Some(levers) = &levers {
        text += &crate::cli_explain::levers(levers);
    }
    Ok(text)
}

/// Reads a scenario from a file, a share link or inline JSON.
fn read(source: &str) -> Result<Scenario, String> {
    if source.contains('#') || source.trim_start().starts_with('{') {
        codec::from_link(source).map_err(|e| e.to_string())
    } else {
        match std::fs::read_to_string(source) {
            Ok(text) => codec::from_json(&text).map_err(|e| e.to_string()),
            Err(e) => Err(format!("cannot read {source}: {e}")),
        }
    }
}

/// A simulated run with the analytic figures beside it.
#[derive(Serialize)]
struct SimOutput<'a> {
    #[serde(flatten)]
    run: &'a SimReport,
    comparison: Vec<Comparison>,
}

fn simulation(mut s: Scenario, opts: &SimulateArgs) -> Result<String, String> {
    opts.run.apply(&mut s);
    let problems = |p| format!("the scenario has problems:\n{p}");
    let run = simulate(&s).map_err(problems)?;
    let analytic = analyze(&s).map_err(problems)?;
    let comparison = compare(&s, &analytic, &run);
    Ok(if opts.input.json {
        let output = SimOutput {
            run: &run,
            comparison,
        };
        serde_json::to_string_pretty(&output).unwrap_or_default() + "\n"
    } else {
        let mut text = text_simulation(&run, &comparison);
        if let Some(why) = overloaded(&s, &analytic) {
            text += &format!("\nnote: {why}\n");
        }
        if comparison.iter().any(|c| c.agrees == Some(false)) {
            text += "\nwhere the analytic model approximates this design:\n";
            for reason in approximations(&s) {
                text += &format!("  - {reason}\n");
            }
        }
        text
    })
}

/// `value ± half-width` with `digits` decimals.
fn pm(e: &Estimate, digits: usize) -> String {
    match e.half_width {
        Some(h) => format!("{:.digits$} ± {:.digits$}", e.value, h),
        None => format!("{:.digits$}", e.value),
    }
}

/// A simulated run as a short text for people.
pub fn text_simulation(r: &SimReport, comparison: &[Comparison]) -> String {
    let mut s = format!(
        "simulated    {} s, {}; {} events\n",
        r.seconds,
        r.measured(),
        r.events
    );
    if r.replications > 1 {
        s += &format!(
            "             counts are totals over the {} replications\n",
            r.replications
        );
    }
    s += &format!(
        "requests     {} offered, {} answered, {} failed ({} rejected, {} shed); {} attempts, {} timed out\n",
        r.requests, r.completed, r.failed, r.rejected, r.shed, r.attempts, r.timed_out
    );
    s += &format!("throughput   {} req/s\n", pm(&r.throughput_rps, 1));
    s += &format!(
        "errors       {} %\n",
        pm(
            &Estimate {
                value: r.error_rate.value * 100.0,
                half_width: r.error_rate.half_width.map(|h| h * 100.0),
            },
            2
        )
    );
    let l = &r.latency_ms;
    let show = |e: &Option<Estimate>| e.as_ref().map_or("none".to_owned(), |e| pm(e, 1) + " ms");
    s += &format!(
        "latency      mean {}, p50 {}, p95 {}, p99 {}\n",
        show(&l.mean),
        show(&l.p50),
        show(&l.p95),
        show(&l.p99)
    );
    let mut places: Vec<_> = r.latency_by_location.iter().collect();
    archsim::sort::by(&mut places, |a, b| b.1.share.total_cmp(&a.1.share));
    for (key, p) in places {
        let l = &p.latency;
        s += &format!(
            "users        {} ({:.0} %, {} % answered): mean {}, p50 {}, p95 {}, p99 {}\n",
            users_at(key),
            p.share * 100.0,
            pm(
                &Estimate {
                    value: p.success.value * 100.0,
                    half_width: p.success.half_width.map(|h| h * 100.0),
                },
                2
            ),
            show(&l.mean),
            show(&l.p50),
            show(&l.p95),
            show(&l.p99)
        );
    }
    s += &format!(
        "cost         ${:.2} for the run (${:.0} per month at its average)\n",
        r.cost_usd, r.monthly_cost_usd
    );
    for (id, c) in r
        .components
        .iter()
        .filter(|(_, c)| !c.series.instances.is_empty())
    {
        let count = &c.series.instances;
        let (low, high) = count.iter().fold((f64::INFINITY, 0.0_f64), |(lo, hi), &n| {
            (lo.min(n), hi.max(n))
        });
        s += &format!(
            "autoscaled   {id}: {low:.0} to {high:.0} instances, {:.0} at the end\n",
            count.last().copied().unwrap_or(0.0)
        );
    }
    for b in &r.breakers {
        let open: f64 = b.open_share.iter().sum();
        s += &format!(
            "breaker      {} → {}: opened {} time(s), open {open:.0} s, {} calls refused at once\n",
            b.from, b.to, b.opened, b.refused
        );
    }
    for (id, c) in &r.components {
        if let Some(g) = c.resharded {
            s += &format!(
                "resharding   {id}: {} → {} shards at {} s, {:.1} % of keys moved, copied for {} s\n",
                g.from,
                g.to,
                g.at_s,
                g.moved_share * 100.0,
                g.copy_s
            );
        }
        if let Some(n) = c.lost_writes {
            s += &format!(
                "failover     {id} promoted: {n} answered write(s) lost with the primary\n"
            );
        }
    }
    s += "\nanalytic vs simulated                   analytic        simulated\n";
    for c in comparison {
        let name = c.name();
        let flag = match c.agrees {
            Some(true) if c.agrees_by_slack() => "agree ±1 %",
            Some(true) => "agree",
            Some(false) => "DISAGREE",
            None => "",
        };
        let analytic = c
            .analytic
            .map_or("unbounded".to_owned(), |a| format!("{a:.3}"));
        s += &format!(
            "{:<38} {:>10} {:>22}  {}\n",
            name,
            analytic,
            pm(&c.simulated, 3),
            flag
        );
    }
    if comparison.iter().any(Comparison::agrees_by_slack) {
        s += &format!("{AGREEMENT}\n");
    }
    s += "\ncomponent            arrival/s          util    mean queue    dropped/s\n";
    for (id, c) in &r.components {
        let util = c.utilization.map_or("-".to_owned(), |u| {
            pm(
                &Estimate {
                    value: u.value * 100.0,
                    half_width: u.half_width.map(|h| h * 100.0),
                },
                1,
            ) + "%"
        });
        let queue = c.mean_queue.map_or("-".to_owned(), |q| pm(&q, 1));
        s += &format!(
            "{:<20} {:>12} {:>14} {:>12} {:>12}\n",
            id,
            pm(&c.arrival_rps, 1),
            util,
            queue,
            pm(&c.dropped_rps, 1)
        );
    }
    s
}

/// `ID` (down) or `ID:N` (N instances lost); clap names the flag and value in its error.
fn parse_failure(text: &str) -> Result<(String, Failure), String> {
    match text.rsplit_once(':') {
        Some((id, n)) => n
            .parse::<u64>()
            .map(|n| (id.to_owned(), Failure::lose(n)))
            .map_err(|_| format!("\"{n}\" is not a whole number of instances")),
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
    // Background messages lost are not requests: said beside them, as the page does.
    let background = r.background_dropped_rps();
    let messages = if background > 0.0 {
        format!("; {background:.1} messages/s never processed")
    } else {
        String::new()
    };
    s += &format!(
        "throughput   {:.1} req/s of {:.1} offered ({:.1} dropped{messages})\n",
        r.throughput_rps, r.offered_rps, r.dropped_rps
    );
    if r.serves_nothing() {
        s += "latency      none: no request is served\n";
    } else {
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
    }
    s += &format!(
        "availability {:.5}% ({:.1} min down per month)\n",
        r.availability * 100.0,
        r.downtime_minutes_per_month
    );
    s += &format!("cost         ${:.0} per month\n", r.monthly_cost_usd);
    let mut places: Vec<_> = r.latency_by_location.iter().collect();
    archsim::sort::by(&mut places, |a, b| b.1.share.total_cmp(&a.1.share));
    for (key, p) in places {
        let objective = match (p.slo_p99, p.meets_slo) {
            (Some(slo), Some(true)) => format!("; p99 objective {slo:.0} ms met"),
            (Some(slo), _) => format!("; p99 objective {slo:.0} ms MISSED"),
            _ => String::new(),
        };
        s += &format!(
            "users        {} ({:.0} %): mean {}, p50 {}, p95 {}, p99 {}{objective}\n",
            users_at(key),
            p.share * 100.0,
            ms(p.mean),
            ms(p.p50),
            ms(p.p95),
            ms(p.p99),
        );
    }
    if let Some(c) = &r.closed {
        s += &format!(
            "population   {} users thinking {} s; N* = {}; at most {} req/s ({} MVA)\n",
            c.users,
            c.think_time_s,
            c.saturation_users
                .map_or("none".to_owned(), |n| format!("{n:.1}")),
            c.max_throughput_rps
                .map_or("unbounded".to_owned(), |x| format!("{x:.1}")),
            if c.exact_mva {
                "exact"
            } else {
                "Bard–Schweitzer"
            }
        );
    }
    if let (Some(b), Some(h)) = (&r.bottleneck, r.headroom) {
        s += &if r.closed.is_some() {
            format!("bottleneck   {b} (caps the throughput at {h:.2}× today's)\n")
        } else {
            format!("bottleneck   {b} (saturates at {h:.2}× today's traffic)\n")
        };
    }
    s += "\ncomponent            arrival/s   util   response     dropped/s\n";
    for (id, c) in &r.components {
        s += &format!(
            "{:<20} {:>9.1} {:>5.0}% {:>12} {:>12.1}\n",
            id,
            c.requests_rps(),
            c.utilization * 100.0,
            ms(c.mean_response_ms),
            c.dropped_rps
        );
    }
    for (id, c) in &r.components {
        if let Some(n) = c.instances_steady {
            s += &format!("autoscaled   {id} settles on {n} instances at this traffic\n");
        }
        if let Some(r) = c.rejected_rps.filter(|&r| archsim::solve::noticeable(r)) {
            s += &format!("rate limit   {id} rejects {r:.1} req/s (HTTP 429)\n");
        }
        if let Some(lag) = c.lag {
            s += &match (lag.sync, lag.mean_ms, lag.p99_ms) {
                (true, _, _) => format!("lag          {id}: none (synchronous replica)\n"),
                (false, Some(mean), Some(p99)) => format!(
                    "lag          {id}: mean {mean:.1} ms, p99 {p99:.1} ms; {:.2} % of reads {:.0} ms after a write stale; {:.1} writes unapplied on average (lost if a failover promotes it)\n",
                    lag.stale_share.unwrap_or(1.0) * 100.0,
                    lag.window_ms,
                    lag.unapplied_writes.unwrap_or(0.0)
                ),
                _ => format!("lag          {id}: grows without bound (applies writes slower than they come)\n"),
            };
        }
        if let Some(r) = c.resharding {
            s += &format!(
                "resharding   {id}: one more shard moves {:.1} % of the keys\n",
                r.add_one * 100.0
            );
        }
        if let Some(h) = c.hit_ratio.filter(|h| h.source == HitSource::Workload) {
            s += &format!(
                "hit ratio    {id}: {:.1} % from the workload (key space, size, eviction, TTL)\n",
                h.value * 100.0
            );
        }
    }
    if r.spofs.is_empty() {
        s += "\nno single point of failure\n";
    } else {
        s += "\nsingle points of failure:\n";
        for reason in r.spof_reasons.values() {
            s += &format!("  {reason}\n");
        }
    }
    // A single failure that does not solve is among the SPOFs above; a whole pool's is
    // said here, apart from the table it has no row in.
    for u in r
        .unassessed
        .iter()
        .filter(|u| u.failure == FailureMode::Component)
    {
        s += &format!("  {}\n", u.said);
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

    #[test]
    fn simulate_prints_a_run_beside_the_analytic_figures() {
        let args = [
            "simulate",
            ONE_SERVER,
            "--seconds",
            "120",
            "--seed",
            "3",
            "--json",
        ];
        let (code, out, err) = call(&args);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["seed"], 3);
        assert_eq!(v["seconds"], 120);
        assert_eq!(v["series"].as_array().map(Vec::len), Some(120));
        assert!(v["latency_ms"]["p99"]["half_width"].as_f64().is_some());
        assert_eq!(v["comparison"][0]["metric"], "throughput (req/s)");
        assert_eq!(call(&args).1, out, "same seed, same bytes");
        let (code, text, _) = call(&["simulate", ONE_SERVER, "--seconds", "30"]);
        assert_eq!(code, 0);
        assert!(text.contains("analytic vs simulated"), "{text}");
        assert_eq!(call(&["simulate", ONE_SERVER, "--seconds", "x"]).0, 2);
        assert_eq!(call(&["analyze", ONE_SERVER, "--seed", "1"]).0, 2);
        let (code, _, err) = call(&["simulate", ONE_SERVER, "--seconds", "0"]);
        assert_eq!(code, 1);
        assert!(
            err.contains("simulation.seconds: must be between 1"),
            "{err}"
        );
    }

    #[test]
    fn simulate_runs_replications_on_all_cores_with_the_same_report() {
        let args = |r: &'static str| {
            [
                "simulate",
                ONE_SERVER,
                "--seconds",
                "30",
                "--replications",
                r,
                "--json",
            ]
        };
        let (code, out, err) = call(&args("3"));
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["replications"], 3);
        let mut s = archsim::codec::from_json(ONE_SERVER).unwrap();
        let mut sim = archsim::model::Simulation::of(&s);
        (sim.seconds, sim.replications) = (30.0, 3);
        s.simulation = Some(sim);
        let report = simulate(&s).unwrap();
        assert_eq!(v["events"], report.events);
        assert_eq!(call(&args("3")).1, out, "same seed and count, same bytes");
        let (_, text, _) = call(&["simulate", ONE_SERVER, "--replications", "3"]);
        assert!(
            text.contains("3 replications on seeds derived from 1"),
            "{text}"
        );
        assert!(
            text.contains("counts are totals over the 3 replications"),
            "{text}"
        );
        let (code, _, err) = call(&args("0"));
        assert_eq!(code, 1);
        assert!(err.contains("replications: must be from 1 to 32"), "{err}");
    }
}
