//! The address bar and the browser's storage always hold the design on screen, and a link
//! pasted into the address bar of the open page opens (undoably).

use crate::editor::{Action, Edit, Editor, Notice};
use crate::web::{share, storage};
use gloo::events::EventListener;
use yew::prelude::*;

/// Keeps the fragment and the autosave in step with the design, and opens links pasted
/// into the address bar.
#[hook]
pub fn use_hash_sync(editor: &UseReducerHandle<Editor>) {
    use_effect_with(editor.scenario.clone(), |s| {
        share::write_location(s);
        storage::save(s);
    });
    let dispatch = editor.dispatcher();
    use_effect_with((), move |_| {
        let listener = web_sys::window().map(|w| {
            EventListener::new(&w, "hashchange", move |_| match share::from_location() {
                Some(Ok(s)) => dispatch.dispatch(Edit::Load(Box::new(s)).into()),
                Some(Err(text)) => dispatch.dispatch(Action::Notify(Notice::error(text))),
                None => {}
            })
        });
        move || drop(listener)
    });
}
