//! Menus (`<details class="menu">`) close the way a person expects: on a choice, on Esc,
//! and on a press anywhere outside them.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};
use yew::prelude::*;

/// Closes every open menu except the one holding `keep`.
fn close_menus(keep: Option<&Element>) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(open) = doc.query_selector_all("details.menu[open]") else {
        return;
    };
    for i in 0..open.length() {
        let Some(menu) = open.get(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        if keep.is_some_and(|k| menu.contains(Some(k))) {
            continue;
        }
        let _ = menu.remove_attribute("open");
    }
}

/// The element an event happened on.
fn target(e: &Event) -> Option<Element> {
    e.target().and_then(|t| t.dyn_into::<Element>().ok())
}

/// Listens on the page for what closes menus.
#[hook]
pub fn use_menus() {
    use_effect_with((), |_| {
        let listeners = web_sys::window().map(|w| {
            let keys = EventListener::new(&w, "keydown", |e| {
                if e.dyn_ref::<KeyboardEvent>()
                    .is_some_and(|k| k.key() == "Escape")
                {
                    close_menus(None);
                }
            });
            // A press outside every menu closes them all.
            // (Captured, so that views that stop the event on its way up cannot hide it.)
            let presses = EventListener::new_with_options(
                &w,
                "pointerdown",
                EventListenerOptions::run_in_capture_phase(),
                |e| close_menus(target(e).as_ref()),
            );
            // A choice closes its menu.
            let choices = EventListener::new(&w, "click", |e| {
                if target(e)
                    .and_then(|t| t.closest(".menu-item").ok().flatten())
                    .is_some()
                {
                    close_menus(None);
                }
            });
            (keys, presses, choices)
        });
        move || drop(listeners)
    });
}
