//! The keyboard and mouse reference, opened with `?`: the editor's shortcut table, listed.

use super::hooks::use_dialog;
use crate::editor::shortcuts::SHORTCUTS;
use yew::prelude::*;

/// Shortcut list properties.
#[derive(Properties, PartialEq)]
pub struct ShortcutListProps {
    /// Close the list.
    pub on_close: Callback<()>,
}

/// Every shortcut and gesture, from the same table the key handler reads.
#[component]
pub fn ShortcutList(props: &ShortcutListProps) -> Html {
    let close = props.on_close.reform(|_: MouseEvent| ());
    let dialog = use_dialog();
    html! {
        <div class="overlay" onclick={close.clone()}>
            <div class="help" role="dialog" aria-modal="true" aria-label="Shortcuts" ref={dialog}
                 onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <h2>{"Shortcuts"}</h2>
                <table>
                    { for SHORTCUTS.iter().map(|s| html! { <tr><th>{ s.how }</th><td>{ s.what }</td></tr> }) }
                </table>
                <button onclick={close}>{"Close"}</button>
            </div>
        </div>
    }
}
