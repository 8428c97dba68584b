//! The failure timeline of a run: which components fail when, for how long, how many of
//! their instances, and whether they refuse requests or hang.

use super::number_field::NumberField;
use super::sim_settings::{checker, notifier, setter};
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
    // One number of outage `i`, checked by the design's own validation.
    let outage_field = |i: usize,
                        key: &'static str,
                        label: &'static str,
                        value: Option<f64>,
                        placeholder: &'static str,
                        apply: fn(&mut Outage, Option<f64>)| {
        let change = move |s: &mut Simulation, v: Option<f64>| {
            if let Some(o) = s.timeline.get_mut(i) {
                apply(o, v);
            }
        };
        let on_set = {
            let set = set.clone();
            Callback::from(move |v: Option<f64>| set(Box::new(move |s| change(s, v))))
        };
        html! {
            <NumberField {value} optional={!placeholder.is_empty()} {placeholder} {label}
                         check={checker(&props.scenario, &sim, change)} {on_set}
                         attr={("data-outage", AttrValue::from(key))} />
        }
    };
    let outage_rows = sim.timeline.iter().enumerate().map(|(i, o)| {
        let edit = |apply: fn(&mut Outage, &str) -> Result<(), String>| {
            let set = set.clone();
            let notify = notify.clone();
            Callback::from(move |e: Event| {
                let value = match e.target_dyn_into::<HtmlSelectElement>() {
                    Some(el) => el.value(),
                    None => e.target_unchecked_into::<HtmlInputElement>().value(),
                };
                let mut probe = Outage { component: String::new(), at_s: 0.0, for_s: None, lost: None, hangs: false };
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
            <>
            <tr class="outage" data-index={i.to_string()}>
                <td>
                    <select data-outage="component" onchange={edit(|o, v| { o.component = v.to_owned(); Ok(()) })}>
                        { for ids.iter().map(|id| html! { <option value={id.clone()} selected={*id == o.component}>{ props.scenario.name_of(id).to_owned() }</option> }) }
                    </select>
                </td>
                <td>{ outage_field(i, "at_s", "When it fails", Some(o.at_s), "", |o, v| o.at_s = v.unwrap_or(o.at_s)) }</td>
                <td>{ outage_field(i, "for_s", "How long it stays failed", o.for_s, "end", |o, v| o.for_s = v) }</td>
                <td>{ outage_field(i, "lost", "Instances lost", o.lost.map(|n| n as f64), "all", |o, v| {
                    // A fraction or a negative count is left for validation to refuse.
                    o.lost = v.map(|v| if v.fract() == 0.0 && v >= 0.0 { v as u64 } else { 0 });
                }) }</td>
                <td>
                    <select data-outage="hangs" title="Refuses: requests fail at once (a crashed process). Hangs: it takes them and never answers (a hung process, a partition), so callers wait for their timeouts."
                            onchange={edit(|o, v| { o.hangs = v == "hangs"; Ok(()) })}>
                        <option value="refuses" selected={!o.hangs}>{"refuses"}</option>
                        <option value="hangs" selected={o.hangs}>{"hangs"}</option>
                    </select>
                </td>
                <td><button class="icon" title="Remove this failure" onclick={remove}>{"×"}</button></td>
            </tr>
            if !sim.within(o.at_s) {
                <tr class="outage-note"><td colspan="6" class="muted" data-testid="outage-after-end">
                    { format!("After the run's end ({} s): this failure is not part of the run.", sim.seconds) }
                </td></tr>
            }
            </>
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
                    hangs: false,
                })
            }))
        })
    };
    html! {
        <>
            <h3>{"Failure timeline"}</h3>
            if !sim.timeline.is_empty() {
                <table class="timeline" data-testid="timeline">
                    <thead><tr><th>{"Component"}</th><th>{"At s"}</th><th>{"For s"}</th><th title="Instances lost (empty: all of them)">{"Lost"}</th><th>{"How"}</th><th></th></tr></thead>
                    <tbody>{ for outage_rows }</tbody>
                </table>
            }
            <button class="secondary" data-testid="add-outage" onclick={add_outage}>{"Add a failure"}</button>
        </>
    }
}
