//! The journey panel: a stage's lesson, the step to the next stage, and a before/after
//! comparison of the numbers that the step changes.

use super::format::{availability, dollars, millis, rate};
use crate::model::{changes, Scenario};
use crate::presets::{journey, users_traffic};
use crate::solve::{analyze, Report};
use std::rc::Rc;
use yew::prelude::*;

/// The numbers a step is compared on.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    throughput: f64,
    p99: Option<f64>,
    dropped: f64,
    availability: f64,
    /// Counted in a worker (a failure sweep of its own).
    pub spofs: SpofCount,
    cost: f64,
    bottleneck: Option<String>,
}

impl Summary {
    /// The figures of `r`, the report of `s`, whose names it gives the bottleneck.
    fn of(r: &Report, s: &Scenario) -> Summary {
        Summary {
            throughput: r.throughput_rps,
            p99: r.latency_ms.p99,
            dropped: r.dropped_rps,
            availability: r.availability,
            spofs: SpofCount::Counting,
            cost: r.monthly_cost_usd,
            bottleneck: r.bottleneck.as_ref().map(|b| s.name_of(b).to_owned()),
        }
    }
}

/// A design's number of single points of failure, which a worker counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SpofCount {
    /// Being counted.
    Counting,
    /// Counted.
    Counted(usize),
    /// The count could not be made (no worker could run the sweep).
    Unknown,
}

impl std::fmt::Display for SpofCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SpofCount::Counting => f.write_str("…"),
            SpofCount::Counted(n) => write!(f, "{n}"),
            SpofCount::Unknown => f.write_str("—"),
        }
    }
}

/// A stage being shown: which one, and the design before and after the step.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    /// Index into the journey.
    pub index: usize,
    /// The previous design at this stage's traffic (`None` when the stage was opened
    /// directly, or the previous design does not solve).
    pub before: Option<Summary>,
    /// This stage's design.
    pub after: Option<Summary>,
    /// Everything that differs from the design compared (`before`), or from the previous
    /// stage's when none is, in words.
    pub changes: Vec<String>,
}

/// A stage opened: what the panel shows, the stage's design, and the designs compared
/// (before, if compared, and after), whose SPOFs are still to count.
pub struct Opened {
    /// What the panel shows (SPOF counts not in yet).
    pub lesson: Lesson,
    /// The stage's design, which becomes the one edited.
    pub design: Scenario,
    /// The current design at the stage's traffic, when compared and it solves.
    pub before: Option<Scenario>,
}

/// Opens stage `index` over the current design `current`: the comparison solves the current
/// design at the stage's traffic, and the stage's own design.
pub fn open(index: usize, current: &Scenario, compare: bool) -> Opened {
    let stages = journey();
    let st = stages[index.min(stages.len() - 1)];
    let design = (st.build)();
    let mut before_design = None;
    let before = compare
        .then(|| {
            let mut s = current.clone();
            s.traffic = users_traffic(st.users);
            let summary = analyze(&s).ok().map(|r| Summary::of(&r, &s));
            before_design = summary.is_some().then_some(s);
            summary
        })
        .flatten();
    let after = analyze(&design).ok().map(|r| Summary::of(&r, &design));
    // What tells Before from After: the design compared, or else the previous stage's.
    let changes = before_design
        .clone()
        .or_else(|| previous_stage(index))
        .map(|b| changes(&b, &design))
        .unwrap_or_default()
        .iter()
        .map(ToString::to_string)
        .collect();
    Opened {
        lesson: Lesson {
            index,
            before,
            after,
            changes,
        },
        design,
        before: before_design,
    }
}

/// The previous stage's design at stage `index`'s traffic: the baseline "compare with the
/// previous stage" pins, so that every difference is the stage's change of design.
fn previous_stage(index: usize) -> Option<Scenario> {
    let stages = journey();
    let (previous, this) = (stages.get(index.checked_sub(1)?)?, stages.get(index)?);
    let mut s = (previous.build)();
    s.traffic = users_traffic(this.users);
    Some(s)
}

