//! The inspector: the selected component's parameters, each with its unit, default and
//! valid range. A value out of range is shown as an error on its field and never sent.

use super::activate::activate;
use super::data_tier::data_tier;
use super::deferred::Panel;
use super::explanation::{ExplanationCardProps, Open};
use super::format::{availability, millis, percent, rate};
use super::hit_curve::HitCurveProps;
use super::hooks::{use_reveal, Panels};
use super::icons::icon;
use super::link_fields::LinkFields;
use super::link_list::LinkList;
use super::number_field::NumberField;
use super::Shared;
use crate::editor::{Action, Edit, Selection};
use crate::model::{
    Autoscale, Failure, Kind, ParamDefault, ParamSpec, ParamType, ParamValue, Scenario,
};
use crate::solve::hit_ratio::{self, HitSource};
use crate::solve::{noticeable, ComponentReport, PassedBy, Quantity, Report};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Inspector properties.
#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    /// The design.
    pub scenario: Rc<Scenario>,
    /// What is selected.
    pub selection: Selection,
    /// The solve, when valid.
    pub report: Option<Shared<Report>>,
    /// Edits.
    pub on_action: Callback<Action>,
    /// Draws the explanation cards, which come with the deferred panels.
    pub panels: Panels,
    /// The one explanation open on the page (the results panel's, or one of this
    /// component's numbers here).
    pub explained: UseStateHandle<Option<Open>>,
    /// The second of a simulated run the diagram shows instead of the live solve, if any.
    #[prop_or_default]
    pub replay: Option<usize>,
}

/// A statistic that opens its explanation when clicked.
fn explainable(open: &UseStateHandle<Option<Open>>, id: &str, q: Quantity, shown: String) -> Html {
    let label = match q {
        Quantity::TimeHere => "Time here",
        Quantity::Utilisation => "Utilisation",
        Quantity::Availability => "Availability",
    };
    let (onclick, onkeydown) = {
        let (open, id) = (open.clone(), id.to_owned());
        activate(Callback::from(move |()| {
            open.set(Some(Open::Quantity(id.clone(), q)))
        }))
    };
    html! {
        <>
            <dt>{ label }</dt>
            <dd class="explainable" role="button" tabindex="0" data-quantity={format!("{q:?}")} aria-label={format!("{label}: {shown}")}
                title="Click for where this number comes from" {onclick} {onkeydown}>{ shown }</dd>
        </>
    }
}

/// What a what-if failure leaves of component `st` (of `kind`), for its inspector: the
/// diagram's DOWN badge in words, and why its availability may still read 100%.
fn outage(
    scenario: &Scenario,
    report: &Report,
    kind: Kind,
    failure: Failure,
    st: &ComponentReport,
) -> String {
    // Passed on, a failure takes nothing down by itself (the availability counts it as up,
    // MODEL.md §7); what its load does where it goes is said from the numbers.
    let then = |passed: String| match report.losses(scenario) {
        Some(lost) => format!("{passed}; with the design as it is now, {lost}"),
        None => format!("{passed}, so it takes nothing down"),
    };
    match (failure.lost, &st.passed_by) {
        (Some(n), _) if kind == Kind::ShardGroup => {
            format!("{n} {} of each shard lost (what-if)", instances(n))
        }
        (Some(n), _) => format!("{n} {} lost (what-if)", instances(n)),
        // Passed by: the availability math counts it as up (MODEL.md §7).
        (None, Some(PassedBy::Origin)) => {
            then("Failed (what-if): its callers go straight to its origin".to_owned())
        }
        (None, Some(PassedBy::Promoted(id))) => then(format!(
            "Failed (what-if): {} is promoted in its place and takes its writes",
            scenario.name_of(id)
        )),
        (None, None) => "Failed (what-if): down".to_owned(),
    }
}

/// For a region: the button that fails (`down`) or restores it with every component placed
/// in its location, a region outage in one edit (one undo brings it back). Failing the
/// region alone removes only its entry hop. Nothing when there is no such outage to mark
/// or lift.
fn region_button(s: &Scenario, id: &str, down: bool, on_action: &Callback<Action>) -> Html {
    let (Some(members), Some(failed)) = (s.region_members(id), s.region_outage(id, down)) else {
        return html! {};
    };
    let others = members.len() - 1;
    let others_failed = members
        .iter()
        .map(|&v| &s.components[v].id)
        .filter(|&m| m != id && s.failed.contains_key(m))
        .count();
    // Restored: only when more than the region itself is failed ("Restore" does that).
    if others == 0 || (!down && others_failed == 0) {
        return html! {};
    }
    let place = s
        .component(id)
        .and_then(Scenario::location_of)
        .map_or("", |l| l.name());
    let (testid, text, title) = if down {
        (
            "fail-region",
            "Fail the whole region",
            format!(
                "A region outage: marks it and the {others} components placed in {place} failed. \
                 Fail it alone and only its entry hop goes; what is placed there keeps running."
            ),
        )
    } else {
        (
            "restore-region",
            "Restore the whole region",
            format!("Restores it and the {others} components placed in {place}."),
        )
    };
    let onclick = on_action.reform(move |_| Edit::SetFailures(failed.clone()).into());
    html! { <button data-testid={testid} {title} {onclick}>{ text }</button> }
}

