//! The simulation panel: run settings (part of the design, so links replay them), a Run
//! button that simulates in slices between frames, charts over time with a cursor that
//! replays any second on the diagram, and the analytic and simulated numbers side by side.

use super::format::{millis, percent, rate};
use super::timeseries::{Line, TimeChart, Unit};
use super::Shared;
use crate::editor::{Action, Notice};
use crate::model::{Outage, Profile, Scenario, Simulation};
use crate::sim::{
    approximations, comparable, compare, moment, Comparison, Estimate, Run, SimReport,
};
use crate::solve::Report;
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Wall-clock time one slice may take, ms. The browser paints between slices, so a slice
/// costs at least one frame: at 12 ms a 60 Hz page spent 28 % of a run painting; at 28 ms
/// it paints every other frame, and input still gets an answer within the 50 ms that feels
/// instant (measured by scripts/bench-browser.mjs: the longest frame gap while running).
const SLICE_MS: f64 = 28.0;
/// Events between clock checks inside a slice.
const EVENTS_PER_CHECK: u64 = 5_000;

/// What the diagram shows for one second of a run.
#[derive(Clone, PartialEq)]
pub struct Moment {
    pub second: usize,
    /// The design with the components broken at that second marked failed.
    pub scenario: Shared<Scenario>,
    pub report: Shared<Report>,
}

/// Panel properties.
#[derive(Properties, PartialEq)]
pub struct SimulationPanelProps {
    pub scenario: Rc<Scenario>,
    /// The analytic solve, when the design is valid.
    pub report: Option<Shared<Report>>,
    /// The component whose charts to show (else the busiest one).
    pub focus: Option<String>,
    pub on_action: Callback<Action>,
    /// The diagram's view of the cursor's second, or `None` for the live analytic view.
    pub on_moment: Callback<Option<Moment>>,
}

/// A finished run and what it was run on.
#[derive(Clone)]
struct Outcome {
    /// The design it ran, without positions and labels (which do not change a run).
    ran: Rc<Scenario>,
    report: Rc<SimReport>,
    comparison: Rc<Vec<Comparison>>,
    /// Why the two may differ for this design.
    reasons: Rc<Vec<String>>,
    /// Time spent simulating, summed over the slices, ms.
    compute_ms: f64,
}

impl PartialEq for Outcome {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.report, &other.report)
    }
}

/// The parts of a design a run depends on.
fn semantic(s: &Scenario) -> Scenario {
    let mut s = s.clone();
    s.name.clear();
    for c in &mut s.components {
        c.label.clear();
        c.x = 0.0;
        c.y = 0.0;
    }
    s
}

/// `value ± half-width`, formatted by `f`.
fn pm(e: &Estimate, f: impl Fn(f64) -> String) -> String {
    match e.half_width {
        Some(h) => format!("{} ± {}", f(e.value), f(h)),
        None => f(e.value),
    }
}

/// Runs `f` as a new task as soon as the browser has painted and handled input. A message
/// to a channel does that without the 4 ms minimum that browsers put on nested zero-delay
/// timeouts (measured: the same run took 1.0 s of wall time with timeouts).
fn soon(f: impl FnOnce() + 'static) {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        Timeout::new(0, f).forget();
        return;
    };
    // Freed by wasm-bindgen once called.
    let callback = Closure::once_into_js(f);
    channel
        .port1()
        .set_onmessage(Some(callback.unchecked_ref()));
    if channel.port2().post_message(&JsValue::NULL).is_err() {
        channel.port1().set_onmessage(None);
    }
}

/// Runs slices until the run ends or is superseded (`generation` moved on).
fn run_slices(
    run: Rc<RefCell<Option<Run>>>,
    generation: Rc<RefCell<u64>>,
    mine: u64,
    progress: UseStateHandle<Option<f64>>,
    shown: f64,
    spent: Rc<RefCell<f64>>,
    finish: Callback<(Run, f64)>,
) {
    soon(move || {
        if *generation.borrow() != mine {
            return;
        }
        let start = js_sys::Date::now();
        let mut done = false;
        let mut share = 0.0;
        if let Some(r) = run.borrow_mut().as_mut() {
            while !done && js_sys::Date::now() - start < SLICE_MS {
                done = r.advance(EVENTS_PER_CHECK);
            }
            share = r.progress();
        }
        *spent.borrow_mut() += js_sys::Date::now() - start;
        if done {
            progress.set(None);
            if let Some(r) = run.borrow_mut().take() {
                finish.emit((r, *spent.borrow()));
            }
        } else {
            // Redraw the bar only when it moves by a percent.
            let shown = if share - shown >= 0.01 {
                progress.set(Some(share));
                share
            } else {
                shown
            };
            run_slices(run, generation, mine, progress, shown, spent, finish);
        }
    });
}

