//! The address bar as the scenario's home: read a `#scenario=…` link on start, keep the
//! fragment in step with every edit (replaceState: no history entry per keystroke), and copy
//! the link to the clipboard.

use crate::codec;
use crate::model::Scenario;

/// The journey stage a `#stage=cache` fragment asks for, by its index: `None` when the
/// fragment names none, `Some(Err)` when no stage has that key. The journey opens it, with
/// its lesson, as choosing it in the Journey menu does.
pub fn stage_from_location() -> Option<Result<usize, String>> {
    stage_named(STAGE_KEY)
}

/// The journey stage whose lesson a design's link shows beside it (`…&lesson=cache`): the
/// lesson stays open over an edited stage, so a reload or a copied link keeps it.
pub fn lesson_from_location() -> Option<Result<usize, String>> {
    stage_named(LESSON_KEY)
}

/// What names a stage to open, design and lesson.
const STAGE_KEY: &str = "stage=";
/// What names the stage whose lesson shows beside the link's own design.
const LESSON_KEY: &str = "lesson=";

/// The stage the fragment's part starting with `part` names, by its index.
fn stage_named(part: &str) -> Option<Result<usize, String>> {
    let hash = location_hash();
    let fragment = hash.strip_prefix('#').unwrap_or(&hash);
    let key = fragment.split('&').find_map(|p| p.strip_prefix(part))?;
    Some(crate::presets::stage_index(key))
}

/// The scenario in the page's fragment: `None` when there is none (or it names a journey
/// stage: [`stage_from_location`]), `Some(Err)` when the link is damaged (the message says
/// what is wrong).
pub fn from_location() -> Option<Result<Scenario, String>> {
    let hash = location_hash();
    let fragment = hash.strip_prefix('#').unwrap_or(&hash);
    if !fragment.contains(codec::FRAGMENT_KEY) {
        return None;
    }
    Some(codec::from_link(fragment).map_err(|e| {
        format!("The shared link could not be opened: {e}. Your own design is unchanged.")
    }))
}

/// The baseline of a compare link in the page's fragment: `None` when there is none,
/// `Some(Err)` when it is damaged (the message says what is wrong).
pub fn baseline_from_location() -> Option<Result<Scenario, String>> {
    let hash = location_hash();
    codec::baseline_from_link(&hash).map(|r| {
        r.map_err(|e| {
            format!("The link's baseline could not be read: {e}. The design opened without it.")
        })
    })
}

/// The fragment in the address bar now, with its `#` (empty when there is none).
pub fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The page's address with `s` in its fragment, the baseline to compare it with, and the
/// journey stage whose lesson is open beside it.
pub fn link_for(s: &Scenario, baseline: Option<&Scenario>, lesson: Option<usize>) -> String {
    let base = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|href| href.split('#').next().unwrap_or_default().to_owned())
        .unwrap_or_default();
    format!("{base}#{}", fragment(s, baseline, lesson))
}

/// The fragment that carries `s`, the baseline it is compared with and the lesson open
/// beside it, if any.
fn fragment(s: &Scenario, baseline: Option<&Scenario>, lesson: Option<usize>) -> String {
    let design = match baseline {
        Some(b) => codec::to_compare_fragment(s, b),
        None => codec::to_fragment(s),
    };
    match lesson.and_then(|i| crate::presets::journey().get(i).map(|st| st.key)) {
        Some(key) => format!("{design}&{LESSON_KEY}{key}"),
        None => design,
    }
}

/// Replaces the fragment with `s` (and the baseline it is compared with and the lesson open
/// beside it, if any), without adding a history entry.
pub fn write_location(s: &Scenario, baseline: Option<&Scenario>, lesson: Option<usize>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(history) = window.history() {
        let url = format!("#{}", fragment(s, baseline, lesson));
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Copies `text` to the clipboard; `done` learns whether it worked.
pub fn copy_text(text: String, done: impl FnOnce(bool) + 'static) {
    let Some(window) = web_sys::window() else {
        return done(false);
    };
    let promise = window.navigator().clipboard().write_text(&text);
    wasm_bindgen_futures::spawn_local(async move {
        done(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
    });
}

/// Whether the page was opened as a read-only embed (`?embed`).
pub fn is_embed() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|q| q.trim_start_matches('?').split('&').any(|p| p == "embed"))
}

/// The full editor's address for the current page (the embed flag removed).
pub fn editor_link(s: &Scenario) -> String {
    link_for(s, None, None)
        .replacen("?embed&", "?", 1)
        .replacen("?embed", "", 1)
}

/// Copies the link to `s` (with the baseline pinned and the lesson open, if any) to the
/// clipboard, or says why not (too long for chat and mail tools, or the browser refused);
/// `notify` shows the outcome.
pub fn copy_link(
    s: &Scenario,
    baseline: Option<&Scenario>,
    lesson: Option<usize>,
    notify: impl Fn(crate::editor::Notice) + 'static,
) {
    use crate::editor::Notice;
    let link = link_for(s, baseline, lesson);
    let with = baseline.is_some();
    if link.len() > codec::SAFE_LINK_LEN {
        return notify(Notice::error(format!(
            "This design's link is {} characters, longer than the {} that chat and mail tools \
             reliably keep. Share it with File → Save as .json instead.",
            link.len(),
            codec::SAFE_LINK_LEN
        )));
    }
    copy_text(link, move |ok| {
        notify(if ok {
            Notice::info(if with {
                "Link copied: it opens this exact design and its numbers, against the baseline."
            } else {
                "Link copied: it opens this exact design and its numbers."
            })
        } else {
            Notice::error("The browser refused the clipboard; copy the address bar instead.")
        })
    });
}
