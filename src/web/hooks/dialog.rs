//! An overlay that behaves as a dialog for the keyboard: focus moves into it when it opens,
//! Tab cycles through its controls instead of reaching the page behind it, and when it
//! closes focus goes back where it was (WAI-ARIA Authoring Practices, "Dialog (Modal)"
//! pattern), rather than to the top of the page.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent, SvgElement};
use yew::prelude::*;

/// What can take focus inside a dialog.
const FOCUSABLE: &str = "button, a[href], input, select, textarea, summary";

/// The dialog's controls that can take focus, in document order.
fn focusables(dialog: &HtmlElement) -> Vec<HtmlElement> {
    let Ok(list) = dialog.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<HtmlElement>().ok())
        .collect()
}

/// A reference for the dialog's element: its first control gets focus on mount, Tab and
/// Shift+Tab wrap around its controls, and the element that had focus before gets it
/// back on unmount.
#[hook]
pub fn use_dialog() -> NodeRef {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            let before = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element());
            let dialog = node.cast::<HtmlElement>();
            if let Some(first) = dialog
                .as_ref()
                .and_then(|d| focusables(d).into_iter().next())
            {
                let _ = first.focus();
            }
            let listener = dialog.map(|d| {
                let inside = d.clone();
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&d, "keydown", options, move |e| {
                    let Some(k) = e.dyn_ref::<KeyboardEvent>().filter(|k| k.key() == "Tab") else {
                        return;
                    };
                    let all = focusables(&inside);
                    let (Some(first), Some(last)) = (all.first(), all.last()) else {
                        return;
                    };
                    let active = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.active_element());
                    let at = |el: &HtmlElement| active.as_ref() == Some(el.as_ref());
                    let to = match k.shift_key() {
                        true if at(first) => last,
                        false if at(last) => first,
                        _ => return,
                    };
                    e.prevent_default();
                    let _ = to.focus();
                })
            });
            move || {
                drop(listener);
                // A component on the canvas is an SVG element, not an HTML one.
                if let Some(el) = before.filter(|el| el.is_connected()) {
                    match el.dyn_into::<SvgElement>() {
                        Ok(svg) => {
                            let _ = svg.focus();
                        }
                        Err(el) => {
                            if let Ok(html) = el.dyn_into::<HtmlElement>() {
                                let _ = html.focus();
                            }
                        }
                    }
                }
            }
        });
    }
    node
}
