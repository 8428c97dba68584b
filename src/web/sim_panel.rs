//! The simulation panel: the run's settings, a Run button that simulates in slices between
//! frames (so the editor keeps answering), and the results of the last run.

use super::hooks::{use_sliced, Progress};
use super::run_button::RunButton;
use super::sim_reshards::Reshards;
use super::sim_results::{Outcome, SimResults};
use super::sim_settings::SimSettings;
use super::sim_timeline::Timeline;
use super::Shared;
use crate::editor::Action;
use crate::model::Scenario;
use crate::sim::{
    approximations, breakers_at, compare, moment, overloaded, BreakerState, Replicated, Run,
};
use crate::solve::Report;
use std::rc::Rc;
use yew::prelude::*;

/// What the diagram shows for one second of a run.
#[derive(Clone, PartialEq)]
pub struct Moment {
    /// The second shown.
    pub second: usize,
    /// The design with the components broken at that second marked failed.
    pub scenario: Shared<Scenario>,
    /// That second's numbers.
    pub report: Shared<Report>,
    /// Per scenario link, its breaker's state at that second.
    pub breakers: Rc<Vec<Option<BreakerState>>>,
}

/// Panel properties.
#[derive(Properties, PartialEq)]
pub struct SimulationPanelProps {
    /// The design.
    pub scenario: Rc<Scenario>,
    /// The analytic solve, when the design is valid.
    pub report: Option<Shared<Report>>,
    /// The component whose charts to show (else the busiest one).
    pub focus: Option<String>,
    /// Edits.
    pub on_action: Callback<Action>,
    /// The diagram's view of the cursor's second, or `None` for the live analytic view.
    pub on_moment: Callback<Option<Moment>>,
}

/// The panel.
#[component]
pub fn SimulationPanel(props: &SimulationPanelProps) -> Html {
    let outcome = use_state(|| None::<Result<Outcome, String>>);
    let slicer = use_sliced::<Replicated<Run>>(Progress::Shown);
    let cursor = use_state(|| 0usize);
    let on_diagram = use_state(|| false);
    let current = use_memo(props.scenario.clone(), |s| s.semantic());
    let done = match &*outcome {
        Some(Ok(o)) => Some(o.clone()),
        _ => None,
    };
    let stale = done.as_ref().is_some_and(|o| *o.ran != *current);

    // The diagram follows the cursor while asked to, for an up-to-date run.
    {
        let on_moment = props.on_moment.clone();
        let (scenario, report) = (props.scenario.clone(), props.report.clone());
        let show = *on_diagram && !stale;
        use_effect_with((done.clone(), *cursor, show), move |(done, t, show)| {
            let view = match (done, report, show) {
                (Some(o), Some(analytic), true) => {
                    let (s, r) = moment(&scenario, &analytic.0, &o.report, *t);
                    Some(Moment {
                        breakers: Rc::new(breakers_at(&scenario, &o.report, *t)),
                        second: *t,
                        scenario: Shared(Rc::new(s)),
                        report: Shared(Rc::new(r)),
                    })
                }
                _ => None,
            };
            on_moment.emit(view);
        });
    }

    // Stable callbacks, so the results view skips rendering while a new run progresses.
    let on_seek = {
        let cursor = cursor.clone();
        use_callback((), move |t: usize, _| cursor.set(t))
    };
    let on_toggle = {
        let on_diagram = on_diagram.clone();
        use_callback(*on_diagram, move |_: (), show| on_diagram.set(!*show))
    };

    let on_run = {
        let (outcome, slicer, cursor) = (outcome.clone(), slicer.clone(), cursor.clone());
        let (scenario, report) = (props.scenario.clone(), props.report.clone());
        Callback::from(move |_: MouseEvent| {
            if slicer.progress().is_some() {
                slicer.stop();
                return;
            }
            let (outcome, cursor) = (outcome.clone(), cursor.clone());
            let (scenario, report) = (scenario.clone(), report.clone());
            slicer.start((*scenario).clone(), 0, move |sim, compute_ms| {
                let sim = match sim {
                    Ok(sim) => sim,
                    Err(why) => return outcome.set(Some(Err(why))),
                };
                let comparison = report
                    .as_ref()
                    .map(|a| compare(&scenario, &a.0, &sim))
                    .unwrap_or_default();
                cursor.set((*cursor).min(sim.seconds.saturating_sub(1)));
                outcome.set(Some(Ok(Outcome {
                    ran: Rc::new(scenario.semantic()),
                    report: Rc::new(sim),
                    comparison: Rc::new(comparison),
                    reasons: Rc::new(approximations(&scenario)),
                    overloaded: report.as_ref().and_then(|a| overloaded(&scenario, &a.0)),
                    compute_ms,
                })));
            });
        })
    };

    let sim = crate::model::Simulation::of(&props.scenario);
    let results = match &*outcome {
        None => {
            html! { <p class="muted">{"Run the design request by request to see it unfold over time."}</p> }
        }
        Some(Err(e)) => html! {
            <div class="bad" data-testid="sim-error">
                <p>{"This run cannot start:"}</p>
                <ul class="problems">{ for e.lines().map(|l| html! { <li>{ l.to_owned() }</li> }) }</ul>
            </div>
        },
        Some(Ok(o)) => html! {
            <SimResults outcome={o.clone()} {sim} {stale} scenario={props.scenario.clone()} focus={props.focus.clone()}
                        cursor={*cursor} {on_seek} on_diagram={*on_diagram} {on_toggle} />
        },
    };
    let progress = slicer.progress();
    html! {
        <section class="simulation" data-testid="simulation">
            <h2>{"Simulation over time"}</h2>
            <SimSettings scenario={props.scenario.clone()} on_action={props.on_action.clone()} />
            <Timeline scenario={props.scenario.clone()} focus={props.focus.clone()}
                      on_action={props.on_action.clone()} />
            <Reshards scenario={props.scenario.clone()} on_action={props.on_action.clone()} />
            <RunButton label="Run" id="run" progress_id="sim-progress" {progress} onclick={on_run} />
            { results }
        </section>
    }
}
