//! The results of a finished run: whole-run figures with intervals, per-second charts with
//! a cursor that replays any second on the diagram, and the analytic and simulated numbers
//! side by side.

use super::format::{cents, dollars, millis, percent, rate};
use super::timeseries::{Line, TimeChart, Unit};
use crate::model::{users_at, Scenario, Simulation};
use crate::sim::{comparable, BreakerState, Comparison, Estimate, SimReport, AGREEMENT};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// A finished run and what it was run on.
#[derive(Clone)]
pub struct Outcome {
    /// The design it ran, without positions and labels (which do not change a run).
    pub ran: Rc<Scenario>,
    /// What it measured.
    pub report: Rc<SimReport>,
    /// The analytic figures beside the simulated ones.
    pub comparison: Rc<Vec<Comparison>>,
    /// Why the two may differ for this design.
    pub reasons: Rc<Vec<String>>,
    /// Why the run's times settle on no value, when some station is overloaded.
    pub overloaded: Option<String>,
    /// Time spent simulating, summed over the slices, ms.
    pub compute_ms: f64,
}

impl PartialEq for Outcome {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.report, &other.report)
    }
}

/// `value ± half-width`, formatted by `f`.
fn pm(e: &Estimate, f: impl Fn(f64) -> String) -> String {
    match e.half_width {
        Some(h) => format!("{} ± {}", f(e.value), f(h)),
        None => f(e.value),
    }
}

/// Shaded stretches for the charts: the profile's surges and every outage.
fn marks(sim: &Simulation) -> Vec<(f64, f64, &'static str)> {
    let end = sim.seconds;
    let mut out: Vec<_> = sim
        .profile
        .surges(end)
        .into_iter()
        .map(|(a, b)| (a, b, "surge"))
        .collect();
    for o in &sim.timeline {
        out.push((o.at_s, o.for_s.map_or(end, |d| o.at_s + d), "outage"));
    }
    for r in &sim.reshards {
        out.push((r.at_s, r.at_s + r.migration_s.max(0.5), "reshard"));
    }
    out
}

