//! Single points of failure and the N−1 table: what every single failure would cost, worst
//! first. A row shows that failure on the design and a second click restores it; while the
//! person works the table it keeps its order (the analysis of the design before the table
//! failed anything), instead of re-sorting under the cursor.

use super::activate::activate;
use super::format::{availability, millis, percent, rate};
use super::hooks::Sweep;
use crate::editor::{Action, Edit};
use crate::model::{Autoscale, Failure, Kind, Scenario};
use crate::solve::{noticeable, FailureAnalysis, FailureMode, Impact, DETAILED_ROWS};
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

/// Panel properties.
#[derive(Properties, PartialEq)]
pub struct FailurePanelProps {
    /// The design.
    pub scenario: Rc<Scenario>,
    /// The analysis: being computed, computed, or why it could not be.
    pub sweep: Sweep,
    /// Apply a failure.
    pub on_action: Callback<Action>,
}

/// The table while a row's failure is shown: the analysis and design it was worked from.
#[derive(Clone, PartialEq)]
struct Pinned {
    analysis: Rc<FailureAnalysis>,
    base: Rc<Scenario>,
    row: Row,
}

/// One row of the table: which component, which failure, recorded how.
type Row = (String, FailureMode, Failure);

impl Pinned {
    /// The what-if failures with `row`'s failure shown on top of the base design's.
    fn failures(&self, row: Option<&Row>) -> BTreeMap<String, Failure> {
        let mut failed = self.base.failed.clone();
        if let Some((id, _, failure)) = row {
            failed.insert(id.clone(), *failure);
        }
        failed
    }
}

/// Rows shown per group before "show all".
const SHOWN: usize = DETAILED_ROWS;

/// Hover text of a row's background messages never processed.
const MESSAGES: &str = "Background messages never processed with this failure: their requests \
                        were answered when they were queued, so they are not among the \
                        requests dropped.";
/// Why a row that drops every request shows no times.
const NOTHING_SERVED: &str = "No request is served with this failure, so there is no time to show.";
/// Why a row beyond the first few has no p99 or availability yet.
const LATER: &str = "Worked out for the first rows of each group; click the row to apply \
    this failure, and the report shows its p99 and availability";

