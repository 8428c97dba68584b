//! "What helps most": every single change the design offers, re-solved, ranked for the goal
//! the person picks (p99, availability, cost) and drawn as bars. The sweep runs in slices
//! once edits pause, like the load curve.

use super::format::{availability, dollars, millis, significant};
use super::hooks::{use_sliced, Progress};
use crate::model::Scenario;
use crate::solve::{Goal, Sensitivity, SensitivitySweep};
use std::rc::Rc;
use yew::prelude::*;

/// Milliseconds an edit must stand before the levers are tried.
const PAUSE_MS: u32 = 300;
/// Levers shown.
const SHOWN: usize = 6;

/// Levers properties.
#[derive(Properties, PartialEq)]
pub struct LeversProps {
    /// The current design.
    pub scenario: Rc<Scenario>,
}

/// A gain in the goal's unit.
fn gain_text(goal: Goal, gain: f64) -> String {
    if gain.is_infinite() {
        return "makes it bounded".to_owned();
    }
    match goal {
        Goal::P99 => format!("−{}", millis(Some(gain))),
        // Three significant digits: a gain of 4·10⁻⁷ is not "+0.0000".
        Goal::Availability => format!("+{} points", significant(gain * 100.0)),
        Goal::Cost => format!("−{}", dollars(gain)),
    }
}

/// The ranked levers for the current design.
#[component]
pub fn Levers(props: &LeversProps) -> Html {
    let slicer = use_sliced::<SensitivitySweep>(Progress::Shown);
    let found = use_state(|| None::<Rc<Sensitivity>>);
    // Why the changes could not be tried (no worker could run them), if so.
    let failed = use_state(|| None::<String>);
    let goal = use_state(|| Goal::P99);
    // Three solves per component: tried only once the person asks, then kept live.
    let asked = use_state(|| false);
    {
        let (found, failed, slicer) = (found.clone(), failed.clone(), slicer.clone());
        use_effect_with((props.scenario.clone(), *asked), move |(s, asked)| {
            found.set(None);
            failed.set(None);
            if *asked {
                let input = (**s).clone();
                // A sweep is built from any design (`None` where it does not solve).
                slicer.start(input, PAUSE_MS, move |sens, _| match sens {
                    Ok(sens) => found.set(sens.map(Rc::new)),
                    Err(why) => failed.set(Some(why)),
                });
            }
        });
    }
    if !*asked {
        let ask = {
            let asked = asked.clone();
            Callback::from(move |_: MouseEvent| asked.set(true))
        };
        return html! {
            <section class="levers-panel" data-testid="levers">
                <button class="secondary" data-testid="find-levers" onclick={ask}
                        title="Try one more instance, a 10 % faster service and a 5-point higher hit ratio on every component, and rank what each buys">
                    {"What helps most?"}
                </button>
            </section>
        };
    }
    let pick = |g: Goal| {
        let goal = goal.clone();
        html! {
            <button class={if *goal == g { "chip active" } else { "chip" }} data-goal={format!("{g:?}")}
                    aria-pressed={(*goal == g).to_string()}
                    onclick={Callback::from(move |_| goal.set(g))}>{ g.to_string() }</button>
        }
    };
    let body = match (&*found, slicer.progress()) {
        (None, None) if failed.is_some() => html! {
            <p class="bad" role="alert">{ format!("The changes could not be tried: {}", failed.as_deref().unwrap_or_default()) }</p>
        },
        (Some(sens), _) => {
            let ranked = sens.ranked(*goal);
            let top = ranked
                .iter()
                .map(|r| r.1)
                .filter(|g| g.is_finite())
                .fold(0.0, f64::max);
            if ranked.is_empty() {
                html! { <p class="muted" data-testid="no-levers">{ format!("No single change improves the {}.", *goal) }</p> }
            } else {
                html! {
                    <ol class="levers">
                        { for ranked.iter().take(SHOWN).map(|(lever, gain)| {
                            let width = if gain.is_finite() && top > 0.0 { gain / top * 100.0 } else { 100.0 };
                            let after = match *goal {
                                Goal::Availability => format!("then {}", availability(lever.after.availability)),
                                Goal::P99 => format!("then {}/mo", dollars(lever.after.monthly_cost_usd)),
                                // A saving's price in time and, when it costs some, in
                                // availability (one instance fewer may leave one alone).
                                Goal::Cost => {
                                    let (now, then) = (availability(sens.base.availability), availability(lever.after.availability));
                                    if lever.after.availability < sens.base.availability && now != then {
                                        format!("then p99 {}, availability {now} → {then}", millis(lever.after.p99_ms))
                                    } else {
                                        format!("then p99 {}", millis(lever.after.p99_ms))
                                    }
                                }
                            };
                            html! {
                                <li data-lever={format!("{}:{:?}", lever.id, lever.change)}>
                                    <span class="what">{ format!("{}: {}", props.scenario.name_of(&lever.id), lever.change) }</span>
                                    <span data-col="gain">{ gain_text(*goal, *gain) }</span>
                                    <span class="muted">{ after }</span>
                                    <span class="bar" style={format!("width: {width:.1}%")}></span>
                                </li>
                            }
                        }) }
                    </ol>
                }
            }
        }
        (None, Some(p)) => {
            html! { <p class="muted">{ format!("Trying each change… {:.0} %", p * 100.0) }</p> }
        }
        (None, None) => html! { <p class="muted">{"Waiting for the design to settle…"}</p> },
    };
    html! {
        <section class="levers-panel" data-testid="levers">
            <h2>{"What helps most"}</h2>
            <p class="muted">{"Each change applied alone and the design solved again."}</p>
            <div class="row">{ for Goal::ALL.into_iter().map(pick) }</div>
            { body }
        </section>
    }
}
