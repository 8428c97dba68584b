//! Simulate both: the baseline and the current design run on common random numbers (the
//! same arrivals, the same draws for every component they share), so each difference comes
//! with an interval narrow enough to tell an improvement from the noise — the run
//! `archsim compare --simulate` prints.

use super::format::{millis, rate};
use super::hooks::{use_sliced, Progress};
use super::run_button::RunButton;
use crate::model::{Scenario, Simulation};
use crate::sim::{Difference, Estimate, PairedRun, PairedRuns, Replicated};
use std::rc::Rc;
use yew::prelude::*;

/// Properties.
#[derive(Properties, PartialEq)]
pub struct PairedSimulationProps {
    /// The pinned design.
    pub baseline: Rc<Scenario>,
    /// The design as edited; its simulation settings are used for both runs.
    pub scenario: Rc<Scenario>,
}

/// A finished paired run and the designs it ran (without labels and positions).
#[derive(Clone)]
struct Done {
    designs: Rc<(Scenario, Scenario)>,
    runs: Rc<PairedRuns>,
}

/// One figure's row: its name, how to write it, whether lower is better, the two runs'
/// estimates and the difference.
struct Row<'a> {
    key: &'static str,
    name: &'static str,
    write: fn(f64) -> String,
    lower_is_better: bool,
    values: (Option<Estimate>, Option<Estimate>),
    difference: Option<&'a Difference>,
}

fn row(r: &Row<'_>) -> Html {
    let value = |e: Option<Estimate>| e.map_or("—".to_owned(), |e| (r.write)(e.value));
    let then_now = format!("{} → {}", value(r.values.0), value(r.values.1));
    let Some(d) = r.difference else {
        return html! {
            <tr data-figure={r.key}>
                <th>{ r.name }</th><td>{ then_now }</td><td data-col="change">{"no answers"}</td>
            </tr>
        };
    };
    let improved = (d.value < 0.0) == r.lower_is_better;
    let (class, verdict) = match (d.significant(), improved) {
        (false, _) => ("same", "within the noise: the interval contains zero"),
        (true, true) => (
            "better",
            "better, beyond the noise: the interval excludes zero",
        ),
        (true, false) => (
            "worse",
            "worse, beyond the noise: the interval excludes zero",
        ),
    };
    let sign = if d.value < 0.0 { "−" } else { "+" };
    let change = match d.half_width {
        Some(h) => format!("{sign}{} ± {}", (r.write)(d.value.abs()), (r.write)(h)),
        None => format!("{sign}{}", (r.write)(d.value.abs())),
    };
    html! {
        <tr data-figure={r.key} class={class} data-significant={d.significant().to_string()}
            data-difference={d.value.to_string()} title={verdict}
            data-half-width={d.half_width.map(|h| h.to_string()).unwrap_or_default()}>
            <th>{ r.name }</th>
            <td>{ then_now }</td>
            <td data-col="change">{ change }</td>
        </tr>
    }
}

/// The mean's interval beside the one two independent runs of the same length would give.
fn narrower(p: &PairedRuns) -> Option<String> {
    let d = p.mean_ms.as_ref()?;
    let (h, i) = (d.half_width?, d.independent_half_width?);
    let ms = |x: f64| millis(Some(x));
    let wider = if h > 0.0 {
        format!(" ({:.1}× wider)", i / h)
    } else {
        String::new()
    };
    Some(format!(
        "For the mean, pairing gives ± {}; two independent runs of this length would give ± {}{wider}.",
        ms(h),
        ms(i)
    ))
}

/// The "Simulate both" button, its progress, and the differences it measured.
#[component]
pub fn PairedSimulation(props: &PairedSimulationProps) -> Html {
    let done = use_state(|| None::<Result<Done, String>>);
    let slicer = use_sliced::<Replicated<PairedRun>>(Progress::Shown);
    let designs = use_memo(
        (props.baseline.clone(), props.scenario.clone()),
        |(b, s)| (b.semantic(), s.semantic()),
    );
    let on_run = {
        let (done, slicer, designs) = (done.clone(), slicer.clone(), designs.clone());
        let (baseline, scenario) = (props.baseline.clone(), props.scenario.clone());
        Callback::from(move |_: MouseEvent| {
            if slicer.progress().is_some() {
                slicer.stop();
                return;
            }
            let (done, designs) = (done.clone(), designs.clone());
            let designs_now = ((*baseline).clone(), (*scenario).clone());
            slicer.start(designs_now, 0, move |runs, _| {
                done.set(Some(runs.map(|runs| Done {
                    designs: Rc::new((*designs).clone()),
                    runs: Rc::new(runs),
                })));
            });
        })
    };
    let sim = Simulation::of(&props.scenario);
    let progress = slicer.progress();
    let results = match &*done {
        None => html! {},
        Some(Err(e)) => html! { <p class="bad" data-testid="paired-error">{ e.clone() }</p> },
        Some(Ok(d)) => {
            let p = &d.runs;
            let stale = *d.designs != *designs;
            let (a, b) = (&p.baseline, &p.current);
            let rows = [
                Row {
                    key: "mean_ms",
                    name: "Mean latency",
                    write: |x| millis(Some(x)),
                    lower_is_better: true,
                    values: (a.latency_ms.mean, b.latency_ms.mean),
                    difference: p.mean_ms.as_ref(),
                },
                Row {
                    key: "p99_ms",
                    name: "p99 latency",
                    write: |x| millis(Some(x)),
                    lower_is_better: true,
                    values: (a.latency_ms.p99, b.latency_ms.p99),
                    difference: p.p99_ms.as_ref(),
                },
                Row {
                    key: "throughput_rps",
                    name: "Throughput",
                    write: |x| format!("{}/s", rate(x)),
                    lower_is_better: false,
                    values: (Some(a.throughput_rps), Some(b.throughput_rps)),
                    difference: Some(&p.throughput_rps),
                },
            ];
            html! {
                <div class="paired" data-testid="paired"
                     data-stale={stale.to_string()}>
                    <p class="note">{ format!(
                        "Both run on the same random numbers, {} s each: {}. ± is the difference's 95 % interval; bold: beyond the noise.",
                        b.seconds, b.measured()) }</p>
                    if stale {
                        <p class="notice-inline" data-testid="paired-stale">{"The designs changed since this run: simulate both again."}</p>
                    }
                    <table class="versus">
                        <thead><tr><th>{"Simulated"}</th><th>{"Baseline → now"}</th><th>{"Change"}</th></tr></thead>
                        <tbody>{ for rows.iter().map(row) }</tbody>
                    </table>
                    if let Some(n) = narrower(p) {
                        <p class="note" data-testid="paired-narrower">{ n }</p>
                    }
                </div>
            }
        }
    };
    html! {
        <div class="paired-run">
            <RunButton label="Simulate both" id="simulate-both" progress_id="paired-progress"
                       {progress} onclick={on_run} class="secondary"
                       title={format!("Run both designs request by request for {} s each on the same random numbers (this design's simulation settings)", sim.seconds)} />
            { results }
        </div>
    }
}
