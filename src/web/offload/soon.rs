//! Running a piece of work as a new task of the page's (or a worker's) event loop.

use gloo::timers::callback::Timeout;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Runs `f` as a new task as soon as the browser has painted and handled input. A message
/// to a channel does that without the 4 ms minimum that browsers put on nested zero-delay
/// timeouts (measured: the same run took 1.0 s of wall time with timeouts).
pub fn soon(f: impl FnOnce() + 'static) {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        Timeout::new(0, f).forget();
        return;
    };
    // Freed by wasm-bindgen once called.
    let callback = Closure::once_into_js(f);
    channel
        .port1()
        .set_onmessage(Some(callback.unchecked_ref()));
    if channel.port2().post_message(&JsValue::NULL).is_err() {
        channel.port1().set_onmessage(None);
    }
}

/// Runs `f` as a new task once the browser has drawn its next frame, when the page's style
/// and layout are up to date (or as soon as it can, where frames cannot be asked for).
pub fn after_paint(f: impl FnOnce() + 'static) {
    let slot = Rc::new(Cell::new(Some(f)));
    let mine = slot.clone();
    let frame = Closure::once_into_js(move || {
        if let Some(f) = mine.take() {
            soon(f);
        }
    });
    let asked =
        web_sys::window().is_some_and(|w| w.request_animation_frame(frame.unchecked_ref()).is_ok());
    if !asked {
        if let Some(f) = slot.take() {
            soon(f);
        }
    }
}
