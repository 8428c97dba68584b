//! Single points of failure and the N−1 table: what every single failure would cost, worst
//! first. A row applies that failure to the design (undo brings it back).

use super::format::{availability, millis, rate};
use crate::editor::{Action, Edit};
use crate::solve::{FailureAnalysis, FailureMode};
use std::rc::Rc;
use yew::prelude::*;

/// Panel properties.
#[derive(Properties, PartialEq)]
pub struct FailurePanelProps {
    /// The analysis (`None` while it is computed).
    pub analysis: Option<Rc<FailureAnalysis>>,
    /// Apply a failure.
    pub on_action: Callback<Action>,
}

/// Rows shown before "show all".
const SHOWN: usize = 8;

/// The panel.
#[component]
pub fn FailurePanel(props: &FailurePanelProps) -> Html {
    let all = use_state(|| false);
    let Some(a) = &props.analysis else {
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
                        let cb = props.on_action.clone();
                        let (id, failure) = (i.id.clone(), i.as_failure());
                        let onclick = Callback::from(move |_| cb.emit(Edit::SetFailure {
                            id: id.clone(), failure: Some(failure),
                        }.into()));
                        let label = if i.failure == FailureMode::Instance { format!("{} (1 instance)", i.id) } else { i.id.clone() };
                        html! {
                            <tr class={classes!("clickable", (i.dropped_rps > 0.0).then_some("bad"))}
                                data-id={i.id.clone()} data-failure={i.failure.key()} {onclick}
                                title="Show this failure on the diagram (Ctrl+Z to undo)">
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
