//! A run's settings: length, seed, traffic over time and client behaviour. They are part of
//! the design (an undoable edit), so a link replays the run.

use super::number_field::NumberField;
use crate::editor::{refusal, Action, Edit, Notice};
use crate::model::{Profile, Scenario, Simulation};
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Settings properties.
#[derive(Properties, PartialEq)]
pub struct SimSettingsProps {
    /// The design.
    pub scenario: Rc<Scenario>,
    /// Edits.
    pub on_action: Callback<Action>,
}

/// Changes the settings with a function of the current ones.
pub(super) type Change = Box<dyn Fn(&mut Simulation)>;

/// Why setting a field to a value by `apply` would be refused: the design's own
/// validation of the settings that would result.
pub(super) fn checker(
    scenario: &Rc<Scenario>,
    sim: &Simulation,
    apply: impl Fn(&mut Simulation, Option<f64>) + 'static,
) -> Callback<Option<f64>, Option<String>> {
    let (scenario, sim) = (scenario.clone(), sim.clone());
    Callback::from(move |v: Option<f64>| {
        let mut next = sim.clone();
        apply(&mut next, v);
        refusal(&scenario, Edit::SetSimulation(Some(next)))
    })
}

/// Edits the settings `sim` by a change (one undoable edit of the design).
pub(super) fn setter(on_action: &Callback<Action>, sim: &Simulation) -> impl Fn(Change) + Clone {
    let (cb, sim) = (on_action.clone(), sim.clone());
    move |change: Change| {
        let mut next = sim.clone();
        change(&mut next);
        cb.emit(Edit::SetSimulation(Some(next)).into());
    }
}

/// Says why a typed value was not taken.
pub(super) fn notifier(on_action: &Callback<Action>) -> impl Fn(String) + Clone {
    let cb = on_action.clone();
    move |text: String| cb.emit(Action::Notify(Notice::error(text)))
}

/// The settings and the failure timeline.
#[component]
pub fn SimSettings(props: &SimSettingsProps) -> Html {
    let sim = Simulation::of(&props.scenario);
    let set = setter(&props.on_action, &sim);
    // A number field; empty means `None` where `optional` allows it.
    let number = |label: &'static str,
                  key: &'static str,
                  unit: &'static str,
                  value: Option<f64>,
                  optional: bool,
                  apply: fn(&mut Simulation, Option<f64>)| {
        let on_set = {
            let set = set.clone();
            Callback::from(move |v: Option<f64>| set(Box::new(move |s| apply(s, v))))
        };
        html! {
            <label class="field">
                <span>{ label }</span>
                <NumberField {value} {optional} placeholder={if optional { "none" } else { "" }}
                             label={label} check={checker(&props.scenario, &sim, apply)}
                             {on_set} attr={("data-sim", AttrValue::from(key))} />
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
        let key = field.key;
        let on_set = {
            let set = set.clone();
            Callback::from(move |v: Option<f64>| {
                if let Some(v) = v {
                    set(Box::new(move |s| s.profile.set(key, v)));
                }
            })
        };
        let check = {
            let (scenario, sim) = (props.scenario.clone(), sim.clone());
            Callback::from(move |v: Option<f64>| {
                let mut next = sim.clone();
                next.profile.set(key, v.unwrap_or_default());
                refusal(&scenario, Edit::SetSimulation(Some(next)))
            })
        };
        html! {
            <label class="field">
                <span>{ field.label }</span>
                <NumberField value={Some(field.value)} label={field.label} {check} {on_set}
                             attr={("data-profile", AttrValue::from(key))} />
                <span class="unit">{ field.unit }</span>
            </label>
        }
    });

    let profile_key = sim.profile.key();
    html! {
        <>
            <div class="sim-settings">
                { number("Seconds", "seconds", "s", Some(sim.seconds), false, |s, v| s.seconds = v.unwrap_or(s.seconds)) }
                { number("Warm-up", "warmup_s", "s", Some(sim.warmup_s), false, |s, v| s.warmup_s = v.unwrap_or(s.warmup_s)) }
                { number("Seed", "seed", "", Some(sim.seed as f64), false, |s, v| s.seed = v.map_or(s.seed, |v| v.max(0.0) as u64)) }
                { number("Replications", "replications", "", Some(f64::from(sim.replications)), false, |s, v| s.replications = v.map_or(s.replications, |v| v.clamp(0.0, 1e6) as u32)) }
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
                { number("Retry budget", "retry_budget_pct", "per 100", sim.retry_budget_pct, true, |s, v| s.retry_budget_pct = v) }
                { number("Detection", "detection_s", "s", Some(sim.detection_s), false, |s, v| s.detection_s = v.unwrap_or(s.detection_s)) }
            </div>
        </>
    }
}
