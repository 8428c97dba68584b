//! A run's settings: length, seed, traffic over time, client behaviour, and the failure
//! timeline. They are part of the design (an undoable edit), so a link replays the run.

use crate::editor::{Action, Edit, Notice};
use crate::model::{Outage, Profile, Scenario, Simulation};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Settings properties.
#[derive(Properties, PartialEq)]
pub struct SimSettingsProps {
    /// The design.
    pub scenario: Rc<Scenario>,
    /// The selected component (a new outage fails it).
    pub focus: Option<String>,
    /// Edits.
    pub on_action: Callback<Action>,
}

/// Changes the settings with a function of the current ones.
type Change = Box<dyn Fn(&mut Simulation)>;

/// Reads a number of seconds typed into an outage field.
fn seconds(v: &str) -> Result<f64, String> {
    v.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("\"{v}\" is not a number of seconds"))
}

/// The settings and the failure timeline.
#[component]
pub fn SimSettings(props: &SimSettingsProps) -> Html {
    let sim = Simulation::of(&props.scenario);
    let set = {
        let cb = props.on_action.clone();
        let sim = sim.clone();
        move |change: Change| {
            let mut next = sim.clone();
            change(&mut next);
            cb.emit(Edit::SetSimulation(Some(next)).into());
        }
    };
    let notify = {
        let cb = props.on_action.clone();
        move |text: String| cb.emit(Action::Notify(Notice::error(text)))
    };
    // A number field; empty means `None` where `optional` allows it.
    let number = |label: &'static str,
                  key: &'static str,
                  unit: &'static str,
                  value: Option<f64>,
                  optional: bool,
                  apply: fn(&mut Simulation, Option<f64>)| {
        let set = set.clone();
        let notify = notify.clone();
        let onchange = Callback::from(move |e: Event| {
            let el: HtmlInputElement = e.target_unchecked_into();
            let text = el.value();
            let text = text.trim();
            if text.is_empty() && optional {
                set(Box::new(move |s| apply(s, None)));
            } else {
                match text.parse::<f64>() {
                    Ok(v) if v.is_finite() => set(Box::new(move |s| apply(s, Some(v)))),
                    _ => notify(format!("{label}: \"{text}\" is not a number")),
                }
            }
        });
        html! {
            <label class="field">
                <span>{ label }</span>
                <input type="number" step="any" data-sim={key}
                       placeholder={optional.then_some("none")}
                       value={value.map(|v| v.to_string()).unwrap_or_default()} {onchange} />
                <span class="unit">{ unit }</span>
            </label>
        }
    };

    let on_profile = {
        let set = set.clone();
        Callback::from(move |e: Event| {
            let el: HtmlSelectElement = e.target_unchecked_into();
            let profile = Profile::preset(&el.value());
            set(Box::new(move |s| s.profile = profile));
        })
    };
    let profile_inputs = sim.profile.fields().into_iter().map(|field| {
        let set = set.clone();
        let notify = notify.clone();
        let onchange = Callback::from(move |e: Event| {
            let el: HtmlInputElement = e.target_unchecked_into();
            match el.value().trim().parse::<f64>() {
                Ok(v) if v.is_finite() => set(Box::new(move |s| s.profile.set(field.key, v))),
                _ => notify(format!("{}: \"{}\" is not a number", field.label, el.value())),
            }
        });
        html! {
            <label class="field">
                <span>{ field.label }</span>
                <input type="number" step="any" data-profile={field.key} value={field.value.to_string()} {onchange} />
                <span class="unit">{ field.unit }</span>
            </label>
        }
    });

    // The failure timeline: one row per outage.
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
    let profile_key = sim.profile.key();
    html! {
        <>
            <div class="sim-settings">
                { number("Seconds", "seconds", "s", Some(sim.seconds), false, |s, v| s.seconds = v.unwrap_or(s.seconds)) }
                { number("Warm-up", "warmup_s", "s", Some(sim.warmup_s), false, |s, v| s.warmup_s = v.unwrap_or(s.warmup_s)) }
                { number("Seed", "seed", "", Some(sim.seed as f64), false, |s, v| s.seed = v.map_or(s.seed, |v| v.max(0.0) as u64)) }
                <label class="field">
                    <span>{"Traffic"}</span>
                    <select data-sim="profile" onchange={on_profile}>
                        { for Profile::CHOICES.into_iter().map(|(k, label)| html! { <option value={k} selected={k == profile_key}>{ label }</option> }) }
                    </select>
                </label>
                { for profile_inputs }
                { number("Timeout", "timeout_ms", "ms", sim.timeout_ms, true, |s, v| s.timeout_ms = v) }
                { number("Retries", "retries", "", Some(f64::from(sim.retries)), false, |s, v| s.retries = v.map_or(s.retries, |v| v.clamp(0.0, 1e6) as u32)) }
                { number("Backoff", "backoff_ms", "ms", Some(sim.backoff_ms), false, |s, v| s.backoff_ms = v.unwrap_or(s.backoff_ms)) }
                { number("Detection", "detection_s", "s", Some(sim.detection_s), false, |s, v| s.detection_s = v.unwrap_or(s.detection_s)) }
            </div>
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
