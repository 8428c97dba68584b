//! The failure timeline of a run: which components fail when, for how long, and how many
//! of their instances.

use super::sim_settings::{notifier, setter};
use crate::editor::Action;
use crate::model::{Outage, Scenario, Simulation};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Timeline properties.
#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// The design.
    pub scenario: Rc<Scenario>,
    /// The selected component (a new outage fails it).
    pub focus: Option<String>,
    /// Edits.
    pub on_action: Callback<Action>,
}

/// Reads a number of seconds typed into an outage field.
fn seconds(v: &str) -> Result<f64, String> {
    v.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("\"{v}\" is not a number of seconds"))
}

/// One row per outage, and a button to add one.
#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let sim = Simulation::of(&props.scenario);
    let set = setter(&props.on_action, &sim);
    let notify = notifier(&props.on_action);
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
    html! {
        <>
            <h3>{"Failure timeline"}</h3>
            if !sim.timeline.is_empty() {
                <table class="timeline" data-testid="timeline">
                    <thead><tr><th>{"Component"}</th><th>{"At s"}</th><th>{"For s"}</th><th>{"Instances"}</th><th></th></tr></thead>
                    <tbody>{ for outage_rows }</tbody>
                </table>
            }
            <button class="secondary" data-testid="add-outage" onclick={add_outage}>{"Add a failure"}</button>
        </>
    }
}