/// The stretches a breaker spent open or half-open, from its per-second states.
fn open_stretches(state: &[BreakerState]) -> Vec<(f64, f64, &'static str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (sec, &st) in state.iter().chain([&BreakerState::Closed]).enumerate() {
        match (st != BreakerState::Closed, start) {
            (true, None) => start = Some(sec),
            (false, Some(a)) => {
                out.push((a as f64, sec as f64, "breaker-open"));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// What was run and how the intervals were made, in a sentence.
fn summary(r: &SimReport, compute_ms: f64) -> String {
    let totals = if r.replications > 1 {
        format!(
            "; counts are totals over the {} replications",
            r.replications
        )
    } else {
        String::new()
    };
    format!(
        "{} s simulated in {}, {} events; {}{totals}.",
        r.seconds,
        millis(Some(compute_ms)),
        rate(r.events as f64),
        r.measured()
    )
}

/// Results view properties.
#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub outcome: Outcome,
    /// The settings now (for the shaded stretches and whether agreement is judged).
    pub sim: Simulation,
    /// Whether the design changed since the run.
    pub stale: bool,
    /// The design on screen, for the components' names.
    pub scenario: Rc<Scenario>,
    pub focus: Option<String>,
    pub cursor: usize,
    pub on_seek: Callback<usize>,
    pub on_diagram: bool,
    pub on_toggle: Callback<()>,
}

/// The results of a finished run.
#[component]
pub fn SimResults(props: &ResultsProps) -> Html {
    let (o, sim, stale) = (&props.outcome, &props.sim, props.stale);
    let r = &o.report;
    let t = props.cursor.min(r.seconds.saturating_sub(1));
    let seek = props.on_seek.clone();
    let per_second = |f: fn(&crate::sim::Second) -> Option<f64>| -> Vec<Option<f64>> {
        r.series.iter().map(f).collect()
    };
    let marks = marks(sim);
    // The component charted: the one picked here, else the selected one, else the busiest.
    let picked = use_state(|| None::<String>);
    let focus = (*picked)
        .clone()
        .or_else(|| props.focus.clone())
        .filter(|id| {
            r.components
                .get(id)
                .is_some_and(|c| c.utilization.is_some())
        })
        .or_else(|| {
            r.components
                .iter()
                .filter_map(|(id, c)| c.utilization.map(|u| (id, u.value)))
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(id, _)| id.clone())
        });
    let focus_charts = focus.as_ref().and_then(|id| {
        let c = r.components.get(id)?;
        let some = |v: &Vec<f64>| v.iter().map(|&x| Some(x)).collect::<Vec<_>>();
        Some(html! {
            <>
                <TimeChart title={format!("{}: busy ", props.scenario.name_of(id))} testid="chart-utilization"
                    lines={vec![Line { label: "utilisation", class: "util", values: some(&c.series.utilization) }]}
                    unit={Unit::Share} marks={marks.clone()} cursor={t} on_seek={seek.clone()} />
                <TimeChart title={format!("{}: waiting and dropped ", props.scenario.name_of(id))} testid="chart-queue"
                    lines={vec![
                        Line { label: "waiting", class: "queue", values: some(&c.series.queue) },
                        Line { label: "dropped/s", class: "dropped", values: some(&c.series.drops) },
                    ]}
                    unit={Unit::Rate} marks={marks.clone()} cursor={t} on_seek={seek.clone()} />
                if !c.series.hit_ratio.is_empty() {
                    <TimeChart title={format!("{}: hits ", props.scenario.name_of(id))} testid="chart-hit-ratio"
                        lines={vec![Line { label: "hit ratio", class: "answered", values: some(&c.series.hit_ratio) }]}
                        unit={Unit::Share} marks={marks.clone()} cursor={t} on_seek={seek.clone()} />
                }
                if !c.series.instances.is_empty() {
                    <TimeChart title={format!("{}: instances ", props.scenario.name_of(id))} testid="chart-instances"
                        lines={vec![
                            Line { label: "paid for", class: "paid", values: some(&c.series.instances) },
                            Line { label: "serving", class: "serving", values: some(&c.series.serving) },
                        ]}
                        unit={Unit::Count} marks={marks.clone()} cursor={t} on_seek={seek.clone()} />
                }
            </>
        })
    });
    // Rejections and shedding get their own lines when the run had any.
    let mut traffic_lines = vec![
        Line {
            label: "answered",
            class: "answered",
            values: per_second(|s| Some(s.completed)),
        },
        Line {
            label: "errors",
            class: "errors",
            values: per_second(|s| Some(s.errors)),
        },
    ];
    if r.rejected > 0 {
        traffic_lines.push(Line {
            label: "rejected (429)",
            class: "rejected",
            values: per_second(|s| Some(s.rejected)),
        });
    }
    if r.shed > 0 {
        traffic_lines.push(Line {
            label: "shed",
            class: "shed",
            values: per_second(|s| Some(s.shed)),
        });
    }
    traffic_lines.push(Line {
        label: "offered",
        class: "offered",
        values: per_second(|s| Some(s.offered)),
    });
    let at = r.series.get(t).copied();
    let on_slider = {
        let seek = seek.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = el.value().parse::<usize>() {
                seek.emit(v);
            }
        })
    };
    let toggle = props.on_toggle.reform(|_: Event| ());
    let ms = |e: &Option<Estimate>| {
        e.as_ref()
            .map_or("—".to_owned(), |e| pm(e, |v| millis(Some(v))))
    };
    let l = &r.latency_ms;
    let steady = comparable(sim);
    html! {
        <div class="sim-results" data-testid="sim-results" data-events={r.events.to_string()}
             data-compute-ms={format!("{:.1}", o.compute_ms)}
             data-requests={r.requests.to_string()}
             data-p99={l.p99.map(|e| e.value.to_string()).unwrap_or_default()}>
            if stale {
                <p class="notice-inline" data-testid="sim-stale">{"The design changed since this run: run again to update."}</p>
            }
            <p class="muted" data-testid="sim-summary">{ summary(r, o.compute_ms) }</p>
            <dl class="headline sim-headline" data-testid="sim-headline">
                <dt>{"Answered"}</dt><dd>{ pm(&r.throughput_rps, |v| format!("{}/s", rate(v))) }</dd>
                // The counterpart of the results' Dropped: offered and not answered, failed
                // or still waiting (a queue with no limit drops nothing but never catches up).
                <dt>{"Not answered"}</dt>
                <dd data-testid="sim-unanswered" title="Requests per second offered and not answered in the measured window: those that failed, and those still waiting at its end (behind a queue with no limit). The results' Dropped counts the same; its estimate is offered less answered, so with nothing lost it moves around zero by the requests in flight.">
                    { pm(&r.unanswered_rps, |v| format!("{}/s", rate(v.max(0.0)))) }
                </dd>
                <dt>{"Errors"}</dt><dd title="Share of the requests finished in the measured window that failed. Requests still waiting at its end are not among them: the comparison's “not answered” counts both, so with no error it still moves around zero by the requests in flight.">{ pm(&r.error_rate, percent) }</dd>
                <dt>{"p50"}</dt><dd>{ ms(&l.p50) }</dd>
                <dt>{"p95"}</dt><dd>{ ms(&l.p95) }</dd>
                <dt>{"p99"}</dt><dd data-testid="sim-p99">{ ms(&l.p99) }</dd>
                if r.rejected > 0 {
                    <dt>{"Rejected"}</dt>
                    <dd data-testid="sim-rejected" title="Requests a rate limit answered at once with HTTP 429">
                        { format!("{} of the {} failed (429)", r.rejected, r.failed) }
                    </dd>
                }
                if r.shed > 0 {
                    <dt>{"Shed"}</dt>
                    <dd data-testid="sim-shed" title="Requests answered at once with an error by a station whose waiting-time limit they reached">
                        { format!("{} of the {} failed", r.shed, r.failed) }
                    </dd>
                }
                <dt>{"Cost"}</dt>
                <dd data-testid="sim-cost" title="Instance-seconds of the run at each kind's monthly price">
                    { format!("{} {} ({}/month at its average)", cents(r.cost_usd),
                              if r.replications > 1 { "per replication" } else { "this run" }, dollars(r.monthly_cost_usd)) }
                </dd>
                if !r.breakers.is_empty() {
                    <dt>{"Breakers"}</dt>
                    <dd data-testid="sim-breakers" title="Calls a circuit breaker failed at once instead of sending them to a failing dependency">
                        { r.breakers.iter().map(|b| format!("{} → {}: opened {}×, {} calls refused at once",
                            props.scenario.name_of(&b.from), props.scenario.name_of(&b.to), b.opened, b.refused)).collect::<Vec<_>>().join("; ") }
                    </dd>
                }
                if r.components.values().any(|c| c.lost_writes.is_some()) {
                    <dt>{"Failover"}</dt>
                    <dd data-testid="sim-lost-writes" title="Writes the failed primary had answered that the promoted replica had not applied: they are gone. The inspector gives the number to expect (write rate × mean lag).">
                        { r.components.iter().filter_map(|(id, c)| c.lost_writes.map(|n|
                            format!("{} promoted: {n} answered write{} lost", props.scenario.name_of(id), if n == 1 { "" } else { "s" })))
                            .collect::<Vec<_>>().join("; ") }
                    </dd>
                }
                if r.components.values().any(|c| c.resharded.is_some()) {
                    <dt>{"Resharding"}</dt>
                    <dd data-testid="sim-resharded" title="While the moved keys are copied, each request for one is served by its new shard and by the old one that still holds it">
                        { r.components.iter().filter_map(|(id, c)| c.resharded.map(|g|
                            format!("{}: {} → {} shards at {} s, {} of keys moved, copied for {} s",
                                props.scenario.name_of(id), g.from, g.to, g.at_s, percent(g.moved_share), g.copy_s)))
                            .collect::<Vec<_>>().join("; ") }
                    </dd>
                }
                if r.attempts != r.requests {
                    <dt>{"Retries"}</dt><dd>{ format!("{} attempts for {} requests", r.attempts, r.requests) }</dd>
                }
            </dl>
            <TimeChart title="Requests per second " testid="chart-traffic"
                lines={traffic_lines}
                unit={Unit::Rate} marks={marks.clone()} cursor={t} on_seek={seek.clone()} />
            <TimeChart title="Response time " testid="chart-latency"
                lines={vec![
                    Line { label: "p50", class: "p50", values: per_second(|s| s.p50_ms) },
                    Line { label: "p95", class: "p95", values: per_second(|s| s.p95_ms) },
                    Line { label: "p99", class: "p99", values: per_second(|s| s.p99_ms) },
                ]}
                unit={Unit::Millis} marks={marks.clone()} cursor={t} on_seek={seek.clone()} />
            if r.components.values().any(|c| !c.series.instances.is_empty()) {
                <TimeChart title="Cost, $ per hour " testid="chart-cost"
                    lines={vec![Line { label: "at this second's instances", class: "paid", values: per_second(|s| Some(s.cost_usd * 3600.0)) }]}
                    unit={Unit::Dollars} marks={marks.clone()} cursor={t} on_seek={seek.clone()} />
            }
            { for r.breakers.iter().map(|b| {
                let some = |v: &Vec<f64>| v.iter().map(|&x| Some(x)).collect::<Vec<_>>();
                let mut shaded = marks.clone();
                shaded.extend(open_stretches(&b.state));
                html! {
                    <TimeChart title={format!("{} → {}: breaker ", props.scenario.name_of(&b.from), props.scenario.name_of(&b.to))} testid="chart-breaker"
                        lines={vec![
                            Line { label: "calls sent", class: "answered", values: some(&b.sent) },
                            Line { label: "failed", class: "errors", values: some(&b.failed) },
                            Line { label: "refused at once (open)", class: "rejected", values: some(&b.refused_per_second) },
                        ]}
                        unit={Unit::Rate} marks={shaded} cursor={t} on_seek={seek.clone()} />
                }
            }) }
            <label class="field chart-pick">
                <span>{"Component charted"}</span>
                <select data-testid="chart-component" onchange={{
                    let picked = picked.clone();
                    Callback::from(move |e: Event| {
                        let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
                        picked.set(Some(el.value()));
                    })
                }}>
                    // In the design's own order, by name: the order of the diagram's ids is
                    // nobody's.
                    { for props.scenario.components.iter()
                        .filter(|c| r.components.get(&c.id).is_some_and(|m| m.utilization.is_some()))
                        .map(|c| html! {
                            <option value={c.id.clone()} selected={focus.as_deref() == Some(c.id.as_str())}>{ c.display_name().to_owned() }</option>
                        }) }
                </select>
            </label>
            { for focus_charts }
            <div class="cursor-row">
                <label class="field">
                    <span>{"Time"}</span>
                    <input type="range" min="0" max={r.seconds.saturating_sub(1).to_string()} step="1"
                           data-testid="time-cursor" value={t.to_string()} oninput={on_slider} />
                    <span class="unit" data-testid="cursor-label">{ format!("{t} s") }</span>
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="show-on-diagram" checked={props.on_diagram && !stale}
                           disabled={stale} onchange={toggle} />
                    {"Show on the diagram"}
                </label>
            </div>
            if let Some(s) = at {
                <p class="at-cursor" data-testid="at-cursor">
                    { format!("At {t} s: {}/s offered{}, {}/s answered, {}/s errors, p99 {}",
                              rate(s.offered),
                              // The clients on the diagram count every attempt, retries too.
                              if s.attempts > s.offered {
                                  format!(" ({}/s sent with retries)", rate(s.attempts))
                              } else {
                                  String::new()
                              },
                              rate(s.completed), rate(s.errors), millis(s.p99_ms)) }
                </p>
            }
            <h3>{"Analytic vs simulated"}</h3>
            if !steady {
                <p class="muted">{"Traffic changes, failures, reshardings or timeouts make this run a transient: the analytic steady state is shown for reference, without agreement flags."}</p>
            }
            if let Some(why) = o.overloaded.clone() {
                <p class="muted" data-testid="sim-overloaded">{ why }</p>
            }
            <table class="components comparison" data-testid="comparison">
                <thead><tr><th>{"Figure"}</th><th>{"Analytic"}</th><th>{ if r.steady || r.replications > 1 { "Simulated (95 %)" } else { "Simulated" } }</th><th></th></tr></thead>
                <tbody>
                    { for o.comparison.iter().map(|c| {
                        let name = c.name();
                        let shown = match (&c.component, &c.users) {
                            (Some(id), _) => format!("{}: {}", props.scenario.name_of(id), c.metric),
                            (None, Some(place)) => format!("Users {}: {}", users_at(place), c.metric),
                            (None, None) => c.metric.to_string(),
                        };
                        let (flag, class) = match c.agrees {
                            Some(true) if c.agrees_by_slack() => ("agree ±1 %", "good"),
                            Some(true) => ("agree", "good"),
                            Some(false) => ("differ", "bad"),
                            None => ("", ""),
                        };
                        // Shares to a tenth of a point: at whole points "59% | 58% ± 0.2%"
                        // looks like an interval that misses while it agrees.
                        let fmt = |v: f64| if c.metric.is_share() { format!("{:.1}%", v * 100.0) } else { format!("{v:.1}") };
                        html! {
                            <tr data-metric={name.clone()} data-agrees={c.agrees.map(|a| a.to_string()).unwrap_or_default()}>
                                <td>{ shown }</td>
                                <td>{ c.analytic.map_or("unbounded".to_owned(), fmt) }</td>
                                <td>{ pm(&c.simulated, fmt) }</td>
                                <td class={class}>{ flag }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if o.comparison.iter().any(Comparison::agrees_by_slack) {
                <p class="muted slack-note" data-testid="slack-note">{ AGREEMENT }</p>
            }
            if o.comparison.iter().any(|c| c.agrees == Some(false)) {
                <div class="note" data-testid="why-differ">
                    <p>{"Where the analytic model approximates this design:"}</p>
                    <ul>{ for o.reasons.iter().map(|r| html! { <li>{ r.clone() }</li> }) }</ul>
                </div>
            }
        </div>
    }
}
