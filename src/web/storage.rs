//! Autosave: the design is written to localStorage on every change and read back on load.
//! A saved state that no longer reads is never dropped silently: it is moved aside under
//! its own key and the person is told where.

use crate::codec;
use crate::model::Scenario;

/// Where the current design is kept.
pub const KEY: &str = "archsim.autosave.v1";
/// Prefix of the keys that keep unreadable saved states.
pub const CORRUPT_PREFIX: &str = "archsim.autosave.unreadable.";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// What the last visit left behind.
pub enum Restored {
    /// Nothing saved (or no storage in this browser).
    Nothing,
    /// The saved design.
    Design(Box<Scenario>),
    /// A saved state that could not be read; the message says why and where it was kept.
    Unreadable(String),
}

/// Reads the autosaved design.
pub fn restore() -> Restored {
    let Some(store) = storage() else {
        return Restored::Nothing;
    };
    let Ok(Some(text)) = store.get_item(KEY) else {
        return Restored::Nothing;
    };
    match codec::from_json(&text) {
        Ok(s) => Restored::Design(Box::new(s)),
        Err(e) => {
            let aside = format!("{CORRUPT_PREFIX}{}", js_sys::Date::now() as u64);
            let kept = store.set_item(&aside, &text).is_ok();
            let _ = store.remove_item(KEY);
            Restored::Unreadable(if kept {
                format!(
                    "Your saved design could not be read ({e}). It was kept in this browser's \
                     storage under \"{aside}\"; the starter design is shown."
                )
            } else {
                format!("Your saved design could not be read ({e}); the starter design is shown.")
            })
        }
    }
}

/// Saves the design; false when the browser refuses (private mode, storage full).
pub fn save(s: &Scenario) -> bool {
    storage().is_some_and(|store| store.set_item(KEY, &codec::to_json(s)).is_ok())
}
