//! The results panel: headline numbers and a per-component table sortable by utilisation.

use super::chart::LoadChart;
use super::format::{availability, dollars, millis, minutes, multiple, percent, rate};
use super::Shared;
use crate::model::Problems;
use crate::solve::{LoadPoint, Report};
use std::rc::Rc;
use yew::prelude::*;

/// Results properties.
#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    /// The solve, when the design is valid.
    pub report: Option<Shared<Report>>,
    /// Why there is no solve.
    pub problems: Option<Problems>,
    /// The load curve.
    pub sweep: Rc<Vec<LoadPoint>>,
    /// What the design lacks before it has numbers, if anything.
    pub missing: Option<&'static str>,
    /// Open "How the numbers are computed".
    pub on_explain: Callback<()>,
}

/// Table order.
#[derive(Clone, Copy, PartialEq)]
enum Sort {
    Utilization,
    Arrival,
    Name,
}

/// The results panel.
#[component]
pub fn Results(props: &ResultsProps) -> Html {
    let sort = use_state(|| Sort::Utilization);
    if let Some(next) = props.missing {
        return html! {
            <section class="results" data-testid="results">
                <h2>{"Results"}</h2>
                <p class="empty-state" data-testid="empty-state">{ next }</p>
            </section>
        };
    }
    let Some(r) = &props.report else {
        let list = props
            .problems
            .as_ref()
            .map(Problems::for_people)
            .unwrap_or_default();
        return html! {
            <section class="results" data-testid="results">
                <h2>{"Results"}</h2>
                <p class="bad">{"The design cannot be solved yet:"}</p>
                <ul class="problems">
                    { for list.iter().map(|p| html! { <li>{ p.clone() }</li> }) }
                </ul>
            </section>
        };
    };
    let l = &r.latency_ms;
    let mut rows: Vec<_> = r.components.iter().collect();
    match *sort {
        Sort::Utilization => rows.sort_by(|a, b| b.1.load.total_cmp(&a.1.load)),
        Sort::Arrival => rows.sort_by(|a, b| b.1.arrival_rps.total_cmp(&a.1.arrival_rps)),
        Sort::Name => {}
    }
    let header = |label: &'static str, key: Sort| {
        let sort = sort.clone();
        let active = *sort == key;
        html! {
            <th class={active.then_some("sorted")} onclick={Callback::from(move |_| sort.set(key))}
                aria-sort={if active { "descending" } else { "none" }}>{ label }</th>
        }
    };
    let headroom = r.headroom.map_or("—".to_owned(), multiple);
    html! {
        <section class="results" data-testid="results">
            <h2>{"Results"}</h2>
            <dl class="headline">
                <div><dt>{"Throughput"}</dt><dd data-metric="throughput">{ format!("{}/s", rate(r.throughput_rps)) }</dd></div>
                <div><dt>{"Dropped"}</dt><dd data-metric="dropped" class={(r.dropped_rps > 0.0).then_some("bad")}>{ format!("{}/s", rate(r.dropped_rps)) }</dd></div>
                <div><dt>{"Mean"}</dt><dd data-metric="mean">{ millis(l.mean) }</dd></div>
                <div><dt>{"p50"}</dt><dd data-metric="p50">{ millis(l.p50) }</dd></div>
                <div><dt>{"p95"}</dt><dd data-metric="p95">{ millis(l.p95) }</dd></div>
                <div><dt>{"p99"}</dt><dd data-metric="p99">{ millis(l.p99) }</dd></div>
                <div title="Share of requests served, averaged over random instance failures (see How the numbers are computed)"><dt>{"Availability"}</dt><dd data-metric="availability">{ availability(r.availability) }</dd></div>
                <div title="Minutes of full outage per 30-day month that would fail as many requests"><dt>{"Downtime / month"}</dt><dd data-metric="downtime">{ minutes(r.downtime_minutes_per_month) }</dd></div>
                <div><dt>{"Cost / month"}</dt><dd data-metric="cost">{ dollars(r.monthly_cost_usd) }</dd></div>
                <div><dt>{"Headroom"}</dt><dd data-metric="headroom">{ headroom.clone() }</dd></div>
            </dl>
            if let Some(b) = &r.bottleneck {
                <p class="muted" data-testid="bottleneck">
                    { format!("Bottleneck: {b}, saturates at {headroom} today's traffic.") }
                    { if l.exact { " Latency is exact for this design." } else { "" } }
                </p>
            }
            <LoadChart points={(*props.sweep).clone()} current_rps={r.offered_rps} />
            <table class="components" data-testid="component-table">
                <thead><tr>
                    { header("Component", Sort::Name) }
                    { header("Req/s", Sort::Arrival) }
                    { header("Util.", Sort::Utilization) }
                    <th>{"Time"}</th>
                    <th>{"Drop/s"}</th>
                </tr></thead>
                <tbody>
                    { for rows.iter().map(|(id, c)| html! {
                        <tr data-id={(*id).clone()} class={c.saturated.then_some("bad")}>
                            <td>{ (*id).clone() }</td>
                            <td data-col="arrival">{ rate(c.arrival_rps) }</td>
                            <td data-col="utilization">{ if c.capacity_rps.is_some() { percent(c.utilization) } else { "—".into() } }</td>
                            <td>{ millis(c.mean_response_ms) }</td>
                            <td>{ rate(c.dropped_rps) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            { for r.notes.iter().map(|n| html! { <p class="note">{ n.clone() }</p> }) }
            <button class="link-button" data-testid="explain" onclick={props.on_explain.reform(|_| ())}>
                {"How the numbers are computed"}
            </button>
        </section>
    }
}
