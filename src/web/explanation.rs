//! Where a number comes from, as a card: the formula and its source, the inputs with this
//! design's values, the steps, the result, and whether it is exact — all read from
//! [`explain`](crate::solve::explain), the same text `archsim explain` prints.

use super::format::{availability, figure_label, figure_value, millis, percent};
use super::hooks::use_reveal;
use super::Shared;
use crate::model::Scenario;
use crate::solve::{explain, Explanation, Figure, Quantity, Report, Subject};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What an open explanation is of.
#[derive(Debug, Clone, PartialEq)]
pub enum Open {
    /// A headline figure.
    Figure(Figure),
    /// All of a component's numbers.
    Component(String),
    /// One of a component's numbers.
    Quantity(String, Quantity),
}

/// Explanation card properties.
#[derive(Properties, PartialEq)]
pub struct ExplanationCardProps {
    /// What is explained.
    pub open: Open,
    /// The design explained, also for the names its components have on the diagram.
    pub scenario: Rc<Scenario>,
    /// Its solve.
    pub report: Shared<Report>,
    /// Closes the card.
    pub on_close: Callback<()>,
}

/// The explanations of what is open, for the design and report on screen.
fn explanations(open: &Open, s: &Scenario, report: &Report) -> Option<Vec<Explanation>> {
    let e = explain(s, report).ok()?;
    match open {
        Open::Figure(f) => e.figure(*f).cloned().map(|x| vec![x]),
        Open::Component(id) => e.components.get(id).cloned(),
        Open::Quantity(id, q) => e
            .components
            .get(id)?
            .iter()
            .find(|x| matches!(&x.subject, Subject::Component { quantity, .. } if quantity == q))
            .cloned()
            .map(|x| vec![x]),
    }
}

/// One or more explanations, each a block; nothing when the design cannot be explained.
/// A new edit re-explains. Drawn from the deferred chunk (`deferred.rs`): a card opens on a
/// click, never on the first screen.
#[component]
pub fn ExplanationCard(props: &ExplanationCardProps) -> Html {
    let list = use_memo(
        (
            props.open.clone(),
            props.scenario.clone(),
            props.report.clone(),
        ),
        |(open, s, report)| explanations(open, s, &report.0),
    );
    // The card stands under the headline figures (or the inspector's numbers); a row
    // clicked far down the table would open it out of sight, so it is brought into view.
    let card = use_reveal(props.open.clone());
    // Escape closes it, as it closes the other pop-ups.
    use_effect_with(props.on_close.clone(), |close| {
        let close = close.clone();
        let listener = web_sys::window().and_then(|w| w.document()).map(|d| {
            gloo::events::EventListener::new(&d, "keydown", move |e| {
                let key = e
                    .dyn_ref::<web_sys::KeyboardEvent>()
                    .map(web_sys::KeyboardEvent::key);
                if key.as_deref() == Some("Escape") {
                    close.emit(());
                }
            })
        });
        move || drop(listener)
    });
    let Some(list) = &*list else {
        return Html::default();
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <aside class="explanation" data-testid="explanation" aria-live="polite" ref={card}>
            <button class="close" onclick={close} aria-label="Close the explanation" title="Close">{"×"}</button>
            { for list.iter().map(|e| block(e, &props.scenario, &props.report.0)) }
        </aside>
    }
}

fn block(e: &Explanation, s: &Scenario, report: &Report) -> Html {
    // The result written exactly as the panel that shows the number writes it.
    let (what, shown) = match &e.subject {
        // Named as the panel names it ("Downtime / month"): the CLI's name carries the
        // CLI's unit ("min/month"), which the panel's value is not always in.
        Subject::Figure { figure } => (
            figure_label(*figure).to_owned(),
            if figure.absent(report) {
                "—".to_owned()
            } else {
                figure_value(*figure, e.result)
            },
        ),
        Subject::Component { id, quantity } => (
            format!("{}: {quantity}", s.name_of(id)),
            match (quantity, e.result) {
                (Quantity::TimeHere, r) => millis(r),
                (Quantity::Utilisation, Some(u)) => percent(u),
                (Quantity::Availability, Some(a)) => availability(a),
                (_, None) => "—".to_owned(),
            },
        ),
    };
    html! {
        <section class="explained" data-formula={format!("{:?}", e.formula)}>
            <h3>{ what }{" = "}<span data-testid="explained-result" data-value={e.result.map(|r| r.to_string())}>{ shown }</span></h3>
            <p class="formula"><strong>{ e.formula.name() }</strong>{": "}<code>{ e.formula.expression() }</code></p>
            <p class="muted source">{ format!("Source: {}", e.formula.source()) }</p>
            if !e.inputs.is_empty() {
                <table class="inputs">
                    <tbody>
                        { for e.inputs.iter().map(|i| html! {
                            <tr data-symbol={i.symbol.clone()}>
                                <th>{ i.symbol.clone() }</th>
                                <td>{ i.shown() }</td>
                                <td class="muted">{ i.meaning.clone() }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            if !e.steps.is_empty() {
                <ul class="steps">{ for e.steps.iter().map(|s| html! { <li>{ s.clone() }</li> }) }</ul>
            }
            <p class={if e.exact { "exact" } else { "approximate" }} data-testid="exactness">
                <strong>{ if e.exact { "Exact. " } else { "Approximate. " } }</strong>{ e.why.clone() }
            </p>
        </section>
    }
}
