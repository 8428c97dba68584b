//! Starting the page: the editor as a Yew reducer, the panic handler, and mounting the app.

use super::app;
use super::deferred::{self, Load};
use crate::editor::{Action, Editor};
use std::rc::Rc;
use yew::Reducible;

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

/// Mounts the editor, with the page binary's way to fetch the deferred panels. A panic
/// anywhere shows a message on the page instead of leaving it silently frozen.
pub fn start(load: Load) {
    deferred::set_load(load);
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
