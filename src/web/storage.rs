//! The designs kept in the browser: every design a person works on or opens is an entry of
//! its own (the last [`KEEP`]), saved on every change, so opening a link, a file or a
//! journey stage never writes over their work. An entry that no longer reads is never
//! dropped silently: it is moved aside under its own key and the person is told where.

use crate::codec;
use crate::model::Scenario;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

/// Where the list of designs is kept.
pub const KEY: &str = "archsim.designs.v1";
/// Where the single autosaved design of earlier versions was kept (read once, moved into
/// the list).
pub const LEGACY_KEY: &str = "archsim.autosave.v1";
/// Prefix of the keys that keep unreadable saved states.
pub const CORRUPT_PREFIX: &str = "archsim.autosave.unreadable.";
/// How many designs are kept, the most recently changed first.
pub const KEEP: usize = 20;

/// One kept design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Its key, stable while it is kept.
    pub key: String,
    /// Its name when last saved.
    pub name: String,
    /// When it was last saved, ms since 1970.
    pub saved_ms: f64,
    /// Whether it is exactly as it was opened (a link or stage not yet edited): opening
    /// something else then replaces it instead of keeping both.
    pub pristine: bool,
    /// The design as a scenario file.
    pub design: String,
    /// The design pinned beside it to compare with, as a scenario file: a visit that
    /// brings the design back brings its comparison back too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
}

impl Entry {
    /// A few words that tell this design from the others kept: whether it was edited since
    /// it was opened and, when another kept design has the same name (two versions of one
    /// example, say), how big it is.
    pub fn detail(&self, list: &[Entry]) -> String {
        let state = if self.pristine { "as opened" } else { "edited" };
        if list
            .iter()
            .all(|e| e.key == self.key || e.name != self.name)
        {
            return state.to_owned();
        }
        match codec::from_json(&self.design) {
            Ok(s) => format!(
                "{state}, {} components, {} links",
                s.components.len(),
                s.links.len()
            ),
            Err(_) => state.to_owned(),
        }
    }
}

