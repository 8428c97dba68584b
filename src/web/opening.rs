//! What the page opens with: the autosaved design (or the starter), and a shared link's
//! design on top of it.

use super::{share, storage};
use crate::editor::{Action, Edit, Editor, Notice};

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