/// The panel.
#[component]
pub fn FailurePanel(props: &FailurePanelProps) -> Html {
    let all = use_state(|| false);
    let pinned = use_state(|| None::<Pinned>);
    // The pin holds while the design is the base with the pinned row's failure shown.
    let pin = (*pinned).clone().filter(|p| {
        p.failures(Some(&p.row)) == props.scenario.failed && {
            let mut s = (*props.scenario).clone();
            s.failed = p.base.failed.clone();
            s == *p.base
        }
    });
    let analysis = pin
        .as_ref()
        .map(|p| p.analysis.clone())
        .or(props.sweep.ready());
    if let Some(next) = props.scenario.missing() {
        return html! {
            <section class="failures" data-testid="failures" data-state="ready">
                <h2>{"Single points of failure"}</h2>
                <p class="muted">{ "Nothing can fail yet. " }{ next }</p>
            </section>
        };
    }
    if let (None, Sweep::Unsolved) = (&analysis, &props.sweep) {
        return html! {
            <section class="failures" data-testid="failures" data-state="ready" data-unsolved="true">
                <h2>{"Single points of failure"}</h2>
                <p class="muted" data-testid="no-spof">{"None can be weighed yet: the design cannot be solved as it stands (the results above say why), so no failure has numbers to change."}</p>
            </section>
        };
    }
    if let (None, Sweep::Failed(why)) = (&analysis, &props.sweep) {
        return html! {
            <section class="failures" data-testid="failures" data-state="failed"><h2>{"Failures"}</h2>
                <p class="bad" role="alert">{"The failure analysis could not run: "}{ why.to_string() }</p></section>
        };
    }
    let Some(a) = &analysis else {
        return html! {
            <section class="failures" data-testid="failures" data-state="checking"><h2>{"Failures"}</h2>
                <p class="muted">{"Checking every single failure…"}</p></section>
        };
    };
    let row_html = |i: &Impact| {
        let row: Row = (i.id.clone(), i.failure, i.as_failure());
        let active = pin.as_ref().is_some_and(|p| p.row == row);
        let (onclick, onkeydown) = {
            let (cb, pinned, pin) = (props.on_action.clone(), pinned.clone(), pin.clone());
            let (scenario, analysis) = (props.scenario.clone(), analysis.clone());
            let row = row.clone();
            activate(Callback::from(move |()| {
                let p = pin.clone().or_else(|| {
                    analysis.clone().map(|analysis| Pinned {
                        analysis,
                        base: scenario.clone(),
                        row: row.clone(),
                    })
                });
                let Some(p) = p else { return };
                let toggle_off = pin.as_ref().is_some_and(|q| q.row == row);
                let shown = (!toggle_off).then_some(&row);
                cb.emit(Edit::SetFailures(p.failures(shown)).into());
                pinned.set((!toggle_off).then(|| Pinned {
                    row: row.clone(),
                    ..p
                }));
            }))
        };
        let name = props.scenario.name_of(&i.id).to_owned();
        let kind = props
            .scenario
            .component(&i.id)
            .map_or(Kind::Client, |c| c.kind);
        let spof = i.failure == FailureMode::Instance && a.spofs.contains_key(&i.id);
        // Background messages lost are not requests: said apart, beside the requests.
        let messages = (noticeable(i.messages_rps) && i.messages_rps > a.messages_now_rps)
            .then_some(i.messages_rps);
        let worse = i.dropped_rps > a.dropped_now_rps || messages.is_some();
        // A row that serves nothing has no times: not "unbounded", since nobody waits;
        // nor has any row when no traffic is offered.
        let idle = a.offered_rps <= 0.0;
        let nothing = a.serves_nothing(i) || idle;
        let time = |ms: Option<f64>| {
            if nothing {
                "—".to_owned()
            } else {
                millis(ms)
            }
        };
        // Times are of what is still served: said where some of it is dropped, so a row
        // that loses most requests does not read as fast.
        let times_title = if idle {
            Some("No traffic is offered, so there is no time to show.".to_owned())
        } else if nothing {
            Some(NOTHING_SERVED.to_owned())
        } else {
            // Why a row is slow: what the failure leaves busiest.
            let busiest = i.busiest.as_ref().map(|b| {
                format!(
                    "With this failure {} is {} busy",
                    props.scenario.name_of(&b.id),
                    percent(b.utilization)
                )
            });
            let served = (i.dropped_rps > 0.0).then(|| {
                format!(
                    "The time of the {}/s still served; the {}/s dropped are not in it",
                    rate((a.offered_rps - i.dropped_rps).max(0.0)),
                    rate(i.dropped_rps)
                )
            });
            match (served, busiest) {
                (Some(s), Some(b)) => Some(format!("{s}. {b}")),
                (s, b) => s.or(b),
            }
        };
        // Times of the requests still served: with requests lost, faster is no gain, so
        // they are shown muted (their hover text says whose times they are).
        let survivors = noticeable(i.dropped_rps).then_some("survivors");
        let title = if active {
            "Shown on the diagram: click again to restore it"
        } else {
            "Show this failure on the diagram"
        };
        html! {
            <tr class={classes!("clickable", worse.then_some("bad"), active.then_some("active"))}
                data-id={i.id.clone()} data-failure={i.failure.key()} data-spof={spof.to_string()}
                data-active={active.to_string()} tabindex="0" aria-pressed={active.to_string()} {onclick} {onkeydown} {title}>
                <td>
                    { name }
                    if spof { <span class="tag bad" title="Single point of failure">{"SPOF"}</span> }
                    <span class="muted small" title={Impact::not_covered(kind)}>{ format!(" {}", i.what_fails(kind)) }</span>
                </td>
                <td>
                    { rate(i.dropped_rps) }
                    if let Some(x) = messages {
                        <span class="sub bad" data-testid="row-messages" title={MESSAGES}>{ format!(" +{}/s messages", rate(x)) }</span>
                    }
                </td>
                <td class={survivors} title={times_title.clone()}>{ time(i.mean_ms) }</td>
                if let Some(d) = i.detail {
                    <td class={survivors} title={times_title}>{ time(d.p99_ms) }</td>
                    <td>{ availability(d.availability) }</td>
                } else {
                    <td class="muted" colspan="2" title={LATER}>{"click to see"}</td>
                }
            </tr>
        }
    };
    let group = |mode: FailureMode| {
        let rows: Vec<&Impact> = a.n_minus_1.iter().filter(|i| i.failure == mode).collect();
        if rows.is_empty() {
            return html! {};
        }
        let shown = if *all {
            rows.len()
        } else {
            SHOWN.min(rows.len())
        };
        html! {
            <tbody data-group={mode.key()}>
                <tr class="group"><th colspan="5">{ mode.heading() }</th></tr>
                { for rows[..shown].iter().map(|i| row_html(i)) }
            </tbody>
        }
    };
    let longest = [FailureMode::Instance, FailureMode::Component]
        .map(|m| a.n_minus_1.iter().filter(|i| i.failure == m).count())
        .into_iter()
        .max()
        .unwrap_or(0);
    // With a row's failure shown, the table stays the design's without it (its caption
    // says so), but the SPOF list speaks of the design on screen, as the diagram's badges
    // do: both read the sweep of the design as it stands.
    let shown_now = pin.is_some().then(|| props.sweep.ready()).flatten();
    let table = a;
    let a = shown_now.as_ref().unwrap_or(a);
    html! {
        <section class="failures" data-testid="failures" data-state="ready">
            <h2>{"Single points of failure"}</h2>
            if shown_now.is_some() {
                <p class="muted small" data-testid="spofs-with-failure">{"With the failure shown on the diagram:"}</p>
            }
            if a.spofs.is_empty() && a.offered_rps <= 0.0 {
                // With nothing offered nothing can be lost: not a verdict on the design.
                <p class="muted" data-testid="no-spof">{"None to find: no traffic is offered, so no failure drops a request. Set the traffic to see what each failure costs."}</p>
            } else if a.spofs.is_empty() && a.dropped_now_rps > 0.0 {
                <p class="good" data-testid="no-spof">{"None: losing any one instance drops no more requests than are dropped now."}</p>
            } else if a.spofs.is_empty() {
                <p class="good" data-testid="no-spof">{"None: losing any one instance drops no requests."}</p>
            } else {
                <ul class="spofs" data-testid="spof-list">
                    { for a.spofs.iter().map(|(id, why)| html! { <li data-id={id.clone()}>{ why.clone() }</li> }) }
                </ul>
            }
            <h2>{"If one thing fails (N−1)"}</h2>
            <p class="muted small" data-testid="n-minus-1-caption">
                { "Every single failure, worst first: first one instance of each component (a \
                   component is a single point of failure exactly when that row drops more than the \
                   design without it), \
                   then each whole pool at once. Clicking a row marks that failure on the design, an \
                   edit like any other (click it again, or undo, to restore); the table stays as \
                   worked out for the design without it, while the list above and the diagram's \
                   badges speak of the design as shown." }
                // The rows' own design: the one without the shown row's failure.
                if table.dropped_now_rps > 0.0 {
                    <span data-testid="n-minus-1-drops-now">{ format!(" Without any of these failures the design already drops {}/s; rows count every drop.", rate(table.dropped_now_rps)) }</span>
                }
                // Failed in the inspector rather than by a row: the table is the failed design's.
                if pin.is_none() && !props.scenario.failed.is_empty() {
                    <span data-testid="n-minus-1-failed">{ format!(
                        " Here the design on screen already has {} failed (what-if): each row adds one more failure to that. Restore {} to see the table of the design without it.",
                        crate::solve::name_list(&props.scenario.failed.keys().map(|id| props.scenario.name_of(id).to_owned()).collect::<Vec<_>>()),
                        if props.scenario.failed.len() == 1 { "it" } else { "them" },
                    ) }</span>
                }
                // Rows judge a failure against the traffic as it is (MODEL.md §9); marked on
                // the design, the population's rate moves with its response time.
                if props.scenario.traffic.population().is_some() {
                    <span data-testid="n-minus-1-closed">{ format!(
                        " The users are a closed population: each row keeps the rate they send now ({}/s); marked on the design, a failure also changes that rate (answered faster or turned away at once, they send more), so its figures there differ a little from the row's.",
                        rate(table.offered_rps)
                    ) }</span>
                }
                // The headroom counts autoscaled pools at their maximum; these rows do not.
                if props.scenario.components.iter().any(|c| Autoscale::of(c).is_some()) {
                    { " An autoscaled pool loses an instance from the count it runs now, at the \
                       moment of the failure, before its policy replaces it." }
                }
            </p>
            <table class="components n-minus-1" data-testid="n-minus-1">
                <thead><tr><th>{"Failure"}</th><th>{"Drop/s"}</th><th>{"Mean"}</th><th>{"p99"}</th><th>{"Avail."}</th></tr></thead>
                { group(FailureMode::Instance) }
                { group(FailureMode::Component) }
            </table>
            // Failures the solver refuses have no row: said here rather than left out.
            if !table.unassessed.is_empty() {
                <ul class="spofs" data-testid="n-minus-1-unassessed">
                    { for table.unassessed.iter().map(|u| html! { <li data-id={u.id.clone()}>{ u.said.clone() }</li> }) }
                </ul>
            }
            if longest > SHOWN {
                <button class="link-button" onclick={{ let all = all.clone(); Callback::from(move |_| all.set(!*all)) }}>
                    { if *all { "Show fewer".to_owned() } else { format!("Show all {}", a.n_minus_1.len()) } }
                </button>
            }
        </section>
    }
}
