//! What the page opens with: the most recent kept design (or the starter), and a shared
//! link's design opened over it as a design of its own.

use super::{share, storage};
use crate::editor::{Action, Editor, Notice, Origin};

/// The editor a visit starts with. The design of a link in the address bar is opened on
/// top of the last design worked on, which stays kept (and one undo away). A link to a
/// design kept here (a reload: the address bar holds the design on screen) is that kept
/// design, not a new one: a reload opens nothing, and another tab's design comes back as
/// from Recent designs, not as a copy of itself.
pub fn initial_editor() -> Editor {
    let (restored, mut notes) = storage::restore();
    let mut error = !notes.is_empty();
    let (base, restored_key) = match restored {
        storage::Restored::Design(s, key) => {
            storage::set_current(&key);
            (*s, Some(key))
        }
        storage::Restored::Nothing => (crate::presets::starter(), None),
    };
    let mut editor = Editor::new(base);
    match share::from_location() {
        Some(Ok(s)) => {
            let kept = storage::key_of(&s);
            if kept.is_none() || kept != restored_key {
                if let Some(next) = editor.apply(Action::Open {
                    scenario: Box::new(s),
                    origin: kept.map_or(Origin::Link, Origin::Recent),
                }) {
                    editor = next;
                }
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
