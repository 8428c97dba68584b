//! The top bar: traffic controls, the File menu, undo/redo, share, help.

use super::file_menu::{FileAction, FileMenu};
use super::number_field::{show, NumberField};
use super::storage::Entry;
use crate::editor::{refusal, Action, Edit};
use crate::model::{Class, Scenario, Traffic, Users, SECONDS_PER_DAY};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Toolbar properties.
#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    /// The design.
    pub scenario: Rc<Scenario>,
    /// A closed population's solved rate, shown in the rate field (typing a rate there
    /// switches to open traffic).
    #[prop_or_default]
    pub solved_rps: Option<f64>,
    /// Whether undo is possible.
    pub can_undo: bool,
    /// Whether redo is possible.
    pub can_redo: bool,
    /// Edits.
    pub on_action: Callback<Action>,
    /// Copy a share link.
    pub on_copy_link: Callback<()>,
    /// Save, open or export a file.
    pub on_file: Callback<FileAction>,
    /// The designs kept in the browser, the most recent first.
    pub recent: Rc<Vec<Entry>>,
    /// Open a kept design by its key.
    pub on_recent: Callback<String>,
    /// Start a blank design.
    pub on_new: Callback<()>,
    /// Open a shipped example by its key.
    pub on_example: Callback<&'static str>,
    /// Start the journey from one server to millions of users.
    pub on_journey: Callback<()>,
    /// Toggle the help.
    pub on_help: Callback<()>,
}

/// Lowest and highest rate the slider reaches, as powers of ten.
const SLIDER_RANGE: (f64, f64) = (0.0, 7.0);

