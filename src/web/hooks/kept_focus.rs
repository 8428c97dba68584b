//! Keeps the keyboard in the diagram when what held it goes away: a component deleted with
//! its key, the inspector's Delete button with the component, a menu item whose menu
//! closed. The browser would give the focus to the page's body, and the next Tab would
//! start again from the top of the page.

use gloo::events::EventListener;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, SvgElement};
use yew::prelude::*;

/// After every render: if the element that last had the focus is gone from the page and
/// nothing has it now, the diagram (`canvas`) takes it.
#[hook]
pub fn use_kept_focus(canvas: NodeRef) {
    let last = use_mut_ref(|| None::<Element>);
    {
        let last = last.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().and_then(|w| w.document()).map(|d| {
                EventListener::new(&d, "focusin", move |e| {
                    *last.borrow_mut() = e.target().and_then(|t| t.dyn_into::<Element>().ok());
                })
            });
            move || drop(listener)
        });
    }
    use_effect(move || keep(&last, &canvas));
}

fn keep(last: &Rc<RefCell<Option<Element>>>, canvas: &NodeRef) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let gone = last.borrow().as_ref().is_some_and(|el| !el.is_connected());
    let nowhere = document
        .active_element()
        .is_none_or(|a| document.body().is_some_and(|b| *b == a));
    if gone && nowhere {
        if let Some(svg) = canvas.cast::<SvgElement>() {
            let _ = svg.focus();
        }
    }
}
