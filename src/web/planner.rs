//! The capacity planner panel: a target in, instance counts that meet it (or why none
//! exist) out, applied to the design in one undoable step. The search runs in a worker
//! (hundreds of solves: seconds for a large design); the page solves the planned design
//! itself, as it solves every design.

use super::format::{availability, dollars, millis, percent, rate};
use super::hooks::{use_sliced, Progress};
use crate::editor::{Action, Edit};
use crate::model::multiple;
use crate::model::Scenario;
use crate::solve::{analyze, planned, Plan, Planning, Target};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Planner properties.
#[derive(Properties, PartialEq)]
pub struct PlannerProps {
    /// The design.
    pub scenario: Rc<Scenario>,
    /// Apply a plan.
    pub on_action: Callback<Action>,
}

/// The panel.
#[component]
pub fn Planner(props: &PlannerProps) -> Html {
    let target = use_state(|| default_target(&props.scenario));
    // Until a person types a target, it follows the design on screen (ten times its traffic).
    let typed = use_state(|| false);
    let slicer = use_sliced::<Planning>(Progress::Shown);
    let result = use_state(|| None::<Rc<Outcome>>);
    // A plan is for the design it was worked out from: an edit makes it stale.
    {
        let (result, slicer) = (result.clone(), slicer.clone());
        let (target, typed) = (target.clone(), typed.clone());
        use_effect_with(props.scenario.clone(), move |s| {
            slicer.stop();
            result.set(None);
            if !*typed {
                target.set(default_target(s));
            }
        });
    }
    let field = |field: Field, value: f64| {
        let (target, typed) = (target.clone(), typed.clone());
        let onchange = Callback::from(move |e: Event| {
            let el: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = el.value().trim().parse::<f64>() {
                if v.is_finite() && v > 0.0 {
                    let mut t = *target;
                    match field {
                        Field::Rps => t.rps = v.min(1e9),
                        Field::P99 => t.p99_ms = v,
                        Field::Availability => t.availability = (v / 100.0).min(1.0),
                        Field::Headroom => t.headroom = v.clamp(1.0, 1e6),
                    }
                    target.set(t);
                    typed.set(true);
                }
            }
        });
        let (label, key, title) = field.text();
        html! {
            <label class="users-field" {title}><span>{ label }</span>
                // Six decimals at most: 0.999 × 100 reads 99.9, not 99.89999999999999.
                <input type="number" min="0" step="any" value={((value * 1e6).round() / 1e6).to_string()} data-plan={key} {onchange} />
            </label>
        }
    };
    let run = {
        let (target, result, scenario) = (target.clone(), result.clone(), props.scenario.clone());
        let slicer = slicer.clone();
        Callback::from(move |_| {
            let (result, scenario, target) = (result.clone(), scenario.clone(), *target);
            result.set(None);
            slicer.start(((*scenario).clone(), target), 0, move |counts, _| {
                result.set(Some(Rc::new(Outcome::of(&scenario, &target, counts))));
            });
        })
    };
    let busy = slicer.progress().is_some();
    let t = *target;
    html! {
        <section class="planner" data-testid="planner">
            <h2>{"Capacity planner"}</h2>
            { field(Field::Rps, t.rps) }
            { field(Field::P99, t.p99_ms) }
            { field(Field::Availability, t.availability * 100.0) }
            { field(Field::Headroom, t.headroom) }
            <button class="primary" onclick={run} data-testid="plan" disabled={busy}>
                { if busy { "Searching…" } else { "Find counts that meet it" } }
            </button>
            { match result.as_deref() {
                None => html! {},
                Some(Outcome::Failed(why)) => html! {
                    <p class="bad" data-testid="plan-result">{ format!("The planner could not run: {why}") }</p>
                },
                Some(Outcome::Plan(Plan::Impossible(why))) => html! {
                    <p class="bad" data-testid="plan-result">{ format!("No instance count can: {why}") }</p>
                },
                Some(Outcome::Plan(Plan::Met { changes, scenario, report })) => {
                    let apply = {
                        let (cb, s) = (props.on_action.clone(), scenario.clone());
                        Callback::from(move |_| cb.emit(Edit::Load(s.clone()).into()))
                    };
                    html! {
                        <div data-testid="plan-result">
                            <p>{ format!("Met: p99 {}, availability {}, {} a month.",
                                millis(report.latency_ms.p99), availability(report.availability),
                                dollars(report.monthly_cost_usd)) }</p>
                            // A plan that meets the target may do so with little to spare:
                            // said, so that "Met" does not read as roomy.
                            if let (Some(b), Some(h)) = (&report.bottleneck, report.headroom) {
                                <p class="muted" data-testid="plan-headroom">{ format!(
                                    "At the target traffic {} is the busiest, at {} of what it can serve: the plan carries {} that traffic before it saturates.",
                                    scenario.name_of(b), percent(1.0 / h), multiple(h)) }</p>
                            }
                            <ul class="spofs">
                                { for changes.iter().map(|(id, (a, b))| html! {
                                    <li>{ format!("{}: {a} → {b} instances", props.scenario.name_of(id)) }</li>
                                }) }
                            </ul>
                            <p class="muted" data-testid="plan-how">{"Found by a search that adds instances where each dollar helps most, takes each group down as far as the target allows, then tries one more instance in each group against fewer elsewhere: no group here can lose an instance without missing the target, but a cheaper mix of counts may exist."}</p>
                            if !props.scenario.failed.is_empty() {
                                <p class="muted" data-testid="plan-restores">{ format!(
                                    "The plan is for the design with nothing failed: applying it restores {} (Undo marks {} failed again).",
                                    crate::solve::name_list(&props.scenario.failed.keys().map(|id| props.scenario.name_of(id).to_owned()).collect::<Vec<_>>()),
                                    if props.scenario.failed.len() == 1 { "it" } else { "them" }) }</p>
                            }
                            if let Some((users, _)) = props.scenario.traffic.population() {
                                <p class="muted" data-testid="plan-open-rate">{ format!(
                                    "The plan is for an open rate of {} req/s: applying it replaces the closed population of {} users with that rate (Undo brings it back).",
                                    rate(report.offered_rps), rate(users)) }</p>
                            }
                            <button onclick={apply} data-testid="apply-plan">{"Apply (with the target traffic)"}</button>
                        </div>
                    }
                }
            } }
        </section>
    }
}