/// Shaded stretches for the charts: the profile's change and every outage.
fn marks(sim: &Simulation) -> Vec<(f64, f64, &'static str)> {
    let end = sim.seconds;
    let mut out = match sim.profile {
        Profile::Constant | Profile::Diurnal { .. } => vec![],
        Profile::Step { at_s, .. } => vec![(at_s, end, "surge")],
        Profile::Spike { at_s, for_s, .. } => vec![(at_s, at_s + for_s, "surge")],
        Profile::Ramp { from_s, to_s, .. } => vec![(from_s, to_s, "surge")],
    };
    for o in &sim.timeline {
        out.push((o.at_s, o.for_s.map_or(end, |d| o.at_s + d), "outage"));
    }
    out
}

/// The panel.
#[component]
pub fn SimulationPanel(props: &SimulationPanelProps) -> Html {
    let sim = Simulation::of(&props.scenario);
    let outcome = use_state(|| None::<Result<Outcome, String>>);
    let progress = use_state(|| None::<f64>);
    let cursor = use_state(|| 0usize);
    let on_diagram = use_state(|| false);
    let run = use_mut_ref(|| None::<Run>);
    let generation = use_mut_ref(|| 0u64);
    let current = use_memo(props.scenario.clone(), |s| semantic(s));
    let done = match &*outcome {
        Some(Ok(o)) => Some(o.clone()),
        _ => None,
    };
    let stale = done.as_ref().is_some_and(|o| *o.ran != *current);

    // The diagram follows the cursor while asked to, for an up-to-date run.
    {
        let on_moment = props.on_moment.clone();
        let (scenario, report) = (props.scenario.clone(), props.report.clone());
        let show = *on_diagram && !stale;
        use_effect_with((done.clone(), *cursor, show), move |(done, t, show)| {
            let view = match (done, report, show) {
                (Some(o), Some(analytic), true) => {
                    let (s, r) = moment(&scenario, &analytic.0, &o.report, *t);
                    Some(Moment {
                        second: *t,
                        scenario: Shared(Rc::new(s)),
                        report: Shared(Rc::new(r)),
                    })
                }
                _ => None,
            };
            on_moment.emit(view);
        });
    }

    // Stable callbacks, so the results view skips rendering while a new run progresses.
    let on_seek = {
        let cursor = cursor.clone();
        use_callback((), move |t: usize, _| cursor.set(t))
    };
    let on_toggle = {
        let on_diagram = on_diagram.clone();
        use_callback(*on_diagram, move |_: (), show| on_diagram.set(!*show))
    };

    let set = {
        let cb = props.on_action.clone();
        let sim = sim.clone();
        move |change: Box<dyn Fn(&mut Simulation)>| {
            let mut next = sim.clone();
            change(&mut next);
            cb.emit(Action::SetSimulation(Some(next)));
        }
    };
    let notify = {
        let cb = props.on_action.clone();
        move |text: String| cb.emit(Action::Notify(Notice { error: true, text }))
    };
    // A number field; empty means `None` where `optional` allows it.
    let number = |label: &'static str,
                  key: &'static str,
                  unit: &'static str,
                  value: Option<f64>,
                  optional: bool,
                  apply: fn(&mut Simulation, Option<f64>)| {
        let set = set.clone();
        let notify = notify.clone();
        let onchange = Callback::from(move |e: Event| {
            let el: HtmlInputElement = e.target_unchecked_into();
            let text = el.value();
            let text = text.trim();
            if text.is_empty() && optional {
                set(Box::new(move |s| apply(s, None)));
            } else {
                match text.parse::<f64>() {
                    Ok(v) if v.is_finite() => set(Box::new(move |s| apply(s, Some(v)))),
                    _ => notify(format!("{label}: \"{text}\" is not a number")),
                }
            }
        });
        html! {
            <label class="field">
                <span>{ label }</span>
                <input type="number" step="any" data-sim={key}
                       placeholder={optional.then_some("none")}
                       value={value.map(|v| v.to_string()).unwrap_or_default()} {onchange} />
                <span class="unit">{ unit }</span>
            </label>
        }
    };

    let on_profile = {
        let set = set.clone();
        Callback::from(move |e: Event| {
            let el: HtmlSelectElement = e.target_unchecked_into();
            let profile = match el.value().as_str() {
                "step" => Profile::Step {
                    at_s: 20.0,
                    factor: 2.0,
                },
                "spike" => Profile::Spike {
                    at_s: 20.0,
                    for_s: 10.0,
                    factor: 3.0,
                },
                "ramp" => Profile::Ramp {
                    from_s: 10.0,
                    to_s: 50.0,
                    factor: 3.0,
                },
                "diurnal" => Profile::Diurnal {
                    period_s: 60.0,
                    amplitude: 0.5,
                },
                _ => Profile::Constant,
            };
            set(Box::new(move |s| s.profile = profile));
        })
    };
    let profile_key = match sim.profile {
        Profile::Constant => "constant",
        Profile::Step { .. } => "step",
        Profile::Spike { .. } => "spike",
        Profile::Ramp { .. } => "ramp",
        Profile::Diurnal { .. } => "diurnal",
    };
    // Writes one number of the profile, whatever its kind.
    fn profile_field(p: &mut Profile, key: &str, v: f64) {
        match (p, key) {
            (Profile::Step { at_s, .. } | Profile::Spike { at_s, .. }, "at_s") => *at_s = v,
            (Profile::Spike { for_s, .. }, "for_s") => *for_s = v,
            (
                Profile::Step { factor, .. }
                | Profile::Spike { factor, .. }
                | Profile::Ramp { factor, .. },
                "factor",
            ) => *factor = v,
            (Profile::Ramp { from_s, .. }, "from_s") => *from_s = v,
            (Profile::Ramp { to_s, .. }, "to_s") => *to_s = v,
            (Profile::Diurnal { period_s, .. }, "period_s") => *period_s = v,
            (Profile::Diurnal { amplitude, .. }, "amplitude") => *amplitude = v,
            _ => {}
        }
    }
    let profile_fields: Vec<(&'static str, &'static str, &'static str, f64)> = match sim.profile {
        Profile::Constant => vec![],
        Profile::Step { at_s, factor } => {
            vec![("At", "at_s", "s", at_s), ("Factor", "factor", "×", factor)]
        }
        Profile::Spike {
            at_s,
            for_s,
            factor,
        } => vec![
            ("At", "at_s", "s", at_s),
            ("For", "for_s", "s", for_s),
            ("Factor", "factor", "×", factor),
        ],
        Profile::Ramp {
            from_s,
            to_s,
            factor,
        } => vec![
            ("From", "from_s", "s", from_s),
            ("To", "to_s", "s", to_s),
            ("Factor", "factor", "×", factor),
        ],
        Profile::Diurnal {
            period_s,
            amplitude,
        } => vec![
            ("Period", "period_s", "s", period_s),
            ("Amplitude", "amplitude", "", amplitude),
        ],
    };
    let profile_inputs = profile_fields.into_iter().map(|(label, key, unit, value)| {
        let set = set.clone();
        let notify = notify.clone();
        let onchange = Callback::from(move |e: Event| {
            let el: HtmlInputElement = e.target_unchecked_into();
            match el.value().trim().parse::<f64>() {
                Ok(v) if v.is_finite() => set(Box::new(move |s| profile_field(&mut s.profile, key, v))),
                _ => notify(format!("{label}: \"{}\" is not a number", el.value())),
            }
        });
        html! {
            <label class="field">
                <span>{ label }</span>
                <input type="number" step="any" data-profile={key} value={value.to_string()} {onchange} />
                <span class="unit">{ unit }</span>
            </label>
        }
    });

    // The failure timeline: one row per outage.
    let ids: Vec<String> = props
        .scenario
        .components
        .iter()
        .filter(|c| c.kind.accepts_input())
        .map(|c| c.id.clone())
        .collect();
    let outage_rows = sim.timeline.iter().enumerate().map(|(i, o)| {
        let edit = |apply: fn(&mut Outage, &str) -> Result<(), String>| {
            let set = set.clone();
            let notify = notify.clone();
            Callback::from(move |e: Event| {
                let value = match e.target_dyn_into::<HtmlSelectElement>() {
                    Some(el) => el.value(),
                    None => e.target_unchecked_into::<HtmlInputElement>().value(),
                };
                let mut probe = Outage { component: String::new(), at_s: 0.0, for_s: None, lost: None };
                match apply(&mut probe, value.trim()) {
                    Ok(()) => set(Box::new(move |s| {
                        if let Some(o) = s.timeline.get_mut(i) {
                            let _ = apply(o, value.trim());
                        }
                    })),
                    Err(m) => notify(m),
                }
            })
        };
        let remove = {
            let set = set.clone();
            Callback::from(move |_: MouseEvent| set(Box::new(move |s| {
                if i < s.timeline.len() {
                    s.timeline.remove(i);
                }
            })))
        };
        fn seconds(v: &str) -> Result<f64, String> {
            v.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("\"{v}\" is not a number of seconds"))
        }
        html! {
            <tr class="outage" data-index={i.to_string()}>
                <td>
                    <select data-outage="component" onchange={edit(|o, v| { o.component = v.to_owned(); Ok(()) })}>
                        { for ids.iter().map(|id| html! { <option value={id.clone()} selected={*id == o.component}>{ id.clone() }</option> }) }
                    </select>
                </td>
                <td><input type="number" step="any" data-outage="at_s" value={o.at_s.to_string()}
                           onchange={edit(|o, v| { o.at_s = seconds(v)?; Ok(()) })} /></td>
                <td><input type="number" step="any" data-outage="for_s" placeholder="end"
                           value={o.for_s.map(|d| d.to_string()).unwrap_or_default()}
                           onchange={edit(|o, v| { o.for_s = if v.is_empty() { None } else { Some(seconds(v)?) }; Ok(()) })} /></td>
                <td><input type="number" step="1" data-outage="lost" placeholder="all"
                           value={o.lost.map(|n| n.to_string()).unwrap_or_default()}
                           onchange={edit(|o, v| {
                               o.lost = if v.is_empty() { None } else {
                                   Some(v.parse::<u64>().map_err(|_| format!("\"{v}\" is not a whole number of instances"))?)
                               };
                               Ok(())
                           })} /></td>
                <td><button class="icon" title="Remove this failure" onclick={remove}>{"×"}</button></td>
            </tr>
        }
    });
    let add_outage = {
        let set = set.clone();
        let first = props
            .focus
            .clone()
            .filter(|f| ids.contains(f))
            .or_else(|| ids.first().cloned());
        let at = (sim.seconds / 3.0).round();
        Callback::from(move |_: MouseEvent| {
            let Some(component) = first.clone() else {
                return;
            };
            set(Box::new(move |s| {
                s.timeline.push(Outage {
                    component: component.clone(),
                    at_s: at,
                    for_s: Some(at),
                    lost: None,
                })
            }))
        })
    };

    let on_run = {
        let (outcome, progress, run, generation) = (
            outcome.clone(),
            progress.clone(),
            run.clone(),
            generation.clone(),
        );
        let scenario = props.scenario.clone();
        let report = props.report.clone();
        let cursor = cursor.clone();
        Callback::from(move |_: MouseEvent| {
            *generation.borrow_mut() += 1;
            if progress.is_some() {
                // Stop.
                run.borrow_mut().take();
                progress.set(None);
                return;
            }
            match Run::new(&scenario) {
                Err(p) => outcome.set(Some(Err(p.to_string()))),
                Ok(r) => {
                    *run.borrow_mut() = Some(r);
                    progress.set(Some(0.0));
                    let finish = {
                        let (outcome, scenario, report, cursor) = (
                            outcome.clone(),
                            scenario.clone(),
                            report.clone(),
                            cursor.clone(),
                        );
                        Callback::from(move |(r, compute_ms): (Run, f64)| {
                            let sim = r.report();
                            let comparison = report
                                .as_ref()
                                .map(|a| compare(&scenario, &a.0, &sim))
                                .unwrap_or_default();
                            cursor.set(cursor.min(sim.seconds.saturating_sub(1)));
                            outcome.set(Some(Ok(Outcome {
                                ran: Rc::new(semantic(&scenario)),
                                report: Rc::new(sim),
                                comparison: Rc::new(comparison),
                                reasons: Rc::new(approximations(&scenario)),
                                compute_ms,
                            })));
                        })
                    };
                    let mine = *generation.borrow();
                    let spent = Rc::new(RefCell::new(0.0));
                    run_slices(
                        run.clone(),
                        generation.clone(),
                        mine,
                        progress.clone(),
                        0.0,
                        spent,
                        finish,
                    );
                }
            }
        })
    };

    let results = match &*outcome {
        None => {
            html! { <p class="muted">{"Run the design request by request to see it unfold over time."}</p> }
        }
        Some(Err(e)) => html! {
            <div class="bad" data-testid="sim-error">
                <p>{"This run cannot start:"}</p>
                <ul class="problems">{ for e.lines().map(|l| html! { <li>{ l.to_owned() }</li> }) }</ul>
            </div>
        },
        Some(Ok(o)) => html! {
            <SimResults outcome={o.clone()} sim={sim.clone()} {stale} focus={props.focus.clone()}
                        cursor={*cursor} on_seek={on_seek} on_diagram={*on_diagram} {on_toggle} />
        },
    };

    html! {
        <section class="simulation" data-testid="simulation">
            <h2>{"Simulation over time"}</h2>
            <div class="sim-settings">
                { number("Seconds", "seconds", "s", Some(sim.seconds), false, |s, v| s.seconds = v.unwrap_or(s.seconds)) }
                { number("Warm-up", "warmup_s", "s", Some(sim.warmup_s), false, |s, v| s.warmup_s = v.unwrap_or(s.warmup_s)) }
                { number("Seed", "seed", "", Some(sim.seed as f64), false, |s, v| s.seed = v.map_or(s.seed, |v| v.max(0.0) as u64)) }
                <label class="field">
                    <span>{"Traffic"}</span>
                    <select data-sim="profile" onchange={on_profile}>
                        { for [("constant", "constant"), ("step", "step up"), ("spike", "spike"), ("ramp", "ramp"), ("diurnal", "daily cycle")]
                            .into_iter().map(|(k, label)| html! { <option value={k} selected={k == profile_key}>{ label }</option> }) }
                    </select>
                </label>
                { for profile_inputs }
                { number("Timeout", "timeout_ms", "ms", sim.timeout_ms, true, |s, v| s.timeout_ms = v) }
                { number("Retries", "retries", "", Some(f64::from(sim.retries)), false, |s, v| s.retries = v.map_or(s.retries, |v| v.clamp(0.0, 1e6) as u32)) }
                { number("Backoff", "backoff_ms", "ms", Some(sim.backoff_ms), false, |s, v| s.backoff_ms = v.unwrap_or(s.backoff_ms)) }
                { number("Detection", "detection_s", "s", Some(sim.detection_s), false, |s, v| s.detection_s = v.unwrap_or(s.detection_s)) }
            </div>
            <h3>{"Failure timeline"}</h3>
            if !sim.timeline.is_empty() {
                <table class="timeline" data-testid="timeline">
                    <thead><tr><th>{"Component"}</th><th>{"At s"}</th><th>{"For s"}</th><th>{"Instances"}</th><th></th></tr></thead>
                    <tbody>{ for outage_rows }</tbody>
                </table>
            }
            <button class="secondary" data-testid="add-outage" onclick={add_outage}>{"Add a failure"}</button>
            <div class="run-row">
                <button class="primary" data-testid="run" onclick={on_run}>
                    { if progress.is_some() { "Stop" } else { "Run" } }
                </button>
                if let Some(p) = *progress {
                    <progress data-testid="sim-progress" max="1" value={p.to_string()} />
                    <span class="muted">{ format!("{:.0} %", p * 100.0) }</span>
                }
            </div>
            { results }
        </section>
    }
}