/// The top bar.
#[component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let traffic = props.scenario.traffic.clone();
    let rps = props.solved_rps.unwrap_or_else(|| traffic.peak_rps());
    let set_rps = {
        let cb = props.on_action.clone();
        let traffic = traffic.clone();
        move |v: f64| cb.emit(Edit::SetTraffic(traffic.with_rps(v)).into())
    };
    let on_rps = {
        let set_rps = set_rps.clone();
        Callback::from(move |v: Option<f64>| {
            if let Some(v) = v {
                set_rps(v);
            }
        })
    };
    let check_rps = {
        let (scenario, traffic) = (props.scenario.clone(), traffic.clone());
        Callback::from(move |v: Option<f64>| {
            refusal(
                &scenario,
                Edit::SetTraffic(traffic.with_rps(v.unwrap_or_default())),
            )
        })
    };
    let on_slider = {
        let set_rps = set_rps.clone();
        Callback::from(move |e: Event| {
            let el: HtmlInputElement = e.target_unchecked_into();
            if let Ok(exp) = el.value().parse::<f64>() {
                set_rps(10f64.powf(exp).round());
            }
        })
    };
    // ×10 and ÷10 scale the traffic as it is described: a population stays one.
    let scale = |factor: f64| {
        let (cb, traffic) = (props.on_action.clone(), traffic.clone());
        Callback::from(move |_: MouseEvent| {
            cb.emit(Edit::SetTraffic(traffic.scaled(factor)).into())
        })
    };
    // The share typed last stays as typed when another one changes.
    let last_share = use_state(|| None::<Class>);
    let mix = |label: &'static str, class: Class, value: f64| {
        let on_set = {
            let (cb, traffic, last_share) =
                (props.on_action.clone(), traffic.clone(), last_share.clone());
            Callback::from(move |pct: Option<f64>| {
                let next = traffic.with_share(class, pct.unwrap_or_default() / 100.0, *last_share);
                last_share.set(Some(class));
                cb.emit(Edit::SetTraffic(next).into());
            })
        };
        let check = Callback::from(move |pct: Option<f64>| {
            pct.filter(|p| !(0.0..=100.0).contains(p))
                .map(|_| format!("The {} share must be between 0 and 100 %", class.key()))
        });
        html! {
            <label class="mix">
                <span>{ label }</span>
                <NumberField value={Some((value * 100.0).round())} label={label} {check} {on_set}
                             size={Some(4)} attr={("data-mix", AttrValue::from(class.key()))} />
                <span class="unit">{"%"}</span>
            </label>
        }
    };
    // The workload's key space: optional numbers, each checked by the design's validation.
    let workload = |label: &'static str,
                    key: &'static str,
                    value: Option<f64>,
                    placeholder: &'static str,
                    set: fn(&mut Traffic, Option<f64>)| {
        let next = {
            let traffic = traffic.clone();
            move |v: Option<f64>| {
                let mut t = traffic.clone();
                set(&mut t, v);
                t
            }
        };
        let check = {
            let (scenario, next) = (props.scenario.clone(), next.clone());
            Callback::from(move |v: Option<f64>| refusal(&scenario, Edit::SetTraffic(next(v))))
        };
        let on_set = {
            let cb = props.on_action.clone();
            Callback::from(move |v: Option<f64>| cb.emit(Edit::SetTraffic(next(v)).into()))
        };
        html! {
            <label class="mix">
                <span>{ label }</span>
                <NumberField {value} {label} optional={true} {placeholder} {check} {on_set}
                             size={Some(8)} attr={("data-workload", AttrValue::from(key))} />
            </label>
        }
    };
    // The rate to a thousandth (a rate from a user count has endless decimals), in a box
    // wide enough for it.
    let shown_rps = crate::model::shown_rps(rps);
    let rps_size = Some(show(Some(shown_rps)).len().max(4) + 2);
    let position = rps.max(1.0).log10().clamp(SLIDER_RANGE.0, SLIDER_RANGE.1);
    html! {
        <header class="toolbar">
            <div class="brand">
                <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
                    <path d="M4 18L10 6l4 8 2-4 4 8" fill="none" stroke="currentColor" stroke-width="2.2"
                          stroke-linecap="round" stroke-linejoin="round" />
                </svg>
                <span>{"ArchSim"}</span>
            </div>
            <div class="scenario-name" title="Scenario">{ props.scenario.name.clone() }</div>
            <div class="traffic" aria-label="Traffic">
                <label class="rps">
                    <span>{"Traffic"}</span>
                    <NumberField value={Some(shown_rps)} label="Requests per second" check={check_rps}
                                 on_set={on_rps} size={rps_size} attr={("data-testid", AttrValue::from("rps"))} />
                    <span class="unit">{"req/s"}</span>
                </label>
                <UsersCalc traffic={traffic.clone()} on_action={props.on_action.clone()} />
                <button onclick={scale(0.1)} title="Divide traffic by 10" aria-label="Divide traffic by 10">{"÷10"}</button>
                <input type="range" class="slider" aria-label="Traffic (logarithmic)"
                       aria-valuetext={format!("{} requests per second", crate::web::format::rate(shown_rps))}
                       min={SLIDER_RANGE.0.to_string()} max={SLIDER_RANGE.1.to_string()} step="0.01"
                       value={format!("{position:.2}")} onchange={on_slider} />
                <button onclick={scale(10.0)} title="Multiply traffic by 10" aria-label="Multiply traffic by 10" data-testid="times10">{"×10"}</button>
                <details class="menu" data-testid="mix">
                    <summary title="Share of reads, writes and static files">
                        { format!("Mix {:.0}/{:.0}/{:.0}", traffic.read * 100.0, traffic.write * 100.0, traffic.static_share * 100.0) }
                    </summary>
                    <div class="menu-items mix-items">
                        { mix("Read", Class::Read, traffic.read) }
                        { mix("Write", Class::Write, traffic.write) }
                        { mix("Static", Class::Static, traffic.static_share) }
                        <p class="menu-note">{"Key space (sizes caches by their hit ratio):"}</p>
                        { workload("Keys", "keys", traffic.keys, "none", |t, v| t.keys = v) }
                        { workload("Skew (Zipf s)", "zipf_s", traffic.zipf_s, "0.8", |t, v| t.zipf_s = v) }
                        { workload("Object KB", "object_kb", traffic.object_kb, "—", |t, v| t.object_kb = v) }
                    </div>
                </details>
            </div>
            <FileMenu on_file={props.on_file.clone()} recent={props.recent.clone()}
                      on_recent={props.on_recent.clone()} on_new={props.on_new.clone()}
                      on_example={props.on_example.clone()} />
            <button onclick={props.on_journey.reform(|_| ())} data-testid="journey-start"
                    title="Walk from one server to millions of users, one step at a time">{"Journey"}</button>
            <div class="actions">
                <button disabled={!props.can_undo} onclick={props.on_action.reform(|_| Action::Undo)}
                        title="Undo (Ctrl+Z)" data-testid="undo">{"Undo"}</button>
                <button disabled={!props.can_redo} onclick={props.on_action.reform(|_| Action::Redo)}
                        title="Redo (Ctrl+Shift+Z)" data-testid="redo">{"Redo"}</button>
                <button class="primary" onclick={props.on_copy_link.reform(|_| ())} data-testid="copy-link"
                        title="Copy a link that reproduces this design and its numbers">{"Copy link"}</button>
                <button onclick={props.on_help.reform(|_| ())} title="Shortcuts (?)" aria-label="Shortcuts">{"?"}</button>
            </div>
        </header>
    }
}

/// The users the calculator starts from: the design's own, or as many as give its rate at
/// 300 requests a user a day and a peak of 3 (whole users), so that "Use this traffic"
/// offers the traffic the design has rather than another.
fn users_of(users: Option<&Users>, rps: Option<f64>) -> Users {
    let (per, peak) = (
        crate::presets::REQUESTS_PER_USER_PER_DAY,
        crate::presets::PEAK_FACTOR,
    );
    users.cloned().unwrap_or_else(|| Users {
        daily_active: rps.map_or(100_000.0, |rps| {
            (rps * SECONDS_PER_DAY / (per * peak)).round()
        }),
        requests_per_user_per_day: per,
        peak_factor: peak,
    })
}

