//! Starting the page: the panic handler, the editor's first state, and mounting the app.

use super::{app, share, storage};
use crate::editor::{Action, Edit, Editor, Notice};
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

/// The editor a visit starts with: the autosaved design (or the starter), then the design
/// of a shared link on top of it, so the previous design stays one undo away.
pub fn initial_editor() -> Editor {
    let mut notes = Vec::new();
    let mut error = false;
    let base = match storage::restore() {
        storage::Restored::Design(s) => *s,
        storage::Restored::Nothing => crate::presets::starter(),
        storage::Restored::Unreadable(message) => {
            notes.push(message);
            error = true;
            crate::presets::starter()
        }
    };
    let mut editor = Editor::new(base);
    match share::from_location() {
        Some(Ok(s)) => {
            if let Some(next) = editor.apply(Edit::Load(Box::new(s)).into()) {
                editor = next;
                notes.push("Opened the shared design; Ctrl+Z brings back the one you had.".into());
            }
        }
        Some(Err(message)) => {
            notes.push(message);
            error = true;
        }
        None => {}
    }
    if !notes.is_empty() {
        let text = notes.join(" ");
        editor = editor
            .apply(Action::Notify(Notice { error, text }))
            .unwrap_or(editor);
    }
    editor
}
