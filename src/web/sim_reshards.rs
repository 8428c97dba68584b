//! The resharding events of a run: which shard group grows when, to how many shards, and
//! how long copying the keys that move takes.

use super::number_field::NumberField;
use super::sim_settings::{checker, setter};
use crate::editor::Action;
use crate::model::{Kind, Reshard, Scenario, Simulation};
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Resharding properties.
#[derive(Properties, PartialEq)]
pub struct ReshardsProps {
    /// The design.
    pub scenario: Rc<Scenario>,
    /// Edits.
    pub on_action: Callback<Action>,
}

/// One row per resharding, and a button to add one; nothing without a shard group.
#[component]
pub fn Reshards(props: &ReshardsProps) -> Html {
    let sim = Simulation::of(&props.scenario);
    let set = setter(&props.on_action, &sim);
    let groups: Vec<(String, u64)> = props
        .scenario
        .components
        .iter()
        .filter(|c| c.kind == Kind::ShardGroup)
        .map(|c| (c.id.clone(), c.num("shards").max(1.0) as u64))
        .collect();
    if groups.is_empty() && sim.reshards.is_empty() {
        return html! {};
    }
    // One number of resharding `i`, checked by the design's own validation.
    let field = |i: usize,
                 key: &'static str,
                 label: &'static str,
                 value: f64,
                 apply: fn(&mut Reshard, f64)| {
        let change = move |s: &mut Simulation, v: Option<f64>| {
            if let (Some(r), Some(v)) = (s.reshards.get_mut(i), v) {
                apply(r, v);
            }
        };
        let on_set = {
            let set = set.clone();
            Callback::from(move |v: Option<f64>| set(Box::new(move |s| change(s, v))))
        };
        html! {
            <NumberField value={Some(value)} optional={false} placeholder="" {label}
                         check={checker(&props.scenario, &sim, change)} {on_set}
                         attr={("data-reshard", AttrValue::from(key))} />
        }
    };
    let rows = sim.reshards.iter().enumerate().map(|(i, r)| {
        let on_group = {
            let set = set.clone();
            Callback::from(move |e: Event| {
                let id = e.target_unchecked_into::<HtmlSelectElement>().value();
                set(Box::new(move |s| {
                    if let Some(r) = s.reshards.get_mut(i) {
                        r.component = id.clone();
                    }
                }))
            })
        };
        let remove = {
            let set = set.clone();
            Callback::from(move |_: MouseEvent| {
                set(Box::new(move |s| {
                    if i < s.reshards.len() {
                        s.reshards.remove(i);
                    }
                }))
            })
        };
        html! {
            <tr class="reshard" data-index={i.to_string()}>
                <td>
                    <select data-reshard="component" onchange={on_group}>
                        { for groups.iter().map(|(id, _)| html! {
                            <option value={id.clone()} selected={*id == r.component}>{ props.scenario.name_of(id).to_owned() }</option>
                        }) }
                    </select>
                </td>
                <td>{ field(i, "at_s", "When the new shards take their keys", r.at_s, |r, v| r.at_s = v) }</td>
                <td>{ field(i, "shards", "Shards from then on", r.shards as f64, |r, v| {
                    // A fraction or a negative count is left for validation to refuse.
                    r.shards = if v.fract() == 0.0 && v >= 0.0 { v as u64 } else { 0 };
                }) }</td>
                <td>{ field(i, "migration_s", "How long copying the moved keys takes", r.migration_s, |r, v| r.migration_s = v) }</td>
                <td><button class="icon" title="Remove this resharding" onclick={remove}>{"×"}</button></td>
            </tr>
        }
    });
    let add = {
        let set = set.clone();
        // The first shard group not resharded yet, grown by one shard a third of the way in.
        let free = groups
            .iter()
            .find(|(id, _)| !sim.reshards.iter().any(|r| r.component == *id))
            .cloned();
        let at = (sim.seconds / 3.0).round();
        let copy = (sim.seconds / 6.0).round();
        Callback::from(move |_: MouseEvent| {
            let Some((component, shards)) = free.clone() else {
                return;
            };
            set(Box::new(move |s| {
                s.reshards.push(Reshard {
                    component: component.clone(),
                    at_s: at,
                    shards: shards + 1,
                    migration_s: copy,
                })
            }))
        })
    };
    html! {
        <>
            <h3>{"Resharding"}</h3>
            if !sim.reshards.is_empty() {
                <table class="timeline" data-testid="reshards">
                    <thead><tr><th>{"Shard group"}</th><th>{"At s"}</th><th>{"Shards"}</th><th>{"Copy s"}</th><th></th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
            if sim.reshards.len() < groups.len() {
                <button class="secondary" data-testid="add-reshard" onclick={add}
                        title="Grow a shard group during the run: the keys that move are copied while requests for them are served by both shards">
                    {"Add a resharding"}
                </button>
            }
        </>
    }
}
