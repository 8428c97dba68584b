//! The results panel: headline numbers and a per-component table sortable by utilisation.

use super::activate::activate;
use super::chart::{self, ChartProps};
use super::closed_chart::ClosedChart;
use super::deferred::Panel;
use super::explanation::{ExplanationCardProps, Open};
use super::format::{figure_label, figure_metric, figure_value, millis, percent, rate};
use super::hooks::{LoadCurve, Panels};
use super::populations::Populations;
use super::Shared;
use crate::model::{Problems, Scenario};
use crate::solve::{noticeable, rarely, Figure, Report};
use std::rc::Rc;
use yew::prelude::*;

/// Results properties.
#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    /// The design the report is of (explanations re-read its solve).
    pub scenario: Rc<Scenario>,
    /// The solve, when the design is valid.
    pub report: Option<Shared<Report>>,
    /// Why there is no solve.
    pub problems: Option<Problems>,
    /// The load curves (the baseline's beside the design's when one is pinned), or why
    /// they could not be computed, and whether they are of the design as it is now.
    pub sweep: LoadCurve,
    /// What the design lacks before it has numbers, if anything.
    pub missing: Option<&'static str>,
    /// Open "How the numbers are computed".
    pub on_explain: Callback<()>,
    /// Draws the explanation cards, which come with the deferred panels.
    pub panels: Panels,
    /// The one explanation open on the page: this panel's card shows a figure's or a
    /// table row's, the inspector's one of a component's numbers, never both at once.
    pub explained: UseStateHandle<Option<Open>>,
}

/// Table order.
#[derive(Clone, Copy, PartialEq)]
enum Sort {
    Utilization,
    Arrival,
    Name,
}

/// Hover text of a headline figure.
fn hint(figure: Figure) -> &'static str {
    match figure {
        Figure::Availability => {
            "Share of requests served, averaged over random instance failures. Click for where \
             it comes from."
        }
        Figure::Downtime => {
            "Minutes of full outage per 30-day month that would fail as many requests. Click \
             for where it comes from."
        }
        _ => "Click for where this number comes from.",
    }
}

