//! What a press on the canvas hit: every box, port, link and the background hand the
//! pointer-down to the app's gestures with its target, and stop it there.

use crate::editor::Hit;
use web_sys::PointerEvent;
use yew::prelude::*;

/// Builds the press handler for one hit target.
pub(super) fn press(on_down: &Callback<(Hit, PointerEvent)>, hit: Hit) -> Callback<PointerEvent> {
    let cb = on_down.clone();
    Callback::from(move |e: PointerEvent| {
        e.stop_propagation();
        cb.emit((hit.clone(), e));
    })
}
