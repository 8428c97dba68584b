//! Menus (`<details class="menu">`) close the way a person expects: on a choice, on Esc,
//! and on a press anywhere outside them; and open inside the window.

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

/// Moves the items of `menu`, just opened, left as far as they reach past the window's right
/// edge (a File menu near it in a narrow window), and no further than its left edge.
fn fit(menu: &Element) {
    let Some(items) = menu.query_selector(".menu-items").ok().flatten() else {
        return;
    };
    let _ = items.remove_attribute("style");
    if !menu.has_attribute("open") {
        return;
    }
    let Some(width) = web_sys::window().and_then(|w| w.inner_width().ok()?.as_f64()) else {
        return;
    };
    let rect = items.get_bounding_client_rect();
    let over = (rect.right() - (width - 8.0)).min(rect.left() - 8.0);
    if over > 0.0 {
        let _ = items.set_attribute("style", &format!("left: {:.0}px", -over));
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
            // `toggle` does not bubble: captured on its way down to the menu.
            let toggles = EventListener::new_with_options(
                &w,
                "toggle",
                EventListenerOptions::run_in_capture_phase(),
                |e| {
                    if let Some(menu) = target(e).filter(|m| m.matches(".menu").unwrap_or(false)) {
                        fit(&menu);
                    }
                },
            );
            (keys, presses, choices, toggles)
        });
        move || drop(listeners)
    });
}