/// Results view properties.
#[derive(Properties, PartialEq)]
struct ResultsProps {
    outcome: Outcome,
    /// The settings now (for the shaded stretches and whether agreement is judged).
    sim: Simulation,
    /// Whether the design changed since the run.
    stale: bool,
    focus: Option<String>,
    cursor: usize,
    on_seek: Callback<usize>,
    on_diagram: bool,
    on_toggle: Callback<()>,
}

/// The results of a finished run.
#[component]
fn SimResults(props: &ResultsProps) -> Html {
    let (o, sim, stale) = (&props.outcome, &props.sim, props.stale);
    let r = &o.report;
    let t = props.cursor.min(r.seconds.saturating_sub(1));
    let seek = props.on_seek.clone();
    let per_second = |f: fn(&crate::sim::Second) -> Option<f64>| -> Vec<Option<f64>> {
        r.series.iter().map(f).collect()
    };
    let marks = marks(sim);
    let focus = props
        .focus
        .clone()
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
                <TimeChart title={format!("{id}: busy ")} testid="chart-utilization"
                    lines={vec![Line { label: "utilisation", class: "util", values: some(&c.series.utilization) }]}
                    unit={Unit::Share} marks={marks.clone()} cursor={t} on_seek={seek.clone()} />
                <TimeChart title={format!("{id}: waiting and dropped ")} testid="chart-queue"
                    lines={vec![
                        Line { label: "waiting", class: "queue", values: some(&c.series.queue) },
                        Line { label: "dropped/s", class: "dropped", values: some(&c.series.drops) },
                    ]}
                    unit={Unit::Rate} marks={marks.clone()} cursor={t} on_seek={seek.clone()} />
            </>
        })
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
            <p class="muted">
                { format!("{} s simulated in {}, seed {}, {} events; figures from {} s on, 95 % intervals from {} batches.",
                          r.seconds, millis(Some(o.compute_ms)), r.seed, rate(r.events as f64), r.measured_from_s, r.batches) }
            </p>
            <dl class="headline sim-headline" data-testid="sim-headline">
                <dt>{"Answered"}</dt><dd>{ pm(&r.throughput_rps, |v| format!("{}/s", rate(v))) }</dd>
                <dt>{"Errors"}</dt><dd>{ pm(&r.error_rate, percent) }</dd>
                <dt>{"p50"}</dt><dd>{ ms(&l.p50) }</dd>
                <dt>{"p95"}</dt><dd>{ ms(&l.p95) }</dd>
                <dt>{"p99"}</dt><dd data-testid="sim-p99">{ ms(&l.p99) }</dd>
                <dt>{"Retries"}</dt><dd>{ format!("{} attempts for {} requests", r.attempts, r.requests) }</dd>
            </dl>
            <TimeChart title="Requests per second " testid="chart-traffic"
                lines={vec![
                    Line { label: "answered", class: "answered", values: per_second(|s| Some(s.completed)) },
                    Line { label: "errors", class: "errors", values: per_second(|s| Some(s.errors)) },
                    Line { label: "offered", class: "offered", values: per_second(|s| Some(s.offered)) },
                ]}
                unit={Unit::Rate} marks={marks.clone()} cursor={t} on_seek={seek.clone()} />
            <TimeChart title="Response time " testid="chart-latency"
                lines={vec![
                    Line { label: "p50", class: "p50", values: per_second(|s| s.p50_ms) },
                    Line { label: "p95", class: "p95", values: per_second(|s| s.p95_ms) },
                    Line { label: "p99", class: "p99", values: per_second(|s| s.p99_ms) },
                ]}
                unit={Unit::Millis} marks={marks.clone()} cursor={t} on_seek={seek.clone()} />
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
                    { format!("At {t} s: {}/s offered, {}/s answered, {}/s errors, p99 {}",
                              rate(s.offered), rate(s.completed), rate(s.errors), millis(s.p99_ms)) }
                </p>
            }
            <h3>{"Analytic vs simulated"}</h3>
            if !steady {
                <p class="muted">{"Traffic changes, failures or timeouts make this run a transient: the analytic steady state is shown for reference, without agreement flags."}</p>
            }
            <table class="components comparison" data-testid="comparison">
                <thead><tr><th>{"Figure"}</th><th>{"Analytic"}</th><th>{"Simulated (95 %)"}</th><th></th></tr></thead>
                <tbody>
                    { for o.comparison.iter().map(|c| {
                        let name = match &c.component { Some(id) => format!("{id} {}", c.metric), None => c.metric.clone() };
                        let (flag, class) = match c.agrees {
                            Some(true) => ("agree", "good"),
                            Some(false) => ("differ", "bad"),
                            None => ("", ""),
                        };
                        let fmt = |v: f64| if c.metric == "utilisation" { percent(v) } else { format!("{v:.1}") };
                        html! {
                            <tr data-metric={name.clone()} data-agrees={c.agrees.map(|a| a.to_string()).unwrap_or_default()}>
                                <td>{ name }</td>
                                <td>{ c.analytic.map_or("unbounded".to_owned(), fmt) }</td>
                                <td>{ pm(&c.simulated, fmt) }</td>
                                <td class={class}>{ flag }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if o.comparison.iter().any(|c| c.agrees == Some(false)) {
                <div class="note" data-testid="why-differ">
                    <p>{"Where the analytic model approximates this design:"}</p>
                    <ul>{ for o.reasons.iter().map(|r| html! { <li>{ r.clone() }</li> }) }</ul>
                </div>
            }
        </div>
    }
}
