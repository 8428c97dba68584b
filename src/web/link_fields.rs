//! A link's settings in the inspector: its split weight, the classes it carries, whether
//! it is a synchronous call, and its circuit breaker.

use crate::editor::{Action, Edit};
use crate::model::{Breaker, BreakerField, Class, Link};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Link field properties.
#[derive(Properties, PartialEq)]
pub struct LinkProps {
    /// The link.
    pub link: Link,
    /// Edits.
    pub on_action: Callback<Action>,
}

/// A link's settings: split weight, classes carried, and whether it is a synchronous call.
#[component]
pub fn LinkFields(props: &LinkProps) -> Html {
    let l = &props.link;
    let emit = {
        let cb = props.on_action.clone();
        move |link: Link| cb.emit(Edit::SetLink(link).into())
    };
    // A numeric link field: empty or unreadable text clears the setting.
    let numeric = |set: fn(&mut Link, Option<f64>)| {
        let (l, emit) = (l.clone(), emit.clone());
        Callback::from(move |e: Event| {
            let el: HtmlInputElement = e.target_unchecked_into();
            let mut next = l.clone();
            set(&mut next, el.value().trim().parse::<f64>().ok());
            emit(next);
        })
    };
    let on_weight = numeric(|l, v| l.weight = v);
    // A hand-off has nobody waiting: making the link one drops its timeout and breaker.
    let on_calls = numeric(|l, v| {
        l.calls = v;
        if v.is_none() {
            (l.timeout_ms, l.breaker) = (None, None);
        }
    });
    let on_timeout = numeric(|l, v| l.timeout_ms = v);
    let on_breaker = {
        let (l, emit) = (l.clone(), emit.clone());
        Callback::from(move |_: Event| {
            let mut next = l.clone();
            next.breaker = match l.breaker {
                Some(_) => None,
                None => Some(Breaker::default()),
            };
            emit(next);
        })
    };
    let breaker_field = |f: BreakerField| {
        let (l, emit) = (l.clone(), emit.clone());
        let value = l.breaker.map(|b| b.get(f)).unwrap_or_default();
        let onchange = Callback::from(move |e: Event| {
            let el: HtmlInputElement = e.target_unchecked_into();
            let mut next = l.clone();
            if let (Some(b), Ok(v)) = (next.breaker.as_mut(), el.value().trim().parse::<f64>()) {
                b.set(f, v);
                emit(next);
            }
        });
        let id = format!("breaker-{}", f.key());
        html! {
            <div class="field">
                <label for={id.clone()}><span>{ f.label() }</span><span class="unit">{ f.unit() }</span></label>
                <input id={id} type="text" inputmode="decimal" value={value.to_string()} {onchange} />
                <div class="field-hint">
                    { format!("default {} · {} – {}. {}", Breaker::default().get(f), f.range().0, f.range().1, f.help()) }
                </div>
            </div>
        }
    };
    let class_box = |class: Class, label: &'static str| {
        let (l, emit) = (l.clone(), emit.clone());
        let checked = l.carries(class);
        let onchange = Callback::from(move |_: Event| {
            let mut next = l.clone();
            let mut set: Vec<Class> = Class::ALL.into_iter().filter(|c| l.carries(*c)).collect();
            if checked {
                set.retain(|c| *c != class);
            } else {
                set.push(class);
                crate::sort::ascending(&mut set);
            }
            next.classes = if set.len() == Class::ALL.len() {
                Vec::new()
            } else {
                set
            };
            emit(next);
        });
        html! {
            <label class="check"><input type="checkbox" {checked} {onchange} data-class={label} />{ label }</label>
        }
    };
    html! {
        <div class="params">
            <p><strong>{ format!("{} → {}", l.from, l.to) }</strong></p>
            <div class="field">
                <label for="link-weight"><span>{"Weight"}</span><span class="unit">{"share when split"}</span></label>
                <input id="link-weight" type="text" inputmode="decimal" placeholder="1"
                       value={l.weight.map(|w| w.to_string()).unwrap_or_default()} onchange={on_weight} />
            </div>
            <div class="field">
                <label><span>{"Carries"}</span></label>
                <div class="checks">
                    { class_box(Class::Read, "read") }
                    { class_box(Class::Write, "write") }
                    { class_box(Class::Static, "static") }
                </div>
            </div>
            <div class="field">
                <label for="link-calls"><span>{"Calls per request"}</span><span class="unit">{"empty: hand-off"}</span></label>
                <input id="link-calls" type="text" inputmode="decimal" placeholder="hand-off"
                       value={l.calls.map(|c| c.to_string()).unwrap_or_default()} onchange={on_calls} />
                <div class="field-hint">{"A call waits for the answer (e.g. a session lookup); a hand-off passes the request on."}</div>
            </div>
            if l.calls.is_some() {
                <div class="field">
                    <label for="link-timeout"><span>{"Call timeout"}</span><span class="unit">{"ms"}</span></label>
                    <input id="link-timeout" type="text" inputmode="decimal" placeholder="waits for ever"
                           value={l.timeout_ms.map(|t| t.to_string()).unwrap_or_default()} onchange={on_timeout} />
                    <div class="field-hint">{"The caller gives up on a call after this long and counts it failed (simulator)."}</div>
                </div>
                <h3>{"Circuit breaker"}</h3>
                <label class="check"><input id="link-breaker" type="checkbox" checked={l.breaker.is_some()} onchange={on_breaker} />
                    {"Stop calling a failing dependency"}</label>
                if l.breaker.is_some() {
                    { for BreakerField::ALL.into_iter().map(breaker_field) }
                }
            }
        </div>
    }
}