/// The target the panel offers for `s`: ten times its traffic, rounded to two significant
/// figures (10 416.67 req/s reads 10 000), a p99 of 500 ms, three nines, and a headroom of
/// 1.25× (nothing above 80 % busy: room for a burst, and for an instance lost).
fn default_target(s: &Scenario) -> Target {
    let rps = (s.traffic.peak_rps() * 10.0).max(1.0);
    let unit = 10f64.powf(rps.log10().floor() - 1.0);
    Target {
        rps: ((rps / unit).round() * unit).max(1.0),
        p99_ms: 500.0,
        availability: 0.999,
        headroom: 1.25,
    }
}

/// The target's fields.
#[derive(Clone, Copy)]
enum Field {
    Rps,
    P99,
    Availability,
    Headroom,
}

impl Field {
    /// Its label, its key (`data-plan`) and its hover text.
    fn text(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Field::Rps => ("Requests per second", "rps", "The traffic to plan for."),
            Field::P99 => (
                "p99 at most (ms)",
                "p99",
                "The slowest 1 % of requests within this.",
            ),
            Field::Availability => (
                "Availability at least (%)",
                "availability",
                "The share of time every class of request can be served.",
            ),
            Field::Headroom => (
                "Headroom at least (×)",
                "headroom",
                "How many times the target traffic the plan must carry before its busiest \
                 component saturates, as the results' Headroom: 1.25 keeps everything at or \
                 below 80 % busy; 1 asks only that the target be served.",
            ),
        }
    }
}

/// What the panel shows after a search.
enum Outcome {
    /// The planner's answer.
    Plan(Plan),
    /// The search could not run (no worker, or an internal error): why.
    Failed(String),
}

impl Outcome {
    /// The answer from the counts the search found for `s` and `target` (or why there
    /// are none), with the planned design solved here.
    fn of(
        s: &Scenario,
        target: &Target,
        counts: Result<Result<crate::solve::Changes, String>, String>,
    ) -> Outcome {
        match counts {
            Err(why) => Outcome::Failed(why),
            Ok(Err(why)) => Outcome::Plan(Plan::Impossible(why)),
            Ok(Ok(changes)) => {
                let scenario = planned(s, target, &changes);
                match analyze(&scenario) {
                    Ok(report) => Outcome::Plan(Plan::Met {
                        changes,
                        scenario: Box::new(scenario),
                        report: Box::new(report),
                    }),
                    Err(p) => Outcome::Failed(p.for_people().join(" ")),
                }
            }
        }
    }
}
