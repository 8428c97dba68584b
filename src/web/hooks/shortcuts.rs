//! Keyboard shortcuts, looked up in the editor's one table and ignored while typing.

use super::help::{Help, HelpAction};
use crate::editor::shortcuts::{lookup, Command};
use crate::editor::Editor;
use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};
use yew::prelude::*;

/// Listens for the shortcut keys on the whole page (not in the read-only embed).
#[hook]
pub fn use_shortcuts(editor: &UseReducerHandle<Editor>, help: &UseReducerHandle<Help>, on: bool) {
    let dispatch = editor.dispatcher();
    let help = help.dispatcher();
    use_effect_with(on, move |on| {
        let listener = web_sys::window().filter(|_| *on).map(|w| {
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&w, "keydown", options, move |e| {
                let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                let typing = e
                    .target()
                    .and_then(|t| t.dyn_into::<HtmlElement>().ok())
                    .is_some_and(|el| {
                        matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
                    });
                if typing {
                    return;
                }
                let Some(command) = lookup(&e.key(), e.ctrl_key() || e.meta_key(), e.shift_key())
                else {
                    return;
                };
                // Text selected on the page (an explanation, a note) is what a copy means
                // then: the browser's own.
                if command == Command::Copy && text_selected() {
                    return;
                }
                match command {
                    Command::Help => help.dispatch(HelpAction::Toggle),
                    Command::Escape => help.dispatch(HelpAction::Close),
                    _ => {}
                }
                if let Some(action) = command.action() {
                    e.prevent_default();
                    dispatch.dispatch(action);
                }
            })
        });
        move || drop(listener)
    });
}

/// Whether the person has selected some of the page's text.
fn text_selected() -> bool {
    web_sys::window()
        .and_then(|w| w.get_selection().ok().flatten())
        .is_some_and(|s| !s.is_collapsed())
}
