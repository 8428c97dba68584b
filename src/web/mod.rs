//! The browser editor: a thin Yew layer over [`crate::editor`] and [`crate::solve`].

mod app;
mod canvas;
mod chart;
mod failures;
mod files;
mod format;
mod icons;
mod inspector;
mod journey;
mod minimap;
mod palette;
mod planner;
mod results;
mod share;
mod simulate;
mod storage;
mod timeseries;
mod toolbar;

use crate::editor::{Action, Editor};
use std::rc::Rc;
use yew::Reducible;

/// An `Rc` compared by identity, so that views given the same solve compare equal at once
/// instead of walking the whole report on every render.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl Reducible for Editor {
    type Action = Action;

    /// Returning the same `Rc` for a no-op lets Yew skip the render.
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match self.apply(action) {
            Some(next) => Rc::new(next),
            None => self,
        }
    }
}

/// Mounts the editor. A panic anywhere shows a message on the page instead of leaving it
/// silently frozen.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_fatal(&info.to_string());
    }));
    yew::Renderer::<app::App>::new().render();
}

/// Shows the page's fatal-error panel (present in `index.html`, so it works even when the
/// app itself is gone).
fn show_fatal(detail: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(panel) = doc.get_element_by_id("fatal") {
        let _ = panel.set_attribute("class", "fatal visible");
    }
    if let Some(text) = doc.get_element_by_id("fatal-detail") {
        text.set_text_content(Some(detail));
    }
}