thread_local! {
    /// The key of the design this page shows (each tab has its own), and when this page
    /// last saved or read it there.
    static CURRENT: RefCell<Option<(String, f64)>> = const { RefCell::new(None) };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// The key of the design on screen, if it is kept and no other page has saved over it
/// since this page last did (two pages of one browser showing the same kept design: the
/// second to change it gets an entry of its own instead of overwriting the first's).
/// Judged against `list`, the kept designs as already read: reading them parses every
/// kept design, too slow to repeat for each question or each render of a menu.
pub fn current_in(list: &[Entry]) -> Option<String> {
    let (key, seen) = CURRENT.with(|c| c.borrow().clone())?;
    match list.iter().find(|e| e.key == key) {
        Some(e) if e.saved_ms != seen => None,
        _ => Some(key),
    }
}

/// Makes `key` (as saved at `saved_ms`) the design on screen.
fn set_current_at(key: &str, saved_ms: f64) {
    CURRENT.with(|c| *c.borrow_mut() = Some((key.to_owned(), saved_ms)));
}

/// Makes the kept design `key` the design on screen.
pub fn set_current(key: &str) {
    let saved = entries()
        .iter()
        .find(|e| e.key == key)
        .map_or(0.0, |e| e.saved_ms);
    set_current_at(key, saved);
}

/// A key no kept design has.
pub fn fresh_key() -> String {
    format!(
        "d{}-{}",
        now() as u64,
        (js_sys::Math::random() * 1e9) as u64
    )
}

/// Moves an unreadable saved state aside; says where.
fn set_aside(store: &web_sys::Storage, text: &str, what: &str, error: &str) -> String {
    let aside = format!("{CORRUPT_PREFIX}{}", now() as u64);
    if store.set_item(&aside, text).is_ok() {
        format!(
            "{what} could not be read ({error}). It was kept in this browser's storage under \
             \"{aside}\"."
        )
    } else {
        format!("{what} could not be read ({error}).")
    }
}

/// The kept designs, the most recent first (none when the list cannot be read: the page
/// start sets an unreadable list aside, see [`restore`]). Reading has no side effects, so
/// views may call it while rendering.
pub fn entries() -> Vec<Entry> {
    let mut list: Vec<Entry> = storage()
        .and_then(|store| store.get_item(KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    crate::sort::by(&mut list, |a, b| b.saved_ms.total_cmp(&a.saved_ms));
    list
}

/// At the start of a visit: sets an unreadable list aside, and moves the single autosave of
/// earlier versions into the list. Returns what could not be read, in words.
fn tidy() -> Vec<String> {
    let Some(store) = storage() else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    let mut list: Vec<Entry> = match store.get_item(KEY) {
        Ok(Some(text)) => match serde_json::from_str(&text) {
            Ok(list) => list,
            Err(e) => {
                problems.push(set_aside(
                    &store,
                    &text,
                    "Your saved designs",
                    &e.to_string(),
                ));
                let _ = store.remove_item(KEY);
                Vec::new()
            }
        },
        _ => Vec::new(),
    };
    if let Ok(Some(text)) = store.get_item(LEGACY_KEY) {
        match codec::from_json(&text) {
            Ok(s) => list.push(Entry {
                key: fresh_key(),
                name: s.name.clone(),
                saved_ms: now(),
                pristine: false,
                design: text,
                baseline: None,
            }),
            Err(e) => problems.push(set_aside(
                &store,
                &text,
                "Your saved design",
                &e.to_string(),
            )),
        }
        // Gone from its old place only once it is in the list.
        if write(&store, &mut list) {
            let _ = store.remove_item(LEGACY_KEY);
        }
    }
    problems
}

/// Writes the list, the most recent first. Past [`KEEP`] designs, or while the browser's
/// storage is full, a design opened and never edited makes room first, the oldest first:
/// it can be opened again from where it came. A full storage never costs a design the
/// person edited: the write fails instead, the list stays as it was, and the caller tells
/// them to save a file (found by a tester: four large designs opened and edited in turn
/// dropped the small one edited first, without a word).
fn write(store: &web_sys::Storage, list: &mut Vec<Entry>) -> bool {
    crate::sort::by(list, |a, b| b.saved_ms.total_cmp(&a.saved_ms));
    // The first, the design just saved, always stays.
    let oldest_opened = |list: &[Entry]| list.iter().rposition(|e| e.pristine).filter(|&i| i > 0);
    while list.len() > KEEP {
        let i = oldest_opened(list).unwrap_or(list.len() - 1);
        list.remove(i);
    }
    loop {
        let Ok(text) = serde_json::to_string(&list) else {
            return false;
        };
        if store.set_item(KEY, &text).is_ok() {
            return true;
        }
        match oldest_opened(list) {
            Some(i) => {
                list.remove(i);
            }
            None => return false,
        }
    }
}

/// The design kept under `key`, or why it cannot be opened.
pub fn open(key: &str) -> Result<Scenario, String> {
    let list = entries();
    let entry = list
        .iter()
        .find(|e| e.key == key)
        .ok_or_else(|| "That design is no longer kept in this browser".to_owned())?;
    codec::from_json(&entry.design).map_err(|e| format!("That design could not be read: {e}"))
}

/// The name a kept design is listed under.
pub fn display_name(s: &Scenario) -> String {
    if s.name.trim().is_empty() {
        "Untitled design".to_owned()
    } else {
        s.name.clone()
    }
}

/// Saves `s` under `key` as the most recent design of `list`, the kept designs as just
/// read. Returns whether the browser kept it (not in private mode, storage not full) and
/// the list as it now stands. The list holds every kept design, hundreds of kilobytes for
/// a 1 000-component one, so a save reads it once and writes it once: reading it again
/// for each question cost an edit of such a design 30 ms.
pub fn save_into(
    mut list: Vec<Entry>,
    key: &str,
    (s, baseline): (&Scenario, Option<&Scenario>),
    pristine: bool,
) -> (bool, Vec<Entry>) {
    let Some(store) = storage() else {
        return (false, list);
    };
    list.retain(|e| e.key != key);
    // Strictly later than anything saved before, so that saves order even within a ms.
    let saved_ms = list.iter().map(|e| e.saved_ms + 1e-3).fold(now(), f64::max);
    list.push(Entry {
        key: key.to_owned(),
        name: display_name(s),
        saved_ms,
        pristine,
        design: codec::to_json(s),
        baseline: baseline.map(codec::to_json),
    });
    set_current_at(key, saved_ms);
    if write(&store, &mut list) {
        (true, list)
    } else {
        (false, entries())
    }
}

/// The key of the kept design that is `s` exactly, the most recent if several are.
pub fn key_of(s: &Scenario) -> Option<String> {
    let design = codec::to_json(s);
    let list = entries();
    list.iter()
        .filter(|e| e.design == design)
        .max_by(|a, b| a.saved_ms.total_cmp(&b.saved_ms))
        .map(|e| e.key.clone())
}

/// The baseline kept with the design on screen, if it has one that reads (an unreadable
/// one is left out, as a link's is: the design opens without it).
pub fn current_baseline() -> Option<Scenario> {
    let list = entries();
    let key = current_in(&list)?;
    let text = list.into_iter().find(|e| e.key == key)?.baseline?;
    codec::from_json(&text).ok()
}

/// What the last visit left behind.
pub enum Restored {
    /// Nothing kept (or no storage in this browser).
    Nothing,
    /// The most recent design, and its key.
    Design(Box<Scenario>, String),
}

/// The most recently changed readable design, and messages about any that could not be
/// read.
pub fn restore() -> (Restored, Vec<String>) {
    let mut problems = tidy();
    let list = entries();
    for entry in &list {
        match codec::from_json(&entry.design) {
            Ok(s) => return (Restored::Design(Box::new(s), entry.key.clone()), problems),
            Err(e) => problems.push(format!(
                "Your saved design \"{}\" could not be read ({e}); it is still listed under \
                 Recent designs.",
                crate::model::quote(&entry.name)
            )),
        }
    }
    (Restored::Nothing, problems)
}