/// "instance" or "instances", after a count of `n`.
fn instances(n: u64) -> &'static str {
    ["instances", "instance"][usize::from(n == 1)]
}

/// The inspector panel.
#[component]
pub fn Inspector(props: &InspectorProps) -> Html {
    let sel = &props.selection;
    let single = (sel.components.len() == 1)
        .then(|| sel.components.iter().next().cloned())
        .flatten();
    let head = use_reveal(single.clone());
    // One of the selected component's numbers, explained (hidden when the selection moves).
    let open = props.explained.clone();
    let open_here = (*open)
        .clone()
        .filter(|o| matches!(o, Open::Quantity(i, _) if Some(i) == single.as_ref()));
    let body = if let Some(id) = single {
        match props.scenario.component(&id) {
            Some(c) => {
                let stats = props.report.as_ref().and_then(|r| r.components.get(&id));
                let whole_down = props
                    .scenario
                    .failed
                    .get(&id)
                    .is_some_and(|f| f.lost.is_none());
                let on_label = {
                    let cb = props.on_action.clone();
                    let id = id.clone();
                    Callback::from(move |e: Event| {
                        let input: HtmlInputElement = e.target_unchecked_into();
                        cb.emit(
                            Edit::SetLabel {
                                id: id.clone(),
                                label: input.value(),
                            }
                            .into(),
                        );
                    })
                };
                html! {
                    <>
                        <div class="inspector-head" ref={head}>
                            { icon(c.kind) }
                            <div>
                                <input class="label-input" aria-label="Name" value={c.label.clone()}
                                       onchange={on_label} />
                                <div class="muted">{ format!("{} · id {}", c.kind.name(), c.id) }</div>
                            </div>
                        </div>
                        if let Some(t) = props.replay {
                            <p class="muted small" data-testid="replay-note">{ format!("The diagram shows the simulated run at {t} s; these are the design's steady-state numbers.") }</p>
                        }
                        if let Some(st) = stats {
                            <dl class="stats" data-testid="selected-stats">
                                if let Some(failure) = props.scenario.failed.get(&c.id) {
                                    <dt>{"State"}</dt>
                                    <dd class="bad" data-testid="failed-state">{ props.report.as_ref().map(|r| outage(&props.scenario, &r.0, c.kind, *failure, st)).unwrap_or_default() }</dd>
                                }
                                <dt>{"Arrivals"}</dt><dd>{ format!("{}/s", rate(st.requests_rps())) }</dd>
                                if let (Some(n), Some(policy)) = (st.instances_steady, Autoscale::of(c)) {
                                    <dt>{"Instances"}</dt>
                                    <dd data-testid="steady-instances" title="The count the autoscaling policy settles on at this traffic; every number here is for it">
                                        { format!("{n} (autoscaled {}–{})", policy.min, policy.max) }
                                    </dd>
                                }
                                // A component that is down in full serves nothing: no hit
                                // ratio, load or time of its own to read.
                                if !whole_down {
                                    { data_tier(st, c, &props.scenario) }
                                    if st.capacity_rps.is_some() {
                                        { explainable(&open, &id, Quantity::Utilisation, percent(st.utilization)) }
                                        <dt>{"Capacity"}</dt><dd>{ format!("{}/s", rate(st.capacity_rps.unwrap_or(0.0))) }</dd>
                                    }
                                    { explainable(&open, &id, Quantity::TimeHere, millis(st.mean_response_ms)) }
                                }
                                <dt>{"Dropped"}</dt><dd class={noticeable(st.dropped_rps).then_some("bad")}>{ format!("{}/s", rate(st.dropped_rps)) }</dd>
                                if let Some(why) = st.overflow() {
                                    <dd class="stats-note" data-testid="overflow">{ why }</dd>
                                }
                                { explainable(&open, &id, Quantity::Availability, availability(st.availability)) }
                                if let Some(by) = st.passed_by.as_ref().filter(|_| st.failed) {
                                    <dd class="stats-note" data-testid="passed-availability">{ format!(
                                        "Counted as up in the availability, though it failed: {}, so its failure takes nothing down by itself (MODEL.md §7).",
                                        match by {
                                            PassedBy::Promoted(r) => format!("{} is promoted in its place", props.scenario.name_of(r)),
                                            PassedBy::Origin => "its callers go straight to its origin".to_owned(),
                                        }
                                    ) }</dd>
                                }
                            </dl>
                        }
                        if let (Some(what), Some(report)) = (open_here.clone(), props.report.clone()) {
                            { props.panels.draw(Panel::Explanation(ExplanationCardProps {
                                open: what, scenario: props.scenario.clone(), report,
                                on_close: { let open = open.clone(); Callback::from(move |()| open.set(None)) },
                            })) }
                        }
                        if stats.is_some_and(|st| st.hit_ratio.is_some()) && props.scenario.traffic.keys.is_some() {
                            { props.panels.draw(Panel::HitCurve(HitCurveProps {
                                scenario: props.scenario.clone(), component: c.clone(),
                            })) }
                        }
                        { for c.kind.param_sections().into_iter().filter(|(_, specs)| !specs.is_empty()).map(|(title, specs)| {
                            html! {
                                <div class="params" data-section={title}>
                                    if !title.is_empty() {
                                        <h3>{ title }</h3>
                                    }
                                    { for specs.iter().map(|spec| {
                                        let cb = props.on_action.clone();
                                        let id = id.clone();
                                        html! {
                                            <ParamField key={format!("{}:{}", c.id, spec.key)} spec={*spec}
                                                value={c.params.get(spec.key).cloned()}
                                                default={match hit_ratio::untyped(&props.scenario, c) {
                                                    // The model's value is what an empty field means,
                                                    // typed over or not.
                                                    Some(h) if spec.key == "hit_ratio" && h.source == HitSource::Workload => {
                                                        format!("{:.3} from the workload", h.value)
                                                    }
                                                    _ => default_text(c, spec),
                                                }}
                                                on_set={Callback::from(move |value| cb.emit(Edit::SetParam {
                                                    id: id.clone(), key: spec.key.to_owned(), value,
                                                }.into()))} />
                                        }
                                    }) }
                                </div>
                            }
                        }) }
                        <LinkList scenario={props.scenario.clone()} id={id.clone()} on_action={props.on_action.clone()} />
                        if c.kind != Kind::Client {
                            <div class="what-if" data-testid="what-if">
                                <h3>{"What if it fails?"}</h3>
                                if let Some(failure) = props.scenario.failed.get(&c.id).copied() {
                                    <button data-testid="restore" onclick={{
                                        let (cb, id) = (props.on_action.clone(), id.clone());
                                        Callback::from(move |_| cb.emit(Edit::SetFailure { id: id.clone(), failure: None }.into()))
                                    }}>{"Restore"}</button>
                                    { region_button(&props.scenario, &id, false, &props.on_action) }
                                    // A pool that lost some can lose one more while two are left.
                                    if let Some(lost) = failure.lost.filter(|&n| c.num("instances") >= n as f64 + 2.0) {
                                        <button data-testid="lose-another" onclick={{
                                            let (cb, id) = (props.on_action.clone(), id.clone());
                                            Callback::from(move |_| cb.emit(Edit::SetFailure { id: id.clone(), failure: Some(Failure::lose(lost + 1)) }.into()))
                                        }}>{ if c.kind == Kind::ShardGroup { "Lose another instance per shard" } else { "Lose another instance" } }</button>
                                    }
                                } else {
                                    <button data-testid="fail" title={(c.kind == Kind::Region).then_some(
                                        "Only its entry hop fails: the requests routed through it lose that route, and what is placed there keeps running")} onclick={{
                                        let (cb, id) = (props.on_action.clone(), id.clone());
                                        Callback::from(move |_| cb.emit(Edit::SetFailure { id: id.clone(), failure: Some(Failure::DOWN) }.into()))
                                    }}>{"Fail it"}</button>
                                    { region_button(&props.scenario, &id, true, &props.on_action) }
                                    if c.num("instances") >= 2.0 {
                                        <button data-testid="lose-one" onclick={{
                                            let (cb, id) = (props.on_action.clone(), id.clone());
                                            Callback::from(move |_| cb.emit(Edit::SetFailure { id: id.clone(), failure: Some(Failure::lose(1)) }.into()))
                                        }}>{ if c.kind == Kind::ShardGroup { "Lose one instance per shard" } else { "Lose one instance" } }</button>
                                    }
                                }
                            </div>
                        }
                        <button class="danger" onclick={props.on_action.reform(|_| Action::DeleteSelection)}>
                            {"Delete component"}
                        </button>
                    </>
                }
            }
            None => html! {},
        }
    } else if sel.components.len() > 1 {
        html! {
            <>
                <p>{ format!("{} components selected.", sel.components.len()) }</p>
                <button class="danger" onclick={props.on_action.reform(|_| Action::DeleteSelection)}>
                    {"Delete selected"}
                </button>
            </>
        }
    } else if let Some(link) = sel.link.as_ref().and_then(|(f, t)| {
        props
            .scenario
            .links
            .iter()
            .find(|l| &l.from == f && &l.to == t)
    }) {
        let rps = props
            .report
            .as_ref()
            .and_then(|r| {
                r.links
                    .iter()
                    .find(|l| l.from == link.from && l.to == link.to)
            })
            .map(|l| l.rps);
        html! {
            <>
                <LinkFields link={link.clone()} on_action={props.on_action.clone()} />
                if let Some(rps) = rps {
                    <p class="muted">{ format!("Carries {}/s.", rate(rps)) }</p>
                }
                <button class="danger" onclick={props.on_action.reform(|_| Action::DeleteSelection)}>
                    {"Delete link"}
                </button>
            </>
        }
    } else {
        html! {
            <p class="muted">
                {"Select a component to edit it. Drag from a component's right-hand port to connect it, or choose under Links in its inspector."}
            </p>
        }
    };
    html! {
        <section class="inspector" aria-label="Inspector" data-testid="inspector">
            <h2>{"Inspector"}</h2>
            { body }
        </section>
    }
}