/// Panel properties.
#[derive(Properties, PartialEq)]
pub struct JourneyProps {
    /// The stage shown.
    pub lesson: Lesson,
    /// Go to a stage (`true`: compare with the current design).
    pub on_go: Callback<(usize, bool)>,
    /// Point at the bottleneck.
    pub on_why: Callback<()>,
    /// Close the panel.
    pub on_close: Callback<()>,
    /// Pin a design as the baseline.
    pub on_pin: Callback<Option<Rc<Scenario>>>,
    /// The design on screen: once it is not the stage's as it opened, the panel says its
    /// figures are the stage's, and Results the design's.
    pub scenario: Rc<Scenario>,
}

/// The panel.
#[component]
pub fn JourneyPanel(props: &JourneyProps) -> Html {
    let stages = journey();
    let i = props.lesson.index;
    let st = stages[i];
    let row = |label: &str, f: &dyn Fn(&Summary) -> String| {
        let cell = |s: &Option<Summary>| s.as_ref().map_or("—".to_owned(), f);
        html! {
            <tr><th>{ label.to_owned() }</th><td>{ cell(&props.lesson.before) }</td><td>{ cell(&props.lesson.after) }</td></tr>
        }
    };
    let go = |to: usize, compare: bool| props.on_go.reform(move |_: MouseEvent| (to, compare));
    // Whether the stage list was last moved by a key (opened with Enter, not on each key).
    let by_key = use_memo((), |_| std::cell::Cell::new(false));
    let edited = *props.scenario != (st.build)();
    let peak = users_traffic(st.users).peak_rps();
    let now = props.scenario.traffic.peak_rps();
    // The stage's traffic, and the design's when an edit has moved it away.
    let traffic = if (now - peak).abs() > 1e-9 * peak {
        format!(
            "{} daily users ({} req/s at peak) · your design now: {} req/s at peak",
            rate(st.users),
            rate(peak),
            rate(now)
        )
    } else {
        format!(
            "{} daily users ({} req/s at peak)",
            rate(st.users),
            rate(peak)
        )
    };
    let caption = if edited {
        "Before: the design you had, at this stage's traffic. After: this stage's design as it \
         opened; you have changed it since, so Results below are your design's numbers, not \
         these."
    } else {
        "Before: the design you had, at this stage's traffic. After: this stage's design."
    };
    html! {
        <section class="journey" data-testid="journey">
            <div class="journey-head">
                <h2>{ format!("Journey · stage {} of {}", i + 1, stages.len()) }</h2>
                <button class="link-button" onclick={props.on_close.reform(|_| ())} aria-label="Close">{"×"}</button>
            </div>
            <select aria-label="Stage" data-testid="stage-select" title="Arrow keys to choose, Enter to open"
                    onchange={{
                        let (cb, by_key) = (props.on_go.clone(), by_key.clone());
                        Callback::from(move |e: Event| {
                            // Chromium changes a closed list on every arrow key: a stage
                            // opened per key would replace the design at each step.
                            if by_key.get() {
                                return;
                            }
                            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
                            if let Ok(n) = el.value().parse::<usize>() {
                                cb.emit((n, false));
                            }
                        })
                    }}
                    onkeydown={{
                        let (cb, by_key) = (props.on_go.clone(), by_key.clone());
                        Callback::from(move |e: KeyboardEvent| {
                            let key = e.key();
                            by_key.set(key.starts_with("Arrow") || key.starts_with("Page") || key == "Home" || key == "End");
                            if key != "Enter" {
                                return;
                            }
                            // Enter opens the stage chosen; it would also drop the list open.
                            e.prevent_default();
                            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
                            match el.value().parse::<usize>() {
                                Ok(n) if n != i => cb.emit((n, false)),
                                _ => {}
                            }
                        })
                    }}
                    onmousedown={{ let by_key = by_key.clone(); Callback::from(move |_: MouseEvent| by_key.set(false)) }}
                    onblur={{
                        let by_key = by_key.clone();
                        // Chosen by keys and not opened with Enter: the list shows the
                        // stage that is open again.
                        Callback::from(move |e: FocusEvent| {
                            by_key.set(false);
                            let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
                            el.set_value(&i.to_string());
                        })
                    }}>
                { for stages.iter().enumerate().map(|(n, s)| html! {
                    <option value={n.to_string()} selected={n == i}>{ format!("{}. {}", n + 1, s.title) }</option>
                }) }
            </select>
            <h3>{ st.title }</h3>
            <p class="muted" data-testid="stage-traffic">{ traffic }</p>
            <p class="lesson" data-testid="lesson">{ st.lesson }</p>
            if !props.lesson.changes.is_empty() {
                <details class="stage-changes" data-testid="stage-changes">
                    <summary>{ format!("Everything this stage changes ({})", props.lesson.changes.len()) }</summary>
                    <ul>{ for props.lesson.changes.iter().map(|c| html! { <li>{ c.clone() }</li> }) }</ul>
                </details>
            }
            if props.lesson.before.is_some() {
                <table class="compare" data-testid="compare" data-edited={edited.to_string()}>
                    <caption>{ caption }</caption>
                    <thead><tr><th></th><th>{"Before"}</th><th>{"After"}</th></tr></thead>
                    <tbody>
                        { row("Throughput", &|s| format!("{}/s", rate(s.throughput))) }
                        { row("Dropped", &|s| format!("{}/s", rate(s.dropped))) }
                        { row("p99", &|s| millis(s.p99)) }
                        { row("Availability", &|s| availability(s.availability)) }
                        { row("SPOFs", &|s| s.spofs.to_string()) }
                        { row("Cost / month", &|s| dollars(s.cost)) }
                        { row("Bottleneck", &|s| s.bottleneck.clone().unwrap_or_default()) }
                    </tbody>
                </table>
            }
            <div class="journey-actions">
                if i > 0 {
                    <button onclick={go(i - 1, false)}>{"← Previous"}</button>
                }
                <button onclick={props.on_why.reform(|_| ())} data-testid="why">{"Why does it break?"}</button>
                if i > 0 {
                    <button data-testid="compare-previous-stage"
                            title="Pin the previous stage's design, at this stage's traffic, as the baseline: every figure is shown against it"
                            onclick={props.on_pin.reform(move |_: MouseEvent| previous_stage(i).map(Rc::new))}>
                        {"Compare with the previous stage"}
                    </button>
                }
                if i + 1 < stages.len() {
                    <button class="primary" onclick={go(i + 1, true)} data-testid="next-stage">{"Next stage →"}</button>
                }
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list under the lesson tells Before from After: an edit made before stepping on
    /// is among the changes, since the Before column shows the edited design.
    #[test]
    fn the_changes_listed_are_those_between_the_columns() {
        let stages = journey();
        let mut edited = (stages[0].build)();
        for c in edited.components.iter_mut().filter(|c| c.id == "web") {
            *c = c.clone().with("instances", 2.0);
        }
        let opened = open(1, &edited, true);
        assert!(opened.lesson.before.is_some());
        let listed = &opened.lesson.changes;
        assert!(
            listed.contains(&"Web servers: instances 2 → 1".to_owned()),
            "{listed:?}"
        );
        // Both columns are at the stage's traffic: the traffic is not a change.
        assert!(
            listed.iter().all(|c| !c.starts_with("traffic")),
            "{listed:?}"
        );

        // Opened directly, the list is the previous stage's design against this one.
        let direct = open(1, &edited, false).lesson.changes;
        assert!(
            !direct.iter().any(|c| c.contains("instances")),
            "{direct:?}"
        );
        assert!(
            direct.contains(&"added Database (DB primary)".to_owned()),
            "{direct:?}"
        );
    }
}
