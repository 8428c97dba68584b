//! Single points of failure and the N−1 table: what every single failure would cost, worst
//! first. A row shows that failure on the design and a second click restores it; while the
//! person works the table it keeps its order (the analysis of the design before the table
//! failed anything), instead of re-sorting under the cursor.

use super::format::{availability, millis, rate};
use crate::editor::{Action, Edit};
use crate::model::{Failure, Scenario};
use crate::solve::{FailureAnalysis, FailureMode};
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

/// Panel properties.
#[derive(Properties, PartialEq)]
pub struct FailurePanelProps {
    /// The design.
    pub scenario: Rc<Scenario>,
    /// The analysis (`None` while it is computed).
    pub analysis: Option<Rc<FailureAnalysis>>,
    /// Apply a failure.
    pub on_action: Callback<Action>,
}

/// The table while a row's failure is shown: the analysis and design it was worked from.
#[derive(Clone, PartialEq)]
struct Pinned {
    analysis: Rc<FailureAnalysis>,
    base: Rc<Scenario>,
    row: (String, FailureMode),
}

impl Pinned {
    /// The what-if failures with `row`'s failure shown on top of the base design's.
    fn failures(&self, row: Option<&(String, FailureMode)>) -> BTreeMap<String, Failure> {
        let mut failed = self.base.failed.clone();
        if let Some((id, mode)) = row {
            failed.insert(id.clone(), mode.failure());
        }
        failed
    }
}

/// Rows shown before "show all".
const SHOWN: usize = 8;

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
        .or(props.analysis.clone());
    if let Some(next) = props.scenario.missing() {
        return html! {
            <section class="failures" data-testid="failures" data-state="ready">
                <h2>{"Single points of failure"}</h2>
                <p class="muted">{ "Nothing can fail yet. " }{ next }</p>
            </section>
        };
    }
    let Some(a) = &analysis else {
        return html! {
            <section class="failures" data-testid="failures" data-state="checking"><h2>{"Failures"}</h2>
                <p class="muted">{"Checking every single failure…"}</p></section>
        };
    };
    let rows: Vec<_> = if *all {
        a.n_minus_1.iter().collect()
    } else {
        a.n_minus_1.iter().take(SHOWN).collect()
    };
    html! {
        <section class="failures" data-testid="failures" data-state="ready">
            <h2>{"Single points of failure"}</h2>
            if a.spofs.is_empty() {
                <p class="good" data-testid="no-spof">{"None: no single failure makes the design drop requests."}</p>
            } else {
                <ul class="spofs" data-testid="spof-list">
                    { for a.spofs.iter().map(|(id, why)| html! { <li data-id={id.clone()}>{ why.clone() }</li> }) }
                </ul>
            }
            <h2>{"If one thing fails (N−1)"}</h2>
            <table class="components n-minus-1" data-testid="n-minus-1">
                <thead><tr><th>{"Failure"}</th><th>{"Drop/s"}</th><th>{"p99"}</th><th>{"Avail."}</th></tr></thead>
                <tbody>
                    { for rows.iter().map(|i| {
                        let row = (i.id.clone(), i.failure);
                        let active = pin.as_ref().is_some_and(|p| p.row == row);
                        let onclick = {
                            let (cb, pinned, pin) = (props.on_action.clone(), pinned.clone(), pin.clone());
                            let (scenario, analysis) = (props.scenario.clone(), analysis.clone());
                            let row = row.clone();
                            Callback::from(move |_| {
                                let p = pin.clone().or_else(|| analysis.clone().map(|analysis| Pinned {
                                    analysis, base: scenario.clone(), row: row.clone(),
                                }));
                                let Some(p) = p else { return };
                                let toggle_off = pin.as_ref().is_some_and(|q| q.row == row);
                                let shown = (!toggle_off).then_some(&row);
                                cb.emit(Edit::SetFailures(p.failures(shown)).into());
                                pinned.set((!toggle_off).then(|| Pinned { row: row.clone(), ..p }));
                            })
                        };
                        let label = if i.failure == FailureMode::Instance { format!("{} (1 instance)", i.id) } else { i.id.clone() };
                        html! {
                            <tr class={classes!("clickable", (i.dropped_rps > 0.0).then_some("bad"), active.then_some("active"))}
                                data-id={i.id.clone()} data-failure={i.failure.key()} data-active={active.to_string()} {onclick}
                                title={if active { "Shown on the diagram: click again to restore it" } else { "Show this failure on the diagram" }}>
                                <td>{ label }</td>
                                <td>{ rate(i.dropped_rps) }</td>
                                <td>{ millis(i.p99_ms) }</td>
                                <td>{ availability(i.availability) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if a.n_minus_1.len() > SHOWN {
                <button class="link-button" onclick={{ let all = all.clone(); Callback::from(move |_| all.set(!*all)) }}>
                    { if *all { "Show fewer".to_owned() } else { format!("Show all {}", a.n_minus_1.len()) } }
                </button>
            }
        </section>
    }
}
