//! The baseline: a design pinned to compare the current one with. Each headline figure in
//! both, what changed and whether it got better, the components that moved, and the edits
//! in between — all from [`versus`], the same comparison `archsim compare` prints.

use super::baseline_sim::PairedSimulation;
use super::format::{
    as_shown, decimals, figure_label as label, figure_value as show, millis, percent, rate,
};
use super::Shared;
use crate::model::Scenario;
use crate::solve::{analyze, versus, Figure, Report, Verdict};
use std::rc::Rc;
use yew::prelude::*;

/// Baseline properties.
#[derive(Properties, PartialEq)]
pub struct BaselineProps {
    /// The current design.
    pub scenario: Rc<Scenario>,
    /// Its solve, when it has one.
    pub report: Option<Shared<Report>>,
    /// The design pinned, if any (kept by the app: a compare link carries it).
    pub pinned: Option<Rc<Scenario>>,
    /// Pins a design, or clears the pin.
    pub on_pin: Callback<Option<Rc<Scenario>>>,
    /// Pins the design as it was before the last N changes to its numbers (`None` while the
    /// history holds no earlier design).
    pub on_pin_before: Option<Callback<usize>>,
}

/// "Or the design before the last [N] changes": the history as a baseline.
#[component]
fn BeforeChanges(props: &BeforeChangesProps) -> Html {
    let n = use_state(|| 1usize);
    let oninput = {
        let n = n.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().parse::<usize>() {
                n.set(v.clamp(1, crate::editor::HISTORY));
            }
        })
    };
    let pin = {
        let (n, on_pin) = (n.clone(), props.on_pin.clone());
        Callback::from(move |_: MouseEvent| on_pin.emit(*n))
    };
    html! {
        <div class="row before-changes"
             title="The design as it was before your last edits that changed its numbers (moves and renames do not count)">
            <span>{"Or the design before the last"}</span>
            <input type="number" class="small-number" data-testid="changes-back" min="1"
                   max={crate::editor::HISTORY.to_string()} value={n.to_string()} {oninput}
                   aria-label="How many changes back" />
            <span>{ if *n == 1 { "change" } else { "changes" } }</span>
            <button class="secondary" data-testid="pin-before-changes" onclick={pin}>{"Pin"}</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct BeforeChangesProps {
    on_pin: Callback<usize>,
}

/// The change from `before` to `now` as the two are shown (so that it is their difference
/// to the reader: 58.3 ms → 56.9 ms is −1.4 ms), signed, in the figure's own unit
/// (availability in percentage points, to the decimals of the figures); when either has no
/// finite value, which: none (`absent`) or unbounded.
fn change(figure: Figure, [before, now]: [Option<f64>; 2], absent: [bool; 2]) -> String {
    let (Some(b), Some(n)) = (before.filter(|_| !absent[0]), now.filter(|_| !absent[1])) else {
        return match absent {
            [_, true] => "none now",
            [true, false] => "none before",
            _ if now.is_none() => "now unbounded",
            _ => "no longer unbounded",
        }
        .to_owned();
    };
    let d = as_shown(figure, n) - as_shown(figure, b);
    let sign = if d < 0.0 { "−" } else { "+" };
    match figure {
        Figure::Availability => {
            let places = decimals(&show(figure, Some(b))).max(decimals(&show(figure, Some(n))));
            format!("{sign}{:.places$} points", d.abs() * 100.0)
        }
        _ => format!("{sign}{}", show(figure, Some(d.abs()))),
    }
}

/// Pins the current design, and compares with the pinned one.
#[component]
pub fn Baseline(props: &BaselineProps) -> Html {
    // The baseline solved once per pin (the analytic core is deterministic).
    let before = use_memo(props.pinned.clone(), |p| {
        p.as_ref().map(|s| analyze(s).map(Rc::new))
    });
    let Some(report) = props.report.clone() else {
        return html! {};
    };
    let pin = {
        let (on_pin, scenario) = (props.on_pin.clone(), props.scenario.clone());
        Callback::from(move |_: MouseEvent| on_pin.emit(Some(scenario.clone())))
    };
    let clear = props.on_pin.reform(|_: MouseEvent| None);
    let (Some(base), Some(before)) = (&props.pinned, &*before) else {
        return html! {
            <section class="baseline" data-testid="baseline">
                <button class="secondary" data-testid="pin-baseline" onclick={pin}
                        title="Keep this design's numbers, then edit: every figure is shown against them (Copy link carries both)">
                    {"Pin as baseline"}
                </button>
                if let Some(on_pin) = props.on_pin_before.clone() {
                    <BeforeChanges {on_pin} />
                }
            </section>
        };
    };
    let before = match before {
        Ok(r) => r,
        Err(p) => {
            return html! {
                <section class="baseline" data-testid="baseline">
                    <p class="bad">{ format!("The baseline cannot be solved: {}", p.for_people().join(" ")) }</p>
                    <button class="link-button" data-testid="clear-baseline" onclick={clear}>{"Clear the baseline"}</button>
                </section>
            };
        }
    };
    let v = versus(base, before, &props.scenario, &report.0);
    html! {
        <section class="baseline" data-testid="baseline">
            <h2>{"Against the baseline"}</h2>
            if v.changes.is_empty() {
                <p class="muted" data-testid="baseline-changes">{"No edits since the baseline was pinned."}</p>
            } else {
                <ul class="changes" data-testid="baseline-changes">
                    { for v.changes.iter().map(|c| html! { <li>{ c.clone() }</li> }) }
                </ul>
            }
            <table class="versus" data-testid="versus">
                <thead><tr><th></th><th>{"Baseline"}</th><th>{"Now"}</th><th>{"Change"}</th></tr></thead>
                <tbody>
                    { for v.headline.iter().map(|d| {
                        // A change too small to show at the figures' precision ("19 s → 19 s")
                        // reads as none.
                        let same = d.verdict == Verdict::Same
                            || (d.difference.is_some() && show(d.figure, d.baseline) == show(d.figure, d.current));
                        // An absent figure is "—", as on the results panel.
                        let value = |absent: bool, v: Option<f64>| if absent { "—".to_owned() } else { show(d.figure, v) };
                        let class = match d.verdict {
                            _ if same => "same",
                            Verdict::Better => "better",
                            Verdict::Worse => "worse",
                            Verdict::Same => "same",
                            Verdict::FewerServed => "fewer",
                        };
                        let title = (d.verdict == Verdict::FewerServed).then_some(
                            "Faster only among the requests served, and fewer are served now: not an improvement.",
                        );
                        html! {
                            <tr data-figure={format!("{:?}", d.figure)} class={class} {title}>
                                <th>{ label(d.figure) }</th>
                                <td>{ value(d.absent[0], d.baseline) }</td>
                                <td>{ value(d.absent[1], d.current) }</td>
                                <td data-col="change">{ match (same, d.verdict) {
                                    (true, _) => "—".to_owned(),
                                    (false, Verdict::FewerServed) => format!("{}, fewer served", change(d.figure, [d.baseline, d.current], d.absent)),
                                    _ => change(d.figure, [d.baseline, d.current], d.absent),
                                } }</td>
                            </tr>
                        }
                    }) }
                    if let Some([a, b]) = v.messages {
                        <tr data-figure="Messages" class={messages_class(a, b)} title="Background messages never processed: their requests were answered when they were queued, so they are not among the requests dropped.">
                            <th>{"Messages lost"}</th>
                            <td>{ format!("{}/s", rate(a)) }</td>
                            <td>{ format!("{}/s", rate(b)) }</td>
                            <td data-col="change">{ match (rate(a) == rate(b), b > a) {
                                (true, _) => "—".to_owned(),
                                (false, true) => format!("+{}/s", rate(b - a)),
                                (false, false) => format!("{}/s", rate(b - a)),
                            } }</td>
                        </tr>
                    }
                </tbody>
            </table>
            if !v.components.is_empty() {
                <table class="versus" data-testid="versus-components">
                    <thead><tr><th>{"Component"}</th><th>{"Req/s"}</th><th>{"Util."}</th><th>{"Time"}</th></tr></thead>
                    <tbody>
                        { for v.components.iter().map(|c| {
                            let arrivals = |f: &Option<crate::solve::Figures>| f.map_or("—".to_owned(), |f| rate(f.arrival_rps));
                            let util = |f: &Option<crate::solve::Figures>| f.and_then(|f| f.utilization).map_or("—".to_owned(), percent);
                            let time = |f: &Option<crate::solve::Figures>| f.map_or("—".to_owned(), |f| millis(f.mean_response_ms));
                            html! {
                                <tr data-id={c.id.clone()}>
                                    <td>{ if props.scenario.component(&c.id).is_some() { props.scenario.name_of(&c.id) } else { base.name_of(&c.id) } }</td>
                                    <td>{ pair(arrivals(&c.baseline), arrivals(&c.current)) }</td>
                                    <td>{ pair(util(&c.baseline), util(&c.current)) }</td>
                                    <td>{ pair(time(&c.baseline), time(&c.current)) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
            <PairedSimulation baseline={base.clone()} scenario={props.scenario.clone()} />
            <div class="row">
                <button class="secondary" data-testid="pin-baseline" onclick={pin}>{"Pin this design instead"}</button>
                <button class="link-button" data-testid="clear-baseline" onclick={clear}>{"Clear the baseline"}</button>
            </div>
            if let Some(on_pin) = props.on_pin_before.clone() {
                <BeforeChanges {on_pin} />
            }
        </section>
    }
}

/// "before → after", free to break after the arrow (and only there) in a narrow panel.
fn pair(before: String, after: String) -> Html {
    html! { <><span class="figure">{ before }{" →"}</span>{" "}<span class="figure">{ after }</span></> }
}

/// The row class of the messages lost, `a` in the baseline and `b` now: fewer is better.
fn messages_class(a: f64, b: f64) -> &'static str {
    match (rate(a) == rate(b), b > a) {
        (true, _) => "same",
        (false, true) => "worse",
        (false, false) => "better",
    }
}