/// The results panel.
#[component]
pub fn Results(props: &ResultsProps) -> Html {
    let sort = use_state(|| Sort::Utilization);
    let open = props.explained.clone();
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
    // People know components by the names on the diagram; ids stay in `data-id`.
    let names: std::collections::HashMap<&str, &str> = props
        .scenario
        .components
        .iter()
        .map(|c| (c.id.as_str(), c.display_name()))
        .collect();
    let name = |id: &str| -> String { names.get(id).copied().unwrap_or(id).to_owned() };
    let mut rows: Vec<_> = r.components.iter().collect();
    match *sort {
        Sort::Utilization => crate::sort::by(&mut rows, |a, b| b.1.load.total_cmp(&a.1.load)),
        Sort::Arrival => crate::sort::by(&mut rows, |a, b| {
            b.1.requests_rps().total_cmp(&a.1.requests_rps())
        }),
        Sort::Name => crate::sort::by_key(&mut rows, |row| {
            names.get(row.0.as_str()).copied().unwrap_or(row.0.as_str())
        }),
    }
    let header = |label: &'static str, key: Sort| {
        let sort = sort.clone();
        let active = *sort == key;
        let (onclick, onkeydown) = activate(Callback::from(move |()| sort.set(key)));
        html! {
            <th class={active.then_some("sorted")} tabindex="0" {onclick} {onkeydown}
                aria-sort={if active { "descending" } else { "none" }}>{ label }</th>
        }
    };
    html! {
        <section class="results" data-testid="results">
            <h2>{"Results"}</h2>
            <dl class="headline">
                { for Figure::ALL.into_iter().map(|f| {
                    let (onclick, onkeydown) = {
                        let open = open.clone();
                        activate(Callback::from(move |()| open.set(Some(Open::Figure(f)))))
                    };
                    let bad = f == Figure::Dropped && noticeable(r.dropped_rps);
                    // No request is served: no time to show (not "unbounded": nobody waits).
                    let absent = f.absent(r);
                    let title = if absent && f.is_latency() {
                        "No request is served, so there is no time to show."
                    } else {
                        hint(f)
                    };
                    let chosen = *open == Some(Open::Figure(f));
                    html! {
                        <div class={classes!("explainable", chosen.then_some("chosen"))} role="button" tabindex="0"
                             {title} data-figure={format!("{f:?}")} {onclick} {onkeydown}>
                            <dt>{ figure_label(f) }</dt>
                            <dd data-metric={figure_metric(f)} class={bad.then_some("bad")}>{ if absent { "—".to_owned() } else { figure_value(f, f.of(r)) } }</dd>
                            // Background messages lost are not requests dropped, but they are lost.
                            if let Some(rare) = (f == Figure::Dropped).then(|| rarely(r.dropped_rps)).flatten() {
                                <dd class="sub" data-testid="dropped-rarely">{ rare }</dd>
                            }
                            if let Some(x) = (f == Figure::Dropped).then(|| r.background_dropped_rps()).filter(|&x| x > 0.0) {
                                <dd class="sub bad" data-testid="background-dropped">{ format!("+{}/s messages never processed", rate(x)) }</dd>
                            }
                            // Downtime counts requests lost: a design that drops all month
                            // long has as much, though it is never down.
                            if f == Figure::Downtime && noticeable(r.dropped_rps) && r.throughput_rps > 0.0 {
                                <dd class="sub" data-testid="downtime-drops">{"counts the requests dropped as full outage; the rest are served all month"}</dd>
                            }
                        </div>
                    }
                }) }
            </dl>
            if let Some(what) = (*open).clone().filter(|o| !matches!(o, Open::Quantity(..))) {
                { props.panels.draw(Panel::Explanation(ExplanationCardProps {
                    open: what, scenario: props.scenario.clone(), report: r.clone(),
                    on_close: { let open = open.clone(); Callback::from(move |()| open.set(None)) },
                })) }
            }
            // The headline in one sentence, said by a screen reader after each edit (the
            // figures above change without a word).
            <p class="sr-only" role="status" aria-live="polite" data-testid="spoken-results">
                { spoken(r, &props.scenario) }
            </p>
            if let Some(reason) = r.bottleneck_reason(&props.scenario) {
                <p class="muted" data-testid="bottleneck">
                    { reason }
                    { if l.exact { " Latency is exact for this design." } else { "" } }
                </p>
            }
            if r.strands_requests() {
                <p class="muted" data-testid="no-route">
                    { format!("No headroom: {}/s have no working route and are dropped at any traffic.", rate(r.stranded_rps())) }
                </p>
            }
            if let Some(closed) = &r.closed {
                <ClosedChart closed={closed.clone()} />
            } else if r.offered_rps <= 0.0 {
                // The curve scales today's traffic: from none there is nothing to draw.
                <p class="muted" data-testid="no-load-curve">
                    {"No traffic is offered, so there is no load curve: set the traffic to see latency and drops as it grows."}
                </p>
            } else {
                { props.panels.draw_or(Panel::LoadChart(ChartProps {
                    curves: props.sweep.curves.clone(), current: props.sweep.current, current_rps: r.offered_rps,
                }), chart::computing()) }
            }
            <Populations places={r.latency_by_location.clone()} />
            <table class="components per-component" data-testid="component-table">
                <thead><tr>
                    { header("Component", Sort::Name) }
                    { header("Req/s", Sort::Arrival) }
                    { header("Util.", Sort::Utilization) }
                    <th>{"Time"}</th>
                    <th>{"Drop/s"}</th>
                </tr></thead>
                <tbody>
                    { for rows.iter().map(|(id, c)| {
                        let (onclick, onkeydown) = {
                            let (open, id) = (open.clone(), (*id).clone());
                            activate(Callback::from(move |()| open.set(Some(Open::Component(id.clone())))))
                        };
                        html! {
                        <tr data-id={(*id).clone()} class={classes!("explainable", c.saturated.then_some("bad"))}
                            tabindex="0" title="Click for where these numbers come from" {onclick} {onkeydown}>
                            <td title={name(id)}>{ name(id) }</td>
                            <td data-col="arrival" title={c.work_note()}>{ rate(c.requests_rps()) }</td>
                            { match (c.busiest_shard(), c.capacity_rps) {
                                (Some(load), _) => html! {
                                    <td data-col="utilization" title={format!("The busiest shard, offered load over its capacity; the shards together are {} busy", percent(c.utilization))}>{ format!("{}*", percent(load)) }</td>
                                },
                                (None, Some(_)) => html! { <td data-col="utilization">{ percent(c.utilization) }</td> },
                                (None, None) => html! { <td data-col="utilization">{"—"}</td> },
                            } }
                            // "unbounded" is wider than the column: the sign, the word on hover.
                            { match c.mean_response_ms {
                                Some(t) => html! { <td>{ millis(Some(t)) }</td> },
                                None => html! { <td title="Unbounded: more arrives than it can serve, and its queue grows without end">{"∞"}</td> },
                            } }
                            <td>{ rate(c.dropped_rps) }</td>
                        </tr>
                    }}) }
                </tbody>
            </table>
            { for r.notes.iter().map(|n| html! { <p class="note">{ n.clone() }</p> }) }
            <button class="link-button" data-testid="explain" onclick={props.on_explain.reform(|_| ())}>
                {"How the numbers are computed"}
            </button>
        </section>
    }
}

/// The headline figures a screen reader says after an edit: throughput, drops, p99 and the
/// bottleneck, in the figures' own words.
fn spoken(r: &Report, s: &crate::model::Scenario) -> String {
    let said = |f: Figure| {
        if f.absent(r) {
            "none".to_owned()
        } else {
            figure_value(f, f.of(r))
        }
    };
    let mut text = format!(
        "Throughput {}, dropped {}, p99 {}.",
        said(Figure::Throughput),
        said(Figure::Dropped),
        said(Figure::P99)
    );
    if let Some(b) = r.bottleneck.as_ref().and_then(|b| s.component(b)) {
        text += &format!(" Bottleneck: {}.", b.display_name());
    }
    text
}