fn default_text(c: &crate::model::Component, spec: &ParamSpec) -> String {
    match spec.default {
        ParamDefault::Choice(v) => v.to_owned(),
        ParamDefault::Unset(off) => off.to_owned(),
        _ => spec
            .default_number(c.kind)
            .map_or_else(String::new, |v| format!("{v}")),
    }
}

#[derive(Properties, PartialEq)]
struct ParamFieldProps {
    spec: ParamSpec,
    value: Option<ParamValue>,
    default: String,
    on_set: Callback<Option<ParamValue>>,
}

/// One parameter's field: a choice, or a number checked against the kind table as typed.
#[component]
fn ParamField(props: &ParamFieldProps) -> Html {
    let spec = props.spec;
    let current = match &props.value {
        Some(ParamValue::Number(v)) => v.to_string(),
        Some(ParamValue::Text(t)) => t.clone(),
        None => String::new(),
    };
    let id = format!("param-{}", spec.key);
    let range = match spec.ty {
        ParamType::Number { min, max, .. } => format!("{min} – {max}"),
        ParamType::Choice(_) => String::new(),
    };
    let input = match spec.ty {
        ParamType::Choice(options) => {
            let on_set = props.on_set.clone();
            let onchange = Callback::from(move |e: Event| {
                let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
                on_set.emit(Some(ParamValue::Text(el.value())));
            });
            let chosen = if current.is_empty() {
                props.default.clone()
            } else {
                current.clone()
            };
            html! {
                <select id={id.clone()} data-param={spec.key} {onchange}>
                    { for options.iter().map(|o| html! {
                        <option value={*o} selected={chosen == *o}>{ spec.choice_text(o) }</option>
                    }) }
                </select>
            }
        }
        ParamType::Number { .. } => {
            let value = match &props.value {
                Some(ParamValue::Number(v)) => Some(*v),
                _ => None,
            };
            let check = Callback::from(move |v: Option<f64>| {
                v.and_then(|v| spec.check(&ParamValue::Number(v)).err())
                    .map(|e| e.to_string())
            });
            let on_set = props
                .on_set
                .reform(|v: Option<f64>| v.map(ParamValue::Number));
            html! {
                <NumberField {value} optional=true placeholder={props.default.clone()}
                             label={spec.label} {check} {on_set} id={AttrValue::from(id.clone())}
                             attr={("data-param", AttrValue::from(spec.key))} />
            }
        }
    };
    html! {
        <div class="field" title={spec.help}>
            <label for={id}>
                <span>{ spec.label }</span>
                <span class="unit">{ spec.unit }</span>
            </label>
            { input }
            if !range.is_empty() {
                <div class="field-hint">{ format!("default {} · {range}", props.default) }</div>
            }
        </div>
    }
}