#[derive(Properties, PartialEq)]
struct UsersProps {
    traffic: Traffic,
    on_action: Callback<Action>,
}

/// Traffic from a user count: daily active users × requests per user per day ÷ 86 400 s ×
/// peak factor, with the conversion shown before it is applied.
#[component]
fn UsersCalc(props: &UsersProps) -> Html {
    let draft = use_state(|| users_of(props.traffic.users.as_ref(), props.traffic.rps));
    // The design's own traffic: opening a journey stage or a link, an edit of the rate, or
    // undoing changes it under the open calculator, which must not offer another.
    {
        let draft = draft.clone();
        let rps = props.traffic.rps.map(f64::to_bits);
        use_effect_with((props.traffic.users.clone(), rps), move |(users, rps)| {
            draft.set(users_of(users.as_ref(), rps.map(f64::from_bits)))
        });
    }
    let u = (*draft).clone();
    let peak = u.daily_active * u.requests_per_user_per_day / SECONDS_PER_DAY * u.peak_factor;
    let field = |label: &'static str, key: &'static str, value: f64| {
        let draft = draft.clone();
        // The preview follows each keystroke; the design changes only on "Use this traffic".
        let oninput = Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = el.value().trim().parse::<f64>() {
                let mut next = (*draft).clone();
                match key {
                    "dau" => next.daily_active = v.max(0.0),
                    "per" => next.requests_per_user_per_day = v.max(0.0),
                    _ => next.peak_factor = v.max(0.0),
                }
                draft.set(next);
            }
        });
        html! {
            <label class="users-field">
                <span>{ label }</span>
                <input type="number" min="0" step="any" value={value.to_string()} data-users={key} {oninput} />
            </label>
        }
    };
    let apply = {
        let (cb, traffic, u) = (props.on_action.clone(), props.traffic.clone(), u.clone());
        Callback::from(move |_| {
            let mut t = traffic.clone();
            t.rps = None;
            t.users = Some(u.clone());
            cb.emit(Edit::SetTraffic(t).into());
        })
    };
    let summary = match (&props.traffic.users, props.traffic.population()) {
        (_, Some((n, z))) => format!("{} users · {z} s think", super::format::rate(n)),
        (Some(u), _) => format!("{} users", super::format::rate(u.daily_active)),
        (None, None) => "Users…".to_owned(),
    };
    // A closed population: N users, each waiting for its answer, then thinking Z s.
    let closed = use_state(|| props.traffic.population().unwrap_or((100.0, 5.0)));
    {
        let closed = closed.clone();
        use_effect_with(
            props
                .traffic
                .population()
                .map(|(n, z)| (n.to_bits(), z.to_bits())),
            move |p| {
                if let Some((n, z)) = *p {
                    closed.set((f64::from_bits(n), f64::from_bits(z)));
                }
            },
        );
    }
    let (n, z) = *closed;
    let closed_field = |label: &'static str, key: &'static str, value: f64| {
        let closed = closed.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = el.value().trim().parse::<f64>() {
                let (n, z) = *closed;
                closed.set(if key == "n" { (v, z) } else { (n, v) });
            }
        });
        html! {
            <label class="users-field">
                <span>{ label }</span>
                <input type="number" min="0" step="any" value={value.to_string()} data-population={key} {oninput} />
            </label>
        }
    };
    let apply_closed = {
        let (cb, traffic) = (props.on_action.clone(), props.traffic.clone());
        Callback::from(move |_| {
            // The mix and the workload stay; the load becomes the population.
            let t = Traffic {
                rps: None,
                users: None,
                users_concurrent: Some(n),
                think_time_s: Some(z),
                ..traffic.clone()
            };
            cb.emit(Edit::SetTraffic(t).into());
        })
    };
    html! {
        <details class="menu users" data-testid="users">
            <summary title="Set the traffic from a user count">{ summary }</summary>
            <div class="menu-items users-calc">
                { field("Daily active users", "dau", u.daily_active) }
                { field("Requests per user per day", "per", u.requests_per_user_per_day) }
                { field("Peak hour ÷ average", "peak", u.peak_factor) }
                <p class="muted">
                    { format!("{} × {} ÷ 86 400 s × {} = {:.1} req/s at peak",
                        u.daily_active, u.requests_per_user_per_day, u.peak_factor, peak) }
                </p>
                <button class="primary" onclick={apply} data-testid="apply-users">{"Use this traffic"}</button>
                <hr />
                <p class="muted">{"Or a closed population: each user sends a request, waits for the answer, then thinks. The rate is solved (Mean Value Analysis)."}</p>
                { closed_field("Concurrent users", "n", n) }
                { closed_field("Think time (s)", "z", z) }
                <button class="primary" onclick={apply_closed} data-testid="apply-population">{"Use this population"}</button>
            </div>
        </details>
    }
}
