//! A component's links in the inspector: the ones it has, each a button that selects the
//! link (to edit or delete it), and a list of what it can be connected to. The wiring a drag
//! from a port does, reachable without a pointer.

use crate::editor::{pair, Action, Edit};
use crate::model::Scenario;
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Link list properties.
#[derive(Properties, PartialEq)]
pub struct LinkListProps {
    /// The design.
    pub scenario: Rc<Scenario>,
    /// The component shown.
    pub id: String,
    /// Edits and selections.
    pub on_action: Callback<Action>,
}

/// The selected component's links, and a way to add one.
#[function_component]
pub fn LinkList(props: &LinkListProps) -> Html {
    let target = use_node_ref();
    let s = &props.scenario;
    let Some(me) = s.component(&props.id) else {
        return Html::default();
    };
    let select = |from: &str, to: &str| {
        let (from, to) = (from.to_owned(), to.to_owned());
        props.on_action.reform(move |_| Action::SelectLink {
            from: from.clone(),
            to: to.clone(),
        })
    };
    let out: Vec<_> = s.links.iter().filter(|l| l.from == me.id).collect();
    let into: Vec<_> = s.links.iter().filter(|l| l.to == me.id).collect();
    // What the editor would refuse is left out: the pair's own rules, and a component it
    // already sends to.
    let targets: Vec<_> = (s.components.iter())
        .filter(|c| pair(me, c).is_ok() && !out.iter().any(|l| l.to == c.id))
        .collect();
    let on_connect = {
        let (target, on_action, from) = (target.clone(), props.on_action.clone(), me.id.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(to) = target.cast::<HtmlSelectElement>().map(|el| el.value()) {
                on_action.emit(
                    Edit::Connect {
                        from: from.clone(),
                        to,
                    }
                    .into(),
                );
            }
        })
    };
    let row = |label: &'static str,
               arrow: &'static str,
               links: &[&crate::model::Link],
               far: fn(&crate::model::Link) -> &str| {
        html! {
            if !links.is_empty() {
                <div class="link-row">
                    <span class="muted">{ label }</span>
                    { for links.iter().map(|l| html! {
                        <button class="link-chip" title="Select this link to edit or delete it"
                                onclick={select(&l.from, &l.to)}>
                            { format!("{arrow} {}", s.name_of(far(l))) }
                        </button>
                    }) }
                </div>
            }
        }
    };
    html! {
        <div class="params links" data-section="Links" data-testid="link-list">
            <h3>{"Links"}</h3>
            { row("Sends to", "→", &out, |l| &l.to) }
            { row("Receives from", "←", &into, |l| &l.from) }
            if !targets.is_empty() {
                <div class="link-row">
                    <label for="connect-to" class="muted">{"Connect to"}</label>
                    <select id="connect-to" ref={target} data-testid="connect-to">
                        { for targets.iter().map(|c| html! {
                            <option value={c.id.clone()}>{ c.display_name().to_owned() }</option>
                        }) }
                    </select>
                    <button data-testid="connect" onclick={on_connect}>{"Connect"}</button>
                </div>
            }
        </div>
    }
}
