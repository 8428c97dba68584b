//! Rows and figures that act as buttons without being `<button>`s (a table row, a figure in
//! a list): Enter or Space on them does what a click does, as on a button.

use web_sys::KeyboardEvent;
use yew::prelude::*;

/// The click handler and the key handler of an element that does `act` when activated.
pub(super) fn activate(act: Callback<()>) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
    let on_key = {
        let act = act.clone();
        Callback::from(move |e: KeyboardEvent| {
            if matches!(e.key().as_str(), "Enter" | " ") {
                // Space would scroll the panel as well.
                e.prevent_default();
                act.emit(());
            }
        })
    };
    (act.reform(|_| ()), on_key)
}
